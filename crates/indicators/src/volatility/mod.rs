//! Volatility: true range, average true range, standard deviation, average day range,
//! Chaikin's volatility, the mass index and the relative volatility index.

pub mod adr;
pub mod atr;
pub mod cvi;
pub mod massi;
pub mod rvi;
pub mod stddev;
