/* scenario.c — scenarios: points, validation, and the resolved YAML text kept as provenance. */
#include "tillit/scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tl_scenario_init(tl_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    snprintf(sc->name, sizeof sc->name, "scenario");
    sc->replicates = 1;
    sc->seed = 1;
}

/* ---- points made on demand ----------------------------------------------- */

int tl_points_on_demand_above(void)
{
    const char *v = getenv("TILLIT_TEST_POINTS_ON_DEMAND");
    long n = v && *v ? strtol(v, NULL, 10) : 0;
    return n > 0 && n < TL_POINTS_ON_DEMAND ? (int)n : TL_POINTS_ON_DEMAND;
}

void tl_point_label(char *out, const char *spec, const char *row)
{
    if (spec && row) {
        size_t a = strlen(spec), b = strlen(row);
        if (a > TL_LABEL_MAX - 2)
            a = TL_LABEL_MAX - 2;
        if (b > TL_LABEL_MAX - 2 - a)
            b = TL_LABEL_MAX - 2 - a;
        memmove(out, spec, a);
        out[a] = '/';
        memcpy(out + a + 1, row, b);
        out[a + 1 + b] = 0;
    } else
        snprintf(out, TL_LABEL_MAX, "%s", spec ? spec : row);
}

void tl_point_gen_make(const tl_point_gen *g, const double *x, int ndesign, int k, tl_point *out)
{
    const int b = k / g->nrows, r = k % g->nrows;
    const double *row = x + (size_t)k * (size_t)ndesign;
    char rowlab[TL_LABEL_MAX];
    *out = g->bases[b];
    for (int j = 0; j < ndesign; j++) {
        const tl_point_var *v = &g->vars[j];
        if (v->kind == TL_PV_PARAM)
            tl_params_set_raw(&out->params, v->index, row[j]);
        else if (v->kind == TL_PV_AT)
            out->sched.c[v->index].at = row[j];
        else if (v->kind == TL_PV_RAMP)
            out->sched.c[v->index].ramp = row[j];
        else
            out->sched.c[v->index].value = row[j];
    }
    if (g->rowlab && g->rowlab[r][0])
        snprintf(rowlab, sizeof rowlab, "%s", g->rowlab[r]);
    else
        snprintf(rowlab, sizeof rowlab, "p%d", r);
    /* out->label holds the base's (the listed point's) label */
    tl_point_label(out->label, g->speclab ? out->label : NULL, rowlab);
    for (int i = 0; i < g->npost; i++)
        tl_params_set_raw(&out->params, g->post_param[i], g->post_value[i]);
}

void tl_point_gen_free(tl_point_gen *g)
{
    if (!g)
        return;
    free(g->bases);
    free(g->vars);
    free(g->rowlab);
    free(g->post_param);
    free(g->post_value);
    free(g);
}

const tl_point *tl_scenario_point(const tl_scenario *sc, int k, tl_point *buf)
{
    if (!sc->gen)
        return &sc->points[k];
    tl_point_gen_make(sc->gen, sc->design_values, sc->ndesign, k, buf);
    return buf;
}

tl_status tl_scenario_set_everywhere(tl_scenario *sc, int param, double value, tl_error *err)
{
    tl_point_gen *g = sc->gen;
    if (!g) {
        for (int k = 0; k < sc->npoints; k++)
            tl_params_set_raw(&sc->points[k].params, param, value);
        return TL_OK;
    }
    int *pp = realloc(g->post_param, sizeof *pp * ((size_t)g->npost + 1));
    if (pp)
        g->post_param = pp;
    double *pv = realloc(g->post_value, sizeof *pv * ((size_t)g->npost + 1));
    if (pv)
        g->post_value = pv;
    if (!pp || !pv)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    g->post_param[g->npost] = param;
    g->post_value[g->npost++] = value;
    return TL_OK;
}

tl_status tl_scenario_schedule_everywhere(tl_scenario *sc, const char *param, double at,
                                          double ramp, double value, tl_error *err)
{
    /* made on demand, a point's schedule is its base's (appended changes come after
     * those the design sets, so the design's indices stay) */
    int n = sc->gen ? sc->gen->nbases : sc->npoints;
    for (int k = 0; k < n; k++) {
        tl_point *pt = sc->gen ? &sc->gen->bases[k] : &sc->points[k];
        tl_status st = tl_schedule_add(&pt->sched, param, at, ramp, value, err);
        if (st != TL_OK)
            return st;
    }
    return TL_OK;
}

