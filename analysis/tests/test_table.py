"""The experiment table: to_runs / to_points agree with the data and with
`tillit table --csv` (the same columns, the same numbers)."""
import io
import subprocess

import h5py
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import tillit_analysis as ta


def cli_table(tillit, path, *args):
    r = subprocess.run([tillit, "table", path, "--csv", *args], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return pd.read_csv(io.StringIO(r.stdout), float_precision="round_trip", keep_default_na=True)


def test_to_runs_is_the_per_run_window_mean(grid_file):
    ds = ta.load(grid_file)
    runs = ta.to_runs(ds, metrics=["quality_true", "incidents"], window=20, stats=["mean", "max"])
    assert len(runs) == ds.sizes["point"] * ds.sizes["replicate"]
    assert list(runs.columns) == ["point", "label", "replicate", "seed", "status", "control_intensity",
                                  "control_mode", "quality_true_mean", "quality_true_max",
                                  "incidents_mean", "incidents_max"]
    want = ds.quality_true.sel(step=slice(41, 60)).mean("step").values.ravel()
    np.testing.assert_allclose(runs.quality_true_mean, want, rtol=1e-12)
    np.testing.assert_allclose(runs.incidents_max, ds.incidents.sel(step=slice(41, 60)).max("step").values.ravel())
    assert len(runs[runs.control_intensity == 0.3]) == 2 * 2


def test_to_points_means_and_intervals(grid_file):
    ds = ta.load(grid_file)
    runs = ta.to_runs(ds, metrics=["quality_true"])
    pts = ta.to_points(ds, metrics=["quality_true"])
    assert len(pts) == ds.sizes["point"] and (pts.n == 2).all()
    for p, g in runs.groupby("point"):
        x = g.quality_true_mean.values
        half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        row = pts.iloc[p]
        assert row.quality_true_mean_mean == pytest.approx(x.mean())
        assert row.quality_true_mean_ci_hi - row.quality_true_mean_ci_lo == pytest.approx(2 * half)


def test_toolkit_and_command_line_give_the_same_table(tillit, default_file, copy_of):
    # one failed run and one that never ran: both tables leave them out
    path = copy_of(default_file)
    with h5py.File(path, "r+") as f:
        st = f["run_status"][()]
        st[1, 0] = 2
        st[2, 2] = 0
        f["run_status"][...] = st
    ds = ta.load(path)
    args = dict(metrics=["quality_true", "cost_per_case"], window=26, stats=["mean", "sd", "last"])
    mine = ta.to_runs(ds, **args)
    cli = cli_table(tillit, path, "-m", "quality_true,cost_per_case", "-w", "last:26",
                    "--stat", "mean,sd,last")
    assert list(mine.columns) == list(cli.columns)
    assert list(mine.status) == list(cli.status)
    assert mine.loc[3, "status"] == "failed" and mine.quality_true_mean.isna().sum() == 2
    pd.testing.assert_frame_equal(mine.drop(columns="seed"), cli.drop(columns="seed"),
                                  check_dtype=False, rtol=1e-12)
    assert (cli.seed == int(ds.attrs["master_seed"])).all()
    pts = ta.to_points(ds, **args)
    cpts = cli_table(tillit, path, "-m", "quality_true,cost_per_case", "-w", "last:26",
                     "--stat", "mean,sd,last", "--points")
    pd.testing.assert_frame_equal(pts, cpts, check_dtype=False, rtol=1e-9)
    assert list(pts.n) == [3, 2, 2]


def test_unknown_statistic_and_metric(grid_file):
    ds = ta.load(grid_file)
    with pytest.raises(ValueError, match="unknown statistic"):
        ta.to_runs(ds, metrics=["quality_true"], stats=["median"])
    with pytest.raises(KeyError, match="did you mean"):
        ta.to_runs(ds, metrics=["qualty_true"])


def test_front_table_lists_every_point_with_its_levers_and_the_front(grid_file, tmp_path):
    from tillit_analysis import plots
    from tillit_analysis.cli import main

    ds = ta.load(grid_file)
    t = plots.front_table([ds], "cost_per_case", "quality_true", "incidents", window=26)
    assert len(t) == ds.sizes["point"]
    assert {"control_intensity", "control_mode", "cost_per_case_mean", "quality_true_ci_lo",
            "incidents_ci_hi", "on_front"} <= set(t.columns)
    pts = ta.to_points(ds, metrics=["cost_per_case", "quality_true"], window=26).set_index("point")
    for _, row in t.iterrows():
        assert row.quality_true_mean == pts.loc[row.point, "quality_true_mean_mean"]
    # the front: no other point is cheaper and better at once; front rows first
    front = t[t.on_front]
    assert len(front) >= 1 and t.on_front.iloc[:len(front)].all()
    for _, r in front.iterrows():
        assert not ((t.cost_per_case_mean <= r.cost_per_case_mean) & (t.quality_true_mean >= r.quality_true_mean)
                    & ((t.cost_per_case_mean < r.cost_per_case_mean) | (t.quality_true_mean > r.quality_true_mean))).any()
    for _, r in t[~t.on_front].iterrows():
        assert ((t.cost_per_case_mean <= r.cost_per_case_mean) & (t.quality_true_mean >= r.quality_true_mean)).sum() >= 2
    out, csv = tmp_path / "fr.png", tmp_path / "fr.csv"
    assert main(["frontier", grid_file, "-o", str(out), "--csv", str(csv), "-w", "26"]) == 0
    back = pd.read_csv(csv, float_precision="round_trip")
    back["condition"] = back["condition"].fillna("")  # "" (not crossed) reads back as NaN
    pd.testing.assert_frame_equal(back, t, check_dtype=False)
