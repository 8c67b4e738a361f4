/* h5_table.c — the experiment table read from an output file or a sweep's journal: per run, the
 * design values and statistics of chosen metrics over a window of steps. Reads only what it
 * needs (one point's replicates x steps of one metric at a time), finds everything by name. */
#include "tillit/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hdf5.h>

#include "tillit/journal.h"
#include "tillit/metrics.h"

#include "h5_attr.h"
#include "text.h"

static const char *const stat_names[TL_TSTAT_N] = {"mean", "sd", "min", "max", "last", "sum"};

const char *tl_table_stat_name(int s) { return s >= 0 && s < TL_TSTAT_N ? stat_names[s] : NULL; }

void tl_table_init(tl_table *t) { memset(t, 0, sizeof *t); }

static void free_strs(char **s, int n)
{
    if (s)
        for (int i = 0; i < n; i++)
            free(s[i]);
    free(s);
}

void tl_table_clear(tl_table *t)
{
    free_strs(t->labels, t->npoints);
    free_strs(t->design_names, t->ndesign);
    free_strs(t->metric_names, t->nmetrics);
    free(t->design);
    free(t->block);
    free(t->row);
    free(t->steps);
    free(t->status);
    free(t->values);
    tl_table_init(t);
}

/* ---- HDF5 helpers (errors silenced by the caller) -------------------------------- */

static int has_dset(hid_t loc, const char *name)
{
    return H5Lexists(loc, name, H5P_DEFAULT) > 0 &&
           H5Oexists_by_name(loc, name, H5P_DEFAULT) > 0;
}

/* A whole dataset read as mtype into buf (n elements expected). */
static int read_all(hid_t loc, const char *name, hid_t mtype, size_t n, void *buf)
{
    hid_t d, sp;
    int r = -1;
    if (!has_dset(loc, name) || (d = H5Dopen2(loc, name, H5P_DEFAULT)) < 0)
        return -1;
    if ((sp = H5Dget_space(d)) >= 0) {
        if ((size_t)H5Sget_simple_extent_npoints(sp) == n &&
            H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0)
            r = 0;
        H5Sclose(sp);
    }
    H5Dclose(d);
    return r;
}

/* The step coordinate's values (the step numbers the series keep: all of
 * 1..T, or every K-th and the last with output: {every: K}); malloc'ed,
 * *n of them; NULL when there is none or on failure. */
static int *read_steps(hid_t f, int *n)
{
    hid_t d = -1, sp = -1;
    hssize_t k = 0;
    int *v = NULL;
    *n = 0;
    if (!has_dset(f, "step") || (d = H5Dopen2(f, "step", H5P_DEFAULT)) < 0)
        return NULL;
    if ((sp = H5Dget_space(d)) >= 0 && (k = H5Sget_simple_extent_npoints(sp)) > 0 &&
        (v = malloc(sizeof *v * (size_t)k)) &&
        H5Dread(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0)
        *n = (int)k;
    else {
        free(v);
        v = NULL;
    }
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    return v;
}

/* The stored steps [*ia, *ib) of step numbers v[0..n-1] (increasing) that
 * fall in the window [a, b) of 0-based steps, i.e. step numbers a+1..b. */
static void stored_window(const int *v, int n, int a, int b, int *ia, int *ib)
{
    int i = 0;
    while (i < n && v[i] <= a)
        i++;
    *ia = i;
    while (i < n && v[i] <= b)
        i++;
    *ib = i;
}

/* n variable-length strings, each strdup'ed into out. */
static int read_strings(hid_t loc, const char *name, size_t n, char **out)
{
    char **v = calloc(n ? n : 1, sizeof *v);
    hid_t mt = H5Tcopy(H5T_C_S1);
    int r = -1;
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5T_CSET_UTF8);
    if (v && read_all(loc, name, mt, n, v) == 0) {
        r = 0;
        for (size_t i = 0; i < n; i++) {
            out[i] = strdup(v[i] ? v[i] : "");
            if (!out[i])
                r = -1;
            if (v[i])
                H5free_memory(v[i]);
        }
    }
    H5Tclose(mt);
    free(v);
    return r;
}

