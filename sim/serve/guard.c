/* guard.c — the Host check against DNS rebinding, URL %-decoding and log redaction. */
#include "guard.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= SRV_HOST_NAME_MAX)
        return 0;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != ':')
            return 0;
    return 1;
}

static void add_raw(srv_hosts *h, const char *name)
{
    size_t cap = sizeof h->name / sizeof h->name[0];
    if (h->n >= (int)cap || !name_ok(name))
        return;
    for (int i = 0; i < h->n; i++)
        if (strcasecmp(h->name[i], name) == 0)
            return;
    snprintf(h->name[h->n], sizeof h->name[h->n], "%s", name);
    for (char *p = h->name[h->n]; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    h->n++;
}

void srv_hosts_init(srv_hosts *h, const char *bound, unsigned port, int loopback)
{
    memset(h, 0, sizeof *h);
    h->port = port;
    h->loopback = loopback;
    add_raw(h, "127.0.0.1");
    add_raw(h, "localhost");
    add_raw(h, "::1");
    if (bound)
        add_raw(h, bound);
    if (!loopback) {
        /* the machine's own name, as a browser on the network may use it */
        char hn[SRV_HOST_NAME_MAX - 8];
        if (gethostname(hn, sizeof hn) == 0) {
            char local[SRV_HOST_NAME_MAX];
            hn[sizeof hn - 1] = '\0';
            add_raw(h, hn);
            snprintf(local, sizeof local, "%s.local", hn);
            add_raw(h, local);
        }
    }
}

int srv_hosts_add(srv_hosts *h, const char *name)
{
    if (h->n >= (int)(sizeof h->name / sizeof h->name[0]) || !name_ok(name) || strchr(name, ':'))
        return -1;
    add_raw(h, name);
    return 0;
}

static int is_ip_literal(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int srv_host_allowed(const srv_hosts *h, const char *host)
{
    char name[SRV_HOST_NAME_MAX];
    const char *port = NULL;
    size_t len;
    if (!host || !*host || strlen(host) >= sizeof name + 8)
        return 0;
    if (host[0] == '[') { /* [v6]:port */
        const char *close = strchr(host, ']');
        if (!close || (size_t)(close - host - 1) >= sizeof name)
            return 0;
        len = (size_t)(close - host - 1);
        memcpy(name, host + 1, len);
        name[len] = '\0';
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return 0;
        {
            unsigned char buf[16];
            if (inet_pton(AF_INET6, name, buf) != 1)
                return 0;
        }
    } else {
        const char *colon = strchr(host, ':');
        if (colon && strchr(colon + 1, ':'))
            return 0; /* a bare IPv6 address must be in brackets */
        len = colon ? (size_t)(colon - host) : strlen(host);
        if (len == 0 || len >= sizeof name)
            return 0;
        memcpy(name, host, len);
        name[len] = '\0';
        if (colon)
            port = colon + 1;
    }
    if (port) {
        char *end;
        unsigned long p;
        if (!isdigit((unsigned char)*port))
            return 0;
        p = strtoul(port, &end, 10);
        if (*end || p != h->port)
            return 0;
    } else if (h->port != 80) {
        return 0;
    }
    /* a name with a trailing dot is the same name to DNS */
    len = strlen(name);
    if (len > 1 && name[len - 1] == '.')
        name[len - 1] = '\0';
    for (int i = 0; i < h->n; i++)
        if (strcasecmp(name, h->name[i]) == 0)
            return 1;
    return !h->loopback && is_ip_literal(name);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t srv_url_unescape(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        int hi, lo;
        if (r[0] == '%' && r[1] && r[2] && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 &&
            (hi | lo) != 0) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

void srv_redact(char *dst, size_t n, const char *src)
{
    size_t w = 0;
    if (n == 0)
        return;
    while (*src && w + 1 < n) {
        size_t run = 0;
        while (src[run] && hexval(src[run]) >= 0)
            run++;
        if (run >= 16) {
            const char *tag = "<id>";
            for (; *tag && w + 1 < n; tag++)
                dst[w++] = *tag;
            src += run;
        } else if (run > 0) {
            for (size_t i = 0; i < run && w + 1 < n; i++)
                dst[w++] = src[i];
            src += run;
        } else {
            dst[w++] = *src++;
        }
    }
    dst[w] = '\0';
}
