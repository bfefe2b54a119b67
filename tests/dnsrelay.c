/*
 * NAME
 *	dnsrelay - a DNS relay for tests and benchmarks: late, lost and bad answers
 * SYNOPSIS
 *	dnsrelay -l PORT -u PORT [-L LOGFILE] [-D MS]
 *	         [-r ZONE=ACTION]...
 * DESCRIPTION
 *	Listens on 127.0.0.1:PORT (UDP) and passes queries to a DNS server on
 *	127.0.0.1 (-u PORT, rbldnsd in the tests), answering for each zone as
 *	its rule says. ACTION is one of:
 *	  delay:MS   pass the query on after MS milliseconds (a slow list)
 *	  loss:PCT   drop PCT percent of the queries at random, pass the others
 *	  drop       never answer (a dead list)
 *	  servfail   answer SERVFAIL at once
 *	  refused    answer REFUSED at once
 *	  garbage    answer with the right ID and random bytes after it
 *	  truncate   pass on, then cut the answer in the middle of a record
 *	  other      pass on, then rename the answer's records to another name
 *	  hostile    answer here: A 127.0.0.2, and a TXT record built to hurt
 *	             (CR/LF header injection, control bytes, bytes above 127,
 *	             five strings, over 900 bytes in all); NXDOMAIN for the
 *	             test point 127.0.0.1, so that the list looks healthy
 *	A rule applies to the zone and every name under it; the longest
 *	matching zone wins; names matching no rule pass, after -D MS (default 0).
 *	-L logs one line per event, with milliseconds since start:
 *	  MS recv QNAME        a query arrived
 *	  MS send QNAME        its answer went back
 *	so that tests can see what the server side saw (how many queries of one
 *	client were outstanding together) rather than time anything.
 *	Stop it with SIGTERM.
 */
#include <arpa/inet.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_RULES 32
#define MAX_PKT   4096
#define MAX_PEND  65536

enum action { PASS, DELAY, DROP, SERVFAIL, REFUSED, GARBAGE, TRUNCATE, OTHER, HOSTILE, LOSS };

struct rule {
    char zone[256];
    enum action action;
    int ms;
};

/* A query on its way: kept by the ID the relay gave it upstream. */
struct pending {
    int used;
    struct sockaddr_in client;
    unsigned short client_id;
    enum action action;
    char qname[256];
    unsigned char pkt[MAX_PKT];
    size_t len;
    struct event *timer;
};

static struct rule rules[MAX_RULES];
static int nrules;
static int down_fd, up_fd;
static struct sockaddr_in upstream;
static struct pending pend[MAX_PEND];
static unsigned short next_id;
static FILE *logfp;
static struct timespec t0;
static struct event_base *base;
static int default_ms;

/* now_ms - milliseconds since start */
static long
now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
}

/* log_event - one line per event, flushed */
static void
log_event(const char *what, const char *qname)
{
    if (logfp == NULL)
        return;
    fprintf(logfp, "%ld %s %s\n", now_ms(), what, qname);
    fflush(logfp);
}

/* qname_of - the question's name as text ("" if the packet is odd) */
static void
qname_of(const unsigned char *p, size_t len, char *out, size_t outlen, size_t *qend)
{
    size_t i = 12, o = 0;

    out[0] = '\0';
    *qend = 0;
    while (i < len && p[i] != 0) {
        size_t n = p[i++];

        if (n > 63 || i + n > len || o + n + 2 > outlen) {
            out[0] = '\0';
            return;
        }
        if (o > 0)
            out[o++] = '.';
        memcpy(out + o, p + i, n);
        o += n;
        i += n;
    }
    out[o] = '\0';
    if (i + 5 <= len)
        *qend = i + 5; /* root label, type, class */
}

/* rule_for - the action for a name: longest matching zone */
static const struct rule *
rule_for(const char *qname)
{
    const struct rule *best = NULL;
    size_t ql = strlen(qname);
    int i;

    for (i = 0; i < nrules; i++) {
        size_t zl = strlen(rules[i].zone);

        if (zl > ql || strcasecmp(qname + ql - zl, rules[i].zone) != 0)
            continue;
        if (zl < ql && qname[ql - zl - 1] != '.')
            continue;
        if (best == NULL || zl > strlen(best->zone))
            best = &rules[i];
    }
    return best;
}

