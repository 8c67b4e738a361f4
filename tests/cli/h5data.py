"""The data of a tillit output file, for tests that compare two files bit for bit
(a resumed, merged, sharded or MPI sweep against one straight sweep)."""
import h5py
import numpy as np


def data_of(path):
    """Every dataset that carries results, by name (provenance attributes differ by design)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and obj.dtype.kind in "fiu":
                out[name] = obj[...]
        f.visititems(visit)
    return out


def assert_same_data(a, b):
    """The same datasets with the same values (NaN equal to NaN) in files a and b."""
    da, db = data_of(a), data_of(b)
    assert sorted(da) == sorted(db)
    for k in da:
        assert np.array_equal(da[k], db[k], equal_nan=True), k
