"""Figures of tillit output: time series, regime comparison, sweeps, frontiers, sensitivity.

Every function takes loaded datasets (:func:`tillit_analysis.load`) and
returns a :class:`matplotlib.figure.Figure`; :func:`save` writes it as PNG,
SVG or PDF by the file's extension. Figures are drawn for a projected slide:
large type, units on every axis, a legend, and a footnote that says what the
bands and bars are and which file and engine version they come from.
"""

import math
import os
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from . import i18n, io, sensitivity  # noqa: E402

#: matplotlib settings of every figure (readable on a projected slide)
STYLE = {
    "font.size": 15,
    "axes.titlesize": 16,
    "axes.titleweight": "bold",
    "axes.labelsize": 15,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "legend.frameon": False,
    "figure.titlesize": 20,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.axisbelow": True,
    "lines.linewidth": 2.8,
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "figure.dpi": 100,
    "savefig.dpi": 150,
}

#: Okabe & Ito's colour-blind-safe palette
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000", "#999999"]
#: the presets keep their colours in every figure
PRESET_COLOURS = {
    "control-based": "#D55E00",
    "balanced": "#009E73",
    "trust-based": "#0072B2",
    "naive-trust": "#CC79A7",
    "zero-tolerance": "#E69F00",
    "targeted-grants": "#56B4E9",
}
LINESTYLES = ["-", "--", ":", "-."]

DEFAULT_TIMESERIES = ["quality_true", "quality_measured", "equal_gap", "cost_per_case",
                      "incidents", "motivation_mean", "safety_mean", "time_documentation"]
DEFAULT_SWEEP = ["quality_true", "cost_per_case", "incidents", "time_documentation"]
DEFAULT_SENSITIVITY = ["quality_true", "cost_per_case", "incidents", "equal_gap"]
FORMATS = (".png", ".svg", ".pdf")
MAX_SERIES = 12


# ------------------------------------------------------------------ helpers

class Series:
    """One line or bar: a point of a dataset, with its label, colour and line style."""

    def __init__(self, ds, point, label, colour, linestyle="-"):
        self.ds, self.point, self.label = ds, point, label
        self.colour, self.linestyle = colour, linestyle

    def __repr__(self):
        return f"Series({self.label!r}, point={self.point})"


def _stem(ds):
    src = ds.encoding.get("source", "")
    base = os.path.basename(src.rstrip("/")) or "file"
    for ext in (".journal", ".h5", ".hdf5", ".nc"):
        if base.endswith(ext):
            base = base[: -len(ext)]
    return base


def select_points(ds, points):
    """Indices of the points whose label (or index) is in ``points`` (all when None)."""
    n = ds.sizes["point"]
    if not points:
        return list(range(n))
    labels = ds["point_label"].values.astype(str) if "point_label" in ds.coords else \
        np.array([str(i) for i in range(n)])
    out = []
    for want in points:
        hit = [i for i in range(n) if labels[i] == want]
        if not hit and want.isdigit() and int(want) < n:
            hit = [int(want)]
        out += [i for i in hit if i not in out]
    return out


def make_series(datasets, points=None, lang="en", max_series=MAX_SERIES):
    """The series to draw: every (selected) point of every dataset, with stable colours."""
    multi = len(datasets) > 1
    chosen = []
    for f, ds in enumerate(datasets):
        idx = select_points(ds, points)
        if points and not idx:
            raise ValueError(f"{_stem(ds)}: no point labelled {', '.join(points)}; points are: "
                             + ", ".join(ds["point_label"].values.astype(str)[:20]))
        for p in idx:
            raw = str(ds["point_label"].values[p]) if "point_label" in ds.coords else str(p)
            chosen.append((f, ds, p, raw))
    if len(chosen) > max_series:
        raise ValueError(f"{len(chosen)} points to draw, at most {max_series} fit in one figure: "
                         "choose some with --points, or use `sweep`/`frontier` for a sweep")
    raws = [c[3] for c in chosen]
    # a preset colour when the label is a preset; several files: line style per file
    used, series = set(), []
    same_labels = multi and len(set(raws)) < len(raws)
    for f, ds, p, raw in chosen:
        colour = PRESET_COLOURS.get(raw)
        if colour is None or (colour in used and not same_labels):
            colour = next((c for c in PALETTE if c not in used and c not in
                           PRESET_COLOURS.values()), None) or \
                next((c for c in PALETTE if c not in used), PALETTE[len(used) % len(PALETTE)])
        used.add(colour)
        label = i18n.point_label(raw, lang)
        if multi:
            label = f"{_stem(ds)}: {label}"
        style = LINESTYLES[f % len(LINESTYLES)] if same_labels else "-"
        series.append(Series(ds, p, label, colour, style))
    return series


def _check_metric(ds, metric):
    if metric not in ds.data_vars:
        io._select_metrics(io.metric_names(ds), [metric])  # raises with a hint


def _pct(v, _=None):
    p = 100.0 * v
    if abs(p - round(p)) < 1e-6:
        return f"{p:.0f} %"
    if abs(10 * p - round(10 * p)) < 1e-6:
        return f"{p:.1f} %"
    return f"{p:.2g} %"


PERCENT = FuncFormatter(_pct)


def _percent_axis(ax, metric, axis="y"):
    if i18n.metric_percent(metric):
        (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PERCENT)


def _fmt_value(metric, v):
    if not np.isfinite(v):
        return "–"
    if i18n.metric_percent(metric):
        return f"{100 * v:.1f} %"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}".replace(",", "\u2009")
    if a >= 10:
        return f"{v:.1f}"
    if a >= 0.1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def _thousands(ax, axis="y"):
    def f(v, _):
        return f"{v:,.0f}".replace(",", "\u2009") if abs(v) >= 1000 else f"{v:g}"
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(f))


def _format_axis(ax, metric, axis="y"):
    if i18n.metric_percent(metric):
        _percent_axis(ax, metric, axis)
    elif i18n.metric_shown(metric) in ("sek_case", "sek_week"):
        _thousands(ax, axis)


def provenance(datasets):
    """One line naming the files and the engine version and revision."""
    parts = []
    for ds in datasets:
        a = ds.attrs
        bits = [_stem(ds), f"tillit {a.get('tillit_version', '?')}"]
        if a.get("git_revision"):
            bits.append(f"git {a['git_revision']}")
        if a.get("master_seed") is not None:
            bits.append(f"seed {a['master_seed']}")
        if str(a.get("complete", 1)) == "0":
            bits.append("INCOMPLETE")
        parts.append(" · ".join(bits))
    return "; ".join(parts)


def _footnote(fig, lines):
    fig.text(0.01, 0.005, "\n".join(lines), fontsize=11, color="#555555", va="bottom",
             ha="left", wrap=True)


def _n_reps_text(datasets, lang):
    ns = sorted({int(ds.sizes["replicate"]) for ds in datasets})
    if ns == [1]:
        return i18n.text("n_rep1", lang)
    return i18n.text("n_reps", lang, n="/".join(str(x) for x in ns))


def _masked_text(datasets, lang):
    counts = [io.run_counts(ds) for ds in datasets if "run_status" in ds]
    failed = sum(c["failed"] for c in counts)
    not_run = sum(c["not_run"] for c in counts)
    if not failed and not not_run:
        return None
    en = f"left out (NaN): {failed} failed and {not_run} not-run runs"
    sv = f"utelämnade (NaN): {failed} misslyckade och {not_run} ej körda körningar"
    return sv if lang == "sv" else en


