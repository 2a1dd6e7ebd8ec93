//! Event ids: a stream entry id `ms-seq` (Unix ms, then a sequence within that ms), the
//! form Redis gives and the in-process bus copies. One sequence runs across every
//! channel, so ids order events of different channels too.

/// An event id as numbers, ordered.
pub type EventId = (u64, u64);

/// Parses an event id: `ms-seq`, or `ms` (seq 0). `None` when malformed.
pub fn parse_event_id(text: &str) -> Option<EventId> {
    let (ms, seq) = text.split_once('-').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(ms) || !digits(seq) {
        return None;
    }
    Some((ms.parse().ok()?, seq.parse().ok()?))
}

/// The id just before `id`: a replay "after" it starts at `id`.
pub fn id_before((ms, seq): EventId) -> EventId {
    if seq > 0 {
        (ms, seq - 1)
    } else {
        (ms.saturating_sub(1), u64::MAX)
    }
}

/// The text form of an id.
pub fn id_text((ms, seq): EventId) -> String {
    format!("{ms}-{seq}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_order_and_step_back() {
        assert_eq!(parse_event_id("1700000000000-3"), Some((1_700_000_000_000, 3)));
        assert_eq!(parse_event_id("17"), Some((17, 0)));
        for bad in ["", "-", "a-1", "1-", "1-2-3", "99999999999999999999999-0"] {
            assert_eq!(parse_event_id(bad), None, "{bad}");
        }
        assert_eq!(id_before((5, 0)), (4, u64::MAX));
        assert_eq!(id_before((5, 2)), (5, 1));
        assert!(id_before((5, 0)) < (5, 0) && (4, 7) < id_before((5, 0)));
    }
}
