"""Golden cases for TA-Lib's Pattern Recognition: (code, params), defaults first."""

CASES = []
