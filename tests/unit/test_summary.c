/*
 * test_summary.c - the summary line and the cleaning of untrusted text
 * (core/summary.c, core/text.c)
 */
#include "unit.h"

#define V(a, b, c, d)                                                                              \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* set - fill one list result */
static void
set(struct dnsbl_list_result *lr, const char *name, enum dnsbl_list_status st, long w,
    const char *error, unsigned n, uint32_t v1, uint32_t v2)
{
    memset(lr, 0, sizeof(*lr));
    snprintf(lr->name, sizeof(lr->name), "%s", name);
    lr->status = st;
    lr->weight = w;
    snprintf(lr->error, sizeof(lr->error), "%s", error);
    lr->nvalues = n;
    lr->values[0] = v1;
    lr->values[1] = v2;
}

static void
test_summary_lines(void **state)
{
    struct dnsbl_list_result l[4];
    dnsbl_result res;
    char *line;

    (void)state;
    memset(&res, 0, sizeof(res));
    res.lists = l;
    snprintf(res.ip, sizeof(res.ip), "192.0.2.1");

    /* The example of the issue and the manual. */
    set(&l[0], "spamhaus-zen", DNSBL_HIT, 400, "", 1, V(127, 0, 0, 4), 0);
    set(&l[1], "spamcop", DNSBL_HIT, 150, "", 1, V(127, 0, 0, 2), 0);
    set(&l[2], "uceprotect", DNSBL_ERROR, 0, "timeout", 0, 0, 0);
    set(&l[3], "dnswl", DNSBL_MISS, 0, "", 0, 0, 0);
    res.nlists = 4;
    res.score = 750;
    res.action = DNSBL_TAG;
    line = dnsbl_summary(&res);
    check_str("hits and an error", line,
              "ip=192.0.2.1 score=7.50 action=tag "
              "hits=spamhaus-zen:127.0.0.4:4.00,spamcop:127.0.0.2:1.50 "
              "errors=uceprotect:timeout");
    free(line);

    set(&l[0], "spamhaus-zen", DNSBL_HIT, 600, "", 2, V(127, 0, 0, 2), V(127, 0, 0, 4));
    res.nlists = 1;
    res.score = 600;
    line = dnsbl_summary(&res);
    check_str(
        "several values joined with +", line,
        "ip=192.0.2.1 score=6.00 action=tag hits=spamhaus-zen:127.0.0.2+127.0.0.4:6.00 errors=");
    free(line);

    set(&l[0], "dnswl", DNSBL_HIT, -500, "", 1, V(127, 0, 10, 2), 0);
    set(&l[1], "zen", DNSBL_ERROR, 0, "code-127.255.255.254", 1, V(127, 255, 255, 254), 0);
    set(&l[2], "v4only", DNSBL_NOT_QUERIED, 0, "", 0, 0, 0);
    res.nlists = 3;
    res.score = -500;
    res.action = DNSBL_ACCEPT;
    snprintf(res.ip, sizeof(res.ip), "2001:db8::1");
    line = dnsbl_summary(&res);
    check_str("negative weight, an error code, a list not queried", line,
              "ip=2001:db8::1 score=-5.00 action=accept hits=dnswl:127.0.10.2:-5.00 "
              "errors=zen:code-127.255.255.254");
    free(line);

    res.nlists = 0;
    res.score = 0;
    res.action = DNSBL_SKIP;
    snprintf(res.ip, sizeof(res.ip), "127.0.0.1");
    line = dnsbl_summary(&res);
    check_str("not scored", line, "ip=127.0.0.1 score=0.00 action=skip hits= errors=");
    free(line);
}

/* clang-format off: a table of cases, laid out by hand */
static const struct {
    const char *label;
    const char *in;
    size_t len;  /* 0: strlen(in) */
    size_t room; /* dst size */
    const char *want;
} clean_cases[] = {
    {"plain text stays", "Listed by SBL, see https://x.example/?ip=1", 0, 64,
     "Listed by SBL, see https://x.example/?ip=1"},
    {"CR LF header injection", "bad\r\nX-Spam-Flag: NO\r\n", 0, 64, "bad X-Spam-Flag: NO"},
    {"tabs and runs of space", "  a\t\tb   c  ", 0, 64, "a b c"},
    {"control bytes", "a\001b\033[31mc\177", 0, 64, "a?b?[31mc?"},
    {"bytes above 127", "caf\xc3\xa9 \xff", 0, 64, "caf?? ?"},
    {"NUL inside", "a\0b", 3, 64, "a?b"},
    {"empty", "", 0, 64, ""},
    {"only white space", " \r\n\t ", 0, 64, ""},
    {"cut with an ellipsis", "0123456789abcdefghij", 0, 11, "0123456..."},
    {"exactly fits", "0123456789", 0, 11, "0123456789"},
};
/* clang-format on */

static void
test_clean(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(clean_cases); i++) {
        char dst[128];
        size_t len = clean_cases[i].len ? clean_cases[i].len : strlen(clean_cases[i].in);

        memset(dst, 'Z', sizeof(dst));
        dnsbl_clean_text(dst, clean_cases[i].room, (const uint8_t *)clean_cases[i].in, len);
        check_str(clean_cases[i].label, dst, clean_cases[i].want);
    }
}

static void
test_clean_long_hostile(void **state)
{
    uint8_t in[4000];
    char dst[201];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)(i * 37);
    dnsbl_clean_text(dst, sizeof(dst), in, sizeof(in));
    check_long("bounded", (long)strlen(dst), 200);
    for (i = 0; dst[i]; i++)
        if (dst[i] < 0x20 || dst[i] > 0x7e)
            fail_msg("byte %zu is 0x%02x", i, (unsigned char)dst[i]);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_lines),
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_clean_long_hostile),
    };

    return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
