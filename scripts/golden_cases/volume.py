"""Golden cases for TA-Lib's Volume Indicators: (code, params), defaults first."""

CASES = [
    ("OBV", {}),
    ("AD", {}),
    ("ADOSC", {}), ("ADOSC", {"fastperiod": 2, "slowperiod": 2}), ("ADOSC", {"fastperiod": 10, "slowperiod": 3}),
    ("CMF", {}), ("CMF", {"timeperiod": 2}), ("CMF", {"timeperiod": 60}),
    ("EFI", {}), ("EFI", {"timeperiod": 1}), ("EFI", {"timeperiod": 2}),
    ("MARKETFI", {}),
    ("NVI", {}),
    ("PVI", {}),
    ("PVT", {}),
    ("PVO", {}), ("PVO", {"fastperiod": 2, "slowperiod": 3, "matype": 0}),
    ("PVO", {"fastperiod": 26, "slowperiod": 12, "matype": 2}), ("PVO", {"matype": 3}), ("PVO", {"matype": 4}),
    ("PVO", {"matype": 5}), ("PVO", {"matype": 6}),
    ("RVOL", {}), ("RVOL", {"timeperiod": 1}), ("RVOL", {"timeperiod": 3}),
    ("VWAP", {}),
]

# The moving-average types 7-13 in PVO.
CASES += [("PVO", {"fastperiod": 5, "slowperiod": 20, "matype": t}) for t in range(7, 14)]