void tl_scenario_clear(tl_scenario *sc)
{
    free(sc->description);
    free(sc->record_metrics);
    free(sc->points);
    tl_point_gen_free(sc->gen);
    free(sc->varied);
    free(sc->design_names);
    free(sc->design_values);
    free(sc->design_block);
    free(sc->design_row);
    tl_scenario_init(sc);
}

tl_status tl_scenario_add_point(tl_scenario *sc, const tl_point *pt, tl_error *err)
{
    if (sc->gen)
        return tl_error_set(err, TL_ERR_INVALID, "cannot add a point to a design made on demand");
    tl_point *np = realloc(sc->points, sizeof *np * ((size_t)sc->npoints + 1));
    if (!np)
        return tl_error_set(err, TL_ERR_NOMEM, "cannot add point %d", sc->npoints + 1);
    sc->points = np;
    sc->points[sc->npoints++] = *pt;
    return TL_OK;
}

int tl_scenario_steps(const tl_scenario *sc)
{
    int t = 0;
    const tl_point_gen *g = sc->gen;
    if (g) { /* the bases' and the design's steps, unless --steps set them all */
        const int steps = tl_param_index("steps");
        for (int i = g->npost - 1; i >= 0; i--)
            if (g->post_param[i] == steps)
                return (int)g->post_value[i];
        for (int b = 0; b < g->nbases; b++)
            if ((int)g->bases[b].params.steps > t)
                t = (int)g->bases[b].params.steps;
        for (int j = 0; j < sc->ndesign; j++)
            if (g->vars[j].kind == TL_PV_PARAM && g->vars[j].index == steps) {
                t = 0; /* the design sets every point's */
                for (int k = 0; k < sc->npoints; k++) {
                    double v = sc->design_values[(size_t)k * (size_t)sc->ndesign + (size_t)j];
                    if ((int)v > t)
                        t = (int)v;
                }
            }
        return t;
    }
    for (int k = 0; k < sc->npoints; k++)
        if ((int)sc->points[k].params.steps > t)
            t = (int)sc->points[k].params.steps;
    return t;
}

int tl_scenario_agents_unlike(const tl_scenario *sc)
{
    tl_point p0buf, buf;
    const tl_params *p0 = sc->npoints > 0 ? &tl_scenario_point(sc, 0, &p0buf)->params : NULL;
    for (int k = 1; p0 && k < sc->npoints; k++) {
        const tl_params *b = &tl_scenario_point(sc, k, &buf)->params;
        if (b->employees != p0->employees || b->citizens != p0->citizens)
            return k;
    }
    return 0;
}

tl_status tl_scenario_finalise(tl_scenario *sc, tl_error *err)
{
    if (sc->npoints < 1)
        return tl_error_set(err, TL_ERR_CONFLICT, "the scenario has no points to run");
    if (sc->replicates < 1 || sc->replicates > 1000000)
        return tl_error_set(err, TL_ERR_RANGE, "replicates = %d: expected a whole number in [1, 1000000]",
                            sc->replicates);
    tl_point buf, p0;
    p0 = *tl_scenario_point(sc, 0, &buf);
    free(sc->varied);
    sc->varied = calloc(TL_NPARAMS, sizeof(int));
    if (!sc->varied)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    sc->nvaried = 0;
    /* one pass over the points (made one at a time when on demand): each valid,
     * and which parameters differ from point 0's (flags in varied, for now) */
    for (int k = 0; k < sc->npoints; k++) {
        const tl_point *pt = tl_scenario_point(sc, k, &buf);
        tl_status st = tl_params_validate(&pt->params, err);
        for (int i = 0; k > 0 && i < TL_NPARAMS; i++)
            if (!sc->varied[i] && tl_params_get(&pt->params, i) != tl_params_get(&p0.params, i))
                sc->varied[i] = 1;
        if (st == TL_OK)
            st = tl_schedule_validate(&pt->sched, &pt->params, err);
        if (st != TL_OK) {
            if (sc->npoints > 1)
                tl_error_prefix(err, "point %d (%s): ", k, pt->label);
            return st;
        }
    }
    if (sc->record_every < 0 || sc->record_every > tl_scenario_steps(sc))
        return tl_error_set(err, TL_ERR_RANGE,
                            "output.every = %d: expected a whole number of steps in [1, %d] "
                            "(the run's steps; every: %d keeps only the last step)",
                            sc->record_every, tl_scenario_steps(sc), tl_scenario_steps(sc));
    for (int j = 0; j < sc->n_snap; j++) {
        if (sc->snap_steps[j] < 0 || sc->snap_steps[j] > tl_scenario_steps(sc))
            return tl_error_set(err, TL_ERR_CONFLICT,
                                "snapshot at step %d is outside the run (0 .. steps = %d)",
                                sc->snap_steps[j], tl_scenario_steps(sc));
        if (j > 0 && sc->snap_steps[j] <= sc->snap_steps[j - 1])
            return tl_error_set(err, TL_ERR_CONFLICT,
                                "snapshot steps must increase: %d after %d", sc->snap_steps[j],
                                sc->snap_steps[j - 1]);
    }
    if (sc->n_snap > 0 && (sc->varied[tl_param_index("employees")] ||
                           sc->varied[tl_param_index("citizens")])) {
        const int k = tl_scenario_agents_unlike(sc);
        if (k > 0)
            return tl_error_set(err, TL_ERR_CONFLICT,
                                "agent snapshots need the same employees and citizens at every "
                                "point (point %d differs from point 0)",
                                k);
    }
    /* the flags to indices, in table order */
    for (int i = 0; i < TL_NPARAMS; i++)
        if (sc->varied[i])
            sc->varied[sc->nvaried++] = i;
    return TL_OK;
}

