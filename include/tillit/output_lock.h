/* tillit/output_lock.h — exclusive ownership of an output file while a run, sweep or resume writes it. */
#ifndef TILLIT_OUTPUT_LOCK_H
#define TILLIT_OUTPUT_LOCK_H

#include "tillit/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The lock of output OUT is the file "OUT.lock" beside it, held with
 * flock(LOCK_EX) for as long as one command writes OUT, OUT.part or
 * OUT.journal, and holding the owner's process id as text. The kernel drops
 * the lock when the owner dies (kill -9 included), so a stale lock file
 * never blocks anyone; it is removed when its owner is done. The lock file
 * is opened with O_NOFOLLOW: a planted symbolic link is refused. */
typedef struct tl_output_lock tl_output_lock;

/* Take the lock of output_path at once, or fail: TL_ERR_CONFLICT when another
 * process holds it (the message names its PID), TL_ERR_IO when the lock file
 * cannot be made or is not a regular file, TL_ERR_NOMEM. */
tl_status tl_output_lock_take(tl_output_lock **out, const char *output_path, tl_error *err);

/* Remove the lock file and release the lock. Accepts NULL. */
void tl_output_lock_release(tl_output_lock *l);

#ifdef __cplusplus
}
#endif
#endif
