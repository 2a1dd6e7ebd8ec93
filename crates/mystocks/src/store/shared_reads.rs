//! One read of a series' bars shared by the computations that need it at the same time.
//!
//! A set of 40 indicators for one symbol (`POST /api/indicators/{symbol}`), or many
//! clients asking for different indicators of one symbol at once, would otherwise read
//! the same bars once per indicator: with 30 such sets in flight, 1,200 reads queue for
//! a pool of 8 SQLite connections and time out. Reads are shared only between loads
//! that saw the same revision of the bars, so a shared read is never older than what a
//! load that joins it saw.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::OnceCell;

use super::{Bar, BarRange, Store, StoreResult};

type Key = (String, String, i64);
type Cell = OnceCell<Arc<Vec<Bar>>>;

/// Reads of every bar of a series, shared while in flight; cheap to clone.
#[derive(Clone, Default)]
pub struct SharedBarReads {
    in_flight: Arc<Mutex<HashMap<Key, Weak<Cell>>>>,
}

impl SharedBarReads {
    /// Every bar of (`symbol`, `freq`), read from `store` once for all callers that ask
    /// for the same series at revision `rev` while the read is in flight.
    pub async fn read_all(&self, store: &dyn Store, symbol: &str, freq: &str, rev: i64) -> StoreResult<Arc<Vec<Bar>>> {
        let key: Key = (symbol.to_string(), freq.to_string(), rev);
        let cell = {
            let mut map = self.in_flight.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match map.get(&key).and_then(Weak::upgrade) {
                Some(cell) => cell,
                None => {
                    // Entries of finished reads are dropped as new ones come in.
                    map.retain(|_, w| w.strong_count() > 0);
                    let cell = Arc::new(Cell::new());
                    map.insert(key, Arc::downgrade(&cell));
                    cell
                }
            }
        };
        let bars = cell
            .get_or_try_init(|| async { store.read_bars(symbol, freq, &BarRange::default()).await.map(Arc::new) })
            .await?;
        Ok(bars.clone())
    }

    /// Reads in flight (for tests).
    pub fn in_flight(&self) -> usize {
        let map = self.in_flight.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.values().filter(|w| w.strong_count() > 0).count()
    }
}
