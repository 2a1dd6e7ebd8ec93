"""Golden cases for TA-Lib's Volatility Indicators: (code, params), defaults first."""

CASES = [
    ("ATR", {}), ("ATR", {"timeperiod": 1}), ("ATR", {"timeperiod": 5}),
    ("NATR", {}), ("NATR", {"timeperiod": 5}),
    ("TRANGE", {}),
]
