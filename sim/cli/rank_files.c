/* rank_files.c — MPI sweeps with --rank-files: every rank writes its own shard file (rank r is
 * shard r+1 of the ranks) into OUT.h5.ranks/, with its own journal, and rank 0 joins them into
 * OUT.h5 with virtual datasets (tl_shard_merge_virtual) once all are done. No rank stores another
 * rank's runs, so writing grows with the ranks; the join costs metadata only. The running of one
 * rank's shard is cmd_run.c's (a --shard sweep); here the file names, the directory and the join. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "tillit/mpi_sweep.h"
#include "tillit/output_lock.h"
#include "tillit/shard.h"

int tl_rank_file(char *buf, size_t n, const char *output, int k, int nranks)
{
    int len = snprintf(buf, n, "%s.ranks/shard-%d-of-%d.h5", output, k, nranks);
    return len > 0 && (size_t)len < n ? 0 : -1;
}

int tl_rank_files_dir(const char *output)
{
    char dir[4096];
    struct stat sb;
    if (snprintf(dir, sizeof dir, "%s.ranks", output) >= (int)sizeof dir) {
        tl_cli_error("output path '%s' is too long", output);
        return -1;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        tl_cli_error("cannot create the directory of the rank files '%s': %s", dir,
                     strerror(errno));
        return -1;
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        tl_cli_error("'%s' is in the way of the rank files: it is not a directory; move it", dir);
        return -1;
    }
    return 0;
}

int tl_rank_files_other_count(const char *output, int nranks)
{
    char dir[4096];
    DIR *d;
    struct dirent *e;
    int found = 0;
    if (snprintf(dir, sizeof dir, "%s.ranks", output) >= (int)sizeof dir || !(d = opendir(dir)))
        return 0;
    while (!found && (e = readdir(d))) {
        int k, n, len = 0;
        if (sscanf(e->d_name, "shard-%d-of-%d.h5%n", &k, &n, &len) == 2 && len > 0 &&
            n != nranks)
            found = n;
    }
    closedir(d);
    return found;
}

/* Rank 0: the virtual join of every rank's file into output. */
static int join(const char *output, int nranks, const char *cmdline, int force)
{
    char (*paths)[4096] = calloc((size_t)nranks, sizeof *paths);
    const char **names = calloc((size_t)nranks, sizeof *names);
    tl_error err = TL_ERROR_INIT;
    tl_output_lock *lock = NULL;
    int rc = TL_EXIT_OK;
    tl_status st;
    if (!paths || !names) {
        tl_cli_error("out of memory");
        rc = TL_EXIT_IO;
        goto out;
    }
    for (int k = 1; k <= nranks; k++) {
        tl_rank_file(paths[k - 1], sizeof paths[k - 1], output, k, nranks);
        names[k - 1] = paths[k - 1];
    }
    if (tl_output_lock_take(&lock, output, &err) != TL_OK) {
        tl_cli_error("%s", err.msg);
        rc = err.code == TL_ERR_CONFLICT ? TL_EXIT_USAGE : TL_EXIT_IO;
        goto out;
    }
    st = tl_shard_merge_virtual(output, names, nranks, cmdline, force, &err);
    tl_output_lock_release(lock);
    if (st != TL_OK) {
        tl_cli_error("%s (the runs are kept in %s.ranks/; join them with `tillit merge "
                     "--virtual -o %s %s.ranks/shard-*-of-%d.h5`)",
                     err.msg, output, output, output, nranks);
        rc = st == TL_ERR_IO || st == TL_ERR_NOMEM ? TL_EXIT_IO : TL_EXIT_USAGE;
    } else {
        printf("wrote %s: virtual over the %d rank files in %s.ranks/ (keep them beside it)\n",
               output, nranks, output);
    }
out:
    free(paths);
    free(names);
    return rc;
}

int tl_rank_files_finish(int rc, int rank, const char *output, int nranks, const char *cmdline,
                         int force)
{
    /* 1 (some runs failed) still leaves complete files: join them */
    int worst = tl_mpi_max(rc == TL_EXIT_FAIL ? 1 : rc == TL_EXIT_OK ? 0 : rc + 1);
    if (worst > 1) {
        if (rank == 0)
            tl_cli_error("%s: not joined; a rank stopped before its file was complete (resume "
                         "with the same ranks: mpirun -n %d tillit sweep ... --rank-files -o %s "
                         "--resume)",
                         output, nranks, output);
        return rc == TL_EXIT_OK || rc == TL_EXIT_FAIL ? worst - 1 : rc;
    }
    if (rank > 0)
        return rc;
    int jr = join(output, nranks, cmdline, force);
    return jr != TL_EXIT_OK ? jr : worst ? TL_EXIT_FAIL : TL_EXIT_OK;
}
