/* journal.c — the sweep's journal: finished blocks appended to one log file, each record with its
 * length and CRC32, fsync'ed in groups; a torn or damaged tail is set aside on resume. A record
 * holds only what the output keeps of a block: its metrics, its steps, float32 when the file's
 * series are float32. */
#include "tillit/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <zlib.h>

#include "tillit/metrics.h"
#include "tillit/output.h"
#include "tillit/sim.h"
#include "text.h"

#define LOG_NAME "blocks.log"

struct tl_journal {
    char *dir;
    uint64_t hash; /* of the resolved scenario text: every block carries it */
    char note[2048];
    int npoints, R, B, bpp, nblocks, T, n_snap;
    size_t snap_size;
    /* what a record keeps (keep_of): the output's metrics, its steps (every
     * K-th and the last; with output: {time_series: false} the window of each
     * point's horizon: horizon[point]), float32 when its series are */
    uint64_t mask[2];
    int nkept_metrics, every, summary_only, window, f32;
    int *horizon;
    uint8_t *done;
    off_t *at; /* where the record of each done block starts in the log */
    long runs_done;
    char *log; /* the log's path, open as fd */
    int fd, unsynced;
    off_t end;        /* where the next record goes */
    double synced_at; /* when the log was last fsync'ed (now_s) */
    char *errs;       /* one block's errors, gathered for writing */
    size_t errs_len, errs_cap;
    /* read-back buffers, one block */
    unsigned char *buf;
    size_t buf_cap;
    const char **errors;
    float *snaps;
    double *full; /* a block read back: B x T x TL_NMETRICS, NaN where nothing is kept */
    unsigned char *kept; /* a block's kept values, packed for writing */
    size_t kept_cap;
};

/* ---- small helpers ---------------------------------------------------------- */

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

static int fsync_path(const char *p, int dir)
{
    int fd = open(p, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    int r;
    if (fd < 0)
        return -1;
    r = fsync(fd);
    close(fd);
    return r;
}

/* a new file, never through a symbolic link; a stale file of ours is replaced */
static int create_excl(const char *path, int access)
{
    int fd = open(path, access | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST && unlink(path) == 0)
        fd = open(path, access | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    return fd;
}

/* write text to dir/name atomically */
static tl_status write_text(const char *dir, const char *name, const char *text, tl_error *err)
{
    char *path = join(dir, name), *tmp = NULL;
    tl_status st = TL_OK;
    FILE *f = NULL;
    int fd;
    if (!path || !(tmp = malloc(strlen(path) + 5))) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    sprintf(tmp, "%s.tmp", path);
    if ((fd = create_excl(tmp, O_WRONLY)) >= 0 && !(f = fdopen(fd, "w")))
        close(fd);
    if (!f || fputs(text, f) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        st = tl_error_set(err, TL_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (fclose(f) != 0) {
        f = NULL;
        st = tl_error_set(err, TL_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    f = NULL;
    if (rename(tmp, path) != 0 || fsync_path(dir, 1) != 0)
        st = tl_error_set(err, TL_ERR_IO, "cannot write %s: %s", path, strerror(errno));
out:
    if (f)
        fclose(f);
    if (st != TL_OK && tmp)
        unlink(tmp);
    free(path);
    free(tmp);
    return st;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1))) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = 0;
        }
    }
    fclose(f);
    return buf;
}

/* 1 for the names the journal writes: scenario.yaml, layout.h5, the log and
 * its tail set aside, their temporaries, and the block files of the format
 * before the log (so that --force clears an old journal too) */
static int journal_name(const char *n)
{
    static const char *const tails[] = {".h5", ".h5.tmp", ".h5.damaged", ".h5.foreign"};
    int b, used = 0;
    if (!strcmp(n, "scenario.yaml") || !strcmp(n, "scenario.yaml.tmp") ||
        !strcmp(n, "layout.h5") || !strcmp(n, "layout.h5.part") || !strcmp(n, LOG_NAME) ||
        !strcmp(n, LOG_NAME ".damaged"))
        return 1;
    if (sscanf(n, "block-%8d%n", &b, &used) != 1 || used != 14 || b < 0)
        return 0;
    for (size_t k = 0; k < sizeof tails / sizeof tails[0]; k++)
        if (!strcmp(n + used, tails[k]))
            return 1;
    return 0;
}

/* Remove the journal: only the files it writes, never through a symbolic
 * link (the directory is opened O_NOFOLLOW, entries removed with unlinkat).
 * 0 done; -1 with errno; -2 when it holds files tillit did not write (kept). */
static int remove_tree(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), r = 0, foreign = 0;
    DIR *d;
    struct dirent *e;
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    if (!(d = fdopendir(fd))) {
        close(fd);
        return -1;
    }
    /* first look, then remove: a journal holding anything else stays whole */
    for (int pass = 0; pass < 2 && !foreign; pass++) {
        rewinddir(d);
        while ((e = readdir(d))) {
            struct stat sb;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            if (pass == 0 && (!journal_name(e->d_name) ||
                              fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
                              !S_ISREG(sb.st_mode)))
                foreign = 1;
            else if (pass == 1 && unlinkat(fd, e->d_name, 0) != 0)
                r = -1;
        }
    }
    closedir(d);
    if (r == 0 && foreign)
        return -2;
    if (r == 0 && rmdir(dir) != 0)
        r = -1;
    return r;
}

