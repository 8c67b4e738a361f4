/* test_queue.c — the growable case queue: FIFO order across growth and wrap-around, the admission cap, an overloaded run as with fixed rings, the memory estimates, out of memory. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tl_test.h"
#include "queue.h"
#include "sim_internal.h"
#include "tillit/metrics.h"
#include "tillit/sim.h"

static tl_case make_case(uint32_t id)
{
    tl_case c = {id, (int32_t)id, 0.5f, 0.25f};
    return c;
}

/* Pushes and pops in a pattern that wraps the ring before each growth, against
 * a plain array as the reference FIFO. */
static void test_queue__grows_past_its_start_and_keeps_fifo_order_across_wraparound(void **state)
{
    (void)state;
    enum { CAP = 1000, OPS = 20000 };
    uint32_t ref[OPS];
    int ref_head = 0, ref_len = 0, grew = 0;
    uint32_t next = 0;
    tl_queue q;
    assert_int_equal(tl_queue_init(&q, 4), 0);
    srand(14);
    for (int op = 0; op < OPS; op++) {
        /* more pushes than pops, so the queue fills to the cap, then drains */
        int push = op < OPS / 2 ? rand() % 3 != 0 : rand() % 3 == 0;
        if (push) {
            tl_case c = make_case(next);
            int32_t room = q.room;
            int rc = tl_queue_push(&q, CAP, &c);
            if (ref_len == CAP) {
                assert_int_equal(rc, 1); /* full: turned away, nothing changes */
                assert_int_equal(q.len, CAP);
                continue;
            }
            assert_int_equal(rc, 0);
            if (q.room != room) {
                grew++;
                assert_int_equal(q.room, 2 * room < CAP ? 2 * room : CAP);
            }
            ref[ref_head + ref_len++] = next++;
        } else if (ref_len > 0) {
            assert_int_equal(tl_queue_front(&q)->citizen, ref[ref_head]);
            assert_int_equal(tl_queue_front(&q)->arrival, (int32_t)ref[ref_head]);
            tl_queue_pop(&q);
            ref_head++;
            ref_len--;
        }
        assert_int_equal(q.len, ref_len);
        assert_true(q.len <= q.room && q.room <= CAP && q.head < q.room);
    }
    assert_true(grew >= 8); /* 4 -> 8 -> ... -> 512 -> 1000 */
    assert_int_equal(q.room, CAP);
    while (ref_len > 0) {
        assert_int_equal(tl_queue_front(&q)->citizen, ref[ref_head++]);
        tl_queue_pop(&q);
        ref_len--;
    }
    assert_int_equal(q.len, 0);
    tl_queue_free(&q);
    assert_null(q.buf);
}

/* A ring that has wrapped (head in the middle) grows to a cap that is not a
 * doubling: the order survives the move. */
static void test_queue__growth_to_an_uneven_cap_keeps_the_wrapped_order(void **state)
{
    (void)state;
    tl_queue q;
    assert_int_equal(tl_queue_init(&q, 6), 0);
    uint32_t id = 0, first = 0;
    for (int k = 0; k < 6; k++) {
        tl_case c = make_case(id++);
        assert_int_equal(tl_queue_push(&q, 9, &c), 0);
    }
    for (int k = 0; k < 4; k++, first++)
        tl_queue_pop(&q);
    for (int k = 0; k < 4; k++) { /* wraps: head 4, two at the end, four at the start */
        tl_case c = make_case(id++);
        assert_int_equal(tl_queue_push(&q, 9, &c), 0);
    }
    assert_int_equal(q.room, 6);
    for (int k = 0; k < 3; k++) { /* grows to 9, not 12; then full */
        tl_case c = make_case(id++);
        assert_int_equal(tl_queue_push(&q, 9, &c), 0);
    }
    assert_int_equal(q.room, 9);
    tl_case c = make_case(id);
    assert_int_equal(tl_queue_push(&q, 9, &c), 1);
    for (uint32_t k = first; k < id; k++) {
        assert_int_equal(tl_queue_front(&q)->citizen, k);
        tl_queue_pop(&q);
    }
    assert_int_equal(q.len, 0);
    tl_queue_free(&q);
}

/* The cases older than a step are counted by bisection also when the ring
 * has wrapped: checked against a count of every case, at every step. */
