/* session.c — classroom sessions: simulations stepped on request, mid-run changes recorded as a
 * schedule, export in the engine's layout. */
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "tillit/metrics.h"
#include "tillit/output.h"
#include "tillit/version.h"

void srv_limits_default(srv_limits *lim)
{
    lim->max_sessions = 80;
    lim->max_sessions_per_owner = 4;
    lim->idle_seconds = 30 * 60;
    lim->reclaim_seconds = 5 * 60;
    lim->max_steps = 2000;
    lim->max_employees = 5000;
    lim->max_citizens = 200000;
    lim->max_units = 500;
    lim->max_knowledge_dims = 100;
    lim->max_sim_bytes = (size_t)256 << 20;
    lim->max_total_bytes = (size_t)2048 << 20;
    lim->max_steps_per_request = 520;
    lim->max_request_seconds = 2.0;
}

int srv_fail(srv_err *e, int http, const char *fmt, ...)
{
    va_list ap;
    if (e) {
        e->http = http;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return http;
}

double srv_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int check_max(const tl_params *p, const char *what, int k, double v, double max, srv_err *e)
{
    (void)p;
    if (v > max)
        return srv_fail(e, 400, "%s: %s = %.0f is above the classroom limit of %.0f",
                        k ? "side B" : "side A", what, v, max);
    return 0;
}

/* One simulation of side k with its recorded metrics. */
static size_t side_bytes(const srv_setup *su, int k)
{
    const tl_params *p = &su->side[k].params;
    return tl_sim_memory_max(p, &su->side[k].sched) + (size_t)p->steps * TL_NMETRICS * sizeof(double);
}

/* Side k with all its replicates: R simulations and their rows, and the
 * band (three rows a week) when R > 1. */
static size_t side_bytes_all(const srv_setup *su, int k)
{
    const tl_params *p = &su->side[k].params;
    size_t r = (size_t)srv_replicates_of(su->replicates);
    size_t band = r > 1 ? 3 * (size_t)p->steps * TL_NMETRICS * sizeof(double) : 0;
    return r * tl_sim_memory(p, &su->side[k].sched) +
           r * (size_t)p->steps * TL_NMETRICS * sizeof(double) + band;
}

static size_t setup_bytes(const srv_setup *su)
{
    size_t b = 0;
    for (int k = 0; k < su->nsides; k++)
        b += side_bytes_all(su, k);
    return b;
}

/* The agents a week of su steps: R replicates of every side's citizens and
 * employees. Replicates may not make a week dearer than two sides of the
 * largest organisation the limits allow (what a run without them may cost). */
static double replicates_cost(const srv_setup *su)
{
    double agents = 0;
    for (int k = 0; k < su->nsides; k++)
        agents += su->side[k].params.citizens + su->side[k].params.employees;
    return srv_replicates_of(su->replicates) * agents;
}

int srv_setup_check(const srv_limits *lim, const srv_setup *su, srv_err *e)
{
    tl_error err = TL_ERROR_INIT;
    int rc;
    if (su->nsides < 1 || su->nsides > SRV_MAX_SIDES)
        return srv_fail(e, 400, "a run has 1 or 2 sides, not %d", su->nsides);
    if (su->replicates != 0) {
        char msg[128];
        if (srv_replicates_check(su->replicates, msg, sizeof msg) != 0)
            return srv_fail(e, 400, "%s", msg);
    }
    if (replicates_cost(su) > 2.0 * (lim->max_citizens + lim->max_employees))
        return srv_fail(e, 400,
                        "%d replicates of this organisation would make every week cost as much "
                        "as %.1f runs of the largest one the server allows; at most 2 (fewer "
                        "replicates, or fewer citizens and employees)",
                        srv_replicates_of(su->replicates),
                        replicates_cost(su) / (lim->max_citizens + lim->max_employees));
    if (setup_bytes(su) > lim->max_total_bytes)
        return srv_fail(e, 400,
                        "the run would take %zu MiB with %d replicates, above the server's "
                        "budget of %zu MiB (fewer replicates or a smaller organisation)",
                        setup_bytes(su) >> 20, srv_replicates_of(su->replicates),
                        lim->max_total_bytes >> 20);
    for (int k = 0; k < su->nsides; k++) {
        const tl_params *p = &su->side[k].params;
        const char *who = k ? "side B" : "side A";
        if (tl_params_validate(p, &err) != TL_OK)
            return srv_fail(e, 400, "%s: %s", who, err.msg);
        if (tl_schedule_validate(&su->side[k].sched, p, &err) != TL_OK)
            return srv_fail(e, 400, "%s: %s", who, err.msg);
        if ((rc = check_max(p, "steps", k, p->steps, lim->max_steps, e)) ||
            (rc = check_max(p, "employees", k, p->employees, lim->max_employees, e)) ||
            (rc = check_max(p, "citizens", k, p->citizens, lim->max_citizens, e)) ||
            (rc = check_max(p, "units", k, p->units, lim->max_units, e)) ||
            (rc = check_max(p, "knowledge_dims", k, p->knowledge_dims, lim->max_knowledge_dims, e)))
            return rc;
        if (side_bytes(su, k) > lim->max_sim_bytes)
            return srv_fail(e, 400,
                            "%s: the simulation would take %zu MiB, above the classroom limit of "
                            "%zu MiB (fewer citizens, a shorter queue or a lower need_rate)",
                            who, side_bytes(su, k) >> 20, lim->max_sim_bytes >> 20);
        if (k > 0 && p->steps != su->side[0].params.steps)
            return srv_fail(e, 400, "both sides must run the same number of steps (%.0f vs %.0f)",
                            su->side[0].params.steps, p->steps);
    }
    return 0;
}

/* ---- the table ------------------------------------------------------------- */
int srv_table_init(srv_table *tb, const srv_limits *lim)
{
    memset(tb, 0, sizeof *tb);
    tb->lim = *lim;
    tb->s = calloc((size_t)lim->max_sessions, sizeof *tb->s);
    if (!tb->s)
        return -1;
    if (pthread_mutex_init(&tb->lock, NULL) != 0) {
        free(tb->s);
        return -1;
    }
    return 0;
}

static void sides_free(srv_session *s)
{
    for (int k = 0; k < SRV_MAX_SIDES; k++) {
        tl_sim_free(s->side[k].sim);
        free(s->side[k].hist);
        for (int r = 0; r < SRV_MAX_REPLICATES; r++) {
            tl_sim_free(s->side[k].rep[r]);
            free(s->side[k].rhist[r]);
        }
        free(s->side[k].band);
        memset(&s->side[k], 0, sizeof s->side[k]);
    }
}

static void session_free(srv_session *s)
{
    if (!s)
        return;
    sides_free(s);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void srv_table_clear(srv_table *tb)
{
    for (int i = 0; i < tb->lim.max_sessions; i++)
        session_free(tb->s[i]);
    free(tb->s);
    pthread_mutex_destroy(&tb->lock);
    memset(tb, 0, sizeof *tb);
}

/* Fill n doubles at *out (malloc'd) with NaN; 0, or -1 out of memory. */
static int nan_array(double **out, size_t n)
{
    if (!(*out = malloc(n * sizeof(double))))
        return -1;
    for (size_t i = 0; i < n; i++)
        (*out)[i] = NAN;
    return 0;
}

/* Replicates 1..R-1 of side k and their band (R > 1); replicate r draws
 * the engine's replicate stream r of the seed, the same on both sides. */
static int replicates_build(srv_session *s, const srv_setup *su, int k, srv_err *e)
{
    tl_error err = TL_ERROR_INIT;
    int nrep = srv_replicates_of(su->replicates);
    if (nrep < 2)
        return 0;
    for (int r = 1; r < nrep; r++) {
        tl_run_key key = {su->seed, 0, (uint32_t)r};
        if (tl_sim_new(&s->side[k].rep[r], &su->side[k].params, &su->side[k].sched, key, &err) !=
            TL_OK)
            return srv_fail(e, err.code == TL_ERR_NOMEM ? 503 : 400, "%s, replicate %d: %s",
                            k ? "side B" : "side A", r + 1, err.msg);
        if (nan_array(&s->side[k].rhist[r], (size_t)s->horizon * TL_NMETRICS) != 0)
            return srv_fail(e, 503, "out of memory");
    }
    if (nan_array(&s->side[k].band, (size_t)s->horizon * 3 * TL_NMETRICS) != 0)
        return srv_fail(e, 503, "out of memory");
    return 0;
}

/* Build the simulations of su into s (sides empty before). */
static int sides_build(srv_session *s, const srv_setup *su, srv_err *e)
{
    tl_error err = TL_ERROR_INIT;
    tl_run_key key = {su->seed, 0, 0}; /* both sides: the same random streams */
    int rc;
    s->gen++;
    s->setup = *su;
    s->t = 0;
    s->horizon = (int)su->side[0].params.steps;
    for (int k = 0; k < su->nsides; k++) {
        size_t n = (size_t)s->horizon * TL_NMETRICS;
        if (tl_sim_new(&s->side[k].sim, &su->side[k].params, &su->side[k].sched, key, &err) !=
            TL_OK) {
            int http = err.code == TL_ERR_NOMEM ? 503 : 400;
            sides_free(s);
            return srv_fail(e, http, "%s: %s", k ? "side B" : "side A", err.msg);
        }
        if (nan_array(&s->side[k].hist, n) != 0) {
            sides_free(s);
            return srv_fail(e, 503, "out of memory");
        }
        if ((rc = replicates_build(s, su, k, e)) != 0) {
            sides_free(s);
            return rc;
        }
    }
    return 0;
}

static int new_id(char *id)
{
    unsigned char r[SRV_ID_LEN / 2];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(id + 2 * i, 3, "%02x", r[i]);
    return 0;
}

/* Under the table lock: the session unused longest, if no request holds it
 * and it has been unused at least `idle` seconds; NULL otherwise. */
static srv_session *least_recent_locked(srv_table *tb, double now, double idle)
{
    srv_session *best = NULL;
    for (int i = 0; i < tb->lim.max_sessions; i++) {
        srv_session *s = tb->s[i];
        if (s && s->refs == 0 && now - s->last_used >= idle &&
            (!best || s->last_used < best->last_used))
            best = s;
    }
    return best;
}

static void unlink_locked(srv_table *tb, srv_session *s);

int srv_session_create(srv_table *tb, const srv_setup *su, const char *owner, srv_session **out,
                       srv_err *e)
{
    srv_session *s, *reclaimed = NULL;
    size_t bytes = setup_bytes(su);
    int rc, mine = 0;
    *out = NULL;
    if (!owner)
        owner = "";
    s = calloc(1, sizeof *s);
    if (!s)
        return srv_fail(e, 503, "out of memory");
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        return srv_fail(e, 503, "cannot create a lock");
    }
    snprintf(s->owner, sizeof s->owner, "%s", owner);
    if (new_id(s->id) != 0) {
        session_free(s);
        return srv_fail(e, 503, "no random numbers for a session id");
    }
    /* Take a slot, the owner's share and the memory first (the session sits
     * in the table, not yet ready, while it is built), so that a crowd of
     * requests cannot build more simulations than the limits allow. */
    pthread_mutex_lock(&tb->lock);
    for (int i = 0; i < tb->lim.max_sessions; i++)
        if (tb->s[i] && strcmp(tb->s[i]->owner, owner) == 0)
            mine++;
    if (owner[0] != SRV_CLASS_OWNER && mine >= tb->lim.max_sessions_per_owner) {
        pthread_mutex_unlock(&tb->lock);
        session_free(s);
        return srv_fail(e, 429,
                        "too many sessions from your address (%d at once; close another tab, or "
                        "wait %d minutes for an unused one to expire)",
                        tb->lim.max_sessions_per_owner, tb->lim.idle_seconds / 60);
    }
    if (tb->n >= tb->lim.max_sessions &&
        (reclaimed = least_recent_locked(tb, srv_now(), tb->lim.reclaim_seconds)) != NULL)
        unlink_locked(tb, reclaimed); /* refs == 0: freed below, outside the lock */
    if (tb->n >= tb->lim.max_sessions) {
        pthread_mutex_unlock(&tb->lock);
        session_free(s);
        return srv_fail(e, 429,
                        "too many sessions (the server allows %d at once; one unused for %d "
                        "minutes makes room)",
                        tb->lim.max_sessions, (tb->lim.reclaim_seconds + 59) / 60);
    }
    if (tb->bytes + bytes > tb->lim.max_total_bytes) {
        pthread_mutex_unlock(&tb->lock);
        session_free(reclaimed);
        session_free(s);
        return srv_fail(e, 503, "the server's memory budget for simulations (%zu MiB) is in use",
                        tb->lim.max_total_bytes >> 20);
    }
    for (int i = 0; i < tb->lim.max_sessions; i++)
        if (!tb->s[i]) {
            tb->s[i] = s;
            break;
        }
    tb->n++;
    tb->bytes += bytes;
    s->bytes = bytes;
    s->refs = 1; /* the caller's; keeps it from expiring while it is built */
    pthread_mutex_unlock(&tb->lock);
    session_free(reclaimed);

    if ((rc = sides_build(s, su, e)) != 0) {
        pthread_mutex_lock(&tb->lock);
        unlink_locked(tb, s);
        pthread_mutex_unlock(&tb->lock);
        session_free(s);
        return rc;
    }
    pthread_mutex_lock(&tb->lock);
    s->last_used = srv_now();
    s->ready = 1;
    pthread_mutex_unlock(&tb->lock);
    *out = s;
    return 0;
}

srv_session *srv_session_find(srv_table *tb, const char *id)
{
    srv_session *found = NULL;
    pthread_mutex_lock(&tb->lock);
    for (int i = 0; i < tb->lim.max_sessions; i++) {
        srv_session *s = tb->s[i];
        if (s && s->ready && !s->gone && strcmp(s->id, id) == 0) {
            s->refs++;
            s->last_used = srv_now();
            found = s;
            break;
        }
    }
    pthread_mutex_unlock(&tb->lock);
    return found;
}

/* Under the table lock: take s out of the table. */
static void unlink_locked(srv_table *tb, srv_session *s)
{
    for (int i = 0; i < tb->lim.max_sessions; i++)
        if (tb->s[i] == s) {
            tb->s[i] = NULL;
            tb->n--;
            tb->bytes -= s->bytes;
            break;
        }
    s->gone = 1;
}

void srv_session_release(srv_table *tb, srv_session *s)
{
    int free_it;
    if (!s)
        return;
    pthread_mutex_lock(&tb->lock);
    s->refs--;
    s->last_used = srv_now();
    free_it = s->gone && s->refs == 0;
    pthread_mutex_unlock(&tb->lock);
    if (free_it)
        session_free(s);
}

int srv_session_delete(srv_table *tb, const char *id, srv_err *e)
{
    srv_session *victim = NULL;
    int free_it = 0;
    pthread_mutex_lock(&tb->lock);
    for (int i = 0; i < tb->lim.max_sessions; i++)
        if (tb->s[i] && tb->s[i]->ready && strcmp(tb->s[i]->id, id) == 0) {
            victim = tb->s[i];
            unlink_locked(tb, victim);
            free_it = victim->refs == 0;
            break;
        }
    pthread_mutex_unlock(&tb->lock);
    if (!victim)
        return srv_fail(e, 404, "no session '%s' (it may have expired)", id);
    if (free_it)
        session_free(victim);
    return 0;
}

int srv_table_expire(srv_table *tb, double now)
{
    srv_session *doomed[SRV_MAX_SESSIONS];
    int nd = 0;
    pthread_mutex_lock(&tb->lock);
    for (int i = 0; i < tb->lim.max_sessions; i++) {
        srv_session *s = tb->s[i];
        if (s && s->refs == 0 && now - s->last_used > tb->lim.idle_seconds) {
            unlink_locked(tb, s);
            doomed[nd++] = s;
        }
    }
    pthread_mutex_unlock(&tb->lock);
    for (int i = 0; i < nd; i++)
        session_free(doomed[i]);
    return nd;
}

/* ---- running ----------------------------------------------------------------- */
/* Under s->lock: rebuild the simulations for su (NULL: the set-up s has). */
static int reset_locked(srv_table *tb, srv_session *s, const srv_setup *su, srv_err *e)
{
    int rc;
    srv_setup keep = s->setup;
    size_t bytes;
    if (!su)
        su = &keep;
    bytes = setup_bytes(su);
    pthread_mutex_lock(&tb->lock);
    if (tb->bytes - s->bytes + bytes > tb->lim.max_total_bytes) {
        pthread_mutex_unlock(&tb->lock);
        return srv_fail(e, 503, "the server's memory budget for simulations (%zu MiB) is in use",
                        tb->lim.max_total_bytes >> 20);
    }
    tb->bytes = tb->bytes - s->bytes + bytes;
    s->bytes = bytes;
    pthread_mutex_unlock(&tb->lock);
    sides_free(s);
    if ((rc = sides_build(s, su, e)) != 0) {
        /* the old set-up was valid: fall back to it so the session stays usable */
        srv_err ignore;
        if (su != &keep && sides_build(s, &keep, &ignore) == 0) {
            pthread_mutex_lock(&tb->lock);
            tb->bytes = tb->bytes - s->bytes + setup_bytes(&keep);
            s->bytes = setup_bytes(&keep);
            pthread_mutex_unlock(&tb->lock);
        }
    }
    return rc;
}

int srv_session_reset(srv_table *tb, srv_session *s, const srv_setup *su, srv_err *e)
{
    int rc;
    pthread_mutex_lock(&s->lock);
    rc = reset_locked(tb, s, su, e);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Under s->lock: step replicates 1..R-1 of side k one week. */
static tl_status replicates_step(srv_session *s, int k, tl_error *err)
{
    for (int r = 1; r < srv_replicates_of(s->setup.replicates); r++) {
        tl_status st = tl_sim_step(s->side[k].rep[r], err);
        if (st != TL_OK)
            return st;
    }
    return TL_OK;
}

const double *srv_side_row(const srv_side *sd, int r, int t)
{
    return (r ? sd->rhist[r] : sd->hist) + (size_t)t * TL_NMETRICS;
}

/* Under s->lock, after week s->t of side k ran on every replicate: the
 * replicates' rows and their band. */
static void band_record(srv_session *s, int k)
{
    const double *vals[SRV_MAX_REPLICATES];
    int nrep = srv_replicates_of(s->setup.replicates);
    double *out;
    if (nrep < 2 || !s->side[k].band)
        return;
    vals[0] = s->side[k].hist + (size_t)s->t * TL_NMETRICS;
    for (int r = 1; r < nrep; r++) {
        double *row = s->side[k].rhist[r] + (size_t)s->t * TL_NMETRICS;
        tl_metrics_to_array(tl_sim_metrics(s->side[k].rep[r]), row);
        vals[r] = row;
    }
    out = s->side[k].band + (size_t)s->t * 3 * TL_NMETRICS;
    srv_band_row(vals, nrep, TL_NMETRICS, out, out + TL_NMETRICS, out + 2 * TL_NMETRICS);
}

int srv_session_step(srv_table *tb, srv_session *s, int n, int *from, srv_err *e)
{
    tl_error err = TL_ERROR_INIT;
    int rc = 0;
    double t0 = srv_now();
    pthread_mutex_lock(&s->lock);
    *from = s->t;
    if (!s->side[0].sim) {
        rc = srv_fail(e, 409, "the session has no simulation (a reset failed): reset it");
        goto out;
    }
    if (n > tb->lim.max_steps_per_request)
        n = tb->lim.max_steps_per_request;
    if (n > s->horizon - s->t)
        n = s->horizon - s->t;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < s->setup.nsides; k++) {
            if (tl_sim_step(s->side[k].sim, &err) != TL_OK ||
                replicates_step(s, k, &err) != TL_OK) {
                /* the sides must stay in step: drop the run */
                sides_free(s);
                rc = srv_fail(e, 500, "the simulation failed at week %d (%s): reset to start again",
                              s->t + 1, err.msg);
                s->t = 0;
                goto out;
            }
            tl_metrics_to_array(tl_sim_metrics(s->side[k].sim),
                                s->side[k].hist + (size_t)s->t * TL_NMETRICS);
            band_record(s, k);
        }
        s->t++;
        if (srv_now() - t0 > tb->lim.max_request_seconds)
            break; /* the client asks again for the rest */
    }
out:
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* The value parameter i has in side k's base at the moment (start value
 * with the mid-run changes so far). */
