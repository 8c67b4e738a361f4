/* tillit/scenario.h — a scenario: the points (parameter sets with schedules) to run, replicates, seed, snapshots. */
#ifndef TILLIT_SCENARIO_H
#define TILLIT_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "tillit/params.h"
#include "tillit/schedule.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TL_LABEL_MAX 64
#define TL_SNAP_MAX 64

/* One point of a design: a full parameter set and its schedule. */
typedef struct tl_point {
    char label[TL_LABEL_MAX]; /* e.g. the preset name, or "p17" */
    tl_params params;
    tl_schedule sched;
} tl_point;

/* What a run command executes: every point x every replicate. */
typedef struct tl_scenario {
    char name[TL_LABEL_MAX];
    char *description;     /* owned, may be NULL */
    int npoints;
    tl_point *points;      /* owned, npoints */
    int replicates;
    uint64_t seed;
    int crn;               /* common random numbers: replicate r of every point draws the same
                              streams (the key's point word is 0), so point differences are
                              paired; 0 (default): streams keyed by (seed, point, replicate) */
    char *record_metrics;  /* owned: space-separated metrics the output stores, in table order;
                              NULL = every metric (the default) */
    int summary_only;      /* output: {time_series: false}: per-run statistics over the last
                              summary_window steps (group `runs`) instead of time series */
    int summary_window;    /* steps; 0 = the default, 52 */
    int record_every;      /* output: {every: K}: time series keep steps K, 2K, ... and the
                              last (tl_record_nsteps); 0 or 1 = every step */
    int record_f32;        /* output: {dtype: float32}: time series (and group runs) stored
                              as float32; the computation stays double */
    int n_snap;            /* agent snapshots after these steps (0 = initial) */
    int snap_steps[TL_SNAP_MAX];
    int nvaried;           /* parameters that differ between points */
    int *varied;           /* owned: their indices, in table order */

    /* How the points were made (a sweep design); written to the output so
     * that analyses (e.g. Sobol or Morris sensitivity) can be rebuilt. */
    char design[32];       /* "single", "list", "grid", "lhs", "sobol", "sobol-saltelli",
                              "morris", "csv"; "" = not recorded */
    int design_base;       /* N base samples (sobol, saltelli), trajectories (morris) */
    int ndesign;           /* design variables: parameters or schedule settings */
    char (*design_names)[TL_LABEL_MAX]; /* owned, ndesign: "mandate", "schedule_0_at" */
    double *design_values; /* owned, npoints x ndesign (unit-free values as set) */
    int *design_block;     /* owned, npoints or NULL: saltelli 0=A 1=B 2+i=AB_i; morris trajectory */
    int *design_row;       /* owned, npoints or NULL: row within the block */
} tl_scenario;

/* Empty scenario: no points, 1 replicate, seed 1. */
void tl_scenario_init(tl_scenario *sc);
void tl_scenario_clear(tl_scenario *sc);
/* Append a point (copied). Errors: TL_ERR_NOMEM. */
tl_status tl_scenario_add_point(tl_scenario *sc, const tl_point *pt, tl_error *err);
/* Validate every point, replicates, snapshots (sorted, within the horizon,
 * equal horizons and sizes across points when snapshots are asked for) and
 * fill in `varied`. Errors: TL_ERR_RANGE, TL_ERR_CONFLICT, TL_ERR_NOMEM. */
tl_status tl_scenario_finalise(tl_scenario *sc, tl_error *err);
/* Replicates per block of work and per chunk of the output file, so that
 * one chunk of one metric (replicates x steps doubles) is at most 256 KiB. */
int tl_scenario_block_reps(const tl_scenario *sc);

/* Record only these metrics (names separated by commas or spaces) in the
 * output file; all of them is the default (record_metrics NULL). Errors:
 * TL_ERR_UNKNOWN_KEY (a name not in the metric table, with a suggestion),
 * TL_ERR_RANGE (no names), TL_ERR_NOMEM. */
tl_status tl_scenario_set_record(tl_scenario *sc, const char *names, tl_error *err);
/* 1 when metric m (table index) is stored in the output. */
int tl_scenario_records(const tl_scenario *sc, int m);
/* How many metrics the output stores. */
int tl_scenario_nrecorded(const tl_scenario *sc);

/* Thinning of the time series (output: {every: K}): of steps 1..T the file
 * keeps K, 2K, ... and always the last, T. How many (ceil(T/K)), and the
 * i-th (0-based) of them as a step number 1..T. K < 1 counts as 1. */
int tl_record_nsteps(int T, int K);
int tl_record_step(int T, int K, int i);

/* Longest horizon over the points (the length of the step axis). */
int tl_scenario_steps(const tl_scenario *sc);

/* The scenario written out in full (every parameter of every point, the
 * schedules, replicates, seed) as YAML that `tillit run` reads back.
 * Caller frees. NULL when out of memory. */
char *tl_scenario_to_yaml(const tl_scenario *sc);

#ifdef __cplusplus
}
#endif
#endif
