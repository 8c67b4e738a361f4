#!/usr/bin/python3
"""Check a tillit output file (schema 1) with h5py and with xarray (h5netcdf engine).

Usage: check_output.py PATH

PATH is the sample written by ``test_h5_writer --write-sample PATH``
(tests/unit/test_h5_writer.c). That file holds a known pattern:

* metric m (its position in the root attribute ``metric_names``) of point p,
  replicate r, step s (1-based): ``p*1000 + r*100 + s + m/1000``;
* agent variable v (its position in the ``snapshots`` attribute
  ``variable_names``) of point p, replicate r, snapshot j, agent a, float32:
  ``p*1000 + r*100 + j*50 + v + a/64``;
* 3 points (balanced, control, trust), 2 replicates, 5 steps, snapshots
  after steps 0 and 5 of 4 employees and 6 citizens; point 1 replicate 1
  failed after step 3 (later steps and its step-5 snapshot are NaN, its
  run_error says so); point 2 was never written (NaN, run_status 0);
* control_intensity 0.1, 0.3, 0.5; the scenario text is over 64 KiB;
* the design: "list", variables control_intensity and trust_from_above,
  design_block 0, 0, 1 and design_row 0, 1, 0.

Exit status: 0 when everything matches, 1 with the failures listed, 77 when
h5py, xarray or h5netcdf cannot be imported (ctest reports a skip).
"""

import re
import sys

try:
    import h5netcdf  # noqa: F401  (the xarray engine)
    import h5py
    import numpy as np
    import xarray as xr
except ImportError as exc:  # pragma: no cover
    print(f"check_output.py: skipped, {exc}")
    sys.exit(77)

NPOINTS, NREPS, NSTEPS = 3, 2, 5
NEMP, NCIT = 4, 6
SNAP_STEPS = [0, 5]
FAIL_STEP = 3
LABELS = ["balanced", "control", "trust"]
ERROR = "numerical error at step 3"

failures = []


def check(ok, what):
    """Record a failure unless ok."""
    if not ok:
        failures.append(what)
    return ok


def text(value):
    """A string attribute as str (h5py gives bytes for fixed-length strings)."""
    return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else str(value)


def expected_metrics(m):
    """(point, replicate, step) array of metric number m in the sample."""
    p, r, s = np.meshgrid(
        np.arange(NPOINTS), np.arange(NREPS), np.arange(1, NSTEPS + 1), indexing="ij"
    )
    v = p * 1000.0 + r * 100.0 + s + m / 1000.0
    v[2] = np.nan
    v[1, 1, FAIL_STEP:] = np.nan
    return v


def expected_snapshot(v, n):
    """(snapshot_step, point, replicate, agent) float32 array of variable v."""
    j, p, r, a = np.meshgrid(
        np.arange(len(SNAP_STEPS)), np.arange(NPOINTS), np.arange(NREPS), np.arange(n),
        indexing="ij",
    )
    x = (p * 1000.0 + r * 100.0 + j * 50.0 + v + a / 64.0).astype(np.float32)
    x[:, 2] = np.nan
    x[1, 1, 1] = np.nan
    return x


