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
#include <stdio.h>

#include "dnsbl_int.h"

/* score_dotted - host-order value as text */
static void
score_dotted(uint32_t v, char *buf, size_t len)
{
    snprintf(buf, len, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
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
            score_dotted(lr->values[i], dotted, sizeof(dotted));
            snprintf(lr->error, sizeof(lr->error), "nonlocal-%s", dotted);
            lr->status = DNSBL_ERROR;
            return;
        }
    }
    for (i = 0; i < lr->nvalues; i++) {
        const struct code_rule *r = code_match(list->rules, list->nrules, lr->values[i]);
        long w = r ? r->weight : list->weight;

        if (r != NULL && r->is_error) {
            score_dotted(lr->values[i], dotted, sizeof(dotted));
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
        if (res->lists[i].status == DNSBL_HIT)
            res->score += res->lists[i].weight;
    res->action = score_action(cfg, res->score);
}
