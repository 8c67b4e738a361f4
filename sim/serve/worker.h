/* worker.h — run a piece of work in a child process: exports (HDF5) leave the server's threads
 * free, use every core, and cannot take the server down if they fail. */
#ifndef TL_SERVE_WORKER_H
#define TL_SERVE_WORKER_H

#include <semaphore.h>

#include "session.h"

/* At most `slots` children at once; further callers wait their turn (each
 * in its own request thread, so nothing else waits). */
typedef struct srv_workers {
    sem_t slots;
    int n;
} srv_workers;

/* n <= 0: one per online processor. 0 or -1. */
int srv_workers_init(srv_workers *w, int n);
void srv_workers_free(srv_workers *w);

/* The work: 0, or an HTTP status with e filled. Runs in the child, which
 * has only the calling thread: it must take no lock another thread may
 * hold (give it copies). */
typedef int (*srv_work_fn)(void *arg, srv_err *e);

/* Run fn(arg) in a child process and wait for it, at most timeout_s
 * seconds (then the child is killed: 503). Returns what fn returned, with
 * its message in e; 500 when the child failed otherwise. */
int srv_workers_run(srv_workers *w, srv_work_fn fn, void *arg, double timeout_s, srv_err *e);

#endif
