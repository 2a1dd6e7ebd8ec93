//! HA — Heikin-Ashi candles, TA-Lib-exact (TA-Lib 0.8.1, no unstable period).
//!
//! haClose = (((open + high) + low) + close) / 4 (that summation order); haOpen starts
//! at (open + close) / 2 on the first bar and is then (previous haOpen + previous
//! haClose) / 2; haHigh is the largest of high, haOpen and haClose and haLow the
//! smallest of low, haOpen and haClose, by plain comparisons in that order. Halving and
//! quartering are done as multiplications by 0.5 and 0.25, which give the same doubles
//! as TA-Lib's divisions (scaling by a power of two rounds identically) and keep the
//! haOpen recursion's latency low.

/// Bars before the first value.
pub fn ha_lookback() -> usize {
    0
}

/// HA candles: [haopen, hahigh, halow, haclose].
pub fn ha(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> [Vec<f64>; 4] {
    let n = open.len().min(high.len()).min(low.len()).min(close.len());
    let mut outs: [Vec<f64>; 4] = std::array::from_fn(|_| Vec::with_capacity(n));
    if n == 0 {
        return outs;
    }
    let mut ha_open = (open[0] + close[0]) * 0.5;
    let mut ha_close = f64::NAN;
    for i in 0..n {
        if i > 0 {
            ha_open = (ha_open + ha_close) * 0.5;
        }
        ha_close = (((open[i] + high[i]) + low[i]) + close[i]) * 0.25;
        let mut ha_high = high[i];
        if ha_open > ha_high {
            ha_high = ha_open;
        }
        if ha_close > ha_high {
            ha_high = ha_close;
        }
        let mut ha_low = low[i];
        if ha_open < ha_low {
            ha_low = ha_open;
        }
        if ha_close < ha_low {
            ha_low = ha_close;
        }
        outs[0].push(ha_open);
        outs[1].push(ha_high);
        outs[2].push(ha_low);
        outs[3].push(ha_close);
    }
    outs
}

/// Streaming Heikin-Ashi: one bar in, its candle out; the same numbers as [`ha`].
#[derive(Debug, Clone, Default)]
pub struct Ha {
    prev: Option<(f64, f64)>,
}

impl Ha {
    /// A fresh state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next bar; returns (haopen, hahigh, halow, haclose).
    #[inline]
    pub fn next(&mut self, open: f64, high: f64, low: f64, close: f64) -> (f64, f64, f64, f64) {
        let ha_open = match self.prev {
            None => (open + close) * 0.5,
            Some((prev_open, prev_close)) => (prev_open + prev_close) * 0.5,
        };
        let ha_close = (((open + high) + low) + close) * 0.25;
        let mut ha_high = high;
        if ha_open > ha_high {
            ha_high = ha_open;
        }
        if ha_close > ha_high {
            ha_high = ha_close;
        }
        let mut ha_low = low;
        if ha_open < ha_low {
            ha_low = ha_open;
        }
        if ha_close < ha_low {
            ha_low = ha_close;
        }
        self.prev = Some((ha_open, ha_close));
        (ha_open, ha_high, ha_low, ha_close)
    }
}
