//! Channel names (SPEC section 4), validated: a malformed name is an error, never a
//! Redis key. In Redis each name is prefixed with `REDIS_PUBSUB_CHANNEL_PREFIX`.

use std::fmt;

use thiserror::Error;

/// How long a task's records live in Redis after their last write (SPEC section 3: the
/// task hash, 7 days): its hash, its stream `events:task:{id}`, its work queue.
pub const TASK_TTL_SECS: i64 = 7 * 86_400;

/// A malformed channel name.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("unknown or malformed channel `{0}`")]
pub struct BadChannel(pub String);

/// One channel clients can subscribe to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// `events:tasks`: every task's progress and completion.
    Tasks,
    /// `events:task:{task_id}`: one task.
    Task(String),
    /// `events:indicators`.
    Indicators,
    /// `events:market`: every price update.
    Market,
    /// `events:market:{symbol}`: one symbol's price updates.
    MarketSymbol(String),
    /// `events:system`.
    System,
}

/// True for a task id: 1-64 of A-Z a-z 0-9 `_` `-` (it goes into keys and channel names).
pub fn valid_task_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl Channel {
    /// Parses and validates a channel name.
    pub fn parse(name: &str) -> Result<Self, BadChannel> {
        let bad = || BadChannel(name.chars().take(80).collect());
        Ok(match name {
            "events:tasks" => Channel::Tasks,
            "events:indicators" => Channel::Indicators,
            "events:market" => Channel::Market,
            "events:system" => Channel::System,
            _ => {
                if let Some(id) = name.strip_prefix("events:task:") {
                    if !valid_task_id(id) {
                        return Err(bad());
                    }
                    Channel::Task(id.to_string())
                } else if let Some(symbol) = name.strip_prefix("events:market:") {
                    if !crate::market::valid_symbol(symbol) {
                        return Err(bad());
                    }
                    Channel::MarketSymbol(symbol.to_string())
                } else {
                    return Err(bad());
                }
            }
        })
    }

    /// The channel patterns with a description each (`GET /ws/channels`).
    pub fn catalog() -> &'static [(&'static str, &'static str)] {
        &[
            ("events:tasks", "every task's task.progress and task.completed"),
            ("events:task:{task_id}", "the same, for one task"),
            ("events:indicators", "stock.indicators.completed and indicator.calculated"),
            ("events:market", "price.update for every symbol"),
            ("events:market:{symbol}", "price.update for one symbol"),
            ("events:system", "system.heartbeat, system.degraded, system.recovered, config.reloaded"),
        ]
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Channel::Tasks => f.write_str("events:tasks"),
            Channel::Task(id) => write!(f, "events:task:{id}"),
            Channel::Indicators => f.write_str("events:indicators"),
            Channel::Market => f.write_str("events:market"),
            Channel::MarketSymbol(s) => write!(f, "events:market:{s}"),
            Channel::System => f.write_str("events:system"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_bad_names_are_refused() {
        for name in [
            "events:tasks",
            "events:task:calc_123",
            "events:indicators",
            "events:market",
            "events:market:000001",
            "events:system",
        ] {
            assert_eq!(Channel::parse(name).unwrap().to_string(), name);
        }
        for bad in [
            "events:task:",
            "events:task:a*b",
            "events:market:A B",
            "events:market:x:y",
            "events",
            "foo",
            "events:tasks*",
            "events:task:a?",
        ] {
            assert!(Channel::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Channel::catalog().len(), 6);
    }
}
