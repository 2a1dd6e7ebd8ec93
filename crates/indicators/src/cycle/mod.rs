//! TA-Lib's Cycle Indicators: the Hilbert-transform family (HT_DCPERIOD, HT_DCPHASE,
//! HT_PHASOR, HT_SINE, HT_TRENDMODE; HT_TRENDLINE, an overlap study, lives here too as
//! it runs on the same machinery), all built on `hilbert.rs`.

pub mod dcperiod;
pub mod dcphase;
pub(crate) mod hilbert;
pub mod phasor;
pub mod sine;
pub mod trendline;
pub mod trendmode;
