//! Numeric helpers that reproduce TA-Lib's C macros, so that every kernel takes the
//! same branches as TA-Lib on the same inputs.

/// `TA_EPSILON` of TA-Lib 0.6+ (older releases used 1e-8).
pub(crate) const TA_EPSILON: f64 = 1e-14;

/// `TA_IS_ZERO(v)`: inside the open band (-eps, eps).
#[inline(always)]
pub(crate) fn is_zero(v: f64) -> bool {
    -TA_EPSILON < v && v < TA_EPSILON
}

/// `TA_IS_ZERO_SCALED(v, scale)`: zero within eps of the operands' magnitude.
#[inline(always)]
pub(crate) fn is_zero_scaled(v: f64, scale: f64) -> bool {
    v.abs() <= TA_EPSILON * scale
}

/// `PER_TO_K(period)`: the EMA smoothing factor 2 / (period + 1).
#[inline]
pub(crate) fn per_to_k(period: usize) -> f64 {
    2.0 / ((period + 1) as f64)
}

/// An output series of `n` values, all NaN until a kernel fills its valid part.
#[inline]
pub(crate) fn nan_vec(n: usize) -> Vec<f64> {
    vec![f64::NAN; n]
}

/// An output series: `lookback` NaNs, then `values`. Writing each slot once (rather
/// than NaN-filling the whole vector first and overwriting it) is a measurable share
/// of the cheap kernels' time at a million bars.
#[inline]
pub(crate) fn with_lookback(n: usize, lookback: usize, values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut out = Vec::with_capacity(n);
    out.resize(lookback.min(n), f64::NAN);
    out.extend(values);
    debug_assert_eq!(out.len(), n, "a kernel produced the wrong number of values");
    out
}

/// Highest value over a sliding window, tracked the way TA-Lib tracks it: keep the
/// index of the current extreme and rescan the window only when that index slides
/// out. Ties go to the latest bar (AROON depends on it). Amortised O(1) on market data.
pub(crate) struct WindowHighest {
    idx: usize,
    val: f64,
    primed: bool,
}

impl WindowHighest {
    pub(crate) fn new() -> Self {
        Self { idx: 0, val: 0.0, primed: false }
    }

    /// The highest of `data[trailing..=today]`, and its (latest) index.
    #[inline(always)]
    pub(crate) fn update(&mut self, data: &[f64], trailing: usize, today: usize) -> (f64, usize) {
        let v = data[today];
        if !self.primed || self.idx < trailing {
            self.primed = true;
            let mut idx = trailing;
            let mut best = data[trailing];
            for i in trailing + 1..=today {
                let x = data[i];
                if x >= best {
                    best = x;
                    idx = i;
                }
            }
            self.idx = idx;
            self.val = best;
        } else if v >= self.val {
            self.idx = today;
            self.val = v;
        }
        (self.val, self.idx)
    }
}

/// Lowest value over a sliding window; the mirror of [`WindowHighest`].
pub(crate) struct WindowLowest {
    idx: usize,
    val: f64,
    primed: bool,
}

impl WindowLowest {
    pub(crate) fn new() -> Self {
        Self { idx: 0, val: 0.0, primed: false }
    }

    /// The lowest of `data[trailing..=today]`, and its (latest) index.
    #[inline(always)]
    pub(crate) fn update(&mut self, data: &[f64], trailing: usize, today: usize) -> (f64, usize) {
        let v = data[today];
        if !self.primed || self.idx < trailing {
            self.primed = true;
            let mut idx = trailing;
            let mut best = data[trailing];
            for i in trailing + 1..=today {
                let x = data[i];
                if x <= best {
                    best = x;
                    idx = i;
                }
            }
            self.idx = idx;
            self.val = best;
        } else if v <= self.val {
            self.idx = today;
            self.val = v;
        }
        (self.val, self.idx)
    }
}

