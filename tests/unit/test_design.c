/* test_design.c — sweep designs: grid order, Latin hypercube strata, Sobol'/Saltelli against GSL, Morris steps, CSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>

#include "design.h"
#include "text.h"
#include "tl_test.h"

#define X(d, i, j) ((d)->x[(size_t)(i) * (size_t)(d)->nvars + (size_t)(j)])

static void test_design__grid_crosses_levels_with_the_last_fastest(void **state)
{
    const double a[] = {1, 2}, b[] = {10, 20, 30};
    const double *lev[] = {a, b};
    const int n[] = {2, 3};
    tl_design d;
    (void)state;
    tl_design_init(&d);
    assert_int_equal(tl_design_grid(&d, 2, n, lev, NULL), TL_OK);
    assert_int_equal(d.nrows, 6);
    assert_int_equal(d.nvars, 2);
    assert_null(d.block);
    for (int i = 0; i < 6; i++) {
        assert_true(X(&d, i, 0) == a[i / 3]);
        assert_true(X(&d, i, 1) == b[i % 3]);
    }
    tl_design_clear(&d);
}

static void test_design__grid_refuses_more_than_the_row_limit(void **state)
{
    double lev[4000];
    const double *l[] = {lev, lev};
    const int n[] = {4000, 4000};
    tl_design d;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    memset(lev, 0, sizeof lev);
    tl_design_init(&d);
    assert_int_equal(tl_design_grid(&d, 2, n, l, &err), TL_ERR_RANGE);
    assert_non_null(strstr(err.msg, "16000000"));
    assert_null(d.x);
}

static void test_design__linspace_ends_exactly_at_to(void **state)
{
    double v[7];
    (void)state;
    tl_design_linspace(0.1, 0.7, 7, v);
    assert_true(v[0] == 0.1);
    assert_true(v[6] == 0.7);
    for (int i = 0; i < 7; i++)
        assert_true(fabs(v[i] - (0.1 + 0.1 * i)) < 1e-15);
    tl_design_linspace(3, 9, 1, v);
    assert_true(v[0] == 3);
}

static void test_design__linspace_dec_gives_the_decimals_as_written(void **state)
{
    double v[11];
    (void)state;
    /* the plain formula gives 0.6000000000000001 here */
    tl_design_linspace_dec(0.3, 0.9, 3, 1, v);
    assert_true(v[0] == 0.3);
    assert_true(v[1] == strtod("0.6", NULL));
    assert_true(v[2] == 0.9);
    tl_design_linspace_dec(0.0, 1.0, 11, 1, v);
    for (int i = 0; i < 11; i++) {
        char b[8];
        snprintf(b, sizeof b, "%.1f", i / 10.0);
        assert_true(v[i] == strtod(b, NULL));
    }
    /* a spacing that is not a finite decimal: the nearest double to 1/3 */
    tl_design_linspace_dec(0, 1, 4, 0, v);
    assert_true(v[1] == 1.0 / 3);
    assert_true(v[2] == 2.0 / 3);
    /* negative and two decimals */
    tl_design_linspace_dec(-0.25, 0.35, 5, 2, v);
    assert_true(v[1] == strtod("-0.1", NULL));
    assert_true(v[2] == strtod("0.05", NULL));
    assert_true(v[3] == strtod("0.2", NULL));
    /* not written in decimal (decimals < 0): the plain formula */
    tl_design_linspace_dec(0.3, 0.9, 3, -1, v);
    assert_true(v[1] == 0.3 + (0.9 - 0.3) * 0.5);
}

