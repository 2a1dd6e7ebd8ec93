//! Momentum indicators: oscillators and directional movement.

pub mod ao;
pub mod aroon;
pub mod cci;
pub mod cmo;
pub mod dmi;
pub mod imi;
pub mod macd;
pub mod mfi;
pub mod mom;
pub mod po;
pub mod rsi;
pub mod stoch;
pub mod trix;
pub mod ultosc;
pub mod willr;
