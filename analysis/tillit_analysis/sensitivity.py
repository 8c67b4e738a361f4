"""Global sensitivity analysis: Sobol' indices from a Saltelli design, Morris elementary effects.

The estimators are plain functions of arrays, so they can be checked on
functions with known indices (the tests use Ishigami's) and used on designs
made elsewhere:

* :func:`sobol_indices` -- first-order indices by Saltelli et al. (2010),
  ``S_i = mean(f(B) (f(AB_i) - f(A))) / V`` (f centred on its mean over A
  and B first, which leaves the expectation alone and cuts the variance of
  the estimate when the mean of f is large), and total-order indices by
  Jansen (1999), ``S_Ti = mean((f(A) - f(AB_i))^2) / (2 V)``, with V the
  variance of f over A and B together; percentile bootstrap confidence
  intervals over the N base samples.
* :func:`morris_indices` -- mu, mu* (mean absolute elementary effect,
  Campolongo et al. 2007) and sigma of Morris's (1991) elementary effects,
  with effects in units of the output per whole range of the input;
  percentile bootstrap intervals over trajectories.

:func:`sobol_from_dataset` and :func:`morris_from_dataset` take a loaded
tillit sweep (design ``sobol-saltelli`` or ``morris``), reduce each run to the
mean of a metric over a time window, average over replicates, and apply them;
:func:`sobol_convergence` re-estimates the Sobol' indices on the first N/8,
N/4, N/2 and N base rows, to see whether the design is large enough.
"""

import warnings

import numpy as np
import pandas as pd

from . import io


def _percentile_ci(samples, conf):
    alpha = (1.0 - conf) / 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return (np.nanquantile(samples, alpha, axis=0),
                np.nanquantile(samples, 1.0 - alpha, axis=0))


def _sobol_point(ya, yb, yab):
    """S1 and ST for arrays ya, yb (..., N) and yab (..., N, d)."""
    # Centre f on the mean over A and B: the S1 estimator multiplies f(B) by a
    # difference of mean zero, so a constant shift changes only its variance,
    # which is large when the mean of f is far from 0 (quality ~0.6, cost ~5000).
    centre = np.mean(np.concatenate([ya, yb], axis=-1), axis=-1)
    ya, yb, yab = ya - centre[..., None], yb - centre[..., None], yab - centre[..., None, None]
    var = np.var(np.concatenate([ya, yb], axis=-1), axis=-1)
    var = np.where(var > 0, var, np.nan)
    s1 = np.mean(yb[..., None] * (yab - ya[..., None]), axis=-2) / var[..., None]
    st = 0.5 * np.mean((ya[..., None] - yab) ** 2, axis=-2) / var[..., None]
    return s1, st


