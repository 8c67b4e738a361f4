#!/usr/bin/env Rscript
# Read a tillit output file in R with hdf5r (Debian 12: apt-get install r-cran-hdf5r).
#
# Usage: Rscript analysis/examples/read_output.R FILE [METRIC] [WEEKS]
#
# Prints one line per point: label, the mean over replicates of each run's
# mean over the last WEEKS weeks (default 52) of METRIC (default quality_true),
# and the number of replicates that finished -- the same lines as
# read_output.py. Runs whose run_status is not 1 (0 not run, 2 failed) are
# set to NA before averaging, never counted as zeros.
suppressPackageStartupMessages(library(hdf5r))

args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
metric <- if (length(args) >= 2) args[2] else "quality_true"
weeks <- if (length(args) >= 3) as.integer(args[3]) else 52L

f <- H5File$new(path, mode = "r")
d <- f[[metric]]
x <- d$read()                         # hdf5r reverses the axes: x[step, replicate, point]
units <- h5attr(d, "units")
status <- f[["run_status"]]$read()    # status[replicate, point]: 0 not run, 1 ok, 2 failed
labels <- f[["point_label"]]$read()   # one label per point
horizon <- f[["steps"]]$read()        # each point's horizon in weeks
f$close_all()

cat(sprintf("# %s (%s), mean of the last %d weeks\n", metric, units, weeks))
for (p in seq_along(labels)) {
  window <- seq(max(1, horizon[p] - weeks + 1), horizon[p])
  ok <- status[, p] == 1
  per_run <- rep(NA_real_, length(ok))
  for (r in which(ok)) per_run[r] <- mean(x[window, r, p], na.rm = TRUE)
  m <- if (any(ok)) mean(per_run, na.rm = TRUE) else NaN
  cat(sprintf("%s\t%.10g\t%d\n", labels[p], m, sum(ok)))
}
