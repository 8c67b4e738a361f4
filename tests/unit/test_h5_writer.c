/* test_h5_writer.c — the HDF5 output file: layout, values, attributes, scales, crash-safe commit.
 *
 * Known pattern written by write_sample() (tests/python/check_output.py
 * checks the same file with h5py and xarray):
 *   metric m (index in the metric table = order of the root attribute
 *   metric_names) of point p, replicate r, step s (1-based):
 *       p*1000 + r*100 + s + m/1000
 *   agent variable v (index in TL_AGENT_VAR_LIST) of point p, replicate r,
 *   snapshot j, agent a (float32, exact):
 *       p*1000 + r*100 + j*50 + v + a/64
 *   3 points (balanced, control, trust), 2 replicates, 5 steps, snapshots
 *   after steps 0 and 5 of 4 employees and 6 citizens; point 0 both
 *   replicates ok; point 1 replicate 0 ok, replicate 1 failed after step 3
 *   (later steps and its step-5 snapshot NaN, run_error "numerical error at
 *   step 3"); point 2 never written (all NaN, run_status 0).
 *   control_intensity 0.1, 0.3, 0.5; trust_from_above default, default, 0.5.
 *   The design is recorded as "list" with base 0, design variables
 *   control_intensity and trust_from_above (their values per point),
 *   design_block 0, 0, 1 and design_row 0, 1, 0.
 *   The scenario description is 70000 characters, so the scenario attribute
 *   exceeds 64 KiB.
 *
 * Run as `test_h5_writer --write-sample PATH` it only writes that file.
 */
#include "tl_test.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "tillit/metrics.h"
#include "tillit/output.h"
#include "tillit/params.h"
#include "tillit/rng.h"
#include "tillit/runner.h"
#include "tillit/scenario.h"
#include "tillit/sim.h"
#include "tillit/version.h"

#define NPOINTS 3
#define NREPS 2
#define NSTEPS 5
#define NEMP 4
#define NEMPVARS 13 /* employee variables in TL_AGENT_VAR_LIST */
#define NCIT 6
#define NSNAP 2
#define FAIL_STEP 3
#define DESC_LEN 70000

static const char *const labels[NPOINTS] = {"balanced", "control", "trust"};

static double metric_value(int p, int r, int s, int m)
{
    return p * 1000.0 + r * 100.0 + s + m / 1000.0;
}

static float snap_value(int p, int r, int j, int v, size_t a)
{
    return (float)(p * 1000.0 + r * 100.0 + j * 50.0 + v + (double)a / 64.0);
}

static int is_employee_var(int v)
{
    return strcmp(tl_agent_var_table()[v].agent, "employee") == 0;
}

/* ---- building scenarios and files ----------------------------------------- */

/* A small finalised scenario: npoints points, NREPS replicates, NSTEPS steps,
 * snapshots after steps 0 and NSTEPS when snaps, a description of desc_len
 * characters when desc_len > 0. */
static tl_status make_scenario(tl_scenario *sc, int npoints, int snaps, size_t desc_len,
                               tl_error *err)
{
    tl_status st = TL_OK;
    tl_scenario_init(sc);
    snprintf(sc->name, sizeof sc->name, "writer-test");
    sc->replicates = NREPS;
    sc->seed = 42;
    if (desc_len > 0) {
        if (!(sc->description = malloc(desc_len + 1)))
            return TL_ERR_NOMEM;
        for (size_t i = 0; i < desc_len; i++)
            sc->description[i] = (char)('a' + i % 26);
        sc->description[desc_len] = '\0';
    }
    for (int k = 0; k < npoints && st == TL_OK; k++) {
        tl_point pt;
        const tl_schedule none = TL_SCHEDULE_INIT;
        memset(&pt, 0, sizeof pt);
        if (k < NPOINTS)
            snprintf(pt.label, sizeof pt.label, "%s", labels[k]);
        else
            snprintf(pt.label, sizeof pt.label, "p%d", k);
        pt.sched = none;
        tl_params_default(&pt.params);
        if ((st = tl_params_set(&pt.params, "steps", NSTEPS, err)) != TL_OK ||
            (st = tl_params_set(&pt.params, "units", 2, err)) != TL_OK ||
            (st = tl_params_set(&pt.params, "employees", NEMP, err)) != TL_OK ||
            (st = tl_params_set(&pt.params, "citizens", NCIT, err)) != TL_OK)
            break;
        if (k < NPOINTS)
            st = tl_params_set(&pt.params, "control_intensity", 0.1 + 0.2 * k, err);
        else /* a big sweep: every point differs in a few parameters */
            st = tl_params_set(&pt.params, "control_intensity", (double)k / (npoints + 1), err);
        if (st == TL_OK && (k == 2 || k >= NPOINTS))
            st = tl_params_set(&pt.params, "trust_from_above", 0.5, err);
        if (st == TL_OK && k >= NPOINTS)
            st = tl_params_set(&pt.params, "support", (double)(k % 97) / 97.0, err);
        if (st == TL_OK)
            st = tl_scenario_add_point(sc, &pt, err);
    }
    if (st == TL_OK && npoints == NPOINTS && snaps) {
        /* the design, as a sweep records it */
        snprintf(sc->design, sizeof sc->design, "list");
        sc->ndesign = 2;
        sc->design_names = calloc(2, sizeof *sc->design_names);
        sc->design_values = malloc(sizeof(double) * 2 * NPOINTS);
        sc->design_block = malloc(sizeof(int) * NPOINTS);
        sc->design_row = malloc(sizeof(int) * NPOINTS);
        if (!sc->design_names || !sc->design_values || !sc->design_block || !sc->design_row)
            return TL_ERR_NOMEM;
        snprintf(sc->design_names[0], TL_LABEL_MAX, "control_intensity");
        snprintf(sc->design_names[1], TL_LABEL_MAX, "trust_from_above");
        for (int k = 0; k < NPOINTS; k++) {
            sc->design_values[2 * k] = sc->points[k].params.control_intensity;
            sc->design_values[2 * k + 1] = sc->points[k].params.trust_from_above;
            sc->design_block[k] = k / 2;
            sc->design_row[k] = k % 2;
        }
    }
    if (st == TL_OK && snaps) {
        sc->n_snap = NSNAP;
        sc->snap_steps[0] = 0;
        sc->snap_steps[1] = NSTEPS;
    }
    if (st == TL_OK)
        st = tl_scenario_finalise(sc, err);
    return st;
}

/* Run outputs of point p as tl_run writes them, with the pattern above. */
static void fill_point(int p, double *data, uint8_t *state, const char **errors, float *snaps)
{
    const size_t snap_size = (size_t)(NEMPVARS * NEMP + 3 * NCIT);
    for (int r = 0; r < NREPS; r++) {
        const int failed = p == 1 && r == 1;
        state[r] = failed ? TL_RUN_FAILED : TL_RUN_OK;
        errors[r] = failed ? "numerical error at step 3" : "";
        for (int s = 1; s <= NSTEPS; s++)
            for (int m = 0; m < TL_NMETRICS; m++)
                data[((size_t)r * NSTEPS + (size_t)(s - 1)) * TL_NMETRICS + (size_t)m] =
                    failed && s > FAIL_STEP ? NAN : metric_value(p, r, s, m);
        for (int j = 0; j < NSNAP; j++) {
            float *dst = snaps + ((size_t)r * NSNAP + (size_t)j) * snap_size;
            for (int v = 0; v < TL_NAGENT_VARS; v++) {
                const size_t n = is_employee_var(v) ? NEMP : NCIT;
                for (size_t a = 0; a < n; a++)
                    *dst++ = failed && j == 1 ? NAN : snap_value(p, r, j, v, a);
            }
        }
    }
}

/* The sample file described in the banner. No cmocka asserts: it also runs
 * outside a test (--write-sample). */