/* Split a space-separated list; returns the count, -1 when out of memory. */
static int split(const char *s, char ***out)
{
    int n = 0, cap = 16;
    char **v = malloc(sizeof *v * (size_t)cap);
    const char *p = s;
    if (!v)
        return -1;
    while (p && *p) {
        size_t len;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        len = strcspn(p, " ");
        if (n == cap) {
            char **nv = realloc(v, sizeof *v * (size_t)(cap *= 2));
            if (!nv)
                goto fail;
            v = nv;
        }
        if (!(v[n] = malloc(len + 1)))
            goto fail;
        memcpy(v[n], p, len);
        v[n++][len] = 0;
        p += len;
    }
    *out = v;
    return n;
fail:
    free_strs(v, n);
    return -1;
}

/* ---- statistics ---------------------------------------------------------------- */

void tl_window_stats(const double *x, size_t stride, int from, int to, const int *stats,
                     int nstats, double *out)
{
    double sum = 0, sq = 0, mn = INFINITY, mx = -INFINITY, last = NAN, mean, sd;
    int n = 0;
    for (int t = from; t < to; t++) {
        double v = x[(size_t)t * stride];
        if (isnan(v))
            continue;
        sum += v;
        n++;
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
        last = v;
    }
    mean = n ? sum / n : NAN;
    for (int t = from; n > 1 && t < to; t++) {
        double v = x[(size_t)t * stride];
        if (!isnan(v))
            sq += (v - mean) * (v - mean);
    }
    sd = n > 1 ? sqrt(sq / (n - 1)) : NAN;
    for (int s = 0; s < nstats; s++)
        switch (stats[s]) {
        case TL_TSTAT_MEAN: out[s] = mean; break;
        case TL_TSTAT_SD: out[s] = sd; break;
        case TL_TSTAT_MIN: out[s] = n ? mn : NAN; break;
        case TL_TSTAT_MAX: out[s] = n ? mx : NAN; break;
        case TL_TSTAT_LAST: out[s] = last; break;
        case TL_TSTAT_SUM: out[s] = n ? sum : NAN; break;
        default: out[s] = NAN;
        }
}

/* The window of a point with horizon T: steps [*a, *b) (0-based). */
static void window_of(const tl_table_opts *o, int T, int *a, int *b)
{
    if (o->last > 0) {
        *a = T > o->last ? T - o->last : 0;
        *b = T;
        return;
    }
    *a = o->from > 0 ? o->from - 1 : 0;
    *b = o->to > 0 && o->to < T ? o->to : T;
}

static double *val(tl_table *t, int p, int r, int m)
{
    return t->values + (((size_t)p * (size_t)t->nreps + (size_t)r) * (size_t)t->nmetrics +
                        (size_t)m) * (size_t)t->nstats;
}

/* ---- the layout: labels, design, horizons, metrics -------------------------------- */