static void test_design__text_decimals_counts_the_places_written(void **state)
{
    (void)state;
    assert_int_equal(tl_text_decimals("0.3"), 1);
    assert_int_equal(tl_text_decimals("0.25"), 2);
    assert_int_equal(tl_text_decimals("-7"), 0);
    assert_int_equal(tl_text_decimals("1e-3"), 3);
    assert_int_equal(tl_text_decimals("2.5e1"), 0);
    assert_int_equal(tl_text_decimals("2.55E+1"), 1);
    assert_int_equal(tl_text_decimals(".5"), 1);
    assert_int_equal(tl_text_decimals("0x1p-2"), -1);
    assert_int_equal(tl_text_decimals("inf"), -1);
    assert_int_equal(tl_text_decimals(""), -1);
}

static void test_design__scaled_values_are_decimal_exact(void **state)
{
    const tl_design_var v[1] = {{0, 0.6, 0}};
    const double want[] = {0.15, 0.45, 0.075, 0.525};
    int found[4] = {0};
    tl_design d;
    (void)state;
    tl_design_init(&d);
    assert_int_equal(tl_design_sobol(&d, 1, v, 16, NULL), TL_OK);
    /* 0.6 * 3/4 is 0.44999999999999996 by the plain formula */
    for (int i = 0; i < d.nrows; i++)
        for (int k = 0; k < 4; k++)
            if (fabs(d.x[i] - want[k]) < 1e-12) {
                assert_true(d.x[i] == want[k]);
                found[k] = 1;
            }
    for (int k = 0; k < 4; k++)
        assert_true(found[k]);
    tl_design_clear(&d);
}

static void test_design__list_zips_columns_row_by_row(void **state)
{
    const double a[] = {1, 2, 3}, b[] = {4, 5, 6};
    const double *cols[] = {a, b};
    tl_design d;
    (void)state;
    tl_design_init(&d);
    assert_int_equal(tl_design_list(&d, 2, 3, cols, NULL), TL_OK);
    for (int i = 0; i < 3; i++) {
        assert_true(X(&d, i, 0) == a[i]);
        assert_true(X(&d, i, 1) == b[i]);
    }
    tl_design_clear(&d);
}

static void test_design__lhs_puts_one_value_in_every_stratum(void **state)
{
    const tl_design_var v[] = {{0, 1, 0}, {-5, 5, 0}, {100, 101, 0}};
    const int n = 97;
    tl_design d;
    (void)state;
    tl_design_init(&d);
    assert_int_equal(tl_design_lhs(&d, 3, v, n, 42, NULL), TL_OK);
    assert_int_equal(d.nrows, n);
    for (int j = 0; j < 3; j++) {
        int seen[97] = {0};
        for (int i = 0; i < n; i++) {
            double u = (X(&d, i, j) - v[j].min) / (v[j].max - v[j].min);
            int s = (int)floor(u * n);
            assert_true(u > 0 && u < 1);
            assert_in_range(s, 0, n - 1);
            seen[s]++;
        }
        for (int s = 0; s < n; s++)
            assert_int_equal(seen[s], 1);
    }
    tl_design_clear(&d);
}

static void test_design__lhs_is_reproducible_and_the_seed_matters(void **state)
{
    const tl_design_var v[] = {{0, 1, 0}, {0, 1, 0}};
    tl_design a, b, c;
    (void)state;
    tl_design_init(&a);
    tl_design_init(&b);
    tl_design_init(&c);
    assert_int_equal(tl_design_lhs(&a, 2, v, 20, 7, NULL), TL_OK);
    assert_int_equal(tl_design_lhs(&b, 2, v, 20, 7, NULL), TL_OK);
    assert_int_equal(tl_design_lhs(&c, 2, v, 20, 8, NULL), TL_OK);
    assert_memory_equal(a.x, b.x, sizeof(double) * 40);
    assert_true(memcmp(a.x, c.x, sizeof(double) * 40) != 0);
    tl_design_clear(&a);
    tl_design_clear(&b);
    tl_design_clear(&c);
}

