/*
 * NAME
 *	config_dump - the configuration in normalised INI form
 * DESCRIPTION
 *	What `dnsbl-score --check-config` prints: every setting with the value
 *	the engine will use, defaults included, in a form the loader reads back
 *	to the same configuration. Built-in rules appear as comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl_int.h"

/* dump_list - one [list NAME] section */
static void
dump_list(FILE *out, const struct cfg_list *l)
{
    char spec[48], w[DNSBL_POINTS_BUFSZ];
    size_t i;

    fprintf(out, "\n[list %s]\nzone = %s\nweight = %s\nipv6 = %s\ntxt = %s\nshadow = %s\n", l->name,
            l->zone, dnsbl_format_points(l->weight, w), l->ipv6 ? "yes" : "no",
            l->txt ? "yes" : "no", l->shadow ? "yes" : "no");
    for (i = 0; i < l->nrules; i++) {
        const struct code_rule *r = &l->rules[i];

        code_format_spec(r, spec, sizeof(spec));
        fprintf(out, "%s%s = %s%s\n", r->line == 0 ? "; " : "", spec,
                r->is_error ? "error" : dnsbl_format_points(r->weight, w),
                r->line == 0 ? " (built in)" : "");
    }
}

/* dnsbl_config_dump - render into a memory stream */
char *
dnsbl_config_dump(const dnsbl_config *cfg)
{
    char *text = NULL, w[DNSBL_POINTS_BUFSZ], net[64];
    size_t len = 0, i;
    FILE *out = open_memstream(&text, &len);

    if (out == NULL)
        return NULL;
    fprintf(out, "; %s, normalised\n[scoring]\n", cfg->path);
    fprintf(out, "tag = %s\n", dnsbl_format_points(cfg->tag, w));
    if (cfg->has_defer)
        fprintf(out, "defer = %s\n", dnsbl_format_points(cfg->defer, w));
    else
        fprintf(out, "; defer is not set: no temporary rejects\n");
    fprintf(out, "reject = %s\n", dnsbl_format_points(cfg->reject, w));
    fprintf(out, "timeout_ms = %u\n", cfg->timeout_ms);
    fprintf(out, "cache_seconds = %u\n", cfg->cache_seconds);
    fprintf(out, "health_interval = %u\n", cfg->health_interval);
    fprintf(out, "early_verdict = %s\n", cfg->early_verdict ? "yes" : "no");
    fprintf(out, "skip =");
    for (i = 0; i < cfg->nskip; i++) {
        net_format_prefix(&cfg->skip[i], net, sizeof(net));
        /* several lines: inih reads at most 198 characters a line */
        fprintf(out, "%s%s", i > 0 && i % 3 == 0 ? "\nskip = " : " ", net);
    }
    fprintf(out, "\n\n[resolver]\n");
    if (cfg->nforwarders > 0) {
        fprintf(out, "forwarders =");
        for (i = 0; i < cfg->nforwarders; i++)
            fprintf(out, " %s", cfg->forwarders[i]);
        fprintf(out, "\n");
    } else {
        fprintf(out, "resolv_conf = %s\n",
                cfg->resolv_conf ? cfg->resolv_conf : "/etc/resolv.conf");
    }
    fprintf(out,
            "\n[actions]\non_error = %s\nskip_authenticated = %s\nscore_header = %s\n"
            "report_header = %s\nflag_header =%s%s\n",
            cfg->act.on_error_defer ? "defer" : "accept",
            cfg->act.skip_authenticated ? "yes" : "no", cfg->act.score_header,
            cfg->act.report_header, *cfg->act.flag_header ? " " : "", cfg->act.flag_header);
    if (cfg->act.info_url != NULL)
        fprintf(out, "info_url = %s\n", cfg->act.info_url);
    fprintf(out, "reply_txt = %s\n", cfg->act.reply_txt ? "yes" : "no");
    for (i = 0; i < cfg->nlists; i++)
        dump_list(out, &cfg->lists[i]);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
