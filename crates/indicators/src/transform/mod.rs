//! Transforms bar by bar, with no lookback: TA-Lib's Math Transform group (one
//! function of one input per bar) and the price combinations of its Price Transform
//! group.

pub mod math;
pub mod price;
