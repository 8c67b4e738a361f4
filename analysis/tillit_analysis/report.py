"""A self-contained HTML report of one tillit output file.

The page holds every figure that fits the file (inline SVG or base64 PNG, so
it can be mailed or archived as one file), the file's provenance, what
happened to each run, the sensitivity indices when the design has them, the
convergence views that fit (Sobol' indices against the sample size, CI width
against replicates, the replicate-noise share with its warning), the
parameter table and the resolved scenario.
"""

import base64
import hashlib
import html
import io as _io
import os
import re
import traceback

import numpy as np

from . import i18n, io, plots, sensitivity

CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 1500px;
       margin: 2em auto; padding: 0 1.5em; color: #222; line-height: 1.45; }
h1 { font-size: 1.9em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 2px solid #ddd; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.varied td { background: #fff8e1; }
figure { margin: 1.5em 0; } figure svg { width: 100%; height: auto; }
figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.95em; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 0.85em; }
.note { color: #555; } .warn { color: #a33; font-weight: bold; }
nav a { margin-right: 1em; }
"""


def _e(x):
    return html.escape(str(x))


def _sha256(path, limit=None):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _embed(fig, n, figure_format):
    """The figure as inline SVG (ids made unique per figure) or a base64 PNG <img>."""
    import matplotlib.pyplot as plt

    buf = _io.BytesIO()
    # the same scale for every figure (so the type is the same size on the page)
    width_px = int(fig.get_size_inches()[0] * 68)
    with plt.rc_context(plots.STYLE):
        if figure_format == "png":
            fig.savefig(buf, format="png", bbox_inches="tight", dpi=110)
            plt.close(fig)
            b64 = base64.b64encode(buf.getvalue()).decode("ascii")
            return (f'<img alt="figure {n}" style="width:{width_px}px" '
                    f'src="data:image/png;base64,{b64}">')
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):]
    prefix = f"f{n}-"
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', svg)
    return f'<div style="max-width:{width_px}px">{svg}</div>'



def _note(text, cls="note"):
    return f"<p class=\"{cls}\">{_e(text)}</p>"


def _table(headers, rows, num_cols=(), row_class=None):
    out = ["<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in headers) + "</tr>"]
    for i, r in enumerate(rows):
        cls = f' class="{row_class[i]}"' if row_class and row_class[i] else ""
        cells = "".join(f'<td class="num">{_e(c)}</td>' if j in num_cols else f"<td>{_e(c)}</td>"
                        for j, c in enumerate(r))
        out.append(f"<tr{cls}>{cells}</tr>")
    out.append("</table>")
    return "\n".join(out)


def _fmt(v):
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            return "–"
        return f"{v:.6g}"
    return str(v)


def _parameter_names(ds):
    names = str(ds.attrs.get("parameter_names", "")).split()
    return [p for p in names if p in ds.coords]


def parameter_rows(ds, lang="en"):
    """Rows (name, label, value, unit, group, description, varied) of every parameter."""
    rows = []
    for p in _parameter_names(ds):
        a = ds[p].attrs
        vals = ds[p].values.astype(float)
        uniq = np.unique(vals[np.isfinite(vals)])
        varied = len(uniq) > 1
        if not varied:
            value = _fmt(uniq[0]) if len(uniq) else "–"
        else:
            value = f"{_fmt(uniq.min())} – {_fmt(uniq.max())} ({len(uniq)})"
        rows.append((p, i18n.param_label(p, lang, a, with_unit=False), value,
                     str(a.get("units", "")), str(a.get("group", "")),
                     i18n.param_description(p, lang, a), varied))
    return rows


def _figure_plan(ds):
    """Which figures fit this file: list of (key, callable returning a Figure)."""
    npts = ds.sizes["point"]
    kind = sensitivity.design_kind(ds)
    dvars = io.design_variables(ds)
    plan = []
    if npts <= plots.MAX_SERIES:
        plan.append("compare")
        plan.append("timeseries")
    if kind and kind != "single" and dvars:
        plan.append("sweep")
    if npts >= 2:
        plan.append("frontier")
    if kind in ("sobol-saltelli", "morris"):
        plan.append("sensitivity")
    return plan


CAPTIONS = {
    "compare": ("Key trade-offs between the points (regimes): late-period means per run, "
                "averaged over replicates, with 95 % confidence intervals.",
                "De viktigaste avvägningarna mellan punkterna (styrmodellerna): medelvärden "
                "under slutperioden per körning, medel över replikat, med 95 % konfidensintervall."),
    "timeseries": ("The same metrics over time: mean over replicates with a 95 % confidence "
                   "band (13-week moving average).",
                   "Samma mått över tid: medelvärde över replikat med 95 % konfidensband "
                   "(glidande medelvärde över 13 veckor)."),
    "sweep": ("Response of key metrics to the swept parameters, with replicate uncertainty.",
              "Hur viktiga mått svarar på de svepta parametrarna, med osäkerhet mellan replikat."),
    "frontier": ("Trade-off frontier: quality against cost per case, serious incidents as "
                 "colour; ringed points are not beaten on both quality and cost.",
                 "Avvägningsfront: kvalitet mot kostnad per ärende, allvarliga händelser som färg; "
                 "inringade punkter slås inte av någon annan på både kvalitet och kostnad."),
    "sensitivity": ("Global sensitivity of the late-period means to the design variables.",
                    "Global känslighet hos slutperiodens medelvärden för designvariablerna."),
    "sobol_convergence": (
        "The Sobol' indices again, estimated on the first n base samples of the design (n = N/8, "
        "N/4, N/2, N). Read it left to right: when the points stop moving between the last two "
        "n and the whiskers shrink as n doubles, N was large enough; indices still moving mean "
        "the design is too small for conclusions.",
        "Sobol'-indexen igen, skattade på de n första bassamplen i designen (n = N/8, N/4, N/2, "
        "N). Läs från vänster till höger: när punkterna slutar röra sig mellan de två sista n "
        "och strecken krymper när n fördubblas räckte N; index som fortfarande rör sig betyder "
        "att designen är för liten för slutsatser."),
    "replicate_convergence": (
        "How wide the 95 % confidence intervals of the points' means are with the first k "
        "replicates. Read it as the price of precision: each doubling of k narrows them by about "
        "a factor 1/√2 (dotted line); if the interval at the file's k is still wide against the "
        "differences you care about, run more replicates.",
        "Hur breda 95 % konfidensintervallen för punkternas medelvärden är med de k första "
        "replikaten. Läs det som priset för precision: varje fördubbling av k smalnar av dem "
        "ungefär med faktorn 1/√2 (prickad linje); är intervallet vid filens k fortfarande brett "
        "jämfört med de skillnader du bryr dig om, kör fler replikat."),
}


def _draw(key, ds, window, lang, tables):
    """The figure ``key`` of the plan (the sensitivity table is kept in ``tables``)."""
    if key == "compare":
        return plots.compare([ds], None, window, lang)
    if key == "timeseries":
        return plots.timeseries([ds], plots.DEFAULT_TIMESERIES, None, "ci95", 13, lang)
    if key == "sweep":
        return plots.sweep(ds, plots.DEFAULT_SWEEP, None, None, window, lang)
    if key == "frontier":
        return plots.frontier([ds], "cost_per_case", "quality_true", "incidents", window, None,
                              lang)
    if key == "sensitivity":
        tables[key] = plots.sensitivity_table(ds, plots.DEFAULT_SENSITIVITY, window)
        return plots.sensitivity_figure(ds, tables[key], lang, window)
    if key == "sobol_convergence":
        table = sensitivity.sobol_convergence(ds, plots.DEFAULT_SENSITIVITY, window)
        return plots.convergence_figure(ds, table, lang, window)
    if key == "replicate_convergence":
        table = io.replicate_convergence(ds, plots.DEFAULT_SENSITIVITY, window)
        return plots.replicate_figure(ds, table, lang, window)
    raise KeyError(key)


def _figure(key, ds, window, lang, figure_format, n, tables=None):
    """(HTML of figure n + 1 with its caption, n + 1), or a warning when it cannot be drawn."""
    try:
        fig = _draw(key, ds, window, lang, {} if tables is None else tables)
    except Exception as exc:  # noqa: BLE001 - a figure that does not fit must not sink the report
        return (f"<p class=\"warn\">{_e(key)}: {_e(exc)}</p>"
                f"<!-- {_e(traceback.format_exc())} -->"), n
    n += 1
    return (f"<figure id=\"fig-{key}\">{_embed(fig, n, figure_format)}"
            f"<figcaption>{n}. {_e(i18n._pick(CAPTIONS[key], lang))}</figcaption></figure>"), n


def _convergence_section(ds, window, lang, figure_format, n):
    """(HTML parts, n): Sobol' convergence and replicate convergence with the noise share,
    or a one-line note for each that does not fit the file."""
    T = lambda k, **f: i18n.text(k, lang, **f)  # noqa: E731
    parts = [f"<h2 id=\"convergence\">{_e(T('convergence'))}</h2>"]
    kind = sensitivity.design_kind(ds)
    if kind == "sobol-saltelli":
        html_, n = _figure("sobol_convergence", ds, window, lang, figure_format, n)
        parts.append(html_)
    else:
        parts.append(_note(T("no_sobol_convergence", design=kind or "–")))
    reps = ds.sizes["replicate"]
    if reps < 2:
        parts.append(_note(T("no_replicate_convergence", n=reps)))
        return parts, n
    if reps < 3:
        parts.append(_note(T("one_replicate_count", n=reps)))
    else:
        html_, n = _figure("replicate_convergence", ds, window, lang, figure_format, n)
        parts.append(html_)
    if ds.sizes["point"] >= 2:
        try:
            parts += _noise_share(ds, window, lang)
        except Exception as exc:  # noqa: BLE001 - as a figure: a warning, not a broken report
            parts.append(_note(f"{T('noise_share')}: {exc}", "warn"))
    return parts, n


def _noise_share(ds, window, lang):
    """The noise share table, with a warning naming the metrics above the threshold."""
    T = lambda k, **f: i18n.text(k, lang, **f)  # noqa: E731
    metrics = [m for m in plots.DEFAULT_SENSITIVITY if m in ds]
    table = io.noise_share(ds, metrics, window)
    limit = f"{100 * io.NOISE_SHARE_WARN:.0f} %"
    rows = [(i18n.metric_label(r.metric, lang, ds[r.metric].attrs),
             "–" if not np.isfinite(r.share) else f"{100 * r.share:.2g} %",
             "⚠" if r.warn else "") for r in table.itertuples()]
    out = [f"<h3>{_e(T('noise_share'))}</h3>",
           _note(T("noise_share_note", limit=limit)),
           _table([T("metric"), T("noise_share"), ""], rows, num_cols=(1,))]
    loud = [r[0] for r, w in zip(rows, table["warn"]) if w]
    if loud:
        out.append(_note(T("noise_share_warn", limit=limit, metrics=", ".join(loud)), "warn"))
    return out


def write_report(path, out, lang="en", window=52, figure_format="svg", title=None):
    """Write the HTML report of the file at ``path`` to ``out``; returns ``out``."""
    needed = set(plots.DEFAULT_TIMESERIES) | set(plots.DEFAULT_SWEEP) | \
        set(plots.DEFAULT_SENSITIVITY) | {m for _, ms, _, _ in plots.COMPARE_PANELS for m in ms}
    ds = io.load(path)  # every metric: the table below lists them
    metrics_all = io.metric_names(ds)
    missing = [m for m in needed if m not in metrics_all]
    a = ds.attrs
    T = lambda k, **f: i18n.text(k, lang, **f)  # noqa: E731
    name = a.get("scenario_name", os.path.basename(os.fspath(path)))
    heading = title or f"{T('report_title')}: {name}"
    parts = [f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">",
             f"<title>{_e(heading)}</title><style>{CSS}</style></head><body>",
             f"<h1>{_e(heading)}</h1>"]
    desc = re.search(r"^description:\s*(.+)$", str(a.get("scenario", "")), re.M)
    counts = io.run_counts(ds)
    src = ds.encoding.get("source", os.fspath(path))
    # the last step number, not the axis length: a file may keep every K-th step only
    weeks = int(ds["step"].values[-1]) if "step" in ds.coords and ds.sizes["step"] else ds.sizes["step"]
    summary = (f"{ds.sizes['point']} {'punkter' if lang == 'sv' else 'points'} × "
               f"{ds.sizes['replicate']} {T('replicates')} × {weeks} "
               f"{'veckor' if lang == 'sv' else 'weeks'}; design: {a.get('design') or '–'}")
    parts.append(f"<p>{_e(os.path.basename(src))} — {_e(summary)}</p>")
    if desc:
        parts.append(f"<p class=\"note\">{_e(desc.group(1).strip())}</p>")
    if str(a.get("complete", 1)) == "0":
        parts.append("<p class=\"warn\">" + _e(
            "Incomplete: an interrupted or running sweep; runs not yet done are left out."
            if lang != "sv" else
            "Ofullständig: ett avbrutet eller pågående svep; körningar som inte är klara utelämnas.")
            + "</p>")
    parts.append("<nav>" + "".join(f'<a href="#{k}">{_e(T(k))}</a>' for k in
                                   ("figures", "convergence", "runs", "provenance",
                                    "parameters", "scenario"))
                 + "</nav>")

    # ---- figures
    parts.append(f"<h2 id=\"figures\">{_e(T('figures'))}</h2>")
    plan = _figure_plan(ds)
    tables = {}  # the sensitivity figure leaves its table here for the table below
    n = 0
    for key in plan:
        html_, n = _figure(key, ds, window, lang, figure_format, n, tables)
        parts.append(html_)
    if ds.sizes["point"] > plots.MAX_SERIES:
        parts.append("<p class=\"note\">" + _e(
            f"{ds.sizes['point']} points: the regime comparison and time series are left out "
            f"(at most {plots.MAX_SERIES}); draw chosen points with `compare --points`."
            if lang != "sv" else
            f"{ds.sizes['point']} punkter: jämförelse och tidsserier utelämnas (högst "
            f"{plots.MAX_SERIES}); rita valda punkter med `compare --points`.") + "</p>")
    if missing:
        parts.append(f"<p class=\"note\">metrics not in this file: {_e(', '.join(missing))}</p>")
    sens_table = tables.get("sensitivity")
    if sens_table is not None:
        parts.append(f"<h3>{_e(T('sensitivity_table'))}</h3>")
        cols = [c for c in sens_table.columns if c != "condition" or
                sens_table[c].astype(bool).any()]
        rows = [[_fmt(v) for v in r] for r in sens_table[cols].itertuples(index=False)]
        parts.append(_table(cols, rows, num_cols=range(2, len(cols))))

    conv, n = _convergence_section(ds, window, lang, figure_format, n)
    parts += conv

    # ---- runs
    parts.append(f"<h2 id=\"runs\">{_e(T('runs'))}</h2>")
    parts.append(_table(["", "n"], [(T("status_ok"), counts["ok"]),
                                    (T("status_failed"), counts["failed"]),
                                    (T("status_not_run"), counts["not_run"])], num_cols=(1,)))
    parts.append(f"<p class=\"note\">{_e(T('masked_note'))}</p>")
    if counts["failed"] and "run_error" in ds:
        st = ds["run_status"].values
        err = ds["run_error"].values
        labels = ds["point_label"].values.astype(str) if "point_label" in ds.coords else \
            np.arange(ds.sizes["point"]).astype(str)
        rows = [(labels[p], r, err[p, r]) for p, r in zip(*np.nonzero(st == io.RUN_FAILED))][:100]
        parts.append(_table(["point", "replicate", "error"], rows))

    # ---- provenance
    parts.append(f"<h2 id=\"provenance\">{_e(T('provenance'))}</h2>")
    prov = [("file", src)]
    if os.path.isfile(src):
        prov += [("size", f"{os.path.getsize(src):,} bytes"), ("sha256", _sha256(src))]
    for k in ("title", "tillit_version", "git_revision", "schema_version", "command_line",
              "created", "rng", "master_seed", "replicates", "scenario_name", "design",
              "design_base", "complete", "varied_parameters"):
        if k in a:
            prov.append((k, a[k]))
    for k in sorted(set(a) - {p[0] for p in prov} - {"scenario", "metric_names",
                                                     "parameter_names"}):
        prov.append((k, a[k]))
    from . import __version__

    prov.append(("tillit_analysis", __version__))
    parts.append(_table(["attribute", T("value")], prov))

    # ---- parameters
    parts.append(f"<h2 id=\"parameters\">{_e(T('parameters'))}</h2>")
    rows = parameter_rows(ds, lang)
    npts = ds.sizes["point"]
    labels = ds["point_label"].values.astype(str) if "point_label" in ds.coords else \
        np.arange(npts).astype(str)
    dvars = io.design_variables(ds)
    if dvars and npts <= 24:
        head = [T("param")] + [i18n.point_label(lab, lang) for lab in labels]
        body = [[i18n.param_label(v, lang, ds[v].attrs, io.schedule_parameters(ds))] +
                [_fmt(float(x)) for x in ds[v].values] for v in dvars]
        parts.append(f"<h3>{_e(T('varied'))}</h3>")
        parts.append(_table(head, body, num_cols=range(1, len(head))))
    elif dvars:
        body = []
        for v in dvars:
            vals = ds[v].values.astype(float)
            body.append([v, i18n.param_label(v, lang, ds[v].attrs, io.schedule_parameters(ds)),
                         _fmt(np.nanmin(vals)), _fmt(np.nanmax(vals)),
                         len(np.unique(vals[np.isfinite(vals)]))])
        parts.append(f"<h3>{_e(T('varied'))}</h3>")
        parts.append(_table([T("param"), "", "min", "max", "n"], body, num_cols=(2, 3, 4)))
    parts.append(_table([T("param"), "", T("value"), T("unit"), T("group"), T("description")],
                        [r[:6] for r in rows], num_cols=(2,),
                        row_class=["varied" if r[6] else "" for r in rows]))
    parts.append("<p class=\"note\">" + _e(
        "Highlighted rows differ between points (value: min – max (distinct values)). Schedules "
        "(levers that change during a run) are in the scenario below."
        if lang != "sv" else
        "Markerade rader skiljer sig mellan punkterna (värde: min – max (antal värden)). Scheman "
        "(spakar som ändras under en körning) finns i scenariot nedan.") + "</p>")

    # ---- metrics and scenario
    mrows = [(m, i18n.metric_label(m, lang, ds[m].attrs), i18n.metric_unit(m, lang, ds[m].attrs),
              i18n.metric_description(m, lang, ds[m].attrs)) for m in metrics_all]
    parts.append("<details><summary>" + _e("Metrics in the file" if lang != "sv" else
                                            "Mått i filen") + f" ({len(mrows)})</summary>")
    parts.append(_table([T("metric"), "", T("unit"), T("description")], mrows))
    parts.append("</details>")
    parts.append(f"<h2 id=\"scenario\">{_e(T('scenario'))}</h2>")
    scen = str(a.get("scenario", ""))
    parts.append(f"<details><summary>YAML ({len(scen):,} characters)</summary>"
                 f"<pre>{_e(scen)}</pre></details>")
    parts.append("</body></html>\n")
    tmp = out + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))
    os.replace(tmp, out)
    return out
