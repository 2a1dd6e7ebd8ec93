//! MACD, MACDFIX and MACDEXT — fast MA − slow MA, its signal MA and the histogram,
//! TA-Lib-exact.
//!
//! MACD: TA-Lib aligns the seed windows: the fast EMA is seeded with the SMA of the `fast`
//! bars that end where the slow EMA's seed ends (bar slow−1), not at bar 0. Periods are
//! swapped when slow < fast. Outputs start at (slow−1) + (signal−1). MACDFIX is MACD
//! 12/26 with TA-Lib's fixed factors 0.15 and 0.075 instead of 2/13 and 2/27.
//!
//! MACDEXT takes a moving-average type per line. Both lines start at the larger of the
//! two lookbacks (each MA sees only the input from its own lookback before that bar, as
//! TA-Lib's `TA_MA` called with that start index does); the signal MA runs over the
//! MACD line from there. Periods (with their types) are swapped when slow < fast.

use super::stoch::StreamMa;
use crate::math::{nan_vec, per_to_k, with_lookback};
use crate::overlap::ema::Ema;
use crate::overlap::ma::{ma, ma_lookback, MaType};

/// TA-Lib's fixed smoothing factor of MACDFIX's 12-bar EMA.
const FIX_K_FAST: f64 = 0.15;
/// TA-Lib's fixed smoothing factor of MACDFIX's 26-bar EMA.
const FIX_K_SLOW: f64 = 0.075;

/// Bars before the first value.
pub fn macd_lookback(fast: usize, slow: usize, signal: usize) -> usize {
    let slow = slow.max(fast);
    slow.saturating_sub(1) + signal.saturating_sub(1)
}

/// `[macd, macdsignal, macdhist]`.
pub fn macd(real: &[f64], fast: usize, slow: usize, signal: usize) -> [Vec<f64>; 3] {
    let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
    macd_with_k(real, fast, slow, signal, per_to_k(fast), per_to_k(slow))
}

/// Bars before the first MACDFIX value.
pub fn macdfix_lookback(signal: usize) -> usize {
    macd_lookback(12, 26, signal)
}

/// `[macd, macdsignal, macdhist]` of MACD 12/26 with TA-Lib's fixed factors.
pub fn macdfix(real: &[f64], signal: usize) -> [Vec<f64>; 3] {
    macd_with_k(real, 12, 26, signal, FIX_K_FAST, FIX_K_SLOW)
}

/// MACD with explicit EMA factors; `fast <= slow`.
fn macd_with_k(real: &[f64], fast: usize, slow: usize, signal: usize, kf: f64, ks: f64) -> [Vec<f64>; 3] {
    let n = real.len();
    let lb = macd_lookback(fast, slow, signal);
    let (mut line, mut sig, mut hist) = (nan_vec(n), nan_vec(n), nan_vec(n));
    if fast == 0 || signal == 0 || n <= lb {
        return [line, sig, hist];
    }
    // Seeds exactly as the streaming state (and TA-Lib) computes them, then one
    // branch-free pass in which the three EMA chains overlap in the CPU.
    let kg = per_to_k(signal);
    let seed = |xs: &[f64]| xs.iter().fold(0.0, |acc, &x| acc + x) / xs.len() as f64;
    let mut slow_ema = seed(&real[..slow]);
    let mut fast_ema = seed(&real[slow - fast..slow]);
    let mut dif = fast_ema - slow_ema;
    let mut sig_sum = dif;
    for &x in &real[slow..=lb] {
        slow_ema = (x - slow_ema).mul_add(ks, slow_ema);
        fast_ema = (x - fast_ema).mul_add(kf, fast_ema);
        dif = fast_ema - slow_ema;
        sig_sum += dif;
    }
    let mut signal_ema = sig_sum / signal as f64;
    line[lb] = dif;
    sig[lb] = signal_ema;
    hist[lb] = dif - signal_ema;
    let outputs = line[lb + 1..].iter_mut().zip(&mut sig[lb + 1..]).zip(&mut hist[lb + 1..]);
    for (&x, ((l, s), h)) in real[lb + 1..].iter().zip(outputs) {
        slow_ema = (x - slow_ema).mul_add(ks, slow_ema);
        fast_ema = (x - fast_ema).mul_add(kf, fast_ema);
        let d = fast_ema - slow_ema;
        signal_ema = (d - signal_ema).mul_add(kg, signal_ema);
        *l = d;
        *s = signal_ema;
        *h = d - signal_ema;
    }
    [line, sig, hist]
}

/// Streaming MACD: one close in, O(1); the same numbers as [`macd`].
#[derive(Debug, Clone)]
pub struct Macd {
    fast: Ema,
    slow: Ema,
    signal: Ema,
    fast_skip: usize,
    seen: usize,
}

impl Macd {
    /// A fresh state (periods swapped if slow < fast, as TA-Lib does).
    pub fn new(fast: usize, slow: usize, signal: usize) -> Self {
        let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
        Self { fast: Ema::new(fast), slow: Ema::new(slow), signal: Ema::new(signal), fast_skip: slow - fast, seen: 0 }
    }

