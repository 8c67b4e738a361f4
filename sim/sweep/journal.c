/* journal.c — the sweep's journal: one small HDF5 file per finished block, written atomically. */
#include "tillit/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "tillit/metrics.h"
#include "tillit/output.h"
#include "tillit/sim.h"

#define ERR_MAX 1200

struct tl_journal {
    char *dir;
    uint64_t hash; /* of the resolved scenario text: every block carries it */
    char note[1024];
    int npoints, R, B, bpp, nblocks, T, n_snap;
    size_t snap_size;
    uint8_t *done;
    long runs_done;
    /* read-back buffers, one block */
    double *data;
    uint8_t *state;
    char *errbuf;
    const char **errors;
    float *snaps;
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

/* FNV-1a over 64-bit words (then the tail bytes): the scenario's hash and
 * the blocks' checksums; catches torn, truncated and altered blocks, not an
 * adversary who recomputes it */
#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL
static uint64_t fnv(uint64_t h, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * FNV_PRIME;
    }
    for (; n > 0; n--, p++)
        h = (h ^ *p) * FNV_PRIME;
    return h;
}

static uint64_t block_checksum(const tl_journal *j, int nrep, int steps, const double *data,
                               const uint8_t *state, const char *const *errors,
                               const float *snaps)
{
    uint64_t h = FNV_OFFSET;
    h = fnv(h, data, sizeof(double) * (size_t)nrep * (size_t)steps * TL_NMETRICS);
    h = fnv(h, state, (size_t)nrep);
    for (int r = 0; r < nrep; r++) {
        const char *e = errors && errors[r] ? errors[r] : "";
        h = fnv(h, e, strlen(e) + 1);
    }
    if (snaps && j->snap_size)
        h = fnv(h, snaps, sizeof(float) * (size_t)nrep * (size_t)j->n_snap * j->snap_size);
    return h;
}

/* a new file, never through a symbolic link; a stale file of ours is replaced */
static int create_excl(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST && unlink(path) == 0)
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
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
    if ((fd = create_excl(tmp)) >= 0 && !(f = fdopen(fd, "w")))
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

/* 1 for the names the journal writes: scenario.yaml, layout.h5, block files,
 * their temporaries and the blocks set aside (.damaged, .foreign) */