def save(fig, path, metadata=None):
    """Write the figure as PNG, SVG or PDF (by the extension) and close it."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext not in FORMATS:
        raise ValueError(f"{path}: the output must end in .png, .svg or .pdf")
    meta = {}
    desc = (metadata or {}).get("Description", "")
    if ext == ".png":
        meta = {"Software": "tillit_analysis", "Description": desc}
    elif ext == ".svg":
        meta = {"Creator": "tillit_analysis", "Description": desc, "Date": None}
    elif ext == ".pdf":
        meta = {"Creator": "tillit_analysis", "Subject": desc}
    with plt.rc_context(STYLE):
        fig.savefig(path, bbox_inches="tight", pad_inches=0.25, metadata=meta)
    plt.close(fig)
    return path


def _grid(n, ncols=None):
    ncols = ncols or (n if n <= 3 else 2 if n == 4 else 3 if n <= 9 else 4)
    return math.ceil(n / ncols), ncols


def _figure(nrows, ncols, w=6.4, h=4.4, extra_h=1.6, **kw):
    fig, axes = plt.subplots(nrows, ncols, figsize=(w * ncols, h * nrows + extra_h),
                             squeeze=False, **kw)
    return fig, axes


# ------------------------------------------------------------------ timeseries

def _smooth(da, weeks):
    if not weeks or weeks <= 1:
        return da
    return da.rolling(step=int(weeks), center=True, min_periods=1).mean()


def timeseries(datasets, metrics=None, points=None, band="ci95", smooth=13, lang="en",
               title=None):
    """Metrics over time: the mean over replicates of each point, with a band.

    band: ``ci95`` (95 % CI of the mean), ``q90`` (5-95 % of replicates),
    ``sd`` or ``none``; smooth: a centred moving average over that many weeks
    (applied to each run before the statistics; default 13, a quarter; 0 or 1
    = none). Weekly counts such as incidents are too noisy to read unsmoothed.
    """
    metrics = list(metrics or DEFAULT_TIMESERIES)
    for ds in datasets:
        for m in metrics:
            _check_metric(ds, m)
    series = make_series(datasets, points, lang)
    with plt.rc_context(STYLE):
        nrows, ncols = _grid(len(metrics), None if len(metrics) != 8 else 4)
        fig, axes = _figure(nrows, ncols, w=5.6 if ncols >= 4 else 6.4, h=4.2, sharex=True)
        for k, m in enumerate(metrics):
            ax = axes[k // ncols][k % ncols]
            for s in series:
                da = _smooth(s.ds[m].isel(point=s.point), smooth)
                st = io.replicate_stats(da, band)
                x = s.ds["step"].values
                ax.plot(x, st["mean"].values, color=s.colour, ls=s.linestyle, label=s.label)
                if band != "none":
                    ax.fill_between(x, st["lo"].values, st["hi"].values, color=s.colour,
                                    alpha=0.2, lw=0)
            attrs = datasets[0][m].attrs
            ax.set_title(i18n.metric_label(m, lang, attrs))
            ax.set_ylabel(i18n.metric_unit(m, lang, attrs))
            _format_axis(ax, m)
            if k // ncols == nrows - 1 or k + ncols >= len(metrics):
                ax.set_xlabel(i18n.text("week", lang))
                ax.xaxis.set_tick_params(labelbottom=True)
        for k in range(len(metrics), nrows * ncols):
            axes[k // ncols][k % ncols].set_visible(False)
        handles = [plt.Line2D([], [], color=s.colour, ls=s.linestyle, lw=3) for s in series]
        labels = [s.label for s in series]
        if band != "none":
            handles.append(Patch(color="#777777", alpha=0.3))
            labels.append(i18n.text("shaded", lang) + ": " + i18n.text("band_" + band, lang))
        fig.suptitle(title or i18n.text("timeseries_title", lang))
        fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 4),
                   bbox_to_anchor=(0.5, 1 - 0.62 / fig.get_size_inches()[1]), fontsize=14)
        if smooth and smooth > 1:
            sm = (f"lines and bands: centred moving average over {smooth} weeks of each run "
                  "(--smooth 0: none)" if lang != "sv" else
                  f"linjer och band: glidande medelvärde över {smooth} veckor av varje körning")
        else:
            sm = "weekly values, not smoothed" if lang != "sv" else "veckovärden, ej utjämnade"
        notes = [_n_reps_text(datasets, lang) + "; " + sm, provenance(datasets)]
        masked = _masked_text(datasets, lang)
        if masked:
            notes.insert(1, masked)
        height = fig.get_size_inches()[1]
        top = 1 - (1.1 + 0.35 * (math.ceil(len(labels) / 4) - 1)) / height
        bottom = (0.3 + 0.22 * len(notes)) / height
        fig.tight_layout(rect=(0, bottom, 1, top))
        _footnote(fig, notes)
    return fig


# ------------------------------------------------------------------ compare

def _per_run(s, metric, window, scale=1.0):
    v = io.late_mean(s.ds, metric, window).isel(point=s.point).values * scale
    return v


def _bar_stats(values):
    v = values[np.isfinite(values)]
    n = len(v)
    if n == 0:
        return np.nan, np.nan, 0
    mean = v.mean()
    if n < 2:
        return mean, np.nan, n
    from scipy import stats

    half = stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / math.sqrt(n)
    return mean, half, n


def _bars(ax, groups, series, values, metric, annotate=True, group_labels=None):
    """Grouped bars: groups on x, one bar per series; values[g][s] = per-replicate array."""
    ns = len(series)
    width = 0.8 / ns
    rng = np.random.default_rng(0)
    tops = []
    for g in range(len(groups)):
        for j, s in enumerate(series):
            x = g + (j - (ns - 1) / 2) * width
            mean, half, n = _bar_stats(values[g][j])
            ax.bar(x, mean, width * 0.92, color=s.colour, alpha=0.85,
                   hatch=None if s.linestyle == "-" else "//", edgecolor="white")
            if np.isfinite(half):
                ax.errorbar(x, mean, yerr=half, color="black", capsize=4, lw=1.8, capthick=1.8)
            v = values[g][j]
            v = v[np.isfinite(v)]
            if len(v):
                jitter = (rng.random(len(v)) - 0.5) * width * 0.5
                ax.scatter(x + jitter, v, s=12, color="black", alpha=0.45, zorder=3, lw=0)
            top = mean + (half if np.isfinite(half) else 0) if mean >= 0 else \
                mean - (half if np.isfinite(half) else 0)
            if len(v):
                top = max(top, v.max()) if mean >= 0 else min(top, v.min())
            tops.append((x, mean, top))
    ax.set_xticks(range(len(groups)))
    if group_labels is None:
        ax.set_xticks([])
    else:
        ax.set_xticklabels(group_labels)
    ax.grid(axis="x", visible=False)
    ax.axhline(0, color="black", lw=0.8)
    _format_axis(ax, metric)
    if annotate and ns * len(groups) <= 12:  # more numbers than that are clutter
        lo, hi = ax.get_ylim()
        span = hi - lo
        ax.set_ylim(lo if lo < 0 else 0, hi + 0.12 * span)
        fs = 12 if ns * len(groups) <= 6 else 10.5
        for x, mean, top in tops:
            if np.isfinite(mean):
                ax.annotate(_fmt_value(metric, mean), (x, top), xytext=(0, 3 if mean >= 0 else -3),
                            textcoords="offset points", ha="center",
                            va="bottom" if mean >= 0 else "top", fontsize=fs,
                            rotation=0 if ns * len(groups) <= 9 else 90)


COMPARE_PANELS = [
    # (title key or metric, metrics, group label keys, scale)
    ("quality_tm", ["quality_true", "quality_measured"], ["true", "measured"], 1.0),
    ("equal_title", ["equal_gap"], None, 1.0),
    ("cost_title", ["cost_per_case"], None, 1.0),
    ("budget_title", ["budget_deviation"], None, 1.0),
    ("incidents_year", ["incidents"], None, 52.0),
    ("staff_state", ["skill_mean", "motivation_mean", "safety_mean"], None, 1.0),
    ("doc_title", ["time_documentation"], None, 1.0),
]


def compare(datasets, points=None, window=52, lang="en", title=None):
    """One page of the key trade-offs between regimes (points) of one or more files.

    Each panel shows the mean over the window of each run, averaged over
    replicates (bars), a 95 % confidence interval of that mean (whiskers) and
    the replicates themselves (dots).
    """
    series = make_series(datasets, points, lang)
    for ds in datasets:
        for _, ms, _, _ in COMPARE_PANELS:
            for m in ms:
                _check_metric(ds, m)
    staff_short = {"skill_mean": ("can", "kan"), "motivation_mean": ("want", "vill"),
                   "safety_mean": ("dare", "vågar")}
    with plt.rc_context(STYLE):
        fig, axes = _figure(2, 4, w=5.0, h=4.6, extra_h=1.4)
        flat = [a for row in axes for a in row]
        for ax, (key, ms, glabels, scale) in zip(flat, COMPARE_PANELS):
            values = [[_per_run(s, m, window, scale) for s in series] for m in ms]
            if key == "staff_state":
                gl = [i18n._pick(staff_short[m], lang) for m in ms]
                unit = i18n.metric_unit(ms[0], lang)
            elif glabels:
                gl = [i18n.text(g, lang) for g in glabels]
                unit = i18n.metric_unit(ms[0], lang)
            else:
                gl = None
                unit = None
            _bars(ax, ms, series, values, ms[0], group_labels=gl)
            ax.set_title(i18n.text(key, lang) if key in i18n.TEXT else
                         i18n.metric_label(key, lang), fontsize=15)
            if key == "incidents_year":
                ax.set_ylabel(i18n._pick(i18n.UNITS["per_year"], lang))
            else:
                ax.set_ylabel(unit or i18n.metric_unit(ms[0], lang, datasets[0][ms[0]].attrs))
        legend_ax = flat[7]
        legend_ax.axis("off")
        handles = [Patch(color=s.colour, alpha=0.85, hatch=None if s.linestyle == "-" else "//")
                   for s in series]
        legend_ax.legend(handles, [s.label for s in series], loc="upper left", fontsize=15,
                         title=None, borderaxespad=0)
        ds0 = datasets[0]
        notes = [i18n.text("bars_ci", lang),
                 (i18n.text("last_n", lang, n=window) if isinstance(window, int) else
                  window_text(window, lang)) + " (" + io.window_label(ds0, window, lang) + "); "
                 + _n_reps_text(datasets, lang)]
        masked = _masked_text(datasets, lang)
        if masked:
            notes.append(masked)
        legend_ax.text(0.0, 0.0, "\n".join(_wrap(n, 34) for n in notes), fontsize=12,
                       color="#444444", va="bottom", ha="left", transform=legend_ax.transAxes)
        fig.suptitle(title or i18n.text("compare_title", lang))
        fig.tight_layout(rect=(0, 0.03, 1, 0.95))
        _footnote(fig, [provenance(datasets)])
    return fig


def window_text(window, lang):
    if window is None or window == "all":
        return "all weeks" if lang != "sv" else "alla veckor"
    return f"weeks {window[0]}–{window[1]}" if lang != "sv" else f"vecka {window[0]}–{window[1]}"


def _wrap(text, width):
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


# ------------------------------------------------------------------ sweep

def _point_table(ds, metric, window):
    """Per point: mean over replicates of the window mean, CI half-width, n."""
    runs = io.late_mean(ds, metric, window)
    st = io.replicate_stats(runs, "ci95")
    return st["mean"].values, (st["hi"] - st["mean"]).values, st["n"].values, runs.values


def _is_grid(vals_x, vals_y=None, conds=None):
    """Whether the points form a full grid: each x (or each x, y pair) once per condition."""
    conds = np.zeros(len(vals_x), dtype=int) if conds is None else conds
    for c in np.unique(conds):
        sel = conds == c
        x = vals_x[sel]
        if vals_y is None:
            if len(np.unique(x)) != len(x) or len(x) > 40:
                return False
            continue
        y = vals_y[sel]
        ux, uy = np.unique(x), np.unique(y)
        pairs = {(a, b) for a, b in zip(x, y)}
        if len(pairs) != len(x) or len(pairs) != len(ux) * len(uy) or len(ux) > 20 or \
                len(uy) > 20:
            return False
    return True


def _choose_xy(ds, x, y):
    dvars = io.design_variables(ds)
    if x is None:
        if not dvars:
            raise ValueError("this file varies no parameter: give --x PARAMETER")
        x = dvars[0]
    if x not in ds.coords:
        raise ValueError(f"'{x}' is not a parameter or design variable of this file "
                         f"(swept: {', '.join(dvars) or 'none'})")
    if y is None and len(dvars) >= 2 and x == dvars[0]:
        y = dvars[1]
    if y is not None and y not in ds.coords:
        raise ValueError(f"'{y}' is not a parameter or design variable of this file")
    return x, y


def _plabel(ds, name, lang):
    return i18n.param_label(name, lang, ds[name].attrs, io.schedule_parameters(ds))


def sweep(ds, metrics=None, x=None, y=None, window=52, lang="en", style="auto", title=None):
    """Response of metrics to one or two swept parameters, with replicate uncertainty.

    One variable (or ``style="lines"``): the mean over the window against x,
    with a 95 % confidence band over replicates (lines, one per value of y
    when there is a second variable). Two variables on a grid
    (``style="heatmap"``, the default then): a heatmap of the mean with each
    cell's ± 95 % CI written in it. Designs that are not grids (LHS, Sobol'):
    points with CI whiskers, coloured by y. A third design variable with a few
    values on a grid gets small multiples (one panel per value, shared axes,
    titled with it); any other varying design variable is named in the
    footnote as on no axis, never silently drawn over.
    """
    metrics = list(metrics or DEFAULT_SWEEP)
    for m in metrics:
        _check_metric(ds, m)
    x, y = _choose_xy(ds, x, y)
    xv = ds[x].values.astype(float)
    yv = ds[y].values.astype(float) if y is not None else None
    conds = sensitivity._conditions(ds)
    facet, fv, hidden = _facet(ds, x, y, xv, yv, conds)
    if style == "auto":
        grid = facet is not None or _is_grid(xv, yv, conds)
        style = ("heatmap" if y is not None else "lines") if grid else "scatter"
    with plt.rc_context(STYLE):
        cond_list = list(dict.fromkeys(conds.tolist()))
        fkeys = list(np.unique(fv)) if facet else [None]
        pkeys = [(c, f) for c in (cond_list if style == "heatmap" else [None]) for f in fkeys]
        if len(pkeys) > 1:
            nrows, ncols = len(metrics), len(pkeys)
        else:
            nrows, ncols = _grid(len(metrics))
        share = {"sharex": True, "sharey": "row"} if facet and style != "heatmap" else {}
        fig, axes = _figure(nrows, ncols, w=6.8, h=5.0, **share)
        if style == "lines" and (y is not None or len(cond_list) > 1):
            fig.set_size_inches(fig.get_size_inches()[0] + 3.6, fig.get_size_inches()[1])
        flat = [a for row in axes for a in row]
        side_legend = None
        xl, yl = _plabel(ds, x, lang), (_plabel(ds, y, lang) if y else None)
        fl = _lc(i18n.param_label(facet, lang, ds[facet].attrs, io.schedule_parameters(ds),
                                  with_unit=False)) if facet else None
        for k, m in enumerate(metrics):
            mean, half, n, _ = _point_table(ds, m, window)
            attrs = ds[m].attrs
            t = i18n.metric_label(m, lang, attrs)
            lim = (np.nanmin(mean), np.nanmax(mean)) if np.isfinite(mean).any() else None
            for p_i, (c, f) in enumerate(pkeys):
                ax = flat[k * len(pkeys) + p_i] if len(pkeys) > 1 else flat[k]
                fsel = fv == f if facet else np.ones(len(xv), bool)
                ptitle = _panel_title(t, c, fl, f, lang)
                if style == "heatmap":
                    sel = fsel & (conds == c)
                    _heatmap(fig, ax, xv[sel], yv[sel], mean[sel], half[sel], m, lang, attrs,
                             lim)
                    ax.set_xlabel(_wrap_label(xl, 45))
                    ax.set_ylabel(_wrap_label(yl, 28))
                    ax.set_title(ptitle)
                    continue
                if style == "lines":
                    _sweep_lines(ax, xv, yv, mean, half, conds, cond_list, fsel, lang)
                    if (y is not None or len(cond_list) > 1) and k == 0 and p_i == 0:
                        handles, labels = ax.get_legend_handles_labels()
                        legend_title = ", ".join(
                            ([("Regime" if lang != "sv" else "Styrmodell")] if len(cond_list) > 1
                             else []) + ([yl] if y is not None else []))
                        if len(cond_list) > 1 and y is not None:
                            legend_title = legend_title.split(", ", 1)[0] + ", " + _lc(yl)
                        side_legend = (handles, labels, legend_title)
                else:  # scatter
                    ax.errorbar(xv[fsel], mean[fsel],
                                yerr=np.where(np.isfinite(half[fsel]), half[fsel], 0),
                                fmt="none", ecolor="#888888", lw=1, zorder=1)
                    if yv is not None:
                        sc = ax.scatter(xv[fsel], mean[fsel], c=yv[fsel], cmap="viridis", s=70,
                                        zorder=2, vmin=np.nanmin(yv), vmax=np.nanmax(yv))
                        fig.colorbar(sc, ax=ax).set_label(yl, fontsize=12)
                    else:
                        ax.scatter(xv[fsel], mean[fsel], color=PALETTE[0], s=70, zorder=2)
                ax.set_xlabel(_wrap_label(xl, 45))
                ax.set_ylabel(i18n.metric_unit(m, lang, attrs))
                ax.set_title(ptitle)
                _format_axis(ax, m)
        for k in range(len(metrics) * len(pkeys), nrows * ncols):
            flat[k].set_visible(False)
        sched = io.schedule_parameters(ds)
        xs_ = _lc(i18n.param_label(x, lang, ds[x].attrs, sched, with_unit=False))
        if y is None:
            sup = i18n.text("sweep_title", lang, x=xs_)
        else:
            sup = i18n.text("sweep_title2", lang, x=xs_,
                            y=_lc(i18n.param_label(y, lang, ds[y].attrs, sched, with_unit=False)))
        if facet:
            sup += (" — en panel per värde av " if lang == "sv" else " — a panel per value of ") + fl
        fig.suptitle(title or sup, fontsize=20 if ncols > 1 else 17)
        band = {"heatmap": ("cells: mean over replicates ± half-width of its 95 % CI; "
                            "yellow is better",
                            "celler: medelvärde över replikat ± halva 95 % KI; gult är bättre"),
                "lines": ("lines: mean over replicates; shaded: 95 % CI of the mean",
                          "linjer: medelvärde över replikat; skuggat: 95 % KI"),
                "scatter": ("dots: mean over replicates; whiskers: 95 % CI",
                            "punkter: medelvärde över replikat; streck: 95 % KI")}[style]
        band = i18n._pick(band, lang)
        if style == "heatmap" and any(i18n.metric_better(m) == 0 for m in metrics):
            band += (" (higher, where neither is)" if lang != "sv" else
                     " (högre, där inget av dem är bättre)")
        notes = [band + "; " + io.window_label(ds, window, lang) + "; " + _n_reps_text([ds], lang)]
        if _hidden_text(ds, hidden, lang):
            notes.append(_hidden_text(ds, hidden, lang))
        masked = _masked_text([ds], lang)
        if masked:
            notes.append(masked)
        notes.append(provenance([ds]))
        height, width = fig.get_size_inches()[1], fig.get_size_inches()[0]
        right = 1.0
        if side_legend:
            handles, labels, legend_title = side_legend
            right = 1 - min(0.45, 3.6 / width)
            fig.legend(handles, labels, loc="center left", bbox_to_anchor=(right, 0.5),
                       title=_wrap(legend_title, 28), fontsize=13, title_fontsize=13)
        fig.tight_layout(rect=(0, (0.3 + 0.22 * len(notes)) / height, right, 1 - 0.75 / height))
        _footnote(fig, notes)
    return fig


#: at most this many values of a third design variable get a panel each
MAX_FACETS = 6


def _facet(ds, x, y, xv, yv, conds):
    """The design variable beyond x and y to draw small multiples of, and those left off.

    Returns (name or None, its values or None, names of the other varying
    design variables, which are on no axis). A variable is faceted when it
    has at most :data:`MAX_FACETS` values and, at each of them, x (and y)
    form a grid; otherwise it is left off and the figure says so.
    """
    extra = [v for v in io.design_variables(ds) if v not in (x, y) and
             len(np.unique(ds[v].values)) > 1]
    if not extra:
        return None, None, []
    fv = ds[extra[0]].values.astype(float)
    values = np.unique(fv)
    if len(values) <= MAX_FACETS and all(
            _is_grid(xv[fv == f], None if yv is None else yv[fv == f], conds[fv == f])
            for f in values):
        return extra[0], fv, extra[1:]
    return None, None, extra


def _panel_title(metric_title, cond, facet_label, facet_value, lang):
    parts = ([i18n.point_label(cond, lang)] if cond else []) + \
        ([f"{facet_label} = {_fmt_param(facet_value)}"] if facet_label else [])
    return metric_title + (" — " + ", ".join(parts) if parts else "")


def _sweep_lines(ax, xv, yv, mean, half, conds, cond_list, fsel, lang):
    """One line with a CI band per condition and value of y, of the points in ``fsel``."""
    yvals = np.unique(yv) if yv is not None else [None]
    cmap = plt.get_cmap("viridis")
    for c_i, c in enumerate(cond_list):
        for g_i, g in enumerate(yvals):
            sel = fsel & (conds == c)
            if g is not None:
                sel = sel & (yv == g)
            order = np.argsort(xv[sel])
            xs, ms_, hs = xv[sel][order], mean[sel][order], half[sel][order]
            col = cmap(0.9 * g_i / max(1, len(yvals) - 1)) if len(yvals) > 1 else \
                PRESET_COLOURS.get(c, PALETTE[c_i % len(PALETTE)])
            parts = ([i18n.point_label(c, lang)] if c else []) + \
                ([_fmt_param(g)] if g is not None else [])
            ax.plot(xs, ms_, color=col, ls=LINESTYLES[c_i % len(LINESTYLES)],
                    marker=MARKERS[c_i % len(MARKERS)], ms=7, label=", ".join(parts) or None)
            ax.fill_between(xs, ms_ - np.nan_to_num(hs), ms_ + np.nan_to_num(hs),
                            color=col, alpha=0.15, lw=0)


def _hidden_text(ds, hidden, lang):
    """The footnote that names design variables on no axis and no panel (never silent)."""
    if not hidden:
        return None
    sched = io.schedule_parameters(ds)
    names = ", ".join(_lc(i18n.param_label(v, lang, ds[v].attrs, sched, with_unit=False))
                      for v in hidden)
    if lang == "sv":
        return (f"varierar också men visas på ingen axel: {names} — varje punkt är en "
                "designpunkt i projektion, inte ett medelvärde över dem")
    return (f"also varied but on no axis: {names} — each dot is one design point seen in "
            "projection, not an average over them")


def _wrap_label(label, width):
    """An axis label over two lines when long: the parenthesis (or the rest) goes below."""
    if label is None or len(label) <= width:
        return label
    if " (" in label:
        head, tail = label.split(" (", 1)
        return head + "\n(" + tail
    return _wrap(label, width)


def _lc(label):
    """A label inside a sentence: first letter lower case unless it is an acronym."""
    return label[:1].lower() + label[1:] if len(label) > 1 and label[1:2].islower() else label


def _fmt_param(v):
    return f"{v:g}"


def _heatmap(fig, ax, xv, yv, mean, half, metric, lang, attrs, lim=None):
    ux, uy = np.unique(xv), np.unique(yv)
    grid = np.full((len(uy), len(ux)), np.nan)
    hgrid = np.full_like(grid, np.nan)
    for a, b, m, h in zip(xv, yv, mean, half):
        i, j = np.searchsorted(uy, b), np.searchsorted(ux, a)
        grid[i, j], hgrid[i, j] = m, h
    better = i18n.metric_better(metric)
    cmap = "viridis" if better >= 0 else "viridis_r"
    vmin, vmax = lim if lim else (None, None)
    im = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax,
                   extent=(-0.5, len(ux) - 0.5, -0.5, len(uy) - 0.5))
    ax.set_xticks(range(len(ux)))
    ax.set_xticklabels([_fmt_param(v) for v in ux], rotation=0 if len(ux) <= 8 else 90)
    ax.set_yticks(range(len(uy)))
    ax.set_yticklabels([_fmt_param(v) for v in uy])
    ax.grid(False)
    if len(ux) * len(uy) <= 64:
        lo_, hi_ = lim if lim else (np.nanmin(grid), np.nanmax(grid))
        mid = (lo_ + hi_) / 2
        fs = 12 if len(ux) <= 6 else 10
        for i in range(len(uy)):
            for j in range(len(ux)):
                m, h = grid[i, j], hgrid[i, j]
                if not np.isfinite(m):
                    ax.text(j, i, "–", ha="center", va="center", fontsize=fs)
                    continue
                light = (m < mid) if better >= 0 else (m > mid)
                txt = _fmt_value(metric, m)
                if np.isfinite(h):
                    hv = 100 * h if i18n.metric_percent(metric) else h
                    txt += "\n±" + (f"{hv:.2g}" if abs(hv) < 10 else f"{hv:.0f}")
                ax.text(j, i, txt, ha="center", va="center", fontsize=fs,
                        color="white" if light else "black")
    cb = fig.colorbar(im, ax=ax)
    cb.set_label(i18n.metric_unit(metric, lang, attrs), fontsize=13)
    if i18n.metric_percent(metric):
        cb.ax.yaxis.set_major_formatter(PERCENT)


# ------------------------------------------------------------------ frontier

def pareto_front(x, y, x_better=-1, y_better=1):
    """Boolean mask of the points no other point beats on both x and y.

    ``x_better``/``y_better``: +1 when higher is better, -1 when lower is.
    NaN points are never on the front.
    """
    x = np.asarray(x, float) * (x_better if x_better else -1)
    y = np.asarray(y, float) * (y_better if y_better else 1)
    ok = np.isfinite(x) & np.isfinite(y)
    front = np.zeros(len(x), bool)
    for i in np.flatnonzero(ok):
        dominated = ok & (x >= x[i]) & (y >= y[i]) & ((x > x[i]) | (y > y[i]))
        front[i] = not dominated.any()
    return front


def condition_fronts(x, y, conditions, x_better=-1, y_better=1):
    """Pareto fronts within each condition: a point competes only with its own condition's."""
    x, y, conditions = np.asarray(x, float), np.asarray(y, float), np.asarray(conditions)
    front = np.zeros(len(x), bool)
    for c in dict.fromkeys(conditions.tolist()):
        sel = conditions == c
        front[sel] = pareto_front(x[sel], y[sel], x_better, y_better)
    return front


