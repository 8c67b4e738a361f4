/* main.c — the tillit program: dispatch to a command. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "serve.h"
#include "tillit/mpi_sweep.h"
#include "tillit/output.h"
#include "tillit/version.h"

static const char usage[] =
    "usage: tillit <command> [options]\n"
    "\n"
    "Simulate steering regimes in a public welfare organisation: how citizens,\n"
    "employees and the economy fare under control-based and trust-based steering.\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]   run a scenario (default: control vs balanced vs trust) and\n"
    "                   write an HDF5 file\n"
    "  sweep SCENARIO   run a sweep (a design of points x replicates) on all cores,\n"
    "                   streaming to disk; resumable (--resume), never losing finished runs\n"
    "  merge SHARD...   join the files of a job array (sweep --shard K/N) into the\n"
    "                   file one whole sweep writes (-o OUT.h5), bit for bit\n"
    "  check SCENARIO   validate a scenario file without running it; list its design\n"
    "  table FILE       the experiment table: one row per run (or per point) with the\n"
    "                   design values and summaries of metrics; text or CSV\n"
    "  serve            the classroom: steer an organisation live in the browser\n"
    "  presets          list the named regimes\n"
    "  scenarios        list the built-in scenarios\n"
    "  params           list every parameter with default, range, unit and source\n"
    "  metrics          list every output metric with unit and description\n"
    "\n"
    "  tillit <command> --help   help on a command\n"
    "  tillit --version          version, git revision and output schema\n";

void tl_cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("tillit: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The command line as typed, shell-quoted where needed, for provenance. */
static char *join_cmdline(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) * 4 + 3;
    char *s = malloc(n), *q = s;
    if (!s)
        return NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int plain = *a != 0;
        for (const char *c = a; *c; c++)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@+%",
                        *c))
                plain = 0;
        if (i)
            *q++ = ' ';
        if (plain) {
            strcpy(q, a);
            q += strlen(a);
        } else {
            *q++ = '\'';
            for (const char *c = a; *c; c++) {
                if (*c == '\'') {
                    memcpy(q, "'\\''", 4);
                    q += 4;
                } else {
                    *q++ = *c;
                }
            }
            *q++ = '\'';
        }
    }
    *q = 0;
    return s;
}

int main(int argc, char **argv)
{
    int rc, rank;
    char *cmdline;
    gsl_set_error_handler_off(); /* the library checks GSL's returns; never abort */
    /* under mpirun/srun (MPI build): every rank runs this program */
    if (tl_mpi_start(&argc, &argv, &rank) > 1 && (argc < 2 || strcmp(argv[1], "sweep") != 0)) {
        if (rank == 0)
            tl_cli_error("under MPI only `tillit sweep` runs on several ranks");
        tl_mpi_stop();
        return TL_EXIT_USAGE;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? TL_EXIT_USAGE : TL_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("tillit %s (git %s, output schema %s)\n", TILLIT_VERSION, TILLIT_GIT_REVISION,
               TL_SCHEMA_VERSION);
        return TL_EXIT_OK;
    }
    cmdline = join_cmdline(argc, argv);
    if (strcmp(argv[1], "run") == 0)
        rc = tl_cmd_run(argc - 1, argv + 1, cmdline ? cmdline : "tillit run");
    else if (strcmp(argv[1], "sweep") == 0)
        rc = tl_cmd_sweep(argc - 1, argv + 1, cmdline ? cmdline : "tillit sweep");
    else if (strcmp(argv[1], "serve") == 0)
        rc = tl_cmd_serve(argc - 1, argv + 1);
    else if (strcmp(argv[1], "check") == 0)
        rc = tl_cmd_check(argc - 1, argv + 1);
    else if (strcmp(argv[1], "merge") == 0)
        rc = tl_cmd_merge(argc - 1, argv + 1, cmdline ? cmdline : "tillit merge");
    else if (strcmp(argv[1], "table") == 0)
        rc = tl_cmd_table(argc - 1, argv + 1);
    else if (strcmp(argv[1], "presets") == 0)
        rc = tl_cmd_presets(argc - 1, argv + 1);
    else if (strcmp(argv[1], "scenarios") == 0)
        rc = tl_cmd_scenarios(argc - 1, argv + 1);
    else if (strcmp(argv[1], "params") == 0)
        rc = tl_cmd_params(argc - 1, argv + 1);
    else if (strcmp(argv[1], "metrics") == 0)
        rc = tl_cmd_metrics(argc - 1, argv + 1);
    else {
        tl_cli_error("unknown command '%s' (`tillit --help` lists the commands)", argv[1]);
        rc = TL_EXIT_USAGE;
    }
    free(cmdline);
    tl_mpi_stop();
    if (rc == TL_EXIT_IO) {
        /* After a failed flush or close (disk full), HDF5 1.10 can keep a
         * dangling file and crash in its exit handler (HDFGroup/hdf5#2257,
         * fixed in 1.14.1): everything is reported and cleaned up by now, so
         * leave without running it. */
        fflush(stdout);
        fflush(stderr);
        _exit(rc);
    }
    return rc;
}
