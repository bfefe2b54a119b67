/*
 * NAME
 *	engine - the engine's public entry points
 * DESCRIPTION
 *	An engine is made once per process: the configuration, a libevent
 *	base, a libunbound context on it and a small cache of results. Each
 *	scoring is a job (job.c); the caller drives the event loop through
 *	dnsbl_engine_run() or dnsbl_score(), in its own thread.
 *
 *	Before any query: an address that is not one is refused at once; an
 *	address in a skip network, or one scored recently, gets its result
 *	without a query (still delivered from the event loop).
 */
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unbound-event.h>
#include <unbound.h>

#include "engine.h"

/* eng_now - see engine.h */
long
eng_now(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)now.tv_sec;
}

/* eng_ms_since - see engine.h */
unsigned
eng_ms_since(const struct timespec *start)
{
    struct timespec now;
    long ms;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
    return ms < 0 ? 0 : (unsigned)ms;
}

/* eng_timeval - see engine.h */
struct timeval
eng_timeval(unsigned ms)
{
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};

    return tv;
}

/* dnsbl_engine_new - see dnsbl.h */
int
dnsbl_engine_new(dnsbl_config *cfg, dnsbl_log_fn *log, void *log_arg, dnsbl_engine **engp)
{
    dnsbl_engine *eng = calloc(1, sizeof(*eng));
    int rc;

    *engp = NULL;
    if (eng == NULL)
        return DNSBL_ENOMEM;
    eng->log.fn = log;
    eng->log.arg = log_arg;
    if ((eng->base = event_base_new()) == NULL ||
        (eng->cache = cache_new(ENG_CACHE_SLOTS)) == NULL) {
        log_msg(&eng->log, DNSBL_LOG_ERROR, "cannot set up the event loop: out of memory");
        rc = DNSBL_ENOMEM;
        goto fail;
    }
    if ((eng->health = health_new(eng, cfg)) == NULL) {
        rc = DNSBL_ENOMEM;
        goto fail;
    }
    if ((eng->ub = res_new(eng->base, cfg, &eng->log)) == NULL) {
        rc = DNSBL_ERESOLVER;
        goto fail;
    }
    eng->cfg = cfg;
    *engp = eng;
    return DNSBL_OK;
fail:
    free(eng->health);
    cache_free(eng->cache);
    if (eng->base != NULL)
        event_base_free(eng->base);
    free(eng);
    return rc;
}

/* dnsbl_engine_free - see dnsbl.h */
void
dnsbl_engine_free(dnsbl_engine *eng)
{
    if (eng == NULL)
        return;
    health_free(eng);       /* cancels its queries */
    ub_ctx_delete(eng->ub); /* no callback runs after this */
    ask_free_orphans(eng);
    cache_free(eng->cache);
    event_base_free(eng->base);
    dnsbl_config_free(eng->cfg);
    free(eng);
}

/* dnsbl_engine_config - see dnsbl.h */
const dnsbl_config *
dnsbl_engine_config(const dnsbl_engine *eng)
{
    return eng->cfg;
}

/* eng_skip - a result saying which skip network holds the address, or NULL */
static dnsbl_result *
eng_skip(const dnsbl_engine *eng, const struct net_addr *a, const char *ip, int *nomem)
{
    const struct dnsbl_config *cfg = eng->cfg;
    dnsbl_result *res;
    size_t i;

    for (i = 0; i < cfg->nskip; i++) {
        if (!net_prefix_contains(&cfg->skip[i], a))
            continue;
        if ((res = result_new(cfg, ip)) == NULL) {
            *nomem = 1;
            return NULL;
        }
        res->action = DNSBL_SKIP;
        res->nlists = 0; /* nothing was asked */
        net_format_prefix(&cfg->skip[i], res->skip, sizeof(res->skip));
        return res;
    }
    return NULL;
}

/* eng_start - start a scoring with a budget of at most budget_ms (0: configured) */
static int
eng_start(dnsbl_engine *eng, const char *addr, unsigned budget_ms, dnsbl_done_fn *done,
          void *done_arg)
{
    struct net_addr a;
    char ip[64];
    dnsbl_result *res;
    int nomem = 0, rc;

    if (eng == NULL || addr == NULL || done == NULL)
        return DNSBL_EINVAL;
    if (net_parse_addr(addr, &a) != 0)
        return DNSBL_EADDR;
    net_format_addr(&a, ip, sizeof(ip));
    res = eng_skip(eng, &a, ip, &nomem);
    if (res == NULL && !nomem)
        res = cache_get(eng->cache, ip, eng_now());
    if (nomem)
        return DNSBL_ENOMEM;
    if (res == NULL && job_join(eng, ip, done, done_arg) == 0)
        return DNSBL_OK;
    if (res == NULL)
        return job_start(eng, &a, ip, budget_ms, done, done_arg);
    if ((rc = job_ready(eng, res, done, done_arg)) != DNSBL_OK)
        dnsbl_result_free(res);
    return rc;
}

/* dnsbl_score_start - see dnsbl.h */
int
dnsbl_score_start(dnsbl_engine *eng, const char *addr, dnsbl_done_fn *done, void *done_arg)
{
    return eng_start(eng, addr, 0, done, done_arg);
}

/* dnsbl_engine_run - see dnsbl.h */
int
dnsbl_engine_run(dnsbl_engine *eng)
{
    while (eng->njobs > 0)
        if (event_base_loop(eng->base, EVLOOP_ONCE) < 0)
            break; /* libevent failed: not seen; never spin */
    return DNSBL_OK;
}

/* dnsbl_score_done - dnsbl_score()'s callback: keep the result */
static void
dnsbl_score_done(void *arg, dnsbl_result *res)
{
    *(dnsbl_result **)arg = res;
}

/* dnsbl_score_within - see dnsbl.h */
int
dnsbl_score_within(dnsbl_engine *eng, const char *addr, unsigned budget_ms, dnsbl_result **resp)
{
    int rc;

    *resp = NULL;
    if ((rc = eng_start(eng, addr, budget_ms, dnsbl_score_done, resp)) != DNSBL_OK)
        return rc;
    dnsbl_engine_run(eng);
    return *resp != NULL ? DNSBL_OK : DNSBL_ENOMEM;
}

/* dnsbl_score - see dnsbl.h */
int
dnsbl_score(dnsbl_engine *eng, const char *addr, dnsbl_result **resp)
{
    return dnsbl_score_within(eng, addr, 0, resp);
}
