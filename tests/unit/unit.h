/*
 * unit.h - helpers for the cmocka unit tests: tables of cases that say
 * "CASE: got X, want Y" when they fail.
 */
#ifndef UNIT_H
#define UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dnsbl_int.h"

#define N_CASES(t) (sizeof(t) / sizeof((t)[0]))

/* check_str - compare strings, naming the case */
static inline void
check_str(const char *label, const char *got, const char *want)
{
    if ((got == NULL) != (want == NULL) || (got != NULL && strcmp(got, want) != 0)) {
        print_error("%s:\n  got  '%s'\n  want '%s'\n", label, got ? got : "(null)",
                    want ? want : "(null)");
        fail();
    }
}

/* check_long - compare numbers, naming the case */
static inline void
check_long(const char *label, long got, long want)
{
    if (got != want) {
        print_error("%s: got %ld, want %ld\n", label, got, want);
        fail();
    }
}

#endif /* UNIT_H */
