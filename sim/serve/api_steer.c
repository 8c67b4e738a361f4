/* api_steer.c — steer mode's HTTP routes below /api/classes/CODE/teams: the teacher (who proves it
 * with the session's id) starts N teams on one seed, steps every team to the same week, reveals,
 * ends and exports; a student (who proves it with the token from joining the class) joins a team,
 * reads it and moves its levers, in that team only. Each team's organisation is an ordinary
 * session of the server (session.c), whose id nobody is ever sent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "tillit/metrics.h"

/* The dashboard shows the criteria (tl_criteria, metric_labels.h) side by side: no single
 * winner number. */

/* What a handler under the class's lock needs and gives back. */
typedef struct st_arg {
    const srv_json *body;
    int k;             /* the team (0-based) of the route, or the one joined */
    int want;          /* the team a student asks to join, -1 any */
    int teacher;       /* the body holds the teacher's session id */
    int student;       /* the body's token is this student's, else -1 */
    int playing;
    int week;          /* a new week for every team (step) */
    int flag;          /* on_flag: 1 reveal, 2 end */
    int from;          /* a team's view: its rows after this week */
    srv_teams teams;   /* a copy, taken under the lock */
    srv_teams fresh;   /* the teams a teacher's request has just created */
    char tsid[SRV_ID_LEN + 1]; /* the teacher's session */
} st_arg;

static const char *str_of(const srv_json *body, const char *key)
{
    const srv_json *v = srv_json_get(body, key);
    return v && v->type == SRV_JSTR ? v->str : NULL;
}

/* Who sent the body: the teacher (the session's id) or a student (a token). */
static int identify(srv_class *c, st_arg *a, srv_err *e)
{
    const char *sid = str_of(a->body, "session"), *tok = str_of(a->body, "token");
    a->teacher = 0;
    a->student = -1;
    if (sid) {
        if (strcmp(sid, c->sid) != 0)
            return srv_fail(e, 403, "only the teacher who opened the class can do this");
        a->teacher = 1;
    } else if (tok) {
        if ((a->student = srv_rounds_student(&c->rounds, tok)) < 0)
            return srv_fail(e, 403, "token: not a student of this class (join first)");
    } else {
        return srv_fail(e, 403, "give your token (a student) or the session (the teacher)");
    }
    return 0;
}

static void copy_state(srv_class *c, st_arg *a)
{
    a->teams = c->teams;
    a->playing = c->rounds.playing;
    memcpy(a->tsid, c->sid, sizeof a->tsid);
}

/* Anyone of the class (teacher or student), then a copy of the teams. */
static int on_anyone(srv_class *c, void *arg, srv_err *e)
{
    st_arg *a = arg;
    int rc = identify(c, a, e);
    if (rc == 0)
        copy_state(c, a);
    return rc;
}

/* The teacher only, then a copy of the teams. */
static int on_teacher(srv_class *c, void *arg, srv_err *e)
{
    st_arg *a = arg;
    int rc = on_anyone(c, a, e);
    if (rc == 0 && !a->teacher)
        rc = srv_fail(e, 403, "only the teacher who opened the class can do this");
    return rc;
}

/* A member of team a->k about to act on it (a->week < 0: only reading, also
 * after the end; the teacher may read every team). */
static int on_member(srv_class *c, void *arg, srv_err *e)
{
    st_arg *a = arg;
    int rc = identify(c, a, e);
    if (rc != 0)
        return rc;
    if (a->teacher && a->week >= 0)
        return srv_fail(e, 403, "the teams steer their own organisations: the teacher sets the "
                                "pace");
    if (!(a->teacher && a->k >= 0 && a->k < c->teams.n)) {
        rc = srv_teams_may_act(&c->teams, a->student, a->k, e);
        if (rc == 409 && a->week < 0 && c->teams.n > 0 && c->teams.ended)
            rc = 0; /* an ended run can still be read */
        if (rc)
            return rc;
    }
    copy_state(c, a);
    return 0;
}

static int on_join(srv_class *c, void *arg, srv_err *e)
{
    st_arg *a = arg;
    int rc = identify(c, a, e);
    if (rc == 0 && a->teacher)
        rc = srv_fail(e, 403, "the teacher does not join a team");
    if (rc == 0)
        rc = srv_teams_join(&c->teams, a->student, a->want, &a->k, e);
    if (rc == 0)
        copy_state(c, a);
    return rc;
}

