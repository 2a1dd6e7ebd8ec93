//! Streaming states equal the batch kernels bit for bit, bar by bar; and a state warmed
//! on a prefix (matching the batch over that prefix) continues with the batch over the
//! whole series. Runs on real AAPL bars from the golden inputs.
#![allow(clippy::needless_range_loop)]

use std::io::Read;

use indicators::china::kdj::{kdj, Kdj};
use indicators::momentum::dmi::{adx, Adx};
use indicators::momentum::macd::{macd, Macd};
use indicators::momentum::rsi::{rsi, Rsi};
use indicators::momentum::stoch::{stoch, Stoch};
use indicators::overlap::ema::{dema, ema, tema, Dema, Ema, Tema};
use indicators::overlap::kc::{kc, Kc};
use indicators::overlap::sma::{sma, Sma};
use indicators::overlap::supertrend::{supertrend, Supertrend};
use indicators::transform::ha::{ha, Ha};
use indicators::volatility::atr::{atr, Atr};
use indicators::volume::ad::{ad, Ad};
use indicators::volume::obv::{obv, Obv};
use indicators::MaType;

struct Series {
    open: Vec<f64>,
    high: Vec<f64>,
    low: Vec<f64>,
    close: Vec<f64>,
    volume: Vec<f64>,
}

fn aapl() -> Series {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/real_aapl.json.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()).read_to_string(&mut text).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let col = |name: &str| -> Vec<f64> {
        doc["inputs"][name].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect()
    };
    Series { open: col("open"), high: col("high"), low: col("low"), close: col("close"), volume: col("volume") }
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// Feeds `step` over every bar from a fresh state; each output must equal `batch` at
/// that bar, inside the lookback (NaN) and after it.
fn check<S>(
    name: &str,
    n: usize,
    batch: &[Vec<f64>],
    fresh: impl FnOnce() -> S,
    step: impl Fn(&mut S, usize) -> Vec<f64>,
) {
    let mut state = fresh();
    for i in 0..n {
        let got = step(&mut state, i);
        for (k, series) in batch.iter().enumerate() {
            assert!(same(got[k], series[i]), "{name}: output {k} at bar {i}: stream {} vs batch {}", got[k], series[i]);
        }
    }
}

fn or_nan(v: Option<f64>) -> Vec<f64> {
    vec![v.unwrap_or(f64::NAN)]
}

#[test]
fn ema_family_streams_like_batch() {
    let s = aapl();
    let n = s.close.len();
    for p in [2, 12, 30] {
        check("EMA", n, &[ema(&s.close, p)], || Ema::new(p), |st, i| or_nan(st.next(s.close[i])));
        check("DEMA", n, &[dema(&s.close, p)], || Dema::new(p), |st, i| or_nan(st.next(s.close[i])));
        check("TEMA", n, &[tema(&s.close, p)], || Tema::new(p), |st, i| or_nan(st.next(s.close[i])));
        check("SMA", n, &[sma(&s.close, p)], || Sma::new(p), |st, i| or_nan(st.next(s.close[i])));
    }
}

#[test]
fn oscillators_stream_like_batch() {
    let s = aapl();
    let n = s.close.len();
    check("RSI", n, &[rsi(&s.close, 14)], || Rsi::new(14), |st, i| or_nan(st.next(s.close[i])));
    check(
        "ATR",
        n,
        &[atr(&s.high, &s.low, &s.close, 14)],
        || Atr::new(14),
        |st, i| or_nan(st.next(s.high[i], s.low[i], s.close[i])),
    );
    check(
        "ADX",
        n,
        &[adx(&s.high, &s.low, &s.close, 14)],
        || Adx::new(14),
        |st, i| or_nan(st.next(s.high[i], s.low[i], s.close[i])),
    );
    let m = macd(&s.close, 12, 26, 9);
    check(
        "MACD",
        n,
        &m,
        || Macd::new(12, 26, 9),
        |st, i| match st.next(s.close[i]) {
            Some((a, b, c)) => vec![a, b, c],
            None => vec![f64::NAN; 3],
        },
    );
    for matype in [MaType::Sma, MaType::Ema] {
        let st = stoch(&s.high, &s.low, &s.close, 5, 3, matype, 3, matype);
        check(
            "STOCH",
            n,
            &st,
            || Stoch::new(5, 3, matype, 3, matype).expect("SMA/EMA smoothing streams"),
            |state, i| match state.next(s.high[i], s.low[i], s.close[i]) {
                Some((k, d)) => vec![k, d],
                None => vec![f64::NAN; 2],
            },
        );
    }
    let k = kdj(&s.high, &s.low, &s.close, 9, 3, 3);
    check(
        "KDJ",
        n,
        &k,
        || Kdj::new(9, 3, 3),
        |st, i| match st.next(s.high[i], s.low[i], s.close[i]) {
            Some((a, b, c)) => vec![a, b, c],
            None => vec![f64::NAN; 3],
        },
    );
}

#[test]
fn volume_lines_stream_like_batch() {
    let s = aapl();
    let n = s.close.len();
    check("OBV", n, &[obv(&s.close, &s.volume)], Obv::new, |st, i| vec![st.next(s.close[i], s.volume[i])]);
    check("AD", n, &[ad(&s.high, &s.low, &s.close, &s.volume)], Ad::new, |st, i| {
        vec![st.next(s.high[i], s.low[i], s.close[i], s.volume[i])]
    });
}

#[test]
fn a_warmed_state_continues_a_prefix_batch() {
    // The daily-update use: batch over history, keep the state, stream today's bar.
    let s = aapl();
    let full = macd(&s.close, 12, 26, 9);
    let split = 1000;
    let prefix = macd(&s.close[..split], 12, 26, 9);
    let mut state = Macd::new(12, 26, 9);
    for i in 0..split {
        let v = state.next(s.close[i]);
        assert!(same(v.map_or(f64::NAN, |t| t.0), prefix[0][i]), "prefix bar {i}");
    }
    for i in split..s.close.len() {
        let (m, sig, h) = state.next(s.close[i]).expect("seeded");
        assert!(same(m, full[0][i]) && same(sig, full[1][i]) && same(h, full[2][i]), "bar {i}");
    }
}

#[test]
fn candles_and_channels_stream_like_batch() {
    let s = aapl();
    let n = s.close.len();
    let h = ha(&s.open, &s.high, &s.low, &s.close);
    check("HA", n, &h, Ha::new, |st, i| {
        let (o, hi, lo, c) = st.next(s.open[i], s.high[i], s.low[i], s.close[i]);
        vec![o, hi, lo, c]
    });
    for (p, m) in [(2, 0.0), (10, 3.0), (14, 1.5)] {
        let st = supertrend(&s.high, &s.low, &s.close, p, m);
        check(
            "SUPERTREND",
            n,
            &st,
            || Supertrend::new(p, m),
            |state, i| match state.next(s.high[i], s.low[i], s.close[i]) {
                Some((v, t)) => vec![v, t],
                None => vec![f64::NAN; 2],
            },
        );
    }
    for (p, ap, d) in [(20, 10, 2.0), (2, 1, 1.0), (5, 30, -1.5)] {
        let k = kc(&s.high, &s.low, &s.close, p, ap, d);
        check(
            "KC",
            n,
            &k,
            || Kc::new(p, ap, d),
            |state, i| match state.next(s.high[i], s.low[i], s.close[i]) {
                Some((u, m, l)) => vec![u, m, l],
                None => vec![f64::NAN; 3],
            },
        );
    }
}
