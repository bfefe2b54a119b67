/*
 * NAME
 *	job - score one client: every list at once, within one budget
 * DESCRIPTION
 *	A job sends the A query of every list (and the TXT query of lists with
 *	txt = yes) together, then waits in the engine's event loop for the
 *	answers or for the budget timer, whichever comes first. A list whose
 *	answer has not come when the budget ends is an error ("timeout") and
 *	contributes nothing; the others still count.
 *
 *	Results are delivered only from the event loop, through a separate
 *	event, never from inside job_start(): libunbound may answer from its
 *	cache before ub_resolve_event() returns, and a caller called back from
 *	inside its own call is how re-entrancy bugs are bred (Postfix's rule).
 *
 *	With [scoring] early_verdict, the job also ends as soon as the answers
 *	still missing cannot change the action (job_settled): a dead list then
 *	delays only the clients whose fate it could change. Lists not awaited
 *	are reported as such, not as misses.
 *
 *	The health of each list (health.c) is checked alongside, when it is
 *	stale: a hit waits for its list's check, sent at the same moment, so
 *	that a lying list (one that lists everything) never counts, not even
 *	for the first message of a process. A hit whose check has not come
 *	when the budget ends is not trusted ("unverified").
 */
#include <arpa/nameser.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

/* Longest cleaned TXT reason kept in a result. */
#define JOB_TXT_MAX 200

/* One more receiver of a job's result: the same address asked again meanwhile. */
struct waiter {
    dnsbl_done_fn *done;
    void *done_arg;
    struct waiter *next;
};

struct job_list {
    struct ask *a, *txt; /* outstanding queries; NULL once answered, or never asked */
};

struct job {
    dnsbl_engine *eng;
    dnsbl_result *res;
    dnsbl_done_fn *done;
    void *done_arg;
    struct waiter *waiters;
    struct job *next_active;
    struct event *timer;   /* the budget */
    struct event *deliver; /* made active once the result is complete */
    struct timespec start;
    unsigned ttl; /* smallest TTL among the answers, for the cache */
    int sending;  /* queries are still being sent: don't end yet */
    int ended;
    int early;           /* ended by the early verdict */
    struct event *grace; /* armed by the first answer: see job_settled */
    int grace_over;
    struct event *recheck; /* a hit's wait for its list's health check ends */
    struct job_list lists[];
};

/*
 * job_health_deadline - how long (from the start) a hit waits for its
 * list's health check. The check was sent with the real query, to the same
 * server: its answers come about together. When they have not come by
 * twice the hit's latency plus 10 ms, they are lost, not slow; a list that
 * lists everything answers its test points as fast as anything else, so
 * the hit counts.
 */
static unsigned
job_health_deadline(const struct dnsbl_list_result *lr)
{
    return 2 * lr->latency_ms + 10;
}

/* job_hit_unverified - list i hit, and its health check is still due */
static int
job_hit_unverified(const struct job *job, unsigned i)
{
    const struct dnsbl_list_result *lr = &job->res->lists[i];

    return lr->status == DNSBL_HIT && health_pending(job->eng, i) &&
           eng_ms_since(&job->start) < job_health_deadline(lr);
}

/* job_verdict_list - a list's last word: timeouts, and what its health says */
static void
job_verdict_list(struct job *job, unsigned i)
{
    struct job_list *jl = &job->lists[i];
    struct dnsbl_list_result *lr = &job->res->lists[i];

    if (jl->a != NULL && job->early) {
        lr->status = DNSBL_NOT_AWAITED; /* could not have changed the action */
    } else if (jl->a != NULL) {
        lr->status = DNSBL_ERROR;
        snprintf(lr->error, sizeof(lr->error), "timeout");
        lr->latency_ms = eng_ms_since(&job->start);
    } else if (lr->status != DNSBL_NOT_QUERIED && health_state(job->eng, i) == DNSBL_LYING) {
        /* A lying list counts for nothing, whatever it answered. */
        lr->status = DNSBL_ERROR;
        snprintf(lr->error, sizeof(lr->error), "lying");
    } else if (job_hit_unverified(job, i)) {
        /* Nor a hit whose list's check, on time so far, was cut short. */
        lr->status = DNSBL_ERROR;
        snprintf(lr->error, sizeof(lr->error), "unverified");
    }
    if (lr->status != DNSBL_HIT) {
        lr->weight = 0;
        free(lr->txt); /* the reason of something that is not a listing */
        lr->txt = NULL;
    }
    ask_drop(jl->a);
    ask_drop(jl->txt);
    jl->a = jl->txt = NULL;
}

