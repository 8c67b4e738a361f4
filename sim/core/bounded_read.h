/* bounded_read.h — read a whole input file with a size limit; special files refused. */
#ifndef TL_CORE_BOUNDED_READ_H
#define TL_CORE_BOUNDED_READ_H

#include <stddef.h>

#include "tillit/status.h"

/* Limits on what is read into memory whole. */
#define TL_SCENARIO_FILE_MAX ((size_t)16 << 20) /* a scenario file: 16 MiB */
#define TL_DESIGN_CSV_MAX ((size_t)256 << 20)   /* a design CSV: 256 MiB (1e6 rows of ~250 B) */

/* Read the regular file at path, at most limit bytes, into *text (NUL
 * terminated, *len bytes before the NUL; free() it). what names the file in
 * messages ("scenario file", "design CSV"). Refused: directories, FIFOs,
 * devices and sockets (never opened for a blocking read), and files larger
 * than limit (also one that grows past it while read). Errors: TL_ERR_IO,
 * TL_ERR_RANGE (too large), TL_ERR_NOMEM. */
tl_status tl_read_bounded(const char *path, size_t limit, const char *what, char **text,
                          size_t *len, tl_error *err);

#endif
