/* h5_writer.c — the HDF5 output file (schema 1): scales, metrics, provenance, crash-safe commit.
 *
 * The layout is documented in docs/output-format.md. Decisions that are not
 * obvious from the code:
 *  - Everything goes to "<path>.part"; commit closes, fsyncs and renames it,
 *    so path only ever names a complete file.
 *  - String attributes are fixed-length, NUL-terminated, at least 2 bytes:
 *    h5netcdf 1.1 returns 1-byte strings ("S1", e.g. units="1") as raw bytes.
 *  - The file uses the HDF5 1.8 object formats (libver bounds V18..V18): the
 *    oldest that stores attributes over 64 KiB (the scenario text of a big
 *    sweep), and readable by every HDF5 1.8+ reader. A virtual join is all
 *    1.10 (V110..V110): its virtual datasets need 1.10 to read anyway.
 *  - Metric chunks are (1, B, T) with B the runner's block of replicates
 *    (tl_scenario_block_reps, 256 KiB chunks), so every tl_block fills whole
 *    chunks; they never span points. Chunks are written whole, so the chunk
 *    cache is off (write-through, no memory held per dataset).
 *  - Attributes stay compact (in the object header) up to 16 per dataset:
 *    HDF5's default, dense above 8, costs ~2.9 KB per metric dataset.
 *  - The series keep every output.every-th step and the last (the step
 *    scale holds their numbers), float32 with output.dtype; h5_series.c
 *    lays them out.
 *  - A parameter whose name is also a metric name (or a name of the layout)
 *    is stored as "param_<name>"; its `parameter` attribute gives the name.
 */
#include "tillit/output.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>
#include <zlib.h>

#include "tillit/metrics.h"
#include "tillit/params.h"
#include "tillit/rng.h"
#include "tillit/runner.h"
#include "tillit/sim.h"
#include "tillit/table.h"
#include "tillit/version.h"

#include "h5_series.h"
#include "h5_virtual.h"
#include "text.h"

#define CHUNK_BYTES_MAX ((size_t)1 << 20) /* upper bound of one chunk */
#define DEFLATE_LEVEL TL_SERIES_DEFLATE
#define PARAM_PREFIX "param_"
#define NAME_MAX_LEN 128
#define ATTR_COMPACT_MAX 16u /* attributes kept in the object header ... */
#define ATTR_DENSE_MIN 14u   /* ... and back to compact below this */

struct tl_writer {
    char *path; /* final name */
    char *part; /* "<path>.part" */
    char *dir;  /* directory of both */
    int force;
    hid_t file;
    hid_t snap_group;
    hid_t metric[TL_NMETRICS];
    hid_t status;
    hid_t errors;
    hid_t agent[TL_NAGENT_VARS];
    hid_t vlen_str; /* memory type of run_error */
    int npoints, replicates, steps, n_snap;
    int every;      /* output.every: the series keep steps every, 2*every, ... and the last */
    int ns;         /* how many steps the series keep (tl_record_nsteps) */
    int f32;        /* output.dtype float32: series (and runs) stored as float32 */
    float *f32buf;  /* replicates x ns: one metric of one point as stored, float32 */
    int block_reps; /* replicates per metric chunk */
    size_t n_employee, n_citizen, snap_size;
    double *buf;       /* replicates x ns: one metric of one point as stored */
    float *fbuf;       /* replicates x max(n_employee, n_citizen) */
    const char **msgs; /* replicates: run_error of one point */
    hid_t summ_group;
    hid_t summ[TL_NMETRICS];
    uint8_t rec[TL_NMETRICS]; /* 1: metric m is stored (the scenario's output.metrics) */
    int summary_only;         /* output: {time_series: false}: group runs instead of series */
    int window;               /* its window: the last `window` steps of each point's horizon */
    int *horizon;             /* npoints: each point's steps */
    hid_t runs_group;
    hid_t runs[TL_NMETRICS];
    double *runs_buf;         /* replicates x TL_TSTAT_N */
    /* npoints: 0 no run written (the summary is the fill value, NaN), 1 summary
     * written from a whole-point block, 2 runs written in parts (summarised at
     * commit) */
    uint8_t *summ_done;
    double *summ_out;   /* 5 x ns */
    double *summ_vals;  /* replicates */
    const struct tl_vjoin *vjoin; /* a virtual join: the per-run datasets map the shards */
};

/* ---- HDF5 error reporting -------------------------------------------------- */

/* HDF5's automatic error printing is switched off for the duration of each
 * public call and the caller's handler put back before returning. */
typedef struct {
    H5E_auto2_t func;
    void *data;
    int saved;
} h5_quiet;

static void quiet_on(h5_quiet *q)
{
    q->func = NULL;
    q->data = NULL;
    q->saved = H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data) >= 0;
    if (q->saved)
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void quiet_off(const h5_quiet *q)
{
    if (q->saved)
        H5Eset_auto2(H5E_DEFAULT, q->func, q->data);
}

typedef struct {
    char text[512];
} h5_detail;

/* The first entry walking upward is the most specific cause. A system
 * call's failure is long ("time = ..., errno = 28, error message = 'No
 * space left on device', ..."): keep its head and the system's message. */
static herr_t detail_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    static const char key[] = "error message = '";
    h5_detail *d = data;
    const char *sys;
    if (n != 0 || !e || !e->desc)
        return 0;
    sys = strstr(e->desc, key);
    if (sys) {
        const char *colon = strchr(e->desc, ':');
        const char *start = sys + sizeof key - 1;
        const char *end = strchr(start, '\'');
        snprintf(d->text, sizeof d->text, "%.*s: %.*s",
                 colon ? (int)(colon - e->desc) : (int)strlen(e->desc), e->desc,
                 end ? (int)(end - start) : (int)strlen(start), start);
    } else {
        snprintf(d->text, sizeof d->text, "%s (in %s)", e->desc, e->func_name ? e->func_name : "?");
    }
    return 0;
}

/* Record a failed HDF5 call: what the writer was doing, HDF5's own reason. */
static tl_status h5_fail(const char *file, tl_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static tl_status h5_fail(const char *file, tl_error *err, const char *fmt, ...)
{
    char what[512];
    h5_detail d;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    d.text[0] = '\0';
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, detail_cb, &d);
    H5Eclear2(H5E_DEFAULT);
    if (d.text[0])
        return tl_error_set(err, TL_ERR_IO, "%s: %s: %s", file, what, d.text);
    return tl_error_set(err, TL_ERR_IO, "%s: %s", file, what);
}

