/*
 * dnsbl.h - the dnsbl-score engine: weighted, parallel DNSBL scoring
 *
 * The engine scores one client address against many DNS blocklists at once
 * and turns the weighted total into an action (accept, tag, defer, reject).
 * It is made to run inside a mail server's receiving process: it never exits,
 * aborts, prints, forks or starts threads. Errors are return values; anything
 * worth telling a human goes through the caller's log function.
 *
 * Usage (error handling shortened):
 *
 *     dnsbl_config *cfg;
 *     dnsbl_engine *eng;
 *     dnsbl_result *res;
 *
 *     if (dnsbl_config_load("/etc/exim4/dnsbl-score.ini", log_fn, log_arg, &cfg) != 0)
 *         ...;                         // each error was logged as "FILE:LINE: what"
 *     if (dnsbl_engine_new(cfg, log_fn, log_arg, &eng) != 0)
 *         ...;                         // cfg is still yours: dnsbl_config_free(cfg)
 *     if (dnsbl_score(eng, "192.0.2.1", &res) == 0) {
 *         char *line = dnsbl_summary(res);  // "ip=192.0.2.1 score=7.50 action=tag ..."
 *         ...
 *         free(line);
 *         dnsbl_result_free(res);
 *     }
 *     dnsbl_engine_free(eng);          // also frees cfg
 *
 * Many clients at once: dnsbl_score_start() for each, then dnsbl_engine_run();
 * every result reaches its callback from inside dnsbl_engine_run(), never from
 * inside dnsbl_score_start(). An address scored again while its scoring is
 * under way, or within its cache lifetime, gets a copy of the same result
 * (with cached set) and costs no query.
 *
 * Fixed point: scores, weights and thresholds are in hundredths of a point
 * (7.50 is 750), so that sums and comparisons with thresholds are exact.
 *
 * Ownership: every pointer a function returns says below who frees it and how.
 * Nothing returned points into the engine, so a result may outlive it.
 */
#ifndef DNSBL_H
#define DNSBL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes: 0 is success, errors are negative. */
#define DNSBL_OK        0
#define DNSBL_ENOMEM    (-1) /* out of memory */
#define DNSBL_EADDR     (-2) /* the text is not an IPv4 or IPv6 address */
#define DNSBL_ECONFIG   (-3) /* invalid configuration (details were logged) */
#define DNSBL_ERESOLVER (-4) /* the resolver could not be set up (details were logged) */
#define DNSBL_EINVAL    (-5) /* invalid argument */

/* dnsbl_strerror - a constant text for a return code */
const char *dnsbl_strerror(int err);

/* Log levels, most severe first. */
enum dnsbl_log_level {
    DNSBL_LOG_ERROR,   /* something failed: a config error, a resolver that cannot start */
    DNSBL_LOG_WARNING, /* the product works, but something needs an admin's attention */
    DNSBL_LOG_INFO,
    DNSBL_LOG_DEBUG
};

/*
 * dnsbl_log_fn - the caller's log function. msg is one line without a
 * newline, valid only during the call. It holds no raw bytes from DNS.
 */
typedef void dnsbl_log_fn(void *arg, enum dnsbl_log_level level, const char *msg);

/* ---- configuration ------------------------------------------------------ */

typedef struct dnsbl_config dnsbl_config;

/* Limits of the configuration, checked when it is loaded. */
#define DNSBL_MAX_LISTS  64 /* lists in one configuration */
#define DNSBL_NAME_MAX   32 /* characters in a list name */
#define DNSBL_MAX_VALUES 8  /* A records kept per list answer */

/*
 * dnsbl_config_load - read and validate an INI file
 *
 * Every problem found is logged at DNSBL_LOG_ERROR as "FILE:LINE: what is
 * wrong" (or "FILE: what" when no line is concerned), and loading goes on to
 * find the others. Returns 0 and sets *cfgp (free it with dnsbl_config_free(),
 * or hand it to dnsbl_engine_new()); else returns the number of errors found
 * (> 0) or DNSBL_ENOMEM, and leaves *cfgp NULL. log may be NULL.
 */
int dnsbl_config_load(const char *path, dnsbl_log_fn *log, void *log_arg, dnsbl_config **cfgp);