static tl_status read_layout(hid_t f, const char *path, const tl_table_opts *o, tl_table *t,
                             char ***file_metrics, int *nfile_metrics, tl_error *err)
{
    tl_status st = TL_OK;
    char *s = NULL, **varied = NULL;
    int nvaried = 0, reps = 0;
    hsize_t dims[2];
    hid_t d = -1, sp = -1;
    *file_metrics = NULL;
    *nfile_metrics = 0;

    if (!(s = tl_h5_attr_string(f, "metric_names")) || tl_h5_attr_num(f, "replicates", H5T_NATIVE_INT, &reps) ||
        !has_dset(f, "point_label")) {
        st = tl_error_set(err, TL_ERR_PARSE,
                          "%s: not a tillit output file (no metric_names, replicates or "
                          "point_label)",
                          path);
        goto out;
    }
    if ((*nfile_metrics = split(s, file_metrics)) < 0)
        goto nomem;
    free(s);
    s = NULL;
    if (tl_h5_attr_num(f, "master_seed", H5T_NATIVE_UINT64, &t->seed))
        t->seed = 0;
    if (tl_h5_attr_num(f, "complete", H5T_NATIVE_INT, &t->complete))
        t->complete = 1;
    if ((d = H5Dopen2(f, "point_label", H5P_DEFAULT)) < 0 || (sp = H5Dget_space(d)) < 0 ||
        H5Sget_simple_extent_dims(sp, dims, NULL) != 1) {
        st = tl_error_set(err, TL_ERR_PARSE, "%s: cannot read point_label", path);
        goto out;
    }
    t->npoints = (int)dims[0];
    t->nreps = reps;
    if (t->npoints < 1 || t->nreps < 1) {
        st = tl_error_set(err, TL_ERR_PARSE, "%s: %d points x %d replicates", path, t->npoints,
                          t->nreps);
        goto out;
    }
    if (!(t->labels = calloc((size_t)t->npoints, sizeof *t->labels)) ||
        !(t->steps = calloc((size_t)t->npoints, sizeof *t->steps)) ||
        !(t->status = calloc((size_t)t->npoints * (size_t)t->nreps, 1)))
        goto nomem;
    if (read_strings(f, "point_label", (size_t)t->npoints, t->labels)) {
        st = tl_error_set(err, TL_ERR_IO, "%s: cannot read point_label", path);
        goto out;
    }

    /* design variables, or else the parameters that vary */
    if (has_dset(f, "design_variable") && has_dset(f, "design_values")) {
        H5Sclose(sp);
        H5Dclose(d);
        sp = -1;
        if ((d = H5Dopen2(f, "design_values", H5P_DEFAULT)) < 0 || (sp = H5Dget_space(d)) < 0 ||
            H5Sget_simple_extent_dims(sp, dims, NULL) != 2 || (int)dims[0] != t->npoints) {
            st = tl_error_set(err, TL_ERR_PARSE, "%s: cannot read design_values", path);
            goto out;
        }
        t->ndesign = (int)dims[1];
        if (!(t->design_names = calloc((size_t)t->ndesign + 1, sizeof *t->design_names)) ||
            !(t->design = malloc(sizeof(double) * ((size_t)t->npoints * (size_t)t->ndesign + 1))))
            goto nomem;
        if (read_strings(f, "design_variable", (size_t)t->ndesign, t->design_names) ||
            read_all(f, "design_values", H5T_NATIVE_DOUBLE,
                     (size_t)t->npoints * (size_t)t->ndesign, t->design)) {
            st = tl_error_set(err, TL_ERR_IO, "%s: cannot read the design", path);
            goto out;
        }
    } else {
        double *col = malloc(sizeof(double) * (size_t)t->npoints);
        s = tl_h5_attr_string(f, "varied_parameters");
        if (!col || (nvaried = split(s ? s : "", &varied)) < 0) {
            free(col);
            goto nomem;
        }
        t->ndesign = nvaried;
        if (!(t->design_names = calloc((size_t)nvaried + 1, sizeof *t->design_names)) ||
            !(t->design = malloc(sizeof(double) * ((size_t)t->npoints * (size_t)nvaried + 1)))) {
            free(col);
            goto nomem;
        }
        for (int j = 0; j < nvaried; j++) {
            t->design_names[j] = varied[j];
            varied[j] = NULL;
            if (read_all(f, t->design_names[j], H5T_NATIVE_DOUBLE, (size_t)t->npoints, col)) {
                free(col);
                st = tl_error_set(err, TL_ERR_IO, "%s: cannot read parameter %s", path,
                                  t->design_names[j]);
                goto out;
            }
            for (int p = 0; p < t->npoints; p++)
                t->design[(size_t)p * (size_t)nvaried + (size_t)j] = col[p];
        }
        free(col);
    }
    if (has_dset(f, "design_block") && has_dset(f, "design_row")) {
        if (!(t->block = malloc(sizeof(int) * (size_t)t->npoints)) ||
            !(t->row = malloc(sizeof(int) * (size_t)t->npoints)))
            goto nomem;
        if (read_all(f, "design_block", H5T_NATIVE_INT, (size_t)t->npoints, t->block) ||
            read_all(f, "design_row", H5T_NATIVE_INT, (size_t)t->npoints, t->row)) {
            st = tl_error_set(err, TL_ERR_IO, "%s: cannot read design_block/design_row", path);
            goto out;
        }
    }
    /* each point's horizon: the parameter `steps` (stored as param_steps on a clash) */
    {
        double *hz = malloc(sizeof(double) * (size_t)t->npoints);
        int T = 0;
        if (!hz)
            goto nomem;
        {
            /* the last step number: the series may keep every K-th step only */
            int ns, *sv = read_steps(f, &ns);
            T = sv ? sv[ns - 1] : 0;
            free(sv);
        }
        if (read_all(f, "steps", H5T_NATIVE_DOUBLE, (size_t)t->npoints, hz) &&
            read_all(f, "param_steps", H5T_NATIVE_DOUBLE, (size_t)t->npoints, hz))
            for (int p = 0; p < t->npoints; p++)
                hz[p] = T;
        for (int p = 0; p < t->npoints; p++)
            t->steps[p] = hz[p] > 0 && hz[p] <= T ? (int)hz[p] : T;
        free(hz);
    }

    /* the metrics asked for, checked against the file's */
    t->nmetrics = o->metrics ? o->nmetrics : *nfile_metrics;
    if (!(t->metric_names = calloc((size_t)t->nmetrics + 1, sizeof *t->metric_names)))
        goto nomem;
    for (int m = 0; m < t->nmetrics; m++) {
        const char *name = o->metrics ? o->metrics[m] : (*file_metrics)[m];
        int found = 0;
        for (int k = 0; k < *nfile_metrics && !found; k++)
            found = !strcmp(name, (*file_metrics)[k]);
        if (!found) {
            const char *sug =
                tl_text_suggest(name, (const char *const *)*file_metrics, (size_t)*nfile_metrics);
            st = tl_error_set(err, TL_ERR_UNKNOWN_KEY,
                              "%s: no metric '%s' in the file%s%s%s (`tillit metrics` lists them)",
                              path, name, sug ? "; did you mean '" : "", sug ? sug : "",
                              sug ? "'?" : "");
            goto out;
        }
        if (!(t->metric_names[m] = strdup(name)))
            goto nomem;
    }
    t->nstats = o->nstats > 0 ? o->nstats : 1;
    for (int k = 0; k < t->nstats; k++)
        t->stats[k] = o->nstats > 0 ? o->stats[k] : TL_TSTAT_MEAN;
    {
        size_t n = (size_t)t->npoints * (size_t)t->nreps * (size_t)t->nmetrics * (size_t)t->nstats;
        if (!(t->values = malloc(sizeof(double) * (n ? n : 1))))
            goto nomem;
        for (size_t i = 0; i < n; i++)
            t->values[i] = NAN;
    }
    goto out;
nomem:
    st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", path);
out:
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    free_strs(varied, nvaried);
    free(s);
    return st;
}

