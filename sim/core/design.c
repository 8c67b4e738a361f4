/* design.c — sweep designs as plain tables of values; no I/O, no knowledge of parameters. */
#include "design.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "text.h"
#include "tillit/rng.h"

/* Designs draw from their own stream (TL_STREAM_DESIGN), which no run
 * uses, so a design seeded like the simulation never shares draws with its
 * runs. The replicate word tells the designs apart. */
#define DESIGN_POINT 0u
#define DESIGN_REP_LHS 0u
#define DESIGN_REP_MORRIS 1u

void tl_design_init(tl_design *d) { memset(d, 0, sizeof *d); }

void tl_design_clear(tl_design *d)
{
    free(d->x);
    free(d->block);
    free(d->row);
    tl_design_init(d);
}

/* Allocate nrows x nvars (and the block/row ids when asked); d is cleared first. */
static tl_status alloc_design(tl_design *d, int nrows, int nvars, int blocks, tl_error *err)
{
    tl_design_clear(d);
    if (nrows < 1 || nrows > TL_DESIGN_MAX_ROWS)
        return tl_error_set(err, TL_ERR_RANGE, "the design would have %d rows: expected 1 to %d",
                            nrows, TL_DESIGN_MAX_ROWS);
    if (nvars < 0)
        return tl_error_set(err, TL_ERR_RANGE, "negative number of design variables");
    /* nvars == 0 still gets a valid (one-byte) allocation, so x is never NULL */
    d->x = malloc(sizeof(double) * (size_t)nrows * (size_t)(nvars > 0 ? nvars : 1));
    if (blocks) {
        d->block = malloc(sizeof(int) * (size_t)nrows);
        d->row = malloc(sizeof(int) * (size_t)nrows);
    }
    if (!d->x || (blocks && (!d->block || !d->row))) {
        tl_design_clear(d);
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory for a design of %d x %d", nrows,
                            nvars);
    }
    d->nrows = nrows;
    d->nvars = nvars;
    return TL_OK;
}

/* The fewest decimal places (0..15) that write x exactly as read, or -1. */
static int short_decimals(double x)
{
    double p = 1;
    for (int d = 0; d <= 15; d++, p *= 10)
        if (fabs(x * p) < 9007199254740992.0 && round(x * p) / p == x)
            return d;
    return -1;
}

/* min + u (max - min), decimal-exact where it can be: with min and max
 * written in d decimals (Mi, Ma integers after scaling by 10^d), when
 * Mi + u (Ma - Mi) is computed without rounding, dividing it by 10^d
 * rounds once, to the double nearest the exact value (0.6 * 0.75 gives
 * 0.45, not 0.44999999999999996). Otherwise the plain formula. */
static double scale_exact(double min, double max, double u)
{
    int dmin = short_decimals(min), dmax = short_decimals(max);
    int d = dmin > dmax ? dmin : dmax;
    double p = 1, mi, ma, prod, s, bb, e;
    if (dmin < 0 || dmax < 0)
        return min + u * (max - min);
    for (int k = 0; k < d; k++)
        p *= 10;
    mi = round(min * p);
    ma = round(max * p);
    prod = u * (ma - mi);
    if (fma(u, ma - mi, -prod) != 0)
        return min + u * (max - min);
    s = mi + prod; /* TwoSum: e is the exact rounding error of the sum */
    bb = s - mi;
    e = (mi - (s - bb)) + (prod - bb);
    if (e != 0)
        return min + u * (max - min);
    return s / p;
}

static double scale(const tl_design_var *v, double u)
{
    double x = scale_exact(v->min, v->max, u);
    if (u >= 1)
        x = v->max; /* exact at the top, whatever the rounding above */
    return v->integer ? round(x) : x;
}

