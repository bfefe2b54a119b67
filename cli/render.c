/*
 * NAME
 *	render - print a result as a summary line, a table or JSON
 * DESCRIPTION
 *	The summary line is the engine's (dnsbl_summary); the table and the
 *	JSON show the same facts with more detail: every list's answer, its
 *	weight, latency and TXT reason. TXT texts arrive cleaned by the engine
 *	(printable ASCII); JSON still escapes quotes and backslashes.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* cli_clean - see cli.h */
const char *
cli_clean(const char *s)
{
    static char buf[128];

    return dnsbl_clean_text(buf, sizeof(buf), (const uint8_t *)s, strlen(s));
}

/* render_values - "127.0.0.2+127.0.0.4" into buf */
static void
render_values(const struct dnsbl_list_result *lr, const char *sep, char *buf, size_t len)
{
    size_t o = 0;
    unsigned i;

    buf[0] = '\0';
    for (i = 0; i < lr->nvalues && o < len; i++) {
        uint32_t v = lr->values[i];
        int n = snprintf(buf + o, len - o, "%s%u.%u.%u.%u", i ? sep : "", v >> 24, (v >> 16) & 0xff,
                         (v >> 8) & 0xff, v & 0xff);

        o += n > 0 ? (size_t)n : 0;
    }
}

/* render_answer - "hit 127.0.0.4", "error timeout", "miss" */
static void
render_answer(const struct dnsbl_list_result *lr, char *buf, size_t len)
{
    char values[DNSBL_MAX_VALUES * 16];

    render_values(lr, "+", values, sizeof(values));
    switch (lr->status) {
    case DNSBL_HIT:
        snprintf(buf, len, "hit %s%s", values, lr->shadow ? " (shadow)" : "");
        break;
    case DNSBL_ERROR:
        snprintf(buf, len, "error %s", lr->error);
        break;
    case DNSBL_NOT_QUERIED:
        snprintf(buf, len, "not queried (IPv4-only list)");
        break;
    case DNSBL_NOT_AWAITED:
        snprintf(buf, len, "not awaited (no effect)");
        break;
    default:
        snprintf(buf, len, "miss");
    }
}

/* render_verbose - the summary line, then a table */
static void
render_verbose(FILE *out, const dnsbl_result *res, const char *summary)
{
    char answer[DNSBL_MAX_VALUES * 16 + 16], w[DNSBL_POINTS_BUFSZ];
    unsigned i;

    fprintf(out, "%s\n", summary);
    if (res->action == DNSBL_SKIP) {
        fprintf(out, "  not scored: %s is in the skip network %s\n\n", res->ip, res->skip);
        return;
    }
    fprintf(out, "  %-20s %-28s %8s %8s  %s\n", "list", "answer", "weight", "latency", "reason");
    for (i = 0; i < res->nlists; i++) {
        const struct dnsbl_list_result *lr = &res->lists[i];

        render_answer(lr, answer, sizeof(answer));
        fprintf(out, "  %-20s %-28s %8s %5u ms  %s\n", lr->name, answer,
                dnsbl_format_points(lr->weight, w), lr->latency_ms, lr->txt ? lr->txt : "");
    }
    fprintf(out, "  total %s: %s%s, in %u ms\n\n", dnsbl_format_points(res->score, w),
            dnsbl_action_name(res->action), res->cached ? " (from the cache)" : "",
            res->elapsed_ms);
}

/* render_json_string - a JSON string, or null */
static void
render_json_string(FILE *out, const char *s)
{
    if (s == NULL) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if ((unsigned char)*s < 0x20)
            fprintf(out, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

/* render_json - one object on one line */
static void
render_json(FILE *out, const dnsbl_result *res)
{
    char w[DNSBL_POINTS_BUFSZ], values[DNSBL_MAX_VALUES * 20];
    unsigned i;

    fprintf(out, "{\"ip\":\"%s\",\"score\":%s,\"action\":\"%s\",\"skip\":", res->ip,
            dnsbl_format_points(res->score, w), dnsbl_action_name(res->action));
    render_json_string(out, res->action == DNSBL_SKIP ? res->skip : NULL);
    fprintf(out, ",\"elapsed_ms\":%u,\"cached\":%s,\"lists\":[", res->elapsed_ms,
            res->cached ? "true" : "false");
    for (i = 0; i < res->nlists; i++) {
        const struct dnsbl_list_result *lr = &res->lists[i];

        render_values(lr, "\",\"", values, sizeof(values));
        fprintf(out, "%s{\"name\":\"%s\",\"status\":\"%s\",\"values\":[%s%s%s],\"weight\":%s,",
                i ? "," : "", lr->name, dnsbl_status_name(lr->status), lr->nvalues ? "\"" : "",
                values, lr->nvalues ? "\"" : "", dnsbl_format_points(lr->weight, w));
        fputs("\"error\":", out);
        render_json_string(out, lr->status == DNSBL_ERROR ? lr->error : NULL);
        fputs(",\"txt\":", out);
        render_json_string(out, lr->txt);
        fprintf(out, ",\"latency_ms\":%u,\"shadow\":%s}", lr->latency_ms,
                lr->shadow ? "true" : "false");
    }
    fputs("]}\n", out);
}

/* cli_print - see cli.h */
int
cli_print(FILE *out, enum cli_format format, const dnsbl_result *res)
{
    char *summary;

    if (format == CLI_JSON) {
        render_json(out, res);
        return ferror(out) ? -1 : 0;
    }
    if ((summary = dnsbl_summary(res)) == NULL)
        return -1;
    if (format == CLI_VERBOSE)
        render_verbose(out, res, summary);
    else
        fprintf(out, "%s\n", summary);
    free(summary);
    return ferror(out) ? -1 : 0;
}

/* cli_print_health - see cli.h */
void
cli_print_health(FILE *out, enum cli_format format, const struct dnsbl_health_report *r)
{
    if (format == CLI_JSON) {
        fprintf(out, "{\"name\":\"%s\",\"state\":\"%s\",\"latency_ms\":%u,\"evidence\":", r->name,
                dnsbl_health_name(r->state), r->latency_ms);
        render_json_string(out, r->evidence);
        fputs(",\"advice\":", out);
        render_json_string(out, r->advice[0] ? r->advice : NULL);
        fputs("}\n", out);
        return;
    }
    fprintf(out, "%-20s %-11s %5u ms  %s\n", r->name, dnsbl_health_name(r->state), r->latency_ms,
            r->evidence);
    if (r->advice[0])
        fprintf(out, "  %s\n", r->advice);
}
