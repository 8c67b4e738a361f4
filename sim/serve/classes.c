/* classes.c — join codes for following a teacher's session, the class's predict rounds and
 * steer teams under one lock, and the wake-ups of followers. */
#include "classes.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* no 0/O, 1/I/L: read aloud and typed on phones */
static const char ALPHABET[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

int srv_classes_init(srv_classes *cs)
{
    memset(cs, 0, sizeof *cs);
    if (pthread_mutex_init(&cs->lock, NULL) != 0)
        return -1;
    if (pthread_cond_init(&cs->changed, NULL) != 0) {
        pthread_mutex_destroy(&cs->lock);
        return -1;
    }
    return 0;
}

void srv_classes_free(srv_classes *cs)
{
    pthread_cond_destroy(&cs->changed);
    pthread_mutex_destroy(&cs->lock);
}

static srv_class *find_locked(srv_classes *cs, const char *code)
{
    char up[SRV_CODE_LEN + 1];
    size_t n = strlen(code);
    if (n != SRV_CODE_LEN)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)toupper((unsigned char)code[i]);
    for (int i = 0; i < SRV_MAX_CLASSES; i++)
        if (cs->c[i].code[0] && strcmp(cs->c[i].code, up) == 0)
            return &cs->c[i];
    return NULL;
}

int srv_class_open(srv_classes *cs, const char *sid, char *code, srv_err *e)
{
    srv_class *free_slot = NULL;
    unsigned char r[SRV_CODE_LEN];
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; i < SRV_MAX_CLASSES; i++) {
        if (cs->c[i].code[0] && strcmp(cs->c[i].sid, sid) == 0) {
            memcpy(code, cs->c[i].code, SRV_CODE_LEN + 1);
            pthread_mutex_unlock(&cs->lock);
            return 0;
        }
        if (!cs->c[i].code[0] && !free_slot)
            free_slot = &cs->c[i];
    }
    if (!free_slot) {
        pthread_mutex_unlock(&cs->lock);
        return srv_fail(e, 409, "all %d classes are taken: end one first", SRV_MAX_CLASSES);
    }
    for (int tries = 0; tries < 100; tries++) {
        char cand[SRV_CODE_LEN + 1];
        if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
            pthread_mutex_unlock(&cs->lock);
            return srv_fail(e, 503, "no random numbers for a class code");
        }
        for (int i = 0; i < SRV_CODE_LEN; i++)
            cand[i] = ALPHABET[r[i] % (sizeof ALPHABET - 1)];
        cand[SRV_CODE_LEN] = '\0';
        if (!find_locked(cs, cand)) {
            memcpy(free_slot->code, cand, sizeof cand);
            snprintf(free_slot->sid, sizeof free_slot->sid, "%s", sid);
            free_slot->version = 1;
            free_slot->rounds_version = 0; /* nothing to push until a join, a round or the pace */
            memset(&free_slot->rounds, 0, sizeof free_slot->rounds);
            free_slot->steer_version = 0; /* nor until the teacher starts steer mode */
            memset(&free_slot->teams, 0, sizeof free_slot->teams);
            free_slot->votes_version = 0; /* nor until the first vote */
            memset(&free_slot->votes, 0, sizeof free_slot->votes);
            memcpy(code, cand, sizeof cand);
            pthread_mutex_unlock(&cs->lock);
            return 0;
        }
    }
    pthread_mutex_unlock(&cs->lock);
    return srv_fail(e, 503, "no free class code");
}

int srv_class_lookup(srv_classes *cs, const char *code, char *sid, unsigned long *version)
{
    srv_class *c;
    pthread_mutex_lock(&cs->lock);
    c = find_locked(cs, code);
    if (c) {
        memcpy(sid, c->sid, SRV_ID_LEN + 1);
        if (version)
            *version = c->version;
    }
    pthread_mutex_unlock(&cs->lock);
    return c ? 0 : 404;
}

int srv_class_end(srv_classes *cs, const char *code, const char *sid, srv_err *e)
{
    srv_class *c;
    pthread_mutex_lock(&cs->lock);
    c = find_locked(cs, code);
    if (!c) {
        pthread_mutex_unlock(&cs->lock);
        return srv_fail(e, 404, "no class '%.8s'", code);
    }
    if (!sid || strcmp(c->sid, sid) != 0) {
        pthread_mutex_unlock(&cs->lock);
        return srv_fail(e, 403, "only the teacher who opened the class can end it");
    }
    memset(c, 0, sizeof *c);
    pthread_cond_broadcast(&cs->changed);
    pthread_mutex_unlock(&cs->lock);
    return 0;
}