tl_status tl_design_grid(tl_design *d, int nvars, const int *nlevels, const double *const *levels,
                         tl_error *err)
{
    double total = 1;
    tl_status st;
    int *idx = NULL;
    for (int j = 0; j < nvars; j++) {
        if (nlevels[j] < 1)
            return tl_error_set(err, TL_ERR_RANGE, "variable %d of the grid has no values", j);
        total *= nlevels[j];
    }
    if (total > TL_DESIGN_MAX_ROWS)
        return tl_error_set(err, TL_ERR_RANGE,
                            "the grid would have %.0f points: at most %d are allowed", total,
                            TL_DESIGN_MAX_ROWS);
    if ((st = alloc_design(d, (int)total, nvars, 0, err)) != TL_OK)
        return st;
    idx = calloc((size_t)(nvars > 0 ? nvars : 1), sizeof *idx);
    if (!idx) {
        tl_design_clear(d);
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
    /* an odometer over the levels, last variable turning fastest */
    for (int i = 0; i < d->nrows; i++) {
        for (int j = 0; j < nvars; j++)
            d->x[(size_t)i * nvars + j] = levels[j][idx[j]];
        for (int j = nvars - 1; j >= 0; j--) {
            if (++idx[j] < nlevels[j])
                break;
            idx[j] = 0;
        }
    }
    free(idx);
    return TL_OK;
}

void tl_design_linspace(double from, double to, int n, double *out)
{
    for (int i = 0; i < n; i++)
        out[i] = n == 1 ? from : from + (to - from) * ((double)i / (n - 1));
    if (n > 1)
        out[n - 1] = to;
}

void tl_design_linspace_dec(double from, double to, int n, int decimals, double *out)
{
    const double lim = 9007199254740992.0; /* 2^53: every integer below is exact */
    double scale = 1, fi, ti, den;
    tl_design_linspace(from, to, n, out);
    if (n < 2 || decimals < 0 || decimals > 22)
        return;
    for (int k = 0; k < decimals; k++)
        scale *= 10; /* exact up to 10^22 */
    fi = round(from * scale);
    ti = round(to * scale);
    /* the written numbers must be k / 10^decimals, or we do not know them exactly */
    if (fabs(fi) >= lim || fabs(ti) >= lim || fi / scale != from || ti / scale != to)
        return;
    den = (double)(n - 1) * scale;
    if (den >= lim || fabs(fi) * (n - 1) + fabs(ti - fi) * (n - 1) >= lim)
        return;
    /* level i = (fi*(n-1) + i*(ti-fi)) / ((n-1)*10^d): numerator and
     * denominator are exact integers, and IEEE division rounds their
     * quotient correctly, to the double nearest the exact value */
    for (int i = 0; i < n; i++)
        out[i] = (fi * (n - 1) + (double)i * (ti - fi)) / den;
}

tl_status tl_design_list(tl_design *d, int nvars, int n, const double *const *cols, tl_error *err)
{
    tl_status st = alloc_design(d, n, nvars, 0, err);
    if (st != TL_OK)
        return st;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < nvars; j++)
            d->x[(size_t)i * nvars + j] = cols[j][i];
    return TL_OK;
}

tl_status tl_design_lhs(tl_design *d, int nvars, const tl_design_var *v, int n, uint64_t seed,
                        tl_error *err)
{
    gsl_rng *r = NULL;
    int *perm = NULL;
    tl_status st = alloc_design(d, n, nvars, 0, err);
    if (st != TL_OK)
        return st;
    if ((st = tl_rng_new(&r, seed, DESIGN_POINT, DESIGN_REP_LHS, TL_STREAM_DESIGN, err)) != TL_OK)
        goto out;
    perm = malloc(sizeof *perm * (size_t)n);
    if (!perm) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (int j = 0; j < nvars; j++) {
        for (int i = 0; i < n; i++)
            perm[i] = i;
        gsl_ran_shuffle(r, perm, (size_t)n, sizeof *perm);
        for (int i = 0; i < n; i++) {
            /* uniform_pos keeps the draw strictly inside its stratum */
            double u = (perm[i] + gsl_rng_uniform_pos(r)) / n;
            d->x[(size_t)i * nvars + j] = scale(&v[j], u);
        }
    }
out:
    if (st != TL_OK)
        tl_design_clear(d);
    gsl_rng_free(r);
    free(perm);
    return st;
}

