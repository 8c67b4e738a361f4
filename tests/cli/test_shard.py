"""Job arrays: `tillit sweep --shard K/N` and `tillit merge`. N shards merged equal
one sweep bit for bit (data, summaries, attributes but command_line and created);
the merge refuses shards that do not belong together or are unfinished; a shard
killed with SIGKILL resumes; bad --shard values are clear errors. Tiny scenarios:
the whole file runs in a few seconds."""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from journal_log import records

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
QUICK = SRC / "scenarios/examples/quick-sweep.yaml"
MINIMAL = SRC / "tests/data/scenarios/minimal.yaml"
TINY_ORG = ["--set", "units=1", "--set", "employees=4", "--set", "citizens=100"]
# 9 points x 3 replicates x 30 steps: one block per point
TINY = [str(QUICK), "-r", "3", "-t", "30", *TINY_ORG, "-q", "--progress", "none"]
# 1 point x 21 replicates x 3000 steps: blocks of 10 replicates, 3 blocks in the point
MULTI = [str(MINIMAL), "-r", "21", "-t", "3000", *TINY_ORG, "--record", "quality_true,wait_mean",
         "-q", "--progress", "none"]
# not in the comparison: when and by which command the file was written; the
# dimension-scale back references are HDF5 object addresses
IGNORED_ATTRS = {"command_line", "created", "REFERENCE_LIST", "DIMENSION_LIST"}
# a virtual join says where its runs are
VIRTUAL_ATTRS = {"virtual_shards", "virtual_shard_first"}


def tillit(*args, check=False, **kw):
    r = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=600, **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"tillit {args} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def contents(path, ignored=()):
    """Every dataset's values and every object's attributes, by name."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            attrs = {k: v for k, v in obj.attrs.items() if k not in IGNORED_ATTRS | set(ignored)}
            out[name + "@attrs"] = repr(sorted((k, repr(v)) for k, v in attrs.items()))
            if isinstance(obj, h5py.Dataset):
                out[name] = (obj.dtype.str, obj.shape, obj[...])
        visit("/", f)
        f.visititems(visit)
    return out


def assert_identical(a, b, ignored=()):
    ca, cb = contents(a, ignored), contents(b, ignored)
    assert sorted(ca) == sorted(cb)
    for k, va in ca.items():
        vb = cb[k]
        if isinstance(va, tuple):
            assert va[:2] == vb[:2], k
            x, y = va[2], vb[2]
            if x.dtype.kind == "f":  # bit for bit, NaN included
                assert x.tobytes() == y.tobytes(), k
            else:
                assert np.array_equal(x, y), k
        else:
            assert va == vb, k


def sweep_and_shards(d, args, n):
    single = d / "single.h5"
    tillit("sweep", *args, "-o", single, check=True)
    parts = [d / f"part-{k}.h5" for k in range(1, n + 1)]
    for k, p in enumerate(parts, 1):
        tillit("sweep", *args, "--shard", f"{k}/{n}", "-o", p, check=True)
    return single, parts


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    return sweep_and_shards(d, TINY, 3)


def test_three_shards_merged_equal_one_sweep(tiny, tmp_path):
    single, parts = tiny
    out = tmp_path / "merged.h5"
    # any order
    r = tillit("merge", "-o", out, parts[2], parts[0], parts[1], check=True)
    assert "merged 3 shards" in r.stdout
    assert_identical(out, single)
    with h5py.File(out) as f:
        assert f.attrs["complete"] == 1 and "shard_index" not in f.attrs
    with h5py.File(parts[1]) as f:  # a shard says which it is, and holds only its runs
        assert f.attrs["shard_index"] == 2 and f.attrs["shard_count"] == 3
        assert set(np.unique(f["run_status"][...])) == {0, 1}


@pytest.mark.parametrize("extra", [["--summary-only"], ["--snapshots", "0,20", "--record", "quality_true"]],
                         ids=["summary-only", "snapshots"])
def test_shards_of_other_outputs_merge_equal(tmp_path, extra):
    single, parts = sweep_and_shards(tmp_path, [*TINY, *extra], 2)
    tillit("merge", "-o", tmp_path / "m.h5", *parts, check=True)
    assert_identical(tmp_path / "m.h5", single)


def test_blocks_of_one_point_in_several_shards(tmp_path):
    """Summaries of a point whose replicates came from three shards."""
    single, parts = sweep_and_shards(tmp_path, MULTI, 3)
    tillit("merge", "-o", tmp_path / "m.h5", *parts, check=True)
    assert_identical(tmp_path / "m.h5", single)


def refused(tmp_path, *files, words=(), virtual=False):
    out = tmp_path / "refused.h5"
    r = tillit("merge", *(["--virtual"] if virtual else []), "-o", out, *files)
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr  # one line
    for w in words:
        assert w in r.stderr, r.stderr
    assert not out.exists() and not Path(str(out) + ".part").exists()
    return r.stderr


def test_merge_refuses_a_shard_of_another_scenario(tiny, tmp_path):
    single, parts = tiny
    other = tmp_path / "other-3.h5"
    tillit("sweep", *TINY, "-s", "7", "--shard", "3/3", "-o", other, check=True)
    refused(tmp_path, parts[0], parts[1], other, words=[str(other), "another scenario"])


def test_merge_compares_shards_by_their_scenario_hash_or_text(tiny, tmp_path):
    """Shards are compared by the root attribute scenario_hash (and the text's
    length), not by reading every shard's text; a shard without the hash (an
    older build's) is compared by its text."""
    single, parts = tiny
    copies = [tmp_path / p.name for p in parts]
    for p, c in zip(parts, copies):
        shutil.copy(p, c)
    with h5py.File(copies[1], "r+") as f:
        assert f.attrs["scenario_hash"] != 0
        del f.attrs["scenario_hash"]  # as an older build wrote it: the text decides
    out = tmp_path / "m.h5"
    tillit("merge", "-o", out, *copies, check=True)
    assert_identical(out, single)
    with h5py.File(copies[2], "r+") as f:  # the hash is what is compared
        f.attrs.modify("scenario_hash", np.uint64(int(f.attrs["scenario_hash"]) ^ 1))
    refused(tmp_path, *copies, words=[str(copies[2]), "another scenario"])


