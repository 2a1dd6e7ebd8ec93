//! CORREL — Pearson's correlation coefficient of two series over a sliding window,
//! TA-Lib-exact (TA-Lib 0.8.1).
//!
//! TA-Lib 0.8 keeps the five running sums (Σx, Σx², Σy, Σy², Σxy) of the values
//! measured against a shift (first the window's first values, later the window means),
//! so the extracted sums of squares ssX = Σx² − (Σx)²/p do not cancel. It rebuilds the
//! sums around the window means when ssX or ssY falls below 1e-6 of its sum of
//! squares, when the square of a value that just left exceeds 1e6 times what remains,
//! or every 32·period bars. r = spXY / √(ssX·ssY), 0 where either sum of squares is
//! within 1e-14 of its scale (or the product is not positive), clamped to [−1, 1].

/// Bars before the first value.
pub fn correl_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

#[derive(Clone, Copy, Default)]
struct Sums {
    x: f64,
    x2: f64,
    y: f64,
    y2: f64,
    xy: f64,
}

impl Sums {
    #[inline(always)]
    fn add(&mut self, x: f64, y: f64) {
        self.x += x;
        self.x2 += x * x;
        self.xy += x * y;
        self.y += y;
        self.y2 += y * y;
    }
}

/// CORREL of `x` and `y` (same length); NaN inside the lookback.
pub fn correl(x: &[f64], y: &[f64], period: usize) -> Vec<f64> {
    let n = x.len().min(y.len());
    let lb = correl_lookback(period);
    if period == 0 || n <= lb {
        return vec![f64::NAN; n];
    }
    let inv = 1.0 / period as f64;
    let mut out = Vec::with_capacity(n);
    out.resize(lb, f64::NAN);
    let (mut shift_x, mut shift_y) = (x[0], y[0]);
    let mut s = Sums::default();
    for j in 0..lb {
        s.add(x[j] - shift_x, y[j] - shift_y);
    }
    let rebuild_every = 32 * period;
    let mut countdown = rebuild_every;
    let (mut leaving_x, mut leaving_y) = (0.0, 0.0);
    for today in lb..n {
        let dx = x[today] - shift_x;
        let dy = y[today] - shift_y;
        s.add(dx, dy);
        let mut ss_x = s.x2 - (s.x * s.x) * inv;
        let mut ss_y = s.y2 - (s.y * s.y) * inv;
        let mut sp = s.xy - (s.x * s.y) * inv;
        countdown -= 1;
        if 0.000001 * s.x2 > ss_x
            || 0.000001 * s.y2 > ss_y
            || leaving_x > 1000000.0 * s.x2
            || leaving_y > 1000000.0 * s.y2
            || countdown == 0
        {
            countdown = rebuild_every;
            let window = today - lb..=today;
            let (mut tx, mut ty) = (0.0, 0.0);
            for j in window.clone() {
                tx += x[j];
                ty += y[j];
            }
            shift_x = tx * inv;
            shift_y = ty * inv;
            s = Sums::default();
            for j in window {
                s.add(x[j] - shift_x, y[j] - shift_y);
            }
            ss_x = s.x2 - (s.x * s.x) * inv;
            ss_y = s.y2 - (s.y * s.y) * inv;
            sp = s.xy - (s.x * s.y) * inv;
            if ss_x < 0.0 {
                ss_x = 0.0;
            }
            if ss_y < 0.0 {
                ss_y = 0.0;
            }
        }
        let trailing = today - lb;
        let tx = x[trailing] - shift_x;
        let ty = y[trailing] - shift_y;
        let mut r = 0.0;
        if ss_x > 0.00000000000001 * s.x2 && ss_y > 0.00000000000001 * s.y2 {
            let prod = ss_x * ss_y;
            if prod > 0.0 {
                // Rounding can put r a few ulp outside [-1, 1] (a NaN stays NaN).
                r = (sp / prod.sqrt()).clamp(-1.0, 1.0);
            }
        }
        out.push(r);
        leaving_x = tx * tx;
        leaving_y = ty * ty;
        s.x -= tx;
        s.x2 -= leaving_x;
        s.xy -= tx * ty;
        s.y -= ty;
        s.y2 -= leaving_y;
    }
    out
}
