/* h5_scenario.c — a scenario read back from an output file: every tillit file (a run's, a sweep's,
 * the classroom's export) carries its resolved scenario as YAML in the root attribute `scenario`,
 * so `tillit run OUT.h5` repeats the runs. */
#include "tillit/h5_scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hdf5.h>

#include "tillit/scenario_yaml.h"

int tl_is_hdf5_file(const char *path)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char b[8];
    struct stat st;
    FILE *f;
    int yes;
    /* only a regular file: opening a FIFO or a device to look would block or
     * read forever (they are refused by the scenario loader's bounded read) */
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !(f = fopen(path, "rb")))
        return 0;
    yes = fread(b, 1, sizeof b, f) == sizeof b && memcmp(b, sig, sizeof sig) == 0;
    fclose(f);
    return yes;
}

tl_status tl_scenario_load_h5(const char *path, tl_scenario *sc, tl_error *err)
{
    tl_status st = TL_OK;
    hid_t f = -1, a = -1, ty = -1, mt = -1;
    char *text = NULL;
    size_t n;
    H5E_auto2_t efn;
    void *edata;
    H5Eget_auto2(H5E_DEFAULT, &efn, &edata);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if ((f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        st = tl_error_set(err, TL_ERR_IO, "%s: cannot open the HDF5 file", path);
        goto out;
    }
    if (H5Aexists(f, "scenario") <= 0 || (a = H5Aopen(f, "scenario", H5P_DEFAULT)) < 0 ||
        (ty = H5Aget_type(a)) < 0 || H5Tget_class(ty) != H5T_STRING || H5Tis_variable_str(ty) > 0) {
        st = tl_error_set(err, TL_ERR_PARSE,
                          "%s is an HDF5 file without a tillit scenario (root attribute "
                          "`scenario`): give a scenario file (.yaml) or a tillit output file",
                          path);
        goto out;
    }
    n = H5Tget_size(ty);
    if (!(text = calloc(n + 1, 1)) || (mt = H5Tcopy(H5T_C_S1)) < 0) {
        st = tl_error_set(err, TL_ERR_NOMEM, "out of memory");
        goto out;
    }
    H5Tset_size(mt, n + 1);
    H5Tset_cset(mt, H5Tget_cset(ty));
    if (H5Aread(a, mt, text) < 0) {
        st = tl_error_set(err, TL_ERR_IO, "%s: cannot read the attribute `scenario`", path);
        goto out;
    }
    st = tl_scenario_parse_yaml(text, strlen(text), path, sc, err);
out:
    if (mt >= 0)
        H5Tclose(mt);
    if (ty >= 0)
        H5Tclose(ty);
    if (a >= 0)
        H5Aclose(a);
    if (f >= 0)
        H5Fclose(f);
    H5Eset_auto2(H5E_DEFAULT, efn, edata);
    free(text);
    return st;
}
