/*
 * test_config.c - the INI loader (core/config*.c): every invalid case with its
 * exact FILE:LINE message, the cases Debian's inih would misread, and the
 * normalised form of valid files.
 */
#include <unistd.h>

#include "unit.h"

struct logbuf {
    char text[4096];
    const char *path;
};

/* collect - the log function: messages joined with newlines, path shown as F */
static void
collect(void *arg, enum dnsbl_log_level level, const char *msg)
{
    struct logbuf *lb = arg;
    size_t plen = strlen(lb->path), o = strlen(lb->text);

    (void)level;
    if (strncmp(msg, lb->path, plen) == 0)
        snprintf(lb->text + o, sizeof(lb->text) - o, "%sF%s", o ? "\n" : "", msg + plen);
    else
        snprintf(lb->text + o, sizeof(lb->text) - o, "%s%s", o ? "\n" : "", msg);
}

/* load - write text to a file and load it; returns the config or NULL */
static dnsbl_config *
load(const char *text, size_t len, struct logbuf *lb, int *rc)
{
    char path[] = "/tmp/dnsbl-unit-XXXXXX";
    int fd = mkstemp(path);
    dnsbl_config *cfg = NULL;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    memset(lb, 0, sizeof(*lb));
    lb->path = path;
    *rc = dnsbl_config_load(path, collect, lb, &cfg);
    unlink(path);
    return cfg;
}

