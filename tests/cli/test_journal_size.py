"""The journal holds only what the output keeps (output.metrics, output.every,
time_series: false's window, dtype float32): its records are no larger than
that, a sweep killed and resumed writes the file bit for bit as one run
straight through in every output mode, a journal of the older format is
refused, and the estimate's journal_bytes is within 2x of the journal's peak."""
import json
import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from journal_log import REC, log_path, records

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(SRC / "analysis"))
QUICK = SRC / "scenarios/examples/quick-sweep.yaml"  # 9 points x 4 replicates x 260 steps


def tillit(*args, check=True, env=None):
    r = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=600, env=env)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def metric_count():
    """Metrics in the engine's table (every one is recorded by default)."""
    return len(json.loads(tillit("metrics", "--format", "json").stdout))


def killed(out, args):
    """A sweep killed with kill -9 once a block is in its journal (not yet
    all of them: the resume has runs left to do)."""
    p = subprocess.Popen([BIN, "sweep", str(QUICK), "-o", str(out), "-q", "--progress", "none",
                          "-j", "1", *map(str, args)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None and not records(out):
        time.sleep(0.01)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert p.returncode == -signal.SIGKILL, "finished before it could be killed"
    assert 0 < len(records(out)) < 9
    return records(out)


def heads(out):
    raw = log_path(out).read_bytes()
    return [dict(zip(("magic", "block", "point", "r0", "nrep", "steps", "nmetrics", "snap_floats",
                      "err_bytes", "hash", "kept_steps", "step_first", "step_every", "step_end",
                      "mask_lo", "mask_hi", "value_bytes", "payload_crc", "head_crc", "pad"),
                     REC.unpack_from(raw, at)), length=n) for at, n, _ in records(out)]


def file_bytes(path):
    """Every dataset's values as bytes (bit for bit), strings as text."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                v = obj[()]
                out[name] = (str(obj.dtype), v.tobytes() if obj.dtype.kind in "fiu" else repr(v))
        f.visititems(visit)
    return out


def test_a_summary_only_journal_of_2_metrics_holds_their_window_only(tmp_path):
    """Would fail before: every record held all (then 91) metrics x 260 steps
    as doubles (4 x 260 x 91 x 8 = 757 KB per block) whatever the output kept."""
    out = tmp_path / "s.h5"
    killed(out, ["--summary-only", "--record", "quality_true,incidents"])
    window = 52  # the default
    for h in heads(out):
        bound = REC.size + h["nrep"] * window * 2 * 8 + h["nrep"] + h["err_bytes"]
        assert h["length"] <= bound, (h, bound)
        assert (h["nmetrics"], h["kept_steps"], h["value_bytes"]) == (2, window, 8)
        assert (h["step_first"], h["step_every"], h["step_end"]) == (260 - window, 1, 260)
    assert log_path(out).stat().st_size <= 16 + 9 * (REC.size + 4 * (window * 2 * 8 + 2))


@pytest.mark.parametrize("mode", [
    [],
    ["--record", "quality_true,incidents"],
    ["--summary-only"],
    ["--summary-only", "--record", "quality_true,incidents", "--dtype", "float32"],
    ["--record-every", "4"],
    ["--record-every", "7", "--dtype", "float32", "--record", "wait_mean"],
], ids=["series", "record", "summary-only", "summary-only-record-f32", "every", "every-f32-record"])
def test_killed_and_resumed_equals_straight_bit_for_bit(tmp_path, mode):
    ref, out = tmp_path / "ref.h5", tmp_path / "k.h5"
    tillit("sweep", QUICK, "-o", ref, "-q", "--progress", "none", *mode)
    recs = killed(out, mode)
    h = heads(out)[0]
    nm = 2 if "quality_true,incidents" in mode else 1 if "wait_mean" in mode else metric_count()
    assert h["nmetrics"] == nm
    assert h["value_bytes"] == (4 if "float32" in mode and "--summary-only" not in mode else 8)
    if "--record-every" in mode:
        k = int(mode[mode.index("--record-every") + 1])
        assert h["kept_steps"] == (260 - 1) // k + 1
    tillit("sweep", QUICK, "-o", out, "-q", "--progress", "none", "--resume", *mode)
    assert len(recs) > 0 and not Path(str(out) + ".journal").exists()
    a, b = file_bytes(out), file_bytes(ref)
    assert sorted(a) == sorted(b)
    for k in a:
        assert a[k] == b[k], k


def test_a_journal_of_the_older_format_is_refused_saying_what_to_do(tmp_path):
    import tillit_analysis as ta
    out = tmp_path / "o.h5"
    killed(out, ["--record", "quality_true"])
    log = log_path(out)
    raw = bytearray(log.read_bytes())
    struct.pack_into("<I", raw, 8, 2)  # the log head's version
    log.write_bytes(bytes(raw))
    r = tillit("sweep", QUICK, "-o", out, "-q", "--resume", "--record", "quality_true", check=False)
    assert r.returncode == 2, r.stderr
    assert "older tillit (journal format 2" in r.stderr and "--force" in r.stderr, r.stderr
    with pytest.raises(ValueError, match="older tillit"):
        ta.load(out)
    tillit("sweep", QUICK, "-o", out, "-q", "--force", "--record", "quality_true")


def journal_peak(args, out):
    """Run the sweep; the largest its journal directory was seen (polled)."""
    p = subprocess.Popen([BIN, "sweep", *map(str, args), "-o", str(out), "-q", "--progress", "none"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    jdir, peak = Path(str(out) + ".journal"), 0
    while p.poll() is None:
        try:
            peak = max(peak, sum(f.stat().st_size for f in jdir.iterdir()))
        except OSError:  # made or removed meanwhile
            pass
        time.sleep(0.005)
    assert p.returncode == 0
    return peak


@pytest.mark.parametrize("args", [
    ["-r", "2", "-t", "52"],
    ["-r", "4", "-t", "104", "--summary-only", "--record", "quality_true,incidents"],
    ["-r", "2", "-t", "52", "--record-every", "4", "--dtype", "float32"],
], ids=["series", "summary-only-record", "every-f32"])
def test_the_estimate_of_the_journal_is_within_2x_of_its_peak(tmp_path, args):
    r = tillit("sweep", QUICK, *args, "-o", tmp_path / "o.h5", "--dry-run", "--progress", "json")
    est = next(json.loads(l) for l in r.stderr.splitlines() if l.startswith('{"event":"estimate"'))
    peak = journal_peak([QUICK, *args, "-j", "2"], tmp_path / "o.h5")
    assert peak > 0 and 0.5 <= est["journal_bytes"] / peak <= 2, (est["journal_bytes"], peak)
