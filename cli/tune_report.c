/*
 * NAME
 *	tune_report - dnsbl-tune's report, its JSON, and the INI file it writes
 * DESCRIPTION
 *	The report: per list (and per return code where the data allows) the
 *	hits on spam and on ham, their rates, the false-positive/spam ratio,
 *	the weight the data supports with a note on its confidence, and the
 *	spam no other list catches; then, for each policy, the ham and spam it
 *	rejects and tags. The INI file is the -c configuration, normalised,
 *	with the suggested weights and thresholds, each with a comment saying
 *	where it came from, and checked by loading it before it is kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tune.h"

/* tune_pct - a rate as text */
static const char *
tune_pct(size_t part, size_t whole, char *buf, size_t len)
{
    if (whole == 0)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.2f%%", 100.0 * (double)part / (double)whole);
    return buf;
}

/* tune_ratio - ham rate over spam rate */
static double
tune_fp_ratio(const struct tune_stat *st)
{
    double spam = st->spam_n ? (double)st->spam_hits / (double)st->spam_n : 0;
    double ham = st->ham_n ? (double)st->ham_hits / (double)st->ham_n : 0;

    return spam > 0 ? ham / spam : 0;
}

/* tune_quad - a host-order value as text */
static const char *
tune_quad(uint32_t v, char *buf, size_t len)
{
    snprintf(buf, len, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    return buf;
}

/* tune_text - the report for people */
static void
tune_text(FILE *out, const struct tune_data *d, const struct tune_result *r)
{
    char a[16], b[16], c1[16], c2[16], w[DNSBL_POINTS_BUFSZ], w2[DNSBL_POINTS_BUFSZ], q[16], u[24];
    unsigned i, c;
    size_t k;

    fprintf(out, "dnsbl-tune: %zu ham and %zu spam lines", r->ham, r->spam);
    if (d->count[TUNE_NONE])
        fprintf(out, ", %zu unlabelled (not used)", d->count[TUNE_NONE]);
    fprintf(out, "; %zu not scored (skip), %zu unreadable; --max-fp %g\n\n",
            d->skipped[TUNE_HAM] + d->skipped[TUNE_SPAM] + d->skipped[TUNE_NONE],
            d->unreadable[TUNE_HAM] + d->unreadable[TUNE_SPAM] + d->unreadable[TUNE_NONE],
            r->max_fp);
    fprintf(out, "%-20s %16s %16s %8s %8s %7s  %s\n", "list", "spam hits", "ham hits", "fp/spam",
            "weight", "unique", "note");
    for (i = 0; i < d->nlists; i++) {
        const struct tune_stat *st = &r->stats[i];

        snprintf(u, sizeof(u), st->priced && st->weight > 0 ? "%zu" : "-", st->unique_spam);
        fprintf(out, "%-20s %7zu %8s %7zu %8s %8.4f %8s %7s", d->lists[i].name, st->spam_hits,
                tune_pct(st->spam_hits, st->spam_n, a, sizeof(a)), st->ham_hits,
                tune_pct(st->ham_hits, st->ham_n, b, sizeof(b)), tune_fp_ratio(st),
                st->priced ? dnsbl_format_points(st->weight, w) : "-", u);
        fprintf(out, st->note[0] ? "  %s\n" : "\n", st->note);
        for (c = 0; c < st->ncodes && st->ncodes > 1; c++) { /* one code: the list's line says it */
            const struct tune_code *tc = &st->codes[c];

            fprintf(out, "  %-18s %7zu %8s %7zu %8s %8s %8s %7s  %s\n",
                    tune_quad(tc->value, q, sizeof(q)), tc->spam, "", tc->ham, "", "",
                    dnsbl_format_points(tc->weight, w), "",
                    tc->own ? "own weight"
                    : tc->spam + tc->ham >= TUNE_CODE_MIN
                        ? "the list's weight (no other code to tell it from)"
                        : "too few lines: the list's weight");
        }
    }
    fprintf(out, "\n%-28s %7s %7s %18s %18s %18s %18s\n", "policy", "tag", "reject", "ham rejected",
            "ham tagged", "spam rejected", "spam tagged");
    for (k = 0; k < r->npolicies; k++) {
        const struct tune_policy *p = &r->policies[k];
        int thr = p->reject >= 0;

        fprintf(out, "%-28s %7s %7s %9zu %8s %9zu %8s %9zu %8s %9zu %8s\n", p->name,
                thr                     ? dnsbl_format_points(p->tag, w)
                : p->kind == TP_CURRENT ? "logged"
                                        : "-",
                thr                     ? dnsbl_format_points(p->reject, w2)
                : p->kind == TP_CURRENT ? "logged"
                                        : "hit",
                p->ham_rejected, tune_pct(p->ham_rejected, r->ham, a, sizeof(a)), p->ham_tagged,
                tune_pct(p->ham_tagged, r->ham, b, sizeof(b)), p->spam_rejected,
                tune_pct(p->spam_rejected, r->spam, c1, sizeof(c1)), p->spam_tagged,
                tune_pct(p->spam_tagged, r->spam, c2, sizeof(c2)));
    }
    fprintf(out,
            "\nsuggested: tag = %s, reject = %s (on these lines: at most %g of the ham "
            "rejected)\n",
            dnsbl_format_points(r->sug_tag, w), dnsbl_format_points(r->sug_reject, w2), r->max_fp);
    if (r->max_fp > 0 && (double)r->ham * r->max_fp < 1)
        fprintf(out,
                "warning: %zu ham lines cannot measure a --max-fp of %g (one ham is %g): "
                "collect more ham before you trust these thresholds\n",
                r->ham, r->max_fp, r->ham ? 1.0 / (double)r->ham : 1.0);
}

/* tune_json_policy - one policy */
static void
tune_json_policy(FILE *out, const struct tune_result *r, const struct tune_policy *p)
{
    char w[DNSBL_POINTS_BUFSZ], w2[DNSBL_POINTS_BUFSZ];
    static const char *const kinds[] = {"current", "suggested", "with-shadow",
                                        "single",  "any-hit",   "mixed"};

    fprintf(out, "{\"name\":\"%s\",\"kind\":\"%s\",", p->name, kinds[p->kind]);
    if (p->reject >= 0)
        fprintf(out, "\"tag\":%s,\"reject\":%s,", dnsbl_format_points(p->tag, w),
                dnsbl_format_points(p->reject, w2));
    fprintf(out,
            "\"ham_rejected\":%zu,\"ham_tagged\":%zu,\"spam_rejected\":%zu,"
            "\"spam_tagged\":%zu,\"ham_rejected_rate\":%.6f,\"spam_rejected_rate\":%.6f,"
            "\"within_fp_budget\":%s}",
            p->ham_rejected, p->ham_tagged, p->spam_rejected, p->spam_tagged,
            r->ham ? (double)p->ham_rejected / (double)r->ham : 0,
            r->spam ? (double)p->spam_rejected / (double)r->spam : 0,
            r->ham && (double)p->ham_rejected / (double)r->ham <= r->max_fp ? "true" : "false");
}

/* tune_json - the same facts for machines, one object */
static void
tune_json(FILE *out, const struct tune_data *d, const struct tune_result *r)
{
    char w[DNSBL_POINTS_BUFSZ], q[16];
    unsigned i, c;
    size_t k;

    fprintf(out,
            "{\"ham\":%zu,\"spam\":%zu,\"unlabelled\":%zu,\"unreadable\":%zu,\"skipped\":%zu,"
            "\"max_fp\":%g,",
            r->ham, r->spam, d->count[TUNE_NONE],
            d->unreadable[TUNE_HAM] + d->unreadable[TUNE_SPAM] + d->unreadable[TUNE_NONE],
            d->skipped[TUNE_HAM] + d->skipped[TUNE_SPAM] + d->skipped[TUNE_NONE], r->max_fp);
    fprintf(out, "\"suggested\":{\"tag\":%s,", dnsbl_format_points(r->sug_tag, w));
    fprintf(out, "\"reject\":%s},\"lists\":[", dnsbl_format_points(r->sug_reject, w));
    for (i = 0; i < d->nlists; i++) {
        const struct tune_stat *st = &r->stats[i];

        fprintf(out,
                "%s{\"name\":\"%s\",\"shadow\":%s,\"spam_lines\":%zu,\"spam_hits\":%zu,"
                "\"ham_lines\":%zu,\"ham_hits\":%zu,\"fp_spam_ratio\":%.6f,\"weight\":%s,",
                i ? "," : "", d->lists[i].name, d->lists[i].shadow ? "true" : "false", st->spam_n,
                st->spam_hits, st->ham_n, st->ham_hits, tune_fp_ratio(st),
                st->priced ? dnsbl_format_points(st->weight, w) : "null");
        if (st->priced) /* else there is no weight to speak of: it keeps what it had */
            fprintf(out, "\"log_odds\":%.4f,\"standard_error\":%.4f,", st->lor, st->se);
        else
            fputs("\"log_odds\":null,\"standard_error\":null,", out);
        fprintf(out, "\"unique_spam\":%zu,\"note\":\"%s\",\"codes\":[", st->unique_spam, st->note);
        for (c = 0; c < st->ncodes; c++)
            fprintf(out,
                    "%s{\"value\":\"%s\",\"spam_hits\":%zu,\"ham_hits\":%zu,\"weight\":%s,"
                    "\"own\":%s}",
                    c ? "," : "", tune_quad(st->codes[c].value, q, sizeof(q)), st->codes[c].spam,
                    st->codes[c].ham,
                    st->priced ? dnsbl_format_points(st->codes[c].weight, w) : "null",
                    st->codes[c].own ? "true" : "false");
        fputs("]}", out);
    }
    fputs("],\"policies\":[", out);
    for (k = 0; k < r->npolicies; k++) {
        fputs(k ? "," : "", out);
        tune_json_policy(out, r, &r->policies[k]);
    }
    fputs("]}\n", out);
}

/* tune_report - see tune.h */
void
tune_report(FILE *out, const struct tune_data *d, const struct tune_result *r, int json)
{
    if (json)
        tune_json(out, d, r);
    else
        tune_text(out, d, r);
}

/* tune_list_by_name - the data's index of a configured list, or -1 */
static int
tune_list_by_name(const struct tune_data *d, const char *name)
{
    unsigned i;

    for (i = 0; i < d->nlists; i++)
        if (strcmp(d->lists[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* tune_shadow_note - what counting a shadow list would change */
static void
tune_shadow_note(FILE *out, const struct tune_result *r, int list)
{
    const struct tune_policy *base = NULL, *with = NULL;
    size_t k;

    for (k = 0; k < r->npolicies; k++) {
        if (r->policies[k].kind == TP_SUGGESTED)
            base = &r->policies[k];
        if (r->policies[k].kind == TP_WITH && r->policies[k].list == list)
            with = &r->policies[k];
    }
    if (base == NULL || with == NULL)
        return;
    fprintf(out,
            "; dnsbl-tune: a shadow list. Counted, it would reject %ld more spam and %ld "
            "more ham\n; on these lines; set shadow = no to count it.\n",
            (long)with->spam_rejected - (long)base->spam_rejected,
            (long)with->ham_rejected - (long)base->ham_rejected);
}

/* tune_weights - a list's suggested weight line and code lines */
static void
tune_weights(FILE *out, const struct tune_result *r, const struct tune_data *d,
             const dnsbl_config *cfg, int list)
{
    const struct tune_stat *st = &r->stats[list];
    char w[DNSBL_POINTS_BUFSZ], q[16];
    unsigned c;

    if (d->lists[list].shadow)
        tune_shadow_note(out, r, list);
    fprintf(out,
            "; dnsbl-tune: listed %zu of %zu spam, %zu of %zu ham: log odds %.2f "
            "(standard error %.2f)%s%s\nweight = %s\n",
            st->spam_hits, st->spam_n, st->ham_hits, st->ham_n, st->lor, st->se,
            st->note[0] ? "; " : "", st->note, dnsbl_format_points(st->weight, w));
    for (c = 0; c < st->ncodes; c++) {
        const struct tune_code *tc = &st->codes[c];
        int idx = d->lists[list].cfg_index;
        long cw;

        if (!tc->priced ||
            (idx >= 0 && !dnsbl_config_code_weight(cfg, (unsigned)idx, tc->value, &cw)))
            continue; /* too rare to price, or an error code: left as it is */
        if (tc->own)
            fprintf(out, "; %s on %zu spam, %zu ham\n%s = %s\n", tune_quad(tc->value, q, sizeof(q)),
                    tc->spam, tc->ham, q, dnsbl_format_points(tc->weight, w));
        else if (idx >= 0 && dnsbl_config_code_line(cfg, (unsigned)idx, tc->value))
            /* a range, block or mask of -c covers it: the data says otherwise */
            fprintf(out,
                    "; %s on %zu spam, %zu ham: the list's weight, over the code line that covered "
                    "it\n%s = %s\n",
                    tune_quad(tc->value, q, sizeof(q)), tc->spam, tc->ham, q,
                    dnsbl_format_points(st->weight, w));
    }
}

/* tune_replaced - an exact code line for a value the data prices (tune_weights
 * writes its line) */
static int
tune_replaced(const char *line, const struct tune_stat *st)
{
    char q[16];
    size_t n = strcspn(line, " ");
    unsigned c;

    if (strstr(line, " = error") != NULL) /* an error stays an error */
        return 0;
    for (c = 0; c < st->ncodes; c++)
        if (st->codes[c].priced && strlen(tune_quad(st->codes[c].value, q, sizeof(q))) == n &&
            strncmp(line, q, n) == 0)
            return 1;
    return 0;
}

/* tune_rewrite - the normalised configuration, with the suggestions */
static void
tune_rewrite(FILE *out, const char *dump, const dnsbl_config *cfg, const struct tune_data *d,
             const struct tune_result *r)
{
    char w[DNSBL_POINTS_BUFSZ], line[1024];
    const char *p = dump;
    int list = -1, in_scoring = 0;
    time_t now = time(NULL);

    fprintf(out, "; Written by dnsbl-tune on %.24s from %zu ham and %zu spam lines, --max-fp %g.\n",
            ctime(&now), r->ham, r->spam, r->max_fp);
    while (*p) {
        size_t n = strcspn(p, "\n");

        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        p += n + (p[n] == '\n');
        if (line[0] == '[') {
            char name[DNSBL_NAME_MAX + 2] = "";
            size_t nl = strcspn(line + 6, "]");

            in_scoring = strcmp(line, "[scoring]") == 0;
            if (strncmp(line, "[list ", 6) == 0 && nl < sizeof(name)) {
                memcpy(name, line + 6, nl);
                name[nl] = '\0';
            }
            list = name[0] ? tune_list_by_name(d, name) : -1;
            fprintf(out, "%s\n", line);
            continue;
        }
        if (in_scoring && strncmp(line, "tag = ", 6) == 0) {
            fprintf(out, "; dnsbl-tune: at most %g of the ham tagged\ntag = %s\n", r->tag_share,
                    dnsbl_format_points(r->sug_tag, w));
        } else if (in_scoring && strncmp(line, "reject = ", 9) == 0) {
            fprintf(out, "; dnsbl-tune: at most %g of the ham rejected\nreject = %s\n", r->max_fp,
                    dnsbl_format_points(r->sug_reject, w));
        } else if (in_scoring && strncmp(line, "defer = ", 8) == 0) {
            fprintf(out,
                    "; dnsbl-tune: defer left out (it was %s); set it between tag and "
                    "reject if you want one\n",
                    line + 8);
        } else if (list >= 0 && r->stats[list].priced && strncmp(line, "weight = ", 9) == 0) {
            tune_weights(out, r, d, cfg, list);
        } else if (list >= 0 && tune_replaced(line, &r->stats[list])) {
            /* an exact code line gives way to the measured one; ranges, masks
             * and values too rare to measure keep what the admin gave them */
        } else {
            fprintf(out, "%s\n", line);
        }
    }
}

/* tune_write_ini - see tune.h */
int
tune_write_ini(const char *path, const dnsbl_config *cfg, const struct tune_data *d,
               const struct tune_result *r)
{
    char *dump = dnsbl_config_dump(cfg), tmp[4096];
    dnsbl_config *check = NULL;
    FILE *out;
    int rc, fd;

    if (dump == NULL)
        return -1;
    /* A new file of its own next to the target (never one planted there),
     * mode 600 from mkstemp, then 640: it holds the zones, which may hold
     * access keys. */
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp) ||
        (fd = mkstemp(tmp)) < 0) {
        free(dump);
        return -1;
    }
    if ((out = fdopen(fd, "w")) == NULL) {
        close(fd);
        unlink(tmp);
        free(dump);
        return -1;
    }
    (void)fchmod(fd, 0640);
    tune_rewrite(out, dump, cfg, d, r);
    free(dump);
    if (fclose(out) != 0) {
        unlink(tmp);
        return -1;
    }
    /* What it writes must load: dnsbl-score --check-config would say the same. */
    if ((rc = dnsbl_config_load(tmp, NULL, NULL, &check)) != 0) {
        unlink(tmp);
        errno = EINVAL;
        return -1;
    }
    dnsbl_config_free(check);
    if (rename(tmp, path) != 0) {
        int e = errno;

        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}
