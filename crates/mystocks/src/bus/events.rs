//! Event types (SPEC section 4): Rust types that serialise to exactly the SPEC's JSON.
//! Every event is one object with `event_type`, `timestamp` (RFC 3339 UTC) and
//! `version` ("1.0"), plus its own fields.

use serde::{Deserialize, Serialize};

/// The event schema version.
pub const VERSION: &str = "1.0";

/// An event: its body plus the common fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The typed body; its `event_type` is the tag.
    #[serde(flatten)]
    pub body: EventBody,
    /// When it happened, RFC 3339 UTC.
    pub timestamp: String,
    /// Schema version, "1.0".
    pub version: String,
}

/// The text of an internal notice (an invalidation, a computation announced to
/// waiters): shaped like an event (`event_type`, `timestamp`, `version` beside `fields`)
/// so that a client subscribed to every channel under the prefix, which parses every
/// message as JSON as the replaced system's clients do, reads it too.
pub fn notice_json(event_type: &str, fields: serde_json::Map<String, serde_json::Value>) -> String {
    let mut object = fields;
    object.insert("event_type".into(), event_type.into());
    object.insert("timestamp".into(), chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into());
    object.insert("version".into(), VERSION.into());
    serde_json::Value::Object(object).to_string()
}

impl Event {
    /// An event stamped now.
    pub fn now(body: EventBody) -> Self {
        Self {
            body,
            timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            version: VERSION.to_string(),
        }
    }

    /// The `event_type` string.
    pub fn event_type(&self) -> &'static str {
        match &self.body {
            EventBody::TaskProgress(_) => "task.progress",
            EventBody::TaskCompleted(_) => "task.completed",
            EventBody::StockIndicatorsCompleted(_) => "stock.indicators.completed",
            EventBody::IndicatorCalculated(_) => "indicator.calculated",
            EventBody::PriceUpdate(_) => "price.update",
            EventBody::SystemHeartbeat(_) => "system.heartbeat",
            EventBody::SystemDegraded(_) => "system.degraded",
            EventBody::SystemRecovered(_) => "system.recovered",
            EventBody::ConfigReloaded(_) => "config.reloaded",
        }
    }
}

/// The event bodies, tagged by `event_type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event_type")]
pub enum EventBody {
    /// Progress of a task.
    #[serde(rename = "task.progress")]
    TaskProgress(TaskProgress),
    /// A task finished.
    #[serde(rename = "task.completed")]
    TaskCompleted(TaskCompleted),
    /// One symbol's indicator set is done.
    #[serde(rename = "stock.indicators.completed")]
    StockIndicatorsCompleted(StockIndicatorsCompleted),
    /// One indicator was calculated.
    #[serde(rename = "indicator.calculated")]
    IndicatorCalculated(IndicatorCalculated),
    /// A new price.
    #[serde(rename = "price.update")]
    PriceUpdate(PriceUpdate),
    /// An instance is alive.
    #[serde(rename = "system.heartbeat")]
    SystemHeartbeat(SystemNotice),
    /// A component degraded (e.g. Redis down).
    #[serde(rename = "system.degraded")]
    SystemDegraded(SystemNotice),
    /// A component recovered.
    #[serde(rename = "system.recovered")]
    SystemRecovered(SystemNotice),
    /// The configuration was reloaded.
    #[serde(rename = "config.reloaded")]
    ConfigReloaded(SystemNotice),
}

/// `task.progress`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskProgress {
    /// Task id.
    pub task_id: String,
    /// Task type, e.g. `batch_daily`.
    pub task_type: String,
    /// `pending`, `running`, `completed` or `failed`.
    pub status: String,
    /// Percent, 0..=100.
    pub progress: f64,
    /// Human-readable step.
    pub message: String,
    /// Symbols processed.
    pub processed: u64,
    /// Symbols in the task.
    pub total: u64,
    /// Symbols failed.
    pub failed: u64,
}

