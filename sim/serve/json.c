/* json.c — strict JSON parsing of request bodies and JSON text building for replies. */
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *s, *end;
    const char *start;
    int nodes;
    char *msg;
    size_t msgsize;
} parser;

static void fail(parser *ps, const char *what)
{
    if (ps->msg && ps->msg[0] == '\0')
        snprintf(ps->msg, ps->msgsize, "malformed JSON at byte %ld: %s", (long)(ps->s - ps->start),
                 what);
}

static void skip_ws(parser *ps)
{
    while (ps->s < ps->end && (*ps->s == ' ' || *ps->s == '\t' || *ps->s == '\n' || *ps->s == '\r'))
        ps->s++;
}

static srv_json *new_node(parser *ps, srv_jtype t)
{
    srv_json *v;
    if (++ps->nodes > SRV_JSON_MAX_NODES) {
        fail(ps, "too many values");
        return NULL;
    }
    v = calloc(1, sizeof *v);
    if (!v) {
        fail(ps, "out of memory");
        return NULL;
    }
    v->type = t;
    return v;
}

void srv_json_free(srv_json *v)
{
    while (v) {
        srv_json *next = v->next;
        srv_json_free(v->child);
        free(v->str);
        free(v->key);
        free(v);
        v = next;
    }
}

static int hex4(const char *p, unsigned *out)
{
    unsigned u = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        u <<= 4;
        if (c >= '0' && c <= '9')
            u |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            u |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            u |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = u;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the valid UTF-8 sequence at p (before end), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0], cp;
    size_t n;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A string literal at ps->s (on the opening quote); returns a new buffer. */
static char *parse_string(parser *ps)
{
    const char *p = ps->s + 1;
    char *out, *o;
    /* decoded text is never longer than the literal */
    const char *q = p;
    while (q < ps->end && *q != '"') {
        if (*q == '\\' && q + 1 < ps->end)
            q++;
        q++;
    }
    if (q >= ps->end) {
        fail(ps, "unterminated string");
        return NULL;
    }
    out = malloc((size_t)(q - p) + 1);
    if (!out) {
        fail(ps, "out of memory");
        return NULL;
    }
    o = out;
    while (*p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20) {
            ps->s = p;
            fail(ps, "control character in string");
            goto bad;
        }
        if (c == '\\') {
            p++;
            switch (*p) {
            case '"':
                *o++ = '"';
                p++;
                break;
            case '\\':
                *o++ = '\\';
                p++;
                break;
            case '/':
                *o++ = '/';
                p++;
                break;
            case 'b':
                *o++ = '\b';
                p++;
                break;
            case 'f':
                *o++ = '\f';
                p++;
                break;
            case 'n':
                *o++ = '\n';
                p++;
                break;
            case 'r':
                *o++ = '\r';
                p++;
                break;
            case 't':
                *o++ = '\t';
                p++;
                break;
            case 'u': {
                unsigned cp, lo;
                if (ps->end - p < 5 || hex4(p + 1, &cp) != 0) {
                    ps->s = p;
                    fail(ps, "bad \\u escape");
                    goto bad;
                }
                p += 5;
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    ps->s = p;
                    fail(ps, "lone low surrogate");
                    goto bad;
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (ps->end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) != 0 ||
                        lo < 0xDC00 || lo > 0xDFFF) {
                        ps->s = p;
                        fail(ps, "lone high surrogate");
                        goto bad;
                    }
                    p += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                if (cp == 0) {
                    ps->s = p;
                    fail(ps, "\\u0000 is not accepted");
                    goto bad;
                }
                o += put_utf8(o, cp);
                break;
            }
            default:
                ps->s = p;
                fail(ps, "bad escape");
                goto bad;
            }
        } else {
            size_t n = utf8_len((const unsigned char *)p, (const unsigned char *)q);
            if (n == 0) {
                ps->s = p;
                fail(ps, "invalid UTF-8");
                goto bad;
            }
            memcpy(o, p, n);
            o += n;
            p += n;
        }
    }
    *o = '\0';
    ps->s = p + 1;
    return out;