static void test_design__integer_variables_are_rounded(void **state)
{
    const tl_design_var v[] = {{1, 10, 1}, {0, 1, 0}};
    tl_design d;
    (void)state;
    tl_design_init(&d);
    assert_int_equal(tl_design_lhs(&d, 2, v, 50, 3, NULL), TL_OK);
    for (int i = 0; i < d.nrows; i++) {
        assert_true(X(&d, i, 0) == floor(X(&d, i, 0)));
        assert_true(X(&d, i, 0) >= 1 && X(&d, i, 0) <= 10);
        assert_true(X(&d, i, 1) != floor(X(&d, i, 1)));
    }
    tl_design_clear(&d);
}

static void test_design__sobol_rows_are_gsl_points_after_the_centre(void **state)
{
    const tl_design_var v[] = {{0, 1, 0}, {0, 1, 0}, {2, 4, 0}};
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 3);
    double u[3];
    tl_design d;
    (void)state;
    tl_design_init(&d);
    assert_int_equal(tl_design_sobol(&d, 3, v, 64, NULL), TL_OK);
    assert_int_equal(d.nrows, 64);
    gsl_qrng_get(q, u); /* the centre, skipped by the design */
    assert_true(u[0] == 0.5 && u[1] == 0.5 && u[2] == 0.5);
    for (int i = 0; i < 64; i++) {
        gsl_qrng_get(q, u);
        assert_true(X(&d, i, 0) == u[0]);
        assert_true(X(&d, i, 1) == u[1]);
        assert_true(fabs(X(&d, i, 2) - (2 + 2 * u[2])) < 1e-15);
    }
    /* the first points, known answers */
    assert_true(X(&d, 0, 0) == 0.75 && X(&d, 0, 1) == 0.25);
    assert_true(X(&d, 1, 0) == 0.25 && X(&d, 1, 1) == 0.75);
    gsl_qrng_free(q);
    tl_design_clear(&d);
}

static void test_design__sobol_refuses_more_dimensions_than_gsl_has(void **state)
{
    tl_design_var v[41];
    tl_design d;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    for (int j = 0; j < 41; j++)
        v[j] = (tl_design_var){0, 1, 0};
    tl_design_init(&d);
    assert_int_equal(tl_design_sobol(&d, 41, v, 8, &err), TL_ERR_RANGE);
    assert_int_equal(tl_design_saltelli(&d, 21, v, 8, 0, &err), TL_ERR_RANGE);
    assert_non_null(strstr(err.msg, "20 variables"));
    assert_int_equal(tl_design_sobol(&d, 2, v, 0, &err), TL_ERR_RANGE);
    assert_null(d.x);
}

static void test_design__saltelli_ab_is_a_with_one_column_from_b(void **state)
{
    const tl_design_var v[] = {{0, 1, 0}, {10, 20, 0}, {-1, 1, 0}, {0, 5, 0}};
    const int dn = 4, n = 16;
    tl_design d;
    (void)state;
    tl_design_init(&d);
    assert_int_equal(tl_design_saltelli(&d, dn, v, n, 0, NULL), TL_OK);
    assert_int_equal(d.nrows, n * (dn + 2));
    assert_non_null(d.block);
    assert_non_null(d.row);
    for (int i = 0; i < n; i++) {
        int a = i * (dn + 2), b = a + dn + 1;
        assert_int_equal(d.block[a], 0);
        assert_int_equal(d.block[b], 1);
        assert_int_equal(d.row[a], i);
        assert_int_equal(d.row[b], i);
        for (int k = 0; k < dn; k++) {
            int ab = a + 1 + k;
            assert_int_equal(d.block[ab], 2 + k);
            assert_int_equal(d.row[ab], i);
            for (int j = 0; j < dn; j++)
                assert_true(X(&d, ab, j) == (j == k ? X(&d, b, j) : X(&d, a, j)));
        }
        /* A and B coincide only at a few leading samples of the unscrambled
         * sequence (for d = 4: GSL's points 2 and 3; docs/scenario-format.md) */
        int same = 1;
        for (int j = 0; j < dn; j++)
            same &= X(&d, a, j) == X(&d, b, j);
        if (i >= 2)
            assert_false(same);
    }
    tl_design_clear(&d);
}

