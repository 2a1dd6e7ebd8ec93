//! TA-Lib's Pattern Recognition: the 61 CDL candlestick patterns and the candle settings
//! they share. Outputs are integers (-100, 0, 100, and +-200 for confirmations).

pub mod candle;
pub mod multi_candle;
pub mod single_candle;
pub mod three_candle;
pub mod two_candle;
