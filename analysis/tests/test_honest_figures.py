"""Honest figures: fronts per condition of a crossed design, facets for a third
design variable, and the convergence of Sobol' indices with the sample size.

Each test uses a tiny engine file (a few points x 1-2 replicates x 30 weeks).
"""

import re

import numpy as np
import pandas as pd
import xarray as xr
import matplotlib.pyplot as plt
import pytest

import tillit_analysis as ta
from tillit_analysis import cli, plots, sensitivity
from conftest import SMALL_ORG, _scenario, run_engine


@pytest.fixture(scope="module")
def crossed_file(tillit, tmp_path_factory):
    """An LHS over two levers (6 rows) crossed with two conditions: 12 points."""
    return _scenario(tillit, tmp_path_factory.mktemp("crossed"), "crossed", f"""name: test-crossed
preset: balanced
{SMALL_ORG}run: {{steps: 30, replicates: 1, seed: 3}}
points:
  - label: control-based
    preset: control-based
  - label: trust-based
    preset: trust-based
sweep:
  design: lhs
  samples: 6
  parameters:
    mandate: {{min: 0.1, max: 0.9}}
    support: {{min: 0, max: 1}}
""")


def test_crossed_design_has_one_front_per_condition(crossed_file):
    ds = ta.load(crossed_file)
    table = plots.front_table([ds])
    assert set(table["condition"]) == {"control-based", "trust-based"}
    for cond, part in table.groupby("condition"):
        assert part["label"].str.startswith(cond + "/").all()
        # each condition's front is the front of its own points alone
        expect = plots.pareto_front(part["cost_per_case_mean"], part["quality_true_mean"], -1, 1)
        np.testing.assert_array_equal(part["on_front"].values, expect)
        assert part["on_front"].any()
    # the trust-based regime dominates: a pooled front would hold none of control-based
    pooled = plots.pareto_front(table["cost_per_case_mean"], table["quality_true_mean"], -1, 1)
    assert table.loc[table["on_front"], "condition"].nunique() == 2
    assert table.loc[pooled, "condition"].nunique() == 1
    fig = plots.frontier([ds])
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert sum("Control-based" in lab for lab in labels) == 1
    assert sum("Trust-based" in lab for lab in labels) == 1


def test_frontier_csv_has_condition_and_levers(crossed_file, tmp_path, capsys):
    out, csv = tmp_path / "fr.png", tmp_path / "front.csv"
    assert cli.main(["frontier", crossed_file, "-o", str(out), "--csv", str(csv)]) == 0
    table = pd.read_csv(csv, keep_default_na=False)
    front = table[table["on_front"].astype(str) == "True"]
    assert {"condition", "mandate", "support"} <= set(table.columns)
    assert set(front["condition"]) == {"control-based", "trust-based"}
    assert np.isfinite(front[["mandate", "support"]].astype(float).values).all()


@pytest.fixture(scope="module")
def grid3_file(tillit, tmp_path_factory):
    """A 2 x 2 x 3 grid (the third variable, support, has three values): 12 points."""
    return _scenario(tillit, tmp_path_factory.mktemp("grid3"), "grid3", f"""name: test-grid3
preset: balanced
{SMALL_ORG}run: {{steps: 30, replicates: 2, seed: 5}}
sweep:
  design: grid
  parameters:
    control_intensity: [0.05, 0.55]
    control_mode: [0, 1]
    support: [0, 0.5, 1]
""")


def _panels(fig):
    return [a for a in fig.axes if a.get_visible() and a.get_title()]


