//! Math Transform: ACOS, ASIN, ATAN, CEIL, COS, COSH, EXP, FLOOR, LN, LOG10, SIN, SINH,
//! SQRT, TAN, TANH, each applied to every bar.
//!
//! TA-Lib calls the C library's functions; Rust's `f64` methods call the same C library
//! (or, for `sqrt`, `ceil` and `floor`, correctly rounded instructions), so the values
//! are TA-Lib's to the bit. Outside a function's domain the value is NaN, as in C.

/// `f` applied to every value of `real`.
pub fn apply(real: &[f64], f: fn(f64) -> f64) -> Vec<f64> {
    real.iter().map(|&x| f(x)).collect()
}
