/* worker.c — work in a child process (fork): the child runs one function on data copied before
 * the fork and reports its result through a pipe; the parent's request thread waits, bounded
 * by a time limit, while every other request goes on. */
#include "worker.h"

#include <errno.h>
#include <hdf5.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int srv_workers_init(srv_workers *w, int n)
{
    if (n <= 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (int)(cpus < 64 ? cpus : 64) : 1;
    }
    w->n = n;
    /* start HDF5 here, once, so that each child finds it ready (the server
     * itself never calls it again: no HDF5 lock is held when it forks) */
    if (H5open() < 0)
        return -1;
    return sem_init(&w->slots, 0, (unsigned)n) == 0 ? 0 : -1;
}

void srv_workers_free(srv_workers *w)
{
    sem_destroy(&w->slots);
}

/* The child's report: status, then the message. */
typedef struct report {
    int status;
    char msg[sizeof ((srv_err *)0)->msg];
} report;

static int read_all(int fd, void *buf, size_t len, double deadline)
{
    size_t got = 0;
    while (got < len) {
        struct pollfd p = {fd, POLLIN, 0};
        int ms = (int)((deadline - srv_now()) * 1000);
        ssize_t n;
        if (ms <= 0)
            return -2;
        if (poll(&p, 1, ms) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (!p.revents)
            continue;
        n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

int srv_workers_run(srv_workers *w, srv_work_fn fn, void *arg, double timeout_s, srv_err *e)
{
    int fds[2] = {-1, -1}, rc, st = 0, got;
    double deadline = srv_now() + timeout_s;
    pid_t pid;
    report rep;

    /* wait for a slot, within the time limit */
    for (;;) {
        struct timespec ts;
        double left = deadline - srv_now();
        if (left <= 0)
            return srv_fail(e, 503, "the server is busy with other exports: try again");
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)left;
        ts.tv_nsec += (long)((left - (double)(time_t)left) * 1e9);
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        if (sem_timedwait(&w->slots, &ts) == 0)
            break;
        if (errno != EINTR && errno != ETIMEDOUT)
            return srv_fail(e, 500, "cannot wait for a worker: %s", strerror(errno));
    }
    /* the time limit is the export's own: waiting for a slot has its own */
    deadline = srv_now() + timeout_s;
    if (pipe(fds) != 0) {
        rc = srv_fail(e, 503, "cannot start a worker: %s", strerror(errno));
        goto out;
    }
    pid = fork();
    if (pid < 0) {
        rc = srv_fail(e, 503, "cannot start a worker: %s", strerror(errno));
        goto out;
    }
    if (pid == 0) {
        /* the child: only this thread; do the work, report, leave without
         * running the parent's exit handlers */
        srv_err ce;
        size_t off = 0;
        close(fds[0]);
        memset(&rep, 0, sizeof rep);
        memset(&ce, 0, sizeof ce);
        rep.status = fn(arg, &ce);
        memcpy(rep.msg, ce.msg, sizeof rep.msg);
        while (off < sizeof rep) {
            ssize_t n = write(fds[1], (char *)&rep + off, sizeof rep - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                _exit(3);
            off += (size_t)n;
        }
        _exit(0);
    }
    close(fds[1]);
    fds[1] = -1;
    got = read_all(fds[0], &rep, sizeof rep, deadline);
    if (got == -2)
        kill(pid, SIGKILL);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (got == -2)
        rc = srv_fail(e, 503, "the export took longer than %.0f s and was stopped", timeout_s);
    else if (got != 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        rc = srv_fail(e, 500, "the export's worker failed (%s %d)",
                      WIFSIGNALED(st) ? "signal" : "status",
                      WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    else {
        rc = rep.status;
        if (rc) {
            rep.msg[sizeof rep.msg - 1] = '\0';
            srv_fail(e, rc, "%s", rep.msg);
        }
    }
out:
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    sem_post(&w->slots);
    return rc;
}
