/*
 * NAME
 *	ls_main - local_scan(): score the client of each message
 * SYNOPSIS
 *	Debian:  local_scan_path = /usr/lib/exim4/local_scan/dnsbl-score.so
 *	Source:  LOCAL_SCAN_SOURCE=.../local_scan/ls_main.c in Local/Makefile
 * DESCRIPTION
 *	For each message received over the network: score the client address,
 *	log the summary line next to the message id, replace any copies of
 *	X-DNSBL-Score and X-DNSBL-Report that came with the message (a sender
 *	must not forge a score) with its own, add the flag header at tag, and
 *	refuse the message with 451 (defer) or 550 (reject) - unless every
 *	recipient is a postmaster, whom RFC 5321 says must be reachable.
 *	Not scored: local submissions (no client address; nothing is added),
 *	skip networks, authenticated senders, and clients an ACL marked with
 *	acl_m_dnsbl_skip (relay clients, in exim-conf/acl-rcpt.conf); the
 *	report header says why.
 *	When the module itself is in trouble (configuration, resolver, no time
 *	left), it logs what happened and applies on_error: accept without score
 *	headers, or defer. It never rejects for its own trouble.
 *
 *	This file is also the one source Exim's build compiles when the module
 *	is compiled into Exim; then `begin local_scan` options exist:
 *	dnsbl_score_config and dnsbl_score_on_error.
 */
#define LOCAL_SCAN
#include <local_scan.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ls.h"

uschar *ls_opt_config;
uschar *ls_opt_on_error;

#ifdef LOCAL_SCAN_HAS_OPTIONS
/* `begin local_scan` options, sorted by name as Exim requires. */
optionlist local_scan_options[] = {
    {"dnsbl_score_config", opt_stringptr, {.value = &ls_opt_config}},
    {"dnsbl_score_on_error", opt_stringptr, {.value = &ls_opt_on_error}},
};
int local_scan_options_count = sizeof(local_scan_options) / sizeof(local_scan_options[0]);
#endif

/* Debian's loader refuses (or crashes on) a module without these. */
LS_EXPORT int local_scan_version_major(void);
LS_EXPORT int local_scan_version_minor(void);
LS_EXPORT int local_scan(int fd, uschar **return_text);

/* local_scan_version_major - the local_scan ABI this module was built for */
int
local_scan_version_major(void)
{
    return LOCAL_SCAN_ABI_VERSION_MAJOR;
}

/* local_scan_version_minor - the local_scan ABI this module was built for */
int
local_scan_version_minor(void)
{
    return LOCAL_SCAN_ABI_VERSION_MINOR;
}

/* ls_remove - drop every copy of a header ("Name" or "Name: value") */
static void
ls_remove(const char *header)
{
    char name[80];
    size_t n = strcspn(header, ":");

    if (n == 0 || n >= sizeof(name))
        return;
    memcpy(name, header, n);
    name[n] = '\0';
    header_remove(0, US name);
}

/* ls_add_report - the report header, folded between keys (RFC 5322 lines) */
static void
ls_add_report(const char *header, const char *summary, const char *skip)
{
    uschar *text =
        string_sprintf("%s: %s%s%s", header, summary, skip ? " skip=" : "", skip ? skip : "");
    uschar *folded = store_get(Ustrlen(text) * 2 + 4, GET_UNTAINTED);
    size_t col = 0, o = 0, i;

    for (i = 0; text[i] != '\0'; i++) {
        /* Fold before a key when the line would pass 78 columns. */
        if (text[i] == ' ' && col > 0) {
            size_t next = strcspn((const char *)text + i + 1, " ");

            if (col + 1 + next > 78) {
                memcpy(folded + o, "\n\t", 2);
                o += 2;
                col = 1;
                continue;
            }
        }
        folded[o++] = text[i];
        col++;
    }
    folded[o] = '\0';
    header_add(' ', "%s\n", folded);
}

/*
 * ls_judged - the message is this pass's to judge (not skipped): copies of
 * the score headers that came with it go, scored or not, since a sender must
 * not forge a score. Skipped messages keep theirs: a content filter handing
 * mail back from 127.0.0.1 keeps the first pass's headers. The flag header
 * is only replaced when it is added (a DATA ACL may have set it).
 */
static void
ls_judged(const struct dnsbl_actions *act)
{
    ls_remove(act->score_header);
    ls_remove(act->report_header);
}

/* ls_trouble - the module cannot score: log it, apply on_error */
static int
ls_trouble(const struct ls_state *st, uschar **return_text, const char *why,
           const struct dnsbl_actions *act)
{
    ls_judged(act);
    ls_log("message not scored: %s (on_error = %s)", why, st->on_error_defer ? "defer" : "accept");
    if (!st->on_error_defer)
        return LOCAL_SCAN_ACCEPT;
    *return_text = US LS_ERROR_TEXT;
    return LOCAL_SCAN_TEMPREJECT;
}

