/* scenario_yaml.c — scenario files: YAML (libyaml's document API) to a validated tl_scenario, every error at file:line:column. */
#include "tillit/scenario_yaml.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "bounded_read.h"
#include "design.h"
#include "text.h"
#include "tillit/metrics.h"
#include "tillit/presets.h"

/* Why the document API rather than events: every check below needs to look
 * at a key and its value together, and in any order (the sweep refers to the
 * schedule and the seed); nodes keep libyaml's marks, so every message can
 * point at the line and column of the key or value it is about. The walk
 * below follows the schema, never the document's own structure, so aliases
 * (even cyclic ones) cannot make it recurse without bound. */

#define MAX_GROUPS 16
#define MAX_KEYS (TL_NPARAMS + 16)
#define STEPS_MAX 100000 /* the table's bound on `steps`, for schedule settings */
#define VALUE_SHOW 60    /* characters of a value quoted in a message */

/* ---- what the file says, before points are made -------------------------- */

/* One parameter value given in a group, and where. */
typedef struct setting {
    int param;
    double v;
    yaml_node_t *key;
} setting;

typedef struct layer {
    setting *s;
    int n, cap;
} layer;

typedef struct sched_item {
    tl_change c;
    yaml_node_t *at, *ramp, *value, *param;
    char key[64]; /* "schedule[0]" or "points[2].schedule[1]" */
} sched_item;

typedef struct point_spec {
    char label[TL_LABEL_MAX];
    yaml_node_t *node, *label_node, *preset_node;
    const char *preset; /* NULL: the file's */
    layer over;
    sched_item *sched;
    int nsched;
} point_spec;

typedef enum { DV_PARAM, DV_AT, DV_VALUE, DV_RAMP } dv_kind;

/* A design variable: a parameter or a setting of a file-level schedule change. */
typedef struct dvar {
    char name[TL_LABEL_MAX]; /* as recorded: "mandate", "schedule_0_at" */
    dv_kind kind;
    int param; /* DV_PARAM: the parameter; DV_VALUE: the change's parameter */
    int change;
    double min, max; /* what is allowed */
    int integer;
    yaml_node_t *key; /* in sweep.parameters; NULL for csv */
    int csv_col;
} dvar;

typedef struct loc {
    const char *path;
    int line, col; /* 1-based; 0 = the whole file */
} loc;

typedef struct ctx {
    const char *path;
    const char *text;
    size_t len;
    char *dir; /* for paths inside the file */
    tl_error *err;
    yaml_document_t doc;
    int have_doc;

    const char *groups[MAX_GROUPS]; /* parameter groups that are top-level keys */
    int ngroups;

    char name[TL_LABEL_MAX];
    char *description;
    const char *preset;
    yaml_node_t *preset_node;
    layer file;
    sched_item fsched[TL_SCHEDULE_MAX];
    int nfsched;
    int replicates;
    uint64_t seed;
    int crn;
    char *record; /* output.metrics, space-separated, owned */
    int summary_only, summary_window; /* output.time_series (negated), output.window */
    int every, f32;                   /* output.every, output.dtype == float32 */
    int n_snap, snap[TL_SNAP_MAX];
    yaml_node_t *snap_node[TL_SNAP_MAX], *snaps_key;

    point_spec *specs;
    int nspecs, have_points;
    yaml_node_t *points_key;

    yaml_node_t *sweep, *sweep_key;
    char design[32];
    int design_base;
    dvar *dv;
    int ndv;
    tl_design des;
    tl_design_csv csv;
    char *csv_path;
    int have_csv;
    tl_point_gen *gen; /* a sweep's points as made on demand; the scenario takes it when used */
} ctx;

/* ---- messages ------------------------------------------------------------- */

static tl_status vfail_at(ctx *c, const char *path, int line, int col, tl_status code,
                          const char *fmt, va_list ap)
{
    char what[900];
    vsnprintf(what, sizeof what, fmt, ap);
    if (line > 0)
        return tl_error_set(c->err, code, "%s:%d:%d: %s", path, line, col, what);
    return tl_error_set(c->err, code, "%s: %s", path, what);
}

