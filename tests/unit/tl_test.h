/* tl_test.h — helpers shared by the unit tests: cmocka includes, temp paths, replicate statistics. */
#ifndef TL_TEST_H
#define TL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tillit/params.h"
#include "tillit/schedule.h"

/* A path in the test's temporary directory ($TL_TEST_TMP or /tmp), unique
 * per process: "<dir>/<pid>-<name>". Returns a static-free malloc'd string. */
char *tl_test_path(const char *name);

/* Mean and the half-width of a two-sided ~99 % confidence interval
 * (t quantile for n-1 degrees of freedom) of x[0..n-1]. */
void tl_test_ci(const double *x, int n, double *mean, double *half);

/* Assert a > b with confidence: the 99 % interval of the paired differences
 * a[i]-b[i] lies above 0. Prints both means on failure. */
void tl_test_assert_greater(const double *a, const double *b, int n, const char *what);

/* The seed of a statistical test: $TL_TEST_SEED if set (to re-run the
 * patterns with other seeds), else dflt. */
uint64_t tl_test_seed(uint64_t dflt);

/* A preset (names joined by '+' allowed) with extra "key=value ..." settings
 * over it (NULL: none); fails the test on an error. */
tl_params tl_test_preset(const char *name, const char *extra);

/* Per replicate r in [0, reps): the mean of metric over steps [from, to]
 * (1-based, inclusive, NaN steps skipped) of a run with key (seed, point, r).
 * Runs that share seed and replicate are paired (common random numbers). */
void tl_test_run_reps(const tl_params *p, const tl_schedule *sch, uint64_t seed, uint32_t point,
                      int reps, int metric, int from, int to, double *out);

/* Assert that configuration a exceeds b on metric over the last two years
 * (weeks steps-103 .. steps), paired by replicate (tl_test_run_reps, point 0;
 * tl_test_assert_greater). */
void tl_test_assert_config_greater(const tl_params *a, const tl_params *b, uint64_t seed, int reps,
                                   int metric, const char *what);

#endif
