"""Reading tillit output files (schema 1) into xarray and pandas.

``load(path)`` gives an :class:`xarray.Dataset` with the dimensions
``point`` x ``replicate`` x ``step``, one variable per metric (with ``units``
and ``long_name``), every parameter and design variable as a coordinate
along ``point``, and runs that did not finish masked: wherever ``run_status``
is not 1 (0 not run, 2 failed) every metric is NaN, never zero.

It reads finished files, files of interrupted sweeps (``complete`` = 0), and
sweeps still running or killed (from ``OUT.h5.journal/``, when ``OUT.h5``
does not exist yet). Groups such as ``summary`` and ``snapshots`` and datasets
it does not know are left alone.
"""

import glob
import os
import re
import struct
import warnings
import zlib

import numpy as np
import pandas as pd
import xarray as xr

RUN_NOT_RUN, RUN_OK, RUN_FAILED = 0, 1, 2
DIMS = ("point", "replicate", "step")

# HDF5/netCDF bookkeeping attributes that are not metadata a reader wants
_INTERNAL_ATTRS = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_Netcdf4Dimid",
                   "_Netcdf4Coordinates", "coordinates", "_FillValue", "_nc3_strict"}


def _text(v):
    """An attribute value as plain Python: bytes decoded, numpy scalars unwrapped."""
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8", "replace").rstrip("\x00")
    if isinstance(v, np.ndarray) and v.dtype.kind == "S":
        return [_text(x) for x in v.tolist()]
    if isinstance(v, np.generic):
        return v.item()
    return v


def _clean_attrs(attrs):
    return {k: _text(v) for k, v in attrs.items() if k not in _INTERNAL_ATTRS}


def _journal_dir(path):
    p = os.fspath(path).rstrip("/")
    if p.endswith(".journal") and os.path.isdir(p):
        return p
    if not os.path.exists(p) and os.path.isdir(p + ".journal"):
        return p + ".journal"
    return None


def load(path, metrics=None, mask=True, tidy=False):
    """Load a tillit output file as an :class:`xarray.Dataset`.

    Parameters
    ----------
    path : str or path-like
        The ``.h5`` file. If it does not exist but ``path + ".journal"`` does
        (a sweep still running or killed), the finished runs are read from the
        journal. A ``.journal`` directory may also be given directly.
    metrics : list of str, optional
        Only these metrics (default: every metric in the file). Choosing a few
        saves memory on big sweeps, since the data are read into memory.
    mask : bool
        Set every metric of a run whose ``run_status`` is not 1 (not run or
        failed) to NaN (default). With ``mask=False`` a failed run keeps the
        values it produced before failing, as the file stores them.
    tidy : bool
        Return :func:`to_frame` of the dataset instead (a tidy DataFrame).

    Returns
    -------
    xarray.Dataset
        Dimensions ``point``, ``replicate``, ``step``; metric variables with
        ``units``, ``long_name``, ``aggregation`` and ``group``; ``run_status``
        and ``run_error``; ``point_label``, every parameter and every design
        variable (also schedule settings such as ``schedule_0_value``) as
        coordinates along ``point``; the file's provenance in ``attrs`` (as
        ``str``/numbers). ``ds.attrs["metric_names"]`` lists the metrics in
        table order; :func:`design_variables` gives the swept ones.
    """
    try:
        ds, source = _load(path, metrics, mask)
    except UnknownMetricError as exc:
        # name the file: with several files, which one lacks the metric
        raise UnknownMetricError(f"{os.fspath(path)}: {exc}") from None
    ds.encoding["source"] = os.path.abspath(source)
    return to_frame(ds) if tidy else ds


def _load(path, metrics, mask):
    jdir = _journal_dir(path)
    if jdir is not None:
        try:
            ds = _read_journal(jdir, metrics)
        except (UnknownMetricError, FileNotFoundError):
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged layout: one clear message
            raise DamagedFileError(_damaged(jdir, exc)) from exc
        source = jdir
    else:
        path = os.fspath(path).rstrip("/") or os.fspath(path)
        if not os.path.exists(path):
            if path.endswith(".journal"):
                raise FileNotFoundError(f"{path}: no such journal directory")
            raise FileNotFoundError(f"{path}: no such file (and no {path}.journal)")
        if os.path.isdir(path):
            raise DamagedFileError(f"{path}: a directory, not a tillit output file")
        try:
            ds = _read_xarray(path, metrics)
        except UnknownMetricError:
            raise
        except Exception as exc:  # noqa: BLE001 - any reader failure falls back
            # h5netcdf refuses some layouts (e.g. an axis with no dimension
            # scale); the plain HDF5 reader only needs the documented names.
            try:
                ds = _read_h5py(path, metrics)
            except UnknownMetricError:
                raise
            except Exception as exc2:  # noqa: BLE001 - damaged files: one clear message
                raise DamagedFileError(_damaged(path, exc2)) from exc2
            warnings.warn(f"{path}: xarray/h5netcdf could not open it ({exc}); read with h5py")
        source = path
    try:
        ds = _finish(ds, mask)
    except Exception as exc:  # noqa: BLE001
        raise DamagedFileError(_damaged(source, exc)) from exc
    return ds, source