static double base_value(const srv_session *s, int k, int i)
{
    double v = tl_params_get(&s->setup.side[k].params, i);
    for (int c = 0; c < s->side[k].nchanges; c++)
        if (s->side[k].changes[c].param == i)
            v = s->side[k].changes[c].value;
    return v;
}

static int scheduled(const tl_schedule *sc, int i)
{
    for (int c = 0; c < sc->n; c++)
        if (sc->c[c].param == i)
            return 1;
    return 0;
}

void srv_session_setup(srv_session *s, srv_setup *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->setup;
    pthread_mutex_unlock(&s->lock);
}

int srv_session_set(srv_table *tb, srv_session *s, unsigned mask, const char *const *names,
                    const double *values, int n, const char *label, srv_err *e)
{
    tl_error err = TL_ERROR_INIT;
    int idx[TL_NPARAMS], rc = 0;
    if (n > TL_NPARAMS)
        return srv_fail(e, 400, "at most %d parameters at once", TL_NPARAMS);
    for (int j = 0; j < n; j++) {
        int i = tl_param_index(names[j]);
        if (i < 0) {
            const char *sug = tl_param_suggest(names[j]);
            return sug ? srv_fail(e, 400, "unknown parameter '%s' (did you mean '%s'?)", names[j],
                                  sug)
                       : srv_fail(e, 400, "unknown parameter '%s'", names[j]);
        }
        if (!tl_param_schedulable(i))
            return srv_fail(e, 400,
                            "'%s' cannot change during a run (only levers and schedulable "
                            "parameters can; set it when the run starts)",
                            names[j]);
        if (tl_param_check(i, values[j], &err) != TL_OK)
            return srv_fail(e, 400, "%s", err.msg);
        idx[j] = i;
    }
    pthread_mutex_lock(&s->lock);
    if (!s->side[0].sim) {
        rc = srv_fail(e, 409, "the session has no simulation (a reset failed): reset it");
        goto out;
    }
    if (s->t >= s->horizon) {
        rc = srv_fail(e, 409, "the run has ended at week %d: reset to run again", s->t);
        goto out;
    }
    if (s->t == 0) {
        /* Before the first step a change is part of the set-up: the
         * simulations start again from it, so that their initial state
         * (beliefs, motivation, ...) follows the new values too. */
        srv_setup su = s->setup;
        for (int k = 0; k < su.nsides; k++) {
            if (!(mask & (1u << k)))
                continue;
            for (int j = 0; j < n; j++)
                tl_params_set_raw(&su.side[k].params, idx[j], values[j]);
            if (label)
                snprintf(su.side[k].label, sizeof su.side[k].label, "%s", label);
        }
        if ((rc = srv_setup_check(&tb->lim, &su, e)) == 0)
            rc = reset_locked(tb, s, &su, e);
        goto out;
    }
    for (int k = 0; k < s->setup.nsides; k++) {
        const srv_side *sd = &s->side[k];
        int extra = 0;
        if (!(mask & (1u << k)))
            continue;
        for (int j = 0; j < n; j++) {
            int merged = 0;
            for (int c = 0; c < sd->nchanges; c++)
                if (sd->changes[c].t == s->t && sd->changes[c].param == idx[j])
                    merged = 1;
            if (!merged && !(values[j] == base_value(s, k, idx[j]) &&
                             !scheduled(&s->setup.side[k].sched, idx[j])))
                extra++;
        }
        /* the export writes the changes as the point's schedule, which holds
         * TL_SCHEDULE_MAX changes together with the set-up's own */
        if (sd->nchanges + s->setup.side[k].sched.n + extra > TL_SCHEDULE_MAX) {
            rc = srv_fail(e, 409,
                          "%s: at most %d changes per run (this run has %d, its lesson %d): reset "
                          "to start a new run",
                          k ? "side B" : "side A", TL_SCHEDULE_MAX, sd->nchanges,
                          s->setup.side[k].sched.n);
            goto out;
        }
    }
    for (int k = 0; k < s->setup.nsides; k++) {
        srv_side *sd = &s->side[k];
        if (!(mask & (1u << k)))
            continue;
        for (int j = 0; j < n; j++) {
            int c, i = idx[j];
            if (values[j] == base_value(s, k, i) && !scheduled(&s->setup.side[k].sched, i))
                continue; /* no change */
            if (tl_sim_set(sd->sim, names[j], values[j], &err) != TL_OK) {
                rc = srv_fail(e, 400, "%s", err.msg);
                goto out;
            }
            for (int r = 1; r < srv_replicates_of(s->setup.replicates); r++)
                if (tl_sim_set(sd->rep[r], names[j], values[j], &err) != TL_OK) {
                    rc = srv_fail(e, 400, "%s", err.msg);
                    goto out;
                }
            for (c = 0; c < sd->nchanges; c++)
                if (sd->changes[c].t == s->t && sd->changes[c].param == i)
                    break;
            if (c == sd->nchanges)
                sd->nchanges++;
            sd->changes[c].t = s->t;
            sd->changes[c].param = i;
            sd->changes[c].value = values[j];
        }
    }
out:
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ---- export -------------------------------------------------------------------- */
/* Side k's whole schedule: the mid-run changes first, then the set-up's
 * own. The engine applies changes in order of `at`, then in the order
 * given, and the simulation let a scheduled change at the same step win
 * over a lever moved just before it. A change made after step t applies
 * from t+1. */
static void merged_schedule(const srv_session *s, int k, tl_schedule *out)
{
    out->n = 0;
    for (int c = 0; c < s->side[k].nchanges; c++) {
        tl_change *ch = &out->c[out->n++];
        ch->param = s->side[k].changes[c].param;
        ch->at = s->side[k].changes[c].t + 1;
        ch->ramp = 0;
        ch->value = s->side[k].changes[c].value;
    }
    for (int c = 0; c < s->setup.side[k].sched.n; c++)
        out->c[out->n++] = s->setup.side[k].sched.c[c];
}

void srv_session_params_at(const srv_session *s, int k, int week, tl_params *out)
{
    tl_schedule sc;
    merged_schedule(s, k, &sc);
    tl_schedule_apply(&sc, &s->setup.side[k].params, week, out);
}

void srv_session_read(srv_session *s, void (*fn)(const srv_session *s, void *arg), void *arg)
{
    pthread_mutex_lock(&s->lock);
    fn(s, arg);
    pthread_mutex_unlock(&s->lock);
}

int srv_session_snapshot(srv_session *s, int k, srv_export_snap *out, srv_err *e)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    if (k < 0 || k >= s->setup.nsides) {
        rc = srv_fail(e, 400, "no side %d in this session (it has %d)", k, s->setup.nsides);
        goto out;
    }
    if (!s->side[k].sim || s->t < 1) {
        rc = srv_fail(e, 409, "nothing to export yet: run at least one step");
        goto out;
    }
    out->nrep = srv_replicates_of(s->setup.replicates);
    if (!(out->hist = malloc((size_t)out->nrep * s->horizon * TL_NMETRICS * sizeof(double)))) {
        rc = srv_fail(e, 503, "out of memory");
        goto out;
    }
    for (int r = 0; r < out->nrep; r++)
        memcpy(out->hist + (size_t)r * s->horizon * TL_NMETRICS, srv_side_row(&s->side[k], r, 0),
               (size_t)s->horizon * TL_NMETRICS * sizeof(double));
    out->k = k;
    out->nsides = s->setup.nsides;
    out->t = s->t;
    out->horizon = s->horizon;
    out->nchanges = s->side[k].nchanges;
    out->seed = s->setup.seed;
    out->params = s->setup.side[k].params;
    merged_schedule(s, k, &out->sched);
    snprintf(out->label, sizeof out->label, "%s", s->setup.side[k].label);
    snprintf(out->other_label, sizeof out->other_label, "%s",
             s->setup.nsides > 1 ? s->setup.side[1 - k].label : "");
    snprintf(out->lesson, sizeof out->lesson, "%s", s->setup.lesson);
out:
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void srv_export_snap_free(srv_export_snap *snap)
{
    free(snap->hist);
    snap->hist = NULL;
}

/* The file's description: what was exported, from which run(s). */
static char *export_description(const srv_export_snap *x, int n)
{
    srv_buf d;
    srv_buf_init(&d);
    if (n > 1)
        srv_buf_printf(&d,
                       "Exported from the classroom's steer mode (tillit serve): %d teams' "
                       "organisations, one point each, on seed %llu (common random numbers), "
                       "weeks 1-%d of %d run",
                       n, (unsigned long long)x->seed, x->t, x->horizon);
    else
        srv_buf_printf(&d,
                       "Exported from the classroom (tillit serve): side %c, '%s', seed %llu, "
                       "weeks 1-%d of %d run",
                       'A' + x->k, x->label, (unsigned long long)x->seed, x->t, x->horizon);
    if (x->t < x->horizon)
        srv_buf_printf(&d, " (later weeks are NaN)");
    if (x->nrep > 1)
        srv_buf_printf(&d, ", %d replicates each (replicate 0 is the seed's run)", x->nrep);
    for (int p = 0; p < n; p++)
        srv_buf_printf(&d, "%s'%s': %d lever change%s made during the run", p ? "; " : ". ",
                       x[p].label, x[p].nchanges, x[p].nchanges == 1 ? "" : "s");
    srv_buf_printf(&d, ", recorded in the schedule.");
    if (n == 1 && x->nsides > 1)
        srv_buf_printf(&d, " Compared side by side with '%s' on the same seed.", x->other_label);
    return srv_buf_take(&d, NULL);
}

/* The scenario of snapshots x[0..n-1]: one point each, R replicates. */
static int export_scenario(const srv_export_snap *x, int n, tl_scenario *sc, srv_err *e)
{
    tl_error err = TL_ERROR_INIT;
    snprintf(sc->name, sizeof sc->name, "%s", x->lesson[0] ? x->lesson : "classroom");
    if (!(sc->description = export_description(x, n)))
        return srv_fail(e, 503, "out of memory");
    sc->seed = x->seed;
    sc->replicates = x->nrep;
    sc->crn = n > 1; /* every team drew the random numbers of point 0 */
    for (int p = 0; p < n; p++) {
        tl_point *pt = calloc(1, sizeof *pt);
        if (!pt)
            return srv_fail(e, 503, "out of memory");
        snprintf(pt->label, sizeof pt->label, "%s", x[p].label);
        pt->params = x[p].params;
        pt->sched = x[p].sched;
        if (tl_scenario_add_point(sc, pt, &err) != TL_OK) {
            free(pt);
            return srv_fail(e, 500, "cannot describe the run for export: %s", err.msg);
        }
        free(pt);
    }
    if (tl_scenario_finalise(sc, &err) != TL_OK)
        return srv_fail(e, 500, "cannot describe the run for export: %s", err.msg);
    return 0;
}

int srv_export_write(const srv_export_snap *x, int n, const char *path, srv_err *e)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    char cmd[256];
    uint8_t state[SRV_MAX_REPLICATES];
    const char *errors[SRV_MAX_REPLICATES];
    tl_provenance prov = {cmd, x->t < x->horizon, 0, 0, NULL, NULL, NULL};
    int rc;

    if (n < 1)
        return srv_fail(e, 400, "nothing to export");
    if (x->nrep < 1 || x->nrep > SRV_MAX_REPLICATES)
        return srv_fail(e, 500, "export: %d replicates", x->nrep);
    for (int p = 1; p < n; p++)
        if (x[p].horizon != x->horizon || x[p].t != x->t)
            return srv_fail(e, 409, "the runs to export are not at the same week");
    for (int p = 1; p < n; p++)
        if (x[p].nrep != x->nrep)
            return srv_fail(e, 409,
                            "the runs to export have different replicates (%d and %d): start "
                            "the teams again",
                            x->nrep, x[p].nrep);
    for (int r = 0; r < x->nrep; r++) {
        state[r] = TL_RUN_OK;
        errors[r] = "";
    }
    tl_scenario_init(&sc);
    if ((rc = export_scenario(x, n, &sc, e)) != 0)
        goto out;
    if (n > 1)
        snprintf(cmd, sizeof cmd, "tillit serve (classroom steer mode, %d teams, exported at week %d)",
                 n, x->t);
    else
        snprintf(cmd, sizeof cmd, "tillit serve (classroom session, side %c, exported at week %d)",
                 'A' + x->k, x->t);
    if (tl_writer_open(&w, path, &sc, &prov, 0, &err) != TL_OK) {
        rc = srv_fail(e, 500, "export failed: %s", err.msg);
        goto out;
    }
    for (int p = 0; p < n; p++) {
        tl_block blk = {p, 0, x->nrep, x->horizon, x[p].hist, state, errors, NULL, NULL};
        if (tl_writer_put_block(w, &blk, &err) != TL_OK) {
            tl_writer_abort(w);
            rc = srv_fail(e, 500, "export failed: %s", err.msg);
            goto out;
        }
    }
    if (tl_writer_commit(w, &err) != TL_OK)
        rc = srv_fail(e, 500, "export failed: %s", err.msg);
out:
    tl_scenario_clear(&sc);
    return rc;
}

