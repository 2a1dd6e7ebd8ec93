//! Catalog entries: The mainland-China flavours (MyTT): KDJ, MACD_CN, BIAS, BOLL.

use super::*;

pub(super) static SPECS: &[IndicatorSpec] = &[
    IndicatorSpec {
        code: "KDJ",
        group: "china",
        description: "KDJ stochastic as drawn by Chinese trading software (MyTT; TA-Lib's KDJ is TA_KDJ)",
        inputs: HLC,
        params: &[ParamSpec::int("n", 9, 1, MAXP), ParamSpec::int("m1", 3, 1, MAXP), ParamSpec::int("m2", 3, 1, MAXP)],
        outputs: &["k", "d", "j"],
        reference: Reference::MyTT,
        kernel: |b, p| kdj::kdj(b.high, b.low, b.close, p.usize("n"), p.usize("m1"), p.usize("m2")).into(),
        lookback: |p| kdj::kdj_lookback(p.usize("n")),
    },
    IndicatorSpec {
        code: "MACD_CN",
        group: "china",
        description: "MACD with bar = 2 x (DIF - DEA), EMAs seeded at the first bar (MyTT)",
        inputs: REAL,
        params: &[
            ParamSpec::int("short", 12, 1, MAXP),
            ParamSpec::int("long", 26, 1, MAXP),
            ParamSpec::int("m", 9, 1, MAXP),
        ],
        outputs: &["dif", "dea", "macd"],
        reference: Reference::MyTT,
        kernel: |b, p| macd_cn::macd_cn(b.close, p.usize("short"), p.usize("long"), p.usize("m")).into(),
        lookback: |_| macd_cn::macd_cn_lookback(),
    },
    IndicatorSpec {
        code: "BIAS",
        group: "china",
        description: "Deviation from the moving average, percent, for three lengths (MyTT)",
        inputs: REAL,
        params: &[
            ParamSpec::int("l1", 6, 1, MAXP),
            ParamSpec::int("l2", 12, 1, MAXP),
            ParamSpec::int("l3", 24, 1, MAXP),
        ],
        outputs: &["bias1", "bias2", "bias3"],
        reference: Reference::MyTT,
        kernel: |b, p| bias::bias(b.close, p.usize("l1"), p.usize("l2"), p.usize("l3")).into(),
        lookback: |p| bias::bias_lookback(p.usize("l1"), p.usize("l2"), p.usize("l3")),
    },
    IndicatorSpec {
        code: "BOLL",
        group: "china",
        description: "Bollinger bands with population deviation (MyTT)",
        inputs: REAL,
        params: &[ParamSpec::int("n", 20, 1, MAXP), ParamSpec::real("p", 2.0, 0.0, 1000.0)],
        outputs: &["upper", "mid", "lower"],
        reference: Reference::MyTT,
        kernel: |b, p| boll::boll(b.close, p.usize("n"), p.real("p")).into(),
        lookback: |p| boll::boll_lookback(p.usize("n")),
    },
];