/* st = h5_fail(...) and goto out when expr is negative */
#define H5TRY(expr, ...)                                                                           \
    do {                                                                                           \
        if ((expr) < 0) {                                                                          \
            st = h5_fail(w->part, err, __VA_ARGS__);                                               \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

/* ---- small HDF5 helpers (negative on failure, everything closed) ----------- */

static herr_t close_space(hid_t s, herr_t r)
{
    return (s >= 0 && H5Sclose(s) < 0) ? -1 : r;
}
static herr_t close_type(hid_t t, herr_t r)
{
    return (t >= 0 && H5Tclose(t) < 0) ? -1 : r;
}
static herr_t close_plist(hid_t p, herr_t r)
{
    return (p >= 0 && H5Pclose(p) < 0) ? -1 : r;
}

static herr_t attr_write(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hid_t space,
                         const void *buf)
{
    hid_t a = H5Acreate2(loc, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t r;
    if (a < 0)
        return -1;
    r = H5Awrite(a, mtype, buf);
    if (H5Aclose(a) < 0)
        r = -1;
    return r;
}

/* Fixed-length UTF-8 string attribute, NUL-terminated, at least 2 bytes. */
static herr_t attr_str(hid_t loc, const char *name, const char *s)
{
    static const char empty[2] = {0, 0};
    size_t n = strlen(s) + 1;
    hid_t t, sp = -1;
    herr_t r = -1;
    if (n < 2) {
        n = 2;
        s = empty;
    }
    if ((t = H5Tcopy(H5T_C_S1)) < 0)
        return -1;
    if (H5Tset_size(t, n) >= 0 && H5Tset_strpad(t, H5T_STR_NULLTERM) >= 0 &&
        H5Tset_cset(t, H5T_CSET_UTF8) >= 0 && (sp = H5Screate(H5S_SCALAR)) >= 0)
        r = attr_write(loc, name, t, t, sp, s);
    return close_type(t, close_space(sp, r));
}

static herr_t attr_scalar(hid_t loc, const char *name, hid_t ftype, hid_t mtype, const void *v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    if (sp < 0)
        return -1;
    return close_space(sp, attr_write(loc, name, ftype, mtype, sp, v));
}

static herr_t attr_array(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                         const void *v)
{
    hid_t sp = H5Screate_simple(1, &n, NULL);
    if (sp < 0)
        return -1;
    return close_space(sp, attr_write(loc, name, ftype, mtype, sp, v));
}

static herr_t attr_double(hid_t loc, const char *name, double v)
{
    return attr_scalar(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v);
}

/* The labels of the tables (metric_labels.h, param_labels.h) beside units and
 * long_name: label_en, label_sv and description_sv (long_name is the English
 * description). */
static herr_t attr_labels(hid_t loc, const char *en, const char *sv, const char *desc_sv)
{
    if (attr_str(loc, "label_en", en) < 0 || attr_str(loc, "label_sv", sv) < 0 ||
        attr_str(loc, "description_sv", desc_sv) < 0)
        return -1;
    return 0;
}

static herr_t attr_metric_labels(hid_t loc, int m)
{
    const tl_metric_label *l = tl_metric_label_at(m);
    return attr_labels(loc, l->en, l->sv, l->desc_sv);
}

static herr_t attr_param_labels(hid_t loc, int i)
{
    const tl_param_label *l = tl_param_label_at(i);
    return attr_labels(loc, l->en, l->sv, l->desc_sv);
}

/* Create a dataset. chunk NULL: contiguous. fill (of memory type fill_type)
 * may be NULL. Chunked datasets get a write-through chunk cache. */
static hid_t dset_create(hid_t loc, const char *name, hid_t ftype, int rank, const hsize_t *dims,
                         const hsize_t *chunk, int compress, hid_t fill_type, const void *fill)
{
    hid_t space = -1, dcpl = -1, dapl = -1, d = -1;
    if ((space = H5Screate_simple(rank, dims, NULL)) < 0 ||
        (dcpl = H5Pcreate(H5P_DATASET_CREATE)) < 0 || (dapl = H5Pcreate(H5P_DATASET_ACCESS)) < 0)
        goto out;
    if (chunk) {
        if (H5Pset_chunk(dcpl, rank, chunk) < 0 ||
            H5Pset_chunk_cache(dapl, H5D_CHUNK_CACHE_NSLOTS_DEFAULT, 0, 1.0) < 0)
            goto out;
        if (compress && (H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, DEFLATE_LEVEL) < 0))
            goto out;
    }
    if (fill && H5Pset_fill_value(dcpl, fill_type, fill) < 0)
        goto out;
    /* attributes stay in the object header (compact) up to 16: a metric has
     * 10 with its scales, and HDF5's default (dense above 8) costs a fractal
     * heap and a B-tree per dataset: ~2.9 KB more each (docs/output-format.md) */
    if (H5Pset_attr_phase_change(dcpl, ATTR_COMPACT_MAX, ATTR_DENSE_MIN) < 0)
        goto out;

    d = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, dapl);
out:
    if (close_plist(dapl, close_plist(dcpl, close_space(space, 0))) < 0 && d >= 0) {
        H5Dclose(d);
        d = -1;
    }
    return d;
}

/* A dataset of values per run (or, with reps 0, per point): stored as
 * dset_create makes it, or in a virtual join mapped onto the same dataset
 * (path from the root) of the shard files. pa is the point axis. */
static hid_t run_dset(const tl_writer *w, hid_t loc, const char *name, const char *path,
                      hid_t ftype, int rank, const hsize_t *dims, const hsize_t *chunk,
                      int compress, hid_t fill_type, const void *fill, int pa, int reps)
{
    if (w->vjoin)
        return tl_h5v_create(w->vjoin, loc, name, path, ftype, rank, dims, pa, reps, fill_type,
                             fill, ATTR_COMPACT_MAX, ATTR_DENSE_MIN);
    return dset_create(loc, name, ftype, rank, dims, chunk, compress, fill_type, fill);
}

/* A 1-D int32 dimension scale called name holding values[0..n-1]. */
static hid_t scale_create(hid_t loc, const char *name, const int *values, size_t n,
                          const char *long_name)
{
    hsize_t dim = n;
    hid_t d = dset_create(loc, name, H5T_STD_I32LE, 1, &dim, NULL, 0, -1, NULL);
    if (d < 0)
        return -1;
    if (H5Dwrite(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0 ||
        H5DSset_scale(d, name) < 0 || attr_str(d, "units", "1") < 0 ||
        attr_str(d, "long_name", long_name) < 0) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

/* 0..n-1, or first..first+n-1 */
static hid_t scale_range(hid_t loc, const char *name, int first, size_t n, const char *long_name)
{
    int *v = malloc(sizeof *v * (n ? n : 1));
    hid_t d;
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = first + (int)i;
    d = scale_create(loc, name, v, n, long_name);
    free(v);
    return d;
}

static herr_t attach(hid_t d, const hid_t *scales, int rank)
{
    for (int i = 0; i < rank; i++)
        if (H5DSattach_scale(d, scales[i], (unsigned)i) < 0)
            return -1;
    return 0;
}

static herr_t close_all(hid_t *ids, int n)
{
    herr_t r = 0;
    for (int i = 0; i < n; i++)
        if (ids[i] >= 0 && H5Dclose(ids[i]) < 0)
            r = -1;
    return r;
}

/* ---- names ------------------------------------------------------------------ */

static int is_layout_name(const char *s)
{
    static const char *const names[] = {
        "point",     "replicate",    "step",       "point_label",   "run_status",     "run_error",
        "snapshots", "design_block", "design_row", "design_values", "design_variable"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0)
            return 1;
    return 0;
}

/* Dataset name of parameter i (see the banner). */
static void param_dset_name(int i, char *out, size_t n)
{
    const char *name = tl_param_info_at(i)->name;
    if (tl_metric_index(name) >= 0 || is_layout_name(name))
        snprintf(out, n, "%s%s", PARAM_PREFIX, name);
    else
        snprintf(out, n, "%s", name);
}

/* Space-separated dataset names: kind 0 all parameters, 1 varied
 * parameters, 2 the metrics stored, 4 every metric, 3 the coordinates along point (point_label, the
 * design's block and row when recorded, all parameters). Caller frees. */
static char *name_list(const tl_scenario *sc, int kind)
{
    size_t cap = 64 + 32, len = 0;
    int n = kind == 1 ? sc->nvaried : kind == 2 || kind == 4 ? TL_NMETRICS : TL_NPARAMS;
    char *s;
    for (int i = 0; i < n; i++)
        cap += NAME_MAX_LEN + 1;
    if (!(s = malloc(cap)))
        return NULL;
    s[0] = '\0';
    if (kind == 3) {
        len += (size_t)snprintf(s, cap, "point_label");
        if (sc->design_block)
            len += (size_t)snprintf(s + len, cap - len, " design_block");
        if (sc->design_row)
            len += (size_t)snprintf(s + len, cap - len, " design_row");
    }
    for (int i = 0; i < n; i++) {
        char name[NAME_MAX_LEN];
        if (kind == 2 && !tl_scenario_records(sc, i))
            continue; /* not stored */
        if (kind == 2 || kind == 4)
            snprintf(name, sizeof name, "%s", tl_metric_info_at(i)->name);
        else
            param_dset_name(kind == 1 ? sc->varied[i] : i, name, sizeof name);
        len += (size_t)snprintf(s + len, cap - len, "%s%s", len ? " " : "", name);
    }
    return s;
}

/* ---- paths ------------------------------------------------------------------ */

static char *str_dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *d;
    size_t n;
    if (!slash)
        return str_dup(".");
    n = slash == path ? 1 : (size_t)(slash - path);
    if (!(d = malloc(n + 1)))
        return NULL;
    memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

/* fsync a file or directory by name; directories that cannot be synced
 * (EINVAL on some file systems) are not an error. */
static int sync_path(const char *p, int is_dir)
{
    int fd = open(p, O_RDONLY | (is_dir ? O_DIRECTORY : 0));
    int r;
    if (fd < 0)
        return -1;
    r = fsync(fd);
    if (r < 0 && is_dir && (errno == EINVAL || errno == ENOTSUP))
        r = 0;
    if (close(fd) < 0)
        r = -1;
    return r;
}

/* ---- the file's fixed content ------------------------------------------------ */

static tl_status write_root_attrs(tl_writer *w, const tl_scenario *sc, const tl_provenance *prov,
                                  tl_error *err)
{
    tl_status st = TL_OK;
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    char *yaml = NULL, *varied = NULL, *params = NULL, *metrics = NULL;
    uint64_t seed = sc->seed;
    int32_t reps = sc->replicates, base = sc->design_base;
    char design[sizeof sc->design + 1];
    hid_t f = w->file;

    if (gmtime_r(&now, &tm) == NULL ||
        strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(created, sizeof created, "unknown");
    yaml = tl_scenario_to_yaml(sc);
    varied = name_list(sc, 1);
    params = name_list(sc, 0);
    metrics = name_list(sc, 2);
    if (!yaml || !varied || !params || !metrics) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory writing the provenance", w->part);
        goto out;
    }
    H5TRY(attr_str(f, "title", "tillit simulation output"), "cannot write attribute title");
    H5TRY(attr_str(f, "tillit_version", prov && prov->version ? prov->version : TILLIT_VERSION),
          "cannot write attribute tillit_version");
    H5TRY(attr_str(f, "git_revision", prov && prov->revision ? prov->revision : TILLIT_GIT_REVISION),
          "cannot write attribute git_revision");
    H5TRY(attr_str(f, "schema_version", TL_SCHEMA_VERSION),
          "cannot write attribute schema_version");
    H5TRY(attr_str(f, "command_line", prov && prov->command_line ? prov->command_line : ""),
          "cannot write attribute command_line");
    if (w->vjoin) { /* its runs are in these shard files, beside it */
        const int32_t nv = w->vjoin->n;
        H5TRY(attr_scalar(f, "virtual_shards", H5T_STD_I32LE, H5T_NATIVE_INT32, &nv),
              "cannot write attribute virtual_shards");
        H5TRY(attr_str(f, "virtual_shard_first", w->vjoin->files[0]),
              "cannot write attribute virtual_shard_first");
    }
    {
        int32_t complete = prov && prov->incomplete ? 0 : 1;
        H5TRY(attr_scalar(f, "complete", H5T_STD_I32LE, H5T_NATIVE_INT32, &complete),
              "cannot write attribute complete");
    }
    if (prov && prov->shard_n > 0) { /* a slice of the design: for tillit merge */
        int32_t kn[2] = {prov->shard_k, prov->shard_n};
        H5TRY(attr_scalar(f, "shard_index", H5T_STD_I32LE, H5T_NATIVE_INT32, &kn[0]),
              "cannot write attribute shard_index");
        H5TRY(attr_scalar(f, "shard_count", H5T_STD_I32LE, H5T_NATIVE_INT32, &kn[1]),
              "cannot write attribute shard_count");
    }
    H5TRY(attr_str(f, "created", created), "cannot write attribute created");
    H5TRY(attr_str(f, "rng", tl_rng_description()), "cannot write attribute rng");
    H5TRY(attr_scalar(f, "master_seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed),
          "cannot write attribute master_seed");
    H5TRY(attr_scalar(f, "replicates", H5T_STD_I32LE, H5T_NATIVE_INT32, &reps),
          "cannot write attribute replicates");
    {
        const int32_t crn = sc->crn ? 1 : 0;
        H5TRY(attr_scalar(f, "common_random_numbers", H5T_STD_I32LE, H5T_NATIVE_INT32, &crn),
              "cannot write attribute common_random_numbers");
    }
    H5TRY(attr_str(f, "scenario_name", sc->name), "cannot write attribute scenario_name");
    H5TRY(attr_str(f, "scenario", yaml), "cannot write attribute scenario (%zu bytes)",
          strlen(yaml));
    {
        /* the text's hash: tillit merge compares shards by it, not by reading each text */
        const uint64_t hash = tl_text_hash(yaml, strlen(yaml));
        H5TRY(attr_scalar(f, "scenario_hash", H5T_STD_U64LE, H5T_NATIVE_UINT64, &hash),
              "cannot write attribute scenario_hash");
    }
    H5TRY(attr_str(f, "varied_parameters", varied), "cannot write attribute varied_parameters");
    H5TRY(attr_str(f, "parameter_names", params), "cannot write attribute parameter_names");
    H5TRY(attr_str(f, "metric_names", metrics), "cannot write attribute metric_names");
    {
        /* every metric a run computes, in table order: the metric axis of the
         * journal's blocks, which hold them all whatever the file stores */
        char *all = name_list(sc, 4);
        herr_t r = all ? attr_str(f, "run_metric_names", all) : -1;
        free(all);
        H5TRY(r, "cannot write attribute run_metric_names");
    }
    memcpy(design, sc->design, sizeof sc->design);
    design[sizeof sc->design] = '\0';
    H5TRY(attr_str(f, "design", design), "cannot write attribute design");
    {
        const int32_t every = w->every;
        H5TRY(attr_scalar(f, "record_every", H5T_STD_I32LE, H5T_NATIVE_INT32, &every),
              "cannot write attribute record_every");
        H5TRY(attr_str(f, "record_dtype", w->f32 ? "float32" : "float64"),
              "cannot write attribute record_dtype");
    }
    H5TRY(attr_scalar(f, "design_base", H5T_STD_I32LE, H5T_NATIVE_INT32, &base),
          "cannot write attribute design_base");
out:
    free(yaml);
    free(varied);
    free(params);
    free(metrics);
    return st;
}

/* Parameter `param` at every point into vals (np); 0 when no point differs from
 * point 0, whose value is then vals[0] alone (made once, not a million times, when
 * the points are made on demand). */
static int point_values(const tl_scenario *sc, int param, double *vals)
{
    tl_point buf;
    int varies = 0;
    for (int v = 0; v < sc->nvaried; v++)
        varies |= sc->varied[v] == param;
    if (!varies) {
        vals[0] = tl_params_get(&tl_scenario_point(sc, 0, &buf)->params, param);
        return 0;
    }
    for (int k = 0; k < sc->npoints; k++)
        vals[k] = tl_params_get(&tl_scenario_point(sc, k, &buf)->params, param);
    return 1;
}

/* Every point's label into labels (np x TL_LABEL_MAX + 1), lp[k] pointing at each. */
static void point_labels(const tl_scenario *sc, char *labels, const char **lp)
{
    for (int k = 0; k < sc->npoints; k++) {
        tl_point buf;
        char *dst = labels + (size_t)k * (TL_LABEL_MAX + 1);
        memcpy(dst, tl_scenario_point(sc, k, &buf)->label, TL_LABEL_MAX);
        dst[TL_LABEL_MAX] = '\0';
        lp[k] = dst;
    }
}

/* point_label and one dataset per parameter, along point */
static tl_status write_points(tl_writer *w, const tl_scenario *sc, hid_t point_scale, tl_error *err)
{
    tl_status st = TL_OK;
    const size_t np = (size_t)sc->npoints;
    const hsize_t dim = np;
    char *labels = malloc(np * (TL_LABEL_MAX + 1));
    const char **lp = malloc(np * sizeof *lp);
    double *vals = malloc(np * sizeof *vals);
    hid_t str = -1, d = -1;

    if (!labels || !lp || !vals) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory writing %zu points", w->part, np);
        goto out;
    }
    point_labels(sc, labels, lp);
    H5TRY(str = H5Tcopy(H5T_C_S1), "cannot make a string type");
    H5TRY(H5Tset_size(str, H5T_VARIABLE), "cannot make a string type");
    H5TRY(H5Tset_cset(str, H5T_CSET_UTF8), "cannot make a string type");
    H5TRY(d = dset_create(w->file, "point_label", str, 1, &dim, NULL, 0, -1, NULL),
          "cannot create dataset point_label");
    H5TRY(H5Dwrite(d, str, H5S_ALL, H5S_ALL, H5P_DEFAULT, lp), "cannot write point_label");
    H5TRY(attr_str(d, "long_name", "label of the parameter point"), "cannot label point_label");
    H5TRY(attach(d, &point_scale, 1), "cannot attach the point scale to point_label");
    H5TRY(H5Dclose(d), "cannot close point_label");
    d = -1;

    for (int i = 0; i < TL_NPARAMS; i++) {
        const tl_param_info *pi = tl_param_info_at(i);
        char name[NAME_MAX_LEN];
        param_dset_name(i, name, sizeof name);
        /* a parameter no point varies is its fill value, never written: every
         * reader gets it at every point, and a design of 10^6 points does not
         * write 8 MB of one number per parameter (1.3 GB in all) */
        const int varies = point_values(sc, i, vals);
        H5TRY(d = dset_create(w->file, name, H5T_IEEE_F64LE, 1, &dim, NULL, 0,
                              varies ? -1 : H5T_NATIVE_DOUBLE, varies ? NULL : vals),
              "cannot create parameter dataset %s", name);
        if (varies)
            H5TRY(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, vals),
                  "cannot write parameter %s", name);
        H5TRY(attr_str(d, "units", pi->unit), "cannot write attributes of parameter %s", name);
        H5TRY(attr_str(d, "long_name", pi->desc), "cannot write attributes of parameter %s", name);
        H5TRY(attr_param_labels(d, i), "cannot write attributes of parameter %s", name);
        H5TRY(attr_str(d, "parameter", pi->name), "cannot write attributes of parameter %s", name);
        H5TRY(attr_str(d, "type", pi->type == TL_PTYPE_INT ? "INT" : "REAL"),
              "cannot write attributes of parameter %s", name);
        H5TRY(attr_str(d, "group", pi->group), "cannot write attributes of parameter %s", name);
        H5TRY(attr_str(d, "principle", pi->principle), "cannot write attributes of parameter %s",
              name);
        H5TRY(attr_str(d, "source", pi->source), "cannot write attributes of parameter %s", name);
        H5TRY(attr_double(d, "valid_min", pi->min), "cannot write attributes of parameter %s",
              name);
        H5TRY(attr_double(d, "valid_max", pi->max), "cannot write attributes of parameter %s",
              name);
        H5TRY(attr_double(d, "default", pi->def), "cannot write attributes of parameter %s", name);
        H5TRY(attach(d, &point_scale, 1), "cannot attach the point scale to %s", name);
        H5TRY(H5Dclose(d), "cannot close parameter dataset %s", name);
        d = -1;
    }
out:
    if (d >= 0)
        H5Dclose(d);
    if (str >= 0)
        H5Tclose(str);
    free(labels);
    free(lp);
    free(vals);
    return st;
}

/* An int32 dataset along point (design_block, design_row). */
static tl_status write_point_ints(tl_writer *w, const char *name, const int *v,
                                  const char *long_name, hid_t point_scale, tl_error *err)
{
    tl_status st = TL_OK;
    const hsize_t dim = (hsize_t)w->npoints;
    hid_t d = -1;
    H5TRY(d = dset_create(w->file, name, H5T_STD_I32LE, 1, &dim, NULL, 0, -1, NULL),
          "cannot create dataset %s", name);
    H5TRY(H5Dwrite(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), "cannot write %s", name);
    H5TRY(attr_str(d, "long_name", long_name), "cannot label %s", name);
    H5TRY(attr_str(d, "units", "1"), "cannot label %s", name);
    H5TRY(attach(d, &point_scale, 1), "cannot attach the point scale to %s", name);
out:
    if (d >= 0 && H5Dclose(d) < 0 && st == TL_OK)
        st = h5_fail(w->part, err, "cannot close %s", name);
    return st;
}

/* How the points were made (the sweep design), when recorded: the scale
 * design_variable (their names), design_values (point, design_variable),
 * design_block and design_row (point). */
static tl_status write_design(tl_writer *w, const tl_scenario *sc, hid_t point_scale, tl_error *err)
{
    tl_status st = TL_OK;
    const size_t nd =
        sc->ndesign > 0 && sc->design_names && sc->design_values ? (size_t)sc->ndesign : 0;
    const hsize_t dims[2] = {(hsize_t)sc->npoints, nd};
    char *names = NULL;
    const char **np = NULL;
    hid_t scales[2] = {point_scale, -1}, d = -1;

    if (sc->design_block &&
        (st = write_point_ints(w, "design_block", sc->design_block,
                               "block of the design the point belongs to (sobol-saltelli: 0 = A, "
                               "1 = B, 2+i = AB_i, 2+d+i = BA_i with second_order; morris: "
                               "trajectory)",
                               point_scale, err)) != TL_OK)
        return st;
    if (sc->design_row && (st = write_point_ints(w, "design_row", sc->design_row,
                                                 "row of the point within its design block",
                                                 point_scale, err)) != TL_OK)
        return st;
    if (nd == 0)
        return TL_OK;
    names = malloc(nd * (TL_LABEL_MAX + 1));
    np = malloc(nd * sizeof *np);
    if (!names || !np) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory writing the design", w->part);
        goto out;
    }
    for (size_t i = 0; i < nd; i++) {
        char *dst = names + i * (TL_LABEL_MAX + 1);
        memcpy(dst, sc->design_names[i], TL_LABEL_MAX);
        dst[TL_LABEL_MAX] = '\0';
        np[i] = dst;
    }
    /* a string-valued scale: xarray indexes design_values by name */
    H5TRY(scales[1] =
              dset_create(w->file, "design_variable", w->vlen_str, 1, &dims[1], NULL, 0, -1, NULL),
          "cannot create scale design_variable");
    H5TRY(H5Dwrite(scales[1], w->vlen_str, H5S_ALL, H5S_ALL, H5P_DEFAULT, np),
          "cannot write design_variable");
    H5TRY(H5DSset_scale(scales[1], "design_variable"), "cannot make design_variable a scale");
    H5TRY(attr_str(scales[1], "long_name", "design variable (a parameter or schedule setting)"),
          "cannot label design_variable");
    H5TRY(d = dset_create(w->file, "design_values", H5T_IEEE_F64LE, 2, dims, NULL, 0, -1, NULL),
          "cannot create dataset design_values");
    H5TRY(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, sc->design_values),
          "cannot write design_values");
    H5TRY(attr_str(d, "long_name",
                   "value of each design variable at each point, as the design set it"),
          "cannot label design_values");
    H5TRY(attach(d, scales, 2), "cannot attach dimension scales to design_values");
out:
    if (d >= 0 && H5Dclose(d) < 0 && st == TL_OK)
        st = h5_fail(w->part, err, "cannot close design_values");
    if (scales[1] >= 0 && H5Dclose(scales[1]) < 0 && st == TL_OK)
        st = h5_fail(w->part, err, "cannot close design_variable");
    free(names);
    free(np);
    return st;
}