#define LIST "[list zen]\nzone = zen.test.bl\n"
#define Z190                                                                                       \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."                                          \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."                                          \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* clang-format off: a table of cases, laid out by hand */
static const struct {
    const char *label, *ini, *want; /* want: the errors, one per line ("": valid) */
} bad_cases[] = {
    /* structure */
    {"unknown section", "[scorring]\n" LIST,
     "F:1: unknown section [scorring] (sections are [scoring], [resolver], [actions] and [list "
     "NAME])"},
    {"key before any section", "tag = 5\n" LIST, "F:1: 'tag' comes before any [section]"},
    {"header without ]", "[scoring\ntag = 5\n" LIST, "F:1: section header without ']'"},
    {"text after a header", "[scoring] x\n" LIST, "F:1: unexpected text after the section header"},
    {"line without =", LIST "weight\n",
     "F:3: expected 'key = value' or a [section] (values cannot continue on the next line)"},
    {"colon instead of =", LIST "weight: 3\n", "F:3: write 'key = value', with '=' (not ':')"},
    {"colon in the key", LIST "a:b = 3\n", "F:3: write 'key = value', with '=' (not ':')"},
    {"indented continuation", LIST "127.0.0.2 = 6\n    7\n",
     "F:4: expected 'key = value' or a [section] (values cannot continue on the next line)"},
    {"duplicate section", "[scoring]\n[scoring]\n" LIST,
     "F:2: [scoring] appears again; it was first at line 1"},
    {"duplicate list", LIST LIST, "F:3: [list zen] appears again; it was first at line 1"},
    {"keys under a bad header are not misfiled", LIST "[list zen\nzone = other.bl\n",
     "F:3: section header without ']'"},
    {"list without a name", "[list]\nzone = x.bl\n" LIST,
     "F:1: [list]: a list needs a name: [list NAME]"},
    {"list name with a colon", "[list a:b]\nzone = x.bl\n",
     "F:1: [list a:b]: list names hold only letters, digits, '-', '_' and '.'"},
    {"list name too long", "[list aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\nzone = x.bl\n",
     "F:1: [list aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]: list names are at most 32 characters"},
    {"no list at all", "[scoring]\ntag = 5\n",
     "F: no [list NAME] section: there is nothing to query"},
    {"list without zone", "[list zen]\nweight = 2\n", "F:1: [list zen] has no zone"},
    /* keys */
    {"unknown key with a suggestion", LIST "wieght = 2\n",
     "F:3: unknown key 'wieght' in [list zen]; did you mean 'weight'?"},
    {"unknown key without one", "[resolver]\nupstream = 1.2.3.4\n" LIST,
     "F:2: unknown key 'upstream' in [resolver] (known: forwarders, resolv_conf)"},
    {"unknown key in a list lists the code lines too", LIST "colour = red\n",
     "F:3: unknown key 'colour' in [list zen] (known: zone, weight, ipv6, txt, shadow, and return "
     "codes like 127.0.0.2)"},
    {"duplicate key", LIST "weight = 2\nweight = 3\n", "F:4: weight is already set at line 3"},
    {"decimal comma", LIST "weight = 1,5\n",
     "F:3: weight: '1,5' is not a number with at most two decimals"},
    {"three decimals", "[scoring]\ntag = 4.125\n" LIST,
     "F:2: tag: '4.125' is not a number with at most two decimals"},
    {"empty value", LIST "weight =\n", "F:3: weight: '' is not a number with at most two decimals"},
    {"weight out of range", LIST "weight = 1000.01\n",
     "F:3: weight: 1000.01 is out of range (-1000.00 to 1000.00)"},
    {"zero tag", "[scoring]\ntag = 0\n" LIST, "F:2: tag: 0 is out of range (0.01 to 100000.00)"},
    {"negative timeout", "[scoring]\ntimeout_ms = -1\n" LIST,
     "F:2: timeout_ms: '-1' is not a whole number"},
    {"timeout too small", "[scoring]\ntimeout_ms = 5\n" LIST,
     "F:2: timeout_ms: 5 is out of range (10 to 60000)"},
    {"timeout too big", "[scoring]\ntimeout_ms = 600000\n" LIST,
     "F:2: timeout_ms: 600000 is out of range (10 to 60000)"},
    {"timeout with a unit", "[scoring]\ntimeout_ms = 2s\n" LIST,
     "F:2: timeout_ms: '2s' is not a whole number"},
    {"boolean", LIST "ipv6 = maybe\n", "F:3: ipv6: 'maybe' is not yes or no"},
    {"skip: not a network", "[scoring]\nskip = 10.0.0.0/8 lan\n" LIST,
     "F:2: skip: 'lan' is not an address or network"},
    {"skip: host bits", "[scoring]\nskip = 10.0.0.1/8\n" LIST,
     "F:2: skip: '10.0.0.1/8' has bits set after the prefix length"},
    {"forwarder: not an address", "[resolver]\nforwarders = dns.example\n" LIST,
     "F:2: forwarders: 'dns.example' is not an IP address (with an optional @PORT)"},
    {"forwarder: bad port", "[resolver]\nforwarders = 127.0.0.1@70000\n" LIST,
     "F:2: forwarders: '127.0.0.1@70000' has an invalid port after '@'"},
    {"forwarder: colon port", "[resolver]\nforwarders = 127.0.0.1:53\n" LIST,
     "F:2: forwarders: '127.0.0.1:53' is not an IP address (with an optional @PORT)"},
    {"forwarders: empty", "[resolver]\nforwarders =\n" LIST,
     "F:2: forwarders: no address given (leave the key out to use /etc/resolv.conf)"},
    {"resolv_conf: relative", "[resolver]\nresolv_conf = resolv.conf\n" LIST,
     "F:2: resolv_conf: 'resolv.conf' is not an absolute path"},
    {"forwarders and resolv_conf",
     "[resolver]\nforwarders = 127.0.0.1\nresolv_conf = /etc/r\n" LIST,
     "F:3: set forwarders or resolv_conf, not both"},
    {"zone: bad character", "[list zen]\nzone = zen spamhaus.org\n",
     "F:2: zone: 'zen spamhaus.org' holds a character not allowed in a DNS name"},
    {"zone: empty", "[list zen]\nzone =\n", "F:2: zone: no domain given"},
    {"zone: empty label", "[list zen]\nzone = zen..org\n",
     "F:2: zone: 'zen..org' has an empty label"},
    {"zone: too long for IPv6 names", "[list zen]\nzone = " Z190 "\n",
     "F:2: zone: '" Z190 "' is too long for a DNS name once the address is prepended"},
    {"the same zone fits an IPv4-only list", "[list zen]\nipv6 = no\nzone = " Z190 "\n", ""},
    {"an empty forwarders line after another",
     "[resolver]\nforwarders = 127.0.0.1\nforwarders =\n" LIST,
     "F:3: forwarders: no address given (leave the key out to use /etc/resolv.conf)"},
    {"an empty skip line after another", "[scoring]\nskip = 10.0.0.0/8\nskip =\n" LIST,
     "F:3: skip: an empty line after others adds nothing (an empty first line means: skip no "
     "network)"},
    {"booleans in any case", LIST "ipv6 = No\ntxt = YES\n", ""},
    /* actions */
    {"on_error", "[actions]\non_error = reject\n" LIST,
     "F:2: on_error: 'reject' is not accept or defer"},
    {"header name with a space", "[actions]\nscore_header = X DNSBL\n" LIST,
     "F:2: score_header: 'X DNSBL' is not a header name (printable characters, no space or ':')"},
    {"header name with a colon", "[actions]\nreport_header = X-Report:\n" LIST,
     "F:2: report_header: 'X-Report:' is not a header name (printable characters, no space or "
     "':')"},
    {"flag header without a value", "[actions]\nflag_header = X-Spam-Flag:\n" LIST,
     "F:2: flag_header: 'X-Spam-Flag:' has no value after ':'"},
    {"flag header without a colon", "[actions]\nflag_header = YES\n" LIST,
     "F:2: flag_header: 'YES' is not 'Name: value' (or empty for no flag header)"},
    {"URL with a space", "[actions]\ninfo_url = http://x.example/a b\n" LIST,
     "F:2: info_url: 'http://x.example/a b' holds a space or a character that is not printable "
     "ASCII"},
    {"empty URL", "[actions]\ninfo_url =\n" LIST,
     "F:2: info_url: '' is empty (leave the key out for none)"},
    {"unknown key in [actions]", "[actions]\non_eror = defer\n" LIST,
     "F:2: unknown key 'on_eror' in [actions]; did you mean 'on_error'?"},
    /* thresholds */
    {"tag above reject", "[scoring]\ntag = 12\nreject = 10\n" LIST,
     "F:3: tag (12.00) is above reject (10.00): thresholds must satisfy tag <= defer <= reject"},
    {"defer above reject", "[scoring]\ndefer = 11\n" LIST,
     "F:2: defer (11.00) is above reject (10.00): thresholds must satisfy tag <= defer <= reject"},
    {"defer below tag", "[scoring]\ntag = 5\ndefer = 4\n" LIST,
     "F:3: tag (5.00) is above defer (4.00): thresholds must satisfy tag <= defer <= reject"},
    {"default tag above a low reject", "[scoring]\nreject = 3\n" LIST,
     "F:2: tag (5.00) is above reject (3.00): thresholds must satisfy tag <= defer <= reject"},
    /* code lines */
    {"code outside 127/8", LIST "10.0.0.2 = 3\n",
     "F:3: '10.0.0.2' is outside 127.0.0.0/8, where DNSBL return codes live"},
    {"code not a code", LIST "127.0.0.x = 3\n",
     "F:3: '127.0.0.x' is not a return code (127.0.0.2), range, CIDR block or &mask"},
    {"reversed range", LIST "127.0.0.7-127.0.0.4 = 3\n",
     "F:3: '127.0.0.7-127.0.0.4' is a range whose first value is above its last"},
    {"code weight not a number", LIST "127.0.0.2 = high\n",
     "F:3: 127.0.0.2: 'high' is not a weight (a number with at most two decimals) or 'error'"},
    {"code weight out of range", LIST "127.0.0.2 = -2000\n",
     "F:3: 127.0.0.2: -2000 is out of range (-1000.00 to 1000.00)"},
    {"duplicate code", LIST "127.0.0.2 = 3\n127.0.0.2 = 4\n",
     "F:4: '127.0.0.2' is already given at line 3"},
    {"duplicate in another form", LIST "127.0.0.2/32 = 3\n127.0.0.2 = 4\n",
     "F:4: '127.0.0.2' is already given at line 3"},
    {"every error, not only the first", "[scoring]\ntag = x\n[list a]\nweight = y\nfoo = 1\n",
     "F:2: tag: 'x' is not a number with at most two decimals\nF:4: weight: 'y' is not a number "
     "with at "
     "most two decimals\nF:5: unknown key 'foo' in [list a] (known: zone, weight, ipv6, txt, "
     "shadow, and "
     "return codes like 127.0.0.2)\nF:3: [list a] has no zone"},
};
/* clang-format on */

