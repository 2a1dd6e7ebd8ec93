//! PERCENTILE (nearest rank) and PERCENTRANK over a sliding window, TA-Lib-exact
//! (TA-Lib 0.8.1).
//!
//! PERCENTILE: the rank-th smallest value of the window, rank = ⌈percentile·period/100⌉
//! (multiply first, as TA-Lib does) clamped to 1..=period. Equal values keep their age
//! order (the newest after its equals), which only the sign of a zero can observe.
//! The window is kept sorted: the new value goes in after its equals, the departing
//! one (the oldest of its equals) comes out — a binary search and one block move each.
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
    // age order; one spare slot for the insert.
    let mut sorted: Vec<f64> = Vec::with_capacity(period);
    for &x in &real[..period - 1] {
        let at = sorted.partition_point(|&v| v <= x);
        sorted.insert(at, x);
    }
    for today in period - 1..n {
        let x = real[today];
        let at = sorted.partition_point(|&v| v <= x);
        sorted.insert(at, x);
        out.push(sorted[rank - 1]);
        let old = real[today + 1 - period];
        let gone = sorted.partition_point(|&v| v < old).min(sorted.len() - 1);
        sorted.remove(gone);
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
        let count = window.iter().map(|&v| (v < current) as u32).sum::<u32>();
        out.push((count as f64 / p) * 100.0);
    }
    out
}
