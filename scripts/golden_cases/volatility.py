"""Golden cases for TA-Lib's Volatility Indicators: (code, params), defaults first."""

CASES = [
    ("ATR", {}), ("ATR", {"timeperiod": 1}), ("ATR", {"timeperiod": 5}),
    ("NATR", {}), ("NATR", {"timeperiod": 5}),
    ("TRANGE", {}),
    ("ADR", {}), ("ADR", {"timeperiod": 1}), ("ADR", {"timeperiod": 50}),
    ("CVI", {}), ("CVI", {"timeperiod": 2, "rocperiod": 1}), ("CVI", {"timeperiod": 5, "rocperiod": 40}),
    ("MASSI", {}), ("MASSI", {"fastperiod": 2, "slowperiod": 2}), ("MASSI", {"fastperiod": 4, "slowperiod": 40}),
    ("RVI", {}), ("RVI", {"timeperiod": 1, "stddevperiod": 2}), ("RVI", {"timeperiod": 30, "stddevperiod": 5}),
]
