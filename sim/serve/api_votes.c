/* api_votes.c — lever votes' HTTP routes below /api/classes/CODE/votes: the teacher (who proves
 * it with the session's id) opens a vote on a lever of the followed run, sees the counts, closes
 * it and applies the winning value to the run; a student (their token) votes once; anyone with
 * the code reads the class's view (no counts while a vote is open). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* what a handler under the classes' lock needs and gives back */
typedef struct vt_arg {
    const srv_json *body;
    int num, choice, side, param, nvalues, week, no_side;
    double values[SRV_VOTE_CHOICES], current;
    char sid[SRV_ID_LEN + 1];
    srv_buf *out;
} vt_arg;

static const char *str_of(const srv_json *body, const char *key)
{
    const srv_json *v = srv_json_get(body, key);
    return v && v->type == SRV_JSTR ? v->str : NULL;
}

/* The teacher's proof: the class's session id, never sent to a student. */
static int is_teacher(const srv_class *c, const srv_json *body, srv_err *e)
{
    const char *s = str_of(body, "session");
    if (!s || strcmp(s, c->sid) != 0)
        return srv_fail(e, 403, "only the teacher who opened the class can do this");
    return 0;
}

static int on_teacher(srv_class *c, void *arg, srv_err *e)
{
    vt_arg *a = arg;
    int rc = is_teacher(c, a->body, e);
    if (rc == 0)
        memcpy(a->sid, c->sid, sizeof a->sid);
    return rc;
}

static int on_teacher_view(srv_class *c, void *arg, srv_err *e)
{
    vt_arg *a = arg;
    int rc = is_teacher(c, a->body, e);
    if (rc == 0)
        srv_votes_json(&c->votes, 1, a->out);
    return rc;
}

static int on_class_view(srv_class *c, void *arg, srv_err *e)
{
    (void)e;
    srv_votes_json(&c->votes, 0, ((vt_arg *)arg)->out);
    return 0;
}

static int on_open(srv_class *c, void *arg, srv_err *e)
{
    vt_arg *a = arg;
    int rc = is_teacher(c, a->body, e);
    if (rc == 0)
        rc = srv_votes_open(&c->votes, a->param, a->side, a->current, a->week, a->values,
                            a->nvalues, &a->num, e);
    if (rc == 0) {
        srv_buf_printf(a->out, "{\"vote\":%d,\"view\":", a->num);
        srv_votes_json(&c->votes, 1, a->out);
        srv_buf_puts(a->out, "}");
    }
    return rc;
}

static int on_ballot(srv_class *c, void *arg, srv_err *e)
{
    vt_arg *a = arg;
    int who = srv_rounds_student(&c->rounds, str_of(a->body, "token"));
    if (who < 0)
        return srv_fail(e, 403, "token: not a student of this class (join first)");
    return srv_votes_cast(&c->votes, a->num, who, a->choice, e);
}

static int on_close(srv_class *c, void *arg, srv_err *e)
{
    vt_arg *a = arg;
    int rc = is_teacher(c, a->body, e);
    if (rc == 0 && (rc = srv_votes_close(&c->votes, a->num, e)) == 0)
        srv_votes_json(&c->votes, 1, a->out);
    return rc;
}

/* the teacher's check and what to apply: the lever, its side and value */
static int on_pick(srv_class *c, void *arg, srv_err *e)
{
    vt_arg *a = arg;
    int rc = is_teacher(c, a->body, e);
    if (rc == 0 && (rc = srv_votes_pick(&c->votes, a->num, a->choice, &a->choice, e)) == 0) {
        const srv_vote *vt = &c->votes.vote[a->num - 1];
        memcpy(a->sid, c->sid, sizeof a->sid);
        a->param = vt->param;
        a->side = vt->side;
        a->current = vt->value[a->choice];
    }
    return rc;
}

static int on_applied(srv_class *c, void *arg, srv_err *e)
{
    vt_arg *a = arg;
    (void)e;
    srv_votes_mark_applied(&c->votes, a->num, a->choice, a->week);
    srv_votes_json(&c->votes, 1, a->out);
    return 0;
}

/* The lever's value in the teacher's run for the next week, and the week. */
static void read_lever(const srv_session *s, void *arg)
{
    vt_arg *a = arg;
    tl_params p;
    a->week = s->t;
    a->no_side = a->side >= s->setup.nsides;
    if (a->no_side)
        return;
    srv_session_params_at(s, a->side, s->t < s->horizon ? s->t + 1 : s->t, &p);
    a->current = tl_params_get(&p, a->param);
}

static void read_week(const srv_session *s, void *arg)
{
    ((vt_arg *)arg)->week = s->t;
}

/* "param", "side" and "values" of a body opening a vote. 0 or 400. */
static int parse_open(const srv_json *body, vt_arg *a, srv_err *e)
{
    const char *param = str_of(body, "param"), *side = str_of(body, "side");
    const srv_json *vals = srv_json_get(body, "values");
    if (!param || (a->param = tl_param_index(param)) < 0 ||
        !(tl_param_table()[a->param].flags & TL_PF_LEVER))
        return srv_fail(e, 400, "param: a lever's name (GET /api/params lists them)");
    if (srv_json_get(body, "side") &&
        (!side || strlen(side) != 1 || (side[0] | 32) < 'a' || (side[0] | 32) > 'b'))
        return srv_fail(e, 400, "side: expected A or B");
    a->side = side ? (side[0] | 32) - 'a' : 0;
    a->nvalues = 0;
    if (vals) {
        const srv_json *x;
        if (vals->type != SRV_JARR || vals->count < 2 || vals->count > SRV_VOTE_CHOICES)
            return srv_fail(e, 400, "values: a list of 2 to %d numbers", SRV_VOTE_CHOICES);
        for (x = vals->child; x; x = x->next) {
            if (x->type != SRV_JNUM)
                return srv_fail(e, 400, "values: a list of 2 to %d numbers", SRV_VOTE_CHOICES);
            a->values[a->nvalues++] = x->num;
        }
    }
    return 0;
}