static void test_queue__cases_older_than_a_step_are_counted_across_the_wrap(void **state)
{
    (void)state;
    tl_queue q;
    assert_int_equal(tl_queue_init(&q, 8), 0);
    assert_int_equal(tl_queue_older_than(&q, 5), 0);
    for (int k = 0; k < 6; k++) { /* arrivals 0,0,1,1,2,2 */
        tl_case c = {(uint32_t)k, k / 2, 0, 0};
        assert_int_equal(tl_queue_push(&q, 8, &c), 0);
    }
    for (int k = 0; k < 4; k++)
        tl_queue_pop(&q);
    for (int k = 6; k < 12; k++) { /* arrivals 3,3,4,4,5,5: the ring wraps at 8 */
        tl_case c = {(uint32_t)k, k / 2, 0, 0};
        assert_int_equal(tl_queue_push(&q, 8, &c), 0);
    }
    assert_int_equal(q.room, 8);
    assert_true(q.head + q.len > q.room);
    for (int t = 0; t <= 7; t++) {
        int32_t n = 0;
        for (int32_t j = 0; j < q.len; j++)
            n += q.buf[(q.head + j) % q.room].arrival < t;
        assert_int_equal(tl_queue_older_than(&q, t), n);
    }
    assert_int_equal(tl_queue_older_than(&q, 4), 4); /* 2,2,3,3 */
    tl_queue_free(&q);
}

static tl_params overloaded(void)
{
    tl_params p;
    tl_params_default(&p);
    p.units = 4;
    p.employees = 30;
    p.citizens = 3000;
    p.steps = 60;
    p.need_rate = 0.4; /* far beyond what 30 employees serve: the caps bind */
    p.queue_weeks = 2;
    return p;
}

/* Runs p; with fixed, every queue is given its whole cap at the start (the
 * rings as they were before they grew on demand). Returns the metrics of
 * every step in out and checks the queue invariants on the way. */
static void run_queues(const tl_params *p, int fixed, double *out, size_t *mem_end)
{
    tl_sim *s = NULL;
    tl_run_key key = {14, 0, 0};
    assert_int_equal(tl_sim_new(&s, p, NULL, key, NULL), TL_OK);
    assert_int_equal(tl_sim_memory_now(s), tl_sim_memory(p, NULL));
    if (fixed)
        for (int32_t u = 0; u < s->nu; u++) {
            tl_queue_free(&s->queue[u]);
            assert_int_equal(tl_queue_init(&s->queue[u], s->q_cap), 0);
        }
    for (int t = 0; t < (int)p->steps; t++) {
        assert_int_equal(tl_sim_step(s, NULL), TL_OK);
        tl_metrics_to_array(tl_sim_metrics(s), out + (size_t)t * TL_NMETRICS);
        for (int32_t u = 0; u < s->nu; u++)
            assert_true(s->queue[u].len <= s->queue[u].room && s->queue[u].room <= s->q_cap);
    }
    *mem_end = tl_sim_memory_now(s);
    tl_sim_free(s);
}

static void test_queue__an_overloaded_run_turns_away_exactly_as_with_fixed_rings(void **state)
{
    (void)state;
    tl_params p = overloaded();
    size_t n = (size_t)p.steps * TL_NMETRICS, mem_grown, mem_fixed;
    double *grown = malloc(n * sizeof *grown), *fixed = malloc(n * sizeof *fixed);
    assert_non_null(grown);
    assert_non_null(fixed);
    run_queues(&p, 1, fixed, &mem_fixed);
    run_queues(&p, 0, grown, &mem_grown);
    assert_memory_equal(grown, fixed, n * sizeof *grown);
    double away = 0;
    for (int t = 0; t < (int)p.steps; t++)
        away += grown[(size_t)t * TL_NMETRICS + TL_METRIC_IDX_cases_turned_away];
    assert_true(away > 0);
    /* the caps bound: every queue grew to its cap, the most a run can hold */
    assert_int_equal(mem_fixed, tl_sim_memory_max(&p, NULL));
    assert_int_equal(mem_grown, tl_sim_memory_max(&p, NULL));
    free(grown);
    free(fixed);
}

/* tl_sim_memory is what tl_sim_new allocates: exactly by the sizes of its
 * arrays, and up to the allocator's overhead by what malloc hands out. */
