//! Overlap studies: moving averages and bands drawn over the price.

pub mod accbands;
pub mod bbands;
pub mod donchian;
pub mod ema;
pub mod hma;
pub mod kama;
pub mod kc;
pub mod ma;
pub mod mama;
pub mod mavp;
pub mod midpoint;
pub mod rma;
pub mod sar;
pub mod sarext;
pub mod sma;
pub mod supertrend;
pub mod t3;
pub mod trima;
pub mod vwma;
pub mod wma;
pub mod zlema;