@pytest.mark.parametrize("style", ["auto", "lines", "scatter"])
def test_sweep_facets_a_third_grid_variable(grid3_file, style):
    ds = ta.load(grid3_file)
    fig = plots.sweep(ds, ["quality_true", "cost_per_case"], style=style)
    panels = _panels(fig)
    assert len(panels) == 2 * 3  # two metrics x three values of support
    for value in ("0", "0.5", "1"):
        assert sum(a.get_title().endswith(f"support = {value}") for a in panels) == 2
    # each panel holds only its value's points: 2 x 2 of the 12
    if style == "scatter":
        assert all(len(a.collections[-1].get_offsets()) == 4 for a in panels)
    assert "support" in fig._suptitle.get_text()
    plt.close(fig)


def test_sweep_names_a_continuous_third_variable(tillit, tmp_path):
    path = _scenario(tillit, tmp_path, "lhs3", f"""name: test-lhs3
preset: balanced
{SMALL_ORG}run: {{steps: 30, replicates: 1, seed: 5}}
sweep:
  design: lhs
  samples: 8
  parameters:
    control_intensity: {{min: 0, max: 0.6}}
    mandate: {{min: 0.1, max: 0.9}}
    support: {{min: 0, max: 1}}
""")
    fig = plots.sweep(ta.load(path), ["quality_true"])
    assert len(_panels(fig)) == 1  # 8 values of support: no facets ...
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "also varied but on no axis: support" in notes  # ... but said, never silent
    plt.close(fig)


@pytest.fixture(scope="module")
def sobol16_file(tillit, tmp_path_factory):
    """A Saltelli design with N = 16 base rows over two variables: 64 points."""
    return _scenario(tillit, tmp_path_factory.mktemp("sobol16"), "sobol16", f"""name: test-sobol16
preset: balanced
{SMALL_ORG}run: {{steps: 30, replicates: 1, seed: 2}}
sweep:
  design: sobol
  samples: 16
  parameters:
    baseline_trust: {{min: 0.2, max: 1}}
    mandate: {{min: 0.1, max: 0.9}}
""")


def test_sobol_convergence_rows_per_n_and_full_n_equals_the_indices(sobol16_file):
    ds = ta.load(sobol16_file)
    conv = sensitivity.sobol_convergence(ds, ["quality_true"], window=20, n_boot=100)
    assert sorted(conv["n"].unique()) == [2, 4, 8, 16]
    assert (conv.groupby("n").size() == 2).all()  # one row per variable at each n
    assert (conv["N"] <= conv["n"]).all()
    full = sensitivity.sobol_from_dataset(ds, ["quality_true"], window=20, n_boot=100)
    last = conv[conv["n"] == 16].drop(columns="n").reset_index(drop=True)
    pd.testing.assert_frame_equal(last, full)
    # a smaller n is a different estimate (the first rows only), not the full one again
    assert not np.allclose(conv.loc[conv["n"] == 4, "S1"].values, full["S1"].values)
    # and it is the estimate of those rows alone
    a, b, ab = next(iter(sensitivity._saltelli_responses(ds, ["quality_true"], 20)))[2:]
    four = sensitivity.sobol_indices(a[:4], b[:4], ab[:4], n_boot=0)
    np.testing.assert_allclose(conv.loc[conv["n"] == 4, "ST"].values, four["ST"].values)


