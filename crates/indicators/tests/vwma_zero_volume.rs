//! VWMA over windows of zero volume, bit for bit against the `ta-lib` 0.8.2 wheel
//! (`talib.VWMA` on these inputs). TA-Lib 0.8.1 divides the price·volume sum's
//! rounding residue by a zero volume sum there (±inf), which the golden inputs (every
//! bar has volume) never reach.

use indicators::overlap::vwma::vwma;

const CLOSE: [f64; 14] = [10.1, 10.7, 11.3, 10.9, 11.05, 11.6, 12.2, 11.8, 12.3, 12.7, 12.1, 11.4, 11.9, 12.6];
const VOLUME: [f64; 14] = [1234., 2345., 1517., 0., 0., 0., 0., 0., 311., 0., 0., 777., 0., 0.];

const WHEEL: [(usize, [&str; 14]); 3] = [
    (
        2,
        [
            "nan",
            "10.493126571668064",
            "10.935680994303471",
            "11.300000000000004",
            "inf",
            "inf",
            "inf",
            "inf",
            "12.300000000000013",
            "12.300000000000013",
            "inf",
            "11.400000000000006",
            "11.400000000000006",
            "inf",
        ],
    ),
    (
        3,
        [
            "nan",
            "nan",
            "10.733320251177393",
            "10.935680994303471",
            "11.299999999999999",
            "-inf",
            "-inf",
            "-inf",
            "12.299999999999988",
            "12.299999999999988",
            "12.299999999999988",
            "11.399999999999997",
            "11.399999999999997",
            "11.399999999999997",
        ],
    ),
    (
        4,
        [
            "nan",
            "nan",
            "nan",
            "10.733320251177394",
            "10.93568099430347",
            "11.299999999999999",
            "-inf",
            "-inf",
            "12.299999999999988",
            "12.299999999999988",
            "12.299999999999988",
            "11.657261029411764",
            "11.399999999999999",
            "11.399999999999999",
        ],
    ),
];

#[test]
fn zero_volume_windows_match_the_wheel() {
    for (period, expected) in WHEEL {
        let ours = vwma(&CLOSE, &VOLUME, period);
        for (i, (&a, b)) in ours.iter().zip(expected).enumerate() {
            let b: f64 = b.parse().unwrap();
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "period {period} bar {i}: {a} vs {b}");
        }
    }
}
