//! MACD — fast EMA − slow EMA, its signal EMA and the histogram, TA-Lib-exact.
//!
//! TA-Lib aligns the seed windows: the fast EMA is seeded with the SMA of the `fast`
//! bars that end where the slow EMA's seed ends (bar slow−1), not at bar 0. Periods are
//! swapped when slow < fast. Outputs start at (slow−1) + (signal−1).

use crate::math::{nan_vec, per_to_k};
use crate::overlap::ema::Ema;

/// Bars before the first value.
pub fn macd_lookback(fast: usize, slow: usize, signal: usize) -> usize {
    let slow = slow.max(fast);
    slow.saturating_sub(1) + signal.saturating_sub(1)
}

/// `[macd, macdsignal, macdhist]`.
pub fn macd(real: &[f64], fast: usize, slow: usize, signal: usize) -> [Vec<f64>; 3] {
    let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
    let n = real.len();
    let lb = macd_lookback(fast, slow, signal);
    let (mut line, mut sig, mut hist) = (nan_vec(n), nan_vec(n), nan_vec(n));
    if fast == 0 || signal == 0 || n <= lb {
        return [line, sig, hist];
    }
    // Seeds exactly as the streaming state (and TA-Lib) computes them, then one
    // branch-free pass in which the three EMA chains overlap in the CPU.
    let (kf, ks, kg) = (per_to_k(fast), per_to_k(slow), per_to_k(signal));
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
