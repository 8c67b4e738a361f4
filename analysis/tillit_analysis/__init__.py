"""tillit_analysis: read tillit's HDF5 output and draw the trade-offs of steering regimes.

>>> import tillit_analysis as ta
>>> ds = ta.load("tillit-default-s1.h5")          # xarray.Dataset, point x replicate x step
>>> df = ta.load("tillit-default-s1.h5", tidy=True)  # tidy pandas DataFrame

Command line: ``python3 -m tillit_analysis {timeseries,compare,sweep,frontier,sensitivity,report}``.
"""

from .io import (  # noqa: F401
    RUN_FAILED, RUN_NOT_RUN, RUN_OK, design_variables, late_mean, load, metric_names,
    replicate_stats, run_counts, to_frame, window_mask,
)
from .sensitivity import morris_indices, sobol_indices  # noqa: F401

__version__ = "0.1.0"
__all__ = ["load", "to_frame", "metric_names", "design_variables", "late_mean",
           "replicate_stats", "run_counts", "window_mask", "sobol_indices", "morris_indices",
           "RUN_OK", "RUN_FAILED", "RUN_NOT_RUN"]
