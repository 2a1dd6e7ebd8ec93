"""Golden cases for TA-Lib's Volume Indicators: (code, params), defaults first."""

CASES = [
    ("OBV", {}),
    ("AD", {}),
]
