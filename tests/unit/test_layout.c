/* test_layout.c — the citizens' storage order: each citizen in a slot of its own, one unit's citizens contiguous and in index order. */
#include <stdlib.h>
#include <string.h>

#include "tl_test.h"
#include "sim_internal.h"

static void check_layout(int32_t nc, int32_t nu)
{
    tl_sim s;
    memset(&s, 0, sizeof s);
    s.nc = nc;
    s.nu = nu;
    s.c_per_unit = (uint32_t)nc / (uint32_t)nu;
    s.c_extra = (uint32_t)nc % (uint32_t)nu;
    uint8_t *seen = calloc((size_t)nc, 1);
    assert_non_null(seen);
    for (uint32_t c = 0; c < (uint32_t)nc; c++) {
        uint32_t k = tl_citizen_slot(&s, c);
        assert_true(k < (uint32_t)nc);
        assert_int_equal(seen[k], 0); /* a slot of its own */
        seen[k] = 1;
        /* the next citizen of the same unit sits in the next slot */
        if (c + (uint32_t)nu < (uint32_t)nc)
            assert_int_equal(tl_citizen_slot(&s, c + (uint32_t)nu), k + 1);
        assert_int_equal(tl_unit_citizen_slot(&s, c % (uint32_t)nu, c / (uint32_t)nu), k);
    }
    /* unit u's citizens fill [first(u), first(u) + count(u)) and units follow in order */
    uint32_t next = 0;
    for (uint32_t u = 0; u < (uint32_t)nu; u++) {
        uint32_t count = ((uint32_t)nc - u + (uint32_t)nu - 1) / (uint32_t)nu;
        assert_int_equal(tl_citizen_slot(&s, u), next);
        next += count;
    }
    assert_int_equal(next, (uint32_t)nc);
    free(seen);
}

static void test_layout__a_units_citizens_are_contiguous_and_every_citizen_has_a_slot(void **state)
{
    (void)state;
    check_layout(10000, 8);
    check_layout(10007, 7);
    check_layout(20011, 13);
    check_layout(5, 5);
    check_layout(1, 1);
    check_layout(12, 1);
    check_layout(1001, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout__a_units_citizens_are_contiguous_and_every_citizen_has_a_slot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