/* Second order: per sample A, AB_1..AB_d, BA_1..BA_d, B (SALib's
 * calc_second_order=True), BA_k being B with column k taken from A; the A,
 * AB and B rows are those of the first-order design. */
static void test_design__saltelli_second_order_adds_ba_with_one_column_from_a(void **state)
{
    const tl_design_var v[] = {{0, 1, 0}, {10, 20, 0}, {-1, 1, 0}};
    const int dn = 3, n = 8, per = 2 * dn + 2;
    tl_design d, f;
    (void)state;
    tl_design_init(&d);
    tl_design_init(&f);
    assert_int_equal(tl_design_saltelli(&d, dn, v, n, 1, NULL), TL_OK);
    assert_int_equal(tl_design_saltelli(&f, dn, v, n, 0, NULL), TL_OK);
    assert_int_equal(d.nrows, n * per);
    for (int i = 0; i < n; i++) {
        int a = i * per, b = a + per - 1, fa = i * (dn + 2);
        assert_int_equal(d.block[a], 0);
        assert_int_equal(d.block[b], 1);
        for (int j = 0; j < dn; j++) {
            assert_true(X(&d, a, j) == X(&f, fa, j));
            assert_true(X(&d, b, j) == X(&f, fa + dn + 1, j));
        }
        for (int k = 0; k < dn; k++) {
            int ab = a + 1 + k, ba = a + 1 + dn + k;
            assert_int_equal(d.block[ab], 2 + k);
            assert_int_equal(d.block[ba], 2 + dn + k);
            assert_int_equal(d.row[ba], i);
            for (int j = 0; j < dn; j++) {
                assert_true(X(&d, ab, j) == X(&f, fa + 1 + k, j));
                assert_true(X(&d, ba, j) == (j == k ? X(&d, a, j) : X(&d, b, j)));
            }
        }
    }
    tl_design_clear(&d);
    tl_design_clear(&f);
}

static void test_design__saltelli_a_and_b_are_the_halves_of_a_2d_sobol_sequence(void **state)
{
    const tl_design_var v[] = {{0, 1, 0}, {0, 1, 0}, {0, 1, 0}};
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 6);
    double u[6];
    tl_design d, s;
    (void)state;
    tl_design_init(&d);
    tl_design_init(&s);
    assert_int_equal(tl_design_saltelli(&d, 3, v, 8, 0, NULL), TL_OK);
    assert_int_equal(tl_design_sobol(&s, 3, v, 8, NULL), TL_OK);
    gsl_qrng_get(q, u);
    for (int i = 0; i < 8; i++) {
        gsl_qrng_get(q, u);
        for (int j = 0; j < 3; j++) {
            assert_true(X(&d, i * 5, j) == u[j]);
            assert_true(X(&d, i * 5 + 4, j) == u[3 + j]);
            /* Sobol' directions do not depend on the dimension: A is the plain design */
            assert_true(X(&d, i * 5, j) == X(&s, i, j));
        }
    }
    gsl_qrng_free(q);
    tl_design_clear(&d);
    tl_design_clear(&s);
}

