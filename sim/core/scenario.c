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

void tl_scenario_clear(tl_scenario *sc)
{
    free(sc->description);
    free(sc->record_metrics);
    free(sc->points);
    free(sc->varied);
    free(sc->design_names);
    free(sc->design_values);
    free(sc->design_block);
    free(sc->design_row);
    tl_scenario_init(sc);
}

tl_status tl_scenario_add_point(tl_scenario *sc, const tl_point *pt, tl_error *err)
{
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
    for (int k = 0; k < sc->npoints; k++)
        if ((int)sc->points[k].params.steps > t)
            t = (int)sc->points[k].params.steps;
    return t;
}

tl_status tl_scenario_finalise(tl_scenario *sc, tl_error *err)
{
    if (sc->npoints < 1)
        return tl_error_set(err, TL_ERR_CONFLICT, "the scenario has no points to run");
    if (sc->replicates < 1 || sc->replicates > 1000000)
        return tl_error_set(err, TL_ERR_RANGE, "replicates = %d: expected a whole number in [1, 1000000]",
                            sc->replicates);
    for (int k = 0; k < sc->npoints; k++) {
        tl_point *pt = &sc->points[k];
        tl_status st = tl_params_validate(&pt->params, err);
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
    if (sc->n_snap > 0)
        for (int k = 1; k < sc->npoints; k++) {
            const tl_params *a = &sc->points[0].params, *b = &sc->points[k].params;
            if (a->employees != b->employees || a->citizens != b->citizens)
                return tl_error_set(err, TL_ERR_CONFLICT,
                                    "agent snapshots need the same employees and citizens at every "
                                    "point (point %d differs from point 0)",
                                    k);
        }
    free(sc->varied);
    sc->varied = malloc(sizeof(int) * TL_NPARAMS);
    if (!sc->varied)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    sc->nvaried = 0;
    for (int i = 0; i < TL_NPARAMS; i++)
        for (int k = 1; k < sc->npoints; k++)
            if (tl_params_get(&sc->points[k].params, i) != tl_params_get(&sc->points[0].params, i)) {
                sc->varied[sc->nvaried++] = i;
                break;
            }
    return TL_OK;
}

/* ---- YAML text ------------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t len, cap;
    int failed;
} sbuf;

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
        size_t ncap = (b->cap + (size_t)n + 1) * 2;
        char *nb = realloc(b->buf, ncap);
        if (!nb) {
            b->failed = 1;
            return;
        }
        b->buf = nb;
        b->cap = ncap;
    }
}

/* a YAML double-quoted scalar */
static void put_quoted(sbuf *b, const char *s)
{
    put(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            put(b, "\\%c", *s);
        else if (*s == '\n')
            put(b, "\\n");
        else if ((unsigned char)*s < 0x20)
            put(b, "\\x%02x", (unsigned char)*s);
        else
            put(b, "%c", *s);
    }
    put(b, "\"");
}

static const char *const groups[] = {"organisation", "citizens", "employees", "managers", "errors",
                                     "regime", "chain", "knowledge", "economy"};

/* parameters of pt grouped; only those differing from ref when ref given */
static void put_params(sbuf *b, const tl_params *p, const tl_params *ref, const char *indent)
{
    const tl_param_info *t = tl_param_table();
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        int opened = 0;
        for (int i = 0; i < TL_NPARAMS; i++) {
            double v = tl_params_get(p, i);
            if (strcmp(t[i].group, groups[g]) != 0 || (ref && tl_params_get(ref, i) == v))
                continue;
            if (!opened)
                put(b, "%s%s:\n", indent, groups[g]);
            opened = 1;
            put(b, "%s  %s: %.17g\n", indent, t[i].name, v);
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

char *tl_scenario_to_yaml(const tl_scenario *sc)
{
    sbuf b = {0};
    put(&b, "# resolved tillit scenario: every parameter of the first point, then what\n"
            "# each point changes; `tillit run` reads this file back\n");
    put(&b, "name: ");
    put_quoted(&b, sc->name);
    put(&b, "\n");
    if (sc->description) {
        put(&b, "description: ");
        put_quoted(&b, sc->description);
        put(&b, "\n");
    }
    put(&b, "run:\n  replicates: %d\n  seed: %llu\n", sc->replicates,
        (unsigned long long)sc->seed);
    if (sc->crn)
        put(&b, "  common_random_numbers: true\n");
    if (sc->npoints > 0)
        put(&b, "  steps: %.17g\n", sc->points[0].params.steps);
    if (sc->n_snap > 0) {
        put(&b, "  snapshots: [");
        for (int j = 0; j < sc->n_snap; j++)
            put(&b, "%s%d", j ? ", " : "", sc->snap_steps[j]);
        put(&b, "]\n");
    }
    if (sc->record_metrics || sc->summary_only || sc->summary_window || sc->record_every > 1 ||
        sc->record_f32) {
        put(&b, "output:\n");
        if (sc->record_metrics) {
            put(&b, "  metrics: [");
            for (const char *s = sc->record_metrics; *s; s++) {
                const char ch[2] = {*s, 0};
                put(&b, "%s", *s == ' ' ? ", " : ch);
            }
            put(&b, "]\n");
        }
        if (sc->summary_only)
            put(&b, "  time_series: false\n");
        if (sc->summary_window)
            put(&b, "  window: %d\n", sc->summary_window);
        if (sc->record_every > 1)
            put(&b, "  every: %d\n", sc->record_every);
        if (sc->record_f32)
            put(&b, "  dtype: float32\n");
    }
    if (sc->npoints > 0) {
        const tl_point *p0 = &sc->points[0];
        put_params(&b, &p0->params, NULL, "");
        put(&b, "points:\n");
        for (int k = 0; k < sc->npoints; k++) {
            const tl_point *pt = &sc->points[k];
            put(&b, "  - label: ");
            put_quoted(&b, pt->label);
            put(&b, "\n");
            if (pt->params.steps != p0->params.steps)
                put(&b, "    run:\n      steps: %.17g\n", pt->params.steps);
            put_params(&b, &pt->params, &p0->params, "    ");
            put_schedule(&b, &pt->sched, "    ");
        }
    }
    if (b.failed) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
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