def test_merge_refuses_a_missing_or_duplicate_shard(tiny, tmp_path):
    single, parts = tiny
    refused(tmp_path, parts[0], parts[2], words=["shard 2/3 is missing"])
    refused(tmp_path, parts[0], parts[1], parts[2], parts[1], words=[str(parts[1]), "both shard 2/3"])


def test_merge_refuses_a_shard_of_another_split_or_no_shard(tiny, tmp_path):
    single, parts = tiny
    half = tmp_path / "half-1.h5"
    tillit("sweep", *TINY, "--shard", "1/2", "-o", half, check=True)
    refused(tmp_path, parts[0], half, words=[str(half), "of 2"])
    refused(tmp_path, single, parts[1], words=[str(single), "not a shard"])


def test_merge_refuses_incomplete_shards(tiny, tmp_path):
    single, parts = tiny
    d = tmp_path / "inc"
    d.mkdir()
    copies = [d / p.name for p in parts]
    for p, c in zip(parts, copies):
        shutil.copy(p, c)
    journal = Path(str(copies[1]) + ".journal")
    journal.mkdir()  # its sweep was stopped: the journal is still there
    refused(tmp_path, *copies, words=[str(copies[1]), "incomplete", "--resume"])
    journal.rmdir()
    part = Path(str(copies[2]) + ".part")
    part.write_bytes(b"")  # still being written
    refused(tmp_path, *copies, words=[str(copies[2]), "incomplete"])
    part.unlink()
    # an interrupted shard written out for reading (complete = 0)
    stopped = d / "stopped.h5"
    env = dict(os.environ, TILLIT_TEST_SIGNAL_AT="replay")
    r = tillit("sweep", *TINY, "--shard", "2/3", "-o", stopped, env=env)
    assert r.returncode == 130, r.stderr
    shutil.rmtree(str(stopped) + ".journal", ignore_errors=True)
    if stopped.exists():
        refused(tmp_path, copies[0], stopped, copies[2], words=[str(stopped), "incomplete"])


def test_merge_never_replaces_a_file_or_a_shard(tiny, tmp_path):
    single, parts = tiny
    out = tmp_path / "exists.h5"
    out.write_bytes(b"keep")
    r = tillit("merge", "-o", out, *parts)
    assert r.returncode == 2 and "already exists" in r.stderr and out.read_bytes() == b"keep"
    r = tillit("merge", "-o", parts[0], *parts, "-f")
    assert r.returncode == 2 and "one of the shards" in r.stderr


@pytest.mark.parametrize("bad", ["0/3", "4/3", "x/y", "1/0", "3", "1.5/3", "-1/3"])
def test_bad_shard_values_are_clear_errors(tmp_path, bad):
    r = tillit("sweep", *TINY, "--shard", bad, "-o", tmp_path / "x.h5")
    assert r.returncode == 2
    assert f"--shard {bad}" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not list(tmp_path.iterdir())


