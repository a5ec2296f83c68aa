/*
 * date.h: civil (proleptic Gregorian) dates and year-months, as written in
 * imports and shown on screen: strict ISO YYYY-MM-DD and YYYY-MM.
 *
 * Owns nothing; every function takes values and returns values. Years run
 * from 0001 to 9999 so that every date prints as four digits.
 * Must never read the clock: "today" is always an argument, so rules are
 * tested on any day and the register and the workstation agree.
 * No I/O.
 *
 * Japanese era dates (令和6年4月1日, R6.4.1) are parsed by
 * core_date_parse_any() (era.h) into the same struct core_date; nothing
 * here assumes that a date was written in ISO form.
 *
 * Two ages:
 *  - core_date_age_years()/_months(): the ordinary "completed years (months)
 *    on the day" rule. The age goes up on the birthday itself; when the
 *    birthday's day does not exist in a month (29 February, the 31st) it goes
 *    up on the first day of the next month. The routine schedule windows use
 *    this rule because municipal notices state them that way ("1歳の誕生日
 *    から2歳の誕生日の前日まで").
 *  - core_date_legal_age_years()/_months(): 年齢計算ニ関スル法律 with 民法
 *    第143条: the age is reached at the end of the day before the birthday
 *    (for a 29 February birthday in a common year, at the end of 28
 *    February). For questions the law asks in those words (65歳に達する日,
 *    the school-year cohort of a child born on 1 April).
 *    legal age on D == ordinary age on D + 1 day.
 */
#ifndef SESSHU_CORE_DATE_H
#define SESSHU_CORE_DATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define CORE_DATE_YEAR_MIN	1
#define CORE_DATE_YEAR_MAX	9999
#define CORE_DATE_STRLEN	11	/* "YYYY-MM-DD" and its NUL */
#define CORE_YM_STRLEN		8	/* "YYYY-MM" and its NUL */

struct core_date {
	int	y;	/* 1..9999 */
	int	m;	/* 1..12 */
	int	d;	/* 1..days in month */
};

struct core_ym {
	int	y;
	int	m;
};

bool	core_date_is_leap_year(int y);
/* Days in month m of year y, or 0 when m is not 1..12. */
int	core_date_days_in_month(int y, int m);
bool	core_date_is_valid(const struct core_date *d);

/*
 * Parses exactly "YYYY-MM-DD" from s[0..len) (s need not be NUL-terminated):
 * ASCII digits, no sign, no spaces, no time part. Says why a value is not a
 * date (wrong shape, month 13, "February 2023 has 28 days").
 */
int	core_date_parse(const char *s, size_t len, struct core_date *out,
	    struct sesshu_err *err);
/* Writes "YYYY-MM-DD" into buf, which holds at least CORE_DATE_STRLEN. */
int	core_date_format(const struct core_date *d, char *buf, size_t size);

/* <0, 0, >0 as a is before, the same day as, or after b. */
int	core_date_cmp(const struct core_date *a, const struct core_date *b);
/* Days since 1970-01-01 (negative before); d must be valid. */
long	core_date_to_days(const struct core_date *d);
/* The inverse; fails with SESSHU_ERANGE outside years 1..9999. */
int	core_date_from_days(long days, struct core_date *out,
	    struct sesshu_err *err);
/* to - from in days: 1 from 2024-02-28 to 2024-02-29. */
long	core_date_days_between(const struct core_date *from,
	    const struct core_date *to);
int	core_date_add_days(const struct core_date *d, long n,
	    struct core_date *out, struct sesshu_err *err);

/*
 * Ages on a given day (see the top of this file for the two rules). Fail
 * with SESSHU_EINVAL when on is before birth or a date is invalid.
 */
int	core_date_age_years(const struct core_date *birth,
	    const struct core_date *on, int *years, struct sesshu_err *err);
int	core_date_age_months(const struct core_date *birth,
	    const struct core_date *on, int *months, struct sesshu_err *err);
int	core_date_legal_age_years(const struct core_date *birth,
	    const struct core_date *on, int *years, struct sesshu_err *err);
int	core_date_legal_age_months(const struct core_date *birth,
	    const struct core_date *on, int *months, struct sesshu_err *err);

/* Year-months (請求年月): exactly "YYYY-MM". */
int	core_ym_parse(const char *s, size_t len, struct core_ym *out,
	    struct sesshu_err *err);
int	core_ym_format(const struct core_ym *ym, char *buf, size_t size);
int	core_ym_cmp(const struct core_ym *a, const struct core_ym *b);
struct core_ym core_ym_of(const struct core_date *d);

#endif