static tl_status write_sample(const char *path, int force, tl_error *err)
{
    tl_scenario sc;
    tl_writer *w = NULL;
    const tl_provenance prov = {"tillit run --sample \"writer test\"", 0, 0, 0, NULL, NULL, NULL};
    double *data = malloc(sizeof(double) * NREPS * NSTEPS * TL_NMETRICS);
    float *snaps = malloc(sizeof(float) * NREPS * NSNAP * (NEMPVARS * NEMP + 3 * NCIT));
    uint8_t state[NREPS];
    const char *errors[NREPS];
    tl_status st = make_scenario(&sc, NPOINTS, 1, DESC_LEN, err);
    if (st == TL_OK && (!data || !snaps))
        st = TL_ERR_NOMEM;
    if (st == TL_OK && tl_snapshot_size(&sc.points[0].params) != (size_t)(NEMPVARS * NEMP + 3 * NCIT))
        st = tl_error_set(err, TL_ERR_INTERNAL, "the agent variables changed; update the test");
    if (st == TL_OK)
        st = tl_writer_open(&w, path, &sc, &prov, force, err);
    for (int p = 0; p < 2 && st == TL_OK; p++) {
        fill_point(p, data, state, errors, snaps);
        st = tl_writer_put_point(w, p, data, state, errors, snaps, err);
    }
    if (st == TL_OK)
        st = tl_writer_commit(w, err);
    else
        tl_writer_abort(w);
    free(data);
    free(snaps);
    tl_scenario_clear(&sc);
    return st;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static char *part_of(const char *path)
{
    size_t n = strlen(path) + 8;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s.part", path);
    return p;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void assert_text(const char *path, const char *text)
{
    char buf[256] = {0};
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_true(fread(buf, 1, sizeof buf - 1, f) == strlen(text));
    fclose(f);
    assert_string_equal(buf, text);
}

static void assert_msg_has(const tl_error *err, const char *what)
{
    if (!strstr(err->msg, what))
        fail_msg("message \"%s\" does not mention \"%s\"", err->msg, what);
}

/* ---- reading back with the HDF5 C API -------------------------------------- */

static char *attr_string(hid_t loc, const char *obj, const char *name)
{
    hid_t a = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    hid_t t;
    size_t n;
    char *s;
    if (a < 0)
        fail_msg("no attribute %s on %s", name, obj);
    t = H5Aget_type(a);
    assert_int_equal(H5Tget_class(t), H5T_STRING);
    assert_int_equal(H5Tis_variable_str(t), 0); /* fixed-length */
    n = H5Tget_size(t);
    assert_true(n >= 2); /* never "S1" */
    s = calloc(n + 1, 1);
    assert_non_null(s);
    assert_true(H5Aread(a, t, s) >= 0);
    H5Tclose(t);
    H5Aclose(a);
    return s;
}

static void assert_attr_string(hid_t loc, const char *obj, const char *name, const char *want)
{
    char *s = attr_string(loc, obj, name);
    if (strcmp(s, want) != 0)
        fail_msg("%s@%s is \"%.80s\", expected \"%.80s\"", obj, name, s, want);
    free(s);
}

static double attr_double(hid_t loc, const char *obj, const char *name)
{
    double v = 0;
    hid_t a = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        fail_msg("no attribute %s on %s", name, obj);
    assert_true(H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0);
    H5Aclose(a);
    return v;
}

/* rank and shape of dataset name */
static int shape(hid_t loc, const char *name, hsize_t *dims)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t s;
    int rank;
    if (d < 0)
        fail_msg("no dataset %s", name);
    s = H5Dget_space(d);
    rank = H5Sget_simple_extent_ndims(s);
    H5Sget_simple_extent_dims(s, dims, NULL);
    H5Sclose(s);
    H5Dclose(d);
    return rank;
}

/* all n elements of dataset name (which must hold exactly n) */
static void read_all(hid_t loc, const char *name, hid_t mtype, void *out, size_t n)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT), sp;
    if (d < 0)
        fail_msg("no dataset %s", name);
    sp = H5Dget_space(d);
    if (H5Sget_simple_extent_npoints(sp) != (hssize_t)n)
        fail_msg("%s holds %lld values, expected %zu", name,
                 (long long)H5Sget_simple_extent_npoints(sp), n);
    H5Sclose(sp);
    assert_true(H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0);
    H5Dclose(d);
}

static hid_t open_file(const char *path)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        fail_msg("cannot open %s", path);
    return f;
}

static void expect_double(double got, double want, const char *what, int p, int r, int s)
{
    if (isnan(want) ? !isnan(got) : got != want)
        fail_msg("%s point %d replicate %d step/agent %d: %.17g, expected %.17g", what, p, r, s,
                 got, want);
}

/* Expected metric value at (p, r, s) in the sample. */
static double sample_metric(int p, int r, int s, int m)
{
    if (p >= 2 || (p == 1 && r == 1 && s > FAIL_STEP))
        return NAN;
    return metric_value(p, r, s, m);
}

/* ---- fixture: one sample file for the read-back tests ---------------------- */

typedef struct {
    char *path;
    hid_t file;
    tl_scenario sc;
} sample;

static int sample_setup(void **state)
{
    tl_error err = TL_ERROR_INIT;
    sample *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->path = tl_test_path("writer-sample.h5");
    if (write_sample(s->path, 1, &err) != TL_OK)
        fail_msg("write_sample: %s", err.msg);
    assert_int_equal(make_scenario(&s->sc, NPOINTS, 1, DESC_LEN, &err), TL_OK);
    s->file = open_file(s->path);
    *state = s;
    return 0;
}

static int sample_teardown(void **state)
{
    sample *s = *state;
    H5Fclose(s->file);
    unlink(s->path);
    free(s->path);
    tl_scenario_clear(&s->sc);
    free(s);
    return 0;
}

/* ---- tests: layout and values ------------------------------------------------ */

static void test_h5_writer__stores_metrics_and_leaves_unwritten_runs_nan(void **state)
{
    sample *s = *state;
    double v[NPOINTS * NREPS * NSTEPS];
    for (int m = 0; m < TL_NMETRICS; m++) {
        const tl_metric_info *mi = tl_metric_info_at(m);
        hsize_t dims[8];
        assert_int_equal(shape(s->file, mi->name, dims), 3);
        assert_int_equal(dims[0], NPOINTS);
        assert_int_equal(dims[1], NREPS);
        assert_int_equal(dims[2], NSTEPS);
        read_all(s->file, mi->name, H5T_NATIVE_DOUBLE, v, sizeof v / sizeof v[0]);
        for (int p = 0; p < NPOINTS; p++)
            for (int r = 0; r < NREPS; r++)
                for (int t = 1; t <= NSTEPS; t++)
                    expect_double(v[(p * NREPS + r) * NSTEPS + t - 1], sample_metric(p, r, t, m),
                                  mi->name, p, r, t);
        assert_attr_string(s->file, mi->name, "units", mi->unit);
        assert_attr_string(s->file, mi->name, "long_name", mi->desc);
        assert_attr_string(s->file, mi->name, "aggregation", mi->agg);
        assert_true(isnan(attr_double(s->file, mi->name, "_FillValue")));
    }
}

static void test_h5_writer__records_run_status_and_errors(void **state)
{
    sample *s = *state;
    int8_t st[NPOINTS * NREPS];
    const int8_t want[NPOINTS * NREPS] = {1, 1, 1, 2, 0, 0};
    char *msg[NPOINTS * NREPS];
    hid_t str = H5Tcopy(H5T_C_S1), d, sp;
    int8_t flags[3];
    hsize_t dims[8];

    assert_int_equal(shape(s->file, "run_status", dims), 2);
    assert_int_equal(dims[0], NPOINTS);
    assert_int_equal(dims[1], NREPS);
    read_all(s->file, "run_status", H5T_NATIVE_INT8, st, sizeof st / sizeof st[0]);
    assert_memory_equal(st, want, sizeof want);
    assert_attr_string(s->file, "run_status", "flag_meanings", "not_run ok failed");
    d = H5Aopen_by_name(s->file, "run_status", "flag_values", H5P_DEFAULT, H5P_DEFAULT);
    assert_true(d >= 0);
    assert_true(H5Aread(d, H5T_NATIVE_INT8, flags) >= 0);
    H5Aclose(d);
    assert_int_equal(flags[0], 0);
    assert_int_equal(flags[1], 1);
    assert_int_equal(flags[2], 2);

    H5Tset_size(str, H5T_VARIABLE);
    H5Tset_cset(str, H5T_CSET_UTF8);
    d = H5Dopen2(s->file, "run_error", H5P_DEFAULT);
    assert_true(d >= 0);
    assert_true(H5Dread(d, str, H5S_ALL, H5S_ALL, H5P_DEFAULT, msg) >= 0);
    for (int i = 0; i < NPOINTS * NREPS; i++)
        assert_string_equal(msg[i] ? msg[i] : "", i == 3 ? "numerical error at step 3" : "");
    sp = H5Dget_space(d);
    H5Dvlen_reclaim(str, sp, H5P_DEFAULT, msg);
    H5Sclose(sp);
    H5Dclose(d);
    H5Tclose(str);
}

