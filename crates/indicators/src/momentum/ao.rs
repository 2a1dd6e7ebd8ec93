//! AO and AC — Bill Williams' Awesome and Accelerator/Decelerator oscillators,
//! TA-Lib-exact.
//!
//! AO = SMA(median, fast) − SMA(median, slow), median = (high + low) / 2, both sums
//! started on the window that ends at the first output bar (periods are not swapped:
//! an inverted pair gives −AO). AC = AO − SMA(AO, signal), the signal sum started at
//! AO's first value. Every sum follows TA-Lib's add, use, subtract order.

use crate::math::{nan_vec, with_lookback};

/// Bars before the first AO value.
pub fn ao_lookback(fast: usize, slow: usize) -> usize {
    fast.max(slow).saturating_sub(1)
}

/// AO over high/low.
pub fn ao(high: &[f64], low: &[f64], fast: usize, slow: usize) -> Vec<f64> {
    let n = high.len().min(low.len());
    let lb = ao_lookback(fast, slow);
    if fast == 0 || slow == 0 || n <= lb {
        return nan_vec(n);
    }
    with_lookback(n, lb, AoLine::new(high, low, fast, slow))
}

#[inline(always)]
fn median(high: f64, low: f64) -> f64 {
    (high + low) / 2.0
}

/// The AO values from bar `ao_lookback(fast, slow)` on, in order; `fast`, `slow` >= 1
/// and the input longer than the lookback.
struct AoLine<'a> {
    high: &'a [f64],
    low: &'a [f64],
    today: usize,
    fast: usize,
    slow: usize,
    sum_fast: f64,
    sum_slow: f64,
}

impl<'a> AoLine<'a> {
    fn new(high: &'a [f64], low: &'a [f64], fast: usize, slow: usize) -> Self {
        let lb = ao_lookback(fast, slow);
        let (first_fast, first_slow) = (lb + 1 - fast, lb + 1 - slow);
        let (mut sum_fast, mut sum_slow) = (0.0, 0.0);
        for i in 0..lb {
            let m = median(high[i], low[i]);
            if i >= first_fast {
                sum_fast += m;
            }
            if i >= first_slow {
                sum_slow += m;
            }
        }
        let n = high.len().min(low.len());
        Self { high: &high[..n], low: &low[..n], today: lb, fast, slow, sum_fast, sum_slow }
    }
}

impl Iterator for AoLine<'_> {
    type Item = f64;

    #[inline(always)]
    fn next(&mut self) -> Option<f64> {
        let i = self.today;
        let m = median(*self.high.get(i)?, *self.low.get(i)?);
        self.today += 1;
        self.sum_fast += m;
        self.sum_slow += m;
        let v = self.sum_fast / self.fast as f64 - self.sum_slow / self.slow as f64;
        let (tf, ts) = (i + 1 - self.fast, i + 1 - self.slow);
        self.sum_fast -= median(self.high[tf], self.low[tf]);
        self.sum_slow -= median(self.high[ts], self.low[ts]);
        Some(v)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.high.len() - self.today;
        (left, Some(left))
    }
}

/// Bars before the first AC value.
pub fn ac_lookback(fast: usize, slow: usize, signal: usize) -> usize {
    ao_lookback(fast, slow) + signal.saturating_sub(1)
}

/// AC over high/low.
pub fn ac(high: &[f64], low: &[f64], fast: usize, slow: usize, signal: usize) -> Vec<f64> {
    let n = high.len().min(low.len());
    let lb = ac_lookback(fast, slow, signal);
    if fast == 0 || slow == 0 || signal == 0 || n <= lb {
        return nan_vec(n);
    }
    let mut osc = AoLine::new(high, low, fast, slow);
    // The last `signal` AO values; `pos` is the slot of the oldest once full.
    let mut ring = vec![0.0; signal];
    let mut sum = 0.0;
    for slot in ring.iter_mut().take(signal - 1) {
        let x = osc.next().unwrap_or(f64::NAN);
        *slot = x;
        sum += x;
    }
    let mut pos = signal - 1;
    let pg = signal as f64;
    with_lookback(
        n,
        lb,
        osc.map(move |x| {
            ring[pos] = x;
            sum += x;
            let v = x - sum / pg;
            pos = if pos + 1 == signal { 0 } else { pos + 1 };
            sum -= ring[pos];
            v
        }),
    )
}