def front_table(datasets, x="cost_per_case", y="quality_true", colour="incidents", window=52,
                points=None):
    """The frontier figure's points as a table, with their lever values.

    One row per point of every dataset (as :func:`frontier` draws them):
    ``file`` (when more than one), ``point``, ``label``, every design
    variable (or varied parameter), then for ``x``, ``y`` and ``colour`` the
    mean over replicates of each run's window mean and its 95 % CI
    (``<metric>_mean``, ``_ci_lo``, ``_ci_hi``; the same numbers as
    :func:`tillit_analysis.to_points`), and ``on_front``: whether the point is
    on the Pareto front the figure rings. ``condition`` is the point label's
    prefix in a design crossed with points ("" otherwise); each condition has
    its own front. Rows are grouped by condition, front rows first, ordered by x.
    """
    import pandas as pd

    frames = []
    for ds in datasets:
        for m in (x, y, colour):
            _check_metric(ds, m)
        idx = select_points(ds, points)
        pts = io.to_points(ds, metrics=list(dict.fromkeys([x, y, colour])), window=window)
        pts = pts.iloc[idx].copy()
        pts.insert(list(pts.columns).index("label") + 1, "condition",
                   sensitivity._conditions(ds)[idx])
        if len(datasets) > 1:
            pts.insert(0, "file", _stem(ds))
        frames.append(pts)
    table = pd.concat(frames, ignore_index=True)
    table = table.rename(columns=lambda c: c.replace("_mean_mean", "_mean").replace("_mean_ci_", "_ci_"))
    xb = i18n.metric_better(x) or -1
    yb = i18n.metric_better(y) or 1
    table["on_front"] = condition_fronts(table[f"{x}_mean"].values, table[f"{y}_mean"].values,
                                         table["condition"].values, xb, yb)
    order = {c: i for i, c in enumerate(dict.fromkeys(table["condition"]))}
    table = table.sort_values(["condition", "on_front", f"{x}_mean"],
                              ascending=[True, False, True], kind="stable",
                              key=lambda col: col.map(order) if col.name == "condition" else col)
    return table.reset_index(drop=True)