static void test_h5_writer__stores_parameters_along_point_with_attributes(void **state)
{
    sample *s = *state;
    double v[NPOINTS];
    hsize_t dims[8];
    char *lab[NPOINTS];
    hid_t str = H5Tcopy(H5T_C_S1), d, sp;

    for (int i = 0; i < TL_NPARAMS; i++) {
        const tl_param_info *pi = tl_param_info_at(i);
        char name[160];
        /* a parameter named like a metric is stored as param_<name> */
        if (tl_metric_index(pi->name) >= 0) {
            snprintf(name, sizeof name, "param_%s", pi->name);
            assert_int_equal(shape(s->file, pi->name, dims), 3);
        } else {
            snprintf(name, sizeof name, "%s", pi->name);
        }
        assert_int_equal(shape(s->file, name, dims), 1);
        assert_int_equal(dims[0], NPOINTS);
        read_all(s->file, name, H5T_NATIVE_DOUBLE, v, sizeof v / sizeof v[0]);
        for (int k = 0; k < NPOINTS; k++)
            expect_double(v[k], tl_params_get(&s->sc.points[k].params, i), name, k, 0, 0);
        assert_attr_string(s->file, name, "units", pi->unit);
        assert_attr_string(s->file, name, "long_name", pi->desc);
        assert_attr_string(s->file, name, "parameter", pi->name);
        assert_attr_string(s->file, name, "group", pi->group);
        assert_attr_string(s->file, name, "principle", pi->principle);
        assert_attr_string(s->file, name, "source", pi->source);
        expect_double(attr_double(s->file, name, "valid_min"), pi->min, name, 0, 0, 0);
        expect_double(attr_double(s->file, name, "valid_max"), pi->max, name, 0, 0, 0);
    }
    read_all(s->file, "control_intensity", H5T_NATIVE_DOUBLE, v, sizeof v / sizeof v[0]);
    expect_double(v[2], 0.5, "control_intensity", 2, 0, 0);

    H5Tset_size(str, H5T_VARIABLE);
    H5Tset_cset(str, H5T_CSET_UTF8);
    d = H5Dopen2(s->file, "point_label", H5P_DEFAULT);
    assert_true(d >= 0);
    assert_true(H5Dread(d, str, H5S_ALL, H5S_ALL, H5P_DEFAULT, lab) >= 0);
    for (int k = 0; k < NPOINTS; k++)
        assert_string_equal(lab[k], labels[k]);
    sp = H5Dget_space(d);
    H5Dvlen_reclaim(str, sp, H5P_DEFAULT, lab);
    H5Sclose(sp);
    H5Dclose(d);
    H5Tclose(str);
}

static void test_h5_writer__lists_point_label_and_parameters_as_coordinates(void **state)
{
    sample *s = *state;
    char *c = attr_string(s->file, tl_metric_info_at(0)->name, "coordinates");
    char *save = NULL, *tok;
    int n = 0;
    for (tok = strtok_r(c, " ", &save); tok; tok = strtok_r(NULL, " ", &save), n++) {
        hsize_t dims[8];
        if (n == 0)
            assert_string_equal(tok, "point_label");
        assert_int_equal(shape(s->file, tok, dims), 1);
        assert_int_equal(dims[0], NPOINTS);
    }
    assert_int_equal(n, TL_NPARAMS + 3); /* point_label, design_block, design_row */
    free(c);
}

static void test_h5_writer__writes_provenance_attributes(void **state)
{
    sample *s = *state;
    char *yaml = tl_scenario_to_yaml(&s->sc);
    char *created = attr_string(s->file, ".", "created");
    uint64_t seed = 0;
    int32_t reps = 0;
    hid_t a;

    assert_attr_string(s->file, ".", "title", "tillit simulation output");
    assert_attr_string(s->file, ".", "tillit_version", TILLIT_VERSION);
    assert_attr_string(s->file, ".", "git_revision", TILLIT_GIT_REVISION);
    assert_attr_string(s->file, ".", "schema_version", TL_SCHEMA_VERSION);
    assert_attr_string(s->file, ".", "command_line", "tillit run --sample \"writer test\"");
    assert_attr_string(s->file, ".", "rng", tl_rng_description());
    assert_attr_string(s->file, ".", "scenario_name", "writer-test");
    assert_attr_string(s->file, ".", "varied_parameters", "control_intensity trust_from_above");
    assert_non_null(yaml);
    assert_attr_string(s->file, ".", "scenario", yaml);
    /* 2024-01-31T12:00:00Z */
    assert_int_equal(strlen(created), 20);
    assert_int_equal(created[4], '-');
    assert_int_equal(created[10], 'T');
    assert_int_equal(created[19], 'Z');

    a = H5Aopen_by_name(s->file, ".", "master_seed", H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    {
        hid_t t = H5Aget_type(a);
        assert_int_equal(H5Tget_class(t), H5T_INTEGER);
        assert_int_equal(H5Tget_size(t), 8);
        assert_int_equal(H5Tget_sign(t), H5T_SGN_NONE);
        H5Tclose(t);
    }
    assert_true(H5Aread(a, H5T_NATIVE_UINT64, &seed) >= 0);
    H5Aclose(a);
    assert_int_equal(seed, 42);
    a = H5Aopen_by_name(s->file, ".", "replicates", H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Aread(a, H5T_NATIVE_INT32, &reps) >= 0);
    H5Aclose(a);
    assert_int_equal(reps, NREPS);
    free(created);
    free(yaml);
}

static void test_h5_writer__stores_a_scenario_text_over_64_kib(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    char *path = tl_test_path("big-scenario.h5");
    char *yaml;
    hid_t f;
    (void)state;
    /* a big sweep, not a long description: the text grows with the points */
    assert_int_equal(make_scenario(&sc, 1200, 0, 0, &err), TL_OK);
    yaml = tl_scenario_to_yaml(&sc);
    assert_non_null(yaml);
    assert_true(strlen(yaml) > 65536);
    if (tl_writer_open(&w, path, &sc, NULL, 0, &err) != TL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);
    f = open_file(path);
    assert_attr_string(f, ".", "scenario", yaml);
    assert_attr_string(f, ".", "command_line", "");
    H5Fclose(f);
    unlink(path);
    free(path);
    free(yaml);
    tl_scenario_clear(&sc);
}

/* expected scale of axis `axis` of dataset name in the root group */
static const char *root_scale(const char *name, int axis)
{
    static const char *const names[] = {"point", "replicate", "step"};
    if (strcmp(name, "design_values") == 0 && axis == 1)
        return "design_variable";
    return names[axis];
}

typedef struct {
    hid_t loc;
    int snapshots;
    int checked;
} scale_walk;

static herr_t check_scales_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    scale_walk *sw = data;
    H5O_info_t oi;
    hid_t d;
    hsize_t dims[8];
    int rank;
    (void)info;
    assert_true(H5Oget_info_by_name(loc, name, &oi, H5P_DEFAULT) >= 0);
    if (oi.type != H5O_TYPE_DATASET)
        return 0;
    d = H5Dopen2(loc, name, H5P_DEFAULT);
    assert_true(d >= 0);
    rank = shape(loc, name, dims);
    if (H5DSis_scale(d) > 0) {
        char sname[64];
        assert_true(H5DSget_scale_name(d, sname, sizeof sname) > 0);
        assert_string_equal(sname, name);
        assert_int_equal(rank, 1);
    } else {
        for (int ax = 0; ax < rank; ax++) {
            const char *want;
            hid_t scale;
            if (sw->snapshots) {
                static const char *const n4[] = {"snapshot_step", "point", "replicate"};
                want = ax < 3 ? n4[ax] : dims[3] == NEMP ? "employee" : "citizen";
            } else {
                want = root_scale(name, ax);
            }
            assert_int_equal(H5DSget_num_scales(d, (unsigned)ax), 1);
            scale = H5Dopen2(loc, want, H5P_DEFAULT);
            assert_true(scale >= 0);
            if (H5DSis_attached(d, scale, (unsigned)ax) <= 0)
                fail_msg("%s axis %d has no scale %s attached", name, ax, want);
            H5Dclose(scale);
        }
        sw->checked++;
    }
    H5Dclose(d);
    return 0;
}