int srv_session_export(srv_session *s, int k, const char *path, srv_err *e)
{
    srv_export_snap snap;
    int rc = srv_session_snapshot(s, k, &snap, e);
    if (rc == 0)
        rc = srv_export_write(&snap, 1, path, e);
    srv_export_snap_free(&snap);
    return rc;
}

/* ---- JSON ---------------------------------------------------------------------- */
static void side_json(const srv_session *s, int k, srv_buf *b)
{
    const tl_param_info *tab = tl_param_table();
    const srv_side *sd = &s->side[k];
    srv_buf_printf(b, "{\"name\":\"%c\",", 'A' + k);
    srv_buf_key(b, "label");
    srv_buf_str(b, s->setup.side[k].label);
    /* the parameters of the next step (of the last one at the horizon) */
    {
        tl_params next;
        srv_session_params_at(s, k, s->t < s->horizon ? s->t + 1 : s->t, &next);
        srv_buf_puts(b, ",\"params\":{");
        for (int i = 0; i < TL_NPARAMS; i++) {
            if (i)
                srv_buf_puts(b, ",");
            srv_buf_key(b, tab[i].name);
            srv_buf_num(b, tl_params_get(&next, i));
        }
    }
    srv_buf_puts(b, "},\"start\":{");
    for (int i = 0, first = 1; i < TL_NPARAMS; i++)
        if (tab[i].flags & TL_PF_LEVER) {
            if (!first)
                srv_buf_puts(b, ",");
            first = 0;
            srv_buf_key(b, tab[i].name);
            srv_buf_num(b, tl_params_get(&s->setup.side[k].params, i));
        }
    srv_buf_puts(b, "},\"changes\":[");
    for (int c = 0; c < sd->nchanges; c++) {
        srv_buf_printf(b, "%s{\"week\":%d,\"param\":", c ? "," : "", sd->changes[c].t);
        srv_buf_str(b, tab[sd->changes[c].param].name);
        srv_buf_puts(b, ",\"value\":");
        srv_buf_num(b, sd->changes[c].value);
        srv_buf_puts(b, "}");
    }
    srv_buf_puts(b, "],\"schedule\":[");
    for (int c = 0; c < s->setup.side[k].sched.n; c++) {
        const tl_change *ch = &s->setup.side[k].sched.c[c];
        srv_buf_printf(b, "%s{\"param\":", c ? "," : "");
        srv_buf_str(b, tab[ch->param].name);
        srv_buf_printf(b, ",\"at\":%.0f,\"ramp\":%.0f,\"value\":", ch->at, ch->ramp);
        srv_buf_num(b, ch->value);
        srv_buf_puts(b, "}");
    }
    srv_buf_puts(b, "]}");
}