/* The teacher's new teams (a->fresh); the class's teams before them are
 * given back in a->teams, for dropping. */
static int on_start(srv_class *c, void *arg, srv_err *e)
{
    st_arg *a = arg;
    srv_teams old = c->teams;
    int rc = on_teacher(c, a, e);
    if (rc == 0 && (rc = srv_teams_start(&c->teams, a->fresh.n,
                                         (const char(*)[SRV_ID_LEN + 1])a->fresh.sid,
                                         a->fresh.preset, &a->fresh.start, e)) == 0)
        a->teams = old;
    return rc;
}

/* Every team has reached a->week (the teams are those stepped). */
static int on_week(srv_class *c, void *arg, srv_err *e)
{
    st_arg *a = arg;
    (void)e;
    if (c->teams.n == a->teams.n && strcmp(c->teams.sid[0], a->teams.sid[0]) == 0)
        c->teams.week = a->week;
    copy_state(c, a);
    return 0;
}

static int on_flag(srv_class *c, void *arg, srv_err *e)
{
    st_arg *a = arg;
    int rc = on_teacher(c, a, e);
    if (rc == 0 && c->teams.n == 0)
        rc = srv_fail(e, 409, "the class is not in steer mode");
    if (rc == 0) {
        if (a->flag == 1)
            c->teams.revealed = 1;
        else
            c->teams.ended = 1;
        copy_state(c, a);
    }
    return rc;
}

/* ---- the teams' sessions ------------------------------------------------------------- */
static srv_session *team_session(srv_server *sv, const st_arg *a, int k, srv_err *e)
{
    srv_session *s = srv_session_find(&sv->table, a->teams.sid[k]);
    if (!s)
        srv_fail(e, 404, "team %d's organisation has expired (unused for %d minutes): the teacher "
                         "starts the teams again",
                 k + 1, sv->table.lim.idle_seconds / 60);
    return s;
}

static void drop_teams(srv_server *sv, const srv_teams *t)
{
    for (int k = 0; k < t->n; k++)
        srv_session_delete(&sv->table, t->sid[k], NULL);
}

/* The set-up every team starts from: the teacher's run (its sizes, levers
 * and replicates), one side, no lesson schedule, the preset's levers and the
 * seed when given. */
static int team_setup(srv_server *sv, const st_arg *a, const srv_json *preset,
                      const srv_json *seed, srv_setup *su, srv_err *e)
{
    const char *names[TL_NPARAMS];
    double values[TL_NPARAMS], d;
    int n = 0, rc;
    srv_session *s = srv_session_find(&sv->table, a->tsid);
    if (!s)
        return srv_fail(e, 404, "the class's run has ended");
    srv_session_setup(s, su);
    srv_session_release(&sv->table, s);
    su->nsides = 1; /* a team steers one organisation, run R times as the class's run is */
    su->lesson[0] = '\0';
    su->side[0].sched.n = 0;
    if (preset && (rc = srv_set_from_json(NULL, preset, names, values, &n, e)) != 0)
        return rc;
    for (int j = 0; j < n; j++)
        tl_params_set_raw(&su->side[0].params, tl_param_index(names[j]), values[j]);
    if (seed) {
        if ((rc = srv_whole_number(seed, 0, 9007199254740992.0, "seed", &d, e)) != 0)
            return rc;
        su->seed = (uint64_t)d;
    }
    return srv_setup_check(&sv->table.lim, su, e);
}

