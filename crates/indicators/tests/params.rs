//! Parameter validation and robustness: bad parameters give errors that name the
//! parameter and its range; no parameter set or input length panics.

use indicators::{catalog, find, Bars, IndicatorError, ParamKind, RawParam};

#[test]
fn out_of_range_names_parameter_and_range() {
    let spec = find("rsi").unwrap();
    let err = spec.resolve(&[("timeperiod", RawParam::Int(1))]).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, IndicatorError::OutOfRange { name: "timeperiod", .. }), "{msg}");
    assert!(msg.contains("timeperiod") && msg.contains("2..=100000"), "{msg}");
}

#[test]
fn wrong_type_and_unknown_name_are_errors() {
    let spec = find("MACD").unwrap();
    let err = spec.resolve(&[("fastperiod", RawParam::from("1.5"))]).unwrap_err();
    assert!(matches!(err, IndicatorError::WrongType { name: "fastperiod", .. }), "{err}");
    let err = spec.resolve(&[("fast", RawParam::Int(3))]).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("fast") && msg.contains("fastperiod, slowperiod, signalperiod"), "{msg}");
    let err = find("NOPE").unwrap_err();
    assert!(matches!(err, IndicatorError::UnknownIndicator(_)));
    // Every TA-Lib matype 0..=13 is accepted; 14 is out of range.
    for t in 0..=13 {
        find("BBANDS").unwrap().resolve(&[("matype", RawParam::Int(t))]).unwrap();
    }
    let err = find("BBANDS").unwrap().resolve(&[("matype", RawParam::Int(14))]).unwrap_err();
    assert!(matches!(err, IndicatorError::OutOfRange { name: "matype", .. }), "{err}");
    assert!(err.to_string().contains("0..=13"), "{err}");
    let err = find("BBANDS").unwrap().resolve(&[("nbdevup", RawParam::from("abc"))]).unwrap_err();
    assert!(matches!(err, IndicatorError::WrongType { name: "nbdevup", .. }), "{err}");
    // A name given twice (in any case) is refused rather than guessed.
    let err = find("SMA").unwrap().resolve(&[("timeperiod", RawParam::Int(5)), ("TimePeriod", RawParam::Int(6))]);
    assert_eq!(err.unwrap_err().to_string(), "SMA: parameter `timeperiod` is given more than once");
}

#[test]
fn defaults_are_filled_and_text_is_accepted() {
    let spec = find("macd").unwrap();
    let p = spec.resolve(&[("SIGNALPERIOD", RawParam::from(" 5 "))]).unwrap();
    let got: Vec<_> = p.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(got, ["fastperiod=12", "slowperiod=26", "signalperiod=5"]);
    let bb = find("BBANDS").unwrap().default_params();
    let got: Vec<_> = bb.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(got, ["timeperiod=20", "nbdevup=2.0", "nbdevdn=2.0", "matype=0"]);
}

/// Matype 11 is TA-Lib's "the function's own default": SMA for MA, RMA for TA_KDJ.
#[test]
fn matype_11_is_the_parameters_default() {
    use indicators::MaType;
    let ma = find("MA").unwrap().resolve(&[("matype", RawParam::Int(11))]).unwrap();
    assert_eq!(ma.matype("matype"), MaType::Sma);
    let kdj = find("TA_KDJ").unwrap();
    assert_eq!(kdj.default_params().matype("slowk_matype"), MaType::Rma);
    let p = kdj.resolve(&[("slowk_matype", RawParam::Int(11)), ("slowd_matype", RawParam::Int(1))]).unwrap();
    assert_eq!((p.matype("slowk_matype"), p.matype("slowd_matype")), (MaType::Rma, MaType::Ema));
    for code in 0..=13 {
        let t = MaType::from_code_or(code, MaType::Kama).unwrap();
        assert_eq!(t.code(), if code == 11 { 6 } else { code });
    }
    assert_eq!(MaType::from_code(11), None);
    assert_eq!(MaType::from_code(14), None);
}

#[test]
fn missing_or_ragged_inputs_are_errors() {
    let close = [1.0, 2.0, 3.0];
    let spec = find("ATR").unwrap();
    let p = spec.default_params();
    let err = spec.compute(&Bars { close: &close, ..Default::default() }, &p).unwrap_err();
    assert!(matches!(err, IndicatorError::MissingInput { .. }), "{err}");
    let high = [1.0, 2.0];
    let err = spec.compute(&Bars { high: &high, low: &close, close: &close, ..Default::default() }, &p).unwrap_err();
    assert!(matches!(err, IndicatorError::LengthMismatch { .. }), "{err}");
}

