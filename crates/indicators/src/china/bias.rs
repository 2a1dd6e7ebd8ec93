//! BIAS — deviation of the close from its moving average, in percent (MyTT):
//! (C − MA(C, l)) / MA(C, l) · 100 for three lengths.

use super::pandas::rolling_mean;

/// Bars before the first value of the longest length.
pub fn bias_lookback(l1: usize, l2: usize, l3: usize) -> usize {
    l1.max(l2).max(l3).saturating_sub(1)
}

fn bias_one(close: &[f64], l: usize) -> Vec<f64> {
    let ma = rolling_mean(close, l);
    close.iter().zip(&ma).map(|(c, m)| (c - m) / m * 100.0).collect()
}

/// `[bias1, bias2, bias3]`.
pub fn bias(close: &[f64], l1: usize, l2: usize, l3: usize) -> [Vec<f64>; 3] {
    [bias_one(close, l1), bias_one(close, l2), bias_one(close, l3)]
}