def test_shard_belongs_to_sweep(tmp_path):
    r = tillit("run", *TINY, "--shard", "1/2", "-o", tmp_path / "x.h5")
    assert r.returncode == 2 and "--shard belongs to `tillit sweep`" in r.stderr


def test_kill_9_of_a_shard_then_resume_and_merge_equal_one_sweep(tmp_path):
    args = [str(QUICK), "-r", "6", "-j", "1", "-q", "--progress", "none"]
    single, parts = tmp_path / "single.h5", [tmp_path / "p-1.h5", tmp_path / "p-2.h5"]
    tillit("sweep", *args, "--shard", "2/2", "-o", parts[1], check=True)
    p = subprocess.Popen([BIN, "sweep", *args, "--shard", "1/2", "-o", str(parts[0])],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    journal = Path(str(parts[0]) + ".journal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None and not records(parts[0]):
        time.sleep(0.02)
    killed = p.poll() is None
    p.send_signal(signal.SIGKILL)
    p.wait()
    if killed and not parts[0].exists():
        # unfinished: the merge refuses it until it is resumed
        refused(tmp_path, *parts, words=[str(parts[0]), "incomplete"])
        # what the journal holds, written out for reading: a shard marked incomplete
        r = tillit("sweep", *args, "--shard", "1/2", "-o", parts[0], "--salvage")
        assert r.returncode == 0, r.stderr
        salvaged = tmp_path / "salvaged.h5"
        shutil.copy(parts[0], salvaged)
        refused(tmp_path, salvaged, parts[1], words=[str(salvaged), "(1/2) is incomplete"])
        r = tillit("sweep", *args, "--shard", "1/2", "-o", parts[0], "--resume")
        assert r.returncode == 0, r.stderr
    tillit("merge", "-o", tmp_path / "m.h5", *parts, check=True)
    tillit("sweep", *args, "-o", single, check=True)
    assert_identical(tmp_path / "m.h5", single)


def test_resume_as_another_shard_is_refused(tmp_path):
    out = tmp_path / "p.h5"
    env = dict(os.environ, TILLIT_TEST_SIGNAL_AT="replay")
    r = tillit("sweep", *TINY, "--shard", "1/3", "-o", out, env=env)
    assert r.returncode == 130
    r = tillit("sweep", *TINY, "--shard", "2/3", "-o", out, "--resume")
    assert r.returncode == 2 and "shard" in r.stderr, r.stderr


# ---- merge --virtual: the runs stay in the shards, mapped by virtual datasets ----

def virtual_join(out, parts):
    r = tillit("merge", "--virtual", "-o", out, *parts, check=True)
    assert f"virtual over {len(parts)} shards" in r.stdout
    assert_identical(out, parts_single(parts), ignored=VIRTUAL_ATTRS)
    with h5py.File(out) as f:
        assert f.attrs["virtual_shards"] == len(parts)
        names = [n for n in ("quality_true", "runs/quality_true") if n in f]
        assert names and all(f[n].is_virtual for n in names + ["run_status", "run_error"])
        # one mapping per shard (and block of a point), never one per block
        bpp = 1 if f["replicate"].shape[0] <= 315 else None
        if bpp:
            assert len(f[names[0]].virtual_sources()) == len(parts)
    return out


def parts_single(parts):
    return Path(parts[0]).parent / "single.h5"


@pytest.mark.parametrize("extra", [[], ["--summary-only"], ["--snapshots", "0,20", "--record", "quality_true"]],
                         ids=["series", "summary-only", "snapshots"])
def test_virtual_join_equals_one_sweep(tmp_path, extra):
    single, parts = sweep_and_shards(tmp_path, [*TINY, *extra], 3)
    out = tmp_path / "joined" / "v.h5"
    out.parent.mkdir()
    virtual_join(out, list(reversed(parts)))  # any order
    # the file is small: metadata, no runs
    assert out.stat().st_size < single.stat().st_size
    # tillit's own reader (HDF5 C) reads through the mappings too
    tables = [tillit("table", f, "--csv", "-m", "quality_true", check=True).stdout for f in (out, single)]
    assert tables[0] == tables[1] and len(tables[0].splitlines()) > 1


def test_virtual_join_of_points_split_between_shards(tmp_path):
    """Points of three blocks in three shards: summaries computed at the join."""
    single, parts = sweep_and_shards(tmp_path, MULTI, 3)
    out = virtual_join(tmp_path / "v.h5", parts)
    with h5py.File(out) as f:
        assert len(f["quality_true"].virtual_sources()) == 3
        assert not f["summary/quality_true"].is_virtual


def test_virtual_join_opens_from_another_directory(tiny, tmp_path):
    single, parts = tiny
    out = tmp_path / "v.h5"
    tillit("merge", "--virtual", "-o", out, *parts, check=True)
    # the shard files are named relative to v.h5, not to where merge ran
    with h5py.File(out) as f:
        assert not os.path.isabs(f["quality_true"].virtual_sources()[0].file_name)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import sys, h5py, numpy, xarray as xr\n"
            "f = h5py.File(sys.argv[1]); s = h5py.File(sys.argv[2])\n"
            "assert f['quality_true'][...].tobytes() == s['quality_true'][...].tobytes()\n"
            "assert (f['run_status'][...] == 1).all()\n"
            "ds = xr.open_dataset(sys.argv[1], engine='h5netcdf')\n"
            "assert ds['quality_true'].values.tobytes() == s['quality_true'][...].tobytes()\n"
            "sm = xr.open_dataset(sys.argv[1], group='summary', engine='h5netcdf')\n"
            "assert sm['quality_true'].values.tobytes() == s['summary/quality_true'][...].tobytes()\n"
            "print('ok')\n")
    r = subprocess.run(["/usr/bin/python3", "-c", code, os.path.relpath(out, elsewhere),
                        str(single)], cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr
    # shards beside the join, the directory moved as a whole: still found
    beside = tmp_path / "beside"
    beside.mkdir()
    for p in parts:
        shutil.copy(p, beside / p.name)
    tillit("merge", "--virtual", "-o", beside / "v.h5", *sorted(beside.iterdir()), check=True)
    moved = tmp_path / "moved"
    beside.rename(moved)
    r = subprocess.run(["/usr/bin/python3", "-c", code, str(moved / "v.h5"), str(single)],
                       cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_virtual_join_refuses_what_merge_refuses(tiny, tmp_path):
    single, parts = tiny
    refused(tmp_path, parts[0], parts[2], words=["shard 2/3 is missing"], virtual=True)
    half = tmp_path / "half-1.h5"
    tillit("sweep", *TINY, "--shard", "1/2", "-o", half, check=True)
    refused(tmp_path, parts[0], half, words=[str(half), "of 2"], virtual=True)
    other = tmp_path / "other-3.h5"
    tillit("sweep", *TINY, "-s", "7", "--shard", "3/3", "-o", other, check=True)
    refused(tmp_path, parts[0], parts[1], other, words=[str(other), "another scenario"],
            virtual=True)


def test_a_join_holds_one_scenario_text_not_one_per_shard(tmp_path):
    """Each shard stores the whole design's resolved scenario (570 KB for 5,041
    points, 11 MB for 10^5); the join compares every shard's with the first's
    and must not keep them all: it held 733 MB joining 1,024 shards of 5,041
    points, now 76 MB. Here the text is made large by a 4 MB description (so
    that the virtual datasets' own memory, which grows with the shards, stays
    small beside it): the peak of joining 24 shards against 2 grows by far less
    than 22 texts. (Copies of one real shard with their index set: the join of
    one-block points reads no runs.)"""
    from peak import peak_of, sanitized
    if sanitized():
        pytest.skip("AddressSanitizer's quarantine keeps freed memory")
    grid = tmp_path / "grid.yaml"
    grid.write_text("name: g\ndescription: " + "x" * 4_000_000 + "\npreset: balanced\n"
                    "organisation: {units: 1, employees: 4, citizens: 20}\n"
                    "run: {steps: 2, replicates: 1, seed: 7}\nsweep:\n  design: grid\n"
                    "  parameters:\n    control_intensity: {from: 0.0, to: 0.7, steps: 24}\n")
    peaks = {}
    for n in (2, 24):
        d = tmp_path / f"n{n}"
        d.mkdir()
        first = d / "s-1.h5"
        tillit("sweep", grid, "--shard", f"1/{n}", "-o", first, "-q", "--progress", "none",
               check=True)
        with h5py.File(first, "r") as f:
            text = len(f.attrs["scenario"])
        for k in range(2, n + 1):
            shutil.copyfile(first, d / f"s-{k}.h5")
            with h5py.File(d / f"s-{k}.h5", "r+") as f:
                f.attrs.modify("shard_index", np.int32(k))
        code, peaks[n] = peak_of("merge", "--virtual", "-o", d / "v.h5",
                                 *(d / f"s-{k}.h5" for k in range(1, n + 1)))
        assert code == 0
    assert text > 4_000_000
    assert peaks[24] - peaks[2] < 22 * text / 4, (peaks, text)