static void
test_bad_files(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_CASES(bad_cases); i++) {
        struct logbuf lb;
        int rc;
        dnsbl_config *cfg = load(bad_cases[i].ini, strlen(bad_cases[i].ini), &lb, &rc);

        check_str(bad_cases[i].label, lb.text, bad_cases[i].want);
        if (*bad_cases[i].want == '\0') { /* a near miss that is valid */
            check_long(bad_cases[i].label, rc, 0);
            assert_non_null(cfg);
            dnsbl_config_free(cfg);
        } else if (rc <= 0 || cfg != NULL) {
            print_error("%s: got rc %d, want the number of errors\n", bad_cases[i].label, rc);
            fail();
        }
    }
}

/* The ways Debian's inih (200-byte lines, multi-line values, no line numbers)
 * would misread a file: each is an error or is read as meant, never silently. */
static void
test_inih_traps(void **state)
{
    char text[1024];
    struct logbuf lb;
    dnsbl_config *cfg;
    int rc, n;

    (void)state;
    /* A long comment whose tail would become a key. */
    n = snprintf(text, sizeof(text), LIST "; %0190d weight = 900\n", 0);
    cfg = load(text, (size_t)n, &lb, &rc);
    check_str("long comment", lb.text,
              "F:3: line is longer than 198 characters, the most the INI parser reads");
    dnsbl_config_free(cfg);

    /* A long skip list would be cut silently; here it is refused... */
    n = snprintf(
        text, sizeof(text), "[scoring]\nskip = %s\n" LIST,
        "10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 127.0.0.0/8 169.254.0.0/16 100.64.0.0/10 "
        "fe80::/10 fc00::/7 ::1/128 2001:db8::/32 192.0.2.0/24 198.51.100.0/24 203.0.113.0/24 "
        "233.252.0.0/24 2001:db8:ffff::/48");
    cfg = load(text, (size_t)n, &lb, &rc);
    check_str("long skip line", lb.text,
              "F:2: line is longer than 198 characters, the most the INI parser reads");
    dnsbl_config_free(cfg);

    /* ...and may take several lines instead. */
    n = snprintf(text, sizeof(text),
                 "[scoring]\nskip = 10.0.0.0/8\nskip = 192.168.0.0/16 fc00::/7\n" LIST);
    cfg = load(text, (size_t)n, &lb, &rc);
    check_str("skip over two lines: no error", lb.text, "");
    assert_non_null(cfg);
    check_long("skip over two lines adds up", (long)cfg->nskip, 3);
    dnsbl_config_free(cfg);

    /* Indented keys are fine: indentation never means continuation. */
    n = snprintf(text, sizeof(text),
                 "[list zen]\n    zone = zen.test.bl\n\tweight = 2\n    127.0.0.2 = 6\n");
    cfg = load(text, (size_t)n, &lb, &rc);
    check_str("indented keys", lb.text, "");
    assert_non_null(cfg);
    check_long("indented weight read", cfg->lists[0].weight, 200);
    check_long("indented code read", (long)cfg->lists[0].nrules, 2);
    dnsbl_config_free(cfg);

    /* A NUL byte. */
    cfg = load(LIST "weight = 2\0 0\n", sizeof(LIST) - 1 + 13, &lb, &rc);
    check_str("NUL byte", lb.text, "F:3: the line holds a NUL byte");
    dnsbl_config_free(cfg);
}