static void test_queue__the_memory_estimate_matches_what_is_allocated(void **state)
{
    (void)state;
    tl_params p;
    tl_params_default(&p);
    p.employees = 2000;
    p.units = 40;
    p.citizens = 100000;
    tl_sim *s = NULL;
    tl_run_key key = {1, 0, 0};
    size_t est = tl_sim_memory(&p, NULL), max = tl_sim_memory_max(&p, NULL);
    struct mallinfo2 before = mallinfo2();
    assert_int_equal(tl_sim_new(&s, &p, NULL, key, NULL), TL_OK);
    struct mallinfo2 after = mallinfo2();
    double got = (double)(after.uordblks + after.hblkhd) - (double)(before.uordblks + before.hblkhd);
    /* blocks carry a few words of bookkeeping each: ~100 arrays and 40 queues
     * (an allocator that does not report, as under valgrind or a sanitizer,
     * shows nothing: then only the exact count below is checked) */
    if (got != 0)
        assert_true(got >= (double)est - 4096 && got <= (double)est + 16384);
    assert_int_equal(tl_sim_memory_now(s), est);
    assert_true(est < max);
    for (int t = 0; t < 20; t++)
        assert_int_equal(tl_sim_step(s, NULL), TL_OK);
    size_t now = tl_sim_memory_now(s);
    assert_true(now >= est && now <= max);
    tl_sim_free(s);
}

#if defined(__SANITIZE_ADDRESS__)
#define TL_NO_RLIMIT_AS 1 /* the sanitizer's shadow memory needs the address space */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define TL_NO_RLIMIT_AS 1
#endif
#endif

#ifndef TL_NO_RLIMIT_AS
/* Caps this process's address space at what it maps now plus extra bytes. */
static int limit_address_space(size_t extra)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (!f || fscanf(f, "%lu", &pages) != 1)
        return f ? (fclose(f), -1) : -1;
    fclose(f);
    struct rlimit rl;
    rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + extra;
    return setrlimit(RLIMIT_AS, &rl);
}

/* In a child with little address space left: a queue that cannot grow says
 * so and keeps its cases, and a simulation's step reports TL_ERR_NOMEM and
 * can still be freed. Exit code 0 if all held. */
static int out_of_memory_child(void)
{
    tl_queue q;
    tl_params p;
    tl_sim *s = NULL;
    tl_error err = TL_ERROR_INIT;
    tl_run_key key = {3, 0, 0};
    tl_params_default(&p);
    p.units = 1;
    p.employees = 2;
    p.citizens = 2000000;
    p.need_rate = 1; /* two million needs in week 1 into one queue: 32 MB of ring */
    p.steps = 3;
    if (tl_queue_init(&q, 16) != 0 || tl_sim_new(&s, &p, NULL, key, &err) != TL_OK)
        return 10;
    if (limit_address_space(8u << 20) != 0)
        return 11;
    int rc = 0;
    uint32_t id = 0;
    for (; rc == 0; id++) {
        tl_case c = make_case(id);
        rc = tl_queue_push(&q, INT32_MAX, &c);
    }
    if (rc != -1 || q.len != (int32_t)(id - 1) || tl_queue_front(&q)->citizen != 0)
        return 12;
    tl_queue_free(&q);
    tl_status st = tl_sim_step(s, &err);
    if (st != TL_ERR_NOMEM || !strstr(err.msg, "case queue"))
        return 13;
    tl_sim_free(s);
    return 0;
}
#endif

static void test_queue__out_of_memory_while_growing_is_a_clean_error(void **state)
{
    (void)state;
#ifdef TL_NO_RLIMIT_AS
    skip();
#else
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(out_of_memory_child());
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status)); /* not a crash */
    assert_int_equal(WEXITSTATUS(status), 0);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue__grows_past_its_start_and_keeps_fifo_order_across_wraparound),
        cmocka_unit_test(test_queue__growth_to_an_uneven_cap_keeps_the_wrapped_order),
        cmocka_unit_test(test_queue__cases_older_than_a_step_are_counted_across_the_wrap),
        cmocka_unit_test(test_queue__an_overloaded_run_turns_away_exactly_as_with_fixed_rings),
        cmocka_unit_test(test_queue__the_memory_estimate_matches_what_is_allocated),
        cmocka_unit_test(test_queue__out_of_memory_while_growing_is_a_clean_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