void srv_classes_notify(srv_classes *cs, const char *sid)
{
    int any = 0;
    pthread_mutex_lock(&cs->lock);
    for (int i = 0; i < SRV_MAX_CLASSES; i++)
        if (cs->c[i].code[0] && strcmp(cs->c[i].sid, sid) == 0) {
            cs->c[i].version++;
            any = 1;
        }
    if (any)
        pthread_cond_broadcast(&cs->changed);
    pthread_mutex_unlock(&cs->lock);
}

int srv_classes_wait(srv_classes *cs, const char *code, unsigned long *version, double seconds)
{
    struct timespec ts;
    int rc;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)seconds;
    ts.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&cs->lock);
    for (;;) {
        srv_class *c = find_locked(cs, code);
        if (cs->stopping || !c) {
            rc = -1;
            break;
        }
        if (c->version != *version) {
            *version = c->version;
            rc = 1;
            break;
        }
        if (pthread_cond_timedwait(&cs->changed, &cs->lock, &ts) == ETIMEDOUT) {
            rc = 0;
            break;
        }
    }
    pthread_mutex_unlock(&cs->lock);
    return rc;
}

int srv_class_do(srv_classes *cs, const char *code, int changes, srv_class_fn fn, void *arg,
                 srv_err *e)
{
    srv_class *c;
    int rc;
    pthread_mutex_lock(&cs->lock);
    c = find_locked(cs, code);
    if (!c) {
        pthread_mutex_unlock(&cs->lock);
        return srv_fail(e, 404, "no class with this code (check it, or ask the teacher)");
    }
    rc = fn(c, arg, e);
    if (rc == 0 && changes) {
        c->version++;
        if (changes & SRV_CHANGED_ROUNDS)
            c->rounds_version++;
        if (changes & SRV_CHANGED_STEER)
            c->steer_version++;
        if (changes & SRV_CHANGED_VOTES)
            c->votes_version++;
        pthread_cond_broadcast(&cs->changed);
    }
    pthread_mutex_unlock(&cs->lock);
    return rc;
}

/* srv_class_rounds in the shape of srv_class_do */
typedef struct rounds_call {
    srv_rounds_fn fn;
    void *arg;
} rounds_call;

static int on_rounds(srv_class *c, void *arg, srv_err *e)
{
    rounds_call *rc = arg;
    return rc->fn(&c->rounds, c->sid, rc->arg, e);
}

int srv_class_rounds(srv_classes *cs, const char *code, int changes, srv_rounds_fn fn, void *arg,
                     srv_err *e)
{
    rounds_call call = {fn, arg};
    return srv_class_do(cs, code, changes ? SRV_CHANGED_ROUNDS : 0, on_rounds, &call, e);
}


/* Append class `code`'s rounds (steer 0) or teams (steer 1) view to b when
 * it changed since *seen. */
static int view_json(srv_classes *cs, const char *code, unsigned long *seen, srv_buf *b, int steer)
{
    srv_class *c;
    int any = 0;
    pthread_mutex_lock(&cs->lock);
    c = find_locked(cs, code);
    if (c && (steer ? c->steer_version : c->rounds_version) != *seen) {
        *seen = steer ? c->steer_version : c->rounds_version;
        if (steer)
            srv_teams_json(&c->teams, c->rounds.playing, b);
        else
            srv_rounds_json(&c->rounds, b);
        any = 1;
    }
    pthread_mutex_unlock(&cs->lock);
    return any;
}

int srv_class_rounds_json(srv_classes *cs, const char *code, unsigned long *seen, srv_buf *b)
{
    return view_json(cs, code, seen, b, 0);
}

int srv_class_steer_json(srv_classes *cs, const char *code, unsigned long *seen, srv_buf *b)
{
    return view_json(cs, code, seen, b, 1);
}

int srv_class_votes_json(srv_classes *cs, const char *code, unsigned long *seen, srv_buf *b)
{
    srv_class *c;
    int any = 0;
    pthread_mutex_lock(&cs->lock);
    c = find_locked(cs, code);
    if (c && c->votes_version != *seen) {
        *seen = c->votes_version;
        srv_votes_json(&c->votes, 0, b);
        any = 1;
    }
    pthread_mutex_unlock(&cs->lock);
    return any;
}

void srv_classes_stop(srv_classes *cs)
{
    pthread_mutex_lock(&cs->lock);
    cs->stopping = 1;
    pthread_cond_broadcast(&cs->changed);
    pthread_mutex_unlock(&cs->lock);
}
