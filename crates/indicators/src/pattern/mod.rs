//! TA-Lib's Pattern Recognition: the 61 CDL candlestick patterns and the candle settings
//! they share. Outputs are integers (-100, 0, 100, and +-200 for confirmations).

pub mod candle;
pub mod identical_three_crows;
pub mod inverted_hammer;
pub mod kicking;
pub mod ladder_bottom;
pub mod long_legged_doji;
pub mod marubozu_lines;
pub mod matching_low;
pub mod morning_star;
pub mod multi_candle;
pub mod neck_lines;
pub mod separating_lines;
pub mod single_candle;
pub mod stalled_pattern;
pub mod tasuki_gap;
pub mod three_candle;
pub mod three_methods;
pub mod tristar;
pub mod two_candle;
pub mod unique_three_river;
pub mod upside_gap_two_crows;
