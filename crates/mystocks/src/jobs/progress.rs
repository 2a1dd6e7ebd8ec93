//! When a job publishes `task.progress` (SPEC section 4): once at the start, then each
//! time progress has grown by at least 1 % or 50 more symbols were processed since the
//! last one (whichever comes first). Read literally, as here, that includes the final
//! symbol's 100 %, which is followed by the single `task.completed`.

/// Symbols that force a progress event even below 1 %.
pub const EVERY_SYMBOLS: u64 = 50;

/// Decides, symbol by symbol, whether a `task.progress` event is due.
#[derive(Debug, Clone)]
pub struct ProgressThrottle {
    total: u64,
    last_reported: u64,
}

impl ProgressThrottle {
    /// A throttle for a job over `total` symbols; the start event is separate.
    pub fn new(total: u64) -> Self {
        Self { total, last_reported: 0 }
    }

    /// A throttle for a job resumed with `processed` symbols already done: the next
    /// event is due once progress has grown from there.
    pub fn starting_at(total: u64, processed: u64) -> Self {
        Self { total, last_reported: processed }
    }

    /// Progress in percent for `processed` symbols.
    pub fn percent(&self, processed: u64) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            processed as f64 * 100.0 / self.total as f64
        }
    }

    /// Call after each processed symbol: true when a `task.progress` event is due.
    pub fn after(&mut self, processed: u64) -> bool {
        let grown = processed - self.last_reported;
        // >= 1 % of the total, compared in integers: grown * 100 >= total.
        if grown >= EVERY_SYMBOLS || grown * 100 >= self.total {
            self.last_reported = processed;
            return true;
        }
        false
    }
}

/// The number of `task.progress` events a job over `total` symbols publishes: the start
/// event plus every one [`ProgressThrottle`] lets through.
pub fn progress_events(total: u64) -> u64 {
    let mut throttle = ProgressThrottle::new(total);
    1 + (1..=total).filter(|&p| throttle.after(p)).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_counts_for_the_sizes_the_issue_names() {
        // Up to 100 symbols, every symbol is >= 1 %: the start, then one per symbol.
        assert_eq!(progress_events(1), 2);
        assert_eq!(progress_events(49), 50);
        assert_eq!(progress_events(50), 51);
        assert_eq!(progress_events(51), 52);
        // 5,000 symbols: 1 % = 50 symbols, so every 50th symbol: 100, plus the start.
        assert_eq!(progress_events(5000), 101);
        // 20,000 symbols: 50 symbols come before 1 % (200): every 50th, 400, plus the start.
        assert_eq!(progress_events(20_000), 401);
        assert_eq!(progress_events(0), 1);
    }

    #[test]
    fn events_fire_where_the_rule_says() {
        let mut t = ProgressThrottle::new(5000);
        let fired: Vec<u64> = (1..=5000).filter(|&p| t.after(p)).collect();
        assert_eq!(fired.first(), Some(&50));
        assert!(fired.windows(2).all(|w| w[1] - w[0] == 50));
        assert_eq!(fired.last(), Some(&5000), "the final 100 % is reported too");
        assert_eq!(t.percent(50), 1.0);
    }
}