/* In a virtual join, a dataset of runs is closed once made: an open virtual
 * dataset holds its mappings in memory, and all of them open at once took
 * 212 MB to join 64 shards of 1,024 points (70 MB closed as made). Nothing
 * is written to it; finish_summary opens a metric again by name. */
static herr_t virtual_done(const tl_writer *w, hid_t *d)
{
    herr_t r = 0;
    if (w->vjoin && *d >= 0) {
        r = H5Dclose(*d);
        *d = -1;
    }
    return r;
}

/* One float64 dataset per metric (point, replicate, step), run_status and
 * run_error (point, replicate). scales: point, replicate, step. */
/* The file type of the series and of group runs: float32 when asked for. */
static hid_t series_type(const tl_writer *w)
{
    return w->f32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
}

/* _FillValue (NaN) in the dataset's own type, as CF asks. */
static herr_t attr_fill(const tl_writer *w, hid_t d)
{
    const float nanf = NAN;
    return w->f32 ? attr_scalar(d, "_FillValue", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, &nanf)
                  : attr_double(d, "_FillValue", (double)NAN);
}

/* The stored steps (1-based step numbers, tl_record_step) as a scale. */
static hid_t scale_stored_steps(const tl_writer *w, hid_t loc)
{
    int *v = malloc(sizeof *v * (size_t)w->ns);
    hid_t d;
    if (!v)
        return -1;
    for (int i = 0; i < w->ns; i++)
        v[i] = tl_record_step(w->steps, w->every, i);
    d = scale_create(loc, "step", v, (size_t)w->ns,
                     w->every > 1 ? "step (one step is one week; every record_every-th and the last)"
                                  : "step (one step is one week)");
    free(v);
    return d;
}

static tl_status create_series(tl_writer *w, const hid_t *scales, const char *coords, tl_error *err)
{
    tl_status st = TL_OK;
    const double nan = (double)NAN;
    const int8_t zero = 0, flags[3] = {TL_RUN_NOT_RUN, TL_RUN_OK, TL_RUN_FAILED};
    const hsize_t dims[3] = {(hsize_t)w->npoints, (hsize_t)w->replicates, (hsize_t)w->ns};
    const hsize_t chunk[3] = {1, (hsize_t)w->block_reps, (hsize_t)w->ns};

    for (int m = 0; m < TL_NMETRICS; m++) {
        const tl_metric_info *mi = tl_metric_info_at(m);
        hid_t d;
        if (!w->rec[m] || w->summary_only)
            continue;
        H5TRY(d = w->metric[m] = run_dset(w, w->file, mi->name, mi->name, series_type(w), 3, dims,
                                          chunk, 1, H5T_NATIVE_DOUBLE, &nan, 0, 1),
              "cannot create metric dataset %s", mi->name);
        H5TRY(attr_fill(w, d), "cannot write attributes of metric %s", mi->name);
        H5TRY(attr_str(d, "units", mi->unit), "cannot write attributes of metric %s", mi->name);
        H5TRY(attr_str(d, "long_name", mi->desc), "cannot write attributes of metric %s", mi->name);
        H5TRY(attr_metric_labels(d, m), "cannot write attributes of metric %s", mi->name);
        H5TRY(attr_str(d, "aggregation", mi->agg), "cannot write attributes of metric %s",
              mi->name);
        H5TRY(attr_str(d, "group", mi->group), "cannot write attributes of metric %s", mi->name);
        H5TRY(attr_str(d, "coordinates", coords), "cannot write attributes of metric %s", mi->name);
        H5TRY(attach(d, scales, 3), "cannot attach dimension scales to metric %s", mi->name);
        H5TRY(virtual_done(w, &w->metric[m]), "cannot close metric dataset %s", mi->name);
    }

    H5TRY(w->status = run_dset(w, w->file, "run_status", "run_status", H5T_STD_I8LE, 2, dims, NULL,
                               0, H5T_NATIVE_INT8, &zero, 0, 1),
          "cannot create dataset run_status");
    H5TRY(attr_str(w->status, "long_name", "outcome of the run"), "cannot label run_status");
    H5TRY(attr_str(w->status, "units", "1"), "cannot label run_status");
    H5TRY(attr_array(w->status, "flag_values", H5T_STD_I8LE, H5T_NATIVE_INT8, 3, flags),
          "cannot label run_status");
    H5TRY(attr_str(w->status, "flag_meanings", "not_run ok failed"), "cannot label run_status");
    H5TRY(attr_str(w->status, "coordinates", coords), "cannot label run_status");
    H5TRY(attach(w->status, scales, 2), "cannot attach dimension scales to run_status");
    H5TRY(virtual_done(w, &w->status), "cannot close run_status");

    H5TRY(w->errors = run_dset(w, w->file, "run_error", "run_error", w->vlen_str, 2, dims, NULL, 0,
                               -1, NULL, 0, 1),
          "cannot create dataset run_error");
    H5TRY(attr_str(w->errors, "long_name", "error message of a failed run (empty otherwise)"),
          "cannot label run_error");
    H5TRY(attr_str(w->errors, "coordinates", coords), "cannot label run_error");
    H5TRY(attach(w->errors, scales, 2), "cannot attach dimension scales to run_error");
    H5TRY(virtual_done(w, &w->errors), "cannot close run_error");
out:
    return st;
}

