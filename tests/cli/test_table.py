"""Tests of the experiment table: exact design values, `tillit check` and
`--dry-run` listing and exporting the design, point labels in the summary
group, and `tillit table` (issue 10). Run by ctest with the `cli` group."""
import csv
import io
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

from journal_log import records

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))

GRID = """name: exact-grid
preset: balanced
organisation: {units: 2, employees: 20, citizens: 400}
run: {steps: 60, replicates: 3, seed: 7}
sweep:
  design: grid
  parameters:
    baseline_trust: {from: 0.3, to: 0.9, steps: 3}
    control_intensity: [0.1, 0.2]
"""


def tillit(*args, cwd=None, check=False, timeout=600):
    r = subprocess.run([BIN, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"tillit {args} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    d = tmp_path_factory.mktemp("grid")
    (d / "grid.yaml").write_text(GRID)
    tillit("sweep", d / "grid.yaml", "-o", d / "grid.h5", "-q", check=True)
    return d


def test_check_help_prints_only_the_help():
    r = tillit("check", "--help", check=True)
    assert "usage: tillit check" in r.stdout
    assert "(null)" not in r.stdout + r.stderr and "nan" not in r.stdout


def test_grid_values_are_decimal_exact(grid):
    ds = xr.open_dataset(grid / "grid.h5", engine="h5netcdf")
    assert sorted(set(ds.baseline_trust.values.tolist())) == [0.3, 0.6, 0.9]
    assert int((ds.baseline_trust == 0.6).sum()) == 2
    assert 0.6 in ds.design_values.sel(design_variable="baseline_trust").values.tolist()
    ds.close()


def test_summary_group_names_its_points(grid):
    sm = xr.open_dataset(grid / "grid.h5", engine="h5netcdf", group="summary")
    assert list(sm.point_label.values) == [f"p{i}" for i in range(6)]
    assert "baseline_trust" in sm.coords and "control_intensity" in sm.coords
    sel = sm.quality_true.sel(statistic="mean").swap_dims(point="baseline_trust").sel(baseline_trust=0.6)
    assert sel.shape == (2, 60)
    sm.close()


def test_check_and_dry_run_print_and_export_the_design(tmp_path):
    (tmp_path / "grid.yaml").write_text(GRID)
    r = tillit("check", tmp_path / "grid.yaml", "--design-csv", tmp_path / "design.csv", check=True)
    assert "p2  baseline_trust=0.6, control_intensity=0.1" in r.stdout
    rows = list(csv.DictReader(open(tmp_path / "design.csv")))
    assert [r["baseline_trust"] for r in rows] == ["0.3", "0.3", "0.6", "0.6", "0.9", "0.9"]
    assert [r["control_intensity"] for r in rows] == ["0.1", "0.2"] * 3
    assert rows[0].keys() >= {"point", "label", "steps"}
    # never overwritten without --force
    r = tillit("check", tmp_path / "grid.yaml", "--design-csv", tmp_path / "design.csv")
    assert r.returncode == 2 and "--force" in r.stderr
    r = tillit("sweep", tmp_path / "grid.yaml", "-o", tmp_path / "g.h5", "--dry-run",
               "--design-csv", "-", check=True)
    assert r.stdout.startswith("point,label,baseline_trust,control_intensity,steps\n0,p0,0.3,0.1,60\n")
    assert "point 5    p5  baseline_trust=0.9, control_intensity=0.2" in r.stdout
    assert not (tmp_path / "g.h5").exists()


def test_design_csv_of_a_saltelli_design_has_blocks(tmp_path):
    r = tillit("check", SRC / "scenarios/research/regime-sobol.yaml", "--design-csv", tmp_path / "d.csv",
               check=True)
    assert "more points (all of them: --design-csv FILE)" in r.stdout
    rows = list(csv.DictReader(open(tmp_path / "d.csv")))
    assert len(rows) == 256 * 10 and {"design_block", "design_row", "mandate"} <= rows[0].keys()
    # control_intensity in [0, 0.6] scaled from dyadic Sobol' points: written as the short decimal
    assert "0.45" in {r["control_intensity"] for r in rows}


def read_csv(text):
    import pandas as pd
    return pd.read_csv(io.StringIO(text), float_precision="round_trip")


def test_table_rows_equal_the_runs_in_the_file(grid):
    r = tillit("table", grid / "grid.h5", "--csv", "-m", "quality_true,wait_mean", "--window", "last:20",
               "--stat", "mean,sd,last", check=True)
    t = read_csv(r.stdout)
    ds = xr.open_dataset(grid / "grid.h5", engine="h5netcdf")
    assert len(t) == ds.sizes["point"] * ds.sizes["replicate"]
    assert list(t.columns[:7]) == ["point", "label", "replicate", "seed", "status", "baseline_trust",
                                   "control_intensity"]
    assert (t.seed == 7).all() and (t.status == "ok").all()
    win = ds.sel(step=slice(41, 60))
    for m in ["quality_true", "wait_mean"]:
        want = win[m].mean("step").values.ravel()
        np.testing.assert_allclose(t[f"{m}_mean"], want, rtol=1e-12)
        np.testing.assert_allclose(t[f"{m}_sd"], win[m].std("step", ddof=1).values.ravel(), rtol=1e-9)
        np.testing.assert_array_equal(t[f"{m}_last"], ds[m].isel(step=-1).values.ravel())
    # exact design values: select by value
    assert len(t[t.baseline_trust == 0.6]) == 2 * 3
    # a window of steps A:B
    t2 = read_csv(tillit("table", grid / "grid.h5", "--csv", "-m", "quality_true", "-w", "1:10",
                         check=True).stdout)
    np.testing.assert_allclose(t2.quality_true_mean,
                               ds.quality_true.sel(step=slice(1, 10)).mean("step").values.ravel(), rtol=1e-12)
    ds.close()


def test_table_points_have_means_and_t_intervals(grid):
    from scipy import stats
    runs = read_csv(tillit("table", grid / "grid.h5", "--csv", "-m", "quality_true", check=True).stdout)
    pts = read_csv(tillit("table", grid / "grid.h5", "--csv", "-m", "quality_true", "--points",
                          check=True).stdout)
    assert len(pts) == 6 and (pts.n == 3).all()
    for p, g in runs.groupby("point"):
        x = g.quality_true_mean.values
        half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        row = pts[pts.point == p].iloc[0]
        assert row.quality_true_mean_mean == pytest.approx(x.mean(), rel=1e-12)
        assert row.quality_true_mean_ci_lo == pytest.approx(x.mean() - half, rel=1e-9)
        assert row.quality_true_mean_ci_hi == pytest.approx(x.mean() + half, rel=1e-9)


def test_table_text_output_and_file(grid, tmp_path):
    r = tillit("table", grid / "grid.h5", "-m", "quality_true", check=True)
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["point", "label", "replicate", "seed", "status", "baseline_trust",
                                "control_intensity", "quality_true_mean"]
    assert len(lines) == 1 + 18
    tillit("table", grid / "grid.h5", "--csv", "-o", tmp_path / "t.csv", check=True)
    t = read_csv((tmp_path / "t.csv").read_text())
    ds = xr.open_dataset(grid / "grid.h5", engine="h5netcdf")
    assert len(t.columns) == 5 + 2 + len(ds.attrs["metric_names"].split())
    ds.close()
    r = tillit("table", grid / "grid.h5", "--csv", "-o", tmp_path / "t.csv")
    assert r.returncode == 2 and "--force" in r.stderr


@pytest.mark.parametrize("args,needle", [
    (["-m", "qualty_true"], "did you mean 'quality_true'"),
    (["-w", "last:0"], "--window"),
    (["-w", "9:3"], "--window"),
    (["--stat", "median"], "--stat"),
])
def test_table_bad_options_get_one_clear_message(grid, args, needle):
    r = tillit("table", grid / "grid.h5", *args)
    assert r.returncode == 2 and needle in r.stderr and r.stdout == ""


def test_table_of_a_file_that_is_not_tillit_output(tmp_path):
    with h5py.File(tmp_path / "x.h5", "w") as f:
        f["a"] = [1, 2]
    r = tillit("table", tmp_path / "x.h5")
    assert r.returncode == 2 and "not a tillit output file" in r.stderr
    r = tillit("table", tmp_path / "missing.h5")
    assert r.returncode == 3 and "no such file" in r.stderr


def test_table_reads_a_sweep_in_progress_and_a_salvaged_file(tmp_path):
    import signal
    import time
    quick = SRC / "scenarios/examples/quick-sweep.yaml"
    ref = tmp_path / "ref.h5"
    tillit("sweep", quick, "-o", ref, "-q", "--progress", "none", "-j", "2", check=True)
    out = tmp_path / "live.h5"
    p = subprocess.Popen([BIN, "sweep", str(quick), "-o", str(out), "-q", "--progress", "none", "-j", "1"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = Path(str(out) + ".journal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not records(out):
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)  # as if still running: only the journal holds runs
    p.wait()
    assert not out.exists()
    r = tillit("table", out, "--csv", "-m", "quality_true,incidents", check=True)
    assert "journal" in r.stderr
    live = read_csv(r.stdout)
    full = read_csv(tillit("table", ref, "--csv", "-m", "quality_true,incidents", check=True).stdout)
    assert len(live) == len(full) == 36
    done = live.status == "ok"
    assert done.any() and (~done).any()
    assert (live.status[~done] == "not_run").all() and live.quality_true_mean[~done].isna().all()
    np.testing.assert_array_equal(live[done].quality_true_mean, full[done].quality_true_mean)
    np.testing.assert_array_equal(live[done].incidents_mean, full[done].incidents_mean)
    pd_cols = ["point", "label", "replicate", "seed", "control_intensity", "control_mode"]
    assert live[pd_cols].equals(full[pd_cols])
    # salvaged into a file marked incomplete, journal gone: the same table from the file
    tillit("sweep", quick, "-o", out, "--salvage", check=True)
    import shutil
    shutil.rmtree(journal)
    r = tillit("table", out, "--csv", "-m", "quality_true,incidents", check=True)
    assert "incomplete" in r.stderr
    assert read_csv(r.stdout).equals(live)


@pytest.mark.parametrize("path", sorted(str(p.relative_to(SRC)) for p in (SRC / "scenarios").rglob("*.yaml")))
def test_every_shipped_scenario_checks_and_lists_its_design(path, tmp_path):
    r = tillit("check", SRC / path, "--design-csv", tmp_path / "d.csv", check=True)
    assert ": valid" in r.stdout and "point 0" in r.stdout
    rows = list(csv.DictReader(open(tmp_path / "d.csv")))
    assert len(rows) >= 1 and rows[0]["point"] == "0"


def test_run_repeats_the_runs_of_an_output_file(grid, tmp_path):
    tillit("run", grid / "grid.h5", "-q", "-o", tmp_path / "again.h5", check=True)
    with h5py.File(grid / "grid.h5") as a, h5py.File(tmp_path / "again.h5") as b:
        np.testing.assert_array_equal(a["quality_true"][()], b["quality_true"][()])
        np.testing.assert_array_equal(a["baseline_trust"][()], b["baseline_trust"][()])
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["x"] = [1]
    r = tillit("run", tmp_path / "other.h5", "-o", tmp_path / "o.h5")
    assert r.returncode == 2 and "without a tillit scenario" in r.stderr
