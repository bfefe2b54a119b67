/*
 * NAME
 *	lshost - load the Exim module and call it the way Exim does
 * SYNOPSIS
 *	lshost MODULE.so [-m MESSAGES] [-a] ADDRESS...
 * DESCRIPTION
 *	A small stand-in for Exim, for memcheck (make check-valgrind): it
 *	provides the part of Exim's local_scan API the module uses
 *	(log_write, header_add, header_remove, expand_string, store_get,
 *	string_sprintf, string_copy, lss_match_domain, and the variables), dlopens the
 *	module as Debian's Exim does (checking its version functions), and
 *	for each ADDRESS calls dnsbl_check as an ACL would, then local_scan,
 *	MESSAGES times (as on one connection), printing what came back. -a
 *	makes the sender authenticated; an empty ADDRESS is a local
 *	submission. Store is released after each message, as Exim's is.
 */
#define _GNU_SOURCE /* vasprintf */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef unsigned char uschar;

/* What the module reads of Exim (names and types as in local_scan.h). */
typedef struct recipient_item {
    uschar *address;
    int pno;
    uschar *errors_to;
    uschar *orcpt;
    int dsn_flags;
} recipient_item;

uschar *sender_host_address;
uschar *sender_host_authenticated;
int recipients_count;
recipient_item *recipients_list;

/* Exim's store: everything handed out is freed at the end of a message. */
static void **store;
static size_t nstore;

static void *
keep(void *p)
{
    void **s = realloc(store, (nstore + 1) * sizeof(*s));

    if (p == NULL || s == NULL) {
        fprintf(stderr, "lshost: out of memory\n");
        exit(1);
    }
    store = s;
    store[nstore++] = p;
    return p;
}

static void
store_reset(void)
{
    while (nstore > 0)
        free(store[--nstore]);
}

void *store_get_3(int size, const void *proto_mem, const char *func, int line);
uschar *string_sprintf_trc(const char *fmt, const uschar *func, unsigned line, ...);
uschar *string_copy_function(const uschar *s);
void log_write(unsigned int selector, int flags, const char *format, ...);
void header_add(int type, const char *format, ...);
void header_remove(int occurrence, const uschar *name);
uschar *expand_string(uschar *string);
int lss_match_domain(uschar *domain, uschar *list);

void *
store_get_3(int size, const void *proto_mem, const char *func, int line)
{
    (void)proto_mem;
    (void)func;
    (void)line;
    return keep(calloc(1, (size_t)size + 1));
}

uschar *
string_sprintf_trc(const char *fmt, const uschar *func, unsigned line, ...)
{
    char *s = NULL;
    va_list ap;

    (void)func;
    va_start(ap, line);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return keep(s);
}

uschar *
string_copy_function(const uschar *s)
{
    return keep(strdup((const char *)s));
}

void
log_write(unsigned int selector, int flags, const char *format, ...)
{
    va_list ap;

    (void)selector;
    (void)flags;
    printf("LOG: ");
    va_start(ap, format);
    vprintf(format, ap);
    va_end(ap);
    printf("\n");
}

void
header_add(int type, const char *format, ...)
{
    va_list ap;

    (void)type;
    printf("HEADER: ");
    va_start(ap, format);
    vprintf(format, ap);
    va_end(ap);
}

void
header_remove(int occurrence, const uschar *name)
{
    printf("REMOVE: %d %s\n", occurrence, (const char *)name);
}

static int authenticated;

uschar *
expand_string(uschar *string)
{
    if (strcmp((char *)string, "$authenticated_id") == 0)
        return (uschar *)(authenticated ? "alice" : "");
    return (uschar *)"";
}

int
lss_match_domain(uschar *domain, uschar *list)
{
    (void)list;
    return strcasecmp((char *)domain, "test.example") == 0 ? 0 : 2; /* OK, FAIL */
}

int
main(int argc, char **argv)
{
    int (*major)(void), (*minor)(void), (*scan)(int, uschar **);
    int (*check)(uschar **, int, uschar **);
    int messages = 1, i, m;
    static char default_rcpt[] = "user@test.example";
    char *rcpt = default_rcpt;
    void *h;

    if (argc < 3) {
        fprintf(stderr, "usage: lshost MODULE.so [-m MESSAGES] [-r RCPT] [-a] ADDRESS...\n");
        return 2;
    }
    if ((h = dlopen(argv[1], RTLD_NOW)) == NULL) {
        fprintf(stderr, "lshost: %s\n", dlerror());
        return 1;
    }
    *(void **)&major = dlsym(h, "local_scan_version_major");
    *(void **)&minor = dlsym(h, "local_scan_version_minor");
    *(void **)&scan = dlsym(h, "local_scan");
    *(void **)&check = dlsym(h, "dnsbl_check");
    if (major == NULL || minor == NULL || scan == NULL || check == NULL || major() != 6) {
        fprintf(stderr, "lshost: not a local_scan module of ABI 6\n");
        return 1;
    }
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
            messages = atoi(argv[++i]);
            continue;
        }
        if (strcmp(argv[i], "-a") == 0) {
            authenticated = 1;
            continue;
        }
        for (m = 0; m < messages; m++) {
            recipient_item r = {(uschar *)rcpt, -1, NULL, NULL, 0};

            uschar *yield = NULL, *text = NULL, *args[1] = {(uschar *)argv[i]};
            int rc;

            sender_host_address = *argv[i] ? (uschar *)argv[i] : NULL;
            recipients_list = &r;
            recipients_count = 1;
            rc = check(&yield, 1, args);
            printf("ACL %s: %d %s\n", argv[i], rc, yield ? (char *)yield : "");
            rc = scan(0, &text);
            printf("LOCAL_SCAN %s: %d %s\n", argv[i], rc, text ? (char *)text : "");
            store_reset();
        }
    }
    free(store);
    /* Exim never unloads the module: its per-process state lives until exit. */
    return 0;
}
