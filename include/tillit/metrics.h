/* tillit/metrics.h — the per-step outputs of one simulation, generated from metric_list.h. */
#ifndef TILLIT_METRICS_H
#define TILLIT_METRICS_H

#include <stddef.h>

#include "tillit/metric_list.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One step's outputs; fields named as in the table. */
typedef struct tl_metrics {
#define TL_X_FIELD(name, ...) double name;
    TL_METRIC_LIST(TL_X_FIELD)
#undef TL_X_FIELD
} tl_metrics;

enum {
#define TL_X_IDX(name, ...) TL_METRIC_IDX_##name,
    TL_METRIC_LIST(TL_X_IDX)
#undef TL_X_IDX
        TL_NMETRICS
};

typedef struct tl_metric_info {
    const char *name;
    const char *unit;
    const char *group;
    const char *agg;
    const char *desc;
    size_t offset; /* of the field in tl_metrics */
} tl_metric_info;

/* The labels of a metric (metric_labels.h): English and Swedish labels, the
 * Swedish description (the English one is tl_metric_info.desc), how figures
 * show its unit, whether it is a share shown in per cent, and the direction
 * that counts as better (+1 higher, -1 lower, 0 neither). */
typedef struct tl_metric_label {
    const char *en, *sv, *desc_sv;
    const char *shown;
    int pct;
    int better;
} tl_metric_label;

const tl_metric_info *tl_metric_table(void);
/* Labels of row i, or NULL when out of range. */
const tl_metric_label *tl_metric_label_at(int i);
const tl_metric_info *tl_metric_info_at(int i);
int tl_metric_index(const char *name);
double tl_metrics_get(const tl_metrics *m, int i);
/* The criteria (metric_labels.h TL_CRITERIA), as metric indices in their
 * order; *n gets how many. */
const int *tl_criteria(int *n);
/* 1 + the position of metric i among the criteria, 0 when it is not one. */
int tl_metric_criterion(int i);
/* Copy the TL_NMETRICS values of m into out[0..TL_NMETRICS-1]. */
void tl_metrics_to_array(const tl_metrics *m, double *out);

#ifdef __cplusplus
}
#endif
#endif