/* ---- the runs: from the file ------------------------------------------------------ */

/* A file written with output: {time_series: false}: the statistics of each
 * run over the file's window, in group runs (point, replicate, statistic). */
static tl_status read_run_stats(hid_t f, const char *path, const tl_table_opts *o, tl_table *t,
                                tl_error *err)
{
    tl_status st = TL_OK;
    const size_t n = (size_t)t->npoints * (size_t)t->nreps * TL_TSTAT_N;
    double *buf = malloc(sizeof(double) * n);
    hid_t g = H5Gopen2(f, "runs", H5P_DEFAULT);
    int window = 0;
    if (!buf) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    if (g < 0 || tl_h5_attr_num(g, "window", H5T_NATIVE_INT, &window)) {
        st = tl_error_set(err, TL_ERR_IO, "%s: cannot read group runs", path);
        goto out;
    }
    if (o->last != window) {
        st = tl_error_set(err, TL_ERR_RANGE,
                          "%s stores no time series, only each run's statistics over the last %d "
                          "steps: use --window last:%d",
                          path, window, window);
        goto out;
    }
    for (int m = 0; m < t->nmetrics && st == TL_OK; m++) {
        if (read_all(g, t->metric_names[m], H5T_NATIVE_DOUBLE, n, buf)) {
            st = tl_error_set(err, TL_ERR_IO, "%s: cannot read runs/%s", path, t->metric_names[m]);
            break;
        }
        for (int p = 0; p < t->npoints; p++)
            for (int r = 0; r < t->nreps; r++)
                if (t->status[(size_t)p * t->nreps + r] == 1)
                    for (int s = 0; s < t->nstats; s++)
                        val(t, p, r, m)[s] =
                            buf[((size_t)p * t->nreps + r) * TL_TSTAT_N + (size_t)t->stats[s]];
    }
out:
    if (g >= 0)
        H5Gclose(g);
    free(buf);
    return st;
}