def metric_names(ds):
    """The metrics of a dataset, in the engine's table order."""
    names = str(ds.attrs.get("metric_names", "")).split()
    if names:
        return [m for m in names if m in ds.data_vars]
    return [v for v in ds.data_vars if ds[v].dims in (DIMS, RUN_DIMS)]


class DamagedFileError(ValueError):
    """A file (or journal) that is not a readable tillit output: damaged,
    truncated, incomplete or another kind of file."""


def _damaged(path, exc):
    what = f"'{exc.args[0]}' is missing" if isinstance(exc, KeyError) and exc.args else str(exc)
    return (f"{path}: cannot read it as a tillit output file; it is damaged, truncated or "
            f"another kind of file ({type(exc).__name__}: {what})")


class UnknownMetricError(KeyError):
    """A metric asked for is not in the file."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


def _select_metrics(all_names, metrics):
    if not all_names:
        raise DamagedFileError("it holds no metrics: not a tillit output file")
    if metrics is None:
        return list(all_names)
    metrics = list(metrics)
    unknown = [m for m in metrics if m not in all_names]
    if unknown:
        import difflib

        hints = []
        for m in unknown:
            close = difflib.get_close_matches(m, all_names, n=1)
            hints.append(f"'{m}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        raise UnknownMetricError("unknown metric " + ", ".join(hints)
                                 + "; `tillit metrics` lists them")
    return metrics


def _read_xarray(path, metrics):
    # phony_dims: a dataset some future version adds without dimension scales
    # must not stop the rest from loading (it is dropped below anyway)
    with xr.open_dataset(path, engine="h5netcdf", phony_dims="sort") as src:
        names = str(src.attrs.get("metric_names", "")).split() or \
            [v for v in src.data_vars if src[v].dims == DIMS]
        present = [n for n in names if n in src.data_vars]
        # a summary-only file has no time series: its runs' statistics are read below
        keep = _select_metrics(present, metrics) if present else []
        extra = [v for v in ("run_status", "run_error", "design_values") if v in src.variables]
        ds = src[keep + extra].load()
    ds.attrs = _clean_attrs(ds.attrs)
    if not keep:
        ds = _add_run_stats(path, ds, metrics)
    return ds


RUN_DIMS = ("point", "replicate", "run_statistic")


def _add_run_stats(path, ds, metrics):
    """A file without time series (output: {time_series: false}): each run's
    statistics over the file's window, from group ``runs``, as variables
    (point, replicate, run_statistic); ``ds.attrs["run_window"]`` is the window."""
    import h5py

    with h5py.File(path, "r") as f:
        if "runs" not in f:
            raise DamagedFileError("it holds no metrics: not a tillit output file")
        window = int(f["runs"].attrs["window"])
    with xr.open_dataset(path, engine="h5netcdf", group="runs") as g:
        names = [m for m in str(ds.attrs.get("metric_names", "")).split() if m in g.data_vars]
        keep = _select_metrics(names, metrics)
        runs = g[keep].load()
    for m in keep:
        ds[m] = (RUN_DIMS, runs[m].values, dict(runs[m].attrs))
    ds = ds.assign_coords(run_statistic=("run_statistic", runs["run_statistic"].values.astype(str)))
    ds.attrs["run_window"] = window
    return ds


def _h5_strings(d):
    """A string dataset as a flat list of str (h5py gives bytes)."""
    return [_text(x) if isinstance(x, (bytes, np.bytes_)) else str(x)
            for x in np.asarray(d[()], dtype=object).ravel().tolist()]


def _read_h5py_file(f, metrics, with_data=True):
    """Build the dataset from an open h5py File using the documented names only."""
    attrs = _clean_attrs(f.attrs)
    # a journal's layout for a file without time series has its metrics only
    # in group runs; the journal's blocks still hold their time series
    runs_only = not with_data and "runs" in f
    names = [m for m in str(attrs.get("metric_names", "")).split()
             if m in f or (runs_only and m in f["runs"])]
    keep = _select_metrics(names, metrics)
    npts = f["point"].shape[0]
    coords = {
        "point": ("point", f["point"][()], _clean_attrs(f["point"].attrs)),
        "replicate": ("replicate", f["replicate"][()], _clean_attrs(f["replicate"].attrs)),
        "step": ("step", f["step"][()], _clean_attrs(f["step"].attrs)),
    }
    if "point_label" in f:
        coords["point_label"] = ("point", np.array(_h5_strings(f["point_label"]), dtype=object),
                                 _clean_attrs(f["point_label"].attrs))
    for p in str(attrs.get("parameter_names", "")).split():
        if p in f and f[p].shape == (npts,):
            coords[p] = ("point", f[p][()], _clean_attrs(f[p].attrs))
    for c in ("design_block", "design_row"):
        if c in f:
            coords[c] = ("point", f[c][()], _clean_attrs(f[c].attrs))
    if "design_variable" in f:
        coords["design_variable"] = ("design_variable",
                                     np.array(_h5_strings(f["design_variable"]), dtype=object),
                                     _clean_attrs(f["design_variable"].attrs))
    data = {}
    for m in keep:
        if m not in f:  # runs_only: an empty time series, filled from the blocks
            shape = (npts, f["replicate"].shape[0], f["step"].shape[0])
            data[m] = (DIMS, np.full(shape, np.nan), _clean_attrs(f["runs"][m].attrs))
            continue
        d = f[m]
        values = d[()] if with_data else np.full(d.shape, np.nan)
        data[m] = (DIMS, values, _clean_attrs(d.attrs))
    if "run_status" in f:
        data["run_status"] = (("point", "replicate"), f["run_status"][()],
                              _clean_attrs(f["run_status"].attrs))
    if "run_error" in f:
        data["run_error"] = (("point", "replicate"),
                             np.array(_h5_strings(f["run_error"]), dtype=object).reshape(
                                 f["run_error"].shape), _clean_attrs(f["run_error"].attrs))
    if "design_values" in f and "design_variable" in f:
        data["design_values"] = (("point", "design_variable"), f["design_values"][()],
                                 _clean_attrs(f["design_values"].attrs))
    return xr.Dataset(data, coords=coords, attrs=attrs)


def _read_h5py(path, metrics):
    import h5py

    with h5py.File(path, "r") as f:
        return _read_h5py_file(f, metrics)


def _scenario_hash(data):
    """The engine's hash of the resolved scenario text (journal.c: FNV-1a over
    little-endian 64-bit words, then the tail bytes)."""
    h, mask, prime = 14695981039346656037, (1 << 64) - 1, 1099511628211
    n8 = len(data) // 8 * 8
    for (w,) in struct.iter_unpack("<Q", data[:n8]):
        h = ((h ^ w) * prime) & mask
    for c in data[n8:]:
        h = ((h ^ c) * prime) & mask
    return h


_LOG_HEAD = struct.Struct("<8sII")  # magic, version, byte-order mark
_REC_HEAD = struct.Struct("<IIiiiiiIQQiiiiQQIIII")  # see include/tillit/journal.h
_HEAD_CRC_AT = 88  # the head's CRC32 covers the bytes before it
_LOG_VERSION = 3


def _kept_values(payload, nrep, steps, nm, kept, first, every, end, mask, vbytes, nmetrics):
    """A record's kept values (nrep, kept steps, its metrics) back in a block's
    layout (nrep, steps, nmetrics), NaN where nothing was kept."""
    dtype = "<f8" if vbytes == 8 else "<f4"
    vals = np.frombuffer(payload, dtype=dtype, count=nrep * kept * nm).reshape(nrep, kept, nm)
    cols = [m for m in range(128) if (mask >> m) & 1]
    rows = np.minimum(first + np.arange(kept) * every, end - 1)
    data = np.full((nrep, steps, nmetrics), np.nan)
    data[:, rows[:, None], np.asarray(cols)[None, :]] = vals.astype(np.float64)
    return data


def _journal_records(jdir, want, nmetrics):
    """The whole records of a journal's blocks.log, in order: (point, r0,
    nrep, steps, data, state, errors). Stops at a torn record (the sweep may
    be appending to it); a record of another scenario or with a wrong CRC32
    is skipped with a warning."""
    log = os.path.join(jdir, "blocks.log")
    if not os.path.exists(log):
        if glob.glob(os.path.join(jdir, "block-*.h5")):
            raise ValueError(f"{jdir}: a journal of an older tillit (block-NNNNNNNN.h5 files), "
                             "which this version does not read: finish the sweep with the tillit "
                             "that wrote it, or start over with --force")
        return
    with open(log, "rb") as f:
        raw = f.read()
    if len(raw) < _LOG_HEAD.size:
        return
    magic, version, order = _LOG_HEAD.unpack_from(raw)
    if magic == b"TLJOURNL" and order == 0x01020304 and version < _LOG_VERSION:
        raise ValueError(f"{log}: a journal of an older tillit (format {version}), which this "
                         "version does not read: finish the sweep with the tillit that wrote it, "
                         "or start over with --force")
    if magic != b"TLJOURNL" or version != _LOG_VERSION or order != 0x01020304:
        raise ValueError(f"{log}: not a journal log of this tillit")
    at = _LOG_HEAD.size
    while at + _REC_HEAD.size <= len(raw):
        (rmagic, _block, p, r0, nrep, steps, nm, snap_floats, err_bytes, scen, kept, first, every,
         step_end, mask_lo, mask_hi, vbytes, pcrc, hcrc, _pad) = _REC_HEAD.unpack_from(raw, at)
        if rmagic != 0x424A4C54 or zlib.crc32(raw[at:at + _HEAD_CRC_AT]) != hcrc:
            break
        ndata = nrep * kept * nm * vbytes
        end = at + _REC_HEAD.size + ndata + nrep + err_bytes + nrep * snap_floats * 4
        if end > len(raw):
            break
        payload = raw[at + _REC_HEAD.size:end]
        where = f"{log}: block at byte {at}"
        at = end
        if zlib.crc32(payload) != pcrc:
            warnings.warn(f"{where} skipped (damaged: its checksum does not match)")
            continue
        if want is not None and scen != want:
            warnings.warn(f"{where} skipped (a block of another scenario)")
            continue
        mask = mask_lo | (mask_hi << 64)
        if mask >> nmetrics:
            warnings.warn(f"{where} skipped (its metrics are not those of the layout)")
            continue
        data = _kept_values(payload, nrep, steps, nm, kept, first, every, step_end, mask, vbytes,
                            nmetrics)
        state = np.frombuffer(payload, dtype=np.uint8, count=nrep, offset=ndata)
        err = payload[ndata + nrep:ndata + nrep + err_bytes].decode("utf-8", "replace").split("\0")
        yield p, r0, nrep, steps, data, state, err[:nrep]


def _read_journal(jdir, metrics):
    """A sweep in progress or killed: the layout plus every finished block."""
    import h5py

    layout = os.path.join(jdir, "layout.h5")
    if not os.path.exists(layout):
        raise FileNotFoundError(f"{jdir}: no layout.h5 (the sweep has not started writing)")
    with h5py.File(layout, "r") as f:
        ds = _read_h5py_file(f, metrics, with_data=False)
        # a block's metrics are numbered as a run computes them
        # (run_metric_names), which may be more than the file stores
        # (metric_names); a record holds only those the file stores
        all_names = str(_text(f.attrs.get("run_metric_names", f.attrs.get("metric_names", "")))).split()
    status = np.zeros(ds["run_status"].shape, dtype=np.int8)
    errors = np.full(status.shape, "", dtype=object)
    index = {m: all_names.index(m) for m in metric_names(ds)}
    want = None
    spath = os.path.join(jdir, "scenario.yaml")
    if os.path.isfile(spath):
        with open(spath, "rb") as f:
            want = _scenario_hash(f.read())
    # the blocks are laid out over every step (a record holds only the steps
    # the file keeps: those of its step coordinate, output: {every: K}; as
    # float32 with output: {dtype: float32})
    kept = ds["step"].values.astype(int) - 1
    f32 = str(ds.attrs.get("record_dtype", "float64")) == "float32"
    for p, r0, nrep, steps, block, state, err in _journal_records(jdir, want, len(all_names)):
        sel = kept[kept < steps]
        for m, k in index.items():
            vals = block[:, sel, k]
            ds[m].values[p, r0:r0 + nrep, :len(sel)] = vals.astype(np.float32) if f32 else vals
        status[p, r0:r0 + nrep] = state
        errors[p, r0:r0 + nrep] = err
    ds["run_status"].values[...] = status
    if "run_error" in ds:
        ds["run_error"].values[...] = errors
    ds.attrs["complete"] = 0
    ds.attrs["journal"] = os.path.abspath(jdir)
    return ds


def schedule_parameters(ds):
    """Names of the levers changed by the first point's schedule, in order (``schedule_K_*``)."""
    text = str(ds.attrs.get("scenario", ""))
    m = re.search(r"^\s*schedule:\s*\n((?:\s+- \{param: [A-Za-z0-9_]+.*\n?)+)", text, re.M)
    if not m:
        return []
    return re.findall(r"param: ([A-Za-z0-9_]+)", m.group(1))


