"""Golden cases for the China flavours, checked against MyTT: (code, params), defaults first."""

CASES = [
    ("KDJ", {}), ("KDJ", {"n": 5, "m1": 2, "m2": 4}),
    ("MACD_CN", {}), ("MACD_CN", {"short": 6, "long": 13, "m": 5}),
    ("BIAS", {}), ("BIAS", {"l1": 3, "l2": 7, "l3": 30}),
    ("BOLL", {}), ("BOLL", {"n": 10, "p": 1.5}),
]