def same(a, b):
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def check_h5py(path):
    with h5py.File(path, "r") as f:
        a = f.attrs
        for name in ("title", "tillit_version", "git_revision", "schema_version", "command_line",
                     "created", "rng", "scenario_name", "scenario", "varied_parameters",
                     "metric_names", "parameter_names"):
            if check(name in a, f"h5py: root attribute {name} missing"):
                check(a.get_id(name).dtype.kind == "S",
                      f"h5py: root attribute {name} is not a fixed-length string")
        check(text(a["schema_version"]) == "1", "h5py: schema_version is not 1")
        check(text(a["title"]) == "tillit simulation output", "h5py: title")
        check(text(a["command_line"]) == 'tillit run --sample "writer test"', "h5py: command_line")
        check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text(a["created"])) is not None,
              f"h5py: created is not ISO 8601 UTC: {text(a['created'])}")
        check(a["master_seed"] == 42 and a["master_seed"].dtype == np.uint64,
              "h5py: master_seed is not uint64 42")
        check(a["replicates"] == NREPS and a["replicates"].dtype.kind == "i", "h5py: replicates")
        check(text(a["scenario_name"]) == "writer-test", "h5py: scenario_name")
        scenario = text(a["scenario"])
        check(len(scenario) > 65536 and scenario.startswith("# resolved tillit scenario"),
              f"h5py: scenario text of {len(scenario)} characters, expected over 64 KiB")
        check(text(a["varied_parameters"]) == "control_intensity trust_from_above",
              "h5py: varied_parameters")
        metrics = text(a["metric_names"]).split()
        params = text(a["parameter_names"]).split()

        # coordinates: 1-D dimension scales named after their dimension
        for name, values in (("point", np.arange(NPOINTS)), ("replicate", np.arange(NREPS)),
                             ("step", np.arange(1, NSTEPS + 1))):
            d = f[name]
            check(h5py.h5ds.is_scale(d.id), f"h5py: {name} is not a dimension scale")
            check(d.dtype == np.int32 and np.array_equal(d[()], values), f"h5py: {name} values")
        check(text(f["step"].attrs["units"]) == "1", "h5py: step units")

        # every axis of every other dataset has one scale attached
        def axes(group, prefix):
            for name, d in group.items():
                if isinstance(d, h5py.Group):
                    axes(d, prefix + name + "/")
                elif not h5py.h5ds.is_scale(d.id):
                    for i, dim in enumerate(d.dims):
                        check(len(dim) == 1, f"h5py: {prefix}{name} axis {i} has {len(dim)} scales")
        axes(f, "/")

        for m, name in enumerate(metrics):
            d = f[name]
            check(same(d[()], expected_metrics(m)), f"h5py: values of metric {name}")
            check([dim[0].name.split("/")[-1] for dim in d.dims] == ["point", "replicate", "step"],
                  f"h5py: dimensions of {name}")
            check("units" in d.attrs and "long_name" in d.attrs and "aggregation" in d.attrs,
                  f"h5py: attributes of {name}")
            check(all(d.attrs.get(k) for k in ("label_en", "label_sv", "description_sv")),
                  f"h5py: labels of {name}")
            check(np.isnan(d.fillvalue) and np.isnan(d.attrs["_FillValue"]),
                  f"h5py: fill value of {name}")
            check(d.chunks == (1, NREPS, NSTEPS) and d.compression == "gzip" and d.shuffle,
                  f"h5py: chunks/filters of {name}: {d.chunks} {d.compression}")
        for name in params:
            d = f[name]
            check(d.shape == (NPOINTS,) and d.dtype == np.float64, f"h5py: parameter {name}")
            lo, hi = d.attrs["valid_min"], d.attrs["valid_max"]
            check(bool(np.all((d[()] >= lo) & (d[()] <= hi))), f"h5py: {name} outside valid range")
            check("units" in d.attrs and "long_name" in d.attrs, f"h5py: attributes of {name}")
            check(all(d.attrs.get(k) for k in ("label_en", "label_sv", "description_sv")),
                  f"h5py: labels of {name}")
        check(np.allclose(f["control_intensity"][()], [0.1, 0.3, 0.5]), "h5py: control_intensity")
        check([s.decode() for s in f["point_label"][()]] == LABELS, "h5py: point_label")
        check(np.array_equal(f["run_status"][()], [[1, 1], [1, 2], [0, 0]]), "h5py: run_status")
        check(text(a["design"]) == "list" and a["design_base"] == 0, "h5py: design attributes")
        check([text(x) for x in f["design_variable"][()]] == ["control_intensity",
                                                              "trust_from_above"],
              "h5py: design_variable")
        check(np.allclose(f["design_values"][:, 0], f["control_intensity"][()]),
              "h5py: design_values")
        check(f["design_block"][()].tolist() == [0, 0, 1] and f["design_row"][()].tolist() == [0, 1, 0],
              "h5py: design_block/design_row")
        errs = [[text(x) for x in row] for row in f["run_error"][()]]
        check(errs == [["", ""], ["", ERROR], ["", ""]], f"h5py: run_error {errs}")

        g = f["snapshots"]
        check(np.array_equal(g["snapshot_step"][()], SNAP_STEPS), "h5py: snapshot_step")
        for v, name in enumerate(text(g.attrs["variable_names"]).split()):
            n = NEMP if text(g[name].attrs["agent"]) == "employee" else NCIT
            check(same(g[name][()], expected_snapshot(v, n)), f"h5py: snapshot values of {name}")
    return metrics, params