def sobol_indices(y_a, y_b, y_ab, n_boot=1000, conf=0.95, seed=0, names=None):
    """First- and total-order Sobol' indices with bootstrap confidence intervals.

    Parameters
    ----------
    y_a, y_b : array (N,)
        The model at the N rows of the matrices A and B.
    y_ab : array (N, d)
        ``y_ab[j, i]`` is the model at row j of AB_i (A with column i from B).
    n_boot : int
        Bootstrap resamples of the N rows (0 for none).
    conf : float
        Confidence level of the percentile intervals.
    seed : int
        Seed of the bootstrap's generator (results are reproducible).
    names : list of str, optional
        Names of the d variables (default ``x0``, ``x1``, ...).

    Rows with a NaN anywhere (a run that failed or was not run) are dropped.

    Returns
    -------
    pandas.DataFrame
        Index: variable. Columns ``S1``, ``S1_lo``, ``S1_hi``, ``ST``,
        ``ST_lo``, ``ST_hi``; ``N`` (rows used) in ``attrs``.
    """
    y_a = np.asarray(y_a, dtype=float).ravel()
    y_b = np.asarray(y_b, dtype=float).ravel()
    y_ab = np.asarray(y_ab, dtype=float)
    if y_ab.ndim == 1:
        y_ab = y_ab[:, None]
    n, d = y_ab.shape
    if y_a.shape != (n,) or y_b.shape != (n,):
        raise ValueError(f"y_a and y_b need shape ({n},) to match y_ab {y_ab.shape}")
    good = np.isfinite(y_a) & np.isfinite(y_b) & np.all(np.isfinite(y_ab), axis=1)
    y_a, y_b, y_ab = y_a[good], y_b[good], y_ab[good]
    n = len(y_a)
    if n < 2:
        raise ValueError("fewer than 2 complete Saltelli rows: cannot estimate indices")
    s1, st = _sobol_point(y_a, y_b, y_ab)
    lo1 = hi1 = lot = hit = np.full(d, np.nan)
    if n_boot:
        rng = np.random.default_rng(seed)
        b1, bt = [], []
        chunk = max(1, min(n_boot, 2_000_000 // max(1, n * (d + 2))))
        done = 0
        while done < n_boot:
            k = min(chunk, n_boot - done)
            idx = rng.integers(0, n, size=(k, n))
            s1b, stb = _sobol_point(y_a[idx], y_b[idx], y_ab[idx])
            b1.append(s1b)
            bt.append(stb)
            done += k
        lo1, hi1 = _percentile_ci(np.concatenate(b1), conf)
        lot, hit = _percentile_ci(np.concatenate(bt), conf)
    names = list(names) if names is not None else [f"x{i}" for i in range(d)]
    df = pd.DataFrame({"S1": s1, "S1_lo": lo1, "S1_hi": hi1, "ST": st, "ST_lo": lot, "ST_hi": hit},
                      index=pd.Index(names, name="variable"))
    df.attrs.update({"N": n, "conf": conf, "n_boot": n_boot, "method": "sobol"})
    return df


def _second_order_point(ya, yb, yab, yba, pairs):
    """S2 of each pair (j, k) for arrays ya, yb (..., N), yab, yba (..., N, d)."""
    centre = np.mean(np.concatenate([ya, yb], axis=-1), axis=-1)
    ya, yb = ya - centre[..., None], yb - centre[..., None]
    yab, yba = yab - centre[..., None, None], yba - centre[..., None, None]
    var = np.var(np.concatenate([ya, yb], axis=-1), axis=-1)
    var = np.where(var > 0, var, np.nan)
    s1 = np.mean(yb[..., None] * (yab - ya[..., None]), axis=-2) / var[..., None]
    out = []
    for j, k in pairs:
        # Saltelli (2002): V_jk = E[f(BA_j) f(AB_k) - f(A) f(B)]
        vjk = np.mean(yba[..., j] * yab[..., k] - ya * yb, axis=-1) / var
        out.append(vjk - s1[..., j] - s1[..., k])
    return np.stack(out, axis=-1)


def sobol_second_order(y_a, y_b, y_ab, y_ba, n_boot=1000, conf=0.95, seed=0, names=None):
    """Second-order Sobol' indices S2 of every pair of variables (Saltelli 2002).

    ``y_ab[j, i]`` is the model at row j of AB_i (A with column i from B),
    ``y_ba[j, i]`` at row j of BA_i (B with column i from A): a Saltelli
    design made with ``second_order: true``. S2 of (i, k) is the share of the
    variance due to the interaction of i and k alone, beyond their first-order
    effects. The estimator is noisy: an S2 whose interval contains 0 says no
    interaction the design can tell. Rows with a NaN anywhere are dropped.

    Returns a DataFrame with columns ``variable_1``, ``variable_2``, ``S2``,
    ``S2_lo``, ``S2_hi`` (percentile bootstrap intervals) and ``N`` in attrs.
    """
    y_a = np.asarray(y_a, dtype=float).ravel()
    y_b = np.asarray(y_b, dtype=float).ravel()
    y_ab = np.asarray(y_ab, dtype=float)
    y_ba = np.asarray(y_ba, dtype=float)
    n, d = y_ab.shape
    if y_ba.shape != (n, d) or y_a.shape != (n,) or y_b.shape != (n,):
        raise ValueError(f"y_a, y_b ({n},) and y_ab, y_ba ({n}, {d}) must match")
    if d < 2:
        raise ValueError("second-order indices need at least two variables")
    good = (np.isfinite(y_a) & np.isfinite(y_b) & np.all(np.isfinite(y_ab), axis=1)
            & np.all(np.isfinite(y_ba), axis=1))
    y_a, y_b, y_ab, y_ba = y_a[good], y_b[good], y_ab[good], y_ba[good]
    n = len(y_a)
    if n < 2:
        raise ValueError("fewer than 2 complete Saltelli rows: cannot estimate indices")
    pairs = [(j, k) for j in range(d) for k in range(j + 1, d)]
    s2 = _second_order_point(y_a, y_b, y_ab, y_ba, pairs)
    lo = hi = np.full(len(pairs), np.nan)
    if n_boot:
        rng = np.random.default_rng(seed)
        boots, done = [], 0
        chunk = max(1, min(n_boot, 2_000_000 // max(1, n * (2 * d + 2))))
        while done < n_boot:
            k = min(chunk, n_boot - done)
            idx = rng.integers(0, n, size=(k, n))
            boots.append(_second_order_point(y_a[idx], y_b[idx], y_ab[idx], y_ba[idx], pairs))
            done += k
        lo, hi = _percentile_ci(np.concatenate(boots), conf)
    names = list(names) if names is not None else [f"x{i}" for i in range(d)]
    df = pd.DataFrame({"variable_1": [names[j] for j, _ in pairs],
                       "variable_2": [names[k] for _, k in pairs],
                       "S2": s2, "S2_lo": lo, "S2_hi": hi})
    df.attrs.update({"N": n, "conf": conf, "n_boot": n_boot, "method": "sobol-second-order"})
    return df


def elementary_effects(x, y, trajectory, ranges=None):
    """The elementary effects of a Morris design: array (r, d), NaN where missing.

    x : array (n, d) of the design (any units); y : array (n,); trajectory :
    array (n,) naming each row's trajectory. Rows of a trajectory must be in
    their order (each differs from the one before in exactly one variable).
    An effect is ``(y[k+1] - y[k]) / ((x[k+1, i] - x[k, i]) / ranges[i])``,
    i.e. the change of y per whole range of variable i; ``ranges`` defaults to
    the span of each column of x.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    trajectory = np.asarray(trajectory)
    if x.ndim == 1:
        x = x[:, None]
    n, d = x.shape
    if ranges is None:
        ranges = np.nanmax(x, axis=0) - np.nanmin(x, axis=0)
    ranges = np.where(np.asarray(ranges, dtype=float) > 0, ranges, 1.0)
    trajs = list(dict.fromkeys(trajectory.tolist()))
    ee = np.full((len(trajs), d), np.nan)
    ambiguous = 0
    for t, name in enumerate(trajs):
        rows = np.flatnonzero(trajectory == name)
        for k0, k1 in zip(rows[:-1], rows[1:]):
            dx = (x[k1] - x[k0]) / ranges
            moved = np.flatnonzero(np.abs(dx) > 1e-12)
            if len(moved) != 1:
                ambiguous += len(moved) > 1
                continue
            i = moved[0]
            ee[t, i] = (y[k1] - y[k0]) / dx[i]
    if ambiguous:
        warnings.warn(f"{ambiguous} Morris steps moved more than one variable; left out")
    return ee


def _morris_stats(ee):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mu = np.nanmean(ee, axis=-2)
        mu_star = np.nanmean(np.abs(ee), axis=-2)
        sigma = np.nanstd(ee, axis=-2, ddof=1)
    return mu, mu_star, sigma


def morris_indices(x, y, trajectory, ranges=None, n_boot=1000, conf=0.95, seed=0, names=None):
    """Morris screening: mu, mu* and sigma of the elementary effects, with bootstrap CIs.

    Arguments as :func:`elementary_effects`; ``n_boot`` resamples of the
    trajectories give percentile intervals at level ``conf``.

    Returns
    -------
    pandas.DataFrame
        Index: variable. Columns ``mu``, ``mu_star``, ``mu_star_lo``,
        ``mu_star_hi``, ``sigma``, ``sigma_lo``, ``sigma_hi``, ``r`` (effects used).
    """
    ee = elementary_effects(x, y, trajectory, ranges)
    r, d = ee.shape
    mu, mu_star, sigma = _morris_stats(ee)
    lo_m = hi_m = lo_s = hi_s = np.full(d, np.nan)
    if n_boot and r > 1:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, r, size=(n_boot, r))
        _, bm, bs = _morris_stats(ee[idx])
        lo_m, hi_m = _percentile_ci(bm, conf)
        lo_s, hi_s = _percentile_ci(bs, conf)
    names = list(names) if names is not None else [f"x{i}" for i in range(d)]
    df = pd.DataFrame({"mu": mu, "mu_star": mu_star, "mu_star_lo": lo_m, "mu_star_hi": hi_m,
                       "sigma": sigma, "sigma_lo": lo_s, "sigma_hi": hi_s,
                       "r": np.sum(np.isfinite(ee), axis=0)},
                      index=pd.Index(names, name="variable"))
    df.attrs.update({"conf": conf, "n_boot": n_boot, "method": "morris"})
    return df


def saltelli_sample(n, d, seed=0, scramble=True, second_order=False):
    """A Saltelli design on [0, 1]^d from a 2d-dimensional Sobol' sequence.

    Returns (A, B, AB) with A, B of shape (n, d) and AB of shape (d, n, d),
    AB[i] = A with column i from B; with ``second_order`` also BA (the same
    shape, BA[i] = B with column i from A): (A, B, AB, BA). ``n`` should be a
    power of two.
    """
    from scipy.stats import qmc

    base = qmc.Sobol(2 * d, scramble=scramble, seed=seed).random(n)
    a, b = base[:, :d], base[:, d:]
    ab = np.repeat(a[None], d, axis=0)
    ba = np.repeat(b[None], d, axis=0)
    for i in range(d):
        ab[i, :, i] = b[:, i]
        ba[i, :, i] = a[:, i]
    return (a, b, ab, ba) if second_order else (a, b, ab)


def morris_sample(r, d, levels=4, seed=0):
    """A Morris design on [0, 1]^d: r trajectories of d + 1 points on a grid of ``levels``.

    Returns (x, trajectory): x of shape (r (d+1), d) and the trajectory of each row.
    Each step moves one variable, in random order, by Δ = p / (2 (p - 1)).
    """
    rng = np.random.default_rng(seed)
    delta = levels / (2.0 * (levels - 1))
    grid = np.arange(levels) / (levels - 1)
    rows, traj = [], []
    for t in range(r):
        x = rng.choice(grid, size=d)
        rows.append(x.copy())
        traj.append(t)
        for i in rng.permutation(d):
            x[i] = x[i] + delta if x[i] + delta <= 1 + 1e-12 else x[i] - delta
            rows.append(x.copy())
            traj.append(t)
    return np.array(rows), np.array(traj)


# ---------------------------------------------------------------- from files

def point_response(ds, metric, window=52):
    """Each point's response: the metric's mean over the window, averaged over replicates."""
    per_run = io.late_mean(ds, metric, window)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return per_run.mean("replicate", skipna=True).values


def _conditions(ds):
    """Crossed designs repeat the design under each point label prefix ("cond/p17")."""
    labels = ds["point_label"].values.astype(str) if "point_label" in ds.coords else \
        np.array([f"p{i}" for i in range(ds.sizes["point"])])
    cond = np.array([lab.split("/", 1)[0] if "/" in lab else "" for lab in labels])
    return cond


def design_kind(ds):
    """The file's design name: ``sobol-saltelli``, ``morris``, ``grid``, ... or ``""``."""
    return str(ds.attrs.get("design", "") or "")


def sobol_from_dataset(ds, metrics, window=52, n_boot=1000, conf=0.95, seed=0):
    """Sobol' indices of each metric from a ``sobol-saltelli`` sweep: a tidy DataFrame.

    Columns: ``metric``, ``condition`` ("" unless the design is crossed with
    points), ``variable``, ``S1``, ``S1_lo``, ``S1_hi``, ``ST``, ``ST_lo``, ``ST_hi``, ``N``.
    """
    _check_saltelli(ds)
    names = io.design_variables(ds)
    out = []
    for metric, c, ya, yb, yab in _saltelli_responses(ds, metrics, window):
        out.append(_tidy_sobol(ya, yb, yab, metric, c, names, n_boot, conf, seed))
    res = pd.concat(out, ignore_index=True)
    res.attrs.update({"method": "sobol", "conf": conf, "n_boot": n_boot})
    return res


def _check_saltelli(ds):
    if design_kind(ds) != "sobol-saltelli" or "design_block" not in ds.coords:
        raise ValueError(f"Sobol' indices need a sobol-saltelli design; this file's design is "
                         f"'{design_kind(ds) or 'none'}'")


def _saltelli_responses(ds, metrics, window, with_ba=False):
    """Per metric and condition: (metric, condition, y_A, y_B, y_AB[, y_BA]) in base-row order."""
    d = len(io.design_variables(ds))
    block = ds["design_block"].values.astype(int)
    row = ds["design_row"].values.astype(int)
    cond = _conditions(ds)
    for metric in metrics:
        y = point_response(ds, metric, window)
        for c in dict.fromkeys(cond.tolist()):
            sel = cond == c
            n = int(row[sel].max()) + 1
            ya, yb = np.full(n, np.nan), np.full(n, np.nan)
            yab, yba = np.full((n, d), np.nan), np.full((n, d), np.nan)
            for b, r_, v in zip(block[sel], row[sel], y[sel]):
                if b == 0:
                    ya[r_] = v
                elif b == 1:
                    yb[r_] = v
                elif 2 <= b < 2 + d:
                    yab[r_, b - 2] = v
                elif 2 + d <= b < 2 + 2 * d:
                    yba[r_, b - 2 - d] = v
            yield (metric, c, ya, yb, yab, yba) if with_ba else (metric, c, ya, yb, yab)


def has_second_order(ds):
    """True when a sobol-saltelli file also has the BA blocks (``second_order: true``)."""
    if design_kind(ds) != "sobol-saltelli" or "design_block" not in ds.coords:
        return False
    d = len(io.design_variables(ds))
    return d >= 2 and bool((ds["design_block"].values >= 2 + d).any())


def sobol2_from_dataset(ds, metrics, window=52, n_boot=1000, conf=0.95, seed=0):
    """Second-order Sobol' indices of each metric from a ``sobol-saltelli`` sweep
    made with ``second_order: true``: a tidy DataFrame with columns
    ``metric``, ``condition``, ``variable_1``, ``variable_2``, ``S2``,
    ``S2_lo``, ``S2_hi``, ``N``."""
    _check_saltelli(ds)
    if not has_second_order(ds):
        raise ValueError("this Saltelli design has no BA blocks: second-order indices need the "
                         "sweep run with second_order: true (docs/scenario-format.md)")
    names = io.design_variables(ds)
    out = []
    for metric, c, ya, yb, yab, yba in _saltelli_responses(ds, metrics, window, with_ba=True):
        df = sobol_second_order(ya, yb, yab, yba, n_boot=n_boot, conf=conf, seed=seed,
                                names=names)
        n_used = df.attrs["N"]
        df.insert(0, "condition", c)
        df.insert(0, "metric", metric)
        df["N"] = n_used
        out.append(df)
    res = pd.concat(out, ignore_index=True)
    res.attrs.update({"method": "sobol-second-order", "conf": conf, "n_boot": n_boot})
    return res


def _tidy_sobol(ya, yb, yab, metric, condition, names, n_boot, conf, seed):
    df = sobol_indices(ya, yb, yab, n_boot=n_boot, conf=conf, seed=seed, names=names)
    n_used = df.attrs["N"]
    df = df.reset_index()
    df.insert(0, "condition", condition)
    df.insert(0, "metric", metric)
    df["N"] = n_used
    return df


def sobol_convergence(ds, metrics, window=52, n_boot=1000, conf=0.95, seed=0,
                      fractions=(0.125, 0.25, 0.5, 1.0)):
    """Sobol' indices re-estimated on the first n base rows, for n = N/8, N/4, N/2, N.

    The Saltelli design's base rows are a Sobol' sequence, so its first n rows
    (n a power of two) are a design of their own: indices that still move
    between N/2 and N, or intervals that do not shrink about as 1/sqrt(n),
    say the design is too small. Returns :func:`sobol_from_dataset`'s columns
    with ``n`` (base rows offered) first after ``metric`` and ``condition``;
    ``N`` is the rows used (complete ones). The last n of each metric and
    condition is the whole design, so those rows equal :func:`sobol_from_dataset`.
    """
    _check_saltelli(ds)
    names = io.design_variables(ds)
    out = []
    for metric, c, ya, yb, yab in _saltelli_responses(ds, metrics, window):
        total = len(ya)
        sizes = sorted({max(2, int(round(f * total))) for f in fractions if f > 0})
        for n in sizes:
            df = _tidy_sobol(ya[:n], yb[:n], yab[:n], metric, c, names, n_boot, conf, seed)
            df.insert(2, "n", n)
            out.append(df)
    res = pd.concat(out, ignore_index=True)
    res.attrs.update({"method": "sobol", "conf": conf, "n_boot": n_boot})
    return res


def morris_from_dataset(ds, metrics, window=52, n_boot=1000, conf=0.95, seed=0):
    """Morris mu*, sigma (and mu) of each metric from a ``morris`` sweep: a tidy DataFrame.

    Effects are in units of the metric per whole range of the variable (the
    span its design values cover).
    """
    if design_kind(ds) != "morris" or "design_block" not in ds.coords:
        raise ValueError(f"Morris effects need a morris design; this file's design is "
                         f"'{design_kind(ds) or 'none'}'")
    names = io.design_variables(ds)
    x_all = np.column_stack([ds[n].values.astype(float) for n in names])
    block = ds["design_block"].values.astype(int)
    row = ds["design_row"].values.astype(int)
    cond = _conditions(ds)
    ranges = np.nanmax(x_all, axis=0) - np.nanmin(x_all, axis=0)
    out = []
    for metric in metrics:
        y = point_response(ds, metric, window)
        for c in dict.fromkeys(cond.tolist()):
            sel = np.flatnonzero(cond == c)
            order = sel[np.lexsort((row[sel], block[sel]))]
            df = morris_indices(x_all[order], y[order], block[order], ranges=ranges,
                                n_boot=n_boot, conf=conf, seed=seed, names=names).reset_index()
            df.insert(0, "condition", c)
            df.insert(0, "metric", metric)
            out.append(df)
    res = pd.concat(out, ignore_index=True)
    res.attrs.update({"method": "morris", "conf": conf, "n_boot": n_boot})
    return res
