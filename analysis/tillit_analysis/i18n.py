"""Labels for figures in English and Swedish: metrics, parameters, presets, units, titles.

Labels of metrics, parameters and presets are not kept here: they come from
the engine's one label table (include/tillit/metric_labels.h, param_labels.h,
the preset table in sim/core/presets.c), first from the file's own ``label_en``/``label_sv`` attributes, then from
``labels.json`` (generated from the engine by scripts/gen-docs; a test fails
when it drifts). The table also gives each metric the unit as a reader should
see it on an axis (a key of UNITS) and the direction that counts as better
(+1 higher, -1 lower, 0 neither; used to mark Pareto fronts). A name in
neither falls back to the file's ``long_name`` and ``units`` attributes, so
a new metric in the engine still gets a labelled axis.
"""

import json
import os
import subprocess

LANGS = ("en", "sv")

#: Units as shown on axes: key -> (English, Swedish).
UNITS = {
    "score": ("0–1", "0–1"),
    "diff": ("difference, 0–1 scale", "skillnad, skala 0–1"),
    "sd": ("SD, 0–1 scale", "SD, skala 0–1"),
    "share_needs": ("% of needs", "% av behoven"),
    "share_staff": ("% of staff", "% av personalen"),
    "share_staff_week": ("% of staff per week", "% av personalen per vecka"),
    "share_hours": ("% of hours worked", "% av arbetstiden"),
    "share_mgr": ("% of manager hours", "% av chefernas tid"),
    "share_dims": ("% of dimensions right", "% av dimensionerna rätt"),
    "cases_week": ("cases per week", "ärenden per vecka"),
    "cases": ("cases", "ärenden"),
    "errors_week": ("errors per week", "fel per vecka"),
    "events_week": ("per week", "per vecka"),
    "staff_week": ("employees per week", "medarbetare per vecka"),
    "audits_week": ("audits per week", "granskningar per vecka"),
    "per_case": ("per case", "per ärende"),
    "weeks": ("weeks", "veckor"),
    "sek_week": ("SEK per week", "kr per vecka"),
    "sek_case": ("SEK per case", "kr per ärende"),
    "budget": ("% of budget, + = over", "% av budget, + = över"),
    "ratio": ("% of contracted hours", "% av avtalad arbetstid"),
    "index": ("index", "index"),
    "knowledge": ("−1 to 1, 0 = chance", "−1 till 1, 0 = slump"),
    "hazards": ("uncorrected serious errors", "okorrigerade allvarliga fel"),
    "per_year": ("per year", "per år"),
}

#: units shown in per cent: the data are shares (0-1), the axes show 0-100 %
PERCENT_UNITS = {"share_needs", "share_staff", "share_staff_week", "share_hours", "share_mgr",
                 "share_dims", "budget", "ratio"}

#: the engine's label tables (include/tillit/metric_labels.h, param_labels.h, the
#: preset table in sim/core/presets.c) as ``tillit metrics|params|presets --format
#: json`` give them, written by scripts/gen-docs;
#: a file's own attributes (label_en, label_sv) come first, this is the fallback
#: for files written before the attributes existed and for metric display hints.
LABELS_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "labels.json")

_METRIC_KEYS = ("label_en", "label_sv", "description", "description_sv", "shown", "pct",
                "better", "criterion")
_PARAM_KEYS = ("label_en", "label_sv", "description", "description_sv")
_PRESET_KEYS = ("label_en", "label_sv", "summary", "summary_sv")


def table_from_engine(tillit):
    """The label tables of the engine at path ``tillit``, as labels.json holds them."""
    def rows(what, keys):
        out = subprocess.run([tillit, what, "--format", "json"], check=True,
                             capture_output=True, text=True).stdout
        return {r["name"]: {k: r[k] for k in keys} for r in json.loads(out)}
    return {"metrics": rows("metrics", _METRIC_KEYS), "parameters": rows("params", _PARAM_KEYS),
            "presets": rows("presets", _PRESET_KEYS)}


