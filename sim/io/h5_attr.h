/* h5_attr.h — reading attributes of tillit's HDF5 files by name (internal to sim/io). */
#ifndef TL_H5_ATTR_H
#define TL_H5_ATTR_H

#include <hdf5.h>

/* A string attribute (fixed or variable length), malloc'ed; NULL when absent. */
char *tl_h5_attr_string(hid_t loc, const char *name);
/* The bytes a string attribute holds without reading it (its storage size), or -1 when absent
 * or not a string. */
long long tl_h5_attr_bytes(hid_t loc, const char *name);
/* A numeric attribute read as mtype into v: 0, or -1 when absent or unreadable. */
int tl_h5_attr_num(hid_t loc, const char *name, hid_t mtype, void *v);

#endif
