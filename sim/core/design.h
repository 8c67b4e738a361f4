/* design.h — sweep designs: grid, list, Latin hypercube, Sobol', Saltelli, Morris and CSV tables of points. */
#ifndef TL_SWEEP_DESIGN_H
#define TL_SWEEP_DESIGN_H

#include <stddef.h>
#include <stdint.h>

#include "tillit/status.h"

/* Most rows any design may have (the loader's limit on points, too). */
#define TL_DESIGN_MAX_ROWS 1000000 /* a point takes ~3 KB before it runs: 1e6 points ~ 3 GB */

/* A design: nrows x nvars values (row-major) in the variables' own units,
 * and for designs made of blocks (Saltelli, Morris) which block and which
 * row within it each row is. Owned by the caller; release with
 * tl_design_clear. */
typedef struct tl_design {
    int nrows, nvars;
    double *x;  /* nrows * nvars */
    int *block; /* nrows or NULL */
    int *row;   /* nrows or NULL */
} tl_design;

/* A variable drawn by lhs, sobol, saltelli or morris: values are scaled
 * from [0, 1] to [min, max]; `integer` ones are then rounded to the
 * nearest whole number (halves away from zero). */
typedef struct tl_design_var {
    double min, max;
    int integer;
} tl_design_var;

void tl_design_init(tl_design *d);
void tl_design_clear(tl_design *d);

/* Full factorial: every combination of levels[j][0..nlevels[j]-1]; the last
 * variable varies fastest. Errors: TL_ERR_RANGE (no levels, more than
 * TL_DESIGN_MAX_ROWS rows), TL_ERR_NOMEM. */
tl_status tl_design_grid(tl_design *d, int nvars, const int *nlevels, const double *const *levels,
                         tl_error *err);

/* Evenly spaced levels: n values from `from` to `to`, both included (n = 1
 * gives `from`); the last one is exactly `to`. out holds n values. */
void tl_design_linspace(double from, double to, int n, double *out);

/* The same levels, decimal-exact: when from and to were written with at
 * most `decimals` decimal places, level i is the double nearest to the
 * exact rational from + i*(to-from)/(n-1), computed in integers, so that
 * {from: 0.3, to: 0.9, steps: 3} gives 0.3, 0.6 and 0.9 exactly as
 * strtod("0.6") reads them (not 0.6000000000000001). Falls back to
 * tl_design_linspace when decimals < 0 or the numbers are too large for
 * exact integers in a double (2^53). */
void tl_design_linspace_dec(double from, double to, int n, int decimals, double *out);

/* Columns zipped: row i takes cols[j][i] (every column has n values).
 * Errors: TL_ERR_RANGE, TL_ERR_NOMEM. */
tl_status tl_design_list(tl_design *d, int nvars, int n, const double *const *cols, tl_error *err);

/* Latin hypercube of n rows: each variable's range is cut into n equal
 * strata and every stratum holds exactly one row, at a uniform position
 * inside it; strata are paired across variables by independent random
 * permutations drawn from a Philox stream keyed by seed (see design.c).
 * Errors: TL_ERR_RANGE (n < 1, too many rows), TL_ERR_NOMEM. */
tl_status tl_design_lhs(tl_design *d, int nvars, const tl_design_var *v, int n, uint64_t seed,
                        tl_error *err);

/* n points of GSL's Sobol' sequence (gsl_qrng_sobol, unscrambled), scaled.
 * GSL already leaves out the origin; the first point it returns, the centre
 * (1/2, ..., 1/2), is skipped too, so row i is GSL's point i+2.
 * Errors: TL_ERR_RANGE (n < 1, nvars above GSL's 40 dimensions, too many
 * rows), TL_ERR_NOMEM. */
tl_status tl_design_sobol(tl_design *d, int nvars, const tl_design_var *v, int n, tl_error *err);

/* Saltelli's scheme for first-order and total Sobol' indices (Saltelli et
 * al. 2010): A and B are the first and last nvars columns of the same
 * 2*nvars-dimensional Sobol' points (the centre skipped, as above); AB_j is
 * A with column j taken from B. n*(nvars+2) rows, ordered sample by sample
 * as SALib expects with calc_second_order=False: A_i, AB_i1 .. AB_id, B_i.
 * With second_order, also BA_j (B with column j taken from A) for
 * second-order indices (Saltelli 2002): n*(2*nvars+2) rows, A_i, AB_i1 ..
 * AB_id, BA_i1 .. BA_id, B_i, as SALib's calc_second_order=True.
 * block: 0 = A, 1 = B, 2+j = AB_j, 2+nvars+j = BA_j; row: the sample index i.
 * Errors: TL_ERR_RANGE (n < 1, 2*nvars above 40, too many rows), TL_ERR_NOMEM. */
tl_status tl_design_saltelli(tl_design *d, int nvars, const tl_design_var *v, int n,
                             int second_order, tl_error *err);

/* Morris (1991) elementary-effects design: r trajectories of nvars+1 rows
 * on a grid of `levels` (even, >= 2) values per variable; consecutive rows
 * of a trajectory differ in exactly one variable, by delta =
 * levels/(2*(levels-1)) of its range, each variable moving once, in a
 * random order and direction. block: the trajectory; row: the step 0..nvars.
 * Errors: TL_ERR_RANGE (r < 1, levels odd or < 2, too many rows), TL_ERR_NOMEM. */
tl_status tl_design_morris(tl_design *d, int nvars, const tl_design_var *v, int r, int levels,
                           uint64_t seed, tl_error *err);

/* A design read from CSV text: a header row of column names, then one row
 * per point. Fields are separated by commas and may be double-quoted (""
 * inside quotes is a quote); blank lines and lines starting with '#' are
 * skipped; CR LF line ends are accepted. A column named `label` holds
 * point labels; every other column must hold numbers. */
typedef struct tl_design_csv {
    int ncols;       /* columns other than label */
    char **names;    /* ncols, owned */
    int *name_col;   /* ncols: 1-based column of each name in the header */
    int header_line; /* 1-based */
    int nrows;
    double *x;     /* nrows * ncols */
    char **labels; /* nrows or NULL (no label column); entries owned, may be "" */
    int *line;     /* nrows: 1-based line of each row */
    int *col;      /* nrows * ncols: 1-based column of each value */
} tl_design_csv;

void tl_design_csv_init(tl_design_csv *c);
void tl_design_csv_clear(tl_design_csv *c);

/* Parse text (len bytes; need not end in NUL). path is used in messages,
 * which start "path:line:column: ". Errors: TL_ERR_PARSE (bad quoting, a
 * row with the wrong number of fields, no header), TL_ERR_TYPE (a value
 * that is not a number), TL_ERR_CONFLICT (a column named twice, no rows),
 * TL_ERR_RANGE (too many rows), TL_ERR_NOMEM. On error c is left cleared. */
tl_status tl_design_csv_parse(const char *text, size_t len, const char *path, tl_design_csv *c,
                              tl_error *err);

#endif
