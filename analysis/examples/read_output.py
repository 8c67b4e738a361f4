#!/usr/bin/python3
"""Read a tillit output file in Python: the late-period mean of one metric per point.

Usage: PYTHONPATH=analysis /usr/bin/python3 analysis/examples/read_output.py FILE [METRIC] [WEEKS]

Prints one line per point: label, the mean over replicates of each run's mean
over the last WEEKS weeks (default 52) of METRIC (default quality_true), and
the number of replicates that finished. Failed and not-run runs are NaN in the
loaded data and so left out. read_output.R prints the same lines from R.
"""

import sys

import tillit_analysis as ta

if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
    print(__doc__.strip())
    sys.exit(0 if len(sys.argv) > 1 else 2)
path = sys.argv[1]
metric = sys.argv[2] if len(sys.argv) > 2 else "quality_true"
weeks = int(sys.argv[3]) if len(sys.argv) > 3 else 52

ds = ta.load(path, metrics=[metric])          # point x replicate x step, masked
per_run = ta.late_mean(ds, metric, weeks)     # point x replicate: mean of the last weeks
mean = per_run.mean("replicate")              # NaN (masked) runs are skipped
n_ok = (ds.run_status == ta.RUN_OK).sum("replicate")

print(f"# {metric} ({ds[metric].attrs['units']}), mean of the last {weeks} weeks")
for label, m, n in zip(ds.point_label.values, mean.values, n_ok.values):
    print(f"{label}\t{m:.10g}\t{int(n)}")
