"""The documentation's commands and file names are true against the code.

Users follow README.md and docs/*.md literally. This test reads every shell
command shown in their fenced code blocks (```sh, ```bash, ```console, and the
lines of plain ``` blocks that start with a known command) and checks it
cheaply, without running a simulation:

  tillit run/sweep     the same arguments with --dry-run (run: as `sweep`, which
                       takes run's options, since `run` has no dry run) and -o
                       in a temporary directory; every option is also looked up
                       in `tillit SUB --help`
  tillit check/table/  run for real on a small output file made once per session
  presets/... serve    (`serve --check` loads the page and lessons and exits)
  tillit merge         every option in `tillit merge --help`
  python3 toolkit      the module or script exists, `--help` exits 0 and names
                       every option used
  cmake / ctest        -D variables are options of the project (or CMAKE_*),
                       --target names a target, -L/-LE labels are used by a
                       test, options appear in the tool's --help
  scripts, programs    the script exists (and its options appear in it); build
                       outputs such as build/tests/test_march have a source
  VAR=value prefixes   VAR is read somewhere in the source tree
  every line           every argument that is a repository path exists

and, in the prose: every repository path in backticks exists (also bare source
file names such as `mechanisms.c`, and build/tests/... programs have a source);
every `tillit SUB --option` names a command and its options; every relative
link and every directory of README's layout exists; every TL_/TILLIT_
identifier is in the source, and a TL_C_ constant given with a value (inline
or in the ODD's table) has that value in its #define.
Placeholders (SCENARIO.yaml, OUT.h5, COMMAND, N, ...) are replaced by real
small values; the few lines that cannot be checked are in ALLOW, each with its
reason, and an entry of ALLOW that no longer matches a doc line fails.

Run by ctest (labels `docs;python`) with TILLIT_BIN and TL_SOURCE_DIR set, or by
hand: TILLIT_BIN=build/tillit /usr/bin/python3 -m pytest -q tests/docs
"""
import functools
import glob
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(os.environ.get("TL_SOURCE_DIR", Path(__file__).resolve().parents[2])).resolve()
BIN = str(Path(os.environ.get("TILLIT_BIN", SRC / "build" / "tillit")).resolve())
PY = sys.executable
DOCS = ["README.md"] + sorted(str(p.relative_to(SRC)) for p in (SRC / "docs").glob("*.md"))

SHELL_LANGS = {"sh", "bash", "console", "shell", ""}
# first words that make a line of a plain ``` block a command
COMMAND_WORDS = {"tillit", "build/tillit", "./build/tillit", "build-mpi/tillit", "scripts/setup",
                 "scripts/test", "scripts/demo", "/usr/bin/python3", "python3", "Rscript", "cmake",
                 "ctest", "mpirun", "srun", "sbatch", "bash", "valgrind", "apt-get"}
TILLIT_WORDS = {"tillit", "build/tillit", "./build/tillit", "build-mpi/tillit", "build-asan/tillit"}

# Lines that cannot be checked here, by their exact text (comments and line
# continuations removed), each with its reason. Nothing else is skipped.
ALLOW = {
    # system package manager: installs as root, not something a test may do
    "apt-get install python3-numpy python3-pandas python3-xarray python3-h5netcdf python3-h5py "
    "python3-matplotlib python3-scipy python3-pytest":
        "apt-get installs system packages (root); scripts/setup is where the list is kept",
    "apt-get install r-base-core r-cran-hdf5r":
        "apt-get installs system packages (root)",
    # Slurm: there is no batch system here; the scripts it submits are checked
    # to exist by the prose-path test (scripts/slurm/...)
    "JOB=$(sbatch --parsable --array=1-64 scripts/slurm/array-sweep.sh "
    "scenarios/research/regime-sobol.yaml results/sobol)":
        "sbatch submits to Slurm, absent here (the script path is checked separately)",
    "sbatch --dependency=afterok:$JOB scripts/slurm/merge-shards.sh results/sobol":
        "sbatch submits to Slurm, absent here (the script path is checked separately)",
    "sbatch --array=17 scripts/slurm/array-sweep.sh scenarios/research/regime-sobol.yaml results/sobol":
        "sbatch submits to Slurm, absent here (the script path is checked separately)",
    "module load openmpi": "environment modules of a cluster site, absent here",
    'cd "$SLURM_SUBMIT_DIR"': "a Slurm job's directory",
    'if [ -d "$OUT.journal" ]; then RESUME=--resume; else RESUME=; fi':
        "shell logic of the batch script; the srun line after it is checked with --resume",
    # plain shell steps on files the lines before them made
    "mkdir -p results": "makes the output directory of the batch script",
    "mkdir -p corpus": "makes a scratch directory (the cp after it is checked)",
    "mkdir -p corpus-api": "makes a scratch directory (the cp after it is checked)",
    "ls -l all.h5 five.h5 one.h5 so.h5 so5.h5 k4.h5 f32.h5 k4f32.h5": "lists files the sweeps above wrote",
    "cmp t_all.csv t_so.csv": "compares two tables written by the lines above",
}

