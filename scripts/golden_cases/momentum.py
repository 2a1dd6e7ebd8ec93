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
    ("PLUS_DM", {}), ("PLUS_DM", {"timeperiod": 1}), ("PLUS_DM", {"timeperiod": 2}), ("PLUS_DM", {"timeperiod": 30}),
    ("MINUS_DM", {}), ("MINUS_DM", {"timeperiod": 1}), ("MINUS_DM", {"timeperiod": 2}), ("MINUS_DM", {"timeperiod": 30}),
    ("DX", {}), ("DX", {"timeperiod": 2}), ("DX", {"timeperiod": 30}),
    ("ADXR", {}), ("ADXR", {"timeperiod": 2}), ("ADXR", {"timeperiod": 9}),
    ("APO", {}), ("APO", {"fastperiod": 2, "slowperiod": 2, "matype": 0}), ("APO", {"fastperiod": 30, "slowperiod": 10, "matype": 2}),
    ("APO", {"fastperiod": 5, "slowperiod": 20, "matype": 3}), ("APO", {"fastperiod": 5, "slowperiod": 20, "matype": 4}),
    ("APO", {"fastperiod": 5, "slowperiod": 20, "matype": 5}), ("APO", {"fastperiod": 5, "slowperiod": 20, "matype": 6}),
    ("PPO", {}), ("PPO", {"fastperiod": 2, "slowperiod": 3, "matype": 0}), ("PPO", {"fastperiod": 26, "slowperiod": 12, "matype": 1}),
    ("PPO", {"fastperiod": 5, "slowperiod": 20, "matype": 2}), ("PPO", {"fastperiod": 5, "slowperiod": 20, "matype": 3}),
    ("PPO", {"fastperiod": 5, "slowperiod": 20, "matype": 4}), ("PPO", {"fastperiod": 5, "slowperiod": 20, "matype": 5}),
    ("PPO", {"fastperiod": 5, "slowperiod": 20, "matype": 6}),
    ("MACDEXT", {}),
    ("MACDEXT", {"fastperiod": 12, "fastmatype": 1, "slowperiod": 26, "slowmatype": 1, "signalperiod": 9, "signalmatype": 1}),
    ("MACDEXT", {"fastperiod": 2, "fastmatype": 6, "slowperiod": 2, "slowmatype": 3, "signalperiod": 1, "signalmatype": 0}),
    ("MACDEXT", {"fastperiod": 30, "fastmatype": 4, "slowperiod": 10, "slowmatype": 2, "signalperiod": 5, "signalmatype": 5}),
    ("MACDEXT", {"fastperiod": 5, "fastmatype": 1, "slowperiod": 20, "slowmatype": 0, "signalperiod": 7, "signalmatype": 3}),
    ("MACDEXT", {"fastperiod": 8, "fastmatype": 5, "slowperiod": 21, "slowmatype": 6, "signalperiod": 4, "signalmatype": 4}),
    ("MACDEXT", {"fastperiod": 9, "fastmatype": 2, "slowperiod": 12, "slowmatype": 4, "signalperiod": 6, "signalmatype": 6}),
    ("MACDFIX", {}), ("MACDFIX", {"signalperiod": 1}), ("MACDFIX", {"signalperiod": 30}),
    ("ULTOSC", {}), ("ULTOSC", {"timeperiod1": 1, "timeperiod2": 1, "timeperiod3": 1}),
    ("ULTOSC", {"timeperiod1": 28, "timeperiod2": 3, "timeperiod3": 14}), ("ULTOSC", {"timeperiod1": 5, "timeperiod2": 5, "timeperiod3": 40}),
    ("IMI", {}), ("IMI", {"timeperiod": 2}), ("IMI", {"timeperiod": 40}),
    ("AO", {}), ("AO", {"fastperiod": 2, "slowperiod": 2}), ("AO", {"fastperiod": 34, "slowperiod": 5}), ("AO", {"fastperiod": 3, "slowperiod": 60}),
    ("AC", {}), ("AC", {"fastperiod": 2, "slowperiod": 3, "signalperiod": 2}), ("AC", {"fastperiod": 34, "slowperiod": 5, "signalperiod": 5}),
    ("AC", {"fastperiod": 10, "slowperiod": 40, "signalperiod": 40}),
]
CASES += [
    ("CMOU", {}), ("CMOU", {"timeperiod": 2}), ("CMOU", {"timeperiod": 30}),
    ("COPPOCK", {}), ("COPPOCK", {"wmaperiod": 1, "roc1period": 1, "roc2period": 1}),
    ("COPPOCK", {"wmaperiod": 4, "roc1period": 14, "roc2period": 11}), ("COPPOCK", {"wmaperiod": 60, "roc1period": 3, "roc2period": 5}),
    ("DPO", {}), ("DPO", {"timeperiod": 2}), ("DPO", {"timeperiod": 3}), ("DPO", {"timeperiod": 11}),
    ("ER", {}), ("ER", {"timeperiod": 2}), ("ER", {"timeperiod": 30}),
    ("ERI", {}), ("ERI", {"timeperiod": 1}), ("ERI", {"timeperiod": 2}), ("ERI", {"timeperiod": 50}),
    ("FOSC", {}), ("FOSC", {"timeperiod": 2}), ("FOSC", {"timeperiod": 14}), ("FOSC", {"timeperiod": 3}),
    ("FRACTAL", {}), ("FRACTAL", {"leftbars": 1, "rightbars": 1}), ("FRACTAL", {"leftbars": 5, "rightbars": 1}),
    ("FRACTAL", {"leftbars": 1, "rightbars": 6}),
    ("QSTICK", {}), ("QSTICK", {"timeperiod": 1}), ("QSTICK", {"timeperiod": 25}),
    ("SMI", {}), ("SMI", {"timeperiod": 2, "fastperiod": 2, "slowperiod": 2, "signalperiod": 2}),
    ("SMI", {"timeperiod": 5, "fastperiod": 3, "slowperiod": 7, "signalperiod": 4}), ("SMI", {"timeperiod": 20, "fastperiod": 10, "slowperiod": 3, "signalperiod": 30}),
    ("TSI", {}), ("TSI", {"firstperiod": 2, "secondperiod": 2}), ("TSI", {"firstperiod": 5, "secondperiod": 40}),
    ("VHF", {}), ("VHF", {"timeperiod": 2}), ("VHF", {"timeperiod": 9}),
    ("VORTEX", {}), ("VORTEX", {"timeperiod": 1}), ("VORTEX", {"timeperiod": 2}), ("VORTEX", {"timeperiod": 30}),
    ("WAD", {}),
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

# The moving-average types 7-13 (MAMA, T3, HMA, identity, the function's own default,
# ZLEMA, RMA) in every momentum function that takes one.
CASES += [("APO", {"fastperiod": 5, "slowperiod": 20, "matype": t}) for t in range(7, 14)]
CASES += [("PPO", {"fastperiod": 5, "slowperiod": 20, "matype": t}) for t in range(7, 14)]
CASES += [
    ("MACDEXT", {"fastperiod": 5, "fastmatype": f, "slowperiod": 20, "slowmatype": s, "signalperiod": 4, "signalmatype": g})
    for f, s, g in [(7, 8, 9), (10, 11, 12), (13, 7, 8), (9, 10, 11), (12, 13, 13), (11, 11, 11)]
]
CASES += [("STOCHRSI", {"timeperiod": 14, "fastk_period": 5, "fastd_period": 3, "fastd_matype": t}) for t in range(7, 14)]
CASES += [("TA_KDJ", {"fastk_period": 9, "slowk_period": 3, "slowk_matype": t, "slowd_period": 3, "slowd_matype": t})
          for t in range(0, 14)]
