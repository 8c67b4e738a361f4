/* cli.h — the tillit program's commands and their shared helpers. */
#ifndef TL_CLI_H
#define TL_CLI_H

#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "tillit/runner.h"
#include "tillit/scenario.h"

/* Each command takes the arguments after its name (argv[0] is the command). */
int tl_cmd_run(int argc, char **argv, const char *cmdline);
int tl_cmd_sweep(int argc, char **argv, const char *cmdline);
int tl_cmd_check(int argc, char **argv);
int tl_cmd_merge(int argc, char **argv, const char *cmdline);

/* --rank-files (rank_files.c): rank k's (1-based) file of nranks, "OUT.ranks/shard-K-of-N.h5"
 * (-1 when too long); the directory made if needed (-1, said, when impossible); and the end of
 * every rank's sweep: the worst exit code over the ranks, rank 0 joining the files into output
 * with virtual datasets when all are complete. Returns this rank's exit code. */
int tl_rank_file(char *buf, size_t n, const char *output, int k, int nranks);
int tl_rank_files_dir(const char *output);
/* The number of ranks of another run's files in OUT.ranks/ (a shard-K-of-M file or journal with
 * M != nranks), 0 when none. */
int tl_rank_files_other_count(const char *output, int nranks);
int tl_rank_files_finish(int rc, int rank, const char *output, int nranks, const char *cmdline,
                         int force);
int tl_cmd_presets(int argc, char **argv);
int tl_cmd_params(int argc, char **argv);
int tl_cmd_metrics(int argc, char **argv);
int tl_cmd_scenarios(int argc, char **argv);

int tl_cmd_table(int argc, char **argv);

/* A design's points and values before anything runs (design_out.c). The
 * columns are the recorded design variables, else the varied parameters. */
void tl_fmt_num(char *buf, size_t n, double v); /* shortest text that reads back as v */
/* s as one CSV field: quoted (quotes doubled) when it holds a comma, quote or line break */
void tl_csv_field(FILE *f, const char *s);
int tl_design_ncols(const tl_scenario *sc);
const char *tl_design_col_name(const tl_scenario *sc, int j);
double tl_design_col_value(const tl_scenario *sc, int point, int j);
/* "  point K    LABEL  name=value, ... (T steps)" for the first max_rows points */
void tl_design_print(FILE *out, const tl_scenario *sc, int max_rows);
/* CSV: point,label[,design_block,design_row],<columns>,steps; path "-" is
 * stdout; an existing file only with force. Returns an exit code. */
int tl_design_write_csv(const char *path, const tl_scenario *sc, int force);

/* Exit codes of the program. */
enum {
    TL_EXIT_OK = 0,
    TL_EXIT_FAIL = 1,      /* a run failed numerically, output kept */
    TL_EXIT_USAGE = 2,     /* bad command line or bad input: nothing written */
    TL_EXIT_IO = 3,        /* could not write the output */
    TL_EXIT_INTERRUPT = 130
};

/* Ctrl-C and SIGTERM while a command writes (stop.c): catch sets tl_cli_stop
 * to 0 and makes both signals set it to 1; release puts the previous
 * handlers back (nothing when not caught). */
extern volatile sig_atomic_t tl_cli_stop;
typedef struct tl_stop_guard {
    struct sigaction old_int, old_term;
    int caught;
} tl_stop_guard;
void tl_cli_stop_catch(tl_stop_guard *g);
void tl_cli_stop_release(tl_stop_guard *g);

/* Print "tillit: <msg>" to stderr. */
void tl_cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Progress reporting: none, a bar on a terminal, or JSON lines. */
typedef enum { TL_PROGRESS_AUTO, TL_PROGRESS_NONE, TL_PROGRESS_BAR, TL_PROGRESS_JSON } tl_progress_mode;
int tl_progress_parse(const char *s, tl_progress_mode *out);
typedef struct tl_progress_state {
    tl_progress_mode mode;
    FILE *out;
    int drawn;
} tl_progress_state;
void tl_progress_init(tl_progress_state *ps, tl_progress_mode mode);
void tl_progress_report(void *ctx, const tl_progress *p);
void tl_progress_finish(tl_progress_state *ps);
/* The pre-flight estimate (estimate.c): output size (as compressed, and
 * its upper bound before compression), the layout within it, memory and
 * time, from the design and a short pilot. */
typedef struct estimate {
    long runs, runs_todo;
    double out_bytes, out_bytes_max, layout_bytes, mem_bytes;
    double journal_bytes; /* the journal's peak on disk: its log when full, and its layout */
    double text_bytes;    /* the resolved scenario's text (the journal's copy, every file's attribute) */
    double seconds, run_seconds, write_seconds, layout_seconds;
    double cpu_seconds; /* the work in CPU seconds, whatever the load */
    double step_seconds, setup_seconds; /* pilot: CPU per step (a run's mean), per simulation made */
    long pilot_steps;                   /* steps the pilot ran, on pilot_threads at once */
    int pilot_threads;
    double pilot_seconds, pilot_cpu;    /* the pilot's wall time and CPU (a sweep runs it first) */
    double cpus;  /* cores the process may use (affinity mask, CPU quota) */
    double share; /* of a core, each pilot thread's CPU over its wall time (load) */
    double cores; /* cores the sweep is expected to get with all its threads busy */
    double chunks, blocks; /* chunks the results are stored in; blocks of runs */
    int threads, ranks; /* threads per process, MPI processes */
} estimate;
/* Columns of the sweep's own summary table (cmd_run.c): per point, a sum and
 * a count of each, held through the sweep. */
extern const int tl_cli_summary_columns;
double tl_now_s(void);
int tl_preflight(const tl_scenario *sc, int threads, int ranks, long runs_done, estimate *e);
void tl_print_estimate(const tl_scenario *sc, const estimate *e, tl_progress_mode mode, int quiet,
                       int dry_run);
/* progress of writing the layout of `what` ("journal", "output file") */
void tl_progress_layout(const tl_progress_state *ps, const char *what, long done, long points,
                        double elapsed);
/* the same from start to stop, and every second between (a thread) */
typedef struct tl_layout_ticker {
    const tl_progress_state *ps;
    const char *what;
    long points;
    double t0;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, running;
    int prepare; /* tl_prepare_start's: "prepare" events, none at start or stop */
} tl_layout_ticker;
void tl_layout_start(tl_layout_ticker *t, const tl_progress_state *ps, const char *what,
                     long points);
void tl_layout_stop(tl_layout_ticker *t, int written);
/* work before the first run that may take long for a large design (reading
 * the scenario, the estimate): an event every second while it lasts, none
 * when it takes less than a second */
void tl_prepare_start(tl_layout_ticker *t, const tl_progress_state *ps, const char *what);
void tl_prepare_stop(tl_layout_ticker *t);
/* s as a JSON string, quoted and escaped */
void tl_json_str(FILE *out, const char *s);

#endif
