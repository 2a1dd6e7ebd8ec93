//! Transforms bar by bar: TA-Lib's Math Transform group (one function of one input per
//! bar) and its Price Transform group (the price combinations; AVGDEV, a windowed
//! deviation; HA, the recursive Heikin-Ashi candles).

pub mod avgdev;
pub mod ha;
pub mod math;
pub mod price;
