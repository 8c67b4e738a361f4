/* stop.c — Ctrl-C and SIGTERM while a command writes (run, sweep, merge): they set the program's
 * stop flag, which the command checks at safe points to finish or set aside what it has. */
#include <string.h>

#include "cli.h"

/* the program's only file-scope mutable state (the library has none) */
volatile sig_atomic_t tl_cli_stop;

static void on_signal(int sig)
{
    (void)sig;
    tl_cli_stop = 1;
}

void tl_cli_stop_catch(tl_stop_guard *g)
{
    struct sigaction sa;
    tl_cli_stop = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &g->old_int);
    sigaction(SIGTERM, &sa, &g->old_term);
    g->caught = 1;
}

void tl_cli_stop_release(tl_stop_guard *g)
{
    if (!g->caught)
        return;
    sigaction(SIGINT, &g->old_int, NULL);
    sigaction(SIGTERM, &g->old_term, NULL);
    g->caught = 0;
}
