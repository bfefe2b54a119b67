/*
 * fuzz_render.c - libFuzzer target: a result built from arbitrary bytes
 * (names, values, weights, TXT text as the engine would keep them) through
 * the summary line, the SMTP reply, and the command's table and JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "dnsbl_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* take - the next n bytes, zero when the data runs out */
static void
take(const uint8_t **d, size_t *n, void *out, size_t len)
{
    size_t k = len < *n ? len : *n;

    memset(out, 0, len);
    memcpy(out, *d, k);
    *d += k;
    *n -= k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dnsbl_list_result lists[4];
    struct dnsbl_config cfg;
    dnsbl_result res;
    FILE *out = fopen("/dev/null", "w");
    char *s;
    unsigned i;
    uint8_t raw[200];

    memset(&cfg, 0, sizeof(cfg));
    memset(&res, 0, sizeof(res));
    memset(lists, 0, sizeof(lists));
    cfg.tag = 500;
    cfg.defer = 800;
    cfg.has_defer = 1;
    cfg.reject = 1000;
    cfg.act.reply_txt = 1;
    cfg.act.info_url = "https://x.example/?ip={ip}{ip}";
    take(&data, &size, res.ip, sizeof(res.ip) - 1);
    dnsbl_clean_text(res.ip, sizeof(res.ip), (const uint8_t *)res.ip, strlen(res.ip));
    for (i = 0; i < 4; i++) {
        struct dnsbl_list_result *lr = &lists[i];
        uint8_t st;

        take(&data, &size, lr->name, sizeof(lr->name) - 1);
        take(&data, &size, &st, 1);
        lr->status = (enum dnsbl_list_status)(st % 5);
        lr->shadow = st >> 7;
        take(&data, &size, &lr->nvalues, sizeof(lr->nvalues));
        lr->nvalues %= DNSBL_MAX_VALUES + 1;
        take(&data, &size, lr->values, sizeof(lr->values));
        take(&data, &size, &lr->weight, sizeof(lr->weight));
        lr->weight %= 100000;
        take(&data, &size, lr->error, sizeof(lr->error) - 1);
        take(&data, &size, raw, 80);
        if (raw[0] & 1) {
            char clean[201];

            dnsbl_clean_text(clean, sizeof(clean), raw, 80);
            lr->txt = strdup(clean);
        }
    }
    res.lists = lists;
    res.nlists = 4;
    take(&data, &size, &res.score, sizeof(res.score));
    res.score %= 10000000;
    res.action = (enum dnsbl_action)((unsigned)res.score % 5);
    take(&data, &size, res.skip, sizeof(res.skip) - 1);
    free(dnsbl_summary(&res));
    if ((s = dnsbl_reply_text(&cfg, &res)) != NULL)
        free(s);
    if (out != NULL) {
        (void)cli_print(out, CLI_VERBOSE, &res);
        (void)cli_print(out, CLI_JSON, &res);
        fclose(out);
    }
    for (i = 0; i < 4; i++)
        free(lists[i].txt);
    return 0;
}
