//! Volume indicators: on-balance volume and the accumulation/distribution line.

pub mod ad;
pub mod obv;
