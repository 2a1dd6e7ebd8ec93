//! Mainland-China flavours, matching the MyTT library (and so the trading software
//! users compare with): KDJ, MACD_CN, BIAS, BOLL.
//!
//! MyTT builds them on pandas: `ewm(span=N, adjust=False)` for EMA and rolling windows for
//! MA/STD/HHV/LLV. `pandas` reproduces those primitives, including how pandas carries
//! an EMA through NaN (KDJ's RSV is 0/0 where the high equals the low for `n` bars).

pub mod bias;
pub mod boll;
pub mod kdj;
pub mod macd_cn;
pub(crate) mod pandas;
