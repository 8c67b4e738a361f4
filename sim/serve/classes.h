/* classes.h — a class: a short join code that lets students follow the teacher's session live
 * (server-sent events) without ever seeing its id, which stays the teacher's secret. */
#ifndef TL_SERVE_CLASSES_H
#define TL_SERVE_CLASSES_H

#include <pthread.h>

#include "predict.h"
#include "session.h"
#include "teams.h"
#include "votes.h"

#define SRV_MAX_CLASSES 16
#define SRV_CODE_LEN 6

typedef struct srv_class {
    char code[SRV_CODE_LEN + 1]; /* "" when the slot is free */
    char sid[SRV_ID_LEN + 1];    /* the teacher's session */
    unsigned long version;       /* bumped when the session or the rounds change */
    unsigned long rounds_version; /* bumped when the rounds change; 0: untouched */
    srv_rounds rounds;            /* predict mode (predict.h) */
    unsigned long steer_version;  /* bumped when the teams change; 0: untouched */
    srv_teams teams;              /* steer mode (teams.h) */
    unsigned long votes_version;  /* bumped when the votes change; 0: untouched */
    srv_votes votes;              /* lever votes (votes.h) */
} srv_class;

typedef struct srv_classes {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int stopping;
    srv_class c[SRV_MAX_CLASSES];
} srv_classes;

int srv_classes_init(srv_classes *cs);
void srv_classes_free(srv_classes *cs);

/* Open a class on session sid (the caller has checked that it exists) and
 * write its code; the same code again when sid has one. 0, or 409 (all
 * classes taken) / 503 with e filled. */
int srv_class_open(srv_classes *cs, const char *sid, char *code, srv_err *e);
/* The session of class `code` (any case) and, when version is not NULL,
 * its version now; 0, or 404. */
int srv_class_lookup(srv_classes *cs, const char *code, char *sid, unsigned long *version);
/* End class `code`; only its teacher (who knows sid) may: 0, 403, 404. */
int srv_class_end(srv_classes *cs, const char *code, const char *sid, srv_err *e);
/* Session sid changed: wake its followers. */
void srv_classes_notify(srv_classes *cs, const char *sid);
/* Wait up to `seconds` for class `code` to change from `*version`;
 * returns 1 changed (new *version), 0 timed out, -1 the class has ended or
 * the server stops. */
int srv_classes_wait(srv_classes *cs, const char *code, unsigned long *version, double seconds);
/* Run fn on the rounds of class `code` under the classes' lock, with the
 * teacher's session id (to check a teacher's request against); when fn
 * returns 0 and `changes` is set, the followers wake. fn's status, or 404. */
typedef int (*srv_rounds_fn)(srv_rounds *r, const char *sid, void *arg, srv_err *e);
int srv_class_rounds(srv_classes *cs, const char *code, int changes, srv_rounds_fn fn, void *arg,
                     srv_err *e);
/* Run fn on class `code` (its rounds, teams and teacher's session id) under
 * the classes' lock; fn must not wait (no session's lock). When fn returns
 * 0, `changes` says what to push: SRV_CHANGED_ROUNDS and/or
 * SRV_CHANGED_STEER wake the followers. fn's status, or 404. */
enum { SRV_CHANGED_ROUNDS = 1, SRV_CHANGED_STEER = 2, SRV_CHANGED_VOTES = 4 };
typedef int (*srv_class_fn)(srv_class *c, void *arg, srv_err *e);
int srv_class_do(srv_classes *cs, const char *code, int changes, srv_class_fn fn, void *arg,
                 srv_err *e);
/* Append the teams' public state of `code` (srv_teams_json) to b when it
 * changed since *seen (start it at 0); 1 appended, 0 not. */
int srv_class_steer_json(srv_classes *cs, const char *code, unsigned long *seen, srv_buf *b);
/* Append the class view of `code`'s rounds to b when they changed since
 * *seen (start it at 0); 1 appended, 0 not. */
int srv_class_rounds_json(srv_classes *cs, const char *code, unsigned long *seen, srv_buf *b);
/* Append the class's view of `code`'s votes (srv_votes_json, without the
 * counts of an open vote) to b when they changed since *seen (start it at
 * 0); 1 appended, 0 not. */
int srv_class_votes_json(srv_classes *cs, const char *code, unsigned long *seen, srv_buf *b);
/* The server stops: every waiter returns -1. */
void srv_classes_stop(srv_classes *cs);

#endif
