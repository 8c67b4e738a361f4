/* tl_test.c — helpers shared by the unit tests. */
#include "tl_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

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