static tl_status fail(ctx *c, const yaml_node_t *at, tl_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* A message at node `at` (NULL: the top of the file). */
static tl_status fail(ctx *c, const yaml_node_t *at, tl_status code, const char *fmt, ...)
{
    va_list ap;
    tl_status st;
    va_start(ap, fmt);
    st = vfail_at(c, c->path, at ? (int)at->start_mark.line + 1 : 1,
                  at ? (int)at->start_mark.column + 1 : 1, code, fmt, ap);
    va_end(ap);
    return st;
}

static tl_status fail_loc(ctx *c, loc l, tl_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static tl_status fail_loc(ctx *c, loc l, tl_status code, const char *fmt, ...)
{
    va_list ap;
    tl_status st;
    va_start(ap, fmt);
    st = vfail_at(c, l.path, l.line, l.col, code, fmt, ap);
    va_end(ap);
    return st;
}

static loc node_loc(ctx *c, const yaml_node_t *n)
{
    loc l = {c->path, 1, 1};
    if (n) {
        l.line = (int)n->start_mark.line + 1;
        l.col = (int)n->start_mark.column + 1;
    }
    return l;
}

static void join(char *out, size_t n, const char *where, const char *key)
{
    snprintf(out, n, "%s%s%s", where, *where ? "." : "", key);
}

/* ---- nodes ---------------------------------------------------------------- */

static yaml_node_t *nd(ctx *c, int id) { return yaml_document_get_node(&c->doc, id); }

static const char *str(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

static int is_scalar(const yaml_node_t *n) { return n && n->type == YAML_SCALAR_NODE; }

/* A plain empty, ~ or null scalar: YAML's null. */
static int is_null(const yaml_node_t *n)
{
    const char *s;
    if (!is_scalar(n) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    s = str(n);
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* The value as the user wrote it, shortened and with control characters
 * replaced, for messages. */
static const char *show(const yaml_node_t *n, char *buf, size_t size)
{
    size_t j = 0;
    int quoted;
    if (!n)
        return "nothing";
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    if (is_null(n))
        return "nothing";
    quoted = n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    if (quoted)
        buf[j++] = '"';
    for (size_t i = 0; i < n->data.scalar.length && j + 6 < size; i++) {
        unsigned char ch = n->data.scalar.value[i];
        if (i >= VALUE_SHOW) {
            /* never end inside a UTF-8 character */
            while (j > 0 && ((unsigned char)buf[j - 1] & 0xc0) == 0x80)
                j--;
            if (j > 0 && (unsigned char)buf[j - 1] >= 0xc0)
                j--;
            memcpy(buf + j, "...", 3);
            j += 3;
            break;
        }
        buf[j++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    if (quoted)
        buf[j++] = '"';
    buf[j] = 0;
    return buf;
}

static int has_nul(const yaml_node_t *n)
{
    return is_scalar(n) && strlen(str(n)) != n->data.scalar.length;
}

static int npairs(const yaml_node_t *m)
{
    return m->type == YAML_MAPPING_NODE
               ? (int)(m->data.mapping.pairs.top - m->data.mapping.pairs.start)
               : 0;
}

static yaml_node_pair_t *pair_at(const yaml_node_t *m, int i)
{
    return m->data.mapping.pairs.start + i;
}

static int nitems(const yaml_node_t *s)
{
    return s->type == YAML_SEQUENCE_NODE
               ? (int)(s->data.sequence.items.top - s->data.sequence.items.start)
               : 0;
}

static yaml_node_t *item_at(ctx *c, const yaml_node_t *s, int i)
{
    return nd(c, s->data.sequence.items.start[i]);
}

/* The value of key in mapping m (keys were checked to be unique), or NULL. */
static yaml_node_t *find(ctx *c, const yaml_node_t *m, const char *key, yaml_node_t **keynode)
{
    for (int i = 0; m && i < npairs(m); i++) {
        yaml_node_t *k = nd(c, pair_at(m, i)->key);
        if (is_scalar(k) && strcmp(str(k), key) == 0) {
            if (keynode)
                *keynode = k;
            return nd(c, pair_at(m, i)->value);
        }
    }
    return NULL;
}

/* ---- scalars -------------------------------------------------------------- */

/* Decimal numbers only (tl_text_is_decimal): YAML 1.1's other integer forms
 * (0x.., 0o.., 1_000, 1:30) are refused rather than misread. */
static int number_syntax(const char *s) { return tl_text_is_decimal(s); }

/* A number from node n (NULL = missing) for key; expected says what is allowed. */
static tl_status get_number(ctx *c, yaml_node_t *n, yaml_node_t *parent, const char *key,
                            const char *expected, double *out)
{
    char b[96];
    if (!n)
        return fail(c, parent, TL_ERR_TYPE, "%s is missing: expected %s", key, expected);
    if (!is_scalar(n) || is_null(n))
        return fail(c, n, TL_ERR_TYPE, "%s = %s: expected %s", key, show(n, b, sizeof b), expected);
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return fail(c, n, TL_ERR_TYPE,
                    "%s = %s is quoted text: expected %s, written without quotes", key,
                    show(n, b, sizeof b), expected);
    if (has_nul(n) || !number_syntax(str(n)))
        return fail(c, n, TL_ERR_TYPE, "%s = '%s' is not a number: expected %s", key,
                    show(n, b, sizeof b), expected);
    if (tl_text_to_double(str(n), out) != 0)
        return fail(c, n, TL_ERR_RANGE, "%s = %s is beyond the range of numbers: expected %s", key,
                    show(n, b, sizeof b), expected);
    return TL_OK;
}

/* A whole number in [lo, hi]. */
static tl_status get_whole(ctx *c, yaml_node_t *n, yaml_node_t *parent, const char *key, double lo,
                           double hi, double *out)
{
    char exp[96], b[96];
    tl_status st;
    snprintf(exp, sizeof exp, "a whole number in [%.17g, %.17g]", lo, hi);
    if ((st = get_number(c, n, parent, key, exp, out)) != TL_OK)
        return st;
    if (*out != floor(*out))
        return fail(c, n, TL_ERR_TYPE, "%s = %s is not a whole number: expected %s", key,
                    show(n, b, sizeof b), exp);
    if (*out < lo || *out > hi)
        return fail(c, n, TL_ERR_RANGE, "%s = %s is out of range: expected %s", key,
                    show(n, b, sizeof b), exp);
    return TL_OK;
}

/* Text of a scalar (plain or quoted); NULL values count as missing. */
static tl_status get_string(ctx *c, yaml_node_t *n, const char *key, const char *expected,
                            const char **out)
{
    char b[96];
    if (!is_scalar(n) || is_null(n) || has_nul(n))
        return fail(c, n, TL_ERR_TYPE, "%s = %s: expected %s", key, show(n, b, sizeof b), expected);
    *out = str(n);
    return TL_OK;
}

static tl_status get_bool(ctx *c, yaml_node_t *n, const char *key, int *out)
{
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    char b[96];
    if (is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !has_nul(n))
        for (int i = 0; i < 3; i++) {
            if (!strcmp(str(n), yes[i]) || !strcmp(str(n), "True") || !strcmp(str(n), "TRUE") ||
                !strcmp(str(n), "Yes") || !strcmp(str(n), "On")) {
                *out = 1;
                return TL_OK;
            }
            if (!strcmp(str(n), no[i]) || !strcmp(str(n), "False") || !strcmp(str(n), "FALSE") ||
                !strcmp(str(n), "No") || !strcmp(str(n), "Off")) {
                *out = 0;
                return TL_OK;
            }
        }
    return fail(c, n, TL_ERR_TYPE, "%s = %s: expected true or false", key, show(n, b, sizeof b));
}

/* A 64-bit seed: digits only, since a double cannot hold every such number. */
static tl_status get_seed(ctx *c, yaml_node_t *n, const char *key, uint64_t *out)
{
    static const char *exp = "a whole number in [0, 18446744073709551615]";
    char b[96];
    const char *s;
    uint64_t v = 0;
    if (!is_scalar(n) || is_null(n) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
        has_nul(n))
        return fail(c, n, TL_ERR_TYPE, "%s = %s: expected %s", key, show(n, b, sizeof b), exp);
    s = str(n);
    if (*s == '+')
        s++;
    if (*s == '-' && number_syntax(s))
        return fail(c, n, TL_ERR_RANGE, "%s = %s is negative: expected %s", key,
                    show(n, b, sizeof b), exp);
    if (!*s || strspn(s, "0123456789") != strlen(s))
        return fail(c, n, TL_ERR_TYPE, "%s = %s is not %s", key, show(n, b, sizeof b), exp);
    for (; *s; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return fail(c, n, TL_ERR_RANGE, "%s = %s is too large: expected %s", key,
                        show(n, b, sizeof b), exp);
        v = v * 10 + d;
    }
    *out = v;
    return TL_OK;
}

/* What parameter i accepts, for messages. */
static const char *allowed(int i, char *buf, size_t n)
{
    const tl_param_info *r = tl_param_info_at(i);
    snprintf(buf, n, "%s in [%.17g, %.17g]",
             r->type == TL_PTYPE_INT ? "a whole number" : "a number", r->min, r->max);
    return buf;
}

/* A value for parameter i; the table (tl_param_check) decides what is valid. */
static tl_status get_param(ctx *c, yaml_node_t *n, int i, const char *key, double *out)
{
    char exp[128], b[96];
    tl_status st;
    allowed(i, exp, sizeof exp);
    if ((st = get_number(c, n, NULL, key, exp, out)) != TL_OK)
        return st;
    st = tl_param_check(i, *out, NULL);
    if (st == TL_ERR_TYPE)
        return fail(c, n, st, "%s = %s is not a whole number: expected %s", key,
                    show(n, b, sizeof b), exp);
    if (st != TL_OK)
        return fail(c, n, st, "%s = %s is out of range: expected %s", key, show(n, b, sizeof b),
                    exp);
    return TL_OK;
}

/* ---- keys ----------------------------------------------------------------- */

static const char *group_of(int i) { return tl_param_info_at(i)->group; }

static int is_group(ctx *c, const char *s)
{
    for (int g = 0; g < c->ngroups; g++)
        if (!strcmp(c->groups[g], s))
            return 1;
    return 0;
}

/* Why key is not valid where it is, and what is. */
static tl_status unknown_key(ctx *c, yaml_node_t *k, const char *where, const char *const *ok,
                             int nok, const char *hint)
{
    const char *key = str(k), *sug;
    char full[160];
    int i = tl_param_index(key);
    join(full, sizeof full, where, key);
    if (!strcmp(key, "<<"))
        return fail(c, k, TL_ERR_UNKNOWN_KEY,
                    "%s: merge keys (<<) are not supported; anchors and aliases of whole "
                    "values are",
                    full);
    if (i >= 0)
        return fail(c, k, TL_ERR_UNKNOWN_KEY, "%s: '%s' belongs in '%s'", full, key, group_of(i));
    sug = tl_text_suggest(key, ok, (size_t)nok);
    if (sug)
        return fail(c, k, TL_ERR_UNKNOWN_KEY, "%s: unknown key '%s' (did you mean '%s'?)", full,
                    key, sug);
    if (!hint && nok <= 24) {
        char list[600] = "";
        for (int j = 0; j < nok; j++) {
            strncat(list, j ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, ok[j], sizeof list - strlen(list) - 1);
        }
        return fail(c, k, TL_ERR_UNKNOWN_KEY, "%s: unknown key '%s': expected one of %s", full, key,
                    list);
    }
    if ((sug = tl_param_suggest(key)) != NULL)
        return fail(c, k, TL_ERR_UNKNOWN_KEY,
                    "%s: unknown key '%s' (did you mean '%s', which belongs in '%s'?)", full, key,
                    sug, group_of(tl_param_index(sug)));
    return fail(c, k, TL_ERR_UNKNOWN_KEY, "%s: unknown key '%s'%s%s", full, key, hint ? " " : "",
                hint ? hint : "");
}

/* Check that mapping m (or null) has only keys from ok, each once.
 * Returns TL_OK for a null value (treated as empty). */
static tl_status check_keys(ctx *c, yaml_node_t *m, const char *where, const char *const *ok,
                            int nok, const char *hint, const char *what)
{
    char b[96];
    if (is_null(m))
        return TL_OK;
    if (m->type != YAML_MAPPING_NODE)
        return fail(c, m, TL_ERR_TYPE, "%s = %s: expected %s", *where ? where : "the file",
                    show(m, b, sizeof b), what);
    for (int p = 0; p < npairs(m); p++) {
        yaml_node_t *k = nd(c, pair_at(m, p)->key);
        int found = 0;
        if (!is_scalar(k) || has_nul(k))
            return fail(c, k, TL_ERR_TYPE, "%s: a key must be a plain word, got %s",
                        *where ? where : "the file", show(k, b, sizeof b));
        for (int j = 0; j < nok && !found; j++)
            found = !strcmp(str(k), ok[j]);
        if (!found)
            return unknown_key(c, k, where, ok, nok, hint);
        for (int q = 0; q < p; q++) {
            yaml_node_t *k2 = nd(c, pair_at(m, q)->key);
            if (!strcmp(str(k2), str(k))) {
                char full[160];
                join(full, sizeof full, where, str(k));
                return fail(c, k, TL_ERR_CONFLICT, "%s is given twice (first at line %d)", full,
                            (int)k2->start_mark.line + 1);
            }
        }
    }
    return TL_OK;
}

/* ---- settings ------------------------------------------------------------- */

static tl_status layer_add(ctx *c, layer *L, int param, double v, yaml_node_t *key)
{
    if (L->n >= L->cap) {
        int ncap = L->cap ? L->cap * 2 : 8;
        setting *ns = realloc(L->s, sizeof *ns * (size_t)ncap);
        if (!ns)
            return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
        L->s = ns;
        L->cap = ncap;
    }
    L->s[L->n].param = param;
    L->s[L->n].v = v;
    L->s[L->n].key = key;
    L->n++;
    return TL_OK;
}

static void layer_apply(const layer *L, tl_params *p)
{
    for (int j = 0; j < L->n; j++)
        tl_params_set_raw(p, L->s[j].param, L->s[j].v);
}

static yaml_node_t *layer_find(const layer *L, int param)
{
    for (int j = 0; j < L->n; j++)
        if (L->s[j].param == param)
            return L->s[j].key;
    return NULL;
}

/* The parameters of group g given in mapping m. */
static tl_status parse_group(ctx *c, yaml_node_t *m, const char *g, const char *where, layer *L)
{
    const char *ok[TL_NPARAMS];
    int nok = 0;
    tl_status st;
    char what[128];
    for (int i = 0; i < TL_NPARAMS; i++)
        if (!strcmp(group_of(i), g))
            ok[nok++] = tl_param_info_at(i)->name;
    snprintf(what, sizeof what, "a mapping of %s parameters (e.g. %s: {%s: ...})", g, g, ok[0]);
    if ((st = check_keys(c, m, where, ok, nok, "(`tillit params` lists the parameters)", what)) !=
        TL_OK)
        return st;
    for (int p = 0; p < npairs(m); p++) {
        yaml_node_t *k = nd(c, pair_at(m, p)->key);
        char full[160];
        double v;
        int i = tl_param_index(str(k));
        join(full, sizeof full, where, str(k));
        if ((st = get_param(c, nd(c, pair_at(m, p)->value), i, full, &v)) != TL_OK)
            return st;
        if ((st = layer_add(c, L, i, v, k)) != TL_OK)
            return st;
    }
    return TL_OK;
}

/* A list of schedule changes; appended to out (n in, n out; at most max). */
static tl_status parse_schedule(ctx *c, yaml_node_t *s, const char *where, sched_item *out, int *n,
                                int max)
{
    static const char *const ok[] = {"param", "at", "value", "ramp"};
    char b[96];
    if (is_null(s))
        return TL_OK;
    if (s->type != YAML_SEQUENCE_NODE)
        return fail(c, s, TL_ERR_TYPE,
                    "%s = %s: expected a list of changes such as - {param: control_intensity, "
                    "at: 104, value: 0.15, ramp: 26}",
                    where, show(s, b, sizeof b));
    for (int q = 0; q < nitems(s); q++) {
        yaml_node_t *it = item_at(c, s, q), *pn, *vn, *an, *rn;
        sched_item *si;
        char key[64], full[96];
        const char *pname;
        double at, ramp = 0, value;
        int i;
        tl_status st;
        snprintf(key, sizeof key, "%s[%d]", where, q);
        if (it->type != YAML_MAPPING_NODE)
            return fail(c, it, TL_ERR_TYPE,
                        "%s = %s: expected a change such as {param: control_intensity, at: 104, "
                        "value: 0.15, ramp: 26}",
                        key, show(it, b, sizeof b));
        if ((st = check_keys(c, it, key, ok, 4, NULL, "a change")) != TL_OK)
            return st;
        if (*n >= max)
            return fail(c, it, TL_ERR_RANGE,
                        "%s: too many schedule changes: at most %d per point (file-level and the "
                        "point's together)",
                        key, TL_SCHEDULE_MAX);
        pn = find(c, it, "param", NULL);
        join(full, sizeof full, key, "param");
        if (!pn)
            return fail(c, it, TL_ERR_TYPE, "%s: 'param' is missing: expected the name of a lever",
                        key);
        if ((st = get_string(c, pn, full, "the name of a lever", &pname)) != TL_OK)
            return st;
        i = tl_param_index(pname);
        if (i < 0) {
            const char *sug = tl_param_suggest(pname);
            return fail(c, pn, TL_ERR_UNKNOWN_KEY, "%s = '%s' is not a parameter%s%s%s", full,
                        pname, sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
        }
        if (!tl_param_schedulable(i))
            return fail(c, pn, TL_ERR_CONFLICT,
                        "%s = '%s' cannot change during a run: only levers and parameters marked "
                        "schedulable can (`tillit params` shows which)",
                        full, pname);
        an = find(c, it, "at", NULL);
        join(full, sizeof full, key, "at");
        if ((st = get_whole(c, an, it, full, 1, STEPS_MAX, &at)) != TL_OK)
            return st;
        rn = find(c, it, "ramp", NULL);
        join(full, sizeof full, key, "ramp");
        if (rn && (st = get_whole(c, rn, it, full, 0, STEPS_MAX, &ramp)) != TL_OK)
            return st;
        vn = find(c, it, "value", NULL);
        join(full, sizeof full, key, "value");
        if (!vn)
            return fail(c, it, TL_ERR_TYPE, "%s is missing: expected %s", full,
                        allowed(i, b, sizeof b));
        if ((st = get_param(c, vn, i, full, &value)) != TL_OK)
            return st;
        si = &out[(*n)++];
        memset(si, 0, sizeof *si);
        si->c.param = i;
        si->c.at = at;
        si->c.ramp = ramp;
        si->c.value = value;
        si->at = an;
        si->ramp = rn;
        si->value = vn;
        si->param = pn;
        snprintf(si->key, sizeof si->key, "%s", key);
    }
    return TL_OK;
}

/* the first control character (line break, tab, ...) in s, or NULL */
static const char *control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return s;
    return NULL;
}

static tl_status check_label(ctx *c, yaml_node_t *n, const char *key, const char *s)
{
    const char *cc;
    if (!*s || strlen(s) >= TL_LABEL_MAX)
        return fail(c, n, TL_ERR_RANGE, "%s = '%.*s%s' has %zu characters: expected 1 to %d", key,
                    VALUE_SHOW, s, strlen(s) > VALUE_SHOW ? "..." : "", strlen(s),
                    TL_LABEL_MAX - 1);
    /* labels end up in tables, file names and plot legends, one line each */
    if ((cc = control_char(s)))
        return fail(c, n, TL_ERR_TYPE,
                    "%s holds a %s at character %d: expected text on one line without control "
                    "characters",
                    key, *cc == '\n' || *cc == '\r' ? "line break" : *cc == '\t' ? "tab" : "control character",
                    (int)(cc - s) + 1);
    return TL_OK;
}

/* Tags (!!float, !custom, ...) would be ignored by the loader, which reads
 * every value by its key: refuse them rather than act as if they were read. */
static tl_status check_tags(ctx *c)
{
    for (yaml_node_t *n = c->doc.nodes.start; n < c->doc.nodes.top; n++) {
        const char *tag = (const char *)n->tag, *want = n->type == YAML_SCALAR_NODE
                                                             ? YAML_DEFAULT_SCALAR_TAG
                                                         : n->type == YAML_SEQUENCE_NODE
                                                             ? YAML_DEFAULT_SEQUENCE_TAG
                                                             : YAML_DEFAULT_MAPPING_TAG;
        if (tag && strcmp(tag, want) != 0) {
            char b[96];
            int core = !strncmp(tag, "tag:yaml.org,2002:", 18);
            return fail(c, n, TL_ERR_TYPE,
                        "the YAML tag '%s%.60s' (on %s) is not understood: scenario files take "
                        "plain values; remove the tag",
                        core ? "!!" : "", core ? tag + 18 : tag, n->type == YAML_SCALAR_NODE ? show(n, b, sizeof b) : "a collection");
        }
    }
    return TL_OK;
}

static tl_status check_preset(ctx *c, yaml_node_t *n, const char *key, const char *name)
{
    tl_params tmp;
    tl_error e = TL_ERROR_INIT;
    tl_status st = tl_preset_apply(name, &tmp, &e);
    if (st != TL_OK)
        return fail(c, n, st, "%s: %s", key, e.msg);
    return TL_OK;
}

/* The run mapping: steps (and any other run-group parameter) into L; at the
 * file level also replicates, seed and snapshots. */
static tl_status parse_run(ctx *c, yaml_node_t *m, const char *where, layer *L, int top)
{
    const char *ok[MAX_KEYS];
    int nok = 0;
    tl_status st;
    char full[160], b[96];
    for (int i = 0; i < TL_NPARAMS; i++)
        if (!strcmp(group_of(i), "run"))
            ok[nok++] = tl_param_info_at(i)->name;
    if (top) {
        ok[nok++] = "replicates";
        ok[nok++] = "seed";
        ok[nok++] = "snapshots";
        ok[nok++] = "common_random_numbers";
    } else if (m && m->type == YAML_MAPPING_NODE)
        for (int p = 0; p < npairs(m); p++) {
            yaml_node_t *k = nd(c, pair_at(m, p)->key);
            if (is_scalar(k) && (!strcmp(str(k), "replicates") || !strcmp(str(k), "seed") ||
                                 !strcmp(str(k), "snapshots") ||
                                 !strcmp(str(k), "common_random_numbers"))) {
                join(full, sizeof full, where, str(k));
                return fail(c, k, TL_ERR_UNKNOWN_KEY,
                            "%s: only steps may be set per point; replicates, seed, snapshots and "
                            "common_random_numbers are set for the whole file in the top-level run",
                            full);
            }
        }
    if ((st = check_keys(c, m, where, ok, nok, NULL,
                         "a mapping such as {steps: 520, replicates: 10}")) != TL_OK)
        return st;
    for (int p = 0; p < npairs(m); p++) {
        yaml_node_t *k = nd(c, pair_at(m, p)->key), *v = nd(c, pair_at(m, p)->value);
        int i = tl_param_index(str(k));
        join(full, sizeof full, where, str(k));
        if (i >= 0) {
            double x;
            if ((st = get_param(c, v, i, full, &x)) != TL_OK ||
                (st = layer_add(c, L, i, x, k)) != TL_OK)
                return st;
        } else if (!strcmp(str(k), "replicates")) {
            double x;
            if ((st = get_whole(c, v, m, full, 1, 1000000, &x)) != TL_OK)
                return st;
            c->replicates = (int)x;
        } else if (!strcmp(str(k), "seed")) {
            if ((st = get_seed(c, v, full, &c->seed)) != TL_OK)
                return st;
        } else if (!strcmp(str(k), "common_random_numbers")) {
            if ((st = get_bool(c, v, full, &c->crn)) != TL_OK)
                return st;
        } else { /* snapshots */
            c->snaps_key = k;
            if (is_null(v))
                continue;
            if (v->type != YAML_SEQUENCE_NODE)
                return fail(c, v, TL_ERR_TYPE,
                            "%s = %s: expected a list of steps such as [0, 260, 520]", full,
                            show(v, b, sizeof b));
            if (nitems(v) > TL_SNAP_MAX)
                return fail(c, v, TL_ERR_RANGE, "%s: %d snapshots: at most %d", full, nitems(v),
                            TL_SNAP_MAX);
            for (int j = 0; j < nitems(v); j++) {
                yaml_node_t *s = item_at(c, v, j);
                char key[180];
                double x;
                snprintf(key, sizeof key, "%s[%d]", full, j);
                if ((st = get_whole(c, s, v, key, 0, STEPS_MAX, &x)) != TL_OK)
                    return st;
                if (j > 0 && (int)x <= c->snap[j - 1])
                    return fail(c, s, TL_ERR_CONFLICT,
                                "%s = %s: snapshot steps must increase (it follows %d)", key,
                                show(s, b, sizeof b), c->snap[j - 1]);
                c->snap[j] = (int)x;
                c->snap_node[j] = s;
            }
            c->n_snap = nitems(v);
        }
    }
    return TL_OK;
}

static tl_status parse_point(ctx *c, yaml_node_t *m, int k, point_spec *ps)
{
    const char *ok[MAX_KEYS];
    int nok = 0;
    char where[32], full[160], b[96];
    tl_status st;
    snprintf(where, sizeof where, "points[%d]", k);
    ps->node = m;
    ok[nok++] = "label";
    ok[nok++] = "preset";
    ok[nok++] = "run";
    ok[nok++] = "schedule";
    for (int g = 0; g < c->ngroups; g++)
        ok[nok++] = c->groups[g];
    if (m->type != YAML_MAPPING_NODE)
        return fail(c, m, TL_ERR_TYPE,
                    "%s = %s: expected a point such as {label: control, regime: {mandate: 0.2}}",
                    where, show(m, b, sizeof b));
    if ((st = check_keys(c, m, where, ok, nok, NULL, "a point")) != TL_OK)
        return st;
    ps->sched = malloc(sizeof *ps->sched * TL_SCHEDULE_MAX);
    if (!ps->sched)
        return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
    for (int p = 0; p < npairs(m); p++) {
        yaml_node_t *kn = nd(c, pair_at(m, p)->key), *v = nd(c, pair_at(m, p)->value);
        const char *key = str(kn);
        join(full, sizeof full, where, key);
        if (!strcmp(key, "label")) {
            const char *s;
            if ((st = get_string(c, v, full, "a label", &s)) != TL_OK ||
                (st = check_label(c, v, full, s)) != TL_OK)
                return st;
            snprintf(ps->label, sizeof ps->label, "%s", s);
            ps->label_node = v;
        } else if (!strcmp(key, "preset")) {
            if ((st = get_string(c, v, full, "the name of a preset", &ps->preset)) != TL_OK ||
                (st = check_preset(c, v, full, ps->preset)) != TL_OK)
                return st;
            ps->preset_node = v;
        } else if (!strcmp(key, "run")) {
            if ((st = parse_run(c, v, full, &ps->over, 0)) != TL_OK)
                return st;
        } else if (!strcmp(key, "schedule")) {
            /* counted against the file-level changes, which come first */
            int n = c->nfsched;
            if ((st = parse_schedule(c, v, full, ps->sched, &n, TL_SCHEDULE_MAX)) != TL_OK)
                return st;
            ps->nsched = n - c->nfsched;
            memmove(ps->sched, ps->sched + c->nfsched, sizeof *ps->sched * (size_t)ps->nsched);
        } else if ((st = parse_group(c, v, key, full, &ps->over)) != TL_OK)
            return st;
    }
    return TL_OK;
}

/* ---- the sweep ------------------------------------------------------------ */

/* Resolve a design variable name: a parameter, or schedule.K.at|value|ramp
 * (also written schedule_K_at, as recorded in output files). */
static tl_status resolve_dvar(ctx *c, const char *name, yaml_node_t *at, loc where, dvar *d)
{
    /* messages name the YAML key, or the CSV column */
    char who[TL_LABEL_MAX + 48];
    if (at)
        snprintf(who, sizeof who, "sweep.parameters.%.*s:", TL_LABEL_MAX, name);
    else
        snprintf(who, sizeof who, "column '%.*s':", TL_LABEL_MAX, name);
    int i = tl_param_index(name);
    memset(d, 0, sizeof *d);
    d->key = at;
    if (strlen(name) >= TL_LABEL_MAX)
        return fail_loc(c, where, TL_ERR_UNKNOWN_KEY, "%s '%.40s...' is not a parameter", who,
                        name);
    if (i >= 0) {
        const tl_param_info *r = tl_param_info_at(i);
        d->kind = DV_PARAM;
        d->param = i;
        d->min = r->min;
        d->max = r->max;
        d->integer = r->type == TL_PTYPE_INT;
        snprintf(d->name, sizeof d->name, "%s", name);
        return TL_OK;
    }
    if (!strncmp(name, "schedule", 8) && (name[8] == '.' || name[8] == '_')) {
        char sep = name[8], field[16] = "";
        const char *p = name + 9;
        long k = 0;
        int nd_ = 0;
        while (*p >= '0' && *p <= '9' && nd_ < 6) {
            k = k * 10 + (*p++ - '0');
            nd_++;
        }
        if (nd_ > 0 && *p == sep && strlen(p + 1) < sizeof field)
            snprintf(field, sizeof field, "%s", p + 1);
        if (!strcmp(field, "at") || !strcmp(field, "value") || !strcmp(field, "ramp")) {
            if (k >= c->nfsched)
                return fail_loc(c, where, TL_ERR_UNKNOWN_KEY,
                                "%s '%s' refers to schedule change %ld, but the file-level "
                                "schedule has %d change%s (numbered from 0)",
                                who, name, k, c->nfsched, c->nfsched == 1 ? "" : "s");
            d->change = (int)k;
            snprintf(d->name, sizeof d->name, "schedule_%ld_%s", k, field);
            if (field[0] == 'v') {
                const tl_param_info *r = tl_param_info_at(c->fsched[k].c.param);
                d->kind = DV_VALUE;
                d->param = c->fsched[k].c.param;
                d->min = r->min;
                d->max = r->max;
                d->integer = r->type == TL_PTYPE_INT;
            } else {
                d->kind = field[0] == 'a' ? DV_AT : DV_RAMP;
                d->min = field[0] == 'a' ? 1 : 0;
                d->max = STEPS_MAX;
                d->integer = 1;
            }
            return TL_OK;
        }
        return fail_loc(c, where, TL_ERR_UNKNOWN_KEY,
                        "%s '%s' is not a design variable: schedule settings are named "
                        "schedule.K.at, schedule.K.value or schedule.K.ramp (K = 0, 1, ... in the "
                        "file-level schedule)",
                        who, name);
    }
    {
        const char *sug = tl_param_suggest(name);
        return fail_loc(c, where, TL_ERR_UNKNOWN_KEY,
                        "%s '%s' is not a parameter%s%s%s; design variables are parameters or "
                        "schedule.K.at/value/ramp",
                        who, name, sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
    }
}

/* A value of design variable d, checked against what d allows. */
static tl_status check_dvalue(ctx *c, const dvar *d, double v, loc l, const char *key,
                              const char *text)
{
    if (d->integer && v != floor(v))
        return fail_loc(c, l, TL_ERR_TYPE, "%s = %s: %s needs whole numbers in [%.17g, %.17g]", key,
                        text, d->name, d->min, d->max);
    if (!(v >= d->min && v <= d->max))
        return fail_loc(c, l, TL_ERR_RANGE, "%s = %s is out of range: %s allows [%.17g, %.17g]",
                        key, text, d->name, d->min, d->max);
    return TL_OK;
}

static tl_status dnumber(ctx *c, const dvar *d, yaml_node_t *n, yaml_node_t *parent,
                         const char *key, double *v)
{
    char exp[128], b[96];
    tl_status st;
    snprintf(exp, sizeof exp, "%s in [%.17g, %.17g]", d->integer ? "a whole number" : "a number",
             d->min, d->max);
    if ((st = get_number(c, n, parent, key, exp, v)) != TL_OK)
        return st;
    return check_dvalue(c, d, *v, node_loc(c, n), key, show(n, b, sizeof b));
}

/* Read the csv file named in the sweep and map its columns to variables. */
static tl_status load_csv(ctx *c, yaml_node_t *fn)
{
    const char *file;
    char *text = NULL;
    size_t len = 0;
    tl_status st;
    if ((st = get_string(c, fn, "sweep.file", "the path of a CSV file", &file)) != TL_OK)
        return st;
    c->csv_path = malloc(strlen(c->dir) + strlen(file) + 2);
    if (!c->csv_path)
        return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
    if (file[0] == '/' || !strcmp(c->dir, "."))
        strcpy(c->csv_path, file);
    else
        sprintf(c->csv_path, "%s/%s", c->dir, file);
    {
        tl_error rerr = TL_ERROR_INIT;
        if ((st = tl_read_bounded(c->csv_path, TL_DESIGN_CSV_MAX, "design CSV", &text, &len,
                                  &rerr)) != TL_OK) {
            st = st == TL_ERR_NOMEM ? tl_error_set(c->err, st, "%s", rerr.msg)
                                    : fail(c, fn, st, "sweep.file: %s", rerr.msg);
            goto out;
        }
    }
    if ((st = tl_design_csv_parse(text ? text : "", len, c->csv_path, &c->csv, c->err)) != TL_OK)
        goto out;
    c->have_csv = 1;
    if (c->csv.ncols < 1) {
        st = fail_loc(c, (loc){c->csv_path, c->csv.header_line, 1}, TL_ERR_CONFLICT,
                      "no design variables: the header names only a label column");
        goto out;
    }
    c->dv = calloc((size_t)c->csv.ncols, sizeof *c->dv);
    if (!c->dv) {
        st = tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (int j = 0; j < c->csv.ncols; j++) {
        loc l = {c->csv_path, c->csv.header_line, c->csv.name_col[j]};
        if ((st = resolve_dvar(c, c->csv.names[j], NULL, l, &c->dv[j])) != TL_OK)
            goto out;
        c->dv[j].csv_col = j;
        for (int q = 0; q < j; q++)
            if (!strcmp(c->dv[q].name, c->dv[j].name)) {
                st = fail_loc(c, l, TL_ERR_CONFLICT,
                              "column '%s' sets the design variable of column '%s' again",
                              c->csv.names[j], c->csv.names[q]);
                goto out;
            }
        c->ndv = j + 1;
    }
    for (int i = 0; i < c->csv.nrows; i++)
        for (int j = 0; j < c->ndv; j++) {
            size_t at = (size_t)i * (size_t)c->csv.ncols + (size_t)j;
            char text_v[64], key[TL_LABEL_MAX + 32];
            loc l = {c->csv_path, c->csv.line[i], c->csv.col[at]};
            snprintf(text_v, sizeof text_v, "%.17g", c->csv.x[at]);
            snprintf(key, sizeof key, "row %d: %s", i + 1, c->csv.names[j]);
            if ((st = check_dvalue(c, &c->dv[j], c->csv.x[at], l, key, text_v)) != TL_OK)
                goto out;
        }
    /* the csv is the design: copy it into the common table form */
    if (c->csv.nrows > TL_DESIGN_MAX_ROWS) {
        st = fail(c, fn, TL_ERR_RANGE, "sweep.file: more than %d rows", TL_DESIGN_MAX_ROWS);
        goto out;
    }
    c->des.x = malloc(sizeof(double) * (size_t)c->csv.nrows * (size_t)c->ndv);
    if (!c->des.x) {
        st = tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    memcpy(c->des.x, c->csv.x, sizeof(double) * (size_t)c->csv.nrows * (size_t)c->ndv);
    c->des.nrows = c->csv.nrows;
    c->des.nvars = c->ndv;
out:
    free(text);
    return st;
}

static const char *const designs[] = {"grid", "list", "lhs", "sobol", "morris", "csv"};

static tl_status parse_sweep(ctx *c)
{
    /* keys every design takes, and those of each */
    static const char *const all[] = {"design",       "parameters", "samples",
                                      "seed",         "saltelli",   "second_order",
                                      "trajectories", "levels",     "file"};
    const char *ok[9];
    int nok = 0, n = 0, r = 0, levels = 4, saltelli = 1, second_order = 0;
    uint64_t seed = c->seed;
    yaml_node_t *m = c->sweep, *dn, *pm, *v, *kn = NULL;
    const char *design;
    char b[96], full[200];
    tl_status st;
    double x;

    if (m->type != YAML_MAPPING_NODE)
        return fail(c, m, TL_ERR_TYPE,
                    "sweep = %s: expected a mapping such as {design: grid, "
                    "parameters: {mandate: [0.2, 0.5, 0.8]}}",
                    show(m, b, sizeof b));
    if ((st = check_keys(c, m, "sweep", all, 9, NULL, "a sweep")) != TL_OK)
        return st;
    dn = find(c, m, "design", NULL);
    if (!dn)
        return fail(c, m, TL_ERR_TYPE,
                    "sweep: 'design' is missing: expected one of grid, list, "
                    "lhs, sobol, morris, csv");
    if ((st = get_string(c, dn, "sweep.design", "one of grid, list, lhs, sobol, morris, csv",
                         &design)) != TL_OK)
        return st;
    {
        int known = 0;
        for (int i = 0; i < 6; i++)
            known |= !strcmp(design, designs[i]);
        if (!known) {
            const char *sug = tl_text_suggest(design, designs, 6);
            return fail(c, dn, TL_ERR_UNKNOWN_KEY,
                        "sweep.design = '%s' is not a design: expected one of grid, list, lhs, "
                        "sobol, morris, csv%s%s%s",
                        design, sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
        }
    }
    ok[nok++] = "design";
    if (strcmp(design, "csv"))
        ok[nok++] = "parameters";
    if (!strcmp(design, "lhs") || !strcmp(design, "sobol"))
        ok[nok++] = "samples";
    if (!strcmp(design, "lhs") || !strcmp(design, "morris"))
        ok[nok++] = "seed";
    if (!strcmp(design, "sobol")) {
        ok[nok++] = "saltelli";
        ok[nok++] = "second_order";
    }
    if (!strcmp(design, "morris")) {
        ok[nok++] = "trajectories";
        ok[nok++] = "levels";
    }
    if (!strcmp(design, "csv"))
        ok[nok++] = "file";
    for (int p = 0; p < npairs(m); p++) {
        yaml_node_t *k = nd(c, pair_at(m, p)->key);
        int used = 0;
        for (int j = 0; j < nok; j++)
            used |= !strcmp(str(k), ok[j]);
        if (!used) {
            char list[200] = "";
            for (int j = 0; j < nok; j++) {
                strncat(list, j ? ", " : "", sizeof list - strlen(list) - 1);
                strncat(list, ok[j], sizeof list - strlen(list) - 1);
            }
            return fail(c, k, TL_ERR_UNKNOWN_KEY,
                        "sweep.%s is not used by design '%s' (it takes %s)", str(k), design, list);
        }
    }
    snprintf(c->design, sizeof c->design, "%s", design);

    if (!strcmp(design, "csv")) {
        v = find(c, m, "file", NULL);
        if (!v)
            return fail(c, m, TL_ERR_TYPE,
                        "sweep: 'file' is missing: expected the path of a CSV "
                        "file (relative to the scenario file)");
        return load_csv(c, v);
    }

    if ((v = find(c, m, "samples", &kn)) != NULL) {
        if ((st = get_whole(c, v, m, "sweep.samples", 1, TL_DESIGN_MAX_ROWS, &x)) != TL_OK)
            return st;
        n = (int)x;
    } else if (!strcmp(design, "lhs") || !strcmp(design, "sobol"))
        return fail(c, m, TL_ERR_TYPE,
                    "sweep: 'samples' is missing: expected the number of "
                    "samples N (a whole number >= 1)");
    if ((v = find(c, m, "seed", NULL)) != NULL &&
        (st = get_seed(c, v, "sweep.seed", &seed)) != TL_OK)
        return st;
    if ((v = find(c, m, "saltelli", NULL)) != NULL &&
        (st = get_bool(c, v, "sweep.saltelli", &saltelli)) != TL_OK)
        return st;
    if ((v = find(c, m, "second_order", NULL)) != NULL) {
        if ((st = get_bool(c, v, "sweep.second_order", &second_order)) != TL_OK)
            return st;
        if (second_order && !saltelli)
            return fail(c, v, TL_ERR_CONFLICT,
                        "sweep.second_order = true needs saltelli: true (second-order indices "
                        "come from Saltelli's scheme, not from plain Sobol' points)");
    }
    if ((v = find(c, m, "trajectories", NULL)) != NULL) {
        if ((st = get_whole(c, v, m, "sweep.trajectories", 1, TL_DESIGN_MAX_ROWS, &x)) != TL_OK)
            return st;
        r = (int)x;
    } else if (!strcmp(design, "morris"))
        return fail(c, m, TL_ERR_TYPE,
                    "sweep: 'trajectories' is missing: expected the number of "
                    "trajectories r (a whole number >= 1)");
    if ((v = find(c, m, "levels", NULL)) != NULL) {
        if ((st = get_whole(c, v, m, "sweep.levels", 2, 1000, &x)) != TL_OK)
            return st;
        if ((int)x % 2 != 0)
            return fail(c, v, TL_ERR_RANGE, "sweep.levels = %s: expected an even number >= 2",
                        show(v, b, sizeof b));
        levels = (int)x;
    }

    pm = find(c, m, "parameters", &kn);
    if (!pm || is_null(pm) || (pm->type == YAML_MAPPING_NODE && npairs(pm) == 0))
        return fail(c, pm ? pm : m, TL_ERR_TYPE,
                    "sweep.parameters: expected a mapping of design variables to %s",
                    !strcmp(design, "grid")   ? "lists of values or {from, to, steps}"
                    : !strcmp(design, "list") ? "lists of values of equal length"
                                              : "ranges {min, max}");
    if (pm->type != YAML_MAPPING_NODE)
        return fail(c, pm, TL_ERR_TYPE,
                    "sweep.parameters = %s: expected a mapping of design "
                    "variables",
                    show(pm, b, sizeof b));
    c->ndv = npairs(pm);
    c->dv = calloc((size_t)c->ndv, sizeof *c->dv);
    {
        int nv = c->ndv;
        double **levs = calloc((size_t)nv, sizeof *levs);
        int *nlev = calloc((size_t)nv, sizeof *nlev);
        tl_design_var *dvr = calloc((size_t)nv, sizeof *dvr);
        if (!c->dv || !levs || !nlev || !dvr) {
            st = tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
            goto sweep_out;
        }
        for (int j = 0; j < nv; j++) {
            yaml_node_t *k = nd(c, pair_at(pm, j)->key), *val = nd(c, pair_at(pm, j)->value);
            dvar *d = &c->dv[j];
            if (!is_scalar(k) || has_nul(k)) {
                st = fail(c, k, TL_ERR_TYPE, "sweep.parameters: a key must be a plain word, got %s",
                          show(k, b, sizeof b));
                goto sweep_out;
            }
            if ((st = resolve_dvar(c, str(k), k, node_loc(c, k), d)) != TL_OK)
                goto sweep_out;
            for (int q = 0; q < j; q++)
                if (!strcmp(c->dv[q].name, d->name)) {
                    yaml_node_t *k2 = nd(c, pair_at(pm, q)->key);
                    st = fail(c, k, TL_ERR_CONFLICT,
                              "sweep.parameters.%s: design variable '%s' is listed twice (first "
                              "at line %d)",
                              str(k), d->name, (int)k2->start_mark.line + 1);
                    goto sweep_out;
                }
            snprintf(full, sizeof full, "sweep.parameters.%s", str(k));
            if (!strcmp(design, "grid") || !strcmp(design, "list")) {
                if (val->type == YAML_SEQUENCE_NODE) {
                    nlev[j] = nitems(val);
                    if (nlev[j] < 1) {
                        st = fail(c, val, TL_ERR_RANGE, "%s: the list of values is empty", full);
                        goto sweep_out;
                    }
                    levs[j] = malloc(sizeof(double) * (size_t)nlev[j]);
                    if (!levs[j]) {
                        st = tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
                        goto sweep_out;
                    }
                    for (int q = 0; q < nlev[j]; q++) {
                        char key[240];
                        snprintf(key, sizeof key, "%s[%d]", full, q);
                        if ((st = dnumber(c, d, item_at(c, val, q), val, key, &levs[j][q])) !=
                            TL_OK)
                            goto sweep_out;
                    }
                    if (!strcmp(design, "list") && nlev[j] != nlev[0]) {
                        st = fail(c, val, TL_ERR_CONFLICT,
                                  "%s has %d values but %s has %d: a list design pairs the "
                                  "values row by row, so every list needs the same length",
                                  full, nlev[j], c->dv[0].name, nlev[0]);
                        goto sweep_out;
                    }
                } else if (val->type == YAML_MAPPING_NODE && !strcmp(design, "grid")) {
                    static const char *const rk[] = {"from", "to", "steps"};
                    char key[240];
                    double from, to, ns;
                    if ((st = check_keys(c, val, full, rk, 3, NULL, "{from, to, steps}")) != TL_OK)
                        goto sweep_out;
                    snprintf(key, sizeof key, "%s.from", full);
                    if ((st = dnumber(c, d, find(c, val, "from", NULL), val, key, &from)) != TL_OK)
                        goto sweep_out;
                    snprintf(key, sizeof key, "%s.to", full);
                    if ((st = dnumber(c, d, find(c, val, "to", NULL), val, key, &to)) != TL_OK)
                        goto sweep_out;
                    snprintf(key, sizeof key, "%s.steps", full);
                    if ((st = get_whole(c, find(c, val, "steps", NULL), val, key, 1,
                                        TL_DESIGN_MAX_ROWS, &ns)) != TL_OK)
                        goto sweep_out;
                    nlev[j] = (int)ns;
                    levs[j] = malloc(sizeof(double) * (size_t)nlev[j]);
                    if (!levs[j]) {
                        st = tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
                        goto sweep_out;
                    }
                    {
                        /* decimal-exact: as many decimals as the user wrote */
                        int df = tl_text_decimals(str(find(c, val, "from", NULL)));
                        int dt = tl_text_decimals(str(find(c, val, "to", NULL)));
                        tl_design_linspace_dec(from, to, nlev[j], df < 0 || dt < 0 ? -1
                                               : df > dt ? df : dt, levs[j]);
                    }
                    for (int q = 0; q < nlev[j]; q++)
                        if (d->integer && levs[j][q] != floor(levs[j][q])) {
                            st = fail(c, val, TL_ERR_TYPE,
                                      "%s = {from: %.17g, to: %.17g, steps: %d} gives %.17g, but "
                                      "%s needs whole numbers (choose steps so that the spacing "
                                      "is whole, or list the values)",
                                      full, from, to, nlev[j], levs[j][q], d->name);
                            goto sweep_out;
                        }
                } else {
                    st = fail(c, val, TL_ERR_TYPE, "%s = %s: expected %s", full,
                              show(val, b, sizeof b),
                              !strcmp(design, "grid") ? "a list of values or {from, to, steps}"
                                                      : "a list of values");
                    goto sweep_out;
                }
            } else {
                static const char *const rk[] = {"min", "max"};
                char key[240];
                if (val->type != YAML_MAPPING_NODE) {
                    st = fail(c, val, TL_ERR_TYPE, "%s = %s: expected a range {min: ..., max: ...}",
                              full, show(val, b, sizeof b));
                    goto sweep_out;
                }
                if ((st = check_keys(c, val, full, rk, 2, NULL, "{min, max}")) != TL_OK)
                    goto sweep_out;
                snprintf(key, sizeof key, "%s.min", full);
                if ((st = dnumber(c, d, find(c, val, "min", NULL), val, key, &dvr[j].min)) != TL_OK)
                    goto sweep_out;
                snprintf(key, sizeof key, "%s.max", full);
                if ((st = dnumber(c, d, find(c, val, "max", NULL), val, key, &dvr[j].max)) != TL_OK)
                    goto sweep_out;
                if (!(dvr[j].min < dvr[j].max)) {
                    st = fail(c, val, TL_ERR_RANGE, "%s: min = %.17g is not below max = %.17g",
                              full, dvr[j].min, dvr[j].max);
                    goto sweep_out;
                }
                dvr[j].integer = d->integer;
            }
        }
        if (!strcmp(design, "grid"))
            st = tl_design_grid(&c->des, nv, nlev, (const double *const *)levs, c->err);
        else if (!strcmp(design, "list"))
            st = tl_design_list(&c->des, nv, nlev[0], (const double *const *)levs, c->err);
        else if (!strcmp(design, "lhs"))
            st = tl_design_lhs(&c->des, nv, dvr, n, seed, c->err);
        else if (!strcmp(design, "sobol") && saltelli) {
            st = tl_design_saltelli(&c->des, nv, dvr, n, second_order, c->err);
            snprintf(c->design, sizeof c->design, "sobol-saltelli");
            c->design_base = n;
        } else if (!strcmp(design, "sobol")) {
            st = tl_design_sobol(&c->des, nv, dvr, n, c->err);
            c->design_base = n;
        } else {
            st = tl_design_morris(&c->des, nv, dvr, r, levels, seed, c->err);
            c->design_base = r;
        }
        if (st != TL_OK && st != TL_ERR_NOMEM) {
            char msg[sizeof c->err->msg];
            snprintf(msg, sizeof msg, "%s", c->err ? c->err->msg : "");
            st = fail(c, c->sweep_key, st, "sweep: %s", msg);
        }
    sweep_out:
        for (int j = 0; levs && j < nv; j++)
            free(levs[j]);
        free(levs);
        free(nlev);
        free(dvr);
    }
    return st;
}

/* ---- points --------------------------------------------------------------- */

/* Where the value of parameter p at point (spec k, design row r) came from:
 * the design, the point, the file, the preset; else NULL path. */
static loc locate(ctx *c, const point_spec *ps, int r, int p)
{
    loc none = {NULL, 0, 0};
    yaml_node_t *n;
    for (int j = 0; j < c->ndv && r >= 0; j++)
        if (c->dv[j].kind == DV_PARAM && c->dv[j].param == p) {
            if (c->have_csv) {
                loc l = {c->csv_path, c->csv.line[r],
                         c->csv.col[(size_t)r * (size_t)c->csv.ncols + (size_t)c->dv[j].csv_col]};
                return l;
            }
            return node_loc(c, c->dv[j].key);
        }
    if (ps && (n = layer_find(&ps->over, p)) != NULL)
        return node_loc(c, n);
    if ((n = layer_find(&c->file, p)) != NULL)
        return node_loc(c, n);
    if (ps && ps->preset_node)
        return node_loc(c, ps->preset_node);
    if (c->preset_node)
        return node_loc(c, c->preset_node);
    return none;
}

/* Where change q of a point's schedule gets its `at` (or ramp) from. */
static loc locate_change(ctx *c, const point_spec *ps, int r, int q, int ramp)
{
    const sched_item *si = q < c->nfsched ? &c->fsched[q] : &ps->sched[q - c->nfsched];
    for (int j = 0; j < c->ndv && r >= 0 && q < c->nfsched; j++)
        if (c->dv[j].change == q &&
            (c->dv[j].kind == DV_AT || (ramp && c->dv[j].kind == DV_RAMP))) {
            if (c->have_csv) {
                loc l = {c->csv_path, c->csv.line[r],
                         c->csv.col[(size_t)r * (size_t)c->csv.ncols + (size_t)c->dv[j].csv_col]};
                return l;
            }
            return node_loc(c, c->dv[j].key);
        }
    return node_loc(c, ramp && si->ramp ? si->ramp : si->at);
}

static const char *change_key(ctx *c, const point_spec *ps, int q)
{
    return q < c->nfsched ? c->fsched[q].key : ps->sched[q - c->nfsched].key;
}

/* Check point pt (spec k, design row r) against the horizon and the
 * relations between parameters, pointing at the setting responsible. */
static tl_status check_point(ctx *c, const point_spec *ps, int r, const tl_point *pt, int idx,
                             int total)
{
    char ctxt[128] = "";
    tl_error e = TL_ERROR_INIT;
    if (total > 1)
        snprintf(ctxt, sizeof ctxt, " (at point %d, '%s')", idx, pt->label);
    for (int q = 0; q < pt->sched.n; q++) {
        const tl_change *ch = &pt->sched.c[q];
        if (ch->at > pt->params.steps)
            return fail_loc(c, locate_change(c, ps, r, q, 0), TL_ERR_CONFLICT,
                            "%s.at = %.17g is past the horizon: steps = %.17g%s",
                            change_key(c, ps, q), ch->at, pt->params.steps, ctxt);
        if (ch->ramp > 0 && ch->at + ch->ramp - 1 > pt->params.steps)
            return fail_loc(
                c, locate_change(c, ps, r, q, 1), TL_ERR_CONFLICT,
                "%s: the ramp from step %.17g over %.17g steps ends at step %.17g, past "
                "the horizon steps = %.17g%s",
                change_key(c, ps, q), ch->at, ch->ramp, ch->at + ch->ramp - 1, pt->params.steps,
                ctxt);
    }
    if (tl_params_validate(&pt->params, &e) != TL_OK) {
        /* point at the first parameter the message names that the file set */
        loc l = {NULL, 0, 0};
        const char *s = e.msg;
        while (*s && !l.path) {
            char word[64];
            size_t w = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
            if (w > 0 && w < sizeof word) {
                int p;
                memcpy(word, s, w);
                word[w] = 0;
                if ((p = tl_param_index(word)) >= 0)
                    l = locate(c, ps, r, p);
            }
            s += w ? w : 1;
        }
        if (!l.path)
            l = node_loc(c, NULL);
        return fail_loc(c, l, e.code, "%s%s", e.msg, ctxt);
    }
    if (tl_schedule_validate(&pt->sched, &pt->params, &e) != TL_OK)
        return fail(c, NULL, e.code, "%s%s", e.msg, ctxt);
    return TL_OK;
}

/* Make every point: specs x design rows, in that order (rows fastest). */
static tl_status build(ctx *c, tl_scenario *sc)
{
    int nspec = c->have_points ? c->nspecs : 1;
    int nrows = c->sweep ? c->des.nrows : 1;
    double total = (double)nspec * nrows;
    point_spec implicit;
    tl_status st = TL_OK;
    memset(&implicit, 0, sizeof implicit);
    if (total > TL_DESIGN_MAX_ROWS)
        return fail(c, c->sweep_key, TL_ERR_RANGE,
                    "%d points x %d design rows = %.0f points: at most %d are allowed", nspec,
                    nrows, total, TL_DESIGN_MAX_ROWS);
    /* a large design's points are made on demand (each is 3.3 KB), a small one's held */
    const int on_demand = c->sweep && total > tl_points_on_demand_above();
    tl_point_gen *gen = NULL;
    if (c->sweep) {
        gen = calloc(1, sizeof *gen);
        if (!gen || !(gen->bases = calloc((size_t)nspec, sizeof *gen->bases)) ||
            !(gen->vars = calloc((size_t)(c->ndv > 0 ? c->ndv : 1), sizeof *gen->vars))) {
            tl_point_gen_free(gen);
            return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
        }
        gen->nbases = nspec;
        gen->nrows = nrows;
        gen->speclab = c->have_points;
        for (int j = 0; j < c->ndv; j++) {
            const dvar *d = &c->dv[j];
            gen->vars[j].kind = d->kind == DV_PARAM ? TL_PV_PARAM
                                : d->kind == DV_AT  ? TL_PV_AT
                                : d->kind == DV_RAMP ? TL_PV_RAMP
                                                     : TL_PV_VALUE;
            gen->vars[j].index = d->kind == DV_PARAM ? d->param : d->change;
        }
        if (c->have_csv && c->csv.labels) {
            gen->rowlab = calloc((size_t)nrows, sizeof *gen->rowlab);
            if (!gen->rowlab) {
                tl_point_gen_free(gen);
                return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
            }
            for (int r = 0; r < nrows; r++)
                snprintf(gen->rowlab[r], TL_LABEL_MAX, "%s", c->csv.labels[r]);
        }
        c->gen = gen; /* freed with the context unless the scenario takes it */
    }
    if (!on_demand && !(sc->points = calloc((size_t)total, sizeof *sc->points)))
        return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory for %.0f points", total);
    sc->npoints = (int)total;
    if (c->sweep) {
        sc->ndesign = c->ndv;
        sc->design_names = calloc((size_t)c->ndv, sizeof *sc->design_names);
        sc->design_values = malloc(sizeof(double) * (size_t)total * (size_t)c->ndv);
        if (!sc->design_names || !sc->design_values)
            return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
        for (int j = 0; j < c->ndv; j++)
            snprintf(sc->design_names[j], TL_LABEL_MAX, "%s", c->dv[j].name);
        if (c->des.block) {
            sc->design_block = malloc(sizeof(int) * (size_t)total);
            sc->design_row = malloc(sizeof(int) * (size_t)total);
            if (!sc->design_block || !sc->design_row)
                return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
        }
    }
    for (int k = 0; k < nspec; k++) {
        const point_spec *ps = c->have_points ? &c->specs[k] : &implicit;
        const char *preset = ps->preset ? ps->preset : c->preset;
        tl_point base;
        tl_error e = TL_ERROR_INIT;
        memset(&base, 0, sizeof base);
        if (preset) {
            if ((st = tl_preset_apply(preset, &base.params, &e)) != TL_OK)
                return fail(c, ps->preset_node ? ps->preset_node : c->preset_node, st, "%s", e.msg);
        } else
            tl_params_default(&base.params);
        layer_apply(&c->file, &base.params);
        layer_apply(&ps->over, &base.params);
        for (int q = 0; q < c->nfsched + ps->nsched; q++) {
            const tl_change *ch = q < c->nfsched ? &c->fsched[q].c : &ps->sched[q - c->nfsched].c;
            if ((st = tl_schedule_add(&base.sched, tl_param_info_at(ch->param)->name, ch->at,
                                      ch->ramp, ch->value, &e)) != TL_OK)
                return fail(c, NULL, st, "%s", e.msg);
        }
        if (gen) {
            gen->bases[k] = base;
            snprintf(gen->bases[k].label, TL_LABEL_MAX, "%s", c->have_points ? ps->label : "");
        }
        for (int r = 0; r < nrows; r++) {
            int idx = k * nrows + r;
            tl_point one;
            tl_point *pt = on_demand ? &one : &sc->points[idx];
            char rowlab[TL_LABEL_MAX + 16];
            const char *speclab = c->have_points ? ps->label : NULL;
            *pt = base;
            if (c->sweep) {
                const double *x = c->des.x + (size_t)r * (size_t)c->ndv;
                memcpy(sc->design_values + (size_t)idx * (size_t)c->ndv, x,
                       sizeof(double) * (size_t)c->ndv);
                if (sc->design_block) {
                    sc->design_block[idx] = c->des.block[r];
                    sc->design_row[idx] = c->des.row[r];
                }
                if (c->have_csv && c->csv.labels && c->csv.labels[r][0]) {
                    if (control_char(c->csv.labels[r])) {
                        loc l = {c->csv_path, c->csv.line[r], 1};
                        return fail_loc(c, l, TL_ERR_TYPE,
                                        "the label of row %d holds a line break or other "
                                        "control character: expected text on one line",
                                        r + 1);
                    }
                    snprintf(rowlab, sizeof rowlab, "%s", c->csv.labels[r]);
                } else
                    snprintf(rowlab, sizeof rowlab, "p%d", r);
                if ((speclab ? strlen(speclab) + 1 : 0) + strlen(rowlab) >= TL_LABEL_MAX) {
                    loc l = c->have_csv && c->csv.labels
                                ? (loc){c->csv_path, c->csv.line[r], 1}
                                : node_loc(c, ps->label_node ? ps->label_node : c->sweep_key);
                    return fail_loc(c, l, TL_ERR_RANGE,
                                    "the label of point %d, '%s%s%s', is longer than %d characters",
                                    idx, speclab ? speclab : "", speclab ? "/" : "", rowlab,
                                    TL_LABEL_MAX - 1);
                }
                /* the point as tl_scenario_point() makes it when made on demand */
                tl_point_gen_make(gen, sc->design_values, c->ndv, idx, pt);
            } else
                tl_point_label(pt->label, c->have_points ? speclab : c->name, NULL);
            if ((st = check_point(c, ps, c->sweep ? r : -1, pt, idx, (int)total)) != TL_OK)
                return st;
        }
    }
    if (on_demand) {
        sc->gen = gen;
        c->gen = NULL;
    }
    return TL_OK;
}

/* Labels of the listed points must tell them apart in the output. */
static int cmp_spec_label(const void *a, const void *b)
{
    const point_spec *const *x = a, *const *y = b;
    return strcmp((*x)->label, (*y)->label);
}

static tl_status check_labels(ctx *c)
{
    point_spec **order;
    tl_status st = TL_OK;
    if (c->nspecs < 2)
        return TL_OK;
    order = malloc(sizeof *order * (size_t)c->nspecs);
    if (!order)
        return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
    for (int k = 0; k < c->nspecs; k++)
        order[k] = &c->specs[k];
    qsort(order, (size_t)c->nspecs, sizeof *order, cmp_spec_label);
    for (int k = 1; k < c->nspecs && st == TL_OK; k++)
        if (!strcmp(order[k]->label, order[k - 1]->label)) {
            const point_spec *a = order[k - 1] < order[k] ? order[k - 1] : order[k];
            const point_spec *b = order[k - 1] < order[k] ? order[k] : order[k - 1];
            st = fail(c, b->label_node ? b->label_node : b->node, TL_ERR_CONFLICT,
                      "points[%d] and points[%d] are both labelled '%s': give each point its own "
                      "label",
                      (int)(a - c->specs), (int)(b - c->specs), a->label);
        }
    free(order);
    return st;
}

/* ---- the file ------------------------------------------------------------- */

static tl_status yaml_problem(ctx *c, yaml_parser_t *p)
{
    int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
    if (p->error == YAML_MEMORY_ERROR)
        return tl_error_set(c->err, TL_ERR_NOMEM, "%s: out of memory reading YAML", c->path);
    if (p->error == YAML_READER_ERROR) {
        /* reader errors carry a byte offset, not a mark */
        size_t off = p->problem_offset < c->len ? p->problem_offset : c->len;
        line = 1;
        col = 1;
        for (size_t i = 0; i < off; i++) {
            if (c->text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)c->text[i] & 0xc0) != 0x80)
                col++;
        }
    }
    if (p->context && p->error != YAML_READER_ERROR)
        return tl_error_set(c->err, TL_ERR_PARSE,
                            "%s:%d:%d: malformed YAML: %s (%s at line %d, column %d)", c->path,
                            line, col, p->problem ? p->problem : "error", p->context,
                            (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
    return tl_error_set(c->err, TL_ERR_PARSE, "%s:%d:%d: malformed YAML: %s", c->path, line, col,
                        p->problem ? p->problem : "cannot read the text");
}

/* A first pass over libyaml's events, stopping early on what would make the
 * document load slow: libyaml's scanner re-checks every open flow level at
 * each token (quadratic in the nesting depth), and its loader looks up each
 * alias and new anchor among all anchors so far. A scenario nests about six
 * levels and needs a handful of anchors, so the limits cost nothing real.
 * Also refuses a second document. */
#define MAX_DEPTH 64
#define MAX_ANCHORS 1000

static tl_status prescan(ctx *c)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int depth = 0, anchors = 0, docs = 0;
    tl_status st = TL_OK;
    if (!yaml_parser_initialize(&p))
        return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)c->text, c->len);
    for (;;) {
        yaml_event_type_t type;
        int anchor = 0, line, col;
        if (!yaml_parser_parse(&p, &ev)) {
            st = yaml_problem(c, &p);
            break;
        }
        type = ev.type;
        line = (int)ev.start_mark.line + 1;
        col = (int)ev.start_mark.column + 1;
        if (type == YAML_SCALAR_EVENT)
            anchor = ev.data.scalar.anchor != NULL;
        else if (type == YAML_SEQUENCE_START_EVENT)
            anchor = ev.data.sequence_start.anchor != NULL;
        else if (type == YAML_MAPPING_START_EVENT)
            anchor = ev.data.mapping_start.anchor != NULL;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            break;
        if (type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            st = fail_loc(c, (loc){c->path, line, col}, TL_ERR_PARSE,
                          "a second YAML document starts here: a scenario file holds one");
            break;
        }
        if ((type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) &&
            ++depth > MAX_DEPTH) {
            st = fail_loc(c, (loc){c->path, line, col}, TL_ERR_PARSE,
                          "malformed YAML: nested more than %d levels deep", MAX_DEPTH);
            break;
        }
        if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT)
            depth--;
        if ((anchor || type == YAML_ALIAS_EVENT) && ++anchors > MAX_ANCHORS) {
            st = fail_loc(c, (loc){c->path, line, col}, TL_ERR_PARSE,
                          "malformed YAML: more than %d anchors and aliases", MAX_ANCHORS);
            break;
        }
    }
    yaml_parser_delete(&p);
    return st;
}

/* output: {metrics: [names], time_series, window, every: K, dtype}: which metrics the file
 * stores (default all), how (series or per-run statistics), which steps, float64 or float32 */
static tl_status parse_output(ctx *c, yaml_node_t *m)
{
    static const char *const ok[] = {"metrics", "time_series", "window", "every", "dtype"};
    yaml_node_t *v;
    char b[96];
    size_t len = 0;
    tl_status st;
    if ((st = check_keys(c, m, "output", ok, 5, NULL, "a mapping such as {metrics: [quality_true]}")) !=
        TL_OK)
        return st;
    if ((v = find(c, m, "time_series", NULL)) != NULL) {
        int series;
        if ((st = get_bool(c, v, "output.time_series", &series)) != TL_OK)
            return st;
        c->summary_only = !series;
    }
    if ((v = find(c, m, "window", NULL)) != NULL) {
        double w;
        if ((st = get_whole(c, v, m, "output.window", 1, STEPS_MAX, &w)) != TL_OK)
            return st;
        c->summary_window = (int)w;
    }
    if ((v = find(c, m, "every", NULL)) != NULL) {
        double k;
        if ((st = get_whole(c, v, m, "output.every", 1, STEPS_MAX, &k)) != TL_OK)
            return st;
        c->every = (int)k;
    }
    if ((v = find(c, m, "dtype", NULL)) != NULL) {
        const char *d;
        if ((st = get_string(c, v, "output.dtype", "float64 or float32", &d)) != TL_OK)
            return st;
        if (strcmp(d, "float64") && strcmp(d, "float32"))
            return fail(c, v, TL_ERR_RANGE, "output.dtype = '%s': expected float64 (the default) "
                        "or float32", show(v, b, sizeof b));
        c->f32 = !strcmp(d, "float32");
    }
    if (!(v = find(c, m, "metrics", NULL)))
        return TL_OK;
    if (v->type != YAML_SEQUENCE_NODE || nitems(v) == 0)
        return fail(c, v, TL_ERR_TYPE, "output.metrics = %s: expected a list of metric names such "
                    "as [quality_true, incidents] (`tillit metrics`)", show(v, b, sizeof b));
    free(c->record);
    c->record = NULL;
    for (int j = 0; j < nitems(v); j++) {
        yaml_node_t *s = item_at(c, v, j);
        if (!is_scalar(s) || is_null(s) || has_nul(s) || tl_metric_index(str(s)) < 0) {
            tl_scenario tmp;
            tl_error e = TL_ERROR_INIT;
            tl_scenario_init(&tmp);
            tl_scenario_set_record(&tmp, is_scalar(s) && !has_nul(s) ? str(s) : "?", &e);
            tl_scenario_clear(&tmp);
            return fail(c, s, TL_ERR_UNKNOWN_KEY, "output.metrics[%d]: %s", j, e.msg);
        }
        len += strlen(str(s)) + 1;
    }
    if (!(c->record = malloc(len + 1)))
        return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
    c->record[0] = 0;
    for (int j = 0; j < nitems(v); j++) {
        if (j)
            strcat(c->record, " ");
        strcat(c->record, str(item_at(c, v, j)));
    }
    return TL_OK;
}

static tl_status parse_top(ctx *c, yaml_node_t *root)
{
    const char *ok[MAX_KEYS];
    int nok = 0;
    char b[96];
    tl_status st;
    ok[nok++] = "name";
    ok[nok++] = "description";
    ok[nok++] = "preset";
    for (int g = 0; g < c->ngroups; g++)
        ok[nok++] = c->groups[g];
    ok[nok++] = "schedule";
    ok[nok++] = "run";
    ok[nok++] = "points";
    ok[nok++] = "sweep";
    ok[nok++] = "lesson";
    ok[nok++] = "output";
    if (root->type != YAML_MAPPING_NODE)
        return fail(c, root, TL_ERR_TYPE,
                    "the file holds %s: expected a mapping of settings (name, run, regime, ...)",
                    show(root, b, sizeof b));
    if ((st = check_keys(c, root, "", ok, nok, NULL, "a mapping")) != TL_OK)
        return st;
    /* in document order, so the first problem in the file is the one reported;
     * the sweep last, since it refers to the schedule and the seed */
    for (int p = 0; p < npairs(root); p++) {
        yaml_node_t *kn = nd(c, pair_at(root, p)->key), *v = nd(c, pair_at(root, p)->value);
        const char *key = str(kn);
        if (!strcmp(key, "name")) {
            const char *s;
            if ((st = get_string(c, v, "name", "a name", &s)) != TL_OK ||
                (st = check_label(c, v, "name", s)) != TL_OK)
                return st;
            snprintf(c->name, sizeof c->name, "%s", s);
        } else if (!strcmp(key, "description")) {
            const char *s;
            if ((st = get_string(c, v, "description", "text", &s)) != TL_OK)
                return st;
            c->description = malloc(strlen(s) + 1);
            if (!c->description)
                return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
            strcpy(c->description, s);
        } else if (!strcmp(key, "preset")) {
            if ((st = get_string(c, v, "preset", "the name of a preset", &c->preset)) != TL_OK ||
                (st = check_preset(c, v, "preset", c->preset)) != TL_OK)
                return st;
            c->preset_node = v;
        } else if (!strcmp(key, "run")) {
            if ((st = parse_run(c, v, "run", &c->file, 1)) != TL_OK)
                return st;
        } else if (!strcmp(key, "schedule")) {
            if ((st = parse_schedule(c, v, "schedule", c->fsched, &c->nfsched, TL_SCHEDULE_MAX)) !=
                TL_OK)
                return st;
        } else if (!strcmp(key, "points")) {
            c->have_points = 1;
            c->points_key = kn;
            if (is_null(v) || (v->type == YAML_SEQUENCE_NODE && nitems(v) == 0))
                return fail(c, kn, TL_ERR_CONFLICT,
                            "points is empty: list at least one point, or leave 'points' out");
            if (v->type != YAML_SEQUENCE_NODE)
                return fail(c, v, TL_ERR_TYPE,
                            "points = %s: expected a list of points such as - {label: control, "
                            "preset: control-based}",
                            show(v, b, sizeof b));
            c->specs = calloc((size_t)nitems(v), sizeof *c->specs);
            if (!c->specs)
                return tl_error_set(c->err, TL_ERR_NOMEM, "out of memory");
            for (int k = 0; k < nitems(v); k++) {
                c->nspecs = k + 1;
                if ((st = parse_point(c, item_at(c, v, k), k, &c->specs[k])) != TL_OK)
                    return st;
            }
        } else if (!strcmp(key, "sweep")) {
            c->sweep = v;
            c->sweep_key = kn;
        } else if (!strcmp(key, "output")) {
            if ((st = parse_output(c, v)) != TL_OK)
                return st;
        } else if (!strcmp(key, "lesson")) {
            /* the classroom's text (title, question, ...): read by `tillit
             * serve` (sim/serve/lessons.c), no setting of the engine */
            if (v->type != YAML_MAPPING_NODE)
                return fail(c, v, TL_ERR_TYPE,
                            "lesson = %s: expected a mapping (title, text, question, ...)",
                            show(v, b, sizeof b));
        } else if ((st = parse_group(c, v, key, key, &c->file)) != TL_OK)
            return st;
    }
    /* points cannot see the file-level schedule when parsed before it */
    for (int k = 0; k < c->nspecs; k++)
        if (c->nfsched + c->specs[k].nsched > TL_SCHEDULE_MAX)
            return fail(c, c->specs[k].sched[0].at, TL_ERR_RANGE,
                        "points[%d].schedule: %d changes with the file-level ones: at most %d", k,
                        c->nfsched + c->specs[k].nsched, TL_SCHEDULE_MAX);
    for (int k = 0; k < c->nspecs; k++)
        if (!c->specs[k].label[0]) {
            if (c->specs[k].preset)
                snprintf(c->specs[k].label, TL_LABEL_MAX, "%s", c->specs[k].preset);
            else
                snprintf(c->specs[k].label, TL_LABEL_MAX, "p%d", k);
        }
    if ((st = check_labels(c)) != TL_OK)
        return st;
    if (c->sweep && (st = parse_sweep(c)) != TL_OK)
        return st;
    return TL_OK;
}

/* The default name: the file name without directory and extension. */
static void default_name(ctx *c)
{
    const char *base = strrchr(c->path, '/');
    size_t n;
    base = base ? base + 1 : c->path;
    n = strcspn(base, ".");
    if (n == 0)
        n = strlen(base);
    if (n == 0) {
        snprintf(c->name, sizeof c->name, "scenario");
        return;
    }
    if (n >= TL_LABEL_MAX)
        n = TL_LABEL_MAX - 1;
    memcpy(c->name, base, n);
    c->name[n] = 0;
}

static void ctx_free(ctx *c)
{
    if (c->have_doc)
        yaml_document_delete(&c->doc);
    for (int k = 0; k < c->nspecs; k++) {
        free(c->specs[k].over.s);
        free(c->specs[k].sched);
    }
    free(c->specs);
    free(c->file.s);
    free(c->description);
    free(c->record);
    free(c->dir);
    free(c->dv);
    tl_point_gen_free(c->gen);
    free(c->csv_path);
    tl_design_clear(&c->des);
    tl_design_csv_clear(&c->csv);
}

static tl_status snapshots_check(ctx *c, const tl_scenario *sc)
{
    int horizon = tl_scenario_steps(sc);
    for (int j = 0; j < c->n_snap; j++)
        if (c->snap[j] > horizon)
            return fail(c, c->snap_node[j], TL_ERR_CONFLICT,
                        "run.snapshots[%d] = %d is past the horizon: the %s has steps = %d", j,
                        c->snap[j], sc->npoints > 1 ? "longest run" : "run", horizon);
    if (c->n_snap > 0) {
        const int k = tl_scenario_agents_unlike(sc);
        if (k > 0) {
            tl_point p0, buf;
            p0 = *tl_scenario_point(sc, 0, &buf);
            const tl_point *pt = tl_scenario_point(sc, k, &buf);
            const tl_params *a = &p0.params, *b = &pt->params;
            return fail(c, c->snaps_key, TL_ERR_CONFLICT,
                        "run.snapshots: agent snapshots need the same employees and citizens "
                        "at every point, but point %d ('%s') has %.17g and %.17g, point 0 "
                        "('%s') %.17g and %.17g",
                        k, pt->label, b->employees, b->citizens, p0.label, a->employees,
                        a->citizens);
        }
    }
    return TL_OK;
}

tl_status tl_scenario_parse_yaml(const char *text, size_t len, const char *name, tl_scenario *sc,
                                 tl_error *err)
{
    ctx c;
    yaml_parser_t parser;
    int have_parser = 0;
    tl_scenario out;
    tl_status st = TL_OK;
    yaml_node_t *root;
    const char *slash;

    memset(&c, 0, sizeof c);
    tl_scenario_init(&out);
    c.path = name && *name ? name : "<scenario>";
    c.text = text ? text : "";
    c.len = text ? len : 0;
    c.err = err;
    c.replicates = out.replicates;
    c.seed = out.seed;
    tl_design_init(&c.des);
    tl_design_csv_init(&c.csv);
    if (!sc || (!text && len > 0)) {
        st = tl_error_set(err, TL_ERR_INVALID, "%s: no scenario text or nothing to load it into",
                          c.path);
        goto out;
    }
    slash = strrchr(c.path, '/');
    c.dir = slash ? malloc((size_t)(slash - c.path) + 2) : malloc(2);
    if (!c.dir) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (slash == c.path)
        strcpy(c.dir, "/");
    else if (slash) {
        memcpy(c.dir, c.path, (size_t)(slash - c.path));
        c.dir[slash - c.path] = 0;
    } else
        strcpy(c.dir, ".");
    default_name(&c);
    for (int i = 0; i < TL_NPARAMS; i++) {
        const char *g = group_of(i);
        if (strcmp(g, "run") && !is_group(&c, g) && c.ngroups < MAX_GROUPS)
            c.groups[c.ngroups++] = g;
    }

    if ((st = prescan(&c)) != TL_OK)
        goto out;
    if (!yaml_parser_initialize(&parser)) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    have_parser = 1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)c.text, c.len);
    if (!yaml_parser_load(&parser, &c.doc)) {
        st = yaml_problem(&c, &parser);
        goto out;
    }
    c.have_doc = 1;
    root = yaml_document_get_root_node(&c.doc);
    if (!root) {
        st = fail(&c, NULL, TL_ERR_PARSE,
                  "the file is empty: expected a mapping of settings (name, run, regime, ...)");
        goto out;
    }
    if ((st = check_tags(&c)) != TL_OK || (st = parse_top(&c, root)) != TL_OK)
        goto out;
    snprintf(out.name, sizeof out.name, "%s", c.name);
    out.description = c.description;
    c.description = NULL;
    out.replicates = c.replicates;
    out.seed = c.seed;
    out.crn = c.crn;
    out.summary_only = c.summary_only;
    out.summary_window = c.summary_window;
    out.record_every = c.every;
    out.record_f32 = c.f32;
    if (c.record && (st = tl_scenario_set_record(&out, c.record, c.err)) != TL_OK)
        goto out;
    out.n_snap = c.n_snap;
    memcpy(out.snap_steps, c.snap, sizeof c.snap);
    snprintf(out.design, sizeof out.design, "%s",
             c.sweep         ? c.design
             : c.have_points ? "list"
                             : "single");
    out.design_base = c.design_base;
    if ((st = build(&c, &out)) != TL_OK)
        goto out;
    if ((st = snapshots_check(&c, &out)) != TL_OK)
        goto out;
    if ((st = tl_scenario_finalise(&out, err)) != TL_OK) {
        /* everything finalise checks was checked above with a line; this is a backstop */
        tl_error_prefix(err, "%s:1:1: ", c.path);
        goto out;
    }
out:
    if (have_parser)
        yaml_parser_delete(&parser);
    ctx_free(&c);
    if (sc) {
        tl_scenario_clear(sc);
        if (st == TL_OK)
            *sc = out;
    }
    if (st != TL_OK || !sc)
        tl_scenario_clear(&out);
    return st;
}

tl_status tl_scenario_load_yaml(const char *path, tl_scenario *sc, tl_error *err)
{
    char *text = NULL;
    size_t len = 0;
    tl_status st;
    if (!path)
        return tl_error_set(err, TL_ERR_INVALID, "no scenario path given");
    if ((st = tl_read_bounded(path, TL_SCENARIO_FILE_MAX, "scenario file", &text, &len, err)) !=
        TL_OK) {
        if (sc)
            tl_scenario_clear(sc);
        return st;
    }
    /* an output file or other binary given by mistake: say so, not "malformed YAML" */
    if (len >= 8 && memcmp(text, "\211HDF\r\n\032\n", 8) == 0) {
        free(text);
        if (sc)
            tl_scenario_clear(sc);
        return tl_error_set(err, TL_ERR_PARSE,
                            "%s is an HDF5 file (an output?), not a scenario file; scenarios are "
                            "YAML (docs/scenario-format.md); to look into output use h5dump or "
                            "`python3 -m tillit_analysis`",
                            path);
    }
    if (memchr(text, 0, len)) {
        free(text);
        if (sc)
            tl_scenario_clear(sc);
        return tl_error_set(err, TL_ERR_PARSE,
                            "%s is a binary file (it holds NUL bytes), not a YAML scenario file",
                            path);
    }
    st = tl_scenario_parse_yaml(text, len, path, sc, err);
    free(text);
    return st;
}