/* reply_to_client - send a packet back with the client's ID */
static void
reply_to_client(struct pending *pd, unsigned char *pkt, size_t len)
{
    pkt[0] = (unsigned char)(pd->client_id >> 8);
    pkt[1] = (unsigned char)(pd->client_id & 0xff);
    (void)sendto(down_fd, pkt, len, 0, (struct sockaddr *)&pd->client, sizeof(pd->client));
    log_event("send", pd->qname);
}

/* release - forget a pending query */
static void
release(struct pending *pd)
{
    if (pd->timer != NULL)
        event_free(pd->timer);
    pd->timer = NULL;
    pd->used = 0;
}

/* answer_self - SERVFAIL, REFUSED or garbage made here */
static void
answer_self(struct pending *pd)
{
    unsigned char out[MAX_PKT];
    size_t qend, i;
    char name[256];

    qname_of(pd->pkt, pd->len, name, sizeof(name), &qend);
    if (pd->action == GARBAGE) {
        memcpy(out, pd->pkt, 2);
        for (i = 2; i < 64; i++)
            out[i] = (unsigned char)(rand() & 0xff);
        reply_to_client(pd, out, 64);
        return;
    }
    if (qend == 0)
        qend = 12;
    memcpy(out, pd->pkt, qend);
    out[2] = 0x80 | (pd->pkt[2] & 0x79);              /* QR, opcode, RD */
    out[3] = 0x80 | (pd->action == SERVFAIL ? 2 : 5); /* RA, rcode */
    memset(out + 6, 0, 6);                            /* no answer, authority, additional */
    out[4] = 0;
    out[5] = 1;
    reply_to_client(pd, out, qend);
}

/* answer_hostile - A 127.0.0.2, or the nastiest TXT record we can build */
static void
answer_hostile(struct pending *pd)
{
    static const char *const strings[] = {"Listed\r\nX-Injected: yes\r\n\r\n<script>",
                                          "\001\033[31m\177\377\376 caf\303\251", NULL, NULL, NULL};
    unsigned char out[MAX_PKT], filler[250];
    size_t qend, n, i, rdstart;
    char name[256];
    int qtype;

    qname_of(pd->pkt, pd->len, name, sizeof(name), &qend);
    if (qend == 0)
        return;
    qtype = pd->pkt[qend - 4] << 8 | pd->pkt[qend - 3];
    memcpy(out, pd->pkt, qend);
    out[2] = 0x84 | (pd->pkt[2] & 0x01); /* QR, AA, RD */
    out[3] = 0x80;
    memset(out + 6, 0, 6);
    out[4] = 0;
    out[5] = 1;
    if (strncmp(name, "1.0.0.127.", 10) == 0) {
        out[3] = 0x83; /* NXDOMAIN */
        reply_to_client(pd, out, qend);
        return;
    }
    out[7] = 1;
    n = qend;
    memcpy(out + n, "\xc0\x0c", 2);
    out[n + 2] = 0;
    out[n + 3] = (unsigned char)(qtype == 16 ? 16 : 1);
    memcpy(out + n + 4, "\x00\x01\x00\x00\x00\x3c", 6); /* IN, TTL 60 */
    n += 12;
    rdstart = n;
    if (qtype == 16) {
        for (i = 0; i < 5; i++) {
            const char *str = strings[i];
            size_t len;

            if (str == NULL) {
                memset(filler, 'A' + (int)i, sizeof(filler));
                str = (const char *)filler;
                len = sizeof(filler);
            } else {
                len = strlen(str);
            }
            out[n++] = (unsigned char)len;
            memcpy(out + n, str, len);
            n += len;
        }
    } else {
        memcpy(out + n, "\x7f\x00\x00\x02", 4);
        n += 4;
    }
    out[rdstart - 2] = (unsigned char)((n - rdstart) >> 8);
    out[rdstart - 1] = (unsigned char)((n - rdstart) & 0xff);
    reply_to_client(pd, out, n);
}

