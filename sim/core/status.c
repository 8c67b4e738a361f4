/* status.c — status code texts and the error context. */
#include "tillit/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_text[] = {
#define TL_X_TEXT(code, msg) msg,
    TL_STATUS_LIST(TL_X_TEXT)
#undef TL_X_TEXT
};

const char *tl_status_str(tl_status code)
{
    if ((int)code < 0 || code >= TL_STATUS_COUNT)
        return "unknown status";
    return status_text[code];
}

tl_status tl_error_set(tl_error *err, tl_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void tl_error_prefix(tl_error *err, const char *fmt, ...)
{
    char old[sizeof err->msg];
    va_list ap;
    int n;
    if (!err)
        return;
    memcpy(old, err->msg, sizeof old);
    va_start(ap, fmt);
    n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof err->msg)
        strncat(err->msg, old, sizeof err->msg - (size_t)n - 1);
}
