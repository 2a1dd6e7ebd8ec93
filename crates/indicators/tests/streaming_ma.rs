//! Streaming states of the moving averages added with TA-Lib 0.8's matypes (RMA,
//! ZLEMA, T3, MAMA) equal their batch kernels bit for bit, bar by bar, on real AAPL
//! closes from the golden inputs and on a series with flat stretches.

use std::io::Read;

use indicators::overlap::mama::{mama, Mama};
use indicators::overlap::rma::{rma, Rma};
use indicators::overlap::t3::{t3, T3};
use indicators::overlap::zlema::{zlema, Zlema};

fn closes() -> Vec<Vec<f64>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/real_aapl.json.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()).read_to_string(&mut text).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let aapl = doc["inputs"]["close"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let flat = (0..300).map(|i: i32| if (i / 40) % 2 == 0 { 10.0 } else { 10.0 + f64::from(i % 7) * 0.37 }).collect();
    vec![aapl, flat]
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn check(name: &str, batch: &[f64], mut step: impl FnMut(f64) -> Option<f64>, input: &[f64]) {
    for (i, (&x, &b)) in input.iter().zip(batch).enumerate() {
        let got = step(x).unwrap_or(f64::NAN);
        assert!(same(got, b), "{name}: bar {i}: stream {got} vs batch {b}");
    }
}

#[test]
fn rma_zlema_t3_stream_like_batch() {
    for x in closes() {
        for p in [1, 2, 3, 14, 30] {
            let mut s = Rma::new(p);
            check(&format!("RMA {p}"), &rma(&x, p), |v| s.next(v), &x);
            let mut s = Zlema::new(p);
            check(&format!("ZLEMA {p}"), &zlema(&x, p), |v| s.next(v), &x);
            for vf in [0.0, 0.7, 1.0] {
                let mut s = T3::new(p, vf);
                check(&format!("T3 {p} {vf}"), &t3(&x, p, vf), |v| s.next(v), &x);
            }
        }
    }
}

#[test]
fn mama_streams_like_batch() {
    for x in closes() {
        for (fast, slow) in [(0.5, 0.05), (0.99, 0.01), (0.01, 0.99)] {
            let [m, f] = mama(&x, fast, slow);
            let mut s = Mama::new(fast, slow);
            for (i, &v) in x.iter().enumerate() {
                let (gm, gf) = s.next(v).unwrap_or((f64::NAN, f64::NAN));
                assert!(same(gm, m[i]) && same(gf, f[i]), "MAMA {fast}/{slow} bar {i}");
            }
        }
    }
}
