//! Momentum indicators: oscillators and directional movement.

pub mod aroon;
pub mod cci;
pub mod cmo;
pub mod dmi;
pub mod kdj;
pub mod macd;
pub mod mfi;
pub mod mom;
pub mod rsi;
pub mod stoch;
pub mod trix;
pub mod willr;
