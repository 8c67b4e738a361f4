/* bounded_read.c — whole-file reads with a size limit, refusing FIFOs, devices and directories. */
#include "bounded_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO (named pipe)";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

tl_status tl_read_bounded(const char *path, size_t limit, const char *what, char **text,
                          size_t *len, tl_error *err)
{
    struct stat sb;
    tl_status st = TL_OK;
    char *buf = NULL;
    size_t n = 0, cap;
    int fd, fl;
    *text = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return tl_error_set(err, TL_ERR_IO, "%s: cannot open the %s: %s", path, what,
                            strerror(errno));
    if (fstat(fd, &sb) != 0) {
        st = tl_error_set(err, TL_ERR_IO, "%s: cannot read the %s: %s", path, what,
                          strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = tl_error_set(err, TL_ERR_IO, "%s: the %s is %s; give a regular file", path, what,
                          kind(sb.st_mode));
        goto out;
    }
    if ((unsigned long long)sb.st_size > (unsigned long long)limit) {
        st = tl_error_set(err, TL_ERR_RANGE, "%s: the %s is %lld bytes, more than the %zu MiB "
                          "allowed", path, what, (long long)sb.st_size, limit >> 20);
        goto out;
    }
    if ((fl = fcntl(fd, F_GETFL)) != -1)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    cap = (size_t)sb.st_size + 1;
    if (!(buf = malloc(cap + 1))) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory reading the %s", path, what);
        goto out;
    }
    for (;;) {
        ssize_t got;
        if (n == cap) {
            /* the file grew while read: still within the limit? */
            size_t ncap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            char *nb;
            if (ncap <= cap) {
                st = tl_error_set(err, TL_ERR_RANGE,
                                  "%s: the %s grew past the %zu MiB allowed while read", path,
                                  what, limit >> 20);
                goto out;
            }
            if (!(nb = realloc(buf, ncap + 1))) {
                st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory reading the %s", path,
                                  what);
                goto out;
            }
            buf = nb;
            cap = ncap;
        }
        got = read(fd, buf + n, cap - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            st = tl_error_set(err, TL_ERR_IO, "%s: cannot read the %s: %s", path, what,
                              strerror(errno));
            goto out;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > limit) {
        st = tl_error_set(err, TL_ERR_RANGE, "%s: the %s grew past the %zu MiB allowed while read",
                          path, what, limit >> 20);
        goto out;
    }
    buf[n] = 0;
    *text = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return st;
}