def frontier(datasets, x="cost_per_case", y="quality_true", colour="incidents", window=52,
             points=None, lang="en", title=None, label_points=None):
    """The trade-off frontier: each point's mean x against mean y, coloured by a third metric.

    Whiskers are 95 % CIs over replicates; the Pareto front (points no other
    point beats on both x and y, in the directions the metric table says are
    better) is joined by a line and ringed. A design crossed with points
    (labels ``<condition>/p<row>``) gets one front per condition, each with
    its own marker and line style: points compete only within their condition.
    """
    for ds in datasets:
        for m in (x, y, colour):
            _check_metric(ds, m)
    xs, ys, cs, xh, yh, labels, conds = [], [], [], [], [], [], []
    sweep_names = []
    for ds in datasets:
        idx = select_points(ds, points)
        mx, hx, _, _ = _point_table(ds, x, window)
        my, hy, _, _ = _point_table(ds, y, window)
        mc, _, _, _ = _point_table(ds, colour, window)
        scale_c = 52.0 if colour == "incidents" else 1.0
        lab = ds["point_label"].values.astype(str) if "point_label" in ds.coords else \
            np.array([str(i) for i in range(ds.sizes["point"])])
        dv = io.design_variables(ds) if str(ds.attrs.get("design", "")) else []
        if dv and len(dv) <= 3:  # a sweep: label points by their values
            sweep_names.append(", ".join(_plabel(ds, v, lang).split(" (")[0] for v in dv))
            lab = np.array(["(" + ", ".join(_fmt_param(float(ds[v].values[i])) for v in dv) + ")"
                            for i in range(ds.sizes["point"])])
        cond = sensitivity._conditions(ds)
        for i in idx:
            conds.append(cond[i])
            xs.append(mx[i]), ys.append(my[i]), cs.append(mc[i] * scale_c)
            xh.append(hx[i]), yh.append(hy[i])
            name = i18n.point_label(lab[i], lang)
            labels.append(f"{_stem(ds)}: {name}" if len(datasets) > 1 else name)
    xs, ys, cs, xh, yh, conds = map(np.asarray, (xs, ys, cs, xh, yh, conds))
    xb = i18n.metric_better(x) or -1
    yb = i18n.metric_better(y) or 1
    front = condition_fronts(xs, ys, conds, xb, yb)
    cond_list = list(dict.fromkeys(conds.tolist()))
    a0 = datasets[0]
    if label_points is None:
        label_points = len(xs) <= 15
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(12, 8))
        ax.errorbar(xs, ys, xerr=np.nan_to_num(xh), yerr=np.nan_to_num(yh), fmt="none",
                    ecolor="#aaaaaa", lw=1.2, zorder=1)
        sc = _front_layers(ax, xs, ys, cs, front, conds, cond_list, colour, lang)
        cb = fig.colorbar(sc, ax=ax)
        cunit = i18n._pick(i18n.UNITS["per_year"], lang) if colour == "incidents" else \
            i18n.metric_unit(colour, lang, a0[colour].attrs)
        cb.set_label(f"{i18n.metric_label(colour, lang, a0[colour].attrs)} ({cunit})")
        if i18n.metric_percent(colour):
            cb.ax.yaxis.set_major_formatter(PERCENT)
        better = "bättre" if lang == "sv" else "better"
        ax.set_xlabel(i18n.axis_label(x, lang, a0[x].attrs) +
                      (f"   ← {better}" if xb < 0 else f"   {better} →"))
        ax.set_ylabel(i18n.axis_label(y, lang, a0[y].attrs) +
                      (f"   {better} →" if yb > 0 else f"   ← {better}"))
        ax.margins(x=0.12, y=0.08)
        _format_axis(ax, x, "x")
        _format_axis(ax, y, "y")
        if label_points:
            _place_labels(fig, ax, [(xi, yi, lab, f) for xi, yi, lab, f in
                                    zip(xs, ys, labels, front)
                                    if np.isfinite(xi) and np.isfinite(yi)],
                          fontsize=14 if len(xs) <= 8 else 12)
        ax.legend(loc="best")
        fig.suptitle(title or i18n.text("frontier_title", lang))
        notes = [("dots: mean over replicates; whiskers: 95 % CI; " if lang != "sv" else
                  "punkter: medelvärde över replikat; streck: 95 % KI; ")
                 + io.window_label(a0, window, lang) + "; " + _n_reps_text(datasets, lang)]
        if sweep_names and label_points:
            notes[0] += ("; labels: (" if lang != "sv" else "; etiketter: (") + \
                "; ".join(dict.fromkeys(sweep_names)) + ")"
        masked = _masked_text(datasets, lang)
        if masked:
            notes.append(masked)
        notes.append(provenance(datasets))
        fig.tight_layout(rect=(0, 0.02 + 0.03 * len(notes), 1, 0.96))
        _footnote(fig, notes)
    return fig


