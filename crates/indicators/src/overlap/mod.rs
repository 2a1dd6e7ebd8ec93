//! Overlap studies: moving averages and bands drawn over the price.

pub mod bbands;
pub mod ema;
pub mod kama;
pub mod ma;
pub mod midpoint;
pub mod sar;
pub mod sarext;
pub mod sma;
pub mod trima;
pub mod wma;
