/*
 * test_date.c: civil dates, year-months and the two age rules (core/date.h).
 * Pure: no clock is read; every "today" is a literal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/date.h"

#define D(y, m, d)	((struct core_date){ (y), (m), (d) })

static struct core_date
parse_ok(const char *s)
{
	struct sesshu_err err = { 0 };
	struct core_date d = { 0, 0, 0 };

	if (core_date_parse(s, strlen(s), &d, &err) != 0)
		fail_msg("%s: %s", s, err.msg);
	return d;
}

/* Parses s, expects a refusal whose message contains want. */
static void
parse_refused(const char *s, size_t len, const char *want)
{
	struct sesshu_err err = { 0 };
	struct core_date d = { 7, 7, 7 };

	assert_int_equal(core_date_parse(s, len, &d, &err), SESSHU_EINVAL);
	assert_int_equal(err.code, SESSHU_EINVAL);
	if (strstr(err.msg, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
	/* A refused value leaves the output untouched. */
	assert_int_equal(d.y, 7);
}

static void
test_date_parse_accepts_iso_dates(void **state)
{
	struct core_date d;

	(void)state;
	d = parse_ok("2024-02-29");
	assert_int_equal(d.y, 2024);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 29);
	d = parse_ok("0001-01-01");
	assert_int_equal(d.y, 1);
	d = parse_ok("9999-12-31");
	assert_int_equal(d.y, 9999);
	d = parse_ok("2000-02-29");	/* divisible by 400: leap */
	assert_int_equal(d.d, 29);
}

static void
test_date_parse_reads_only_len_bytes(void **state)
{
	struct core_date d;

	(void)state;
	assert_int_equal(core_date_parse("2024-01-019", 10, &d, NULL), 0);
	assert_int_equal(d.d, 1);
}

static void
test_date_parse_refuses_feb_29_in_common_year(void **state)
{
	(void)state;
	parse_refused("2023-02-29", 10, "2023-02-29 is not a date");
	parse_refused("2023-02-29", 10, "2023 is not a leap year");
	parse_refused("1900-02-29", 10, "1900 is not a leap year");
}

static void
test_date_parse_refuses_day_past_month_end(void **state)
{
	(void)state;
	parse_refused("2024-02-30", 10, "February 2024 has 29 days");
	parse_refused("2024-04-31", 10, "April 2024 has 30 days");
	parse_refused("2024-01-32", 10, "January 2024 has 31 days");
}

static void
test_date_parse_refuses_month_13_and_zero_parts(void **state)
{
	(void)state;
	parse_refused("2024-13-01", 10, "month 13 is not 01-12");
	parse_refused("2024-00-10", 10, "month 00 is not 01-12");
	parse_refused("2024-01-00", 10, "day 00 does not exist");
	parse_refused("0000-01-01", 10, "year 0000 does not exist");
}

static void
test_date_parse_refuses_surrounding_space(void **state)
{
	(void)state;
	parse_refused(" 2024-01-01", 11, "space before or after it");
	parse_refused("2024-01-01 ", 11, "\"2024-01-01 \"");
	parse_refused("2024-01-01\n", 11, "space before or after it");
	parse_refused("\t2024-01-01", 11, "space before or after it");
}

static void
test_date_parse_refuses_other_shapes(void **state)
{
	(void)state;
	parse_refused("2024-1-01", 9, "expected YYYY-MM-DD");
	parse_refused("2024/01/01", 10, "expected YYYY-MM-DD");
	parse_refused("20240101", 8, "expected YYYY-MM-DD");
	parse_refused("2024-01-01T00:00", 16, "expected YYYY-MM-DD");
	parse_refused("+024-01-01", 10, "expected YYYY-MM-DD");
	parse_refused("2024-0a-01", 10, "expected YYYY-MM-DD");
	parse_refused("", 0, "an empty value is not a date");
}

static void
test_date_parse_does_not_echo_non_ascii(void **state)
{
	/* Full-width digits: the message must not carry the raw bytes. */
	const char *fw = "２０２４-01-01";

	(void)state;
	parse_refused(fw, strlen(fw), "the value is not a date");
}

static void
test_date_parse_refuses_null_arguments(void **state)
{
	struct core_date d;
	struct sesshu_err err;

	(void)state;
	assert_int_equal(core_date_parse(NULL, 0, &d, &err), SESSHU_EINVAL);
	assert_int_equal(core_date_parse("2024-01-01", 10, NULL, &err),
	    SESSHU_EINVAL);
}

static void
test_date_format_round_trips(void **state)
{
	char buf[CORE_DATE_STRLEN];
	struct core_date d = D(812, 3, 4);

	(void)state;
	assert_int_equal(core_date_format(&d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0812-03-04");
	d = parse_ok("2024-12-31");
	assert_int_equal(core_date_format(&d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2024-12-31");
}

static void
test_date_format_refuses_small_buffer_and_invalid_date(void **state)
{
	char buf[CORE_DATE_STRLEN];
	struct core_date d = D(2024, 1, 1), bad = D(2023, 2, 29);

	(void)state;
	assert_int_equal(core_date_format(&d, buf, CORE_DATE_STRLEN - 1),
	    SESSHU_ERANGE);
	assert_int_equal(core_date_format(&bad, buf, sizeof(buf)),
	    SESSHU_EINVAL);
	assert_string_equal(buf, "");
}

static void
test_date_cmp_orders_by_year_month_day(void **state)
{
	struct core_date a = D(2024, 1, 31), b = D(2024, 2, 1);
	struct core_date c = D(2023, 12, 31), e = D(2024, 1, 31);

	(void)state;
	assert_true(core_date_cmp(&a, &b) < 0);
	assert_true(core_date_cmp(&b, &a) > 0);
	assert_true(core_date_cmp(&c, &a) < 0);
	assert_int_equal(core_date_cmp(&a, &e), 0);
	assert_true(core_date_cmp(&(struct core_date){ 2024, 1, 30 }, &a) < 0);
}

static void
test_date_day_numbers_match_known_values(void **state)
{
	(void)state;
	assert_int_equal(core_date_to_days(&D(1970, 1, 1)), 0);
	assert_int_equal(core_date_to_days(&D(2000, 3, 1)), 11017);
	assert_int_equal(core_date_to_days(&D(1969, 12, 31)), -1);
	assert_int_equal(core_date_to_days(&D(1, 1, 1)), -719162);
	assert_int_equal(core_date_to_days(&D(9999, 12, 31)), 2932896);
}

static void
test_date_day_numbers_round_trip_day_by_day(void **state)
{
	struct core_date d = D(1868, 1, 1), back;
	long n = core_date_to_days(&d);

	(void)state;
	/* 明治 to well past 令和: every day, including 1900 and 2000. */
	while (d.y < 2101) {
		assert_int_equal(core_date_from_days(n, &back, NULL), 0);
		assert_int_equal(core_date_cmp(&d, &back), 0);
		assert_true(core_date_is_valid(&back));
		n++;
		if (++d.d > core_date_days_in_month(d.y, d.m)) {
			d.d = 1;
			if (++d.m > 12) {
				d.m = 1;
				d.y++;
			}
		}
		assert_int_equal(core_date_to_days(&d), n);
	}
}

static void
test_date_from_days_refuses_outside_years_1_to_9999(void **state)
{
	struct core_date d;
	struct sesshu_err err;

	(void)state;
	assert_int_equal(core_date_from_days(-719163, &d, &err), SESSHU_ERANGE);
	assert_non_null(strstr(err.msg, "0001-9999"));
	assert_int_equal(core_date_from_days(2932897, &d, &err), SESSHU_ERANGE);
}

static void
test_date_days_between_counts_leap_day(void **state)
{
	(void)state;
	assert_int_equal(core_date_days_between(&D(2024, 2, 28),
	    &D(2024, 3, 1)), 2);
	assert_int_equal(core_date_days_between(&D(2023, 2, 28),
	    &D(2023, 3, 1)), 1);
	assert_int_equal(core_date_days_between(&D(2024, 3, 1),
	    &D(2024, 2, 28)), -2);
	assert_int_equal(core_date_days_between(&D(2024, 1, 1),
	    &D(2025, 1, 1)), 366);
}

static void
test_date_add_days_crosses_months_and_years(void **state)
{
	struct core_date d;

	(void)state;
	assert_int_equal(core_date_add_days(&D(2024, 2, 28), 1, &d, NULL), 0);
	assert_int_equal(core_date_cmp(&d, &D(2024, 2, 29)), 0);
	assert_int_equal(core_date_add_days(&D(2024, 12, 31), 1, &d, NULL), 0);
	assert_int_equal(core_date_cmp(&d, &D(2025, 1, 1)), 0);
	assert_int_equal(core_date_add_days(&D(2025, 3, 1), -1, &d, NULL), 0);
	assert_int_equal(core_date_cmp(&d, &D(2025, 2, 28)), 0);
	assert_int_equal(core_date_add_days(&D(2024, 4, 1), 0, &d, NULL), 0);
	assert_int_equal(core_date_cmp(&d, &D(2024, 4, 1)), 0);
}

static void
test_date_add_days_refuses_leaving_the_range(void **state)
{
	struct core_date d;
	struct sesshu_err err;

	(void)state;
	assert_int_equal(core_date_add_days(&D(9999, 12, 31), 1, &d, &err),
	    SESSHU_ERANGE);
	assert_int_equal(core_date_add_days(&D(1, 1, 1), -1, &d, &err),
	    SESSHU_ERANGE);
	assert_int_equal(core_date_add_days(&D(2024, 1, 1), 0x7fffffffL, &d,
	    &err), SESSHU_ERANGE);
	assert_int_equal(core_date_add_days(&D(2024, 1, 1), -0x7fffffffL, &d,
	    &err), SESSHU_ERANGE);
}

static void
test_date_add_days_refuses_invalid_date(void **state)
{
	struct core_date d;

	(void)state;
	assert_int_equal(core_date_add_days(&D(2023, 2, 29), 1, &d, NULL),
	    SESSHU_EINVAL);
}

static int
age_years(struct core_date birth, struct core_date on)
{
	int y = -1;

	assert_int_equal(core_date_age_years(&birth, &on, &y, NULL), 0);
	return y;
}

static int
age_months(struct core_date birth, struct core_date on)
{
	int m = -1;

	assert_int_equal(core_date_age_months(&birth, &on, &m, NULL), 0);
	return m;
}

static int
legal_years(struct core_date birth, struct core_date on)
{
	int y = -1;

	assert_int_equal(core_date_legal_age_years(&birth, &on, &y, NULL), 0);
	return y;
}

static int
legal_months(struct core_date birth, struct core_date on)
{
	int m = -1;

	assert_int_equal(core_date_legal_age_months(&birth, &on, &m, NULL), 0);
	return m;
}

static void
test_date_age_years_goes_up_on_the_birthday(void **state)
{
	(void)state;
	assert_int_equal(age_years(D(2020, 5, 10), D(2020, 5, 10)), 0);
	assert_int_equal(age_years(D(2020, 5, 10), D(2021, 5, 9)), 0);
	assert_int_equal(age_years(D(2020, 5, 10), D(2021, 5, 10)), 1);
	assert_int_equal(age_years(D(1959, 4, 1), D(2024, 3, 31)), 64);
	assert_int_equal(age_years(D(1959, 4, 1), D(2024, 4, 1)), 65);
}

static void
test_date_age_years_feb_29_birthday_completes_on_march_1(void **state)
{
	(void)state;
	assert_int_equal(age_years(D(2024, 2, 29), D(2025, 2, 28)), 0);
	assert_int_equal(age_years(D(2024, 2, 29), D(2025, 3, 1)), 1);
	assert_int_equal(age_years(D(2024, 2, 29), D(2028, 2, 29)), 4);
}

static void
test_date_age_months_counts_completed_months(void **state)
{
	(void)state;
	assert_int_equal(age_months(D(2024, 1, 15), D(2024, 2, 14)), 0);
	assert_int_equal(age_months(D(2024, 1, 15), D(2024, 2, 15)), 1);
	assert_int_equal(age_months(D(2024, 1, 15), D(2026, 1, 15)), 24);
	/* The 31st has no February: the month completes on 1 March. */
	assert_int_equal(age_months(D(2025, 1, 31), D(2025, 2, 28)), 0);
	assert_int_equal(age_months(D(2025, 1, 31), D(2025, 3, 1)), 1);
	assert_int_equal(age_months(D(2025, 1, 31), D(2025, 3, 30)), 1);
	assert_int_equal(age_months(D(2025, 1, 31), D(2025, 3, 31)), 2);
}

static void
test_date_legal_age_goes_up_the_day_before_the_birthday(void **state)
{
	(void)state;
	assert_int_equal(legal_years(D(2020, 5, 10), D(2021, 5, 8)), 0);
	assert_int_equal(legal_years(D(2020, 5, 10), D(2021, 5, 9)), 1);
	/* Born 1 April: reaches 6 on 31 March, so joins the earlier school
	 * year (学年). */
	assert_int_equal(legal_years(D(2018, 4, 1), D(2024, 3, 31)), 6);
	assert_int_equal(legal_years(D(2018, 4, 2), D(2024, 3, 31)), 5);
}

static void
test_date_legal_age_feb_29_birthday_reached_on_feb_28(void **state)
{
	(void)state;
	/* 民法第143条: no 29 February, so the year ends with February. */
	assert_int_equal(legal_years(D(2024, 2, 29), D(2025, 2, 27)), 0);
	assert_int_equal(legal_years(D(2024, 2, 29), D(2025, 2, 28)), 1);
	assert_int_equal(legal_years(D(2024, 2, 29), D(2028, 2, 28)), 4);
}

static void
test_date_legal_age_months_ends_with_short_month(void **state)
{
	(void)state;
	assert_int_equal(legal_months(D(2025, 1, 15), D(2025, 2, 13)), 0);
	assert_int_equal(legal_months(D(2025, 1, 15), D(2025, 2, 14)), 1);
	assert_int_equal(legal_months(D(2025, 1, 31), D(2025, 2, 27)), 0);
	assert_int_equal(legal_months(D(2025, 1, 31), D(2025, 2, 28)), 1);
	assert_int_equal(legal_months(D(2025, 1, 29), D(2025, 2, 27)), 0);
	assert_int_equal(legal_months(D(2025, 1, 29), D(2025, 2, 28)), 1);
}

static void
test_date_age_refuses_day_before_birth(void **state)
{
	struct core_date birth = D(2024, 6, 1), on = D(2024, 5, 31);
	struct sesshu_err err;
	int n;

	(void)state;
	assert_int_equal(core_date_age_years(&birth, &on, &n, &err),
	    SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "before the birth date 2024-06-01"));
	assert_int_equal(core_date_age_months(&birth, &on, &n, &err),
	    SESSHU_EINVAL);
	assert_int_equal(core_date_legal_age_years(&birth, &on, &n, &err),
	    SESSHU_EINVAL);
	assert_int_equal(core_date_legal_age_months(&birth, &on, &n, &err),
	    SESSHU_EINVAL);
}

static void
test_date_age_refuses_invalid_dates_and_null_result(void **state)
{
	struct core_date bad = D(2023, 2, 29), ok = D(2024, 1, 1);
	int n;

	(void)state;
	assert_int_equal(core_date_age_years(&bad, &ok, &n, NULL),
	    SESSHU_EINVAL);
	assert_int_equal(core_date_age_months(&ok, &bad, &n, NULL),
	    SESSHU_EINVAL);
	assert_int_equal(core_date_age_years(&ok, &ok, NULL, NULL),
	    SESSHU_EINVAL);
}

static void
test_date_legal_age_refuses_last_representable_day(void **state)
{
	struct core_date birth = D(2000, 1, 1), on = D(9999, 12, 31);
	int n;

	(void)state;
	assert_int_equal(core_date_legal_age_years(&birth, &on, &n, NULL),
	    SESSHU_ERANGE);
}

static void
test_ym_parse_accepts_and_formats(void **state)
{
	struct core_ym ym;
	char buf[CORE_YM_STRLEN];

	(void)state;
	assert_int_equal(core_ym_parse("2024-04", 7, &ym, NULL), 0);
	assert_int_equal(ym.y, 2024);
	assert_int_equal(ym.m, 4);
	assert_int_equal(core_ym_format(&ym, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2024-04");
	assert_int_equal(core_ym_format(&ym, buf, sizeof(buf) - 1),
	    SESSHU_ERANGE);
	ym.m = 13;
	assert_int_equal(core_ym_format(&ym, buf, sizeof(buf)), SESSHU_EINVAL);
}

static void
test_ym_parse_refuses_bad_year_months(void **state)
{
	static const struct {
		const char *s, *want;
	} cases[] = {
		{ "2024-4", "expected YYYY-MM" },
		{ "2024-13", "month 13 is not 01-12" },
		{ "2024-00", "month 00 is not 01-12" },
		{ "2024-04-01", "expected YYYY-MM" },
		{ " 2024-04", "space before or after it" },
		{ "0000-01", "year 0000 does not exist" },
		{ "202404", "expected YYYY-MM" },
		{ "", "expected YYYY-MM" },
	};
	struct sesshu_err err;
	struct core_ym ym;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(core_ym_parse(cases[i].s, strlen(cases[i].s),
		    &ym, &err), SESSHU_EINVAL);
		if (strstr(err.msg, cases[i].want) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].s, err.msg,
			    cases[i].want);
	}
	assert_int_equal(core_ym_parse(NULL, 0, &ym, &err), SESSHU_EINVAL);
}

static void
test_ym_cmp_and_month_of_date(void **state)
{
	struct core_ym a = { 2024, 3 }, b = { 2024, 4 }, c = { 2023, 12 };
	struct core_ym of = core_ym_of(&D(2024, 4, 30));

	(void)state;
	assert_true(core_ym_cmp(&a, &b) < 0);
	assert_true(core_ym_cmp(&b, &c) > 0);
	assert_int_equal(core_ym_cmp(&of, &b), 0);
}

static void
test_date_days_in_month_refuses_bad_month(void **state)
{
	(void)state;
	assert_int_equal(core_date_days_in_month(2024, 0), 0);
	assert_int_equal(core_date_days_in_month(2024, 13), 0);
	assert_int_equal(core_date_days_in_month(2024, 2), 29);
	assert_false(core_date_is_valid(NULL));
	assert_false(core_date_is_valid(&D(10000, 1, 1)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse_accepts_iso_dates),
		cmocka_unit_test(test_date_parse_reads_only_len_bytes),
		cmocka_unit_test(test_date_parse_refuses_feb_29_in_common_year),
		cmocka_unit_test(test_date_parse_refuses_day_past_month_end),
		cmocka_unit_test(test_date_parse_refuses_month_13_and_zero_parts),
		cmocka_unit_test(test_date_parse_refuses_surrounding_space),
		cmocka_unit_test(test_date_parse_refuses_other_shapes),
		cmocka_unit_test(test_date_parse_does_not_echo_non_ascii),
		cmocka_unit_test(test_date_parse_refuses_null_arguments),
		cmocka_unit_test(test_date_format_round_trips),
		cmocka_unit_test(test_date_format_refuses_small_buffer_and_invalid_date),
		cmocka_unit_test(test_date_cmp_orders_by_year_month_day),
		cmocka_unit_test(test_date_day_numbers_match_known_values),
		cmocka_unit_test(test_date_day_numbers_round_trip_day_by_day),
		cmocka_unit_test(test_date_from_days_refuses_outside_years_1_to_9999),
		cmocka_unit_test(test_date_days_between_counts_leap_day),
		cmocka_unit_test(test_date_add_days_crosses_months_and_years),
		cmocka_unit_test(test_date_add_days_refuses_leaving_the_range),
		cmocka_unit_test(test_date_add_days_refuses_invalid_date),
		cmocka_unit_test(test_date_age_years_goes_up_on_the_birthday),
		cmocka_unit_test(test_date_age_years_feb_29_birthday_completes_on_march_1),
		cmocka_unit_test(test_date_age_months_counts_completed_months),
		cmocka_unit_test(test_date_legal_age_goes_up_the_day_before_the_birthday),
		cmocka_unit_test(test_date_legal_age_feb_29_birthday_reached_on_feb_28),
		cmocka_unit_test(test_date_legal_age_months_ends_with_short_month),
		cmocka_unit_test(test_date_age_refuses_day_before_birth),
		cmocka_unit_test(test_date_age_refuses_invalid_dates_and_null_result),
		cmocka_unit_test(test_date_legal_age_refuses_last_representable_day),
		cmocka_unit_test(test_ym_parse_accepts_and_formats),
		cmocka_unit_test(test_ym_parse_refuses_bad_year_months),
		cmocka_unit_test(test_ym_cmp_and_month_of_date),
		cmocka_unit_test(test_date_days_in_month_refuses_bad_month),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
