//! A deterministic synthetic A-share market for `mystocks demo-data`.
//!
//! Codes from the real boards (SZ main `000xxx`, SME `002xxx`, ChiNext `300xxx`, SH main
//! `600xxx`/`601xxx`/`603xxx`, STAR `688xxx`), Chinese-style names, geometric random-walk
//! prices on a 0.01 tick within the daily price limits (±10 %, ±20 % on ChiNext and
//! STAR), volumes in board lots that grow with the size of the move, and suspensions
//! (runs of missing bars). Trading days are the weekdays from 2023-01-03 on.
//!
//! Each symbol draws from its own generator seeded by (seed, index), so the same seed
//! gives the same market on any backend, and a smaller market is a prefix of a larger one.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::store::{Bar, Symbol, SymbolBars};

/// A generated market.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoMarket {
    /// The symbols, with names, exchanges and listing dates.
    pub symbols: Vec<Symbol>,
    /// Their daily bars.
    pub bars: Vec<SymbolBars>,
}

/// (exchange, first code, price limit) of each board, assigned round-robin.
const BOARDS: [(&str, u32, f64); 7] = [
    ("SZ", 1, 0.10),
    ("SH", 600_000, 0.10),
    ("SZ", 300_001, 0.20),
    ("SH", 601_000, 0.10),
    ("SZ", 2_001, 0.10),
    ("SH", 603_000, 0.10),
    ("SH", 688_001, 0.20),
];

const NAME_HEADS: [&str; 24] = [
    "华", "中", "东", "海", "天", "金", "新", "国", "长", "恒", "宏", "信", "瑞", "安", "博", "泰", "鼎", "光", "远",
    "兴", "盛", "嘉", "宁", "德",
];
const NAME_TAILS: [&str; 16] = [
    "银行", "科技", "医药", "能源", "电子", "地产", "证券", "汽车", "食品", "化工", "材料", "通信", "电力", "软件",
    "机械", "传媒",
];

/// The first trading day of every demo market.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 3).unwrap_or_default()
}

/// `days` weekdays from [`first_day`].
pub fn trading_days(days: usize) -> Vec<NaiveDate> {
    let mut out = Vec::with_capacity(days);
    let mut d = first_day();
    while out.len() < days {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            out.push(d);
        }
        d += Duration::days(1);
    }
    out
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.gen_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn tick(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The most symbols a demo market has: each board's code range holds 1,000 codes
/// before it would run into the next board's (600xxx into 601xxx).
pub const MAX_SYMBOLS: usize = 7 * 1000;

/// Generates `symbols` symbols (at most [`MAX_SYMBOLS`]) over `days` trading days.
pub fn generate(symbols: usize, days: usize, seed: u64) -> DemoMarket {
    let calendar = trading_days(days);
    let mut out = DemoMarket { symbols: Vec::with_capacity(symbols), bars: Vec::with_capacity(symbols) };
    for i in 0..symbols {
        let (exchange, base, limit) = BOARDS[i % BOARDS.len()];
        let code = format!("{:06}", base + (i / BOARDS.len()) as u32);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let name = format!(
            "{}{}{}",
            NAME_HEADS[rng.gen_range(0..NAME_HEADS.len())],
            NAME_HEADS[rng.gen_range(0..NAME_HEADS.len())],
            NAME_TAILS[rng.gen_range(0..NAME_TAILS.len())]
        );
        let mut close = tick((3.0f64.ln() + rng.gen_range(0.0..1.0) * (200.0f64 / 3.0).ln()).exp());
        let sigma: f64 = rng.gen_range(0.01..0.04);
        let drift: f64 = rng.gen_range(-0.0005..0.001);
        let base_volume: f64 = rng.gen_range(2e5..5e7);
        let mut suspended_for = 0u32;
        let mut bars = Vec::with_capacity(days);
        for day in &calendar {
            if suspended_for > 0 {
                suspended_for -= 1;
                continue;
            }
            if rng.gen_range(0.0..1.0) < 0.003 {
                suspended_for = rng.gen_range(0..10);
                continue;
            }
            let prev = close;
            let (up, down) = (tick(prev * (1.0 + limit)), tick(prev * (1.0 - limit)).max(0.01));
            let clamp = |x: f64| tick(x).clamp(down, up);
            let ret = (drift + sigma * normal(&mut rng)).clamp(-limit, limit);
            close = clamp(prev * (1.0 + ret));
            let open = clamp(prev * (1.0 + 0.5 * sigma * normal(&mut rng)));
            let high = clamp(open.max(close) * (1.0 + (0.5 * sigma * normal(&mut rng)).abs()));
            let low = clamp(open.min(close) * (1.0 - (0.5 * sigma * normal(&mut rng)).abs()));
            let lots = (base_volume * (0.5 * normal(&mut rng)).exp() * (1.0 + 5.0 * ret.abs()) / 100.0).round();
            let ts = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or_default();
            bars.push(Bar {
                ts,
                open,
                high: high.max(open).max(close),
                low: low.min(open).min(close),
                close,
                volume: lots * 100.0,
            });
        }
        let listed_on = calendar.first().map(|d| d.format("%Y-%m-%d").to_string());
        out.symbols.push(Symbol { code: code.clone(), name, exchange: exchange.to_string(), listed_on });
        out.bars.push(SymbolBars { symbol: code, freq: "1d".to_string(), bars });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_market_and_prefix_property() {
        let a = generate(30, 120, 7);
        assert_eq!(a, generate(30, 120, 7));
        assert_ne!(a, generate(30, 120, 8));
        let small = generate(10, 120, 7);
        assert_eq!(small.bars[..], a.bars[..10]);
    }

    #[test]
    fn bars_respect_limits_ticks_and_ohlc_order() {
        let m = generate(50, 250, 1);
        let codes: Vec<_> = m.symbols.iter().map(|s| s.code.as_str()).take(7).collect();
        assert_eq!(codes, ["000001", "600000", "300001", "601000", "002001", "603000", "688001"]);
        let mut missing = 0;
        for (sym, sb) in m.symbols.iter().zip(&m.bars) {
            assert!(crate::market::valid_symbol(&sym.code));
            missing += 250 - sb.bars.len();
            let limit = if sym.code.starts_with("300") || sym.code.starts_with("688") { 0.2 } else { 0.1 };
            for w in sb.bars.windows(2) {
                let (p, b) = (w[0], w[1]);
                assert!(b.ts > p.ts);
                assert!(b.low <= b.open.min(b.close) && b.high >= b.open.max(b.close), "{b:?}");
                assert!((b.close / p.close - 1.0).abs() <= limit + 0.006, "{} {p:?} -> {b:?}", sym.code);
                for v in [b.open, b.high, b.low, b.close] {
                    assert!((v * 100.0 - (v * 100.0).round()).abs() < 1e-6 && v > 0.0);
                }
                assert!(b.volume > 0.0 && b.volume % 100.0 == 0.0);
            }
        }
        assert!(missing > 0, "some suspended days");
    }
}
