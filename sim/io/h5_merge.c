/* h5_merge.c — `tillit merge`: join the shard files of a job array (tillit sweep --shard K/N) into
 * the file one sweep of the whole design writes. Every shard is checked before anything is
 * written; then the output is made by the writer from the scenario stored in the shards, each
 * shard's blocks are copied into it, and its summaries are computed at commit as a sweep's are.
 * With --virtual nothing is copied: the per-run datasets are virtual datasets over the shards
 * (sim/io/h5_virtual.c), which must then stay where they are. */
#include "tillit/shard.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hdf5.h>

#include "h5_attr.h"
#include "h5_virtual.h"
#include "tillit/h5_scenario.h"
#include "tillit/output.h"
#include "tillit/version.h"

/* What a shard file says about itself. */
typedef struct shard_info {
    char *scenario; /* the text: the first shard's, and any other's whose hash cannot serve */
    char *version, *revision, *schema;
    long long scenario_bytes;
    uint64_t hash;
    int has_hash, k, n, complete;
} shard_info;

static void info_clear(shard_info *s)
{
    free(s->scenario);
    free(s->version);
    free(s->revision);
    free(s->schema);
    memset(s, 0, sizeof *s);
}

static int sibling_exists(const char *path, const char *suffix)
{
    char buf[4096];
    struct stat sb;
    return snprintf(buf, sizeof buf, "%s%s", path, suffix) < (int)sizeof buf &&
           lstat(buf, &sb) == 0;
}

/* Read and check one shard on its own; the message names the file. Its scenario text is read
 * only when first is NULL (this is the first shard) or a hash cannot stand for it (a shard of
 * a build before scenario_hash): at 10^5 points the text is 11 MB a shard. */