def _front_layers(ax, xs, ys, cs, front, conds, cond_list, colour, lang):
    """Points coloured by ``cs`` and each condition's Pareto front (own marker and line style).

    Returns the first scatter (for the colour bar; all share one colour scale).
    """
    cmap = "viridis_r" if i18n.metric_better(colour) <= 0 else "viridis"
    finite = cs[np.isfinite(cs)]
    vmin, vmax = (finite.min(), finite.max()) if len(finite) else (None, None)
    big = len(xs) < 30
    first = None
    for c_i, c in enumerate(cond_list):
        sel = conds == c
        marker, ls = MARKERS[c_i % len(MARKERS)], LINESTYLES[c_i % len(LINESTYLES)]
        sc = ax.scatter(xs[sel], ys[sel], c=cs[sel], cmap=cmap, vmin=vmin, vmax=vmax,
                        marker=marker, s=110 if big else 45, edgecolor="white", lw=0.8,
                        zorder=2)
        first = first or sc
        f = sel & front
        order = np.argsort(xs[f])
        name = i18n.text("pareto", lang)
        if c:
            name += f" — {i18n.point_label(c, lang)}"
        ax.plot(xs[f][order], ys[f][order], ls, color="black", lw=1.8, zorder=3)
        ax.scatter(xs[f], ys[f], s=(260 if big else 120), marker=marker, facecolor="none",
                   edgecolor="black", lw=2, zorder=4)
        ax.plot([], [], ls, color="black", lw=1.8, marker=marker, ms=9, mfc="none",
                label=name)
    return first


