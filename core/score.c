/*
 * NAME
 *	score - from a list's answer to its weight, from weights to an action
 * DESCRIPTION
 *	The scoring rules, kept apart from DNS so that they can be tested as
 *	tables. One list contributes once per client: the weight, among the
 *	values it returned, of largest magnitude (a value no code line matches
 *	takes the list's weight). An answer outside 127.0.0.0/8, or one that
 *	matches an error code, says the list did not really answer: the list
 *	is in error and contributes nothing, whatever else it returned.
 */
#include <arpa/nameser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl_int.h"

/* score_error_code - see dnsbl_int.h */
int
score_error_code(const struct dnsbl_list_result *lr, uint32_t *code)
{
    unsigned a, b, c, d;

    if (lr->status != DNSBL_ERROR || sscanf(lr->error, "code-%u.%u.%u.%u", &a, &b, &c, &d) != 4)
        return 0;
    *code = a << 24 | b << 16 | c << 8 | d;
    return 1;
}

/* score_list - status and contribution of one answered list */
void
score_list(const struct cfg_list *list, struct dnsbl_list_result *lr)
{
    char dotted[16];
    long best = 0;
    unsigned i;

    lr->weight = 0;
    lr->status = DNSBL_MISS;
    if (lr->nvalues == 0)
        return;
    for (i = 0; i < lr->nvalues; i++) {
        if ((lr->values[i] >> 24) != 127) {
            code_format_v4(lr->values[i], dotted, sizeof(dotted));
            snprintf(lr->error, sizeof(lr->error), "nonlocal-%s", dotted);
            lr->status = DNSBL_ERROR;
            return;
        }
    }
    for (i = 0; i < lr->nvalues; i++) {
        const struct code_rule *r = code_match(list->rules, list->nrules, lr->values[i]);
        long w = r ? r->weight : list->weight;

        if (r != NULL && r->is_error) {
            code_format_v4(lr->values[i], dotted, sizeof(dotted));
            snprintf(lr->error, sizeof(lr->error), "code-%s", dotted);
            lr->status = DNSBL_ERROR;
            return;
        }
        if (i == 0 || (w < 0 ? -w : w) > (best < 0 ? -best : best))
            best = w;
    }
    lr->status = DNSBL_HIT;
    lr->weight = best;
}

/* score_rcode_error - the error name of an rcode that is not an answer */
static void
score_rcode_error(int rcode, char *buf, size_t len)
{
    if (rcode == ns_r_servfail)
        snprintf(buf, len, "servfail");
    else if (rcode == ns_r_refused)
        snprintf(buf, len, "refused");
    else
        snprintf(buf, len, "rcode-%d", rcode);
}

/* score_cmp_value - ascending order of A values */
static int
score_cmp_value(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* score_answer - see dnsbl_int.h */
void
score_answer(const struct cfg_list *list, int err, const struct ans_result *ans,
             struct dnsbl_list_result *lr)
{
    lr->status = DNSBL_ERROR;
    lr->weight = 0;
    if (err != 0) {
        score_rcode_error(err, lr->error, sizeof(lr->error));
    } else if (ans->error != NULL) {
        snprintf(lr->error, sizeof(lr->error), "%s", ans->error);
    } else if (ans->rcode != ns_r_noerror && ans->rcode != ns_r_nxdomain) {
        score_rcode_error(ans->rcode, lr->error, sizeof(lr->error));
    } else {
        /* Sorted: servers rotate records, the summary line must not. */
        memcpy(lr->values, ans->values, sizeof(lr->values));
        lr->nvalues = ans->nvalues;
        qsort(lr->values, lr->nvalues, sizeof(lr->values[0]), score_cmp_value);
        score_list(list, lr);
    }
}

/* score_action - the thresholds, highest first */
enum dnsbl_action
score_action(const struct dnsbl_config *cfg, long total)
{
    if (total >= cfg->reject)
        return DNSBL_REJECT;
    if (cfg->has_defer && total >= cfg->defer)
        return DNSBL_DEFER;
    if (total >= cfg->tag)
        return DNSBL_TAG;
    return DNSBL_ACCEPT;
}

/* score_total - sum of the hits, then the action */
void
score_total(const struct dnsbl_config *cfg, dnsbl_result *res)
{
    unsigned i;

    res->score = 0;
    for (i = 0; i < res->nlists; i++)
        if (res->lists[i].status == DNSBL_HIT && !res->lists[i].shadow)
            res->score += res->lists[i].weight;
    res->action = score_action(cfg, res->score);
}

/* score_span - 0 (a miss, an error) or any weight a hit can take */
void
score_span(struct cfg_list *list)
{
    size_t i;

    list->min_weight = list->weight < 0 ? list->weight : 0;
    list->max_weight = list->weight > 0 ? list->weight : 0;
    if (list->shadow) { /* it never counts */
        list->min_weight = list->max_weight = 0;
        return;
    }
    for (i = 0; i < list->nrules; i++) {
        const struct code_rule *r = &list->rules[i];

        if (r->is_error)
            continue;
        if (r->weight < list->min_weight)
            list->min_weight = r->weight;
        if (r->weight > list->max_weight)
            list->max_weight = r->weight;
    }
}
