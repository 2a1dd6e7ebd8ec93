//! The candle machinery every CDL pattern shares: TA-Lib's default candle settings and
//! the per-bar measures and running averages the patterns compare against.
//!
//! # API (stable: other pattern files build on it)
//! - [`RangeType`], [`CandleSetting`] and the eleven default settings [`BODY_LONG`],
//!   [`BODY_VERY_LONG`], [`BODY_SHORT`], [`BODY_DOJI`], [`SHADOW_LONG`],
//!   [`SHADOW_VERY_LONG`], [`SHADOW_SHORT`], [`SHADOW_VERY_SHORT`], [`NEAR`], [`FAR`],
//!   [`EQUAL`] (range type, averaging period, factor: TA-Lib's defaults table).
//! - [`Candles`]: the four OHLC slices with the per-bar measures, all inlined:
//!   `real_body(i)`, `upper_shadow(i)`, `lower_shadow(i)`, `high_low(i)`, `color(i)`
//!   (`1` white, i.e. close >= open, `-1` black), `white(i)` and `black(i)` (the same
//!   as bools), `range(setting, i)` (the measure the setting's range type names),
//!   `average(setting, total, i)` (TA-Lib's candle average: `factor * (total / period,
//!   or the bar's own range when the period is 0) / (2 for shadows, else 1)`), and the
//!   gaps `real_body_gap_up(i2, i1)`,
//!   `real_body_gap_down(i2, i1)`, `gap_up(i2, i1)`, `gap_down(i2, i1)` (bar `i2`'s body
//!   or range above / below bar `i1`'s).
//! - [`PeriodTotal`]: one running sum of a setting's range over the `avg_period` bars
//!   before a bar. `PeriodTotal::new(c, setting, end)` adds `range(j)` for
//!   `j = end - period .. end`, oldest first, and sets `trailing = end - period`;
//!   `avg(c, i)` is `c.average(setting, total, i)`; `roll(c, newest)` does
//!   `total += range(newest) - range(trailing)` (the difference first, then the add, as
//!   TA-Lib does) and moves `trailing` on by one. A pattern that averages candle `k`
//!   bars back keeps `PeriodTotal::new(c, s, start - k)` and rolls it with `i - k`
//!   after each bar, which is TA-Lib's `Total[k]` arrays with a shared trailing index.
//!   The fields are public for patterns whose bookkeeping differs.
//! - [`max_avg_period`]: the longest averaging period of a list of settings (for
//!   lookbacks).
//! - [`output`]: the output vector (NaN inside the lookback) and whether any bar is
//!   past it.
//!
//! Rounding: the sums, differences and divisions happen in TA-Lib's order (no FMA), so
//! every comparison against an average decides as TA-Lib's does, bit for bit.

/// What a candle setting measures on a bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeType {
    /// `|close - open|`.
    RealBody,
    /// `high - low`.
    HighLow,
    /// Upper shadow plus lower shadow (averages of it are halved).
    Shadows,
}

/// One of TA-Lib's candle settings: what is measured, over how many previous bars it is
/// averaged (0: the bar's own measure), and the factor applied to the average.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CandleSetting {
    /// The measure.
    pub range: RangeType,
    /// Bars averaged (the ones before the candle compared).
    pub avg_period: usize,
    /// Factor on the average.
    pub factor: f64,
}

const fn setting(range: RangeType, avg_period: usize, factor: f64) -> CandleSetting {
    CandleSetting { range, avg_period, factor }
}