static void test_h5_writer__attaches_dimension_scales_to_every_axis(void **state)
{
    sample *s = *state;
    scale_walk sw = {s->file, 0, 0};
    hid_t g;
    int step[NSTEPS], snap_step[NSNAP];
    assert_true(H5Literate(s->file, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, check_scales_cb, &sw) >=
                0);
    /* metrics, parameters, point_label, run_status, run_error, design_* */
    assert_int_equal(sw.checked, TL_NMETRICS + TL_NPARAMS + 3 + 3);
    read_all(s->file, "step", H5T_NATIVE_INT, step, sizeof step / sizeof step[0]);
    for (int t = 0; t < NSTEPS; t++)
        assert_int_equal(step[t], t + 1);
    assert_attr_string(s->file, "step", "units", "1");
    assert_attr_string(s->file, "step", "long_name", "step (one step is one week)");

    g = H5Gopen2(s->file, "snapshots", H5P_DEFAULT);
    assert_true(g >= 0);
    sw.loc = g;
    sw.snapshots = 1;
    sw.checked = 0;
    assert_true(H5Literate(g, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, check_scales_cb, &sw) >= 0);
    assert_int_equal(sw.checked, TL_NAGENT_VARS);
    read_all(g, "snapshot_step", H5T_NATIVE_INT, snap_step, sizeof snap_step / sizeof snap_step[0]);
    assert_int_equal(snap_step[0], 0);
    assert_int_equal(snap_step[1], NSTEPS);
    H5Gclose(g);
}

static void test_h5_writer__stores_agent_snapshots(void **state)
{
    sample *s = *state;
    float *v = malloc(sizeof(float) * NSNAP * NPOINTS * NREPS * NCIT);
    hid_t g = H5Gopen2(s->file, "snapshots", H5P_DEFAULT);
    assert_non_null(v);
    assert_true(g >= 0);
    for (int var = 0; var < TL_NAGENT_VARS; var++) {
        const tl_agent_var_info *ai = &tl_agent_var_table()[var];
        const size_t n = is_employee_var(var) ? NEMP : NCIT;
        hsize_t dims[8];
        assert_int_equal(shape(g, ai->name, dims), 4);
        assert_int_equal(dims[0], NSNAP);
        assert_int_equal(dims[1], NPOINTS);
        assert_int_equal(dims[2], NREPS);
        assert_int_equal(dims[3], n);
        read_all(g, ai->name, H5T_NATIVE_FLOAT, v, (size_t)(NSNAP * NPOINTS * NREPS) * n);
        for (int j = 0; j < NSNAP; j++)
            for (int p = 0; p < NPOINTS; p++)
                for (int r = 0; r < NREPS; r++)
                    for (size_t a = 0; a < n; a++) {
                        const int missing = p == 2 || (p == 1 && r == 1 && j == 1);
                        expect_double(v[((size_t)(j * NPOINTS + p) * NREPS + (size_t)r) * n + a],
                                      missing ? NAN : snap_value(p, r, j, var, a), ai->name, p, r,
                                      (int)a);
                    }
        assert_attr_string(g, ai->name, "units", ai->unit);
        assert_attr_string(g, ai->name, "long_name", ai->desc);
    }
    H5Gclose(g);
    free(v);
}

static void test_h5_writer__compresses_in_chunks_that_never_span_points(void **state)
{
    sample *s = *state;
    hid_t d = H5Dopen2(s->file, tl_metric_info_at(0)->name, H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    hsize_t chunk[3];
    int shuffle = 0, deflate = 0;
    assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
    assert_int_equal(H5Pget_chunk(dcpl, 3, chunk), 3);
    assert_int_equal(chunk[0], 1);
    assert_int_equal(chunk[1], NREPS);
    assert_int_equal(chunk[2], NSTEPS);
    for (int i = 0; i < H5Pget_nfilters(dcpl); i++) {
        unsigned flags, cd[4];
        size_t ncd = 4;
        H5Z_filter_t f = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, 0, NULL, NULL);
        shuffle |= f == H5Z_FILTER_SHUFFLE;
        if (f == H5Z_FILTER_DEFLATE) {
            deflate = 1;
            assert_true(cd[0] >= 1 && cd[0] <= 4);
        }
    }
    assert_true(shuffle && deflate);
    H5Pclose(dcpl);
    H5Dclose(d);
}