/// `task.completed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskCompleted {
    /// Task id.
    pub task_id: String,
    /// Task type.
    pub task_type: String,
    /// Final status.
    pub status: String,
    /// Wall time.
    pub duration_seconds: f64,
    /// Summary.
    pub result: TaskResult,
}

/// The summary of a finished task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// Symbols done.
    pub success: u64,
    /// Symbols failed.
    pub failed: u64,
}

/// `stock.indicators.completed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockIndicatorsCompleted {
    /// Symbol.
    pub stock_code: String,
    /// Indicator codes of the set, in order (repeats for several parameter sets).
    pub indicators: Vec<String>,
    /// Indicators computed or read successfully.
    pub success_count: u64,
    /// Indicators that failed.
    pub failed_count: u64,
    /// Time spent on the symbol.
    pub calculation_time_ms: f64,
    /// Indicators answered by a cache tier.
    pub from_cache_count: u64,
}

/// `indicator.calculated`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorCalculated {
    /// Symbol.
    pub stock_code: String,
    /// Indicator code.
    pub indicator: String,
    /// `params_hash`.
    pub params_hash: String,
    /// `l1`, `l2`, `l3` or `computed`.
    pub source: String,
    /// Time spent.
    pub calculation_time_ms: f64,
}

/// `price.update`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceUpdate {
    /// Symbol.
    pub symbol: String,
    /// Price.
    pub price: f64,
    /// Volume.
    pub volume: f64,
    /// Quote time (RFC 3339).
    pub ts: String,
}

/// `system.*` and `config.reloaded`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemNotice {
    /// The instance that reports.
    pub instance: String,
    /// The component concerned (`redis`, `store`, ...), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Details, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The SPEC's three sample objects, parsed and written back unchanged.
    #[test]
    fn spec_samples_round_trip_exactly() {
        let samples = [
            json!({"event_type":"task.progress","timestamp":"2026-01-10T09:00:30Z","version":"1.0",
                   "task_id":"calc_1234567890","task_type":"batch_daily","status":"running","progress":1.0,
                   "message":"Processing 000050 (50/5000)","processed":50,"total":5000,"failed":0}),
            json!({"event_type":"stock.indicators.completed","timestamp":"2026-01-10T09:00:31Z","version":"1.0",
                   "stock_code":"000001","indicators":["SMA","SMA","SMA","SMA","MACD","RSI","BBANDS","ATR","KDJ"],
                   "success_count":9,"failed_count":0,"calculation_time_ms":1.25,"from_cache_count":2}),
            json!({"event_type":"task.completed","timestamp":"2026-01-10T09:00:35Z","version":"1.0",
                   "task_id":"calc_1234567890","task_type":"batch_daily","status":"completed",
                   "duration_seconds":4.2,"result":{"success":4988,"failed":12}}),
        ];
        for sample in samples {
            let event: Event = serde_json::from_value(sample.clone()).unwrap();
            assert_eq!(event.event_type(), sample["event_type"]);
            let back: Value = serde_json::to_value(&event).unwrap();
            assert_eq!(back, sample);
        }
    }

    #[test]
    fn new_events_carry_the_common_fields() {
        let e = Event::now(EventBody::PriceUpdate(PriceUpdate {
            symbol: "000001".into(),
            price: 10.5,
            volume: 100.0,
            ts: "2026-01-10T09:00:30Z".into(),
        }));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["event_type"], "price.update");
        assert_eq!(v["version"], "1.0");
        let ts = v["timestamp"].as_str().unwrap();
        assert!(ts.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(ts).is_ok(), "{ts}");
        let n = Event::now(EventBody::SystemDegraded(SystemNotice {
            instance: "a".into(),
            component: Some("redis".into()),
            message: None,
        }));
        let v = serde_json::to_value(&n).unwrap();
        assert_eq!(v["event_type"], "system.degraded");
        assert!(v.get("message").is_none());
    }
}
