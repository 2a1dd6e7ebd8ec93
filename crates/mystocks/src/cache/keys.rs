//! Cache keys (SPEC section 3) and `params_hash`, interoperable with Python clients.
//!
//! `params_hash` is the first 8 hex digits of the MD5 of `json.dumps(params,
//! sort_keys=True)` with Python's default separators: integers print as integers, reals
//! as Python's `repr` (`2.0`, `0.0001`, `1e-05`, `1e+16`).

use indicators::{ParamValue, Params};
use md5::{Digest, Md5};

/// Python's `repr(float)`: the shortest round-trip digits, fixed notation when the
/// decimal exponent is in -4..=15 (always with a `.0` or more), scientific otherwise
/// with a sign and at least two exponent digits.
pub fn python_float_repr(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    // Rust's `{:e}` prints the shortest round-trip digits as d.ddde±x.
    let sci = format!("{:e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if v < 0.0 { "-" } else { "" };
    if (-4..=15).contains(&exp) {
        let body = if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                format!("{}{}.0", digits, "0".repeat(int_len - digits.len()))
            } else {
                format!("{}.{}", &digits[..int_len], &digits[int_len..])
            }
        } else {
            format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
        };
        format!("{sign}{body}")
    } else {
        let frac = if digits.len() > 1 { format!(".{}", &digits[1..]) } else { String::new() };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{}{frac}e{esign}{:02}", &digits[..1], exp.abs())
    }
}

/// `json.dumps(params, sort_keys=True)` of a full parameter set.
pub fn canonical_params(params: &Params) -> String {
    let mut pairs: Vec<(&str, ParamValue)> = params.iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            let value = match v {
                ParamValue::Int(i) => i.to_string(),
                ParamValue::Real(r) => python_float_repr(*r),
            };
            format!("\"{k}\": {value}")
        })
        .collect();
    format!("{{{}}}", body.join(", "))
}

/// First 8 hex digits of the MD5 of a canonical parameter text.
pub fn hash_canonical(canonical: &str) -> String {
    let digest = Md5::digest(canonical.as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// The `params_hash` of a full parameter set.
pub fn params_hash(params: &Params) -> String {
    hash_canonical(&canonical_params(params))
}

/// What names one result in every key about it: `{symbol}:{code}:{params_hash}` for
/// daily bars; other frequencies put the frequency after the code (`MACD@15m`) so that
/// they never collide with daily results. `symbol` and `freq` must already be validated
/// (no `*?[:` or whitespace can occur).
pub fn result_id(symbol: &str, code: &str, params_hash: &str, freq: &str) -> String {
    if freq == "1d" {
        format!("{symbol}:{code}:{params_hash}")
    } else {
        format!("{symbol}:{code}@{freq}:{params_hash}")
    }
}

/// `P ind:{result_id}` (see [`result_id`]): the L2 key of one result.
pub fn indicator_key(prefix: &str, symbol: &str, code: &str, params_hash: &str, freq: &str) -> String {
    format!("{prefix}ind:{}", result_id(symbol, code, params_hash, freq))
}

/// The pattern matching every indicator key of one symbol.
pub fn symbol_pattern(prefix: &str, symbol: &str) -> String {
    format!("{prefix}ind:{symbol}:*")
}

/// The per-symbol generation counter that guards write-backs (bookkeeping: its own
/// namespace, never under `ind:`).
pub fn generation_key(prefix: &str, symbol: &str) -> String {
    format!("{prefix}gen:{symbol}")
}

/// The fencing record of one result: the newest lock fence that wrote it (bookkeeping:
/// its own namespace, never under `ind:`).
pub fn fence_key(prefix: &str, symbol: &str, code: &str, params_hash: &str, freq: &str) -> String {
    format!("{prefix}fence:{}", result_id(symbol, code, params_hash, freq))
}

/// True for a bar frequency we accept in keys: a positive number without leading zeros
/// and a unit (`1d`, `15m`, `1h`, `1w`, `1mo`).
pub fn valid_freq(freq: &str) -> bool {
    let digits = freq.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && digits <= 4 && !freq.starts_with('0') && matches!(&freq[digits..], "s" | "m" | "h" | "d" | "w" | "mo")
}

/// True for a (valid) frequency counted in days or longer, whose bars are dated by day.
pub fn dated_by_day(freq: &str) -> bool {
    freq.ends_with('d') || freq.ends_with('w') || freq.ends_with("mo")
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicators::{find, RawParam};

    fn hash(code: &str, given: &[(&str, RawParam)]) -> (String, String) {
        let spec = find(code).unwrap();
        let p = spec.resolve(given).unwrap();
        (canonical_params(&p), params_hash(&p))
    }

    #[test]
    fn spec_vectors() {
        assert_eq!(hash_canonical("{}"), "99914b93");
        assert_eq!(hash("RSI", &[]), ("{\"timeperiod\": 14}".into(), "5b300e9e".into()));
        assert_eq!(
            hash("MACD", &[]),
            ("{\"fastperiod\": 12, \"signalperiod\": 9, \"slowperiod\": 26}".into(), "d7b32e6c".into())
        );
        assert_eq!(
            hash("BBANDS", &[("nbdevup", RawParam::Int(2))]),
            ("{\"matype\": 0, \"nbdevdn\": 2.0, \"nbdevup\": 2.0, \"timeperiod\": 20}".into(), "f0528410".into())
        );
        assert_eq!(hash("KDJ", &[]), ("{\"m1\": 3, \"m2\": 3, \"n\": 9}".into(), "06295915".into()));
        assert_eq!(hash("OBV", &[]).1, "99914b93");
    }

    #[test]
    fn defaults_spelled_out_hash_the_same() {
        assert_eq!(hash("MACD", &[("fastperiod", RawParam::from("12"))]).1, hash("MACD", &[]).1);
    }

    #[test]
    fn floats_print_like_python_repr() {
        for (v, want) in [
            (2.0, "2.0"),
            (0.02, "0.02"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.25e17, "1.25e+17"),
            (123.456, "123.456"),
            (-2.5, "-2.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (3e37, "3e+37"),
            (0.0, "0.0"),
        ] {
            assert_eq!(python_float_repr(v), want, "{v}");
        }
    }

    #[test]
    fn keys_follow_the_spec() {
        assert_eq!(indicator_key("mystocks:", "000001", "MACD", "d7b32e6c", "1d"), "mystocks:ind:000001:MACD:d7b32e6c");
        assert_eq!(indicator_key("p:", "A", "RSI", "5b300e9e", "15m"), "p:ind:A:RSI@15m:5b300e9e");
        assert_eq!(symbol_pattern("mystocks:", "000001"), "mystocks:ind:000001:*");
        assert_eq!(fence_key("mystocks:", "000001", "MACD", "d7b32e6c", "1d"), "mystocks:fence:000001:MACD:d7b32e6c");
        assert!(valid_freq("1d") && valid_freq("15m") && valid_freq("1mo"));
        assert!(!valid_freq("d") && !valid_freq("1x") && !valid_freq("1d*") && !valid_freq("0d") && !valid_freq("05m"));
    }
}