/* Open GSL's Sobol' generator of dim dimensions, past the centre point. */
static tl_status sobol_open(gsl_qrng **q, int dim, tl_error *err)
{
    double skip[40];
    *q = NULL;
    if (dim < 1 || (unsigned)dim > gsl_qrng_sobol->max_dimension || dim > 40)
        return tl_error_set(err, TL_ERR_RANGE,
                            "a Sobol' sequence of %d dimensions: GSL's generator has 1 to %u", dim,
                            gsl_qrng_sobol->max_dimension);
    *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dim);
    if (!*q)
        return tl_error_set(err, TL_ERR_NOMEM, "cannot allocate a Sobol' generator");
    gsl_qrng_get(*q, skip); /* the centre (1/2, ..., 1/2): A and B would coincide there */
    return TL_OK;
}

tl_status tl_design_sobol(tl_design *d, int nvars, const tl_design_var *v, int n, tl_error *err)
{
    gsl_qrng *q = NULL;
    double u[40];
    tl_status st;
    if (nvars < 1)
        return tl_error_set(err, TL_ERR_RANGE, "a Sobol' design needs at least one variable");
    if ((st = sobol_open(&q, nvars, err)) != TL_OK)
        return st;
    if ((st = alloc_design(d, n, nvars, 0, err)) != TL_OK)
        goto out;
    for (int i = 0; i < n; i++) {
        gsl_qrng_get(q, u);
        for (int j = 0; j < nvars; j++)
            d->x[(size_t)i * nvars + j] = scale(&v[j], u[j]);
    }
out:
    gsl_qrng_free(q);
    return st;
}

tl_status tl_design_saltelli(tl_design *d, int nvars, const tl_design_var *v, int n,
                             int second_order, tl_error *err)
{
    gsl_qrng *q = NULL;
    double u[40];
    tl_status st;
    /* per sample: A, AB_1..AB_d, [BA_1..BA_d,] B */
    int per = second_order ? 2 * nvars + 2 : nvars + 2;
    double rows = (double)n * per;
    if (nvars < 1)
        return tl_error_set(err, TL_ERR_RANGE, "a Saltelli design needs at least one variable");
    if (2 * nvars > 40)
        return tl_error_set(err, TL_ERR_RANGE,
                            "Saltelli's scheme for %d variables needs a Sobol' sequence of %d "
                            "dimensions; GSL's generator has at most 40 (so at most 20 variables)",
                            nvars, 2 * nvars);
    if (n < 1 || rows > TL_DESIGN_MAX_ROWS)
        return tl_error_set(err, TL_ERR_RANGE,
                            "a Saltelli design of %d samples x (%s%d + 2) = %.0f rows: expected 1 "
                            "to %d rows",
                            n, second_order ? "2 x " : "", nvars, rows, TL_DESIGN_MAX_ROWS);
    if ((st = sobol_open(&q, 2 * nvars, err)) != TL_OK)
        return st;
    if ((st = alloc_design(d, (int)rows, nvars, 1, err)) != TL_OK)
        goto out;
    for (int i = 0; i < n; i++) {
        size_t base = (size_t)i * (size_t)per;
        gsl_qrng_get(q, u);
        for (int k = 0; k < per; k++) {
            double *x = d->x + (base + (size_t)k) * (size_t)nvars;
            /* k = 0: A; 1..d: AB_j (A, column j from B); d+1..2d: BA_j (B,
             * column j from A), second order only; last: B */
            int last = k == per - 1, ab = k >= 1 && k <= nvars, ba = !last && k > nvars;
            int j_sw = ab ? k - 1 : ba ? k - 1 - nvars : -1;
            for (int j = 0; j < nvars; j++) {
                int from_b = (last || ba) != (j == j_sw);
                x[j] = scale(&v[j], u[from_b ? nvars + j : j]);
            }
            d->block[base + (size_t)k] = k == 0 ? 0 : last ? 1 : 2 + (k - 1);
            d->row[base + (size_t)k] = i;
        }
    }
out:
    gsl_qrng_free(q);
    return st;
}

