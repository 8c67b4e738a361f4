/* server.h — the classroom server's own state (one per `tillit serve`) and its JSON API. */
#ifndef TL_SERVE_SERVER_H
#define TL_SERVE_SERVER_H

#include <pthread.h>
#include <stdio.h>

#include "assets.h"
#include "classes.h"
#include "conns.h"
#include "guard.h"
#include "json.h"
#include "lessons.h"
#include "session.h"
#include "worker.h"

/* Request bodies larger than this get 413. */
#define SRV_MAX_BODY (64 * 1024)
/* An export (waiting for a worker included) longer than this gets 503. */
#define SRV_EXPORT_SECONDS 60.0

typedef struct srv_server {
    srv_table table;
    srv_lessons lessons;
    char assets[PATH_MAX];  /* real path; "" when the page is not found */
    char chartjs[PATH_MAX]; /* Chart.js served as /vendor/chart.js/ when the page has no copy */
    int page_ok;            /* the page and Chart.js are both there */
    char lessons_dir[PATH_MAX];
    char tmpdir[PATH_MAX]; /* where exports are written before they are sent */
    int loopback;          /* bound to a loopback address */
    unsigned port;
    srv_hosts hosts; /* the Host header values accepted (no DNS rebinding) */
    srv_conns conns; /* open connections and their deadlines (slow clients) */
    srv_classes classes; /* join codes: students follow a teacher's session */
    int nurls;           /* the addresses students can open (bound beyond loopback) */
    char urls[8][80];    /* "http://192.168.1.23:8080" */
    int verbose;
    /* exports are written by child processes, one per core at a time */
    srv_workers workers;
    /* replies that never change, built once */
    char *info_json, *params_json, *metrics_json, *presets_json, *lessons_json;
} srv_server;

/* A reply: status, body (owned, malloc'd) or an fd to send, content type
 * and optional Content-Disposition. */
typedef struct srv_reply {
    int status;
    char *body;
    size_t len;
    int fd; /* >= 0: send this file (size len) instead of body */
    const char *type;
    char disposition[160];
} srv_reply;

/* Build the fixed replies. 0 or -1 (out of memory). */
int srv_api_init(srv_server *sv);
void srv_api_free(srv_server *sv);

/* Answer an API request from the client at address `client` (sessions are
 * counted per address): path below "/api/", the method, the query string
 * value getter and the body. Fills r (status >= 400 with {"error": ...}). */
typedef const char *(*srv_query_fn)(void *ctx, const char *key);
void srv_api_handle(srv_server *sv, const char *client, const char *method, const char *path,
                    srv_query_fn query,
                    void *qctx, const char *const *qkeys, int nqkeys, const char *body, size_t len,
                    srv_reply *r);

/* obj must be an object with keys among keys[0..n-1]; else 400 naming the
 * first unknown one (where: what the object is). */
int srv_only_keys(const srv_json *obj, const char *const *keys, int n, const char *where,
                  srv_err *e);

/* Predict mode's routes below /api/classes/CODE/ (api_predict.c): route is
 * the rest ("join", "pace", "rounds", "rounds/N/answer", "rounds/N/reveal",
 * "rounds/N/end", "debrief") asked by the client at address `client`; body
 * NULL for GET. On 0, out holds the JSON reply and *status its status. */
int srv_api_predict(srv_server *sv, const char *client, const char *code, const char *method,
                    const char *route, const srv_json *body, srv_buf *out, int *status,
                    srv_err *e);

/* Steer mode's routes below /api/classes/CODE/teams (api_steer.c): route is
 * the rest ("" to start, "join", "step", "dashboard", "reveal", "end",
 * "export", "N/set", "N/view"). Fills r. 0 or the error's status. */
int srv_api_steer(srv_server *sv, const char *code, const char *method, const char *route,
                  const srv_json *body, srv_reply *r, srv_err *e);
/* Lever votes' routes below /api/classes/CODE/votes (api_votes.c): route is
 * the rest ("" GET the class's view or POST to open, "view", "N/ballot",
 * "N/close", "N/apply"). On 0, out holds the JSON reply and *status its
 * status. */
int srv_api_votes(srv_server *sv, const char *code, const char *method, const char *route,
                  const srv_json *body, srv_buf *out, int *status, srv_err *e);
/* End class `code` for its teacher (sid) and drop its teams' runs. */
int srv_steer_end_class(srv_server *sv, const char *code, const char *sid, srv_err *e);

/* v must be a whole number in [lo, hi]; else 400 naming `what`. */
int srv_whole_number(const srv_json *v, double lo, double hi, const char *what, double *out,
                     srv_err *e);
/* The parameters a body's "set" (an object of names and numbers) and
 * "preset" (a regime's levers, overridden by "set") give; either may be
 * NULL, not both. names point into the table or the body. 0 or 400. */
int srv_set_from_json(const srv_json *set, const srv_json *preset, const char **names,
                      double *values, int *n, srv_err *e);
/* Write snap[0..n-1] as one HDF5 file (a worker process) and make it r's
 * body. 0 or the error's status. */
int srv_export_reply(srv_server *sv, const srv_export_snap *snap, int n, srv_reply *r,
                     srv_err *e);
/* A JSON reply of b's text (taken) with status. */
void srv_reply_json(srv_reply *r, int status, srv_buf *b);

/* An error reply {"error": msg} with status. */
void srv_reply_error(srv_reply *r, int status, const char *msg);

#endif