/* the message for a journal that cannot be removed */
static tl_status remove_failed(const char *dir, int r, const char *what, tl_error *err)
{
    if (r == -2)
        return tl_error_set(err, TL_ERR_IO,
                            "%s %s holds files or links tillit did not write; they are left "
                            "alone (move them away, then try again)",
                            what, dir);
    return tl_error_set(err, TL_ERR_IO, "cannot remove %s %s: %s", what, dir, strerror(errno));
}

/* HDF5 prints errors itself unless told not to; restore the caller's handler after */
typedef struct {
    H5E_auto2_t f;
    void *d;
} quiet;
static void quiet_on(quiet *q)
{
    H5Eget_auto2(H5E_DEFAULT, &q->f, &q->d);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}
static void quiet_off(const quiet *q)
{
    H5Eclear2(H5E_DEFAULT);
    H5Eset_auto2(H5E_DEFAULT, q->f, q->d);
}

/* ---- the log: records appended to blocks.log -------------------------------------- */

/* The file starts with a log_head; then one record per stored block: a
 * rec_head, then its payload (the kept values, state, the errors as nrep
 * NUL-ended strings, snaps). Both in the writing machine's byte order, which
 * the order mark checks. The kept values are (nrep, kept_steps, nmetrics),
 * value_bytes each (8: double; 4: float, when the output stores float32
 * series, which round every value to float anyway): of the block's `steps`
 * steps the i-th kept is index min(step_first + i * step_every, step_end - 1)
 * (0-based), of its metrics those whose bit is set in metric_mask, in table
 * order. Version 2 held every metric at every step as doubles. */
static const char LOG_MAGIC[8] = {'T', 'L', 'J', 'O', 'U', 'R', 'N', 'L'};
#define LOG_VERSION 3u
#define LOG_ORDER 0x01020304u
#define REC_MAGIC 0x424a4c54u /* "TLJB" read little-endian */

typedef struct {
    char magic[8];
    uint32_t version, order;
} log_head;

typedef struct {
    uint32_t magic, block;
    int32_t point, r0, nrep, steps, nmetrics;
    uint32_t snap_floats; /* per replicate */
    uint64_t err_bytes, scenario_hash;
    int32_t kept_steps, step_first, step_every, step_end;
    uint64_t metric_mask[2];
    uint32_t value_bytes, payload_crc;
    uint32_t head_crc; /* of the bytes before it */
    uint32_t pad;
} rec_head;

_Static_assert(sizeof(log_head) == 16 && sizeof(rec_head) == 96, "the log's layout is fixed");
_Static_assert(TL_NMETRICS <= 128, "metric_mask holds 128 metrics");

/* CRC32 of buf continued from c (zlib's, which would restart at a NULL buf) */
static uint32_t crc_add(uint32_t c, const void *buf, size_t n)
{
    return n ? (uint32_t)crc32_z(c, buf, n) : c;
}

static uint32_t head_crc(const rec_head *h)
{
    return crc_add(0, h, offsetof(rec_head, head_crc));
}

static int has_metric(const uint64_t mask[2], int m)
{
    return (int)((mask[m / 64] >> (m % 64)) & 1u);
}

static int count_metrics(const uint64_t mask[2])
{
    int n = 0;
    for (int m = 0; m < 128; m++)
        n += has_metric(mask, m);
    return n;
}

/* the i-th kept step of a record, 0-based */
static int kept_step(const rec_head *h, int i)
{
    int64_t t = (int64_t)h->step_first + (int64_t)i * h->step_every;
    return t < h->step_end - 1 ? (int)t : h->step_end - 1;
}

/* 1 when the head's account of what it keeps is possible */
static int keep_sane(const rec_head *h)
{
    int nm = count_metrics(h->metric_mask);
    for (int m = TL_NMETRICS; m < 128; m++)
        if (has_metric(h->metric_mask, m))
            return 0;
    return nm >= 1 && nm == h->nmetrics && (h->value_bytes == 8 || h->value_bytes == 4) &&
           h->kept_steps >= 1 && h->kept_steps <= h->steps && h->step_first >= 0 &&
           h->step_every >= 1 && h->step_end >= 1 && h->step_end <= h->steps;
}

/* the payload's size, 0 when the head is impossible (or its size overflows) */
static uint64_t payload_size(const rec_head *h)
{
    uint64_t nrep = (uint64_t)h->nrep, cells;
    if (h->nrep < 1 || h->steps < 1 || h->nmetrics < 1 || h->nrep > (1 << 20) ||
        h->steps > (1 << 24) || h->nmetrics > TL_NMETRICS || h->snap_floats > (1u << 28) ||
        h->err_bytes < nrep || h->err_bytes > (1ull << 40) || !keep_sane(h))
        return 0;
    cells = nrep * (uint64_t)h->kept_steps * (uint64_t)h->nmetrics;
    return cells * h->value_bytes + nrep + h->err_bytes + nrep * h->snap_floats * sizeof(float);
}

