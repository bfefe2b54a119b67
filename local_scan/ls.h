/*
 * ls.h - the Exim module's private interfaces (local_scan/)
 *
 * The module is thin glue between Exim and the engine (core/dnsbl.h): the
 * engine is made once per Exim process (ls_state.c) and shared by
 * local_scan() (ls_main.c) and the ACL function (ls_dlfunc.c). This header
 * does not include Exim's local_scan.h (which has no include guard and must
 * be included once, after LOCAL_SCAN or DLFUNC_IMPL is defined), so that it
 * can be used by every file here.
 */
#ifndef LS_H
#define LS_H

#include "dnsbl.h"

/* Exported to Exim: everything else in the .so is hidden. */
#define LS_EXPORT __attribute__((visibility("default")))

/* Where the INI file is when nothing says otherwise. */
#ifndef LS_DEFAULT_CONFIG
#define LS_DEFAULT_CONFIG "/etc/exim4/dnsbl-score.ini"
#endif

/* The prefix of every log line the module writes, easy to grep. */
#define LS_TAG "dnsbl-score:"

/*
 * `begin local_scan` options, when Exim is built with them (ls_main.c):
 * Exim sets them while it reads its configuration, before any call.
 */
extern unsigned char *ls_opt_config;
extern unsigned char *ls_opt_on_error;

/* The per-process state. */
struct ls_state {
    dnsbl_engine *eng; /* NULL when set-up failed */
    const dnsbl_config *cfg;
    const struct dnsbl_actions *act; /* the configuration's, or the defaults without one */
    const char *path;                /* of the INI file */
    int on_error_defer;              /* what to do when the module cannot score */
    const char *why;                 /* when eng is NULL: what failed, for the per-message line */
};

/*
 * ls_state - the state, set up on the first call in this process: the INI
 * file read once, the engine made once; failures logged once, in detail.
 * Never NULL.
 */
struct ls_state *ls_state(void);

/* ls_is_authenticated - did the client authenticate (AUTH)? (ls_state.c) */
int ls_is_authenticated(void);

/* ls_log - one line in Exim's main log, prefixed with LS_TAG (ls_state.c) */
void ls_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * ls_budget_ms - the time the engine may take now: the configured budget,
 * cut to what Exim's local_scan_timeout alarm leaves (with a margin), so that
 * the module never relies on Exim's SIGALRM to stop it. 0: no time at all.
 */
unsigned ls_budget_ms(const struct ls_state *st);

/* ls_error_text - the reply for a message the module could not score */
#define LS_ERROR_TEXT                                                                              \
    "Temporary local problem: the DNS blocklist check is unavailable; try again later"

#endif /* LS_H */
