/* knowledge.c — organisational code and employees' beliefs: March's (1991) mutual learning (mechanism 11).
 *
 * The rules follow March's paper as his original program is read by
 * Christensen (2015) and coded by Workiewicz (github Mac13kW/March_1991_Original):
 * within a period, turbulence flips reality, every employee acts on their
 * beliefs (a 0 belief acts as a coin flip), employees are socialised one step
 * toward the code (opposite -> 0 -> code) with probability p1 per dimension
 * where the code has a view, and the code moves to the majority action of the
 * employees whose actions scored better than the code, with probability
 * 1-(1-p2)^k (k = majority minus minority). Turnover (a new employee with
 * uniformly random beliefs) happens before, in workforce.c. With
 * fast_learner_share > 0 some positions are held by fast learners, socialised
 * at p1_fast instead of p1 (March's figures 2 and 3). */
#include <gsl/gsl_randist.h>

#include "sim_internal.h"

static int8_t random_belief(gsl_rng *r)
{
    /* -1, 0 or +1 with equal probability (March 1991) */
    return (int8_t)((int)gsl_rng_uniform_int(r, 3) - 1);
}

static void score_employee(tl_sim *s, int32_t i)
{
    const int8_t *b = s->belief + (size_t)i * (size_t)s->nd;
    int32_t right = 0;
    for (int32_t d = 0; d < s->nd; d++)
        right += b[d] == s->reality[d];
    s->knowledge[i] = (float)right / (float)s->nd;
}

void tl_knowledge_random_beliefs(tl_sim *s, int32_t i, gsl_rng *r)
{
    int8_t *b = s->belief + (size_t)i * (size_t)s->nd;
    for (int32_t d = 0; d < s->nd; d++)
        b[d] = random_belief(r);
    score_employee(s, i);
}

int tl_knowledge_is_fast(const tl_sim *s, int32_t i)
{
    /* nf = round(share x ne) positions, spread evenly over the index (and so
     * over the units, whose employees are contiguous): i is fast when
     * floor((i+1) nf / ne) > floor(i nf / ne). No random draw. */
    int64_t ne = s->ne, nf = (int64_t)(s->p.fast_learner_share * (double)ne + 0.5);
    return nf > 0 && ((int64_t)i + 1) * nf / ne > (int64_t)i * nf / ne;
}

void tl_knowledge_init(tl_sim *s)
{
    gsl_rng *r = s->rng[TL_STREAM_INIT];
    for (int32_t d = 0; d < s->nd; d++) {
        s->reality[d] = tl_rng_uniform(r) < 0.5 ? -1 : 1;
        s->code[d] = 0;
    }
}

int32_t tl_knowledge_code_score(const tl_sim *s)
{
    int32_t sc = 0;
    for (int32_t d = 0; d < s->nd; d++)
        sc += s->code[d] * s->reality[d];
    return sc;
}

void tl_knowledge_step(tl_sim *s)
{
    gsl_rng *r = s->rng[TL_STREAM_KNOWLEDGE];
    const tl_regime *R = &s->r;
    const int32_t nd = s->nd;

    /* turbulence: citizens' real needs drift */
    if (s->p.turbulence > 0)
        for (int32_t d = 0; d < nd; d++)
            if (tl_rng_uniform(r) < s->p.turbulence)
                s->reality[d] = (int8_t)-s->reality[d];

    /* act on beliefs (0 = coin flip) and score the actions against reality */
    for (int32_t i = 0; i < s->ne; i++) {
        const int8_t *b = s->belief + (size_t)i * (size_t)nd;
        int8_t *a = s->act + (size_t)i * (size_t)nd;
        int32_t perf = 0;
        for (int32_t d = 0; d < nd; d++) {
            a[d] = b[d] != 0 ? b[d] : (tl_rng_uniform(r) < 0.5 ? -1 : 1);
            perf += a[d] * s->reality[d];
        }
        s->score[i] = perf;
    }

    /* socialisation: one step toward the code where it has a view (no
     * draws for an employee whose rate is 0) */
    for (int32_t i = 0; i < s->ne; i++) {
        double p1 = tl_knowledge_is_fast(s, i) ? R->p1_fast : R->p1;
        if (!(p1 > 0))
            continue;
        int8_t *b = s->belief + (size_t)i * (size_t)nd;
        for (int32_t d = 0; d < nd; d++) {
            int8_t c = s->code[d];
            if (c != 0 && b[d] != c && tl_rng_uniform(r) < p1)
                b[d] = b[d] == 0 ? c : 0;
        }
    }

    /* the code learns from the superior group's actions */
    int32_t cs = tl_knowledge_code_score(s);
    for (int32_t d = 0; d < nd; d++)
        s->votes[d] = 0;
    for (int32_t i = 0; i < s->ne; i++) {
        if (s->score[i] <= cs)
            continue;
        const int8_t *a = s->act + (size_t)i * (size_t)nd;
        for (int32_t d = 0; d < nd; d++)
            s->votes[d] += a[d];
    }
    for (int32_t d = 0; d < nd; d++) {
        int32_t k = s->votes[d] > 0 ? s->votes[d] : -s->votes[d];
        int8_t maj = (int8_t)(s->votes[d] > 0 ? 1 : (s->votes[d] < 0 ? -1 : 0));
        if (maj != 0 && s->code[d] != maj && tl_rng_uniform(r) < tl_mech_code_adopt_prob(R->p2, k))
            s->code[d] = maj;
    }

    for (int32_t i = 0; i < s->ne; i++)
        score_employee(s, i);
}