def _place_labels(fig, ax, items, fontsize=13):
    """Label points next to them, trying a few positions so that labels do not overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    placed = [ax.get_window_extent(renderer)]  # index 0: the axes, which labels must stay in
    markers = [ax.transData.transform((x, y)) for x, y, _, _ in items]
    # the front first, so its labels get the best places
    order = sorted(range(len(items)), key=lambda i: not items[i][3])
    for i in order:
        x, y, text_, bold = items[i]
        right = (x - x0) / (x1 - x0) > 0.7
        sx = -1 if right else 1
        tries = [(10 * sx, 8), (10 * sx, -20), (-10 * sx, 8), (-10 * sx, -20), (10 * sx, 26),
                 (10 * sx, -38), (-10 * sx, 26), (-10 * sx, -38), (10 * sx, 44), (10 * sx, -56)]
        best = None
        for dx, dy in tries:
            ann = ax.annotate(text_, (x, y), xytext=(dx, dy), textcoords="offset points",
                              ha="left" if dx > 0 else "right", va="bottom" if dy > 0 else "top",
                              fontsize=fontsize, fontweight="bold" if bold else "normal")
            bb = ann.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = placed[0].contains(bb.x0, bb.y0) and placed[0].contains(bb.x1, bb.y1)
            clash = any(bb.overlaps(o) for o in placed[1:]) or any(
                bb.contains(mx, my) for j, (mx, my) in enumerate(markers) if j != i)
            if inside and not clash:
                best = ann
                break
            ann.remove()
        if best is None:  # nowhere free: the first place, with a leader line
            best = ax.annotate(text_, (x, y), xytext=(tries[0][0], tries[0][1]),
                               textcoords="offset points", ha="left" if sx > 0 else "right",
                               fontsize=fontsize, fontweight="bold" if bold else "normal",
                               arrowprops=dict(arrowstyle="-", color="#999999", lw=0.8))
        placed.append(best.get_window_extent(renderer))


# ------------------------------------------------------------------ sensitivity

def sensitivity_table(ds, metrics=None, window=52, n_boot=1000, conf=0.95, seed=0):
    """The indices of the file's design (sobol-saltelli or morris) as a tidy DataFrame."""
    metrics = list(metrics or DEFAULT_SENSITIVITY)
    for m in metrics:
        _check_metric(ds, m)
    kind = sensitivity.design_kind(ds)
    if kind == "sobol-saltelli":
        return sensitivity.sobol_from_dataset(ds, metrics, window, n_boot, conf, seed)
    if kind == "morris":
        return sensitivity.morris_from_dataset(ds, metrics, window, n_boot, conf, seed)
    raise ValueError(f"sensitivity needs a sweep with design 'sobol' (Saltelli) or 'morris'; "
                     f"this file's design is '{kind or 'none'}' (docs/scenario-format.md)")