def _finish(ds, mask):
    """Mask runs that did not finish; design variables as coordinates; labels."""
    if "run_status" in ds:
        status = ds["run_status"]
        ok = status == RUN_OK
        if mask:
            for m in metric_names(ds):
                attrs = dict(ds[m].attrs)
                ds[m] = ds[m].where(ok)
                ds[m].attrs = attrs
    # design variables that are not parameters (schedule settings) as coordinates
    if "design_values" in ds and "design_variable" in ds.coords:
        sched = schedule_parameters(ds)
        for i, name in enumerate([str(v) for v in ds["design_variable"].values]):
            if name not in ds.coords:
                vals = ds["design_values"].isel(design_variable=i).values
                attrs = {"long_name": f"design variable {name}"}
                mm = re.fullmatch(r"schedule_(\d+)_(at|value|ramp)", name)
                if mm:
                    k, what = int(mm.group(1)), mm.group(2)
                    lever = sched[k] if k < len(sched) else None
                    if lever:
                        attrs["schedule_parameter"] = lever
                    if what in ("at", "ramp"):
                        attrs["units"] = "week"
                    elif lever in ds.coords:
                        attrs["units"] = str(ds[lever].attrs.get("units", "1"))
                    else:
                        attrs["units"] = "1"
                ds = ds.assign_coords({name: ("point", vals, attrs)})
    if "step" in ds.coords:  # absent in a file of per-run statistics only
        ds["step"].attrs.setdefault("long_name", "step (week)")
    return ds


