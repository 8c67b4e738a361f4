/* json.h — strict JSON for the classroom server: a bounded parser for request bodies and a string
 * builder for replies. */
#ifndef TL_SERVE_JSON_H
#define TL_SERVE_JSON_H

#include <stddef.h>

typedef enum { SRV_JNULL, SRV_JBOOL, SRV_JNUM, SRV_JSTR, SRV_JARR, SRV_JOBJ } srv_jtype;

/* A parsed value. Arrays and objects chain their members through `next`
 * starting at `child`; an object member carries its name in `key`. */
typedef struct srv_json {
    srv_jtype type;
    int boolean;
    double num;
    char *str; /* SRV_JSTR: UTF-8, NUL-terminated, no embedded NUL */
    char *key; /* member of an object: its name */
    struct srv_json *child, *next;
    int count; /* members of an array or object */
} srv_json;

/* Limits that keep a hostile body cheap to parse. */
#define SRV_JSON_MAX_DEPTH 16
#define SRV_JSON_MAX_NODES 4096

/* Parse exactly one JSON value (RFC 8259) from text[0..len), surrounded
 * only by whitespace. Rejects trailing garbage, duplicate object keys,
 * control characters in strings, lone surrogates, \u0000, numbers that
 * overflow a double, nesting deeper than SRV_JSON_MAX_DEPTH and more than
 * SRV_JSON_MAX_NODES values. Returns NULL on failure with a message in
 * msg (which has room for msgsize bytes). Free with srv_json_free. */
srv_json *srv_json_parse(const char *text, size_t len, char *msg, size_t msgsize);
void srv_json_free(srv_json *v);

/* Member called key of object v, or NULL (also when v is not an object). */
const srv_json *srv_json_get(const srv_json *v, const char *key);

/* ---- building replies ----------------------------------------------------- */
typedef struct srv_buf {
    char *p;
    size_t len, cap;
    int oom; /* set once an allocation failed; later writes are dropped */
} srv_buf;

void srv_buf_init(srv_buf *b);
void srv_buf_free(srv_buf *b);
/* Hand the text over (NUL-terminated; NULL after out of memory). */
char *srv_buf_take(srv_buf *b, size_t *len);
void srv_buf_raw(srv_buf *b, const char *s, size_t n);
void srv_buf_puts(srv_buf *b, const char *s);
void srv_buf_printf(srv_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A JSON string literal with everything escaped that must be. */
void srv_buf_str(srv_buf *b, const char *s);
/* A JSON number; NaN and infinities become null. */
void srv_buf_num(srv_buf *b, double v);
/* "key": (with the string escaped) */
void srv_buf_key(srv_buf *b, const char *key);

#endif