/* dnsbl_config_free - free a configuration (NULL is fine) */
void dnsbl_config_free(dnsbl_config *cfg);

/*
 * dnsbl_config_dump - the configuration in normalised INI form: every
 * setting with its effective value, defaults included. Returns a string the
 * caller frees with free(), or NULL when out of memory. It shows zones, which
 * may hold access keys: it is for the administrator, not for clients.
 */
char *dnsbl_config_dump(const dnsbl_config *cfg);

/* dnsbl_config_path - the file the configuration came from (owned by cfg) */
const char *dnsbl_config_path(const dnsbl_config *cfg);

/* dnsbl_config_timeout_ms - the budget for scoring one client */
unsigned dnsbl_config_timeout_ms(const dnsbl_config *cfg);

/*
 * dnsbl_config_threshold - tag, defer or reject, in hundredths; -1 for a
 * defer that is not set (or another action)
 */
long dnsbl_config_threshold(const dnsbl_config *cfg, int action);

/* The lists, in configuration order (for tools that read the logs). */
unsigned dnsbl_config_nlists(const dnsbl_config *cfg);
const char *dnsbl_config_list_name(const dnsbl_config *cfg, unsigned i);
int dnsbl_config_list_shadow(const dnsbl_config *cfg, unsigned i);
int dnsbl_config_list_ipv6(const dnsbl_config *cfg, unsigned i);

/*
 * dnsbl_config_code_weight - what list i makes of a value it returned, as
 * scoring does: 1 and *weight (hundredths) for a listing; 0 for an error
 * code or a value outside 127.0.0.0/8.
 */
int dnsbl_config_code_weight(const dnsbl_config *cfg, unsigned i, uint32_t value, long *weight);

/*
 * dnsbl_config_code_line - 1 when a code line of list i (written, or the
 * built-in error block) decides what the list makes of value; 0 when the
 * list's weight does.
 */
int dnsbl_config_code_line(const dnsbl_config *cfg, unsigned i, uint32_t value);

/*
 * The [actions] section: how a mail server applies a verdict. The engine
 * only reads and checks these; the Exim module acts on them. Strings are
 * owned by the configuration.
 */
struct dnsbl_actions {
    int on_error_defer;        /* on_error = defer (else accept) */
    int skip_authenticated;    /* don't score authenticated senders */
    const char *score_header;  /* "X-DNSBL-Score" */
    const char *report_header; /* "X-DNSBL-Report" */
    const char *flag_header;   /* "X-Spam-Flag: YES", or "" for none */
    const char *info_url;      /* for rejected senders, or NULL; "{ip}" is replaced */
    int reply_txt;             /* add the lists' (cleaned) TXT reasons to replies */
};

/* dnsbl_config_actions - the [actions] settings (owned by cfg) */
const struct dnsbl_actions *dnsbl_config_actions(const dnsbl_config *cfg);

/*
 * dnsbl_config_on_error - what a file that may not load says of on_error:
 * 1 for a valid "on_error = defer" in [actions], 0 for "accept", -1 when it
 * says nothing usable (or cannot be read). Nothing is logged. For the moment
 * a mail server must decide what to do although the configuration is broken.
 */
int dnsbl_config_on_error(const char *path);

/*
 * dnsbl_default_skip - is addr in the built-in skip networks (loopback,
 * RFC 1918, link-local, ULA)? 1, with the network written into net (at least
 * 64 bytes); else 0. For a mail server that must decide without a
 * configuration (it failed to load) whether a client is local.
 */
int dnsbl_default_skip(const char *addr, char *net, size_t len);

/* ---- results ------------------------------------------------------------ */

enum dnsbl_action {
    DNSBL_ACCEPT, /* total below tag */
    DNSBL_TAG,    /* total >= tag */
    DNSBL_DEFER,  /* total >= defer (when defer is set): a temporary reject */
    DNSBL_REJECT, /* total >= reject */
    DNSBL_SKIP    /* not scored: the address is in a skip network */
};

/* dnsbl_action_name - "accept", "tag", "defer", "reject" or "skip" */
const char *dnsbl_action_name(enum dnsbl_action action);