static int head_whole(const rec_head *h)
{
    return h->magic == REC_MAGIC && h->head_crc == head_crc(h) && payload_size(h) > 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* pread/pwrite all of n bytes; -1 on an error or a short file */
static int read_at(int fd, void *buf, size_t n, off_t at)
{
    for (char *p = buf; n > 0;) {
        ssize_t k = pread(fd, p, n, at);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
        at += k;
    }
    return 0;
}

static int write_vec(int fd, struct iovec *iov, int n, off_t at)
{
    while (n > 0) {
        ssize_t k = pwritev(fd, iov, n, at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        at += k;
        for (; n > 0 && (size_t)k >= iov->iov_len; iov++, n--)
            k -= (ssize_t)iov->iov_len;
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + k;
            iov->iov_len -= (size_t)k;
        }
    }
    return 0;
}

/* 1 when a record with a whole head (read into *h) starts at at and ends by size */
static int whole_record(int fd, off_t at, off_t size, rec_head *h)
{
    return read_at(fd, h, sizeof *h, at) == 0 && head_whole(h) &&
           (uint64_t)at + sizeof *h + payload_size(h) <= (uint64_t)size;
}

/* a record's payload read into *buf (grown as needed) and its CRC checked:
 * 0 whole; -1 unreadable (short); -2 damaged */
static int read_payload(int fd, off_t at, const rec_head *h, unsigned char **buf, size_t *cap)
{
    uint64_t n = payload_size(h);
    if (n > SIZE_MAX)
        return -1;
    if (n > *cap) {
        unsigned char *b = realloc(*buf, (size_t)n);
        if (!b)
            return -1;
        *buf = b;
        *cap = (size_t)n;
    }
    if (read_at(fd, *buf, (size_t)n, at + (off_t)sizeof(rec_head)) != 0)
        return -1;
    return crc_add(0, *buf, (size_t)n) == h->payload_crc ? 0 : -2;
}

/* a record's kept values (nrep x kept_steps x nmetrics) put back in a
 * block's layout, nrep x steps x TL_NMETRICS doubles, NaN where nothing is
 * kept: what the output reads of a block is exactly what was kept */
static void expand(const rec_head *h, const unsigned char *vals, double *full)
{
    int ms[TL_NMETRICS], nm = 0;
    const size_t vb = h->value_bytes;
    for (int m = 0; m < TL_NMETRICS; m++)
        if (has_metric(h->metric_mask, m))
            ms[nm++] = m;
    for (size_t c = 0, n = (size_t)h->nrep * (size_t)h->steps * TL_NMETRICS; c < n; c++)
        full[c] = (double)NAN;
    for (int r = 0; r < h->nrep; r++)
        for (int i = 0; i < h->kept_steps; i++) {
            double *row = full + ((size_t)r * (size_t)h->steps + (size_t)kept_step(h, i)) * TL_NMETRICS;
            for (int k = 0; k < nm; k++, vals += vb) {
                if (vb == sizeof(double)) {
                    memcpy(&row[ms[k]], vals, sizeof(double));
                } else {
                    float f;
                    memcpy(&f, vals, sizeof f);
                    row[ms[k]] = (double)f;
                }
            }
        }
}

/* the block a whole payload holds, its values expanded into full (nrep x
 * steps x TL_NMETRICS doubles): errors point into buf, snaps are copied out
 * (they may not be aligned in buf); -1 when its errors are not nrep strings */
static int view_block(const rec_head *h, const unsigned char *buf, const char **errors,
                      float *snaps, double *full, tl_block *out)
{
    size_t cells = (size_t)h->nrep * (size_t)h->kept_steps * (size_t)h->nmetrics;
    const unsigned char *state = buf + cells * h->value_bytes, *e = state + h->nrep;
    const unsigned char *end = e + h->err_bytes;
    for (int r = 0; r < h->nrep; r++) {
        const unsigned char *z = memchr(e, 0, (size_t)(end - e));
        if (!z)
            return -1;
        errors[r] = (const char *)e;
        e = z + 1;
    }
    if (e != end)
        return -1;
    if (h->snap_floats)
        memcpy(snaps, end, sizeof(float) * (size_t)h->nrep * h->snap_floats);
    expand(h, buf, full);
    out->point = h->point;
    out->r0 = h->r0;
    out->nrep = h->nrep;
    out->steps = h->steps;
    out->data = full;
    out->state = state;
    out->errors = errors;
    out->snaps = h->snap_floats ? snaps : NULL;
    out->prepared = NULL;
    return 0;
}

/* 1 when dir holds block files of the journal format before the log (one
 * HDF5 file per block) */
static int has_old_blocks(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int b, used, found = 0;
    if (!d)
        return 0;
    while (!found && (e = readdir(d)))
        found = sscanf(e->d_name, "block-%8d%n", &b, &used) == 1 && used == 14;
    closedir(d);
    return found;
}

static tl_status old_format(const char *dir, tl_error *err)
{
    return tl_error_set(err, TL_ERR_INVALID,
                        "the journal %s was written by an older tillit (one block-NNNNNNNN.h5 "
                        "file per block), which this version does not read: finish it with that "
                        "version, or start over with --force (its runs are run again)",
                        dir);
}

/* open the log read-write or read-only, never through a link, and check its
 * head: TL_OK; TL_ERR_INVALID (none there: *fd = -1, or not a log) */
static tl_status open_log(const char *path, int writable, int *fd, tl_error *err)
{
    log_head h;
    *fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC);
    if (*fd < 0 && errno == ENOENT)
        return TL_OK;
    if (*fd < 0)
        return tl_error_set(err, TL_ERR_IO, "cannot open %s: %s%s", path, strerror(errno),
                            errno == ELOOP ? " (a symbolic link: tillit does not follow links "
                                             "for its own files; remove it)"
                                           : "");
    if (read_at(*fd, &h, sizeof h, 0) != 0)
        return TL_OK; /* torn as it was made: no record can follow */
    if (memcmp(h.magic, LOG_MAGIC, sizeof h.magic) == 0 && h.order == LOG_ORDER &&
        h.version < LOG_VERSION)
        return tl_error_set(err, TL_ERR_INVALID,
                            "%s was written by an older tillit (journal format %u, which held "
                            "every metric at every step), which this version does not read: "
                            "finish the sweep with the tillit that wrote it, or start over with "
                            "--force (its runs are run again)",
                            path, (unsigned)h.version);
    if (memcmp(h.magic, LOG_MAGIC, sizeof h.magic) != 0 || h.order != LOG_ORDER ||
        h.version != LOG_VERSION)
        return tl_error_set(err, TL_ERR_INVALID,
                            "%s is not a journal log of this tillit (%s); move it away, or start "
                            "over with --force",
                            path,
                            memcmp(h.magic, LOG_MAGIC, sizeof h.magic) ? "unknown content"
                            : h.order != LOG_ORDER ? "written on a machine of another byte order"
                                                   : "another format version");
    return TL_OK;
}

