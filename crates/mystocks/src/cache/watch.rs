//! How an instance's L1 learns that results changed elsewhere: the invalidation
//! messages other instances publish on Redis (`{pubsub_prefix}cache:invalidate`), and
//! the store's change feed (series written since the last poll), which reaches every
//! instance on the same store whether or not Redis carries the message. Both run in the
//! background until the cache is dropped.

use std::collections::HashSet;
use std::sync::Weak;
use std::time::Duration;

use futures::StreamExt;

use super::tiered::{Inner, Invalidation, TieredCache};
use crate::redis_link::BreakerState;

/// Polls the source store's change feed until the cache is dropped: every series
/// written since the last poll has its symbol's L1 entries dropped. This reaches every
/// instance on the same store whether or not Redis carries the invalidation message
/// (Redis down, or embedded processes side by side on one SQLite file).
///
/// `start` is the store's revision read before the cache served anything, so no write
/// after it goes unseen; when it could not be read, the first poll that succeeds
/// empties L1 (loads before it may hold results of bars written meanwhile).
pub(super) async fn watch_change_feed(inner: Weak<Inner>, every: Duration, start: Option<i64>) {
    const BATCH: usize = 10_000;
    let mut seen: Option<i64> = start;
    loop {
        let Some(strong) = inner.upgrade() else { return };
        let source = strong.source.clone();
        drop(strong);
        match source.latest_rev().await {
            Ok(latest) => {
                let last = match seen {
                    Some(last) => last,
                    None => {
                        let Some(strong) = inner.upgrade() else { return };
                        TieredCache { inner: strong }.drop_all();
                        seen = Some(latest);
                        latest
                    }
                };
                if latest > last {
                    let changed = source.series_changed_since(last, BATCH).await;
                    let Some(strong) = inner.upgrade() else { return };
                    let cache = TieredCache { inner: strong };
                    match changed {
                        Ok(changes) if changes.len() < BATCH => {
                            let symbols: Vec<String> =
                                changes.into_iter().map(|c| c.symbol).collect::<HashSet<_>>().into_iter().collect();
                            tracing::debug!(count = symbols.len(), "bars changed in the store: L1 entries dropped");
                            cache.drop_local(&symbols);
                            seen = Some(latest);
                        }
                        Ok(_) => {
                            cache.drop_all();
                            seen = Some(latest);
                        }
                        Err(e) => tracing::debug!("change feed read failed: {e}"),
                    }
                }
            }
            Err(e) => tracing::debug!("change feed poll failed: {e}"),
        }
        match inner.upgrade() {
            Some(strong) => strong.feed_polls.send_modify(|n| *n += 1),
            None => return,
        }
        tokio::time::sleep(every).await;
    }
}

/// Receives invalidations from other instances until the cache is dropped; after every
/// reconnection it empties L1, since messages sent meanwhile were lost.
pub(super) async fn subscribe_loop(inner: Weak<Inner>, link: crate::redis_link::RedisLink, channel: String) {
    let mut subscribed_before = false;
    loop {
        // While the breaker is open Redis is known to be down: no connect attempts.
        link.breaker().wait_for(BreakerState::Closed).await;
        if let Ok(mut pubsub) = link.client().get_async_pubsub().await {
            if pubsub.subscribe(&channel).await.is_ok() {
                let Some(strong) = inner.upgrade() else {
                    return;
                };
                if subscribed_before {
                    TieredCache { inner: strong.clone() }.drop_all();
                    tracing::info!("invalidation channel back: L1 emptied (messages may have been missed)");
                }
                subscribed_before = true;
                let cache = TieredCache { inner: strong.clone() };
                if let Err(e) = cache.drain_outbox().await {
                    tracing::debug!("invalidation outbox not drained: {e}");
                }
                strong.subscriptions.send_modify(|n| *n += 1);
                drop((strong, cache));
                let mut messages = pubsub.on_message();
                while let Some(msg) = messages.next().await {
                    let Some(strong) = inner.upgrade() else {
                        return;
                    };
                    let Ok(payload) = msg.get_payload::<String>() else {
                        continue;
                    };
                    let Ok(inv) = serde_json::from_str::<Invalidation>(&payload) else {
                        continue;
                    };
                    if inv.origin != strong.instance {
                        let mut symbols = inv.symbols;
                        symbols.extend(inv.symbol);
                        symbols.retain(|s| crate::market::valid_symbol(s));
                        TieredCache { inner: strong.clone() }.drop_local(&symbols);
                        for s in symbols {
                            let _ = strong.invalidated.send(s);
                        }
                    }
                }
            }
        }
        if inner.strong_count() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
