//! One batch of the daily job, the same for every runner (single process, coordinator,
//! worker): read each symbol's latest 250 bars in one statement, compute the standard
//! set on every core, write their latest values to L3 (span 250: the job's own window)
//! and, where the window is the whole series, the full results to L2. Writes are
//! idempotent (keyed by symbol, indicator, params, span and bar), so a symbol done twice
//! after a crash leaves one result.
//!
//! The window is a request of its own: a symbol with more than 250 bars gets window
//! values in L3 and nothing in L2, whose key answers requests for every bar. Each value
//! is labelled with the series' revision, read before the bars.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use crate::cache::{compute_latest_row, compute_result_on, latest_row, BarColumns, CacheError, IndicatorRequest};
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
    /// Why it failed (the first failing indicator, or no bars), when it did.
    pub error: Option<String>,
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
        // The L2 key names no date, so it must always hold the latest result: an as-of run
        // writes L3 only. Generations before bars: an L2 write is refused if the symbol
        // was invalidated (its bars rewritten) after they were read.
        let generations = match self.until {
            None => rt.cache.remote_generations(symbols).await,
            Some(_) => None,
        };
        // Revisions before bars: a value is never labelled newer than what it read.
        let revs = rt.store.series_revs(symbols, "1d").await?;
        // One bar more than the window tells whether the window is the whole series.
        let mut bars = rt.store.read_latest_bars(symbols, "1d", BARS + 1, self.until.unwrap_or(i64::MAX)).await?;
        let work: Vec<(String, Vec<Bar>, Vec<IndicatorRequest>, i64)> = symbols
            .iter()
            .map(|s| {
                let rev = revs.get(s).copied().unwrap_or(0);
                Ok((s.clone(), bars.remove(s).unwrap_or_default(), self.requests_for(s)?, rev))
            })
            .collect::<anyhow::Result<_>>()?;
        let cache = rt.cache.clone();
        let l2 = generations.is_some();
        let until = self.until;
        let computed = tokio::task::spawn_blocking(move || {
            use rayon::prelude::*;
            let computed_at = chrono::Utc::now().timestamp();
            work.into_par_iter()
                .map(|(symbol, mut bars, reqs, rev)| {
                    let t = Instant::now();
                    let attempts = reqs.len() as u64;
                    let whole_series = bars.len() <= BARS;
                    if !whole_series {
                        bars.drain(..bars.len() - BARS);
                    }
                    let to_l2 = l2 && whole_series;
                    let cols = BarColumns::new(&bars);
                    let mut rows = Vec::new();
                    let mut payloads = Vec::new();
                    let mut error = None;
                    let mut fail = |code: &str, e: CacheError| {
                        error.get_or_insert_with(|| format!("{code}: {e}"));
                    };
                    if cols.is_empty() {
                        error = Some(match until {
                            Some(_) => "no daily bars on or before the as-of date".to_string(),
                            None => "no daily bars".to_string(),
                        });
                    } else {
                        // Printed once for the symbol's nine results.
                        let dates = if to_l2 { cols.dates("1d") } else { Vec::new() };
                        for r in &reqs {
                            if to_l2 {
                                let mut value = match compute_result_on(r, &cols, dates.clone()) {
                                    Ok(v) => v,
                                    Err(e) => {
                                        fail(r.spec.code, e);
                                        continue;
                                    }
                                };
                                value.bars_rev = Some(rev);
                                // Serialised here, on every core, for the L2 write.
                                let Ok(json) = serde_json::to_string(&value) else { continue };
                                rows.extend(latest_row(r, &value, BARS as u32, rev));
                                payloads.push((cache.key(r), r.symbol.clone(), json));
                            } else {
                                match compute_latest_row(r, &cols, computed_at, BARS as u32, rev) {
                                    Ok(row) => rows.extend(row),
                                    Err(e) => fail(r.spec.code, e),
                                }
                            }
                        }
                    }
                    let ok = rows.len() as u64;
                    let ms = t.elapsed().as_secs_f64() * 1e3;
                    (SymbolOutcome { symbol, ok, attempts, ms, error }, rows, payloads)
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
        if let Some(generations) = &generations {
            rt.cache.put_batch_l2(to_cache, generations).await;
        }
        if !rows.is_empty() {
            rt.timeseries.upsert_indicator_values(&rows).await?;
        }
        Ok(outcomes)
    }

    /// The symbols whose whole set is already stored at their latest bar (as of `until`),
    /// from their bars as they are now (same revision): what `--resume` and a takeover
    /// after losing Redis skip.
    pub async fn already_done(&self, rt: &Runtime, symbols: &[String]) -> anyhow::Result<HashSet<String>> {
        let mut done = HashSet::new();
        for chunk in symbols.chunks(1_000) {
            let revs = rt.store.series_revs(chunk, "1d").await?;
            let last = rt.store.read_latest_bars(chunk, "1d", 1, self.until.unwrap_or(i64::MAX)).await?;
            let mut here: HashSet<String> = chunk.iter().filter(|s| last.contains_key(*s)).cloned().collect();
            let Some(first) = chunk.first() else { continue };
            for req in self.requests_for(first)? {
                let latest = rt
                    .timeseries
                    .latest_indicator_values(req.spec.code, &req.params_hash, "1d", BARS as u32, chunk)
                    .await?;
                let at: HashMap<&str, (i64, i64)> =
                    latest.iter().map(|r| (r.symbol.as_str(), (r.ts, r.bars_rev))).collect();
                here.retain(|s| {
                    let (Some(bar), Some(rev)) = (last.get(s).and_then(|b| b.last()), revs.get(s)) else {
                        return false;
                    };
                    at.get(s.as_str()) == Some(&(bar.ts, *rev))
                });
            }
            done.extend(here);
        }
        Ok(done)
    }
}
