/* api.c — the classroom's JSON API: tables, lessons, sessions (create, step, set, reset, export);
 * every value checked against the parameter table. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qr.h"
#include "serve.h"
#include "server.h"
#include "tillit/metrics.h"
#include "tillit/output.h"
#include "tillit/presets.h"
#include "tillit/version.h"

/* ---- replies ------------------------------------------------------------------ */
void srv_reply_error(srv_reply *r, int status, const char *msg)
{
    srv_buf b;
    srv_buf_init(&b);
    srv_buf_puts(&b, "{\"error\":");
    srv_buf_str(&b, msg);
    srv_buf_printf(&b, ",\"status\":%d}", status);
    free(r->body);
    r->status = status;
    r->body = srv_buf_take(&b, &r->len);
    r->type = "application/json";
    if (!r->body) {
        r->status = 503;
        r->len = 0;
    }
}

void srv_reply_json(srv_reply *r, int status, srv_buf *b)
{
    r->body = srv_buf_take(b, &r->len);
    r->status = r->body ? status : 503;
    r->type = "application/json";
    if (!r->body)
        srv_reply_error(r, 503, "out of memory");
}

static void reply_copy(srv_reply *r, const char *text)
{
    r->len = strlen(text);
    r->body = malloc(r->len + 1);
    if (!r->body) {
        srv_reply_error(r, 503, "out of memory");
        return;
    }
    memcpy(r->body, text, r->len + 1);
    r->status = 200;
    r->type = "application/json";
}

/* ---- fixed tables --------------------------------------------------------------- */
/* The labels of a metric or parameter (metric_labels.h, param_labels.h). */
static void put_labels(srv_buf *b, const char *en, const char *sv, const char *desc_sv)
{
    srv_buf_puts(b, ",\"label_en\":");
    srv_buf_str(b, en);
    srv_buf_puts(b, ",\"label_sv\":");
    srv_buf_str(b, sv);
    srv_buf_puts(b, ",\"description_sv\":");
    srv_buf_str(b, desc_sv);
}

char *tl_params_json(void)
{
    const tl_param_info *t = tl_param_table();
    srv_buf b;
    srv_buf_init(&b);
    srv_buf_puts(&b, "[");
    for (int i = 0; i < TL_NPARAMS; i++) {
        srv_buf_puts(&b, i ? ",{" : "{");
        srv_buf_key(&b, "name");
        srv_buf_str(&b, t[i].name);
        srv_buf_printf(&b,
                       ",\"type\":\"%s\",\"default\":", t[i].type == TL_PTYPE_INT ? "int" : "real");
        srv_buf_num(&b, t[i].def);
        srv_buf_puts(&b, ",\"min\":");
        srv_buf_num(&b, t[i].min);
        srv_buf_puts(&b, ",\"max\":");
        srv_buf_num(&b, t[i].max);
        srv_buf_puts(&b, ",\"unit\":");
        srv_buf_str(&b, t[i].unit);
        srv_buf_puts(&b, ",\"group\":");
        srv_buf_str(&b, t[i].group);
        srv_buf_puts(&b, ",\"part\":");
        srv_buf_str(&b, t[i].part);
        srv_buf_printf(&b, ",\"lever\":%s,\"schedulable\":%s,\"structural\":%s,",
                       (t[i].flags & TL_PF_LEVER) ? "true" : "false",
                       tl_param_schedulable(i) ? "true" : "false",
                       (t[i].flags & TL_PF_STRUCT) ? "true" : "false");
        srv_buf_key(&b, "principle");
        srv_buf_str(&b, t[i].principle);
        srv_buf_puts(&b, ",");
        srv_buf_key(&b, "description");
        srv_buf_str(&b, t[i].desc);
        srv_buf_puts(&b, ",");
        srv_buf_key(&b, "source");
        srv_buf_str(&b, t[i].source);
        const tl_param_label *l = tl_param_label_at(i);
        put_labels(&b, l->en, l->sv, l->desc_sv);
        srv_buf_puts(&b, "}");
    }
    srv_buf_puts(&b, "]");
    return srv_buf_take(&b, NULL);
}

char *tl_metrics_json(void)
{
    const tl_metric_info *t = tl_metric_table();
    srv_buf b;
    srv_buf_init(&b);
    srv_buf_puts(&b, "[");
    for (int i = 0; i < TL_NMETRICS; i++) {
        srv_buf_puts(&b, i ? ",{" : "{");
        srv_buf_key(&b, "name");
        srv_buf_str(&b, t[i].name);
        srv_buf_puts(&b, ",\"unit\":");
        srv_buf_str(&b, t[i].unit);
        srv_buf_puts(&b, ",\"group\":");
        srv_buf_str(&b, t[i].group);
        srv_buf_puts(&b, ",\"aggregation\":");
        srv_buf_str(&b, t[i].agg);
        srv_buf_puts(&b, ",\"description\":");
        srv_buf_str(&b, t[i].desc);
        const tl_metric_label *l = tl_metric_label_at(i);
        put_labels(&b, l->en, l->sv, l->desc_sv);
        srv_buf_puts(&b, ",\"shown\":");
        srv_buf_str(&b, l->shown);
        srv_buf_printf(&b, ",\"pct\":%s,\"better\":%d,\"criterion\":%d", l->pct ? "true" : "false",
                       l->better, tl_metric_criterion(i));
        srv_buf_puts(&b, "}");
    }
    srv_buf_puts(&b, "]");
    return srv_buf_take(&b, NULL);
}

