//! The pandas primitives MyTT is written in, reproduced operation for operation.

use crate::math::nan_vec;

/// pandas' smoothing factor for `ewm(span=s)`: com = (s−1)/2, alpha = 1/(1+com).
pub(crate) fn span_alpha(span: f64) -> f64 {
    let com = (span - 1.0) / 2.0;
    1.0 / (1.0 + com)
}

/// State of `Series.ewm(alpha, adjust=False).mean()` (ignore_na=False), one value at a time.
#[derive(Debug, Clone)]
pub(crate) struct EwmMean {
    alpha: f64,
    weighted: f64,
    old_wt: f64,
}

impl EwmMean {
    pub(crate) fn new(alpha: f64) -> Self {
        Self { alpha, weighted: f64::NAN, old_wt: 1.0 }
    }

    /// Takes the next value (NaN allowed) and returns the mean so far (NaN before the
    /// first observation).
    #[inline]
    pub(crate) fn next(&mut self, cur: f64) -> f64 {
        let observed = !cur.is_nan();
        if !self.weighted.is_nan() {
            self.old_wt *= 1.0 - self.alpha;
            if observed {
                // pandas skips the update when the value equals the mean, to keep
                // constant series exact.
                if self.weighted != cur {
                    self.weighted = self.old_wt * self.weighted + self.alpha * cur;
                    self.weighted /= self.old_wt + self.alpha;
                }
                self.old_wt = 1.0;
            }
        } else if observed {
            self.weighted = cur;
            self.old_wt = 1.0;
        }
        self.weighted
    }
}

/// `Series.ewm(span, adjust=False).mean()`.
pub(crate) fn ewm_span(x: &[f64], span: usize) -> Vec<f64> {
    let mut state = EwmMean::new(span_alpha(span as f64));
    x.iter().map(|&v| state.next(v)).collect()
}

/// `Series.rolling(n).mean()` (NaN until the window is full). pandas compensates its
/// running sum; a Kahan-compensated sum keeps the same accuracy here.
pub(crate) fn rolling_mean(x: &[f64], n: usize) -> Vec<f64> {
    let len = x.len();
    let mut out = nan_vec(len);
    if n == 0 || len < n {
        return out;
    }
    let mut sum = 0.0;
    let mut comp = 0.0;
    let add = |sum: &mut f64, comp: &mut f64, v: f64| {
        let y = v - *comp;
        let t = *sum + y;
        *comp = (t - *sum) - y;
        *sum = t;
    };
    for i in 0..len {
        add(&mut sum, &mut comp, x[i]);
        if i >= n {
            add(&mut sum, &mut comp, -x[i - n]);
        }
        if i + 1 >= n {
            out[i] = sum / n as f64;
        }
    }
    out
}

/// `Series.rolling(n).std(ddof=0)`, by Welford's add/remove updates as pandas does.
pub(crate) fn rolling_std_pop(x: &[f64], n: usize) -> Vec<f64> {
    let len = x.len();
    let mut out = nan_vec(len);
    if n == 0 || len < n {
        return out;
    }
    let mut count = 0.0f64;
    let mut mean = 0.0f64;
    let mut m2 = 0.0f64;
    for i in 0..len {
        count += 1.0;
        let delta = x[i] - mean;
        mean += delta / count;
        m2 += delta * (x[i] - mean);
        if i >= n {
            let old = x[i - n];
            count -= 1.0;
            let delta = old - mean;
            mean -= delta / count;
            m2 -= delta * (old - mean);
        }
        if i + 1 >= n {
            out[i] = if m2 > 0.0 { (m2 / count).sqrt() } else { 0.0 };
        }
    }
    out
}

/// `rolling(n).max()` of `high` and `rolling(n).min()` of `low`, NaN until full.
pub(crate) fn rolling_high_low(high: &[f64], low: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut hh = nan_vec(high.len());
    let mut ll = nan_vec(low.len());
    crate::math::sliding_high_low(high, low, n, |i, h, l| {
        hh[i] = h;
        ll[i] = l;
    });
    (hh, ll)
}
