/* guard.h — checks on what a client sends before any handler sees it: the Host header (no DNS
 * rebinding), %-decoding of the URL, and the redaction of session ids from the log. Pure
 * functions (no MHD), so that tests and the fuzzer reach them. */
#ifndef TL_SERVE_GUARD_H
#define TL_SERVE_GUARD_H

#include <stddef.h>

#define SRV_MAX_ALLOW_HOSTS 8
#define SRV_HOST_NAME_MAX 256

/* The names this server answers to. */
typedef struct srv_hosts {
    unsigned port;
    int loopback; /* bound to a loopback address */
    int n;
    char name[SRV_MAX_ALLOW_HOSTS + 4][SRV_HOST_NAME_MAX]; /* lower case, without port */
} srv_hosts;

/* Start the list for a server on `port`, bound to `bound` (the --host
 * text). Names of the machine (localhost, its host name) are added. */
void srv_hosts_init(srv_hosts *h, const char *bound, unsigned port, int loopback);
/* Add a name (--allow-host). 0, or -1 when it is malformed or the list is
 * full. */
int srv_hosts_add(srv_hosts *h, const char *name);

/* Is `host` (a Host header, may be NULL) one this server answers to? Its
 * port must be the server's (or absent when that is 80). Bound to
 * loopback: only the loopback names and the bound address. Bound beyond:
 * also any IP address literal (a rebinding attack needs a DNS name) and
 * the names added; never another DNS name. 1 or 0. */
int srv_host_allowed(const srv_hosts *h, const char *host);

/* Decode %HH in place, except %00 (a NUL would cut a path short), which
 * stays as it is. Returns the new length. */
size_t srv_url_unescape(char *s);

/* Copy src to dst (size n, always terminated) with every run of 16 or
 * more hexadecimal digits — session ids, the bearer tokens of the API —
 * replaced by "<id>". */
void srv_redact(char *dst, size_t n, const char *src);

#endif