def design_variables(ds):
    """The swept variables: the design's variables, or else the parameters that differ."""
    if "design_variable" in ds.coords:
        names = [str(v) for v in ds["design_variable"].values]
    else:
        names = str(ds.attrs.get("varied_parameters", "")).split()
    return [n for n in names if n in ds.coords]


def run_counts(ds):
    """Counts of runs by status: dict with keys ok, failed, not_run."""
    st = ds["run_status"].values
    return {"ok": int((st == RUN_OK).sum()), "failed": int((st == RUN_FAILED).sum()),
            "not_run": int((st == RUN_NOT_RUN).sum())}


def horizon(ds):
    """Each point's horizon in steps (DataArray over point)."""
    last = int(ds["step"].values[-1])  # the file may keep every K-th step only
    if "steps" in ds.coords and ds["steps"].dims == ("point",):
        return ds["steps"].fillna(last).astype(int)
    return xr.DataArray(np.full(ds.sizes["point"], last), dims="point")


def window_mask(ds, window=52):
    """Boolean (point, step): the last ``window`` steps of each point's horizon.

    ``window`` may be an int (last N steps), ``None`` or ``"all"`` (every step),
    or a pair ``(first, last)`` of steps, both included.
    """
    step = ds["step"]
    h = horizon(ds)
    if window is None or window == "all":
        return step <= h
    if isinstance(window, (tuple, list)):
        a, b = window
        return (step >= a) & (step <= b) & (step <= h)
    w = int(window)
    return (step > h - w) & (step <= h)


