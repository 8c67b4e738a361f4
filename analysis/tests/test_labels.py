"""Labels and units: every metric translated, every drawn axis labelled with a unit."""

import glob
import json
import os
import re
import subprocess

import matplotlib.pyplot as plt
import pytest

import tillit_analysis as ta
from tillit_analysis import i18n, plots
from conftest import REPO


def test_labels_json_is_in_step_with_the_engine(tillit):
    """labels.json is what scripts/gen-docs writes from this engine's label tables."""
    with open(i18n.LABELS_JSON, encoding="utf-8") as f:
        stored = json.load(f)
    assert stored == i18n.table_from_engine(tillit), (
        "analysis/tillit_analysis/labels.json differs from the engine's label tables: "
        "run scripts/gen-docs")


def test_every_metric_of_the_engine_has_english_and_swedish_labels(default_file):
    ds = ta.load(default_file, metrics=["quality_true"])
    names = ds.attrs["metric_names"].split()
    missing = [m for m in names if m not in i18n.METRICS]
    assert not missing, f"metrics missing from labels.json (run scripts/gen-docs): {missing}"
    for m, row in i18n.METRICS.items():
        assert row["label_en"] and row["label_sv"] and row["description_sv"], m
        assert row["shown"] in i18n.UNITS and row["better"] in (-1, 0, 1), m
        assert row["pct"] == (row["shown"] in i18n.PERCENT_UNITS), m


