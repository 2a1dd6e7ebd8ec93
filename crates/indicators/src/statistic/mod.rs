//! TA-Lib's Statistic Functions: regressions, correlation, beta, percentiles.
