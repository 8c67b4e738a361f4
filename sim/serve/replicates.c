/* replicates.c — replicates in class: the band (least, median, greatest) of R runs of one side,
 * week by week, and the limits on R. */
#include "replicates.h"

#include <math.h>
#include <stdio.h>

void srv_sort_small(double *v, int n)
{
    for (int i = 1; i < n; i++) {
        double x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static double median_sorted(const double *v, int n)
{
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void srv_band_row(const double *const *vals, int r, int nmetrics, double *lo, double *med,
                  double *hi)
{
    double v[SRV_MAX_REPLICATES];
    if (r > SRV_MAX_REPLICATES)
        r = SRV_MAX_REPLICATES;
    for (int m = 0; m < nmetrics; m++) {
        int n = 0;
        for (int i = 0; i < r; i++)
            if (!isnan(vals[i][m]))
                v[n++] = vals[i][m];
        if (n == 0) {
            lo[m] = med[m] = hi[m] = NAN;
            continue;
        }
        srv_sort_small(v, n);
        lo[m] = v[0];
        med[m] = median_sorted(v, n);
        hi[m] = v[n - 1];
    }
}

int srv_replicates_of(int replicates)
{
    return replicates < 1 ? 1 : replicates;
}

int srv_replicates_check(double r, char *msg, size_t len)
{
    if (!(r >= 1 && r <= SRV_MAX_REPLICATES) || r != floor(r)) {
        snprintf(msg, len, "replicates: a whole number from 1 to %d, not %g", SRV_MAX_REPLICATES,
                 r);
        return 400;
    }
    return 0;
}