/* ---- YAML text ------------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t len, cap;
    int failed;
} sbuf;

/* Room for n more bytes and a terminating NUL (the buffer at least doubles);
 * 0, and b failed, when out of memory. */
static int room(sbuf *b, size_t n)
{
    size_t ncap = (b->cap + n + 1) * 2;
    char *nb = realloc(b->buf, ncap);
    if (!nb) {
        b->failed = 1;
        return 0;
    }
    b->buf = nb;
    b->cap = ncap;
    return 1;
}

static void put(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (b->failed)
        return;
    for (;;) {
        va_start(ap, fmt);
        /* no buffer yet: measure only (NULL + 0 is undefined behaviour) */
        n = vsnprintf(b->buf ? b->buf + b->len : NULL, b->buf ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        if (!room(b, (size_t)n))
            return;
    }
}

/* n bytes of s, as they are */
static void put_raw(sbuf *b, const char *s, size_t n)
{
    if (b->failed || (b->cap - b->len <= n && !room(b, n)))
        return;
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

/* a YAML double-quoted scalar: plain runs copied whole (a million labels) */
static void put_quoted(sbuf *b, const char *s)
{
    put_raw(b, "\"", 1);
    while (*s) {
        size_t n = 0;
        while (s[n] && s[n] != '"' && s[n] != '\\' && (unsigned char)s[n] >= 0x20)
            n++;
        put_raw(b, s, n);
        s += n;
        if (!*s)
            break;
        if (*s == '"' || *s == '\\')
            put(b, "\\%c", *s);
        else if (*s == '\n')
            put(b, "\\n");
        else
            put(b, "\\x%02x", (unsigned char)*s);
        s++;
    }
    put_raw(b, "\"", 1);
}

static const char *const groups[] = {"organisation", "citizens", "employees", "managers", "errors",
                                     "regime", "chain", "knowledge", "economy"};

/* the group (index in groups) of every parameter into g; NGROUPS: none listed (run) */
#define NGROUPS (sizeof groups / sizeof groups[0])
static void param_groups(unsigned char *g)
{
    const tl_param_info *t = tl_param_table();
    for (int i = 0; i < TL_NPARAMS; i++) {
        g[i] = (unsigned char)NGROUPS;
        for (size_t k = 0; k < NGROUPS; k++)
            if (!strcmp(t[i].group, groups[k]))
                g[i] = (unsigned char)k;
    }
}

/* parameters of pt grouped; only those differing from ref when ref given */
static void put_params(sbuf *b, const unsigned char *pg, const tl_params *p,
                       const tl_params *ref, const char *indent)
{
    const tl_param_info *t = tl_param_table();
    int idx[TL_NPARAMS], n = 0;
    for (int i = 0; i < TL_NPARAMS; i++)
        if (!ref || tl_params_get(ref, i) != tl_params_get(p, i))
            idx[n++] = i;
    for (size_t g = 0; n > 0 && g < NGROUPS; g++) {
        int opened = 0;
        for (int k = 0; k < n; k++) {
            const int i = idx[k];
            if (pg[i] != g)
                continue;
            if (!opened)
                put(b, "%s%s:\n", indent, groups[g]);
            opened = 1;
            put(b, "%s  %s: %.17g\n", indent, t[i].name, tl_params_get(p, i));
        }
    }
}

static void put_schedule(sbuf *b, const tl_schedule *s, const char *indent)
{
    if (s->n == 0)
        return;
    put(b, "%sschedule:\n", indent);
    for (int k = 0; k < s->n; k++)
        put(b, "%s  - {param: %s, at: %.17g, ramp: %.17g, value: %.17g}\n", indent,
            tl_param_info_at(s->c[k].param)->name, s->c[k].at, s->c[k].ramp, s->c[k].value);
}

/* the resolved text down to its points: the run, output and every parameter of point 0 */
static void put_head(sbuf *b, const tl_scenario *sc, const tl_point *p0, const unsigned char *pg)
{
    put(b, "# resolved tillit scenario: every parameter of the first point, then what\n"
            "# each point changes; `tillit run` reads this file back\n");
    put(b, "name: ");
    put_quoted(b, sc->name);
    put(b, "\n");
    if (sc->description) {
        put(b, "description: ");
        put_quoted(b, sc->description);
        put(b, "\n");
    }
    put(b, "run:\n  replicates: %d\n  seed: %llu\n", sc->replicates,
        (unsigned long long)sc->seed);
    if (sc->crn)
        put(b, "  common_random_numbers: true\n");
    if (sc->npoints > 0)
        put(b, "  steps: %.17g\n", p0->params.steps);
    if (sc->n_snap > 0) {
        put(b, "  snapshots: [");
        for (int j = 0; j < sc->n_snap; j++)
            put(b, "%s%d", j ? ", " : "", sc->snap_steps[j]);
        put(b, "]\n");
    }
    if (sc->record_metrics || sc->summary_only || sc->summary_window || sc->record_every > 1 ||
        sc->record_f32) {
        put(b, "output:\n");
        if (sc->record_metrics) {
            put(b, "  metrics: [");
            for (const char *s = sc->record_metrics; *s; s++) {
                const char ch[2] = {*s, 0};
                put(b, "%s", *s == ' ' ? ", " : ch);
            }
            put(b, "]\n");
        }
        if (sc->summary_only)
            put(b, "  time_series: false\n");
        if (sc->summary_window)
            put(b, "  window: %d\n", sc->summary_window);
        if (sc->record_every > 1)
            put(b, "  every: %d\n", sc->record_every);
        if (sc->record_f32)
            put(b, "  dtype: float32\n");
    }
    if (p0)
        put_params(b, pg, &p0->params, NULL, "");
}

/* one entry of the points list: what pt changes from p0 */
static void put_point(sbuf *b, const unsigned char *pg, const tl_point *pt, const tl_point *p0)
{
    put_raw(b, "  - label: ", 11);
    put_quoted(b, pt->label);
    put_raw(b, "\n", 1);
    if (pt->params.steps != p0->params.steps)
        put(b, "    run:\n      steps: %.17g\n", pt->params.steps);
    put_params(b, pg, &pt->params, &p0->params, "    ");
    put_schedule(b, &pt->sched, "    ");
}

char *tl_scenario_to_yaml(const tl_scenario *sc)
{
    sbuf b = {0};
    tl_point buf, p0buf;
    const tl_point *p0 = sc->npoints > 0 ? tl_scenario_point(sc, 0, &p0buf) : NULL;
    unsigned char pg[TL_NPARAMS];
    param_groups(pg);
    put_head(&b, sc, p0, pg);
    if (p0) {
        put(&b, "points:\n");
        for (int k = 0; k < sc->npoints; k++)
            put_point(&b, pg, tl_scenario_point(sc, k, &buf), p0);
    }
    if (b.failed) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}

double tl_scenario_yaml_bytes(const tl_scenario *sc)
{
    enum { SAMPLES = 1000 };
    sbuf b = {0};
    tl_point buf, p0buf;
    const tl_point *p0 = sc->npoints > 0 ? tl_scenario_point(sc, 0, &p0buf) : NULL;
    const int every = sc->npoints > SAMPLES ? sc->npoints / SAMPLES : 1;
    double head, per = 0;
    int n = 0;
    unsigned char pg[TL_NPARAMS];
    param_groups(pg);
    put_head(&b, sc, p0, pg);
    head = (double)b.len + (p0 ? 8 : 0); /* "points:\n" */
    for (int k = 0; p0 && k < sc->npoints; k += every, n++) {
        b.len = 0;
        put_point(&b, pg, tl_scenario_point(sc, k, &buf), p0);
        per += (double)b.len;
    }
    free(b.buf);
    return head + (n ? per / n * sc->npoints : 0);
}

int tl_scenario_block_reps(const tl_scenario *sc)
{
    int T = tl_scenario_steps(sc);
    long target = 256L * 1024 / 8; /* doubles in a 256 KiB chunk */
    long b = T > 0 ? target / T : 1;
    if (b < 1)
        b = 1;
    if (b > sc->replicates)
        b = sc->replicates;
    return (int)b;
}