tl_status tl_journal_each(const char *dir, tl_status (*visit)(void *ctx, const tl_block *b,
                                                              tl_error *err),
                          void *ctx, tl_error *err)
{
    char *path = join(dir, LOG_NAME);
    unsigned char *buf = NULL;
    const char **errors = NULL;
    float *snaps = NULL;
    double *full = NULL;
    size_t cap = 0, nerr = 0, nsnap = 0, nfull = 0;
    struct stat sb;
    rec_head h;
    tl_status st;
    int fd = -1;
    if (!path)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    if ((st = open_log(path, 0, &fd, err)) != TL_OK || fd < 0) {
        if (st == TL_OK && has_old_blocks(dir))
            st = old_format(dir, err);
        goto out;
    }
    if (fstat(fd, &sb) != 0) {
        st = tl_error_set(err, TL_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    /* up to the first torn record: a sweep may be appending to it now */
    for (off_t at = sizeof(log_head); st == TL_OK && whole_record(fd, at, sb.st_size, &h);
         at += (off_t)(sizeof h + payload_size(&h))) {
        tl_block b;
        size_t ns = (size_t)h.nrep * h.snap_floats,
               nf = (size_t)h.nrep * (size_t)h.steps * TL_NMETRICS;
        if (nf > nfull) {
            double *f = realloc(full, sizeof *f * nf);
            if (!f) {
                st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
                break;
            }
            full = f;
            nfull = nf;
        }
        if ((size_t)h.nrep > nerr) {
            const char **e = realloc(errors, sizeof *e * (size_t)h.nrep);
            if (!e) {
                st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
                break;
            }
            errors = e;
            nerr = (size_t)h.nrep;
        }
        if (ns > nsnap) {
            float *s = realloc(snaps, sizeof *s * ns);
            if (!s) {
                st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
                break;
            }
            snaps = s;
            nsnap = ns;
        }
        /* a damaged record is passed over: --resume runs its block again */
        if (read_payload(fd, at, &h, &buf, &cap) == 0 &&
            view_block(&h, buf, errors, snaps, full, &b) == 0)
            st = visit(ctx, &b, err);
    }
out:
    if (fd >= 0)
        close(fd);
    free(path);
    free(buf);
    free(errors);
    free(snaps);
    free(full);
    return st;
}

static int copy_range(int from, off_t at, off_t end, int to)
{
    char buf[65536];
    while (at < end) {
        size_t n = end - at < (off_t)sizeof buf ? (size_t)(end - at) : sizeof buf;
        if (read_at(from, buf, n, at) != 0 || write(to, buf, n) != (ssize_t)n)
            return -1;
        at += (off_t)n;
    }
    return 0;
}

/* a new, empty log (the head only), durable with its directory entry */
static tl_status create_log(tl_journal *j, tl_error *err)
{
    log_head h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, LOG_MAGIC, sizeof h.magic);
    h.version = LOG_VERSION;
    h.order = LOG_ORDER;
    if (j->fd < 0)
        j->fd = create_excl(j->log, O_RDWR);
    if (j->fd < 0 || ftruncate(j->fd, 0) != 0 || pwrite(j->fd, &h, sizeof h, 0) != sizeof h ||
        fdatasync(j->fd) != 0 || fsync_path(j->dir, 1) != 0)
        return tl_error_set(err, TL_ERR_IO, "cannot create %s: %s", j->log, strerror(errno));
    j->end = sizeof h;
    j->synced_at = now_s();
    return TL_OK;
}

/* the bytes of a torn or damaged tail kept in blocks.log.damaged, then cut
 * from the log so that new records follow whole ones */
static tl_status cut_tail(tl_journal *j, off_t at, off_t size, tl_error *err)
{
    char *aside = malloc(strlen(j->log) + sizeof ".damaged");
    int fd;
    tl_status st = TL_OK;
    if (!aside)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    sprintf(aside, "%s.damaged", j->log);
    fd = open(aside, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 || copy_range(j->fd, at, size, fd) != 0 || fsync(fd) != 0 ||
        ftruncate(j->fd, at) != 0 || fdatasync(j->fd) != 0)
        st = tl_error_set(err, TL_ERR_IO, "cannot set the torn end of %s aside in %s: %s",
                          j->log, aside, strerror(errno));
    if (fd >= 0)
        close(fd);
    free(aside);
    return st;
}

/* replicates in block b */
static int reps_of(const tl_journal *j, int b)
{
    return tl_block_nrep(b, j->bpp, j->B, j->R);
}

static void mark_done(tl_journal *j, int b, off_t at)
{
    if (!j->done[b]) {
        j->done[b] = 1;
        j->runs_done += reps_of(j, b);
    }
    j->at[b] = at;
}

/* resume: the block of every whole record counts as done (a block's last
 * record wins); a torn or damaged tail is set aside, with a note */
static tl_status scan_log(tl_journal *j, tl_error *err)
{
    struct stat sb;
    rec_head h;
    off_t at = sizeof(log_head);
    size_t len;
    if (fstat(j->fd, &sb) != 0)
        return tl_error_set(err, TL_ERR_IO, "cannot read %s: %s", j->log, strerror(errno));
    if (sb.st_size < (off_t)sizeof(log_head))
        return create_log(j, err); /* torn as it was made: no record in it */
    for (; whole_record(j->fd, at, sb.st_size, &h); at += (off_t)(sizeof h + payload_size(&h)))
        if (h.block < (uint32_t)j->nblocks)
            mark_done(j, (int)h.block, at);
    j->end = at;
    j->synced_at = now_s();
    if (at == sb.st_size)
        return TL_OK;
    len = strlen(j->note);
    snprintf(j->note + len, sizeof j->note - len,
             "%s%s ended in %lld bytes that are not a whole record (a crash while a block was "
             "appended, or damage): set aside in %s.damaged, and the runs of the blocks in them "
             "are run again",
             len ? "; " : "", j->log, (long long)(sb.st_size - at), j->log);
    return cut_tail(j, at, sb.st_size, err);
}

/* resume: the log opened and scanned, or made when a kill came before it
 * (a journal of the format before the log was refused before) */
static tl_status resume_log(tl_journal *j, tl_error *err)
{
    tl_status st = open_log(j->log, 1, &j->fd, err);
    if (st != TL_OK)
        return st;
    return j->fd >= 0 ? scan_log(j, err) : create_log(j, err);
}

/* ---- open ---------------------------------------------------------------------- */

void tl_journal_close(tl_journal *j)
{
    if (!j)
        return;
    if (j->fd >= 0) {
        if (j->unsynced && fdatasync(j->fd) != 0)
            fprintf(stderr, "tillit: warning: cannot fsync %s: %s\n", j->log, strerror(errno));
        close(j->fd);
    }
    free(j->dir);
    free(j->log);
    free(j->done);
    free(j->at);
    free(j->errs);
    free(j->buf);
    free(j->errors);
    free(j->snaps);
    free(j->full);
    free(j->kept);
    free(j->horizon);
    free(j);
}

/* first differing line of two texts, 1-based (0 when equal) */
static int first_diff_line(const char *a, const char *b)
{
    int line = 1;
    for (; *a && *b && *a == *b; a++, b++)
        if (*a == '\n')
            line++;
    return *a == *b ? 0 : line;
}

/* Line `line` (1-based) of text, without its newline, at most 60 bytes. */
static void line_at(const char *text, int line, char *out, size_t n)
{
    size_t len = 0;
    for (int k = 1; k < line && *text; text++)
        if (*text == '\n')
            k++;
    while (text[len] && text[len] != '\n')
        len++;
    snprintf(out, n, "%.*s", len > 60 ? 60 : (int)len, text);
}

/* What the records keep, from the scenario's output: its metrics; its
 * steps (every K-th and the last), or with output: {time_series: false}
 * each point's horizon, whose last `window` steps the per-run statistics
 * read (h5_writer.c); float32 values when the series are stored float32. */
static tl_status keep_init(tl_journal *j, const tl_scenario *sc, tl_error *err)
{
    j->summary_only = sc->summary_only != 0;
    j->window = sc->summary_window > 0 ? sc->summary_window : 52; /* as the writer's */
    j->every = sc->record_every > 1 && !sc->summary_only ? sc->record_every : 1;
    j->f32 = sc->record_f32 != 0 && !sc->summary_only; /* group runs: statistics of doubles */
    for (int m = 0; m < TL_NMETRICS; m++)
        if (tl_scenario_records(sc, m)) {
            j->mask[m / 64] |= (uint64_t)1 << (m % 64);
            j->nkept_metrics++;
        }
    if (!j->summary_only)
        return TL_OK;
    if (!(j->horizon = malloc(sizeof *j->horizon * (size_t)sc->npoints)))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    for (int k = 0; k < sc->npoints; k++) {
        tl_point buf;
        const int steps = (int)tl_scenario_point(sc, k, &buf)->params.steps;
        j->horizon[k] = steps < j->T ? steps : j->T;
    }
    return TL_OK;
}

/* what a record of a block of point keeps, into h (see rec_head) */
static void keep_of(const tl_journal *j, int point, rec_head *h)
{
    h->steps = j->T;
    h->nmetrics = j->nkept_metrics;
    memcpy(h->metric_mask, j->mask, sizeof h->metric_mask);
    if (j->summary_only) {
        const int H = j->horizon[point], a = H > j->window ? H - j->window : 0;
        h->step_first = a;
        h->step_every = 1;
        h->step_end = H;
        h->kept_steps = H - a;
        h->value_bytes = sizeof(double);
    } else {
        h->step_first = j->every - 1;
        h->step_every = j->every;
        h->step_end = j->T;
        h->kept_steps = tl_record_nsteps(j->T, j->every);
        h->value_bytes = j->f32 ? sizeof(float) : sizeof(double);
    }
}

/* the layout with no data, for readers of a sweep in progress (again when a
 * kill took it away) */
static tl_status write_layout(tl_journal *j, const tl_scenario *sc, int always, tl_error *err)
{
    char *lp = join(j->dir, "layout.h5");
    tl_writer *w = NULL;
    tl_provenance prov = {"(journal layout)", 1, 0, 0, NULL, NULL, NULL};
    struct stat sb;
    tl_status st = TL_OK;
    if (!lp)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    if (always || lstat(lp, &sb) != 0) {
        st = tl_writer_open(&w, lp, sc, &prov, 1, err);
        if (st == TL_OK)
            st = tl_writer_commit(w, err);
    }
    free(lp);
    return st;
}

tl_status tl_journal_open(tl_journal **out, const char *output_path, const tl_scenario *sc,
                          const char *scenario_text, tl_journal_mode mode, int replace,
                          tl_error *err)
{
    tl_journal *j = calloc(1, sizeof *j);
    tl_status st = TL_OK;
    struct stat sb;
    char *spath = NULL, *old = NULL;
    *out = NULL;
    if (!j)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    j->fd = -1;
    j->dir = malloc(strlen(output_path) + 9);
    if (!j->dir) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    sprintf(j->dir, "%s.journal", output_path);
    j->log = join(j->dir, LOG_NAME);
    j->npoints = sc->npoints;
    j->R = sc->replicates;
    j->B = tl_scenario_block_reps(sc);
    j->bpp = tl_blocks_per_point(j->R, j->B);
    j->nblocks = j->npoints * j->bpp;
    j->T = tl_scenario_steps(sc);
    j->n_snap = sc->n_snap;
    tl_point p0;
    j->snap_size = sc->n_snap > 0 ? tl_snapshot_size(&tl_scenario_point(sc, 0, &p0)->params) : 0;
    if ((st = keep_init(j, sc, err)) != TL_OK)
        goto out;
    j->done = calloc((size_t)j->nblocks, 1);
    j->at = calloc((size_t)j->nblocks, sizeof *j->at);
    j->errors = malloc(sizeof(char *) * (size_t)j->B);
    j->snaps = j->snap_size ? malloc(sizeof(float) * (size_t)j->B * (size_t)j->n_snap * j->snap_size)
                            : NULL;
    if (!j->done || !j->at || !j->log || !j->errors ||
        (j->snap_size && !j->snaps)) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory for the journal of %d blocks",
                          j->nblocks);
        goto out;
    }
    j->hash = tl_text_hash(scenario_text, strlen(scenario_text)); /* every record carries it */
    /* the journal is ours only as a real directory: never follow a link */
    int exists = lstat(j->dir, &sb) == 0;
    if (exists && S_ISLNK(sb.st_mode)) {
        st = tl_error_set(err, TL_ERR_IO,
                          "the journal %s is a symbolic link; tillit does not follow links for "
                          "its own files (remove the link)",
                          j->dir);
        goto out;
    }
    if (exists && !S_ISDIR(sb.st_mode)) {
        st = tl_error_set(err, TL_ERR_IO, "the journal %s exists but is not a directory; move it away",
                          j->dir);
        goto out;
    }
    if (mode == TL_JOURNAL_RESUME) {
        if (!exists) {
            st = tl_error_set(err, TL_ERR_INVALID,
                              "nothing to resume: there is no journal %s (an interrupted sweep "
                              "of this output leaves one)",
                              j->dir);
            goto out;
        }
        if (lstat(j->log, &sb) != 0 && errno == ENOENT && has_old_blocks(j->dir)) {
            st = old_format(j->dir, err);
            goto out;
        }
        spath = join(j->dir, "scenario.yaml");
        if (!spath) {
            st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (lstat(spath, &sb) != 0 && errno == ENOENT) {
            /* killed between the journal's mkdir and its scenario: the blocks
             * (if any) carry the scenario's hash, so the ones of this
             * scenario are still recognised */
            if ((st = write_text(j->dir, "scenario.yaml", scenario_text, err)) != TL_OK)
                goto out;
            snprintf(j->note, sizeof j->note,
                     "the journal %s had no scenario.yaml (interrupted as it was made); it was "
                     "written from this scenario, and only blocks of this scenario are used",
                     j->dir);
        } else if (!S_ISREG(sb.st_mode) || !(old = read_text(spath))) {
            st = tl_error_set(err, TL_ERR_IO,
                              "cannot read %s: %s (move it away and resume again: the blocks "
                              "carry the scenario's hash)",
                              spath, S_ISREG(sb.st_mode) ? strerror(errno) : "not a regular file");
            goto out;
        }
        int line = old ? first_diff_line(old, scenario_text) : 0;
        if (line) {
            char was[64], now[64];
            line_at(old, line, was, sizeof was);
            line_at(scenario_text, line, now, sizeof now);
            st = tl_error_set(err, TL_ERR_CONFLICT,
                              "the scenario changed since the interrupted sweep (first "
                              "difference at line %d of the resolved scenario: '%s', was '%s'; the "
                              "interrupted one is kept in %s); "
                              "resume with the same file and options, or start over with --force",
                              line, now, was, spath);
            goto out;
        }
        if ((st = resume_log(j, err)) != TL_OK)
            goto out;
        st = write_layout(j, sc, 0, err);
        goto out;
    }
    if (exists) {
        int r;
        if (!replace) {
            st = tl_error_set(err, TL_ERR_EXISTS,
                              "an interrupted sweep of this output exists (%s): finish it with "
                              "--resume, or start over with --force",
                              j->dir);
            goto out;
        }
        if ((r = remove_tree(j->dir)) != 0) {
            st = remove_failed(j->dir, r, "the old journal", err);
            goto out;
        }
    }
    if (mkdir(j->dir, 0777) != 0) {
        st = tl_error_set(err, TL_ERR_IO, "cannot create the journal %s: %s", j->dir,
                          strerror(errno));
        goto out;
    }
    if ((st = write_text(j->dir, "scenario.yaml", scenario_text, err)) != TL_OK)
        goto out;
    if ((st = write_layout(j, sc, 1, err)) == TL_OK)
        st = create_log(j, err);
out:
    free(spath);
    free(old);
    if (st != TL_OK) {
        tl_journal_close(j);
        return st;
    }
    *out = j;
    return TL_OK;
}

