/* mpi_sweep.c — sweeps over MPI ranks with dynamic load balancing. Rank 0 hands out blocks one at a
 * time on request (runs differ in length), runs blocks itself between requests, and is the only
 * writer; results are identical to a one-process sweep because every run depends only on its key.
 * (With --rank-files every rank writes its own shard instead, sim/cli/rank_files.c; from here it
 * needs only tl_mpi_max.) Compiled with TILLIT_MPI; without it the functions say there is one
 * rank. */
#include "tillit/mpi_sweep.h"

#include <stdlib.h>
#include <string.h>

#ifdef TILLIT_MPI
#include <mpi.h>
#include <pthread.h>
#include <time.h>

#include "tillit/metrics.h"
#include "tillit/output.h"
#include "tillit/sim.h"
#include "text.h"

enum { TAG_REQ = 1, TAG_ASSIGN, TAG_HDR, TAG_DATA, TAG_STATE, TAG_ERR, TAG_SNAP, TAG_PREP };
#define ERR_LEN 1100

static int started;

/* Wait for n requests without spinning: MPI's blocking calls (and
 * MPI_Finalize's closing synchronisation) poll the network at full speed, so
 * a rank with nothing to do would burn its core. Test, then sleep, the
 * sleep growing from 50 us to 20 ms: a message that arrives while the rank
 * waits is taken up within 20 ms at most, which is small against a block. */
static void wait_lazily(int n, MPI_Request *r)
{
    long ns = 50000;
    int done = 0;
    MPI_Testall(n, r, &done, MPI_STATUSES_IGNORE);
    while (!done) {
        struct timespec ts = {0, ns};
        nanosleep(&ts, NULL);
        if (ns < 20000000)
            ns = ns * 2 < 20000000 ? ns * 2 : 20000000;
        MPI_Testall(n, r, &done, MPI_STATUSES_IGNORE);
    }
}

