/* api_predict.c — predict mode's HTTP routes below /api/classes/CODE/: students join (a token
 * each) and answer; the teacher (who proves it with the session's id, as for ending a class)
 * sets the pace, opens, reveals and ends rounds; anyone with the code reads the debrief. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "tillit/metrics.h"

/* what a handler under the classes' lock needs and gives back */
typedef struct pr_arg {
    const srv_json *body;
    const char *client;
    int n, dir, side, week, replaced, nrep;
    double amount, value;
    double reps[SRV_MAX_REPLICATES]; /* the metric on every replicate (reps[0] = value) */
    char token[SRV_TOKEN_LEN + 1];
    char metric[64];
    srv_buf *out;
} pr_arg;

static const char *str_of(const srv_json *body, const char *key)
{
    const srv_json *v = srv_json_get(body, key);
    return v && v->type == SRV_JSTR ? v->str : NULL;
}

/* The teacher's proof: the session id of the class, never sent to a student. */
static int teacher(const char *sid, const srv_json *body, srv_err *e)
{
    const char *s = str_of(body, "session");
    if (!s || strcmp(s, sid) != 0)
        return srv_fail(e, 403, "only the teacher who opened the class can do this");
    return 0;
}

static int view(srv_rounds *r, pr_arg *a)
{
    srv_rounds_json(r, a->out);
    return 0;
}

static int on_join(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    pr_arg *a = arg;
    (void)sid;
    return srv_rounds_join(r, a->client, a->token, e);
}

static int on_pace(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    pr_arg *a = arg;
    const char *st = str_of(a->body, "state");
    int rc = teacher(sid, a->body, e);
    if (rc)
        return rc;
    if (!st || (strcmp(st, "play") != 0 && strcmp(st, "pause") != 0))
        return srv_fail(e, 400, "state: expected play or pause");
    r->playing = strcmp(st, "play") == 0;
    return view(r, a);
}

/* the teacher's check, and round n's metric and side for reading the run */
static int on_peek(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    pr_arg *a = arg;
    int rc = teacher(sid, a->body, e);
    if (rc)
        return rc;
    if (a->n < 1 || a->n > r->nrounds)
        return srv_fail(e, 404, "no round %d", a->n);
    snprintf(a->metric, sizeof a->metric, "%s", r->round[a->n - 1].metric);
    a->side = r->round[a->n - 1].side;
    return 0;
}

static int on_teacher_only(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    (void)r;
    return teacher(sid, ((pr_arg *)arg)->body, e);
}

static int on_open(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    pr_arg *a = arg;
    int rc = teacher(sid, a->body, e);
    if (rc == 0 && (rc = srv_rounds_open(r, a->metric, str_of(a->body, "question"), a->side,
                                         a->week, a->value, &a->n, e)) == 0) {
        srv_rounds_replicates(r, a->n, 0, a->reps, a->nrep);
        srv_buf_printf(a->out, "{\"round\":%d}", a->n);
    }
    return rc;
}

static int on_reveal(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    pr_arg *a = arg;
    int rc = teacher(sid, a->body, e);
    if (rc == 0 && (rc = srv_rounds_reveal(r, a->n, a->week, a->value, e)) == 0) {
        srv_rounds_replicates(r, a->n, 1, a->reps, a->nrep);
        rc = view(r, a);
    }
    return rc;
}

static int on_end(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    pr_arg *a = arg;
    int rc = teacher(sid, a->body, e);
    if (rc == 0 && (rc = srv_rounds_end(r, a->n, e)) == 0)
        rc = view(r, a);
    return rc;
}

static int on_answer(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    pr_arg *a = arg;
    int who = srv_rounds_student(r, str_of(a->body, "token"));
    (void)sid;
    if (who < 0)
        return srv_fail(e, 403, "token: not a student of this class (join first)");
    a->replaced = a->n >= 1 && a->n <= r->nrounds && r->round[a->n - 1].dir[who] >= 0;
    return srv_rounds_answer(r, a->n, who, a->dir, a->amount, e);
}

static int on_debrief(srv_rounds *r, const char *sid, void *arg, srv_err *e)
{
    (void)sid;
    (void)e;
    return view(r, arg);
}

/* The teacher's run: the value of metric on side at its latest week (NaN
 * at week 0), on the seed's run (a->value) and on each of its replicates
 * (a->reps, a->nrep). 0, 400 (no such side) or 404. */
static int run_value(srv_server *sv, const char *code, pr_arg *a, srv_err *e)
{
    const char *metric = a->metric;
    int side = a->side, *week = &a->week;
    double *value = &a->value;
    char sid[SRV_ID_LEN + 1];
    srv_session *s;
    int m = tl_metric_index(metric), rc = 0;
    if (m < 0)
        return srv_fail(e, 400, "metric: no metric '%.64s' (GET /api/metrics lists them)", metric);
    if (srv_class_lookup(&sv->classes, code, sid, NULL) != 0 ||
        !(s = srv_session_find(&sv->table, sid)))
        return srv_fail(e, 404, "the class's run has ended");
    pthread_mutex_lock(&s->lock);
    if (side >= s->setup.nsides)
        rc = srv_fail(e, 400, "side: this run has %d side(s)", s->setup.nsides);
    else {
        *week = s->t;
        a->nrep = srv_replicates_of(s->setup.replicates);
        for (int r = 0; r < a->nrep; r++)
            a->reps[r] = s->t > 0 && s->side[side].hist
                             ? srv_side_row(&s->side[side], r, s->t - 1)[m]
                             : NAN;
        *value = a->reps[0];
    }
    pthread_mutex_unlock(&s->lock);
    srv_session_release(&sv->table, s);
    return rc;
}

