/*
 * NAME
 *	ls_dlfunc - score from an ACL, at RCPT time
 * SYNOPSIS
 *	warn  set acl_m_dnsbl = ${dlfunc{/usr/lib/exim4/local_scan/dnsbl-score.so}\
 *	                                 {dnsbl_check}{$sender_host_address}}
 *	deny  condition = ${if eq{${extract{action}{$acl_m_dnsbl}}}{reject}}
 *	      message   = ${extract{message}{$acl_m_dnsbl}}
 * DESCRIPTION
 *	dnsbl_check scores one address with the same engine, configuration and
 *	per-process cache as local_scan(), so that local_scan() later reuses the
 *	result instead of asking the lists again. It yields key="value" pairs
 *	for ${extract}:
 *	  action   accept, tag, defer, reject, or skip
 *	  score    the total, two decimals ("7.50")
 *	  score100 the total in hundredths ("750"): Exim compares integers
 *	  lists    the names of the lists that added to the score, space separated
 *	  message  the SMTP text for defer and reject, else empty
 *	  summary  the summary line
 *	  skip     why the address was not scored (skip network, authenticated, local)
 *	  error    what went wrong, when the module could not score
 *	It never fails: a failed or forced-failed expansion would leave the ACL
 *	variable with its old value, and a stale "reject" from an earlier call
 *	would refuse the wrong mail. When it cannot score, it logs why and
 *	yields action=skip (with error=), or action=defer under on_error = defer.
 *	The argument defaults to $sender_host_address.
 *
 *	When dnsbl-score is compiled into Exim, this file is compiled into it
 *	too, as dnsbl_check_builtin (LS_BUILTIN); ${dlfunc} still needs the
 *	.so, whose dnsbl_check then hands the call to the built-in one, so that
 *	RCPT time and local_scan share one engine and one cache.
 */
#define DLFUNC_IMPL
#include <local_scan.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ls.h"

#ifdef LS_BUILTIN
#define LS_CHECK dnsbl_check_builtin
#else
#define LS_CHECK dnsbl_check
#endif

LS_EXPORT int LS_CHECK(uschar **yield, int argc, uschar *argv[]);

/* ls_quote - value for ${extract}: quotes and backslashes escaped */
static const char *
ls_quote(const char *s)
{
    size_t n = 0, i;
    uschar *q;

    for (i = 0; s[i]; i++)
        n += (s[i] == '"' || s[i] == '\\') ? 2 : 1;
    q = store_get((int)n + 3, GET_UNTAINTED);
    n = 0;
    q[n++] = '"';
    for (i = 0; s[i]; i++) {
        if (s[i] == '"' || s[i] == '\\')
            q[n++] = '\\';
        q[n++] = (uschar)s[i];
    }
    q[n++] = '"';
    q[n] = '\0';
    return (const char *)q;
}

/* ls_yield_unscored - the record for an address not scored */
static int
ls_yield_unscored(uschar **yield, const char *action, const char *key, const char *why,
                  const char *message)
{
    *yield =
        string_sprintf("action=%s score=0.00 score100=0 lists=\"\" message=%s summary=\"\" %s=%s",
                       action, ls_quote(message), key, ls_quote(why));
    return OK;
}

/* ls_yield_trouble - log, then accept or defer as on_error says */
static int
ls_yield_trouble(uschar **yield, const struct ls_state *st, const char *addr, const char *why)
{
    char clean[64]; /* the argument comes from the ACL: show it cleaned */

    dnsbl_clean_text(clean, sizeof(clean), (const uint8_t *)addr, strlen(addr));
    ls_log("ACL check of %s not done: %s (on_error = %s)", clean, why,
           st->on_error_defer ? "defer" : "accept");
    return ls_yield_unscored(yield, st->on_error_defer ? "defer" : "skip", "error", why,
                             st->on_error_defer ? LS_ERROR_TEXT : "");
}

/* ls_yield_result - the record for a scored address */
static int
ls_yield_result(uschar **yield, const struct ls_state *st, const dnsbl_result *res)
{
    char score[DNSBL_POINTS_BUFSZ], lists[DNSBL_MAX_LISTS * (DNSBL_NAME_MAX + 1) + 1] = "";
    char *summary = dnsbl_summary(res), *reply = dnsbl_reply_text(st->cfg, res);
    size_t o = 0;
    unsigned i;

    for (i = 0; i < res->nlists; i++)
        if (res->lists[i].status == DNSBL_HIT && res->lists[i].weight > 0 && !res->lists[i].shadow)
            o += (size_t)snprintf(lists + o, sizeof(lists) - o, "%s%s", o ? " " : "",
                                  res->lists[i].name);
    *yield =
        string_sprintf("action=%s score=%s score100=%ld lists=%s message=%s summary=%s%s%s",
                       dnsbl_action_name(res->action), dnsbl_format_points(res->score, score),
                       res->score, ls_quote(lists), ls_quote(reply ? reply : ""),
                       ls_quote(summary ? summary : ""), res->action == DNSBL_SKIP ? " skip=" : "",
                       res->action == DNSBL_SKIP ? ls_quote(res->skip) : "");
    free(summary);
    free(reply);
    return OK;
}

#ifndef LS_BUILTIN
/* ls_builtin - the dnsbl_check compiled into this Exim, or NULL */
static exim_dlfunc_t *
ls_builtin(void)
{
    static exim_dlfunc_t *builtin;
    static int looked;
    void *sym;

    if (!looked) {
        looked = 1;
        if ((sym = dlsym(RTLD_DEFAULT, "dnsbl_check_builtin")) != NULL)
            memcpy(&builtin, &sym, sizeof(builtin)); /* object to function pointer */
    }
    return builtin;
}
#endif

/* dnsbl_check - see DESCRIPTION */
int
LS_CHECK(uschar **yield, int argc, uschar *argv[])
{
    const char *addr = argc > 0 ? (const char *)argv[0] : (const char *)sender_host_address;
    struct ls_state *st;
    dnsbl_result *res;
    int rc;

#ifndef LS_BUILTIN
    if (ls_builtin() != NULL)
        return ls_builtin()(yield, argc, argv);
#endif
    st = ls_state();
    if (addr == NULL || *addr == '\0')
        return ls_yield_unscored(yield, "skip", "skip", "local", "");
    /* Skips first, so that the module's own trouble never defers them. */
    if (st->act->skip_authenticated && ls_is_authenticated())
        return ls_yield_unscored(yield, "skip", "skip", "authenticated", "");
    if (st->eng == NULL) {
        char net[64];

        if (dnsbl_default_skip(addr, net, sizeof(net)))
            return ls_yield_unscored(yield, "skip", "skip", net, "");
        return ls_yield_trouble(yield, st, addr, st->why);
    }
    rc = dnsbl_score(st->eng, addr, &res);
    if (rc == DNSBL_EADDR)
        return ls_yield_trouble(yield, st, addr, "the argument is not an IP address");
    if (rc != DNSBL_OK)
        return ls_yield_trouble(yield, st, addr, dnsbl_strerror(rc));
    rc = ls_yield_result(yield, st, res);
    dnsbl_result_free(res);
    return rc;
}
