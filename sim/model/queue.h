/* queue.h — a unit's case queue: a FIFO ring buffer that grows on demand up to a cap. */
#ifndef TL_MODEL_QUEUE_H
#define TL_MODEL_QUEUE_H

#include <stdint.h>

/* A need waiting in a unit's queue. */
typedef struct tl_case {
    uint32_t citizen; /* the citizen's storage slot (tl_citizen_slot) */
    int32_t arrival; /* step it arose */
    float complexity;
    float severity;
} tl_case;

/* The cases waiting, oldest first: buf[(head + j) % room] for j = 0..len-1.
 * room (the slots allocated) starts at tl_queue_start_room and doubles when
 * a case arrives to a full ring, up to the admission cap; memory follows
 * what the queue holds (at most twice its peak, or the cap). */
typedef struct tl_queue {
    tl_case *buf;
    int32_t head, len, room;
} tl_queue;

/* Slots a queue starts with, unless its cap is smaller. */
#define TL_QUEUE_START 16

/* The room a queue with this admission cap starts with. */
static inline int32_t tl_queue_start_room(int32_t cap)
{
    return cap < TL_QUEUE_START ? cap : TL_QUEUE_START;
}

/* An empty queue with room slots: 0, or -1 if there is no memory. */
int tl_queue_init(tl_queue *q, int32_t room);

/* Frees the slots; the queue is empty with no room afterwards. */
void tl_queue_free(tl_queue *q);

/* Doubles the room of a full ring, at most to cap, keeping the order:
 * 0, or -1 if there is no memory (the queue is unchanged). */
int tl_queue_grow(tl_queue *q, int32_t cap);

/* Appends c unless the queue already holds cap cases (the admission rule).
 * Returns 0 if appended, 1 if the queue is full (c is turned away), -1 if
 * the ring had to grow and there was no memory (the queue is unchanged). */
static inline int tl_queue_push(tl_queue *q, int32_t cap, const tl_case *c)
{
    if (q->len >= cap)
        return 1;
    if (q->len == q->room && tl_queue_grow(q, cap) != 0)
        return -1;
    int32_t slot = q->head + q->len;
    if (slot >= q->room)
        slot -= q->room;
    q->buf[slot] = *c;
    q->len++;
    return 0;
}

/* The oldest case; the queue must not be empty. */
static inline const tl_case *tl_queue_front(const tl_queue *q) { return &q->buf[q->head]; }

/* Removes the oldest case; the queue must not be empty. */
static inline void tl_queue_pop(tl_queue *q)
{
    if (++q->head == q->room)
        q->head = 0;
    q->len--;
}

/* Cases that arose before step t (the queue is in order of arrival, so they
 * are the first ones): found by bisection. */
static inline int32_t tl_queue_older_than(const tl_queue *q, int32_t t)
{
    int32_t lo = 0, hi = q->len;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2, slot = q->head + mid;
        if (slot >= q->room)
            slot -= q->room;
        if (q->buf[slot].arrival < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

#endif
