//! Price Transform: AVGPRICE, MEDPRICE, TYPPRICE, WCLPRICE, bar by bar, in TA-Lib's
//! order of operations (bit-exact); and BOP (Momentum in TA-Lib's groups), also bar by bar.

/// `(high + low + close + open) / 4`, summed in TA-Lib's order.
pub fn avgprice(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    (0..close.len()).map(|i| (high[i] + low[i] + close[i] + open[i]) / 4.0).collect()
}

/// `(high + low) / 2`.
pub fn medprice(high: &[f64], low: &[f64]) -> Vec<f64> {
    high.iter().zip(low).map(|(&h, &l)| (h + l) / 2.0).collect()
}

/// `(high + low + close) / 3`.
pub fn typprice(high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    (0..close.len()).map(|i| (high[i] + low[i] + close[i]) / 3.0).collect()
}

/// `(high + low + 2 close) / 4`.
pub fn wclprice(high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    (0..close.len()).map(|i| (high[i] + low[i] + close[i] * 2.0) / 4.0).collect()
}

/// BOP, balance of power: `(close − open) / (high − low)`, 0 where the range is `<= 0`
/// (an exact test in TA-Lib 0.8: a NaN range passes and gives NaN).
pub fn bop(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    (0..close.len())
        .map(|i| {
            let range = high[i] - low[i];
            if range <= 0.0 {
                0.0
            } else {
                (close[i] - open[i]) / range
            }
        })
        .collect()
}
