"""Golden cases for TA-Lib's Pattern Recognition: (code, params), defaults first."""

CASES = [
    ("CDL2CROWS", {}),
    ("CDL3BLACKCROWS", {}),
    ("CDL3INSIDE", {}),
    ("CDL3LINESTRIKE", {}),
    ("CDL3OUTSIDE", {}),
    ("CDL3STARSINSOUTH", {}),
    ("CDL3WHITESOLDIERS", {}),
    ("CDLABANDONEDBABY", {}), ("CDLABANDONEDBABY", {"penetration": 0.0}), ("CDLABANDONEDBABY", {"penetration": 1.0}),
    ("CDLADVANCEBLOCK", {}),
    ("CDLBELTHOLD", {}),
    ("CDLBREAKAWAY", {}),
    ("CDLCLOSINGMARUBOZU", {}),
    ("CDLCONCEALBABYSWALL", {}),
    ("CDLCOUNTERATTACK", {}),
    ("CDLDARKCLOUDCOVER", {}), ("CDLDARKCLOUDCOVER", {"penetration": 0.0}), ("CDLDARKCLOUDCOVER", {"penetration": 0.8}),
]
