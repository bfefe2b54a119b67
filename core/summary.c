/*
 * NAME
 *	summary - the summary line
 * DESCRIPTION
 *	One line of space-separated key=value pairs that says what the engine
 *	decided and why. The command prints it, the Exim module logs it and
 *	puts it in a header, and dnsbl-tune reads it back: its grammar is a
 *	contract, documented in dnsbl-score(1). Keys come in a fixed order;
 *	hits= and errors= are always present, empty when there are none. List
 *	names appear, never zones (which may hold access keys). Nothing in it
 *	comes from DNS except numbers this code formats.
 *
 *	Also the SMTP reply for a defer or a reject, which a sender reads:
 *	what was decided and why, in list names, with an optional URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl_int.h"

/* sum_values - "127.0.0.2+127.0.0.4" */
static void
sum_values(FILE *out, const struct dnsbl_list_result *lr)
{
    char values[CODE_VALUES_BUFSZ];

    code_format_values(lr->values, lr->nvalues, values, sizeof(values));
    fputs(values, out);
}

/* dnsbl_summary - see dnsbl.h */
char *
dnsbl_summary(const dnsbl_result *res)
{
    char *text = NULL, w[DNSBL_POINTS_BUFSZ];
    size_t len = 0;
    unsigned i, n;
    FILE *out = open_memstream(&text, &len);

    if (out == NULL)
        return NULL;
    fprintf(out, "ip=%s score=%s action=%s hits=", res->ip, dnsbl_format_points(res->score, w),
            dnsbl_action_name(res->action));
    for (i = 0, n = 0; i < res->nlists; i++) {
        const struct dnsbl_list_result *lr = &res->lists[i];

        if (lr->status != DNSBL_HIT || lr->shadow)
            continue;
        fprintf(out, "%s%s:", n++ ? "," : "", lr->name);
        sum_values(out, lr);
        fprintf(out, ":%s", dnsbl_format_points(lr->weight, w));
    }
    fprintf(out, " errors=");
    for (i = 0, n = 0; i < res->nlists; i++) {
        const struct dnsbl_list_result *lr = &res->lists[i];

        if (lr->status == DNSBL_ERROR)
            fprintf(out, "%s%s:%s", n++ ? "," : "", lr->name, lr->error);
    }
    /* Only when the early verdict left lists out: the usual line stays as it was. */
    for (i = 0, n = 0; i < res->nlists; i++)
        if (res->lists[i].status == DNSBL_NOT_AWAITED)
            fprintf(out, "%s%s", n++ ? "," : " notawaited=", res->lists[i].name);
    /* Hits of shadow lists, with what they would have added. */
    for (i = 0, n = 0; i < res->nlists; i++) {
        const struct dnsbl_list_result *lr = &res->lists[i];

        if (lr->status != DNSBL_HIT || !lr->shadow)
            continue;
        fprintf(out, "%s%s:", n++ ? "," : " shadow=", lr->name);
        sum_values(out, lr);
        fprintf(out, ":%s", dnsbl_format_points(lr->weight, w));
    }
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* sum_url - the info URL with "{ip}" replaced by the address */
static void
sum_url(FILE *out, const char *url, const char *ip)
{
    const char *p;

    while ((p = strstr(url, "{ip}")) != NULL) {
        fprintf(out, "%.*s%s", (int)(p - url), url, ip);
        url = p + 4;
    }
    fputs(url, out);
}

/* dnsbl_reply_text - see dnsbl.h */
char *
dnsbl_reply_text(const dnsbl_config *cfg, const dnsbl_result *res)
{
    char *text = NULL, score[DNSBL_POINTS_BUFSZ], limit[DNSBL_POINTS_BUFSZ];
    size_t len = 0;
    unsigned i, n;
    FILE *out;

    if (res->action != DNSBL_DEFER && res->action != DNSBL_REJECT)
        return NULL;
    if ((out = open_memstream(&text, &len)) == NULL)
        return NULL;
    fprintf(out, "%s: %s scores %s on DNS blocklists (listed by ",
            res->action == DNSBL_REJECT ? "Rejected" : "Deferred", res->ip,
            dnsbl_format_points(res->score, score));
    for (i = 0, n = 0; i < res->nlists; i++)
        if (res->lists[i].status == DNSBL_HIT && res->lists[i].weight > 0 && !res->lists[i].shadow)
            fprintf(out, "%s%s", n++ ? ", " : "", res->lists[i].name);
    fprintf(out, "; %s threshold %s)", dnsbl_action_name(res->action),
            dnsbl_format_points(res->action == DNSBL_REJECT ? cfg->reject : cfg->defer, limit));
    if (res->action == DNSBL_DEFER)
        fputs("; try again later", out);
    if (cfg->act.reply_txt)
        for (i = 0; i < res->nlists; i++)
            if (res->lists[i].status == DNSBL_HIT && res->lists[i].weight > 0 &&
                !res->lists[i].shadow && res->lists[i].txt != NULL) /* cleaned, bounded */
                fprintf(out, " - %s: %s", res->lists[i].name, res->lists[i].txt);
    if (cfg->act.info_url != NULL) {
        fputs(" - see ", out);
        sum_url(out, cfg->act.info_url, res->ip);
    }
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