static int journal_name(const char *n)
{
    static const char *const tails[] = {".h5", ".h5.tmp", ".h5.damaged", ".h5.foreign"};
    int b, used = 0;
    if (!strcmp(n, "scenario.yaml") || !strcmp(n, "scenario.yaml.tmp") ||
        !strcmp(n, "layout.h5") || !strcmp(n, "layout.h5.part"))
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

static void block_name(int b, char *out, size_t n) { snprintf(out, n, "block-%08d.h5", b); }

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

/* ---- open ---------------------------------------------------------------------- */

void tl_journal_close(tl_journal *j)
{
    if (!j)
        return;
    free(j->dir);
    free(j->done);
    free(j->data);
    free(j->state);
    free(j->errbuf);
    free(j->errors);
    free(j->snaps);
    free(j);
}

static tl_status scan_blocks(tl_journal *j, tl_error *err)
{
    DIR *d = opendir(j->dir);
    struct dirent *e;
    if (!d)
        return tl_error_set(err, TL_ERR_IO, "cannot read %s: %s", j->dir, strerror(errno));
    while ((e = readdir(d))) {
        int b, used = 0, len = (int)strlen(e->d_name);
        struct stat sb;
        char *p = join(j->dir, e->d_name);
        int regular = p && lstat(p, &sb) == 0 && S_ISREG(sb.st_mode);
        if (len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0 && journal_name(e->d_name) &&
            regular) {
            /* a block torn by a crash: never renamed, so never counted */
            unlink(p);
            free(p);
            continue;
        }
        free(p);
        /* only regular files named exactly block-NNNNNNNN.h5; whether one is
         * whole and belongs to this scenario is checked when it is read */
        if (regular && sscanf(e->d_name, "block-%8d%n", &b, &used) == 1 && used == 14 &&
            strcmp(e->d_name + used, ".h5") == 0 && b >= 0 && b < j->nblocks && !j->done[b]) {
            int r0 = (b % j->bpp) * j->B;
            int n = j->R - r0 < j->B ? j->R - r0 : j->B;
            j->done[b] = 1;
            j->runs_done += n;
        }
    }
    closedir(d);
    return TL_OK;
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

/* the layout with no data, for readers of a sweep in progress (again when a
 * kill took it away) */
static tl_status write_layout(tl_journal *j, const tl_scenario *sc, int always, tl_error *err)
{
    char *lp = join(j->dir, "layout.h5");
    tl_writer *w = NULL;
    tl_provenance prov = {"(journal layout)", 1, 0, 0, NULL, NULL};
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
    j->dir = malloc(strlen(output_path) + 9);
    if (!j->dir) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    sprintf(j->dir, "%s.journal", output_path);
    j->npoints = sc->npoints;
    j->R = sc->replicates;
    j->B = tl_scenario_block_reps(sc);
    j->bpp = (j->R + j->B - 1) / j->B;
    j->nblocks = j->npoints * j->bpp;
    j->T = tl_scenario_steps(sc);
    j->n_snap = sc->n_snap;
    j->snap_size = sc->n_snap > 0 ? tl_snapshot_size(&sc->points[0].params) : 0;
    j->done = calloc((size_t)j->nblocks, 1);
    j->data = malloc(sizeof(double) * (size_t)j->B * (size_t)j->T * TL_NMETRICS);
    j->state = malloc((size_t)j->B);
    j->errbuf = malloc((size_t)j->B * ERR_MAX);
    j->errors = malloc(sizeof(char *) * (size_t)j->B);
    j->snaps = j->snap_size ? malloc(sizeof(float) * (size_t)j->B * (size_t)j->n_snap * j->snap_size)
                            : NULL;
    if (!j->done || !j->data || !j->state || !j->errbuf || !j->errors ||
        (j->snap_size && !j->snaps)) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory for the journal of %d blocks",
                          j->nblocks);
        goto out;
    }
    j->hash = fnv(FNV_OFFSET, scenario_text, strlen(scenario_text));
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
            st = tl_error_set(err, TL_ERR_CONFLICT,
                              "the scenario changed since the interrupted sweep (first "
                              "difference at line %d of the resolved scenario, kept in %s); "
                              "resume with the same file and options, or start over with --force",
                              line, spath);
            goto out;
        }
        if ((st = scan_blocks(j, err)) != TL_OK)
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
    st = write_layout(j, sc, 1, err);
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

/* a scalar attribute of the given file type, written from / read into memory type mt */
static herr_t put_attr(hid_t loc, const char *name, hid_t ft, hid_t mt, const void *v)
{
    hid_t sp = H5Screate(H5S_SCALAR), a = -1;
    herr_t r = -1;
    if (sp >= 0 && (a = H5Acreate2(loc, name, ft, sp, H5P_DEFAULT, H5P_DEFAULT)) >= 0)
        r = H5Awrite(a, mt, v);
    if (a >= 0)
        H5Aclose(a);
    if (sp >= 0)
        H5Sclose(sp);
    return r;
}

static herr_t get_attr(hid_t loc, const char *name, hid_t mt, void *v)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    herr_t r;
    if (a < 0)
        return -1;
    r = H5Aread(a, mt, v);
    H5Aclose(a);
    return r;
}

static herr_t put_attr_int(hid_t loc, const char *name, int v)
{
    return put_attr(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT, &v);
}

static herr_t get_attr_int(hid_t loc, const char *name, int *v)
{
    return get_attr(loc, name, H5T_NATIVE_INT, v);
}

static herr_t put_attr_u64(hid_t loc, const char *name, uint64_t v)
{
    return put_attr(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &v);
}

static herr_t get_attr_u64(hid_t loc, const char *name, uint64_t *v)
{
    return get_attr(loc, name, H5T_NATIVE_UINT64, v);
}

/* a dataset written in one piece, uncompressed: the journal is temporary and
 * must cost the sweep as little time as possible */
static herr_t put_dset(hid_t f, const char *name, hid_t ftype, hid_t mtype, int rank,
                       const hsize_t *dims, const void *buf)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL), d = -1, dcpl = H5Pcreate(H5P_DATASET_CREATE);
    herr_t r = -1;
    if (sp >= 0 && dcpl >= 0 &&
        (d = H5Dcreate2(f, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) >= 0)
        r = H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (d >= 0 && H5Dclose(d) < 0)
        r = -1;
    if (sp >= 0)
        H5Sclose(sp);
    return r;
}

static herr_t get_dset(hid_t f, const char *name, hid_t mtype, size_t expect, void *buf)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT), sp = -1;
    herr_t r = -1;
    if (d < 0)
        return -1;
    if ((sp = H5Dget_space(d)) >= 0 && (size_t)H5Sget_simple_extent_npoints(sp) == expect)
        r = H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    return r;
}

