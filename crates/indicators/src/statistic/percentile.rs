//! PERCENTILE (nearest rank) and PERCENTRANK over a sliding window, TA-Lib-exact
//! (TA-Lib 0.8.1).
//!
//! PERCENTILE: the rank-th smallest value of the window, rank = ⌈percentile·period/100⌉
//! (multiply first, as TA-Lib does) clamped to 1..=period. Equal values keep their age
//! order (the newest after its equals), which only the sign of a zero can observe.
//! The window less its newest value is kept sorted: the new value's place is counted
//! (branch-free), the rank-th value read, and the departing value (the oldest of its
//! equals) swapped out for the new one with one block move.
//!
//! PERCENTRANK: the share of the `period` previous values strictly below the current
//! one, (count / period) · 100 (divide, then scale, as TA-Lib does).

/// Bars before the first PERCENTILE value.
pub fn percentile_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// TA-Lib's nearest rank: ⌈percentile·period/100⌉ in 1..=period.
fn nearest_rank(period: usize, percentile: f64) -> usize {
    let r = (percentile * period as f64 / 100.0).ceil();
    // A saturating cast: NaN and negatives go to 0, then up to rank 1.
    (r as usize).clamp(1, period.max(1))
}

/// How many of `v` are `<= x` (or `< x` with `strict`): branch-free, so random data
/// costs no mispredictions.
#[inline(always)]
fn count(v: &[f64], x: f64, strict: bool) -> usize {
    if strict {
        v.iter().map(|&a| (a < x) as usize).sum()
    } else {
        v.iter().map(|&a| (a <= x) as usize).sum()
    }
}

/// PERCENTILE over `real`; NaN inside the lookback.
pub fn percentile(real: &[f64], period: usize, percentile: f64) -> Vec<f64> {
    let n = real.len();
    if period == 0 || n < period {
        return vec![f64::NAN; n];
    }
    let rank = nearest_rank(period, percentile);
    let mut out = Vec::with_capacity(n);
    out.resize(period - 1, f64::NAN);
    // The retained values (the window less its newest bar), ascending, equal values in
    // age order.
    let mut sorted: Vec<f64> = Vec::with_capacity(period);
    for &x in &real[..period - 1] {
        let at = count(&sorted, x, false);
        sorted.insert(at, x);
    }
    if period == 1 {
        out.extend_from_slice(real);
        return out;
    }
    for today in period - 1..n {
        let x = real[today];
        // The new value goes after its equals; the full window's rank-th value is then
        // a retained one or the new one.
        let at = count(&sorted, x, false);
        out.push(if at >= rank {
            sorted[rank - 1]
        } else if at + 1 < rank {
            sorted[rank - 2]
        } else {
            x
        });
        // The next retained set: this window less its oldest value (the first of its
        // equals), with the new value in.
        let gone = count(&sorted, real[today + 1 - period], true).min(sorted.len() - 1);
        if gone < at {
            sorted.copy_within(gone + 1..at, gone);
            sorted[at - 1] = x;
        } else {
            sorted.copy_within(at..gone, at + 1);
            sorted[at] = x;
        }
    }
    out
}

/// Bars before the first PERCENTRANK value.
pub fn percentrank_lookback(period: usize) -> usize {
    period
}

/// PERCENTRANK over `real`; NaN inside the lookback.
pub fn percentrank(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    if period == 0 || n <= period {
        return vec![f64::NAN; n];
    }
    let p = period as f64;
    let mut out = Vec::with_capacity(n);
    out.resize(period, f64::NAN);
    for (window, &current) in real.windows(period).zip(&real[period..]) {
        out.push((count(window, current, true) as f64 / p) * 100.0);
    }
    out
}
