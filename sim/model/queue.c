/* queue.c — a unit's case queue: growing the ring in place, in FIFO order. */
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

/* Doubles the room of a full ring (at most to cap), keeping the order: the
 * cases from head to the old end move to the new end, those that wrapped
 * round stay at the start. */
static int grow(tl_queue *q, int32_t cap)
{
    int64_t want = 2 * (int64_t)q->room;
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

int tl_queue_push(tl_queue *q, int32_t cap, const tl_case *c)
{
    if (q->len >= cap)
        return 1;
    if (q->len == q->room && grow(q, cap) != 0)
        return -1;
    int32_t slot = q->head + q->len;
    if (slot >= q->room)
        slot -= q->room;
    q->buf[slot] = *c;
    q->len++;
    return 0;
}