static tl_status read_shard(const char *path, const shard_info *first, shard_info *s,
                            tl_error *err)
{
    struct stat sb;
    hid_t f;
    H5E_auto2_t fn;
    void *data;
    tl_status st = TL_OK;
    memset(s, 0, sizeof *s);
    if (sibling_exists(path, ".journal"))
        return tl_error_set(err, TL_ERR_INVALID,
                            "shard '%s' is incomplete: its journal %s.journal is still there; "
                            "finish it with `tillit sweep ... --shard K/N -o %s --resume`",
                            path, path, path);
    if (sibling_exists(path, ".part"))
        return tl_error_set(err, TL_ERR_INVALID,
                            "shard '%s' is incomplete: %s.part is still there (is its sweep "
                            "still running?)",
                            path, path);
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return tl_error_set(err, TL_ERR_INVALID, "shard '%s': no such file", path);
    if (!tl_is_hdf5_file(path))
        return tl_error_set(err, TL_ERR_INVALID, "shard '%s' is not an HDF5 file", path);
    H5Eget_auto2(H5E_DEFAULT, &fn, &data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if ((f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        st = tl_error_set(err, TL_ERR_IO, "shard '%s': cannot open it as an HDF5 file", path);
        goto out;
    }
    s->has_hash = tl_h5_attr_num(f, "scenario_hash", H5T_NATIVE_UINT64, &s->hash) == 0;
    s->scenario_bytes = tl_h5_attr_bytes(f, "scenario");
    if (!first || !first->has_hash || !s->has_hash)
        s->scenario = tl_h5_attr_string(f, "scenario");
    s->version = tl_h5_attr_string(f, "tillit_version");
    s->revision = tl_h5_attr_string(f, "git_revision");
    s->schema = tl_h5_attr_string(f, "schema_version");
    if (tl_h5_attr_num(f, "complete", H5T_NATIVE_INT, &s->complete))
        s->complete = 1;
    if (s->scenario_bytes < 0 || (!s->scenario && !s->has_hash) || !s->version ||
        !s->revision || !s->schema)
        st = tl_error_set(err, TL_ERR_INVALID, "shard '%s' is not a tillit output file", path);
    else if (tl_h5_attr_num(f, "shard_index", H5T_NATIVE_INT, &s->k) ||
             tl_h5_attr_num(f, "shard_count", H5T_NATIVE_INT, &s->n) || s->n < 1 || s->k < 1 ||
             s->k > s->n)
        st = tl_error_set(err, TL_ERR_INVALID,
                          "'%s' is not a shard (written without `tillit sweep --shard K/N`)%s",
                          path, s->complete ? "" : " and is incomplete");
    else if (!s->complete)
        st = tl_error_set(err, TL_ERR_INVALID,
                          "shard '%s' (%d/%d) is incomplete (an interrupted sweep written out "
                          "for reading); finish it with `tillit sweep ... --shard %d/%d -o %s "
                          "--resume`",
                          path, s->k, s->n, s->k, s->n, path);
    H5Fclose(f);
out:
    H5Eset_auto2(H5E_DEFAULT, fn, data);
    return st;
}

/* Shard s (path) against the first (path0): one sweep, one build. */
static tl_status same_sweep(const char *path, const shard_info *s, const char *path0,
                            const shard_info *s0, tl_error *err)
{
    if (strcmp(s->version, s0->version) != 0 || strcmp(s->revision, s0->revision) != 0 ||
        strcmp(s->schema, s0->schema) != 0)
        return tl_error_set(err, TL_ERR_CONFLICT,
                            "shard '%s' was written by tillit %s (%s), '%s' by tillit %s (%s): "
                            "shards must come from one build",
                            path, s->version, s->revision, path0, s0->version, s0->revision);
    if (s->has_hash && s0->has_hash ? s->hash != s0->hash || s->scenario_bytes != s0->scenario_bytes
                                    : strcmp(s->scenario, s0->scenario) != 0)
        return tl_error_set(err, TL_ERR_CONFLICT,
                            "shard '%s' is of another scenario or design than '%s' (their "
                            "stored scenarios differ)",
                            path, path0);
    if (s->n != s0->n)
        return tl_error_set(err, TL_ERR_CONFLICT,
                            "shard '%s' is shard %d of %d, '%s' one of %d: shards of one split "
                            "only",
                            path, s->k, s->n, path0, s0->n);
    return TL_OK;
}

static tl_status check_shards(const char *output, const char *const *paths, int n,
                              shard_info *info, tl_error *err)
{
    tl_status st;
    int *seen = NULL;
    for (int i = 0; i < n; i++) {
        if (strcmp(paths[i], output) == 0)
            return tl_error_set(err, TL_ERR_INVALID,
                                "output '%s' is one of the shards; write the merge elsewhere",
                                output);
        if ((st = read_shard(paths[i], i > 0 ? &info[0] : NULL, &info[i], err)) != TL_OK)
            return st;
        if (i > 0 && (st = same_sweep(paths[i], &info[i], paths[0], &info[0], err)) != TL_OK)
            return st;
        if (i > 0) { /* compared: one text held, not one per shard (11 GB for 10^5 points
                      * over 1,024 shards) */
            free(info[i].scenario);
            info[i].scenario = NULL;
        }
    }
    if (!(seen = calloc((size_t)info[0].n + 1, sizeof *seen)))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        if (seen[info[i].k]) {
            st = tl_error_set(err, TL_ERR_INVALID, "shard '%s' and '%s' are both shard %d/%d",
                              paths[i], paths[seen[info[i].k] - 1], info[i].k, info[i].n);
            free(seen);
            return st;
        }
        seen[info[i].k] = i + 1;
    }
    for (int k = 1; k <= info[0].n; k++)
        if (!seen[k]) {
            st = tl_error_set(err, TL_ERR_INVALID,
                              "shard %d/%d is missing (got %d of %d shard files, e.g. '%s')", k,
                              info[0].n, n, info[0].n, paths[0]);
            free(seen);
            return st;
        }
    free(seen);
    return TL_OK;
}

/* The design a sweep recorded (attributes design, design_base; datasets
 * design_variable, design_values, design_block, design_row), which the
 * stored scenario text does not carry, read back into sc. */
static tl_status restore_design(const char *path, tl_scenario *sc, tl_error *err)
{
    tl_status st = TL_OK;
    hid_t f, d = -1, mt = -1;
    H5E_auto2_t fn;
    void *data;
    char *design = NULL, **names = NULL;
    hsize_t nd = 0;
    H5Eget_auto2(H5E_DEFAULT, &fn, &data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if ((f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        st = tl_error_set(err, TL_ERR_IO, "shard '%s': cannot open it as an HDF5 file", path);
        goto out;
    }
    if ((design = tl_h5_attr_string(f, "design")))
        snprintf(sc->design, sizeof sc->design, "%s", design);
    tl_h5_attr_num(f, "design_base", H5T_NATIVE_INT, &sc->design_base);
    for (int k = 0; k < 2; k++) {
        const char *name = k ? "design_row" : "design_block";
        int **dst = k ? &sc->design_row : &sc->design_block;
        if (H5Lexists(f, name, H5P_DEFAULT) <= 0)
            continue;
        free(*dst);
        if (!(*dst = malloc((size_t)sc->npoints * sizeof **dst)) ||
            (d = H5Dopen2(f, name, H5P_DEFAULT)) < 0 ||
            H5Dread(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, *dst) < 0) {
            st = tl_error_set(err, TL_ERR_IO, "shard '%s': cannot read %s", path, name);
            goto out;
        }
        H5Dclose(d);
        d = -1;
    }
    if (H5Lexists(f, "design_variable", H5P_DEFAULT) > 0) {
        hid_t sp;
        if ((d = H5Dopen2(f, "design_variable", H5P_DEFAULT)) < 0 || (sp = H5Dget_space(d)) < 0) {
            st = tl_error_set(err, TL_ERR_IO, "shard '%s': cannot read design_variable", path);
            goto out;
        }
        H5Sget_simple_extent_dims(sp, &nd, NULL);
        H5Sclose(sp);
        mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5T_CSET_UTF8);
        free(sc->design_names);
        free(sc->design_values);
        sc->design_names = malloc((size_t)nd * sizeof *sc->design_names);
        sc->design_values = malloc((size_t)nd * (size_t)sc->npoints * sizeof(double));
        names = calloc((size_t)nd, sizeof *names);
        sc->ndesign = (int)nd;
        if (!sc->design_names || !sc->design_values || !names ||
            H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) < 0) {
            st = tl_error_set(err, TL_ERR_IO, "shard '%s': cannot read design_variable", path);
            goto out;
        }
        for (hsize_t i = 0; i < nd; i++)
            snprintf(sc->design_names[i], TL_LABEL_MAX, "%s", names[i] ? names[i] : "");
        H5Dclose(d);
        if ((d = H5Dopen2(f, "design_values", H5P_DEFAULT)) < 0 ||
            H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, sc->design_values) < 0) {
            st = tl_error_set(err, TL_ERR_IO, "shard '%s': cannot read design_values", path);
            goto out;
        }
    }
out:
    if (names) {
        for (hsize_t i = 0; i < nd; i++)
            H5free_memory(names[i]);
        free(names);
    }
    if (mt >= 0)
        H5Tclose(mt);
    if (d >= 0)
        H5Dclose(d);
    if (f >= 0)
        H5Fclose(f);
    free(design);
    H5Eset_auto2(H5E_DEFAULT, fn, data);
    return st;
}