enum dnsbl_list_status {
    DNSBL_MISS,        /* NXDOMAIN, or no A record */
    DNSBL_HIT,         /* A records inside 127.0.0.0/8, not error codes */
    DNSBL_ERROR,       /* no usable answer: see error; contributes 0 */
    DNSBL_NOT_QUERIED, /* an IPv4-only list and an IPv6 client */
    DNSBL_NOT_AWAITED  /* early verdict: its answer could not change the action */
};

/* dnsbl_status_name - "miss", "hit", "error", "not-queried" or "not-awaited" */
const char *dnsbl_status_name(enum dnsbl_list_status status);

/* The outcome for one list, in configuration order. */
struct dnsbl_list_result {
    char name[DNSBL_NAME_MAX + 1]; /* the list's name (never its zone) */
    enum dnsbl_list_status status;
    char error[48];                    /* DNSBL_ERROR: "timeout", "servfail", "refused",
                                        * "rcode-N", "badanswer", "resolver",
                                        * "nonlocal-A.B.C.D", "code-A.B.C.D"; else "" */
    uint32_t values[DNSBL_MAX_VALUES]; /* A records returned, host byte order */
    unsigned nvalues;
    long weight;         /* contribution to the score, hundredths */
    char *txt;           /* cleaned TXT reason of a hit, or NULL */
    unsigned latency_ms; /* from the start of scoring to the A answer */
    int shadow;          /* a shadow list: weight is what it would add */
};

typedef struct dnsbl_result {
    char ip[46]; /* the address scored; IPv4-mapped shows as IPv4 */
    long score;  /* total, hundredths */
    enum dnsbl_action action;
    char skip[64];       /* DNSBL_SKIP: which network, e.g. "127.0.0.0/8" */
    unsigned elapsed_ms; /* time to the verdict */
    int cached;          /* 1 when reused from an earlier scoring */
    unsigned nlists;
    struct dnsbl_list_result *lists; /* nlists entries, owned by the result */
} dnsbl_result;

/* dnsbl_result_free - free a result and everything in it (NULL is fine) */
void dnsbl_result_free(dnsbl_result *res);

/*
 * dnsbl_summary - the summary line, the product's stable log format:
 *   ip=192.0.2.1 score=7.50 action=tag hits=zen:127.0.0.4:4.00 errors=spamcop:timeout
 * followed by notawaited=NAME,NAME when the early verdict did not wait for
 * some lists, and shadow=NAME:VALUES:WEIGHT,... for hits of shadow lists.
 * See dnsbl-score(1) for its grammar. Returns a string the caller frees with
 * free(), or NULL when out of memory.
 */
char *dnsbl_summary(const dnsbl_result *res);

/*
 * dnsbl_reply_text - the SMTP reply for a defer or a reject, for the sender:
 * the address, its score, the threshold reached, the names of the lists that
 * added to it (never their zones), with reply_txt their cleaned TXT reasons,
 * and [actions] info_url. One line, no reply code. Returns a string the caller frees with free(),
 * or NULL (out of memory, or an action that refuses nothing).
 */
char *dnsbl_reply_text(const dnsbl_config *cfg, const dnsbl_result *res);

/*
 * dnsbl_format_points - write hundredths as a decimal with two places
 * ("7.50", "-0.25") into buf, which holds at least DNSBL_POINTS_BUFSZ bytes.
 * Returns buf.
 */
#define DNSBL_POINTS_BUFSZ 24
char *dnsbl_format_points(long hundredths, char *buf);

/*
 * dnsbl_clean_text - copy at most len bytes of untrusted src into dst (of
 * dstlen bytes) so that it is safe in a header, a log line or an SMTP reply:
 * printable ASCII only (other bytes become '?'), white space runs become one
 * space, no leading or trailing space, cut with "..." when too long. Returns dst.
 */
char *dnsbl_clean_text(char *dst, size_t dstlen, const uint8_t *src, size_t len);

/* ---- list health ---------------------------------------------------------- */

/*
 * What the RFC 5782 test points say of a list: a working list lists
 * 127.0.0.2 and not 127.0.0.1 (and, when it has IPv6 data, ::ffff:7f00:2
 * and not ::ffff:7f00:1).
 */
