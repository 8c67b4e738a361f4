/* replicates.h — replicates in class: a side runs R simulations of the same settings on R
 * seeds (the engine's replicate streams) and the page draws their median and their range. */
#ifndef TL_SERVE_REPLICATES_H
#define TL_SERVE_REPLICATES_H

#include <stddef.h>

/* A side runs 1 (the default) to SRV_MAX_REPLICATES simulations. Each costs
 * its memory and its time, counted against the session limits: a side of R
 * replicates takes R simulations' memory from the server's budget, and a
 * step request runs R simulations per side within the same time limit. */
#define SRV_MAX_REPLICATES 10

/* The band of one week: for every metric m, lo[m] = the least, med[m] =
 * the median (the mean of the two middle values when r is even) and
 * hi[m] = the greatest of vals[0][m] .. vals[r-1][m]. NaN values are left
 * out; a metric with no value has NaN in all three. 1 <= r <=
 * SRV_MAX_REPLICATES. */
void srv_band_row(const double *const *vals, int r, int nmetrics, double *lo, double *med,
                  double *hi);

/* Sorts the n (a few) values of v ascending, in place (insertion sort; also
 * the vote's choices, votes.c). */
void srv_sort_small(double *v, int n);

/* The replicates a set-up's value stands for: 0 (not given) is 1. */
int srv_replicates_of(int replicates);

/* 0 when 1 <= r <= SRV_MAX_REPLICATES, else writes a message for the
 * client into msg and returns 400. */
int srv_replicates_check(double r, char *msg, size_t len);

#endif