/* A preset is a regime when it sets levers only (march1991 is a docking
 * set-up, not a regime). */
static int preset_is_regime(const tl_preset_info *pr)
{
    const char *s = pr->settings;
    while (*s) {
        char key[128];
        size_t n = strcspn(s, "=");
        if (n == 0 || n >= sizeof key)
            return 0;
        memcpy(key, s, n);
        key[n] = '\0';
        {
            int i = tl_param_index(key);
            const tl_param_info *pi = tl_param_info_at(i);
            if (!pi || !(pi->flags & TL_PF_LEVER))
                return 0;
        }
        s += strcspn(s, " ");
        while (*s == ' ')
            s++;
    }
    return 1;
}

char *tl_presets_json(void)
{
    srv_buf b;
    srv_buf_init(&b);
    srv_buf_puts(&b, "[");
    for (int i = 0; i < tl_preset_count(); i++) {
        const tl_preset_info *pr = tl_preset_at(i);
        tl_params p;
        tl_error err = TL_ERROR_INIT;
        const char *s = pr->settings;
        int first = 1;
        if (tl_preset_apply(pr->name, &p, &err) != TL_OK)
            continue;
        srv_buf_puts(&b, i ? ",{" : "{");
        srv_buf_key(&b, "name");
        srv_buf_str(&b, pr->name);
        srv_buf_puts(&b, ",\"label_en\":");
        srv_buf_str(&b, pr->label_en);
        srv_buf_puts(&b, ",\"label_sv\":");
        srv_buf_str(&b, pr->label_sv);
        srv_buf_puts(&b, ",\"summary\":");
        srv_buf_str(&b, pr->summary);
        srv_buf_puts(&b, ",\"summary_sv\":");
        srv_buf_str(&b, pr->summary_sv);
        srv_buf_puts(&b, ",\"represents\":");
        srv_buf_str(&b, pr->represents);
        srv_buf_printf(&b, ",\"regime\":%s,\"settings\":{",
                       preset_is_regime(pr) ? "true" : "false");
        while (*s) {
            char key[128];
            size_t n = strcspn(s, "=");
            int idx;
            if (n == 0 || n >= sizeof key)
                break;
            memcpy(key, s, n);
            key[n] = '\0';
            if ((idx = tl_param_index(key)) >= 0) {
                if (!first)
                    srv_buf_puts(&b, ",");
                first = 0;
                srv_buf_key(&b, key);
                srv_buf_num(&b, tl_params_get(&p, idx));
            }
            s += strcspn(s, " ");
            while (*s == ' ')
                s++;
        }
        srv_buf_puts(&b, "}}");
    }
    srv_buf_puts(&b, "]");
    return srv_buf_take(&b, NULL);
}

static char *info_json(const srv_server *sv)
{
    const srv_limits *l = &sv->table.lim;
    srv_buf b;
    srv_buf_init(&b);
    srv_buf_printf(&b,
                   "{\"program\":\"tillit\",\"version\":\"%s\",\"git\":\"%s\",\"schema\":\"%s\","
                   "\"languages\":[\"sv\",\"en\"],\"page_built\":%s,\"lessons\":%d,",
                   TILLIT_VERSION, TILLIT_GIT_REVISION, TL_SCHEMA_VERSION,
                   sv->page_ok ? "true" : "false", sv->lessons.n);
    srv_buf_printf(&b,
                   "\"limits\":{\"max_sessions\":%d,\"idle_seconds\":%d,\"max_steps\":%d,"
                   "\"max_employees\":%d,\"max_citizens\":%d,\"max_units\":%d,"
                   "\"max_knowledge_dims\":%d,\"max_sim_mib\":%zu,\"max_total_mib\":%zu,"
                   "\"max_steps_per_request\":%d,\"max_request_seconds\":%.1f,"
                   "\"max_body_bytes\":%d,\"max_changes_per_run\":%d,\"max_replicates\":%d}}",
                   l->max_sessions, l->idle_seconds, l->max_steps, l->max_employees,
                   l->max_citizens, l->max_units, l->max_knowledge_dims, l->max_sim_bytes >> 20,
                   l->max_total_bytes >> 20, l->max_steps_per_request, l->max_request_seconds,
                   SRV_MAX_BODY, TL_SCHEDULE_MAX, SRV_MAX_REPLICATES);
    return srv_buf_take(&b, NULL);
}

