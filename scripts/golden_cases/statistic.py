"""Golden cases for TA-Lib's Statistic Functions: (code, params), defaults first."""

CASES = [
    ("STDDEV", {}), ("STDDEV", {"timeperiod": 20, "nbdev": 2.0}),
    ("VAR", {}), ("VAR", {"timeperiod": 1}), ("VAR", {"timeperiod": 20, "nbdev": 2.0}),
]