/* Group "snapshots": its own scales and one float32 dataset per agent
 * variable (snapshot_step, point, replicate, employee|citizen). */
static tl_status create_snapshots(tl_writer *w, const tl_scenario *sc, tl_error *err)
{
    tl_status st = TL_OK;
    const float nan = NAN;
    const tl_agent_var_info *av = tl_agent_var_table();
    enum { S_STEP, S_POINT, S_REP, S_EMP, S_CIT, S_N };
    hid_t s[S_N] = {-1, -1, -1, -1, -1};
    hid_t g = -1;
    char *names = NULL;

    H5TRY(g = w->snap_group =
              H5Gcreate2(w->file, "snapshots", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
          "cannot create group snapshots");
    if (!(names = malloc((size_t)TL_NAGENT_VARS * (NAME_MAX_LEN + 1)))) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", w->part);
        goto out;
    }
    names[0] = '\0';
    for (int v = 0, len = 0; v < TL_NAGENT_VARS; v++)
        len += snprintf(names + len, (size_t)TL_NAGENT_VARS * (NAME_MAX_LEN + 1) - (size_t)len,
                        "%s%s", v ? " " : "", av[v].name);
    H5TRY(attr_str(g, "title", "agent-level snapshots after the steps in snapshot_step"),
          "cannot label group snapshots");
    H5TRY(attr_str(g, "variable_names", names), "cannot label group snapshots");
    H5TRY(s[S_STEP] = scale_create(g, "snapshot_step", sc->snap_steps, (size_t)w->n_snap,
                                   "step after which the snapshot was taken (0 = initial state)"),
          "cannot create scale snapshots/snapshot_step");
    H5TRY(s[S_POINT] = scale_range(g, "point", 0, (size_t)w->npoints, "parameter point"),
          "cannot create scale snapshots/point");
    H5TRY(s[S_REP] = scale_range(g, "replicate", 0, (size_t)w->replicates, "replicate"),
          "cannot create scale snapshots/replicate");
    H5TRY(s[S_EMP] = scale_range(g, "employee", 0, w->n_employee, "employee index"),
          "cannot create scale snapshots/employee");
    H5TRY(s[S_CIT] = scale_range(g, "citizen", 0, w->n_citizen, "citizen index"),
          "cannot create scale snapshots/citizen");

    for (int v = 0; v < TL_NAGENT_VARS; v++) {
        const int emp = strcmp(av[v].agent, "employee") == 0;
        const size_t n = emp ? w->n_employee : w->n_citizen;
        const size_t per_chunk = CHUNK_BYTES_MAX / sizeof(float);
        const hsize_t cn = n < per_chunk ? n : per_chunk;
        const hsize_t dims[4] = {(hsize_t)w->n_snap, (hsize_t)w->npoints, (hsize_t)w->replicates,
                                 n};
        /* a block's replicates when they fit in a chunk, else one at a time */
        const hsize_t rows = (size_t)w->block_reps * cn * sizeof(float) <= CHUNK_BYTES_MAX
                                 ? (hsize_t)w->block_reps
                                 : 1;
        const hsize_t chunk[4] = {1, 1, rows, cn};
        const hid_t sv[4] = {s[S_STEP], s[S_POINT], s[S_REP], emp ? s[S_EMP] : s[S_CIT]};
        hid_t d;
        char path[NAME_MAX_LEN + 16];
        snprintf(path, sizeof path, "snapshots/%s", av[v].name);
        H5TRY(d = w->agent[v] = run_dset(w, g, av[v].name, path, H5T_IEEE_F32LE, 4, dims, chunk, 1,
                                         H5T_NATIVE_FLOAT, &nan, 1, 1),
              "cannot create snapshot dataset %s", av[v].name);
        H5TRY(attr_scalar(d, "_FillValue", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, &nan),
              "cannot write attributes of snapshot %s", av[v].name);
        H5TRY(attr_str(d, "units", av[v].unit), "cannot write attributes of snapshot %s",
              av[v].name);
        H5TRY(attr_str(d, "long_name", av[v].desc), "cannot write attributes of snapshot %s",
              av[v].name);
        H5TRY(attr_str(d, "agent", av[v].agent), "cannot write attributes of snapshot %s",
              av[v].name);
        H5TRY(attach(d, sv, 4), "cannot attach dimension scales to snapshot %s", av[v].name);
        H5TRY(virtual_done(w, &w->agent[v]), "cannot close snapshot %s", av[v].name);
    }
out:
    free(names);
    if (close_all(s, S_N) < 0 && st == TL_OK)
        st = h5_fail(w->part, err, "cannot close the snapshot scales");
    return st;
}

/* ---- per-run summaries (output: {time_series: false}) --------------------------- */

/* Group "runs": per recorded metric, (point, replicate, statistic) float64,
 * the statistics TL_TSTAT_* of each run over the last `window` steps of its
 * point's horizon, as `tillit table` computes them from time series. */
static tl_status create_runs(tl_writer *w, tl_error *err)
{
    tl_status st = TL_OK;
    const double nan = (double)NAN;
    const char *names[TL_TSTAT_N];
    const hsize_t R = (hsize_t)w->replicates, nst = TL_TSTAT_N;
    const hsize_t dims[3] = {(hsize_t)w->npoints, R, nst};
    const hsize_t chunk[3] = {1, R < 8192 ? R : 8192, nst};
    const int32_t window = w->window;
    hid_t sc[3] = {-1, -1, -1};
    for (int s = 0; s < TL_TSTAT_N; s++)
        names[s] = tl_table_stat_name(s);
    H5TRY(w->runs_group = H5Gcreate2(w->file, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
          "cannot create group runs");
    H5TRY(attr_str(w->runs_group, "long_name",
                   "statistics of each run over the last `window` steps of its point's horizon "
                   "(NaN steps skipped; NaN for runs that did not finish)"),
          "cannot label group runs");
    H5TRY(attr_scalar(w->runs_group, "window", H5T_STD_I32LE, H5T_NATIVE_INT32, &window),
          "cannot label group runs");
    H5TRY(sc[0] = scale_range(w->runs_group, "point", 0, (size_t)w->npoints, "index of the point"),
          "cannot create scale runs/point");
    H5TRY(sc[1] = scale_range(w->runs_group, "replicate", 0, (size_t)w->replicates, "replicate"),
          "cannot create scale runs/replicate");
    H5TRY(sc[2] = dset_create(w->runs_group, "run_statistic", w->vlen_str, 1, &nst, NULL, 0, -1,
                              NULL),
          "cannot create scale runs/run_statistic");
    H5TRY(H5Dwrite(sc[2], w->vlen_str, H5S_ALL, H5S_ALL, H5P_DEFAULT, names),
          "cannot write runs/run_statistic");
    H5TRY(H5DSset_scale(sc[2], "run_statistic"), "cannot make runs/run_statistic a scale");
    for (int m = 0; m < TL_NMETRICS; m++) {
        const tl_metric_info *mi = tl_metric_info_at(m);
        hid_t d;
        if (!w->rec[m])
            continue;
        char path[NAME_MAX_LEN + 16];
        snprintf(path, sizeof path, "runs/%s", mi->name);
        H5TRY(d = w->runs[m] = run_dset(w, w->runs_group, mi->name, path, series_type(w), 3, dims,
                                        chunk, 1, H5T_NATIVE_DOUBLE, &nan, 0, 1),
              "cannot create runs/%s", mi->name);
        H5TRY(attr_fill(w, d), "cannot label runs/%s", mi->name);
        H5TRY(attr_str(d, "units", mi->unit), "cannot label runs/%s", mi->name);
        H5TRY(attr_str(d, "long_name", mi->desc), "cannot label runs/%s", mi->name);
        H5TRY(attr_metric_labels(d, m), "cannot label runs/%s", mi->name);
        H5TRY(attach(d, sc, 3), "cannot attach scales to runs/%s", mi->name);
        H5TRY(virtual_done(w, &w->runs[m]), "cannot close runs/%s", mi->name);
    }
out:
    close_all(sc, 3);
    return st;
}

/* The statistics of replicates [r0, r0+nrep) of one point into group runs. */
static tl_status put_run_stats(tl_writer *w, int point, int r0, int nrep, const double *data,
                               const uint8_t *state, tl_error *err)
{
    tl_status st = TL_OK;
    static const int all[TL_TSTAT_N] = {TL_TSTAT_MEAN, TL_TSTAT_SD, TL_TSTAT_MIN,
                                        TL_TSTAT_MAX,  TL_TSTAT_LAST, TL_TSTAT_SUM};
    const int T = w->steps, H = w->horizon[point], a = H > w->window ? H - w->window : 0;
    const hsize_t start[3] = {(hsize_t)point, (hsize_t)r0, 0};
    const hsize_t count[3] = {1, (hsize_t)nrep, TL_TSTAT_N};
    hid_t fs = -1, ms = -1;
    for (int m = 0; m < TL_NMETRICS; m++) {
        if (!w->rec[m])
            continue;
        for (int r = 0; r < nrep; r++) {
            double *o = w->runs_buf + (size_t)r * TL_TSTAT_N;
            if (state[r] != TL_RUN_OK) {
                for (int s = 0; s < TL_TSTAT_N; s++)
                    o[s] = (double)NAN;
                continue;
            }
            tl_window_stats(data + (size_t)r * (size_t)T * TL_NMETRICS + (size_t)m, TL_NMETRICS, a,
                            H, all, TL_TSTAT_N, o);
        }
        H5TRY(fs = H5Dget_space(w->runs[m]), "cannot write runs/%s", tl_metric_info_at(m)->name);
        H5TRY(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL),
              "cannot select in runs/%s", tl_metric_info_at(m)->name);
        H5TRY(ms = H5Screate_simple(3, count, NULL), "cannot make a data space");
        H5TRY(H5Dwrite(w->runs[m], H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, w->runs_buf),
              "cannot write runs/%s of point %d", tl_metric_info_at(m)->name, point);
        H5Sclose(fs);
        H5Sclose(ms);
        fs = ms = -1;
    }
out:
    close_space(fs, 0);
    close_space(ms, 0);
    return st;
}

