/* tl_test.h — helpers shared by the unit tests: cmocka includes, temp paths, replicate statistics. */
#ifndef TL_TEST_H
#define TL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* A path in the test's temporary directory ($TL_TEST_TMP or /tmp), unique
 * per process: "<dir>/<pid>-<name>". Returns a static-free malloc'd string. */
char *tl_test_path(const char *name);

/* Mean and the half-width of a two-sided ~99 % confidence interval
 * (t quantile for n-1 degrees of freedom) of x[0..n-1]. */
void tl_test_ci(const double *x, int n, double *mean, double *half);

/* Assert a > b with confidence: the 99 % interval of the paired differences
 * a[i]-b[i] lies above 0. Prints both means on failure. */
void tl_test_assert_greater(const double *a, const double *b, int n, const char *what);

#endif
