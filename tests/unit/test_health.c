/*
 * test_health.c - what test point answers say of a list (core/health_judge.c)
 */
#include "unit.h"

#define V(a, b, c, d)                                                                              \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* A test point's answer, as score_answer() leaves it. */
struct pt {
    enum dnsbl_list_status status;
    uint32_t value;    /* HIT, or the value behind an error */
    const char *error; /* ERROR */
};

#define HIT(v)                                                                                     \
    {                                                                                              \
        DNSBL_HIT, (v), ""                                                                         \
    }
#define MISS                                                                                       \
    {                                                                                              \
        DNSBL_MISS, 0, ""                                                                          \
    }
#define ERR(e)                                                                                     \
    {                                                                                              \
        DNSBL_ERROR, 0, (e)                                                                        \
    }
#define NOTASKED                                                                                   \
    {                                                                                              \
        DNSBL_NOT_QUERIED, 0, NULL                                                                 \
    }

/* clang-format off: a table of cases, laid out by hand */
static const struct {
    const char *label;
    struct pt pts[HP_COUNT];
    const char *state, *evidence, *advice_starts;
} cases[] = {
    {"healthy IPv4 list",
     {HIT(V(127, 0, 0, 2)), MISS, NOTASKED, NOTASKED},
     "healthy",
     "127.0.0.2=listed:127.0.0.2 127.0.0.1=not-listed",
     ""},
    {"healthy with IPv6",
     {HIT(V(127, 0, 0, 2)), MISS, HIT(V(127, 0, 0, 3)), MISS},
     "healthy",
     "127.0.0.2=listed:127.0.0.2 127.0.0.1=not-listed ::ffff:7f00:2=listed:127.0.0.3 "
     "::ffff:7f00:1=not-listed",
     ""},
    {"lists 127.0.0.1: lying",
     {HIT(V(127, 0, 0, 2)), HIT(V(127, 0, 0, 2)), NOTASKED, NOTASKED},
     "lying",
     "127.0.0.2=listed:127.0.0.2 127.0.0.1=listed:127.0.0.2",
     "it lists 127.0.0.1,"},
    {"lists ::ffff:7f00:1: lying",
     {HIT(V(127, 0, 0, 2)), MISS, HIT(V(127, 0, 0, 2)), HIT(V(127, 0, 0, 2))},
     "lying",
     NULL,
     "it lists ::ffff:7f00:1,"},
    {"parked: answers outside 127/8",
     {ERR("nonlocal-192.0.2.80"), MISS, NOTASKED, NOTASKED},
     "lying",
     "127.0.0.2=error:nonlocal-192.0.2.80 127.0.0.1=not-listed",
     "it answers 127.0.0.2 with 192.0.2.80, outside 127.0.0.0/8"},
    {"refusing a public resolver",
     {ERR("code-127.255.255.254"), ERR("code-127.255.255.254"), NOTASKED, NOTASKED},
     "refusing",
     NULL,
     "it refuses queries from your resolver (127.255.255.254"},
    {"refusing: too many queries",
     {ERR("code-127.255.255.255"), MISS, NOTASKED, NOTASKED},
     "refusing",
     NULL,
     "it refuses because of too many queries"},
    {"REFUSED rcode",
     {ERR("refused"), ERR("refused"), NOTASKED, NOTASKED},
     "refusing",
     NULL,
     "the server refuses the queries (REFUSED)"},
    {"timeouts: unreachable",
     {ERR("timeout"), ERR("timeout"), NOTASKED, NOTASKED},
     "unreachable",
     "127.0.0.2=error:timeout 127.0.0.1=error:timeout",
     "no answer for 127.0.0.2 (timeout)"},
    {"servfail on one point",
     {HIT(V(127, 0, 0, 2)), ERR("servfail"), NOTASKED, NOTASKED},
     "unreachable",
     NULL,
     "no answer for 127.0.0.1 (servfail)"},
    {"lists nothing: silent",
     {MISS, MISS, NOTASKED, NOTASKED},
     "silent",
     NULL,
     "it does not list its test point 127.0.0.2"},
    {"no IPv6 data: silent, set ipv6 = no",
     {HIT(V(127, 0, 0, 2)), MISS, MISS, MISS},
     "silent",
     NULL,
     "it does not list its IPv6 test point ::ffff:7f00:2: if it has no IPv6 data, set ipv6 = no"},
    {"lying outranks refusing",
     {ERR("code-127.255.255.254"), HIT(V(127, 0, 0, 4)), NOTASKED, NOTASKED},
     "lying",
     NULL,
     "it lists 127.0.0.1,"},
    {"refusing outranks unreachable",
     {ERR("timeout"), ERR("code-127.255.255.254"), NOTASKED, NOTASKED},
     "refusing",
     NULL,
     "it refuses queries"},
    {"unreachable outranks silent",
     {MISS, ERR("timeout"), NOTASKED, NOTASKED},
     "unreachable",
     NULL,
     "no answer for 127.0.0.1"},
};
/* clang-format on */

static void
test_judge(void **state)
{
    size_t i;
    int p;

    (void)state;
    for (i = 0; i < N_CASES(cases); i++) {
        struct dnsbl_list_result pts[HP_COUNT];
        int asked[HP_COUNT];
        char evidence[256], advice[320];
        enum dnsbl_health h;

        memset(pts, 0, sizeof(pts));
        for (p = 0; p < HP_COUNT; p++) {
            asked[p] = cases[i].pts[p].error != NULL;
            pts[p].status = cases[i].pts[p].status;
            if (pts[p].status == DNSBL_HIT) {
                pts[p].values[0] = cases[i].pts[p].value;
                pts[p].nvalues = 1;
            }
            if (cases[i].pts[p].error)
                snprintf(pts[p].error, sizeof(pts[p].error), "%s", cases[i].pts[p].error);
        }
        h = health_judge(pts, asked, evidence, sizeof(evidence), advice, sizeof(advice));
        check_str(cases[i].label, dnsbl_health_name(h), cases[i].state);
        if (cases[i].evidence)
            check_str(cases[i].label, evidence, cases[i].evidence);
        if (strncmp(advice, cases[i].advice_starts, strlen(cases[i].advice_starts)) != 0 ||
            (*cases[i].advice_starts == '\0' && *advice != '\0')) {
            print_error("%s: advice\n  got  '%s'\n  want '%s...'\n", cases[i].label, advice,
                        cases[i].advice_starts);
            fail();
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_judge),
    };

    return cmocka_run_group_tests_name("health", tests, NULL, NULL);
}
