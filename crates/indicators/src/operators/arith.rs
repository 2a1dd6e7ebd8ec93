//! ADD, SUB, MULT, DIV of two series bar by bar, and CUMSUM, the running total.

/// `a op b` for every bar.
pub fn zip(a: &[f64], b: &[f64], op: fn(f64, f64) -> f64) -> Vec<f64> {
    a.iter().zip(b).map(|(&x, &y)| op(x, y)).collect()
}

/// The running total, from the first bar.
pub fn cumsum(real: &[f64]) -> Vec<f64> {
    let mut total = 0.0;
    real.iter()
        .map(|&x| {
            total += x;
            total
        })
        .collect()
}
