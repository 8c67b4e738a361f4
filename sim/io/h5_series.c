/* h5_series.c — the series as the output file stores them: the kept steps (output.every), float32 rounding, summaries across replicates, and blocks prepared (laid out, shuffled, deflated) on worker threads and packed for MPI. No HDF5 calls: h5_writer.c writes what this makes. */
#include "h5_series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "tillit/metrics.h"
#include "tillit/scenario.h"

/* ---- summaries across replicates -------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* quantile of sorted x[0..n-1] by linear interpolation (type 7, as numpy's default) */
static double quantile_sorted(const double *x, int n, double q)
{
    double h = (n - 1) * q;
    int lo = (int)floor(h);
    if (lo >= n - 1)
        return x[n - 1];
    return x[lo] + (h - lo) * (x[lo + 1] - x[lo]);
}

/* The statistics of buf (R replicates x T steps) into out (TL_SERIES_NSTATS x T),
 * with vals (R doubles) as scratch. Touches nothing else: worker threads
 * call it through tl_writer_prepare. */
void tl_series_summary(const double *buf, int R, int T, double *out, double *vals)
{
    for (int t = 0; t < T; t++) {
        int n = 0;
        double s = 0, ss = 0;
        for (int r = 0; r < R; r++) {
            double v = buf[(size_t)r * (size_t)T + (size_t)t];
            if (!isnan(v))
                vals[n++] = v;
        }
        if (n == 0) {
            for (int k = 0; k < TL_SERIES_NSTATS; k++)
                out[(size_t)k * (size_t)T + (size_t)t] = (double)NAN;
            continue;
        }
        for (int i = 0; i < n; i++)
            s += vals[i];
        double mean = s / n;
        for (int i = 0; i < n; i++)
            ss += (vals[i] - mean) * (vals[i] - mean);
        qsort(vals, (size_t)n, sizeof(double), cmp_double);
        out[0 * (size_t)T + (size_t)t] = mean;
        out[1 * (size_t)T + (size_t)t] = n > 1 ? sqrt(ss / (n - 1)) : (double)NAN;
        out[2 * (size_t)T + (size_t)t] = quantile_sorted(vals, n, 0.05);
        out[3 * (size_t)T + (size_t)t] = quantile_sorted(vals, n, 0.5);
        out[4 * (size_t)T + (size_t)t] = quantile_sorted(vals, n, 0.95);
    }
}

/* ---- the kept steps, float32 ------------------------------------------------------ */

/* One metric of a block as the file lays it out: dst[r * ns + i] for the
 * block's nrep replicates, the i-th kept step (tl_record_step), NaN for runs
 * that did not run. With f32 the values are rounded to float32 here, so
 * that summaries are of the stored values whichever way they are made. */
void tl_series_layout(const double *data, const uint8_t *state, int nrep, tl_series_shape sh,
                          int m, double *dst)
{
    for (size_t r = 0; r < (size_t)nrep; r++) {
        const double *src = data + r * (size_t)sh.T * TL_NMETRICS + (size_t)m;
        double *row = dst + r * (size_t)sh.ns;
        for (int i = 0; i < sh.ns; i++) {
            const size_t t = (size_t)tl_record_step(sh.T, sh.K, i) - 1;
            const double v = state[r] == TL_RUN_NOT_RUN ? (double)NAN : src[t * TL_NMETRICS];
            row[i] = sh.f32 ? (double)(float)v : v;
        }
    }
}

/* n stored values as float32 (exact: tl_series_layout rounded them). */
void tl_series_to_f32(const double *src, size_t n, float *dst)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (float)src[i];
}

/* ---- blocks prepared on worker threads ---------------------------------------- */

void tl_prepared_free(tl_prepared *p)
{
    if (!p)
        return;
    free(p->bytes);
    free(p->summary);
    free(p);
}

void tl_prepared_release(void *ctx, void *prepared)
{
    (void)ctx;
    tl_prepared_free(prepared);
}

static int little_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

/* tl_writer_prepare's work (and tl_block_prepare's) for a file of npoints x R x sh.ns (of
 * sh.T steps computed) with chunks of B replicates. */
