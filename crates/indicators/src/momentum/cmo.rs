//! CMO — Chande momentum oscillator with TA-Lib's Wilder smoothing (as RSI):
//! 100·(gain − loss)/(gain + loss), 0 unless the sum is `> 0` (TA-Lib 0.8's exact
//! test; a NaN sum gives 0).

use crate::math::nan_vec;

/// Bars before the first value.
pub fn cmo_lookback(period: usize) -> usize {
    period
}

/// CMO over `real`.
pub fn cmo(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    if period == 0 || n <= period {
        return nan_vec(n);
    }
    let p = period as f64;
    let w = (period - 1) as f64;
    let value = |gain: f64, loss: f64| {
        let total = gain + loss;
        if total > 0.0 {
            100.0 * ((gain - loss) / total)
        } else {
            0.0
        }
    };
    let mut gain = 0.0;
    let mut loss = 0.0;
    let mut prev = real[0];
    for &x in &real[1..=period] {
        let change = x - prev;
        prev = x;
        // TA-Lib adds a change to the gain unless it is < 0 (so a NaN goes to the gain
        // and +inf leaves the loss finite), else subtracts it from the loss.
        let (up, down) = if change < 0.0 { (0.0, change) } else { (change, 0.0) };
        gain += up;
        loss -= down;
    }
    loss /= p;
    gain /= p;
    // Each slot written once: the NaN lookback, then `extend` over a slice (its length is
    // known up front, so no capacity check per bar).
    let mut out = Vec::with_capacity(n);
    out.resize(period, f64::NAN);
    out.push(value(gain, loss));
    out.extend(real[period + 1..].iter().map(|&x| {
        let change = x - prev;
        prev = x;
        let (up, down) = if change < 0.0 { (0.0, change) } else { (change, 0.0) };
        loss = loss * w - down;
        gain = gain * w + up;
        loss /= p;
        gain /= p;
        value(gain, loss)
    }));
    out
}
