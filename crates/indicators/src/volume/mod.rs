//! Volume indicators: on-balance volume, the accumulation/distribution line and its
//! oscillator, money flow, force and facilitation indexes, the volume indexes, price
//! volume trend, the volume oscillator, relative volume and VWAP.

pub mod ad;
pub mod adosc;
pub mod cmf;
pub mod efi;
pub mod marketfi;
pub mod nvi;
pub mod obv;
pub mod pvo;
pub mod pvt;
pub mod rvol;
pub mod vwap;