# Repository paths the prose names on purpose though they no longer exist.
PROSE_ALLOW = {
    ("docs/classroom.md", "web/dist"): "history: where the removed npm bundler wrote the page",
    ("docs/classroom.md", "scripts/build-web"): "history: the removed bundling script",
    ("docs/classroom.md", "chart.mjs"): "a file of Debian's libjs-chart.js, not of the repository",
}
# `tillit ...` spans of the prose that are not commands
PROSE_NOT_COMMANDS = {
    "tillit simulation output": "a description (HDF5 attribute text), not a command",
}

# Placeholders in commands and the real values substituted for them.
PLACEHOLDERS = {
    "my-scenario.yaml": "scenarios/examples/quick-sweep.yaml",
    "SCENARIO.yaml": "scenarios/examples/quick-sweep.yaml",
    "COMMAND": "compare",   # `tillit_analysis COMMAND FILE... -o OUT.png`
    "FILE...": "tillit-default-s1.h5",
    "STEPS": "20",          # `-t STEPS`
    "$RESUME": "--resume",  # set by the batch script's `if` line to --resume or nothing
}
TILLIT_FILES = {".h5"}      # input files of tillit output: the session's small file


# ------------------------------------------------------------------ parsing

def doc_lines(doc):
    return (SRC / doc).read_text(encoding="utf-8").split("\n")


def join_continued(lines):
    """(first line number, text) of logical lines, `\\` continuations joined."""
    out, buf, start = [], "", None
    for no, line in lines:
        if start is None:
            start = no
        if line.rstrip().endswith("\\"):
            buf += line.rstrip()[:-1].rstrip() + " "
            continue
        out.append((start, (buf + line.strip()).strip()))
        buf, start = "", None
    return out


def strip_comment(text):
    """The command without a trailing `# comment` (quotes respected)."""
    q = None
    for i, c in enumerate(text):
        if q:
            q = None if c == q else q
        elif c in "'\"":
            q = c
        elif c == "#" and (i == 0 or text[i - 1].isspace()):
            return text[:i].strip()
    return text.strip()


def first_word(text):
    for w in text.split():
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w):
            return w
    return ""