tl_status tl_design_morris(tl_design *d, int nvars, const tl_design_var *v, int r, int levels,
                           uint64_t seed, tl_error *err)
{
    gsl_rng *g = NULL;
    int *idx = NULL, *order = NULL;
    tl_status st;
    double rows = (double)r * (nvars + 1);
    int half = levels / 2;
    if (nvars < 1)
        return tl_error_set(err, TL_ERR_RANGE, "a Morris design needs at least one variable");
    if (levels < 2 || levels % 2 != 0)
        return tl_error_set(err, TL_ERR_RANGE, "levels = %d: expected an even number >= 2", levels);
    if (r < 1 || rows > TL_DESIGN_MAX_ROWS)
        return tl_error_set(err, TL_ERR_RANGE,
                            "a Morris design of %d trajectories x (%d + 1) = %.0f rows: expected "
                            "1 to %d rows",
                            r, nvars, rows, TL_DESIGN_MAX_ROWS);
    if ((st = alloc_design(d, (int)rows, nvars, 1, err)) != TL_OK)
        return st;
    if ((st = tl_rng_new(&g, seed, DESIGN_POINT, DESIGN_REP_MORRIS, TL_STREAM_DESIGN, err)) != TL_OK)
        goto out;
    idx = malloc(sizeof *idx * (size_t)nvars);
    order = malloc(sizeof *order * (size_t)nvars);
    if (!idx || !order) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* Grid values are k/(levels-1); delta is half of the levels' steps, so a
     * variable at a base level b < levels/2 can always move up by delta, and
     * one at b + levels/2 down. This is Morris's B* = (J x* + delta/2 ((2B -
     * J) D* + J)) P* written as moves on grid indices. */
    for (int t = 0; t < r; t++) {
        size_t base = (size_t)t * (size_t)(nvars + 1);
        for (int j = 0; j < nvars; j++) {
            int b = (int)gsl_rng_uniform_int(g, (unsigned long)half);
            int up = (int)gsl_rng_uniform_int(g, 2);
            idx[j] = up ? b : b + half;
            /* remember the direction in the sign of order's entry below */
            order[j] = up ? j + 1 : -(j + 1);
        }
        gsl_ran_shuffle(g, order, (size_t)nvars, sizeof *order);
        for (int k = 0; k <= nvars; k++) {
            double *x = d->x + (base + (size_t)k) * (size_t)nvars;
            if (k > 0) {
                int j = abs(order[k - 1]) - 1;
                idx[j] += order[k - 1] > 0 ? half : -half;
            }
            for (int j = 0; j < nvars; j++)
                x[j] = scale(&v[j], (double)idx[j] / (levels - 1));
            d->block[base + (size_t)k] = t;
            d->row[base + (size_t)k] = k;
        }
    }
out:
    if (st != TL_OK)
        tl_design_clear(d);
    gsl_rng_free(g);
    free(idx);
    free(order);
    return st;
}

/* ---- CSV ------------------------------------------------------------------ */

void tl_design_csv_init(tl_design_csv *c) { memset(c, 0, sizeof *c); }

void tl_design_csv_clear(tl_design_csv *c)
{
    for (int j = 0; j < c->ncols; j++)
        free(c->names[j]);
    if (c->labels)
        for (int i = 0; i < c->nrows; i++)
            free(c->labels[i]);
    free(c->names);
    free(c->name_col);
    free(c->x);
    free(c->labels);
    free(c->line);
    free(c->col);
    tl_design_csv_init(c);
}

/* One field of a line: its text (unquoted, owned by the caller's buffer)
 * and the 1-based column where it starts. */
typedef struct {
    char *text;
    int col;
} csv_field;

typedef struct {
    const char *s, *end, *path;
    int line;
    char *buf; /* the fields of the current line, NUL-separated */
    size_t cap;
    csv_field *f;
    int nf, fcap;
    tl_error *err;
    tl_status st; /* of the failure when csv_next returns -1 */
} csv_reader;

/* Split the next non-blank, non-comment line into fields. Returns 1 when a
 * line was read, 0 at the end, -1 on error (message set). */
