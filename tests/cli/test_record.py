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
    ds = ta.load(out)  # the journal holds time series even when the file will not
    runs = ta.to_runs(ds, metrics=["quality_true", "incidents"], stats=["mean", "last"])
    pd.testing.assert_frame_equal(runs[done], full[done], check_dtype=False)
