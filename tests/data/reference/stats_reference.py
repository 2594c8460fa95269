"""Independent reference values for mdime's trend statistics (tests/stats.rs), computed with SciPy.

Run: python3 tests/data/reference/stats_reference.py > tests/data/stats-reference.csv
Each row: a named series (years and values), then SciPy's Theil–Sen slope and intercept, the
Mann–Kendall S, tie-corrected variance, z and p (written out from the textbook formulas, with SciPy's
normal distribution), the OLS slope and intercept, and the 10% and 90% quantiles of the values
(numpy's default, linear interpolation).
"""
import csv
import math
import sys

import numpy as np
from scipy import stats

SERIES = {
    "rising": ([2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019], [1, 3, 2, 5, 4, 6, 8, 7, 9, 12]),
    "falling_lumpy": ([2012, 2013, 2014, 2015, 2016, 2017, 2018], [120.5, 0, 95.25, 40, 0, 10, 2.5]),
    "ties": ([2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017], [5, 5, 5, 7, 7, 3, 3, 9]),
    "constant": ([2015, 2016, 2017, 2018, 2019], [4, 4, 4, 4, 4]),
    "gaps": ([2005, 2006, 2009, 2010, 2014, 2015], [10, 12, 15, 15, 22, 30]),
    "short": ([2020, 2021, 2022], [1, 0, 2]),
}


def mann_kendall(y):
    n = len(y)
    s = sum(np.sign(y[j] - y[i]) for i in range(n) for j in range(i + 1, n))
    _, counts = np.unique(y, return_counts=True)
    ties = sum(t * (t - 1) * (2 * t + 5) for t in counts)
    var = (n * (n - 1) * (2 * n + 5) - ties) / 18
    if var <= 0 or s == 0:
        z = 0.0
    else:
        z = (s - np.sign(s)) / math.sqrt(var)
    p = 2 * (1 - stats.norm.cdf(abs(z)))
    return s, var, z, p


writer = csv.writer(sys.stdout, lineterminator="\n")
writer.writerow(["name", "years", "values", "ts_slope", "ts_intercept", "mk_s", "mk_var", "mk_z", "mk_p", "ols_slope", "ols_intercept", "q10", "q90"])
for name, (x, y) in SERIES.items():
    x = np.array(x, dtype=float)
    y = np.array(y, dtype=float)
    ts = stats.theilslopes(y, x)
    ts_intercept = np.median(y - ts.slope * x)
    s, var, z, p = mann_kendall(y)
    ols = stats.linregress(x, y)
    writer.writerow([
        name, " ".join(str(int(v)) for v in x), " ".join(repr(float(v)) for v in y),
        repr(float(ts.slope)), repr(float(ts_intercept)), repr(float(s)), repr(float(var)), repr(float(z)), repr(float(p)),
        repr(float(ols.slope)), repr(float(ols.intercept)), repr(float(np.quantile(y, 0.1))), repr(float(np.quantile(y, 0.9))),
    ])
