"""Golden cases for TA-Lib's Math Transform: (code, params), defaults first."""
# On the close: outside a function's domain (ACOS of prices above 1, say) the value is NaN.

CASES = [
    ("ACOS", {}),
    ("ASIN", {}),
    ("ATAN", {}),
    ("CEIL", {}),
    ("COS", {}),
    ("COSH", {}),
    ("EXP", {}),
    ("FLOOR", {}),
    ("LN", {}),
    ("LOG10", {}),
    ("SIN", {}),
    ("SINH", {}),
    ("SQRT", {}),
    ("TAN", {}),
    ("TANH", {}),
]
