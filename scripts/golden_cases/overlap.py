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
    ("ACCBANDS", {}), ("ACCBANDS", {"timeperiod": 2}), ("ACCBANDS", {"timeperiod": 7}),
    ("KC", {}), ("KC", {"timeperiod": 2, "atrperiod": 1, "nbdev": 1.0}), ("KC", {"timeperiod": 5, "atrperiod": 30, "nbdev": -1.5}), ("KC", {"timeperiod": 40, "atrperiod": 14, "nbdev": 0.0}),
    ("DONCHIAN", {}), ("DONCHIAN", {"timeperiod": 2}), ("DONCHIAN", {"timeperiod": 7}),
    ("SUPERTREND", {}), ("SUPERTREND", {"timeperiod": 2, "multiplier": 0.0}), ("SUPERTREND", {"timeperiod": 14, "multiplier": 1.5}),
]