MARKERS = ["o", "s", "D", "^", "v", "P", "X", "*", "<", ">"]


def sensitivity_figure(ds, table, lang="en", window=52, title=None):
    """Bars of S1 and ST with CIs (Sobol'), or mu* against sigma with CIs (Morris).

    Sobol': one panel per metric side by side, the variables down the shared
    y axis. Morris: one panel per metric, each variable a marker of its own
    colour and shape (legend at the top), the line sigma = mu* dotted.
    """
    metrics = list(dict.fromkeys(table["metric"]))
    conds = list(dict.fromkeys(table["condition"]))
    method = table.attrs.get("method", "sobol" if "S1" in table else "morris")
    conf = table.attrs.get("conf", 0.95)
    sched = io.schedule_parameters(ds)
    variables = list(dict.fromkeys(table["variable"]))
    names = {v: i18n.param_label(v, lang, ds[v].attrs if v in ds.coords else {}, sched,
                                 with_unit=False) for v in variables}
    panels = [(m, c) for m in metrics for c in conds]
    with plt.rc_context(STYLE):
        if method == "sobol":
            ncols = min(len(panels), 4)
            nrows = math.ceil(len(panels) / ncols)
            h = max(3.6, 0.75 * len(variables) + 1.2)
            fig, axes = plt.subplots(nrows, ncols, figsize=(4.4 * ncols + 2.5, h * nrows + 2.2),
                                     squeeze=False, sharey=True)
        else:
            nrows, ncols = _grid(len(panels))
            fig, axes = _figure(nrows, ncols, w=6.6, h=5.2, extra_h=2.0)
        flat = [a for row in axes for a in row]
        for k, (m, c) in enumerate(panels):
            ax = flat[k]
            t = table[(table["metric"] == m) & (table["condition"] == c)].set_index("variable")
            t = t.reindex(variables)
            if method == "sobol":
                yy = np.arange(len(variables))[::-1]
                for off, col, key in ((0.2, PALETTE[0], "S1"), (-0.2, PALETTE[1], "ST")):
                    v = t[key].values
                    err = np.vstack([v - t[key + "_lo"].values, t[key + "_hi"].values - v])
                    ax.barh(yy + off, v, 0.38, color=col, alpha=0.85, label=i18n.text(key, lang))
                    ax.errorbar(v, yy + off, xerr=np.clip(np.nan_to_num(err), 0, None),
                                fmt="none", ecolor="black", capsize=4, lw=1.5)
                ax.set_yticks(yy)
                ax.set_yticklabels([names[v] for v in variables])
                ax.axvline(0, color="black", lw=0.8)
                ax.axvline(1, color="#999999", lw=0.8, ls=":")
                ax.set_xlabel(i18n.text("index", lang))
                ax.grid(axis="y", visible=False)
            else:
                mu, sg = t["mu_star"].values, t["sigma"].values
                ex = np.clip(np.nan_to_num(np.vstack([mu - t["mu_star_lo"].values,
                                                      t["mu_star_hi"].values - mu])), 0, None)
                ey = np.clip(np.nan_to_num(np.vstack([sg - t["sigma_lo"].values,
                                                      t["sigma_hi"].values - sg])), 0, None)
                for i, v in enumerate(variables):
                    col = PALETTE[i % len(PALETTE)]
                    ax.errorbar(mu[i], sg[i], xerr=ex[:, i:i + 1], yerr=ey[:, i:i + 1],
                                fmt=MARKERS[i % len(MARKERS)], ms=11, color=col, ecolor=col,
                                elinewidth=1.6, capsize=3, alpha=0.9, label=names[v])
                top = np.nanmax(np.concatenate([t["mu_star_hi"].values, t["sigma_hi"].values,
                                                mu, sg, [1e-12]]))
                ax.plot([0, top * 1.1], [0, top * 1.1], ":", color="#777777", lw=1.5)
                ax.set_xlim(0, top * 1.1)
                ax.set_ylim(0, top * 1.1)
                unit = i18n.metric_unit(m, lang, ds[m].attrs)
                per = "per intervall" if lang == "sv" else "per range"
                ax.set_xlabel(f"μ* ({unit} {per})")
                ax.set_ylabel(f"σ ({unit} {per})")
                _format_axis(ax, m, "x")
                _format_axis(ax, m, "y")
            tl = i18n.metric_label(m, lang, ds[m].attrs)
            ax.set_title(f"{tl} — {i18n.point_label(c, lang)}" if c else tl)
        for j in range(len(panels), nrows * ncols):
            flat[j].set_visible(False)
        fig.suptitle(title or i18n.text("sobol_title" if method == "sobol" else "morris_title",
                                        lang))
        handles, labels = flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 4),
                   bbox_to_anchor=(0.5, 1 - 0.62 / fig.get_size_inches()[1]))
        c = int(round(100 * conf))
        if method == "sobol":
            n = int(table["N"].min()) if "N" in table else 0
            note = (f"whiskers: {c} % bootstrap CI ({table.attrs.get('n_boot')} resamples); "
                    f"S1 Saltelli (2010), ST Jansen (1999); N = {n} base samples; "
                    if lang != "sv" else
                    f"streck: {c} % bootstrap-KI ({table.attrs.get('n_boot')} omsamplingar); "
                    f"S1 Saltelli (2010), ST Jansen (1999); N = {n} bassampel; ")
        else:
            r = int(table["r"].min()) if "r" in table else 0
            note = (f"whiskers: {c} % bootstrap CI over trajectories; r = {r} trajectories; "
                    "effects per whole range of each variable; dotted: σ = μ*; "
                    if lang != "sv" else
                    f"streck: {c} % bootstrap-KI över trajektorier; r = {r} trajektorier; "
                    "effekter per hela intervallet för varje variabel; prickad: σ = μ*; ")
        notes = [note + io.window_label(ds, window, lang) + "; " +
                 ("response: mean over replicates" if lang != "sv" else
                  "respons: medelvärde över replikat")]
        masked = _masked_text([ds], lang)
        if masked:
            notes.append(masked)
        notes.append(provenance([ds]))
        height = fig.get_size_inches()[1]
        legend_rows = math.ceil(len(labels) / 4)
        fig.tight_layout(rect=(0, (0.3 + 0.22 * len(notes)) / height, 1,
                               1 - (0.75 + 0.35 * legend_rows) / height))
        _footnote(fig, notes)
    return fig


