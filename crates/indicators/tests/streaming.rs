//! Streaming states equal the batch kernels bit for bit, bar by bar; and a state warmed
//! on a prefix (matching the batch over that prefix) continues with the batch over the
//! whole series. Runs on real AAPL bars from the golden inputs.
#![allow(clippy::needless_range_loop)]

use std::io::Read;

use indicators::china::kdj::{kdj, Kdj};
use indicators::cycle::dcperiod::{ht_dcperiod, HtDcPeriod};
use indicators::cycle::dcphase::{ht_dcphase, HtDcPhase};
use indicators::cycle::phasor::{ht_phasor, HtPhasor};
use indicators::cycle::sine::{ht_sine, HtSine};
use indicators::cycle::trendline::{ht_trendline, HtTrendline};
use indicators::cycle::trendmode::{ht_trendmode, HtTrendMode};
use indicators::momentum::dmi::{adx, adxr, dx, minus_dm, plus_dm, Adx, Adxr, DirectionalMovement, Dx};
use indicators::momentum::macd::{macd, macdext, macdfix, Macd, MacdExt};
use indicators::momentum::po::{apo, ppo, PriceOscillator};
use indicators::momentum::rsi::{rsi, Rsi};
use indicators::momentum::stoch::{stoch, Stoch};
use indicators::overlap::ema::{dema, ema, tema, Dema, Ema, Tema};
use indicators::overlap::kc::{kc, Kc};
use indicators::overlap::sarext::{sarext, SarExt, SarExtParams};
use indicators::overlap::sma::{sma, Sma};
use indicators::overlap::supertrend::{supertrend, Supertrend};
use indicators::transform::ha::{ha, Ha};
use indicators::volatility::atr::{atr, Atr};
use indicators::volatility::cvi::{cvi, Cvi};
use indicators::volatility::massi::{massi, Massi};
use indicators::volatility::rvi::{rvi, Rvi};
use indicators::volume::ad::{ad, Ad};
use indicators::volume::adosc::{adosc, Adosc};
use indicators::volume::efi::{efi, Efi};
use indicators::volume::nvi::{nvi, pvi, VolumeIndex};
use indicators::volume::obv::{obv, Obv};
use indicators::volume::pvt::{pvt, Pvt};
use indicators::volume::vwap::{vwap, Vwap};
use indicators::MaType;

struct Series {
    open: Vec<f64>,
    high: Vec<f64>,
    low: Vec<f64>,
    close: Vec<f64>,
    volume: Vec<f64>,
}

fn aapl() -> Series {
    golden_input("real_aapl")
}