def write_table(tillit, path=LABELS_JSON):
    """Write labels.json from the engine (scripts/gen-docs calls this)."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(table_from_engine(tillit), f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


def _load_table():
    try:
        with open(LABELS_JSON, encoding="utf-8") as f:
            return json.load(f)
    except OSError:
        return {"metrics": {}, "parameters": {}, "presets": {}}


_TABLE = _load_table()
#: metric -> its row of the engine's table (label_en, label_sv, description,
#: description_sv, shown: a key of UNITS, pct, better: +1/-1/0)
METRICS = _TABLE["metrics"]
#: parameter -> its row of the engine's table (label_en, label_sv, description, description_sv)
PARAMETERS = _TABLE["parameters"]

#: preset names (used as point labels) -> (English, Swedish), from the engine's preset table
PRESETS = {name: (row["label_en"], row["label_sv"]) for name, row in
           _TABLE.get("presets", {}).items()}

#: units of parameters (the file's `units`) -> (English, Swedish)
PARAM_UNITS = {
    "1": ("", ""),
    "h": ("h", "h"),
    "week": ("weeks", "veckor"),
    "1/week": ("per week", "per vecka"),
    "SEK": ("SEK", "kr"),
    "SEK/h": ("SEK/h", "kr/h"),
}

#: free text: key -> (English, Swedish)
TEXT = {
    "week": ("Week", "Vecka"),
    "mean": ("mean", "medelvärde"),
    "band_ci95": ("95 % CI of the mean over replicates", "95 % KI för medelvärdet över replikat"),
    "band_q90": ("5–95 % range of replicates", "5–95 % av replikaten"),
    "band_sd": ("mean ± 1 SD of replicates", "medelvärde ± 1 SD av replikaten"),
    "band_none": ("no band", "inget band"),
    "shaded": ("shaded", "skuggat"),
    "bars_ci": ("bars: mean over replicates; whiskers: 95 % CI; dots: replicates",
                "staplar: medelvärde över replikat; streck: 95 % KI; punkter: replikat"),
    "last_weeks": ("weeks {a}–{b}", "vecka {a}–{b}"),
    "last_n": ("mean of the last {n} weeks", "medel över de sista {n} veckorna"),
    "replicates": ("replicates", "replikat"),
    "n_reps": ("{n} replicates per point", "{n} replikat per punkt"),
    "n_rep1": ("1 replicate per point", "1 replikat per punkt"),
    "compare_title": ("Trade-offs between steering regimes", "Avvägningar mellan styrmodeller"),
    "timeseries_title": ("Over time", "Över tid"),
    "sweep_title": ("Response to {x}", "Effekt av {x}"),
    "sweep_title2": ("Response to {x} and {y}", "Effekt av {x} och {y}"),
    "frontier_title": ("Trade-off frontier", "Avvägningsfront"),
    "pareto": ("Pareto front (not beaten on both)", "Paretofront (inte slagen på båda)"),
    "points": ("points", "punkter"),
    "sobol_title": ("Sobol' sensitivity indices", "Sobols känslighetsindex"),
    "morris_title": ("Morris elementary effects", "Morris elementära effekter"),
    "S1": ("first order $S_i$", "första ordningen $S_i$"),
    "ST": ("total order $S_{Ti}$", "total ordning $S_{Ti}$"),
    "index": ("index", "index"),
    "mu_star": ("μ* (mean |elementary effect|)", "μ* (medel av |elementär effekt|)"),
    "sigma": ("σ (spread of effects)", "σ (spridning av effekter)"),
    "ci_boot": ("{c} % bootstrap CI", "{c} % bootstrap-KI"),
    "quality_tm": ("Quality: true vs measured", "Kvalitet: verklig och mätt"),
    "true": ("true", "verklig"),
    "measured": ("measured", "mätt"),
    "staff_state": ("Staff: can, want, dare", "Medarbetare: kan, vill, vågar"),
    "cost_title": ("Cost per case", "Kostnad per ärende"),
    "incidents_year": ("Serious incidents per year", "Allvarliga händelser per år"),
    "doc_title": ("Time on documentation", "Tid för dokumentation"),
    "equal_title": ("Equal-treatment gap (voiced − weak-voice)",
                    "Likabehandling: skillnad starka − svaga röster"),
    "budget_title": ("Budget deviation", "Budgetavvikelse"),
    "colour": ("colour", "färg"),
    "report_title": ("tillit report", "tillit-rapport"),
    "provenance": ("Provenance", "Ursprung"),
    "runs": ("Runs", "Körningar"),
    "parameters": ("Parameters", "Parametrar"),
    "figures": ("Figures", "Figurer"),
    "scenario": ("Resolved scenario", "Fullständigt scenario"),
    "status_ok": ("finished", "klara"),
    "status_failed": ("failed (masked)", "misslyckade (maskerade)"),
    "status_not_run": ("not run (masked)", "ej körda (maskerade)"),
    "masked_note": ("Runs that failed or were not run are left out (NaN), never counted as zeros.",
                    "Körningar som misslyckades eller inte kördes utelämnas (NaN), räknas aldrig som noll."),
    "param": ("parameter", "parameter"),
    "value": ("value", "värde"),
    "unit": ("unit", "enhet"),
    "description": ("description", "beskrivning"),
    "group": ("group", "grupp"),
    "varied": ("varied", "varieras"),
    "sensitivity_table": ("Sensitivity indices", "Känslighetsindex"),
    "schedule_at": ("{p} (schedule {k}: week)", "{p} (schema {k}: vecka)"),
    "schedule_value": ("{p} (schedule {k}: new value)", "{p} (schema {k}: nytt värde)"),
    "schedule_ramp": ("{p} (schedule {k}: ramp, weeks)", "{p} (schema {k}: ramp, veckor)"),
    "metric": ("metric", "mått"),
    "convergence": ("Convergence", "Konvergens"),
    "no_sobol_convergence": (
        "Sobol' index convergence: not applicable (design '{design}', not a Sobol'–Saltelli "
        "design).",
        "Konvergens av Sobol'-index: ej tillämpligt (design '{design}', inte en "
        "Sobol'–Saltelli-design)."),
    "no_replicate_convergence": (
        "Replicate convergence and noise share: not applicable ({n} replicate per point; a "
        "confidence interval needs at least 2).",
        "Konvergens över replikat och brusandel: ej tillämpligt ({n} replikat per punkt; ett "
        "konfidensintervall kräver minst 2)."),
    "one_replicate_count": (
        "Replicate convergence: not drawn ({n} replicates per point give one interval width; "
        "the figure needs at least 3 to show how the width falls).",
        "Konvergens över replikat: ritas inte ({n} replikat per punkt ger en enda "
        "intervallbredd; figuren kräver minst 3 för att visa hur bredden minskar)."),
    "noise_share": ("Replicate-noise share", "Andel replikatbrus"),
    "noise_share_note": (
        "The share of the spread between the points' means that is replicate noise (the noise "
        "variance of a point's mean over its replicates, against the variance between the "
        "points' means). Above {limit}, differences between points and sensitivity indices "
        "(total-order ones most) are partly noise.",
        "Den del av spridningen mellan punkternas medelvärden som är brus mellan replikat "
        "(brusvariansen i en punkts medelvärde över dess replikat, mot variansen mellan "
        "punkternas medelvärden). Över {limit} är skillnader mellan punkter och "
        "känslighetsindex (särskilt totalindex) delvis brus."),
    "noise_share_warn": (
        "Noise above {limit} for {metrics}: run more replicates before reading differences "
        "or indices of these metrics.",
        "Brus över {limit} för {metrics}: kör fler replikat innan du tolkar skillnader eller "
        "index för dessa mått."),
}


def _pick(pair, lang):
    return pair[1] if lang == "sv" else pair[0]


def text(key, lang="en", **fmt):
    """A piece of figure text in the language, formatted with ``fmt``."""
    s = _pick(TEXT[key], lang)
    return s.format(**fmt) if fmt else s


def _long_name_label(attrs):
    """A short label from a long_name attribute: its first clause, at most 40 characters."""
    ln = str(attrs.get("long_name", "")).strip()
    if not ln:
        return ""
    for sep in (":", ";", " (", ", "):
        if sep in ln[:60]:
            ln = ln.split(sep)[0]
            break
    ln = ln.rstrip(".")
    return ln if len(ln) <= 40 else ln[:39] + "…"


def _table_label(row, attrs, lang):
    """label_<lang> from the file's attributes, else from the table's row, else ''."""
    key = "label_sv" if lang == "sv" else "label_en"
    return str((attrs or {}).get(key, "") or (row or {}).get(key, ""))


def metric_label(name, lang="en", attrs=None):
    """The short label of a metric; unknown metrics fall back to their long_name."""
    label = _table_label(METRICS.get(name), attrs, lang)
    if label:
        return label
    ln = _long_name_label(attrs or {})
    return ln or name.replace("_", " ").capitalize()


def _description(row, attrs, lang):
    """The description in the language: the file's attributes first, then the table."""
    attrs, row = attrs or {}, row or {}
    if lang == "sv":
        sv = attrs.get("description_sv", "") or row.get("description_sv", "")
        if sv:
            return str(sv)
    return str(attrs.get("long_name", "") or row.get("description", ""))


