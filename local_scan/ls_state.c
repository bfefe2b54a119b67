/*
 * NAME
 *	ls_state - the module's per-process state: configuration and engine
 * DESCRIPTION
 *	Exim forks a process per SMTP connection and loads the module in it on
 *	first use. The INI file is read, and the engine (resolver context,
 *	event base, cache) made, once per process, on the first message or ACL
 *	call; every later call in the process reuses them. A failure is also
 *	remembered: it is logged once, in detail (FILE:LINE for the INI file),
 *	and each message after that gets one short line and the on_error action.
 *
 *	The INI path: the `begin local_scan` option dnsbl_score_config (Exim
 *	built with LOCAL_SCAN_HAS_OPTIONS), else $DNSBL_SCORE_CONFIG (Exim clears
 *	its environment: use add_environment or keep_environment), else
 *	LS_DEFAULT_CONFIG. on_error comes from the INI file; when the file cannot
 *	be loaded, from what it says anyway (a valid on_error line), else from
 *	the option dnsbl_score_on_error or $DNSBL_SCORE_ON_ERROR, else accept.
 */
#define LOCAL_SCAN
#include <local_scan.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "ls.h"

/* Margin kept between the end of the budget and Exim's local_scan alarm. */
#define LS_ALARM_MARGIN_MS 500

static struct ls_state state;
static int state_ready;

/* What [actions] says when the configuration could not be loaded. */
static const struct dnsbl_actions ls_default_actions = {
    0, 1, "X-DNSBL-Score", "X-DNSBL-Report", "X-Spam-Flag: YES", NULL, 0,
};

/* ls_log - see ls.h */
void
ls_log(const char *fmt, ...)
{
    char line[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    log_write(0, LOG_MAIN, "%s %s", LS_TAG, line);
}

/* ls_engine_log - the engine's log function: its lines go to the main log */
static void
ls_engine_log(void *arg, enum dnsbl_log_level level, const char *msg)
{
    (void)arg;
    if (level <= DNSBL_LOG_INFO) /* errors, warnings, and lists healthy again */
        ls_log("%s%s", level == DNSBL_LOG_WARNING ? "warning: " : "", msg);
}

/* ls_env - a setting from the environment, or NULL */
static const char *
ls_env(const char *name)
{
    const char *v = getenv(name);

    return v != NULL && *v != '\0' ? v : NULL;
}

/* ls_is_authenticated - see ls.h */
int
ls_is_authenticated(void)
{
    uschar *id = expand_string(US "$authenticated_id");

    return (id != NULL && *id != '\0') || sender_host_authenticated != NULL;
}

/* ls_unscored - the once-per-process line: why (after "FILE: " when the
 * file is to blame), and what messages get */
static void
ls_unscored(const struct ls_state *st, const char *file)
{
    ls_log("%s%s%s; messages are %s unscored (on_error = %s)", file ? file : "", file ? ": " : "",
           st->why, st->on_error_defer ? "deferred, not accepted" : "accepted",
           st->on_error_defer ? "defer" : "accept");
}

/* ls_fallback_on_error - on_error when the INI file cannot say */
static int
ls_fallback_on_error(const char *path)
{
    const char *v =
        ls_opt_on_error ? (const char *)ls_opt_on_error : ls_env("DNSBL_SCORE_ON_ERROR");
    int said = dnsbl_config_on_error(path);

    if (said >= 0)
        return said; /* the broken file still says it */
    return v != NULL && strcmp(v, "defer") == 0;
}

/* ls_setup - read the configuration, make the engine */
static void
ls_setup(struct ls_state *st)
{
    dnsbl_config *cfg;
    struct stat sb;
    int rc;

    st->path = ls_opt_config ? (const char *)ls_opt_config : ls_env("DNSBL_SCORE_CONFIG");
    if (st->path == NULL)
        st->path = LS_DEFAULT_CONFIG;
    rc = dnsbl_config_load(st->path, ls_engine_log, NULL, &cfg);
    if (rc != 0) {
        st->on_error_defer = ls_fallback_on_error(st->path);
        st->why = rc > 0 ? "the configuration is invalid" : dnsbl_strerror(rc);
        ls_unscored(st, st->path);
        return;
    }
    st->on_error_defer = dnsbl_config_actions(cfg)->on_error_defer;
    if (stat(st->path, &sb) == 0 && (sb.st_mode & S_IROTH))
        ls_log("warning: %s is world-readable; it may hold DNSBL access keys (chmod o-r)",
               st->path);
    rc = dnsbl_engine_new(cfg, ls_engine_log, NULL, &st->eng);
    if (rc != 0) {
        st->why = "the resolver could not be set up";
        ls_unscored(st, NULL);
        dnsbl_config_free(cfg);
        return;
    }
    st->cfg = dnsbl_engine_config(st->eng);
}

/* ls_state - see ls.h */
struct ls_state *
ls_state(void)
{
    if (!state_ready) {
        state_ready = 1;
        ls_setup(&state);
        state.act = state.cfg ? dnsbl_config_actions(state.cfg) : &ls_default_actions;
    }
    return &state;
}

/* ls_budget_ms - see ls.h */
unsigned
ls_budget_ms(const struct ls_state *st)
{
    static int warned;
    unsigned budget = dnsbl_config_timeout_ms(st->cfg);
    struct itimerval it;
    long left;

    /* Exim arms alarm(local_scan_timeout) around local_scan(); read what is
     * left without touching it. No alarm: no limit but our own. */
    if (getitimer(ITIMER_REAL, &it) != 0 || (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0))
        return budget;
    left = (long)it.it_value.tv_sec * 1000 + it.it_value.tv_usec / 1000 - LS_ALARM_MARGIN_MS;
    if (left >= (long)budget)
        return budget;
    if (!warned) {
        warned = 1;
        ls_log("warning: local_scan_timeout leaves %ld ms, less than timeout_ms (%u) plus a "
               "margin of %d ms: the budget is cut to fit; raise local_scan_timeout",
               left + LS_ALARM_MARGIN_MS, budget, LS_ALARM_MARGIN_MS);
    }
    return left > 0 ? (unsigned)left : 0;
}