tl_prepared *tl_series_prepare(int npoints, int R, tl_series_shape sh, int B, const tl_block *b)
{
    tl_prepared *p = NULL;
    double *lay = NULL, *vals = NULL;
    float *lay32 = NULL;
    unsigned char *shuf = NULL;
    int whole;
    const int T = sh.T;
    const size_t es = sh.f32 ? sizeof(float) : sizeof(double); /* bytes per stored value */
    size_t n, nbytes, bound, used = 0;

    if (!b || !b->data || !b->state || !little_endian() || b->steps != T || B < 1 ||
        b->point < 0 || b->point >= npoints || b->r0 < 0 || b->nrep < 1)
        return NULL;
    /* only blocks that are exactly one chunk of each metric */
    if (b->r0 % B != 0 || b->nrep != (R - b->r0 < B ? R - b->r0 : B))
        return NULL;
    for (int r = 0; r < b->nrep; r++)
        if (b->state[r] > TL_RUN_FAILED)
            return NULL;
    n = (size_t)B * (size_t)sh.ns; /* values per chunk, rows past the last replicate included */
    nbytes = n * es;
    bound = compressBound((uLong)nbytes);
    whole = b->r0 == 0 && b->nrep == R;
    if (!(p = calloc(1, sizeof *p)) || !(lay = malloc(n * sizeof(double))) ||
        !(shuf = malloc(nbytes)) || (sh.f32 && !(lay32 = malloc(nbytes))) ||
        !(p->bytes = malloc(bound * TL_NMETRICS)) ||
        (whole && (!(vals = malloc(sizeof(double) * (size_t)R)) ||
                   !(p->summary = malloc(sizeof(double) * TL_NMETRICS * TL_SERIES_NSTATS * (size_t)T)))))
        goto fail;
    p->point = b->point;
    p->r0 = b->r0;
    p->nrep = b->nrep;
    for (size_t i = (size_t)b->nrep * (size_t)sh.ns; i < n; i++)
        lay[i] = (double)NAN; /* outside the dataset: never read */
    for (int m = 0; m < TL_NMETRICS; m++) {
        const unsigned char *src = sh.f32 ? (const unsigned char *)lay32 : (const unsigned char *)lay;
        uLongf len = (uLongf)bound;
        tl_series_layout(b->data, b->state, b->nrep, sh, m, lay);
        if (whole)
            tl_series_summary(lay, b->nrep, sh.ns, p->summary + (size_t)m * TL_SERIES_NSTATS * (size_t)T, vals);
        if (sh.f32)
            tl_series_to_f32(lay, n, lay32);
        /* HDF5's shuffle filter: byte j of every element together */
        for (size_t j = 0; j < es; j++)
            for (size_t i = 0; i < n; i++)
                shuf[j * n + i] = src[i * es + j];
        /* HDF5's deflate filter: a zlib stream (compress2) */
        if (compress2(p->bytes + used, &len, shuf, (uLong)nbytes, (int)TL_SERIES_DEFLATE) != Z_OK)
            goto fail;
        p->off[m] = used;
        used += len;
    }
    p->off[TL_NMETRICS] = used;
    {
        unsigned char *shrunk = realloc(p->bytes, used ? used : 1);
        if (shrunk)
            p->bytes = shrunk;
    }
    free(lay);
    free(lay32);
    free(shuf);
    free(vals);
    return p;
fail:
    free(lay);
    free(lay32);
    free(shuf);
    free(vals);
    tl_prepared_free(p);
    return NULL;
}

tl_prepared *tl_block_prepare(const tl_scenario *sc, const tl_block *b)
{
    int R, B;
    if (!sc)
        return NULL;
    R = sc->replicates;
    B = tl_scenario_block_reps(sc); /* as tl_writer_open chunks the file */
    if (B < 1 || B > R)
        B = R;
    {
        const int T = tl_scenario_steps(sc),
                  K = sc->record_every > 1 && !sc->summary_only ? sc->record_every : 1;
        const tl_series_shape sh = {T, K, tl_record_nsteps(T, K), sc->record_f32 != 0};
        return tl_series_prepare(sc->npoints, R, sh, B, b);
    }
}

/* Packed: int32 point, r0, nrep, has_summary; uint64 off[TL_NMETRICS + 1];
 * the chunks; the summaries (TL_NMETRICS x TL_SERIES_NSTATS x steps doubles). */
#define PACK_HEAD (4 * sizeof(int32_t) + (TL_NMETRICS + 1) * sizeof(uint64_t))

size_t tl_prepared_packed_size(const tl_prepared *p, int steps)
{
    return PACK_HEAD + p->off[TL_NMETRICS] +
           (p->summary ? sizeof(double) * TL_NMETRICS * TL_SERIES_NSTATS * (size_t)steps : 0);
}

void tl_prepared_pack(const tl_prepared *p, int steps, void *out)
{
    unsigned char *o = out;
    const int32_t head[4] = {p->point, p->r0, p->nrep, p->summary != NULL};
    memcpy(o, head, sizeof head);
    o += sizeof head;
    for (int m = 0; m <= TL_NMETRICS; m++) {
        const uint64_t v = p->off[m];
        memcpy(o, &v, sizeof v);
        o += sizeof v;
    }
    memcpy(o, p->bytes, p->off[TL_NMETRICS]);
    o += p->off[TL_NMETRICS];
    if (p->summary)
        memcpy(o, p->summary, sizeof(double) * TL_NMETRICS * TL_SERIES_NSTATS * (size_t)steps);
}

tl_prepared *tl_prepared_unpack(const void *in, size_t len, int steps)
{
    const unsigned char *i = in;
    tl_prepared *p;
    int32_t head[4];
    size_t sum_bytes = sizeof(double) * TL_NMETRICS * TL_SERIES_NSTATS * (size_t)steps;
    if (!in || len < PACK_HEAD || steps < 1 || !(p = calloc(1, sizeof *p)))
        return NULL;
    memcpy(head, i, sizeof head);
    i += sizeof head;
    for (int m = 0; m <= TL_NMETRICS; m++) {
        uint64_t v;
        memcpy(&v, i, sizeof v);
        i += sizeof v;
        p->off[m] = (size_t)v;
        if (m > 0 && p->off[m] < p->off[m - 1])
            goto bad;
    }
    p->point = head[0];
    p->r0 = head[1];
    p->nrep = head[2];
    if (p->off[0] != 0 || p->off[TL_NMETRICS] > len - PACK_HEAD ||
        len != PACK_HEAD + p->off[TL_NMETRICS] + (head[3] ? sum_bytes : 0))
        goto bad;
    if (!(p->bytes = malloc(p->off[TL_NMETRICS] ? p->off[TL_NMETRICS] : 1)))
        goto bad;
    memcpy(p->bytes, i, p->off[TL_NMETRICS]);
    i += p->off[TL_NMETRICS];
    if (head[3]) {
        if (!(p->summary = malloc(sum_bytes)))
            goto bad;
        memcpy(p->summary, i, sum_bytes);
    }
    return p;
bad:
    tl_prepared_free(p);
    return NULL;
}
