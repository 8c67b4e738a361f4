"""Fixtures: output files written by the built engine in this test run.

The engine is ``$TILLIT_BIN``, else ``build/tillit`` under the repository
root (analysis/run_tests.sh builds it when missing). Every file is small
(a few points x 2-3 replicates x 40-60 weeks in a small organisation), so
the whole suite runs in well under a minute of engine time.
"""

import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ANALYSIS = os.path.dirname(HERE)
REPO = os.path.dirname(ANALYSIS)
if ANALYSIS not in sys.path:
    sys.path.insert(0, ANALYSIS)

SMALL_ORG = "organisation: {units: 4, employees: 40, citizens: 1000}\n"


def _tillit():
    path = os.environ.get("TILLIT_BIN") or os.path.join(REPO, "build", "tillit")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"no tillit engine at {path}: build it (cmake --build build) or set TILLIT_BIN",
                    pytrace=False)
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def tillit():
    return _tillit()


def run_engine(tillit, args, cwd=None):
    """Run the engine; fail the test with its output if it does not succeed."""
    res = subprocess.run([tillit] + args, cwd=cwd, capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        pytest.fail(f"tillit {' '.join(args)} exited {res.returncode}:\n{res.stdout}\n{res.stderr}")
    return res


@pytest.fixture(scope="session")
def outdir(tmp_path_factory):
    return tmp_path_factory.mktemp("tillit-out")


@pytest.fixture(scope="session")
def default_file(tillit, outdir):
    """The built-in default comparison (control-based, balanced, trust-based), 3 x 60 weeks."""
    path = str(outdir / "default.h5")
    run_engine(tillit, ["run", "-r", "3", "-t", "60", "-q", "-o", path])
    return path


def _scenario(tillit, outdir, name, text):
    yaml = outdir / f"{name}.yaml"
    yaml.write_text(text)
    path = str(outdir / f"{name}.h5")
    run_engine(tillit, ["run", str(yaml), "-q", "-o", path])
    return path


@pytest.fixture(scope="session")
def grid_file(tillit, outdir):
    """A 3 x 2 grid over control_intensity and control_mode, 2 replicates, 60 weeks."""
    return _scenario(tillit, outdir, "grid", f"""name: test-grid
preset: balanced
{SMALL_ORG}run: {{steps: 60, replicates: 2, seed: 5}}
sweep:
  design: grid
  parameters:
    control_intensity: [0.05, 0.3, 0.55]
    control_mode: [0, 1]
""")


@pytest.fixture(scope="session")
def line_file(tillit, outdir):
    """A one-parameter sweep over mandate (4 points x 2 replicates)."""
    return _scenario(tillit, outdir, "line", f"""name: test-line
preset: balanced
{SMALL_ORG}run: {{steps: 50, replicates: 2, seed: 9}}
sweep:
  design: grid
  parameters:
    mandate: {{from: 0.2, to: 0.8, steps: 4}}
""")


@pytest.fixture(scope="session")
def sobol_file(tillit, outdir):
    """A Saltelli design (N = 8, 3 variables, one a schedule setting): 40 points."""
    return _scenario(tillit, outdir, "sobol", f"""name: test-sobol
preset: balanced
{SMALL_ORG}run: {{steps: 40, replicates: 1, seed: 2}}
schedule:
  - {{param: control_intensity, at: 20, value: 0.1}}
sweep:
  design: sobol
  samples: 8
  parameters:
    baseline_trust: {{min: 0.2, max: 1}}
    mandate: {{min: 0.1, max: 0.9}}
    schedule.0.value: {{min: 0, max: 0.5}}
""")


@pytest.fixture(scope="session")
def morris_file(tillit, outdir):
    """A Morris design: 4 trajectories over 3 variables (16 points)."""
    return _scenario(tillit, outdir, "morris", f"""name: test-morris
preset: balanced
{SMALL_ORG}run: {{steps: 40, replicates: 1, seed: 4}}
sweep:
  design: morris
  trajectories: 4
  levels: 4
  seed: 3
  parameters:
    control_intensity: {{min: 0, max: 0.6}}
    support: {{min: 0, max: 1}}
    error_tolerance: {{min: 0, max: 1}}
""")


@pytest.fixture()
def copy_of(tmp_path):
    """Copy a file into this test's directory (to edit it with h5py)."""
    def _copy(path, name="copy.h5"):
        dst = tmp_path / name
        shutil.copy(path, dst)
        return str(dst)
    return _copy