bad:
    free(out);
    return NULL;
}

static int parse_number(parser *ps, double *out)
{
    const char *p = ps->s;
    char buf[64];
    size_t n;
    if (p < ps->end && *p == '-')
        p++;
    if (p >= ps->end)
        goto bad;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (p < ps->end && *p >= '0' && *p <= '9')
            p++;
    else
        goto bad;
    if (p < ps->end && *p == '.') {
        p++;
        if (p >= ps->end || *p < '0' || *p > '9')
            goto bad;
        while (p < ps->end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < ps->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < ps->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= ps->end || *p < '0' || *p > '9')
            goto bad;
        while (p < ps->end && *p >= '0' && *p <= '9')
            p++;
    }
    n = (size_t)(p - ps->s);
    if (n >= sizeof buf) {
        fail(ps, "number too long");
        return -1;
    }
    memcpy(buf, ps->s, n);
    buf[n] = '\0';
    errno = 0;
    *out = strtod(buf, NULL);
    if (errno == ERANGE && fabs(*out) > 1.0) {
        fail(ps, "number out of range");
        return -1;
    }
    if (errno == ERANGE)
        *out = 0.0; /* underflow: as good as zero */
    ps->s = p;
    return 0;
bad:
    fail(ps, "bad number");
    return -1;
}

static srv_json *parse_value(parser *ps, int depth);

static int has_key(const srv_json *obj, const char *key)
{
    for (const srv_json *m = obj->child; m; m = m->next)
        if (strcmp(m->key, key) == 0)
            return 1;
    return 0;
}

static srv_json *parse_container(parser *ps, int depth, int is_obj)
{
    srv_json *v = new_node(ps, is_obj ? SRV_JOBJ : SRV_JARR), **tail;
    const char close = is_obj ? '}' : ']';
    if (!v)
        return NULL;
    if (depth > SRV_JSON_MAX_DEPTH) {
        fail(ps, "nested too deeply");
        goto bad;
    }
    tail = &v->child;
    ps->s++;
    skip_ws(ps);
    if (ps->s < ps->end && *ps->s == close) {
        ps->s++;
        return v;
    }
    for (;;) {
        char *key = NULL;
        srv_json *m;
        skip_ws(ps);
        if (is_obj) {
            if (ps->s >= ps->end || *ps->s != '"') {
                fail(ps, "expected a string key");
                goto bad;
            }
            if (!(key = parse_string(ps)))
                goto bad;
            if (has_key(v, key)) {
                fail(ps, "duplicate key");
                free(key);
                goto bad;
            }
            skip_ws(ps);
            if (ps->s >= ps->end || *ps->s != ':') {
                fail(ps, "expected ':'");
                free(key);
                goto bad;
            }
            ps->s++;
        }
        m = parse_value(ps, depth + 1);
        if (!m) {
            free(key);
            goto bad;
        }
        m->key = key;
        *tail = m;
        tail = &m->next;
        v->count++;
        skip_ws(ps);
        if (ps->s < ps->end && *ps->s == ',') {
            ps->s++;
            continue;
        }
        if (ps->s < ps->end && *ps->s == close) {
            ps->s++;
            return v;
        }
        fail(ps, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
        goto bad;
    }
bad:
    srv_json_free(v);
    return NULL;
}

static int literal(parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->s) >= n && memcmp(ps->s, word, n) == 0) {
        ps->s += n;
        return 1;
    }
    return 0;
}

static srv_json *parse_value(parser *ps, int depth)
{
    srv_json *v;
    skip_ws(ps);
    if (ps->s >= ps->end) {
        fail(ps, "unexpected end");
        return NULL;
    }
    switch (*ps->s) {
    case '{': return parse_container(ps, depth, 1);
    case '[': return parse_container(ps, depth, 0);
    case '"':
        if (!(v = new_node(ps, SRV_JSTR)))
            return NULL;
        if (!(v->str = parse_string(ps))) {
            free(v);
            return NULL;
        }
        return v;
    case 't':
    case 'f':
    case 'n':
        if (literal(ps, "true") || literal(ps, "false")) {
            int is_true = ps->s[-2] == 'u'; /* tr(u)e, fal(s)e */
            if (!(v = new_node(ps, SRV_JBOOL)))
                return NULL;
            v->boolean = is_true;
            return v;
        }
        if (literal(ps, "null"))
            return new_node(ps, SRV_JNULL);
        fail(ps, "unknown literal");
        return NULL;
    default:
        if (!(v = new_node(ps, SRV_JNUM)))
            return NULL;
        if (parse_number(ps, &v->num) != 0) {
            free(v);
            return NULL;
        }
        return v;
    }
}