static tl_status read_file_runs(hid_t f, const char *path, const tl_table_opts *o, tl_table *t,
                                tl_error *err)
{
    tl_status st = TL_OK;
    double *buf = NULL;
    int T = 0, ns = 0, *sv = NULL;
    hsize_t dims[3];
    if (read_all(f, "run_status", H5T_NATIVE_INT8, (size_t)t->npoints * (size_t)t->nreps,
                 t->status))
        return tl_error_set(err, TL_ERR_IO, "%s: cannot read run_status", path);
    if (t->nmetrics > 0 && !has_dset(f, t->metric_names[0]) && H5Lexists(f, "runs", H5P_DEFAULT) > 0)
        return read_run_stats(f, path, o, t, err);
    if (!(sv = read_steps(f, &ns)))
        return tl_error_set(err, TL_ERR_IO, "%s: cannot read the step coordinate", path);
    for (int m = 0; m < t->nmetrics; m++) {
        hid_t d = H5Dopen2(f, t->metric_names[m], H5P_DEFAULT), fs = -1, ms = -1;
        if (d < 0 || (fs = H5Dget_space(d)) < 0 || H5Sget_simple_extent_dims(fs, dims, NULL) != 3 ||
            (int)dims[0] != t->npoints || (int)dims[1] != t->nreps || (int)dims[2] != ns) {
            st = tl_error_set(err, TL_ERR_IO, "%s: cannot read metric %s (point x replicate x step)",
                              path, t->metric_names[m]);
            goto next;
        }
        T = (int)dims[2];
        if (!buf && !(buf = malloc(sizeof(double) * (size_t)t->nreps * (size_t)T))) {
            st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", path);
            goto next;
        }
        {
            const hsize_t cnt[3] = {1, (hsize_t)t->nreps, (hsize_t)T}, mdim = cnt[1] * cnt[2];
            ms = H5Screate_simple(1, &mdim, NULL);
            for (int p = 0; p < t->npoints && st == TL_OK; p++) {
                const hsize_t start[3] = {(hsize_t)p, 0, 0};
                int a, b, ia, ib;
                if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, cnt, NULL) < 0 ||
                    H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, buf) < 0) {
                    st = tl_error_set(err, TL_ERR_IO, "%s: cannot read %s of point %d", path,
                                      t->metric_names[m], p);
                    break;
                }
                /* the window in step numbers, then the stored steps within it */
                window_of(o, t->steps[p] < sv[ns - 1] ? t->steps[p] : sv[ns - 1], &a, &b);
                stored_window(sv, ns, a, b, &ia, &ib);
                for (int r = 0; r < t->nreps; r++)
                    if (t->status[(size_t)p * t->nreps + r] == 1) /* finished runs only */
                        tl_window_stats(buf + (size_t)r * T, 1, ia, ib, t->stats, t->nstats,
                                     val(t, p, r, m));
            }
        }
    next:
        if (ms >= 0)
            H5Sclose(ms);
        if (fs >= 0)
            H5Sclose(fs);
        if (d >= 0)
            H5Dclose(d);
        if (st != TL_OK)
            break;
    }
    free(buf);
    free(sv);
    return st;
}