int srv_api_init(srv_server *sv)
{
    srv_buf b;
    srv_buf_init(&b);
    srv_lessons_json(&sv->lessons, &b);
    sv->lessons_json = srv_buf_take(&b, NULL);
    sv->info_json = info_json(sv);
    sv->params_json = tl_params_json();
    sv->metrics_json = tl_metrics_json();
    sv->presets_json = tl_presets_json();
    return sv->lessons_json && sv->info_json && sv->params_json && sv->metrics_json &&
                   sv->presets_json
               ? 0
               : -1;
}

void srv_api_free(srv_server *sv)
{
    free(sv->lessons_json);
    free(sv->info_json);
    free(sv->params_json);
    free(sv->metrics_json);
    free(sv->presets_json);
    sv->lessons_json = sv->info_json = sv->params_json = sv->metrics_json = sv->presets_json = NULL;
}

/* ---- reading request bodies ------------------------------------------------------- */
int srv_only_keys(const srv_json *obj, const char *const *keys, int n, const char *where,
                     srv_err *e)
{
    if (!obj || obj->type != SRV_JOBJ)
        return srv_fail(e, 400, "%s: expected a JSON object", where);
    for (const srv_json *m = obj->child; m; m = m->next) {
        int ok = 0;
        for (int i = 0; i < n; i++)
            if (strcmp(m->key, keys[i]) == 0)
                ok = 1;
        if (!ok) {
            srv_buf b;
            char *list;
            int rc;
            srv_buf_init(&b);
            for (int i = 0; i < n; i++)
                srv_buf_printf(&b, "%s%s", i ? ", " : "", keys[i]);
            list = srv_buf_take(&b, NULL);
            rc = srv_fail(e, 400, "%s: unknown key '%.100s' (expected %s)", where, m->key,
                          list && *list ? list : "none");
            free(list);
            return rc;
        }
    }
    return 0;
}

int srv_whole_number(const srv_json *v, double lo, double hi, const char *what, double *out,
                     srv_err *e)
{
    if (!v || v->type != SRV_JNUM || v->num != floor(v->num) || v->num < lo || v->num > hi)
        return srv_fail(e, 400, "%s: expected a whole number in [%.0f, %.0f]", what, lo, hi);
    *out = v->num;
    return 0;
}

static int label_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= TL_LABEL_MAX)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* {"name": value, ...} over p, every value checked against the table. */
static int apply_set(tl_params *p, const srv_json *set, const char *where, int levers_only,
                     srv_err *e)
{
    tl_error err = TL_ERROR_INIT;
    if (!set)
        return 0;
    if (set->type != SRV_JOBJ)
        return srv_fail(e, 400, "%s: expected an object of parameter names and numbers", where);
    for (const srv_json *m = set->child; m; m = m->next) {
        int i = tl_param_index(m->key);
        if (i < 0) {
            const char *sug = tl_param_suggest(m->key);
            return sug ? srv_fail(e, 400, "%s: unknown parameter '%.100s' (did you mean '%s'?)",
                                  where, m->key, sug)
                       : srv_fail(e, 400, "%s: unknown parameter '%.100s'", where, m->key);
        }
        if (m->type != SRV_JNUM)
            return srv_fail(e, 400, "%s: %s: expected a number", where, m->key);
        if (levers_only && !(tl_param_info_at(i)->flags & TL_PF_LEVER))
            return srv_fail(e, 400, "%s: '%s' is not a lever (set it for both sides)", where,
                            m->key);
        if (tl_params_set(p, m->key, m->num, &err) != TL_OK)
            return srv_fail(e, 400, "%s: %s", where, err.msg);
    }
    return 0;
}

/* A set-up from a request body (see docs/classroom.md). */
/* "replicates": R (1..SRV_MAX_REPLICATES); absent leaves *out as it is. */
static int replicates_from_json(const srv_json *v, int *out, srv_err *e)
{
    double d = 0;
    int rc;
    if (!v)
        return 0;
    if ((rc = srv_whole_number(v, 1, SRV_MAX_REPLICATES, "replicates", &d, e)) != 0)
        return rc;
    *out = (int)d;
    return 0;
}

