/*
 * test_answer.c - reading answer packets, trusting nothing (core/answer.c).
 * Packets are built here byte by byte, including the broken ones a real
 * resolver would never pass on.
 */
#include <arpa/nameser.h>

#include "unit.h"

#define QNAME "2.0.0.127.bl.test"

struct pkt {
    uint8_t b[1024];
    size_t n;
};

static void
put8(struct pkt *p, unsigned v)
{
    p->b[p->n++] = (uint8_t)v;
}

static void
put16(struct pkt *p, unsigned v)
{
    put8(p, v >> 8);
    put8(p, v & 0xff);
}

static void
put32(struct pkt *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p, v & 0xffff);
}

/* put_name - a name in labels ("" is the root) */
static void
put_name(struct pkt *p, const char *name)
{
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t n = dot ? (size_t)(dot - name) : strlen(name);

        put8(p, (unsigned)n);
        memcpy(p->b + p->n, name, n);
        p->n += n;
        name += n + (dot != NULL);
    }
    put8(p, 0);
}

/* head - header and question; flags 0x8180 is a normal answer */
static void
head(struct pkt *p, unsigned flags, unsigned ancount, const char *qname, unsigned qtype)
{
    p->n = 0;
    put16(p, 0x1234);
    put16(p, flags);
    put16(p, 1);
    put16(p, ancount);
    put16(p, 0);
    put16(p, 0);
    put_name(p, qname);
    put16(p, qtype);
    put16(p, ns_c_in);
}

/* rr_a - an A record for the question's name (a compression pointer) */
static void
rr_a(struct pkt *p, uint32_t ttl, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    put16(p, 0xc00c);
    put16(p, ns_t_a);
    put16(p, ns_c_in);
    put32(p, ttl);
    put16(p, 4);
    put8(p, a);
    put8(p, b);
    put8(p, c);
    put8(p, d);
}

/* rr_txt - a TXT record of the given strings (NULL-terminated) */
static void
rr_txt(struct pkt *p, const char *const *strings)
{
    size_t lenpos, start;

    put16(p, 0xc00c);
    put16(p, ns_t_txt);
    put16(p, ns_c_in);
    put32(p, 300);
    lenpos = p->n;
    put16(p, 0);
    start = p->n;
    for (; *strings; strings++) {
        put8(p, (unsigned)strlen(*strings));
        memcpy(p->b + p->n, *strings, strlen(*strings));
        p->n += strlen(*strings);
    }
    p->b[lenpos] = (uint8_t)((p->n - start) >> 8);
    p->b[lenpos + 1] = (uint8_t)((p->n - start) & 0xff);
}

/* parse_a - parse as the answer to QNAME/A and describe the outcome */
static const char *
parse_a(const struct pkt *p, int qtype, char *buf, size_t len)
{
    struct ans_result r;
    size_t o;
    unsigned i;

    ans_parse(p->b, p->n, QNAME, qtype, &r);
    if (r.error != NULL) {
        snprintf(buf, len, "%s", r.error);
        return buf;
    }
    o = (size_t)snprintf(buf, len, "rcode=%d ttl=%u", r.rcode, r.ttl);
    for (i = 0; i < r.nvalues && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, " %u.%u.%u.%u", r.values[i] >> 24,
                              (r.values[i] >> 16) & 0xff, (r.values[i] >> 8) & 0xff,
                              r.values[i] & 0xff);
    if (r.txtlen > 0 && o < len)
        snprintf(buf + o, len - o, " txt=[%.*s]", (int)r.txtlen, r.txt);
    return buf;
}

static void
test_good_answers(void **state)
{
    struct pkt p;
    char buf[512];
    static const char *const txt1[] = {"Listed ", "by zen", NULL};
    static const char *const txt2[] = {"second", NULL};

    (void)state;
    head(&p, 0x8180, 1, QNAME, ns_t_a);
    rr_a(&p, 300, 127, 0, 0, 2);
    check_str("one A", parse_a(&p, ns_t_a, buf, sizeof(buf)), "rcode=0 ttl=300 127.0.0.2");

    head(&p, 0x8180, 2, QNAME, ns_t_a);
    rr_a(&p, 600, 127, 0, 0, 4);
    rr_a(&p, 60, 127, 0, 0, 2);
    check_str("two A, smallest TTL", parse_a(&p, ns_t_a, buf, sizeof(buf)),
              "rcode=0 ttl=60 127.0.0.4 127.0.0.2");

    head(&p, 0x8183, 0, QNAME, ns_t_a);
    check_str("NXDOMAIN", parse_a(&p, ns_t_a, buf, sizeof(buf)), "rcode=3 ttl=0");

    head(&p, 0x8180, 0, "2.0.0.127.BL.TEST", ns_t_a);
    check_str("question in other case", parse_a(&p, ns_t_a, buf, sizeof(buf)), "rcode=0 ttl=0");

    head(&p, 0x8182, 0, QNAME, ns_t_a);
    check_str("SERVFAIL is read, not judged", parse_a(&p, ns_t_a, buf, sizeof(buf)),
              "rcode=2 ttl=0");

    head(&p, 0x8180, 2, QNAME, ns_t_txt);
    rr_txt(&p, txt1);
    rr_txt(&p, txt2);
    check_str("TXT strings joined, records spaced", parse_a(&p, ns_t_txt, buf, sizeof(buf)),
              "rcode=0 ttl=300 txt=[Listed by zen second]");
}