/* ---- life cycle -------------------------------------------------------------- */

/* Close every HDF5 object of w (file last); negative when any close fails. */
static herr_t writer_close(tl_writer *w)
{
    herr_t r = 0;
    if (close_all(w->metric, TL_NMETRICS) < 0 || close_all(w->summ, TL_NMETRICS) < 0 ||
        close_all(w->runs, TL_NMETRICS) < 0 ||
        close_all(&w->status, 1) < 0 ||
        close_all(&w->errors, 1) < 0 || close_all(w->agent, TL_NAGENT_VARS) < 0)
        r = -1;
    for (int m = 0; m < TL_NMETRICS; m++)
        w->metric[m] = w->summ[m] = w->runs[m] = -1;
    for (int v = 0; v < TL_NAGENT_VARS; v++)
        w->agent[v] = -1;
    w->status = w->errors = -1;
    if (w->summ_group >= 0 && H5Gclose(w->summ_group) < 0)
        r = -1;
    w->summ_group = -1;
    if (w->runs_group >= 0 && H5Gclose(w->runs_group) < 0)
        r = -1;
    w->runs_group = -1;
    if (w->snap_group >= 0 && H5Gclose(w->snap_group) < 0)
        r = -1;
    w->snap_group = -1;
    if (w->file >= 0 && H5Fclose(w->file) < 0)
        r = -1;
    w->file = -1;
    return r;
}

static void writer_free(tl_writer *w)
{
    if (!w)
        return;
    if (w->vlen_str >= 0)
        H5Tclose(w->vlen_str);
    free(w->path);
    free(w->part);
    free(w->dir);
    free(w->buf);
    free(w->f32buf);
    free(w->fbuf);
    free(w->msgs);
    free(w->summ_done);
    free(w->horizon);
    free(w->runs_buf);
    free(w->summ_out);
    free(w->summ_vals);
    free(w);
}

/* ---- summaries across replicates -------------------------------------------- */

#define NSTATS TL_SERIES_NSTATS
static const char *const stat_names[NSTATS] = {"mean", "sd", "q05", "q50", "q95"};

/* Group "summary": per point, statistic and step, the mean, standard
 * deviation (n-1) and the 5/50/95 % quantiles across replicates of every
 * metric, skipping missing runs (NaN when none). A point whose replicates
 * arrive in one block is summarised from that block as it is written;
 * the others are read back from the file at commit (bounded memory). */
/* The summary group's own coordinates along point: point_label and the
 * parameters that vary, so that a reader of the group alone sees what each
 * point is. Returns the `coordinates` attribute (malloc'ed) in *coords. */
static tl_status summary_points(tl_writer *w, const tl_scenario *scn, hid_t point_scale,
                                char **coords, tl_error *err)
{
    tl_status st = TL_OK;
    const size_t np = (size_t)scn->npoints;
    const hsize_t dim = np;
    const char **lp = malloc(np * sizeof *lp);
    char *labels = malloc(np * (TL_LABEL_MAX + 1));
    double *vals = malloc(np * sizeof *vals);
    size_t cap = 16 + (size_t)scn->nvaried * NAME_MAX_LEN, len;
    hid_t d = -1;
    *coords = malloc(cap);
    if (!lp || !labels || !vals || !*coords) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", w->part);
        goto out;
    }
    len = (size_t)snprintf(*coords, cap, "point_label");
    point_labels(scn, labels, lp);
    H5TRY(d = dset_create(w->summ_group, "point_label", w->vlen_str, 1, &dim, NULL, 0, -1, NULL),
          "cannot create summary/point_label");
    H5TRY(H5Dwrite(d, w->vlen_str, H5S_ALL, H5S_ALL, H5P_DEFAULT, lp),
          "cannot write summary/point_label");
    H5TRY(attr_str(d, "long_name", "label of the parameter point"),
          "cannot label summary/point_label");
    H5TRY(attach(d, &point_scale, 1), "cannot attach summary/point to summary/point_label");
    H5TRY(H5Dclose(d), "cannot close summary/point_label");
    d = -1;
    for (int v = 0; v < scn->nvaried; v++) {
        const tl_param_info *pi = tl_param_info_at(scn->varied[v]);
        char name[NAME_MAX_LEN];
        param_dset_name(scn->varied[v], name, sizeof name);
        point_values(scn, scn->varied[v], vals);
        H5TRY(d = dset_create(w->summ_group, name, H5T_IEEE_F64LE, 1, &dim, NULL, 0, -1, NULL),
              "cannot create summary/%s", name);
        H5TRY(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, vals),
              "cannot write summary/%s", name);
        H5TRY(attr_str(d, "units", pi->unit), "cannot label summary/%s", name);
        H5TRY(attr_str(d, "long_name", pi->desc), "cannot label summary/%s", name);
        H5TRY(attr_param_labels(d, scn->varied[v]), "cannot label summary/%s", name);
        H5TRY(attr_str(d, "parameter", pi->name), "cannot label summary/%s", name);
        H5TRY(attach(d, &point_scale, 1), "cannot attach summary/point to summary/%s", name);
        H5TRY(H5Dclose(d), "cannot close summary/%s", name);
        d = -1;
        len += (size_t)snprintf(*coords + len, cap - len, " %s", name);
    }
out:
    if (d >= 0)
        H5Dclose(d);
    free(lp);
    free(labels);
    free(vals);
    return st;
}

static tl_status create_summary(tl_writer *w, const tl_scenario *scn, tl_error *err)
{
    tl_status st = TL_OK;
    const double nan = (double)NAN;
    const hsize_t dims[3] = {(hsize_t)w->npoints, NSTATS, (hsize_t)w->ns};
    const hsize_t chunk[3] = {1, NSTATS, (hsize_t)w->ns};
    hid_t sc[3] = {-1, -1, -1};
    hsize_t nstat = NSTATS;
    char *coords = NULL;
    H5TRY(w->summ_group = H5Gcreate2(w->file, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
          "cannot create group summary");
    H5TRY(attr_str(w->summ_group, "long_name",
                   "statistics across replicates per point and step: mean, sd (n-1), 5/50/95 % "
                   "quantiles (linear interpolation); missing runs skipped"),
          "cannot label group summary");
    H5TRY(sc[0] = scale_range(w->summ_group, "point", 0, (size_t)w->npoints, "index of the point"),
          "cannot create scale summary/point");
    H5TRY(sc[1] = dset_create(w->summ_group, "statistic", w->vlen_str, 1, &nstat, NULL, 0, -1, NULL),
          "cannot create scale summary/statistic");
    H5TRY(H5Dwrite(sc[1], w->vlen_str, H5S_ALL, H5S_ALL, H5P_DEFAULT, stat_names),
          "cannot write summary/statistic");
    H5TRY(H5DSset_scale(sc[1], "statistic"), "cannot make summary/statistic a scale");
    H5TRY(sc[2] = scale_stored_steps(w, w->summ_group), "cannot create scale summary/step");
    if ((st = summary_points(w, scn, sc[0], &coords, err)) != TL_OK)
        goto out;
    for (int m = 0; m < TL_NMETRICS; m++) {
        const tl_metric_info *mi = tl_metric_info_at(m);
        hid_t d;
        if (!w->rec[m])
            continue;
        char path[NAME_MAX_LEN + 16];
        snprintf(path, sizeof path, "summary/%s", mi->name);
        /* in a virtual join, mapped onto the shards only when each point is
         * one block (its summary then in the one shard that ran it); else
         * stored, computed at commit from the joined runs */
        if (w->vjoin && tl_h5v_point_blocks(w->vjoin))
            d = tl_h5v_create(w->vjoin, w->summ_group, mi->name, path, H5T_IEEE_F64LE, 3, dims, 0,
                              0, H5T_NATIVE_DOUBLE, &nan, ATTR_COMPACT_MAX, ATTR_DENSE_MIN);
        else
            d = dset_create(w->summ_group, mi->name, H5T_IEEE_F64LE, 3, dims, chunk, 1,
                            H5T_NATIVE_DOUBLE, &nan);
        H5TRY(w->summ[m] = d,
              "cannot create summary/%s", mi->name);
        H5TRY(attr_double(d, "_FillValue", nan), "cannot label summary/%s", mi->name);
        H5TRY(attr_str(d, "units", mi->unit), "cannot label summary/%s", mi->name);
        H5TRY(attr_str(d, "long_name", mi->desc), "cannot label summary/%s", mi->name);
        H5TRY(attr_metric_labels(d, m), "cannot label summary/%s", mi->name);
        H5TRY(attr_str(d, "coordinates", coords), "cannot label summary/%s", mi->name);
        H5TRY(attach(d, sc, 3), "cannot attach scales to summary/%s", mi->name);
        if (w->vjoin && tl_h5v_point_blocks(w->vjoin))
            H5TRY(virtual_done(w, &w->summ[m]), "cannot close summary/%s", mi->name);
    }
out:
    close_all(sc, 3);
    free(coords);
    return st;
}

/* Write the summary o (NSTATS x steps) of metric m of point pt. */
static tl_status write_summary(tl_writer *w, int pt, int m, const double *o, tl_error *err)
{
    tl_status st = TL_OK;
    const int T = w->ns;
    const hsize_t dims[3] = {(hsize_t)w->npoints, NSTATS, (hsize_t)T};
    const hsize_t start[3] = {(hsize_t)pt, 0, 0}, cnt[3] = {1, NSTATS, (hsize_t)T};
    hid_t fs = -1, ms = -1;
    H5TRY(fs = H5Screate_simple(3, dims, NULL), "cannot make a data space");
    H5TRY(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, cnt, NULL),
          "cannot select in summary/%s", tl_metric_info_at(m)->name);
    H5TRY(ms = H5Screate_simple(3, cnt, NULL), "cannot make a data space");
    H5TRY(H5Dwrite(w->summ[m], H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, o),
          "cannot write summary/%s", tl_metric_info_at(m)->name);
out:
    if (fs >= 0)
        H5Sclose(fs);
    if (ms >= 0)
        H5Sclose(ms);
    return st;
}

/* Summarise metric m of point pt from buf (replicates x steps) and write it. */
static tl_status summarise(tl_writer *w, int pt, int m, const double *buf, tl_error *err)
{
    tl_series_summary(buf, w->replicates, w->ns, w->summ_out, w->summ_vals);
    return write_summary(w, pt, m, w->summ_out, err);
}

/* At commit: summarise the points whose replicates came in several blocks,
 * reading each metric of each back from the file. A point none of whose runs
 * came keeps the fill value (NaN, what its summary would be): an empty
 * layout stays empty, its chunks never written. */
static tl_status finish_summary(tl_writer *w, tl_error *err)
{
    tl_status st = TL_OK;
    hid_t fspace = -1, mspace = -1;
    const hsize_t rd[2] = {(hsize_t)w->replicates, (hsize_t)w->ns};
    H5TRY(mspace = H5Screate_simple(2, rd, NULL), "cannot create a dataspace");
    for (int pt = 0; pt < w->npoints; pt++) {
        if (w->summ_done[pt] != 2)
            continue;
        for (int m = 0; m < TL_NMETRICS; m++) {
            const hsize_t start[3] = {(hsize_t)pt, 0, 0};
            if (!w->rec[m])
                continue;
            const hsize_t cnt[3] = {1, (hsize_t)w->replicates, (hsize_t)w->ns};
            if (w->metric[m] < 0) /* a virtual join's, closed once made */
                H5TRY(w->metric[m] = H5Dopen2(w->file, tl_metric_info_at(m)->name, H5P_DEFAULT),
                      "cannot open %s", tl_metric_info_at(m)->name);
            H5TRY(fspace = H5Dget_space(w->metric[m]), "cannot read %s", tl_metric_info_at(m)->name);
            H5TRY(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, cnt, NULL),
                  "cannot select in %s", tl_metric_info_at(m)->name);
            H5TRY(H5Dread(w->metric[m], H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT, w->buf),
                  "cannot read back %s", tl_metric_info_at(m)->name);
            H5Sclose(fspace);
            fspace = -1;
            if ((st = summarise(w, pt, m, w->buf, err)) != TL_OK)
                goto out;
        }
    }