/* forward - send the query upstream under the relay's ID */
static void
forward(struct pending *pd, unsigned short id)
{
    pd->pkt[0] = (unsigned char)(id >> 8);
    pd->pkt[1] = (unsigned char)(id & 0xff);
    (void)sendto(up_fd, pd->pkt, pd->len, 0, (struct sockaddr *)&upstream, sizeof(upstream));
}

/* on_delay - a delayed query's time has come */
static void
on_delay(evutil_socket_t fd, short what, void *arg)
{
    struct pending *pd = arg;

    (void)fd;
    (void)what;
    forward(pd, (unsigned short)(pd - pend));
}

/* on_query - a query from a client */
static void
on_query(evutil_socket_t fd, short what, void *arg)
{
    struct sockaddr_in from;
    socklen_t fromlen = sizeof(from);
    unsigned char pkt[MAX_PKT];
    ssize_t n = recvfrom(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&from, &fromlen);
    const struct rule *r;
    struct pending *pd;
    size_t qend;
    unsigned short id;

    (void)what;
    (void)arg;
    if (n < 12)
        return;
    id = next_id++;
    pd = &pend[id];
    release(pd); /* the oldest, if the ID space wrapped */
    pd->used = 1;
    pd->client = from;
    pd->client_id = (unsigned short)(pkt[0] << 8 | pkt[1]);
    memcpy(pd->pkt, pkt, (size_t)n);
    pd->len = (size_t)n;
    qname_of(pkt, (size_t)n, pd->qname, sizeof(pd->qname), &qend);
    log_event("recv", pd->qname);
    r = rule_for(pd->qname);
    pd->action = r ? r->action : PASS;
    if (pd->action == LOSS)
        pd->action = rand() % 100 < r->ms ? DROP : PASS;
    if (pd->action == PASS && default_ms > 0) {
        static struct rule dflt;

        dflt.ms = default_ms;
        r = &dflt;
        pd->action = DELAY;
    }
    switch (pd->action) {
    case DROP:
        release(pd);
        break;
    case SERVFAIL:
    case REFUSED:
    case GARBAGE:
        answer_self(pd);
        release(pd);
        break;
    case HOSTILE:
        answer_hostile(pd);
        release(pd);
        break;
    case DELAY: {
        struct timeval tv = {r->ms / 1000, (r->ms % 1000) * 1000};

        pd->timer = evtimer_new(base, on_delay, pd);
        evtimer_add(pd->timer, &tv);
        break;
    }
    default:
        forward(pd, id);
    }
}

/* mangle - TRUNCATE and OTHER: damage an upstream answer */
static size_t
mangle(struct pending *pd, unsigned char *pkt, size_t len)
{
    size_t qend;
    char name[256];

    qname_of(pkt, len, name, sizeof(name), &qend);
    if (pd->action == TRUNCATE && qend > 0 && len > qend + 6)
        return qend + 6; /* inside the first answer record, TC not set */
    if (pd->action == OTHER && qend > 12 && len > qend) {
        /* Answers point at the question's name (0xc00c): make it one label shorter
         * by pointing past the first label, i.e. at another name. */
        size_t i;

        for (i = qend; i + 1 < len; i++)
            if (pkt[i] == 0xc0 && pkt[i + 1] == 0x0c)
                pkt[i + 1] = (unsigned char)(12 + 1 + pkt[12]);
    }
    return len;
}

/* on_answer - an answer from upstream */
static void
on_answer(evutil_socket_t fd, short what, void *arg)
{
    unsigned char pkt[MAX_PKT];
    ssize_t n = recv(fd, pkt, sizeof(pkt), 0);
    struct pending *pd;
    size_t len;

    (void)what;
    (void)arg;
    if (n < 12)
        return;
    pd = &pend[(unsigned short)(pkt[0] << 8 | pkt[1])];
    if (!pd->used)
        return;
    len = mangle(pd, pkt, (size_t)n);
    reply_to_client(pd, pkt, len);
    release(pd);
}