def check_xarray(path, metrics, params):
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        check(dict(ds.dims) == {"point": NPOINTS, "replicate": NREPS, "step": NSTEPS,
                                "design_variable": 2},
              f"xarray: dimensions {dict(ds.dims)}")
        for name in ["point_label"] + params:
            check(name in ds.coords, f"xarray: {name} is not a coordinate")
        for name in metrics + ["run_status", "run_error"]:
            check(name in ds.data_vars, f"xarray: {name} is not a data variable")
        check(ds.step.values.tolist() == list(range(1, NSTEPS + 1)), "xarray: step values")
        check(ds.step.attrs.get("units") == "1", "xarray: step units")
        check(ds.attrs.get("schema_version") == "1", "xarray: schema_version")
        check(len(ds.attrs.get("scenario", "")) > 65536, "xarray: scenario text")
        for m, name in enumerate(metrics):
            da = ds[name]
            check(da.dims == ("point", "replicate", "step"), f"xarray: dims of {name}")
            check(same(da.values, expected_metrics(m)), f"xarray: values of {name}")
            check(isinstance(da.attrs.get("units"), str) and "long_name" in da.attrs,
                  f"xarray: attributes of {name}: {da.attrs}")
        check(bool(ds.quality_true.sel(point=2).isnull().all()), "xarray: point 2 is not missing")
        check(ds.point_label.values.tolist() == LABELS, "xarray: point_label")
        check(np.allclose(ds.control_intensity.values, [0.1, 0.3, 0.5]),
              "xarray: control_intensity")
        check(ds.control_intensity.attrs.get("units") == "1", "xarray: control_intensity units")
        check(ds.run_status.dtype == np.int8, f"xarray: run_status is {ds.run_status.dtype}")
        check(ds.run_status.values.tolist() == [[1, 1], [1, 2], [0, 0]], "xarray: run_status")
        check(ds.run_error.values[1, 1] == ERROR, "xarray: run_error")
        check("design_block" in ds.coords and "design_row" in ds.coords,
              "xarray: design_block/design_row are not coordinates")
        check(np.allclose(ds.design_values.sel(design_variable="control_intensity").values,
                          [0.1, 0.3, 0.5]), "xarray: design_values by design_variable")
        # what an analyst does: mean over replicates, select by a parameter
        mean = ds.quality_true.mean("replicate")
        check(mean.dims == ("point", "step"), "xarray: mean over replicates")
        by_control = ds.quality_true.swap_dims(point="control_intensity")
        check(float(by_control.sel(control_intensity=0.1, replicate=0, step=1)) == 1.0,
              "xarray: selecting by a parameter coordinate")

    with xr.open_dataset(path, group="snapshots", engine="h5netcdf") as s:
        check(dict(s.dims) == {"snapshot_step": 2, "point": NPOINTS, "replicate": NREPS,
                               "employee": NEMP, "citizen": NCIT},
              f"xarray: snapshot dimensions {dict(s.dims)}")
        check(s.snapshot_step.values.tolist() == SNAP_STEPS, "xarray: snapshot_step")
        for v, name in enumerate(s.attrs["variable_names"].split()):
            n = NEMP if s[name].attrs["agent"] == "employee" else NCIT
            check(s[name].dtype == np.float32, f"xarray: {name} is not float32")
            check(same(s[name].values, expected_snapshot(v, n)), f"xarray: values of {name}")
            check("units" in s[name].attrs, f"xarray: units of {name}")


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    path = argv[1]
    metrics, params = check_h5py(path)
    check_xarray(path, metrics, params)
    if failures:
        print(f"{path}: {len(failures)} check(s) failed:")
        for f in failures:
            print("  " + f)
        return 1
    print(f"{path}: h5py and xarray (h5netcdf) read it as documented "
          f"({len(metrics)} metrics, {len(params)} parameters)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
