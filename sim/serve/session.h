/* session.h — classroom sessions: one or two simulations on the same seed, their recorded metrics,
 * mid-run changes and limits. */
#ifndef TL_SERVE_SESSION_H
#define TL_SERVE_SESSION_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "replicates.h"
#include "tillit/scenario.h"
#include "tillit/sim.h"

#define SRV_MAX_SIDES 2
#define SRV_MAX_SESSIONS 256 /* the highest --max-sessions */
#define SRV_ID_LEN 32
#define SRV_LESSON_NAME 64
#define SRV_OWNER_LEN 48 /* a client's address as text (INET6_ADDRSTRLEN and more) */
/* An owner starting with this is a class (its teams' runs, "@CODE"), not an
 * address: counted against the sessions and memory, not against an address */
#define SRV_CLASS_OWNER '@'

/* What one server allows; every request is checked against these. */
typedef struct srv_limits {
    int max_sessions;           /* concurrent sessions */
    int max_sessions_per_owner; /* concurrent sessions of one client address */
    int idle_seconds;           /* a session unused this long is dropped */
    int reclaim_seconds; /* when the table is full, the session unused longest is dropped for a
                            new one if it has been unused at least this long */
    int max_steps;    /* horizon */
    int max_employees, max_citizens, max_units, max_knowledge_dims;
    size_t max_sim_bytes;       /* memory of one simulation (tl_sim_memory_max) */
    size_t max_total_bytes;     /* memory of all sessions together */
    int max_steps_per_request;  /* steps one /step request may run */
    double max_request_seconds; /* wall time one /step request may take */
} srv_limits;

/* The defaults (documented in docs/classroom.md). */
void srv_limits_default(srv_limits *lim);

/* An error for the client: an HTTP status (4xx/5xx) and a message. */
typedef struct srv_err {
    int http;
    char msg[1024];
} srv_err;