/* ls_acl_skip - why an ACL said not to score this message ($acl_m_dnsbl_skip), or NULL */
static const char *
ls_acl_skip(char *buf, size_t len)
{
    uschar *why = expand_string(US "$acl_m_dnsbl_skip");

    if (why == NULL || *why == '\0')
        return NULL;
    /* Set by the admin's ACL, maybe from client data: clean, no spaces. */
    dnsbl_clean_text(buf, len, why, strlen((const char *)why));
    for (char *p = buf; *p; p++)
        if (*p == ' ')
            *p = '_';
    return buf;
}

/* ls_add_skipped - the report header of a client not scored */
static void
ls_add_skipped(const struct dnsbl_actions *act, const char *why)
{
    char line[128];

    snprintf(line, sizeof(line),
             "ip=%s score=0.00 action=skip hits= errors=", (const char *)sender_host_address);
    ls_add_report(act->report_header, line, why);
}

/*
 * ls_postmaster_only - is every recipient the postmaster of one of our
 * domains (+local_domains, when the configuration defines that list)?
 */
static int
ls_postmaster_only(void)
{
    int i;

    for (i = 0; i < recipients_count; i++) {
        uschar *a = recipients_list[i].address;

        if (strncasecmp((const char *)a, "postmaster@", 11) != 0 ||
            lss_match_domain(a + 11, US "+local_domains") != OK)
            return 0;
    }
    return recipients_count > 0;
}

/* ls_apply - headers, log line and verdict for a scored message */
static int
ls_apply(const struct ls_state *st, const dnsbl_result *res, uschar **return_text)
{
    const struct dnsbl_actions *act = st->act;
    char score[DNSBL_POINTS_BUFSZ], *summary = dnsbl_summary(res), *reply;
    int refuse;

    if (summary == NULL)
        return ls_trouble(st, return_text, "out of memory", act);
    if (res->action == DNSBL_SKIP) {
        ls_add_report(act->report_header, summary, res->skip);
        free(summary);
        return LOCAL_SCAN_ACCEPT;
    }
    ls_log("%s", summary); /* Exim puts the message id in front */
    ls_judged(act);
    header_add(' ', "%s: %s (%s)\n", act->score_header, dnsbl_format_points(res->score, score),
               dnsbl_action_name(res->action));
    ls_add_report(act->report_header, summary, NULL);
    free(summary);
    refuse = res->action == DNSBL_DEFER || res->action == DNSBL_REJECT;
    if (refuse && ls_postmaster_only()) {
        ls_log("not refused: every recipient is a postmaster, who must be reachable (RFC 5321)");
        refuse = 0;
    }
    if (!refuse && res->action != DNSBL_ACCEPT && *act->flag_header != '\0') {
        ls_remove(act->flag_header);
        header_add(' ', "%s\n", act->flag_header);
    }
    if (!refuse)
        return LOCAL_SCAN_ACCEPT;
    if ((reply = dnsbl_reply_text(st->cfg, res)) == NULL)
        return ls_trouble(st, return_text, "out of memory", act);
    *return_text = string_copy(US reply);
    free(reply);
    return res->action == DNSBL_REJECT ? LOCAL_SCAN_REJECT : LOCAL_SCAN_TEMPREJECT;
}

/* local_scan - Exim's entry point, once per message */
int
local_scan(int fd, uschar **return_text)
{
    struct ls_state *st;
    const struct dnsbl_actions *act;
    dnsbl_result *res;
    char skipbuf[64];
    const char *why;
    unsigned budget;
    int rc;

    (void)fd;
    if (sender_host_address == NULL)
        return LOCAL_SCAN_ACCEPT; /* local submission: not scored, nothing added */
    st = ls_state();
    act = st->act;
    /* Not scored: say why, and leave the message's headers alone (a content
     * filter handing mail back from 127.0.0.1 keeps the first pass's). */
    if (act->skip_authenticated && ls_is_authenticated()) {
        ls_add_skipped(act, "authenticated");
        return LOCAL_SCAN_ACCEPT;
    }
    if ((why = ls_acl_skip(skipbuf, sizeof(skipbuf))) != NULL) {
        ls_add_skipped(act, why);
        return LOCAL_SCAN_ACCEPT;
    }
    if (st->eng == NULL) {
        /* Without a configuration, the built-in skip networks still hold:
         * a content filter on 127.0.0.1 is not deferred for our trouble. */
        if (dnsbl_default_skip((const char *)sender_host_address, skipbuf, sizeof(skipbuf))) {
            ls_add_skipped(act, skipbuf);
            return LOCAL_SCAN_ACCEPT;
        }
        return ls_trouble(st, return_text, st->why, act);
    }
    if ((budget = ls_budget_ms(st)) == 0)
        return ls_trouble(st, return_text, "local_scan_timeout leaves no time to score", act);
    rc = dnsbl_score_within(st->eng, (const char *)sender_host_address, budget, &res);
    if (rc != DNSBL_OK)
        return ls_trouble(st, return_text, dnsbl_strerror(rc), act);
    rc = ls_apply(st, res, return_text);
    dnsbl_result_free(res);
    return rc;
}