static int round_number(const char *s, int *n, const char **action)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '/' || v < 1 || v > SRV_MAX_ROUNDS || s[0] == '0' || s[0] == '+' ||
        s[0] == '-' || s[0] == ' ')
        return -1;
    *n = (int)v;
    *action = end + 1;
    return 0;
}

int srv_api_predict(srv_server *sv, const char *client, const char *code, const char *method,
                    const char *route, const srv_json *body, srv_buf *out, int *status, srv_err *e)
{
    static const char *const k_join[] = {"name"};
    static const char *const k_pace[] = {"session", "state"};
    static const char *const k_open[] = {"session", "metric", "question", "side"};
    static const char *const k_teacher[] = {"session"};
    static const char *const k_answer[] = {"token", "direction", "amount"};
    srv_classes *cs = &sv->classes;
    pr_arg a;
    const char *action;
    int rc, post = strcmp(method, "POST") == 0;
    memset(&a, 0, sizeof a);
    a.body = body;
    a.client = client;
    a.out = out;
    *status = 200;

    if (strcmp(route, "debrief") == 0) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return srv_fail(e, 405, "use GET for the debrief");
        return srv_class_rounds(cs, code, 0, on_debrief, &a, e);
    }
    if (!post)
        return strcmp(route, "join") == 0 || strcmp(route, "pace") == 0 ||
                       strncmp(route, "rounds", 6) == 0
                   ? srv_fail(e, 405, "use POST")
                   : srv_fail(e, 404, "no such API path");
    if (strcmp(route, "join") == 0) {
        if ((rc = srv_only_keys(body, k_join, 0, "join", e)) != 0 ||
            (rc = srv_class_rounds(cs, code, 1, on_join, &a, e)) != 0)
            return rc;
        srv_buf_puts(out, "{\"token\":");
        srv_buf_str(out, a.token);
        srv_buf_puts(out, "}");
        *status = 201;
        return 0;
    }
    if (strcmp(route, "pace") == 0)
        return (rc = srv_only_keys(body, k_pace, 2, "pace", e)) != 0
                   ? rc
                   : srv_class_rounds(cs, code, 1, on_pace, &a, e);
    if (strcmp(route, "rounds") == 0) {
        const char *metric = str_of(body, "metric"), *side = str_of(body, "side");
        if ((rc = srv_only_keys(body, k_open, 4, "round", e)) != 0)
            return rc;
        /* the teacher first: a student learns nothing of the run from the errors */
        if ((rc = srv_class_rounds(cs, code, 0, on_teacher_only, &a, e)) != 0)
            return rc;
        if (!metric)
            return srv_fail(e, 400, "metric: expected a metric's name");
        if (srv_json_get(body, "side") && (!side || strlen(side) != 1 || (side[0] | 32) < 'a' ||
                                           (side[0] | 32) > 'b'))
            return srv_fail(e, 400, "side: expected A or B");
        if (srv_json_get(body, "question") && !str_of(body, "question"))
            return srv_fail(e, 400, "question: expected a text");
        a.side = side ? (side[0] | 32) - 'a' : 0;
        snprintf(a.metric, sizeof a.metric, "%s", metric);
        if (strlen(metric) >= sizeof a.metric)
            return srv_fail(e, 400, "metric: no metric of that name");
        if ((rc = run_value(sv, code, &a, e)) != 0 ||
            (rc = srv_class_rounds(cs, code, 1, on_open, &a, e)) != 0)
            return rc;
        *status = 201;
        return 0;
    }
    if (strncmp(route, "rounds/", 7) != 0 || round_number(route + 7, &a.n, &action) != 0)
        return srv_fail(e, 404, "no such API path");
    if (strcmp(action, "answer") == 0) {
        const srv_json *amount = srv_json_get(body, "amount");
        if ((rc = srv_only_keys(body, k_answer, 3, "answer", e)) != 0)
            return rc;
        if ((a.dir = srv_dir_parse(str_of(body, "direction"))) < 0)
            return srv_fail(e, 400, "direction: expected up, down or same");
        a.amount = -1;
        if (amount && amount->type != SRV_JNUM)
            return srv_fail(e, 400, "amount: a percentage in [0, %d]", SRV_AMOUNT_MAX);
        if (amount && !(amount->num >= 0 && amount->num <= SRV_AMOUNT_MAX))
            return srv_fail(e, 400, "amount: a percentage in [0, %d]", SRV_AMOUNT_MAX);
        if (amount)
            a.amount = amount->num;
        if ((rc = srv_class_rounds(cs, code, 1, on_answer, &a, e)) != 0)
            return rc;
        srv_buf_printf(out, "{\"round\":%d,\"answered\":true,\"replaced\":%s}", a.n,
                       a.replaced ? "true" : "false");
        return 0;
    }
    if (strcmp(action, "reveal") == 0) {
        if ((rc = srv_only_keys(body, k_teacher, 1, "reveal", e)) != 0 ||
            (rc = srv_class_rounds(cs, code, 0, on_peek, &a, e)) != 0 ||
            (rc = run_value(sv, code, &a, e)) != 0)
            return rc;
        return srv_class_rounds(cs, code, 1, on_reveal, &a, e);
    }
    if (strcmp(action, "end") == 0)
        return (rc = srv_only_keys(body, k_teacher, 1, "end", e)) != 0
                   ? rc
                   : srv_class_rounds(cs, code, 1, on_end, &a, e);
    return srv_fail(e, 404, "no such API path");
}
