//! Output formatting shared by the commands.

/// The shortest text that parses back to the same f64 (`12`, `0.1`, `1e-7`); empty for
/// NaN (a value inside the lookback).
pub fn shortest(v: f64) -> String {
    if v.is_nan() {
        return String::new();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(v);
    s.strip_suffix(".0").unwrap_or(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::shortest;

    #[test]
    fn shortest_round_trips() {
        for v in [0.1, 12.0, -3.5, 1e-7, 1.2345678901234567e300, 5e-324, 70.1324453238051, 0.0] {
            let s = shortest(v);
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{v} -> {s}");
        }
        assert_eq!(shortest(12.0), "12");
        assert_eq!(shortest(f64::NAN), "");
    }
}
