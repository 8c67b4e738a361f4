/* tillit/table.h — the experiment table: one row per run (point, replicate, seed, design values,
 * statistics of metrics over a window of steps), read from an output file or from the journal of
 * a sweep that is still running or was interrupted. */
#ifndef TILLIT_TABLE_H
#define TILLIT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Statistics of a run's metric over the window; the columns are named
 * <metric>_<stat> in this order. */
enum {
    TL_TSTAT_MEAN,
    TL_TSTAT_SD,
    TL_TSTAT_MIN,
    TL_TSTAT_MAX,
    TL_TSTAT_LAST,
    TL_TSTAT_SUM,
    TL_TSTAT_N
};
/* "mean", "sd", ... for TL_TSTAT_*; NULL out of range */
const char *tl_table_stat_name(int s);

/* The statistics stats[0..nstats) of x[from], x[from+stride], ... up to (not
 * including) index `to`, NaN skipped, into out; NaN where undefined (no
 * value; sd with fewer than two). Used by the writer's per-run summaries and
 * by tl_table_read, so both give the same numbers. */
void tl_window_stats(const double *x, size_t stride, int from, int to, const int *stats,
                     int nstats, double *out);

typedef struct tl_table_opts {
    const char *const *metrics; /* names to tabulate; NULL: every metric in the file */
    int nmetrics;
    int last;          /* > 0: the last `last` steps of each point's horizon */
    int from, to;      /* else steps from..to (1-based, inclusive; 0 = first/last step) */
    int stats[TL_TSTAT_N]; /* TL_TSTAT_* in column order */
    int nstats;        /* 0: mean only */
} tl_table_opts;

typedef struct tl_table {
    int npoints, nreps, ndesign, nmetrics, nstats;
    int stats[TL_TSTAT_N];
    uint64_t seed;
    int complete;      /* the file's `complete`; 0 when read from a journal */
    int from_journal;  /* read from PATH.journal (a sweep running or interrupted) */
    char **labels;     /* npoints */
    char **design_names; /* ndesign: the design variables, else the varied parameters */
    double *design;    /* npoints x ndesign */
    int *block, *row;  /* npoints or NULL */
    int *steps;        /* npoints: each point's horizon */
    int8_t *status;    /* npoints x nreps: 0 not run, 1 ok, 2 failed */
    char **metric_names; /* nmetrics */
    double *values;    /* npoints x nreps x nmetrics x nstats; NaN when not run or undefined */
    int win_from, win_to; /* the window as asked (for messages); per point it is clipped */
} tl_table;

void tl_table_init(tl_table *t);
void tl_table_clear(tl_table *t);

/* Read the table of path. When path.journal/ exists (a sweep running, or
 * stopped before it finished), the runs come from the journal's finished
 * blocks and its layout; runs not yet finished are not_run with NaN.
 * Errors: TL_ERR_IO (cannot open or read), TL_ERR_PARSE (not a tillit file),
 * TL_ERR_NOTFOUND (a metric not in the file, with a suggestion),
 * TL_ERR_RANGE (an empty window), TL_ERR_NOMEM. */
tl_status tl_table_read(const char *path, const tl_table_opts *o, tl_table *t, tl_error *err);

#ifdef __cplusplus
}
#endif
#endif
