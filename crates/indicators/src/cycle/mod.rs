//! TA-Lib's Cycle Indicators: the Hilbert-transform family (HT_DCPERIOD, HT_DCPHASE,
//! HT_PHASOR, HT_SINE, HT_TRENDMODE).