static int csv_next(csv_reader *r)
{
    for (;;) {
        const char *p = r->s, *ls;
        size_t need, used = 0;
        int col = 1;
        if (p >= r->end)
            return 0;
        r->line++;
        ls = p;
        /* skip blank and comment lines (a line of only spaces is blank) */
        while (p < r->end && (*p == ' ' || *p == '\t'))
            p++;
        if (p >= r->end || *p == '\n' || *p == '\r' || *p == '#') {
            while (p < r->end && *p != '\n')
                p++;
            r->s = p < r->end ? p + 1 : p;
            continue;
        }
        p = ls;
        /* the fields are never longer than the line */
        {
            const char *q = p;
            while (q < r->end && *q != '\n')
                q++;
            need = (size_t)(q - p) + 1;
        }
        if (need > r->cap) {
            char *nb = realloc(r->buf, need * 2);
            if (!nb) {
                r->st = tl_error_set(r->err, TL_ERR_NOMEM, "out of memory");
                return -1;
            }
            r->buf = nb;
            r->cap = need * 2;
        }
        r->nf = 0;
        for (;;) {
            char *out = r->buf + used;
            int start = col;
            if (r->nf >= r->fcap) {
                int ncap = r->fcap ? r->fcap * 2 : 16;
                csv_field *nf = realloc(r->f, sizeof *nf * (size_t)ncap);
                if (!nf) {
                    r->st = tl_error_set(r->err, TL_ERR_NOMEM, "out of memory");
                    return -1;
                }
                r->f = nf;
                r->fcap = ncap;
            }
            while (p < r->end && (*p == ' ' || *p == '\t')) {
                p++;
                col++;
            }
            start = col;
            if (p < r->end && *p == '"') {
                p++;
                col++;
                for (;;) {
                    if (p >= r->end || *p == '\n') {
                        r->st = tl_error_set(r->err, TL_ERR_PARSE,
                                             "%s:%d:%d: a quoted field is not closed on its line",
                                             r->path, r->line, start);
                        return -1;
                    }
                    if (*p == '"') {
                        if (p + 1 < r->end && p[1] == '"') {
                            *out++ = '"';
                            p += 2;
                            col += 2;
                            continue;
                        }
                        p++;
                        col++;
                        break;
                    }
                    *out++ = *p++;
                    col++;
                }
                while (p < r->end && (*p == ' ' || *p == '\t' || *p == '\r')) {
                    p++;
                    col++;
                }
                if (p < r->end && *p != ',' && *p != '\n') {
                    r->st = tl_error_set(r->err, TL_ERR_PARSE,
                                         "%s:%d:%d: unexpected text after a quoted field", r->path,
                                         r->line, col);
                    return -1;
                }
            } else {
                char *last = out;
                while (p < r->end && *p != ',' && *p != '\n') {
                    *out++ = *p;
                    if (*p != ' ' && *p != '\t' && *p != '\r')
                        last = out;
                    p++;
                    col++;
                }
                out = last; /* trailing blanks and CR are not part of the field */
            }
            *out++ = 0;
            r->f[r->nf].text = r->buf + used;
            r->f[r->nf].col = start;
            r->nf++;
            used = (size_t)(out - r->buf);
            if (p < r->end && *p == ',') {
                p++;
                col++;
                continue;
            }
            break;
        }
        r->s = p < r->end ? p + 1 : p;
        return 1;
    }
}

