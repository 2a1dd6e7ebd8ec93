//! Overlap studies: moving averages and bands drawn over the price.

pub mod accbands;
pub mod bbands;
pub mod donchian;
pub mod ema;
pub mod kama;
pub mod kc;
pub mod ma;
pub mod midpoint;
pub mod sar;
pub mod sma;
pub mod supertrend;
pub mod trima;
pub mod wma;
