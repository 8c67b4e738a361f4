"""Choosing what to record (issue 10, item 2): `output: {metrics: [...]}` in a
scenario or `--record A,B` stores only those metrics; readers find them by name."""
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import xarray as xr

from journal_log import records

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(SRC / "analysis"))

SC = """name: rec
preset: balanced
organisation: {units: 2, employees: 20, citizens: 400}
run: {steps: 52, replicates: 3, seed: 4}
output:
  metrics: [incidents, quality_true]
sweep:
  design: grid
  parameters:
    control_intensity: [0.1, 0.3]
"""


def tillit(*args, check=True):
    r = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=300)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def test_only_the_chosen_metrics_are_stored_and_read_back(tmp_path):
    (tmp_path / "rec.yaml").write_text(SC)
    tillit("run", tmp_path / "rec.yaml", "-q", "-o", tmp_path / "rec.h5")
    with h5py.File(tmp_path / "rec.h5") as f:
        assert f.attrs["metric_names"].decode() == "quality_true incidents"  # table order
        assert "wait_mean" not in f and "wait_mean" not in f["summary"]
        assert f["quality_true"].shape == (2, 3, 52) and f["summary/incidents"].shape == (2, 5, 52)
        assert len(f.attrs["run_metric_names"].decode().split()) > 2
        assert "output:\n  metrics: [quality_true, incidents]" in f.attrs["scenario"].decode()
    ds = xr.open_dataset(tmp_path / "rec.h5", engine="h5netcdf")
    assert set(ds.data_vars) >= {"quality_true", "incidents"} and "wait_mean" not in ds
    ds.close()
    # the same runs as when every metric is stored
    (tmp_path / "full.yaml").write_text(SC.replace("output:\n  metrics: [incidents, quality_true]\n", ""))
    tillit("run", tmp_path / "full.yaml", "-q", "-o", tmp_path / "full.h5")
    with h5py.File(tmp_path / "rec.h5") as a, h5py.File(tmp_path / "full.h5") as b:
        np.testing.assert_array_equal(a["quality_true"][()], b["quality_true"][()])
        np.testing.assert_array_equal(a["summary/incidents"][()], b["summary/incidents"][()])
    t = pd.read_csv(io.StringIO(tillit("table", tmp_path / "rec.h5", "--csv").stdout))
    assert [c for c in t.columns if c.endswith("_mean")] == ["quality_true_mean", "incidents_mean"]
    r = tillit("table", tmp_path / "rec.h5", "-m", "wait_mean", check=False)
    assert r.returncode == 2 and "no metric 'wait_mean'" in r.stderr
    # the resolved scenario written into the file keeps the choice
    with h5py.File(tmp_path / "rec.h5") as f:
        (tmp_path / "resolved.yaml").write_text(f.attrs["scenario"].decode())
    tillit("run", tmp_path / "resolved.yaml", "-q", "-o", tmp_path / "again.h5")
    with h5py.File(tmp_path / "again.h5") as a, h5py.File(tmp_path / "rec.h5") as b:
        assert a.attrs["metric_names"] == b.attrs["metric_names"]
        np.testing.assert_array_equal(a["incidents"][()], b["incidents"][()])


def test_record_option_estimate_and_errors(tmp_path):
    quick = SRC / "scenarios/examples/quick-sweep.yaml"
    full = tillit("sweep", quick, "-o", tmp_path / "q.h5", "--dry-run").stdout
    some = tillit("sweep", quick, "-o", tmp_path / "q.h5", "--dry-run", "--record", "quality_true,incidents").stdout
    assert "(2 metrics, summaries)" in some and "(2 metrics" not in full
    r = tillit("run", "--record", "quality_true,qualty_tru", "-o", tmp_path / "x.h5", check=False)
    assert r.returncode == 2 and "no metric 'qualty_tru' to record" in r.stderr
    assert not (tmp_path / "x.h5").exists()
    (tmp_path / "bad.yaml").write_text("output:\n  metrics: [quality_true, nonsense]\n")
    r = tillit("check", tmp_path / "bad.yaml", check=False)
    assert r.returncode == 2 and "bad.yaml:2:" in r.stderr and "nonsense" in r.stderr