/* One metric row of n values. */
static void row_json(const double *row, int n, srv_buf *b)
{
    srv_buf_puts(b, "[");
    for (int m = 0; m < n; m++) {
        if (m)
            srv_buf_raw(b, ",", 1);
        srv_buf_num(b, row[m]);
    }
    srv_buf_puts(b, "]");
}

/* The bands of weeks from+1 .. t: null with one replicate, else a list of
 * the sides' {"lo": rows, "med": rows, "hi": rows}, rows as in "rows". */
static void bands_json(const srv_session *s, int from, srv_buf *b)
{
    static const char *const part[3] = {"lo", "med", "hi"};
    if (srv_replicates_of(s->setup.replicates) < 2) {
        srv_buf_puts(b, "null");
        return;
    }
    srv_buf_puts(b, "[");
    for (int k = 0; k < s->setup.nsides; k++) {
        srv_buf_puts(b, k ? ",{" : "{");
        for (int p = 0; p < 3; p++) {
            srv_buf_printf(b, "%s\"%s\":[", p ? "," : "", part[p]);
            for (int t = from; s->side[k].band && t < s->t; t++) {
                if (t > from)
                    srv_buf_raw(b, ",", 1);
                row_json(s->side[k].band + ((size_t)t * 3 + (size_t)p) * TL_NMETRICS, TL_NMETRICS,
                         b);
            }
            srv_buf_puts(b, "]");
        }
        srv_buf_puts(b, "}");
    }
    srv_buf_puts(b, "]");
}

