/* metrics.c — the metric table: lookup and access. */
#include "tillit/metrics.h"

#include <string.h>

static const tl_metric_info table[TL_NMETRICS] = {
#define TL_X_ROW(name, unit, group, agg, desc) \
    {#name, unit, #group, agg, desc, offsetof(tl_metrics, name)},
    TL_METRIC_LIST(TL_X_ROW)
#undef TL_X_ROW
};

const tl_metric_info *tl_metric_table(void) { return table; }

const tl_metric_info *tl_metric_info_at(int i)
{
    return (i >= 0 && i < TL_NMETRICS) ? &table[i] : NULL;
}

int tl_metric_index(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < TL_NMETRICS; i++)
        if (strcmp(table[i].name, name) == 0)
            return i;
    return -1;
}

double tl_metrics_get(const tl_metrics *m, int i)
{
    return *(const double *)(const void *)((const char *)m + table[i].offset);
}

void tl_metrics_to_array(const tl_metrics *m, double *out)
{
    for (int i = 0; i < TL_NMETRICS; i++)
        out[i] = tl_metrics_get(m, i);
}
