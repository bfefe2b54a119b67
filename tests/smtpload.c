/*
 * NAME
 *	smtpload - an SMTP load generator that accounts for every message
 * SYNOPSIS
 *	smtpload -s HOST:PORT [-c CONNECTIONS] [-n MESSAGES] [-m PER_CONNECTION]
 *	         [-b SRC[,SRC...]] [-o OUTCOMES]
 * DESCRIPTION
 *	Sends MESSAGES messages over CONNECTIONS concurrent SMTP connections,
 *	PER_CONNECTION messages each before QUIT and a new connection (after a
 *	refused message too, as an MTA retrying later would). Each
 *	connection binds the next source address of -b in turn (127.x
 *	addresses, so that the server sees chosen clients). Every message
 *	carries "X-Load-Seq: N", so that delivered copies can be matched to
 *	what was sent; -o writes one line per message:
 *	  N SOURCE STAGE CODE TEXT
 *	where STAGE is rcpt or data (the reply that decided), or conn when the
 *	connection failed before a reply. At the end it prints a summary line:
 *	  sent=N accepted=N tempfail=N rejected=N failed=N seconds=S rate=R
 *	Exit 0 when every message got a reply (accepted or refused), else 1.
 *	For the benchmarks and the load tests; not a general SMTP client.
 */
#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum state { S_GREET, S_EHLO, S_MAIL, S_RCPT, S_DATA, S_BODY, S_QUIT };

struct conn {
    struct bufferevent *bev;
    enum state state;
    int sent_here; /* messages begun on this connection */
    long seq;      /* of the message under way, -1 none */
    char src[64];
    char text[512]; /* the reply so far (multi-line joined) */
};

static struct event_base *base;
static struct sockaddr_in server;
static char **sources;
static int nsources, next_source;
static const char *rcpt = "user@test.example";
static long total = 100, next_seq, done_msgs;
static int per_conn = 10, nconn = 4, active;
static long accepted, tempfail, rejected, failed;
static FILE *outcomes;

static void conn_start(void);

/* record - the outcome of one message */
static void
record(struct conn *c, const char *stage, int code, const char *text)
{
    if (c->seq < 0)
        return;
    if (code == 250 && strcmp(stage, "data") == 0)
        accepted++;
    else if (code >= 400 && code < 500)
        tempfail++;
    else if (code >= 500)
        rejected++;
    else
        failed++;
    if (outcomes != NULL)
        fprintf(outcomes, "%ld %s %s %d %s\n", c->seq, c->src, stage, code, text);
    c->seq = -1;
    done_msgs++;
}

/* conn_close - end a connection; start another while messages remain */
static void
conn_close(struct conn *c)
{
    if (c->seq >= 0)
        record(c, "conn", 0, "connection lost");
    bufferevent_free(c->bev);
    free(c);
    active--;
    if (next_seq < total)
        conn_start();
    else if (active == 0)
        event_base_loopbreak(base);
}

/* send_line - one command */
static void
send_line(struct conn *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    evbuffer_add_vprintf(bufferevent_get_output(c->bev), fmt, ap);
    va_end(ap);
}

/* quit - end the session: QUIT, and close at its reply */
static void
quit(struct conn *c)
{
    c->state = S_QUIT;
    send_line(c, "QUIT\r\n");
}

/* next_message - MAIL for the next message, or QUIT */
static void
next_message(struct conn *c)
{
    if (c->sent_here >= per_conn || next_seq >= total) {
        quit(c);
        return;
    }
    c->seq = next_seq++;
    c->sent_here++;
    c->state = S_MAIL;
    send_line(c, "MAIL FROM:<load@example.org>\r\n");
}

/* on_reply - a complete reply (code, joined text); 1 when c is gone */
static int
on_reply(struct conn *c, int code)
{
    if (code == 421) { /* the server closes: the message under way got a 4xx */
        record(c, c->state == S_BODY ? "data" : "rcpt", code, c->text);
        conn_close(c);
        return 1;
    }
    switch (c->state) {
    case S_GREET:
        c->state = S_EHLO;
        send_line(c, "EHLO load.example\r\n");
        break;
    case S_EHLO:
        next_message(c);
        break;
    case S_MAIL:
        c->state = S_RCPT;
        send_line(c, "RCPT TO:<%s>\r\n", rcpt);
        break;
    case S_RCPT:
        if (code != 250) {
            /* Refused: a new connection for the next message, as an MTA
             * retrying later would (Exim drops a client after ten RSETs). */
            record(c, "rcpt", code, c->text);
            quit(c);
            break;
        }
        c->state = S_DATA;
        send_line(c, "DATA\r\n");
        break;
    case S_DATA:
        if (code != 354) {
            record(c, "data", code, c->text);
            quit(c);
            break;
        }
        c->state = S_BODY;
        send_line(c,
                  "From: load@example.org\r\nTo: %s\r\nSubject: load %ld\r\nX-Load-Seq: %ld\r\n"
                  "\r\nMessage %ld from %s.\r\n.\r\n",
                  rcpt, c->seq, c->seq, c->seq, c->src);
        break;
    case S_BODY:
        record(c, "data", code, c->text);
        if (code != 250) {
            quit(c);
            break;
        }
        next_message(c);
        break;
    case S_QUIT:
        conn_close(c);
        return 1;
    }
    return 0;
}