/* The shards in order of K, named relative to the output's directory. */
static tl_status shard_names(const char *output, const char *const *shards, const shard_info *info,
                             int n, char **names, tl_error *err)
{
    char dir[PATH_MAX], real[PATH_MAX], *slash;
    size_t len = strlen(output);
    if (len >= sizeof dir)
        return tl_error_set(err, TL_ERR_INVALID, "output path '%s' is too long", output);
    memcpy(dir, output, len + 1);
    if ((slash = strrchr(dir, '/')))
        slash == dir ? (void)(dir[1] = 0) : (void)(*slash = 0);
    else
        strcpy(dir, ".");
    if (!realpath(dir, real))
        return tl_error_set(err, TL_ERR_IO, "output directory '%s' does not exist", dir);
    memcpy(dir, real, sizeof dir);
    for (int i = 0; i < n; i++) {
        if (!realpath(shards[i], real))
            return tl_error_set(err, TL_ERR_IO, "shard '%s': cannot resolve its path", shards[i]);
        if (!(names[info[i].k - 1] = tl_h5v_relative(dir, real)))
            return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    }
    return TL_OK;
}

static tl_status merge(const char *output, const char *const *shards, int nshards,
                       const char *command_line, int force, int virt,
                       volatile sig_atomic_t *stop, tl_error *err)
{
    tl_status st;
    shard_info *info;
    tl_scenario sc;
    tl_writer *w = NULL;
    uint8_t *blocks = NULL;
    tl_provenance prov = {command_line, 0, 0, 0, NULL, NULL, NULL};
    char **names = NULL;
    struct tl_vjoin vj;

    if (nshards < 1)
        return tl_error_set(err, TL_ERR_INVALID, "no shard files to merge");
    if (!(info = calloc((size_t)nshards, sizeof *info)))
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    tl_scenario_init(&sc);
    if ((st = check_shards(output, shards, nshards, info, err)) != TL_OK)
        goto out;
    /* the scenario as the sweep resolved it, from the first shard */
    if ((st = tl_scenario_load_h5(shards[0], &sc, err)) != TL_OK ||
        (st = tl_scenario_finalise(&sc, err)) != TL_OK ||
        (st = restore_design(shards[0], &sc, err)) != TL_OK)
        goto out;
    {
        int B = tl_scenario_block_reps(&sc), nblocks = sc.npoints * tl_blocks_per_point(sc.replicates, B);
        if (!(blocks = malloc(nblocks > 0 ? (size_t)nblocks : 1))) {
            st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
            goto out;
        }
        prov.version = info[0].version; /* the build that ran the runs */
        prov.revision = info[0].revision;
        if (virt) {
            if (!(names = calloc((size_t)nshards, sizeof *names))) {
                st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
                goto out;
            }
            if ((st = shard_names(output, shards, info, nshards, names, err)) != TL_OK)
                goto out;
            vj.n = nshards;
            vj.files = (const char *const *)names;
            vj.npoints = sc.npoints;
            vj.replicates = sc.replicates;
            vj.block_reps = B < sc.replicates ? B : sc.replicates;
            prov.vjoin = &vj;
        }
        if ((st = tl_writer_open(&w, output, &sc, &prov, force, err)) != TL_OK)
            goto out;
        for (int i = 0; !virt && i < nshards && st == TL_OK; i++) {
            tl_shard s = {info[i].k, info[i].n};
            for (int b = 0; b < nblocks; b++)
                blocks[b] = (uint8_t)tl_shard_owns(&s, b);
            st = tl_writer_copy_blocks(w, shards[i], blocks, stop, err);
        }
    }
    if (st == TL_OK)
        st = tl_writer_commit(w, err);
    else
        tl_writer_abort(w);
out:
    for (int i = 0; i < nshards; i++)
        info_clear(&info[i]);
    free(info);
    free(blocks);
    for (int i = 0; names && i < nshards; i++)
        free(names[i]);
    free(names);
    tl_scenario_clear(&sc);
    return st;
}

tl_status tl_shard_merge(const char *output, const char *const *shards, int nshards,
                         const char *command_line, int force, volatile sig_atomic_t *stop,
                         tl_error *err)
{
    return merge(output, shards, nshards, command_line, force, 0, stop, err);
}

tl_status tl_shard_merge_virtual(const char *output, const char *const *shards, int nshards,
                                 const char *command_line, int force, tl_error *err)
{
    return merge(output, shards, nshards, command_line, force, 1, NULL, err);
}