/// Long real body: longer than the average body of the 10 previous bars.
pub const BODY_LONG: CandleSetting = setting(RangeType::RealBody, 10, 1.0);
/// Very long real body: longer than 3 times the average body of the 10 previous bars.
pub const BODY_VERY_LONG: CandleSetting = setting(RangeType::RealBody, 10, 3.0);
/// Short real body: shorter than the average body of the 10 previous bars.
pub const BODY_SHORT: CandleSetting = setting(RangeType::RealBody, 10, 1.0);
/// Doji body: at most 10% of the average high-low range of the 10 previous bars.
pub const BODY_DOJI: CandleSetting = setting(RangeType::HighLow, 10, 0.1);
/// Long shadow: longer than the bar's own real body.
pub const SHADOW_LONG: CandleSetting = setting(RangeType::RealBody, 0, 1.0);
/// Very long shadow: longer than twice the bar's own real body.
pub const SHADOW_VERY_LONG: CandleSetting = setting(RangeType::RealBody, 0, 2.0);
/// Short shadow: shorter than half the average shadow sum of the 10 previous bars.
pub const SHADOW_SHORT: CandleSetting = setting(RangeType::Shadows, 10, 1.0);
/// Very short shadow: shorter than 10% of the average high-low range of the 10 previous bars.
pub const SHADOW_VERY_SHORT: CandleSetting = setting(RangeType::HighLow, 10, 0.1);
/// Near: within 20% of the average high-low range of the 5 previous bars.
pub const NEAR: CandleSetting = setting(RangeType::HighLow, 5, 0.2);
/// Far: at least 60% of the average high-low range of the 5 previous bars.
pub const FAR: CandleSetting = setting(RangeType::HighLow, 5, 0.6);
/// Equal: within 5% of the average high-low range of the 5 previous bars.
pub const EQUAL: CandleSetting = setting(RangeType::HighLow, 5, 0.05);

/// The OHLC columns of a bar series (equal lengths), with TA-Lib's candle measures.
#[derive(Debug, Clone, Copy)]
pub struct Candles<'a> {
    /// Opens.
    pub open: &'a [f64],
    /// Highs.
    pub high: &'a [f64],
    /// Lows.
    pub low: &'a [f64],
    /// Closes.
    pub close: &'a [f64],
}

impl<'a> Candles<'a> {
    /// The four columns, cut to the shortest.
    pub fn new(open: &'a [f64], high: &'a [f64], low: &'a [f64], close: &'a [f64]) -> Self {
        let n = open.len().min(high.len()).min(low.len()).min(close.len());
        Candles { open: &open[..n], high: &high[..n], low: &low[..n], close: &close[..n] }
    }

    /// Number of bars.
    #[inline]
    pub fn len(&self) -> usize {
        self.close.len()
    }

    /// True when there are no bars.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.close.is_empty()
    }

    /// `|close - open|`.
    #[inline(always)]
    pub fn real_body(&self, i: usize) -> f64 {
        (self.close[i] - self.open[i]).abs()
    }

    /// `high - max(open, close)`.
    #[inline(always)]
    pub fn upper_shadow(&self, i: usize) -> f64 {
        self.high[i] - if self.close[i] >= self.open[i] { self.close[i] } else { self.open[i] }
    }

    /// `min(open, close) - low`.
    #[inline(always)]
    pub fn lower_shadow(&self, i: usize) -> f64 {
        (if self.close[i] >= self.open[i] { self.open[i] } else { self.close[i] }) - self.low[i]
    }

    /// `high - low`.
    #[inline(always)]
    pub fn high_low(&self, i: usize) -> f64 {
        self.high[i] - self.low[i]
    }

    /// `1` for a white candle (close >= open), `-1` for a black one.
    #[inline(always)]
    pub fn color(&self, i: usize) -> i32 {
        if self.close[i] >= self.open[i] {
            1
        } else {
            -1
        }
    }

    /// White candle: close >= open (`color(i) == 1`).
    #[inline(always)]
    pub fn white(&self, i: usize) -> bool {
        self.close[i] >= self.open[i]
    }

    /// Black candle: not white (`color(i) == -1`).
    #[inline(always)]
    pub fn black(&self, i: usize) -> bool {
        !self.white(i)
    }

    /// The measure `s` names on bar `i`.
    #[inline(always)]
    pub fn range(&self, s: &CandleSetting, i: usize) -> f64 {
        match s.range {
            RangeType::RealBody => self.real_body(i),
            RangeType::HighLow => self.high_low(i),
            RangeType::Shadows => self.upper_shadow(i) + self.lower_shadow(i),
        }
    }

    /// TA-Lib's candle average for bar `i`: `factor * (total / period)` (the bar's own
    /// measure when the period is 0), halved for shadows.
    #[inline(always)]
    pub fn average(&self, s: &CandleSetting, total: f64, i: usize) -> f64 {
        let base = if s.avg_period != 0 { total / s.avg_period as f64 } else { self.range(s, i) };
        s.factor * base / if s.range == RangeType::Shadows { 2.0 } else { 1.0 }
    }

    /// Bar `i2`'s real body entirely above bar `i1`'s.
    #[inline]
    pub fn real_body_gap_up(&self, i2: usize, i1: usize) -> bool {
        self.open[i2].min(self.close[i2]) > self.open[i1].max(self.close[i1])
    }

    /// Bar `i2`'s real body entirely below bar `i1`'s.
    #[inline]
    pub fn real_body_gap_down(&self, i2: usize, i1: usize) -> bool {
        self.open[i2].max(self.close[i2]) < self.open[i1].min(self.close[i1])
    }

    /// Bar `i2`'s low above bar `i1`'s high.
    #[inline]
    pub fn gap_up(&self, i2: usize, i1: usize) -> bool {
        self.low[i2] > self.high[i1]
    }

    /// Bar `i2`'s high below bar `i1`'s low.
    #[inline]
    pub fn gap_down(&self, i2: usize, i1: usize) -> bool {
        self.high[i2] < self.low[i1]
    }
}