/* on_term - stop */
static void
on_term(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
    event_base_loopbreak(base);
}

/* parse_rule - ZONE=ACTION */
static int
parse_rule(const char *s)
{
    const char *eq = strchr(s, '=');
    struct rule *r = &rules[nrules];

    if (eq == NULL || nrules == MAX_RULES || (size_t)(eq - s) >= sizeof(r->zone))
        return -1;
    memcpy(r->zone, s, (size_t)(eq - s));
    r->zone[eq - s] = '\0';
    eq++;
    if (strncmp(eq, "delay:", 6) == 0) {
        r->action = DELAY;
        r->ms = atoi(eq + 6);
    } else if (strcmp(eq, "drop") == 0) {
        r->action = DROP;
    } else if (strcmp(eq, "servfail") == 0) {
        r->action = SERVFAIL;
    } else if (strcmp(eq, "refused") == 0) {
        r->action = REFUSED;
    } else if (strcmp(eq, "garbage") == 0) {
        r->action = GARBAGE;
    } else if (strcmp(eq, "truncate") == 0) {
        r->action = TRUNCATE;
    } else if (strcmp(eq, "other") == 0) {
        r->action = OTHER;
    } else if (strncmp(eq, "loss:", 5) == 0) {
        r->action = LOSS;
        r->ms = atoi(eq + 5); /* the percentage */
    } else if (strcmp(eq, "hostile") == 0) {
        r->action = HOSTILE;
    } else {
        return -1;
    }
    nrules++;
    return 0;
}

/* udp_socket - a UDP socket on 127.0.0.1:port (0: any port) */
static int
udp_socket(int port)
{
    struct sockaddr_in sin;
    int fd = socket(AF_INET, SOCK_DGRAM, 0), size = 1 << 20;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((unsigned short)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
        perror("dnsrelay: bind");
        exit(1);
    }
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    evutil_make_socket_nonblocking(fd);
    return fd;
}

int
main(int argc, char **argv)
{
    int opt, lport = 0, uport = 0;
    struct event *ev_down, *ev_up, *ev_term;

    while ((opt = getopt(argc, argv, "l:u:L:r:D:")) != -1) {
        switch (opt) {
        case 'l':
            lport = atoi(optarg);
            break;
        case 'u':
            uport = atoi(optarg);
            break;
        case 'L':
            if ((logfp = fopen(optarg, "w")) == NULL) {
                perror(optarg);
                return 1;
            }
            break;
        case 'D':
            default_ms = atoi(optarg);
            break;
        case 'r':
            if (parse_rule(optarg) != 0) {
                fprintf(stderr, "dnsrelay: bad rule %s\n", optarg);
                return 2;
            }
            break;
        default:
            fprintf(stderr, "usage: dnsrelay -l PORT -u PORT [-L LOG] [-D MS] "
                            "[-r ZONE=ACTION]...\n");
            return 2;
        }
    }
    if (lport <= 0 || uport <= 0) {
        fprintf(stderr, "dnsrelay: -l and -u are required\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    srand((unsigned)getpid());
    memset(&upstream, 0, sizeof(upstream));
    upstream.sin_family = AF_INET;
    upstream.sin_port = htons((unsigned short)uport);
    upstream.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    down_fd = udp_socket(lport);
    up_fd = udp_socket(0);
    base = event_base_new();
    ev_down = event_new(base, down_fd, EV_READ | EV_PERSIST, on_query, NULL);
    ev_up = event_new(base, up_fd, EV_READ | EV_PERSIST, on_answer, NULL);
    ev_term = evsignal_new(base, SIGTERM, on_term, NULL);
    event_add(ev_down, NULL);
    event_add(ev_up, NULL);
    event_add(ev_term, NULL);
    event_base_dispatch(base);
    event_free(ev_down);
    event_free(ev_up);
    event_free(ev_term);
    event_base_free(base);
    return 0;
}
