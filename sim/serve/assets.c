/* assets.c — serve only regular files that really lie inside the asset directory. */
#include "assets.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TL_SERVE_SOURCE_DIR
#define TL_SERVE_SOURCE_DIR ""
#endif
#ifndef TL_SERVE_DATADIR
#define TL_SERVE_DATADIR ""
#endif

int srv_asset_clean(const char *url, char *rel, size_t relsize)
{
    size_t n;
    const char *p;
    if (!url || url[0] != '/')
        return 400;
    n = strlen(url);
    if (n > SRV_ASSET_PATH_MAX)
        return 400;
    if (strcmp(url, "/") == 0)
        url = "/index.html";
    for (p = url; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '/'))
            return 400;
        /* every segment: non-empty, not starting with '.' */
        if (c == '/' && (p[1] == '/' || p[1] == '.' || (p[1] == '\0' && p != url)))
            return 400;
    }
    snprintf(rel, relsize, "%s", url + 1);
    return strlen(url + 1) < relsize ? 0 : 400;
}

int srv_asset_open(const char *root, const char *rel, long long *size)
{
    char path[PATH_MAX], real[PATH_MAX];
    size_t rl = strlen(root);
    struct stat st;
    int fd;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", root, rel) >= sizeof path)
        return -404;
    if (!realpath(path, real))
        return -404;
    /* inside root: root itself followed by '/' */
    if (strncmp(real, root, rl) != 0 || real[rl] != '/')
        return -403;
    fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? -404 : -403;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -404;
    }
    *size = (long long)st.st_size;
    return fd;
}

const char *srv_asset_mime(const char *rel)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(rel, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static int is_dir(const char *p, char *out, size_t outsize)
{
    char real[PATH_MAX];
    struct stat st;
    if (!p || !*p || !realpath(p, real) || stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    if (strlen(real) >= outsize)
        return 0;
    snprintf(out, outsize, "%s", real);
    return 1;
}

int srv_find_dir(const char *dir, const char *sub, const char *src_sub, char *out, size_t outsize)
{
    char exe[PATH_MAX], cand[PATH_MAX + 64];
    ssize_t n;
    if (dir)
        return is_dir(dir, out, outsize) ? 0 : -1;
    /* installed next to the program: <prefix>/bin/tillit, <prefix>/share/tillit/<sub> */
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        if ((slash = strrchr(exe, '/')) != NULL) {
            *slash = '\0';
            snprintf(cand, sizeof cand, "%s/../share/tillit/%s", exe, sub);
            if (is_dir(cand, out, outsize))
                return 0;
        }
    }
    /* a build tree: the sources it was built from */
    if (TL_SERVE_SOURCE_DIR[0]) {
        snprintf(cand, sizeof cand, "%s/%s", TL_SERVE_SOURCE_DIR, src_sub);
        if (is_dir(cand, out, outsize))
            return 0;
    }
    if (TL_SERVE_DATADIR[0]) {
        snprintf(cand, sizeof cand, "%s/%s", TL_SERVE_DATADIR, sub);
        if (is_dir(cand, out, outsize))
            return 0;
    }
    return -1;
}