int tl_journal_nblocks(const tl_journal *j) { return j->nblocks; }
const uint8_t *tl_journal_done(const tl_journal *j) { return j->done; }
long tl_journal_runs_done(const tl_journal *j) { return j->runs_done; }
const char *tl_journal_dir(const tl_journal *j) { return j->dir; }
const char *tl_journal_note(const tl_journal *j) { return j->note[0] ? j->note : NULL; }

/* ---- blocks ---------------------------------------------------------------------- */

static tl_status sync_log(tl_journal *j, tl_error *err)
{
    if (j->unsynced && fdatasync(j->fd) != 0)
        return tl_error_set(err, TL_ERR_IO, "cannot fsync %s: %s", j->log, strerror(errno));
    j->unsynced = 0;
    j->synced_at = now_s();
    return TL_OK;
}

/* the block's errors as nrep NUL-ended strings, one after the other, in j->errs */
static tl_status gather_errors(tl_journal *j, const tl_block *b, tl_error *err)
{
    size_t n = 0;
    for (int r = 0; r < b->nrep; r++) {
        const char *e = b->errors && b->errors[r] ? b->errors[r] : "";
        size_t k = strlen(e) + 1;
        if (n + k > j->errs_cap) {
            size_t cap = 2 * (n + k);
            char *p = realloc(j->errs, cap);
            if (!p)
                return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
            j->errs = p;
            j->errs_cap = cap;
        }
        memcpy(j->errs + n, e, k);
        n += k;
    }
    j->errs_len = n;
    return TL_OK;
}