static void
test_bad_answers(void **state)
{
    struct pkt p;
    char buf[512];
    size_t cut;

    (void)state;
    head(&p, 0x0180, 1, QNAME, ns_t_a);
    rr_a(&p, 300, 127, 0, 0, 2);
    check_str("not a response (QR clear)", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    head(&p, 0x8380, 1, QNAME, ns_t_a);
    rr_a(&p, 300, 127, 0, 0, 2);
    check_str("truncated flag", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    head(&p, 0x8180, 1, "3.0.0.127.bl.test", ns_t_a);
    rr_a(&p, 300, 127, 0, 0, 2);
    check_str("answer to another question", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    head(&p, 0x8180, 1, QNAME, ns_t_txt);
    check_str("question of another type", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    head(&p, 0x8180, 1, QNAME, ns_t_a);
    put_name(&p, "evil.example");
    put16(&p, ns_t_a);
    put16(&p, ns_c_in);
    put32(&p, 300);
    put16(&p, 4);
    put32(&p, 0x7f000002);
    check_str("A record for another name", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    head(&p, 0x8180, 1, QNAME, ns_t_a);
    put16(&p, 0xc00c);
    put16(&p, ns_t_aaaa);
    put16(&p, ns_c_in);
    put32(&p, 300);
    put16(&p, 16);
    memset(p.b + p.n, 0, 16);
    p.n += 16;
    check_str("a record type not asked for", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    head(&p, 0x8180, 1, QNAME, ns_t_a);
    put16(&p, 0xc00c);
    put16(&p, ns_t_a);
    put16(&p, ns_c_in);
    put32(&p, 300);
    put16(&p, 5);
    put32(&p, 0x7f000002);
    put8(&p, 0);
    check_str("an A record of 5 bytes", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    head(&p, 0x8180, 1, QNAME, ns_t_a);
    rr_a(&p, 300, 127, 0, 0, 2);
    cut = p.n - 3;
    p.n = cut;
    check_str("cut in the middle of a record", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    head(&p, 0x8180, 3, QNAME, ns_t_a);
    rr_a(&p, 300, 127, 0, 0, 2);
    check_str("fewer records than announced", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    p.n = 5;
    check_str("shorter than a header", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");

    head(&p, 0x8180, 1, QNAME, ns_t_txt);
    put16(&p, 0xc00c);
    put16(&p, ns_t_txt);
    put16(&p, ns_c_in);
    put32(&p, 300);
    put16(&p, 3);
    put8(&p, 10); /* a string of 10 in 2 bytes */
    put16(&p, 0x4142);
    check_str("TXT string longer than its record", parse_a(&p, ns_t_txt, buf, sizeof(buf)),
              "badanswer");

    head(&p, 0x8180, 1, QNAME, ns_t_a);
    p.b[p.n - 5] = 0xc0; /* the question's name now points at itself */
    check_str("compression loop", parse_a(&p, ns_t_a, buf, sizeof(buf)), "badanswer");
}

static void
test_cname_chain(void **state)
{
    struct pkt p;
    char buf[512];
    size_t target;

    (void)state;
    head(&p, 0x8180, 2, QNAME, ns_t_a);
    put16(&p, 0xc00c);
    put16(&p, ns_t_cname);
    put16(&p, ns_c_in);
    put32(&p, 300);
    put16(&p, 14);
    target = p.n;
    put_name(&p, "real.example"); /* 14 bytes */
    put16(&p, (unsigned)(0xc000 | target));
    put16(&p, ns_t_a);
    put16(&p, ns_c_in);
    put32(&p, 100);
    put16(&p, 4);
    put32(&p, 0x7f000004);
    check_str("an A record at the end of a CNAME", parse_a(&p, ns_t_a, buf, sizeof(buf)),
              "rcode=0 ttl=100 127.0.0.4");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_answers),
        cmocka_unit_test(test_bad_answers),
        cmocka_unit_test(test_cname_chain),
    };

    return cmocka_run_group_tests_name("answer", tests, NULL, NULL);
}