static int route_open(srv_server *sv, const char *code, vt_arg *a, int *status, srv_err *e)
{
    static const char *const keys[] = {"session", "param", "side", "values"};
    int rc;
    srv_session *s;
    if ((rc = srv_only_keys(a->body, keys, 4, "vote", e)) != 0)
        return rc;
    /* the teacher first: a student learns nothing of the run from the errors */
    if ((rc = srv_class_do(&sv->classes, code, 0, on_teacher, a, e)) != 0 ||
        (rc = parse_open(a->body, a, e)) != 0)
        return rc;
    if (!(s = srv_session_find(&sv->table, a->sid)))
        return srv_fail(e, 404, "the class's run has ended");
    srv_session_read(s, read_lever, a);
    srv_session_release(&sv->table, s);
    if (a->no_side)
        return srv_fail(e, 400, "side: the class's run has no side %c", 'A' + a->side);
    /* the teacher's values (if any) become the vote's choices, checked and sorted */
    if ((rc = srv_vote_choices(a->param, a->current, a->values, a->nvalues, a->values,
                               &a->nvalues, e)) != 0 ||
        (rc = srv_class_do(&sv->classes, code, SRV_CHANGED_VOTES, on_open, a, e)) != 0)
        return rc;
    *status = 201;
    return 0;
}

static int route_apply(srv_server *sv, const char *code, vt_arg *a, srv_err *e)
{
    static const char *const keys[] = {"session", "choice"};
    const srv_json *ch = srv_json_get(a->body, "choice");
    const char *names[1];
    double values[1], d = -1;
    srv_session *s;
    int rc;
    if ((rc = srv_only_keys(a->body, keys, 2, "apply", e)) != 0 ||
        (rc = srv_class_do(&sv->classes, code, 0, on_teacher, a, e)) != 0 ||
        (ch && (rc = srv_whole_number(ch, 0, SRV_VOTE_CHOICES - 1, "choice", &d, e)) != 0))
        return rc;
    a->choice = (int)d;
    if ((rc = srv_class_do(&sv->classes, code, 0, on_pick, a, e)) != 0)
        return rc;
    if (!(s = srv_session_find(&sv->table, a->sid)))
        return srv_fail(e, 404, "the class's run has ended");
    names[0] = tl_param_table()[a->param].name;
    values[0] = a->current;
    rc = srv_session_set(&sv->table, s, 1u << a->side, names, values, 1, NULL, e);
    if (rc == 0)
        srv_session_read(s, read_week, a); /* the week it applies after */
    srv_session_release(&sv->table, s);
    if (rc != 0)
        return rc;
    srv_classes_notify(&sv->classes, a->sid); /* the followers see the change */
    return srv_class_do(&sv->classes, code, SRV_CHANGED_VOTES, on_applied, a, e);
}

static int vote_number(const char *s, int *n, const char **action)
{
    char *end;
    long v;
    if (s[0] < '1' || s[0] > '9')
        return -1;
    v = strtol(s, &end, 10);
    if (*end != '/' || v < 1 || v > SRV_MAX_VOTES)
        return -1;
    *n = (int)v;
    *action = end + 1;
    return 0;
}

int srv_api_votes(srv_server *sv, const char *code, const char *method, const char *route,
                  const srv_json *body, srv_buf *out, int *status, srv_err *e)
{
    static const char *const k_teacher[] = {"session"};
    static const char *const k_ballot[] = {"token", "choice"};
    srv_classes *cs = &sv->classes;
    vt_arg a;
    const char *action;
    int rc;
    double d;
    memset(&a, 0, sizeof a);
    a.body = body;
    a.out = out;
    *status = 200;
    if (route[0] == '\0' && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0))
        return srv_class_do(cs, code, 0, on_class_view, &a, e);
    if (strcmp(method, "POST") != 0)
        return srv_fail(e, 405, route[0] ? "use POST" : "use GET to read the votes, POST to open one");
    if (route[0] == '\0')
        return route_open(sv, code, &a, status, e);
    if (strcmp(route, "view") == 0)
        return (rc = srv_only_keys(body, k_teacher, 1, "view", e)) != 0
                   ? rc
                   : srv_class_do(cs, code, 0, on_teacher_view, &a, e);
    if (vote_number(route, &a.num, &action) != 0)
        return srv_fail(e, 404, "no such API path");
    if (strcmp(action, "ballot") == 0) {
        const srv_json *ch = srv_json_get(body, "choice");
        if ((rc = srv_only_keys(body, k_ballot, 2, "ballot", e)) != 0)
            return rc;
        if (!ch)
            return srv_fail(e, 400, "choice: the number of the choice (0 first)");
        if ((rc = srv_whole_number(ch, 0, SRV_VOTE_CHOICES - 1, "choice", &d, e)) != 0)
            return rc;
        a.choice = (int)d;
        if ((rc = srv_class_do(cs, code, SRV_CHANGED_VOTES, on_ballot, &a, e)) != 0)
            return rc;
        srv_buf_printf(out, "{\"vote\":%d,\"voted\":true}", a.num);
        return 0;
    }
    if (strcmp(action, "close") == 0)
        return (rc = srv_only_keys(body, k_teacher, 1, "close", e)) != 0
                   ? rc
                   : srv_class_do(cs, code, SRV_CHANGED_VOTES, on_close, &a, e);
    if (strcmp(action, "apply") == 0)
        return route_apply(sv, code, &a, e);
    return srv_fail(e, 404, "no such API path");
}
