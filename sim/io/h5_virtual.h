/* h5_virtual.h — the per-run datasets of a joined output as HDF5 virtual datasets over shard files
 * (tillit merge --virtual, the per-rank route of MPI sweeps); internal to sim/io. */
#ifndef TL_H5_VIRTUAL_H
#define TL_H5_VIRTUAL_H

#include <hdf5.h>

/* The shards to map: files[k-1] is shard k of n, named relative to the
 * directory of the virtual file (HDF5 1.10 looks for a relative source
 * there first). The block grid is the runner's: points x bpp blocks of
 * block_reps replicates, block b = point * bpp + b_in_point, shard k owning
 * the blocks b with b mod n == k - 1 (tillit/shard.h). */
struct tl_vjoin {
    int n;
    const char *const *files;
    int npoints, replicates, block_reps;
};

/* Create dataset name (in loc; path is its name from the file's root, as in
 * every shard) as a virtual dataset of type ftype and shape dims whose
 * values are those of path in the shards: point axis pa, and when reps the
 * replicate axis pa + 1, split as the shards own the blocks. Without reps
 * the dataset is per point: only when every point is one block. fill
 * (memory type fill_type) as for a stored dataset. -1 on error. */
hid_t tl_h5v_create(const struct tl_vjoin *v, hid_t loc, const char *name, const char *path,
                    hid_t ftype, int rank, const hsize_t *dims, int pa, int reps,
                    hid_t fill_type, const void *fill, unsigned attr_compact, unsigned attr_dense);

/* 1 when every point is one block (its summaries are then per shard). */
int tl_h5v_point_blocks(const struct tl_vjoin *v);

/* file (an absolute path, symbolic links resolved) named relative to dir
 * (the same), e.g. "run.h5.ranks/shard-1-of-4.h5" or "../parts/a.h5";
 * malloc'ed, NULL when out of memory. */
char *tl_h5v_relative(const char *dir, const char *file);

#endif
