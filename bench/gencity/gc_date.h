/*
 * gc_date.h: calendar arithmetic for sesshu-gencity and its checker.
 *
 * A date is a day number (days since 1970-01-01, proleptic Gregorian), so
 * that intervals are subtraction. Ages here are the everyday ones (a child
 * is 1 on its first birthday); the legal nuances of 年齢計算ニ関スル法律
 * belong to the schedule rules in src/core, not to a data generator, which
 * keeps its dates a day or more inside every window instead.
 * No I/O.
 */
#ifndef SESSHU_GC_DATE_H
#define SESSHU_GC_DATE_H

#include <stdint.h>

#define GC_DATE_NONE	INT32_MIN	/* no date: an empty CSV field */

int32_t	gc_date_days(int y, int m, int d);
void	gc_date_ymd(int32_t days, int *y, int *m, int *d);

/* Parses exactly YYYY-MM-DD (a real date, year 1800-2199); 0 or -1. */
int	gc_date_parse(const char *s, int32_t *out);

/* Writes YYYY-MM-DD and a NUL into buf (11 bytes). */
void	gc_date_format(int32_t days, char buf[11]);

/* The same day n months or years later (earlier if negative), clamped to the
 * end of a shorter month: 2024-01-31 + 1 month is 2024-02-29. */
int32_t	gc_date_add_months(int32_t days, int n);
int32_t	gc_date_add_years(int32_t days, int n);

/* 0 Sunday .. 6 Saturday. */
int	gc_date_weekday(int32_t days);

/* Completed years of age on a day. */
int	gc_date_age(int32_t birth, int32_t on);

/*
 * The school cohort (学年) of a child: the year Y such that the child was
 * born between April 2 of Y and April 1 of Y+1. The child enters
 * elementary school on April 1 of Y+7; school year n (小1 = 1 .. 高3 = 12)
 * runs from April 1 of Y+6+n to March 31 of Y+7+n.
 */
int	gc_date_cohort(int32_t birth);

/* April 1 that starts school year n of a cohort (n may be 0, the year before
 * school). */
int32_t	gc_date_school_year_start(int cohort, int n);

/* April 1 of the fiscal year (年度) that contains a day. */
int32_t	gc_date_fiscal_start(int32_t days);

#endif
