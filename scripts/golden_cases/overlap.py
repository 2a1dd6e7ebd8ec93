"""Golden cases for TA-Lib's Overlap Studies: (code, params), defaults first."""

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