int srv_fail(srv_err *e, int http, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* How a run starts: one side, or two side by side on the same seed. */
typedef struct srv_setup {
    int nsides;
    uint64_t seed;
    int replicates; /* runs of every side (1..SRV_MAX_REPLICATES; 0 means 1): replicate r
                       draws the engine's replicate stream r of the seed, 0 is the seed's run */
    char lesson[SRV_LESSON_NAME]; /* "" unless from a lesson */
    struct {
        char label[TL_LABEL_MAX];
        tl_params params;
        tl_schedule sched;
    } side[SRV_MAX_SIDES];
} srv_setup;

/* Check a set-up against the parameter table and the server's limits
 * (sizes, horizon, memory). Returns 0 or an HTTP status with e filled. */
int srv_setup_check(const srv_limits *lim, const srv_setup *su, srv_err *e);

/* A change made during the run: `param` set to `value` after step `t`
 * (it applies from step t+1). */
typedef struct srv_change {
    int t;
    int param;
    double value;
} srv_change;

typedef struct srv_side {
    tl_sim *sim;  /* replicate 0: the seed's run */
    double *hist; /* horizon x TL_NMETRICS, step-major; NaN until run */
    /* replicates 1..R-1 and, with R > 1, the band of all R: horizon x 3 x
     * TL_NMETRICS (least, median, greatest), NaN until run */
    tl_sim *rep[SRV_MAX_REPLICATES];
    double *rhist[SRV_MAX_REPLICATES]; /* replicate r's rows (1 <= r < R), as hist */
    double *band;
    int nchanges;
    srv_change changes[TL_SCHEDULE_MAX];
} srv_side;

typedef struct srv_session {
    char id[SRV_ID_LEN + 1];
    char owner[SRV_OWNER_LEN]; /* the address that created it */
    pthread_mutex_t lock; /* held while the simulations are used */
    /* owned by the table (under its lock) */
    int refs, gone, ready; /* ready: built (until then only its creator holds it) */
    double last_used;
    size_t bytes;
    /* under `lock` */
    srv_setup setup;
    int t, horizon;
    unsigned long gen; /* bumped when the simulations are built again */
    srv_side side[SRV_MAX_SIDES];
} srv_session;

/* All sessions of one server. */
typedef struct srv_table {
    pthread_mutex_t lock;
    srv_limits lim;
    int n;
    srv_session **s; /* lim.max_sessions slots */
    size_t bytes;
} srv_table;

int srv_table_init(srv_table *tb, const srv_limits *lim);
/* Free every session (no request may be running). */
void srv_table_clear(srv_table *tb);

/* Monotonic seconds. */
double srv_now(void);

/* Create a session running su (checked by the caller) for the client at
 * address owner (at most lim.max_sessions_per_owner each; 429 beyond). When
 * the table is full, the session unused longest is dropped for the new one
 * if it has been unused for lim.reclaim_seconds. On success *out holds a
 * reference to release with srv_session_release. */
int srv_session_create(srv_table *tb, const srv_setup *su, const char *owner, srv_session **out,
                       srv_err *e);
/* Find the session with this id and take a reference; NULL if none. */
srv_session *srv_session_find(srv_table *tb, const char *id);
void srv_session_release(srv_table *tb, srv_session *s);
/* Drop a session (it is freed when its last reference goes). 0 or 404. */
int srv_session_delete(srv_table *tb, const char *id, srv_err *e);
/* Drop sessions idle longer than the limit; returns how many. */
int srv_table_expire(srv_table *tb, double now);

/* The following take the session's lock themselves. */

/* Start again at step 0 with su (NULL: the set-up the session has). */
int srv_session_reset(srv_table *tb, srv_session *s, const srv_setup *su, srv_err *e);
/* Run up to n steps on every side (fewer at the horizon or past the
 * request time limit). *from receives the step count before. */
int srv_session_step(srv_table *tb, srv_session *s, int n, int *from, srv_err *e);
/* Set parameters on the sides in mask (bit k = side k), from the next step
 * on: names[i] = values[i]. All are checked before any is applied. Before
 * the first step the values become part of the set-up (the simulations
 * start again from it), and label (when not NULL, e.g. a preset's name)
 * renames the sides. */
int srv_session_set(srv_table *tb, srv_session *s, unsigned mask, const char *const *names,
                    const double *values, int n, const char *label, srv_err *e);
/* The set-up the session runs (a copy). */
void srv_session_setup(srv_session *s, srv_setup *out);
/* What an export needs of side k, copied under the session's lock so that
 * the file can be written without it (and in another process). */
typedef struct srv_export_snap {
    char label[TL_LABEL_MAX], other_label[TL_LABEL_MAX], lesson[SRV_LESSON_NAME];
    int k, nsides, t, horizon, nchanges;
    uint64_t seed;
    tl_params params;
    tl_schedule sched; /* the mid-run changes and the set-up's own schedule */
    int nrep;          /* the side's replicates R */
    double *hist;      /* nrep x horizon x TL_NMETRICS (replicate 0 the seed's run), malloc'd */
} srv_export_snap;

/* Row of week t (0-based) of replicate r (0: the seed's run) of side sd,
 * TL_NMETRICS values (NaN until run); the caller holds the session's lock. */
const double *srv_side_row(const srv_side *sd, int r, int t);

/* The parameters side k of s has at week (start values, its lesson's
 * schedule and the mid-run changes); the caller holds s's lock. */
void srv_session_params_at(const srv_session *s, int k, int week, tl_params *out);
/* Run fn(s, arg) under s's lock (to read its rows and parameters). */
void srv_session_read(srv_session *s, void (*fn)(const srv_session *s, void *arg), void *arg);
/* Copy side k of s (400 no such side, 409 nothing run yet, 503 memory). */
int srv_session_snapshot(srv_session *s, int k, srv_export_snap *out, srv_err *e);
void srv_export_snap_free(srv_export_snap *snap);
/* Write snapshots snap[0..n-1] (all at the same week, with the same
 * replicates R) as one HDF5 file in the engine's layout to path (which must
 * not exist): one point each, with its label, and R replicates on the
 * replicate axis, replicate r being the engine's stream r (what `tillit
 * sweep` writes for R replicates); several points are marked as drawing common
 * random numbers (they ran on one seed). Takes no lock. */
int srv_export_write(const srv_export_snap *snap, int n, const char *path, srv_err *e);
/* Both of the above: side k of s to path. */
int srv_session_export(srv_session *s, int k, const char *path, srv_err *e);

/* The session as JSON: set-up, step, parameters of each side, mid-run
 * changes and the metrics of steps from+1 .. t. */
void srv_session_json(srv_session *s, int from, srv_buf *b);
/* The same without the id (a team's run, shown to its students). */
void srv_session_json_public(srv_session *s, int from, srv_buf *b);
/* The same for a follower (a student in a class): without the id, and
 * with the rows after *last_t when the session is the one (*last_gen)
 * they saw, else all of them. Updates *last_t and *last_gen; start them
 * at -1 and 0. */
void srv_session_json_follow(srv_session *s, int *last_t, unsigned long *last_gen, srv_buf *b);

#endif
