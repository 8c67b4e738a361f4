/* h5_attr.c — reading attributes of tillit's HDF5 files by name (the experiment table, the merge
 * of shards). Errors are silenced by the caller. */
#include "h5_attr.h"

#include <stdlib.h>
#include <string.h>

/* A string attribute (fixed or variable length), malloc'ed; NULL when absent. */
char *tl_h5_attr_string(hid_t loc, const char *name)
{
    hid_t a = -1, ty = -1, mt = -1;
    char *out = NULL;
    if (H5Aexists(loc, name) <= 0 || (a = H5Aopen(loc, name, H5P_DEFAULT)) < 0)
        return NULL;
    if ((ty = H5Aget_type(a)) < 0 || H5Tget_class(ty) != H5T_STRING)
        goto out;
    if (H5Tis_variable_str(ty) > 0) {
        char *v = NULL;
        mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ty));
        if (H5Aread(a, mt, &v) >= 0 && v) {
            out = strdup(v);
            H5free_memory(v);
        }
    } else {
        /* read with the file's own type into one more byte than it holds: no conversion
         * (a converting read of a large attribute, such as a sweep's `scenario`, costs more
         * than the read), and the extra byte ends the string whatever its padding */
        size_t n = H5Tget_size(ty);
        out = calloc(n + 1, 1);
        if (out && H5Aread(a, ty, out) < 0) {
            free(out);
            out = NULL;
        }
    }
out:
    if (mt >= 0)
        H5Tclose(mt);
    if (ty >= 0)
        H5Tclose(ty);
    H5Aclose(a);
    return out;
}

long long tl_h5_attr_bytes(hid_t loc, const char *name)
{
    hid_t a, ty;
    long long n = -1;
    if (H5Aexists(loc, name) <= 0 || (a = H5Aopen(loc, name, H5P_DEFAULT)) < 0)
        return -1;
    if ((ty = H5Aget_type(a)) >= 0) {
        if (H5Tget_class(ty) == H5T_STRING)
            n = (long long)H5Aget_storage_size(a);
        H5Tclose(ty);
    }
    H5Aclose(a);
    return n;
}

int tl_h5_attr_num(hid_t loc, const char *name, hid_t mtype, void *v)
{
    hid_t a;
    int r = -1;
    if (H5Aexists(loc, name) <= 0 || (a = H5Aopen(loc, name, H5P_DEFAULT)) < 0)
        return -1;
    if (H5Aread(a, mtype, v) >= 0)
        r = 0;
    H5Aclose(a);
    return r;
}