static int setup_from_json(const srv_server *sv, const srv_json *body, srv_setup *su, srv_err *e)
{
    static const char *const top[] = {"lesson", "seed", "steps", "set", "sides", "replicates"};
    static const char *const side_keys[] = {"preset", "set", "label"};
    const srv_json *v, *sides;
    tl_error err = TL_ERROR_INIT;
    double d = 0;
    int rc;

    memset(su, 0, sizeof *su);
    if ((rc = srv_only_keys(body, top, 6, "set-up", e)) != 0 ||
        (rc = replicates_from_json(srv_json_get(body, "replicates"), &su->replicates, e)) != 0)
        return rc;
    su->seed = 1;
    if ((v = srv_json_get(body, "lesson")) != NULL) {
        const srv_lesson *l;
        if (v->type != SRV_JSTR)
            return srv_fail(e, 400, "lesson: expected a lesson name");
        if (srv_json_get(body, "steps") || srv_json_get(body, "set") || srv_json_get(body, "sides"))
            return srv_fail(e, 400,
                            "a lesson brings its own set-up: give only 'lesson', 'seed' and "
                            "'replicates'");
        if (!(l = srv_lessons_find(&sv->lessons, v->str)))
            return srv_fail(e, 404, "no lesson '%.100s' (GET /api/lessons lists them)", v->str);
        {
            int nrep = su->replicates;
            *su = l->setup;
            su->replicates = nrep;
        }
        if ((v = srv_json_get(body, "seed")) != NULL) {
            if ((rc = srv_whole_number(v, 0, 9007199254740992.0, "seed", &d, e)) != 0)
                return rc;
            su->seed = (uint64_t)d;
        }
        return srv_setup_check(&sv->table.lim, su, e);
    }
    if ((v = srv_json_get(body, "seed")) != NULL) {
        if ((rc = srv_whole_number(v, 0, 9007199254740992.0, "seed", &d, e)) != 0)
            return rc;
        su->seed = (uint64_t)d;
    }
    if ((v = srv_json_get(body, "steps")) != NULL) {
        if ((rc = srv_whole_number(v, 1, sv->table.lim.max_steps, "steps", &d, e)) != 0)
            return rc;
    }
    sides = srv_json_get(body, "sides");
    if (sides && (sides->type != SRV_JARR || sides->count < 1 || sides->count > SRV_MAX_SIDES))
        return srv_fail(e, 400, "sides: expected a list of 1 or 2 sides");
    su->nsides = sides ? sides->count : 1;
    for (int k = 0; k < su->nsides; k++) {
        const srv_json *sd = NULL, *pr;
        char where[32];
        snprintf(where, sizeof where, "sides[%d]", k);
        if (sides) {
            sd = sides->child;
            for (int j = 0; j < k; j++)
                sd = sd->next;
            if ((rc = srv_only_keys(sd, side_keys, 3, where, e)) != 0)
                return rc;
        }
        pr = srv_json_get(sd, "preset");
        if (pr) {
            const tl_preset_info *pi;
            if (pr->type != SRV_JSTR)
                return srv_fail(e, 400, "%s.preset: expected a preset name", where);
            pi = tl_preset_find(pr->str);
            if (!pi || !preset_is_regime(pi)) {
                return srv_fail(e, 400, "%s.preset: no regime preset '%.100s'", where, pr->str);
            }
            if (tl_preset_apply(pr->str, &su->side[k].params, &err) != TL_OK)
                return srv_fail(e, 400, "%s.preset: %s", where, err.msg);
        } else if (tl_preset_apply("balanced", &su->side[k].params, &err) != TL_OK) {
            return srv_fail(e, 500, "%s", err.msg);
        }
        /* the common set first (sizes, population), then the side's levers */
        if ((rc = apply_set(&su->side[k].params, srv_json_get(body, "set"), "set", 0, e)) != 0 ||
            (rc = apply_set(&su->side[k].params, srv_json_get(sd, "set"), where, 1, e)) != 0)
            return rc;
        if ((v = srv_json_get(body, "steps")) != NULL)
            su->side[k].params.steps = v->num;
        else if (su->side[k].params.steps > sv->table.lim.max_steps)
            su->side[k].params.steps = sv->table.lim.max_steps;
        if ((v = srv_json_get(sd, "label")) != NULL) {
            if (v->type != SRV_JSTR || !label_ok(v->str))
                return srv_fail(e, 400, "%s.label: 1-63 printable characters", where);
            snprintf(su->side[k].label, sizeof su->side[k].label, "%s", v->str);
        } else {
            snprintf(su->side[k].label, sizeof su->side[k].label, "%s", pr ? pr->str : "balanced");
        }
    }
    return srv_setup_check(&sv->table.lim, su, e);
}

/* ---- handlers ----------------------------------------------------------------------- */
typedef struct ctx {
    srv_server *sv;
    const char *client;
    const char *method;
    srv_query_fn query;
    void *qctx;
    const char *const *qkeys;
    int nqkeys;
    const srv_json *body;
    srv_reply *r;
    srv_err e;
} ctx;

static int allow_query(ctx *c, const char *const *names, int n)
{
    for (int i = 0; i < c->nqkeys; i++) {
        int ok = 0;
        for (int j = 0; j < n; j++)
            if (strcmp(c->qkeys[i], names[j]) == 0)
                ok = 1;
        if (!ok)
            return srv_fail(&c->e, 400, "unknown query parameter '%.100s'", c->qkeys[i]);
    }
    return 0;
}

static int query_whole(ctx *c, const char *key, long lo, long hi, long def, long *out)
{
    const char *s = c->query(c->qctx, key);
    char *end;
    long v;
    if (!s) {
        *out = def;
        return 0;
    }
    errno = 0;
    v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return srv_fail(&c->e, 400, "query %s: expected a whole number in [%ld, %ld]", key, lo, hi);
    *out = v;
    return 0;
}

