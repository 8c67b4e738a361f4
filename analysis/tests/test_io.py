"""The loader against raw h5py reads of files the engine wrote in this test run."""

import signal
import subprocess
import time
import warnings

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import tillit_analysis as ta
from tillit_analysis import io as tio

from conftest import SMALL_ORG, run_engine


def text(v):
    return v.decode("utf-8") if isinstance(v, (bytes, np.bytes_)) else str(v)


def raw(path):
    """Everything the checks need, read with plain h5py."""
    with h5py.File(path, "r") as f:
        metrics = text(f.attrs["metric_names"]).split()
        params = text(f.attrs["parameter_names"]).split()
        return {
            "attrs": {k: f.attrs[k] for k in f.attrs},
            "metrics": metrics,
            "params": params,
            "data": {m: f[m][()] for m in metrics},
            "mattrs": {m: {k: text(f[m].attrs[k]) for k in ("units", "long_name")}
                       for m in metrics},
            "pvalues": {p: f[p][()] for p in params},
            "punits": {p: text(f[p].attrs["units"]) for p in params},
            "status": f["run_status"][()],
            "labels": [text(x) for x in f["point_label"][()]],
            "step": f["step"][()],
            "design_variable": [text(x) for x in f["design_variable"][()]]
            if "design_variable" in f else None,
            "design_values": f["design_values"][()] if "design_values" in f else None,
        }


def test_default_file_shapes_labels_units_values(default_file):
    r = raw(default_file)
    ds = ta.load(default_file)
    assert isinstance(ds, xr.Dataset)
    npts, nrep, nstep = r["data"]["quality_true"].shape
    assert (npts, nrep, nstep) == (3, 3, 60)
    assert dict(ds.sizes)["point"] == npts and ds.sizes["replicate"] == nrep
    assert ds.sizes["step"] == nstep
    np.testing.assert_array_equal(ds["step"].values, r["step"])
    np.testing.assert_array_equal(ds["step"].values, np.arange(1, 61))
    assert list(ds["point_label"].values) == r["labels"] == ["control-based", "balanced",
                                                             "trust-based"]
    assert ta.metric_names(ds) == r["metrics"]
    assert len(r["metrics"]) > 50
    for m in r["metrics"]:
        assert ds[m].dims == ("point", "replicate", "step"), m
        assert ds[m].attrs["units"] == r["mattrs"][m]["units"], m
        assert ds[m].attrs["long_name"] == r["mattrs"][m]["long_name"], m
        assert np.array_equal(ds[m].values, r["data"][m], equal_nan=True), m
    assert ds["cost_per_case"].attrs["units"] == "SEK"
    assert ds["wait_mean"].attrs["units"] == "week"
    # parameters are coordinates along point, with units
    for p in r["params"]:
        assert p in ds.coords and ds[p].dims == ("point",), p
        np.testing.assert_array_equal(ds[p].values, r["pvalues"][p])
        assert ds[p].attrs["units"] == r["punits"][p]
    np.testing.assert_allclose(ds["control_intensity"].values, [0.3, 0.15, 0.05])
    assert ds["control_intensity"].attrs["parameter"] == "control_intensity"
    # provenance as str, not bytes
    for k in ("title", "tillit_version", "git_revision", "schema_version", "scenario",
              "metric_names", "rng", "created"):
        assert isinstance(ds.attrs[k], str), k
        assert ds.attrs[k] == text(r["attrs"][k]), k
    assert ds.attrs["schema_version"] == "1"
    assert int(ds.attrs["replicates"]) == 3
    assert ds["run_status"].dtype == np.int8
    np.testing.assert_array_equal(ds["run_status"].values, r["status"])
    assert set(ta.design_variables(ds)) == set(text(r["attrs"]["varied_parameters"]).split())


def test_loader_agrees_with_plain_xarray(default_file):
    plain = xr.open_dataset(default_file, engine="h5netcdf")
    ds = ta.load(default_file)
    for m in ("quality_true", "incidents", "cost_per_case"):
        xr.testing.assert_identical(ds[m].reset_coords(drop=True),
                                    plain[m].reset_coords(drop=True))
    plain.close()


def test_metric_subset_and_unknown_metric(default_file):
    ds = ta.load(default_file, metrics=["quality_true", "incidents"])
    assert ta.metric_names(ds) == ["quality_true", "incidents"]
    assert "run_status" in ds and "control_intensity" in ds.coords
    with pytest.raises(KeyError, match="quality_tru.*did you mean 'quality_true'"):
        ta.load(default_file, metrics=["quality_tru"])