out:
    if (fspace >= 0)
        H5Sclose(fspace);
    if (mspace >= 0)
        H5Sclose(mspace);
    return st;
}

/* n*size bytes, or NULL on overflow or when out of memory */
static void *alloc_n(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return malloc(n > 0 && size > 0 ? n * size : 1);
}

/* Where the output goes: the directory exists and is one, path is free
 * (or force), and a file can be created there (probed with the .part). */
static tl_status check_paths(tl_writer *w, tl_error *err)
{
    struct stat sb;
    int fd;
    if (stat(w->dir, &sb) != 0) {
        if (errno == ENOENT)
            return tl_error_set(err, TL_ERR_IO, "output directory '%s' does not exist", w->dir);
        return tl_error_set(err, TL_ERR_IO, "cannot use output directory '%s': %s", w->dir,
                            strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode))
        return tl_error_set(err, TL_ERR_IO, "output directory '%s' is not a directory", w->dir);
    if (lstat(w->path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return tl_error_set(err, TL_ERR_IO, "output file '%s' is a directory", w->path);
        if (!w->force)
            return tl_error_set(err, TL_ERR_EXISTS,
                                "output file '%s' already exists; use --force to replace it",
                                w->path);
    } else if (errno != ENOENT) {
        return tl_error_set(err, TL_ERR_IO, "cannot check output file '%s': %s", w->path,
                            strerror(errno));
    }
    /* a stale .part of a crashed run is replaced; a symbolic link or anything
     * but a regular file under that name is refused, never followed */
    if (lstat(w->part, &sb) == 0) {
        if (S_ISLNK(sb.st_mode) || !S_ISREG(sb.st_mode))
            return tl_error_set(err, TL_ERR_IO,
                                "'%s' is %s; tillit does not follow links or replace other "
                                "things for its own files (remove it)",
                                w->part, S_ISLNK(sb.st_mode) ? "a symbolic link" : "not a regular file");
        if (unlink(w->part) != 0)
            return tl_error_set(err, TL_ERR_IO, "cannot replace the stale '%s': %s", w->part,
                                strerror(errno));
    }
    /* probe that a file can be made there; the file proper is then created
     * with O_EXCL (H5F_ACC_EXCL), so nothing planted in between is followed */
    fd = open(w->part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return tl_error_set(err, TL_ERR_IO,
                            "cannot write in output directory '%s' (creating '%s': %s)", w->dir,
                            w->part, strerror(errno));
    if (close(fd) != 0 || unlink(w->part) != 0) {
        int e = errno;
        unlink(w->part);
        return tl_error_set(err, TL_ERR_IO,
                            "cannot write in output directory '%s' (creating '%s': %s)", w->dir,
                            w->part, strerror(e));
    }
    return TL_OK;
}

tl_status tl_writer_open(tl_writer **out, const char *path, const tl_scenario *sc,
                         const tl_provenance *prov, int force, tl_error *err)
{
    tl_status st = TL_OK;
    tl_writer *w = NULL;
    h5_quiet q;
    int quiet = 0, part_made = 0;
    hid_t fapl = -1, scales[3] = {-1, -1, -1};
    char *coords = NULL;
    int steps;

    if (!out)
        return tl_error_set(err, TL_ERR_INVALID, "tl_writer_open: no place for the writer");
    *out = NULL;
    if (!path || !*path || !sc)
        return tl_error_set(err, TL_ERR_INVALID, "tl_writer_open: no output path or scenario");
    steps = tl_scenario_steps(sc);
    if (sc->npoints < 1 || (!sc->points && !sc->gen) || sc->replicates < 1 || steps < 1 || sc->n_snap < 0 ||
        sc->n_snap > TL_SNAP_MAX || sc->nvaried < 0 || (sc->nvaried > 0 && !sc->varied))
        return tl_error_set(err, TL_ERR_INVALID,
                            "%s: the scenario has no points, replicates or steps to write "
                            "(was it finalised?)",
                            path);

    if (!(w = calloc(1, sizeof *w)))
        return tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", path);
    w->file = w->snap_group = w->status = w->errors = w->vlen_str = w->summ_group = -1;
    w->runs_group = -1;
    w->summary_only = sc->summary_only;
    w->window = sc->summary_window > 0 ? sc->summary_window : 52;
    for (int m = 0; m < TL_NMETRICS; m++) {
        w->metric[m] = w->summ[m] = w->runs[m] = -1;
        w->rec[m] = (uint8_t)tl_scenario_records(sc, m);
    }
    for (int v = 0; v < TL_NAGENT_VARS; v++)
        w->agent[v] = -1;
    w->force = force != 0;
    w->vjoin = prov ? prov->vjoin : NULL;
    w->npoints = sc->npoints;
    w->replicates = sc->replicates;
    w->steps = steps;
    /* no series to thin with output: {time_series: false}: group runs is
     * of every step whatever output.every says */
    w->every = sc->record_every > 1 && !sc->summary_only ? sc->record_every : 1;
    w->ns = tl_record_nsteps(steps, w->every);
    w->f32 = sc->record_f32 != 0;
    w->n_snap = sc->n_snap;
    w->block_reps = tl_scenario_block_reps(sc);
    if (w->block_reps < 1 || w->block_reps > w->replicates)
        w->block_reps = w->replicates;
    w->path = str_dup(path);
    w->dir = dir_of(path);
    w->part = alloc_n(strlen(path) + sizeof ".part", 1);
    if (!w->path || !w->dir || !w->part) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    snprintf(w->part, strlen(path) + sizeof ".part", "%s.part", path);

    if (w->n_snap > 0) {
        tl_point p0buf;
        const tl_params *p0 = &tl_scenario_point(sc, 0, &p0buf)->params;
        const tl_agent_var_info *av = tl_agent_var_table();
        size_t most;
        const int unlike = tl_scenario_agents_unlike(sc);
        w->n_employee = (size_t)p0->employees;
        w->n_citizen = (size_t)p0->citizens;
        if (unlike > 0) {
            st = tl_error_set(err, TL_ERR_INVALID,
                              "%s: agent snapshots need the same employees and citizens at "
                              "every point (point %d differs from point 0)",
                              path, unlike);
            goto out;
        }
        for (int v = 0; v < TL_NAGENT_VARS; v++)
            w->snap_size += strcmp(av[v].agent, "employee") == 0 ? w->n_employee : w->n_citizen;
        if (w->snap_size != tl_snapshot_size(p0)) {
            st = tl_error_set(err, TL_ERR_INTERNAL,
                              "%s: snapshot size %zu differs from the model's %zu", path,
                              w->snap_size, tl_snapshot_size(p0));
            goto out;
        }
        most = w->n_employee > w->n_citizen ? w->n_employee : w->n_citizen;
        if ((size_t)w->replicates > SIZE_MAX / (most ? most : 1) ||
            !(w->fbuf = alloc_n((size_t)w->replicates * most, sizeof(float)))) {
            st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory for snapshots of %zu agents",
                              path, most);
            goto out;
        }
    }
    if ((size_t)w->replicates > SIZE_MAX / (size_t)w->steps ||
        !(w->buf = alloc_n((size_t)w->replicates * (size_t)w->ns, sizeof(double))) ||
        !(w->f32buf = alloc_n((size_t)w->replicates * (size_t)w->ns, sizeof(float))) ||
        !(w->msgs = alloc_n((size_t)w->replicates, sizeof *w->msgs)) ||
        !(w->summ_done = calloc((size_t)w->npoints, 1)) ||
        !(w->horizon = alloc_n((size_t)w->npoints, sizeof(int))) ||
        !(w->runs_buf = alloc_n((size_t)w->replicates * TL_TSTAT_N, sizeof(double))) ||
        !(w->summ_out = alloc_n((size_t)NSTATS * (size_t)w->ns, sizeof(double))) ||
        !(w->summ_vals = alloc_n((size_t)w->replicates, sizeof(double))) ||
        !(coords = name_list(sc, 3))) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory for %d replicates x %d steps", path,
                          w->replicates, w->steps);
        goto out;
    }

    for (int k = 0; k < w->npoints; k++) {
        tl_point buf;
        const int k_steps = (int)tl_scenario_point(sc, k, &buf)->params.steps;
        w->horizon[k] = k_steps < w->steps ? k_steps : w->steps;
    }
    if (w->summary_only) /* no summaries across replicates to finish at commit */
        memset(w->summ_done, 1, (size_t)w->npoints);
    else if (w->vjoin && !tl_h5v_point_blocks(w->vjoin)) /* points split between shards */
        memset(w->summ_done, 2, (size_t)w->npoints);
    if ((st = check_paths(w, err)) != TL_OK)
        goto out;

    quiet_on(&q);
    quiet = 1;
    H5TRY(w->vlen_str = H5Tcopy(H5T_C_S1), "cannot make a string type");
    H5TRY(H5Tset_size(w->vlen_str, H5T_VARIABLE), "cannot make a string type");
    H5TRY(H5Tset_cset(w->vlen_str, H5T_CSET_UTF8), "cannot make a string type");
    H5TRY(fapl = H5Pcreate(H5P_FILE_ACCESS), "cannot make file access properties");
    /* Virtual datasets are of the 1.10 format, so a virtual join needs 1.10+ to read anyway;
     * all of it in that format (low bound 1.10 too) stores each mapping's strided selection
     * as start/stride/count, not block by block: joining 16 shards of 5,041 points made
     * 2.7 MB instead of 46 MB, and xarray opened it 4x faster. Those compact mappings
     * weigh little in the metadata cache's accounting but much in memory (a decoded
     * selection each), so the cache is kept small: without that the join of 64 such shards
     * held 120 MB instead of 63 MB. */
    H5TRY(H5Pset_libver_bounds(fapl, w->vjoin ? H5F_LIBVER_V110 : H5F_LIBVER_V18,
                               w->vjoin ? H5F_LIBVER_V110 : H5F_LIBVER_V18),
          "cannot ask for the HDF5 1.8 (1.10 for a virtual join) file format");
    if (w->vjoin) {
        H5AC_cache_config_t mdc = {.version = H5AC__CURR_CACHE_CONFIG_VERSION};
        H5TRY(H5Pget_mdc_config(fapl, &mdc), "cannot read the metadata cache's settings");
        mdc.set_initial_size = 1;
        mdc.initial_size = 256 << 10;
        mdc.min_size = 256 << 10;
        mdc.max_size = 256 << 10;
        H5TRY(H5Pset_mdc_config(fapl, &mdc), "cannot set the metadata cache's size");
    }
    H5TRY(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "cannot set the file close degree");
    H5TRY(w->file = H5Fcreate(w->part, H5F_ACC_EXCL, H5P_DEFAULT, fapl), "cannot create the file");
    part_made = 1;

    if ((st = write_root_attrs(w, sc, prov, err)) != TL_OK)
        goto out;
    H5TRY(scales[0] = scale_range(w->file, "point", 0, (size_t)w->npoints,
                                  "parameter point (index into the design)"),
          "cannot create scale point");
    H5TRY(scales[1] = scale_range(w->file, "replicate", 0, (size_t)w->replicates, "replicate"),
          "cannot create scale replicate");
    H5TRY(scales[2] = scale_stored_steps(w, w->file), "cannot create scale step");
    if ((st = write_points(w, sc, scales[0], err)) != TL_OK ||
        (st = write_design(w, sc, scales[0], err)) != TL_OK ||
        (st = create_series(w, scales, coords, err)) != TL_OK ||
        (!w->summary_only && (st = create_summary(w, sc, err)) != TL_OK) ||
        (w->summary_only && (st = create_runs(w, err)) != TL_OK))
        goto out;
    if (w->n_snap > 0 && (st = create_snapshots(w, sc, err)) != TL_OK)
        goto out;
    H5TRY(close_all(scales, 3), "cannot close the dimension scales");
    scales[0] = scales[1] = scales[2] = -1;
