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

/* What design column j sets in a point made on demand. */
typedef enum { TL_PV_PARAM, TL_PV_AT, TL_PV_RAMP, TL_PV_VALUE } tl_point_var_kind;
typedef struct tl_point_var {
    tl_point_var_kind kind;
    int index; /* TL_PV_PARAM: the parameter; else the change in the base's schedule */
} tl_point_var;

/* Points made on demand (a large design: tl_point is 3.3 KB, so 10^6 points
 * held at once take 3.3 GB): point k is base k / nrows with design row
 * k % nrows (the scenario's design_values of point k) applied, labelled
 * "SPEC/ROW" (a listed point's label, then the CSV row's label or "pR"), then
 * the command line's settings (post) applied over it. tl_scenario_point()
 * makes one. */
typedef struct tl_point_gen {
    int nbases, nrows;
    tl_point *bases;              /* owned, nbases; label: the listed point's, "" none */
    int speclab;                  /* labels are "SPEC/ROW" (the design has listed points) */
    tl_point_var *vars;           /* owned, the scenario's ndesign */
    char (*rowlab)[TL_LABEL_MAX]; /* owned, nrows, or NULL: a CSV design's labels ("" = pR) */
    int npost;
    int *post_param;              /* owned, npost: set after the design row (--set, --steps) */
    double *post_value;
} tl_point_gen;

/* Designs of more points than this are made on demand (tl_point_gen);
 * TILLIT_TEST_POINTS_ON_DEMAND=N lowers it for tests. */
#define TL_POINTS_ON_DEMAND 100000
int tl_points_on_demand_above(void);

/* What a run command executes: every point x every replicate. */
typedef struct tl_scenario {
    char name[TL_LABEL_MAX];
    char *description;     /* owned, may be NULL */
    int npoints;
    tl_point *points;      /* owned, npoints; NULL when gen makes them: use tl_scenario_point() */
    tl_point_gen *gen;     /* owned, or NULL: the points are made on demand */
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

/* Point k (0 <= k < npoints): a pointer into the scenario, or, when the
 * points are made on demand, buf filled with it (valid until buf is reused). */
const tl_point *tl_scenario_point(const tl_scenario *sc, int k, tl_point *buf);
/* Point k of a generator over design values x (npoints x ndesign) into out. */
void tl_point_gen_make(const tl_point_gen *g, const double *x, int ndesign, int k, tl_point *out);
/* The label of a design's point: "SPEC/ROW", or the one given (both fit: the
 * loader checks). */
void tl_point_label(char *out, const char *spec, const char *row);
void tl_point_gen_free(tl_point_gen *g);
/* Set parameter `param` to `value` at every point (after any design value):
 * the command line's --set and --steps. Errors: TL_ERR_NOMEM. */
tl_status tl_scenario_set_everywhere(tl_scenario *sc, int param, double value, tl_error *err);
/* Add a scheduled change at every point. Errors: those of tl_schedule_add. */
tl_status tl_scenario_schedule_everywhere(tl_scenario *sc, const char *param, double at,
                                          double ramp, double value, tl_error *err);

/* Empty scenario: no points, 1 replicate, seed 1. */
void tl_scenario_init(tl_scenario *sc);
void tl_scenario_clear(tl_scenario *sc);
/* Append a point (copied). Errors: TL_ERR_NOMEM. */
tl_status tl_scenario_add_point(tl_scenario *sc, const tl_point *pt, tl_error *err);
/* Validate every point, replicates, snapshots (sorted, within the horizon,
 * equal horizons and sizes across points when snapshots are asked for) and
 * fill in `varied`. Errors: TL_ERR_RANGE, TL_ERR_CONFLICT, TL_ERR_NOMEM. */
tl_status tl_scenario_finalise(tl_scenario *sc, tl_error *err);
/* The first point whose employees or citizens differ from point 0's (agent
 * snapshots need them alike at every point); 0 when none does. */
int tl_scenario_agents_unlike(const tl_scenario *sc);
/* Replicates per block of work and per chunk of the output file, so that
 * one chunk of one metric (replicates x steps doubles) is at most 256 KiB. */
int tl_scenario_block_reps(const tl_scenario *sc);
/* The blocks of work: a point's R replicates split into blocks of B (the
 * last one holds the rest), block b = point*bpp + j with bpp blocks per
 * point; the block's first replicate and its number of replicates. */
static inline int tl_blocks_per_point(int R, int B) { return (R + B - 1) / B; }
static inline int tl_block_r0(int b, int bpp, int B) { return (b % bpp) * B; }
static inline int tl_block_nrep(int b, int bpp, int B, int R)
{
    int r0 = tl_block_r0(b, bpp, B);
    return R - r0 < B ? R - r0 : B;
}

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
/* The length of tl_scenario_to_yaml's text without making it: exact up to 1,000
 * points, measured on 1,000 points spread over the design above (the estimate's
 * memory: a writer holds the text and HDF5 two copies of it). */
double tl_scenario_yaml_bytes(const tl_scenario *sc);

#ifdef __cplusplus
}
#endif
#endif