/* ---- the runs: from a journal's finished blocks ---------------------------------- */

typedef struct {
    const tl_table_opts *o;
    tl_table *t;
    const int *col;
    const char *jdir;
    /* what the file will keep, so that the table from the journal is the one
     * from the finished file: the kept steps (step numbers, nkept of them;
     * output: {every: K}), float32 (output: {dtype: float32}), and whether
     * the file holds per-run statistics only (group runs, from every step) */
    const int *kept;
    int nkept, f32, runs_only;
    double *tmp; /* nkept */
} journal_ctx;

/* Metric column col of run r of block b as the file keeps it: the kept
 * steps, rounded to float32 when the file stores float32, into c->tmp. */
static void kept_series(const journal_ctx *c, const tl_block *b, int r, int col)
{
    const double *src = b->data + (size_t)r * b->steps * TL_NMETRICS + col;
    for (int i = 0; i < c->nkept; i++) {
        const int t = c->kept[i] - 1;
        const double v = t < b->steps ? src[(size_t)t * TL_NMETRICS] : (double)NAN;
        c->tmp[i] = c->f32 ? (double)(float)v : v;
    }
}

static tl_status add_block(void *vctx, const tl_block *b, tl_error *err)
{
    journal_ctx *c = vctx;
    tl_table *t = c->t;
    int a, bb;
    if (b->point < 0 || b->point >= t->npoints || b->r0 < 0 || b->r0 + b->nrep > t->nreps)
        return tl_error_set(err, TL_ERR_IO, "%s: a block (point %d, replicates %d+%d) outside "
                            "this journal's layout", c->jdir, b->point, b->r0, b->nrep);
    window_of(c->o, t->steps[b->point] < b->steps ? t->steps[b->point] : b->steps, &a, &bb);
    for (int r = 0; r < b->nrep; r++) {
        t->status[(size_t)b->point * t->nreps + b->r0 + r] = (int8_t)b->state[r];
        if (b->state[r] != 1) /* finished runs only, as in the file */
            continue;
        for (int m = 0; m < t->nmetrics; m++) {
            double *out = val(t, b->point, b->r0 + r, m);
            if (!c->runs_only && (c->nkept != b->steps || c->f32)) {
                int ia, ib;
                kept_series(c, b, r, c->col[m]);
                stored_window(c->kept, c->nkept, a, bb, &ia, &ib);
                tl_window_stats(c->tmp, 1, ia, ib, t->stats, t->nstats, out);
                continue;
            }
            tl_window_stats(b->data + (size_t)r * b->steps * TL_NMETRICS + c->col[m], TL_NMETRICS,
                            a, bb, t->stats, t->nstats, out);
            for (int s = 0; c->runs_only && c->f32 && s < t->nstats; s++)
                out[s] = (double)(float)out[s]; /* group runs is float32 */
        }
    }
    return TL_OK;
}

