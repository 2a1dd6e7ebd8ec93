//! COPPOCK — Coppock curve (TA-Lib 0.8): the WMA of `ROC(p1) + ROC(p2)`, the WMA in
//! TA-Lib's incremental form (weighted and plain sums carried, rebuilt every 8·w bars),
//! each ROC 0 where its base price is 0.

use crate::math::nan_vec;

/// Bars before the first COPPOCK value: `max(p1, p2) + w − 1`.
pub fn coppock_lookback(wmaperiod: usize, roc1period: usize, roc2period: usize) -> usize {
    roc1period.max(roc2period) + wmaperiod.saturating_sub(1)
}

/// COPPOCK over `real`; NaN inside the lookback.
pub fn coppock(real: &[f64], wmaperiod: usize, roc1period: usize, roc2period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    let lb = coppock_lookback(wmaperiod, roc1period, roc2period);
    if wmaperiod == 0 || roc1period == 0 || roc2period == 0 || n <= lb {
        return out;
    }
    let roc = |x: f64, base: f64| if base != 0.0 { (x / base - 1.0) * 100.0 } else { 0.0 };
    let s = |i: usize| roc(real[i], real[i - roc1period]) + roc(real[i], real[i - roc2period]);
    let w = wmaperiod;
    if w == 1 {
        for i in lb..n {
            out[i] = s(i);
        }
        return out;
    }
    let wf = w as f64;
    let divider = wf * (w + 1) as f64 / 2.0;
    // The last w − 1 smoothed values, oldest at `pos` once full.
    let mut ring = vec![0.0; w - 1];
    let mut pos = 0usize;
    let first = lb + 1 - w;
    let (mut period_sub, mut period_sum) = (0.0f64, 0.0f64);
    for (k, i) in (first..lb).enumerate() {
        let v = s(i);
        period_sub += v;
        period_sum += v * (k + 1) as f64;
        ring[k] = v;
    }
    let reseed_every = 8 * w;
    let mut countdown = reseed_every;
    let mut trailing_value = 0.0;
    for i in lb..n {
        let v = s(i);
        period_sub += v;
        period_sub -= trailing_value;
        period_sum += v * wf;
        countdown -= 1;
        if countdown == 0 {
            countdown = reseed_every;
            period_sub = 0.0;
            period_sum = 0.0;
            let (older, newer) = ring.split_at(pos);
            for (k, &x) in newer.iter().chain(older).enumerate() {
                period_sub += x;
                period_sum += x * (k + 1) as f64;
            }
            period_sub += v;
            period_sum += v * wf;
        }
        trailing_value = ring[pos];
        ring[pos] = v;
        pos += 1;
        if pos == ring.len() {
            pos = 0;
        }
        out[i] = period_sum / divider;
        period_sum -= period_sub;
    }
    out
}