srv_json *srv_json_parse(const char *text, size_t len, char *msg, size_t msgsize)
{
    parser ps = {text, text + len, text, 0, msg, msgsize};
    srv_json *v;
    if (msg && msgsize)
        msg[0] = '\0';
    if (!text) {
        if (msg && msgsize)
            snprintf(msg, msgsize, "empty body");
        return NULL;
    }
    v = parse_value(&ps, 1);
    if (!v)
        return NULL;
    skip_ws(&ps);
    if (ps.s != ps.end) {
        fail(&ps, "trailing characters after the value");
        srv_json_free(v);
        return NULL;
    }
    return v;
}

const srv_json *srv_json_get(const srv_json *v, const char *key)
{
    if (!v || v->type != SRV_JOBJ)
        return NULL;
    for (const srv_json *m = v->child; m; m = m->next)
        if (strcmp(m->key, key) == 0)
            return m;
    return NULL;
}

/* ---- building --------------------------------------------------------------- */
void srv_buf_init(srv_buf *b)
{
    memset(b, 0, sizeof *b);
}

void srv_buf_free(srv_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

char *srv_buf_take(srv_buf *b, size_t *len)
{
    char *p;
    srv_buf_raw(b, "", 0); /* makes sure there is a buffer */
    if (b->oom) {
        srv_buf_free(b);
        return NULL;
    }
    p = b->p;
    if (len)
        *len = b->len;
    memset(b, 0, sizeof *b);
    return p;
}

static int grow(srv_buf *b, size_t extra)
{
    size_t need, cap;
    char *np;
    if (b->oom)
        return -1;
    if (extra > ((size_t)-1) / 2 - b->len) {
        b->oom = 1;
        return -1;
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    np = realloc(b->p, cap);
    if (!np) {
        b->oom = 1;
        return -1;
    }
    b->p = np;
    b->cap = cap;
    return 0;
}

void srv_buf_raw(srv_buf *b, const char *s, size_t n)
{
    if (grow(b, n) != 0)
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void srv_buf_puts(srv_buf *b, const char *s)
{
    srv_buf_raw(b, s, strlen(s));
}

void srv_buf_printf(srv_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    char small[256];
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        srv_buf_raw(b, small, (size_t)n);
        return;
    }
    if (grow(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void srv_buf_str(srv_buf *b, const char *s)
{
    srv_buf_raw(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': srv_buf_raw(b, "\\\"", 2); break;
        case '\\': srv_buf_raw(b, "\\\\", 2); break;
        case '\n': srv_buf_raw(b, "\\n", 2); break;
        case '\r': srv_buf_raw(b, "\\r", 2); break;
        case '\t': srv_buf_raw(b, "\\t", 2); break;
        case '<': srv_buf_raw(b, "\\u003c", 6); break; /* never "</script>" in a reply */
        default:
            if (*p < 0x20)
                srv_buf_printf(b, "\\u%04x", *p);
            else
                srv_buf_raw(b, (const char *)p, 1);
        }
    }
    srv_buf_raw(b, "\"", 1);
}

void srv_buf_num(srv_buf *b, double v)
{
    if (!isfinite(v))
        srv_buf_raw(b, "null", 4);
    else if (v == floor(v) && fabs(v) < 1e15)
        srv_buf_printf(b, "%.0f", v);
    else
        srv_buf_printf(b, "%.10g", v);
}

void srv_buf_key(srv_buf *b, const char *key)
{
    srv_buf_str(b, key);
    srv_buf_raw(b, ":", 1);
}
