//! FOSC — forecast oscillator (TA-Lib 0.8): `100·(x[t] − TSF[t−1]) / x[t]`, the
//! time-series forecast from the least-squares line over the `p` bars ending at `t − 1`,
//! its sums carried incrementally and rebuilt every 32·p bars (or when the trailing term
//! dwarfs the window). The forecast `b + m·p` is one fused multiply-add, as in TA-Lib;
//! nothing else is fused.

use crate::math::nan_vec;

/// Bars before the first FOSC value.
pub fn fosc_lookback(period: usize) -> usize {
    period
}

/// FOSC over `real`; NaN inside the lookback; 0 where the close is 0.
pub fn fosc(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if period < 2 || n <= period {
        return out;
    }
    let pf = period as f64;
    let sum_x = pf * (period - 1) as f64 * 0.5;
    let sum_x_sqr = pf * (period - 1) as f64 * (2 * period - 1) as f64 / 6.0;
    let divisor = sum_x * sum_x - pf * sum_x_sqr;
    let (mut sum_xy, mut sum_y, mut sum_abs) = (0.0f64, 0.0f64, 0.0f64);
    let rebuild = |end: usize, sum_xy: &mut f64, sum_y: &mut f64, sum_abs: &mut f64| {
        *sum_xy = 0.0;
        *sum_y = 0.0;
        *sum_abs = 0.0;
        let mut w = (period - 1) as f64;
        for &v in &real[end - period..end] {
            *sum_y += v;
            *sum_xy += w * v;
            *sum_abs += v.abs();
            w -= 1.0;
        }
    };
    rebuild(period, &mut sum_xy, &mut sum_y, &mut sum_abs);
    let value = |sum_xy: f64, sum_y: f64, close: f64| {
        let m = (pf * sum_xy - sum_x * sum_y) / divisor;
        let b = (sum_y - m * sum_x) / pf;
        if close != 0.0 {
            100.0 * (close - m.mul_add(pf, b)) / close
        } else {
            0.0
        }
    };
    let reseed_every = 32 * period;
    let mut countdown = reseed_every;
    let mut trailing_value = real[0];
    out[period] = value(sum_xy, sum_y, real[period]);
    for today in period + 1..n {
        let weighted_trailing = pf * trailing_value;
        let newest = real[today - 1];
        sum_xy = sum_xy + sum_y - weighted_trailing;
        sum_y = sum_y - trailing_value + newest;
        sum_abs = sum_abs - trailing_value.abs() + newest.abs();
        countdown -= 1;
        if countdown == 0 || weighted_trailing.abs() > 100.0 * sum_abs {
            countdown = reseed_every;
            rebuild(today, &mut sum_xy, &mut sum_y, &mut sum_abs);
        }
        trailing_value = real[today - period];
        out[today] = value(sum_xy, sum_y, real[today]);
    }
    out
}