static void test_h5_writer__records_the_design(void **state)
{
    sample *s = *state;
    double v[NPOINTS * 2];
    int blk[NPOINTS], row[NPOINTS];
    int32_t base = -1;
    hsize_t dims[8];
    char *names[2];
    hid_t str = H5Tcopy(H5T_C_S1), d, sp, a;

    assert_attr_string(s->file, ".", "design", "list");
    a = H5Aopen_by_name(s->file, ".", "design_base", H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Aread(a, H5T_NATIVE_INT32, &base) >= 0);
    H5Aclose(a);
    assert_int_equal(base, 0);
    assert_int_equal(shape(s->file, "design_values", dims), 2);
    assert_int_equal(dims[0], NPOINTS);
    assert_int_equal(dims[1], 2);
    read_all(s->file, "design_values", H5T_NATIVE_DOUBLE, v, sizeof v / sizeof v[0]);
    assert_memory_equal(v, s->sc.design_values, sizeof v);
    read_all(s->file, "design_block", H5T_NATIVE_INT, blk, sizeof blk / sizeof blk[0]);
    read_all(s->file, "design_row", H5T_NATIVE_INT, row, sizeof row / sizeof row[0]);
    assert_memory_equal(blk, s->sc.design_block, sizeof blk);
    assert_memory_equal(row, s->sc.design_row, sizeof row);

    H5Tset_size(str, H5T_VARIABLE);
    H5Tset_cset(str, H5T_CSET_UTF8);
    d = H5Dopen2(s->file, "design_variable", H5P_DEFAULT);
    assert_true(d >= 0);
    assert_true(H5DSis_scale(d) > 0);
    assert_true(H5Dread(d, str, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
    assert_string_equal(names[0], "control_intensity");
    assert_string_equal(names[1], "trust_from_above");
    sp = H5Dget_space(d);
    H5Dvlen_reclaim(str, sp, H5P_DEFAULT, names);
    H5Sclose(sp);
    H5Dclose(d);
    H5Tclose(str);
}

static void test_h5_writer__stores_blocks_of_replicates_as_the_runner_hands_them(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    char *path = tl_test_path("blocks.h5");
    enum { R = 5 };
    double data[R * NSTEPS * TL_NMETRICS], v[2 * R * NSTEPS];
    uint8_t st[R];
    const char *errors[R];
    int8_t status[2 * R];
    tl_block b;
    hid_t f;
    (void)state;
    memset(&b, 0, sizeof b);
    assert_int_equal(make_scenario(&sc, 2, 0, 0, &err), TL_OK);
    sc.replicates = R;
    assert_int_equal(tl_scenario_finalise(&sc, &err), TL_OK);
    /* replicate r of point 1 as a run would give it */
    for (int r = 0; r < R; r++) {
        st[r] = TL_RUN_OK;
        errors[r] = "";
        for (int t = 1; t <= NSTEPS; t++)
            for (int m = 0; m < TL_NMETRICS; m++)
                data[((size_t)r * NSTEPS + (size_t)(t - 1)) * TL_NMETRICS + (size_t)m] =
                    metric_value(1, r, t, m);
    }
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 0, &err), TL_OK);
    /* replicates 3..4 first, then 0..2: blocks come in no fixed order */
    b.point = 1;
    b.r0 = 3;
    b.nrep = 2;
    b.steps = NSTEPS;
    b.data = data + 3 * NSTEPS * TL_NMETRICS;
    b.state = st + 3;
    b.errors = errors + 3;
    b.snaps = NULL;
    assert_int_equal(tl_writer_put_block(w, &b, &err), TL_OK);
    b.r0 = 0;
    b.nrep = 3;
    b.data = data;
    b.state = st;
    b.errors = errors;
    assert_int_equal(tl_writer_put_block(w, &b, &err), TL_OK);
    /* blocks that do not fit the file */
    b.nrep = 6;
    assert_int_equal(tl_writer_put_block(w, &b, &err), TL_ERR_INVALID);
    assert_msg_has(&err, "replicates");
    b.nrep = 3;
    b.r0 = 3;
    assert_int_equal(tl_writer_put_block(w, &b, &err), TL_ERR_INVALID);
    b.r0 = 0;
    b.steps = NSTEPS + 1;
    assert_int_equal(tl_writer_put_block(w, &b, &err), TL_ERR_INVALID);
    assert_msg_has(&err, "steps");
    assert_int_equal(tl_writer_put_block(w, NULL, &err), TL_ERR_INVALID);
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);

    f = open_file(path);
    read_all(f, "backlog", H5T_NATIVE_DOUBLE, v, sizeof v / sizeof v[0]);
    for (int r = 0; r < R; r++)
        for (int t = 1; t <= NSTEPS; t++) {
            expect_double(v[(0 * R + r) * NSTEPS + t - 1], NAN, "backlog", 0, r, t);
            expect_double(v[(1 * R + r) * NSTEPS + t - 1],
                          metric_value(1, r, t, TL_METRIC_IDX_backlog), "backlog", 1, r, t);
        }
    read_all(f, "run_status", H5T_NATIVE_INT8, status, sizeof status / sizeof status[0]);
    for (int r = 0; r < R; r++) {
        assert_int_equal(status[r], TL_RUN_NOT_RUN);
        assert_int_equal(status[R + r], TL_RUN_OK);
    }
    H5Fclose(f);
    unlink(path);
    free(path);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__chunks_replicates_as_the_runner_blocks_them(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    char *path = tl_test_path("wide.h5");
    hid_t f, d, dcpl;
    hsize_t chunk[3];
    (void)state;
    assert_int_equal(make_scenario(&sc, 1, 0, 0, &err), TL_OK);
    sc.replicates = 300;
    sc.points[0].params.steps = 1000;
    assert_int_equal(tl_scenario_finalise(&sc, &err), TL_OK);
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 0, &err), TL_OK);
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);
    f = open_file(path);
    d = H5Dopen2(f, tl_metric_info_at(0)->name, H5P_DEFAULT);
    dcpl = H5Dget_create_plist(d);
    assert_int_equal(H5Pget_chunk(dcpl, 3, chunk), 3);
    /* 300 x 1000 doubles = 2.4 MB: split over replicates as the runner's
     * blocks are, so that each block fills whole chunks of at most 1 MiB */
    assert_int_equal(chunk[0], 1);
    assert_int_equal(chunk[1], tl_scenario_block_reps(&sc));
    assert_true(chunk[1] < 300 && chunk[1] * 1000 * 8 <= (1u << 20));
    assert_int_equal(chunk[2], 1000);
    H5Pclose(dcpl);
    H5Dclose(d);
    H5Fclose(f);
    unlink(path);
    free(path);
    tl_scenario_clear(&sc);
}

/* Write the blocks of a 2-point scenario of T steps and R replicates to
 * path, each block prepared ahead (as worker threads do) or not; returns
 * how many blocks were prepared. */
static int write_blocks(const char *path, int T, int R, int prepare)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    int B, nprepared = 0;
    double *data;
    uint8_t *st;
    const char **errors;
    assert_int_equal(make_scenario(&sc, 2, 0, 0, &err), TL_OK);
    sc.replicates = R;
    for (int k = 0; k < 2; k++)
        sc.points[k].params.steps = (uint32_t)T;
    assert_int_equal(tl_scenario_finalise(&sc, &err), TL_OK);
    B = tl_scenario_block_reps(&sc);
    if (B > R)
        B = R;
    data = malloc(sizeof(double) * (size_t)R * (size_t)T * TL_NMETRICS);
    st = malloc((size_t)R);
    errors = malloc(sizeof(char *) * (size_t)R);
    assert_non_null(data);
    assert_non_null(st);
    assert_non_null(errors);
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 0, &err), TL_OK);
    for (int p = 0; p < 2; p++) {
        for (int r = 0; r < R; r++) {
            st[r] = r == 1 ? TL_RUN_FAILED : r == 2 ? TL_RUN_NOT_RUN : TL_RUN_OK;
            errors[r] = r == 1 ? "failed" : "";
            for (int t = 0; t < T; t++)
                for (int m = 0; m < TL_NMETRICS; m++)
                    data[((size_t)r * (size_t)T + (size_t)t) * TL_NMETRICS + (size_t)m] =
                        r == 1 && t > T / 2 ? NAN : metric_value(p, r, t + 1, m) + 1e-3 * t * r;
        }
        /* the last block first: blocks come in no fixed order */
        for (int r0 = ((R - 1) / B) * B; r0 >= 0; r0 -= B) {
            tl_block b;
            tl_prepared *prep = NULL;
            memset(&b, 0, sizeof b);
            b.point = p;
            b.r0 = r0;
            b.nrep = R - r0 < B ? R - r0 : B;
            b.steps = T;
            b.data = data + (size_t)r0 * (size_t)T * TL_NMETRICS;
            b.state = st + r0;
            b.errors = errors + r0;
            if (prepare) {
                prep = tl_writer_prepare(w, &b);
                assert_non_null(prep);
                nprepared++;
            }
            b.prepared = prep;
            assert_int_equal(tl_writer_put_block(w, &b, &err), TL_OK);
            tl_prepared_free(prep);
        }
    }
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);
    free(data);
    free(st);
    free(errors);
    tl_scenario_clear(&sc);
    return nprepared;
}

static void assert_same_dataset(hid_t fa, hid_t fb, const char *name)
{
    hsize_t da[3], db[3];
    int n = shape(fa, name, da);
    size_t count = 1;
    double *va, *vb;
    assert_int_equal(shape(fb, name, db), n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(da[i], db[i]);
        count *= (size_t)da[i];
    }
    va = malloc(sizeof(double) * count);
    vb = malloc(sizeof(double) * count);
    assert_non_null(va);
    assert_non_null(vb);
    read_all(fa, name, H5T_NATIVE_DOUBLE, va, count);
    read_all(fb, name, H5T_NATIVE_DOUBLE, vb, count);
    if (memcmp(va, vb, sizeof(double) * count) != 0)
        fail_msg("%s differs between prepared and ordinary blocks", name);
    free(va);
    free(vb);
}

static void test_h5_writer__prepared_blocks_store_the_same_bits(void **state)
{
    /* whole points in one block (summaries prepared too), and points split
     * over blocks with a short last block (chunks at the dataset's edge) */
    const int shapes[2][2] = {{NSTEPS, 7}, {1000, 40}};
    (void)state;
    for (int k = 0; k < 2; k++) {
        char *pa = tl_test_path("prepared.h5"), *pb = tl_test_path("ordinary.h5");
        hid_t fa, fb;
        int n = write_blocks(pa, shapes[k][0], shapes[k][1], 1);
        assert_true(n >= 2 && (k == 0 ? n == 2 : n > 2));
        assert_int_equal(write_blocks(pb, shapes[k][0], shapes[k][1], 0), 0);
        fa = open_file(pa);
        fb = open_file(pb);
        for (int m = 0; m < TL_NMETRICS; m++) {
            char sname[160];
            assert_same_dataset(fa, fb, tl_metric_info_at(m)->name);
            snprintf(sname, sizeof sname, "summary/%s", tl_metric_info_at(m)->name);
            assert_same_dataset(fa, fb, sname);
        }
        H5Fclose(fa);
        H5Fclose(fb);
        unlink(pa);
        unlink(pb);
        free(pa);
        free(pb);
    }
}