/* job_end - stop waiting: time out what is missing, add up, deliver */
static void
job_end(struct job *job)
{
    const struct dnsbl_config *cfg = job->eng->cfg;
    unsigned i;

    if (job->ended)
        return;
    job->ended = 1;
    evtimer_del(job->timer);
    if (job->grace != NULL)
        evtimer_del(job->grace);
    if (job->recheck != NULL)
        evtimer_del(job->recheck);
    for (i = 0; i < job->res->nlists; i++)
        job_verdict_list(job, i);
    score_total(cfg, job->res);
    job->res->elapsed_ms = eng_ms_since(&job->start);
    cache_put(job->eng->cache, job->res, eng_now(),
              job->ttl < cfg->cache_seconds ? job->ttl : cfg->cache_seconds);
    event_active(job->deliver, EV_TIMEOUT, 1);
}

/*
 * job_settled - can the lists still unanswered change the action? Each adds
 * anything from its smallest to its largest weight (0: a miss); answered
 * lists add what they did (a lying list nothing). When the lowest and the
 * highest possible totals give the same action, nothing missing can change
 * it (the action grows with the total).
 *
 * Only lists slower than the others are left out: the early verdict waits
 * until 1.5 times the first answer's latency plus 5 ms (the grace), so that
 * lists answering about together are all heard, and a dead or slow list
 * costs about one round trip more, not the budget.
 */
static int
job_settled(const struct job *job)
{
    const struct dnsbl_config *cfg = job->eng->cfg;
    long lo = 0, hi = 0;
    unsigned i;

    if (!job->grace_over)
        return 0;
    for (i = 0; i < job->res->nlists; i++) {
        const struct dnsbl_list_result *lr = &job->res->lists[i];

        if (health_state(job->eng, i) == DNSBL_LYING)
            continue;
        if (job->lists[i].a != NULL) {
            lo += cfg->lists[i].min_weight;
            hi += cfg->lists[i].max_weight;
        } else if (lr->status == DNSBL_HIT && !lr->shadow) {
            lo += lr->weight;
            hi += lr->weight;
        }
    }
    return score_action(cfg, lo) == score_action(cfg, hi);
}

/* job_check - end the job once nothing it waits for is missing, or matters */
static void
job_check(struct job *job)
{
    unsigned i;
    int missing = 0;

    if (job->sending || job->ended)
        return;
    for (i = 0; i < job->res->nlists; i++) {
        const struct job_list *jl = &job->lists[i];

        /* A hit's reason, and its list's health check, are awaited: asked
         * with it, they come with it (a lost check: job_health_deadline). */
        if ((job->res->lists[i].status == DNSBL_HIT && jl->txt != NULL) ||
            job_hit_unverified(job, i))
            return;
        missing |= jl->a != NULL;
    }
    if (missing && !(job->eng->cfg->early_verdict && job_settled(job)))
        return;
    job->early = missing;
    job_end(job);
}

/* job_grace_over - the grace after the first answer has passed */
static void
job_grace_over(evutil_socket_t fd, short what, void *arg)
{
    struct job *job = arg;

    (void)fd;
    (void)what;
    job->grace_over = 1;
    job_check(job);
}

/* job_recheck - a hit's wait for its health check is over: look again */
static void
job_recheck(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    job_check(arg);
}

