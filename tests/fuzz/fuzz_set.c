/* fuzz_set.c — libFuzzer target for what the command line's --set KEY=VALUE, --schedule
 * P@AT[:RAMP]=V and --seed end in: the strict number parsers (tl_text_to_double, tl_text_to_u64),
 * tl_params_set_str and tl_schedule_add. Each input line is one option value. Any bytes must
 * give a value or one error, never a crash, leak, hang or a number that is not what was
 * written. The splitting of P@AT[:RAMP]=V in sim/cli/cmd_run.c is static there and mirrored
 * here. Build with -DTILLIT_FUZZ=ON and CC=clang; see docs/testing.md. */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tillit/params.h"
#include "tillit/presets.h"
#include "tillit/schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a whole number read back must print as the digits given (no '+', no leading zeros) */
static void check_u64(const char *s)
{
    uint64_t v;
    char back[32];
    const char *d = s;
    if (tl_text_to_u64(s, &v) != 0)
        return;
    if (*d == '+')
        d++;
    while (d[0] == '0' && d[1])
        d++;
    snprintf(back, sizeof back, "%" PRIu64, v);
    if (strcmp(back, d) != 0)
        __builtin_trap();
}

static void check_double(const char *s)
{
    double v;
    if (tl_text_to_double(s, &v) == 0 && (!isfinite(v) || strchr(s, 'x') || strchr(s, 'X')))
        __builtin_trap();
}

static void one(tl_params *p, tl_schedule *sc, const char *s)
{
    tl_error err = TL_ERROR_INIT;
    const char *a = strchr(s, '@'), *eq = strchr(s, '=');
    check_u64(s);
    check_double(s);
    if (a && eq && eq > a) {
        /* --schedule P@AT[:RAMP]=V */
        char param[128], num[64];
        double at, ramp = 0, val;
        const char *colon = memchr(a, ':', (size_t)(eq - a)), *at_end = colon ? colon : eq;
        if ((size_t)(a - s) >= sizeof param || (size_t)(at_end - a - 1) >= sizeof num)
            return;
        memcpy(param, s, (size_t)(a - s));
        param[a - s] = 0;
        memcpy(num, a + 1, (size_t)(at_end - a - 1));
        num[at_end - a - 1] = 0;
        if (tl_text_to_double(num, &at) != 0)
            return;
        if (colon) {
            if ((size_t)(eq - colon - 1) >= sizeof num)
                return;
            memcpy(num, colon + 1, (size_t)(eq - colon - 1));
            num[eq - colon - 1] = 0;
            if (tl_text_to_double(num, &ramp) != 0)
                return;
        }
        if (tl_text_to_double(eq + 1, &val) != 0)
            return;
        (void)tl_schedule_add(sc, param, at, ramp, val, &err);
    } else if (eq && eq != s) {
        /* --set KEY=VALUE */
        char key[128];
        if ((size_t)(eq - s) >= sizeof key)
            return;
        memcpy(key, s, (size_t)(eq - s));
        key[eq - s] = 0;
        (void)tl_params_set_str(p, key, eq + 1, &err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *line, *next;
    tl_params p;
    tl_schedule sc;
    tl_error err = TL_ERROR_INIT;
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    memset(&sc, 0, sizeof sc);
    if (tl_preset_apply("balanced", &p, &err) != TL_OK)
        __builtin_trap();
    for (line = buf; line; line = next) {
        if ((next = strchr(line, '\n')))
            *next++ = 0;
        one(&p, &sc, line);
    }
    free(buf);
    return 0;
}
