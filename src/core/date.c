/*
 * date.c: civil dates; see date.h.
 *
 * Hand-written rather than taken from libc or GLib: core links neither GLib
 * nor anything that reads the time zone, and mktime()/GDate bring locale,
 * time zone or allocation with them. The day-number conversion is the
 * well-known days-from-civil algorithm over 400-year eras.
 */
#include "core/date.h"

#include <stdio.h>
#include <string.h>

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/*
 * A short, safe rendering of a rejected value for a message: printable
 * ASCII is shown (in quotes when it has spaces), anything else is not
 * echoed, so a message never carries bytes a terminal would interpret.
 */
static void
describe(const char *s, size_t len, char *buf, size_t size)
{
	bool spaces = false;

	if (len == 0) {
		snprintf(buf, size, "an empty value");
		return;
	}
	if (len > 24) {
		snprintf(buf, size, "the value");
		return;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ')
			spaces = true;
		else if (c < 0x21 || c > 0x7e) {
			snprintf(buf, size, "the value");
			return;
		}
	}
	if (spaces)
		snprintf(buf, size, "\"%.*s\"", (int)len, s);
	else
		snprintf(buf, size, "%.*s", (int)len, s);
}

static bool
all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int
digits_value(const char *s, size_t len)
{
	int v = 0;

	for (size_t i = 0; i < len; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool
has_outer_space(const char *s, size_t len)
{
	return len > 0 && (s[0] == ' ' || s[0] == '\t' ||
	    s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
	    s[len - 1] == '\n');
}

/* Writes v (0 <= v < 10^width) as width digits; the callers validated v.
 * Not snprintf: the compiler cannot see the ranges and warns of
 * truncation under -Werror=format-truncation. */
static void
put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

bool
core_date_is_leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
core_date_days_in_month(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && core_date_is_leap_year(y))
		return 29;
	return days[m - 1];
}

bool
core_date_is_valid(const struct core_date *d)
{
	return d != NULL &&
	    d->y >= CORE_DATE_YEAR_MIN && d->y <= CORE_DATE_YEAR_MAX &&
	    d->m >= 1 && d->m <= 12 &&
	    d->d >= 1 && d->d <= core_date_days_in_month(d->y, d->m);
}

/* Year and month checks shared by dates and year-months. */
static int
check_year_month(const char *what, int y, int m, const char *shown,
    struct sesshu_err *err)
{
	if (y < CORE_DATE_YEAR_MIN)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a %s (year 0000 does not exist)", shown, what);
	if (m < 1 || m > 12)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a %s (month %02d is not 01-12)", shown, what, m);
	return 0;
}

int
core_date_parse(const char *s, size_t len, struct core_date *out,
    struct sesshu_err *err)
{
	char shown[40];
	struct core_date d;
	int r;

	if (s == NULL || out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "no date given");
	describe(s, len, shown, sizeof(shown));
	if (len == 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a date (expected YYYY-MM-DD)", shown);
	if (has_outer_space(s, len))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a date (space before or after it)", shown);
	if (len != 10 || s[4] != '-' || s[7] != '-' ||
	    !all_digits(s, 4) || !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a date (expected YYYY-MM-DD in ASCII digits)",
		    shown);
	d.y = digits_value(s, 4);
	d.m = digits_value(s + 5, 2);
	d.d = digits_value(s + 8, 2);
	if ((r = check_year_month("date", d.y, d.m, shown, err)) != 0)
		return r;
	if (d.d < 1)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a date (day 00 does not exist)", shown);
	if (d.d > core_date_days_in_month(d.y, d.m)) {
		if (d.m == 2 && d.d == 29)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "%s is not a date (%04d is not a leap year)",
			    shown, d.y);
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a date (%s %04d has %d days)", shown,
		    month_names[d.m - 1], d.y,
		    core_date_days_in_month(d.y, d.m));
	}
	*out = d;
	return 0;
}

int
core_date_format(const struct core_date *d, char *buf, size_t size)
{
	if (buf == NULL || size < CORE_DATE_STRLEN)
		return SESSHU_ERANGE;
	if (!core_date_is_valid(d)) {
		buf[0] = '\0';
		return SESSHU_EINVAL;
	}
	put_digits(buf, d->y, 4);
	buf[4] = '-';
	put_digits(buf + 5, d->m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d->d, 2);
	buf[10] = '\0';
	return 0;
}

int
core_date_cmp(const struct core_date *a, const struct core_date *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return 0;
}

/* Days from civil: years are shifted to start in March so that the leap
 * day is the last day of the shifted year. */