out:
    close_all(scales, 3);
    if (fapl >= 0)
        H5Pclose(fapl);
    free(coords);
    if (st != TL_OK) {
        if (w) {
            writer_close(w);
            if (part_made)
                unlink(w->part);
        }
        writer_free(w);
        w = NULL;
    }
    if (quiet) {
        H5Eclear2(H5E_DEFAULT);
        quiet_off(&q);
    }
    *out = w;
    return st;
}

/* Write the snapshots of replicates [r0, r0+nrep) of one point: per
 * variable and snapshot step one (1, 1, nrep, n) slab, regrouped from
 * nrep x n_snap x snapshot. */
static tl_status put_snapshots(tl_writer *w, int point, int r0, int nrep, const uint8_t *state,
                               const float *snaps, tl_error *err)
{
    tl_status st = TL_OK;
    const tl_agent_var_info *av = tl_agent_var_table();
    const size_t R = (size_t)nrep;
    size_t off = 0;
    hid_t fs = -1, ms = -1;

    for (int v = 0; v < TL_NAGENT_VARS; v++) {
        const size_t n = strcmp(av[v].agent, "employee") == 0 ? w->n_employee : w->n_citizen;
        const hsize_t dims[4] = {(hsize_t)w->n_snap, (hsize_t)w->npoints, (hsize_t)w->replicates,
                                 n};
        const hsize_t count[4] = {1, 1, R, n};
        H5TRY(fs = H5Screate_simple(4, dims, NULL), "cannot make a data space");
        H5TRY(ms = H5Screate_simple(4, count, NULL), "cannot make a data space");
        for (int j = 0; j < w->n_snap; j++) {
            const hsize_t start[4] = {(hsize_t)j, (hsize_t)point, (hsize_t)r0, 0};
            for (size_t r = 0; r < R; r++) {
                float *dst = w->fbuf + r * n;
                if (state[r] == TL_RUN_NOT_RUN)
                    for (size_t a = 0; a < n; a++)
                        dst[a] = NAN;
                else
                    memcpy(dst, snaps + (r * (size_t)w->n_snap + (size_t)j) * w->snap_size + off,
                           n * sizeof *dst);
            }
            H5TRY(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL),
                  "cannot select a hyperslab");
            H5TRY(H5Dwrite(w->agent[v], H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, w->fbuf),
                  "cannot write snapshot %s of point %d", av[v].name, point);
        }
        H5TRY(H5Sclose(fs), "cannot close a data space");
        fs = -1;
        H5TRY(H5Sclose(ms), "cannot close a data space");
        ms = -1;
        off += n;
    }
out:
    close_space(fs, 0);
    close_space(ms, 0);
    return st;
}

/* Check a block's place and run states against the file. */
static tl_status check_reps(const tl_writer *w, int point, int r0, int nrep, const double *data,
                            const uint8_t *state, tl_error *err)
{
    if (!w || w->file < 0)
        return tl_error_set(err, TL_ERR_INVALID, "no open output file to write to");
    if (point < 0 || point >= w->npoints)
        return tl_error_set(err, TL_ERR_INVALID, "%s: point %d is outside the file's points 0..%d",
                            w->path, point, w->npoints - 1);
    if (r0 < 0 || nrep < 1 || nrep > w->replicates - r0)
        return tl_error_set(err, TL_ERR_INVALID,
                            "%s: point %d: replicates %d..%d are outside the file's 0..%d", w->path,
                            point, r0, r0 + nrep - 1, w->replicates - 1);
    if (!data || !state)
        return tl_error_set(err, TL_ERR_INVALID, "%s: point %d: no data or run states given",
                            w->path, point);
    for (int r = 0; r < nrep; r++)
        if (state[r] > TL_RUN_FAILED)
            return tl_error_set(err, TL_ERR_INVALID,
                                "%s: point %d, replicate %d: run state %u is not 0 (not run), "
                                "1 (ok) or 2 (failed)",
                                w->path, point, r0 + r, (unsigned)state[r]);
    return TL_OK;
}

static tl_series_shape shape_of(const tl_writer *w)
{
    return (tl_series_shape){w->steps, w->every, w->ns, w->f32};
}

/* run_status, run_error and the snapshots of replicates [r0, r0+nrep). */
static tl_status put_states(tl_writer *w, int point, int r0, int nrep, const uint8_t *state,
                            const char *const *errors, const float *snaps, tl_error *err)
{
    tl_status st = TL_OK;
    hid_t fs = -1, ms = -1;
    const hsize_t dims[2] = {(hsize_t)w->npoints, (hsize_t)w->replicates};
    const hsize_t start[2] = {(hsize_t)point, (hsize_t)r0};
    const hsize_t count[2] = {1, (hsize_t)nrep};
    for (int r = 0; r < nrep; r++)
        w->msgs[r] = errors && errors[r] ? errors[r] : "";
    H5TRY(fs = H5Screate_simple(2, dims, NULL), "cannot make a data space");
    H5TRY(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL),
          "cannot select a hyperslab");
    H5TRY(ms = H5Screate_simple(2, count, NULL), "cannot make a data space");
    H5TRY(H5Dwrite(w->status, H5T_NATIVE_UINT8, ms, fs, H5P_DEFAULT, state),
          "cannot write run_status of point %d", point);
    H5TRY(H5Dwrite(w->errors, w->vlen_str, ms, fs, H5P_DEFAULT, w->msgs),
          "cannot write run_error of point %d", point);
    if (w->n_snap > 0 && snaps)
        st = put_snapshots(w, point, r0, nrep, state, snaps, err);
out:
    close_space(fs, 0);
    close_space(ms, 0);
    return st;
}

/* Store replicates [r0, r0+nrep) of one point; data, state, errors and
 * snaps hold those replicates only (see tl_writer_put_point). */
static tl_status put_reps(tl_writer *w, int point, int r0, int nrep, const double *data,
                          const uint8_t *state, const char *const *errors, const float *snaps,
                          tl_error *err)
{
    tl_status st;
    h5_quiet q;
    hid_t fs = -1, ms = -1;
    const size_t R = (size_t)nrep, T = (size_t)w->ns;

    if ((st = check_reps(w, point, r0, nrep, data, state, err)) != TL_OK)
        return st;
    quiet_on(&q);
    {
        const hsize_t dims[3] = {(hsize_t)w->npoints, (hsize_t)w->replicates, T};
        const hsize_t start[3] = {(hsize_t)point, (hsize_t)r0, 0};
        const hsize_t count[3] = {1, R, T};
        H5TRY(fs = H5Screate_simple(3, dims, NULL), "cannot make a data space");
        H5TRY(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL),
              "cannot select a hyperslab");
        H5TRY(ms = H5Screate_simple(3, count, NULL), "cannot make a data space");
        if (w->summary_only && (st = put_run_stats(w, point, r0, nrep, data, state, err)) != TL_OK)
            goto out;
        for (int m = 0; m < TL_NMETRICS; m++) {
            if (!w->rec[m] || w->summary_only)
                continue;
            tl_series_layout(data, state, nrep, shape_of(w), m, w->buf);
            if (w->f32)
                tl_series_to_f32(w->buf, R * T, w->f32buf);
            H5TRY(H5Dwrite(w->metric[m], w->f32 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE, ms, fs,
                           H5P_DEFAULT, w->f32 ? (const void *)w->f32buf : (const void *)w->buf),
                  "cannot write metric %s of point %d", tl_metric_info_at(m)->name, point);
            /* the whole point in one block: summarise it now, not at commit */
            if (r0 == 0 && nrep == w->replicates &&
                (st = summarise(w, point, m, w->buf, err)) != TL_OK)
                goto out;
        }
        if (r0 == 0 && nrep == w->replicates && !w->summary_only)
            w->summ_done[point] = 1;
        else if (!w->summ_done[point])
            w->summ_done[point] = 2;
    }
    st = put_states(w, point, r0, nrep, state, errors, snaps, err);
out:
    close_space(fs, 0);
    close_space(ms, 0);
    H5Eclear2(H5E_DEFAULT);
    quiet_off(&q);
    return st;
}

/* ---- blocks prepared on worker threads ---------------------------------------- */

tl_prepared *tl_writer_prepare(const tl_writer *w, const tl_block *b)
{
    return w ? tl_series_prepare(w->npoints, w->replicates, shape_of(w), w->block_reps, b) : NULL;
}

/* Store a prepared block: its chunks as they are, its summaries, its states. */
static tl_status put_prepared(tl_writer *w, const tl_block *b, const tl_prepared *p,
                              tl_error *err)
{
    tl_status st;
    h5_quiet q;
    const hsize_t offset[3] = {(hsize_t)b->point, (hsize_t)b->r0, 0};

    if ((st = check_reps(w, b->point, b->r0, b->nrep, b->data, b->state, err)) != TL_OK)
        return st;
    if (p->point != b->point || p->r0 != b->r0 || p->nrep != b->nrep)
        return tl_error_set(err, TL_ERR_INVALID, "%s: point %d: a block prepared for another place",
                            w->path, b->point);
    quiet_on(&q);
    if (w->summary_only &&
        (st = put_run_stats(w, b->point, b->r0, b->nrep, b->data, b->state, err)) != TL_OK)
        goto out;
    for (int m = 0; m < TL_NMETRICS; m++) {
        if (!w->rec[m] || w->summary_only)
            continue;
        H5TRY(H5Dwrite_chunk(w->metric[m], H5P_DEFAULT, 0, offset, p->off[m + 1] - p->off[m],
                             p->bytes + p->off[m]),
              "cannot write metric %s of point %d", tl_metric_info_at(m)->name, b->point);
        if (p->summary && (st = write_summary(w, b->point, m,
                                              p->summary + (size_t)m * NSTATS * (size_t)w->steps,
                                              err)) != TL_OK)
            goto out;
    }
    if (p->summary && !w->summary_only)
        w->summ_done[b->point] = 1;
    else if (!w->summ_done[b->point])
        w->summ_done[b->point] = 2;
    st = put_states(w, b->point, b->r0, b->nrep, b->state, b->errors, b->snaps, err);
out:
    H5Eclear2(H5E_DEFAULT);
    quiet_off(&q);
    return st;
}

tl_status tl_writer_put_point(tl_writer *w, int point, const double *data, const uint8_t *state,
                              const char *const *errors, const float *snaps, tl_error *err)
{
    if (!w)
        return tl_error_set(err, TL_ERR_INVALID, "tl_writer_put_point: no output file");
    return put_reps(w, point, 0, w->replicates, data, state, errors, snaps, err);
}