static void test_h5_writer__prepare_declines_blocks_that_are_not_one_chunk(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    char *path = tl_test_path("decline.h5");
    double data[NREPS * NSTEPS * TL_NMETRICS];
    uint8_t st[NREPS];
    const char *errors[NREPS];
    float snaps[NREPS * NSNAP * (NEMPVARS * NEMP + 3 * NCIT)];
    tl_block b;
    (void)state;
    assert_int_equal(make_scenario(&sc, 2, 0, 0, &err), TL_OK);
    fill_point(0, data, st, errors, snaps);
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 0, &err), TL_OK);
    memset(&b, 0, sizeof b);
    b.point = 0;
    b.nrep = NREPS;
    b.steps = NSTEPS;
    b.data = data;
    b.state = st;
    b.errors = errors;
    {
        tl_prepared *ok = tl_writer_prepare(w, &b);
        assert_non_null(ok);
        tl_prepared_free(ok);
    }
    b.nrep = NREPS - 1; /* a part of a chunk */
    assert_null(tl_writer_prepare(w, &b));
    b.nrep = NREPS;
    b.steps = NSTEPS + 1; /* another horizon */
    assert_null(tl_writer_prepare(w, &b));
    b.steps = NSTEPS;
    b.point = 2; /* no such point */
    assert_null(tl_writer_prepare(w, &b));
    b.point = 0;
    st[0] = 7; /* not a run state */
    assert_null(tl_writer_prepare(w, &b));
    assert_null(tl_writer_prepare(NULL, &b));
    st[0] = TL_RUN_OK;
    /* packed for another process and back: the same bytes; damaged: refused */
    {
        tl_prepared *p = tl_block_prepare(&sc, &b), *q, *bad;
        size_t n;
        unsigned char *buf, *buf2;
        assert_non_null(p);
        n = tl_prepared_packed_size(p, NSTEPS);
        buf = malloc(n);
        buf2 = malloc(n);
        assert_non_null(buf);
        assert_non_null(buf2);
        tl_prepared_pack(p, NSTEPS, buf);
        q = tl_prepared_unpack(buf, n, NSTEPS);
        assert_non_null(q);
        assert_int_equal(tl_prepared_packed_size(q, NSTEPS), n);
        tl_prepared_pack(q, NSTEPS, buf2);
        assert_memory_equal(buf, buf2, n);
        assert_null(tl_prepared_unpack(buf, n - 1, NSTEPS));     /* truncated */
        assert_null(tl_prepared_unpack(buf, n, NSTEPS + 1));     /* another horizon */
        memset(buf + 16, 0xff, 8);                               /* an offset out of range */
        bad = tl_prepared_unpack(buf, n, NSTEPS);
        assert_null(bad);
        tl_prepared_free(p);
        tl_prepared_free(q);
        free(buf);
        free(buf2);
    }
    tl_prepared_free(NULL);
    tl_writer_abort(w);
    free(path);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__stores_nan_for_replicates_that_did_not_run(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    char *path = tl_test_path("not-run.h5");
    double data[NREPS * NSTEPS * TL_NMETRICS], v[NREPS * NSTEPS];
    float snaps[NREPS * NSNAP * (NEMPVARS * NEMP + 3 * NCIT)], sv[NSNAP * NREPS * NEMP];
    uint8_t st[NREPS];
    const char *errors[NREPS];
    hid_t f, g;
    (void)state;
    assert_int_equal(make_scenario(&sc, 1, 1, 0, &err), TL_OK);
    fill_point(0, data, st, errors, snaps);
    st[1] = TL_RUN_NOT_RUN; /* its data are junk and must not be stored */
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 0, &err), TL_OK);
    assert_int_equal(tl_writer_put_point(w, 0, data, st, NULL, snaps, &err), TL_OK);
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);
    f = open_file(path);
    read_all(f, "quality_true", H5T_NATIVE_DOUBLE, v, sizeof v / sizeof v[0]);
    for (int t = 0; t < NSTEPS; t++) {
        expect_double(v[t], metric_value(0, 0, t + 1, TL_METRIC_IDX_quality_true), "r0", 0, 0, t);
        expect_double(v[NSTEPS + t], NAN, "r1", 0, 1, t);
    }
    g = H5Gopen2(f, "snapshots", H5P_DEFAULT);
    read_all(g, "skill", H5T_NATIVE_FLOAT, sv, sizeof sv / sizeof sv[0]);
    for (int j = 0; j < NSNAP; j++)
        for (int a = 0; a < NEMP; a++) {
            expect_double(sv[(j * NREPS + 0) * NEMP + a], snap_value(0, 0, j, 0, (size_t)a),
                          "skill", 0, 0, a);
            expect_double(sv[(j * NREPS + 1) * NEMP + a], NAN, "skill", 0, 1, a);
        }
    H5Gclose(g);
    H5Fclose(f);
    unlink(path);
    free(path);
    tl_scenario_clear(&sc);
}

/* ---- tests: crash safety and paths --------------------------------------------- */

static tl_writer *open_small(const char *path, int force, tl_scenario *sc, tl_error *err)
{
    tl_writer *w = NULL;
    assert_int_equal(make_scenario(sc, 2, 0, 0, err), TL_OK);
    if (tl_writer_open(&w, path, sc, NULL, force, err) != TL_OK)
        fail_msg("tl_writer_open: %s", err->msg);
    return w;
}

static void put_small(tl_writer *w, int p)
{
    tl_error err = TL_ERROR_INIT;
    double data[NREPS * NSTEPS * TL_NMETRICS];
    float snaps[NREPS * NSNAP * (NEMPVARS * NEMP + 3 * NCIT)];
    uint8_t st[NREPS];
    const char *errors[NREPS];
    fill_point(p, data, st, errors, snaps);
    if (tl_writer_put_point(w, p, data, st, errors, NULL, &err) != TL_OK)
        fail_msg("tl_writer_put_point: %s", err.msg);
}