static void test_design__morris_steps_move_one_variable_by_delta(void **state)
{
    const tl_design_var v[] = {{0, 1, 0}, {0, 1, 0}, {0, 2, 0}, {0, 1, 0}, {0, 1, 0}};
    const int dn = 5, r = 30;
    (void)state;
    for (int p = 2; p <= 8; p += 2) {
        tl_design d;
        double delta = p / (2.0 * (p - 1));
        tl_design_init(&d);
        assert_int_equal(tl_design_morris(&d, dn, v, r, p, 11, NULL), TL_OK);
        assert_int_equal(d.nrows, r * (dn + 1));
        for (int t = 0; t < r; t++) {
            int moved[5] = {0};
            for (int k = 0; k <= dn; k++) {
                int i = t * (dn + 1) + k;
                assert_int_equal(d.block[i], t);
                assert_int_equal(d.row[i], k);
                for (int j = 0; j < dn; j++) {
                    /* on the grid of p levels, inside the range */
                    double u = (X(&d, i, j) - v[j].min) / (v[j].max - v[j].min);
                    double lev = u * (p - 1);
                    assert_true(fabs(lev - round(lev)) < 1e-9);
                    assert_true(u >= 0 && u <= 1);
                }
                if (k == 0)
                    continue;
                int changed = 0;
                for (int j = 0; j < dn; j++) {
                    double diff = X(&d, i, j) - X(&d, i - 1, j);
                    if (diff != 0) {
                        changed++;
                        moved[j]++;
                        assert_true(fabs(fabs(diff) - delta * (v[j].max - v[j].min)) < 1e-12);
                    }
                }
                assert_int_equal(changed, 1);
            }
            for (int j = 0; j < dn; j++)
                assert_int_equal(moved[j], 1);
        }
        tl_design_clear(&d);
    }
}

static void test_design__morris_refuses_odd_levels_and_no_trajectories(void **state)
{
    const tl_design_var v[] = {{0, 1, 0}};
    tl_design d;
    tl_error err = TL_ERROR_INIT;
    (void)state;
    tl_design_init(&d);
    assert_int_equal(tl_design_morris(&d, 1, v, 4, 3, 1, &err), TL_ERR_RANGE);
    assert_non_null(strstr(err.msg, "even"));
    assert_int_equal(tl_design_morris(&d, 1, v, 0, 4, 1, &err), TL_ERR_RANGE);
    assert_null(d.x);
}

static void test_design__csv_reads_header_labels_quotes_and_comments(void **state)
{
    const char *t = "# made by SALib\r\n"
                    "\"mandate\",label , control_intensity\r\n"
                    "\r\n"
                    "0.25, \"a, b\" ,0.5\r\n"
                    "1e-1,\"say \"\"hi\"\"\",0\n"
                    "0.75,,1";
    tl_design_csv c;
    (void)state;
    assert_int_equal(tl_design_csv_parse(t, strlen(t), "d.csv", &c, NULL), TL_OK);
    assert_int_equal(c.ncols, 2);
    assert_string_equal(c.names[0], "mandate");
    assert_string_equal(c.names[1], "control_intensity");
    assert_int_equal(c.header_line, 2);
    assert_int_equal(c.name_col[1], 19);
    assert_int_equal(c.nrows, 3);
    assert_true(c.x[0] == 0.25 && c.x[1] == 0.5);
    assert_true(c.x[2] == 0.1 && c.x[3] == 0);
    assert_true(c.x[4] == 0.75 && c.x[5] == 1);
    assert_string_equal(c.labels[0], "a, b");
    assert_string_equal(c.labels[1], "say \"hi\"");
    assert_string_equal(c.labels[2], "");
    assert_int_equal(c.line[0], 4);
    assert_int_equal(c.line[2], 6);
    assert_int_equal(c.col[1], 15); /* "0.25, \"a, b\" ," then 0.5 */
    tl_design_csv_clear(&c);
}

static void expect_csv_error(const char *t, tl_status code, const char *where, const char *what)
{
    tl_design_csv c;
    tl_error err = TL_ERROR_INIT;
    assert_int_equal(tl_design_csv_parse(t, strlen(t), "d.csv", &c, &err), code);
    if (strncmp(err.msg, where, strlen(where)) != 0 || !strstr(err.msg, what)) {
        fprintf(stderr, "message '%s': expected it to start with '%s' and name '%s'\n", err.msg,
                where, what);
        fail();
    }
    assert_int_equal(c.nrows, 0);
    assert_null(c.names);
}