static void session_reply(ctx *c, srv_session *s, int status, int from)
{
    srv_buf b;
    srv_buf_init(&b);
    srv_session_json(s, from, &b);
    srv_reply_json(c->r, status, &b);
}

static int side_mask(ctx *c, const srv_json *v, int nsides, unsigned *mask)
{
    if (!v) {
        *mask = nsides == 2 ? 3u : 1u;
        return 0;
    }
    if (v->type == SRV_JSTR && (strcmp(v->str, "A") == 0 || strcmp(v->str, "a") == 0))
        *mask = 1u;
    else if (v->type == SRV_JSTR && (strcmp(v->str, "B") == 0 || strcmp(v->str, "b") == 0) &&
             nsides == 2)
        *mask = 2u;
    else if (v->type == SRV_JSTR && strcmp(v->str, "both") == 0)
        *mask = nsides == 2 ? 3u : 1u;
    else
        return srv_fail(&c->e, 400, "side: expected \"A\"%s",
                        nsides == 2 ? ", \"B\" or \"both\"" : "");
    return 0;
}

int srv_set_from_json(const srv_json *set, const srv_json *pr, const char **names, double *values,
                      int *count, srv_err *e)
{
    int n = 0;
    tl_params tmp;
    tl_error err = TL_ERROR_INIT;
    if (!set && !pr)
        return srv_fail(e, 400, "set: give 'set' (parameters) or 'preset'");
    if (pr) {
        const tl_preset_info *pi;
        const tl_param_info *tab = tl_param_table();
        if (pr->type != SRV_JSTR || !(pi = tl_preset_find(pr->str)) || !preset_is_regime(pi))
            return srv_fail(e, 400, "preset: no regime preset '%.100s'",
                            pr->type == SRV_JSTR ? pr->str : "?");
        if (tl_preset_apply(pr->str, &tmp, &err) != TL_OK)
            return srv_fail(e, 400, "%s", err.msg);
        for (int i = 0; i < TL_NPARAMS; i++)
            if (tab[i].flags & TL_PF_LEVER) {
                names[n] = tab[i].name;
                values[n++] = tl_params_get(&tmp, i);
            }
    }
    if (set) {
        if (set->type != SRV_JOBJ)
            return srv_fail(e, 400, "set: expected an object of parameter names and numbers");
        for (const srv_json *m = set->child; m; m = m->next) {
            int j;
            if (m->type != SRV_JNUM)
                return srv_fail(e, 400, "set: %.100s: expected a number", m->key);
            for (j = 0; j < n; j++)
                if (strcmp(names[j], m->key) == 0)
                    break;
            if (j == n && n >= TL_NPARAMS)
                return srv_fail(e, 400, "set: too many parameters");
            names[j] = m->key;
            values[j] = m->num;
            if (j == n)
                n++;
        }
    }
    *count = n;
    return 0;
}

static int do_set(ctx *c, srv_session *s)
{
    static const char *const keys[] = {"side", "set", "preset"};
    const char *names[TL_NPARAMS];
    double values[TL_NPARAMS];
    int n = 0, rc, nsides;
    unsigned mask = 1;
    const srv_json *pr = srv_json_get(c->body, "preset");

    if ((rc = srv_only_keys(c->body, keys, 3, "set", &c->e)) != 0)
        return rc;
    pthread_mutex_lock(&s->lock);
    nsides = s->setup.nsides;
    pthread_mutex_unlock(&s->lock);
    if ((rc = side_mask(c, srv_json_get(c->body, "side"), nsides, &mask)) != 0 ||
        (rc = srv_set_from_json(srv_json_get(c->body, "set"), pr, names, values, &n, &c->e)) != 0)
        return rc;
    if ((rc = srv_session_set(&c->sv->table, s, mask, names, values, n, pr ? pr->str : NULL,
                              &c->e)) != 0)
        return rc;
    session_reply(c, s, 200, 1 << 30);
    return 0;
}

int srv_export_reply(srv_server *sv, const srv_export_snap *snap, int n, srv_reply *r, srv_err *e)
{
    char dir[PATH_MAX], path[PATH_MAX + 32];
    int rc, fd;
    struct stat st;
    if ((size_t)snprintf(dir, sizeof dir, "%s/tillit-export-XXXXXX", sv->tmpdir) >= sizeof dir ||
        !mkdtemp(dir))
        return srv_fail(e, 503, "cannot create a temporary directory in %s", sv->tmpdir);
    snprintf(path, sizeof path, "%s/run.h5", dir);
    rc = srv_workers_export(&sv->workers, snap, n, path, SRV_EXPORT_SECONDS, e);
    if (rc == 0) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) != 0) {
            if (fd >= 0)
                close(fd);
            rc = srv_fail(e, 500, "cannot read the exported file back");
        } else {
            r->fd = fd;
            r->len = (size_t)st.st_size;
            r->status = 200;
            r->type = "application/x-hdf5";
        }
    }
    unlink(path); /* the open descriptor keeps the data until it is sent */
    rmdir(dir);
    return rc;
}

