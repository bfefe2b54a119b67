/*
 * NAME
 *	dnsbl-score - what the engine thinks of an address
 * SYNOPSIS
 *	dnsbl-score [-c FILE] [-v | --json] IP...
 *	dnsbl-score [-c FILE] [-v | --json] -
 *	dnsbl-score [-c FILE] --check-config
 *	dnsbl-score [-c FILE] [--json] --health
 * DESCRIPTION
 *	Scores each address with the configured lists and prints one summary
 *	line per address (or a table with -v, or JSON), in the order given.
 *	Addresses are scored concurrently, a window at a time, so that a log's
 *	worth of addresses costs a few round trips, not one each.
 *	The manual is dnsbl-score(1).
 *	--health checks every list's RFC 5782 test points now and prints one
 *	line per list, for cron and monitoring.
 * DIAGNOSTICS
 *	Exit 0: every address scored (every list healthy). 1: a configuration
 *	error, or some input was not an address (named on stderr; the others
 *	are still scored). 2: usage error. 3: --health found a list not healthy.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define DEFAULT_CONFIG "/etc/exim4/dnsbl-score.ini"
#define WINDOW         64 /* addresses in flight at once */

struct batch;

/* One address in the window, printed in input order. */
struct slot {
    struct batch *batch;
    unsigned long seq;
    int busy, done;
    dnsbl_result *res;
};

struct batch {
    dnsbl_engine *eng;
    enum cli_format format;
    FILE *in;    /* stdin for "-", else NULL */
    char **argv; /* addresses from the command line */
    int argc, argi;
    unsigned long lineno; /* of stdin */
    char *line;           /* getline() buffer */
    size_t linecap;
    unsigned long next_seq, print_seq;
    struct slot slots[WINDOW];
    int bad_input;
    int failed;
};

/* usage - print the synopsis and exit 2 */
static void
usage(FILE *out, int status)
{
    fprintf(out, "usage: dnsbl-score [-c FILE] [-v | --json] IP...\n"
                 "       dnsbl-score [-c FILE] [-v | --json] -     (addresses on stdin)\n"
                 "       dnsbl-score [-c FILE] --check-config\n"
                 "       dnsbl-score [-c FILE] [--json] --health\n"
                 "config: -c FILE, else $DNSBL_SCORE_CONFIG, else " DEFAULT_CONFIG "\n");
    exit(status);
}

/* Lowest log level shown: --health prints its own findings, not warnings. */
static enum dnsbl_log_level cli_loglevel = DNSBL_LOG_INFO;

/* cli_log - the engine's log function: one line on stderr */
static void
cli_log(void *arg, enum dnsbl_log_level level, const char *msg)
{
    (void)arg;
    if (level <= cli_loglevel)
        fprintf(stderr, "dnsbl-score: %s%s\n", level == DNSBL_LOG_WARNING ? "warning: " : "", msg);
}

/* batch_flush - print finished results in input order */
static void
batch_flush(struct batch *b)
{
    for (;;) {
        struct slot *s = &b->slots[b->print_seq % WINDOW];

        if (!s->busy || s->seq != b->print_seq || !s->done)
            return;
        if (s->res != NULL && cli_print(stdout, b->format, s->res) != 0)
            b->failed = 1;
        dnsbl_result_free(s->res);
        memset(s, 0, sizeof(*s));
        b->print_seq++;
    }
}

/* batch_next - the next address text, or NULL at the end */
static const char *
batch_next(struct batch *b)
{
    if (b->in == NULL)
        return b->argi < b->argc ? b->argv[b->argi++] : NULL;
    while (getline(&b->line, &b->linecap, b->in) >= 0) {
        char *p = b->line, *e;

        b->lineno++;
        while (*p == ' ' || *p == '\t')
            p++;
        for (e = p + strlen(p); e > p && strchr(" \t\r\n", e[-1]); e--)
            ;
        *e = '\0';
        if (*p != '\0' && *p != '#')
            return p;
    }
    return NULL;
}

static void batch_fill(struct batch *b);

/* batch_done - a result came back */
static void
batch_done(void *arg, dnsbl_result *res)
{
    struct slot *s = arg;
    struct batch *b = s->batch;

    s->res = res;
    s->done = 1;
    if (res == NULL) {
        fprintf(stderr, "dnsbl-score: out of memory\n");
        b->failed = 1;
    }
    batch_flush(b);
    batch_fill(b);
}

