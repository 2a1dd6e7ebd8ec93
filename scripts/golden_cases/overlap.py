"""Golden cases for TA-Lib's Overlap Studies: (code, params), defaults first."""

import numpy as np

CASES = [
    ("SMA", {}), ("SMA", {"timeperiod": 2}), ("SMA", {"timeperiod": 5}),
    ("EMA", {}), ("EMA", {"timeperiod": 2}), ("EMA", {"timeperiod": 12}),
    ("WMA", {}), ("WMA", {"timeperiod": 2}), ("WMA", {"timeperiod": 9}),
    ("DEMA", {}), ("DEMA", {"timeperiod": 5}),
    ("TEMA", {}), ("TEMA", {"timeperiod": 5}),
    ("TRIMA", {}), ("TRIMA", {"timeperiod": 7}), ("TRIMA", {"timeperiod": 2}),
    ("KAMA", {}), ("KAMA", {"timeperiod": 10}),
    ("BBANDS", {}), ("BBANDS", {"timeperiod": 20, "nbdevup": 2.0, "nbdevdn": 2.0, "matype": 0}), ("BBANDS", {"timeperiod": 10, "nbdevup": 1.5, "nbdevdn": 2.5, "matype": 1}), ("BBANDS", {"timeperiod": 10, "nbdevup": 1.0, "nbdevdn": 1.0, "matype": 2}), ("BBANDS", {"timeperiod": 6, "nbdevup": 2.0, "nbdevdn": 1.0, "matype": 3}), ("BBANDS", {"timeperiod": 6, "nbdevup": 1.0, "nbdevdn": 3.0, "matype": 4}), ("BBANDS", {"timeperiod": 8, "nbdevup": 2.0, "nbdevdn": 2.0, "matype": 5}), ("BBANDS", {"timeperiod": 8, "nbdevup": 2.0, "nbdevdn": 2.0, "matype": 6}),
    ("SAR", {}), ("SAR", {"acceleration": 0.05, "maximum": 0.3}), ("SAR", {"acceleration": 0.5, "maximum": 0.2}),
    ("MIDPOINT", {}), ("MIDPOINT", {"timeperiod": 3}),
    ("MIDPRICE", {}), ("MIDPRICE", {"timeperiod": 2}), ("MIDPRICE", {"timeperiod": 5}),
    ("MA", {}), ("MA", {"timeperiod": 1, "matype": 3}), ("MA", {"timeperiod": 10, "matype": 0}), ("MA", {"timeperiod": 10, "matype": 1}), ("MA", {"timeperiod": 10, "matype": 2}), ("MA", {"timeperiod": 10, "matype": 3}), ("MA", {"timeperiod": 10, "matype": 4}), ("MA", {"timeperiod": 10, "matype": 5}), ("MA", {"timeperiod": 10, "matype": 6}),
    ("HT_TRENDLINE", {}),
    ("SAREXT", {}),
    ("SAREXT", {"startvalue": 95.0, "offsetonreverse": 0.01}),
    ("SAREXT", {"startvalue": -120.0, "accelerationinitlong": 0.01, "accelerationlong": 0.03, "accelerationmaxlong": 0.3, "accelerationinitshort": 0.05, "accelerationshort": 0.01, "accelerationmaxshort": 0.1}),
    ("SAREXT", {"startvalue": 1e-3, "offsetonreverse": 0.5, "accelerationinitlong": 0.5, "accelerationlong": 0.4, "accelerationmaxlong": 0.2, "accelerationinitshort": 0.0, "accelerationshort": 0.0, "accelerationmaxshort": 0.0}),
    ("SAREXT", {"startvalue": -1e-3, "offsetonreverse": 0.03, "accelerationinitshort": 0.3, "accelerationshort": 0.3, "accelerationmaxshort": 0.25}),
]

# Every moving-average type (0..13; 11 is the function's own default) in MA, at short,
# mid and long periods, and in BBANDS (MAMA also at a period above its lookback).
CASES += [("MA", {"timeperiod": p, "matype": t}) for t in range(14) for p in (2, 25)]
CASES += [("MA", {"timeperiod": 10, "matype": t}) for t in range(7, 14)]
CASES += [("MA", {"timeperiod": 1, "matype": t}) for t in (7, 8, 10, 11)]
CASES += [("BBANDS", {"timeperiod": p, "nbdevup": 2.0, "nbdevdn": 1.5, "matype": t})
          for p, t in [(5, 7), (40, 7), (6, 8), (9, 9), (5, 10), (20, 11), (7, 12), (14, 13)]]

