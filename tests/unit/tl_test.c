/* tl_test.c — helpers shared by the unit tests. */
#include "tl_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "tillit/presets.h"
#include "tillit/sim.h"

char *tl_test_path(const char *name)
{
    const char *dir = getenv("TL_TEST_TMP");
    size_t n;
    char *p;
    if (!dir || !*dir)
        dir = "/tmp";
    n = strlen(dir) + strlen(name) + 32;
    p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%ld-%s", dir, (long)getpid(), name);
    return p;
}

void tl_test_ci(const double *x, int n, double *mean, double *half)
{
    double s = 0, ss = 0;
    for (int i = 0; i < n; i++)
        s += x[i];
    *mean = s / n;
    for (int i = 0; i < n; i++)
        ss += (x[i] - *mean) * (x[i] - *mean);
    if (n < 2) {
        *half = INFINITY;
        return;
    }
    *half = gsl_cdf_tdist_Qinv(0.005, n - 1) * sqrt(ss / (n - 1) / n);
}

void tl_test_assert_greater(const double *a, const double *b, int n, const char *what)
{
    double *d = malloc(sizeof(double) * (size_t)n);
    double ma, mb, h, md, hd;
    assert_non_null(d);
    for (int i = 0; i < n; i++)
        d[i] = a[i] - b[i];
    tl_test_ci(a, n, &ma, &h);
    tl_test_ci(b, n, &mb, &h);
    tl_test_ci(d, n, &md, &hd);
    free(d);
    if (!(md - hd > 0)) {
        fprintf(stderr, "%s: expected first > second with 99%% confidence over %d replicates: "
                        "%.5g vs %.5g (difference %.5g +- %.5g)\n",
                what, n, ma, mb, md, hd);
        fail();
    }
}

uint64_t tl_test_seed(uint64_t dflt)
{
    const char *s = getenv("TL_TEST_SEED");
    return s && *s ? strtoull(s, NULL, 10) : dflt;
}

tl_params tl_test_preset(const char *name, const char *extra)
{
    tl_params p;
    tl_error err = TL_ERROR_INIT;
    if (tl_preset_apply(name, &p, &err) != TL_OK ||
        (extra && tl_params_apply_settings(&p, extra, &err) != TL_OK)) {
        fprintf(stderr, "%s\n", err.msg);
        fail();
    }
    return p;
}

void tl_test_run_reps(const tl_params *p, const tl_schedule *sch, uint64_t seed, uint32_t point,
                      int reps, int metric, int from, int to, double *out)
{
    size_t n = (size_t)p->steps * TL_NMETRICS;
    double *buf = malloc(sizeof(double) * n);
    tl_error err = TL_ERROR_INIT;
    assert_non_null(buf);
    for (int r = 0; r < reps; r++) {
        tl_run_key key = {seed, point, (uint32_t)r};
        if (tl_run(p, sch, key, buf, NULL, 0, NULL, &err) != TL_OK) {
            fprintf(stderr, "%s\n", err.msg);
            fail();
        }
        double s = 0;
        int k = 0;
        for (int t = from; t <= to; t++) {
            double v = buf[(size_t)(t - 1) * TL_NMETRICS + (size_t)metric];
            if (!isnan(v)) {
                s += v;
                k++;
            }
        }
        out[r] = k ? s / k : NAN;
    }
    free(buf);
}

void tl_test_assert_config_greater(const tl_params *a, const tl_params *b, uint64_t seed, int reps,
                                   int metric, const char *what)
{
    double *x = malloc(sizeof(double) * (size_t)reps), *y = malloc(sizeof(double) * (size_t)reps);
    assert_non_null(x);
    assert_non_null(y);
    tl_test_run_reps(a, NULL, seed, 0, reps, metric, (int)a->steps - 103, (int)a->steps, x);
    tl_test_run_reps(b, NULL, seed, 0, reps, metric, (int)b->steps - 103, (int)b->steps, y);
    tl_test_assert_greater(x, y, reps, what);
    free(x);
    free(y);
}
