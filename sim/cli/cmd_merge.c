/* cmd_merge.c — `tillit merge -o OUT.h5 SHARD...`: join the shard files of a job array (`tillit
 * sweep --shard K/N`) into the file one sweep of the whole design writes. The checks and the
 * copying are in sim/io/h5_merge.c; here the options, the output lock and the signals. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "tillit/output_lock.h"
#include "tillit/shard.h"

static const char merge_usage[] =
    "usage: tillit merge [--virtual] -o OUT.h5 SHARD.h5...\n"
    "\n"
    "Join the files of `tillit sweep SCENARIO --shard K/N -o SHARD.h5` (a job array:\n"
    "every K from 1 to N, in any order) into OUT.h5, the file one `tillit sweep\n"
    "SCENARIO -o OUT.h5` writes: the same data and summaries, bit for bit. Refused,\n"
    "naming the file, before anything is written: shards of another scenario, design\n"
    "or tillit build, a shard twice or missing, an incomplete shard (interrupted, or\n"
    "its .journal or .part still there: finish it with --resume first).\n"
    "\n"
    "With --virtual the runs are not copied: OUT.h5's datasets of runs are HDF5\n"
    "virtual datasets over the shard files (named relative to OUT.h5's directory),\n"
    "read through as one file by h5py, xarray and every HDF5 1.10+ reader. Joining\n"
    "costs metadata only, whatever the shards hold; but the shards must stay where\n"
    "they are, beside OUT.h5 (move the directory as a whole; a missing shard reads\n"
    "as runs not_run, values NaN). Without --virtual, one standalone file.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE       the merged file (never an existing FILE)\n"
    "  -f, --force             replace FILE if it exists (only once the merge succeeded)\n"
    "      --virtual           map the shards' runs instead of copying them (see above)\n"
    "  -q, --quiet             no summary line\n"
    "  -h, --help              this help\n"
    "\n"
    "The file is written as FILE.part and renamed when complete. Exit codes: 0 ok,\n"
    "2 bad input (nothing written), 3 output error, 130 interrupted.\n";

int tl_cmd_merge(int argc, char **argv, const char *cmdline)
{
    static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                         {"force", no_argument, 0, 'f'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {"virtual", no_argument, 0, 'V'},
                                         {0, 0, 0, 0}};
    const char *output = NULL;
    int force = 0, quiet = 0, virt = 0, c, rc;
    tl_error err = TL_ERROR_INIT;
    tl_output_lock *lock = NULL;
    tl_stop_guard guard = {0};
    struct stat sb;
    tl_status st;

    optind = 1;
    while ((c = getopt_long(argc, argv, "o:fqh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'f': force = 1; break;
        case 'q': quiet = 1; break;
        case 'V': virt = 1; break;
        case 'h': fputs(merge_usage, stdout); return TL_EXIT_OK;
        default: tl_cli_error("merge: see `tillit merge --help`"); return TL_EXIT_USAGE;
        }
    }
    if (!output) {
        tl_cli_error("merge: say where to write: -o OUT.h5");
        return TL_EXIT_USAGE;
    }
    if (optind >= argc) {
        tl_cli_error("merge: which shard files? (tillit merge -o OUT.h5 part-*.h5)");
        return TL_EXIT_USAGE;
    }
    if (stat(output, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        tl_cli_error("output path '%s' is a directory; give a file name, e.g. -o %s/out.h5",
                     output, output);
        return TL_EXIT_USAGE;
    }
    if (!force && stat(output, &sb) == 0) {
        tl_cli_error("output file '%s' already exists; use --force to replace it", output);
        return TL_EXIT_USAGE;
    }
    /* one writer per output, as for run and sweep */
    if (tl_output_lock_take(&lock, output, &err) != TL_OK) {
        tl_cli_error("%s", err.msg);
        return err.code == TL_ERR_CONFLICT ? TL_EXIT_USAGE : TL_EXIT_IO;
    }
    tl_cli_stop_catch(&guard);
    st = virt ? tl_shard_merge_virtual(output, (const char *const *)(argv + optind), argc - optind,
                                       cmdline, force, &err)
              : tl_shard_merge(output, (const char *const *)(argv + optind), argc - optind,
                               cmdline, force, &tl_cli_stop, &err);
    tl_cli_stop_release(&guard);
    tl_output_lock_release(lock);
    if (st == TL_OK) {
        if (!quiet)
            printf("wrote %s: %s %d shard%s\n", output, virt ? "virtual over" : "merged",
                   argc - optind, argc - optind == 1 ? "" : "s");
        return TL_EXIT_OK;
    }
    tl_cli_error("%s%s", err.msg, st == TL_ERR_INTERRUPTED ? "; nothing written" : "");
    rc = st == TL_ERR_INTERRUPTED ? TL_EXIT_INTERRUPT
         : st == TL_ERR_IO || st == TL_ERR_NOMEM ? TL_EXIT_IO
                                                 : TL_EXIT_USAGE;
    return rc;
}