enum dnsbl_health {
    DNSBL_HEALTH_UNKNOWN, /* not checked yet */
    DNSBL_HEALTHY,
    DNSBL_LYING,      /* lists what must not be listed, or answers outside
                       * 127.0.0.0/8: its answers count for nothing */
    DNSBL_SILENT,     /* does not list its own test point: dead, or not a DNSBL */
    DNSBL_REFUSING,   /* answers with its error codes (e.g. a public resolver) */
    DNSBL_UNREACHABLE /* timeouts, SERVFAIL */
};

/* dnsbl_health_name - "unknown", "healthy", "lying", "silent", "refusing", "unreachable" */
const char *dnsbl_health_name(enum dnsbl_health health);

struct dnsbl_health_report {
    char name[DNSBL_NAME_MAX + 1];
    enum dnsbl_health state;
    unsigned latency_ms; /* of the slowest test point answer */
    char evidence[256];  /* "127.0.0.2=listed:127.0.0.2 127.0.0.1=not-listed ..." */
    char advice[320];    /* what it means and what to do; "" when healthy */
};

/* ---- the engine ---------------------------------------------------------- */

typedef struct dnsbl_engine dnsbl_engine;

/*
 * dnsbl_engine_new - set up the resolver (libunbound on a private libevent
 * base) for a configuration. On success the engine owns cfg and *engp is
 * set; on failure the caller still owns cfg, the reason was logged, and the
 * return value is DNSBL_ERESOLVER or DNSBL_ENOMEM. log may be NULL.
 */
int dnsbl_engine_new(dnsbl_config *cfg, dnsbl_log_fn *log, void *log_arg, dnsbl_engine **engp);

/* dnsbl_engine_free - cancel what is outstanding, free the engine and its config */
void dnsbl_engine_free(dnsbl_engine *eng);

/* dnsbl_engine_config - the engine's configuration (owned by the engine) */
const dnsbl_config *dnsbl_engine_config(const dnsbl_engine *eng);

/*
 * dnsbl_done_fn - receives the result of one scoring. The callee owns res
 * and frees it with dnsbl_result_free(). res is NULL only when memory ran
 * out. Called from dnsbl_engine_run().
 */
typedef void dnsbl_done_fn(void *arg, dnsbl_result *res);

/*
 * dnsbl_score_start - start scoring addr (IPv4, IPv6, or IPv4-mapped IPv6).
 * Returns 0, and later done(arg, result) is called from dnsbl_engine_run();
 * or DNSBL_EADDR when addr is not an address, or DNSBL_ENOMEM; then done is
 * never called.
 */
int dnsbl_score_start(dnsbl_engine *eng, const char *addr, dnsbl_done_fn *done, void *done_arg);

/*
 * dnsbl_engine_run - run the event loop until every scoring started has
 * delivered its result. Each scoring ends within its time budget. Returns 0.
 */
int dnsbl_engine_run(dnsbl_engine *eng);

/*
 * dnsbl_score - score one address and wait for it: dnsbl_score_start() plus
 * dnsbl_engine_run(). Returns 0 and sets *resp (free with dnsbl_result_free()),
 * or an error as dnsbl_score_start().
 */
int dnsbl_score(dnsbl_engine *eng, const char *addr, dnsbl_result **resp);

/*
 * dnsbl_score_within - dnsbl_score() with a budget of at most budget_ms
 * (when it is shorter than the configured one): for callers that must
 * answer before a deadline of their own.
 */
int dnsbl_score_within(dnsbl_engine *eng, const char *addr, unsigned budget_ms,
                       dnsbl_result **resp);

/*
 * dnsbl_health_check - check every list now (the test points, all at once,
 * within the budget) and report, in configuration order. Returns 0 and sets
 * *reports to an array of *nreports entries the caller frees with free(),
 * or DNSBL_ENOMEM. Scoring checks lists by itself, at most once per
 * [scoring] health_interval; this is for monitoring.
 */
int dnsbl_health_check(dnsbl_engine *eng, struct dnsbl_health_report **reports, unsigned *nreports);

#ifdef __cplusplus
}
#endif

#endif /* DNSBL_H */