static void
test_good_file(void **state)
{
    static const char ini[] = "\xEF\xBB\xBF; a comment\r\n"
                              "# another\n"
                              "[scoring]\r\n"
                              "tag = 4.5   ; inline comment\n"
                              "defer = 8\n"
                              "reject = 10\n"
                              "timeout_ms = 900\n"
                              "skip =\n"
                              "cache_seconds = 0\n"
                              "[resolver]\n"
                              "forwarders = 127.0.0.1@5353 ::1\n"
                              "[actions]\n"
                              "on_error = defer\n"
                              "skip_authenticated = no\n"
                              "score_header = X-Score\n"
                              "flag_header =\n"
                              "info_url = https://example.org/why?ip={ip}\n"
                              "[list spamhaus-zen]\n"
                              "zone = ZEN.example.\n"
                              "127.0.0.2 = 6\n"
                              "127.0.0.4-127.0.0.7 = 4\n"
                              "127.0.0.10-127.0.0.11 = 0.5\n"
                              "&0.0.0.8 = 2\n"
                              "127.255.255.0/24 = error\n"
                              "ipv6 = no\n"
                              "txt = yes\n"
                              "[list dnswl]\n"
                              "zone = list.dnswl.example\n"
                              "weight = -5\n";
    static const char want[] = "; F, normalised\n"
                               "[scoring]\n"
                               "tag = 4.50\n"
                               "defer = 8.00\n"
                               "reject = 10.00\n"
                               "timeout_ms = 900\n"
                               "cache_seconds = 0\n"
                               "health_interval = 600\n"
                               "early_verdict = yes\n"
                               "skip =\n"
                               "\n"
                               "[resolver]\n"
                               "forwarders = 127.0.0.1@5353 ::1\n"
                               "\n"
                               "[actions]\n"
                               "on_error = defer\n"
                               "skip_authenticated = no\n"
                               "score_header = X-Score\n"
                               "report_header = X-DNSBL-Report\n"
                               "flag_header =\n"
                               "info_url = https://example.org/why?ip={ip}\n"
                               "reply_txt = no\n"
                               "\n"
                               "[list spamhaus-zen]\n"
                               "zone = ZEN.example\n"
                               "weight = 1.00\n"
                               "ipv6 = no\n"
                               "txt = yes\n"
                               "shadow = no\n"
                               "127.255.255.0/24 = error\n"
                               "127.0.0.2 = 6.00\n"
                               "127.0.0.4-127.0.0.7 = 4.00\n"
                               "127.0.0.10-127.0.0.11 = 0.50\n"
                               "&0.0.0.8 = 2.00\n"
                               "\n"
                               "[list dnswl]\n"
                               "zone = list.dnswl.example\n"
                               "weight = -5.00\n"
                               "ipv6 = yes\n"
                               "txt = no\n"
                               "shadow = no\n"
                               "; 127.255.255.0/24 = error (built in)\n";
    struct logbuf lb;
    dnsbl_config *cfg;
    char *dump, *p;
    int rc;

    (void)state;
    cfg = load(ini, sizeof(ini) - 1, &lb, &rc);
    check_str("no error", lb.text, "");
    check_long("rc", rc, 0);
    assert_non_null(cfg);
    dump = dnsbl_config_dump(cfg);
    p = strstr(dump, ", normalised"); /* the first line names the temporary file */
    assert_non_null(p);
    p -= 1;
    memcpy(p - 2, "; F", 3);
    check_str("normalised", p - 2, want);
    free(dump);
    dnsbl_config_free(cfg);
}

