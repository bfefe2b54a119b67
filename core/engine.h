/*
 * engine.h - the engine object, shared by engine.c and job.c
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <sys/time.h>
#include <time.h>

#include "dnsbl_int.h"

struct event_base;
struct ub_ctx;
struct ask;
struct job;
struct health;

struct dnsbl_engine {
    struct dnsbl_config *cfg;
    struct log_sink log;
    struct event_base *base;
    struct ub_ctx *ub;
    struct cache *cache;
    unsigned njobs;        /* started and not yet delivered */
    struct job *active;    /* jobs with queries out, for joining */
    struct ask *orphans;   /* queries whose asker left before their answer */
    struct health *health; /* one per list (health.c) */
};

#define ENG_CACHE_SLOTS 64

/* eng_now - seconds on a monotonic clock, for cache lifetimes */
long eng_now(void);

/* eng_ms_since - milliseconds on the monotonic clock since start (0 if negative) */
unsigned eng_ms_since(const struct timespec *start);

/* eng_timeval - milliseconds as libevent takes a timeout */
struct timeval eng_timeval(unsigned ms);

/*
 * job_start - score the parsed address a (its text in ip) within budget_ms
 * (0, or more than configured: the configured budget) and deliver the result
 * to done from the event loop. 0, or DNSBL_ENOMEM.
 */
int job_start(dnsbl_engine *eng, const struct net_addr *a, const char *ip, unsigned budget_ms,
              dnsbl_done_fn *done, void *done_arg);

/*
 * job_ready - deliver res (which the job takes) to done from the event loop:
 * for results that need no query. 0, or DNSBL_ENOMEM (res is still yours).
 */
int job_ready(dnsbl_engine *eng, dnsbl_result *res, dnsbl_done_fn *done, void *done_arg);

/*
 * job_join - when a job for ip is under way, add done as one more receiver
 * of (a copy of) its result and return 0; else -1.
 */
int job_join(dnsbl_engine *eng, const char *ip, dnsbl_done_fn *done, void *done_arg);

/* ---- ask.c: one query under way ---- */

/*
 * ask_fn - an answer (or err, a libunbound failure) for the query an asker
 * sent as slot. The callee must forget its pointer to the ask first thing:
 * the ask is freed when the callback returns.
 */
typedef void ask_fn(void *owner, unsigned slot, int qtype, int err, const struct ans_result *ans);

/* ask_send - send a query; *slotp is set before the answer can come. 0 or an error */
int ask_send(dnsbl_engine *eng, const char *qname, int qtype, ask_fn *fn, void *owner,
             unsigned slot, struct ask **slotp);

/* ask_drop - the asker no longer wants the answer (NULL is fine) */
void ask_drop(struct ask *a);

/* ask_free_orphans - when the engine goes: queries that will never be answered */
void ask_free_orphans(dnsbl_engine *eng);

/* ---- health.c: the health of each list (RFC 5782 test points) ---- */

/* health_new / health_free - the engine's per-list health records */
struct health *health_new(dnsbl_engine *eng, const struct dnsbl_config *cfg);
void health_free(dnsbl_engine *eng);

/* health_refresh - check the lists whose health is unknown or stale (all: force) */
void health_refresh(dnsbl_engine *eng, int force);

/* health_pending - is a check of list i under way? */
int health_pending(const dnsbl_engine *eng, unsigned i);

/* health_state - what the last check of list i found */
enum dnsbl_health health_state(const dnsbl_engine *eng, unsigned i);

/* health_note_answer - a real answer can show trouble too (a refusal code) */
void health_note_answer(dnsbl_engine *eng, unsigned i, const struct dnsbl_list_result *lr);

/* job_health_changed - a check ended: jobs waiting for it may end (job.c) */
void job_health_changed(dnsbl_engine *eng);

#endif /* ENGINE_H */