def test_a_sweep_in_progress_with_a_choice_reads_from_its_journal(tmp_path):
    import tillit_analysis as ta
    quick = SRC / "scenarios/examples/quick-sweep.yaml"
    out = tmp_path / "live.h5"
    p = subprocess.Popen([BIN, "sweep", str(quick), "-o", str(out), "-q", "--progress", "none", "-j", "1",
                          "--record", "incidents,quality_true"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = Path(str(out) + ".journal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not records(out):
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait()
    live = pd.read_csv(io.StringIO(tillit("table", out, "--csv").stdout), float_precision="round_trip")
    done = live.status == "ok"
    assert done.any() and list(live.columns[-2:]) == ["quality_true_mean", "incidents_mean"]
    ds = ta.load(out)
    assert ta.metric_names(ds) == ["quality_true", "incidents"]
    runs = ta.to_runs(ds)
    np.testing.assert_allclose(runs.quality_true_mean[done], live.quality_true_mean[done], rtol=1e-12)


def test_summary_only_gives_the_same_run_table_as_the_time_series(tmp_path):
    import tillit_analysis as ta
    sc = SC.replace("output:\n  metrics: [incidents, quality_true]\n", "output: {time_series: false, window: 26}\n")
    (tmp_path / "so.yaml").write_text(sc)
    (tmp_path / "full.yaml").write_text(SC.replace("output:\n  metrics: [incidents, quality_true]\n", ""))
    env = dict(os.environ, TILLIT_TEST_FAIL_RUNS="1:2")  # one failed run in both files
    for name in ("so", "full"):
        r = subprocess.run([BIN, "run", str(tmp_path / f"{name}.yaml"), "-q", "-o", str(tmp_path / f"{name}.h5")],
                           capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 1, r.stderr  # 1: some runs failed
    with h5py.File(tmp_path / "so.h5") as f:
        assert "quality_true" not in f and "summary" not in f
        assert f["runs/quality_true"].shape == (2, 3, 6) and f["runs"].attrs["window"] == 26
        assert "time_series: false" in f.attrs["scenario"].decode()
    args = ["--csv", "-w", "last:26", "--stat", "mean,sd,min,max,last,sum"]
    a = tillit("table", tmp_path / "so.h5", *args).stdout
    b = tillit("table", tmp_path / "full.h5", *args).stdout
    assert a == b and ",failed," in a
    a = tillit("table", tmp_path / "so.h5", "--points", *args).stdout
    assert a == tillit("table", tmp_path / "full.h5", "--points", *args).stdout
    r = tillit("table", tmp_path / "so.h5", "-w", "last:52", check=False)
    assert r.returncode == 2 and "last:26" in r.stderr
    so, full = ta.load(str(tmp_path / "so.h5")), ta.load(str(tmp_path / "full.h5"))
    stats = ["mean", "sd", "min", "max", "last", "sum"]
    pd.testing.assert_frame_equal(ta.to_runs(so, window=26, stats=stats), ta.to_runs(full, window=26, stats=stats))
    assert (tmp_path / "so.h5").stat().st_size < (tmp_path / "full.h5").stat().st_size
    # the command-line switch, and its estimate
    r = tillit("run", tmp_path / "full.yaml", "--summary-only", "-q", "-o", tmp_path / "flag.h5", check=False)
    with h5py.File(tmp_path / "flag.h5") as f:
        assert "runs" in f and f["runs"].attrs["window"] == 52 and "quality_true" not in f
    quick = SRC / "scenarios/examples/quick-sweep.yaml"
    assert "per-run statistics only" in tillit("sweep", quick, "-o", tmp_path / "q.h5", "--dry-run",
                                                "--summary-only").stdout


def test_a_running_summary_only_sweep_reads_from_its_journal(tmp_path):
    import tillit_analysis as ta
    quick = SRC / "scenarios/examples/quick-sweep.yaml"
    ref, out = tmp_path / "ref.h5", tmp_path / "live.h5"
    tillit("sweep", quick, "-o", ref, "-q", "--progress", "none", "--summary-only")
    p = subprocess.Popen([BIN, "sweep", str(quick), "-o", str(out), "-q", "--progress", "none", "-j", "1",
                          "--summary-only"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = Path(str(out) + ".journal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not records(out):
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait()
    args = ["--csv", "-m", "quality_true,incidents", "--stat", "mean,last"]
    live = pd.read_csv(io.StringIO(tillit("table", out, *args).stdout), float_precision="round_trip")
    full = pd.read_csv(io.StringIO(tillit("table", ref, *args).stdout), float_precision="round_trip")
    done = live.status == "ok"
    assert done.any() and (~done).any()
    pd.testing.assert_frame_equal(live[done], full[done], check_dtype=False)
    ds = ta.load(out)  # the journal holds the window's steps, from which the file's statistics come
    runs = ta.to_runs(ds, metrics=["quality_true", "incidents"], stats=["mean", "last"])
    pd.testing.assert_frame_equal(runs[done], full[done], check_dtype=False)


# ---- how often (output: {every: K}, --record-every) and float32 (output: {dtype}) ----

EVERY = SC.replace("output:\n  metrics: [incidents, quality_true]\n", "").replace("steps: 52", "steps: 50")


def _run(tmp_path, name, *args, env=None, cmd="run"):
    (tmp_path / f"{name}.yaml").write_text(EVERY)
    r = subprocess.run([BIN, cmd, str(tmp_path / f"{name}.yaml"), "-q", "-o", str(tmp_path / f"{name}.h5"),
                        *map(str, args)], capture_output=True, text=True, env=env, timeout=300)
    return r


def test_every_k_steps_keeps_those_steps_and_the_last_with_unchanged_values_and_summaries(tmp_path):
    import tillit_analysis as ta
    assert _run(tmp_path, "full").returncode == 0
    assert _run(tmp_path, "k4", "--record-every", 4).returncode == 0
    want = [4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 50]  # every 4th, and always the last
    with h5py.File(tmp_path / "full.h5") as a, h5py.File(tmp_path / "k4.h5") as b:
        assert b.attrs["record_every"] == 4 and b.attrs["record_dtype"].decode() == "float64"
        assert a.attrs["record_every"] == 1
        assert list(b["step"][()]) == want and list(b["summary/step"][()]) == want
        idx = np.array(want) - 1
        for m in ("quality_true", "incidents", "wait_mean"):
            assert b[m].shape == (2, 3, len(want)) and b[m].dtype == np.float64
            np.testing.assert_array_equal(b[m][()], a[m][()][:, :, idx])
            np.testing.assert_array_equal(b[f"summary/{m}"][()], a[f"summary/{m}"][()][:, :, idx])
        assert "output:\n  every: 4\n" in b.attrs["scenario"].decode()
    # xarray selects by the real week
    ds = xr.open_dataset(tmp_path / "k4.h5", engine="h5netcdf")
    full = xr.open_dataset(tmp_path / "full.h5", engine="h5netcdf")
    np.testing.assert_array_equal(ds.quality_true.sel(step=48).values, full.quality_true.sel(step=48).values)
    ds.close()
    full.close()
    # a sweep (worker-prepared chunks, several threads) writes the same file
    assert _run(tmp_path, "sk4", "--record-every", 4, "-j", 2, cmd="sweep").returncode == 0
    with h5py.File(tmp_path / "k4.h5") as a, h5py.File(tmp_path / "sk4.h5") as b:
        for m in ("quality_true", "incidents"):
            np.testing.assert_array_equal(a[m][()], b[m][()])
            np.testing.assert_array_equal(a[f"summary/{m}"][()], b[f"summary/{m}"][()])
    # the run table of the thinned file is over the kept steps of the window, in C and Python alike
    args = ["--csv", "-w", "last:20", "--stat", "mean,last"]
    t = pd.read_csv(io.StringIO(tillit("table", tmp_path / "k4.h5", *args).stdout), float_precision="round_trip")
    runs = ta.to_runs(ta.load(str(tmp_path / "k4.h5")), metrics=["quality_true"], window=20, stats=["mean", "last"])
    np.testing.assert_allclose(t.quality_true_mean, runs.quality_true_mean, rtol=1e-12)
    with h5py.File(tmp_path / "full.h5") as a:
        x = a["quality_true"][()]
    np.testing.assert_allclose(t.quality_true_mean.values.reshape(2, 3), x[:, :, [31, 35, 39, 43, 47, 49]].mean(axis=2),
                               rtol=1e-12)
    np.testing.assert_array_equal(t.quality_true_last.values.reshape(2, 3), x[:, :, 49])
    # re-running the resolved scenario stored in the file reproduces it
    with h5py.File(tmp_path / "k4.h5") as f:
        (tmp_path / "again.yaml").write_text(f.attrs["scenario"].decode())
    tillit("run", tmp_path / "again.yaml", "-q", "-o", tmp_path / "again.h5")
    with h5py.File(tmp_path / "again.h5") as a, h5py.File(tmp_path / "k4.h5") as b:
        assert a.attrs["record_every"] == 4
        np.testing.assert_array_equal(a["incidents"][()], b["incidents"][()])


def test_summary_only_statistics_use_every_step_whatever_every_says(tmp_path):
    assert _run(tmp_path, "so", "--summary-only").returncode == 0
    assert _run(tmp_path, "sok", "--summary-only", "--record-every", 5).returncode == 0
    with h5py.File(tmp_path / "so.h5") as a, h5py.File(tmp_path / "sok.h5") as b:
        np.testing.assert_array_equal(a["runs/quality_true"][()], b["runs/quality_true"][()])


def test_float32_stores_the_values_cast_and_keeps_nan(tmp_path):
    import tillit_analysis as ta
    env = dict(os.environ, TILLIT_TEST_FAIL_RUNS="1:2")  # a failed run: NaN after it failed
    assert _run(tmp_path, "f64", env=env).returncode == 1
    assert _run(tmp_path, "f32", "--dtype", "float32", env=env).returncode == 1
    assert _run(tmp_path, "k32", "--dtype", "float32", "--record-every", 3, "-j", 2, env=env,
                cmd="sweep").returncode == 1
    with h5py.File(tmp_path / "f64.h5") as a, h5py.File(tmp_path / "f32.h5") as b, \
            h5py.File(tmp_path / "k32.h5") as c:
        assert b.attrs["record_dtype"].decode() == "float32" and c.attrs["record_every"] == 3
        nans = 0
        for m in ("quality_true", "incidents", "wait_mean", "motivation_mean"):
            assert b[m].dtype == np.float32 and b[m].id.get_type().get_size() == 4
            want = a[m][()].astype(np.float32)
            np.testing.assert_array_equal(b[m][()], want)  # NaN where NaN
            np.testing.assert_array_equal(c[m][()], want[:, :, list(range(2, 50, 3)) + [49]])
            nans += np.isnan(b[m][()]).sum()
            assert b[m].attrs["_FillValue"].dtype == np.float32
            assert b[f"summary/{m}"].dtype == np.float64
        assert nans > 0
    ds = ta.load(str(tmp_path / "k32.h5"))
    assert list(ds.step.values[-2:]) == [48, 50] and ds.quality_true.dtype == np.float32
    pts = ta.to_points(ds, metrics=["quality_true"], window=12)
    assert pts.filter(like="quality_true_mean").notna().all().all() and len(pts) == 2
    tillit("table", tmp_path / "k32.h5", "--csv")
    assert _run(tmp_path, "so32", "--dtype", "float32", "--summary-only", env=env).returncode == 1
    with h5py.File(tmp_path / "so32.h5") as f:
        assert f["runs/quality_true"].dtype == np.float32 and np.isnan(f["runs/quality_true"][1, 2]).all()


def test_every_and_dtype_refuse_bad_values(tmp_path):
    for bad, msg in (("0", "--record-every 0"), ("-2", "--record-every -2"), ("2.5", "--record-every 2.5"),
                     ("x", "--record-every x")):
        r = _run(tmp_path, "bad", "--record-every", bad)
        assert r.returncode == 2 and msg in r.stderr, r.stderr
    r = _run(tmp_path, "bad", "--record-every", 51)
    assert r.returncode == 2 and "--record-every 51:" in r.stderr and "[1, 50]" in r.stderr, r.stderr
    assert "output.every" not in r.stderr
    r = _run(tmp_path, "bad", "--dtype", "float16")
    assert r.returncode == 2 and "--dtype float16" in r.stderr and "float32" in r.stderr
    for text, msg in (("every: 0", "output.every"), ("every: 1.5", "output.every"), ("every: many", "output.every"),
                      ("every: 60", "output.every = 60"), ("dtype: half", "output.dtype = 'half'")):
        (tmp_path / "b.yaml").write_text(EVERY + f"output:\n  {text}\n")
        r = tillit("check", tmp_path / "b.yaml", check=False)
        assert r.returncode == 2 and msg in r.stderr, (text, r.stderr)
    assert not (tmp_path / "bad.h5").exists()
    (tmp_path / "ok.yaml").write_text(EVERY + "output:\n  every: 50\n  dtype: float32\n")
    tillit("run", tmp_path / "ok.yaml", "-q", "-o", tmp_path / "ok.h5")
    with h5py.File(tmp_path / "ok.h5") as f:  # every: steps keeps the last step only
        assert list(f["step"][()]) == [50] and f["incidents"].dtype == np.float32


def test_resume_with_another_every_is_refused(tmp_path):
    (tmp_path / "s.yaml").write_text(EVERY)
    out = tmp_path / "s.h5"
    env = dict(os.environ, TILLIT_TEST_SIGNAL_AT="writer")
    r = subprocess.run([BIN, "sweep", str(tmp_path / "s.yaml"), "-q", "-o", str(out), "--record-every", "4"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode != 0 and Path(str(out) + ".journal").is_dir(), r.stderr
    r = tillit("sweep", tmp_path / "s.yaml", "-q", "-o", out, "--resume", "--record-every", "5", check=False)
    assert r.returncode == 2 and "scenario changed" in r.stderr and "every: 4" in r.stderr, r.stderr
    r = tillit("sweep", tmp_path / "s.yaml", "-q", "-o", out, "--resume", "--record-every", "4", "--dtype",
               "float32", check=False)
    assert r.returncode == 2 and "scenario changed" in r.stderr, r.stderr
    tillit("sweep", tmp_path / "s.yaml", "-q", "-o", out, "--resume", "--record-every", "4")
    with h5py.File(out) as f:
        assert f.attrs["record_every"] == 4 and f["quality_true"].shape == (2, 3, 13)


def test_the_estimate_counts_every_and_dtype(tmp_path):
    import json

    def estimate(*args):
        r = tillit("sweep", tmp_path / "big.yaml", "-o", tmp_path / "e.h5", "--dry-run", "--progress", "json", *args)
        ev = [json.loads(line) for line in (r.stdout + r.stderr).splitlines() if line.startswith("{")]
        return next(e for e in ev if e["event"] == "estimate")

    (tmp_path / "big.yaml").write_text(EVERY.replace("replicates: 3", "replicates: 200").replace(
        "steps: 50", "steps: 520").replace("[0.1, 0.3]", "[0.1, 0.2, 0.3, 0.4]"))
    full, small = estimate(), estimate("--record-every", "4", "--dtype", "float32")
    data = lambda e: e["output_bytes"] - e["layout_bytes"]  # noqa: E731
    assert 0.1 < data(small) / data(full) < 0.15  # about 1/8
    assert small["output_bytes_max"] < full["output_bytes_max"] / 4
    text = tillit("sweep", tmp_path / "big.yaml", "-o", tmp_path / "e.h5", "--dry-run", "--record-every", "4",
                  "--dtype", "float32").stdout
    assert "every 4th step, float32" in text
    # within a factor 2 of the file written, for a small sweep
    est = estimate("--record-every", "4", "--dtype", "float32", "-r", "10", "-t", "104")
    tillit("sweep", tmp_path / "big.yaml", "-q", "-o", tmp_path / "s.h5", "--record-every", "4", "--dtype", "float32",
           "-r", "10", "-t", "104")
    size = (tmp_path / "s.h5").stat().st_size
    assert size / 2 < est["output_bytes"] < size * 2, (est["output_bytes"], size)


def test_a_running_thinned_float32_sweep_tables_as_its_finished_file(tmp_path):
    quick = SRC / "scenarios/examples/quick-sweep.yaml"
    ref, out = tmp_path / "ref.h5", tmp_path / "live.h5"
    opts = ["--record-every", "4", "--dtype", "float32"]
    tillit("sweep", quick, "-o", ref, "-q", "--progress", "none", *opts)
    p = subprocess.Popen([BIN, "sweep", str(quick), "-o", str(out), "-q", "--progress", "none", "-j", "1", *opts],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not records(out):
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait()
    args = ["--csv", "-m", "quality_true,incidents", "--stat", "mean,sd,last,sum", "-w", "last:30"]
    live = pd.read_csv(io.StringIO(tillit("table", out, *args).stdout), float_precision="round_trip")
    full = pd.read_csv(io.StringIO(tillit("table", ref, *args).stdout), float_precision="round_trip")
    done = live.status == "ok"
    assert done.any() and (~done).any()
    pd.testing.assert_frame_equal(live[done], full[done], check_dtype=False)


def test_thinned_float32_files_are_identical_for_any_thread_count(tmp_path):
    def data(path):
        out = {}
        with h5py.File(path) as f:
            f.visititems(lambda n, o: out.__setitem__(n, o[()]) if isinstance(o, h5py.Dataset)
                         and o.dtype.kind == "f" else None)
        return out
    for j in (1, 2):
        assert _run(tmp_path, f"j{j}", "--record-every", 3, "--dtype", "float32", "-j", j, cmd="sweep").returncode == 0
    a, b = data(tmp_path / "j1.h5"), data(tmp_path / "j2.h5")
    assert sorted(a) == sorted(b) and "summary/quality_true" in a
    for k in a:
        assert np.array_equal(a[k], b[k], equal_nan=True), k


def test_thinned_float32_shards_merge_into_the_one_sweep_file_and_rerun_from_it(tmp_path):
    opts = ["--record-every", "4", "--dtype", "float32"]
    assert _run(tmp_path, "one", *opts, cmd="sweep").returncode == 0
    for k in (1, 2):
        r = subprocess.run([BIN, "sweep", str(tmp_path / "one.yaml"), "-q", "--shard", f"{k}/2", "-o",
                            str(tmp_path / f"s{k}.h5"), *opts], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    tillit("merge", "-o", tmp_path / "m.h5", tmp_path / "s1.h5", tmp_path / "s2.h5")
    tillit("run", tmp_path / "one.h5", "-q", "-o", tmp_path / "again.h5")  # the scenario stored in the file
    with h5py.File(tmp_path / "one.h5") as a, h5py.File(tmp_path / "m.h5") as b, \
            h5py.File(tmp_path / "again.h5") as c:
        for m in ("quality_true", "incidents", "summary/quality_true"):
            np.testing.assert_array_equal(a[m][()], b[m][()])
            np.testing.assert_array_equal(a[m][()], c[m][()])
        assert c.attrs["record_every"] == 4 and c["incidents"].dtype == np.float32