static void test_h5_writer__writes_only_the_part_file_before_commit(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("commit.h5"), *part = part_of(path);
    tl_writer *w = open_small(path, 0, &sc, &err);
    (void)state;
    put_small(w, 0);
    assert_false(exists(path));
    assert_true(exists(part));
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);
    assert_true(exists(path));
    assert_false(exists(part));
    assert_true(H5Fis_hdf5(path) > 0);
    unlink(path);
    free(path);
    free(part);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__abort_removes_the_part_file(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("abort.h5"), *part = part_of(path);
    tl_writer *w = open_small(path, 0, &sc, &err);
    (void)state;
    put_small(w, 1);
    tl_writer_abort(w);
    tl_writer_abort(NULL);
    assert_false(exists(part));
    assert_false(exists(path));
    free(path);
    free(part);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__refuses_existing_file_without_force(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = (tl_writer *)&err; /* must be reset to NULL */
    char *path = tl_test_path("exists.h5"), *part = part_of(path);
    (void)state;
    write_text(path, "precious results\n");
    assert_int_equal(make_scenario(&sc, 2, 0, 0, &err), TL_OK);
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 0, &err), TL_ERR_EXISTS);
    assert_null(w);
    assert_int_equal(err.code, TL_ERR_EXISTS);
    assert_msg_has(&err, path);
    assert_msg_has(&err, "--force");
    assert_false(exists(part));
    assert_text(path, "precious results\n");
    unlink(path);
    free(path);
    free(part);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__forced_write_replaces_existing_file_only_at_commit(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("force.h5");
    tl_writer *w;
    (void)state;
    write_text(path, "old results\n");
    w = open_small(path, 1, &sc, &err);
    put_small(w, 0);
    assert_text(path, "old results\n");
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);
    assert_true(H5Fis_hdf5(path) > 0);
    unlink(path);
    free(path);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__aborted_forced_write_leaves_existing_file_intact(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("force-abort.h5"), *part = part_of(path);
    tl_writer *w;
    (void)state;
    write_text(path, "old results\n");
    w = open_small(path, 1, &sc, &err);
    put_small(w, 0);
    tl_writer_abort(w);
    assert_text(path, "old results\n");
    assert_false(exists(part));
    unlink(path);
    free(path);
    free(part);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__overwrites_a_stale_part_file(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("stale.h5"), *part = part_of(path);
    tl_writer *w;
    (void)state;
    write_text(part, "left by a crashed run\n");
    w = open_small(path, 0, &sc, &err);
    put_small(w, 0);
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);
    assert_true(H5Fis_hdf5(path) > 0);
    assert_false(exists(part));
    unlink(path);
    free(path);
    free(part);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__commit_refuses_a_file_that_appeared_meanwhile(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("race.h5"), *part = part_of(path);
    tl_writer *w;
    (void)state;
    w = open_small(path, 0, &sc, &err);
    put_small(w, 0);
    write_text(path, "someone else's file\n");
    assert_int_equal(tl_writer_commit(w, &err), TL_ERR_EXISTS);
    assert_msg_has(&err, path);
    assert_msg_has(&err, "--force");
    assert_text(path, "someone else's file\n");
    assert_true(H5Fis_hdf5(part) > 0); /* the results are kept */
    unlink(part);
    unlink(path);
    free(path);
    free(part);
    tl_scenario_clear(&sc);
}

/* A writer killed mid-run (SIGKILL: no cleanup at all) leaves its .part,
 * never a file under path; an earlier file there stays intact, and the next
 * run overwrites the stale .part. */
static void test_h5_writer__a_killed_writer_leaves_earlier_results_intact(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("killed.h5"), *part = part_of(path);
    double v[2 * NREPS * NSTEPS]; /* open_small: 2 points */
    int status = 0;
    pid_t pid;
    hid_t f;
    tl_writer *w = open_small(path, 0, &sc, &err);
    (void)state;
    put_small(w, 0);
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        tl_writer *w2 = NULL;
        if (tl_writer_open(&w2, path, &sc, NULL, 1, &err) == TL_OK) {
            put_small(w2, 1);
            raise(SIGKILL);
        }
        _exit(1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_true(exists(part));
    f = open_file(path); /* the earlier results, untouched */
    read_all(f, "backlog", H5T_NATIVE_DOUBLE, v, sizeof v / sizeof v[0]);
    expect_double(v[0], metric_value(0, 0, 1, TL_METRIC_IDX_backlog), "backlog", 0, 0, 1);
    H5Fclose(f);

    w = NULL;
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 1, &err), TL_OK);
    put_small(w, 1);
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);
    assert_false(exists(part));
    f = open_file(path);
    H5Fclose(f);
    unlink(path);
    free(path);
    free(part);
    tl_scenario_clear(&sc);
}

static void expect_io_error(const char *path, const char *naming)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    assert_int_equal(make_scenario(&sc, 2, 0, 0, &err), TL_OK);
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 1, &err), TL_ERR_IO);
    assert_null(w);
    assert_msg_has(&err, naming);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__missing_directory_is_an_io_error_naming_it(void **state)
{
    char *dir = tl_test_path("no-such-dir");
    char path[512];
    (void)state;
    snprintf(path, sizeof path, "%s/out.h5", dir);
    expect_io_error(path, dir);
    assert_false(exists(dir));
    free(dir);
}

static void test_h5_writer__file_as_directory_is_an_io_error_naming_it(void **state)
{
    char *file = tl_test_path("not-a-dir");
    char path[512];
    (void)state;
    write_text(file, "x\n");
    snprintf(path, sizeof path, "%s/out.h5", file);
    expect_io_error(path, file);
    unlink(file);
    free(file);
}

static void test_h5_writer__unwritable_directory_is_an_io_error_naming_it(void **state)
{
    char *dir = tl_test_path("read-only");
    char path[512];
    (void)state;
    if (geteuid() == 0) {
        free(dir);
        skip(); /* permissions do not bind root */
    }
    assert_int_equal(mkdir(dir, 0555), 0);
    snprintf(path, sizeof path, "%s/out.h5", dir);
    expect_io_error(path, dir);
    rmdir(dir);
    free(dir);
}

static void test_h5_writer__uncreatable_file_is_an_io_error_naming_the_directory(void **state)
{
    (void)state;
    /* a directory nobody may create files in, root included */
    if (!exists("/proc/self"))
        skip();
    expect_io_error("/proc/self/out.h5", "/proc/self");
}

static void test_h5_writer__rejects_points_and_run_states_out_of_range(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("range.h5");
    tl_writer *w = open_small(path, 0, &sc, &err);
    double data[NREPS * NSTEPS * TL_NMETRICS] = {0};
    uint8_t st[NREPS] = {TL_RUN_OK, TL_RUN_OK};
    (void)state;
    assert_int_equal(tl_writer_put_point(w, 2, data, st, NULL, NULL, &err), TL_ERR_INVALID);
    assert_msg_has(&err, "point 2");
    assert_int_equal(tl_writer_put_point(w, -1, data, st, NULL, NULL, &err), TL_ERR_INVALID);
    assert_int_equal(tl_writer_put_point(w, 0, NULL, st, NULL, NULL, &err), TL_ERR_INVALID);
    st[1] = 7;
    assert_int_equal(tl_writer_put_point(w, 0, data, st, NULL, NULL, &err), TL_ERR_INVALID);
    assert_msg_has(&err, "run state 7");
    assert_int_equal(tl_writer_commit(NULL, &err), TL_ERR_INVALID);
    tl_writer_abort(w);
    free(path);
    tl_scenario_clear(&sc);
}

static void test_h5_writer__rejects_a_scenario_that_was_not_finalised(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    char *path = tl_test_path("empty.h5");
    (void)state;
    tl_scenario_init(&sc);
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 0, &err), TL_ERR_INVALID);
    assert_null(w);
    assert_false(exists(path));
    free(path);
}

/* ---- tests: HDF5 failures ------------------------------------------------------ */

typedef struct {
    int calls;
} handler_count;

static herr_t counting_handler(hid_t stack, void *data)
{
    (void)stack;
    ((handler_count *)data)->calls++;
    return 0;
}

/* Run f with writes limited to 1 byte (EFBIG), a counting HDF5 error
 * handler installed; check the handler stayed silent and is back after. */
typedef struct {
    struct rlimit old;
    void (*old_sig)(int);
    handler_count count;
    H5E_auto2_t old_func;
    void *old_data;
} limited;

static void limit_on(limited *l)
{
    struct rlimit lim;
    l->count.calls = 0;
    assert_true(H5Eget_auto2(H5E_DEFAULT, &l->old_func, &l->old_data) >= 0);
    assert_true(H5Eset_auto2(H5E_DEFAULT, counting_handler, &l->count) >= 0);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &l->old), 0);
    l->old_sig = signal(SIGXFSZ, SIG_IGN);
    lim = l->old;
    lim.rlim_cur = 1;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
}

static void limit_off(limited *l)
{
    H5E_auto2_t func = NULL;
    void *data = NULL;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &l->old), 0);
    signal(SIGXFSZ, l->old_sig);
    assert_true(H5Eget_auto2(H5E_DEFAULT, &func, &data) >= 0);
    assert_true(func == counting_handler && data == &l->count);
    assert_true(H5Eset_auto2(H5E_DEFAULT, l->old_func, l->old_data) >= 0);
    assert_int_equal(l->count.calls, 0);
}

