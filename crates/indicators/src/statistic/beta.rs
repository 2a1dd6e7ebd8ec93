//! BETA — the regression slope of one series' returns on another's, over a sliding
//! window, TA-Lib-exact (TA-Lib 0.8.1).
//!
//! x is the return of the first input ((p − prev)/prev, 0 when prev is exactly 0),
//! y that of the second; beta = (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²) over the last
//! `period` returns. TA-Lib 0.8 keeps the running sums of the returns measured against
//! a shift (first the first return of the window, later the window's mean returns) and
//! rebuilds them around the window means when the denominator falls below 1e-6 of
//! n·Σx², when the square of a return that just left exceeds 1e3 times Σx² (or Σy²), or
//! every 32·period bars. The output is 0 where the denominator is not above 1e-14 of
//! n·Σx². The returns are computed once up front, as TA-Lib computes each of them.

/// Bars before the first value.
pub fn beta_lookback(period: usize) -> usize {
    period
}

/// The returns of `p`: r[j] = (p[j] − p[j−1]) / p[j−1] (0 where p[j−1] is exactly 0;
/// r[0] = 0 and is never used).
fn returns(p: &[f64]) -> Vec<f64> {
    let mut r = Vec::with_capacity(p.len());
    if !p.is_empty() {
        r.push(0.0);
    }
    for w in p.windows(2) {
        let prev = w[0];
        r.push(if prev != 0.0 { (w[1] - prev) / prev } else { 0.0 });
    }
    r
}

#[derive(Clone, Copy, Default)]
struct Sums {
    xx: f64,
    xy: f64,
    x: f64,
    y: f64,
    yy: f64,
}

impl Sums {
    #[inline(always)]
    fn add(&mut self, x: f64, y: f64) {
        self.xx += x * x;
        self.xy += x * y;
        self.x += x;
        self.y += y;
        self.yy += y * y;
    }
}

/// BETA of `real0` (x) and `real1` (y); NaN inside the lookback.
pub fn beta(real0: &[f64], real1: &[f64], period: usize) -> Vec<f64> {
    let len = real0.len().min(real1.len());
    if period == 0 || len <= period {
        return vec![f64::NAN; len];
    }
    // A return of an exactly-zero previous price is 0 in TA-Lib, and 0 − shift is what
    // r − shift gives with r = 0, so the zero test needs no second look.
    let rx = returns(&real0[..len]);
    let ry = returns(&real1[..len]);
    let n = period as f64;
    let mut out = Vec::with_capacity(len);
    out.resize(period, f64::NAN);
    let (mut shift_x, mut shift_y) = (rx[1], ry[1]);
    let mut s = Sums::default();
    for j in 1..period {
        s.add(rx[j] - shift_x, ry[j] - shift_y);
    }
    let rebuild_every = 32 * period;
    let mut countdown = rebuild_every;
    let (mut leaving_xx, mut leaving_yy) = (0.0, 0.0);
    for today in period..len {
        let x = rx[today] - shift_x;
        let y = ry[today] - shift_y;
        s.add(x, y);
        let mut scale = n * s.xx;
        let mut denom = scale - s.x * s.x;
        countdown -= 1;
        if 0.000001 * scale > denom || leaving_xx > 1000.0 * s.xx || leaving_yy > 1000.0 * s.yy || countdown == 0 {
            countdown = rebuild_every;
            let window = today + 1 - period..=today;
            let (mut tx, mut ty) = (0.0, 0.0);
            for j in window.clone() {
                tx += rx[j];
                ty += ry[j];
            }
            shift_x = tx / n;
            shift_y = ty / n;
            s = Sums::default();
            for j in window {
                s.add(rx[j] - shift_x, ry[j] - shift_y);
            }
            scale = n * s.xx;
            denom = scale - s.x * s.x;
            if denom < 0.0 {
                denom = 0.0;
            }
        }
        let trailing = today + 1 - period;
        let tx = rx[trailing] - shift_x;
        let ty = ry[trailing] - shift_y;
        out.push(if denom > 0.00000000000001 * scale { (n * s.xy - s.x * s.y) / denom } else { 0.0 });
        leaving_xx = tx * tx;
        leaving_yy = ty * ty;
        s.y -= ty;
        s.x -= tx;
        s.xy -= tx * ty;
        s.xx -= leaving_xx;
        s.yy -= leaving_yy;
    }
    out
}
