//! HT_TRENDMODE — Hilbert transform trend vs cycle mode (1 trend, 0 cycle), TA-Lib-exact
//! (the machinery is in `hilbert.rs`): cycle mode while the sine wave and lead
//! sine have crossed within half a cycle or the phase advances at the cycle's rate,
//! trend mode whenever the smoothed price is 1.5 % away from the trendline.

use super::hilbert::{
    sin_cos_table, Front, Hilbert, Phase, Recent, SinCosTable, Smoother, Trendline, DEG2RAD, MAX_CYCLE,
};
use crate::math::nan_vec;

/// Bars before the first value.
pub fn ht_trendmode_lookback() -> usize {
    63
}

/// HT_TRENDMODE over `real`: 1.0 (trend) or 0.0 (cycle); NaN for the first 63 bars.
pub fn ht_trendmode(real: &[f64]) -> Vec<f64> {
    let n = real.len();
    let lookback = ht_trendmode_lookback();
    let mut out = nan_vec(n);
    if n <= lookback {
        return out;
    }
    let table = sin_cos_table();
    let mut smoother = Smoother::new(real[0], real[1], real[2]);
    for today in 3..37 {
        smoother.step(real[today], real[today - 3]);
    }
    let mut ht = Hilbert::new();
    let mut phase = Phase::new();
    let mut trendline = Trendline::default();
    let mut mode = Mode::default();
    for today in 37..n {
        let recent = &real[(today + 1).saturating_sub(MAX_CYCLE)..=today];
        trendline.prepare(recent);
        let smoothed = smoother.step(real[today], real[today - 3]);
        ht.step(smoothed, today & 1 == 1);
        let previous_phase = phase.phase;
        let degrees = phase.update(table, smoothed, ht.smooth_period);
        let line = trendline.update(recent, ht.smooth_period);
        let trend = mode.update(smoothed, ht.smooth_period, previous_phase, degrees, line);
        if today >= lookback {
            out[today] = if trend { 1.0 } else { 0.0 };
        }
    }
    out
}

/// The sine-crossing count and the mode decision.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Mode {
    sine: f64,
    lead: f64,
    days_in_trend: i64,
}

impl Mode {
    #[inline(always)]
    pub(crate) fn update(
        &mut self,
        smoothed: f64,
        smooth_period: f64,
        previous_phase: f64,
        phase: f64,
        line: f64,
    ) -> bool {
        let (prev_sine, prev_lead) = (self.sine, self.lead);
        let sine = (phase * DEG2RAD).sin();
        let lead = ((phase + 45.0) * DEG2RAD).sin();
        self.sine = sine;
        self.lead = lead;
        let mut trend = true;
        if (sine > lead && prev_sine <= prev_lead) || (sine < lead && prev_sine >= prev_lead) {
            self.days_in_trend = 0;
            trend = false;
        }
        self.days_in_trend += 1;
        if (self.days_in_trend as f64) < 0.5 * smooth_period {
            trend = false;
        }
        let advance = phase - previous_phase;
        if smooth_period != 0.0 && advance > (0.67 * 360.0) / smooth_period && advance < (1.5 * 360.0) / smooth_period {
            trend = false;
        }
        if line != 0.0 && ((smoothed - line) / line).abs() >= 0.015 {
            trend = true;
        }
        trend
    }
}

/// Streaming HT_TRENDMODE: one price at a time, the batch's values bar for bar.
#[derive(Debug, Clone)]
pub struct HtTrendMode {
    front: Front,
    ht: Hilbert,
    phase: Phase,
    recent: Recent,
    trendline: Trendline,
    mode: Mode,
    table: &'static SinCosTable,
}

impl Default for HtTrendMode {
    fn default() -> Self {
        Self::new()
    }
}

impl HtTrendMode {
    /// A fresh state.
    pub fn new() -> Self {
        Self {
            front: Front::new(37),
            ht: Hilbert::new(),
            phase: Phase::new(),
            recent: Recent::new(),
            trendline: Trendline::default(),
            mode: Mode::default(),
            table: sin_cos_table(),
        }
    }

    /// Takes the next price; returns 1.0 (trend) or 0.0 (cycle) once past the 63-bar
    /// lookback.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        let recent = self.recent.push(x);
        let (t, smoothed) = self.front.push(x)?;
        self.trendline.prepare(recent);
        self.ht.step(smoothed, t & 1 == 1);
        let previous_phase = self.phase.phase;
        let degrees = self.phase.update(self.table, smoothed, self.ht.smooth_period);
        let line = self.trendline.update(recent, self.ht.smooth_period);
        let trend = self.mode.update(smoothed, self.ht.smooth_period, previous_phase, degrees, line);
        (t >= ht_trendmode_lookback()).then_some(if trend { 1.0 } else { 0.0 })
    }
}
