/* metrics.c — the metric table: lookup and access. */
#include "tillit/metrics.h"

#include <string.h>

#include "tillit/metric_labels.h"

static const tl_metric_info table[TL_NMETRICS] = {
#define TL_X_ROW(name, unit, group, agg, desc) \
    {#name, unit, #group, agg, desc, offsetof(tl_metrics, name)},
    TL_METRIC_LIST(TL_X_ROW)
#undef TL_X_ROW
};

/* One row per metric: a row naming no metric fails (no TL_METRIC_IDX_), a
 * second row for a metric fails under -Werror=override-init, a metric
 * without a row fails the count below. */
#pragma GCC diagnostic error "-Woverride-init"
static const tl_metric_label labels[TL_NMETRICS] = {
#define TL_X_LABEL(name, shown, pct, better, en, sv, desc_sv) \
    [TL_METRIC_IDX_##name] = {en, sv, desc_sv, #shown, pct, better},
    TL_METRIC_LABELS(TL_X_LABEL)
#undef TL_X_LABEL
};
#define TL_X_ONE(...) +1
_Static_assert(0 TL_METRIC_LABELS(TL_X_ONE) == TL_NMETRICS,
               "every metric of metric_list.h needs one row in metric_labels.h");
#undef TL_X_ONE

static const int criteria[] = {
#define TL_X_CRITERION(name) TL_METRIC_IDX_##name,
    TL_CRITERIA(TL_X_CRITERION)
#undef TL_X_CRITERION
};
#define NCRITERIA ((int)(sizeof criteria / sizeof criteria[0]))

const int *tl_criteria(int *n)
{
    *n = NCRITERIA;
    return criteria;
}

int tl_metric_criterion(int i)
{
    for (int k = 0; k < NCRITERIA; k++)
        if (criteria[k] == i)
            return k + 1;
    return 0;
}

const tl_metric_info *tl_metric_table(void) { return table; }

const tl_metric_label *tl_metric_label_at(int i)
{
    return (i >= 0 && i < TL_NMETRICS) ? &labels[i] : NULL;
}

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
