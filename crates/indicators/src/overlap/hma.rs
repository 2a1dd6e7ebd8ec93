//! HMA — Hull moving average (TA-Lib 0.8's `TA_HMA`), bit-exact.
//!
//! `HMA(n) = WMA(2·WMA(x, n/2) − WMA(x, n), ⌊√n⌋)`, in one pass: three WMA running
//! sums in TA-Lib's incremental form (each rebuilt from its window every 8·period bars,
//! as TA-Lib 0.8's WMA is) and a ring of the last ⌊√n⌋ − 1 de-lagged values. For n = 2
//! and 3 both inner periods are 1, and the value is `2·x − WMA(x, n)`.

use super::wma::wma_lookback;
use crate::math::nan_vec;

/// Bars before the first HMA value.
pub fn hma_lookback(period: usize) -> usize {
    wma_lookback(period) + wma_lookback(isqrt(period))
}

/// ⌊√n⌋ as TA-Lib takes it: `(int)sqrt((double)n)`.
fn isqrt(n: usize) -> usize {
    (n as f64).sqrt() as usize
}

/// One WMA running sum in TA-Lib's incremental form.
struct RunningWma {
    period: usize,
    weight: f64,
    divider: f64,
    sub: f64,
    sum: f64,
    trailing_value: f64,
    trailing: usize,
    countdown: usize,
}

impl RunningWma {
    /// Primed over the `period − 1` bars before `start`.
    fn new(real: &[f64], period: usize, start: usize) -> Self {
        let trailing = start + 1 - period;
        let (mut sub, mut sum) = (0.0, 0.0);
        for (w, &x) in real[trailing..start].iter().enumerate() {
            sub += x;
            sum += x * (w + 1) as f64;
        }
        let p = period as f64;
        Self {
            period,
            weight: p,
            divider: p * (p + 1.0) / 2.0,
            sub,
            sum,
            trailing_value: 0.0,
            trailing,
            countdown: 8 * period,
        }
    }

    /// The WMA at bar `today` (bars are fed in order).
    #[inline(always)]
    fn next(&mut self, real: &[f64], today: usize) -> f64 {
        let x = real[today];
        self.sub += x;
        self.sub -= self.trailing_value;
        self.sum += x * self.weight;
        self.countdown -= 1;
        if self.countdown == 0 {
            self.countdown = 8 * self.period;
            self.sub = 0.0;
            self.sum = 0.0;
            for (w, &v) in real[today + 1 - self.period..=today].iter().enumerate() {
                self.sub += v;
                self.sum += v * (w + 1) as f64;
            }
        }
        self.trailing_value = real[self.trailing];
        self.trailing += 1;
        let out = self.sum / self.divider;
        self.sum -= self.sub;
        out
    }
}

/// HMA over `real`; NaN inside the lookback. A period of 1 is the input.
pub fn hma(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let lookback = hma_lookback(period);
    if period == 0 || n <= lookback {
        return nan_vec(n);
    }
    if period == 1 {
        return real.to_vec();
    }
    let mut out = nan_vec(n);
    let sqrt_period = isqrt(period);
    let lookback_sqrt = wma_lookback(sqrt_period);
    let wma_start = lookback - lookback_sqrt;
    let mut full = RunningWma::new(real, period, wma_start);
    if period <= 3 {
        for today in lookback..n {
            let full_out = full.next(real, today);
            out[today] = 2.0 * real[today] - full_out;
        }
        return out;
    }
    let half_period = period / 2;
    let mut half = RunningWma::new(real, half_period, wma_start);
    let sp = sqrt_period as f64;
    let divider_sqrt = sp * (sp + 1.0) / 2.0;
    // The de-lagged values still inside the outer window (all but the newest).
    let ring_size = sqrt_period - 1;
    let mut ring = vec![0.0; ring_size];
    let mut ring_idx = 0;
    let (mut sub, mut sum) = (0.0, 0.0);
    for (w, today) in (wma_start..lookback).enumerate() {
        let full_out = full.next(real, today);
        let half_out = half.next(real, today);
        let diff = 2.0 * half_out - full_out;
        sub += diff;
        sum += diff * (w + 1) as f64;
        ring[ring_idx] = diff;
        ring_idx += 1;
        if ring_idx == ring_size {
            ring_idx = 0;
        }
    }
    let mut trailing = 0.0;
    let mut countdown = 8 * sqrt_period;
    for today in lookback..n {
        let full_out = full.next(real, today);
        let half_out = half.next(real, today);
        let diff = 2.0 * half_out - full_out;
        sub += diff;
        sub -= trailing;
        sum += diff * sp;
        countdown -= 1;
        if countdown == 0 {
            // Rebuilt from the ring (oldest first) and the newest value.
            countdown = 8 * sqrt_period;
            sub = 0.0;
            sum = 0.0;
            let mut walk = ring_idx;
            for w in 0..ring_size {
                let v = ring[walk];
                sub += v;
                sum += v * (w + 1) as f64;
                walk += 1;
                if walk == ring_size {
                    walk = 0;
                }
            }
            sub += diff;
            sum += diff * sp;
        }
        trailing = ring[ring_idx];
        ring[ring_idx] = diff;
        ring_idx += 1;
        if ring_idx == ring_size {
            ring_idx = 0;
        }
        out[today] = sum / divider_sqrt;
        sum -= sub;
    }
    out
}