def convergence_figure(ds, table, lang="en", window=52, title=None):
    """Sobol' indices against the base sample size n, from :func:`sensitivity.sobol_convergence`.

    One panel per metric (and condition); each variable a colour, S1 solid
    with circles and ST dashed with squares, whiskers the bootstrap CIs; n on
    a log2 axis. Indices that settle and whiskers that shrink as n doubles say
    the design is large enough.
    """
    panels = list(dict.fromkeys(zip(table["metric"], table["condition"])))
    variables = list(dict.fromkeys(table["variable"]))
    sched = io.schedule_parameters(ds)
    names = {v: i18n.param_label(v, lang, ds[v].attrs if v in ds.coords else {}, sched,
                                 with_unit=False) for v in variables}
    sizes = sorted(table["n"].unique())
    with plt.rc_context(STYLE):
        nrows, ncols = _grid(len(panels))
        fig, axes = _figure(nrows, ncols, w=6.6, h=4.8, extra_h=2.2, sharex=True)
        flat = [a for row in axes for a in row]
        for ax, (m, c) in zip(flat, panels):
            t = table[(table["metric"] == m) & (table["condition"] == c)]
            for i, v in enumerate(variables):
                tv = t[t["variable"] == v].sort_values("n")
                col = PALETTE[i % len(PALETTE)]
                for key, ls, mk, shift in (("S1", "-", "o", 0.97), ("ST", "--", "s", 1.03)):
                    val = tv[key].values
                    err = np.clip(np.nan_to_num(np.vstack([val - tv[key + "_lo"].values,
                                                           tv[key + "_hi"].values - val])),
                                  0, None)
                    ax.errorbar(tv["n"].values * shift, val, yerr=err, color=col, ls=ls,
                                marker=mk, ms=7, capsize=3, lw=2)
            ax.set_xscale("log", base=2)
            ax.set_xticks(sizes)
            ax.set_xticklabels([str(int(n)) for n in sizes])
            ax.axhline(0, color="black", lw=0.8)
            ax.set_xlabel("bassampel n" if lang == "sv" else "base samples n")
            ax.set_ylabel(i18n.text("index", lang))
            tl = i18n.metric_label(m, lang, ds[m].attrs)
            ax.set_title(f"{tl} — {i18n.point_label(c, lang)}" if c else tl)
        for j in range(len(panels), nrows * ncols):
            flat[j].set_visible(False)
        handles = [Patch(color=PALETTE[i % len(PALETTE)]) for i in range(len(variables))] + \
            [plt.Line2D([], [], color="black", ls="-", marker="o"),
             plt.Line2D([], [], color="black", ls="--", marker="s")]
        labels = [names[v] for v in variables] + [i18n.text("S1", lang), i18n.text("ST", lang)]
        fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 4),
                   bbox_to_anchor=(0.5, 1 - 0.62 / fig.get_size_inches()[1]))
        fig.suptitle(title or ("Konvergens av Sobol'-index" if lang == "sv" else
                               "Convergence of the Sobol' indices"))
        conf = int(round(100 * table.attrs.get("conf", 0.95)))
        note = (f"indices re-estimated on the first n base rows of the Saltelli design; "
                f"whiskers: {conf} % bootstrap CI ({table.attrs.get('n_boot')} resamples); "
                if lang != "sv" else
                f"index skattade på de n första basraderna i Saltelli-designen; "
                f"streck: {conf} % bootstrap-KI ({table.attrs.get('n_boot')} omsamplingar); ")
        notes = [note + io.window_label(ds, window, lang)]
        masked = _masked_text([ds], lang)
        if masked:
            notes.append(masked)
        notes.append(provenance([ds]))
        height = fig.get_size_inches()[1]
        fig.tight_layout(rect=(0, (0.3 + 0.22 * len(notes)) / height, 1,
                               1 - (0.75 + 0.35 * math.ceil(len(labels) / 4)) / height))
        _footnote(fig, notes)
    return fig


def replicate_figure(ds, table, lang="en", window=52, title=None):
    """Half-width of the 95 % CI against replicates, from :func:`io.replicate_convergence`.

    One panel per metric: the median over points (line) and their range
    (band), with a dotted 1/sqrt(k) line from the first count for reference.
    """
    metrics = list(dict.fromkeys(table["metric"]))
    with plt.rc_context(STYLE):
        nrows, ncols = _grid(len(metrics))
        fig, axes = _figure(nrows, ncols, w=6.4, h=4.6, extra_h=1.8, sharex=True)
        flat = [a for row in axes for a in row]
        for ax, m in zip(flat, metrics):
            t = table[table["metric"] == m].sort_values("replicates")
            k = t["replicates"].values.astype(float)
            ax.plot(k, t["half_median"], "-o", color=PALETTE[0],
                    label="median over points" if lang != "sv" else "median över punkter")
            ax.fill_between(k, t["half_min"], t["half_max"], color=PALETTE[0], alpha=0.15, lw=0,
                            label="range over points" if lang != "sv" else "spann över punkter")
            ref = t["half_median"].values[0] * np.sqrt(k[0] / k)
            ax.plot(k, ref, ":", color="#555555", label="∝ 1/√k")
            ax.set_xscale("log", base=2)
            ax.set_xticks(k)
            ax.set_xticklabels([str(int(v)) for v in k])
            ax.set_xlabel("replikat k" if lang == "sv" else "replicates k")
            ax.set_ylabel(i18n.metric_unit(m, lang, ds[m].attrs))
            ax.set_title(i18n.metric_label(m, lang, ds[m].attrs))
            _format_axis(ax, m)
        for j in range(len(metrics), nrows * ncols):
            flat[j].set_visible(False)
        handles, labels = flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper center", ncol=3,
                   bbox_to_anchor=(0.5, 1 - 0.62 / fig.get_size_inches()[1]))
        fig.suptitle(title or ("Konfidensintervallens bredd mot antal replikat" if lang == "sv"
                               else "Width of the confidence intervals against replicates"))
        notes = [("half-width of the t-based 95 % CI of each point's mean over its first k "
                  "replicates (the t quantile also shrinks with k, so it falls faster than "
                  "1/√k at small k); " if lang != "sv" else
                  "halva bredden av t-baserat 95 % KI för varje punkts medelvärde över dess k "
                  "första replikat (t-kvantilen minskar också med k); ")
                 + io.window_label(ds, window, lang)]
        masked = _masked_text([ds], lang)
        if masked:
            notes.append(masked)
        notes.append(provenance([ds]))
        height = fig.get_size_inches()[1]
        fig.tight_layout(rect=(0, (0.3 + 0.22 * len(notes)) / height, 1, 1 - 1.1 / height))
        _footnote(fig, notes)
    return fig