static tl_status read_journal_runs(hid_t f, const char *jdir, const tl_table_opts *o, tl_table *t,
                                   char **file_metrics, int nfile_metrics, tl_error *err)
{
    tl_status st;
    int *col = malloc(sizeof(int) * ((size_t)t->nmetrics + 1));
    char *dtype = tl_h5_attr_string(f, "record_dtype");
    journal_ctx c = {o, t, col, jdir, NULL, 0, 0, 0, NULL};
    c.f32 = dtype && !strcmp(dtype, "float32");
    free(dtype);
    c.runs_only = H5Lexists(f, "runs", H5P_DEFAULT) > 0;
    c.kept = read_steps(f, &c.nkept);
    if (!col || !c.kept || !(c.tmp = malloc(sizeof(double) * (size_t)c.nkept))) {
        free(col);
        free((int *)c.kept);
        free(c.tmp);
        return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory, or no step coordinate in its "
                            "layout", jdir);
    }
    if (nfile_metrics != TL_NMETRICS) {
        free((int *)c.kept);
        free(c.tmp);
        free(col);
        return tl_error_set(err, TL_ERR_IO, "%s: its layout has %d metrics, this tillit %d: read "
                            "it with the tillit that wrote it", jdir, nfile_metrics, TL_NMETRICS);
    }
    for (int m = 0; m < t->nmetrics; m++)
        for (int k = 0; k < nfile_metrics; k++)
            if (!strcmp(t->metric_names[m], file_metrics[k]))
                col[m] = k;
    st = tl_journal_each(jdir, add_block, &c, err);
    free(col);
    free((int *)c.kept);
    free(c.tmp);
    return st;
}

/* ---- the entry point ---------------------------------------------------------------- */

tl_status tl_table_read(const char *path, const tl_table_opts *o, tl_table *t, tl_error *err)
{
    tl_status st;
    char *jdir = malloc(strlen(path) + sizeof ".journal"), *layout = NULL;
    char **fm = NULL;
    int nfm = 0;
    struct stat sb;
    hid_t f = -1;
    H5E_auto2_t efn;
    void *edata;
    tl_table_init(t);
    if (!jdir)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    if (o->last <= 0 && o->from > 0 && o->to > 0 && o->to < o->from) {
        free(jdir);
        return tl_error_set(err, TL_ERR_RANGE, "the window %d:%d is empty", o->from, o->to);
    }
    H5Eget_auto2(H5E_DEFAULT, &efn, &edata);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    sprintf(jdir, "%s.journal", path);
    t->from_journal = stat(jdir, &sb) == 0 && S_ISDIR(sb.st_mode);
    if (t->from_journal) {
        if (!(layout = malloc(strlen(jdir) + sizeof "/layout.h5"))) {
            st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
            goto out;
        }
        sprintf(layout, "%s/layout.h5", jdir);
    }
    if ((f = H5Fopen(layout ? layout : path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        st = tl_error_set(err, TL_ERR_IO, "cannot open %s%s", layout ? layout : path,
                          stat(layout ? layout : path, &sb) ? ": no such file"
                                                             : ": not an HDF5 file");
        goto out;
    }
    if ((st = read_layout(f, layout ? layout : path, o, t, &fm, &nfm, err)) != TL_OK)
        goto out;
    if (t->from_journal) {
        /* the blocks hold every metric a run computes (run_metric_names),
         * which may be more than the file stores (metric_names) */
        char *all = tl_h5_attr_string(f, "run_metric_names");
        if (all) {
            free_strs(fm, nfm);
            fm = NULL;
            nfm = split(all, &fm);
            free(all);
            if (nfm < 0) {
                nfm = 0;
                st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
                goto out;
            }
        }
        t->complete = 0;
        st = read_journal_runs(f, jdir, o, t, fm, nfm, err);
    } else {
        st = read_file_runs(f, path, o, t, err);
    }
    if (o->last > 0) {
        t->win_from = -o->last;
        t->win_to = 0;
    } else {
        t->win_from = o->from;
        t->win_to = o->to;
    }
out:
    if (f >= 0)
        H5Fclose(f);
    H5Eset_auto2(H5E_DEFAULT, efn, edata);
    free_strs(fm, nfm);
    free(jdir);
    free(layout);
    if (st != TL_OK)
        tl_table_clear(t);
    return st;
}
