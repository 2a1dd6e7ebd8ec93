//! Golden comparison against TA-Lib 0.8 (the `ta-lib` 0.8.2 wheel) and MyTT.
//!
//! The files in `tests/golden/` are written by `scripts/gen_goldens.py`. For TA-Lib
//! indicators the NaN pattern (the lookback) must be identical and every value equal
//! to the last bit, except for the indicators listed in [`NOT_BIT_EXACT`], which must
//! agree within 1e-12 relative. China flavours must equal MyTT at 3 decimals (MyTT
//! rounds to 3) after 120 bars of warm-up, with the same NaN pattern.

use std::io::Read;

use indicators::{find, Bars, RawParam, Reference};
use serde_json::Value;

/// Indicators whose operation order cannot follow TA-Lib's exactly, with the reason.
/// Empty: every TA-Lib indicator here is bit-exact on every golden case.
const NOT_BIT_EXACT: &[(&str, &str)] = &[];

const CHINA_WARMUP: usize = 120;

fn load(path: &std::path::Path) -> Value {
    let file = std::fs::File::open(path).expect("golden file opens");
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).expect("golden file is gzip text");
    serde_json::from_str(&text).expect("golden file is JSON")
}

fn series(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("series is an array")
        .iter()
        .map(|x| match x {
            Value::Null => f64::NAN,
            Value::String(s) => s.parse::<f64>().expect("inf/-inf"),
            other => other.as_f64().expect("number"),
        })
        .collect()
}

fn params(v: &Value) -> Vec<(String, RawParam)> {
    v.as_object()
        .expect("params object")
        .iter()
        .map(|(k, v)| {
            let raw = if let Some(i) = v.as_i64() { RawParam::Int(i) } else { RawParam::Real(v.as_f64().unwrap()) };
            (k.clone(), raw)
        })
        .collect()
}

fn golden_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("golden dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "expected the 12 golden cases in {dir:?}");
    files
}

#[test]
fn every_indicator_matches_its_reference() {
    let mut failures = Vec::new();
    let mut checked_values = 0usize;
    let mut covered = std::collections::BTreeSet::new();
    for path in golden_files() {
        let doc = load(&path);
        let case = doc["case"].as_str().unwrap().to_string();
        let inputs = &doc["inputs"];
        let (open, high, low, close, volume) = (
            series(&inputs["open"]),
            series(&inputs["high"]),
            series(&inputs["low"]),
            series(&inputs["close"]),
            series(&inputs["volume"]),
        );
        // MAVP's period series, written by the generator beside the OHLCV columns.
        let periods = if inputs["periods"].is_null() { Vec::new() } else { series(&inputs["periods"]) };
        let bars = Bars { open: &open, high: &high, low: &low, close: &close, volume: &volume, periods: &periods };
        for result in doc["results"].as_array().unwrap() {
            let code = result["code"].as_str().unwrap();
            let spec = find(code).expect("golden code is in the catalog");
            covered.insert(spec.code);
            let p = spec.resolve(&params(&result["params"])).expect("golden params are valid");
            let ours = spec.compute(&bars, &p).expect("compute");
            let tolerance = NOT_BIT_EXACT.iter().any(|(c, _)| *c == code);
            for (oi, name) in spec.outputs.iter().enumerate() {
                let theirs = series(&result["outputs"][*name]);
                let mine = &ours[oi];
                assert_eq!(theirs.len(), mine.len(), "{case} {code} {name}: length");
                let label = format!("{case} {code} {} {name}", result["params"]);
                let mut bad = None;
                for i in 0..mine.len() {
                    let (a, b) = (mine[i], theirs[i]);
                    if a.is_nan() != b.is_nan() {
                        bad = Some(format!("index {i}: NaN pattern differs (ours {a}, reference {b})"));
                        break;
                    }
                    if a.is_nan() {
                        continue;
                    }
                    checked_values += 1;
                    let ok = match spec.reference {
                        Reference::TaLib if tolerance => (a - b).abs() <= 1e-12 * b.abs().max(1e-300) || a == b,
                        Reference::TaLib => a.to_bits() == b.to_bits() || (a == 0.0 && b == 0.0),
                        Reference::MyTT => i < CHINA_WARMUP || a == b || (a - b).abs() <= 0.0005 + 1e-12 * b.abs(),
                    };
                    if !ok {
                        bad = Some(format!("index {i}: ours {a:e}, reference {b:e}"));
                        break;
                    }
                }
                if let Some(why) = bad {
                    failures.push(format!("{label}: {why}"));
                }
            }
        }
    }
    let all: std::collections::BTreeSet<_> = indicators::catalog().iter().map(|s| s.code).collect();
    let missing: Vec<_> = all.difference(&covered).collect();
    assert!(missing.is_empty(), "indicators without goldens: {missing:?}");
    assert!(checked_values > 100_000, "only {checked_values} values compared");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