def window_label(ds, window, lang="en"):
    from . import i18n

    h = horizon(ds)
    if window is None or window == "all":
        return i18n.text("last_weeks", lang, a=1, b=int(h.max()))
    if isinstance(window, (tuple, list)):
        return i18n.text("last_weeks", lang, a=int(window[0]), b=int(window[1]))
    hs = sorted(set(int(x) for x in np.atleast_1d(h.values)))
    if len(hs) == 1:
        return i18n.text("last_weeks", lang, a=max(1, hs[0] - int(window) + 1), b=hs[0])
    return i18n.text("last_n", lang, n=int(window))


def _stored_stat(ds, metric, window, stat):
    """A summary-only file's per-run statistic (point, replicate) of a metric.

    The file holds each run's statistics over its last ``run_window`` steps
    only, so any other window is refused with a message that names it.
    """
    w = int(ds.attrs.get("run_window", 0))
    if window != w:
        raise ValueError(f"the file stores no time series, only each run's statistics over "
                         f"the last {w} steps: use window={w}")
    if stat not in TABLE_STATS:
        raise ValueError(f"unknown statistic '{stat}': expected one of {', '.join(TABLE_STATS)}")
    return ds[metric].sel(run_statistic=stat).drop_vars("run_statistic", errors="ignore")