/* the values of block b that h keeps, packed in j->kept ((nrep, kept_steps,
 * nmetrics), value_bytes each); their bytes in *len */
static tl_status pack_kept(tl_journal *j, const tl_block *b, const rec_head *h, size_t *len,
                           tl_error *err)
{
    const size_t vb = h->value_bytes;
    size_t n = (size_t)b->nrep * (size_t)h->kept_steps * (size_t)h->nmetrics * vb;
    unsigned char *o;
    if (n > j->kept_cap) {
        unsigned char *p = realloc(j->kept, n);
        if (!p)
            return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        j->kept = p;
        j->kept_cap = n;
    }
    o = j->kept;
    for (int r = 0; r < b->nrep; r++)
        for (int i = 0; i < h->kept_steps; i++) {
            const double *row =
                b->data + ((size_t)r * (size_t)b->steps + (size_t)kept_step(h, i)) * TL_NMETRICS;
            for (int m = 0; m < TL_NMETRICS; m++) {
                if (!has_metric(h->metric_mask, m))
                    continue;
                if (vb == sizeof(double)) {
                    memcpy(o, &row[m], sizeof(double));
                } else {
                    const float f = (float)row[m];
                    memcpy(o, &f, sizeof f);
                }
                o += vb;
            }
        }
    *len = n;
    return TL_OK;
}