/* Create n sessions of su for class code (owner "@CODE") into t->sid. */
static int create_teams(srv_server *sv, const char *code, int n, srv_setup *su, srv_teams *t,
                        srv_err *e)
{
    char owner[SRV_OWNER_LEN];
    snprintf(owner, sizeof owner, "%c%s", SRV_CLASS_OWNER, code);
    for (char *p = owner; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    t->n = 0;
    for (int k = 0; k < n; k++) {
        srv_session *s;
        int rc;
        snprintf(su->side[0].label, sizeof su->side[0].label, "team-%d", k + 1);
        if ((rc = srv_session_create(&sv->table, su, owner, &s, e)) != 0) {
            drop_teams(sv, t);
            return rc;
        }
        memcpy(t->sid[k], s->id, SRV_ID_LEN + 1);
        t->n = k + 1;
        srv_session_release(&sv->table, s);
    }
    return 0;
}

/* ---- the dashboard ------------------------------------------------------------------- */
typedef struct team_read {
    srv_buf *b;
    int k;
    const srv_teams *t;
} team_read;

/* criterion m over weeks 1..t: its mean, or its total for counts */
static double over_run(const srv_session *s, int m)
{
    double sum = 0;
    int n = 0;
    for (int w = 0; w < s->t; w++) {
        double v = s->side[0].hist[(size_t)w * TL_NMETRICS + (size_t)m];
        if (isfinite(v)) {
            sum += v;
            n++;
        }
    }
    if (strcmp(tl_metric_table()[m].agg, "count") == 0)
        return sum;
    return n ? sum / n : NAN;
}

static void criteria_json(const srv_session *s, int whole_run, srv_buf *b)
{
    srv_buf_puts(b, "{");
    int nc;
    const int *crit = tl_criteria(&nc);
    for (int i = 0; i < nc; i++) {
        int m = crit[i];
        srv_buf_printf(b, "%s\"%s\":", i ? "," : "", tl_metric_table()[m].name);
        if (s->t < 1 || !s->side[0].hist)
            srv_buf_num(b, NAN);
        else
            srv_buf_num(b, whole_run ? over_run(s, m)
                                     : s->side[0].hist[(size_t)(s->t - 1) * TL_NMETRICS + (size_t)m]);
    }
    srv_buf_puts(b, "}");
}

/* The criteria at the latest week and over the run, under s's lock. */
static void criteria_both(const srv_session *s, void *arg)
{
    srv_buf *b = arg;
    srv_buf_puts(b, ",\"now\":");
    criteria_json(s, 0, b);
    srv_buf_puts(b, ",\"over_run\":");
    criteria_json(s, 1, b);
}

/* Does lever i of the team's set-up differ from the class's common start? */
static int chosen(const srv_session *s, const srv_teams *t, int i)
{
    return (tl_param_table()[i].flags & TL_PF_LEVER) &&
           tl_params_get(&s->setup.side[0].params, i) != tl_params_get(&t->start, i);
}

static int any_choice(const srv_session *s, const srv_teams *t)
{
    for (int i = 0; i < TL_NPARAMS; i++)
        if (chosen(s, t, i))
            return 1;
    return 0;
}

/* The levers a team set before the first week (week 0), as changes. */
static void lever_choices(const srv_session *s, const srv_teams *t, srv_buf *b)
{
    for (int i = 0, first = 1; i < TL_NPARAMS; i++)
        if (chosen(s, t, i)) {
            srv_buf_printf(b, "%s{\"week\":0,\"param\":\"%s\",\"value\":", first ? "" : ",",
                           tl_param_table()[i].name);
            srv_buf_num(b, tl_params_get(&s->setup.side[0].params, i));
            srv_buf_puts(b, "}");
            first = 0;
        }
}

/* One team on the dashboard: its levers now, its choices (levers set at
 * week 0 that differ from the common start, then the changes during the run) and
 * the criteria at the latest week and over the run. Under s's lock. */
static void team_json(const srv_session *s, void *arg)
{
    team_read *r = arg;
    const tl_param_info *tab = tl_param_table();
    tl_params now;
    srv_buf *b = r->b;
    srv_session_params_at(s, 0, s->t < s->horizon ? s->t + 1 : s->t, &now);
    srv_buf_printf(b, "{\"team\":%d,\"label\":", r->k + 1);
    srv_buf_str(b, r->t->label[r->k]);
    srv_buf_printf(b, ",\"members\":%d,\"week\":%d,\"horizon\":%d,\"levers\":{",
                   srv_teams_members(r->t, r->k), s->t, s->horizon);
    for (int i = 0, first = 1; i < TL_NPARAMS; i++)
        if (tab[i].flags & TL_PF_LEVER) {
            srv_buf_printf(b, "%s\"%s\":", first ? "" : ",", tab[i].name);
            srv_buf_num(b, tl_params_get(&now, i));
            first = 0;
        }
    srv_buf_puts(b, "},\"changes\":[");
    lever_choices(s, r->t, b);
    for (int c = 0; c < s->side[0].nchanges; c++) {
        if (c || any_choice(s, r->t))
            srv_buf_puts(b, ",");
        srv_buf_printf(b, "{\"week\":%d,\"param\":\"%s\",\"value\":", s->side[0].changes[c].t,
                       tab[s->side[0].changes[c].param].name);
        srv_buf_num(b, s->side[0].changes[c].value);
        srv_buf_puts(b, "}");
    }
    srv_buf_puts(b, "]");
    criteria_both(s, b);
    srv_buf_puts(b, "}");
}

/* {"state": the teams' public state, "criteria": [...], "runs": [a team each]} */
static int dashboard(srv_server *sv, const st_arg *a, srv_reply *r, int status, srv_err *e)
{
    srv_buf b;
    srv_buf_init(&b);
    srv_buf_puts(&b, "{\"state\":");
    srv_teams_json(&a->teams, a->playing, &b);
    srv_buf_puts(&b, ",\"criteria\":[");
    int nc;
    const int *crit = tl_criteria(&nc);
    for (int i = 0; i < nc; i++)
        srv_buf_printf(&b, "%s\"%s\"", i ? "," : "", tl_metric_table()[crit[i]].name);
    srv_buf_puts(&b, "],\"runs\":[");
    for (int k = 0; k < a->teams.n; k++) {
        team_read tr = {&b, k, &a->teams};
        srv_session *s = team_session(sv, a, k, e);
        if (!s) {
            srv_buf_free(&b);
            return e->http;
        }
        if (k)
            srv_buf_puts(&b, ",");
        srv_session_read(s, team_json, &tr);
        srv_session_release(&sv->table, s);
    }
    srv_buf_puts(&b, "]}");
    srv_reply_json(r, status, &b);
    return 0;
}

/* A team's own view: its public state, its criteria and its run (without
 * the id), with the rows after week a->from only (none unless asked: a page
 * refreshing at every step must not fetch the whole run each time). */
static int team_view(srv_server *sv, const st_arg *a, srv_reply *r, srv_err *e)
{
    srv_buf b;
    srv_session *s = team_session(sv, a, a->k, e);
    if (!s)
        return e->http;
    srv_buf_init(&b);
    srv_buf_printf(&b, "{\"team\":%d,\"label\":", a->k + 1);
    srv_buf_str(&b, a->teams.label[a->k]);
    srv_buf_puts(&b, ",\"state\":");
    srv_teams_json(&a->teams, a->playing, &b);
    srv_session_read(s, criteria_both, &b);
    srv_buf_puts(&b, ",\"run\":");
    srv_session_json_public(s, a->from, &b);
    srv_buf_puts(&b, "}");
    srv_session_release(&sv->table, s);
    srv_reply_json(r, 200, &b);
    return 0;
}

/* ---- the routes ---------------------------------------------------------------------- */
static int start_teams(srv_server *sv, const char *code, st_arg *a, srv_reply *r, srv_err *e)
{
    static const char *const keys[] = {"session", "teams", "preset", "seed"};
    const srv_json *preset = srv_json_get(a->body, "preset");
    srv_setup su;
    double d;
    int rc;
    if ((rc = srv_only_keys(a->body, keys, 4, "teams", e)) != 0 ||
        (rc = srv_class_do(&sv->classes, code, 0, on_teacher, a, e)) != 0 ||
        (rc = srv_whole_number(srv_json_get(a->body, "teams"), 2, SRV_MAX_TEAMS, "teams", &d,
                               e)) != 0 ||
        (rc = team_setup(sv, a, preset, srv_json_get(a->body, "seed"), &su, e)) != 0)
        return rc;
    if ((rc = create_teams(sv, code, (int)d, &su, &a->fresh, e)) != 0)
        return rc;
    a->fresh.start = su.side[0].params;
    snprintf(a->fresh.preset, sizeof a->fresh.preset, "%s", preset ? preset->str : "");
    if ((rc = srv_class_do(&sv->classes, code, SRV_CHANGED_STEER, on_start, a, e)) != 0) {
        drop_teams(sv, &a->fresh);
        return rc;
    }
    drop_teams(sv, &a->teams); /* the class's teams before these */
    if ((rc = srv_class_do(&sv->classes, code, 0, on_teacher, a, e)) != 0)
        return rc;
    return dashboard(sv, a, r, 201, e);
}

static int week_of_session(srv_session *s)
{
    int t;
    pthread_mutex_lock(&s->lock);
    t = s->t;
    pthread_mutex_unlock(&s->lock);
    return t;
}

/* Every team steps to the teacher's week + n; the teams' week is the least
 * they reached (a step request has a time limit). */
static int step_teams(srv_server *sv, const char *code, st_arg *a, srv_reply *r, srv_err *e)
{
    static const char *const keys[] = {"session", "n"};
    const srv_json *nv = srv_json_get(a->body, "n");
    double d = 1;
    int rc, target, least = -1;
    if ((rc = srv_only_keys(a->body, keys, 2, "step", e)) != 0 ||
        (rc = srv_class_do(&sv->classes, code, 0, on_teacher, a, e)) != 0 ||
        (nv && (rc = srv_whole_number(nv, 1, SRV_STEER_STEPS, "n", &d, e)) != 0))
        return rc;
    if (a->teams.n == 0)
        return srv_fail(e, 409, "the class is not in steer mode");
    if (a->teams.ended)
        return srv_fail(e, 409, "the teacher has ended the run");
    target = a->teams.week + (int)d;
    for (int k = 0; k < a->teams.n; k++) {
        int from, t;
        srv_session *s = team_session(sv, a, k, e);
        if (!s)
            return e->http;
        t = week_of_session(s);
        rc = t < target ? srv_session_step(&sv->table, s, target - t, &from, e) : 0;
        t = week_of_session(s);
        srv_session_release(&sv->table, s);
        if (rc)
            return rc;
        least = least < 0 || t < least ? t : least;
    }
    a->week = least;
    if ((rc = srv_class_do(&sv->classes, code, SRV_CHANGED_STEER, on_week, a, e)) != 0)
        return rc;
    return dashboard(sv, a, r, 200, e);
}

/* A student's levers (a regime preset and/or levers; nothing else) on their team. */
static int set_levers(srv_server *sv, const char *code, st_arg *a, srv_reply *r, srv_err *e)
{
    static const char *const keys[] = {"token", "set", "preset"};
    const char *names[TL_NPARAMS];
    double values[TL_NPARAMS];
    int n = 0, rc;
    srv_session *s;
    a->week = 0; /* acting */
    if ((rc = srv_only_keys(a->body, keys, 3, "set", e)) != 0 ||
        (rc = srv_class_do(&sv->classes, code, 0, on_member, a, e)) != 0 ||
        (rc = srv_set_from_json(srv_json_get(a->body, "set"), srv_json_get(a->body, "preset"),
                                names, values, &n, e)) != 0)
        return rc;
    for (int j = 0; j < n; j++) {
        const tl_param_info *pi = tl_param_info_at(tl_param_index(names[j]));
        if (pi && !(pi->flags & TL_PF_LEVER))
            return srv_fail(e, 403, "'%.64s' is the teacher's setting: a team moves levers only",
                            names[j]);
    }
    if (!(s = team_session(sv, a, a->k, e)))
        return e->http;
    rc = srv_session_set(&sv->table, s, 1u, names, values, n, NULL, e);
    srv_session_release(&sv->table, s);
    if (rc)
        return rc;
    srv_class_do(&sv->classes, code, SRV_CHANGED_STEER, on_anyone, a, e);
    a->week = -1;
    return team_view(sv, a, r, e);
}

/* CSV: one row per team and week (with R > 1 replicates: per team,
 * replicate and week, with a replicate column, 1..R), the levers in force
 * that week, then the criteria. With R = 1 the columns are those without
 * replicates. */
typedef struct csv_read {
    srv_buf *b;
    const char *label;
    int k, nrep; /* nrep: the class's replicates (the header's) */
    int mismatch; /* a team with other replicates than the header's */
} csv_read;

static void csv_number(srv_buf *b, double v)
{
    if (isfinite(v))
        srv_buf_printf(b, ",%.10g", v);
    else
        srv_buf_puts(b, ",");
}

static void csv_rows(const srv_session *s, void *arg)
{
    csv_read *cr = arg;
    const tl_param_info *tab = tl_param_table();
    if (srv_replicates_of(s->setup.replicates) != cr->nrep) {
        cr->mismatch = 1;
        return;
    }
    for (int r = 0; r < cr->nrep; r++)
        for (int w = 1; w <= s->t; w++) {
            tl_params p;
            const double *row = srv_side_row(&s->side[0], r, w - 1);
            srv_session_params_at(s, 0, w, &p);
            srv_buf_printf(cr->b, "%d,%s", cr->k + 1, cr->label);
            if (cr->nrep > 1)
                srv_buf_printf(cr->b, ",%d", r + 1);
            srv_buf_printf(cr->b, ",%d", w);
            for (int i = 0; i < TL_NPARAMS; i++)
                if (tab[i].flags & TL_PF_LEVER)
                    csv_number(cr->b, tl_params_get(&p, i));
            int nc;
            const int *crit = tl_criteria(&nc);
            for (int i = 0; i < nc; i++)
                csv_number(cr->b, row[crit[i]]);
            srv_buf_puts(cr->b, "\n");
        }
}

/* The replicates of the teams' runs (every team has the same: they start
 * from one set-up), read from team 1; 0 with e filled if it has expired. */
static int teams_replicates(srv_server *sv, const st_arg *a, srv_err *e)
{
    srv_setup su;
    srv_session *s = team_session(sv, a, 0, e);
    if (!s)
        return 0;
    srv_session_setup(s, &su);
    srv_session_release(&sv->table, s);
    return srv_replicates_of(su.replicates);
}

static int export_csv(srv_server *sv, const st_arg *a, srv_reply *r, srv_err *e)
{
    const tl_param_info *tab = tl_param_table();
    srv_buf b;
    int nrep = teams_replicates(sv, a, e);
    if (nrep < 1)
        return e->http;
    srv_buf_init(&b);
    srv_buf_puts(&b, nrep > 1 ? "team,label,replicate,week" : "team,label,week");
    for (int i = 0; i < TL_NPARAMS; i++)
        if (tab[i].flags & TL_PF_LEVER)
            srv_buf_printf(&b, ",%s", tab[i].name);
    int nc;
    const int *crit = tl_criteria(&nc);
    for (int i = 0; i < nc; i++)
        srv_buf_printf(&b, ",%s", tl_metric_table()[crit[i]].name);
    srv_buf_puts(&b, "\n");
    for (int k = 0; k < a->teams.n; k++) {
        csv_read cr = {&b, a->teams.label[k], k, nrep, 0};
        srv_session *s = team_session(sv, a, k, e);
        if (!s) {
            srv_buf_free(&b);
            return e->http;
        }
        srv_session_read(s, csv_rows, &cr);
        srv_session_release(&sv->table, s);
        if (cr.mismatch) {
            srv_buf_free(&b);
            return srv_fail(e, 409,
                            "team %d runs other replicates than team 1: start the teams again",
                            k + 1);
        }
    }
    srv_reply_json(r, 200, &b);
    if (r->status == 200)
        r->type = "text/csv; charset=utf-8";
    return 0;
}

static int export_h5(srv_server *sv, const st_arg *a, srv_reply *r, srv_err *e)
{
    srv_export_snap snap[SRV_MAX_TEAMS];
    int rc = 0, n = 0;
    memset(snap, 0, sizeof snap);
    for (; rc == 0 && n < a->teams.n; n++) {
        srv_session *s = team_session(sv, a, n, e);
        if (!s)
            rc = e->http;
        else {
            rc = srv_session_snapshot(s, 0, &snap[n], e);
            srv_session_release(&sv->table, s);
        }
    }
    if (rc == 0)
        rc = srv_export_reply(sv, snap, a->teams.n, r, e);
    for (int k = 0; k < n; k++)
        srv_export_snap_free(&snap[k]);
    return rc;
}

static int export_teams(srv_server *sv, const char *code, st_arg *a, srv_reply *r, srv_err *e)
{
    static const char *const keys[] = {"session", "format"};
    const char *fmt = str_of(a->body, "format");
    int rc, csv;
    if ((rc = srv_only_keys(a->body, keys, 2, "export", e)) != 0 ||
        (rc = srv_class_do(&sv->classes, code, 0, on_teacher, a, e)) != 0)
        return rc;
    if (srv_json_get(a->body, "format") && (!fmt || (strcmp(fmt, "hdf5") != 0 && strcmp(fmt, "csv") != 0)))
        return srv_fail(e, 400, "format: expected hdf5 or csv");
    if (a->teams.n == 0)
        return srv_fail(e, 409, "the class is not in steer mode");
    csv = fmt && strcmp(fmt, "csv") == 0;
    if ((rc = csv ? export_csv(sv, a, r, e) : export_h5(sv, a, r, e)) != 0)
        return rc;
    snprintf(r->disposition, sizeof r->disposition,
             "attachment; filename=\"tillit-teams-%d-w%d.%s\"", a->teams.n, a->teams.week,
             csv ? "csv" : "h5");
    return 0;
}

static int team_number(const char *s, int *k, const char **action)
{
    if (s[0] < '1' || s[0] > '9' || s[1] != '/')
        return -1;
    *k = s[0] - '1';
    *action = s + 2;
    return 0;
}

int srv_api_steer(srv_server *sv, const char *code, const char *method, const char *route,
                  const srv_json *body, srv_reply *r, srv_err *e)
{
    static const char *const k_join[] = {"token", "team"};
    static const char *const k_who[] = {"session", "token"};
    static const char *const k_teacher[] = {"session"};
    srv_classes *cs = &sv->classes;
    st_arg a;
    const char *action;
    int rc;
    memset(&a, 0, sizeof a);
    a.body = body;
    a.want = -1;
    a.week = -1;
    a.from = 1 << 30; /* a team's view: no rows unless asked */
    if (strcmp(method, "POST") != 0)
        return srv_fail(e, 405, "use POST (steer mode's requests carry a token or the session)");
    if (strcmp(route, "") == 0)
        return start_teams(sv, code, &a, r, e);
    if (strcmp(route, "step") == 0)
        return step_teams(sv, code, &a, r, e);
    if (strcmp(route, "export") == 0)
        return export_teams(sv, code, &a, r, e);
    if (strcmp(route, "join") == 0) {
        const srv_json *team = srv_json_get(body, "team");
        double d;
        if ((rc = srv_only_keys(body, k_join, 2, "join", e)) != 0 ||
            (team && (rc = srv_whole_number(team, 1, SRV_MAX_TEAMS, "team", &d, e)) != 0))
            return rc;
        a.want = team ? (int)d - 1 : -1;
        if ((rc = srv_class_do(cs, code, SRV_CHANGED_STEER, on_join, &a, e)) != 0)
            return rc;
        a.week = -1;
        return team_view(sv, &a, r, e);
    }
    if (strcmp(route, "dashboard") == 0) {
        if ((rc = srv_only_keys(body, k_who, 2, "dashboard", e)) != 0 ||
            (rc = srv_class_do(cs, code, 0, on_anyone, &a, e)) != 0)
            return rc;
        if (!a.teacher && !a.teams.revealed)
            return srv_fail(e, 403, "the teacher has not revealed the teams yet");
        return dashboard(sv, &a, r, 200, e);
    }
    if (strcmp(route, "reveal") == 0 || strcmp(route, "end") == 0) {
        a.flag = route[0] == 'r' ? 1 : 2;
        if ((rc = srv_only_keys(body, k_teacher, 1, route, e)) != 0 ||
            (rc = srv_class_do(cs, code, SRV_CHANGED_STEER, on_flag, &a, e)) != 0)
            return rc;
        return dashboard(sv, &a, r, 200, e);
    }
    if (team_number(route, &a.k, &action) != 0)
        return srv_fail(e, 404, "no such API path");
    if (strcmp(action, "set") == 0)
        return set_levers(sv, code, &a, r, e);
    if (strcmp(action, "view") == 0) {
        static const char *const k_view[] = {"session", "token", "from"};
        const srv_json *from = srv_json_get(body, "from");
        double d = 0;
        if ((rc = srv_only_keys(body, k_view, 3, "view", e)) != 0 ||
            (from && (rc = srv_whole_number(from, 0, 1000000, "from", &d, e)) != 0))
            return rc;
        a.from = from ? (int)d : 1 << 30;
        if ((rc = srv_class_do(cs, code, 0, on_member, &a, e)) != 0)
            return rc;
        return team_view(sv, &a, r, e);
    }
    return srv_fail(e, 404, "no such API path");
}

/* copy the teams, for dropping them after the class ends */
static int on_copy(srv_class *c, void *arg, srv_err *e)
{
    (void)e;
    copy_state(c, arg);
    return 0;
}

int srv_steer_end_class(srv_server *sv, const char *code, const char *sid, srv_err *e)
{
    st_arg a;
    int rc;
    memset(&a, 0, sizeof a);
    if ((rc = srv_class_do(&sv->classes, code, 0, on_copy, &a, e)) != 0)
        return rc;
    if ((rc = srv_class_end(&sv->classes, code, sid, e)) != 0)
        return rc;
    drop_teams(sv, &a.teams);
    return 0;
}