CASES += [
    ("MAMA", {}), ("MAMA", {"fastlimit": 0.99, "slowlimit": 0.01}), ("MAMA", {"fastlimit": 0.01, "slowlimit": 0.99}),
    ("MAMA", {"fastlimit": 0.01, "slowlimit": 0.01}), ("MAMA", {"fastlimit": 0.99, "slowlimit": 0.99}),
    ("T3", {}), ("T3", {"timeperiod": 1, "vfactor": 0.7}), ("T3", {"timeperiod": 2, "vfactor": 0.0}),
    ("T3", {"timeperiod": 5, "vfactor": 1.0}), ("T3", {"timeperiod": 12, "vfactor": 0.3}), ("T3", {"timeperiod": 40}),
    ("HMA", {}), ("HMA", {"timeperiod": 1}), ("HMA", {"timeperiod": 2}), ("HMA", {"timeperiod": 3}),
    ("HMA", {"timeperiod": 4}), ("HMA", {"timeperiod": 9}), ("HMA", {"timeperiod": 50}), ("HMA", {"timeperiod": 200}),
    ("ZLEMA", {}), ("ZLEMA", {"timeperiod": 1}), ("ZLEMA", {"timeperiod": 2}), ("ZLEMA", {"timeperiod": 3}),
    ("ZLEMA", {"timeperiod": 10}), ("ZLEMA", {"timeperiod": 100}),
    ("RMA", {}), ("RMA", {"timeperiod": 1}), ("RMA", {"timeperiod": 2}), ("RMA", {"timeperiod": 14}), ("RMA", {"timeperiod": 300}),
    ("VWMA", {}), ("VWMA", {"timeperiod": 1}), ("VWMA", {"timeperiod": 2}), ("VWMA", {"timeperiod": 10}),
]


def mavp_periods(bars):
    """MAVP's period series for every input case: a function of the bar index only,
    reaching below minperiod and above maxperiod, with fractions (truncated), NaNs and
    a huge value (clamped to maxperiod)."""
    i = np.arange(len(bars["close"]))
    periods = 1.0 + (i * 7 % 41) + 0.5 * (i % 3)
    periods[i % 37 == 5] = np.nan
    periods[i % 53 == 7] = 1e10
    return periods


# MAVP's second input is a per-bar period series (not an OHLCV column): the generator
# writes it beside the columns as input `periods`. Values below minperiod, above
# maxperiod, fractions, NaN (TA-Lib takes minperiod) and 1e10 (maxperiod).
EXTRA_INPUTS = {"periods": mavp_periods}
INPUTS = {"MAVP": ["close", "periods"]}
CASES += [("MAVP", {})] + [
    ("MAVP", {"minperiod": lo, "maxperiod": hi, "matype": t})
    for lo, hi, t in [(2, 30, 1), (2, 30, 2), (2, 20, 3), (2, 12, 4), (2, 30, 5), (2, 30, 6), (2, 30, 7),
                      (2, 10, 8), (2, 30, 9), (1, 30, 10), (2, 30, 11), (2, 30, 12), (1, 30, 13),
                      (5, 5, 1), (1, 1, 0), (10, 40, 0)]
]

CASES += [
    ("ACCBANDS", {}), ("ACCBANDS", {"timeperiod": 2}), ("ACCBANDS", {"timeperiod": 7}),
    ("KC", {}), ("KC", {"timeperiod": 2, "atrperiod": 1, "nbdev": 1.0}), ("KC", {"timeperiod": 5, "atrperiod": 30, "nbdev": -1.5}), ("KC", {"timeperiod": 40, "atrperiod": 14, "nbdev": 0.0}),
    ("DONCHIAN", {}), ("DONCHIAN", {"timeperiod": 2}), ("DONCHIAN", {"timeperiod": 7}),
    ("SUPERTREND", {}), ("SUPERTREND", {"timeperiod": 2, "multiplier": 0.0}), ("SUPERTREND", {"timeperiod": 14, "multiplier": 1.5}),
]