/// A running total of one setting's measure over `avg_period` consecutive bars, kept as
/// TA-Lib keeps its `...PeriodTotal` variables.
#[derive(Debug, Clone, Copy)]
pub struct PeriodTotal {
    /// The setting summed.
    pub setting: CandleSetting,
    /// The sum.
    pub total: f64,
    /// The oldest bar in the sum (removed by the next [`PeriodTotal::roll`]).
    pub trailing: usize,
}

impl PeriodTotal {
    /// The sum of `range(j)` over the `avg_period` bars before `end`, added oldest
    /// first. `end` must be at least `avg_period` (it is the pattern's lookback minus
    /// the candle's offset, so it is).
    #[inline]
    pub fn new(c: &Candles, setting: CandleSetting, end: usize) -> Self {
        let first = end.saturating_sub(setting.avg_period);
        let mut total = 0.0;
        for j in first..end {
            total += c.range(&setting, j);
        }
        PeriodTotal { setting, total, trailing: first }
    }

    /// The candle average for bar `i` against this total.
    #[inline(always)]
    pub fn avg(&self, c: &Candles, i: usize) -> f64 {
        c.average(&self.setting, self.total, i)
    }

    /// Adds bar `newest` and drops the trailing bar: `total += range(newest) -
    /// range(trailing)`, then `trailing += 1`.
    #[inline(always)]
    pub fn roll(&mut self, c: &Candles, newest: usize) {
        self.total += c.range(&self.setting, newest) - c.range(&self.setting, self.trailing);
        self.trailing += 1;
    }
}

/// The longest averaging period among `settings` (lookbacks are this plus the
/// pattern's candle count less one).
pub const fn max_avg_period(settings: &[CandleSetting]) -> usize {
    let mut m = 0;
    let mut k = 0;
    while k < settings.len() {
        if settings[k].avg_period > m {
            m = settings[k].avg_period;
        }
        k += 1;
    }
    m
}

/// The output of a pattern over `n` bars: NaN everywhere (values past the lookback are
/// written by the pattern), and whether there is any bar past the lookback.
#[inline]
pub fn output(n: usize, lookback: usize) -> (Vec<f64>, bool) {
    (vec![f64::NAN; n], n > lookback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_and_average() {
        let (o, h, l, c) = ([10.0, 12.0], [13.0, 12.5], [9.0, 10.0], [12.0, 11.0]);
        let k = Candles::new(&o, &h, &l, &c);
        assert_eq!(k.real_body(0), 2.0);
        assert_eq!(k.upper_shadow(0), 1.0);
        assert_eq!(k.lower_shadow(0), 1.0);
        assert_eq!(k.color(0), 1);
        assert_eq!(k.color(1), -1);
        assert_eq!(k.range(&SHADOW_SHORT, 1), 0.5 + 1.0);
        // Period 0: the bar's own body.
        assert_eq!(k.average(&SHADOW_VERY_LONG, 123.0, 0), 4.0);
        // Shadows are halved.
        assert_eq!(k.average(&SHADOW_SHORT, 10.0, 0), 0.5);
        let mut t = PeriodTotal::new(&k, setting(RangeType::HighLow, 1, 1.0), 1);
        assert_eq!(t.total, 4.0);
        t.roll(&k, 1);
        assert_eq!((t.total, t.trailing), (2.5, 1));
    }
}