static int do_export(ctx *c, srv_session *s)
{
    static const char *const q[] = {"side"};
    srv_export_snap snap;
    const char *side = c->query(c->qctx, "side");
    char label[TL_LABEL_MAX];
    int k = 0, rc;
    memset(&snap, 0, sizeof snap);
    if ((rc = allow_query(c, q, 1)) != 0)
        return rc;
    if (side && (strcmp(side, "A") == 0 || strcmp(side, "a") == 0))
        k = 0;
    else if (side && (strcmp(side, "B") == 0 || strcmp(side, "b") == 0))
        k = 1;
    else if (side)
        return srv_fail(&c->e, 400, "query side: expected A or B");
    /* copy the side under the session's lock (short), then write the file in
     * a child process: HDF5 serialises its callers, and a file takes ~0.1 s */
    if ((rc = srv_session_snapshot(s, k, &snap, &c->e)) == 0)
        rc = srv_export_reply(c->sv, &snap, 1, c->r, &c->e);
    srv_export_snap_free(&snap);
    if (rc != 0)
        return rc;
    pthread_mutex_lock(&s->lock);
    {
        /* a file name of safe characters only */
        const char *l = s->setup.side[k].label;
        size_t j = 0;
        for (; *l && j + 1 < sizeof label; l++)
            label[j++] = ((*l >= 'a' && *l <= 'z') || (*l >= 'A' && *l <= 'Z') ||
                          (*l >= '0' && *l <= '9') || *l == '-' || *l == '_')
                             ? *l
                             : '-';
        label[j] = '\0';
        snprintf(c->r->disposition, sizeof c->r->disposition,
                 "attachment; filename=\"tillit-%c-%.40s-s%llu-w%d.h5\"", 'A' + k, label,
                 (unsigned long long)s->setup.seed, s->t);
    }
    pthread_mutex_unlock(&s->lock);
    return 0;
}

static int sessions(ctx *c, const char *rest)
{
    srv_server *sv = c->sv;
    char id[SRV_ID_LEN + 1];
    const char *action;
    srv_session *s;
    srv_setup su;
    int rc = 0;
    size_t n;

    if (*rest == '\0') { /* /api/sessions */
        if (strcmp(c->method, "POST") != 0)
            return srv_fail(&c->e, 405, "use POST to create a session");
        if ((rc = allow_query(c, NULL, 0)) != 0)
            return rc;
        if ((rc = setup_from_json(sv, c->body, &su, &c->e)) != 0)
            return rc;
        if ((rc = srv_session_create(&sv->table, &su, c->client, &s, &c->e)) != 0)
            return rc;
        session_reply(c, s, 201, 0);
        srv_session_release(&sv->table, s);
        return 0;
    }
    if (*rest != '/')
        return srv_fail(&c->e, 404, "no such API path");
    rest++;
    n = strspn(rest, "0123456789abcdef");
    if (n != SRV_ID_LEN || (rest[n] != '\0' && rest[n] != '/'))
        return srv_fail(&c->e, 404, "no such session");
    memcpy(id, rest, n);
    id[n] = '\0';
    action = rest[n] == '/' ? rest + n + 1 : "";
    if (strcmp(action, "") != 0 && strcmp(action, "step") != 0 && strcmp(action, "set") != 0 &&
        strcmp(action, "reset") != 0 && strcmp(action, "export") != 0)
        return srv_fail(&c->e, 404, "no such API path");
    if (strcmp(action, "") == 0 && strcmp(c->method, "DELETE") == 0) {
        if ((rc = allow_query(c, NULL, 0)) != 0)
            return rc;
        if ((rc = srv_session_delete(&sv->table, id, &c->e)) != 0)
            return rc;
        reply_copy(c->r, "{\"deleted\":true}");
        return 0;
    }
    if (!(s = srv_session_find(&sv->table, id)))
        return srv_fail(&c->e, 404, "no session '%s' (it may have expired: reload the page)", id);
    if (strcmp(action, "") == 0) {
        static const char *const q[] = {"from"};
        long from = 0;
        if (strcmp(c->method, "GET") != 0 && strcmp(c->method, "HEAD") != 0)
            rc = srv_fail(&c->e, 405, "use GET or DELETE on a session");
        else if ((rc = allow_query(c, q, 1)) == 0 &&
                 (rc = query_whole(c, "from", 0, 1000000, 0, &from)) == 0)
            session_reply(c, s, 200, (int)from);
    } else if (strcmp(action, "export") == 0) {
        rc = strcmp(c->method, "GET") != 0 ? srv_fail(&c->e, 405, "use GET to export")
                                           : do_export(c, s);
    } else if (strcmp(c->method, "POST") != 0) {
        rc = srv_fail(&c->e, 405, "use POST for %s", action);
    } else if ((rc = allow_query(c, NULL, 0)) != 0) {
        /* rc set */
    } else if (strcmp(action, "step") == 0) {
        static const char *const keys[] = {"n"};
        const srv_json *nv = srv_json_get(c->body, "n");
        double dn = 1;
        int from;
        if ((rc = srv_only_keys(c->body, keys, 1, "step", &c->e)) == 0 &&
            (!nv || (rc = srv_whole_number(nv, 1, 100000, "n", &dn, &c->e)) == 0) &&
            (rc = srv_session_step(&sv->table, s, (int)dn, &from, &c->e)) == 0)
            session_reply(c, s, 200, from);
    } else if (strcmp(action, "set") == 0) {
        rc = do_set(c, s);
    } else { /* reset */
        const srv_json *seed = srv_json_get(c->body, "seed");
        const srv_json *nrep = srv_json_get(c->body, "replicates");
        double d = 0;
        if (c->body->count == 0) {
            rc = srv_session_reset(&sv->table, s, NULL, &c->e);
        } else if (c->body->count == (seed != NULL) + (nrep != NULL)) {
            /* the same set-up on another seed, or with other replicates */
            srv_session_setup(s, &su);
            if ((!seed ||
                 (rc = srv_whole_number(seed, 0, 9007199254740992.0, "seed", &d, &c->e)) == 0) &&
                (rc = replicates_from_json(nrep, &su.replicates, &c->e)) == 0 &&
                (rc = srv_setup_check(&sv->table.lim, &su, &c->e)) == 0) {
                if (seed)
                    su.seed = (uint64_t)d;
                rc = srv_session_reset(&sv->table, s, &su, &c->e);
            }
        } else if ((rc = setup_from_json(sv, c->body, &su, &c->e)) == 0) {
            rc = srv_session_reset(&sv->table, s, &su, &c->e);
        }
        if (rc == 0)
            session_reply(c, s, 200, 0);
    }
    if (rc == 0 && strcmp(c->method, "POST") == 0)
        srv_classes_notify(&sv->classes, id); /* step, set, reset: wake the followers */
    srv_session_release(&sv->table, s);
    return rc;
}

