/*
 * NAME
 *	dnsbl-tune - each list's weight, from your own mail
 * SYNOPSIS
 *	dnsbl-tune [-c CURRENT.ini] [--max-fp RATE] [--json] [--write-ini FILE]
 *	           --ham FILE... --spam FILE... [FILE...]
 * DESCRIPTION
 *	Reads summary lines (at the start of a line, as dnsbl-score - prints
 *	them, or right after an Exim message id, as in Exim's main log; see
 *	tune_read.c) from files labelled ham or spam, and says
 *	what each list is worth on this mail: hits on spam and ham, the weight
 *	the data supports, what it alone catches, and what the current and the
 *	suggested weights and thresholds reject and tag. "-" is standard
 *	input. Files after --ham are ham until --spam, and the other way round;
 *	files before either are read but carry no label. The manual is
 *	dnsbl-tune(1); how to collect the labels is docs/TUNING.md.
 * DIAGNOSTICS
 *	Exit 0; 1 when a file cannot be read, the configuration is invalid,
 *	there is no labelled line, or --write-ini fails; 2 usage error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tune.h"

/* usage - print the synopsis and exit */
static void
usage(FILE *out, int status)
{
    fprintf(out, "usage: dnsbl-tune [-c CURRENT.ini] [--max-fp RATE] [--json] [--write-ini FILE]\n"
                 "                  --ham FILE... --spam FILE... [FILE...]\n");
    exit(status);
}

/* tune_log - configuration errors, on stderr */
static void
tune_log(void *arg, enum dnsbl_log_level level, const char *msg)
{
    (void)arg;
    if (level <= DNSBL_LOG_WARNING)
        fprintf(stderr, "dnsbl-tune: %s\n", msg);
}

/* read_file - one input, "-" for stdin */
static int
read_file(struct tune_data *d, const char *path, enum tune_label label)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    int rc;

    if (in == NULL) {
        fprintf(stderr, "dnsbl-tune: %s: %s\n", path, strerror(errno));
        return -1;
    }
    rc = tune_read(d, in, label);
    if (rc != 0)
        fprintf(stderr, "dnsbl-tune: %s: read error\n", path);
    if (in != stdin)
        fclose(in);
    return rc;
}

/* take_config - the configuration's lists, first and in their order */
static void
take_config(struct tune_data *d, const dnsbl_config *cfg)
{
    unsigned i;

    for (i = 0; i < dnsbl_config_nlists(cfg); i++) {
        const char *name = dnsbl_config_list_name(cfg, i);
        int k = tune_list_index(d, name, strlen(name));

        if (k < 0)
            continue;
        d->lists[k].cfg_index = (int)i;
        d->lists[k].shadow = dnsbl_config_list_shadow(cfg, i);
        d->lists[k].ipv6 = dnsbl_config_list_ipv6(cfg, i);
    }
}

int
main(int argc, char **argv)
{
    static struct tune_data d;
    static struct tune_result r;
    const char *cfg_path = NULL, *write_path = NULL;
    enum tune_label label = TUNE_NONE;
    dnsbl_config *cfg = NULL;
    double max_fp = 0.001;
    int json = 0, i, status = 0, options = 1, nfiles = 0;
    /* The files, with the label each was given, read once -c is loaded. */
    struct {
        const char *path;
        enum tune_label label;
    } *files = calloc((size_t)argc, sizeof(*files));
    char *end;

    if (files == NULL) {
        fprintf(stderr, "dnsbl-tune: out of memory\n");
        return 1;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (options && strcmp(a, "--") == 0) {
            options = 0;
        } else if (options && strcmp(a, "--ham") == 0) {
            label = TUNE_HAM;
        } else if (options && strcmp(a, "--spam") == 0) {
            label = TUNE_SPAM;
        } else if (options && strcmp(a, "--json") == 0) {
            json = 1;
        } else if (options && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            usage(stdout, 0);
        } else if (options && (strcmp(a, "-c") == 0 || strcmp(a, "--max-fp") == 0 ||
                               strcmp(a, "--write-ini") == 0)) {
            if (++i == argc)
                usage(stderr, 2);
            if (a[1] == 'c')
                cfg_path = argv[i];
            else if (strcmp(a, "--write-ini") == 0)
                write_path = argv[i];
            else if (max_fp = strtod(argv[i], &end),
                     !(max_fp >= 0 && max_fp < 1) || *end != '\0' || end == argv[i])
                usage(stderr, 2); /* NaN fails the comparison too */
            else
                max_fp += 0.0; /* -0 is 0 */
        } else if (options && a[0] == '-' && a[1] != '\0') {
            usage(stderr, 2);
        } else {
            files[nfiles].path = a;
            files[nfiles++].label = label;
        }
    }
    if (write_path != NULL && cfg_path == NULL) {
        fprintf(stderr, "dnsbl-tune: --write-ini needs -c: the lists' zones come from it\n");
        free(files);
        return 2;
    }
    if (cfg_path != NULL) {
        int nerr = dnsbl_config_load(cfg_path, tune_log, NULL, &cfg);

        if (nerr != 0) {
            fprintf(stderr, "dnsbl-tune: %s: %s\n", cfg_path,
                    nerr > 0 ? "invalid configuration" : dnsbl_strerror(nerr));
            free(files);
            return 1;
        }
        take_config(&d, cfg);
    }
    for (i = 0; i < nfiles; i++)
        if (read_file(&d, files[i].path, files[i].label) != 0)
            status = 1;
    free(files);
    if (cfg != NULL) {
        unsigned k;

        tune_config_errors(&d, cfg);
        for (k = 0; k < d.nlists; k++)
            if (d.lists[k].cfg_index < 0)
                fprintf(stderr,
                        "dnsbl-tune: list %s is in the lines but not in %s: reported, and left "
                        "out of the configurations counted and written\n",
                        d.lists[k].name, cfg_path);
    }
    if (d.too_many_lists)
        fprintf(stderr, "dnsbl-tune: more than %d lists: the others are left out\n",
                TUNE_MAX_LISTS);
    if (d.count[TUNE_HAM] == 0 || d.count[TUNE_SPAM] == 0) {
        fprintf(stderr, "dnsbl-tune: no %s lines: label files with --ham and --spam\n",
                d.count[TUNE_HAM] == 0 ? "ham" : "spam");
        status = 1;
    } else if (tune_analyse(&d, cfg, max_fp, &r) != 0) {
        fprintf(stderr, "dnsbl-tune: out of memory\n");
        status = 1;
    } else {
        tune_report(stdout, &d, &r, json);
        if (write_path != NULL && tune_write_ini(write_path, cfg, &d, &r) != 0) {
            fprintf(stderr, "dnsbl-tune: %s: cannot write: %s\n", write_path, strerror(errno));
            status = 1;
        }
    }
    tune_result_free(&r);
    tune_data_free(&d);
    dnsbl_config_free(cfg);
    return status;
}
