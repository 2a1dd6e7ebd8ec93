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
//! n·Σx². Each return is computed once (block by block, into a small reused buffer),
//! as TA-Lib computes it; TA-Lib computes it again when it leaves the window.

/// Bars before the first value.
pub fn beta_lookback(period: usize) -> usize {
    period
}

/// Bars of returns computed per block (the returns of a block, plus the `period`
/// before it, sit in one small buffer that is reused, so no series-long buffer).
const BLOCK: usize = 4096;

/// The return of bar `j` of `p` (j >= 1): (p[j] − p[j−1]) / p[j−1], 0 where p[j−1] is
/// exactly 0.
#[inline(always)]
fn ret(p: &[f64], j: usize) -> f64 {
    let prev = p[j - 1];
    if prev != 0.0 {
        (p[j] - prev) / prev
    } else {
        0.0
    }
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
    let (real0, real1) = (&real0[..len], &real1[..len]);
    let n = period as f64;
    let mut out = Vec::with_capacity(len);
    out.resize(period, f64::NAN);
    // Returns of bars base..base + filled, at index j − base. A return of an exactly-zero
    // previous price is 0 in TA-Lib, and 0 − shift is what r − shift gives with r = 0, so
    // the zero test needs no second look.
    let mut rx = vec![0.0; BLOCK + period];
    let mut ry = vec![0.0; BLOCK + period];
    let mut base = 1;
    let mut filled = 0;
    let refill = |upto: usize, base: &mut usize, filled: &mut usize, rx: &mut [f64], ry: &mut [f64]| {
        // Keep the last `period` returns, then compute the next block.
        let keep = (*filled).min(period);
        let from = *filled - keep;
        rx.copy_within(from..*filled, 0);
        ry.copy_within(from..*filled, 0);
        *base += from;
        let end = (*base + keep + BLOCK).min(len).max(upto + 1);
        for j in *base + keep..end {
            rx[j - *base] = ret(real0, j);
            ry[j - *base] = ret(real1, j);
        }
        *filled = end - *base;
    };
    refill(period, &mut base, &mut filled, &mut rx, &mut ry);
    let (mut shift_x, mut shift_y) = (rx[0], ry[0]);
    let mut s = Sums::default();
    for j in 1..period {
        s.add(rx[j - base] - shift_x, ry[j - base] - shift_y);
    }
    let rebuild_every = 32 * period;
    let mut countdown = rebuild_every;
    let (mut leaving_xx, mut leaving_yy) = (0.0, 0.0);
    for today in period..len {
        if today >= base + filled {
            refill(today, &mut base, &mut filled, &mut rx, &mut ry);
        }
        let (wx, wy) = (&rx[..filled], &ry[..filled]);
        let x = wx[today - base] - shift_x;
        let y = wy[today - base] - shift_y;
        s.add(x, y);
        let mut scale = n * s.xx;
        let mut denom = scale - s.x * s.x;
        countdown -= 1;
        if 0.000001 * scale > denom || leaving_xx > 1000.0 * s.xx || leaving_yy > 1000.0 * s.yy || countdown == 0 {
            countdown = rebuild_every;
            let window = today + 1 - period - base..=today - base;
            let (mut tx, mut ty) = (0.0, 0.0);
            for j in window.clone() {
                tx += wx[j];
                ty += wy[j];
            }
            shift_x = tx / n;
            shift_y = ty / n;
            s = Sums::default();
            for j in window {
                s.add(wx[j] - shift_x, wy[j] - shift_y);
            }
            scale = n * s.xx;
            denom = scale - s.x * s.x;
            if denom < 0.0 {
                denom = 0.0;
            }
        }
        let trailing = today + 1 - period - base;
        let tx = wx[trailing] - shift_x;
        let ty = wy[trailing] - shift_y;
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
