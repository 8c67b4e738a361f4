"""MPI sweeps (build with -DTILLIT_MPI=ON): the same data with 1, 2, 3 and 4 ranks
(oversubscribed on 2 cores), and as shards run over ranks and merged; a rank
killed mid-sweep, then --resume, gives the uninterrupted result. The same with
--rank-files (every rank its own shard file, joined by virtual datasets): 1, 2
and 4 ranks bit for bit equal to one process, and a killed rank resumed."""
import os
import signal
import sys
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

BIN = os.environ.get("TILLIT_BIN", "build-mpi/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SCEN = SRC / "bench/sweep-1000.yaml"
ARGS = [str(SCEN), "-r", "6", "-q", "--progress", "none"]
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--bind-to", "none"]
sys.path.insert(0, str(SRC / "tests" / "cli"))
from h5data import assert_same_data as assert_same  # noqa: E402


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    out = tmp_path_factory.mktemp("mpi") / "one.h5"
    subprocess.run([BIN, "sweep", *ARGS, "-o", str(out)], check=True, timeout=600)
    return out


@pytest.mark.parametrize("ranks", [1, 2, 3, 4])
def test_any_number_of_ranks_gives_identical_data(tmp_path, one_process, ranks):
    out = tmp_path / f"r{ranks}.h5"
    r = subprocess.run([*MPIRUN, "-n", str(ranks), BIN, "sweep", *ARGS, "-o", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert_same(out, one_process)
    # h5diff agrees on every metric dataset
    with h5py.File(out) as f:
        names = [n for n in f if isinstance(f[n], h5py.Dataset) and f[n].ndim == 3]
    for n in names[:10]:
        d = subprocess.run(["h5diff", str(out), str(one_process), f"/{n}", f"/{n}"], capture_output=True)
        assert d.returncode == 0, n


def test_progress_counts_every_rank_and_the_estimate_names_the_ranks(tmp_path):
    import json
    out = tmp_path / "p.h5"
    r = subprocess.run([*MPIRUN, "-n", "2", BIN, "sweep", str(SCEN), "-r", "2", "-o", str(out),
                        "--progress", "json"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    events = [json.loads(l) for l in r.stderr.splitlines() if l.startswith("{")]
    assert events[0]["event"] == "estimate" and events[0]["ranks"] == 2
    last = [e for e in events if e["event"] == "progress"][-1]
    assert last["runs_done"] == last["runs_total"] == 200
    assert 0 < last["write_s"] <= last["elapsed_s"]


def _rank_pids(mpirun_pid, rank):
    pids = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            env = (p / "environ").read_bytes().split(b"\0")
            cmd = (p / "cmdline").read_bytes()
        except OSError:
            continue
        if b"tillit" in cmd and f"OMPI_COMM_WORLD_RANK={rank}".encode() in env:
            pids.append(int(p.name))
    return pids


def test_a_rank_killed_mid_sweep_loses_only_its_runs_and_resume_completes(tmp_path, one_process):
    out = tmp_path / "k.h5"
    p = subprocess.Popen([*MPIRUN, "-n", "3", BIN, "sweep", *ARGS, "-o", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    victims = []
    deadline = time.time() + 30
    while not victims and time.time() < deadline:
        time.sleep(0.2)
        victims = _rank_pids(p.pid, 1)
    assert victims, "rank 1 not found"
    # kill once something is finished (a loaded machine starts slowly)
    log = Path(str(out) + ".journal") / "blocks.log"
    # more than the log's 16-byte head: a finished block appended
    deadline = time.time() + 120
    while time.time() < deadline and not (log.exists() and log.stat().st_size > 16):
        time.sleep(0.05)
    for v in victims:
        os.kill(v, signal.SIGKILL)
    p.communicate(timeout=120)
    assert p.returncode != 0
    assert log.stat().st_size > 16, "finished blocks were kept"
    assert not out.exists() or h5py.File(out)["run_status"][...].min() == 0
    r = subprocess.run([*MPIRUN, "-n", "2", BIN, "sweep", *ARGS, "-o", str(out), "--resume"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert_same(out, one_process)


def test_shards_over_ranks_merged_equal_one_process(tmp_path, one_process):
    parts = [tmp_path / "s-1.h5", tmp_path / "s-2.h5"]
    for k, (n, part) in enumerate(zip((2, 3), parts), 1):
        r = subprocess.run([*MPIRUN, "-n", str(n), BIN, "sweep", *ARGS, "--shard", f"{k}/2",
                            "-o", str(part)], capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
    r = subprocess.run([BIN, "merge", "-o", str(tmp_path / "m.h5"), *map(str, parts)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert_same(tmp_path / "m.h5", one_process)


# ---- --rank-files: every rank writes its own shard, rank 0 joins them virtually ----

def assert_bitwise(a, b):
    """Every dataset of b read through h5py (virtual ones through their shards) as in a."""
    with h5py.File(a) as fa, h5py.File(b) as fb:
        names = []
        fb.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
        ref = []
        fa.visititems(lambda n, o: ref.append(n) if isinstance(o, h5py.Dataset) else None)
        assert sorted(names) == sorted(ref)
        for n in names:
            x, y = fa[n][...], fb[n][...]
            assert x.dtype == y.dtype and x.shape == y.shape, n
            if x.dtype.kind == "f":
                assert x.tobytes() == y.tobytes(), n
            else:
                assert np.array_equal(x, y), n


@pytest.mark.parametrize("ranks", [1, 2, 4])
def test_rank_files_give_identical_data(tmp_path, one_process, ranks):
    out = tmp_path / f"rf{ranks}.h5"
    r = subprocess.run([*MPIRUN, "-n", str(ranks), BIN, "sweep", *ARGS, "--rank-files",
                        "-o", str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert f"virtual over the {ranks} rank files" in r.stdout
    files = sorted(Path(str(out) + ".ranks").iterdir())
    assert [f.name for f in files] == [f"shard-{k}-of-{ranks}.h5" for k in range(1, ranks + 1)]
    with h5py.File(out) as f:
        assert f["quality_true"].is_virtual and f.attrs["virtual_shards"] == ranks
    assert_bitwise(one_process, out)


def test_rank_files_with_two_threads_per_rank(tmp_path, one_process):
    out = tmp_path / "rft.h5"
    r = subprocess.run([*MPIRUN, "-n", "2", BIN, "sweep", *ARGS, "--rank-files", "-j", "2",
                        "-o", str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert_bitwise(one_process, out)


def test_rank_files_a_killed_rank_resumes(tmp_path, one_process):
    out = tmp_path / "rk.h5"
    p = subprocess.Popen([*MPIRUN, "-n", "3", BIN, "sweep", *ARGS, "--rank-files", "-o", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    victims = []
    deadline = time.time() + 30
    while not victims and time.time() < deadline:
        time.sleep(0.2)
        victims = _rank_pids(p.pid, 1)
    assert victims, "rank 1 not found"
    # rank 1 (shard 2 of 3) has finished a block of its own
    log = Path(str(out) + ".ranks") / "shard-2-of-3.h5.journal" / "blocks.log"
    deadline = time.time() + 120
    while time.time() < deadline and not (log.exists() and log.stat().st_size > 16):
        time.sleep(0.05)
    for v in victims:
        os.kill(v, signal.SIGKILL)
    p.communicate(timeout=120)
    assert p.returncode != 0
    assert log.stat().st_size > 16, "rank 1's finished blocks were kept"
    assert not out.exists()  # nothing joined from incomplete files
    # another number of ranks would run everything again: refused
    r = subprocess.run([*MPIRUN, "-n", "2", BIN, "sweep", *ARGS, "--rank-files", "-o", str(out),
                        "--resume"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 2 and "the same number of ranks" in r.stderr, r.stderr
    r = subprocess.run([*MPIRUN, "-n", "3", BIN, "sweep", *ARGS, "--rank-files", "-o", str(out),
                        "--resume"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert not log.parent.exists()  # the journal done with
    assert_bitwise(one_process, out)


def test_rank_files_refuse_an_existing_output_and_shard(tmp_path):
    out = tmp_path / "x.h5"
    out.write_bytes(b"keep")
    r = subprocess.run([*MPIRUN, "-n", "2", BIN, "sweep", *ARGS, "--rank-files", "-o", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 2 and "already exists" in r.stderr and out.read_bytes() == b"keep"
    r = subprocess.run([BIN, "sweep", *ARGS, "--rank-files", "--shard", "1/2", "-o", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 2 and "--rank-files or --shard" in r.stderr
