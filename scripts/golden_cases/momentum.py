"""Golden cases for TA-Lib's Momentum Indicators: (code, params), defaults first."""

CASES = [
    ("MACD", {}), ("MACD", {"fastperiod": 5, "slowperiod": 35, "signalperiod": 5}), ("MACD", {"fastperiod": 26, "slowperiod": 12, "signalperiod": 1}),
    ("RSI", {}), ("RSI", {"timeperiod": 2}), ("RSI", {"timeperiod": 6}),
    ("STOCH", {}), ("STOCH", {"fastk_period": 14, "slowk_period": 1, "slowk_matype": 0, "slowd_period": 1, "slowd_matype": 0}), ("STOCH", {"fastk_period": 9, "slowk_period": 3, "slowk_matype": 1, "slowd_period": 3, "slowd_matype": 1}),
    ("STOCHF", {}), ("STOCHF", {"fastk_period": 14, "fastd_period": 3, "fastd_matype": 2}),
    ("STOCHRSI", {}), ("STOCHRSI", {"timeperiod": 9, "fastk_period": 3, "fastd_period": 3, "fastd_matype": 0}),
    ("ADX", {}), ("ADX", {"timeperiod": 5}),
    ("PLUS_DI", {}), ("PLUS_DI", {"timeperiod": 1}), ("PLUS_DI", {"timeperiod": 5}),
    ("MINUS_DI", {}), ("MINUS_DI", {"timeperiod": 1}), ("MINUS_DI", {"timeperiod": 5}),
    ("CCI", {}), ("CCI", {"timeperiod": 20}), ("CCI", {"timeperiod": 40}),
    ("WILLR", {}), ("WILLR", {"timeperiod": 5}),
    ("MOM", {}), ("MOM", {"timeperiod": 1}),
    ("ROC", {}), ("ROC", {"timeperiod": 1}),
    ("CMO", {}), ("CMO", {"timeperiod": 5}),
    ("TRIX", {}), ("TRIX", {"timeperiod": 1}), ("TRIX", {"timeperiod": 9}),
    ("AROON", {}), ("AROON", {"timeperiod": 5}),
    ("MFI", {}), ("MFI", {"timeperiod": 5}), ("MFI", {"timeperiod": 60}),
    ("ROCP", {}), ("ROCP", {"timeperiod": 1}),
    ("ROCR", {}), ("ROCR", {"timeperiod": 1}),
    ("ROCR100", {}), ("ROCR100", {"timeperiod": 1}),
    ("AROONOSC", {}), ("AROONOSC", {"timeperiod": 5}),
    ("BOP", {}),
]

# Every moving-average type in the stochastics (11 is each function's own default).
CASES += [("STOCH", {"fastk_period": 5, "slowk_period": 3, "slowk_matype": t, "slowd_period": 3, "slowd_matype": t})
          for t in range(2, 14)]
CASES += [("STOCH", {"fastk_period": 9, "slowk_period": 4, "slowk_matype": 8, "slowd_period": 2, "slowd_matype": 13})]
CASES += [("STOCHF", {"fastk_period": 5, "fastd_period": 3, "fastd_matype": t}) for t in (3, 7, 9, 10, 11, 12, 13)]
CASES += [("STOCHRSI", {"timeperiod": 14, "fastk_period": 5, "fastd_period": 3, "fastd_matype": t})
          for t in (1, 7, 8, 11, 12, 13)]

# TA-Lib's own KDJ (catalog code TA_KDJ; the catalog's KDJ is MyTT's).
CASES += [
    ("TA_KDJ", {}),
    ("TA_KDJ", {"fastk_period": 1, "slowk_period": 1, "slowk_matype": 13, "slowd_period": 1, "slowd_matype": 13}),
    ("TA_KDJ", {"fastk_period": 14, "slowk_period": 3, "slowk_matype": 0, "slowd_period": 3, "slowd_matype": 1}),
    ("TA_KDJ", {"fastk_period": 9, "slowk_period": 3, "slowk_matype": 11, "slowd_period": 3, "slowd_matype": 11}),
    ("TA_KDJ", {"fastk_period": 5, "slowk_period": 4, "slowk_matype": 7, "slowd_period": 4, "slowd_matype": 8}),
]
