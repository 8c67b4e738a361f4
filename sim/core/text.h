/* text.h — small text helpers shared by the core: edit distance, "did you mean", numbers,
 * the hash of a text. */
#ifndef TL_CORE_TEXT_H
#define TL_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Levenshtein distance between a and b (case-sensitive); saturates at 255. */
int tl_text_distance(const char *a, const char *b);

/* The candidate closest to word, or NULL when none is close enough to be a
 * plausible typo (distance at most max(2, strlen(word)/3), or a prefix). */
const char *tl_text_suggest(const char *word, const char *const *cands, size_t n);

/* Parse a whole string as a finite decimal double ([+-] digits [. digits]
 * [e [+-] digits]; no hex floats, inf or nan); returns 0 on success. */
int tl_text_to_double(const char *s, double *out);
/* 1 when s is a decimal number as tl_text_to_double reads it, else 0. */
int tl_text_is_decimal(const char *s);

/* Parse a whole string of decimal digits (an optional '+') as an exact
 * 64-bit unsigned integer: 0 ok, -1 not such a number, -2 beyond 2^64-1. */
int tl_text_to_u64(const char *s, uint64_t *out);

/* How many decimal places a number is written with: "0.3" 1, "0.25" 2,
 * "7" 0, "1e-3" 3, "2.5e1" 0. -1 when s is not a plain decimal number
 * (hexadecimal, inf, nan, garbage). */
int tl_text_decimals(const char *s);

/* FNV-1a over 64-bit words, then the tail bytes: the scenario text's hash (the journal's
 * records carry it; the root attribute scenario_hash of an output file). */
uint64_t tl_text_hash(const void *buf, size_t n);

#endif