static void json_locked(srv_session *s, int from, int with_id, srv_buf *b)
{
    if (from < 0)
        from = 0;
    if (from > s->t)
        from = s->t;
    srv_buf_puts(b, "{");
    if (with_id) {
        srv_buf_key(b, "id");
        srv_buf_str(b, s->id);
        srv_buf_puts(b, ",");
    }
    srv_buf_printf(b, "\"t\":%d,\"horizon\":%d,\"seed\":%llu,\"replicates\":%d,\"running\":%s,",
                   s->t, s->horizon, (unsigned long long)s->setup.seed,
                   srv_replicates_of(s->setup.replicates), s->side[0].sim ? "true" : "false");
    srv_buf_key(b, "lesson");
    if (s->setup.lesson[0])
        srv_buf_str(b, s->setup.lesson);
    else
        srv_buf_puts(b, "null");
    srv_buf_puts(b, ",\"sides\":[");
    for (int k = 0; k < s->setup.nsides; k++) {
        if (k)
            srv_buf_puts(b, ",");
        side_json(s, k, b);
    }
    srv_buf_printf(b, "],\"from\":%d,\"rows\":[", from);
    for (int k = 0; k < s->setup.nsides; k++) {
        srv_buf_puts(b, k ? ",[" : "[");
        for (int t = from; s->side[k].hist && t < s->t; t++) {
            const double *row = s->side[k].hist + (size_t)t * TL_NMETRICS;
            srv_buf_puts(b, t > from ? ",[" : "[");
            for (int m = 0; m < TL_NMETRICS; m++) {
                if (m)
                    srv_buf_raw(b, ",", 1);
                srv_buf_num(b, row[m]);
            }
            srv_buf_puts(b, "]");
        }
        srv_buf_puts(b, "]");
    }
    srv_buf_puts(b, "],\"bands\":");
    bands_json(s, from, b);
    srv_buf_puts(b, "}");
}

void srv_session_json(srv_session *s, int from, srv_buf *b)
{
    pthread_mutex_lock(&s->lock);
    json_locked(s, from, 1, b);
    pthread_mutex_unlock(&s->lock);
}

void srv_session_json_public(srv_session *s, int from, srv_buf *b)
{
    pthread_mutex_lock(&s->lock);
    json_locked(s, from, 0, b);
    pthread_mutex_unlock(&s->lock);
}

void srv_session_json_follow(srv_session *s, int *last_t, unsigned long *last_gen, srv_buf *b)
{
    int from;
    pthread_mutex_lock(&s->lock);
    from = *last_t >= 0 && *last_gen == s->gen && *last_t <= s->t ? *last_t : 0;
    json_locked(s, from, 0, b);
    *last_t = s->t;
    *last_gen = s->gen;
    pthread_mutex_unlock(&s->lock);
}