/* /api/classes: POST {"session": ID} opens a class on the teacher's session
 * (knowing its id is the teacher's proof) and answers its code; GET
 * classes/CODE says whether it is open; POST classes/CODE/end {"session":
 * ID} ends it. The events (GET classes/CODE/events) are served by serve.c. */
static int classes(ctx *c, const char *rest)
{
    srv_server *sv = c->sv;
    char code[SRV_CODE_LEN + 1], sid[SRV_ID_LEN + 1];
    const srv_json *v;
    srv_buf b;
    int rc;
    static const char *const keys[] = {"session"};
    if ((rc = allow_query(c, NULL, 0)) != 0)
        return rc;
    if (*rest == '\0') {
        srv_session *s;
        if (strcmp(c->method, "POST") != 0)
            return srv_fail(&c->e, 405, "use POST to open a class");
        if ((rc = srv_only_keys(c->body, keys, 1, "class", &c->e)) != 0)
            return rc;
        v = srv_json_get(c->body, "session");
        if (!v || v->type != SRV_JSTR || !(s = srv_session_find(&sv->table, v->str)))
            return srv_fail(&c->e, 404, "class: give the teacher's session (\"session\": ID)");
        srv_session_release(&sv->table, s);
        if ((rc = srv_class_open(&sv->classes, v->str, code, &c->e)) != 0)
            return rc;
        srv_buf_init(&b);
        srv_buf_puts(&b, "{\"code\":");
        srv_buf_str(&b, code);
        /* where students join: this server's addresses on the network (none
         * when it listens on loopback only) */
        srv_buf_puts(&b, ",\"urls\":[");
        for (int i = 0; i < sv->nurls; i++) {
            char url[sizeof sv->urls[0] + 32];
            snprintf(url, sizeof url, "%s/?class=%s", sv->urls[i], code);
            if (i)
                srv_buf_puts(&b, ",");
            srv_buf_str(&b, url);
        }
        srv_buf_puts(&b, "]}");
        srv_reply_json(c->r, 201, &b);
        return 0;
    }
    if (*rest != '/' || strlen(rest + 1) < SRV_CODE_LEN)
        return srv_fail(&c->e, 404, "no such API path");
    memcpy(code, rest + 1, SRV_CODE_LEN);
    code[SRV_CODE_LEN] = '\0';
    rest += 1 + SRV_CODE_LEN;
    if (*rest == '\0') {
        if (strcmp(c->method, "GET") != 0 && strcmp(c->method, "HEAD") != 0)
            return srv_fail(&c->e, 405, "use GET");
        if (srv_class_lookup(&sv->classes, code, sid, NULL) != 0)
            return srv_fail(&c->e, 404, "no class with this code (check it, or ask the teacher)");
        for (char *p = code; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        srv_buf_init(&b);
        srv_buf_puts(&b, "{\"code\":");
        srv_buf_str(&b, code);
        srv_buf_puts(&b, ",\"open\":true}");
        srv_reply_json(c->r, 200, &b);
        return 0;
    }
    if (strcmp(rest, "/qr.svg") == 0) {
        /* the QR code of the first address where students join */
        char url[sizeof sv->urls[0] + 32];
        if (strcmp(c->method, "GET") != 0 && strcmp(c->method, "HEAD") != 0)
            return srv_fail(&c->e, 405, "use GET");
        if (srv_class_lookup(&sv->classes, code, sid, NULL) != 0)
            return srv_fail(&c->e, 404, "no class with this code");
        if (sv->nurls == 0)
            return srv_fail(&c->e, 404, "the server listens on this computer only: no address "
                                        "for students (start it with --host 0.0.0.0)");
        for (char *p = code; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        snprintf(url, sizeof url, "%s/?class=%s", sv->urls[0], code);
        srv_buf_init(&b);
        if (srv_qr_svg(url, &b) != 0) {
            srv_buf_free(&b);
            return srv_fail(&c->e, 503, "cannot draw the QR code");
        }
        srv_reply_json(c->r, 200, &b);
        if (c->r->status == 200)
            c->r->type = "image/svg+xml";
        return 0;
    }
    if (strcmp(rest, "/teams") == 0 || strncmp(rest, "/teams/", 7) == 0) /* steer mode */
        return srv_api_steer(sv, code, c->method, rest[6] ? rest + 7 : "", c->body, c->r, &c->e);
    if (strcmp(rest, "/end") != 0 && rest[0] == '/') { /* predict mode, votes */
        int status = 200;
        int votes = strcmp(rest, "/votes") == 0 || strncmp(rest, "/votes/", 7) == 0;
        srv_buf_init(&b);
        if ((rc = votes ? srv_api_votes(sv, code, c->method, rest[6] ? rest + 7 : "", c->body, &b,
                                        &status, &c->e)
                        : srv_api_predict(sv, c->client, code, c->method, rest + 1, c->body, &b,
                                          &status, &c->e)) != 0) {
            srv_buf_free(&b);
            return rc;
        }
        srv_reply_json(c->r, status, &b);
        return 0;
    }
    if (strcmp(rest, "/end") == 0) {
        if (strcmp(c->method, "POST") != 0)
            return srv_fail(&c->e, 405, "use POST to end a class");
        if ((rc = srv_only_keys(c->body, keys, 1, "end", &c->e)) != 0)
            return rc;
        v = srv_json_get(c->body, "session");
        if ((rc = srv_steer_end_class(sv, code, v && v->type == SRV_JSTR ? v->str : NULL,
                                      &c->e)) != 0)
            return rc;
        reply_copy(c->r, "{\"ended\":true}");
        return 0;
    }
    return srv_fail(&c->e, 404, "no such API path");
}

void srv_api_handle(srv_server *sv, const char *client, const char *method, const char *path,
                    srv_query_fn query,
                    void *qctx, const char *const *qkeys, int nqkeys, const char *body, size_t len,
                    srv_reply *r)
{
    ctx c;
    srv_json *json = NULL;
    int rc = 0;
    memset(&c, 0, sizeof c);
    c.sv = sv;
    c.client = client;
    c.method = method;
    c.query = query;
    c.qctx = qctx;
    c.qkeys = qkeys;
    c.nqkeys = nqkeys;
    c.r = r;
    r->fd = -1;

    if (strcmp(method, "POST") == 0) {
        char msg[200];
        /* an empty body is an empty object */
        if (len == 0)
            json = srv_json_parse("{}", 2, msg, sizeof msg);
        else
            json = srv_json_parse(body, len, msg, sizeof msg);
        if (!json) {
            srv_reply_error(r, 400, msg);
            return;
        }
        if (json->type != SRV_JOBJ) {
            srv_json_free(json);
            srv_reply_error(r, 400, "the body must be a JSON object");
            return;
        }
        c.body = json;
    } else if (len > 0) {
        srv_reply_error(r, 400, "this request takes no body");
        return;
    }

    if (strncmp(path, "sessions", 8) == 0) {
        rc = sessions(&c, path + 8);
    } else if (strncmp(path, "classes", 7) == 0) {
        rc = classes(&c, path + 7);
    } else {
        const char *fixed = NULL;
        if (strcmp(path, "info") == 0)
            fixed = sv->info_json;
        else if (strcmp(path, "params") == 0)
            fixed = sv->params_json;
        else if (strcmp(path, "metrics") == 0)
            fixed = sv->metrics_json;
        else if (strcmp(path, "presets") == 0)
            fixed = sv->presets_json;
        else if (strcmp(path, "lessons") == 0)
            fixed = sv->lessons_json;
        if (!fixed)
            rc = srv_fail(&c.e, 404, "no such API path");
        else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            rc = srv_fail(&c.e, 405, "use GET");
        else if ((rc = allow_query(&c, NULL, 0)) == 0)
            reply_copy(r, fixed);
    }
    if (rc != 0)
        srv_reply_error(r, c.e.http ? c.e.http : rc, c.e.msg);
    srv_json_free(json);
}