def test_the_criteria_are_the_engines_in_its_order(tillit):
    """ta.CRITERIA is the engine's TL_CRITERIA (via `tillit metrics --format json`), in its
    order; each has a direction that counts as better, and the composite is not one."""
    rows = json.loads(subprocess.run([tillit, "metrics", "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)
    engine = [r["name"] for r in sorted((r for r in rows if r["criterion"]), key=lambda r: r["criterion"])]
    assert ta.CRITERIA == engine
    assert sorted(r["criterion"] for r in rows if r["criterion"]) == list(range(1, len(engine) + 1))
    assert {"service_value", "equal_gap", "incidents", "strain_mean"} <= set(engine)
    assert "outcome_index" not in engine
    assert all(ta.metric_better(c) != 0 for c in engine)


def test_labels_come_from_the_file_attributes(default_file):
    ds = ta.load(default_file, metrics=["quality_true"])
    a = ds["quality_true"].attrs
    assert a["label_en"] == "True quality" and a["label_sv"] == "Verklig kvalitet"
    assert a["description_sv"] and a["long_name"]
    # the file's attributes win over the table
    assert i18n.metric_label("quality_true", "sv", {"label_sv": "Från filen"}) == "Från filen"
    assert i18n.metric_label("quality_true", "sv", a) == "Verklig kvalitet"
    assert i18n.metric_description("quality_true", "sv", a) == a["description_sv"]
    assert i18n.metric_description("quality_true", "en", a) == a["long_name"]
    p = ds["control_intensity"].attrs
    assert p["label_sv"] == "Kontrollens omfattning"
    assert i18n.param_label("control_intensity", "sv", p) == "Kontrollens omfattning"


def test_every_lever_has_a_label(default_file):
    ds = ta.load(default_file, metrics=["quality_true"])
    levers = ds.attrs["varied_parameters"].split()  # the default file varies the levers
    assert "control_intensity" in levers
    assert not [p for p in levers if p not in i18n.PARAMETERS]


def test_fallbacks_for_unknown_names():
    attrs = {"long_name": "Share of widgets frobnicated in the step (per unit).", "units": "1"}
    assert i18n.metric_label("widgets", "sv", attrs) == "Share of widgets frobnicated in the step"
    assert i18n.metric_unit("widgets", "en", attrs) == "–"
    assert i18n.metric_unit("widgets", "en", {"units": "SEK"}) == "SEK"
    assert i18n.metric_label("new_metric", "en", {}) == "New metric"
    assert i18n.param_label("queue_weeks", "en", {"units": "week"}) == "Queue limit (weeks)"
    assert i18n.param_label("new_param", "en", {"units": "week"}) == "New param (weeks)"
    assert i18n.param_label("control_intensity", "sv", {"units": "1"}) == "Kontrollens omfattning"
    assert i18n.param_label("schedule_0_value", "en", {}, ["mandate"]) == \
        "Mandate (schedule 0: new value)"
    assert i18n.point_label("trust-based", "sv") == "Tillitsbaserad"
    assert i18n.point_label("balanced/p3", "sv") == "Balanserad/p3"
    assert i18n.point_label("p7", "sv") == "p7"


def _axes_with_data(fig):
    return [ax for ax in fig.axes if ax.get_visible() and (ax.lines or ax.patches or
                                                             ax.collections or ax.images)
            and ax.get_label() != "<colorbar>"]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_figures_label_every_axis(default_file, grid_file, lang):
    ds = ta.load(default_file)
    grid = ta.load(grid_file)
    figs = [plots.compare([ds], lang=lang), plots.timeseries([ds], lang=lang),
            plots.sweep(grid, ["quality_true", "cost_per_case"], window=20, lang=lang),
            plots.frontier([grid], lang=lang)]
    for fig in figs:
        axes = _axes_with_data(fig)
        assert axes
        for ax in axes:
            assert ax.get_ylabel().strip(), (fig._suptitle.get_text(), ax.get_title())
            assert ax.get_title().strip() or ax.get_xlabel().strip()
        assert fig._suptitle is not None and fig._suptitle.get_text()
        plt.close(fig)
    sv_words = {"sv": "Avvägningar", "en": "Trade-offs"}[lang]
    fig = plots.compare([ds], lang=lang)
    assert sv_words in fig._suptitle.get_text()
    titles = " ".join(ax.get_title() for ax in fig.axes)
    assert ("Kostnad per ärende" if lang == "sv" else "Cost per case") in titles
    ylabels = " ".join(ax.get_ylabel() for ax in fig.axes)
    assert ("kr per ärende" if lang == "sv" else "SEK per case") in ylabels
    plt.close(fig)


def test_pareto_front():
    # cost (lower better) vs quality (higher better)
    cost = [5, 4, 6, 4, 3]
    quality = [0.5, 0.7, 0.8, 0.6, 0.4]
    front = plots.pareto_front(cost, quality, -1, 1)
    assert front.tolist() == [False, True, True, False, True]


def test_preset_labels_come_from_the_engine_table(tillit):
    """Every preset of the engine has English and Swedish labels and summaries in the toolkit."""
    out = subprocess.run([tillit, "presets", "--format", "json"], check=True, capture_output=True,
                         text=True).stdout
    engine = {r["name"]: r for r in json.loads(out)}
    assert set(i18n.PRESETS) == set(engine)
    for name, row in engine.items():
        assert row["label_en"] and row["label_sv"] and row["summary_sv"], name
        assert i18n.point_label(name, "sv") == row["label_sv"]
        assert i18n.point_label(name, "en") == row["label_en"]


def _preset_copies(table, paths):
    """(path:line, name) of each line that holds a preset's name with its label or summary."""
    found = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for no, line in enumerate(f, 1):
                for name, row in table.items():
                    texts = {row[k] for k in ("label_en", "label_sv", "summary", "summary_sv")}
                    named = re.search(rf"['\"]?\b{re.escape(name)}\b['\"]?\s*:", line)
                    if named and any(t and t in line for t in texts - {name}):
                        found.append((f"{os.path.relpath(path, REPO)}:{no}", name))
    return found


def test_no_second_copy_of_the_preset_labels(tmp_path):
    """The toolkit and the classroom page hold no hand-written table of preset labels.

    Both read the engine's preset table (sim/core/presets.c): the toolkit
    through labels.json, the page through /api/presets. A line that maps a
    preset's name to its label or summary (``"balanced": ("Balanced", ...)``,
    ``balanced: { sv: 'Balanserad', ... }``) is a second copy that can drift.
    """
    paths = sorted(glob.glob(os.path.join(REPO, "analysis", "tillit_analysis", "*.py")) +
                   glob.glob(os.path.join(REPO, "web", "page", "*.js")))
    assert paths
    assert not _preset_copies(i18n._TABLE["presets"], paths)
    # it finds copies in the shapes the toolkit and the page once had
    old = tmp_path / "old.js"
    old.write_text('''  "control-based": ("Control-based", "Kontrollbaserad"),
  balanced: { sv: 'Balanserad', en: 'Balanced' },
  run('reset', { sides: [{ preset: 'balanced' }] });
''', encoding="utf-8")
    assert [n for _, n in _preset_copies(i18n._TABLE["presets"], [old])] == \
        ["control-based", "balanced"]