def metric_description(name, lang="en", attrs=None):
    """A metric's description in the language (English from long_name)."""
    return _description(METRICS.get(name), attrs, lang)


def param_description(name, lang="en", attrs=None):
    """A parameter's description in the language (English from long_name)."""
    attrs = attrs or {}
    return _description(PARAMETERS.get(str(attrs.get("parameter", name))), attrs, lang)


def metric_unit(name, lang="en", attrs=None):
    """The unit of a metric as shown on an axis (never empty)."""
    if METRICS.get(name, {}).get("shown") in UNITS:
        return _pick(UNITS[METRICS[name]["shown"]], lang)
    u = str((attrs or {}).get("units", "")).strip()
    if u in ("", "1"):
        return "–"
    return u


def metric_shown(name):
    """The key of UNITS a metric is shown in, or None for a metric not in the table."""
    return METRICS.get(name, {}).get("shown")


def metric_percent(name):
    """True when the metric is a share (0-1) that figures show in per cent."""
    return metric_shown(name) in PERCENT_UNITS


def metric_better(name):
    """+1 when higher is better, -1 when lower is better, 0 when neither (or unknown)."""
    return int(METRICS.get(name, {}).get("better", 0))


#: The criteria, in the engine's order (include/tillit/metric_labels.h TL_CRITERIA):
#: the separate outcomes every comparison shows side by side, because no single
#: number decides which regime is best (outcome_index weighs them with value judgements).
CRITERIA = [name for name, row in sorted(METRICS.items(), key=lambda kv: kv[1].get("criterion", 0))
            if row.get("criterion", 0) > 0]