tl_status tl_design_csv_parse(const char *text, size_t len, const char *path, tl_design_csv *c,
                              tl_error *err)
{
    csv_reader r;
    tl_status st = TL_OK;
    int label_col = -1, nfields = 0, got, cap = 0;
    memset(&r, 0, sizeof r);
    r.s = text;
    r.end = text + len;
    r.path = path;
    r.err = err;
    tl_design_csv_init(c);

    if (memchr(text, 0, len)) {
        st = tl_error_set(err, TL_ERR_PARSE, "%s: the file contains a NUL byte (not a text file)",
                          path);
        goto out;
    }
    got = csv_next(&r);
    if (got <= 0) {
        st = got < 0 ? r.st
                     : tl_error_set(err, TL_ERR_PARSE,
                                    "%s:1:1: the file is empty: expected a header row of "
                                    "column names",
                                    path);
        goto out;
    }
    c->header_line = r.line;
    nfields = r.nf;
    c->names = calloc((size_t)nfields, sizeof *c->names);
    c->name_col = calloc((size_t)nfields, sizeof *c->name_col);
    if (!c->names || !c->name_col) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (int f = 0; f < r.nf; f++) {
        const char *name = r.f[f].text;
        if (!*name) {
            st = tl_error_set(err, TL_ERR_PARSE, "%s:%d:%d: column %d of the header has no name",
                              path, r.line, r.f[f].col, f + 1);
            goto out;
        }
        for (int g = 0; g < f; g++)
            if (strcmp(r.f[g].text, name) == 0) {
                st = tl_error_set(err, TL_ERR_CONFLICT,
                                  "%s:%d:%d: column '%s' appears twice in the header (columns "
                                  "%d and %d)",
                                  path, r.line, r.f[f].col, name, g + 1, f + 1);
                goto out;
            }
        if (strcmp(name, "label") == 0) {
            label_col = f;
            continue;
        }
        c->names[c->ncols] = malloc(strlen(name) + 1);
        if (!c->names[c->ncols]) {
            st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
            goto out;
        }
        strcpy(c->names[c->ncols], name);
        c->name_col[c->ncols] = r.f[f].col;
        c->ncols++;
    }

    while ((got = csv_next(&r)) > 0) {
        int k = 0;
        if (r.nf != nfields) {
            st = tl_error_set(err, TL_ERR_PARSE,
                              "%s:%d:1: row %d has %d field%s, but the header has %d", path, r.line,
                              c->nrows + 1, r.nf, r.nf == 1 ? "" : "s", nfields);
            goto out;
        }
        if (c->nrows >= TL_DESIGN_MAX_ROWS) {
            st = tl_error_set(err, TL_ERR_RANGE, "%s:%d:1: more than %d rows", path, r.line,
                              TL_DESIGN_MAX_ROWS);
            goto out;
        }
        if (c->nrows >= cap) {
            int ncap = cap ? cap * 2 : 64;
            size_t w = (size_t)(c->ncols > 0 ? c->ncols : 1);
            double *nx = realloc(c->x, sizeof *nx * (size_t)ncap * w);
            if (nx)
                c->x = nx;
            int *nl = nx ? realloc(c->line, sizeof *nl * (size_t)ncap) : NULL;
            if (nl)
                c->line = nl;
            int *nc = nl ? realloc(c->col, sizeof *nc * (size_t)ncap * w) : NULL;
            if (nc)
                c->col = nc;
            char **nlab =
                nc && label_col >= 0 ? realloc(c->labels, sizeof *nlab * (size_t)ncap) : NULL;
            if (nlab)
                c->labels = nlab;
            if (!nc || (label_col >= 0 && !nlab)) {
                st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
                goto out;
            }
            cap = ncap;
        }
        c->line[c->nrows] = r.line;
        if (label_col >= 0)
            c->labels[c->nrows] = NULL;
        for (int f = 0; f < r.nf; f++) {
            if (f == label_col) {
                char *l = malloc(strlen(r.f[f].text) + 1);
                if (!l) {
                    st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
                    c->nrows++; /* so that clear frees the labels set so far */
                    goto out;
                }
                strcpy(l, r.f[f].text);
                c->labels[c->nrows] = l;
                continue;
            }
            double v;
            if (tl_text_to_double(r.f[f].text, &v) != 0) {
                st = tl_error_set(err, TL_ERR_TYPE, "%s:%d:%d: %s = '%s' is not a number", path,
                                  r.line, r.f[f].col, c->names[k], r.f[f].text);
                c->nrows++;
                goto out;
            }
            c->x[(size_t)c->nrows * (size_t)c->ncols + (size_t)k] = v;
            c->col[(size_t)c->nrows * (size_t)c->ncols + (size_t)k] = r.f[f].col;
            k++;
        }
        c->nrows++;
    }
    if (got < 0) {
        st = r.st;
        goto out;
    }
    if (c->nrows == 0)
        st = tl_error_set(err, TL_ERR_CONFLICT,
                          "%s:%d:1: no rows after the header: expected one "
                          "row per point",
                          path, c->header_line);
out:
    free(r.buf);
    free(r.f);
    if (st != TL_OK)
        tl_design_csv_clear(c);
    return st;
}