tl_status tl_journal_put(tl_journal *j, const tl_block *b, tl_error *err)
{
    int bi = b->point * j->bpp + b->r0 / j->B;
    uint32_t snap_floats = b->snaps ? (uint32_t)((size_t)j->n_snap * j->snap_size) : 0;
    rec_head h;
    struct iovec iov[5];
    off_t len = 0;
    size_t kept_len = 0;
    tl_status st = gather_errors(j, b, err);
    if (st != TL_OK)
        return st;
    if (b->steps != j->T)
        return tl_error_set(err, TL_ERR_INVALID, "block %d has %d steps, the sweep %d", bi,
                            b->steps, j->T);
    memset(&h, 0, sizeof h);
    h.magic = REC_MAGIC;
    h.block = (uint32_t)bi;
    h.point = b->point;
    h.r0 = b->r0;
    h.nrep = b->nrep;
    keep_of(j, b->point, &h);
    h.snap_floats = snap_floats;
    h.err_bytes = j->errs_len;
    h.scenario_hash = j->hash;
    if ((st = pack_kept(j, b, &h, &kept_len, err)) != TL_OK)
        return st;
    iov[0] = (struct iovec){&h, sizeof h};
    iov[1] = (struct iovec){j->kept, kept_len};
    iov[2] = (struct iovec){(void *)b->state, (size_t)b->nrep};
    iov[3] = (struct iovec){j->errs, j->errs_len};
    iov[4] = (struct iovec){(void *)b->snaps, sizeof(float) * (size_t)b->nrep * snap_floats};
    for (int k = 1; k < 5; k++)
        h.payload_crc = crc_add(h.payload_crc, iov[k].iov_base, iov[k].iov_len);
    h.head_crc = head_crc(&h);
    for (int k = 0; k < 5; k++)
        len += (off_t)iov[k].iov_len;
    /* a failed append leaves a torn tail past j->end: the next record
     * overwrites it, or --resume sets it aside */
    if (write_vec(j->fd, iov, 5, j->end) != 0)
        return tl_error_set(err, TL_ERR_IO, "cannot append block %d to %s: %s", bi, j->log,
                            strerror(errno));
    mark_done(j, bi, j->end);
    j->end += len;
    j->unsynced = 1;
    /* fsync'ed in groups: a kill -9 loses nothing written; a system crash
     * at most what came since the last fsync, which --resume runs again */
    return now_s() - j->synced_at >= TL_JOURNAL_SYNC_SECONDS ? sync_log(j, err) : TL_OK;
}