long
core_date_to_days(const struct core_date *d)
{
	long y = d->y - (d->m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;				/* 0..399 */
	long mp = d->m > 2 ? d->m - 3 : d->m + 9;		/* 0..11 */
	long doy = (153 * mp + 2) / 5 + d->d - 1;		/* 0..365 */
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* 0..146096 */

	return era * 146097 + doe - 719468;
}

/* Day numbers of 0001-01-01 and 9999-12-31. */
#define DAYS_MIN	(-719162L)
#define DAYS_MAX	2932896L

int
core_date_from_days(long days, struct core_date *out, struct sesshu_err *err)
{
	long z, era, doe, yoe, y, doy, mp;

	if (days < DAYS_MIN || days > DAYS_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "day %ld is outside the years 0001-9999", days);
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->y = (int)(y + (out->m <= 2));
	return 0;
}

long
core_date_days_between(const struct core_date *from, const struct core_date *to)
{
	return core_date_to_days(to) - core_date_to_days(from);
}

int
core_date_add_days(const struct core_date *d, long n, struct core_date *out,
    struct sesshu_err *err)
{
	long days;

	if (!core_date_is_valid(d))
		return sesshu_err_set(err, SESSHU_EINVAL, "invalid date");
	/* Both bounds are far inside long, so this cannot overflow. */
	if (n < DAYS_MIN - DAYS_MAX || n > DAYS_MAX - DAYS_MIN)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "adding %ld days leaves the years 0001-9999", n);
	days = core_date_to_days(d) + n;
	if (days < DAYS_MIN || days > DAYS_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "adding %ld days leaves the years 0001-9999", n);
	return core_date_from_days(days, out, err);
}

static int
check_age_args(const struct core_date *birth, const struct core_date *on,
    const void *result, struct sesshu_err *err)
{
	char b[CORE_DATE_STRLEN], o[CORE_DATE_STRLEN];

	if (result == NULL || !core_date_is_valid(birth) ||
	    !core_date_is_valid(on))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "age asked of an invalid date");
	if (core_date_cmp(on, birth) < 0) {
		core_date_format(birth, b, sizeof(b));
		core_date_format(on, o, sizeof(o));
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "age asked on %s, before the birth date %s", o, b);
	}
	return 0;
}

/*
 * Completed months: the month is complete on the day whose day-of-month
 * reaches the birth day; a missing day (the 31st in April) therefore
 * completes on the first of the next month.
 */
static int
completed_months(const struct core_date *birth, const struct core_date *on)
{
	return (on->y - birth->y) * 12 + (on->m - birth->m) -
	    (on->d < birth->d ? 1 : 0);
}

int
core_date_age_years(const struct core_date *birth, const struct core_date *on,
    int *years, struct sesshu_err *err)
{
	int r;

	if ((r = check_age_args(birth, on, years, err)) != 0)
		return r;
	*years = completed_months(birth, on) / 12;
	return 0;
}

int
core_date_age_months(const struct core_date *birth, const struct core_date *on,
    int *months, struct sesshu_err *err)
{
	int r;

	if ((r = check_age_args(birth, on, months, err)) != 0)
		return r;
	*months = completed_months(birth, on);
	return 0;
}

/*
 * 年齢計算ニ関スル法律 counts the day of birth (初日算入) and 民法第143条
 * ends a period at the end of the day before the corresponding day, or at
 * the end of the month when that day does not exist. Both amount to the
 * ordinary completed count taken on the next day.
 */
static int
legal_next_day(const struct core_date *birth, const struct core_date *on,
    const void *result, struct core_date *next, struct sesshu_err *err)
{
	int r;

	if ((r = check_age_args(birth, on, result, err)) != 0)
		return r;
	return core_date_add_days(on, 1, next, err);
}

int
core_date_legal_age_years(const struct core_date *birth,
    const struct core_date *on, int *years, struct sesshu_err *err)
{
	struct core_date next;
	int r;

	if ((r = legal_next_day(birth, on, years, &next, err)) != 0)
		return r;
	*years = completed_months(birth, &next) / 12;
	return 0;
}

int
core_date_legal_age_months(const struct core_date *birth,
    const struct core_date *on, int *months, struct sesshu_err *err)
{
	struct core_date next;
	int r;

	if ((r = legal_next_day(birth, on, months, &next, err)) != 0)
		return r;
	*months = completed_months(birth, &next);
	return 0;
}

int
core_ym_parse(const char *s, size_t len, struct core_ym *out,
    struct sesshu_err *err)
{
	char shown[40];
	struct core_ym ym;
	int r;

	if (s == NULL || out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "no year-month given");
	describe(s, len, shown, sizeof(shown));
	if (has_outer_space(s, len))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a year-month (space before or after it)", shown);
	if (len != 7 || s[4] != '-' || !all_digits(s, 4) ||
	    !all_digits(s + 5, 2))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a year-month (expected YYYY-MM in ASCII digits)",
		    shown);
	ym.y = digits_value(s, 4);
	ym.m = digits_value(s + 5, 2);
	if ((r = check_year_month("year-month", ym.y, ym.m, shown, err)) != 0)
		return r;
	*out = ym;
	return 0;
}

int
core_ym_format(const struct core_ym *ym, char *buf, size_t size)
{
	if (buf == NULL || size < CORE_YM_STRLEN)
		return SESSHU_ERANGE;
	if (ym == NULL || ym->y < CORE_DATE_YEAR_MIN ||
	    ym->y > CORE_DATE_YEAR_MAX || ym->m < 1 || ym->m > 12) {
		buf[0] = '\0';
		return SESSHU_EINVAL;
	}
	put_digits(buf, ym->y, 4);
	buf[4] = '-';
	put_digits(buf + 5, ym->m, 2);
	buf[7] = '\0';
	return 0;
}

int
core_ym_cmp(const struct core_ym *a, const struct core_ym *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	return 0;
}

struct core_ym
core_ym_of(const struct core_date *d)
{
	struct core_ym ym = { d->y, d->m };

	return ym;
}
