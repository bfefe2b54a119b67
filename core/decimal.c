/*
 * NAME
 *	decimal - fixed-point numbers in hundredths
 * DESCRIPTION
 *	Weights, scores and thresholds are written as decimals in the INI file
 *	("7.5", "-0.25") and kept as integers in hundredths, so that adding
 *	weights and comparing the total with a threshold is exact: 0.1 + 0.2
 *	reaches a threshold of 0.3, which it would not in binary floating point.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "dnsbl_int.h"

/* Largest magnitude accepted by dec_parse(), in hundredths (1e9 points). */
#define DEC_MAX 100000000000L

/* dec_parse - parse [+-]digits[.d[d]] into hundredths */
int
dec_parse(const char *s, long *out)
{
    long whole = 0, frac = 0;
    int neg = 0, digits = 0, fdigits = 0;

    if (*s == '+' || *s == '-')
        neg = (*s++ == '-');
    for (; isdigit((unsigned char)*s); s++, digits++) {
        whole = whole * 10 + (*s - '0');
        if (whole * 100 > DEC_MAX)
            return -1;
    }
    if (*s == '.') {
        for (s++; isdigit((unsigned char)*s); s++, fdigits++) {
            if (fdigits >= 2)
                return -1;
            frac = frac * 10 + (*s - '0');
        }
        if (fdigits == 0)
            return -1;
        if (fdigits == 1)
            frac *= 10;
    }
    if (*s != '\0' || digits + fdigits == 0)
        return -1;
    *out = (neg ? -1 : 1) * (whole * 100 + frac);
    return 0;
}

/* dnsbl_format_points - hundredths as "D.DD", never "-0.00" */
char *
dnsbl_format_points(long hundredths, char *buf)
{
    unsigned long mag =
        hundredths < 0 ? 0UL - (unsigned long)hundredths : (unsigned long)hundredths;

    snprintf(buf, DNSBL_POINTS_BUFSZ, "%s%lu.%02lu", hundredths < 0 ? "-" : "", mag / 100,
             mag % 100);
    return buf;
}
