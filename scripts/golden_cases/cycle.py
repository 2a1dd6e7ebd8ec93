"""Golden cases for TA-Lib's Cycle Indicators: (code, params), defaults first."""

CASES = []