int tl_mpi_start(int *argc, char ***argv, int *rank)
{
    int provided, size = 1;
    *rank = 0;
    /* only when launched by an MPI launcher: a plain `tillit` never needs MPI */
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMI_SIZE") && !getenv("PMIX_RANK"))
        return 1;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return 1;
    started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

int tl_mpi_size(int *rank)
{
    int size = 1;
    *rank = 0;
    if (!started)
        return 1;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

void tl_mpi_stop(void)
{
    if (started) {
        /* ranks done early wait here asleep, not polling inside MPI_Finalize */
        MPI_Request r;
        if (MPI_Ibarrier(MPI_COMM_WORLD, &r) == MPI_SUCCESS)
            wait_lazily(1, &r);
        MPI_Finalize();
    }
    started = 0;
}

void tl_mpi_abort(int code)
{
    if (started)
        MPI_Abort(MPI_COMM_WORLD, code);
}

int tl_mpi_max(int v)
{
    int out = v;
    MPI_Request r;
    if (started && MPI_Iallreduce(&v, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &r) == MPI_SUCCESS)
        wait_lazily(1, &r); /* asleep until the slowest rank is done */
    return out;
}

tl_status tl_mpi_same_scenario(const char *text, tl_error *err)
{
    int rank, size;
    uint64_t mine = tl_text_hash(text, strlen(text)), *all = NULL;
    tl_status st = TL_OK;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    all = calloc((size_t)size, sizeof *all);
    if (!all)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    MPI_Allgather(&mine, 1, MPI_UINT64_T, all, 1, MPI_UINT64_T, MPI_COMM_WORLD);
    for (int r = 1; r < size; r++)
        if (all[r] != all[0]) {
            st = tl_error_set(err, TL_ERR_CONFLICT,
                              "rank %d resolved a different scenario than rank 0 (different "
                              "files or options on the nodes?)",
                              r);
            break;
        }
    free(all);
    return st;
}

struct tl_mpi_coord {
    const tl_scenario *sc;
    const uint8_t *done;
    int nblocks, bpp, B, T, size, ranks_done, outstanding;
    int cursor;
    long remote_runs;
    size_t snap_size;
    pthread_mutex_t mu;
    double *data;
    uint8_t *state;
    char *errbuf;
    const char **errors;
    float *snaps;
    unsigned char *prep_buf; /* a received prepared block */
    size_t prep_cap;
};

tl_status tl_mpi_coord_new(tl_mpi_coord **out, const tl_scenario *sc, const uint8_t *done,
                           tl_error *err)
{
    tl_mpi_coord *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    c->sc = sc;
    c->done = done;
    c->B = tl_scenario_block_reps(sc);
    c->bpp = tl_blocks_per_point(sc->replicates, c->B);
    c->nblocks = sc->npoints * c->bpp;
    c->T = tl_scenario_steps(sc);
    tl_point p0;
    c->snap_size = sc->n_snap > 0 ? tl_snapshot_size(&tl_scenario_point(sc, 0, &p0)->params) : 0;
    MPI_Comm_size(MPI_COMM_WORLD, &c->size);
    pthread_mutex_init(&c->mu, NULL);
    c->data = malloc(sizeof(double) * (size_t)c->B * (size_t)c->T * TL_NMETRICS);
    c->state = malloc((size_t)c->B);
    c->errbuf = malloc((size_t)c->B * ERR_LEN);
    c->errors = malloc(sizeof(char *) * (size_t)c->B);
    c->snaps = c->snap_size ? malloc(sizeof(float) * (size_t)c->B * (size_t)sc->n_snap * c->snap_size)
                            : NULL;
    if (!c->data || !c->state || !c->errbuf || !c->errors || (c->snap_size && !c->snaps)) {
        tl_mpi_coord_free(c);
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory for MPI buffers");
    }
    *out = c;
    return TL_OK;
}

void tl_mpi_coord_free(tl_mpi_coord *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->mu);
    free(c->data);
    free(c->state);
    free(c->errbuf);
    free(c->errors);
    free(c->snaps);
    free(c->prep_buf);
    free(c);
}

int tl_mpi_coord_next_block(void *vc)
{
    tl_mpi_coord *c = vc;
    int b = -1;
    pthread_mutex_lock(&c->mu);
    while (c->cursor < c->nblocks && c->done && c->done[c->cursor])
        c->cursor++;
    if (c->cursor < c->nblocks)
        b = c->cursor++;
    pthread_mutex_unlock(&c->mu);
    return b;
}

static int block_nrep(const tl_mpi_coord *c, int b)
{
    return tl_block_nrep(b, c->bpp, c->B, c->sc->replicates);
}

tl_status tl_mpi_coord_poll(tl_mpi_coord *c, tl_status (*deliver)(void *, const tl_block *, tl_error *),
                            void *ctx, tl_error *err)
{
    for (;;) {
        int flag = 0;
        MPI_Status s;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &s);
        if (!flag)
            return TL_OK;
        int src = s.MPI_SOURCE;
        if (s.MPI_TAG == TAG_REQ) {
            int dummy, b;
            MPI_Recv(&dummy, 1, MPI_INT, src, TAG_REQ, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            b = tl_mpi_coord_next_block(c);
            MPI_Send(&b, 1, MPI_INT, src, TAG_ASSIGN, MPI_COMM_WORLD);
            if (b < 0)
                c->ranks_done++;
            else
                c->outstanding++;
        } else if (s.MPI_TAG == TAG_HDR) {
            int hdr[5]; /* block, point, r0, nrep, bytes of the prepared block (0: none) */
            MPI_Recv(hdr, 5, MPI_INT, src, TAG_HDR, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            int b = hdr[0], nrep = hdr[3];
            if (b < 0 || b >= c->nblocks || nrep != block_nrep(c, b) || hdr[4] < 0)
                return tl_error_set(err, TL_ERR_INTERNAL, "rank %d sent an unexpected block %d",
                                    src, b);
            MPI_Recv(c->data, nrep * c->T * TL_NMETRICS, MPI_DOUBLE, src, TAG_DATA, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            MPI_Recv(c->state, nrep, MPI_UINT8_T, src, TAG_STATE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Recv(c->errbuf, nrep * ERR_LEN, MPI_CHAR, src, TAG_ERR, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            if (c->snap_size)
                MPI_Recv(c->snaps, (int)((size_t)nrep * (size_t)c->sc->n_snap * c->snap_size),
                         MPI_FLOAT, src, TAG_SNAP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            /* the chunks compressed and summaries computed by the sender, so
             * that this rank, which writes for all, only writes */
            tl_prepared *prep = NULL;
            if (hdr[4] > 0) {
                if ((size_t)hdr[4] > c->prep_cap) {
                    unsigned char *nb = realloc(c->prep_buf, (size_t)hdr[4]);
                    if (!nb)
                        return tl_error_set(err, TL_ERR_NOMEM, "out of memory for MPI buffers");
                    c->prep_buf = nb;
                    c->prep_cap = (size_t)hdr[4];
                }
                MPI_Recv(c->prep_buf, hdr[4], MPI_BYTE, src, TAG_PREP, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                prep = tl_prepared_unpack(c->prep_buf, (size_t)hdr[4], c->T);
            }
            for (int r = 0; r < nrep; r++) {
                c->errbuf[(size_t)r * ERR_LEN + ERR_LEN - 1] = 0;
                c->errors[r] = c->errbuf + (size_t)r * ERR_LEN;
            }
            tl_block blk = {hdr[1], hdr[2], nrep, c->T, c->data, c->state, c->errors,
                            c->snap_size ? c->snaps : NULL, prep};
            c->outstanding--;
            c->remote_runs += nrep;
            tl_status st = deliver(ctx, &blk, err);
            tl_prepared_free(prep);
            if (st != TL_OK)
                return st;
        } else {
            return tl_error_set(err, TL_ERR_INTERNAL, "unexpected message %d from rank %d",
                                s.MPI_TAG, src);
        }
    }
}

tl_status tl_mpi_coord_drain(tl_mpi_coord *c,
                             tl_status (*deliver)(void *, const tl_block *, tl_error *), void *ctx,
                             volatile sig_atomic_t *stop, tl_error *err)
{
    tl_status st = TL_OK;
    long ns = 50000;
    while (st == TL_OK && !tl_mpi_coord_finished(c)) {
        long before = c->remote_runs;
        struct timespec ts = {0, ns};
        if (stop && *stop)
            return tl_error_set(err, TL_ERR_INTERRUPTED, "interrupted");
        st = tl_mpi_coord_poll(c, deliver, ctx, err);
        /* asleep between polls, longer while nothing comes (at most 20 ms) */
        ns = c->remote_runs != before ? 50000 : ns * 2 < 20000000 ? ns * 2 : 20000000;
        if (st == TL_OK && !tl_mpi_coord_finished(c))
            nanosleep(&ts, NULL);
    }
    return st;
}

int tl_mpi_coord_finished(const tl_mpi_coord *c)
{
    return c->ranks_done >= c->size - 1 && c->outstanding == 0;
}

long tl_mpi_coord_remote_runs(const tl_mpi_coord *c) { return c->remote_runs; }

/* ---- workers --------------------------------------------------------------- */

typedef struct {
    const tl_scenario *sc;
    int block, given, T, B, bpp;
    size_t snap_size;
    char *errbuf;
    unsigned char *prep_buf;
    size_t prep_cap;
} worker_ctx;

/* on the worker rank's threads: the block's output work, so that rank 0,
 * which writes for all ranks, only writes */
static void *worker_prepare(void *v, const tl_block *b)
{
    worker_ctx *w = v;
    return tl_block_prepare(w->sc, b);
}


static int one_block(void *v)
{
    worker_ctx *w = v;
    if (w->given)
        return -1;
    w->given = 1;
    return w->block;
}

static tl_status send_block(void *v, const tl_block *b, tl_error *err)
{
    worker_ctx *w = v;
    int hdr[5] = {b->point * w->bpp + b->r0 / w->B, b->point, b->r0, b->nrep, 0};
    (void)err;
    if (b->prepared) {
        size_t n = tl_prepared_packed_size(b->prepared, w->T);
        if (n <= (size_t)2147483647 && n > w->prep_cap) {
            unsigned char *nb = realloc(w->prep_buf, n);
            if (nb) {
                w->prep_buf = nb;
                w->prep_cap = n;
            }
        }
        if (n <= w->prep_cap) { /* else it goes without: rank 0 compresses it */
            tl_prepared_pack(b->prepared, w->T, w->prep_buf);
            hdr[4] = (int)n;
        }
    }
    memset(w->errbuf, 0, (size_t)b->nrep * ERR_LEN);
    for (int r = 0; r < b->nrep; r++)
        strncpy(w->errbuf + (size_t)r * ERR_LEN, b->errors[r], ERR_LEN - 1);
    /* in the order rank 0 receives them; large sends wait for their receive,
     * which rank 0 posts between its own work: wait asleep */
    MPI_Request rq[6];
    int n = 0;
    MPI_Isend(hdr, 5, MPI_INT, 0, TAG_HDR, MPI_COMM_WORLD, &rq[n++]);
    MPI_Isend(b->data, b->nrep * b->steps * TL_NMETRICS, MPI_DOUBLE, 0, TAG_DATA, MPI_COMM_WORLD,
              &rq[n++]);
    MPI_Isend(b->state, b->nrep, MPI_UINT8_T, 0, TAG_STATE, MPI_COMM_WORLD, &rq[n++]);
    MPI_Isend(w->errbuf, b->nrep * ERR_LEN, MPI_CHAR, 0, TAG_ERR, MPI_COMM_WORLD, &rq[n++]);
    if (b->snaps)
        MPI_Isend(b->snaps, (int)((size_t)b->nrep * (size_t)w->sc->n_snap * w->snap_size),
                  MPI_FLOAT, 0, TAG_SNAP, MPI_COMM_WORLD, &rq[n++]);
    if (hdr[4] > 0)
        MPI_Isend(w->prep_buf, hdr[4], MPI_BYTE, 0, TAG_PREP, MPI_COMM_WORLD, &rq[n++]);
    wait_lazily(n, rq);
    return TL_OK;
}

tl_status tl_mpi_worker(const tl_scenario *sc, int threads, tl_error *err)
{
    worker_ctx w;
    tl_status st = TL_OK;
    memset(&w, 0, sizeof w);
    w.sc = sc;
    w.T = tl_scenario_steps(sc);
    w.B = tl_scenario_block_reps(sc);
    w.bpp = tl_blocks_per_point(sc->replicates, w.B);
    tl_point p0;
    w.snap_size = sc->n_snap > 0 ? tl_snapshot_size(&tl_scenario_point(sc, 0, &p0)->params) : 0;
    w.errbuf = malloc((size_t)w.B * ERR_LEN);
    if (!w.errbuf)
        return tl_error_set(err, TL_ERR_NOMEM, "out of memory");
    int req = 0, b;
    MPI_Request rq;
    MPI_Send(&req, 1, MPI_INT, 0, TAG_REQ, MPI_COMM_WORLD);
    MPI_Irecv(&b, 1, MPI_INT, 0, TAG_ASSIGN, MPI_COMM_WORLD, &rq);
    wait_lazily(1, &rq);
    while (b >= 0) {
        /* ask for the next block before running this one, so that the answer
         * is waiting when it is done (rank 0 answers between its own work):
         * at most two blocks per rank are in flight */
        MPI_Send(&req, 1, MPI_INT, 0, TAG_REQ, MPI_COMM_WORLD);
        tl_runner_opts ro = TL_RUNNER_OPTS_INIT;
        w.block = b;
        w.given = 0;
        ro.threads = threads;
        ro.on_block = send_block;
        ro.prepare = worker_prepare;
        ro.release = tl_prepared_release;
        ro.ctx = &w;
        ro.next_block = one_block;
        ro.source_ctx = &w;
        if ((st = tl_runner_run(sc, &ro, err)) != TL_OK)
            break;
        MPI_Irecv(&b, 1, MPI_INT, 0, TAG_ASSIGN, MPI_COMM_WORLD, &rq);
        wait_lazily(1, &rq); /* asleep while rank 0 is busy */
    }
    free(w.errbuf);
    free(w.prep_buf);
    return st;
}

#else /* built without MPI: one process */

int tl_mpi_start(int *argc, char ***argv, int *rank)
{
    (void)argc;
    (void)argv;
    *rank = 0;
    return 1;
}
int tl_mpi_size(int *rank)
{
    *rank = 0;
    return 1;
}
void tl_mpi_stop(void) {}
void tl_mpi_abort(int code) { (void)code; }
int tl_mpi_max(int v) { return v; }
tl_status tl_mpi_same_scenario(const char *text, tl_error *err)
{
    (void)text;
    (void)err;
    return TL_OK;
}
tl_status tl_mpi_coord_new(tl_mpi_coord **out, const tl_scenario *sc, const uint8_t *done,
                           tl_error *err)
{
    (void)sc;
    (void)done;
    *out = NULL;
    return tl_error_set(err, TL_ERR_INVALID, "built without MPI (cmake -DTILLIT_MPI=ON)");
}
int tl_mpi_coord_next_block(void *c)
{
    (void)c;
    return -1;
}
tl_status tl_mpi_coord_poll(tl_mpi_coord *c, tl_status (*deliver)(void *, const tl_block *, tl_error *),
                            void *ctx, tl_error *err)
{
    (void)c;
    (void)deliver;
    (void)ctx;
    (void)err;
    return TL_OK;
}
tl_status tl_mpi_coord_drain(tl_mpi_coord *c,
                             tl_status (*deliver)(void *, const tl_block *, tl_error *), void *ctx,
                             volatile sig_atomic_t *stop, tl_error *err)
{
    (void)c;
    (void)deliver;
    (void)ctx;
    (void)stop;
    (void)err;
    return TL_OK;
}
int tl_mpi_coord_finished(const tl_mpi_coord *c)
{
    (void)c;
    return 1;
}
long tl_mpi_coord_remote_runs(const tl_mpi_coord *c)
{
    (void)c;
    return 0;
}
void tl_mpi_coord_free(tl_mpi_coord *c) { (void)c; }
tl_status tl_mpi_worker(const tl_scenario *sc, int threads, tl_error *err)
{
    (void)sc;
    (void)threads;
    return tl_error_set(err, TL_ERR_INVALID, "built without MPI (cmake -DTILLIT_MPI=ON)");
}
#endif
