/* tillit/status.h — status codes and the error context every call reports into. */
#ifndef TILLIT_STATUS_H
#define TILLIT_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(code, short message). One table: the enum and the messages come from it. */
#define TL_STATUS_LIST(X)                                                      \
    X(TL_OK, "ok")                                                             \
    X(TL_ERR_NOMEM, "out of memory")                                           \
    X(TL_ERR_INVALID, "invalid argument")                                      \
    X(TL_ERR_RANGE, "value out of range")                                      \
    X(TL_ERR_TYPE, "wrong type")                                               \
    X(TL_ERR_UNKNOWN_KEY, "unknown key")                                       \
    X(TL_ERR_CONFLICT, "contradictory settings")                               \
    X(TL_ERR_PARSE, "malformed input")                                         \
    X(TL_ERR_IO, "input/output error")                                         \
    X(TL_ERR_EXISTS, "output exists")                                          \
    X(TL_ERR_NUMERIC, "numerical error")                                       \
    X(TL_ERR_INTERRUPTED, "interrupted")                                       \
    X(TL_ERR_INTERNAL, "internal error")

typedef enum {
#define TL_X_ENUM(code, msg) code,
    TL_STATUS_LIST(TL_X_ENUM)
#undef TL_X_ENUM
        TL_STATUS_COUNT
} tl_status;

/* Caller-owned error context: the status of the last failure and a message
 * naming what failed (file, key, value, what was allowed). Zero-initialise
 * with TL_ERROR_INIT; functions write into it only when they fail. */
typedef struct tl_error {
    tl_status code;
    char msg[1024];
} tl_error;

#define TL_ERROR_INIT {TL_OK, {0}}

/* Short fixed text for a status code ("out of memory"); never NULL. */
const char *tl_status_str(tl_status code);

/* Record a failure in err (which may be NULL) with a printf-style message.
 * Returns code, so callers can write `return tl_error_set(err, ...)`. */
tl_status tl_error_set(tl_error *err, tl_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefix the message already in err with more context ("file.yaml: "). */
void tl_error_prefix(tl_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
