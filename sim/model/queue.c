/* queue.c — a unit's case queue: allocating and growing the ring, in FIFO order. */
#include <stdlib.h>
#include <string.h>

#include "queue.h"

int tl_queue_init(tl_queue *q, int32_t room)
{
    q->head = q->len = 0;
    q->room = room;
    q->buf = malloc((size_t)(room > 0 ? room : 1) * sizeof *q->buf);
    return q->buf ? 0 : -1;
}

void tl_queue_free(tl_queue *q)
{
    free(q->buf);
    q->buf = NULL;
    q->head = q->len = q->room = 0;
}

/* The cases from head to the old end move to the new end; those that
 * wrapped round stay at the start. */
int tl_queue_grow(tl_queue *q, int32_t cap)
{
    int64_t want = q->room > 0 ? 2 * (int64_t)q->room : 1;
    int32_t room = want < cap ? (int32_t)want : cap;
    tl_case *buf = realloc(q->buf, (size_t)room * sizeof *buf);
    if (!buf)
        return -1;
    int32_t tail = q->room - q->head; /* cases from head to the old end */
    if (q->head > 0 && q->head + q->len > q->room) {
        memmove(buf + (room - tail), buf + q->head, (size_t)tail * sizeof *buf);
        q->head = room - tail;
    }
    q->buf = buf;
    q->room = room;
    return 0;
}
