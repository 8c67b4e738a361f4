/* worker.h — exports (HDF5 files) written in child processes, so that they leave the server's
 * threads free, use every core and cannot take the server down if they fail.
 *
 * The children come from a fork server: a process forked at start-up, while the server still
 * has one thread, that forks one child per export. A child forked directly from the running
 * server would inherit whatever locks its other threads held at that instant (the allocator's,
 * under AddressSanitizer) and could hang on its first malloc; a child of the single-threaded
 * fork server inherits none. */
#ifndef TL_SERVE_WORKER_H
#define TL_SERVE_WORKER_H

#include <pthread.h>
#include <semaphore.h>
#include <sys/types.h>

#include "session.h"

typedef struct srv_workers {
    sem_t slots;         /* at most n exports at once; further callers wait */
    int n;
    int ctl;             /* the fork server's control socket (-1: none) */
    pid_t pid;           /* the fork server */
    pthread_mutex_t ctl_lock;
} srv_workers;

/* Start the fork server; call before any other thread exists. n <= 0: one
 * slot per online processor. 0 or -1. */
int srv_workers_init(srv_workers *w, int n);
/* Stop the fork server (it exits when its control socket closes). */
void srv_workers_free(srv_workers *w);

/* Write snap[0..n-1] (n <= 64) to path as one file (srv_export_write) in a
 * child process and wait for it,
 * at most timeout_s seconds (then the child is killed: 503); waiting for a
 * free slot has a limit of its own (503). Returns 0 or the HTTP status with
 * e filled; 500 when the child failed otherwise. */
int srv_workers_export(srv_workers *w, const srv_export_snap *snap, int n, const char *path,
                       double timeout_s, srv_err *e);

#endif
