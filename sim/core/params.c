/* params.c — the parameter table: lookup, defaults, checks. */
#include "tillit/params.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "tillit/param_labels.h"

#define TL_PT_REAL TL_PTYPE_REAL
#define TL_PT_INT TL_PTYPE_INT
#define TL_PFL_LEVER TL_PF_LEVER
#define TL_PFL_SCHED TL_PF_SCHED
#define TL_PFL_STRUCT TL_PF_STRUCT
#define TL_PFL_0 0u

static const tl_param_info table[TL_NPARAMS] = {
#define TL_X_ROW(name, type, def, min, max, unit, group, part, flags, principle, desc, source) \
    {#name, TL_PT_##type, def, min, max, unit, #group, part, TL_PFL_##flags, principle, desc,    \
     source, offsetof(tl_params, name)},
    TL_PARAM_LIST(TL_X_ROW)
#undef TL_X_ROW
};

static const char *const names[TL_NPARAMS] = {
#define TL_X_NAME(name, ...) #name,
    TL_PARAM_LIST(TL_X_NAME)
#undef TL_X_NAME
};

/* One row per parameter: a row naming no parameter fails (no TL_PARAM_IDX_),
 * a second row fails under -Werror=override-init, a parameter without a row
 * fails the count below. */
#pragma GCC diagnostic error "-Woverride-init"
static const tl_param_label labels[TL_NPARAMS] = {
#define TL_X_LABEL(name, en, sv, desc_sv) [TL_PARAM_IDX_##name] = {en, sv, desc_sv},
    TL_PARAM_LABELS(TL_X_LABEL)
#undef TL_X_LABEL
};
#define TL_X_ONE(...) +1
_Static_assert(0 TL_PARAM_LABELS(TL_X_ONE) == TL_NPARAMS,
               "every parameter of param_list.h needs one row in param_labels.h");
#undef TL_X_ONE

const tl_param_info *tl_param_table(void) { return table; }

const tl_param_label *tl_param_label_at(int i)
{
    return (i >= 0 && i < TL_NPARAMS) ? &labels[i] : NULL;
}

const tl_param_info *tl_param_info_at(int i)
{
    return (i >= 0 && i < TL_NPARAMS) ? &table[i] : NULL;
}

int tl_param_index(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < TL_NPARAMS; i++)
        if (strcmp(table[i].name, name) == 0)
            return i;
    return -1;
}

const char *tl_param_suggest(const char *name)
{
    return tl_text_suggest(name, names, TL_NPARAMS);
}

int tl_param_schedulable(int i)
{
    return i >= 0 && i < TL_NPARAMS && (table[i].flags & (TL_PF_LEVER | TL_PF_SCHED));
}

static double *slot(tl_params *p, int i)
{
    return (double *)(void *)((char *)p + table[i].offset);
}

void tl_params_default(tl_params *p)
{
    for (int i = 0; i < TL_NPARAMS; i++)
        *slot(p, i) = table[i].def;
}

double tl_params_get(const tl_params *p, int i)
{
    return *(const double *)(const void *)((const char *)p + table[i].offset);
}

void tl_params_set_raw(tl_params *p, int i, double v) { *slot(p, i) = v; }

static const char *allowed(int i, char *buf, size_t n)
{
    const tl_param_info *r = &table[i];
    if (r->type == TL_PTYPE_INT)
        snprintf(buf, n, "a whole number in [%.17g, %.17g]", r->min, r->max);
    else
        snprintf(buf, n, "a number in [%.17g, %.17g]", r->min, r->max);
    return buf;
}

tl_status tl_param_check(int i, double v, tl_error *err)
{
    char buf[128];
    if (i < 0 || i >= TL_NPARAMS)
        return tl_error_set(err, TL_ERR_INVALID, "no parameter with index %d", i);
    if (!isfinite(v))
        return tl_error_set(err, TL_ERR_RANGE, "%s = %g: expected %s", table[i].name, v,
                            allowed(i, buf, sizeof buf));
    if (table[i].type == TL_PTYPE_INT && v != floor(v))
        return tl_error_set(err, TL_ERR_TYPE, "%s = %.17g: expected %s", table[i].name, v,
                            allowed(i, buf, sizeof buf));
    if (v < table[i].min || v > table[i].max)
        return tl_error_set(err, TL_ERR_RANGE, "%s = %.17g is out of range: expected %s",
                            table[i].name, v, allowed(i, buf, sizeof buf));
    return TL_OK;
}

static tl_status unknown(const char *name, tl_error *err)
{
    const char *s = tl_param_suggest(name);
    if (s)
        return tl_error_set(err, TL_ERR_UNKNOWN_KEY,
                            "unknown parameter '%s' (did you mean '%s'?)", name, s);
    return tl_error_set(err, TL_ERR_UNKNOWN_KEY,
                        "unknown parameter '%s' (`tillit params` lists them)", name);
}

tl_status tl_params_set(tl_params *p, const char *name, double v, tl_error *err)
{
    int i = tl_param_index(name);
    tl_status st;
    if (i < 0)
        return unknown(name, err);
    st = tl_param_check(i, v, err);
    if (st != TL_OK)
        return st;
    *slot(p, i) = v;
    return TL_OK;
}

tl_status tl_params_set_str(tl_params *p, const char *name, const char *text, tl_error *err)
{
    char buf[128];
    double v;
    int i = tl_param_index(name);
    if (i < 0)
        return unknown(name, err);
    if (tl_text_to_double(text, &v) != 0)
        return tl_error_set(err, TL_ERR_TYPE, "%s = '%s' is not a number: expected %s", name,
                            text, allowed(i, buf, sizeof buf));
    return tl_params_set(p, name, v, err);
}

tl_status tl_params_validate(const tl_params *p, tl_error *err)
{
    for (int i = 0; i < TL_NPARAMS; i++) {
        tl_status st = tl_param_check(i, tl_params_get(p, i), err);
        if (st != TL_OK)
            return st;
    }
    if (p->units > p->employees)
        return tl_error_set(err, TL_ERR_CONFLICT,
                            "units = %.0f but employees = %.0f: every unit needs at least one "
                            "employee (units <= employees)",
                            p->units, p->employees);
    if (p->units > p->citizens)
        return tl_error_set(err, TL_ERR_CONFLICT,
                            "units = %.0f but citizens = %.0f: every unit needs at least one "
                            "citizen (units <= citizens)",
                            p->units, p->citizens);
    if (p->employees * p->knowledge_dims > 4e9)
        return tl_error_set(err, TL_ERR_CONFLICT,
                            "employees * knowledge_dims = %.0f beliefs is too many (at most 4e9)",
                            p->employees * p->knowledge_dims);
    return TL_OK;
}
