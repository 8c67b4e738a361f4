"""End-to-end tests of the `tillit` command line and the files it writes.

Run by ctest (label `cli`) as: /usr/bin/python3 -m pytest tests/cli with
TILLIT_BIN pointing to the built program and TL_SOURCE_DIR to the source tree.
"""
import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
PRESETS = ["control-based", "trust-based", "balanced", "naive-trust", "zero-tolerance", "targeted-grants"]


def tillit(*args, cwd=None, check=False, timeout=600):
    r = subprocess.run([BIN, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"tillit {args} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_version_and_help():
    r = tillit("--version", check=True)
    assert r.stdout.startswith("tillit ") and "schema" in r.stdout
    assert "usage: tillit" in tillit("--help", check=True).stdout
    for cmd in ["run", "presets", "params", "metrics", "scenarios"]:
        r = tillit(cmd, "--help", check=True)
        assert f"tillit {cmd}" in r.stdout, cmd
    r = tillit("frobnicate")
    assert r.returncode == 2 and "unknown command" in r.stderr


def test_listings_have_units_and_descriptions():
    params = tillit("params", check=True).stdout
    assert "control_intensity" in params and "(lever)" in params
    metrics = tillit("metrics", check=True).stdout
    assert "quality_true" in metrics and "SEK" in metrics
    presets = tillit("presets", check=True).stdout
    for p in PRESETS:
        assert p in presets
    assert "march1991" in tillit("scenarios", check=True).stdout


@pytest.mark.parametrize("kind", ["params", "metrics", "presets"])
def test_generated_docs_match_the_tables(kind):
    """docs/parameters.md, docs/metrics.md and docs/presets.md are generated
    from the code's tables; regenerate them with scripts/gen-docs."""
    doc = {"params": "parameters.md", "metrics": "metrics.md", "presets": "presets.md"}[kind]
    out = tillit(kind, "--format", "md", check=True).stdout
    assert (SRC / "docs" / doc).read_text() == out, f"docs/{doc} drifted: run scripts/gen-docs"


def test_run_without_arguments_runs_the_default_and_says_where(tmp_path):
    r = tillit("run", "--progress", "none", cwd=tmp_path, check=True)
    path = tmp_path / "tillit-default-s1.h5"
    assert path.exists()
    assert f"wrote {path.name}" in r.stdout
    ds = xr.open_dataset(path, engine="h5netcdf")
    assert dict(ds.sizes) == {"point": 3, "replicate": 10, "step": 520}
    assert list(ds.point_label.values) == ["control-based", "balanced", "trust-based"]
    # a second run never overwrites: it picks a new name
    r2 = tillit("run", "-r", "1", "-t", "5", "--progress", "none", cwd=tmp_path, check=True)
    assert (tmp_path / "tillit-default-s1-2.h5").exists()
    assert "tillit-default-s1-2.h5" in r2.stdout


@pytest.mark.parametrize("preset", PRESETS)
def test_each_preset_opens_as_labelled_data(tmp_path, preset):
    out = tmp_path / f"{preset}.h5"
    tillit("run", "--preset", preset, "-r", "3", "-t", "60", "-o", out, "--progress", "none", check=True)
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert dict(ds.sizes) == {"point": 1, "replicate": 3, "step": 60}
    assert str(ds.point_label.values[0]) == preset
    assert "control_intensity" in ds.coords and "mandate" in ds.coords
    for name in ["quality_true", "quality_measured", "equal_gap", "cost", "incidents",
                 "motivation_mean", "safety_mean", "skill_mean", "time_documentation"]:
        assert name in ds.data_vars, name
        assert "units" in ds[name].attrs and ds[name].attrs["long_name"]
        assert np.isfinite(ds[name].values).any()
    assert int(ds.run_status.min()) == 1
    with h5py.File(out, "r") as f:
        for key in ["tillit_version", "git_revision", "schema_version", "command_line", "rng",
                    "master_seed", "scenario", "created"]:
            assert key in f.attrs, key
        assert preset in f.attrs["command_line"].decode() if isinstance(f.attrs["command_line"], bytes) else preset in f.attrs["command_line"]


def test_existing_file_is_never_overwritten_without_force(tmp_path):
    out = tmp_path / "a.h5"
    tillit("run", "-p", "balanced", "-r", "1", "-t", "10", "-o", out, "--progress", "none", check=True)
    before = digest(out)
    r = tillit("run", "-p", "control-based", "-r", "1", "-t", "10", "-o", out, "--progress", "none")
    assert r.returncode == 2 and "--force" in r.stderr
    assert digest(out) == before
    tillit("run", "-p", "control-based", "-r", "1", "-t", "10", "-o", out, "--force", "--progress", "none", check=True)
    assert digest(out) != before
    assert str(xr.open_dataset(out, engine="h5netcdf").point_label.values[0]) == "control-based"


def test_interrupted_run_leaves_nothing_behind(tmp_path):
    out = tmp_path / "big.h5"
    p = subprocess.Popen([BIN, "run", "-p", "balanced", "-r", "400", "-o", str(out), "--progress", "none"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130, err
    assert "interrupted" in err
    assert not out.exists()
    assert not Path(str(out) + ".part").exists()


def test_forced_rewrite_that_fails_keeps_the_old_file(tmp_path):
    out = tmp_path / "keep.h5"
    tillit("run", "-p", "balanced", "-r", "1", "-t", "10", "-o", out, "--progress", "none", check=True)
    before = digest(out)
    p = subprocess.Popen([BIN, "run", "-p", "balanced", "-r", "400", "-o", str(out), "--force", "--progress", "none"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=120)
    assert p.returncode == 130
    assert digest(out) == before


def test_unwritable_output_is_refused_before_running(tmp_path):
    r = tillit("run", "-p", "balanced", "-r", "1", "-t", "10", "-o", tmp_path / "no" / "such" / "dir.h5")
    assert r.returncode == 3
    assert "no/such" in r.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("args,needle", [
    (["--preset", "trust_based"], "did you mean 'trust-based'"),
    (["--set", "control_intensty=0.3"], "did you mean 'control_intensity'"),
    (["--set", "mandate=1.5"], "[0, 1]"),
    (["--set", "units=2.5"], "whole number"),
    (["--set", "mandate"], "KEY=VALUE"),
    (["--set", "units=500"], "units"),
    (["--replicates", "0"], "--replicates"),
    (["--steps", "abc"], "--steps"),
    (["--schedule", "mandate@9999=0.5"], "horizon"),
    (["--schedule", "employees@10=5"], "cannot change"),
    (["--schedule", "mandate=0.5"], "PARAM@STEP"),
    (["--snapshots", "600"], "outside the run"),
    (["no-such-scenario"], "neither a scenario file"),
    (["--progress", "loud"], "--progress"),
])
def test_bad_input_gets_one_clear_message_and_no_output(tmp_path, args, needle):
    out = tmp_path / "x.h5"
    r = tillit("run", *args, "-o", out, cwd=tmp_path)
    assert r.returncode == 2, (args, r.stderr)
    assert needle in r.stderr, (args, r.stderr)
    assert r.stderr.count("\n") <= 2, r.stderr
    assert list(tmp_path.iterdir()) == []


def test_same_seed_same_data_whatever_the_thread_count(tmp_path):
    a, b, c = tmp_path / "a.h5", tmp_path / "b.h5", tmp_path / "c.h5"
    common = ["run", "-r", "5", "-t", "40", "--seed", "77", "--progress", "none"]
    tillit(*common, "-j", "1", "-o", a, check=True)
    tillit(*common, "-j", "2", "-o", b, check=True)
    tillit("run", "-r", "5", "-t", "40", "--seed", "78", "--progress", "none", "-o", c, check=True)
    with h5py.File(a) as fa, h5py.File(b) as fb, h5py.File(c) as fc:
        names = [n for n in fa if isinstance(fa[n], h5py.Dataset) and fa[n].ndim == 3]
        assert "quality_true" in names
        for n in names:
            assert np.array_equal(fa[n][...], fb[n][...], equal_nan=True), n
        assert not np.array_equal(fa["quality_true"][...], fc["quality_true"][...], equal_nan=True)


def test_schedule_and_set_reach_the_run(tmp_path):
    out = tmp_path / "s.h5"
    tillit("run", "-p", "balanced", "-r", "2", "-t", "60", "--set", "targeted_grants=0",
           "--set", "trust_from_above=1", "--schedule", "control_intensity@30:10=0.5",
           "-o", out, "--progress", "none", check=True)
    ds = xr.open_dataset(out, engine="h5netcdf")
    ce = ds.control_effective.isel(point=0, replicate=0).values
    assert ce[28] == pytest.approx(0.15) and ce[39] == pytest.approx(0.5)
    assert float(ds.targeted_grants.values[0]) == 0


def test_snapshots_open_as_their_own_group(tmp_path):
    out = tmp_path / "snap.h5"
    tillit("run", "-p", "balanced", "-r", "2", "-t", "20", "--snapshots", "0,10,20",
           "-o", out, "--progress", "none", check=True)
    snap = xr.open_dataset(out, group="snapshots", engine="h5netcdf")
    assert list(snap.snapshot_step.values) == [0, 10, 20]
    assert snap.skill.sizes["employee"] == 200
    assert np.isfinite(snap.skill.values).all()


@pytest.mark.parametrize("on_demand", ["", "1"])
def test_snapshots_of_points_with_different_agents_are_refused_where_they_differ(tmp_path, on_demand):
    """Snapshots stack agents of every point: a design over the staff is refused
    with the file's line, the first unlike point and both sizes (points held or
    made on demand alike)."""
    scen = tmp_path / "staff.yaml"
    scen.write_text("name: staff\npreset: balanced\nrun: {steps: 4, replicates: 1, snapshots: [0, 4]}\n"
                    "sweep:\n  design: grid\n  parameters:\n    employees: [50, 50, 60]\n")
    env = dict(os.environ, TILLIT_TEST_POINTS_ON_DEMAND=on_demand) if on_demand else None
    r = subprocess.run([BIN, "check", str(scen)], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode != 0
    assert "staff.yaml:3:" in r.stderr and "agent snapshots need the same employees" in r.stderr
    assert "point 2 ('p2') has 60 and" in r.stderr and "point 0 ('p0') 50 and" in r.stderr, r.stderr


def test_json_progress_lines_for_batch_systems(tmp_path):
    r = tillit("run", "-r", "4", "-t", "30", "-o", tmp_path / "p.h5", "--progress", "json", check=True)
    import json
    lines = [json.loads(l) for l in r.stderr.splitlines() if l.startswith("{")]
    progress = [l for l in lines if l["event"] == "progress"]
    assert progress and progress[-1]["runs_done"] == progress[-1]["runs_total"] == 12
    assert lines[-1]["event"] == "done"


def test_scenario_file_runs(tmp_path):
    out = tmp_path / "m.h5"
    tillit("run", SRC / "tests/data/scenarios/minimal.yaml", "-t", "20", "-r", "1", "-o", out,
           "--progress", "none", check=True)
    assert xr.open_dataset(out, engine="h5netcdf").sizes["step"] == 20


def test_summaries_match_the_raw_data_also_when_a_point_spans_blocks(tmp_path):
    """70 replicates of 520 steps do not fit one 256 KiB block (63 do): the
    summary of such a point is computed at commit from the file."""
    out = tmp_path / "sum.h5"
    tillit("run", "-p", "balanced", "-r", "70", "-t", "520", "--set", "employees=40",
           "--set", "units=4", "--set", "citizens=2000", "-o", out, "--progress", "none", "-q",
           check=True)
    ds = xr.open_dataset(out, engine="h5netcdf")
    sm = xr.open_dataset(out, group="summary", engine="h5netcdf")
    for name in ["quality_true", "cost", "incidents"]:
        q = ds[name].values
        assert np.allclose(sm[name].sel(statistic="mean").values, np.nanmean(q, axis=1), equal_nan=True)
        assert np.allclose(sm[name].sel(statistic="sd").values, np.nanstd(q, axis=1, ddof=1), equal_nan=True)
        for s, qq in [("q05", 0.05), ("q50", 0.5), ("q95", 0.95)]:
            assert np.allclose(sm[name].sel(statistic=s).values, np.nanquantile(q, qq, axis=1), equal_nan=True)