def test_convergence_command(sobol16_file, grid3_file, tmp_path, capsys):
    out, csv = tmp_path / "conv.png", tmp_path / "conv.csv"
    assert cli.main(["convergence", sobol16_file, "-m", "quality_true", "--bootstrap", "50",
                     "-o", str(out), "--csv", str(csv)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert csv.read_text().startswith("metric,condition,n,variable,S1")
    assert cli.main(["convergence", grid3_file, "-o", str(tmp_path / "no.png")]) == 1
    assert "sobol-saltelli" in capsys.readouterr().err


def test_ci_width_against_replicates(tillit, tmp_path, capsys):
    path = str(tmp_path / "r5.h5")
    run_engine(tillit, ["run", "-r", "5", "-t", "30", "-q", "-o", path])
    ds = ta.load(path)
    table = ta.replicate_convergence(ds, ["quality_true"], window=20)
    assert table["replicates"].tolist() == [2, 4, 5]
    # the rows at k = R are the intervals of every other figure
    mean, half, _, _ = plots._point_table(ds, "quality_true", 20)
    assert table["half_median"].iloc[-1] == pytest.approx(np.median(half))
    assert table["half_max"].iloc[-1] == pytest.approx(np.max(half))
    # and at k = 2 those of the first two replicates alone
    two = ta.replicate_stats(ta.late_mean(ds, "quality_true", 20).isel(replicate=slice(0, 2)))
    assert table["half_min"].iloc[0] == pytest.approx(float((two["hi"] - two["mean"]).min()))
    out = tmp_path / "rep.png"
    assert cli.main(["convergence", path, "--replicates", "-m", "quality_true", "-o", str(out)]) == 0
    assert "half_median" in capsys.readouterr().out
    with pytest.raises(ValueError, match="at least 2"):
        ta.replicate_convergence(ds.isel(replicate=[0]), ["quality_true"])


def _report(path, tmp_path, *args):
    out = tmp_path / "report.html"
    assert cli.main(["report", path, "-o", str(out), "--force"] + list(args)) == 0
    return out.read_text(encoding="utf-8")


def test_report_of_a_sobol_sweep_has_the_convergence_section(sobol16_file, tmp_path):
    text = _report(sobol16_file, tmp_path)
    assert '<h2 id="convergence">Convergence</h2>' in text
    assert 'href="#convergence"' in text
    assert 'id="fig-sobol_convergence"' in text and "Read it left to right" in text
    # one replicate: the replicate views say why they are absent
    assert 'id="fig-replicate_convergence"' not in text
    assert "not applicable (1 replicate per point" in text
    assert "Replicate-noise share" not in text


def test_report_without_a_sobol_design_says_why_and_shows_the_noise_share(default_file,
                                                                           tmp_path, monkeypatch):
    text = _report(default_file, tmp_path)
    assert "Sobol&#x27; index convergence: not applicable (design" in text
    assert 'id="fig-sobol_convergence"' not in text
    assert 'id="fig-replicate_convergence"' in text and "the price of precision" in text
    assert "Replicate-noise share" in text and "Above 20 %" in text
    # above the threshold: a visible warning naming the metric
    monkeypatch.setattr(ta.io, "NOISE_SHARE_WARN", 0.0)
    text = _report(default_file, tmp_path, "--lang", "sv")
    assert re.search(r'<p class="warn">Brus över 0 % för [^<]*Verklig kvalitet', text)


def test_noise_share_is_the_noise_variance_of_a_mean_over_the_spread_of_means(default_file,
                                                                               monkeypatch):
    ds = ta.load(default_file, metrics=["quality_true"])
    # three points, three replicates: within-point variance 1, point means 1, 11, 21
    runs = xr.DataArray(np.array([[0., 1, 2], [10, 11, 12], [20, 21, 22]]),
                        dims=("point", "replicate"))
    monkeypatch.setattr(ta.io, "late_mean", lambda ds, metric, window: runs)
    table = ta.io.noise_share(ds, ["quality_true"])
    assert table["share"].iloc[0] == pytest.approx((1 / 3) / 100)
    assert table["replicates"].iloc[0] == 3 and not table["warn"].iloc[0]
    # means 1, 1, 2 (variance 1/3) from replicates of variance 1 (noise 1/3): all noise
    runs = xr.DataArray(np.array([[0., 2, 1], [1, 0, 2], [3, 1, 2]]), dims=("point", "replicate"))
    monkeypatch.setattr(ta.io, "late_mean", lambda ds, metric, window: runs)
    table = ta.io.noise_share(ds, ["quality_true"])
    assert table["share"].iloc[0] == pytest.approx(1.0) and table["warn"].iloc[0]
    with pytest.raises(ValueError, match="at least 2"):
        ta.io.noise_share(ds.isel(replicate=[0]), ["quality_true"])
