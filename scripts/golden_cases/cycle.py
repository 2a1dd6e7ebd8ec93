"""Golden cases for TA-Lib's Cycle Indicators: (code, params), defaults first."""

CASES = [
    ("HT_DCPERIOD", {}),
    ("HT_DCPHASE", {}),
    ("HT_PHASOR", {}),
    ("HT_SINE", {}),
    ("HT_TRENDMODE", {}),
]