/// Sliding-window highest of `high` and lowest of `low` over windows of `w` bars, by the
/// van Herk/Gil-Werman method done block by block: for each block of `w` bars, running
/// extremes from the left, combined with the previous block's running extremes from the
/// right (`w` values, kept in cache). Branch-free, one pass over the input, whatever the
/// data. Calls `emit(i, highest, lowest)` for every `i >= w − 1`, in order. The extremes
/// are exact values, so kernels built on them keep TA-Lib's numbers.
#[inline]
pub(crate) fn sliding_high_low(high: &[f64], low: &[f64], w: usize, mut emit: impl FnMut(usize, f64, f64)) {
    #[inline(always)]
    fn max(a: f64, b: f64) -> f64 {
        if a >= b {
            a
        } else {
            b
        }
    }
    #[inline(always)]
    fn min(a: f64, b: f64) -> f64 {
        if a <= b {
            a
        } else {
            b
        }
    }
    let n = high.len().min(low.len());
    if w == 0 || n < w {
        return;
    }
    let mut suffix_hi = vec![0.0; w];
    let mut suffix_lo = vec![0.0; w];
    let mut start = 0;
    while start < n {
        let end = (start + w).min(n);
        let (hb, lb) = (&high[start..end], &low[start..end]);
        let (mut hi, mut lo) = (hb[0], lb[0]);
        for j in 0..hb.len() {
            hi = max(hi, hb[j]);
            lo = min(lo, lb[j]);
            let i = start + j;
            if j + 1 == w {
                emit(i, hi, lo);
            } else if i + 1 >= w {
                emit(i, max(suffix_hi[j + 1], hi), min(suffix_lo[j + 1], lo));
            }
        }
        if end - start == w {
            let (mut hi, mut lo) = (hb[w - 1], lb[w - 1]);
            for j in (0..w).rev() {
                hi = max(hi, hb[j]);
                lo = min(lo, lb[j]);
                suffix_hi[j] = hi;
                suffix_lo[j] = lo;
            }
        }
        start = end;
    }
}

/// A fixed-size ring of the last `cap` values, for the streaming states.
#[derive(Debug, Clone)]
pub(crate) struct Ring {
    buf: Vec<f64>,
    pos: usize,
    len: usize,
}

impl Ring {
    pub(crate) fn new(cap: usize) -> Self {
        Self { buf: vec![0.0; cap.max(1)], pos: 0, len: 0 }
    }

    /// Appends `x`, dropping the oldest value once full.
    #[inline]
    pub(crate) fn push(&mut self, x: f64) {
        self.buf[self.pos] = x;
        self.pos += 1;
        if self.pos == self.buf.len() {
            self.pos = 0;
        }
        if self.len < self.buf.len() {
            self.len += 1;
        }
    }

    /// True once `cap` values have been pushed.
    #[inline]
    pub(crate) fn is_full(&self) -> bool {
        self.len == self.buf.len()
    }

    /// The oldest value held (the next one to be dropped) once full.
    #[inline]
    pub(crate) fn oldest(&self) -> f64 {
        self.buf[self.pos]
    }

    /// Values held, in no particular order (for max/min).
    #[inline]
    pub(crate) fn values(&self) -> &[f64] {
        &self.buf[..self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliding_high_low_equals_a_naive_scan() {
        let mut x = 0.5_f64;
        let data: Vec<f64> = (0..97)
            .map(|i| {
                x = 3.7 * x * (1.0 - x);
                if i % 11 == 0 {
                    1.0 // ties
                } else {
                    x
                }
            })
            .collect();
        let low: Vec<f64> = data.iter().map(|v| v - 0.25).collect();
        for w in 1usize..=40 {
            for n in [0, 1, w.saturating_sub(1), w, w + 1, 2 * w + 3, data.len()] {
                let n = n.min(data.len());
                let mut seen = Vec::new();
                sliding_high_low(&data[..n], &low[..n], w, |i, h, l| seen.push((i, h, l)));
                let expected: Vec<_> = (w.saturating_sub(1)..n)
                    .filter(|_| w > 0)
                    .map(|i| {
                        let win = i + 1 - w..=i;
                        let h = data[win.clone()].iter().copied().fold(f64::MIN, f64::max);
                        let l = low[win].iter().copied().fold(f64::MAX, f64::min);
                        (i, h, l)
                    })
                    .collect();
                assert_eq!(seen, expected, "w={w} n={n}");
            }
        }
    }
}
