/*
 * gc_date.c: calendar arithmetic for sesshu-gencity; see gc_date.h.
 *
 * The day-number conversions are Howard Hinnant's days_from_civil and
 * civil_from_days, exact for the whole proleptic Gregorian calendar.
 */
#include "gc_date.h"

#include <string.h>

int32_t
gc_date_days(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
gc_date_ymd(int32_t days, int *y, int *m, int *d)
{
	int32_t z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int
gc_date_parse(const char *s, int32_t *out)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	*out = gc_date_days(y, m, d);
	return 0;
}

void
gc_date_format(int32_t days, char buf[11])
{
	int y, m, d;

	gc_date_ymd(days, &y, &m, &d);
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int32_t
gc_date_add_months(int32_t days, int n)
{
	int y, m, d, total;

	gc_date_ymd(days, &y, &m, &d);
	total = y * 12 + (m - 1) + n;
	y = total / 12;
	m = total % 12 + 1;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	return gc_date_days(y, m, d);
}

int32_t
gc_date_add_years(int32_t days, int n)
{
	return gc_date_add_months(days, 12 * n);
}

int
gc_date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday. */
	int w = (int)((days % 7 + 7 + 4) % 7);

	return w;
}

int
gc_date_age(int32_t birth, int32_t on)
{
	int by, bm, bd, y, m, d, age;

	gc_date_ymd(birth, &by, &bm, &bd);
	gc_date_ymd(on, &y, &m, &d);
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

int
gc_date_cohort(int32_t birth)
{
	int y, m, d;

	gc_date_ymd(birth, &y, &m, &d);
	if (m > 4 || (m == 4 && d >= 2))
		return y;
	return y - 1;
}

int32_t
gc_date_school_year_start(int cohort, int n)
{
	return gc_date_days(cohort + 6 + n, 4, 1);
}

int32_t
gc_date_fiscal_start(int32_t days)
{
	int y, m, d;

	gc_date_ymd(days, &y, &m, &d);
	return gc_date_days(m >= 4 ? y : y - 1, 4, 1);
}
