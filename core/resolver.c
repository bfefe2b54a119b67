/*
 * NAME
 *	resolver - the libunbound context the engine resolves with
 * DESCRIPTION
 *	One libunbound context per engine, on the engine's libevent base, so
 *	that every query runs in the calling thread: no thread, no forked
 *	helper, as a library inside Exim's receiving process must. It forwards
 *	to [resolver] forwarders, or to the servers in resolv.conf. Its caches
 *	are sized for a process that scores a handful of clients, not for a
 *	resolver daemon. libunbound's own diagnostics go nowhere: the engine
 *	must not print, and every failure shows in the result of the list.
 *
 *	What a process pays before its first answer, in instructions counted
 *	by callgrind (docs/PERFORMANCE.md): 31.7 M with libunbound's defaults,
 *	25.3 M with the options below. Of the rest, 19.2 M is libunbound
 *	seeding its random generator twice (yarrow256 over nettle: 1500 SHA-256
 *	rounds each), which no option avoids. What the options cut:
 *	- module-config: iterator: no DNSSEC validator to set up; DNSBL answers
 *	  are not signed, and the engine trusts its resolver anyway;
 *	- unblock-lan-zones, insecure-lan-zones: none of the RFC 1918 and other
 *	  local reverse zones libunbound would build (never asked here);
 *	- outgoing-range 256: fewer port structures than the default 4096,
 *	  still more than a batch of 64 clients asks at once.
 */
#define _GNU_SOURCE /* fopencookie */
#include <stdio.h>
#include <unbound-event.h>
#include <unbound.h>

#include "dnsbl_int.h"

/* Options for a small, forwarding-only context. */
static const char *const res_options[][2] = {
    {"do-not-query-localhost:", "no"}, /* forwarders on 127.0.0.1 are the norm */
    {"module-config:", "iterator"},
    {"unblock-lan-zones:", "yes"},
    {"insecure-lan-zones:", "yes"},
    {"msg-cache-size:", "256k"},
    {"rrset-cache-size:", "256k"},
    {"key-cache-size:", "32k"},
    {"neg-cache-size:", "32k"},
    {"msg-cache-slabs:", "1"},
    {"rrset-cache-slabs:", "1"},
    {"key-cache-slabs:", "1"},
    {"infra-cache-slabs:", "1"},
    {"infra-cache-numhosts:", "64"},
    {"outgoing-range:", "256"},
    /* 64 clients in flight with up to 64 lists each (A and TXT), plus health
     * checks: above it libunbound drops queries. */
    {"num-queries-per-thread:", "8192"},
};

/* res_discard - a write function that drops libunbound's messages */
static ssize_t
res_discard(void *cookie, const char *buf, size_t len)
{
    (void)cookie;
    (void)buf;
    return (ssize_t)len;
}

/* res_quiet - a stream that goes nowhere, made once per process */
static FILE *
res_quiet(void)
{
    static FILE *quiet;
    static const cookie_io_functions_t io = {NULL, res_discard, NULL, NULL};

    if (quiet == NULL)
        quiet = fopencookie(NULL, "w", io);
    return quiet;
}

/* res_new - create and configure; NULL (and a logged reason) on failure */
struct ub_ctx *
res_new(struct event_base *base, const struct dnsbl_config *cfg, const struct log_sink *log)
{
    struct ub_ctx *ub = ub_ctx_create_event(base);
    size_t i;
    int rc;

    if (ub == NULL) {
        log_msg(log, DNSBL_LOG_ERROR, "libunbound: cannot create a resolver context");
        return NULL;
    }
    if (res_quiet() != NULL)
        (void)ub_ctx_debugout(ub, res_quiet());
    for (i = 0; i < sizeof(res_options) / sizeof(res_options[0]); i++) {
        if ((rc = ub_ctx_set_option(ub, res_options[i][0], res_options[i][1])) != 0) {
            log_msg(log, DNSBL_LOG_ERROR, "libunbound: option %s %s: %s", res_options[i][0],
                    res_options[i][1], ub_strerror(rc));
            goto fail;
        }
    }
    for (i = 0; i < cfg->nforwarders; i++) {
        if ((rc = ub_ctx_set_fwd(ub, cfg->forwarders[i])) != 0) {
            log_msg(log, DNSBL_LOG_ERROR, "%s: forwarder %s: %s", cfg->path, cfg->forwarders[i],
                    ub_strerror(rc));
            goto fail;
        }
    }
    if (cfg->nforwarders == 0) {
        const char *path = cfg->resolv_conf ? cfg->resolv_conf : "/etc/resolv.conf";

        if ((rc = ub_ctx_resolvconf(ub, path)) != 0) {
            log_msg(log, DNSBL_LOG_ERROR, "cannot read the resolvers from %s: %s", path,
                    ub_strerror(rc));
            goto fail;
        }
    }
    return ub;

fail:
    ub_ctx_delete(ub);
    return NULL;
}
