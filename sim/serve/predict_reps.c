/* predict_reps.c — a predict round over replicates: the metric on each of the run's R replicates at
 * the question and at the reveal, and what the reveal shows beside the class's answers when R > 1
 * (the median and the range of the value and of its change, and how many replicates went each
 * way). Pure data, under the class's lock like predict.c. */
#include <math.h>
#include <string.h>

#include "predict.h"

static const char *const DIRS[SRV_NDIRS] = {"down", "same", "up"};

void srv_rounds_replicates(srv_rounds *r, int n, int at_reveal, const double *vals, int nrep)
{
    srv_round *rd;
    if (n < 1 || n > r->nrounds || nrep < 1 || nrep > SRV_MAX_REPLICATES)
        return;
    rd = &r->round[n - 1];
    if (at_reveal) {
        rd->nrep_reveal = nrep;
        memcpy(rd->rep_reveal, vals, (size_t)nrep * sizeof *vals);
    } else {
        rd->nrep_open = nrep;
        memcpy(rd->rep_open, vals, (size_t)nrep * sizeof *vals);
    }
}

/* {"lo": least, "median": median, "hi": greatest} of v[0..n-1], NaN left out. */
static void band_json(const double *v, int n, srv_buf *b)
{
    const double *rows[SRV_MAX_REPLICATES];
    double lo, med, hi;
    for (int i = 0; i < n; i++)
        rows[i] = &v[i];
    srv_band_row(rows, n, 1, &lo, &med, &hi);
    srv_buf_puts(b, "{\"lo\":");
    srv_buf_num(b, lo);
    srv_buf_puts(b, ",\"median\":");
    srv_buf_num(b, med);
    srv_buf_puts(b, ",\"hi\":");
    srv_buf_num(b, hi);
    srv_buf_puts(b, "}");
}

/* ,"replicates":{"n": R, "values": [the value at the reveal on each],
 * "to": its band, "change_percent": the band of each replicate's change
 * from its own value at the question (the seed's value when the run had
 * other replicates then: its replicates changed, so it started again),
 * "directions": {"down","same","up": replicates that went that way}} */
void srv_round_replicates_json(const srv_round *rd, srv_buf *b)
{
    double change[SRV_MAX_REPLICATES];
    int n = rd->nrep_reveal, count[SRV_NDIRS] = {0};
    if (!rd->revealed || n < 2)
        return;
    for (int i = 0; i < n; i++) {
        double base = rd->nrep_open == n ? rd->rep_open[i] : rd->value_open;
        change[i] = isfinite(base) && base != 0 ? 100.0 * (rd->rep_reveal[i] - base) / fabs(base)
                                                : NAN;
        count[srv_dir_of(base, rd->rep_reveal[i])]++;
    }
    srv_buf_printf(b, ",\"replicates\":{\"n\":%d,\"values\":[", n);
    for (int i = 0; i < n; i++) {
        if (i)
            srv_buf_puts(b, ",");
        srv_buf_num(b, rd->rep_reveal[i]);
    }
    srv_buf_puts(b, "],\"to\":");
    band_json(rd->rep_reveal, n, b);
    srv_buf_puts(b, ",\"change_percent\":");
    band_json(change, n, b);
    srv_buf_puts(b, ",\"directions\":{");
    for (int d = 0; d < SRV_NDIRS; d++)
        srv_buf_printf(b, "%s\"%s\":%d", d ? "," : "", DIRS[d], count[d]);
    srv_buf_puts(b, "}}");
}