def late_mean(ds, metric, window=52):
    """Per run (point, replicate): the mean of a metric over the window (NaN steps skipped).

    Also for a summary-only file, whose stored mean is returned when
    ``window`` is the file's own window.
    """
    if ds[metric].dims == RUN_DIMS:
        out = _stored_stat(ds, metric, window, "mean")
        out.attrs = dict(ds[metric].attrs)
        return out
    da = ds[metric].where(window_mask(ds, window))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = da.mean("step", skipna=True)
    out.attrs = dict(ds[metric].attrs)
    return out


def replicate_stats(da, band="ci95", dim="replicate"):
    """Mean across replicates and an interval, ignoring NaN (masked) runs.

    band: ``ci95`` (t-based 95 % confidence interval of the mean), ``q90``
    (5 and 95 % quantiles of the replicates), ``sd`` (mean ± 1 SD), ``none``.
    Returns a Dataset with ``mean``, ``lo``, ``hi`` and ``n`` (replicates with a value).
    """
    from scipy import stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        n = da.notnull().sum(dim)
        mean = da.mean(dim, skipna=True)
        if band == "q90":
            lo = da.quantile(0.05, dim=dim, skipna=True).drop_vars("quantile")
            hi = da.quantile(0.95, dim=dim, skipna=True).drop_vars("quantile")
        elif band in ("ci95", "sd"):
            sd = da.std(dim, ddof=1, skipna=True)
            if band == "sd":
                half = sd
            else:
                tq = xr.apply_ufunc(lambda k: stats.t.ppf(0.975, np.maximum(k - 1, 1)), n)
                half = tq * sd / np.sqrt(n.where(n > 0))
            half = half.where(n > 1)
            lo, hi = mean - half, mean + half
        else:
            lo = hi = mean * np.nan
    return xr.Dataset({"mean": mean, "lo": lo, "hi": hi, "n": n})


