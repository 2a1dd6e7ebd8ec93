"""Golden cases for TA-Lib's Pattern Recognition: (code, params), defaults first."""

CASES = [
    ("CDL2CROWS", {}),
    ("CDL3BLACKCROWS", {}),
    ("CDL3INSIDE", {}),
    ("CDL3LINESTRIKE", {}),
]