    /// A fresh MACDFIX state (12/26 with TA-Lib's fixed factors).
    pub fn fix(signal: usize) -> Self {
        Self {
            fast: Ema::with_k(12, FIX_K_FAST),
            slow: Ema::with_k(26, FIX_K_SLOW),
            signal: Ema::new(signal),
            fast_skip: 26 - 12,
            seen: 0,
        }
    }

    /// Takes the next close; returns `(macd, signal, hist)` once all three are seeded.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<(f64, f64, f64)> {
        self.seen += 1;
        let slow = self.slow.next(x);
        if self.seen <= self.fast_skip {
            return None;
        }
        let fast = self.fast.next(x);
        let dif = fast? - slow?;
        let s = self.signal.next(dif)?;
        Some((dif, s, dif - s))
    }
}

/// Bars before the first MACDEXT value.
pub fn macdext_lookback(
    fast: usize,
    fast_ma: MaType,
    slow: usize,
    slow_ma: MaType,
    signal: usize,
    signal_ma: MaType,
) -> usize {
    ma_lookback(fast, fast_ma).max(ma_lookback(slow, slow_ma)) + ma_lookback(signal, signal_ma)
}

/// `[macd, macdsignal, macdhist]` with a moving-average type per line.
pub fn macdext(
    real: &[f64],
    fast: usize,
    fast_ma: MaType,
    slow: usize,
    slow_ma: MaType,
    signal: usize,
    signal_ma: MaType,
) -> [Vec<f64>; 3] {
    let ((fast, fast_ma), (slow, slow_ma)) =
        if slow < fast { ((slow, slow_ma), (fast, fast_ma)) } else { ((fast, fast_ma), (slow, slow_ma)) };
    let n = real.len();
    let (lb_fast, lb_slow) = (ma_lookback(fast, fast_ma), ma_lookback(slow, slow_ma));
    let start = lb_fast.max(lb_slow);
    let first = start + ma_lookback(signal, signal_ma);
    if fast == 0 || slow == 0 || signal == 0 || n <= first {
        return [nan_vec(n), nan_vec(n), nan_vec(n)];
    }
    // Each MA over the input from its own lookback before `start`, so that both have
    // their first value at bar `start`. The one whose lookback is `start` runs over the
    // whole input: it becomes the MACD line, in place.
    let (mut line, other, other_lb, line_is_slow) = if lb_slow >= lb_fast {
        (ma(real, slow, slow_ma), ma(&real[start - lb_fast..], fast, fast_ma), lb_fast, true)
    } else {
        (ma(real, fast, fast_ma), ma(&real[start - lb_slow..], slow, slow_ma), lb_slow, false)
    };
    for (l, &o) in line[start..].iter_mut().zip(&other[other_lb..]) {
        *l = if line_is_slow { o - *l } else { *l - o };
    }
    drop(other);
    let signal_line = ma(&line[start..], signal, signal_ma);
    let signal_values = &signal_line[first - start..];
    let sig = with_lookback(n, first, signal_values.iter().copied());
    let hist = with_lookback(n, first, line[first..].iter().zip(signal_values).map(|(&d, &s)| d - s));
    line[..first].fill(f64::NAN);
    [line, sig, hist]
}

/// Streaming MACDEXT (SMA or EMA lines): one close in, O(1); the same numbers as
/// [`macdext`].
#[derive(Debug, Clone)]
pub struct MacdExt {
    fast: StreamMa,
    slow: StreamMa,
    signal: StreamMa,
    fast_skip: usize,
    slow_skip: usize,
    seen: usize,
}

impl MacdExt {
    /// A fresh state; `None` when a type other than SMA or EMA is asked for (a signal
    /// period of 1 takes any type: it is the MACD line itself).
    pub fn new(
        fast: usize,
        fast_ma: MaType,
        slow: usize,
        slow_ma: MaType,
        signal: usize,
        signal_ma: MaType,
    ) -> Option<Self> {
        let ((fast, fast_ma), (slow, slow_ma)) =
            if slow < fast { ((slow, slow_ma), (fast, fast_ma)) } else { ((fast, fast_ma), (slow, slow_ma)) };
        let (lb_fast, lb_slow) = (ma_lookback(fast, fast_ma), ma_lookback(slow, slow_ma));
        let start = lb_fast.max(lb_slow);
        Some(Self {
            fast: StreamMa::new(fast, fast_ma)?,
            slow: StreamMa::new(slow, slow_ma)?,
            signal: StreamMa::new(signal, signal_ma)?,
            fast_skip: start - lb_fast,
            slow_skip: start - lb_slow,
            seen: 0,
        })
    }

    /// Takes the next close; returns `(macd, signal, hist)` once all three are seeded.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<(f64, f64, f64)> {
        let seen = self.seen;
        self.seen += 1;
        let slow = if seen >= self.slow_skip { self.slow.next(x) } else { None };
        let fast = if seen >= self.fast_skip { self.fast.next(x) } else { None };
        let dif = fast? - slow?;
        let s = self.signal.next(dif)?;
        Some((dif, s, dif - s))
    }
}