static void test_design__csv_errors_name_the_line_and_column(void **state)
{
    (void)state;
    expect_csv_error("a,b\n1,2\n3\n", TL_ERR_PARSE, "d.csv:3:1:", "1 field, but the header has 2");
    expect_csv_error("a,b\n1,x2\n", TL_ERR_TYPE, "d.csv:2:3:", "b = 'x2' is not a number");
    expect_csv_error("a,b,a\n1,2,3\n", TL_ERR_CONFLICT, "d.csv:1:5:", "'a' appears twice");
    expect_csv_error("a,b\n", TL_ERR_CONFLICT, "d.csv:1:1:", "no rows");
    expect_csv_error("", TL_ERR_PARSE, "d.csv:1:1:", "empty");
    expect_csv_error("a,\"b\n1,2\n", TL_ERR_PARSE, "d.csv:1:3:", "not closed");
    expect_csv_error("a,,c\n1,2,3\n", TL_ERR_PARSE, "d.csv:1:3:", "no name");
    expect_csv_error("a\nnan\n", TL_ERR_TYPE, "d.csv:2:1:", "not a number");
}

static void test_design__csv_round_trips_a_design(void **state)
{
    const tl_design_var v[] = {{0, 1, 0}, {1, 1000, 1}};
    tl_design d;
    tl_design_csv c;
    char *buf = malloc(1 << 16);
    size_t n = 0;
    (void)state;
    tl_design_init(&d);
    assert_int_equal(tl_design_lhs(&d, 2, v, 100, 5, NULL), TL_OK);
    n += (size_t)sprintf(buf + n, "label,mandate,units\n");
    for (int i = 0; i < d.nrows; i++)
        n += (size_t)sprintf(buf + n, "r%d,%.17g,%.17g\n", i, X(&d, i, 0), X(&d, i, 1));
    assert_int_equal(tl_design_csv_parse(buf, n, "d.csv", &c, NULL), TL_OK);
    assert_int_equal(c.nrows, 100);
    assert_int_equal(c.ncols, 2);
    assert_memory_equal(c.x, d.x, sizeof(double) * 200);
    assert_string_equal(c.labels[99], "r99");
    tl_design_csv_clear(&c);
    tl_design_clear(&d);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design__grid_crosses_levels_with_the_last_fastest),
        cmocka_unit_test(test_design__grid_refuses_more_than_the_row_limit),
        cmocka_unit_test(test_design__linspace_ends_exactly_at_to),
        cmocka_unit_test(test_design__linspace_dec_gives_the_decimals_as_written),
        cmocka_unit_test(test_design__text_decimals_counts_the_places_written),
        cmocka_unit_test(test_design__scaled_values_are_decimal_exact),
        cmocka_unit_test(test_design__list_zips_columns_row_by_row),
        cmocka_unit_test(test_design__lhs_puts_one_value_in_every_stratum),
        cmocka_unit_test(test_design__lhs_is_reproducible_and_the_seed_matters),
        cmocka_unit_test(test_design__integer_variables_are_rounded),
        cmocka_unit_test(test_design__sobol_rows_are_gsl_points_after_the_centre),
        cmocka_unit_test(test_design__sobol_refuses_more_dimensions_than_gsl_has),
        cmocka_unit_test(test_design__saltelli_ab_is_a_with_one_column_from_b),
        cmocka_unit_test(test_design__saltelli_a_and_b_are_the_halves_of_a_2d_sobol_sequence),
        cmocka_unit_test(test_design__saltelli_second_order_adds_ba_with_one_column_from_a),
        cmocka_unit_test(test_design__morris_steps_move_one_variable_by_delta),
        cmocka_unit_test(test_design__morris_refuses_odd_levels_and_no_trajectories),
        cmocka_unit_test(test_design__csv_reads_header_labels_quotes_and_comments),
        cmocka_unit_test(test_design__csv_errors_name_the_line_and_column),
        cmocka_unit_test(test_design__csv_round_trips_a_design),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