/* batch_fill - start addresses until the window is full or input ends */
static void
batch_fill(struct batch *b)
{
    const char *addr;

    while (!b->slots[b->next_seq % WINDOW].busy && (addr = batch_next(b)) != NULL) {
        struct slot *s = &b->slots[b->next_seq % WINDOW];
        int rc;

        s->batch = b;
        s->busy = 1;
        s->seq = b->next_seq++;
        rc = dnsbl_score_start(b->eng, addr, batch_done, s);
        if (rc == DNSBL_OK)
            continue;
        if (b->in != NULL)
            fprintf(stderr, "dnsbl-score: stdin:%lu: '%s' %s\n", b->lineno, cli_clean(addr),
                    rc == DNSBL_EADDR ? "is not an IP address" : dnsbl_strerror(rc));
        else
            fprintf(stderr, "dnsbl-score: '%s' %s\n", cli_clean(addr),
                    rc == DNSBL_EADDR ? "is not an IP address" : dnsbl_strerror(rc));
        b->bad_input = 1;
        s->done = 1; /* nothing to print: keep the order going */
        batch_flush(b);
    }
}

/* run_batch - score everything, in order */
static int
run_batch(dnsbl_engine *eng, enum cli_format format, FILE *in, char **argv, int argc)
{
    struct batch *b = calloc(1, sizeof(*b));
    int status;

    if (b == NULL) {
        fprintf(stderr, "dnsbl-score: out of memory\n");
        return 1;
    }
    /* One line at a time: a pipeline (tail -f | dnsbl-score -) sees each
     * result when it is ready, and stderr's notes never cut a line. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    b->eng = eng;
    b->format = format;
    b->in = in;
    b->argv = argv;
    b->argc = argc;
    batch_fill(b);
    dnsbl_engine_run(eng);
    batch_flush(b);
    if (fflush(stdout) != 0)
        b->failed = 1;
    status = (b->bad_input || b->failed) ? 1 : 0;
    free(b->line);
    free(b);
    return status;
}

/* check_config - print the normalised configuration */
static int
check_config(dnsbl_engine *eng, const char *path)
{
    char *text = dnsbl_config_dump(dnsbl_engine_config(eng));
    struct stat st;

    if (stat(path, &st) == 0 && (st.st_mode & S_IROTH))
        fprintf(stderr,
                "dnsbl-score: warning: %s is world-readable; it may hold DNSBL access keys "
                "(chmod 640, group Debian-exim)\n",
                path);
    if (text == NULL) {
        fprintf(stderr, "dnsbl-score: out of memory\n");
        return 1;
    }
    fputs(text, stdout);
    free(text);
    return 0;
}

/* health - check every list now; exit 3 when one is not healthy */
static int
health(dnsbl_engine *eng, enum cli_format format)
{
    struct dnsbl_health_report *r;
    unsigned n, i;
    int bad = 0;

    if (dnsbl_health_check(eng, &r, &n) != DNSBL_OK) {
        fprintf(stderr, "dnsbl-score: out of memory\n");
        return 1;
    }
    for (i = 0; i < n; i++) {
        bad |= r[i].state != DNSBL_HEALTHY;
        cli_print_health(stdout, format, &r[i]);
    }
    free(r);
    if (fflush(stdout) != 0)
        return 1;
    return bad ? 3 : 0;
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},
        {"verbose", no_argument, NULL, 'v'},
        {"json", no_argument, NULL, 'j'},
        {"check-config", no_argument, NULL, 'k'},
        {"health", no_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *path = getenv("DNSBL_SCORE_CONFIG");
    enum cli_format format = CLI_SUMMARY;
    int check = 0, check_health = 0, opt, status, nerr;
    dnsbl_config *cfg;
    dnsbl_engine *eng;

    if (path == NULL || *path == '\0')
        path = DEFAULT_CONFIG;
    while ((opt = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            path = optarg;
            break;
        case 'v':
            format = CLI_VERBOSE;
            break;
        case 'j':
            format = CLI_JSON;
            break;
        case 'k':
            check = 1;
            break;
        case 'H':
            check_health = 1;
            cli_loglevel = DNSBL_LOG_ERROR;
            break;
        case 'h':
            usage(stdout, 0);
            break;
        default:
            usage(stderr, 2);
        }
    }
    argc -= optind;
    argv += optind;
    if (check && check_health)
        usage(stderr, 2);
    if ((check || check_health) ? argc != 0 : argc == 0)
        usage(stderr, 2);
    nerr = dnsbl_config_load(path, cli_log, NULL, &cfg);
    if (nerr != 0) {
        if (nerr > 0)
            fprintf(stderr, "dnsbl-score: %s: %d error%s\n", path, nerr, nerr == 1 ? "" : "s");
        else
            fprintf(stderr, "dnsbl-score: %s: %s\n", path, dnsbl_strerror(nerr));
        return 1;
    }
    if (dnsbl_engine_new(cfg, cli_log, NULL, &eng) != DNSBL_OK) {
        dnsbl_config_free(cfg);
        return 1;
    }
    if (check)
        status = check_config(eng, path);
    else if (check_health)
        status = health(eng, format);
    else if (argc == 1 && strcmp(argv[0], "-") == 0)
        status = run_batch(eng, format, stdin, NULL, 0);
    else
        status = run_batch(eng, format, NULL, argv, argc);
    dnsbl_engine_free(eng);
    return status;
}
