"""Differences between two points, paired when the file used common random numbers.

Under ``run: {common_random_numbers: true}`` (or ``tillit run --crn``),
replicate r of every point draws the same random streams, so the difference
between two points is estimated from the per-replicate differences, whose
spread is usually far smaller than that of two independent samples. Without
common random numbers the replicates are independent and the interval is
Welch's.
"""

import warnings

import numpy as np
from scipy import stats

from .io import RUN_OK, late_mean


def uses_crn(ds):
    """True when the file's runs share random streams across points."""
    return int(ds.attrs.get("common_random_numbers", 0)) == 1


def _point_index(ds, p):
    if isinstance(p, str):
        labels = [str(x) for x in ds["point_label"].values]
        if p not in labels:
            raise KeyError(f"no point labelled '{p}' (points: {', '.join(labels)})")
        return labels.index(p)
    return int(p)


def paired_difference(ds, metric, a, b, window=52, conf=0.95, paired=None):
    """The difference b − a of a metric's per-run window mean, with a confidence interval.

    ``a`` and ``b`` are point indices or labels. ``paired``: None (default)
    pairs replicate r of a with replicate r of b when the file used common
    random numbers (:func:`uses_crn`), True forces pairing, False never pairs.
    Only replicates that finished at both points are paired.

    Returns a dict: ``diff`` (mean difference), ``lo``, ``hi`` (the
    interval), ``sd`` (SD of the per-replicate differences when paired, else
    the standard error times sqrt(n)), ``n`` (pairs, or the smaller group),
    ``paired`` (bool).
    """
    pa, pb = _point_index(ds, a), _point_index(ds, b)
    y = late_mean(ds, metric, window)
    ya, yb = y.isel(point=pa).values, y.isel(point=pb).values
    if "run_status" in ds:
        st = ds["run_status"].values
        ya = np.where(st[pa] == RUN_OK, ya, np.nan)
        yb = np.where(st[pb] == RUN_OK, yb, np.nan)
    if paired is None:
        paired = uses_crn(ds)
    q = 0.5 + conf / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if paired:
            d = yb - ya
            d = d[~np.isnan(d)]
            n = len(d)
            mean = float(np.mean(d)) if n else np.nan
            sd = float(np.std(d, ddof=1)) if n > 1 else np.nan
            half = stats.t.ppf(q, n - 1) * sd / np.sqrt(n) if n > 1 else np.nan
        else:
            xa, xb = ya[~np.isnan(ya)], yb[~np.isnan(yb)]
            na, nb = len(xa), len(xb)
            n = min(na, nb)
            mean = float(np.mean(xb) - np.mean(xa)) if n else np.nan
            if na > 1 and nb > 1:
                va, vb = np.var(xa, ddof=1) / na, np.var(xb, ddof=1) / nb
                se = np.sqrt(va + vb)
                dof = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1)) if se > 0 else na + nb - 2
                half = stats.t.ppf(q, dof) * se
                sd = float(se * np.sqrt(n))
            else:
                half = sd = np.nan
    return {"diff": mean, "lo": mean - half, "hi": mean + half, "sd": sd, "n": int(n),
            "paired": bool(paired)}
