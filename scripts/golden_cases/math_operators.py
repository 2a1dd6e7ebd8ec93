"""Golden cases for TA-Lib's Math Operators: (code, params), defaults first."""
# Two-series operators take TA-Lib's default inputs (high, low).

CASES = [
    ("ADD", {}),
    ("SUB", {}),
    ("MULT", {}),
    ("DIV", {}),
    ("CUMSUM", {}),
    ("MAX", {}), ("MAX", {"timeperiod": 2}), ("MAX", {"timeperiod": 9}),
    ("MIN", {}), ("MIN", {"timeperiod": 2}), ("MIN", {"timeperiod": 9}),
    ("SUM", {}), ("SUM", {"timeperiod": 2}), ("SUM", {"timeperiod": 9}),
    ("MINMAX", {}), ("MINMAX", {"timeperiod": 2}), ("MINMAX", {"timeperiod": 9}),
    ("MAXINDEX", {}), ("MAXINDEX", {"timeperiod": 2}), ("MAXINDEX", {"timeperiod": 9}),
    ("MININDEX", {}), ("MININDEX", {"timeperiod": 2}), ("MININDEX", {"timeperiod": 9}),
    ("MINMAXINDEX", {}), ("MINMAXINDEX", {"timeperiod": 2}), ("MINMAXINDEX", {"timeperiod": 9}),
]