static void
test_error_block_override(void **state)
{
    static const char ini[] = LIST "127.255.255.0/24 = 5\n";
    struct logbuf lb;
    dnsbl_config *cfg;
    const struct code_rule *r;
    int rc;

    (void)state;
    cfg = load(ini, sizeof(ini) - 1, &lb, &rc);
    check_str("the built-in error block written out with a weight: no error", lb.text, "");
    assert_non_null(cfg);
    check_long("one rule: it replaces the built-in one", (long)cfg->lists[0].nrules, 1);
    r = code_match(cfg->lists[0].rules, cfg->lists[0].nrules, 0x7ffffffe);
    check_long("127.255.255.254 now weighs 5", r->is_error ? -1 : r->weight, 500);
    dnsbl_config_free(cfg);
}

static void
test_defaults(void **state)
{
    struct logbuf lb;
    dnsbl_config *cfg;
    char *dump, *p;
    int rc;

    (void)state;
    cfg = load(LIST, sizeof(LIST) - 1, &lb, &rc);
    assert_non_null(cfg);
    dump = dnsbl_config_dump(cfg);
    p = strstr(dump, "[scoring]");
    assert_non_null(p);
    *strstr(p, "[list") = '\0';
    check_str(
        "defaults", p,
        "[scoring]\ntag = 5.00\n; defer is not set: no temporary rejects\nreject = 10.00\n"
        "timeout_ms = 1500\ncache_seconds = 300\nhealth_interval = 600\nearly_verdict = yes\n"
        "skip = 127.0.0.0/8 10.0.0.0/8 172.16.0.0/12\nskip = 192.168.0.0/16 169.254.0.0/16 "
        "::1/128\n"
        "skip = fe80::/10 fc00::/7\n\n[resolver]\nresolv_conf = /etc/resolv.conf\n\n"
        "[actions]\non_error = accept\nskip_authenticated = yes\nscore_header = X-DNSBL-Score\n"
        "report_header = X-DNSBL-Report\nflag_header = X-Spam-Flag: YES\nreply_txt = no\n\n");
    free(dump);
    dnsbl_config_free(cfg);
}

static void
test_missing_file(void **state)
{
    struct logbuf lb;
    dnsbl_config *cfg = NULL;

    (void)state;
    memset(&lb, 0, sizeof(lb));
    lb.path = "/nonexistent/dnsbl.ini";
    check_long("rc", dnsbl_config_load(lb.path, collect, &lb, &cfg), 1);
    check_str("missing", lb.text, "F: cannot open: No such file or directory");
    assert_null(cfg);
    memset(&lb, 0, sizeof(lb));
    lb.path = "/tmp";
    check_long("rc", dnsbl_config_load(lb.path, collect, &lb, &cfg), 1);
    check_str("directory", lb.text, "F: is a directory, not a configuration file");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_inih_traps),
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_error_block_override),
        cmocka_unit_test(test_missing_file),
    };

    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
