"""Golden cases for TA-Lib's Price Transform: (code, params), defaults first."""

CASES = [
    ("AVGPRICE", {}),
    ("MEDPRICE", {}),
    ("TYPPRICE", {}),
    ("WCLPRICE", {}),
    ("AVGDEV", {}), ("AVGDEV", {"timeperiod": 2}), ("AVGDEV", {"timeperiod": 50}),
    ("HA", {}),
]
