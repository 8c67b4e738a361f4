/* worker.c — exports written by children of a fork server. The fork server is forked at
 * start-up, while the server has one thread; for each export a request thread hands it one end
 * of a fresh socket pair (SCM_RIGHTS), the fork server forks a child on it, and the child reads
 * the snapshot from the socket, writes the HDF5 file and reports back. The request thread waits,
 * bounded by a time limit, while every other request goes on. */
#define _GNU_SOURCE
#include "worker.h"

#include <errno.h>
#include <hdf5.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The child's report: status, then the message. */
typedef struct report {
    int status;
    char msg[sizeof ((srv_err *)0)->msg];
} report;

/* Read len bytes into rbuf, or write len bytes from wbuf (the other NULL),
 * before the deadline (deadline <= 0: no limit). 0, -1 (error or end of
 * stream) or -2 (time is up). */
static int io_all(int fd, void *rbuf, const void *wbuf, size_t len, double deadline)
{
    size_t done = 0;
    int out = wbuf != NULL;
    while (done < len) {
        struct pollfd p = {fd, out ? POLLOUT : POLLIN, 0};
        int ms = -1;
        ssize_t n;
        if (deadline > 0) {
            ms = (int)((deadline - srv_now()) * 1000);
            if (ms <= 0)
                return -2;
        }
        if (poll(&p, 1, ms) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (!p.revents)
            continue;
        n = out ? send(fd, (const char *)wbuf + done, len - done, MSG_NOSIGNAL)
                : recv(fd, (char *)rbuf + done, len - done, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* The most steps a snapshot may hold (a guard against a torn stream). */
#define JOB_MAX_CELLS ((size_t)1 << 28)

/* The most runs one export may hold (a class's teams, with room). */
#define JOB_MAX_RUNS 64

/* Read one snapshot and its rows (of every replicate) from fd into *snap (hist malloc'd). 0 or
 * the child's exit status. */
static int read_snap(int fd, srv_export_snap *snap)
{
    size_t cells;
    if (io_all(fd, snap, NULL, sizeof *snap, 0) != 0)
        return 3;
    snap->hist = NULL;
    cells = (size_t)snap->nrep * (size_t)snap->horizon * TL_NMETRICS;
    if (snap->horizon <= 0 || snap->nrep < 1 || snap->nrep > SRV_MAX_REPLICATES ||
        cells > JOB_MAX_CELLS || !(snap->hist = malloc(cells * sizeof(double))))
        return 4;
    return io_all(fd, snap->hist, NULL, cells * sizeof(double), 0) != 0 ? 3 : 0;
}

/* In the fork server's child: pid, then the job (path, the number of runs,
 * each snapshot with its rows), then the report. */
static void run_job(int fd)
{
    pid_t self = getpid();
    uint32_t plen = 0, n = 0;
    char path[4096];
    static srv_export_snap snap[JOB_MAX_RUNS];
    report rep;
    srv_err ce;

    memset(&rep, 0, sizeof rep);
    memset(&ce, 0, sizeof ce);
    if (io_all(fd, NULL, &self, sizeof self, 0) != 0 ||
        io_all(fd, &plen, NULL, sizeof plen, 0) != 0 || plen == 0 || plen >= sizeof path ||
        io_all(fd, path, NULL, plen, 0) != 0 || io_all(fd, &n, NULL, sizeof n, 0) != 0 || n < 1 ||
        n > JOB_MAX_RUNS)
        _exit(3);
    path[plen] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        int st = read_snap(fd, &snap[i]);
        if (st)
            _exit(st);
    }
    rep.status = srv_export_write(snap, (int)n, path, &ce);
    memcpy(rep.msg, ce.msg, sizeof rep.msg);
    _exit(io_all(fd, NULL, &rep, sizeof rep, 0) == 0 ? 0 : 3);
}

/* The fork server: one child per socket received; leaves when the server
 * closes the control socket (or dies). */
static void fork_server(int ctl)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    /* Ctrl-C and SIGTERM are the server's to handle: it closes ctl */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_flags = SA_NOCLDWAIT; /* children are reaped by the kernel */
    sigaction(SIGCHLD, &sa, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    for (;;) {
        char byte;
        char cbuf[CMSG_SPACE(sizeof(int))];
        struct iovec iov = {&byte, 1};
        struct msghdr m;
        struct cmsghdr *c;
        int fd = -1;
        ssize_t n;
        memset(&m, 0, sizeof m);
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = cbuf;
        m.msg_controllen = sizeof cbuf;
        n = recvmsg(ctl, &m, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(0);
        for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
                memcpy(&fd, CMSG_DATA(c), sizeof fd);
        if (fd < 0)
            continue;
        if (fork() == 0) {
            close(ctl);
            run_job(fd);
        }
        close(fd); /* a failed fork: the request sees the stream end */
    }
}

int srv_workers_init(srv_workers *w, int n)
{
    int sv[2];
    if (n <= 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (int)(cpus < 64 ? cpus : 64) : 1;
    }
    w->n = n;
    w->ctl = -1;
    w->pid = -1;
    /* start HDF5 here, once, so that each child finds it ready (the server
     * itself never calls it again) */
    if (H5open() < 0 || pthread_mutex_init(&w->ctl_lock, NULL) != 0)
        return -1;
    if (sem_init(&w->slots, 0, (unsigned)n) != 0) {
        pthread_mutex_destroy(&w->ctl_lock);
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        goto fail;
    fflush(NULL);
    w->pid = fork();
    if (w->pid < 0) {
        close(sv[0]);
        close(sv[1]);
        goto fail;
    }
    if (w->pid == 0) {
        close(sv[0]);
        fork_server(sv[1]);
    }
    close(sv[1]);
    w->ctl = sv[0];
    return 0;
fail:
    sem_destroy(&w->slots);
    pthread_mutex_destroy(&w->ctl_lock);
    return -1;
}

void srv_workers_free(srv_workers *w)
{
    if (w->ctl >= 0) {
        close(w->ctl);
        w->ctl = -1;
        while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    sem_destroy(&w->slots);
    pthread_mutex_destroy(&w->ctl_lock);
}

/* Hand one end of a fresh socket pair to the fork server; the other in *fd. */
static int start_child(srv_workers *w, int *fd)
{
    int sp[2], rc;
    char byte = 'x';
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {&byte, 1};
    struct msghdr m;
    struct cmsghdr *c;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0)
        return -1;
    memset(&m, 0, sizeof m);
    memset(cbuf, 0, sizeof cbuf);
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof cbuf;
    c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &sp[1], sizeof(int));
    pthread_mutex_lock(&w->ctl_lock);
    do
        rc = (int)sendmsg(w->ctl, &m, MSG_NOSIGNAL);
    while (rc < 0 && errno == EINTR);
    pthread_mutex_unlock(&w->ctl_lock);
    close(sp[1]);
    if (rc != 1) {
        close(sp[0]);
        return -1;
    }
    *fd = sp[0];
    return 0;
}

int srv_workers_export(srv_workers *w, const srv_export_snap *snap, int n, const char *path,
                       double timeout_s, srv_err *e)
{
    int fd = -1, rc, got;
    double deadline = srv_now() + timeout_s;
    pid_t pid = -1;
    uint32_t plen = (uint32_t)strlen(path), nruns = (uint32_t)n;
    report rep;

    if (w->ctl < 0)
        return srv_fail(e, 503, "exports are not available on this server");
    if (n < 1 || n > JOB_MAX_RUNS)
        return srv_fail(e, 500, "export: %d runs (1 to %d)", n, JOB_MAX_RUNS);
    if (plen == 0 || plen >= 4096)
        return srv_fail(e, 500, "export: path too long");
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
    if (start_child(w, &fd) != 0 || io_all(fd, &pid, NULL, sizeof pid, deadline) != 0 || pid <= 0) {
        rc = srv_fail(e, 503, "cannot start a worker for the export");
        goto out;
    }
    got = io_all(fd, NULL, &plen, sizeof plen, deadline);
    if (!got)
        got = io_all(fd, NULL, path, plen, deadline);
    if (!got)
        got = io_all(fd, NULL, &nruns, sizeof nruns, deadline);
    for (int i = 0; !got && i < n; i++) {
        got = io_all(fd, NULL, &snap[i], sizeof snap[i], deadline);
        if (!got)
            got = io_all(fd, NULL, snap[i].hist,
                         (size_t)snap[i].nrep * snap[i].horizon * TL_NMETRICS * sizeof(double),
                         deadline);
    }
    if (!got)
        got = io_all(fd, &rep, NULL, sizeof rep, deadline);
    if (got == -2) {
        kill(pid, SIGKILL);
        rc = srv_fail(e, 503, "the export took longer than %.0f s and was stopped", timeout_s);
    } else if (got != 0) {
        rc = srv_fail(e, 500, "the export's worker failed");
    } else {
        rc = rep.status;
        if (rc) {
            rep.msg[sizeof rep.msg - 1] = '\0';
            srv_fail(e, rc, "%s", rep.msg);
        }
    }
out:
    if (fd >= 0)
        close(fd);
    sem_post(&w->slots);
    return rc;
}
