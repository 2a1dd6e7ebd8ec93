//! One batch of the daily job, the same for every runner (single process, coordinator,
//! worker): read each symbol's latest 250 bars in one statement, compute the standard
//! set on every core, write the results to L2 and their latest values to L3. Writes are
//! idempotent (keyed by symbol, indicator, params and bar), so a symbol done twice after
//! a crash leaves one result.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use crate::cache::{compute_latest_row, compute_result_on, latest_row, BarColumns, IndicatorRequest};
use crate::runtime::Runtime;
use crate::standard_set::{standard_set, SetMember};
use crate::store::Bar;

/// Bars per symbol the job reads.
pub const BARS: usize = 250;

/// What one symbol's computation gave.
#[derive(Debug, Clone, PartialEq)]
pub struct SymbolOutcome {
    /// The symbol.
    pub symbol: String,
    /// Indicators computed and stored.
    pub ok: u64,
    /// Indicators attempted.
    pub attempts: u64,
    /// Compute time, milliseconds.
    pub ms: f64,
}

impl SymbolOutcome {
    /// A symbol fails when any of its indicators did (no bars, bad data, compute error).
    pub fn failed(&self) -> bool {
        self.ok < self.attempts
    }
}

/// The standard set, resolved once, and what a batch needs to run it.
pub struct StandardBatch {
    set: Vec<SetMember>,
    /// Values as of this time (epoch seconds, inclusive); `None` for the latest bars.
    until: Option<i64>,
}

impl StandardBatch {
    /// The standard set as of `until` (the latest bars when `None`).
    pub fn new(until: Option<i64>) -> anyhow::Result<Self> {
        Ok(Self { set: standard_set()?, until })
    }

    /// The set's indicator codes, in order (the `indicators` of the per-symbol event).
    pub fn codes(&self) -> Vec<String> {
        self.set.iter().map(|m| m.spec.code.to_string()).collect()
    }

    fn requests_for(&self, symbol: &str) -> anyhow::Result<Vec<IndicatorRequest>> {
        Ok(self
            .set
            .iter()
            .map(|m| IndicatorRequest::from_resolved(symbol, m.spec, m.params.clone(), "1d"))
            .collect::<Result<_, _>>()?)
    }

    /// Computes and stores `symbols`; one outcome per symbol, in order.
    pub async fn run(&self, rt: &Runtime, symbols: &[String]) -> anyhow::Result<Vec<SymbolOutcome>> {
        let mut bars = rt.store.read_latest_bars(symbols, "1d", BARS, self.until.unwrap_or(i64::MAX)).await?;
        let work: Vec<(String, Vec<Bar>, Vec<IndicatorRequest>)> = symbols
            .iter()
            .map(|s| Ok((s.clone(), bars.remove(s).unwrap_or_default(), self.requests_for(s)?)))
            .collect::<anyhow::Result<_>>()?;
        let cache = rt.cache.clone();
        // The L2 key names no date, so it must always hold the latest result: an as-of run
        // writes L3 only.
        let to_l2 = self.until.is_none() && cache.has_l2();
        let computed = tokio::task::spawn_blocking(move || {
            use rayon::prelude::*;
            let computed_at = chrono::Utc::now().timestamp();
            work.into_par_iter()
                .map(|(symbol, bars, reqs)| {
                    let t = Instant::now();
                    let attempts = reqs.len() as u64;
                    let cols = BarColumns::new(&bars);
                    let mut rows = Vec::new();
                    let mut payloads = Vec::new();
                    if !cols.is_empty() {
                        // Printed once for the symbol's nine results.
                        let dates = if to_l2 { cols.dates("1d") } else { Vec::new() };
                        for r in &reqs {
                            if to_l2 {
                                let Ok(value) = compute_result_on(r, &cols, dates.clone()) else { continue };
                                // Serialised here, on every core, for the L2 write.
                                let Ok(json) = serde_json::to_string(&value) else { continue };
                                rows.extend(latest_row(r, &value));
                                payloads.push((cache.key(r), json));
                            } else if let Ok(row) = compute_latest_row(r, &cols, computed_at) {
                                rows.extend(row);
                            }
                        }
                    }
                    let ok = (if to_l2 { payloads.len() } else { rows.len() }) as u64;
                    let ms = t.elapsed().as_secs_f64() * 1e3;
                    (SymbolOutcome { symbol, ok, attempts, ms }, rows, payloads)
                })
                .collect::<Vec<_>>()
        })
        .await?;
        let mut outcomes = Vec::with_capacity(computed.len());
        let mut to_cache = Vec::new();
        let mut rows = Vec::new();
        for (outcome, r, p) in computed {
            rows.extend(r);
            to_cache.extend(p);
            outcomes.push(outcome);
        }
        rt.cache.put_batch_l2(to_cache).await;
        if !rows.is_empty() {
            rt.timeseries.upsert_indicator_values(&rows).await?;
        }
        Ok(outcomes)
    }

    /// The symbols whose whole set is already stored at their latest bar (as of `until`):
    /// what `--resume` and a takeover after losing Redis skip.
    pub async fn already_done(&self, rt: &Runtime, symbols: &[String]) -> anyhow::Result<HashSet<String>> {
        let mut done = HashSet::new();
        for chunk in symbols.chunks(1_000) {
            let last = rt.store.read_latest_bars(chunk, "1d", 1, self.until.unwrap_or(i64::MAX)).await?;
            let mut here: HashSet<String> = chunk.iter().filter(|s| last.contains_key(*s)).cloned().collect();
            let Some(first) = chunk.first() else { continue };
            for req in self.requests_for(first)? {
                let latest =
                    rt.timeseries.latest_indicator_values(req.spec.code, &req.params_hash, "1d", chunk).await?;
                let at: HashMap<&str, i64> = latest.iter().map(|r| (r.symbol.as_str(), r.ts)).collect();
                here.retain(|s| {
                    last.get(s).and_then(|b| b.last()).is_some_and(|bar| at.get(s.as_str()) == Some(&bar.ts))
                });
            }
            done.extend(here);
        }
        Ok(done)
    }
}
