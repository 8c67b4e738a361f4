"""paired_difference: paired under common random numbers, Welch otherwise."""
import numpy as np
import pytest
from scipy import stats

import tillit_analysis as ta
from conftest import run_engine


@pytest.fixture(scope="module")
def crn_files(tillit, tmp_path_factory):
    d = tmp_path_factory.mktemp("crn")
    text = """name: crn
preset: balanced
organisation: {units: 4, employees: 40, citizens: 1000}
run: {steps: 60, replicates: 6, seed: 9}
sweep:
  design: grid
  parameters:
    control_intensity: [0.2, 0.3]
"""
    (d / "s.yaml").write_text(text)
    run_engine(tillit, ["run", str(d / "s.yaml"), "-q", "-o", str(d / "off.h5")])
    run_engine(tillit, ["run", str(d / "s.yaml"), "--crn", "-q", "-o", str(d / "on.h5")])
    run_engine(tillit, ["run", str(d / "s.yaml"), "--crn", "--summary-only", "-q",
                        "-o", str(d / "summary.h5")])
    return ta.load(str(d / "off.h5")), ta.load(str(d / "on.h5")), ta.load(str(d / "summary.h5"))


def test_paired_under_crn_welch_otherwise(crn_files):
    off, on, _ = crn_files
    assert not ta.uses_crn(off) and ta.uses_crn(on)
    y = ta.late_mean(on, "quality_true", 26).values
    d = y[1] - y[0]
    r = ta.paired_difference(on, "quality_true", 0, 1, window=26)
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    assert r["paired"] and r["n"] == 6
    assert r["diff"] == pytest.approx(d.mean()) and r["hi"] - r["lo"] == pytest.approx(2 * half)
    w = ta.paired_difference(off, "quality_true", "p0", "p1", window=26)
    x = ta.late_mean(off, "quality_true", 26).values
    t = stats.ttest_ind(x[1], x[0], equal_var=False)
    assert not w["paired"] and w["diff"] == pytest.approx(x[1].mean() - x[0].mean())
    # the interval is Welch's: its half width over the standard error is the t quantile
    se = np.sqrt(x[0].var(ddof=1) / 6 + x[1].var(ddof=1) / 6)
    assert w["diff"] / se == pytest.approx(t.statistic)
    with pytest.raises(KeyError, match="no point labelled"):
        ta.paired_difference(off, "quality_true", "nope", 1)


def test_failed_replicate_is_left_out_of_the_pairs(crn_files):
    _, on, _ = crn_files
    ds = on.copy(deep=True)
    ds["run_status"].values[1, 2] = ta.RUN_FAILED
    r = ta.paired_difference(ds, "quality_true", 0, 1, window=26)
    assert r["n"] == 5


def test_paired_difference_reads_a_summary_only_file_at_its_window(crn_files):
    _, on, summary = crn_files
    # the stored per-run means over the last 52 steps equal the time series' window means
    a = ta.paired_difference(on, "strain_mean", 0, 1, window=52)
    b = ta.paired_difference(summary, "strain_mean", 0, 1, window=52)
    assert b["paired"] and b["n"] == 6
    assert b["diff"] == pytest.approx(a["diff"], rel=1e-9, abs=1e-12)
    assert b["hi"] - b["lo"] == pytest.approx(a["hi"] - a["lo"], rel=1e-9, abs=1e-12)
    with pytest.raises(ValueError, match="last 52 steps: use window=52"):
        ta.paired_difference(summary, "strain_mean", 0, 1, window=20)
