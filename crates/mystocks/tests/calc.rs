//! `mystocks calc` end to end through its library entry point, on the bundled sample.

use std::path::PathBuf;

use mystocks::cli::calc::{run, CalcArgs, Format};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

fn calc(
    input: &str,
    code: &str,
    params: &[(&str, &str)],
    symbol: Option<&str>,
    format: Format,
) -> anyhow::Result<String> {
    let args = CalcArgs {
        input: fixture(input),
        indicator: code.to_string(),
        params: params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        symbol: symbol.map(str::to_string),
        format,
    };
    let mut out = Vec::new();
    run(&args, &mut out)?;
    Ok(String::from_utf8(out).expect("utf-8 output"))
}

#[test]
fn csv_has_one_row_per_bar_and_empty_lookback() {
    let text = calc("sample_aapl.csv", "MACD", &[], None, Format::Csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "date,macd,macdsignal,macdhist");
    assert_eq!(lines.len(), 301, "header + 300 bars");
    assert_eq!(lines[33], "2000-04-14,,,", "bar 32 is inside MACD's 33-bar lookback");
    let first: Vec<&str> = lines[34].split(',').collect();
    assert_eq!(first[0], "2000-04-17");
    for v in &first[1..] {
        let x: f64 = v.parse().expect("a number after the lookback");
        assert!(x.is_finite());
    }
}

#[test]
fn json_carries_params_with_defaults_and_nulls() {
    let text = calc("us_daily_2000_2013.csv.gz", "rsi", &[("timeperiod", "5")], Some("msft"), Format::Json).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["code"], "RSI");
    assert_eq!(doc["symbol"], "MSFT");
    assert_eq!(doc["params"], serde_json::json!({"timeperiod": 5}));
    assert_eq!(doc["lookback"], 5);
    let real = doc["outputs"]["real"].as_array().unwrap();
    assert_eq!(real.len(), 3270);
    assert!(real[..5].iter().all(|v| v.is_null()) && real[5].is_f64());
}

#[test]
fn errors_name_what_is_wrong() {
    let err = calc("us_daily_2000_2013.csv.gz", "SMA", &[], None, Format::Csv).unwrap_err().to_string();
    assert!(err.contains("5 symbols") && err.contains("--symbol"), "{err}");
    let err = calc("sample_aapl.csv", "SMA", &[("timeperiod", "0")], None, Format::Csv).unwrap_err().to_string();
    assert!(err.contains("timeperiod") && err.contains("2..=100000"), "{err}");
    let err = calc("sample_aapl.csv", "XYZ", &[], None, Format::Csv).unwrap_err().to_string();
    assert!(err.contains("unknown indicator"), "{err}");
}
