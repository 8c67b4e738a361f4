"""Hardening of the command line (issue 12): one writer per output (the lock),
journal blocks checked against the scenario's hash and their checksum,
journals repaired after a kill while they were made, no symbolic link
followed for the output's own files, exact seeds, bounded inputs, signals in
every phase, and clear messages for careless input."""
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import h5py
import pytest

from h5data import assert_same_data
from journal_log import log_path, moved, record_bytes, records

BIN = os.environ.get("TILLIT_BIN", "build/tillit")
SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
QUICK = SRC / "scenarios/examples/quick-sweep.yaml"
# 9 points, one journal block each; about 2.5 s on one thread
MED = [str(QUICK), "-r", "16", "-t", "104", "-j", "1", "--progress", "none", "-q"]
# long enough (~10 s on one thread) to still be running when others try
LONG = [str(QUICK), "-r", "32", "-j", "1", "--progress", "none", "-q"]


def tillit(*args, check=False, timeout=600, **kw):
    r = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                       **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"tillit {args} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def wait_for(pred, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return False


def interrupted(out, args, nblocks=1):
    """A sweep stopped by SIGINT once nblocks blocks are in its journal."""
    p = subprocess.Popen([BIN, "sweep", *args, "-o", str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: len(records(out)) >= nblocks or p.poll() is not None)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130, err
    assert 0 < len(records(out)) < 9
    return err


@pytest.fixture(scope="module")
def med_ref(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "med.h5"
    tillit("sweep", *MED, "-o", out, check=True)
    return out


# ---- one writer per output ------------------------------------------------------------


def test_a_second_sweep_resume_or_run_on_a_busy_output_is_refused_naming_the_pid(tmp_path):
    out = tmp_path / "busy.h5"
    p = subprocess.Popen([BIN, "sweep", *LONG, "-o", str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    lock = Path(str(out) + ".lock")
    assert wait_for(lambda: lock.exists() and lock.read_text().strip() == str(p.pid))
    try:
        # another scenario with --force, the same one resumed, a plain run: all refused at once
        attempts = [
            ["sweep", *MED, "-s", "7", "-o", out, "--force"],
            ["sweep", *LONG, "-o", out, "--resume"],
            ["sweep", *LONG, "-o", out, "--salvage"],
            ["run", "-r", "1", "-t", "5", "-o", out, "--force", "-q"],
        ]
        for a in attempts:
            t0 = time.monotonic()
            r = tillit(*a)
            assert r.returncode == 2, (a, r.stderr)
            assert f"PID {p.pid}" in r.stderr and "another tillit" in r.stderr, r.stderr
            assert time.monotonic() - t0 < 10  # refused at once, not after running
        assert p.poll() is None, "the first sweep must not be disturbed"
    finally:
        _, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    assert not lock.exists() and not Path(str(out) + ".journal").exists()
    ref = tmp_path / "ref.h5"
    tillit("sweep", *LONG, "-o", ref, check=True)
    assert_same_data(out, ref)  # nothing mixed in


def test_two_resumes_at_once_one_completes_the_other_is_refused(tmp_path, med_ref):
    out = tmp_path / "two.h5"
    interrupted(out, MED)
    a = subprocess.Popen([BIN, "sweep", *MED, "-o", str(out), "--resume"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: Path(str(out) + ".lock").exists() or a.poll() is not None)
    b = tillit("sweep", *MED, "-o", out, "--resume")
    _, err = a.communicate(timeout=300)
    assert a.returncode == 0, err
    if a.returncode == 0 and b.returncode != 0:
        assert b.returncode == 2 and "another tillit" in b.stderr
    assert_same_data(out, med_ref)


def test_a_stale_lock_file_of_a_killed_sweep_does_not_block(tmp_path, med_ref):
    out = tmp_path / "stale.h5"
    p = subprocess.Popen([BIN, "sweep", *MED, "-o", str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    assert wait_for(lambda: len(records(out)) >= 1 or p.poll() is not None)
    p.kill()
    p.wait()
    if out.exists():
        pytest.skip("the sweep finished before the kill")
    assert Path(str(out) + ".lock").exists()  # left by kill -9, but not held
    r = tillit("sweep", *MED, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr
    assert not Path(str(out) + ".lock").exists()
    assert_same_data(out, med_ref)


# ---- journal blocks: foreign, empty, damaged ----------------------------------------------


def test_resume_sets_a_torn_tail_record_aside_and_reruns_it(tmp_path, med_ref):
    """A kill during an append leaves part of a record at the end of the log:
    --resume cuts it off (kept in blocks.log.damaged), runs its block again,
    and the file equals an uninterrupted sweep's."""
    out = tmp_path / "t.h5"
    interrupted(out, MED, nblocks=2)
    whole = records(out)
    at, n, _ = whole[-1]
    raw = log_path(out).read_bytes()
    log_path(out).write_bytes(raw[:at + n // 2])
    assert len(records(out)) == len(whole) - 1 >= 1
    r = tillit("sweep", *MED, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr
    assert "not a whole record" in r.stderr and f"{n // 2} bytes" in r.stderr, r.stderr
    assert "blocks.log.damaged" in r.stderr
    assert_same_data(out, med_ref)
    assert not Path(str(out) + ".journal").exists()


def test_resume_cuts_the_log_at_a_damaged_record_head_and_reruns_the_rest(tmp_path, med_ref):
    """A damaged head in the middle: its length cannot be trusted, so the log
    is cut there; every block from it on is run again."""
    out = tmp_path / "h.h5"
    interrupted(out, MED, nblocks=2)
    at, _, _ = records(out)[0]
    raw = bytearray(log_path(out).read_bytes())
    raw[at + 8] ^= 0x01  # the point field: the head's CRC no longer matches
    log_path(out).write_bytes(bytes(raw))
    r = tillit("sweep", *MED, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr
    assert "not a whole record" in r.stderr and f"{len(raw) - at} bytes" in r.stderr, r.stderr
    assert_same_data(out, med_ref)


def test_resume_reruns_a_record_whose_data_are_damaged(tmp_path, med_ref):
    out = tmp_path / "d.h5"
    interrupted(out, MED)
    at, n, block = records(out)[0]
    raw = bytearray(log_path(out).read_bytes())
    raw[at + n // 2] ^= 0x40  # a bit flipped where its data are
    log_path(out).write_bytes(bytes(raw))
    r = tillit("sweep", *MED, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr
    assert f"block {block} in" in r.stderr and "blocks.log" in r.stderr, r.stderr
    assert "damaged (its checksum does not match its data)" in r.stderr, r.stderr
    assert_same_data(out, med_ref)


def test_resume_refuses_a_foreign_block_and_reruns_it(tmp_path, med_ref):
    out, other = tmp_path / "f.h5", tmp_path / "other.h5"
    interrupted(out, MED)
    interrupted(other, [*MED, "-s", "99"])
    # records of the other scenario, for a block this journal lacks and one it has
    theirs = record_bytes(other, 0)
    mine = {b for _, _, b in records(out)}
    lacking = min(set(range(9)) - mine)
    with open(log_path(out), "ab") as f:
        f.write(moved(theirs, lacking, lacking) + moved(theirs, min(mine), min(mine)))
    r = tillit("sweep", *MED, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("belongs to another scenario") == 2, r.stderr
    assert_same_data(out, med_ref)


def test_a_journal_of_the_format_before_the_log_is_refused_until_forced(tmp_path, med_ref):
    out = tmp_path / "old.h5"
    j = Path(str(out) + ".journal")
    j.mkdir()
    (j / "block-00000000.h5").write_bytes(b"an HDF5 block of the old journal")
    r = tillit("sweep", *MED, "-o", out, "--resume")
    assert r.returncode != 0
    assert "older tillit" in r.stderr and "--force" in r.stderr and str(j) in r.stderr, r.stderr
    assert (j / "block-00000000.h5").exists()
    r = tillit("sweep", *MED, "-o", out, "--force")
    assert r.returncode == 0, r.stderr
    assert_same_data(out, med_ref)


def test_a_journal_killed_before_its_scenario_was_written_is_resumable(tmp_path, med_ref):
    out = tmp_path / "m.h5"
    interrupted(out, MED)
    j = Path(str(out) + ".journal")
    (j / "scenario.yaml").unlink()
    (j / "layout.h5").unlink()
    r = tillit("sweep", *MED, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr
    assert "no scenario.yaml" in r.stderr
    assert_same_data(out, med_ref)
    # only mkdir happened: an empty journal resumes too
    out2 = tmp_path / "m2.h5"
    Path(str(out2) + ".journal").mkdir()
    r = tillit("sweep", *MED, "-o", out2, "--resume")
    assert r.returncode == 0, r.stderr
    assert_same_data(out2, med_ref)


def test_a_foreign_scenario_yaml_keeps_its_blocks_out(tmp_path, med_ref):
    """Blocks of this scenario in a journal whose scenario.yaml was removed
    are used; those of another are refused even then."""
    out, other = tmp_path / "g.h5", tmp_path / "other.h5"
    interrupted(out, MED)
    interrupted(other, [*MED, "-s", "99"])
    (Path(str(other) + ".journal") / "scenario.yaml").unlink()
    r = tillit("sweep", *MED, "-o", other, "--resume")  # seed 42 now, the blocks are seed 99's
    assert r.returncode == 0, r.stderr
    assert "belongs to another scenario" in r.stderr
    assert_same_data(other, med_ref)


# ---- symbolic links ------------------------------------------------------------------------


def test_a_planted_part_link_is_refused_and_its_target_untouched(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "out.h5"
    os.symlink(target, str(out) + ".part")
    for args in (["run", "-r", "1", "-t", "5", "-q", "-o", out],
                 ["sweep", *MED, "-o", out],
                 ["run", "-r", "1", "-t", "5", "-q", "-o", out, "--force"]):
        r = tillit(*args)
        assert r.returncode != 0
        assert "symbolic link" in r.stderr, r.stderr
        assert target.read_text() == "keep me"
        assert os.path.islink(str(out) + ".part")
    assert not out.exists()


def test_force_with_a_symlinked_journal_empties_nothing(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "notes.txt").write_text("mine")
    (victim / "block-00000000.h5").write_text("not a block either")
    out = tmp_path / "out.h5"
    os.symlink(victim, str(out) + ".journal")
    for args in (["sweep", *MED, "-o", out, "--force"], ["sweep", *MED, "-o", out, "--resume"]):
        r = tillit(*args)
        assert r.returncode != 0
        assert "symbolic link" in r.stderr, r.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["block-00000000.h5", "notes.txt"]


def test_force_leaves_files_it_did_not_write_in_a_journal(tmp_path):
    out = tmp_path / "k.h5"
    interrupted(out, MED)
    j = Path(str(out) + ".journal")
    (j / "notes.txt").write_text("mine")
    outside = tmp_path / "outside.txt"
    outside.write_text("outside")
    os.symlink(outside, j / "block-00000008.h5.tmp")
    r = tillit("sweep", *MED, "-o", out, "--force")
    assert r.returncode != 0
    assert "did not write" in r.stderr, r.stderr
    assert (j / "notes.txt").read_text() == "mine" and outside.read_text() == "outside"
    assert len(records(out)) > 0  # refused before anything was removed
    (j / "notes.txt").unlink()
    os.unlink(j / "block-00000008.h5.tmp")
    r = tillit("sweep", *MED, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr


def test_a_symlinked_lock_file_is_refused(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("keep")
    out = tmp_path / "l.h5"
    os.symlink(target, str(out) + ".lock")
    r = tillit("run", "-r", "1", "-t", "5", "-q", "-o", out)
    assert r.returncode != 0 and "symbolic link" in r.stderr
    assert target.read_text() == "keep"


# ---- exact seeds -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", ["9007199254740993", "18446744073709551615", "0"])
def test_seeds_are_exact_64_bit_integers(tmp_path, seed):
    out = tmp_path / "s.h5"
    tillit("run", "-r", "1", "-t", "3", "-q", "-s", seed, "-o", out, check=True)
    with h5py.File(out) as f:
        assert int(f.attrs["master_seed"]) == int(seed)
    y = tmp_path / "s.yaml"
    y.write_text(f"name: s\nrun: {{steps: 3, replicates: 1, seed: {seed}}}\n")
    r = tillit("check", y, check=True)
    assert f"seed {seed}" in r.stdout


@pytest.mark.parametrize("seed,why", [("18446744073709551616", "too large"), ("-1", "negative"),
                                      ("1e-400", "not a whole number"), ("1e3", "not a whole number"),
                                      ("0x10", "not a whole number"), ("1.5", "not a whole number"),
                                      ("", "not a whole number")])
def test_out_of_range_or_non_integer_seeds_are_refused(tmp_path, seed, why):
    r = tillit("run", "-r", "1", "-t", "3", "-q", "-s", seed, "-o", tmp_path / "x.h5")
    assert r.returncode == 2 and "--seed" in r.stderr and why in r.stderr, r.stderr
    assert not (tmp_path / "x.h5").exists()
    y = tmp_path / "s.yaml"
    y.write_text(f"name: s\nrun: {{steps: 3, seed: {seed or '~'}}}\n")
    r = tillit("check", y)
    assert r.returncode == 2 and "seed" in r.stderr, r.stderr


# ---- bounded inputs -----------------------------------------------------------------------------


def test_special_files_are_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    d = tmp_path / "dir.yaml"
    d.mkdir()
    for path, kind in ((fifo, "FIFO"), ("/dev/zero", "device"), (d, "directory")):
        t0 = time.monotonic()
        r = tillit("check", path, timeout=20)
        assert r.returncode == 2 and kind in r.stderr, r.stderr
        assert time.monotonic() - t0 < 10
    csvfifo = tmp_path / "pipe.csv"
    os.mkfifo(csvfifo)
    for f, kind in ((csvfifo, "FIFO"), ("/dev/zero", "device"), (d, "directory")):
        y = tmp_path / "c.yaml"
        y.write_text(f"name: c\nsweep:\n  design: csv\n  file: {f}\n")
        r = tillit("check", y, timeout=20)
        assert r.returncode == 2 and "design CSV" in r.stderr and kind in r.stderr, r.stderr


def test_oversized_scenario_and_csv_files_are_refused(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate((16 << 20) + 1)
    r = tillit("check", big)
    assert r.returncode == 2 and "16 MiB" in r.stderr, r.stderr
    csv = tmp_path / "big.csv"
    with open(csv, "wb") as f:
        f.truncate((256 << 20) + 1)
    y = tmp_path / "c.yaml"
    y.write_text(f"name: c\nsweep:\n  design: csv\n  file: {csv}\n")
    r = tillit("check", y)
    assert r.returncode == 2 and "256 MiB" in r.stderr, r.stderr


# ---- messages ------------------------------------------------------------------------------------


def test_an_output_path_that_is_a_directory_is_named_as_such(tmp_path):
    d = tmp_path / "outdir"
    d.mkdir()
    for args in (["run", "-r", "1", "-t", "3", "-q", "-o", d],
                 ["run", "-r", "1", "-t", "3", "-q", "-o", d, "--force"],
                 ["sweep", *MED, "-o", d]):
        r = tillit(*args)
        assert r.returncode == 2 and "is a directory" in r.stderr, r.stderr
        assert "already exists" not in r.stderr


def test_check_of_an_output_or_binary_file_says_what_it_is(tmp_path):
    out = tmp_path / "o.h5"
    tillit("run", "-r", "1", "-t", "3", "-q", "-o", out, check=True)
    # an output file carries its scenario: check (and run) read it from there
    r = tillit("check", out)
    assert r.returncode == 0, r.stderr
    # an HDF5 file without one is named as such, not read as YAML
    import h5py
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = 1
    r = tillit("check", other)
    assert r.returncode == 2 and "HDF5" in r.stderr and "UTF-8" not in r.stderr, r.stderr
    b = tmp_path / "b.yaml"
    b.write_bytes(b"name: x\0\1\2")
    r = tillit("check", b)
    assert r.returncode == 2 and "binary" in r.stderr, r.stderr


@pytest.mark.parametrize("args,words", [
    (["--snapshots", ",,"], "empty item"),
    (["--snapshots", "0,,52"], "empty item"),
    (["--snapshots", ""], "empty item"),
    (["--set", "need_rate=0x1p-3"], "not a number"),
    (["--set", "need_rate=inf"], "not a number"),
    (["--schedule", "control_intensity@0x10=0.1"], "expected PARAM@STEP"),
    (["--schedule", "control_intensity@10=0x1p-3"], "expected PARAM@STEP"),
])
def test_small_acceptances_are_refused(tmp_path, args, words):
    r = tillit("run", "-r", "1", "-t", "20", "-q", *args, "-o", tmp_path / "x.h5")
    assert r.returncode == 2 and words in r.stderr, r.stderr


@pytest.mark.parametrize("text,words", [
    ("name: t\nrun: {steps: !!float 10}\n", "'!!float'"),
    ("name: t\nrun: !custom {steps: 10}\n", "'!custom'"),
    ('name: "a\\nb"\n', "line break"),
    ('name: t\npoints:\n  - {label: "x\\ty", preset: balanced}\n', "tab"),
])
def test_yaml_tags_and_labels_with_control_characters_are_refused(tmp_path, text, words):
    y = tmp_path / "t.yaml"
    y.write_text(text)
    r = tillit("check", y)
    assert r.returncode == 2 and words in r.stderr, r.stderr


# ---- signals in every phase -------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.3, 1.0, 2.0, 3.0])
def test_a_signal_at_any_phase_leaves_a_whole_file_or_a_resumable_journal(tmp_path, med_ref,
                                                                          sig, delay):
    """Before the journal exists, while its layout is written, during the runs
    and around the final commit: never a .part, a torn journal or a trace."""
    out = tmp_path / "p.h5"
    p = subprocess.Popen([BIN, "sweep", *MED, "-o", str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    p.send_signal(sig)
    _, err = p.communicate(timeout=120)
    journal = Path(str(out) + ".journal")
    if p.returncode == -sig:
        # before the handlers (set before anything is written): nothing written
        assert not out.exists() and not journal.exists()
        assert not Path(str(out) + ".part").exists() and not Path(str(out) + ".lock").exists()
        return
    assert p.returncode in (0, 130), err
    assert "Traceback" not in err and "HDF5-DIAG" not in err
    assert not Path(str(out) + ".part").exists()
    assert not Path(str(out) + ".lock").exists()
    if p.returncode == 0:
        assert not journal.exists()
    else:
        assert "--resume" in err or not journal.exists(), err
        if journal.exists() or out.exists():
            r = tillit("sweep", *MED, "-o", out, "--resume")
            assert r.returncode == 0, r.stderr
        else:
            tillit("sweep", *MED, "-o", out, check=True)
    assert_same_data(out, med_ref)


@pytest.mark.parametrize("phase,code", [("start", 130), ("journal", 130), ("writer", 130),
                                        ("replay", 130), ("commit", 0), ("committed", 0)])
@pytest.mark.parametrize("resume", [False, True])
def test_sigint_at_each_phase_is_graceful(tmp_path, med_ref, phase, code, resume):
    """SIGINT raised exactly at each phase (test seam TILLIT_TEST_SIGNAL_AT):
    before the journal, after it and its layout, after the output's layout,
    after the journal's replay, before and after the final commit."""
    out = tmp_path / "ph.h5"
    if resume:
        interrupted(out, MED)
    env = dict(os.environ, TILLIT_TEST_SIGNAL_AT=phase)
    r = tillit("sweep", *MED, "-o", out, *(["--resume"] if resume else []), env=env)
    assert r.returncode == code, r.stderr
    assert not Path(str(out) + ".part").exists() and not Path(str(out) + ".lock").exists()
    journal = Path(str(out) + ".journal")
    if code == 0:
        assert "completed first" in r.stderr
        assert not journal.exists()
    else:
        assert "interrupted" in r.stderr
        if phase == "replay":  # stopped before its first run: counted against what it had to do
            m = re.search(r"interrupted after 0 of (the )?(\d+) runs( left to do)?", r.stderr)
            assert m and bool(m.group(1)) == resume == bool(m.group(3)), r.stderr
            assert int(m.group(2)) == 144 - (16 * len(records(out)) if resume else 0), r.stderr
        if phase == "start" and not resume:
            assert not journal.exists() and not out.exists()
            tillit("sweep", *MED, "-o", out, check=True)
        else:
            assert journal.is_dir() and "--resume" in r.stderr
            r = tillit("sweep", *MED, "-o", out, "--resume")
            assert r.returncode == 0, r.stderr
    assert_same_data(out, med_ref)


def test_the_memory_estimate_counts_a_large_designs_points(tmp_path):
    """A design of many points holds ~3 KB per point before it runs: the
    estimate includes that (it said 44.7 KiB for 1e5 points that took 300 MB)."""
    import json
    import resource
    y = tmp_path / "big.yaml"
    y.write_text("name: big\npreset: balanced\norganisation: {units: 2, employees: 10, citizens: 100}\n"
                 "run: {steps: 2, replicates: 1, seed: 1}\n"
                 "sweep:\n  design: lhs\n  samples: 20000\n"
                 "  parameters:\n    control_intensity: {min: 0, max: 1}\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = tillit("sweep", y, "-o", tmp_path / "big.h5", "--dry-run", "--progress", "json")
    assert r.returncode == 0, r.stderr
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    est = [json.loads(line) for line in r.stderr.splitlines() if '"estimate"' in line][0]
    if before * 1024 < peak:  # this child set the peak: compare with it
        assert est["memory_bytes"] >= 0.5 * peak, (est["memory_bytes"], peak)
    assert est["memory_bytes"] > 20000 * 2000
