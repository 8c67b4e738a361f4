/* tillit/schedule.h — regime schedules: levers that change at given steps, at once or ramped. */
#ifndef TILLIT_SCHEDULE_H
#define TILLIT_SCHEDULE_H

#include "tillit/params.h"
#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TL_SCHEDULE_MAX 64

/* One change: parameter `param` moves to `value`, starting at step `at`
 * (steps count from 1) and reaching it after `ramp` steps (0 = at once).
 * With ramp R >= 1 the value at step t is v + (value - v)*min(1, (t-at+1)/R)
 * for t >= at, where v is the value the earlier changes give. */
typedef struct tl_change {
    int param; /* index into the parameter table; must be schedulable */
    double at;
    double ramp;
    double value;
} tl_change;

/* A plain value (copyable): up to TL_SCHEDULE_MAX changes. Changes of one
 * parameter apply in order of `at` (then in order given). */
typedef struct tl_schedule {
    int n;
    tl_change c[TL_SCHEDULE_MAX];
} tl_schedule;

#define TL_SCHEDULE_INIT {0, {{0, 0, 0, 0}}}

/* Append a change after checking the parameter is schedulable and the value
 * in range. Errors: TL_ERR_UNKNOWN_KEY, TL_ERR_INVALID, TL_ERR_RANGE. */
tl_status tl_schedule_add(tl_schedule *s, const char *param, double at, double ramp, double value,
                          tl_error *err);

/* Check every change against the parameters (steps within the horizon,
 * whole numbers, values in range). Errors: TL_ERR_CONFLICT, TL_ERR_RANGE. */
tl_status tl_schedule_validate(const tl_schedule *s, const tl_params *p, tl_error *err);

/* Parameters in effect at step t (1-based): base with all changes applied. */
void tl_schedule_apply(const tl_schedule *s, const tl_params *base, int t, tl_params *out);

#ifdef __cplusplus
}
#endif
#endif
