"""tillit_analysis: read tillit's HDF5 output and draw the trade-offs of steering regimes.

>>> import tillit_analysis as ta
>>> ds = ta.load("tillit-default-s1.h5")          # xarray.Dataset, point x replicate x step
>>> df = ta.load("tillit-default-s1.h5", tidy=True)  # tidy pandas DataFrame
>>> runs = ta.to_runs(ds)                          # one row per run (tillit table)
>>> pts = ta.to_points(ds)                         # one row per point, mean and 95 % CI

Command line: ``python3 -m tillit_analysis {timeseries,compare,sweep,frontier,sensitivity,convergence,report}``.
"""

from .io import (  # noqa: F401
    RUN_FAILED, RUN_NOT_RUN, RUN_OK, design_variables, late_mean, load, metric_names,
    replicate_convergence, replicate_stats, run_counts, to_frame, to_points, to_runs, window_mask,
)
from .i18n import CRITERIA, criteria, metric_better  # noqa: F401
from .paired import paired_difference, uses_crn  # noqa: F401
from .sensitivity import (morris_indices, sobol2_from_dataset, sobol_convergence,  # noqa: F401
                          sobol_indices, sobol_second_order)

__version__ = "0.1.0"
__all__ = ["load", "to_frame", "to_runs", "to_points", "paired_difference", "uses_crn", "metric_names", "design_variables", "late_mean",
           "replicate_stats", "replicate_convergence", "run_counts", "window_mask", "sobol_indices", "sobol_convergence", "sobol_second_order", "sobol2_from_dataset",
           "morris_indices", "CRITERIA", "criteria", "metric_better",
           "RUN_OK", "RUN_FAILED", "RUN_NOT_RUN"]
