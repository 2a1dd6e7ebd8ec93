"""Golden cases for TA-Lib's Statistic Functions: (code, params), defaults first."""

CASES = [
    ("STDDEV", {}), ("STDDEV", {"timeperiod": 20, "nbdev": 2.0}),
    ("VAR", {}), ("VAR", {"timeperiod": 1}), ("VAR", {"timeperiod": 20, "nbdev": 2.0}),
    ("BETA", {}), ("BETA", {"timeperiod": 1}), ("BETA", {"timeperiod": 2}), ("BETA", {"timeperiod": 20}),
    ("CORREL", {}), ("CORREL", {"timeperiod": 1}), ("CORREL", {"timeperiod": 2}), ("CORREL", {"timeperiod": 10}),
    ("LINEARREG", {}), ("LINEARREG", {"timeperiod": 2}), ("LINEARREG", {"timeperiod": 30}),
    ("LINEARREG_ANGLE", {}), ("LINEARREG_ANGLE", {"timeperiod": 2}), ("LINEARREG_ANGLE", {"timeperiod": 30}),
    ("LINEARREG_INTERCEPT", {}), ("LINEARREG_INTERCEPT", {"timeperiod": 2}), ("LINEARREG_INTERCEPT", {"timeperiod": 30}),
    ("LINEARREG_SLOPE", {}), ("LINEARREG_SLOPE", {"timeperiod": 2}), ("LINEARREG_SLOPE", {"timeperiod": 30}),
    ("TSF", {}), ("TSF", {"timeperiod": 2}), ("TSF", {"timeperiod": 30}),
    ("PERCENTILE", {}), ("PERCENTILE", {"timeperiod": 2, "percentile": 0.0}), ("PERCENTILE", {"timeperiod": 10, "percentile": 100.0}), ("PERCENTILE", {"timeperiod": 7, "percentile": 33.0}), ("PERCENTILE", {"timeperiod": 120, "percentile": 90.0}),
    ("PERCENTRANK", {}), ("PERCENTRANK", {"timeperiod": 2}), ("PERCENTRANK", {"timeperiod": 10}),
]