@functools.lru_cache(maxsize=None)
def extract(doc):
    """Commands of one doc: [(line, text, files)] where files are the scenario
    files the doc defines before that line (heredocs, named yaml blocks)."""
    lines = doc_lines(doc)
    cmds, files = [], {}
    i = 0
    while i < len(lines):
        m = re.match(r"^\s*```(\S*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        lang, start = m.group(1), i
        j = i + 1
        while j < len(lines) and not re.match(r"^\s*```\s*$", lines[j]):
            j += 1
        body = [(k + 1, lines[k]) for k in range(i + 1, j)]
        i = j + 1
        if lang == "yaml":
            # a yaml block the prose just before names: "... `near.yaml`:"
            prev = next((l for l in reversed(lines[:start]) if l.strip()), "")
            n = re.search(r"`([\w.-]+\.yaml)`:\s*$", prev)
            if n:
                files[n.group(1)] = "\n".join(l for _, l in body) + "\n"
            continue
        if lang not in SHELL_LANGS:
            continue
        k = 0
        logical = []
        while k < len(body):
            no, line = body[k]
            h = re.search(r"cat > (\S+) <<'?(\w+)'?\s*$", line)
            if h:  # a heredoc: the file it writes is part of the example
                end = next(x for x in range(k + 1, len(body)) if body[x][1].strip() == h.group(2))
                files[h.group(1)] = "\n".join(l for _, l in body[k + 1:end]) + "\n"
                cmds.append((no, line.strip(), dict(files), "heredoc"))
                k = end + 1
                continue
            logical.append((no, line))
            k += 1
        for no, text in join_continued(logical):
            text = text.strip()
            plain_prompt = text.startswith("$ ")
            if plain_prompt:
                text = text[2:].strip()
            if not text or text.startswith("#"):
                continue
            if lang in ("", "console") and not plain_prompt and first_word(text) not in COMMAND_WORDS:
                continue   # output, formulae or a file listing, not a command
            text = strip_comment(text)
            if text:
                cmds.append((no, text, dict(files), "command"))
    return cmds


def is_variable(text):
    return re.match(r"^[A-Za-z_]\w*=[^\s$]+$", text) is not None


def all_commands():
    """Every command; lines that only set a variable (S=..., OUT=...) are context
    for the lines after them, not cases of their own."""
    return [(doc, no, text, files, kind) for doc in DOCS for no, text, files, kind in extract(doc)
            if not (kind == "command" and is_variable(text))]


# ------------------------------------------------------------------ helpers

@functools.lru_cache(maxsize=None)
def help_text(*argv, env_py=False):
    env = dict(os.environ, PYTHONPATH=str(SRC / "analysis"), PYTHONDONTWRITEBYTECODE="1")
    r = subprocess.run(list(argv), capture_output=True, text=True, cwd=SRC, env=env, timeout=120)
    return r.returncode, r.stdout + r.stderr


def has_option(help_out, opt):
    return re.search(r"(?<![\w-])" + re.escape(opt) + r"(?![\w-])", help_out) is not None


def options_of(args):
    """Option names used (`--set=X` -> `--set`), negative numbers excluded."""
    return [re.sub(r"^(-[A-Za-z])\d+$", r"\1", a.split("=", 1)[0]) for a in args   # -j2 -> -j
            if a.startswith("-") and a != "-" and not re.match(r"^-\d", a)]


@functools.lru_cache(maxsize=None)
def tracked_tops():
    out = subprocess.run(["git", "-C", str(SRC), "ls-files"], capture_output=True, text=True).stdout
    tops = {p.split("/", 1)[0] for p in out.split() if "/" in p}
    return tops or {p.name for p in SRC.iterdir() if p.is_dir() and p.name not in ("build",)}


def is_repo_path(s):
    s = s.rstrip("/")
    if "/" not in s or re.search(r"[<>…$]|\.\.\.|\{", s):
        return False
    return s.split("/", 1)[0] in tracked_tops()


def assert_repo_path(s, where):
    s = s.rstrip("/")
    assert glob.glob(str(SRC / s)), f"{where}: `{s}` does not exist in the repository"


def check_repo_paths(args, where):
    n = 0
    for a in args:
        a = a.split("=", 1)[1] if a.startswith("-") and "=" in a else a
        if is_repo_path(a):
            assert_repo_path(a, where)
            n += 1
    return n


@functools.lru_cache(maxsize=None)
def source_mentions(var):
    r = subprocess.run(["git", "-C", str(SRC), "grep", "-l", "-w", var, "--", "sim", "tests",
                        "analysis", "scripts", "bench", "CMakeLists.txt", "cmake", ":!tests/docs"],
                       capture_output=True, text=True)
    return bool(r.stdout.strip())


@functools.lru_cache(maxsize=None)
def metric_names():
    out = subprocess.run([BIN, "metrics"], capture_output=True, text=True, timeout=60).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


@functools.lru_cache(maxsize=None)
def cmake_text():
    return "\n".join(p.read_text() for p in SRC.rglob("CMakeLists.txt") if "build" not in p.parts) + \
        "\n".join(p.read_text() for p in SRC.rglob("*.cmake") if "build" not in p.parts)


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="session")
def sample_h5(tmp_path_factory):
    """A small tillit output file standing in for the docs' tillit-default-s1.h5,
    quick.h5, all.h5 ...: 3 points x 2 replicates x 60 weeks."""
    path = tmp_path_factory.mktemp("sample") / "sample.h5"
    r = subprocess.run([BIN, "run", "-r", "2", "-t", "60", "-q", "--progress", "none", "-o", str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return str(path)


# ------------------------------------------------------------------ checks

def substitute(args, files, tmp, sample, variables):
    out = []
    for a in args:
        for k, v in variables.items():
            a = a.replace("$" + k, v)
        a = PLACEHOLDERS.get(a, a)
        if a in files:                       # a file the doc defines above
            p = Path(tmp) / a
            p.write_text(files[a])
            a = str(p)
        elif is_repo_path(a) and glob.glob(str(SRC / a)):
            a = str(SRC / a)
        out.append(a)
    return out


def check_tillit(args, where, files, tmp, sample, variables):
    """One `tillit ...` invocation; returns the number of checks made."""
    args = [a for a in args]
    code, top = help_text(BIN, "--help")
    assert code == 0
    if not args or args[0] in ("--help", "-h", "--version"):
        r = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"{where}: {r.stderr}"
        return 1
    sub = args[0]
    assert re.search(r"^\s+" + re.escape(sub) + r"\b", top, re.M), \
        f"{where}: `tillit {sub}` is not a command of `tillit --help`"
    code, sub_help = help_text(BIN, sub, "--help")
    assert code == 0, f"{where}: `tillit {sub} --help` exits {code}"
    rest = args[1:]
    for opt in options_of(rest):
        assert has_option(sub_help, opt), f"{where}: `tillit {sub}` has no option {opt}"
    check_repo_paths(rest, where)
    rest = substitute(rest, files, tmp, sample, variables)
    # drop shell redirections (`> t_all.csv`)
    if ">" in rest:
        rest = rest[:rest.index(">")]
    # inputs that are tillit output files the docs made before: the sample file
    outs = {"-o", "--output", "--design-csv", "--csv"}
    fixed = []
    for i, a in enumerate(rest):
        prev = rest[i - 1] if i else ""
        if a.endswith(".h5") and prev not in outs and not Path(a).exists():
            a = sample
        fixed.append(a)
    rest = fixed
    if sub in ("run", "sweep"):
        cmd = [BIN, "sweep", *rest]
        if "--dry-run" not in cmd:
            cmd.append("--dry-run")
        if "-o" not in rest and "--output" not in rest:
            cmd += ["-o", str(Path(tmp) / "out.h5")]
    elif sub in ("check", "table", "presets", "params", "metrics", "scenarios"):
        cmd = [BIN, sub, *rest]
    elif sub == "serve":
        cmd = [BIN, sub, *rest, "--check"]
    elif sub == "merge":
        return 1 + len(options_of(rest))   # options checked against its --help above
    else:
        pytest.fail(f"{where}: no check for `tillit {sub}`: add one to this test")
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, timeout=120)
    assert r.returncode == 0, f"{where}: `{' '.join(cmd)}` exits {r.returncode}:\n{r.stdout[-2000:]}\n{r.stderr}"
    return 1


def check_python(args, where, tmp, sample):
    """`python3 -m MODULE [SUB] ...` or `python3 SCRIPT ...`."""
    if args[0] == "-m":
        mod, rest = args[1], args[2:]
        base = [PY, "-m", mod]
        assert (SRC / "analysis" / mod).is_dir() or (SRC / "analysis" / (mod + ".py")).exists(), \
            f"{where}: no module {mod} under analysis/"
        if mod == "tillit_analysis" and rest and not rest[0].startswith("-"):
            sub = PLACEHOLDERS.get(rest[0], rest[0])
            base, rest = base + [sub], rest[1:]
    else:
        script, rest = args[0], args[1:]
        assert_repo_path(script, where)
        base = [PY, str(SRC / script)]
        if "argparse" not in (SRC / script).read_text():
            # an example that takes only files (no --help): run it on the sample file
            assert not options_of(rest), f"{where}: {script} takes no options"
            env = dict(os.environ, PYTHONPATH=str(SRC / "analysis"), PYTHONDONTWRITEBYTECODE="1")
            files = [sample if a.endswith(".h5") else a for a in rest]
            r = subprocess.run(base + files, capture_output=True, text=True, cwd=tmp, env=env, timeout=120)
            assert r.returncode == 0, f"{where}: `{script}` on a tillit file exits {r.returncode}:\n{r.stderr}"
            return 1
    code, out = help_text(*base, "--help")
    assert code == 0, f"{where}: `{' '.join(base)} --help` exits {code}:\n{out[-2000:]}"
    for opt in options_of(rest):
        if opt in ("--help", "-h"):
            continue
        assert has_option(out, opt), f"{where}: `{' '.join(base[1:])}` has no option {opt}"
    for i, a in enumerate(rest[:-1]):
        if not a.startswith("-"):
            continue
        value = rest[i + 1]
        # a choice argparse lists ({en,sv}) must be one of them
        m = re.search(r"(?<![\w-])" + re.escape(a) + r" \{([^}]*)\}", out)
        if m:
            assert value in m.group(1).split(","), f"{where}: {a} {value}: not one of {{{m.group(1)}}}"
        # a metric named to the toolkit must be a metric of the program
        if re.search(r"(?<![\w-])" + re.escape(a) + r" METRIC\b", out) or \
                (a in ("-x", "-y", "-c") and "frontier" in base):
            assert value in metric_names(), f"{where}: {a} {value}: `tillit metrics` has no such metric"
    check_repo_paths(rest, where)
    return 1


def check_cmake(args, where):
    text = cmake_text()
    if "--build" in args:
        code, usage = help_text("cmake", "--build")   # prints its usage
        for opt in options_of(args):
            assert has_option(usage, opt), f"{where}: `cmake --build` has no option {opt}"
        if "--target" in args:
            t = args[args.index("--target") + 1]
            assert re.search(r"add_(executable|library|custom_target)\(\s*" + re.escape(t) + r"\b", text), \
                f"{where}: no CMake target {t}"
        return 1
    code, usage = help_text("cmake", "--help")
    for a in args:
        if a.startswith("-D"):
            var = a[2:].split("=", 1)[0].split(":", 1)[0]
            assert var.startswith("CMAKE_") or re.search(r"option\(\s*" + var + r"\b", text), \
                f"{where}: -D{var} is not an option of the project"
        elif a.startswith("-"):
            assert has_option(usage, a), f"{where}: cmake has no option {a}"
    if "-S" in args:
        assert (SRC / args[args.index("-S") + 1] / "CMakeLists.txt").exists()
    return 1


def check_ctest(args, where):
    code, usage = help_text("ctest", "--help")
    text = cmake_text()
    for i, a in enumerate(args):
        if a.startswith("-"):
            assert has_option(usage, a), f"{where}: ctest has no option {a}"
        if a in ("-L", "-LE"):
            for label in args[i + 1].split("|"):
                assert re.search(r'LABELS\s+"?[^)"]*\b' + re.escape(label) + r"\b", text) or \
                    re.search(r"LABELS\s+[^)]*\b" + re.escape(label) + r"\b", text), \
                    f"{where}: no test has the ctest label {label}"
    return 1


def check_build_output(word, where):
    """build/tests/test_x, build-fuzz/tests/fuzz/fuzz_y: a source exists."""
    m = re.match(r"^(?:\./)?build[\w-]*/tests/(?:.*/)?([\w-]+)$", word)
    assert m, f"{where}: unexpected build output {word}"
    name = m.group(1)
    assert glob.glob(str(SRC / "tests" / "**" / (name + ".c")), recursive=True), \
        f"{where}: {word}: there is no tests/**/{name}.c"
    return 1


def split_chain(text):
    """Split `a && b`, `a; b` (outside quotes); `for k in 1 2; do X; done` -> X with k=1."""
    m = re.match(r"^for (\w+) in (\S+)[^;]*; do (.*?);? done$", text)
    if m:
        return [c.replace("$" + m.group(1), m.group(2)) for c in split_chain(m.group(3))]
    parts, cur, q = [], "", None
    i = 0
    while i < len(text):
        c = text[i]
        if q:
            q = None if c == q else q
        elif c in "'\"":
            q = c
        elif text.startswith("&&", i) or c == ";":
            parts.append(cur.strip())
            cur = ""
            i += 2 if c == "&" else 1
            continue
        cur += c
        i += 1
    parts.append(cur.strip())
    return [p for p in parts if p]


def strip_redirections(toks):
    """`2> est.json`, `> out.txt`, `2>&1`, `<in`: the shell's, not the command's arguments."""
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if re.match(r"^\d*(>>?|<)(&\d+)?$", t):
            i += 1 if "&" in t else 2
            continue
        if re.match(r"^\d*(>>?|<)\S+$", t):
            i += 1
            continue
        out.append(t)
        i += 1
    return out


def check_line(text, where, files, tmp, sample, variables):
    """Check one logical command line; returns the number of checks made."""
    n = 0
    for part in split_chain(text):
        if part in ALLOW:
            continue
        toks = strip_redirections(shlex.split(part))
        if toks and toks[0] in ("time", "/usr/bin/time"):   # a timing prefix: the command after it
            toks.pop(0)
            while toks and toks[0].startswith("-"):
                toks.pop(0)
        env = []
        while toks and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", toks[0]):
            env.append(toks.pop(0))
        for e in env:
            var, val = e.split("=", 1)
            variables[var] = val
            if is_repo_path(val):
                assert_repo_path(val, where)
                n += 1
            if toks and var not in ("PYTHONPATH", "CC", "ASAN_OPTIONS", "UBSAN_OPTIONS"):
                assert source_mentions(var), f"{where}: {var} is read nowhere in the source"
                n += 1
        if not toks:
            continue      # a variable for the lines after it
        w, args = toks[0], toks[1:]
        if w in TILLIT_WORDS:
            if "|" in args:   # `tillit presets | params | metrics | scenarios`: alternatives
                subs = [a for a in args if a != "|"]
                assert all(re.match(r"^[a-z]+$", s) for s in subs), where
                for s in subs:
                    n += check_tillit([s], where, files, tmp, sample, variables)
            else:
                n += check_tillit(args, where, files, tmp, sample, variables)
        elif w in ("mpirun", "srun"):
            # the launcher needs an MPI build and ranks; the tillit command it runs is checked
            k = next((i for i, a in enumerate(args) if a.endswith("/tillit") or a == "tillit"), None)
            assert k is not None, f"{where}: no tillit program in the {w} line"
            n += check_tillit(args[k + 1:], where, files, tmp, sample, variables)
        elif w in ("/usr/bin/python3", "python3"):
            n += check_python(args, where, tmp, sample)
        elif w == "Rscript":
            assert_repo_path(args[0], where)   # R need not be installed; the script must exist
            n += 1
        elif w == "cmake":
            n += check_cmake(args, where)
        elif w == "ctest":
            n += check_ctest(args, where)
        elif w == "valgrind":
            code, usage = help_text("valgrind", "--help")
            prog = next(a for a in args if not a.startswith("-"))
            for opt in options_of(args[:args.index(prog)]):
                assert has_option(usage, opt), f"{where}: valgrind has no option {opt}"
            n += check_build_output(prog, where)
        elif w == "bash" or w.startswith(("scripts/", "analysis/", "bench/")):
            script = args[0] if w == "bash" else w
            sargs = args[1:] if w == "bash" else args
            assert_repo_path(script, where)
            if w != "bash":
                assert os.access(SRC / script, os.X_OK), f"{where}: {script} is not executable"
            body = (SRC / script).read_text()
            for opt in options_of(sargs):
                assert opt in body, f"{where}: {script} does not handle {opt}"
            n += 1
        elif re.match(r"^(\./)?build[\w-]*/tests/", w):
            n += check_build_output(w, where)
            check_repo_paths(args, where)
        elif w in ("cp", "mkdir", "ls", "cmp", "cat"):
            k = check_repo_paths(args, where)
            assert k, f"{where}: nothing to check in `{part}`: add it to ALLOW with a reason"
            n += k
        else:
            pytest.fail(f"{where}: no check for `{w}`: add one to this test, or the line to ALLOW")
    return n


# ------------------------------------------------------------------ tests

COMMANDS = all_commands()


def _id(c):
    return f"{c[0]}:{c[1]}"


@pytest.mark.parametrize("doc,line,text,files,kind", COMMANDS, ids=[_id(c) for c in COMMANDS])
def test_command(doc, line, text, files, kind, tmp_path, sample_h5):
    where = f"{doc}:{line}: `{text}`"
    if kind == "heredoc":
        name = re.search(r"cat > (\S+)", text).group(1)
        assert files.get(name, "").strip(), f"{where}: the heredoc is empty"
        return
    if text in ALLOW:
        # the repository files an allow-listed line names must still exist
        for part in split_chain(text):
            try:
                check_repo_paths(shlex.split(part), where)
            except ValueError:
                pass
        pytest.skip(f"allow-listed: {ALLOW[text]}")
    # variables set by the lines before this one in the same doc (S=..., OUT=...)
    variables = {}
    for no, t, _, k in extract(doc):
        if no >= line:
            break
        if k == "command" and is_variable(t):
            variables[t.split("=", 1)[0]] = t.split("=", 1)[1]
    n = check_line(text, where, files, str(tmp_path), sample_h5, variables)
    assert n > 0, f"{where}: nothing was checked"


def test_allow_list_is_current():
    """Every allow-listed line is still in a doc (a stale entry would hide nothing but mislead)."""
    texts = {c[2] for c in COMMANDS} | {p for c in COMMANDS for p in split_chain(c[2])}
    stale = [a for a in ALLOW if a not in texts]
    assert not stale, f"ALLOW entries no longer in any doc: {stale}"
    found = {(d, p) for d, _, p in PROSE_PATHS + PROSE_NAMES}
    stale = [k for k in PROSE_ALLOW if k not in found]
    assert not stale, f"PROSE_ALLOW entries no longer in their doc: {stale}"


def test_commands_found():
    """The extraction finds the docs' commands at all (a broken parser passes nothing)."""
    assert len(COMMANDS) > 50
    assert any(d == "README.md" and t.startswith("tillit sweep") for d, _, t, _, _ in COMMANDS)


def prose_lines():
    """(doc, line number, line) of every line outside fenced code blocks."""
    for doc in DOCS:
        in_block = False
        for no, line in enumerate(doc_lines(doc), 1):
            if re.match(r"^\s*```", line):
                in_block = not in_block
            elif not in_block:
                yield doc, no, line


PROSE_PATHS = []
for _doc, _no, _line in prose_lines():
    for _span in re.findall(r"`([^`\s]+)`", _line):
        _p = re.sub(r":\d+(-\d+)?$", "", _span)          # file.c:123
        if is_repo_path(_p) and re.match(r"^[\w./*+-]+$", _p) and not re.search(r"[A-Z]{3,}", _p):
            PROSE_PATHS.append((_doc, _no, _p))


# bare source file names in the prose (`mechanisms.c`, `test_march.c`, `free_lunch.py`)
# and build outputs (`build/tests/test_march`): a file of that name is in the repository
PROSE_NAMES = []
for _doc, _no, _line in prose_lines():
    for _span in re.findall(r"`([^`\s]+)`", _line):
        _span = re.sub(r":\d+(-\d+)?$", "", _span)
        if re.match(r"^[\w.-]+\.(c|h|py|sh|R|mjs|css|html|cmake)$", _span) or \
                re.match(r"^build[\w-]*/tests/[\w/-]+$", _span):
            PROSE_NAMES.append((_doc, _no, _span))


@functools.lru_cache(maxsize=None)
def tracked_names():
    out = subprocess.run(["git", "-C", str(SRC), "ls-files"], capture_output=True, text=True).stdout
    return {Path(p).name for p in out.split()}


@pytest.mark.parametrize("doc,line,name", PROSE_NAMES, ids=[f"{d}:{n}:{p}" for d, n, p in PROSE_NAMES])
def test_prose_name(doc, line, name):
    if (doc, name) in PROSE_ALLOW:
        assert name not in tracked_names(), f"{doc}:{line}: `{name}` is in the repository: drop it from PROSE_ALLOW"
        return
    if name.startswith("build"):
        check_build_output(name, f"{doc}:{line}")
    else:
        assert name in tracked_names(), f"{doc}:{line}: no file `{name}` in the repository"


@pytest.mark.parametrize("doc,line,path", PROSE_PATHS, ids=[f"{d}:{n}:{p}" for d, n, p in PROSE_PATHS])
def test_prose_path(doc, line, path):
    if (doc, path) in PROSE_ALLOW:
        assert not glob.glob(str(SRC / path)), f"{doc}:{line}: `{path}` exists again: drop it from PROSE_ALLOW"
        return
    assert_repo_path(path, f"{doc}:{line}")


# `tillit SUB --options` in the prose (inline code): SUB exists (`run/sweep`: both)
# and every option is in its --help. Placeholders (FILE, OUT.h5, ...) need no value.
PROSE_TILLIT = [(_doc, _no, m) for _doc, _no, _line in prose_lines()
                for m in re.findall(r"`((?:build/)?tillit [^`]+)`", _line)]


@pytest.mark.parametrize("doc,line,text", PROSE_TILLIT, ids=[f"{d}:{n}:{t}" for d, n, t in PROSE_TILLIT])
def test_prose_tillit(doc, line, text):
    where = f"{doc}:{line}: `{text}`"
    if text in PROSE_NOT_COMMANDS:
        assert not re.search(r"^\s+" + text.split()[1] + r"\b", help_text(BIN, "--help")[1], re.M), \
            f"{where}: is a command now: drop it from PROSE_NOT_COMMANDS"
        return
    words = text.split()
    code, top = help_text(BIN, "--help")
    for sub in words[1].split("/"):
        assert re.search(r"^\s+" + re.escape(sub) + r"\b", top, re.M), f"{where}: no command `tillit {sub}`"
        code, sub_help = help_text(BIN, sub, "--help")
        assert code == 0, where
        for opt in options_of(words[2:]):
            assert has_option(sub_help, opt), f"{where}: `tillit {sub}` has no option {opt}"


# directory listings in plain ``` blocks (README's layout): `sim/core/   parameters, ...`
LAYOUT = []
for _doc in DOCS:
    _lang = None
    for _no, _line in enumerate(doc_lines(_doc), 1):
        _m = re.match(r"^\s*```(\S*)", _line)
        if _m:
            _lang = _m.group(1) if _lang is None else None
            continue
        if _lang == "":
            for _w in _line.split():
                _w = _w.rstrip(",")
                if not re.match(r"^[\w.-]+(/[\w.-]+)*/$", _w):
                    break
                LAYOUT.append((_doc, _no, _w))


@pytest.mark.parametrize("doc,line,path", LAYOUT, ids=[f"{d}:{n}:{p}" for d, n, p in LAYOUT])
def test_layout_dir(doc, line, path):
    assert (SRC / path).is_dir(), f"{doc}:{line}: the directory {path} does not exist"


# relative Markdown links: [text](path) to a file of the repository
LINKS = []
for _doc in DOCS:
    for _no, _line in enumerate(doc_lines(_doc), 1):
        for _target in re.findall(r"\]\(([^)\s]+)\)", _line):
            if not re.match(r"^(https?:|mailto:|#)", _target):
                LINKS.append((_doc, _no, _target.split("#", 1)[0]))


@pytest.mark.parametrize("doc,line,target", LINKS, ids=[f"{d}:{n}:{t}" for d, n, t in LINKS])
def test_link(doc, line, target):
    path = ((SRC / doc).parent / target).resolve()
    assert path.exists(), f"{doc}:{line}: the link ({target}) points to nothing"


# identifiers of the code the docs name (`TL_C_TASK_REF`, `TL_ERR_RANGE`, `TILLIT_BIN`,
# `TL_C_EV_*`): they are in the source; a model constant given with its value
# (`TL_C_RULE_LIMIT = 0.3`, also in the ODD's formula blocks) has that value
IDENTS, CONST_VALUES = [], []
for _doc in DOCS:
    for _no, _line in enumerate(doc_lines(_doc), 1):
        for _span in re.findall(r"`((?:TL|TILLIT)_[A-Z0-9_]+\*?)(?:=[^`]*)?(?: = [^`]*)?`", _line):
            IDENTS.append((_doc, _no, _span))
        for _name, _value in re.findall(r"\b(TL_C_[A-Z0-9_]+) *= *(-?[0-9.]+)\b", _line):
            CONST_VALUES.append((_doc, _no, _name, _value))
        # the ODD's table of constants: | `TL_C_X` | 2.0 | ...
        for _name, _value in re.findall(r"^\| `(TL_C_[A-Z0-9_]+)` \| (-?[0-9.]+) \|", _line):
            CONST_VALUES.append((_doc, _no, _name, _value))
# identifiers the docs name on purpose though the code no longer has them
IDENT_ALLOW = {
    ("docs/ODD.md", "TL_C_GAMING_RECIPROCAL"): "history: model v1's constant, now the parameter gaming_reciprocal",
}


@functools.lru_cache(maxsize=None)
def defines():
    r = subprocess.run(["git", "-C", str(SRC), "grep", "-h", "-E", r"^\s*#\s*define\s+TL_C_"],
                       capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        m = re.match(r"^\s*#\s*define\s+(\w+)\s+\(?\s*(-?[0-9.]+)", line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


@pytest.mark.parametrize("doc,line,name", IDENTS, ids=[f"{d}:{n}:{i}" for d, n, i in IDENTS])
def test_identifier(doc, line, name):
    gone = (doc, name) in IDENT_ALLOW
    if name.endswith("*"):
        r = subprocess.run(["git", "-C", str(SRC), "grep", "-l", "-E", r"\b" + name[:-1] + r"\w", "--",
                            ":!docs", ":!README.md", ":!tests/docs"], capture_output=True, text=True)
        assert r.stdout.strip(), f"{doc}:{line}: nothing in the source is named {name}"
    else:
        r = subprocess.run(["git", "-C", str(SRC), "grep", "-l", "-w", name, "--", ":!docs", ":!README.md", ":!tests/docs"],
                           capture_output=True, text=True)
        if gone:
            assert not r.stdout.strip(), f"{doc}:{line}: `{name}` is in the source again: drop it from IDENT_ALLOW"
        else:
            assert r.stdout.strip(), f"{doc}:{line}: `{name}` is named nowhere in the source"


@pytest.mark.parametrize("doc,line,name,value", CONST_VALUES,
                         ids=[f"{d}:{n}:{c}" for d, n, c, _ in CONST_VALUES])
def test_constant_value(doc, line, name, value):
    assert name in defines(), f"{doc}:{line}: no #define {name}"
    assert defines()[name] == pytest.approx(float(value)), \
        f"{doc}:{line}: {name} = {value} in the doc, {defines()[name]} in the code"
