"""The peak resident memory of one tillit command, for tests that bound it.

Not wait4 from the test's own process: a child forked from pytest starts with
pytest's peak (ru_maxrss survives exec). A bare python (a few MB, far below
tillit's) forks and execs the command and reports its peak."""
import os
import subprocess
import sys
from pathlib import Path

BIN = os.environ.get("TILLIT_BIN", "build/tillit")

PEAK = ("import os, sys\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    fd = os.open(os.devnull, os.O_WRONLY); os.dup2(fd, 1); os.dup2(fd, 2)\n"
        "    os.execv(sys.argv[1], sys.argv[1:])\n"
        "_, status, ru = os.wait4(pid, 0)\n"
        "print(os.waitstatus_to_exitcode(status), ru.ru_maxrss * 1024)\n")


def sanitized(path=BIN):
    """A build with AddressSanitizer holds shadow memory and a quarantine of
    freed memory that a bound on the peak should not count."""
    try:
        return b"__asan_init" in Path(path).read_bytes()
    except OSError:
        return False


def peak_of(*args, timeout=300, env=None):
    """Run `tillit ARGS` (its output to /dev/null); (exit code, peak bytes)."""
    r = subprocess.run([sys.executable, "-S", "-I", "-c", PEAK, BIN, *map(str, args)],
                       capture_output=True, text=True, timeout=timeout, env=env)
    assert r.returncode == 0, r.stderr
    code, peak = map(int, r.stdout.split())
    return code, peak