/// Every indicator, at its minimum, default and a mid-range parameter set, over every
/// input length from 0 to 70 (including all-NaN and lookback-sized inputs): no panic,
/// outputs as long as the input, and exactly `lookback` leading NaNs when there is room.
#[test]
fn no_parameter_set_or_length_panics() {
    let mut x = 0.37_f64;
    let mut next = || {
        x = (x * 3.9 * (1.0 - x)).clamp(0.01, 0.99);
        x
    };
    let close: Vec<f64> = (0..70).map(|_| 50.0 + next() * 10.0).collect();
    let high: Vec<f64> = close.iter().map(|c| c + next()).collect();
    let low: Vec<f64> = close.iter().map(|c| c - next()).collect();
    let open = close.clone();
    let volume: Vec<f64> = (0..70).map(|_| (next() * 1e6).round()).collect();
    // MAVP's period per bar: in range, below and above it.
    let periods: Vec<f64> = (0..70).map(|i| (i % 45) as f64).collect();
    // Inside every Math Transform's domain (ACOS and ASIN need -1..1).
    let unit: Vec<f64> = close.iter().map(|c| (c - 55.0) / 10.0).collect();
    for spec in catalog() {
        let close = if spec.group == "math_transform" { &unit } else { &close };
        for choice in 0..3 {
            let given: Vec<(String, RawParam)> = spec
                .params
                .iter()
                .filter(|s| s.kind != ParamKind::MaType)
                .map(|s| {
                    let v = match choice {
                        0 => s.min.max(if s.kind == ParamKind::Real { 0.0 } else { 1.0 }),
                        1 => s.default,
                        _ => (s.default * 1.5).min(s.max).max(s.min),
                    };
                    let raw = if s.kind == ParamKind::Real { RawParam::Real(v) } else { RawParam::Int(v as i64) };
                    (s.name.to_string(), raw)
                })
                .collect();
            let p = spec.resolve(&given).unwrap_or_else(|e| panic!("{}: {e}", spec.code));
            let lb = spec.lookback(&p);
            for n in 0..=70 {
                let bars = Bars {
                    open: &open[..n],
                    high: &high[..n],
                    low: &low[..n],
                    close: &close[..n],
                    volume: &volume[..n],
                    periods: &periods[..n],
                };
                let out = spec.compute(&bars, &p).unwrap();
                assert_eq!(out.len(), spec.outputs.len(), "{}", spec.code);
                let mut longest_lead = 0;
                for series in &out {
                    assert_eq!(series.len(), n, "{}", spec.code);
                    longest_lead = longest_lead.max(series.iter().take_while(|v| v.is_nan()).count());
                }
                if n > lb {
                    assert_eq!(longest_lead, lb, "{} {:?} n={n}: leading NaNs vs lookback", spec.code, given);
                }
            }
            let nan = vec![f64::NAN; 40];
            let all_nan = Bars { open: &nan, high: &nan, low: &nan, close: &nan, volume: &nan, periods: &nan };
            assert!(spec.compute(&all_nan, &p).unwrap().iter().all(|s| s.iter().all(|v| v.is_nan())));
        }
    }
}

/// Every indicator that takes a moving-average type, at every type 0..=13 (all its
/// matype parameters set alike) and at short and default periods, over every input
/// length from 0 to 70: no panic, and exactly `lookback` leading NaNs when there is room.
#[test]
fn every_matype_at_every_length() {
    let close: Vec<f64> = (0..70).map(|i| 50.0 + ((i * 37) % 11) as f64 * 0.7 - (i % 4) as f64).collect();
    let high: Vec<f64> = close.iter().map(|c| c + 1.0).collect();
    let low: Vec<f64> = close.iter().map(|c| c - 1.5).collect();
    let open: Vec<f64> = close.iter().map(|c| c - 0.25).collect();
    let volume: Vec<f64> = (0..70).map(|i| 1000.0 + ((i * 13) % 7) as f64 * 100.0).collect();
    let periods: Vec<f64> = (0..70).map(|i| (i % 45) as f64).collect();
    for spec in catalog().iter().filter(|s| s.params.iter().any(|p| p.kind == ParamKind::MaType)) {
        for t in 0..=13 {
            for short in [true, false] {
                let given: Vec<(String, RawParam)> = spec
                    .params
                    .iter()
                    .map(|s| {
                        let v = match s.kind {
                            ParamKind::MaType => t,
                            ParamKind::Int if short => s.min.max(2.0) as i64,
                            _ => s.default as i64,
                        };
                        let raw = if s.kind == ParamKind::Real { RawParam::Real(s.default) } else { RawParam::Int(v) };
                        (s.name.to_string(), raw)
                    })
                    .collect();
                let p = spec.resolve(&given).unwrap_or_else(|e| panic!("{}: {e}", spec.code));
                let lb = spec.lookback(&p);
                for n in 0..=70 {
                    let bars = Bars {
                        open: &open[..n],
                        high: &high[..n],
                        low: &low[..n],
                        close: &close[..n],
                        volume: &volume[..n],
                        periods: &periods[..n],
                    };
                    let out = spec.compute(&bars, &p).unwrap();
                    let lead = out.iter().map(|s| s.iter().take_while(|v| v.is_nan()).count()).max().unwrap_or(0);
                    if n > lb {
                        assert_eq!(lead, lb, "{} {given:?} n={n}", spec.code);
                    } else {
                        assert_eq!(lead, n, "{} {given:?} n={n}", spec.code);
                    }
                }
            }
        }
    }
}

/// Every parameter of every indicator: its default resolves, and one step below its
/// minimum or above its maximum is refused with an error that names the indicator and
/// the parameter (no value is silently clamped).
#[test]
fn every_parameter_refuses_values_outside_its_range() {
    let mut checked = 0;
    for spec in catalog() {
        assert!(spec.resolve::<&str>(&[]).is_ok(), "{}: defaults resolve", spec.code);
        for param in spec.params {
            let step = if param.kind == ParamKind::Real { param.max.abs().max(1.0) * 1e-3 } else { 1.0 };
            for bad in [param.min - step, param.max + step] {
                let raw = if param.kind == ParamKind::Real { RawParam::Real(bad) } else { RawParam::Int(bad as i64) };
                let err = spec.resolve(&[(param.name, raw)]).expect_err(&format!("{} {}={bad}", spec.code, param.name));
                let msg = err.to_string();
                assert!(msg.contains(spec.code) && msg.contains(param.name), "{msg}");
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked}");
}