/* on_read - lines of replies */
static void
on_read(struct bufferevent *bev, void *arg)
{
    struct conn *c = arg;
    char *line;
    size_t len;

    while ((line = evbuffer_readln(bufferevent_get_input(bev), &len, EVBUFFER_EOL_CRLF))) {
        if (len >= 4) {
            size_t o = strlen(c->text);

            snprintf(c->text + o, sizeof(c->text) - o, "%s%s", o ? " " : "", line + 4);
        }
        if (len < 4 || line[3] != '-') {
            int code = atoi(line);

            free(line);
            if (on_reply(c, code))
                return;
            c->text[0] = '\0';
            continue;
        }
        free(line);
    }
}

/* on_event - connection trouble or EOF */
static void
on_event(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF))
        conn_close(arg);
    /* BEV_EVENT_CONNECTED: wait for the greeting */
}

/* conn_start - a new connection from the next source address */
static void
conn_start(void)
{
    struct conn *c = calloc(1, sizeof(*c));
    struct sockaddr_in src;
    int fd;

    if (c == NULL)
        exit(1);
    c->seq = -1;
    snprintf(c->src, sizeof(c->src), "%s", nsources ? sources[next_source] : "127.0.0.1");
    if (nsources)
        next_source = (next_source + 1) % nsources;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&src, 0, sizeof(src));
    src.sin_family = AF_INET;
    if (fd < 0 || inet_pton(AF_INET, c->src, &src.sin_addr) != 1 ||
        bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0) {
        perror("smtpload: socket/bind");
        exit(1);
    }
    evutil_make_socket_nonblocking(fd);
    c->bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
    bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
    active++;
    if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&server, sizeof(server)) != 0)
        conn_close(c);
}

int
main(int argc, char **argv)
{
    struct timespec t0, t1;
    double secs;
    char *hostport = NULL, *colon;
    int opt, i;

    while ((opt = getopt(argc, argv, "s:c:n:m:b:o:")) != -1) {
        switch (opt) {
        case 's':
            hostport = optarg;
            break;
        case 'c':
            nconn = atoi(optarg);
            break;
        case 'n':
            total = atol(optarg);
            break;
        case 'm':
            per_conn = atoi(optarg);
            break;
        case 'b':
            for (char *tok = strtok(optarg, ","); tok; tok = strtok(NULL, ",")) {
                sources = realloc(sources, (size_t)(nsources + 1) * sizeof(*sources));
                sources[nsources++] = tok;
            }
            break;
        case 'o':
            if ((outcomes = fopen(optarg, "w")) == NULL) {
                perror(optarg);
                return 1;
            }
            break;
        default:
            fprintf(stderr, "usage: smtpload -s HOST:PORT [-c N] [-n N] [-m N] [-b SRC,...] "
                            "[-o FILE]\n");
            return 2;
        }
    }
    if (hostport == NULL || (colon = strchr(hostport, ':')) == NULL || nconn < 1 || per_conn < 1) {
        fprintf(stderr, "smtpload: -s HOST:PORT is required\n");
        return 2;
    }
    *colon = '\0';
    memset(&server, 0, sizeof(server));
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short)atoi(colon + 1));
    if (inet_pton(AF_INET, hostport, &server.sin_addr) != 1) {
        fprintf(stderr, "smtpload: %s is not an IPv4 address\n", hostport);
        return 2;
    }
    base = event_base_new();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; i < nconn && next_seq + (long)i * per_conn < total; i++)
        conn_start();
    event_base_dispatch(base);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("sent=%ld accepted=%ld tempfail=%ld rejected=%ld failed=%ld seconds=%.3f rate=%.1f\n",
           done_msgs, accepted, tempfail, rejected, failed, secs, secs > 0 ? done_msgs / secs : 0);
    if (outcomes != NULL)
        fclose(outcomes);
    event_base_free(base);
    return (failed == 0 && done_msgs == total) ? 0 : 1;
}
