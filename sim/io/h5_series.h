/* h5_series.h — the series as the output file stores them (internal to sim/io): kept steps, float32, summaries, prepared chunks. */
#ifndef TL_H5_SERIES_H
#define TL_H5_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "tillit/metrics.h"
#include "tillit/output.h"
#include "tillit/runner.h"

#define TL_SERIES_NSTATS 5   /* summary statistics: mean, sd, q05, q50, q95 */
#define TL_SERIES_DEFLATE 1u /* the deflate level of the series' chunks */

/* How the series are stored: T steps computed, every K-th kept (and the
 * last), ns of them, rounded to float32 when f32. */
typedef struct {
    int T, K, ns, f32;
} tl_series_shape;

/* What a worker thread did for a block: each metric's chunk laid out,
 * shuffled and deflated exactly as the file's filters would, and, for a
 * whole point, its summaries. */
struct tl_prepared {
    int point, r0, nrep;
    size_t off[TL_NMETRICS + 1]; /* metric m's chunk is bytes[off[m] .. off[m+1]) */
    unsigned char *bytes;
    double *summary; /* TL_NMETRICS x TL_SERIES_NSTATS x steps, or NULL; of metric m's TL_SERIES_NSTATS x steps
                        only the first TL_SERIES_NSTATS x ns are used (the kept steps) */
};

/* One metric m of a block (nrep runs x T steps x TL_NMETRICS) as the file
 * lays it out: dst[r * ns + i], the i-th kept step, NaN for runs not run;
 * rounded to float32 values when sh.f32. */
void tl_series_layout(const double *data, const uint8_t *state, int nrep, tl_series_shape sh,
                      int m, double *dst);
/* n values as float32 (exact after tl_series_layout with f32). */
void tl_series_to_f32(const double *src, size_t n, float *dst);
/* The statistics of buf (R replicates x T steps) into out (TL_SERIES_NSTATS
 * x T), with vals (R doubles) as scratch. Thread-safe. */
void tl_series_summary(const double *buf, int R, int T, double *out, double *vals);
/* A block prepared for a file of npoints x R x sh.ns with chunks of B
 * replicates; NULL when the block is not one whole chunk or out of memory. */
tl_prepared *tl_series_prepare(int npoints, int R, tl_series_shape sh, int B, const tl_block *b);

#endif