def test_grid_sweep_parameters_as_coordinates(grid_file):
    r = raw(grid_file)
    ds = ta.load(grid_file)
    assert ds.sizes["point"] == 6 and ds.sizes["replicate"] == 2
    assert ta.design_variables(ds) == ["control_intensity", "control_mode"]
    assert r["design_variable"] == ["control_intensity", "control_mode"]
    np.testing.assert_allclose(ds["control_intensity"].values, [0.05, 0.05, 0.3, 0.3, 0.55, 0.55])
    np.testing.assert_allclose(ds["control_mode"].values, [0, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(ds["design_values"].values, r["design_values"])
    assert ds.attrs["design"] == "grid"
    # index by a parameter, as the docs say
    by = ds["quality_true"].swap_dims(point="control_intensity")
    assert by.dims[0] == "control_intensity"


def test_sobol_design_and_schedule_variable(sobol_file):
    r = raw(sobol_file)
    ds = ta.load(sobol_file)
    assert ds.attrs["design"] == "sobol-saltelli"
    assert int(ds.attrs["design_base"]) == 8
    assert ds.sizes["point"] == 8 * (3 + 2)
    assert ta.design_variables(ds) == ["baseline_trust", "mandate", "schedule_0_value"]
    # the schedule setting is not a parameter, but the loader makes it a coordinate
    k = r["design_variable"].index("schedule_0_value")
    np.testing.assert_array_equal(ds["schedule_0_value"].values, r["design_values"][:, k])
    assert ds["schedule_0_value"].attrs["schedule_parameter"] == "control_intensity"
    assert tio.schedule_parameters(ds) == ["control_intensity"]
    blocks = ds["design_block"].values
    assert sorted(set(blocks.tolist())) == [0, 1, 2, 3, 4]
    assert np.bincount(blocks).tolist() == [8] * 5


def test_tidy_frame(grid_file):
    ds = ta.load(grid_file)
    df = ta.load(grid_file, tidy=True)
    assert isinstance(df, pd.DataFrame)
    n = ds.sizes["point"] * ds.sizes["replicate"] * ds.sizes["step"]
    assert len(df) == n
    for col in ("point", "replicate", "step", "point_label", "control_intensity", "control_mode",
                "run_status", "quality_true", "incidents"):
        assert col in df.columns, col
    row = df[(df.point == 3) & (df.replicate == 1) & (df.step == 17)].iloc[0]
    assert row.quality_true == pytest.approx(float(ds.quality_true.values[3, 1, 16]))
    assert row.control_intensity == pytest.approx(0.3) and row.control_mode == 1
    assert row.point_label == "p3"
    long = ta.to_frame(ds, metrics=["quality_true", "cost"], long=True)
    assert len(long) == 2 * n and set(long.metric) == {"quality_true", "cost"}


def _edit_status(path, cells):
    with h5py.File(path, "r+") as f:
        st = f["run_status"][()]
        for (p, r), v in cells.items():
            st[p, r] = v
        f["run_status"][...] = st


def test_failed_and_not_run_runs_are_masked(default_file, copy_of):
    path = copy_of(default_file)
    _edit_status(path, {(0, 1): ta.RUN_FAILED, (2, 0): ta.RUN_NOT_RUN})
    r = raw(path)
    ds = ta.load(path)
    for m in ("quality_true", "incidents", "cost", "motivation_mean"):
        v = ds[m].values
        assert np.isnan(v[0, 1]).all() and np.isnan(v[2, 0]).all(), m
        assert not np.isnan(r["data"][m][0, 1]).all(), "the raw data are there"
        keep = np.ones(v.shape[:2], bool)
        keep[0, 1] = keep[2, 0] = False
        assert np.array_equal(v[keep], r["data"][m][keep], equal_nan=True), m
    assert ta.run_counts(ds) == {"ok": 7, "failed": 1, "not_run": 1}
    # statistics skip masked runs: the mean is over the remaining replicates, not zeros
    per_run = ta.late_mean(ds, "quality_true", 20)
    st = ta.replicate_stats(per_run)
    assert int(st["n"].values[0]) == 2
    expected = np.nanmean(r["data"]["quality_true"][0, [0, 2], -20:], axis=1).mean()
    assert float(st["mean"].values[0]) == pytest.approx(expected)
    assert float(st["mean"].values[0]) > 0.3
    # mask=False keeps what the file holds
    un = ta.load(path, mask=False)
    assert np.array_equal(un["quality_true"].values, r["data"]["quality_true"], equal_nan=True)
    # the tidy frame keeps the rows, with NaN and the status
    df = ta.to_frame(ds, metrics=["quality_true"])
    sub = df[(df.point == 0) & (df.replicate == 1)]
    assert len(sub) == 60 and sub.quality_true.isna().all() and (sub.run_status == 2).all()


def test_all_runs_of_a_point_masked(default_file, copy_of):
    path = copy_of(default_file)
    _edit_status(path, {(1, r): ta.RUN_NOT_RUN for r in range(3)})
    ds = ta.load(path)
    st = ta.replicate_stats(ta.late_mean(ds, "quality_true", 10))
    assert np.isnan(st["mean"].values[1]) and int(st["n"].values[1]) == 0
    assert np.isfinite(st["mean"].values[[0, 2]]).all()


def test_extra_groups_and_datasets_are_ignored(default_file, copy_of):
    path = copy_of(default_file)
    with h5py.File(path, "r+") as f:
        g = f.create_group("future_group")
        g.create_dataset("whatever", data=np.arange(5.0))
        f.attrs["some_new_attribute"] = np.bytes_("hello")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback needed
        ds = ta.load(path)
    assert "whatever" not in ds and "summary" not in ds
    assert ds.attrs["some_new_attribute"] == "hello"
    assert ds.quality_true.shape == (3, 3, 60)


def test_extra_dataset_without_scales_and_the_h5py_reader(default_file, copy_of):
    path = copy_of(default_file)
    with h5py.File(path, "r+") as f:  # an extra dataset with no dimension scales
        f.create_dataset("unscaled_extra", data=np.zeros((2, 7)))
    ref = ta.load(default_file)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = ta.load(path)
    assert "unscaled_extra" not in ds
    for m in ("quality_true", "incidents"):
        np.testing.assert_array_equal(ds[m].values, ref[m].values)
    assert list(ds.point_label.values) == list(ref.point_label.values)
    np.testing.assert_array_equal(ds.control_intensity.values, ref.control_intensity.values)
    assert ds.quality_true.attrs["units"] == "1"
    # the h5py reader on its own gives the same dataset
    direct = tio._finish(tio._read_h5py(default_file, None), True)
    for m in ta.metric_names(ref):
        np.testing.assert_array_equal(direct[m].values, ref[m].values)
    assert ta.metric_names(direct) == ta.metric_names(ref)


def _has_sweep(tillit):
    return subprocess.run([tillit, "sweep", "--help"], capture_output=True).returncode == 0


def test_running_or_killed_sweep_is_read_from_its_journal(tillit, tmp_path):
    """Kill a sweep after its first block; the journal's finished runs load, the rest are NaN."""
    if not _has_sweep(tillit):
        pytest.skip("this engine has no `tillit sweep`")
    yaml = tmp_path / "slow.yaml"
    yaml.write_text(f"""name: slow
preset: balanced
{SMALL_ORG}run: {{steps: 1500, replicates: 2, seed: 11}}
sweep:
  design: grid
  parameters:
    control_intensity: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
""")
    out = tmp_path / "slow.h5"
    jdir = tmp_path / "slow.h5.journal"
    proc = subprocess.Popen([tillit, "sweep", str(yaml), "-o", str(out), "-j", "1", "-q",
                             "--progress", "none"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            log = jdir / "blocks.log"
            if (jdir / "layout.h5").exists() and log.exists() and log.stat().st_size > 16:
                time.sleep(0.2)  # the first record's one write finished
                break
            time.sleep(0.02)
        if proc.poll() is not None:
            pytest.skip("the sweep finished before it could be killed")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert not out.exists() and jdir.is_dir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = ta.load(str(out))
    assert ds.attrs["complete"] == 0
    counts = ta.run_counts(ds)
    assert counts["ok"] >= 2 and counts["not_run"] >= 2
    done = ds.run_status.values == ta.RUN_OK
    assert np.isnan(ds.quality_true.values[~done]).all()
    assert np.isfinite(ds.quality_true.values[done]).all()
    # the finished runs equal those of an uninterrupted sweep (same seed)
    full = tmp_path / "full.h5"
    run_engine(tillit, ["run", str(yaml), "-q", "-o", str(full)])
    ref = raw(str(full))
    for m in ("quality_true", "incidents", "cost"):
        np.testing.assert_array_equal(ds[m].values[done], ref["data"][m][done])
    np.testing.assert_allclose(ds.control_intensity.values, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    # the journal directory itself is accepted too
    ds2 = ta.load(str(jdir))
    assert ta.run_counts(ds2) == counts
    # the journal's own blocks match its scenario's hash: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ta.load(str(jdir))
    # a block of another scenario (other hash) is skipped with a warning
    text = (jdir / "scenario.yaml").read_bytes()
    (jdir / "scenario.yaml").write_bytes(text.replace(b"seed: 11", b"seed: 12"))
    with pytest.warns(UserWarning, match="another scenario"):
        ds3 = ta.load(str(jdir))
    assert ta.run_counts(ds3)["ok"] == 0


def test_window_uses_each_points_horizon(tillit, tmp_path):
    yaml = tmp_path / "horizons.yaml"
    yaml.write_text(f"""name: horizons
preset: balanced
{SMALL_ORG}run: {{steps: 50, replicates: 2, seed: 1}}
points:
  - label: long
  - label: short
    run: {{steps: 30}}
""")
    path = str(tmp_path / "horizons.h5")
    run_engine(tillit, ["run", str(yaml), "-q", "-o", path])
    ds = ta.load(path)
    assert ds.sizes["step"] == 50
    assert np.isnan(ds.quality_true.values[1, :, 30:]).all()
    w = ta.window_mask(ds, 10)
    assert w.sel(point=0).values.nonzero()[0].tolist() == list(range(40, 50))
    assert w.sel(point=1).values.nonzero()[0].tolist() == list(range(20, 30))
    lm = ta.late_mean(ds, "quality_true", 10)
    expected = np.nanmean(ds.quality_true.values[1, :, 20:30], axis=1)
    np.testing.assert_allclose(lm.values[1], expected)
    assert np.isfinite(lm.values).all()


def test_thinned_float32_file_and_its_journal(tillit, tmp_path):
    """output: {every: K, dtype: float32}: the step coordinate holds the kept step
    numbers (K, 2K, ... and the last), windows select by them, values are float32,
    and a killed sweep's journal reads as the finished file will be."""
    yaml = tmp_path / "thin.yaml"
    yaml.write_text(f"""name: thin
preset: balanced
{SMALL_ORG}run: {{steps: 1500, replicates: 2, seed: 11}}
sweep:
  design: grid
  parameters:
    control_intensity: [0.1, 0.2, 0.3, 0.4]
""")
    full, thin = tmp_path / "full.h5", tmp_path / "thin.h5"
    run_engine(tillit, ["run", str(yaml), "-q", "-o", str(full)])
    run_engine(tillit, ["run", str(yaml), "-q", "-o", str(thin), "--record-every", "7", "--dtype", "float32"])
    ds, ref = ta.load(str(thin)), ta.load(str(full))
    kept = list(range(7, 1500, 7)) + [1500]
    assert ds.step.values.tolist() == kept and ds.attrs["record_every"] == 7
    assert ds.quality_true.dtype == np.float32
    np.testing.assert_array_equal(ds.quality_true.values,
                                  ref.quality_true.sel(step=kept).values.astype(np.float32))
    assert tio.horizon(ds).values.tolist() == [1500] * 4
    w = ta.window_mask(ds, 52)
    assert ds.step.values[w.sel(point=0).values].tolist() == list(range(1449, 1500, 7)) + [1500]
    runs = ta.to_runs(ds, metrics=["quality_true"], window=52, stats=("mean", "last"))
    x = ref.quality_true.sel(step=[s for s in kept if s > 1448]).values.astype(np.float32).astype(float)
    np.testing.assert_allclose(runs.quality_true_mean.values, x.mean(axis=2).ravel(), rtol=1e-12)
    np.testing.assert_array_equal(runs.quality_true_last.values, x[:, :, -1].ravel())
    assert set(ta.to_frame(ds, metrics=["quality_true"]).step.unique()) == set(kept)
    # a sweep killed after its first block: the journal holds the kept steps (float32), read as the file
    out = tmp_path / "live.h5"
    jdir = tmp_path / "live.h5.journal"
    proc = subprocess.Popen([tillit, "sweep", str(yaml), "-o", str(out), "-j", "1", "-q", "--progress", "none",
                             "--record-every", "7", "--dtype", "float32"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            log = jdir / "blocks.log"
            if (jdir / "layout.h5").exists() and log.exists() and log.stat().st_size > 16:
                time.sleep(0.2)
                break
            time.sleep(0.02)
        if proc.poll() is not None:
            pytest.skip("the sweep finished before it could be killed")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        live = ta.load(str(out))
    done = live.run_status.values == ta.RUN_OK
    assert done.any() and live.step.values.tolist() == kept
    np.testing.assert_array_equal(live.quality_true.values[done], ds.quality_true.values[done])
