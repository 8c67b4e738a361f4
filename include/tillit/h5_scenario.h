/* tillit/h5_scenario.h — the scenario stored in a tillit output file, read back to repeat its runs. */
#ifndef TILLIT_H5_SCENARIO_H
#define TILLIT_H5_SCENARIO_H

#include "tillit/scenario.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when path is an HDF5 file (by its signature at offset 0). */
int tl_is_hdf5_file(const char *path);

/* The resolved scenario of an output file (root attribute `scenario`, YAML),
 * parsed as tl_scenario_parse_yaml does; the points, parameters, schedules,
 * replicates, seed and output settings of the original. Errors: TL_ERR_IO,
 * TL_ERR_PARSE (not a tillit file), and those of tl_scenario_parse_yaml. */
tl_status tl_scenario_load_h5(const char *path, tl_scenario *sc, tl_error *err);

#ifdef __cplusplus
}
#endif
#endif