/* 1 when a record's head fits block bi of this sweep */
static int fits(const tl_journal *j, int bi, const rec_head *h)
{
    rec_head want;
    if (h->point != bi / j->bpp)
        return 0;
    memset(&want, 0, sizeof want);
    keep_of(j, h->point, &want);
    return h->r0 == tl_block_r0(bi, j->bpp, j->B) && h->nrep == reps_of(j, bi) && h->steps == j->T &&
           h->snap_floats == (uint32_t)((size_t)j->n_snap * j->snap_size) &&
           h->nmetrics == want.nmetrics && !memcmp(h->metric_mask, want.metric_mask,
                                                   sizeof want.metric_mask) &&
           h->kept_steps == want.kept_steps && h->step_first == want.step_first &&
           h->step_every == want.step_every && h->step_end == want.step_end &&
           h->value_bytes == want.value_bytes;
}

tl_status tl_journal_get(tl_journal *j, int bi, tl_block *out, tl_error *err)
{
    rec_head h;
    off_t at;
    int r;
    if (bi < 0 || bi >= j->nblocks || !j->done[bi])
        return tl_error_set(err, TL_ERR_INVALID, "block %d is not in the journal", bi);
    at = j->at[bi];
    if (read_at(j->fd, &h, sizeof h, at) != 0 || !head_whole(&h))
        return tl_error_set(err, TL_ERR_IO, "block %d in %s (the record at byte %lld) is torn",
                            bi, j->log, (long long)at);
    if (h.scenario_hash != j->hash)
        return tl_error_set(err, TL_ERR_CONFLICT,
                            "block %d in %s (the record at byte %lld) belongs to another "
                            "scenario (written by a different sweep of this output)",
                            bi, j->log, (long long)at);
    if (!fits(j, bi, &h))
        return tl_error_set(err, TL_ERR_IO,
                            "block %d in %s (the record at byte %lld) does not fit this sweep "
                            "(point %d, replicates %d+%d, %d of %d steps, %d metrics, %u-byte "
                            "values): was the program updated in between?",
                            bi, j->log, (long long)at, h.point, h.r0, h.nrep, h.kept_steps, h.steps,
                            h.nmetrics, (unsigned)h.value_bytes);
    if (!j->full && !(j->full = malloc(sizeof *j->full * (size_t)j->B * (size_t)j->T * TL_NMETRICS)))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory to read block %d back", bi);
    r = read_payload(j->fd, at, &h, &j->buf, &j->buf_cap);
    if (r != 0 || view_block(&h, j->buf, j->errors, j->snaps, j->full, out) != 0)
        return tl_error_set(err, TL_ERR_IO, "block %d in %s (the record at byte %lld) is damaged (%s)",
                            bi, j->log, (long long)at,
                            r == -1   ? "cannot read it"
                            : r == -2 ? "its checksum does not match its data"
                                      : "its error messages are malformed");
    return TL_OK;
}

void tl_journal_discard(tl_journal *j, int bi)
{
    if (bi >= 0 && bi < j->nblocks && j->done[bi]) {
        j->done[bi] = 0;
        j->runs_done -= reps_of(j, bi);
    }
}

tl_status tl_journal_remove(tl_journal *j, tl_error *err)
{
    int r = remove_tree(j->dir);
    if (r != 0)
        return remove_failed(j->dir, r, "the journal", err);
    j->unsynced = 0; /* removed: nothing left to make durable */
    return TL_OK;
}

double tl_journal_log_bytes(const tl_scenario *sc)
{
    tl_journal j;
    tl_error err = TL_ERROR_INIT;
    double total = sizeof(log_head);
    memset(&j, 0, sizeof j);
    j.R = sc->replicates;
    j.B = tl_scenario_block_reps(sc);
    j.T = tl_scenario_steps(sc);
    if (j.B < 1 || keep_init(&j, sc, &err) != TL_OK)
        return 0;
    tl_point p0;
    const double snap = sc->n_snap > 0 ? (double)sc->n_snap * (double)tl_snapshot_size(&tl_scenario_point(sc, 0, &p0)->params) : 0;
    for (int p = 0; p < sc->npoints; p++) {
        rec_head h;
        memset(&h, 0, sizeof h);
        keep_of(&j, p, &h);
        /* per replicate: its kept values, its state, an empty error, its snapshots */
        const double per_rep = (double)h.kept_steps * h.nmetrics * h.value_bytes + 2 + snap * sizeof(float);
        total += (double)((j.R + j.B - 1) / j.B) * sizeof h + (double)j.R * per_rep;
    }
    free(j.horizon);
    return total;
}

/* an int attribute: 0, or -1 when absent or unreadable */
static int get_attr_int(hid_t loc, const char *name, int *v)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    herr_t r;
    if (a < 0)
        return -1;
    r = H5Aread(a, H5T_NATIVE_INT, v);
    H5Aclose(a);
    return r < 0 ? -1 : 0;
}

int tl_output_is_incomplete(const char *path)
{
    quiet q;
    int complete = 1;
    hid_t f;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 0;
    quiet_on(&q);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f >= 0) {
        if (get_attr_int(f, "complete", &complete) < 0)
            complete = 1;
        H5Fclose(f);
    }
    quiet_off(&q);
    return complete == 0;
}