def replicate_convergence(ds, metrics, window=52, counts=None):
    """How the 95 % CI of each point's mean narrows with the number of replicates.

    For each metric and each count k (default 2, 4, 8, ... and the file's
    replicates R), the CI half-width of every point's mean over its first k
    replicates (each run reduced to its window mean, NaN runs left out).
    Returns a DataFrame with ``metric``, ``replicates`` (k), ``points`` (with a
    finite interval), ``half_median``, ``half_min`` and ``half_max`` over the
    points; the rows at k = R are the intervals the other figures draw.
    """
    total = int(ds.sizes["replicate"])
    if counts is None:
        counts = [2 ** i for i in range(1, total.bit_length()) if 2 ** i < total] + [total]
    counts = sorted({int(k) for k in counts if 2 <= k <= total})
    if not counts:
        raise ValueError(f"{total} replicate(s): a confidence interval needs at least 2")
    rows = []
    for metric in metrics:
        runs = late_mean(ds, metric, window)
        for k in counts:
            st = replicate_stats(runs.isel(replicate=slice(0, k)), "ci95")
            half = (st["hi"] - st["mean"]).values.ravel()
            half = half[np.isfinite(half)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                rows.append({"metric": metric, "replicates": k, "points": len(half),
                             "half_median": np.median(half) if len(half) else np.nan,
                             "half_min": half.min() if len(half) else np.nan,
                             "half_max": half.max() if len(half) else np.nan})
    return pd.DataFrame(rows)


#: a noise share above this is flagged: a fifth or more of the spread between
#: the points' means is replicate noise, not the design
NOISE_SHARE_WARN = 0.2


def noise_share(ds, metrics, window=52):
    """How much of the spread between the points' means is replicate noise.

    For each metric, each run reduced to its window mean: the pooled variance
    within points divided by the mean replicates per point (the noise
    variance of a point's mean) over the variance between the points' means,
    capped at 1. Sensitivity indices and fronts are drawn from those means,
    so a large share inflates total-order indices and blurs fronts. Returns
    a DataFrame with ``metric``, ``share``, ``replicates`` (mean per point)
    and ``warn`` (share above :data:`NOISE_SHARE_WARN`); needs at least two
    points and two replicates.
    """
    if ds.sizes["replicate"] < 2 or ds.sizes["point"] < 2:
        raise ValueError(f"{ds.sizes['point']} point(s) x {ds.sizes['replicate']} replicate(s): "
                         "a noise share needs at least 2 of each")
    rows = []
    for metric in metrics:
        runs = late_mean(ds, metric, window).transpose("point", "replicate").values
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            n = np.sum(np.isfinite(runs), axis=1)
            within = np.nanmean(np.nanvar(runs, axis=1, ddof=1)[n > 1])
            between = np.nanvar(np.nanmean(runs, axis=1), ddof=1)
            reps = float(np.mean(n[n > 0]))
            share = min(1.0, within / reps / between) if between > 0 else np.nan
        rows.append({"metric": metric, "share": share, "replicates": reps,
                     "warn": bool(share > NOISE_SHARE_WARN)})
    return pd.DataFrame(rows)


def to_frame(ds, metrics=None, parameters="varied", long=False):
    """A tidy :class:`pandas.DataFrame`: one row per point, replicate and step.

    Columns: ``point``, ``replicate``, ``step``, ``point_label``,
    ``run_status``, the parameters (``parameters="varied"``: the design
    variables or varied parameters; ``"all"``; or a list), then one column per
    metric. Masked runs keep their rows with NaN values. With ``long=True``
    the metrics are stacked into ``metric`` and ``value`` columns.
    """
    metrics = metric_names(ds) if metrics is None else list(metrics)
    if parameters == "varied":
        params = design_variables(ds)
    elif parameters == "all":
        params = [c for c in ds.coords if ds[c].dims == ("point",) and c != "point"]
    else:
        params = list(parameters)
    base = ds[metrics].reset_coords(drop=True)
    df = base.to_dataframe().reset_index()
    per_point = {"point": ds["point"].values}
    if "point_label" in ds.coords:
        per_point["point_label"] = ds["point_label"].values.astype(str)
    for p in params:
        if p != "point_label":
            per_point[p] = ds[p].values
    pts = pd.DataFrame(per_point)
    df = df.merge(pts, on="point", how="left")
    if "run_status" in ds:
        rs = ds["run_status"].to_dataframe(name="run_status").reset_index()[
            ["point", "replicate", "run_status"]]
        df = df.merge(rs, on=["point", "replicate"], how="left")
    lead = ["point", "replicate", "step"] + [c for c in pts.columns if c != "point"]
    if "run_status" in df:
        lead.append("run_status")
    df = df[lead + metrics]
    if long:
        df = df.melt(id_vars=lead, value_vars=metrics, var_name="metric", value_name="value")
    return df


# ---- the experiment table -------------------------------------------------------------

TABLE_STATS = ("mean", "sd", "min", "max", "last", "sum")
_STATUS_NAMES = {RUN_NOT_RUN: "not_run", RUN_OK: "ok", RUN_FAILED: "failed"}


def _window_stats(x, stat):
    """Statistic over the last axis of x, NaN skipped; NaN where there is no value."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        n = np.sum(~np.isnan(x), axis=-1)
        if stat == "mean":
            out = np.nanmean(x, axis=-1)
        elif stat == "sd":
            out = np.nanstd(x, axis=-1, ddof=1)
            out = np.where(n > 1, out, np.nan)
        elif stat == "min":
            out = np.nanmin(x, axis=-1)
        elif stat == "max":
            out = np.nanmax(x, axis=-1)
        elif stat == "sum":
            out = np.where(n > 0, np.nansum(x, axis=-1), np.nan)
        elif stat == "last":
            ok = ~np.isnan(x)
            idx = x.shape[-1] - 1 - np.argmax(ok[..., ::-1], axis=-1)
            out = np.take_along_axis(x, idx[..., None], axis=-1)[..., 0]
            out = np.where(n > 0, out, np.nan)
        else:
            raise ValueError(f"unknown statistic '{stat}': expected one of {', '.join(TABLE_STATS)}")
    return out


def _table_lead(ds):
    """Per-point columns of the experiment table: label, design block/row, design values."""
    cols = {"label": ds["point_label"].values.astype(str) if "point_label" in ds.coords
            else np.array([f"p{i}" for i in range(ds.sizes["point"])])}
    for c in ("design_block", "design_row"):
        if c in ds.coords:
            cols[c] = ds[c].values.astype(int)
    for v in design_variables(ds):
        cols[v] = ds[v].values
    return cols


def to_runs(ds, metrics=None, window=52, stats=("mean",)):
    """The experiment table: one row per run, as ``tillit table FILE --csv`` writes it.

    Columns: ``point``, ``label``, ``replicate``, ``seed`` (the master seed; a
    run's streams are keyed by seed, point and replicate), ``status``
    (``ok``, ``failed``, ``not_run``), ``design_block`` and ``design_row``
    (when the design has blocks), every design variable (or else every
    varied parameter), then ``<metric>_<stat>`` for each metric and
    statistic over the window of steps. ``window``: the last N steps of each
    point's horizon (int, default 52 = one year), a pair ``(first, last)``
    of steps, or ``"all"``. ``stats``: any of mean, sd, min, max, last, sum.
    Runs that did not finish (status not ``ok``) have NaN statistics.
    """
    metrics = metric_names(ds) if metrics is None else _select_metrics(metric_names(ds), metrics)
    stats = [stats] if isinstance(stats, str) else list(stats)
    P, R = ds.sizes["point"], ds.sizes["replicate"]
    status = ds["run_status"].values if "run_status" in ds else np.full((P, R), RUN_OK)
    if any(ds[m].dims == DIMS for m in metrics):
        win = window_mask(ds, window).transpose("point", "step").values[:, None, :]
    out = {"point": np.repeat(np.arange(P), R), "replicate": np.tile(np.arange(R), P)}
    lead = _table_lead(ds)
    out["label"] = np.repeat(lead.pop("label"), R)
    out["seed"] = np.full(P * R, int(ds.attrs.get("master_seed", 0)), dtype=np.uint64)
    out["status"] = [_STATUS_NAMES.get(int(s), "not_run") for s in status.ravel()]
    for k, v in lead.items():
        out[k] = np.repeat(v, R)
    ok = (status == RUN_OK)
    for m in metrics:
        if ds[m].dims == RUN_DIMS:  # a file of per-run statistics only
            for s in stats:
                v = _stored_stat(ds, m, window, s).transpose("point", "replicate").values.astype(float)
                out[f"{m}_{s}"] = np.where(ok, v, np.nan).ravel()
            continue
        x = ds[m].transpose("point", "replicate", "step").values.astype(float)
        x = np.where(win & ok[:, :, None], x, np.nan)
        for s in stats:
            out[f"{m}_{s}"] = _window_stats(x, s).ravel()
    df = pd.DataFrame(out)
    first = ["point", "label", "replicate", "seed", "status"]
    return df[first + [c for c in df.columns if c not in first]]


def to_points(ds, metrics=None, window=52, stats=("mean",), conf=0.95):
    """One row per point, as ``tillit table FILE --points --csv`` writes it.

    Columns: ``point``, ``label``, the design block/row and variables, ``n``
    (runs that finished), and for every column ``C`` of :func:`to_runs`
    ``C_mean``, ``C_ci_lo`` and ``C_ci_hi``: the mean across the finished
    replicates and its Student-t confidence interval (``conf``, default 95 %;
    NaN with fewer than two values).
    """
    from scipy import stats as sst

    runs = to_runs(ds, metrics, window, stats)
    P, R = ds.sizes["point"], ds.sizes["replicate"]
    lead = _table_lead(ds)
    out = {"point": np.arange(P)}
    out.update(lead)
    ok = (runs["status"].values == "ok").reshape(P, R)
    out["n"] = ok.sum(axis=1)
    value_cols = [c for c in runs.columns
                  if any(c.endswith("_" + s) for s in TABLE_STATS) and c not in lead
                  and c not in ("point", "label", "replicate", "seed", "status")]
    for c in value_cols:
        x = np.where(ok, runs[c].values.reshape(P, R), np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            k = np.sum(~np.isnan(x), axis=1)
            mean = np.nanmean(x, axis=1)
            sd = np.nanstd(x, axis=1, ddof=1)
            half = sst.t.ppf(0.5 + conf / 2, np.maximum(k - 1, 1)) * sd / np.sqrt(np.maximum(k, 1))
        half = np.where(k > 1, half, np.nan)
        out[f"{c}_mean"] = np.where(k > 0, mean, np.nan)
        out[f"{c}_ci_lo"] = out[f"{c}_mean"] - half
        out[f"{c}_ci_hi"] = out[f"{c}_mean"] + half
    return pd.DataFrame(out)
