//! MAVP against TA-Lib 0.8 (the `ta-lib` 0.8.2 wheel), bit for bit.
//!
//! MAVP is not in the catalog: its period series is not an OHLCV column. The golden
//! files carry that series as the extra input `periods` (built by
//! `scripts/golden_cases/overlap.py`) and the wheel's results under `kernel_results`;
//! this test calls the kernel directly, starting at the first bar where both inputs
//! are numbers, as TA-Lib's Python wrapper does.

use std::io::Read;

use indicators::overlap::mavp::{mavp, mavp_lookback};
use indicators::MaType;
use serde_json::Value;

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

#[test]
fn mavp_matches_the_wheel() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("golden dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "expected the 9 golden cases in {dir:?}");
    let mut failures = Vec::new();
    let mut runs = 0;
    let mut checked = 0usize;
    for path in files {
        let doc = load(&path);
        let case = doc["case"].as_str().unwrap().to_string();
        let close = series(&doc["inputs"]["close"]);
        let periods = series(&doc["inputs"]["periods"]);
        let n = close.len();
        let first = |s: &[f64]| s.iter().position(|v| !v.is_nan()).unwrap_or(n);
        let begin = first(&close).max(first(&periods));
        for result in doc["kernel_results"].as_array().expect("kernel_results") {
            assert_eq!(result["code"], "MAVP");
            let p = &result["params"];
            let int = |name: &str, default: i64| p.get(name).and_then(Value::as_i64).unwrap_or(default);
            let (lo, hi) = (int("minperiod", 2) as usize, int("maxperiod", 30) as usize);
            let matype = MaType::from_code_or(int("matype", 0), MaType::Sma).expect("valid matype");
            let mut ours = vec![f64::NAN; begin];
            ours.extend(mavp(&close[begin..], &periods[begin..], lo, hi, matype));
            let theirs = series(&result["outputs"]["real"]);
            assert_eq!(ours.len(), theirs.len());
            runs += 1;
            let lead = ours.iter().take_while(|v| v.is_nan()).count();
            if lead < n && lead != begin + mavp_lookback(hi, matype) {
                failures.push(format!("{case} {p}: {lead} leading NaNs, lookback {}", mavp_lookback(hi, matype)));
            }
            for i in 0..n {
                let (a, b) = (ours[i], theirs[i]);
                let same = (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits() || (a == 0.0 && b == 0.0);
                if !same {
                    failures.push(format!("{case} MAVP {p}: index {i}: ours {a:e}, reference {b:e}"));
                    break;
                }
                checked += usize::from(!a.is_nan());
            }
        }
    }
    assert!(runs >= 9 * 17, "only {runs} MAVP runs");
    assert!(checked > 10_000, "only {checked} values compared");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn mavp_refuses_nothing_it_cannot_compute() {
    let x: Vec<f64> = (0..50).map(|i| 100.0 + (i as f64).sin()).collect();
    let p = vec![5.0; 50];
    assert!(mavp(&x, &p, 10, 5, MaType::Sma).iter().all(|v| v.is_nan()), "min > max gives no values");
    assert!(mavp(&x, &p[..10], 2, 30, MaType::Sma).iter().all(|v| v.is_nan()), "a short period series");
    assert!(mavp(&[], &[], 2, 30, MaType::Ema).is_empty());
    assert_eq!(mavp(&x, &p, 1, 1, MaType::Kama), x, "period 1 everywhere is the input");
    // Every type, several period windows, every length up to 70: no panic, and the
    // lookback's worth of leading NaNs.
    let periods: Vec<f64> = (0..50).map(|i| [1.0, 2.5, 40.0, f64::NAN, 7.0, 1e12][i % 6]).collect();
    for code in 0..=13 {
        let t = MaType::from_code_or(code, MaType::Sma).unwrap();
        for (lo, hi) in [(1, 1), (2, 30), (1, 8), (5, 5)] {
            for n in 0..=50 {
                let out = mavp(&x[..n], &periods[..n], lo, hi, t);
                let lead = out.iter().take_while(|v| v.is_nan()).count();
                assert_eq!(lead, n.min(mavp_lookback(hi, t)), "{t:?} {lo}..{hi} n={n}");
            }
        }
    }
}
