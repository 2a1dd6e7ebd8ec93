//! Writing bars: the one way bars enter the store (`import`, `demo-data`, and the
//! server's writes), with every tier's results for the written symbols invalidated on
//! every instance before the write is reported done.
//!
//! Following "delete the cache, then update the store" (SPEC section 1), and once more
//! after the store has committed: a read that started between the first invalidation
//! and the commit may have cached a result of the old bars, and the second one removes
//! it. The first bumps every written symbol's generation, so loads already in flight
//! cannot write back either. Should Redis be unreachable, the store's revision of each
//! written series still changes in the same transaction: no instance takes an L2 or L3
//! value of the old bars (each is checked against the revision), and every instance's
//! L1 learns of the write from the store's change feed within a second. Values written
//! by another system carry no revision: for them the invalidation waits in the store's
//! outbox (and no instance takes such a value for those symbols meanwhile) until an
//! instance that reaches Redis carries it out.

use crate::cache::{CacheError, RemoteInvalidation, TieredCache};
use crate::store::{ImportStats, Store, Symbol, SymbolBars};

/// What a write did, and whether other instances could be told at once.
#[derive(Debug, Clone)]
pub struct Written {
    /// What the store wrote.
    pub stats: ImportStats,
    /// The Redis part of the invalidation.
    pub remote: RemoteInvalidation,
}

/// How a write of bars treats the bars already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Bars at the same times are updated, others kept (`import`).
    Merge,
    /// Each written series is replaced whole (`demo-data`: a regenerated market).
    Replace,
}

/// Writes `batches` (and `symbols`' metadata) in one transaction, invalidating the
/// cached results of every symbol written before and after it.
pub async fn write_bars(
    store: &dyn Store,
    cache: &TieredCache,
    symbols: &[Symbol],
    batches: &[SymbolBars],
    mode: WriteMode,
) -> anyhow::Result<Written> {
    let mut touched: Vec<String> = batches.iter().map(|b| b.symbol.clone()).collect();
    touched.sort();
    touched.dedup();
    let before = cache.invalidate_many(&touched).await.map_err(|e| invalidation("before writing bars", e))?;
    let stats = match mode {
        WriteMode::Merge => store.import_bars(symbols, batches).await?,
        WriteMode::Replace => store.replace_bars(symbols, batches).await?,
    };
    let after = cache
        .invalidate_many(&touched)
        .await
        .map_err(|e| invalidation("after writing bars (they are written; run `mystocks cache invalidate`)", e))?;
    let remote = match (before, after) {
        (RemoteInvalidation::Failed(e), _) | (_, RemoteInvalidation::Failed(e)) => {
            tracing::warn!(
                symbols = touched.len(),
                "bars written, but Redis could not be told ({e}): other instances drop their cached \
                 results of these symbols from the store's change feed instead, within a second, and \
                 their Redis values are deleted once Redis is back"
            );
            RemoteInvalidation::Failed(e)
        }
        (_, other) => other,
    };
    Ok(Written { stats, remote })
}

fn invalidation(when: &str, e: CacheError) -> anyhow::Error {
    anyhow::anyhow!("invalidating the cached results {when}: {e}")
}