fn golden_input(case: &str) -> Series {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{case}.json.gz"));
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

/// On `flat_tiny` (moves of ~1e-13, then exact plateaus) the smoothed TR and the DI sum
/// reach TA-Lib's zero tests, where the stream must take the batch's branches.
#[test]
fn zero_tests_stream_like_batch_on_flat_tiny() {
    let s = golden_input("flat_tiny");
    let n = s.close.len();
    for p in [2, 5, 14] {
        let step = |i: usize| (s.high[i], s.low[i], s.close[i]);
        check(
            "ADX",
            n,
            &[adx(&s.high, &s.low, &s.close, p)],
            || Adx::new(p),
            |st, i| {
                let (h, l, c) = step(i);
                or_nan(st.next(h, l, c))
            },
        );
        check(
            "DX",
            n,
            &[dx(&s.high, &s.low, &s.close, p)],
            || Dx::new(p),
            |st, i| {
                let (h, l, c) = step(i);
                or_nan(st.next(h, l, c))
            },
        );
        check(
            "ADXR",
            n,
            &[adxr(&s.high, &s.low, &s.close, p)],
            || Adxr::new(p),
            |st, i| {
                let (h, l, c) = step(i);
                or_nan(st.next(h, l, c))
            },
        );
    }
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
fn directional_movement_streams_like_batch() {
    let s = aapl();
    let n = s.close.len();
    for p in [2, 14, 30] {
        let bar = |i: usize| (s.high[i], s.low[i], s.close[i]);
        check(
            "DX",
            n,
            &[dx(&s.high, &s.low, &s.close, p)],
            || Dx::new(p),
            |st, i| {
                let (h, l, c) = bar(i);
                or_nan(st.next(h, l, c))
            },
        );
        check(
            "ADXR",
            n,
            &[adxr(&s.high, &s.low, &s.close, p)],
            || Adxr::new(p),
            |st, i| {
                let (h, l, c) = bar(i);
                or_nan(st.next(h, l, c))
            },
        );
    }
    for p in [1, 2, 14] {
        check(
            "PLUS_DM",
            n,
            &[plus_dm(&s.high, &s.low, p)],
            || DirectionalMovement::plus(p),
            |st, i| or_nan(st.next(s.high[i], s.low[i])),
        );
        check(
            "MINUS_DM",
            n,
            &[minus_dm(&s.high, &s.low, p)],
            || DirectionalMovement::minus(p),
            |st, i| or_nan(st.next(s.high[i], s.low[i])),
        );
    }
}

#[test]
fn price_oscillators_stream_like_batch() {
    let s = aapl();
    let n = s.close.len();
    let triple = |v: Option<(f64, f64, f64)>| match v {
        Some((a, b, c)) => vec![a, b, c],
        None => vec![f64::NAN; 3],
    };
    for signal in [1, 9] {
        check("MACDFIX", n, &macdfix(&s.close, signal), || Macd::fix(signal), |st, i| triple(st.next(s.close[i])));
    }
    for matype in [MaType::Sma, MaType::Ema] {
        for (fast, slow) in [(12, 26), (26, 12), (2, 3)] {
            check(
                "APO",
                n,
                &[apo(&s.close, fast, slow, matype)],
                || PriceOscillator::apo(fast, slow, matype).unwrap(),
                |st, i| or_nan(st.next(s.close[i])),
            );
            check(
                "PPO",
                n,
                &[ppo(&s.close, fast, slow, matype)],
                || PriceOscillator::ppo(fast, slow, matype).unwrap(),
                |st, i| or_nan(st.next(s.close[i])),
            );
        }
    }
    let types = [MaType::Sma, MaType::Ema];
    let combos = types.iter().flat_map(|&a| types.iter().flat_map(move |&b| types.map(|c| (a, b, c))));
    for (fast_ma, slow_ma, signal_ma) in combos {
        for (fast, slow, signal) in [(12, 26, 9), (30, 10, 1), (5, 6, 4)] {
            check(
                "MACDEXT",
                n,
                &macdext(&s.close, fast, fast_ma, slow, slow_ma, signal, signal_ma),
                || MacdExt::new(fast, fast_ma, slow, slow_ma, signal, signal_ma).unwrap(),
                |st, i| triple(st.next(s.close[i])),
            );
        }
    }
    assert!(MacdExt::new(12, MaType::Wma, 26, MaType::Ema, 9, MaType::Ema).is_none());
    assert!(PriceOscillator::apo(12, 26, MaType::Kama).is_none());
}

#[test]
fn volume_lines_stream_like_batch() {
    let s = aapl();
    let n = s.close.len();
    check("OBV", n, &[obv(&s.close, &s.volume)], Obv::new, |st, i| vec![st.next(s.close[i], s.volume[i])]);
    check("AD", n, &[ad(&s.high, &s.low, &s.close, &s.volume)], Ad::new, |st, i| {
        vec![st.next(s.high[i], s.low[i], s.close[i], s.volume[i])]
    });
    check("NVI", n, &[nvi(&s.close, &s.volume)], VolumeIndex::nvi, |st, i| vec![st.next(s.close[i], s.volume[i])]);
    check("PVI", n, &[pvi(&s.close, &s.volume)], VolumeIndex::pvi, |st, i| vec![st.next(s.close[i], s.volume[i])]);
    check("PVT", n, &[pvt(&s.close, &s.volume)], Pvt::new, |st, i| vec![st.next(s.close[i], s.volume[i])]);
    check("VWAP", n, &[vwap(&s.high, &s.low, &s.close, &s.volume)], Vwap::new, |st, i| {
        vec![st.next(s.high[i], s.low[i], s.close[i], s.volume[i])]
    });
}

#[test]
fn volume_and_volatility_oscillators_stream_like_batch() {
    let s = aapl();
    let n = s.close.len();
    for (f, sl) in [(3, 10), (10, 3), (2, 2)] {
        check(
            "ADOSC",
            n,
            &[adosc(&s.high, &s.low, &s.close, &s.volume, f, sl)],
            || Adosc::new(f, sl),
            |st, i| or_nan(st.next(s.high[i], s.low[i], s.close[i], s.volume[i])),
        );
    }
    for p in [1, 2, 13] {
        check(
            "EFI",
            n,
            &[efi(&s.close, &s.volume, p)],
            || Efi::new(p),
            |st, i| or_nan(st.next(s.close[i], s.volume[i])),
        );
    }
    for (p, r) in [(10, 10), (2, 1), (5, 40)] {
        check("CVI", n, &[cvi(&s.high, &s.low, p, r)], || Cvi::new(p, r), |st, i| or_nan(st.next(s.high[i], s.low[i])));
    }
    for (f, sl) in [(9, 25), (2, 2), (4, 40)] {
        check(
            "MASSI",
            n,
            &[massi(&s.high, &s.low, f, sl)],
            || Massi::new(f, sl),
            |st, i| or_nan(st.next(s.high[i], s.low[i])),
        );
    }
    // Plateaus make the variance cancel, so the re-centring path is taken too.
    let mut plateaus = s.close.clone();
    for start in [100, 400, 900] {
        let v = plateaus[start];
        plateaus[start..start + 30].fill(v);
    }
    for series in [&s.close, &plateaus] {
        for (p, sd) in [(14, 10), (1, 2), (30, 5)] {
            check("RVI", n, &[rvi(series, p, sd)], || Rvi::new(p, sd), |st, i| or_nan(st.next(series[i])));
        }
    }
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
fn blau_and_elder_states_stream_like_batch() {
    use indicators::momentum::eri::{eri, Eri};
    use indicators::momentum::smi::{smi, Smi};
    use indicators::momentum::tsi::{tsi, Tsi};
    let s = aapl();
    let n = s.close.len();
    let pair = |v: Option<(f64, f64)>| v.map_or(vec![f64::NAN; 2], |(a, b)| vec![a, b]);
    for p in [1, 2, 13] {
        check(
            "ERI",
            n,
            &eri(&s.high, &s.low, &s.close, p),
            || Eri::new(p),
            |st, i| pair(st.next(s.high[i], s.low[i], s.close[i])),
        );
    }
    for (p1, p2) in [(25, 13), (2, 2), (5, 40)] {
        check("TSI", n, &[tsi(&s.close, p1, p2)], || Tsi::new(p1, p2), |st, i| or_nan(st.next(s.close[i])));
    }
    for (t, f, sl, sg) in [(13, 2, 25, 9), (2, 2, 2, 2), (20, 10, 3, 30)] {
        check(
            "SMI",
            n,
            &smi(&s.high, &s.low, &s.close, t, f, sl, sg),
            || Smi::new(t, f, sl, sg),
            |st, i| pair(st.next(s.high[i], s.low[i], s.close[i])),
        );
    }
}

#[test]
fn hilbert_and_sarext_stream_like_batch() {
    let s = aapl();
    let n = s.close.len();
    check("HT_DCPERIOD", n, &[ht_dcperiod(&s.close)], HtDcPeriod::new, |st, i| or_nan(st.next(s.close[i])));
    check("HT_TRENDLINE", n, &[ht_trendline(&s.close)], HtTrendline::new, |st, i| or_nan(st.next(s.close[i])));
    check("HT_DCPHASE", n, &[ht_dcphase(&s.close)], HtDcPhase::new, |st, i| or_nan(st.next(s.close[i])));
    check("HT_TRENDMODE", n, &[ht_trendmode(&s.close)], HtTrendMode::new, |st, i| or_nan(st.next(s.close[i])));
    let pair = |v: Option<(f64, f64)>| v.map_or(vec![f64::NAN; 2], |(a, b)| vec![a, b]);
    check("HT_PHASOR", n, &ht_phasor(&s.close), HtPhasor::new, |st, i| pair(st.next(s.close[i])));
    check("HT_SINE", n, &ht_sine(&s.close), HtSine::new, |st, i| pair(st.next(s.close[i])));
    // Shorter than the lookbacks, and just past them.
    for len in [0, 1, 2, 3, 12, 33, 63, 64, 70] {
        let c = &s.close[..len];
        check("HT_DCPERIOD prefix", len, &[ht_dcperiod(c)], HtDcPeriod::new, |st, i| or_nan(st.next(c[i])));
        check("HT_TRENDLINE prefix", len, &[ht_trendline(c)], HtTrendline::new, |st, i| or_nan(st.next(c[i])));
    }
    let settings = [
        SarExtParams::default(),
        SarExtParams { start_value: 95.0, offset_on_reverse: 0.01, ..SarExtParams::default() },
        SarExtParams {
            start_value: -120.0,
            accel_init_long: 0.01,
            accel_long: 0.03,
            accel_max_long: 0.3,
            accel_init_short: 0.05,
            accel_short: 0.01,
            accel_max_short: 0.1,
            ..SarExtParams::default()
        },
        SarExtParams { accel_init_short: 0.3, accel_short: 0.3, accel_max_short: 0.25, ..SarExtParams::default() },
    ];
    for p in settings {
        check(
            "SAREXT",
            n,
            &[sarext(&s.high, &s.low, &p)],
            || SarExt::new(&p),
            |st, i| or_nan(st.next(s.high[i], s.low[i])),
        );
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
