/* schedule.c — regime schedules: piecewise-linear lever paths. */
#include "tillit/schedule.h"

#include <math.h>

tl_status tl_schedule_add(tl_schedule *s, const char *param, double at, double ramp, double value,
                          tl_error *err)
{
    int i = tl_param_index(param);
    tl_status st;
    if (i < 0) {
        const char *sug = tl_param_suggest(param);
        return sug ? tl_error_set(err, TL_ERR_UNKNOWN_KEY,
                                  "schedule: unknown parameter '%s' (did you mean '%s'?)", param, sug)
                   : tl_error_set(err, TL_ERR_UNKNOWN_KEY, "schedule: unknown parameter '%s'",
                                  param);
    }
    if (!tl_param_schedulable(i))
        return tl_error_set(err, TL_ERR_INVALID,
                            "schedule: '%s' cannot change during a run (only levers and "
                            "parameters marked schedulable can; `tillit params` shows which)",
                            param);
    st = tl_param_check(i, value, err);
    if (st != TL_OK) {
        tl_error_prefix(err, "schedule: ");
        return st;
    }
    if (s->n >= TL_SCHEDULE_MAX)
        return tl_error_set(err, TL_ERR_RANGE, "schedule: more than %d changes", TL_SCHEDULE_MAX);
    s->c[s->n].param = i;
    s->c[s->n].at = at;
    s->c[s->n].ramp = ramp;
    s->c[s->n].value = value;
    s->n++;
    return TL_OK;
}

tl_status tl_schedule_validate(const tl_schedule *s, const tl_params *p, tl_error *err)
{
    for (int k = 0; k < s->n; k++) {
        const tl_change *c = &s->c[k];
        const tl_param_info *r = tl_param_info_at(c->param);
        tl_status st;
        if (!r || !tl_param_schedulable(c->param))
            return tl_error_set(err, TL_ERR_INVALID, "schedule change %d: parameter cannot change",
                                k + 1);
        if (c->at != floor(c->at) || c->at < 1)
            return tl_error_set(err, TL_ERR_RANGE,
                                "schedule change %d (%s): at = %g: expected a whole step >= 1", k + 1,
                                r->name, c->at);
        if (c->ramp != floor(c->ramp) || c->ramp < 0)
            return tl_error_set(err, TL_ERR_RANGE,
                                "schedule change %d (%s): ramp = %g: expected a whole number of "
                                "steps >= 0",
                                k + 1, r->name, c->ramp);
        if (c->at > p->steps)
            return tl_error_set(err, TL_ERR_CONFLICT,
                                "schedule change %d (%s): at = %g is past the horizon steps = %g",
                                k + 1, r->name, c->at, p->steps);
        if (c->ramp > 0 && c->at + c->ramp - 1 > p->steps)
            return tl_error_set(err, TL_ERR_CONFLICT,
                                "schedule change %d (%s): the ramp from step %g over %g steps ends "
                                "at step %g, past the horizon steps = %g",
                                k + 1, r->name, c->at, c->ramp, c->at + c->ramp - 1, p->steps);
        st = tl_param_check(c->param, c->value, err);
        if (st != TL_OK) {
            tl_error_prefix(err, "schedule change %d: ", k + 1);
            return st;
        }
    }
    return TL_OK;
}

void tl_schedule_apply(const tl_schedule *s, const tl_params *base, int t, tl_params *out)
{
    *out = *base;
    if (s->n == 0)
        return;
    /* apply in order of `at`, stable: a selection over the small list */
    unsigned char done[TL_SCHEDULE_MAX] = {0};
    for (int pass = 0; pass < s->n; pass++) {
        int k = -1;
        for (int j = 0; j < s->n; j++)
            if (!done[j] && (k < 0 || s->c[j].at < s->c[k].at))
                k = j;
        done[k] = 1;
        const tl_change *c = &s->c[k];
        if (t < c->at)
            continue;
        double frac = c->ramp >= 1 ? (t - c->at + 1) / c->ramp : 1.0;
        if (frac > 1)
            frac = 1;
        double v = tl_params_get(out, c->param);
        tl_params_set_raw(out, c->param, frac >= 1 ? c->value : v + (c->value - v) * frac);
    }
}