#: the composite that weighs the criteria (not one of them)
COMPOSITE = "outcome_index"
#: short names of the criteria and the composite in the toolkit's tables (column heads)
_SHORT = {"service_value": "service", "equal_gap": "equal gap", "strain_mean": "strain",
          "budget_deviation": "budget", COMPOSITE: "composite"}


def criteria(composite=False):
    """(metric, short name, True if higher is better) for each criterion in the
    engine's order, then the composite outcome_index when ``composite``."""
    names = CRITERIA + ([COMPOSITE] if composite else [])
    return [(m, _SHORT.get(m, m), metric_better(m) > 0) for m in names]


def axis_label(name, lang="en", attrs=None, unit=None):
    """``Label (unit)`` for an axis."""
    u = unit if unit is not None else metric_unit(name, lang, attrs)
    return f"{metric_label(name, lang, attrs)} ({u})"


def _schedule_label(name, lang, schedule_params):
    import re

    m = re.fullmatch(r"schedule_(\d+)_(at|value|ramp)", name)
    if not m:
        return None
    k = int(m.group(1))
    p = "Change" if lang != "sv" else "Ändring"
    if schedule_params and k < len(schedule_params):
        pname = schedule_params[k]
        p = _table_label(PARAMETERS.get(pname), None, lang) or pname
    return text("schedule_" + m.group(2), lang, k=k, p=p)


def param_label(name, lang="en", attrs=None, schedule_params=None, with_unit=True):
    """The label of a parameter or design variable, with its unit when it has one."""
    sched = _schedule_label(name, lang, schedule_params)
    if sched is not None:
        return sched
    attrs = attrs or {}
    table = str(attrs.get("parameter", name))
    label = _table_label(PARAMETERS.get(table), attrs, lang) or \
        table.replace("_", " ").capitalize()
    if with_unit:
        u = str(attrs.get("units", "1"))
        shown = _pick(PARAM_UNITS[u], lang) if u in PARAM_UNITS else u
        if shown:
            label = f"{label} ({shown})"
    return label


def point_label(label, lang="en"):
    """A point's label for a legend: preset names translated, others as they are."""
    label = str(label)
    if label in PRESETS:
        return _pick(PRESETS[label], lang)
    # crossed designs: "<point label>/p<row>"
    if "/" in label:
        head, tail = label.split("/", 1)
        if head in PRESETS:
            return _pick(PRESETS[head], lang) + "/" + tail
    return label