tl_status tl_writer_put_block(tl_writer *w, const tl_block *b, tl_error *err)
{
    if (!w || !b)
        return tl_error_set(err, TL_ERR_INVALID, "tl_writer_put_block: no output file or block");
    if (w->vjoin)
        return tl_error_set(err, TL_ERR_INTERNAL, "%s: a virtual join stores no runs", w->path);
    if (b->steps != w->steps)
        return tl_error_set(err, TL_ERR_INVALID,
                            "%s: point %d: a block of %d steps, the file has %d", w->path, b->point,
                            b->steps, w->steps);
    if (b->prepared)
        return put_prepared(w, b, b->prepared, err);
    return put_reps(w, b->point, b->r0, b->nrep, b->data, b->state, b->errors, b->snaps, err);
}

/* ---- runs copied from another file of the same layout (tillit merge) ------------- */

/* The region (start, count) as one whole chunk of dd, stored in sd as it
 * would be in dd (same chunk shape and filters): copy its bytes as they are,
 * neither decompressed nor compressed again. 1 when copied, 0 when not
 * such a region or not stored (copy the values instead), -1 on error. */
static int copy_chunk(hid_t sd, hid_t dd, int rank, const hsize_t *dims, const hsize_t *start,
                      const hsize_t *count)
{
    hid_t sp = H5Dget_create_plist(sd), dp = H5Dget_create_plist(dd);
    hsize_t sc[4], dc[4], size = 0;
    uint32_t mask = 0;
    int ok = sp >= 0 && dp >= 0 && H5Pget_layout(sp) == H5D_CHUNKED &&
             H5Pget_layout(dp) == H5D_CHUNKED && H5Pget_chunk(sp, 4, sc) == rank &&
             H5Pget_chunk(dp, 4, dc) == rank &&
             memcmp(sc, dc, sizeof(hsize_t) * (size_t)rank) == 0 &&
             H5Pget_nfilters(sp) == H5Pget_nfilters(dp);
    int r = 0;
    void *buf = NULL;
    for (int i = 0; ok && i < rank; i++)
        ok = start[i] % dc[i] == 0 && count[i] <= dc[i] &&
             (count[i] == dc[i] || start[i] + count[i] == dims[i]);
    if (ok && H5Dget_chunk_storage_size(sd, start, &size) >= 0 && size > 0 &&
        (buf = malloc((size_t)size))) {
        r = H5Dread_chunk(sd, H5P_DEFAULT, start, &mask, buf) >= 0 &&
                    H5Dwrite_chunk(dd, H5P_DEFAULT, mask, start, (size_t)size, buf) >= 0
                ? 1
                : -1;
        free(buf);
    }
    if (sp >= 0)
        H5Pclose(sp);
    if (dp >= 0)
        H5Pclose(dp);
    return r;
}

/* One dataset's region of replicates [r0, r0+nrep) of one point (its axis
 * pa; the replicate axis follows it) from sd in src to dd, read and written
 * in the memory type of dd's values. */
static tl_status copy_region(tl_writer *w, const char *src, const char *name, hid_t sd, hid_t dd,
                             int pa, int point, int r0, int nrep, tl_error *err)
{
    tl_status st = TL_OK;
    hid_t ft = -1, mt = -1, fs = -1, ss = -1, ms = -1;
    hsize_t dims[4], start[4] = {0, 0, 0, 0}, count[4];
    size_t n = 1;
    int rank, vlen;
    void *buf = NULL;
    H5TRY(fs = H5Dget_space(dd), "cannot read the shape of %s", name);
    H5TRY(rank = H5Sget_simple_extent_dims(fs, dims, NULL), "cannot read the shape of %s", name);
    H5TRY(rank >= pa + 2 && rank <= 4 ? 0 : -1, "%s: unexpected shape", name);
    H5TRY(ss = H5Dget_space(sd), "%s: cannot read %s", src, name);
    {
        hsize_t sdims[4];
        H5TRY(H5Sget_simple_extent_ndims(ss) == rank &&
                      H5Sget_simple_extent_dims(ss, sdims, NULL) == rank &&
                      memcmp(sdims, dims, sizeof(hsize_t) * (size_t)rank) == 0
                  ? 0
                  : -1,
              "%s: %s is not of the shape of this sweep's", src, name);
    }
    for (int i = 0; i < rank; i++) {
        count[i] = i == pa ? 1 : i == pa + 1 ? (hsize_t)nrep : dims[i];
        start[i] = i == pa ? (hsize_t)point : i == pa + 1 ? (hsize_t)r0 : 0;
        n *= count[i];
    }
    /* a block is a whole chunk of each metric: its bytes as they are */
    if ((vlen = copy_chunk(sd, dd, rank, dims, start, count)) != 0) {
        H5TRY(vlen, "cannot copy a chunk of %s of point %d from %s", name, point, src);
        goto out;
    }
    H5TRY(ft = H5Dget_type(dd), "cannot read the type of %s", name);
    vlen = H5Tis_variable_str(ft) > 0;
    H5TRY(mt = vlen ? H5Tcopy(w->vlen_str) : H5Tget_native_type(ft, H5T_DIR_ASCEND),
          "cannot make a memory type for %s", name);
    if (!(buf = alloc_n(n, H5Tget_size(mt)))) {
        st = tl_error_set(err, TL_ERR_NOMEM, "%s: out of memory copying %s", w->part, name);
        goto out;
    }
    H5TRY(ms = H5Screate_simple(rank, count, NULL), "cannot make a data space");
    H5TRY(H5Sselect_hyperslab(ss, H5S_SELECT_SET, start, NULL, count, NULL), "cannot select");
    H5TRY(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL), "cannot select");
    H5TRY(H5Dread(sd, mt, ms, ss, H5P_DEFAULT, buf), "%s: cannot read %s of point %d", src, name,
          point);
    {
        herr_t r = H5Dwrite(dd, mt, ms, fs, H5P_DEFAULT, buf);
        if (vlen)
            H5Dvlen_reclaim(mt, ms, H5P_DEFAULT, buf);
        H5TRY(r, "cannot write %s of point %d", name, point);
    }
out:
    free(buf);
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    close_space(fs, 0);
    close_space(ss, 0);
    close_space(ms, 0);
    return st;
}

tl_status tl_writer_copy_blocks(tl_writer *w, const char *src, const uint8_t *blocks,
                                volatile sig_atomic_t *stop, tl_error *err)
{
    enum { NMAX = 2 * TL_NMETRICS + 2 + TL_NAGENT_VARS };
    tl_status st = TL_OK;
    h5_quiet q;
    hid_t f = -1, sd[NMAX], dd[NMAX];
    char names[NMAX][NAME_MAX_LEN + 16];
    int pa[NMAX], nd = 0;
    const tl_agent_var_info *av = tl_agent_var_table();

    if (!w || w->file < 0 || !blocks)
        return tl_error_set(err, TL_ERR_INVALID, "no open output file to write to");
    const int B = w->block_reps, bpp = tl_blocks_per_point(w->replicates, B);
    quiet_on(&q);
    if ((f = H5Fopen(src, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        st = tl_error_set(err, TL_ERR_IO, "%s: cannot open it as an HDF5 file", src);
        goto done;
    }
    /* what the writer stores per run, each opened by name in src */
    for (int m = 0; m < TL_NMETRICS; m++) {
        if (!w->rec[m])
            continue;
        snprintf(names[nd], sizeof names[nd], "%s%s", w->summary_only ? "runs/" : "",
                 tl_metric_info_at(m)->name);
        dd[nd] = w->summary_only ? w->runs[m] : w->metric[m];
        pa[nd++] = 0;
    }
    snprintf(names[nd], sizeof names[nd], "run_status");
    dd[nd] = w->status;
    pa[nd++] = 0;
    snprintf(names[nd], sizeof names[nd], "run_error");
    dd[nd] = w->errors;
    pa[nd++] = 0;
    for (int v = 0; w->n_snap > 0 && v < TL_NAGENT_VARS; v++) {
        snprintf(names[nd], sizeof names[nd], "snapshots/%s", av[v].name);
        dd[nd] = w->agent[v];
        pa[nd++] = 1;
    }
    for (int i = 0; i < nd; i++)
        sd[i] = -1;
    for (int i = 0; i < nd; i++)
        if ((sd[i] = H5Dopen2(f, names[i], H5P_DEFAULT)) < 0) {
            st = tl_error_set(err, TL_ERR_IO, "%s: has no dataset %s; not an output of this sweep",
                              src, names[i]);
            goto done;
        }
    for (int b = 0; b < w->npoints * bpp && st == TL_OK; b++) {
        int p = b / bpp, r0 = tl_block_r0(b, bpp, B);
        int nrep = tl_block_nrep(b, bpp, B, w->replicates);
        if (!blocks[b])
            continue;
        if (stop && *stop) {
            st = tl_error_set(err, TL_ERR_INTERRUPTED, "interrupted");
            break;
        }
        for (int i = 0; i < nd && st == TL_OK; i++)
            st = copy_region(w, src, names[i], sd[i], dd[i], pa[i], p, r0, nrep, err);
        if (!w->summ_done[p])
            w->summ_done[p] = 2; /* summarised at commit from what was copied */
    }
done:
    for (int i = 0; i < nd; i++)
        if (sd[i] >= 0)
            H5Dclose(sd[i]);
    if (f >= 0)
        H5Fclose(f);
    H5Eclear2(H5E_DEFAULT);
    quiet_off(&q);
    return st;
}

tl_status tl_writer_commit(tl_writer *w, tl_error *err)
{
    tl_status st = TL_OK;
    h5_quiet q;
    struct stat sb;
    int keep_part = 0;

    if (!w)
        return tl_error_set(err, TL_ERR_INVALID, "tl_writer_commit: no output file");
    quiet_on(&q);
    H5TRY(w->file >= 0 ? 0 : -1, "the file is not open");
    if ((st = finish_summary(w, err)) != TL_OK)
        goto out;
    H5TRY(H5Fflush(w->file, H5F_SCOPE_GLOBAL), "cannot flush the file");
    H5TRY(writer_close(w), "cannot close the file");
    if (sync_path(w->part, 0) != 0) {
        st = tl_error_set(err, TL_ERR_IO, "%s: cannot sync the file to disk: %s", w->part,
                          strerror(errno));
        goto out;
    }
    /* path may have appeared while we ran: still never replace it unforced */
    if (!w->force && lstat(w->path, &sb) == 0) {
        keep_part = 1;
        st = tl_error_set(err, TL_ERR_EXISTS,
                          "output file '%s' appeared while running; use --force to replace it "
                          "(the results are kept in '%s')",
                          w->path, w->part);
        goto out;
    }
    if (rename(w->part, w->path) != 0) {
        keep_part = 1;
        st = tl_error_set(err, TL_ERR_IO,
                          "cannot rename '%s' to '%s': %s (the results are kept "
                          "in '%s')",
                          w->part, w->path, strerror(errno), w->part);
        goto out;
    }
    if (sync_path(w->dir, 1) != 0)
        st = tl_error_set(err, TL_ERR_IO, "%s: written, but syncing directory '%s' failed: %s",
                          w->path, w->dir, strerror(errno));
out:
    if (st != TL_OK) {
        writer_close(w);
        if (!keep_part)
            unlink(w->part);
    }
    writer_free(w);
    H5Eclear2(H5E_DEFAULT);
    quiet_off(&q);
    return st;
}

void tl_writer_abort(tl_writer *w)
{
    h5_quiet q;
    if (!w)
        return;
    quiet_on(&q);
    writer_close(w);
    unlink(w->part);
    writer_free(w);
    H5Eclear2(H5E_DEFAULT);
    quiet_off(&q);
}
