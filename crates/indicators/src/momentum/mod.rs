//! Momentum indicators: oscillators and directional movement.

pub mod aroon;
pub mod cci;
pub mod cmo;
pub mod cmou;
pub mod coppock;
pub mod dmi;
pub mod dpo;
pub mod er;
pub mod eri;
pub mod fosc;
pub mod fractal;
pub mod macd;
pub mod mfi;
pub mod mom;
pub mod qstick;
pub mod rsi;
pub mod smi;
pub mod stoch;
pub mod trix;
pub mod tsi;
pub mod vhf;
pub mod vortex;
pub mod wad;
pub mod willr;