static void test_h5_writer__reports_a_failed_write_quietly_as_io_error(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("full.h5"), *part = part_of(path);
    tl_writer *w = open_small(path, 0, &sc, &err);
    double data[NREPS * NSTEPS * TL_NMETRICS];
    float snaps[NREPS * NSNAP * (NEMPVARS * NEMP + 3 * NCIT)];
    uint8_t st[NREPS];
    const char *errors[NREPS];
    limited l;
    tl_status got;
    (void)state;
    fill_point(0, data, st, errors, snaps);
    limit_on(&l);
    got = tl_writer_put_point(w, 0, data, st, errors, NULL, &err);
    limit_off(&l);
    assert_int_equal(got, TL_ERR_IO);
    assert_msg_has(&err, part);
    tl_writer_abort(w);
    assert_false(exists(part));
    free(path);
    free(part);
    tl_scenario_clear(&sc);
}

/* The commit runs in a child process that leaves with _exit: after a failed
 * H5Fclose, HDF5 1.10 keeps a dangling file ID and crashes in its exit
 * handler (HDFGroup/hdf5#2257, fixed in 1.14.1), which is not the writer's
 * doing. Exit code bits: 1 wrong status, 2 message does not name the file,
 * 4 .part left, 8 path created, 16 HDF5 printed, 32 handler not restored,
 * 64 setup failed. */
static int failed_commit_child(const char *path, const char *part)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    tl_writer *w = NULL;
    double data[NREPS * NSTEPS * TL_NMETRICS];
    float snaps[NREPS * NSNAP * (NEMPVARS * NEMP + 3 * NCIT)];
    uint8_t st[NREPS];
    const char *errors[NREPS];
    handler_count count = {0};
    H5E_auto2_t func = NULL;
    void *fdata = NULL;
    struct rlimit old, lim;
    int code = 0;
    tl_status got;

    if (make_scenario(&sc, 2, 0, 0, &err) != TL_OK ||
        tl_writer_open(&w, path, &sc, NULL, 0, &err) != TL_OK)
        return 64;
    fill_point(0, data, st, errors, snaps);
    if (tl_writer_put_point(w, 0, data, st, errors, NULL, &err) != TL_OK)
        return 64;
    H5Eset_auto2(H5E_DEFAULT, counting_handler, &count);
    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 1;
    setrlimit(RLIMIT_FSIZE, &lim);
    got = tl_writer_commit(w, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    H5Eget_auto2(H5E_DEFAULT, &func, &fdata);
    if (got != TL_ERR_IO)
        code |= 1;
    if (!strstr(err.msg, part))
        code |= 2;
    if (exists(part))
        code |= 4;
    if (exists(path))
        code |= 8;
    if (count.calls)
        code |= 16;
    if (func != counting_handler || fdata != &count)
        code |= 32;
    if (code)
        fprintf(stderr, "failed commit: status %d, message: %s\n", (int)got, err.msg);
    tl_scenario_clear(&sc);
    return code;
}

static void test_h5_writer__failed_commit_leaves_nothing_behind(void **state)
{
    char *path = tl_test_path("full-commit.h5"), *part = part_of(path);
    int status = 0;
    pid_t pid;
    (void)state;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int code = failed_commit_child(path, part);
        /* the child's own copies: a memory checker following the fork
         * (valgrind --error-exitcode) would count them as lost */
        free(path);
        free(part);
        fflush(stderr);
        _exit(code);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    unlink(part);
    unlink(path);
    free(path);
    free(part);
}

static void test_h5_writer__restores_the_hdf5_error_handler(void **state)
{
    tl_error err = TL_ERROR_INIT;
    tl_scenario sc;
    char *path = tl_test_path("handler.h5");
    handler_count count = {0};
    H5E_auto2_t old_func, func;
    void *old_data, *data;
    tl_writer *w = NULL;
    (void)state;
    assert_true(H5Eget_auto2(H5E_DEFAULT, &old_func, &old_data) >= 0);
    assert_true(H5Eset_auto2(H5E_DEFAULT, counting_handler, &count) >= 0);
    assert_int_equal(make_scenario(&sc, 2, 1, 0, &err), TL_OK);
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 0, &err), TL_OK);
    put_small(w, 0);
    assert_int_equal(tl_writer_commit(w, &err), TL_OK);
    assert_int_equal(tl_writer_open(&w, path, &sc, NULL, 0, &err), TL_ERR_EXISTS);
    assert_true(H5Eget_auto2(H5E_DEFAULT, &func, &data) >= 0);
    assert_true(H5Eset_auto2(H5E_DEFAULT, old_func, old_data) >= 0);
    assert_true(func == counting_handler && data == &count);
    assert_int_equal(count.calls, 0);
    unlink(path);
    free(path);
    tl_scenario_clear(&sc);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest sample_tests[] = {
        cmocka_unit_test(test_h5_writer__stores_metrics_and_leaves_unwritten_runs_nan),
        cmocka_unit_test(test_h5_writer__records_run_status_and_errors),
        cmocka_unit_test(test_h5_writer__stores_parameters_along_point_with_attributes),
        cmocka_unit_test(test_h5_writer__lists_point_label_and_parameters_as_coordinates),
        cmocka_unit_test(test_h5_writer__writes_provenance_attributes),
        cmocka_unit_test(test_h5_writer__attaches_dimension_scales_to_every_axis),
        cmocka_unit_test(test_h5_writer__stores_agent_snapshots),
        cmocka_unit_test(test_h5_writer__compresses_in_chunks_that_never_span_points),
        cmocka_unit_test(test_h5_writer__records_the_design),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_h5_writer__stores_a_scenario_text_over_64_kib),
        cmocka_unit_test(test_h5_writer__chunks_replicates_as_the_runner_blocks_them),
        cmocka_unit_test(test_h5_writer__stores_blocks_of_replicates_as_the_runner_hands_them),
        cmocka_unit_test(test_h5_writer__prepared_blocks_store_the_same_bits),
        cmocka_unit_test(test_h5_writer__prepare_declines_blocks_that_are_not_one_chunk),
        cmocka_unit_test(test_h5_writer__stores_nan_for_replicates_that_did_not_run),
        cmocka_unit_test(test_h5_writer__writes_only_the_part_file_before_commit),
        cmocka_unit_test(test_h5_writer__abort_removes_the_part_file),
        cmocka_unit_test(test_h5_writer__refuses_existing_file_without_force),
        cmocka_unit_test(test_h5_writer__forced_write_replaces_existing_file_only_at_commit),
        cmocka_unit_test(test_h5_writer__aborted_forced_write_leaves_existing_file_intact),
        cmocka_unit_test(test_h5_writer__overwrites_a_stale_part_file),
        cmocka_unit_test(test_h5_writer__commit_refuses_a_file_that_appeared_meanwhile),
        cmocka_unit_test(test_h5_writer__a_killed_writer_leaves_earlier_results_intact),
        cmocka_unit_test(test_h5_writer__missing_directory_is_an_io_error_naming_it),
        cmocka_unit_test(test_h5_writer__file_as_directory_is_an_io_error_naming_it),
        cmocka_unit_test(test_h5_writer__unwritable_directory_is_an_io_error_naming_it),
        cmocka_unit_test(test_h5_writer__uncreatable_file_is_an_io_error_naming_the_directory),
        cmocka_unit_test(test_h5_writer__rejects_points_and_run_states_out_of_range),
        cmocka_unit_test(test_h5_writer__rejects_a_scenario_that_was_not_finalised),
        cmocka_unit_test(test_h5_writer__reports_a_failed_write_quietly_as_io_error),
        cmocka_unit_test(test_h5_writer__failed_commit_leaves_nothing_behind),
        cmocka_unit_test(test_h5_writer__restores_the_hdf5_error_handler),
    };
    int failed;
    if (argc == 3 && strcmp(argv[1], "--write-sample") == 0) {
        tl_error err = TL_ERROR_INIT;
        if (write_sample(argv[2], 1, &err) != TL_OK) {
            fprintf(stderr, "test_h5_writer: %s\n", err.msg);
            return 1;
        }
        return 0;
    }
    if (argc == 2) /* a test name pattern, e.g. '*commit*' */
        cmocka_set_test_filter(argv[1]);
    failed = cmocka_run_group_tests_name("h5_writer (sample file)", sample_tests, sample_setup,
                                         sample_teardown);
    failed += cmocka_run_group_tests_name("h5_writer", tests, NULL, NULL);
    return failed != 0;
}
