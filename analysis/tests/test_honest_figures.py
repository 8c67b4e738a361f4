"""Honest figures: fronts per condition of a crossed design, facets for a third
design variable, and the convergence of Sobol' indices with the sample size.

Each test uses a tiny engine file (a few points x 1-2 replicates x 30 weeks).
"""

import numpy as np
import pandas as pd
import pytest

import tillit_analysis as ta
from tillit_analysis import cli, plots
from conftest import SMALL_ORG, _scenario


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
