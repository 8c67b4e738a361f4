/* fuzz_scenario.c — libFuzzer target: any bytes into the scenario loader must give a scenario or
 * one error, never a crash, leak or hang. Build with -DTILLIT_FUZZ=ON and CC=clang; see
 * docs/testing.md. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "tillit/scenario_yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tl_scenario sc;
    tl_error err = TL_ERROR_INIT;
    tl_scenario_init(&sc);
    if (tl_scenario_parse_yaml((const char *)data, size, "fuzz.yaml", &sc, &err) == TL_OK) {
        char *text = tl_scenario_to_yaml(&sc);
        tl_scenario back;
        tl_scenario_init(&back);
        /* what it writes, it reads back */
        if (text && tl_scenario_parse_yaml(text, strlen(text), "back.yaml", &back, &err) != TL_OK)
            __builtin_trap();
        tl_scenario_clear(&back);
        free(text);
    }
    tl_scenario_clear(&sc);
    return 0;
}
