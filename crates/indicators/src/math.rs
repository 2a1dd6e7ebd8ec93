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
        Self {
            idx: 0,
            val: 0.0,
            primed: false,
        }
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
        Self {
            idx: 0,
            val: 0.0,
            primed: false,
        }
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

/// A fixed-size ring of the last `cap` values, for the streaming states.
#[derive(Debug, Clone)]
pub(crate) struct Ring {
    buf: Vec<f64>,
    pos: usize,
    len: usize,
}

impl Ring {
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            buf: vec![0.0; cap.max(1)],
            pos: 0,
            len: 0,
        }
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