tl_status tl_journal_put(tl_journal *j, const tl_block *b, tl_error *err)
{
    char name[64], *path = NULL, *tmp = NULL;
    tl_status st = TL_OK;
    hid_t f = -1, str = -1;
    quiet q;
    int bi = b->point * j->bpp + b->r0 / j->B;
    herr_t r = 0;
    block_name(bi, name, sizeof name);
    path = join(j->dir, name);
    tmp = path ? malloc(strlen(path) + 5) : NULL;
    if (!tmp) {
        free(path);
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
    sprintf(tmp, "%s.tmp", path);
    quiet_on(&q);
    /* a new file (O_EXCL: never through a link planted under the name) */
    if (unlink(tmp) != 0 && errno != ENOENT) {
        st = tl_error_set(err, TL_ERR_IO, "cannot replace %s: %s", tmp, strerror(errno));
        goto out;
    }
    f = H5Fcreate(tmp, H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        st = tl_error_set(err, TL_ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
        goto out;
    }
    {
        const hsize_t dd[3] = {(hsize_t)b->nrep, (hsize_t)b->steps, TL_NMETRICS};
        const hsize_t dn[1] = {(hsize_t)b->nrep};
        r |= put_attr_int(f, "block", bi);
        r |= put_attr_int(f, "point", b->point);
        r |= put_attr_int(f, "r0", b->r0);
        r |= put_attr_int(f, "nrep", b->nrep);
        r |= put_attr_int(f, "steps", b->steps);
        r |= put_attr_int(f, "nmetrics", TL_NMETRICS);
        r |= put_attr_u64(f, "scenario_hash", j->hash);
        r |= put_attr_u64(f, "checksum",
                          block_checksum(j, b->nrep, b->steps, b->data, b->state, b->errors,
                                         b->snaps));
        r |= put_dset(f, "data", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, dd, b->data);
        r |= put_dset(f, "state", H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, dn, b->state);
        str = H5Tcopy(H5T_C_S1);
        if (str < 0 || H5Tset_size(str, H5T_VARIABLE) < 0)
            r = -1;
        else
            r |= put_dset(f, "error", str, str, 1, dn, b->errors);
        if (b->snaps) {
            const hsize_t ds[2] = {(hsize_t)b->nrep, (hsize_t)j->n_snap * j->snap_size};
            r |= put_dset(f, "snaps", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 2, ds, b->snaps);
        }
    }
    if (H5Fclose(f) < 0)
        r = -1;
    f = -1;
    if (r < 0) {
        st = tl_error_set(err, TL_ERR_IO, "cannot write %s: %s", tmp,
                          errno ? strerror(errno) : "HDF5 error");
        goto out;
    }
    if (fsync_path(tmp, 0) != 0 || rename(tmp, path) != 0 || fsync_path(j->dir, 1) != 0) {
        st = tl_error_set(err, TL_ERR_IO, "cannot store %s: %s", path, strerror(errno));
        goto out;
    }
    if (!j->done[bi]) {
        j->done[bi] = 1;
        j->runs_done += b->nrep;
    }
out:
    if (str >= 0)
        H5Tclose(str);
    if (f >= 0)
        H5Fclose(f);
    if (st != TL_OK)
        unlink(tmp);
    quiet_off(&q);
    free(path);
    free(tmp);
    return st;
}

tl_status tl_journal_get(tl_journal *j, int bi, tl_block *out, tl_error *err)
{
    char name[64], *path;
    tl_status st = TL_OK;
    hid_t f = -1, str = -1;
    quiet q;
    int point, r0, nrep = 0, steps, nm;
    uint64_t hash, sum;
    char **msgs = NULL;
    if (bi < 0 || bi >= j->nblocks || !j->done[bi])
        return tl_error_set(err, TL_ERR_INVALID, "block %d is not in the journal", bi);
    block_name(bi, name, sizeof name);
    if (!(path = join(j->dir, name)))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    quiet_on(&q);
    if ((f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0 || get_attr_int(f, "point", &point) < 0 ||
        get_attr_int(f, "r0", &r0) < 0 || get_attr_int(f, "nrep", &nrep) < 0 ||
        get_attr_int(f, "steps", &steps) < 0 || get_attr_int(f, "nmetrics", &nm) < 0 ||
        get_attr_u64(f, "scenario_hash", &hash) < 0 || get_attr_u64(f, "checksum", &sum) < 0) {
        nrep = 0;
        st = tl_error_set(err, TL_ERR_IO, "%s is empty, torn or not a journal block", path);
        goto out;
    }
    if (hash != j->hash) {
        nrep = 0;
        st = tl_error_set(err, TL_ERR_CONFLICT,
                          "%s belongs to another scenario (written by a different sweep of "
                          "this output)",
                          path);
        goto out;
    }
    if (point != bi / j->bpp || r0 != (bi % j->bpp) * j->B || nrep < 1 || nrep > j->B ||
        steps != j->T || nm != TL_NMETRICS) {
        st = tl_error_set(err, TL_ERR_IO,
                          "%s does not fit this sweep (point %d, replicates %d+%d, %d steps, %d "
                          "metrics): was the program updated in between?",
                          path, point, r0, nrep, steps, nm);
        nrep = 0;
        goto out;
    }
    msgs = calloc((size_t)nrep, sizeof *msgs);
    str = H5Tcopy(H5T_C_S1);
    if (!msgs || str < 0 || H5Tset_size(str, H5T_VARIABLE) < 0 ||
        get_dset(f, "data", H5T_NATIVE_DOUBLE, (size_t)nrep * (size_t)steps * TL_NMETRICS, j->data) < 0 ||
        get_dset(f, "state", H5T_NATIVE_UINT8, (size_t)nrep, j->state) < 0 ||
        get_dset(f, "error", str, (size_t)nrep, msgs) < 0 ||
        (j->snap_size &&
         get_dset(f, "snaps", H5T_NATIVE_FLOAT, (size_t)nrep * (size_t)j->n_snap * j->snap_size,
                  j->snaps) < 0)) {
        st = tl_error_set(err, TL_ERR_IO, "cannot read the data of %s (damaged)", path);
        goto out;
    }
    for (int r = 0; r < nrep; r++) {
        snprintf(j->errbuf + (size_t)r * ERR_MAX, ERR_MAX, "%s", msgs[r] ? msgs[r] : "");
        j->errors[r] = j->errbuf + (size_t)r * ERR_MAX;
    }
    if (block_checksum(j, nrep, steps, j->data, j->state, j->errors,
                       j->snap_size ? j->snaps : NULL) != sum) {
        st = tl_error_set(err, TL_ERR_IO, "%s is damaged (its checksum does not match its data)",
                          path);
        goto out;
    }
    out->point = point;
    out->r0 = r0;
    out->nrep = nrep;
    out->steps = steps;
    out->data = j->data;
    out->state = j->state;
    out->errors = j->errors;
    out->snaps = j->snap_size ? j->snaps : NULL;
    out->prepared = NULL;
out:
    if (msgs) {
        for (int r = 0; r < nrep; r++)
            H5free_memory(msgs[r]); /* vlen strings from H5Dread */
        free(msgs);
    }
    if (str >= 0)
        H5Tclose(str);
    if (f >= 0)
        H5Fclose(f);
    quiet_off(&q);
    free(path);
    return st;
}

tl_status tl_journal_discard(tl_journal *j, int bi, const char *why, tl_error *err)
{
    char name[64], *path, *aside;
    tl_status st = TL_OK;
    if (bi < 0 || bi >= j->nblocks || !j->done[bi])
        return tl_error_set(err, TL_ERR_INVALID, "block %d is not in the journal", bi);
    block_name(bi, name, sizeof name);
    path = join(j->dir, name);
    aside = path ? malloc(strlen(path) + strlen(why) + 2) : NULL;
    if (!aside) {
        free(path);
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
    sprintf(aside, "%s.%s", path, why);
    /* kept aside, not deleted: a later look may want it; the runs are re-run */
    if (rename(path, aside) != 0 || fsync_path(j->dir, 1) != 0)
        st = tl_error_set(err, TL_ERR_IO, "cannot set %s aside: %s", path, strerror(errno));
    else {
        int r0 = (bi % j->bpp) * j->B;
        j->done[bi] = 0;
        j->runs_done -= j->R - r0 < j->B ? j->R - r0 : j->B;
    }
    free(path);
    free(aside);
    return st;
}

tl_status tl_journal_remove(tl_journal *j, tl_error *err)
{
    int r = remove_tree(j->dir);
    if (r != 0)
        return remove_failed(j->dir, r, "the journal", err);
    return TL_OK;
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
