//! Math Operators: arithmetic of two series bar by bar, the running sum, and the
//! window extremes and sums.

pub mod arith;
pub mod window;