/* job_hit_waits - a hit came while its list's check is out: look again later */
static void
job_hit_waits(struct job *job, const struct dnsbl_list_result *lr)
{
    unsigned deadline = job_health_deadline(lr), now = eng_ms_since(&job->start);
    struct timeval tv = eng_timeval(deadline > now ? deadline - now + 1 : 1);

    if (job->recheck == NULL &&
        (job->recheck = evtimer_new(job->eng->base, job_recheck, job)) == NULL)
        return; /* out of memory: the budget still ends the wait */
    if (!evtimer_pending(job->recheck, NULL))
        evtimer_add(job->recheck, &tv);
}

/* job_first_answer - arm the grace timer (see job_settled) */
static void
job_first_answer(struct job *job, unsigned latency_ms)
{
    /* The grace ends 1.5 x latency + 5 ms after the start, and it is now
     * latency after the start. */
    struct timeval tv = eng_timeval(latency_ms / 2 + 5);

    if (!job->eng->cfg->early_verdict || job->grace != NULL)
        return;
    if ((job->grace = evtimer_new(job->eng->base, job_grace_over, job)) != NULL)
        evtimer_add(job->grace, &tv);
}

/* job_health_changed - see engine.h */
void
job_health_changed(dnsbl_engine *eng)
{
    struct job *job, *next;

    for (job = eng->active; job != NULL; job = next) {
        next = job->next_active;
        job_check(job);
    }
}

/* job_answer - an answer to one of the job's queries (ask_fn) */
static void
job_answer(void *owner, unsigned i, int qtype, int err, const struct ans_result *ans)
{
    struct job *job = owner;
    struct dnsbl_list_result *lr = &job->res->lists[i];
    char clean[JOB_TXT_MAX + 1];

    if (qtype == ns_t_a) {
        job->lists[i].a = NULL;
        lr->latency_ms = eng_ms_since(&job->start);
        job_first_answer(job, lr->latency_ms);
        score_answer(&job->eng->cfg->lists[i], err, ans, lr);
        if (lr->status == DNSBL_HIT && ans->ttl < job->ttl)
            job->ttl = ans->ttl;
        if (lr->status == DNSBL_HIT && health_pending(job->eng, i))
            job_hit_waits(job, lr);
        health_note_answer(job->eng, i, lr);
    } else {
        job->lists[i].txt = NULL;
        if (err == 0 && ans->error == NULL && ans->rcode == ns_r_noerror && ans->txtlen > 0) {
            dnsbl_clean_text(clean, sizeof(clean), (const uint8_t *)ans->txt, ans->txtlen);
            free(lr->txt);
            lr->txt = clean[0] ? strdup(clean) : NULL; /* no memory: no reason, nothing worse */
        }
    }
    job_check(job);
}

/* job_unlink - take the job off the engine's active list */
static void
job_unlink(struct job *job)
{
    struct job **pp;

    for (pp = &job->eng->active; *pp != NULL; pp = &(*pp)->next_active) {
        if (*pp == job) {
            *pp = job->next_active;
            return;
        }
    }
}

/* job_join - see engine.h */
int
job_join(dnsbl_engine *eng, const char *ip, dnsbl_done_fn *done, void *done_arg)
{
    struct job *job;
    struct waiter *w;

    for (job = eng->active; job != NULL; job = job->next_active)
        if (strcmp(job->res->ip, ip) == 0)
            break;
    if (job == NULL || (w = calloc(1, sizeof(*w))) == NULL)
        return -1;
    w->done = done;
    w->done_arg = done_arg;
    w->next = job->waiters;
    job->waiters = w;
    eng->njobs++;
    return 0;
}

/* job_deliver - from the event loop: hand the result over, free the job */
static void
job_deliver(evutil_socket_t fd, short what, void *arg)
{
    struct job *job = arg;
    dnsbl_done_fn *done = job->done;
    void *done_arg = job->done_arg;
    dnsbl_result *res = job->res;
    struct waiter *w = job->waiters, *next;

    (void)fd;
    (void)what;
    job_unlink(job);
    if (job->timer != NULL)
        event_free(job->timer);
    if (job->grace != NULL)
        event_free(job->grace);
    if (job->recheck != NULL)
        event_free(job->recheck);
    event_free(job->deliver);
    job->eng->njobs--;
    for (; w != NULL; w = next) {
        dnsbl_result *copy = result_copy(res);

        next = w->next;
        job->eng->njobs--;
        if (copy != NULL)
            copy->cached = 1;
        w->done(w->done_arg, copy);
        free(w);
    }
    free(job);
    done(done_arg, res);
}

