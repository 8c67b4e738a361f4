/* assets.h — the page's files: which directory, and a request path turned into a file inside it or
 * refused. */
#ifndef TL_SERVE_ASSETS_H
#define TL_SERVE_ASSETS_H

#include <limits.h>
#include <stddef.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The longest request path served. */
#define SRV_ASSET_PATH_MAX 256

/* Check a decoded request path ("/", "/index.html", "/assets/app.js"):
 * at most SRV_ASSET_PATH_MAX bytes of [A-Za-z0-9._-/], starting with '/',
 * no empty segment and no segment starting with '.' (so no "..", no hidden
 * files). "/" means "/index.html". Writes the relative path (without the
 * leading '/') to rel. Returns 0, or 400 for a path that is refused. */
int srv_asset_clean(const char *url, char *rel, size_t relsize);

/* Open rel inside root (a real path, no trailing '/'): the file's real path
 * must lie inside root (a symlink out is refused) and be a regular file.
 * Returns an fd (read-only) and its size, or -404 / -403. */
int srv_asset_open(const char *root, const char *rel, long long *size);

/* The Content-Type for a file name. */
const char *srv_asset_mime(const char *rel);

/* Find the directory: dir when given (it must exist), else the first of
 * <program>/../share/tillit/<sub>, <source tree>/<src_sub>, <datadir>/<sub>
 * that exists. Writes the real path to out; returns 0 or -1. */
int srv_find_dir(const char *dir, const char *sub, const char *src_sub, char *out, size_t outsize);

#endif
