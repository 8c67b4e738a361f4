/* text.c — edit distance, suggestions and strict number parsing. */
#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int tl_text_distance(const char *a, const char *b)
{
    enum { MAXL = 64 };
    int prev[MAXL + 1], cur[MAXL + 1];
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAXL || lb > MAXL)
        return 255;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            int best = sub < del ? sub : del;
            cur[j] = best < ins ? best : ins;
        }
        memcpy(prev, cur, sizeof(int) * (lb + 1));
    }
    return prev[lb] > 255 ? 255 : prev[lb];
}

const char *tl_text_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    int bestd = 1 << 30;
    size_t lw = strlen(word);
    int limit = (int)(lw / 3) > 2 ? (int)(lw / 3) : 2;
    for (size_t i = 0; i < n; i++) {
        int d = tl_text_distance(word, cands[i]);
        /* a word that starts a candidate ("control" -> "control_mode") counts as close */
        if (lw >= 4 && strncmp(cands[i], word, lw) == 0 && d > limit)
            d = limit;
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    return bestd <= limit ? best : NULL;
}

/* Scan a decimal number: [+-] digits [. digits] [e [+-] digits], with optional
 * blanks around it (hex floats, inf and nan are not). 1 when s is one; then
 * *frac and *ex (when not NULL) get its digits after the point and its signed
 * exponent, each capped at 1000 in size. */
static int scan_decimal(const char *s, long *frac, long *ex)
{
    long nf = 0, e = 0, esign = 1;
    int digits = 0;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '+' || *s == '-')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++) {
            digits++;
            if (nf < 1000)
                nf++;
        }
    if (!digits)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            esign = *s++ == '-' ? -1 : 1;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        for (; *s >= '0' && *s <= '9'; s++)
            if (e < 1000)
                e = e * 10 + (*s - '0');
    }
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s)
        return 0;
    if (frac)
        *frac = nf;
    if (ex)
        *ex = esign * e;
    return 1;
}

int tl_text_is_decimal(const char *s) { return s && scan_decimal(s, NULL, NULL); }

int tl_text_to_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!s)
        return -1;
    if (*s == '+')
        s++;
    if (!*s || strspn(s, "0123456789") != strlen(s))
        return -1;
    for (; *s; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -2;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int tl_text_to_double(const char *s, double *out)
{
    char *end = NULL;
    double v;
    if (!s || !*s || !scan_decimal(s, NULL, NULL))
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno == ERANGE || end == s || !isfinite(v))
        return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int tl_text_decimals(const char *s)
{
    long frac, ex;
    if (!s || !scan_decimal(s, &frac, &ex))
        return -1;
    frac -= ex;
    return frac < 0 ? 0 : frac > 1000 ? 1000 : (int)frac;
}

uint64_t tl_text_hash(const void *buf, size_t n)
{
    const unsigned char *p = buf;
    uint64_t h = 14695981039346656037ULL;
    const uint64_t prime = 1099511628211ULL;
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * prime;
    }
    for (; n > 0; n--, p++)
        h = (h ^ *p) * prime;
    return h;
}
