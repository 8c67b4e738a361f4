/* output_lock.c — one writer per output: flock on "OUT.lock", with the holder's PID inside. */
#include "tillit/output_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct tl_output_lock {
    char *path;
    int fd;
};

/* the PID written by the holder, or 0 when it has not written one yet */
static long holder_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    long pid;
    if (n <= 0)
        return 0;
    buf[n] = 0;
    return sscanf(buf, "%ld", &pid) == 1 && pid > 0 ? pid : 0;
}

tl_status tl_output_lock_take(tl_output_lock **out, const char *output_path, tl_error *err)
{
    tl_output_lock *l = calloc(1, sizeof *l);
    tl_status st = TL_OK;
    size_t n = strlen(output_path) + sizeof ".lock";
    *out = NULL;
    if (!l || !(l->path = malloc(n))) {
        free(l);
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
    snprintf(l->path, n, "%s.lock", output_path);
    l->fd = -1;
    /* a holder removes the file before it lets go, so the file we locked may
     * no longer be the one at the path: then try again with the new one */
    for (int tries = 0; tries < 100; tries++) {
        struct stat a, b;
        l->fd = open(l->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
                     0666);
        if (l->fd < 0) {
            if (errno == ELOOP)
                st = tl_error_set(err, TL_ERR_IO,
                                  "the lock file '%s' is a symbolic link; tillit does not follow "
                                  "links for its own files (remove the link)",
                                  l->path);
            else
                st = tl_error_set(err, TL_ERR_IO, "cannot create the lock file '%s': %s",
                                  l->path, strerror(errno));
            goto out;
        }
        if (fstat(l->fd, &a) != 0 || !S_ISREG(a.st_mode)) {
            st = tl_error_set(err, TL_ERR_IO,
                              "the lock file '%s' is not a regular file; remove it", l->path);
            goto out;
        }
        if (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK) {
                long pid = holder_pid(l->fd);
                if (pid)
                    st = tl_error_set(err, TL_ERR_CONFLICT,
                                      "'%s' is being written by another tillit (PID %ld, holding "
                                      "%s); wait for it to finish or stop it first",
                                      output_path, pid, l->path);
                else
                    st = tl_error_set(err, TL_ERR_CONFLICT,
                                      "'%s' is being written by another tillit (holding %s); "
                                      "wait for it to finish or stop it first",
                                      output_path, l->path);
            } else {
                st = tl_error_set(err, TL_ERR_IO, "cannot lock '%s': %s", l->path,
                                  strerror(errno));
            }
            goto out;
        }
        if (lstat(l->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            char pid[32];
            int k = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
            if (ftruncate(l->fd, 0) != 0 || pwrite(l->fd, pid, (size_t)k, 0) != k) {
                st = tl_error_set(err, TL_ERR_IO, "cannot write the lock file '%s': %s",
                                  l->path, strerror(errno));
                goto out;
            }
            *out = l;
            return TL_OK;
        }
        close(l->fd);
        l->fd = -1;
    }
    st = tl_error_set(err, TL_ERR_CONFLICT, "cannot take the lock '%s': it keeps changing",
                      l->path);
out:
    if (l->fd >= 0)
        close(l->fd);
    free(l->path);
    free(l);
    return st;
}

void tl_output_lock_release(tl_output_lock *l)
{
    struct stat a, b;
    if (!l)
        return;
    /* remove only our own file (still the one we hold), then let go */
    if (fstat(l->fd, &a) == 0 && lstat(l->path, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)
        unlink(l->path);
    close(l->fd);
    free(l->path);
    free(l);
}