/* job_timeout - the budget is spent */
static void
job_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    job_end(arg);
}

/* job_send - the queries of every list that applies to this address */
static void
job_send(struct job *job, const struct net_addr *a)
{
    const struct dnsbl_config *cfg = job->eng->cfg;
    char qname[NS_MAXDNAME];
    unsigned i;

    for (i = 0; i < cfg->nlists; i++) {
        const struct cfg_list *l = &cfg->lists[i];
        struct dnsbl_list_result *lr = &job->res->lists[i];

        if (a->family != AF_INET && !l->ipv6) {
            lr->status = DNSBL_NOT_QUERIED;
            continue;
        }
        if (net_query_name(a, l->zone, qname, sizeof(qname)) != 0 ||
            ask_send(job->eng, qname, ns_t_a, job_answer, job, i, &job->lists[i].a) != 0) {
            lr->status = DNSBL_ERROR; /* the loader bounds zones: a resolver failure */
            snprintf(lr->error, sizeof(lr->error), "resolver");
            continue;
        }
        if (l->txt)
            (void)ask_send(job->eng, qname, ns_t_txt, job_answer, job, i, &job->lists[i].txt);
    }
}

/* job_new - a job with its events; NULL when out of memory */
static struct job *
job_new(dnsbl_engine *eng, dnsbl_result *res, int timed, dnsbl_done_fn *done, void *done_arg)
{
    struct job *job = calloc(1, sizeof(*job) + eng->cfg->nlists * sizeof(job->lists[0]));

    if (job == NULL)
        return NULL;
    job->eng = eng;
    job->res = res;
    job->done = done;
    job->done_arg = done_arg;
    job->ttl = ~0u;
    clock_gettime(CLOCK_MONOTONIC, &job->start);
    job->deliver = event_new(eng->base, -1, 0, job_deliver, job);
    if (timed)
        job->timer = evtimer_new(eng->base, job_timeout, job);
    if (job->deliver == NULL || (timed && job->timer == NULL)) {
        if (job->timer != NULL)
            event_free(job->timer);
        if (job->deliver != NULL)
            event_free(job->deliver);
        free(job);
        return NULL;
    }
    eng->njobs++;
    return job;
}

/* job_start - see engine.h */
int
job_start(dnsbl_engine *eng, const struct net_addr *a, const char *ip, unsigned budget_ms,
          dnsbl_done_fn *done, void *done_arg)
{
    const struct dnsbl_config *cfg = eng->cfg;
    unsigned ms = budget_ms > 0 && budget_ms < cfg->timeout_ms ? budget_ms : cfg->timeout_ms;
    struct timeval budget = eng_timeval(ms);
    dnsbl_result *res = result_new(cfg, ip);
    struct job *job;

    if (res == NULL)
        return DNSBL_ENOMEM;
    if ((job = job_new(eng, res, 1, done, done_arg)) == NULL) {
        dnsbl_result_free(res);
        return DNSBL_ENOMEM;
    }
    evtimer_add(job->timer, &budget);
    job->next_active = eng->active;
    eng->active = job;
    job->sending = 1;
    health_refresh(eng, 0); /* test points of stale lists, alongside */
    job_send(job, a);
    job->sending = 0;
    job_check(job);
    return DNSBL_OK;
}

/* job_ready - deliver a result that needs no query (skipped, cached) */
int
job_ready(dnsbl_engine *eng, dnsbl_result *res, dnsbl_done_fn *done, void *done_arg)
{
    struct job *job = job_new(eng, res, 0, done, done_arg);

    if (job == NULL)
        return DNSBL_ENOMEM;
    job->ended = 1;
    event_active(job->deliver, EV_TIMEOUT, 1);
    return DNSBL_OK;
}
