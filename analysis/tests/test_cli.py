"""Every command writes a non-empty, valid figure (PNG, SVG, PDF) or HTML report."""

import base64
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import matplotlib.image as mpimg
import pytest

from tillit_analysis.cli import main

from conftest import ANALYSIS, REPO

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def check_png(path, min_px=600):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == PNG_MAGIC, f"{path} is not a PNG"
    img = mpimg.imread(path)
    assert img.shape[0] >= min_px // 2 and img.shape[1] >= min_px, img.shape
    # not a blank page: many distinct colours
    assert len({tuple(p) for p in img[::7, ::7].reshape(-1, img.shape[2])[:20000]}) > 20


def check_svg(path):
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) > 50


def check_pdf(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert len(data) > 5000


CHECK = {".png": check_png, ".svg": check_svg, ".pdf": check_pdf}


def run(args, capsys=None):
    code = main([str(a) for a in args])
    out = capsys.readouterr() if capsys else None
    return code, out


@pytest.mark.parametrize("ext", [".png", ".svg", ".pdf"])
def test_compare_default_file(default_file, tmp_path, ext, capsys):
    out = tmp_path / f"cmp{ext}"
    code, o = run(["compare", default_file, "-o", out], capsys)
    assert code == 0, o.err
    assert f"wrote {out}" in o.out
    CHECK[ext](out)


def test_compare_swedish_and_two_files(default_file, copy_of, tmp_path):
    other = copy_of(default_file, "other.h5")
    out = tmp_path / "cmp_sv.png"
    assert run(["compare", default_file, other, "--lang", "sv", "-o", out, "-w", "20"]) == (0, None)
    check_png(out)


def test_timeseries(default_file, tmp_path, capsys):
    out = tmp_path / "ts.svg"
    code, o = run(["timeseries", default_file, "-o", out], capsys)
    assert code == 0, o.err
    check_svg(out)
    out2 = tmp_path / "ts2.png"
    code, o = run(["timeseries", default_file, default_file, "-m", "quality_true", "-m",
                   "incidents", "--band", "q90", "--smooth", "0", "--points",
                   "control-based,trust-based", "--lang", "sv", "-o", out2], capsys)
    assert code == 0, o.err
    check_png(out2)


def test_sweep_heatmap_curve_and_scatter(grid_file, line_file, sobol_file, tmp_path, capsys):
    for src, name, extra in ((grid_file, "heat.png", []), (line_file, "line.pdf", []),
                             (grid_file, "lines.svg", ["--style", "lines", "-m", "cost"]),
                             (sobol_file, "scatter.png", ["-m", "quality_true"])):
        out = tmp_path / name
        code, o = run(["sweep", src, "-o", out, "-w", "20"] + extra, capsys)
        assert code == 0, (name, o.err)
        CHECK[os.path.splitext(name)[1]](out)


def test_frontier(grid_file, default_file, tmp_path, capsys):
    out = tmp_path / "fr.png"
    code, o = run(["frontier", grid_file, "-o", out], capsys)
    assert code == 0, o.err
    check_png(out)
    out = tmp_path / "fr.svg"
    code, o = run(["frontier", default_file, "-x", "time_documentation", "-y",
                   "motivation_mean", "-c", "equal_gap", "--lang", "sv", "-o", out], capsys)
    assert code == 0, o.err
    check_svg(out)


def test_sensitivity_sobol_and_morris(sobol_file, morris_file, tmp_path, capsys):
    out = tmp_path / "sobol.png"
    csv = tmp_path / "sobol.csv"
    code, o = run(["sensitivity", sobol_file, "-o", out, "--bootstrap", "200", "-w", "20",
                   "--csv", csv], capsys)
    assert code == 0, o.err
    check_png(out)
    assert "S1" in o.out and "schedule_0_value" in o.out
    assert csv.read_text().startswith("metric,condition,variable,S1")
    assert "second-order" not in o.out  # a first-order design has no BA blocks
    code, o = run(["sensitivity", sobol_file, "-o", tmp_path / "s.png", "--bootstrap", "50",
                   "-w", "20", "--s2-csv", tmp_path / "s2.csv"], capsys)
    assert code != 0 and "second_order: true" in o.err
    out = tmp_path / "morris.pdf"
    code, o = run(["sensitivity", morris_file, "-o", out, "--bootstrap", "200", "-w", "20",
                   "--lang", "sv"], capsys)
    assert code == 0, o.err
    check_pdf(out)
    assert "mu_star" in o.out


def _embedded_svgs(text):
    return re.findall(r"<svg.*?</svg>", text, re.S)


def test_report_inline_svg(default_file, tmp_path, capsys):
    out = tmp_path / "report.html"
    code, o = run(["report", default_file, "-o", out], capsys)
    assert code == 0, o.err
    text = out.read_text(encoding="utf-8")
    svgs = _embedded_svgs(text)
    assert len(svgs) >= 3  # compare, timeseries, frontier
    for s in svgs:
        ET.fromstring(s)
    ids = re.findall(r'id="([^"]+)"', text)
    assert len(ids) == len(set(ids)), "element ids repeat between figures"
    for must in ("tillit_version", "git_revision", "command_line", "schema_version",
                 "control_intensity", "Parameters", "Provenance", "sha256"):
        assert must in text, must
    # self-contained: nothing loaded from elsewhere (XML namespaces are only names)
    assert not re.search(r'(src|href)="(https?:|//|file:)|<link|url\((https?:|//)', text)
    assert "<script" not in text


def test_report_png_swedish_sweep(sobol_file, copy_of, tmp_path, capsys):
    import h5py

    path = copy_of(sobol_file)
    with h5py.File(path, "r+") as f:  # one failed run
        st = f["run_status"][()]
        st[0, 0] = 2
        f["run_status"][...] = st
    out = tmp_path / "report.html"
    code, o = run(["report", path, "-o", out, "--figures", "png", "--lang", "sv"], capsys)
    assert code == 0, o.err
    text = out.read_text(encoding="utf-8")
    imgs = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(imgs) >= 3  # sweep, frontier, sensitivity
    for b in imgs:
        assert base64.b64decode(b)[:8] == PNG_MAGIC
    assert "Parametrar" in text and "Känslighetsindex" in text and "S1" in text
    assert "misslyckade" in text


def test_refuses_to_overwrite_and_bad_input(default_file, sobol_file, tmp_path, capsys):
    out = tmp_path / "x.png"
    out.write_bytes(b"keep")
    code, o = run(["compare", default_file, "-o", out], capsys)
    assert code == 2 and "--force" in o.err and out.read_bytes() == b"keep"
    code, o = run(["timeseries", default_file, "-m", "qualty_true", "-o", tmp_path / "y.png"],
                  capsys)
    assert code == 1 and "did you mean 'quality_true'" in o.err
    code, o = run(["sensitivity", default_file, "-o", tmp_path / "z.png"], capsys)
    assert code == 1 and "design" in o.err
    code, o = run(["compare", sobol_file, "-o", tmp_path / "w.png"], capsys)
    assert code == 1 and "--points" in o.err
    code, o = run(["compare", tmp_path / "missing.h5", "-o", tmp_path / "v.png"], capsys)
    assert code == 1 and "missing.h5" in o.err
    with pytest.raises(SystemExit):
        main(["compare", default_file, "-o", str(tmp_path / "u.gif")])
    assert not (tmp_path / "y.png").exists() and not (tmp_path / "z.png").exists()


def test_module_runs_from_the_repository_root(default_file, tmp_path):
    out = tmp_path / "m.png"
    env = dict(os.environ, PYTHONPATH="analysis", PYTHONDONTWRITEBYTECODE="1")
    res = subprocess.run([sys.executable, "-m", "tillit_analysis", "compare", default_file,
                          "-o", str(out)], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    check_png(out)
    res = subprocess.run([sys.executable, "-m", "tillit_analysis", "--help"], cwd=REPO, env=env,
                         capture_output=True, text=True)
    assert res.returncode == 0
    for cmd in ("timeseries", "compare", "sweep", "frontier", "sensitivity", "report"):
        assert cmd in res.stdout
    assert os.path.isdir(os.path.join(ANALYSIS, "tillit_analysis"))


def _damaged_files(default_file, tmp_path):
    """Damaged and foreign files of the kinds a crash or a mistake leaves."""
    import h5py

    good = open(default_file, "rb").read()
    files = {"empty.h5": b"", "truncated.h5": good[:5000], "random.h5": os.urandom(9000),
             "text.h5": b"name: not hdf5\n"}
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["x"] = 1
    with h5py.File(tmp_path / "half.h5", "w") as f:
        f.attrs["metric_names"] = "quality_true"
        f["quality_true"] = [[[1.0]]]
        f["run_status"] = [1, 2, 3]
    with h5py.File(tmp_path / "strings.h5", "w") as f:
        f.attrs["metric_names"] = 5
        f["quality_true"] = [[[1.0]]]
        f["run_status"] = "x"
    (tmp_path / "dir.h5").mkdir()
    j = tmp_path / "nolayout.h5.journal"
    j.mkdir()
    bad = tmp_path / "badlayout.h5.journal"
    bad.mkdir()
    (bad / "layout.h5").write_bytes(b"\0" * 100)
    return paths + [tmp_path / n for n in ("other.h5", "half.h5", "strings.h5", "dir.h5")] + [j, bad]


@pytest.mark.parametrize("command", ["timeseries", "compare", "sweep", "frontier", "sensitivity",
                                     "report"])
def test_damaged_files_get_one_line_not_a_traceback(default_file, tmp_path, command, capsys):
    # in this process: a traceback would be an exception out of main()
    for path in _damaged_files(default_file, tmp_path):
        out = tmp_path / ("r.html" if command == "report" else "r.png")
        code, o = run([command, path, "-o", out, "--force"], capsys)
        assert code == 1, (path, o.err)
        assert path.name in o.err and len(o.err.strip().splitlines()) == 1, (path, o.err)
        assert not out.exists()


def test_a_missing_journal_is_named_once(tmp_path, capsys):
    code, o = run(["timeseries", tmp_path / "gone.h5.journal", "-o", tmp_path / "v.png"], capsys)
    assert code == 1 and "gone.h5.journal: no such journal" in o.err
    assert ".journal.journal" not in o.err


def test_report_and_timeseries_of_a_thinned_float32_file(tillit, tmp_path, capsys):
    from conftest import run_engine
    path = str(tmp_path / "thin.h5")
    run_engine(tillit, ["run", "-r", "2", "-t", "60", "-q", "-o", path, "--record-every", "7", "--dtype", "float32"])
    out = tmp_path / "report.html"
    code, o = run(["report", path, "-o", out], capsys)
    assert code == 0, o.err
    assert "× 60 weeks" in out.read_text(encoding="utf-8")  # the last week, not the 9 kept steps
    code, o = run(["timeseries", path, "-o", tmp_path / "ts.png"], capsys)
    assert code == 0, o.err
