//! WAD — Williams' accumulation/distribution (TA-Lib 0.8, Achelis' form, no volume):
//! the running sum of the close measured against the true-range extreme.

/// Bars before the first WAD value (none: the first bar contributes 0).
pub fn wad_lookback() -> usize {
    0
}

/// WAD over `high`/`low`/`close`.
pub fn wad(high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let n = high.len().min(low.len()).min(close.len());
    let mut out = Vec::with_capacity(n);
    let Some(&first) = close.first() else {
        return out;
    };
    let mut sum = 0.0;
    let mut prev_close = first;
    for i in 0..n {
        let c = close[i];
        // Both candidate moves are computed and one is selected, without branches; on
        // an unchanged close 0.0 is added, which leaves the sum as it is (it is never
        // −0.0), as TA-Lib's skipped addition does.
        let rise = c - if prev_close < low[i] { prev_close } else { low[i] };
        let fall = c - if prev_close > high[i] { prev_close } else { high[i] };
        sum += if c > prev_close {
            rise
        } else if c < prev_close {
            fall
        } else {
            0.0
        };
        out.push(sum);
        prev_close = c;
    }
    out
}
