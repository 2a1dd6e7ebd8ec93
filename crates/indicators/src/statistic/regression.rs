//! LINEARREG, LINEARREG_SLOPE, LINEARREG_INTERCEPT, LINEARREG_ANGLE and TSF: the least
//! squares line over the last `period` bars, TA-Lib-exact (TA-Lib 0.8.1).
//!
//! The x axis runs backwards inside the window (the newest bar is x = 0, the oldest
//! x = period − 1), and TA-Lib 0.8 keeps the two data sums running: each bar
//! Σxy += Σy − period·leaving and Σy += entering − leaving. A third running sum, Σ|y|,
//! guards them: when period·|leaving| exceeds 100·Σ|y| (the departing value dominates,
//! so the running sums would keep its rounding), and every 32·period bars anyway, the
//! three sums are rebuilt from the window. The line is then
//! m = (period·Σxy − Σx·Σy) / (Σx² − period·Σx²ᵢ) and b = (Σy − m·Σx) / period, with the
//! period-only constants computed as TA-Lib computes them. LINEARREG and TSF evaluate
//! b + m·(period − 1) and b + m·period with one fused multiply-add, as TA-Lib's build does.

/// Bars before the first value (all five functions).
pub fn linearreg_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// The period-only constants: (Σx, divisor), x = 0..period − 1.
#[inline(always)]
fn constants(p: f64) -> (f64, f64) {
    let pp = (p - 1.0) * p;
    let sum_x = pp * 0.5;
    let sum_x_sqr = (2.0 * p - 1.0) * pp / 6.0;
    (sum_x, sum_x * sum_x - p * sum_x_sqr)
}

/// Σy, Σxy and Σ|y| of one window, oldest value first (weight period − 1 down to 0).
#[inline(always)]
fn window_sums(window: &[f64]) -> (f64, f64, f64) {
    let (mut sum_y, mut sum_xy, mut sum_abs) = (0.0, 0.0, 0.0);
    let mut weight = (window.len() - 1) as f64;
    for &y in window {
        sum_y += y;
        sum_abs += y.abs();
        sum_xy += weight * y;
        weight -= 1.0;
    }
    (sum_y, sum_xy, sum_abs)
}

/// Runs the window sums over `real` and calls `finish(m, Σy)` for every full window.
#[inline(always)]
fn regression(real: &[f64], period: usize, finish: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    let n = real.len();
    if period < 2 || n < period {
        return vec![f64::NAN; n];
    }
    let p = period as f64;
    let (sum_x, divisor) = constants(p);
    let slope = |sum_xy: f64, sum_y: f64| (p * sum_xy - sum_x * sum_y) / divisor;
    let mut out = Vec::with_capacity(n);
    out.resize(period - 1, f64::NAN);
    let (mut sum_y, mut sum_xy, mut sum_abs) = window_sums(&real[..period]);
    out.push(finish(slope(sum_xy, sum_y), sum_y));
    let rebuild_every = 32 * period;
    let mut countdown = rebuild_every;
    for today in period..n {
        let leaving = real[today - period];
        let entering = real[today];
        countdown -= 1;
        let mut rebuild = countdown == 0;
        if !rebuild {
            let weighted = p * leaving;
            sum_abs = entering.abs() + (sum_abs - leaving.abs());
            if weighted.abs() > sum_abs * 100.0 {
                rebuild = true;
            } else {
                sum_xy = (sum_xy + sum_y) - weighted;
                sum_y = (sum_y - leaving) + entering;
            }
        }
        if rebuild {
            (sum_y, sum_xy, sum_abs) = window_sums(&real[today + 1 - period..=today]);
            countdown = rebuild_every;
        }
        out.push(finish(slope(sum_xy, sum_y), sum_y));
    }
    out
}

/// The intercept b from the slope and Σy.
#[inline(always)]
fn intercept(p: f64, m: f64, sum_y: f64) -> f64 {
    let (sum_x, _) = constants(p);
    (sum_y - m * sum_x) / p
}

/// LINEARREG: the fitted line's value at the newest bar.
pub fn linearreg(real: &[f64], period: usize) -> Vec<f64> {
    let p = period as f64;
    regression(real, period, |m, sum_y| m.mul_add(p - 1.0, intercept(p, m, sum_y)))
}

/// TSF: the fitted line one bar ahead.
pub fn tsf(real: &[f64], period: usize) -> Vec<f64> {
    let p = period as f64;
    regression(real, period, |m, sum_y| m.mul_add(p, intercept(p, m, sum_y)))
}

/// LINEARREG_SLOPE: m, per bar (in TA-Lib's sign convention, the newest bar is x = 0).
pub fn linearreg_slope(real: &[f64], period: usize) -> Vec<f64> {
    regression(real, period, |m, _| m)
}

/// LINEARREG_INTERCEPT: b, the line's value at the oldest bar of the window.
pub fn linearreg_intercept(real: &[f64], period: usize) -> Vec<f64> {
    let p = period as f64;
    regression(real, period, |m, sum_y| intercept(p, m, sum_y))
}

/// LINEARREG_ANGLE: atan(m) in degrees.
pub fn linearreg_angle(real: &[f64], period: usize) -> Vec<f64> {
    regression(real, period, |m, _| m.atan() * (180.0 / std::f64::consts::PI))
}
