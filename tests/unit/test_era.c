/*
 * test_era.c: dates and year-months as typed on the entry screens, 和暦 and
 * Western (core/era.h). Pure: no clock is read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/era.h"

#define D(y, m, d)	((struct core_date){ (y), (m), (d) })

static struct core_date
parse_ok(const char *s)
{
	struct sesshu_err err = { 0 };
	struct core_date d = { 0, 0, 0 };

	if (core_date_parse_any(s, strlen(s), &d, &err) != 0)
		fail_msg("%s: %s", s, err.msg);
	return d;
}

static void
assert_parses_to(const char *s, int y, int m, int d)
{
	struct core_date got = parse_ok(s);

	if (got.y != y || got.m != m || got.d != d)
		fail_msg("%s: got %04d-%02d-%02d, want %04d-%02d-%02d", s,
		    got.y, got.m, got.d, y, m, d);
}

/* Parses s, expects a refusal whose message contains want. */
static void
refused(const char *s, size_t len, const char *want)
{
	struct sesshu_err err = { 0 };
	struct core_date d = { 7, 7, 7 };

	if (core_date_parse_any(s, len, &d, &err) != SESSHU_EINVAL)
		fail_msg("%.*s: accepted as %04d-%02d-%02d", (int)len, s, d.y,
		    d.m, d.d);
	assert_int_equal(err.code, SESSHU_EINVAL);
	if (strstr(err.msg, want) == NULL)
		fail_msg("%.*s: message \"%s\" lacks \"%s\"", (int)len, s,
		    err.msg, want);
	/* A refused value leaves the output untouched. */
	assert_int_equal(d.y, 7);
	assert_int_equal(d.m, 7);
	assert_int_equal(d.d, 7);
}

static void
refused_s(const char *s, const char *want)
{
	refused(s, strlen(s), want);
}

static void
assert_era(struct core_date d, const char *want)
{
	char buf[CORE_ERA_STRLEN];

	assert_int_equal(core_date_format_era(&d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void
assert_era_short(struct core_date d, const char *want)
{
	char buf[CORE_ERA_SHORT_STRLEN];

	assert_int_equal(core_date_format_era_short(&d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static struct core_ym
ym_ok(const char *s)
{
	struct sesshu_err err = { 0 };
	struct core_ym ym = { 0, 0 };

	if (core_ym_parse_any(s, strlen(s), &ym, &err) != 0)
		fail_msg("%s: %s", s, err.msg);
	return ym;
}

static void
ym_refused(const char *s, const char *want)
{
	struct sesshu_err err = { 0 };
	struct core_ym ym = { 7, 7 };

	if (core_ym_parse_any(s, strlen(s), &ym, &err) != SESSHU_EINVAL)
		fail_msg("%s: accepted as %04d-%02d", s, ym.y, ym.m);
	if (strstr(err.msg, want) == NULL)
		fail_msg("%s: message \"%s\" lacks \"%s\"", s, err.msg, want);
	assert_int_equal(ym.y, 7);
	assert_int_equal(ym.m, 7);
}

/* Each era's first and last day, by letter and by name. */
static const struct {
	const char	*letter, *kanji;
	int		 y, m, d;
} edges[] = {
	{ "M6.1.1", "明治6年1月1日", 1873, 1, 1 },
	{ "M45.7.30", "明治45年7月30日", 1912, 7, 30 },
	{ "T1.7.30", "大正元年7月30日", 1912, 7, 30 },
	{ "T15.12.25", "大正15年12月25日", 1926, 12, 25 },
	{ "S1.12.25", "昭和元年12月25日", 1926, 12, 25 },
	{ "S64.1.7", "昭和64年1月7日", 1989, 1, 7 },
	{ "H1.1.8", "平成元年1月8日", 1989, 1, 8 },
	{ "H31.4.30", "平成31年4月30日", 2019, 4, 30 },
	{ "R1.5.1", "令和元年5月1日", 2019, 5, 1 },
};

static void
test_era_parse_accepts_first_and_last_day_of_each_era(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		assert_parses_to(edges[i].letter, edges[i].y, edges[i].m,
		    edges[i].d);
		assert_parses_to(edges[i].kanji, edges[i].y, edges[i].m,
		    edges[i].d);
	}
}

static void
test_era_format_writes_first_and_last_day_of_each_era(void **state)
{
	(void)state;
	assert_era(D(1873, 1, 1), "明治6年1月1日");
	assert_era(D(1912, 7, 29), "明治45年7月29日");
	assert_era(D(1912, 7, 30), "大正元年7月30日");
	assert_era(D(1926, 12, 24), "大正15年12月24日");
	assert_era(D(1926, 12, 25), "昭和元年12月25日");
	assert_era(D(1989, 1, 7), "昭和64年1月7日");
	assert_era(D(1989, 1, 8), "平成元年1月8日");
	assert_era(D(2019, 4, 30), "平成31年4月30日");
	assert_era(D(2019, 5, 1), "令和元年5月1日");
	assert_era_short(D(1873, 1, 1), "M6.1.1");
	assert_era_short(D(1912, 7, 29), "M45.7.29");
	assert_era_short(D(1912, 7, 30), "T1.7.30");
	assert_era_short(D(1926, 12, 24), "T15.12.24");
	assert_era_short(D(1926, 12, 25), "S1.12.25");
	assert_era_short(D(1989, 1, 7), "S64.1.7");
	assert_era_short(D(1989, 1, 8), "H1.1.8");
	assert_era_short(D(2019, 4, 30), "H31.4.30");
	assert_era_short(D(2019, 5, 1), "R1.5.1");
}

static void
test_era_day_shared_by_two_eras_is_written_in_the_newer(void **state)
{
	(void)state;
	/* Both names parse to the same day; the newer one is written. */
	assert_parses_to("明治45年7月30日", 1912, 7, 30);
	assert_parses_to("大正元年7月30日", 1912, 7, 30);
	assert_era(D(1912, 7, 30), "大正元年7月30日");
	assert_parses_to("大正15年12月25日", 1926, 12, 25);
	assert_era(D(1926, 12, 25), "昭和元年12月25日");
}

static void
test_era_format_writes_gannen_for_year_one(void **state)
{
	(void)state;
	assert_era(D(2019, 12, 31), "令和元年12月31日");
	assert_era(D(2020, 1, 1), "令和2年1月1日");
	assert_era(D(1989, 12, 31), "平成元年12月31日");
	assert_era_short(D(2019, 12, 31), "R1.12.31");
}

static void
test_era_parse_accepts_gannen(void **state)
{
	(void)state;
	assert_parses_to("令和元年5月1日", 2019, 5, 1);
	assert_parses_to("平成元年2月1日", 1989, 2, 1);
	assert_parses_to("R元.5.1", 2019, 5, 1);
	assert_parses_to("令和1年5月1日", 2019, 5, 1);
}

static void
test_date_parse_any_accepts_western_notations(void **state)
{
	(void)state;
	assert_parses_to("2024-04-01", 2024, 4, 1);
	assert_parses_to("2024/4/1", 2024, 4, 1);
	assert_parses_to("2024.4.1", 2024, 4, 1);
	assert_parses_to("2024-4-1", 2024, 4, 1);
	assert_parses_to("2024/04/01", 2024, 4, 1);
	assert_parses_to("20240401", 2024, 4, 1);
	assert_parses_to("2024年4月1日", 2024, 4, 1);
	assert_parses_to("2024-02-29", 2024, 2, 29);
}

static void
test_date_parse_any_keeps_the_years_of_date_h(void **state)
{
	(void)state;
	assert_parses_to("0001-01-01", 1, 1, 1);
	assert_parses_to("9999-12-31", 9999, 12, 31);
	assert_parses_to("1872-12-31", 1872, 12, 31);
	refused_s("0000-01-01", "year 0000 does not exist");
	refused_s("00000101", "year 0000 does not exist");
}

static void
test_date_parse_any_accepts_era_letter_notations(void **state)
{
	(void)state;
	assert_parses_to("R6.4.1", 2024, 4, 1);
	assert_parses_to("r6.4.1", 2024, 4, 1);
	assert_parses_to("R06.04.01", 2024, 4, 1);
	assert_parses_to("H30.12.5", 2018, 12, 5);
	assert_parses_to("h30.12.5", 2018, 12, 5);
	assert_parses_to("S64.1.7", 1989, 1, 7);
	assert_parses_to("s64.1.7", 1989, 1, 7);
	assert_parses_to("T15.12.25", 1926, 12, 25);
	assert_parses_to("t15.12.25", 1926, 12, 25);
	assert_parses_to("M45.7.29", 1912, 7, 29);
	assert_parses_to("m45.7.29", 1912, 7, 29);
	assert_parses_to("R6/4/1", 2024, 4, 1);
	assert_parses_to("R6-4-1", 2024, 4, 1);
	assert_parses_to("R6年4月1日", 2024, 4, 1);
}

static void
test_date_parse_any_accepts_era_names(void **state)
{
	(void)state;
	assert_parses_to("令和6年4月1日", 2024, 4, 1);
	assert_parses_to("平成30年12月5日", 2018, 12, 5);
	assert_parses_to("令和元年5月1日", 2019, 5, 1);
	assert_parses_to("昭和64年1月7日", 1989, 1, 7);
	assert_parses_to("大正15年12月25日", 1926, 12, 25);
	assert_parses_to("明治45年7月29日", 1912, 7, 29);
	assert_parses_to("令和06年04月01日", 2024, 4, 1);
	assert_parses_to("令和6.4.1", 2024, 4, 1);
	/* The one-character era names a pasted value may carry. */
	assert_parses_to("㋿6年4月1日", 2024, 4, 1);
	assert_parses_to("㍻30年12月5日", 2018, 12, 5);
	assert_parses_to("㍼64年1月7日", 1989, 1, 7);
	assert_parses_to("㍽15年12月25日", 1926, 12, 25);
	assert_parses_to("㍾45年7月29日", 1912, 7, 29);
}

static void
test_date_parse_any_folds_full_width_input(void **state)
{
	(void)state;
	assert_parses_to("Ｒ６．４．１", 2024, 4, 1);
	assert_parses_to("ｒ６．４．１", 2024, 4, 1);
	assert_parses_to("２０２４／４／１", 2024, 4, 1);
	assert_parses_to("２０２４－０４－０１", 2024, 4, 1);
	assert_parses_to("２０２４０４０１", 2024, 4, 1);
	assert_parses_to("令和６年４月１日", 2024, 4, 1);
	assert_parses_to("Ｈ３０／１２／５", 2018, 12, 5);
	assert_parses_to("R６.4．1", 2024, 4, 1);
}

static void
test_date_parse_any_reads_input_method_signs(void **state)
{
	(void)state;
	/* Kana mode types 。 for '.', ・ for '/', ー for '-'. */
	assert_parses_to("R6。4。1", 2024, 4, 1);
	assert_parses_to("2024・4・1", 2024, 4, 1);
	assert_parses_to("2024ー04ー01", 2024, 4, 1);
	assert_parses_to("2024−04−01", 2024, 4, 1);
	assert_parses_to("R6｡4｡1", 2024, 4, 1);
}

static void
test_date_parse_any_ignores_surrounding_spaces(void **state)
{
	(void)state;
	assert_parses_to("  R6.4.1  ", 2024, 4, 1);
	assert_parses_to("\t2024-04-01\t", 2024, 4, 1);
	assert_parses_to("　令和6年4月1日　", 2024, 4, 1);
	assert_parses_to(" 　 Ｒ６．４．１　 ", 2024, 4, 1);
}

static void
test_date_parse_any_refuses_space_inside(void **state)
{
	(void)state;
	refused_s("2024 04 01", "a space inside the date");
	refused_s("令和6年　4月1日", "a space inside the date");
	refused_s("R 6.4.1", "a space inside the date");
	refused_s("2024-04-01\n", "control character U+000A");
}

static void
test_date_parse_any_reads_only_len_bytes(void **state)
{
	struct core_date d;

	(void)state;
	assert_int_equal(core_date_parse_any("R6.4.19", 6, &d, NULL), 0);
	assert_int_equal(d.d, 1);
	/* A value cut inside a full-width character is invalid UTF-8. */
	refused("Ｒ６．４．１", 14, "invalid UTF-8");
}

static void
test_date_parse_any_refuses_day_zero_and_month_13(void **state)
{
	(void)state;
	refused_s("R6.4.0", "R6.4.0 is not a date: day 0 does not exist");
	refused_s("2024-04-00", "day 0 does not exist");
	refused_s("令和6年4月0日", "day 0 does not exist");
	refused_s("R6.13.1", "month 13 is not 1-12");
	refused_s("2024-13-01", "month 13 is not 1-12");
	refused_s("20241301", "month 13 is not 1-12");
	refused_s("R6.0.1", "month 0 is not 1-12");
	refused_s("令和6年13月1日", "month 13 is not 1-12");
}

static void
test_date_parse_any_refuses_feb_29_in_common_year(void **state)
{
	(void)state;
	refused_s("2023-02-29", "2023 is not a leap year");
	refused_s("R5.2.29", "2023 (令和5年) is not a leap year");
	refused_s("令和5年2月29日", "2023 (令和5年) is not a leap year");
	refused_s("M33.2.29", "1900 (明治33年) is not a leap year");
	assert_parses_to("H12.2.29", 2000, 2, 29);
	assert_parses_to("R6.2.29", 2024, 2, 29);
}

static void
test_date_parse_any_refuses_day_past_month_end(void **state)
{
	(void)state;
	refused_s("R6.4.31", "April 2024 (令和6年) has 30 days");
	refused_s("2024/2/30", "February 2024 has 29 days");
	refused_s("令和元年6月31日", "June 2019 (令和元年) has 30 days");
	refused_s("R6.4.32", "April 2024 (令和6年) has 30 days");
}

static void
test_date_parse_any_refuses_era_date_outside_its_era(void **state)
{
	(void)state;
	refused_s("平成32年1月1日", "平成32年 does not exist: 平成 ended on "
	    "2019-04-30 (平成31年4月30日); 2020 is 令和2年");
	refused_s("H32.1.1", "平成32年 does not exist");
	refused_s("S65.1.1", "昭和65年 does not exist: 昭和 ended on "
	    "1989-01-07 (昭和64年1月7日); 1990 is 平成2年");
	refused_s("T16.1.1", "1927 is 昭和2年");
	refused_s("M46.1.1", "1913 is 大正2年");
	refused_s("H9999.1.1", "平成9999年 does not exist: 平成 ended on "
	    "2019-04-30 (平成31年4月30日)");
	refused_s("H31.5.1", "平成31年5月1日 does not exist: 平成 ended on "
	    "2019-04-30 (平成31年4月30日); that day is 令和元年5月1日");
	refused_s("平成31年5月1日", "that day is 令和元年5月1日");
	refused_s("S64.1.8", "昭和64年1月8日 does not exist: 昭和 ended on "
	    "1989-01-07 (昭和64年1月7日); that day is 平成元年1月8日");
	refused_s("令和元年4月30日", "令和元年4月30日 does not exist: 令和 "
	    "began on 2019-05-01 (令和元年5月1日); "
	    "that day is 平成31年4月30日");
	refused_s("R1.4.30", "令和 began on 2019-05-01");
	refused_s("H1.1.7", "that day is 昭和64年1月7日");
	refused_s("T1.7.29", "that day is 明治45年7月29日");
	refused_s("M45.7.31", "明治 ended on 1912-07-30 (明治45年7月30日); "
	    "that day is 大正元年7月31日");
	refused_s("T15.12.26", "大正 ended on 1926-12-25 (大正15年12月25日)");
	refused_s("S1.12.24", "that day is 大正15年12月24日");
}

static void
test_date_parse_any_refuses_meiji_before_gregorian_calendar(void **state)
{
	(void)state;
	refused_s("M5.12.2", "明治5年 is before 明治6年1月1日 (1873-01-01), "
	    "when Japan took up the Gregorian calendar");
	refused_s("明治元年10月23日", "明治元年 is before 明治6年1月1日");
	assert_parses_to("M6.1.1", 1873, 1, 1);
}

static void
test_date_parse_any_refuses_era_year_zero(void **state)
{
	(void)state;
	refused_s("R0.5.1", "令和0年 does not exist: the first year of an "
	    "era is 元年 (令和元年 is 2019)");
	refused_s("令和0年5月1日", "令和0年 does not exist");
}

static void
test_date_parse_any_refuses_unknown_era_letter(void **state)
{
	(void)state;
	refused_s("X6.4.1", "X6.4.1 is not a date: X is not an era letter "
	    "(M 明治, T 大正, S 昭和, H 平成, R 令和)");
	refused_s("A1.1.1", "A is not an era letter");
	refused_s("Ｋ６．４．１", "K is not an era letter");
	refused_s("today", "expected a date such as 2024-04-01, R6.4.1 or "
	    "令和6年4月1日");
	refused_s("大化2年1月1日", "expected a date such as");
}

static void
test_date_parse_any_refuses_trailing_junk(void **state)
{
	(void)state;
	refused_s("R6.4.1x", "unexpected characters after the day");
	refused_s("2024-04-01T00:00", "unexpected characters after the day");
	refused_s("令和6年4月1日(月)", "unexpected characters after the day");
	refused_s("R6.4.1.", "unexpected characters after the day");
	refused_s("R6.4.1.5", "unexpected characters after the day");
	refused_s("2024-04-01-", "unexpected characters after the day");
}

static void
test_date_parse_any_refuses_empty_and_blank(void **state)
{
	(void)state;
	refused("", 0, "an empty value is not a date: type e.g. 2024-04-01, "
	    "R6.4.1 or 令和6年4月1日");
	refused_s("   ", "an empty value is not a date");
	refused_s("　", "an empty value is not a date");
	refused_s(" \t　 ", "an empty value is not a date");
}

static void
test_date_parse_any_refuses_other_shapes(void **state)
{
	(void)state;
	/* No year without an era, and no guessing the era from today. */
	refused_s("6.4.1", "a year without an era has four digits");
	refused_s("６．４．１", "a year without an era has four digits");
	refused_s("24/4/1", "a year without an era has four digits");
	refused_s("2024/4-1", "'/' and '-' are mixed");
	refused_s("R6.4/1", "'.' and '/' are mixed");
	refused_s("2024-04", "no day after the month");
	refused_s("R6.4", "no day after the month");
	refused_s("2024-", "no month after the year");
	refused_s("2024", "expected 8 digits");
	refused_s("2024041", "expected 8 digits");
	refused_s("R060401", "an era year has one to four digits");
	refused_s("R0604", "no month after the year");
	refused_s("R", "no year after the era");
	refused_s("令和", "no year after the era");
	refused_s("R6", "no month after the year");
	refused_s("2024-004-01", "the month has more than two digits");
	refused_s("2024-04-001", "the day has more than two digits");
	refused_s("2024--01", "no month after the year");
	refused_s("2024:04:01", "expected 年, '.', '/' or '-' after the year");
	refused_s("2024年4月1", "expected 日 after the day");
	refused_s("2024年4", "expected 月 after the month");
	refused_s("2024年4月", "no day after the month");
	refused_s("2024-04 01", "a space inside the date");
}

static void
test_date_parse_any_refuses_invalid_utf8_and_controls(void **state)
{
	(void)state;
	refused("R6.4.1\xff", 7, "invalid UTF-8 at byte 7");
	refused("\xe4\xbb\xa4\xe5\x92", 5, "invalid UTF-8 at byte 4");
	refused("R6\0.4.1", 7, "control character U+0000 at byte 3");
	refused("R6.4.1\x1b[2J", 10, "control character U+001B");
	refused("R6.4.1\xc2\x9b", 8, "control character U+009B");
}

static void
test_date_parse_any_does_not_echo_long_or_unprintable_input(void **state)
{
	const char *longv = "R6.4.1 and some more words here, too";
	struct sesshu_err err;
	struct core_date d;

	(void)state;
	assert_true(strlen(longv) > 32);
	assert_int_equal(core_date_parse_any(longv, strlen(longv), &d, &err),
	    SESSHU_EINVAL);
	assert_null(strstr(err.msg, "some more"));
	assert_non_null(strstr(err.msg, "the value is not a date"));
	/* A right-to-left override is not echoed. */
	refused("R6.4.1\xe2\x80\xae", 9, "the value is not a date");
	refused("R6.4.1\x1b", 7, "the value is not a date");
	/* 32 bytes of padding and more is still a date: outer spaces do
	 * not count. */
	assert_parses_to("                                        R6.4.1", 2024,
	    4, 1);
	/* Short printable values are shown, quoted when they hold a
	 * space. */
	refused_s("R6.4.1x", "R6.4.1x is not a date");
	refused_s("R6 4 1", "\"R6 4 1\" is not a date");
	refused_s("令和6年4月1日です", "令和6年4月1日です is not a date");
}

static void
test_date_parse_any_refuses_value_longer_than_input_max(void **state)
{
	char big[CORE_ERA_INPUT_MAX + 2];

	(void)state;
	memset(big, '1', sizeof(big));
	refused(big, sizeof(big), "66 bytes is longer than any date");
}

static void
test_date_parse_any_refuses_null_arguments(void **state)
{
	struct core_date d;
	struct sesshu_err err;

	(void)state;
	assert_int_equal(core_date_parse_any(NULL, 0, &d, &err),
	    SESSHU_EINVAL);
	assert_string_equal(err.msg, "no date given");
	assert_int_equal(core_date_parse_any("R6.4.1", 6, NULL, &err),
	    SESSHU_EINVAL);
	/* err may be NULL. */
	assert_int_equal(core_date_parse_any("R6.4.0", 6, &d, NULL),
	    SESSHU_EINVAL);
}

static void
test_date_to_era_names_era_year_month_day(void **state)
{
	struct core_era_date e;
	struct sesshu_err err;

	(void)state;
	assert_int_equal(core_date_to_era(&D(2024, 4, 1), &e, &err), 0);
	assert_string_equal(e.era_ja, "令和");
	assert_int_equal(e.letter, 'R');
	assert_int_equal(e.year, 6);
	assert_int_equal(e.m, 4);
	assert_int_equal(e.d, 1);
	assert_int_equal(core_date_to_era(&D(1989, 1, 7), &e, &err), 0);
	assert_string_equal(e.era_ja, "昭和");
	assert_int_equal(e.letter, 'S');
	assert_int_equal(e.year, 64);
	assert_int_equal(core_date_to_era(&D(1873, 1, 1), &e, &err), 0);
	assert_string_equal(e.era_ja, "明治");
	assert_int_equal(e.year, 6);
}

static void
test_date_to_era_has_no_era_before_1873(void **state)
{
	struct core_era_date e;

	(void)state;
	assert_int_equal(core_date_to_era(&D(1872, 12, 31), &e, NULL), 0);
	assert_null(e.era_ja);
	assert_int_equal(e.letter, '\0');
	assert_int_equal(e.year, 0);
	assert_int_equal(e.m, 12);
	assert_int_equal(e.d, 31);
	assert_int_equal(core_date_to_era(&D(1868, 10, 23), &e, NULL), 0);
	assert_null(e.era_ja);
}

static void
test_date_to_era_refuses_invalid_date(void **state)
{
	struct core_era_date e;
	struct sesshu_err err;

	(void)state;
	assert_int_equal(core_date_to_era(&D(2023, 2, 29), &e, &err),
	    SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "invalid date"));
	assert_int_equal(core_date_to_era(NULL, &e, NULL), SESSHU_EINVAL);
	assert_int_equal(core_date_to_era(&D(2024, 4, 1), NULL, NULL),
	    SESSHU_EINVAL);
}

static void
test_date_format_both_shows_western_and_era(void **state)
{
	char buf[CORE_DATE_BOTH_STRLEN];

	(void)state;
	assert_int_equal(core_date_format_both(&D(2024, 4, 1), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "2024-04-01 (令和6年4月1日)");
	assert_int_equal(core_date_format_both(&D(2019, 5, 1), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "2019-05-01 (令和元年5月1日)");
	/* No era before the Gregorian calendar: the Western date alone. */
	assert_int_equal(core_date_format_both(&D(1872, 12, 31), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "1872-12-31");
	/* The longest: a four-digit 令和 year. */
	assert_int_equal(core_date_format_both(&D(9999, 12, 31), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "9999-12-31 (令和7981年12月31日)");
}

static void
test_date_format_era_refuses_small_buffer_invalid_date_and_pre_1873(
    void **state)
{
	char buf[CORE_DATE_BOTH_STRLEN];

	(void)state;
	assert_int_equal(core_date_format_era(&D(2024, 4, 1), buf,
	    CORE_ERA_STRLEN - 1), SESSHU_ERANGE);
	assert_int_equal(core_date_format_era(&D(2024, 4, 1), NULL,
	    CORE_ERA_STRLEN), SESSHU_ERANGE);
	assert_int_equal(core_date_format_era_short(&D(2024, 4, 1), buf,
	    CORE_ERA_SHORT_STRLEN - 1), SESSHU_ERANGE);
	assert_int_equal(core_date_format_both(&D(2024, 4, 1), buf,
	    CORE_DATE_BOTH_STRLEN - 1), SESSHU_ERANGE);

	memcpy(buf, "junk", 5);
	assert_int_equal(core_date_format_era(&D(2023, 2, 29), buf,
	    sizeof(buf)), SESSHU_EINVAL);
	assert_string_equal(buf, "");
	memcpy(buf, "junk", 5);
	assert_int_equal(core_date_format_era_short(NULL, buf, sizeof(buf)),
	    SESSHU_EINVAL);
	assert_string_equal(buf, "");
	memcpy(buf, "junk", 5);
	assert_int_equal(core_date_format_both(&D(2024, 13, 1), buf,
	    sizeof(buf)), SESSHU_EINVAL);
	assert_string_equal(buf, "");

	memcpy(buf, "junk", 5);
	assert_int_equal(core_date_format_era(&D(1872, 12, 31), buf,
	    sizeof(buf)), SESSHU_ERANGE);
	assert_string_equal(buf, "");
	assert_int_equal(core_date_format_era_short(&D(1872, 12, 31), buf,
	    sizeof(buf)), SESSHU_ERANGE);
	assert_string_equal(buf, "");
}

static void
test_era_format_round_trips_every_day_1873_to_2100(void **state)
{
	struct core_date d = D(1873, 1, 1), back;
	char era[CORE_ERA_STRLEN], shrt[CORE_ERA_SHORT_STRLEN];
	char iso[CORE_DATE_STRLEN];
	struct sesshu_err err;

	(void)state;
	while (d.y <= 2100) {
		assert_int_equal(core_date_format_era(&d, era, sizeof(era)), 0);
		if (core_date_parse_any(era, strlen(era), &back, &err) != 0)
			fail_msg("%s: %s", era, err.msg);
		assert_int_equal(core_date_cmp(&d, &back), 0);

		assert_int_equal(core_date_format_era_short(&d, shrt,
		    sizeof(shrt)), 0);
		if (core_date_parse_any(shrt, strlen(shrt), &back, &err) != 0)
			fail_msg("%s: %s", shrt, err.msg);
		assert_int_equal(core_date_cmp(&d, &back), 0);

		assert_int_equal(core_date_format(&d, iso, sizeof(iso)), 0);
		if (core_date_parse_any(iso, strlen(iso), &back, &err) != 0)
			fail_msg("%s: %s", iso, err.msg);
		assert_int_equal(core_date_cmp(&d, &back), 0);

		assert_int_equal(core_date_add_days(&d, 1, &d, NULL), 0);
	}
}

static void
test_era_format_round_trips_reiwa_years_past_99(void **state)
{
	static const struct core_date days[] = {
		{ 2117, 12, 31 }, { 2118, 1, 1 }, { 2204, 4, 1 },
		{ 9999, 12, 31 },
	};
	char buf[CORE_ERA_STRLEN];
	struct core_date back;

	(void)state;
	/* 令和 has no end, so what is written must read back. */
	assert_era(D(2118, 1, 1), "令和100年1月1日");
	assert_era(D(9999, 12, 31), "令和7981年12月31日");
	assert_era_short(D(9999, 12, 31), "R7981.12.31");
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		assert_int_equal(core_date_format_era(&days[i], buf,
		    sizeof(buf)), 0);
		assert_int_equal(core_date_parse_any(buf, strlen(buf), &back,
		    NULL), 0);
		assert_int_equal(core_date_cmp(&days[i], &back), 0);
		assert_int_equal(core_date_format_era_short(&days[i], buf,
		    sizeof(buf)), 0);
		assert_int_equal(core_date_parse_any(buf, strlen(buf), &back,
		    NULL), 0);
		assert_int_equal(core_date_cmp(&days[i], &back), 0);
	}
	refused_s("R7982.1.1", "the year 10000 is past 9999");
}

static void
test_ym_parse_any_accepts_notations(void **state)
{
	static const struct {
		const char *s;
		int y, m;
	} cases[] = {
		{ "2024-04", 2024, 4 },
		{ "202404", 2024, 4 },
		{ "2024/4", 2024, 4 },
		{ "2024.4", 2024, 4 },
		{ "2024年4月", 2024, 4 },
		{ "R6.4", 2024, 4 },
		{ "r06/04", 2024, 4 },
		{ "R6-4", 2024, 4 },
		{ "令和6年4月", 2024, 4 },
		{ "令和元年5月", 2019, 5 },
		{ "Ｒ６．４", 2024, 4 },
		{ "２０２４０４", 2024, 4 },
		{ "　令和６年４月　", 2024, 4 },
		{ "H31.4", 2019, 4 },
		{ "令和7981年12月", 9999, 12 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct core_ym ym = ym_ok(cases[i].s);

		if (ym.y != cases[i].y || ym.m != cases[i].m)
			fail_msg("%s: got %04d-%02d", cases[i].s, ym.y, ym.m);
	}
}

static void
test_ym_parse_any_accepts_both_eras_of_a_changeover_month(void **state)
{
	struct core_ym ym;

	(void)state;
	ym = ym_ok("昭和64年1月");
	assert_int_equal(ym.y, 1989);
	ym = ym_ok("平成元年1月");
	assert_int_equal(ym.y, 1989);
	ym = ym_ok("明治45年7月");
	assert_int_equal(ym.y, 1912);
	ym = ym_ok("大正元年7月");
	assert_int_equal(ym.y, 1912);
	ym = ym_ok("T15.12");
	assert_int_equal(ym.y, 1926);
	ym = ym_ok("S1.12");
	assert_int_equal(ym.y, 1926);
}

static void
test_ym_parse_any_refuses_bad_year_months(void **state)
{
	struct core_ym ym;

	(void)state;
	ym_refused("2024-13", "month 13 is not 1-12");
	ym_refused("R6.0", "month 0 is not 1-12");
	ym_refused("平成31年5月", "平成31年5月 does not exist: 平成 ended on "
	    "2019-04-30 (平成31年4月30日); that month is 令和元年5月");
	ym_refused("令和元年4月", "令和元年4月 does not exist: 令和 began on "
	    "2019-05-01 (令和元年5月1日); that month is 平成31年4月");
	ym_refused("昭和64年2月", "that month is 平成元年2月");
	ym_refused("平成32年1月", "平成32年 does not exist");
	ym_refused("明治5年12月", "明治5年 is before 明治6年1月1日");
	ym_refused("X6.4", "X is not an era letter");
	ym_refused("2024-04-01", "unexpected characters after the month");
	ym_refused("20240401", "expected 6 digits");
	ym_refused("2024", "expected 6 digits");
	ym_refused("2024年4", "expected 月 after the month");
	ym_refused("R0.4", "令和0年 does not exist");
	ym_refused("0000-01", "year 0000 does not exist");
	ym_refused("", "an empty value is not a year-month: type e.g. "
	    "2024-04, R6.4 or 令和6年4月");
	ym_refused("6.4", "a year without an era has four digits");
	assert_int_equal(core_ym_parse_any(NULL, 0, &ym, NULL), SESSHU_EINVAL);
	assert_int_equal(core_ym_parse_any("R6.4", 4, NULL, NULL),
	    SESSHU_EINVAL);
}

static void
test_ym_format_era_writes_era_year_month(void **state)
{
	char buf[CORE_YM_ERA_STRLEN];

	(void)state;
	assert_int_equal(core_ym_format_era(&(struct core_ym){ 2024, 4 }, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "令和6年4月");
	assert_int_equal(core_ym_format_era(&(struct core_ym){ 2019, 5 }, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "令和元年5月");
	assert_int_equal(core_ym_format_era(&(struct core_ym){ 2019, 4 }, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "平成31年4月");
	/* A changeover month is written in the era of its last day. */
	assert_int_equal(core_ym_format_era(&(struct core_ym){ 1989, 1 }, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "平成元年1月");
	assert_int_equal(core_ym_format_era(&(struct core_ym){ 1926, 12 },
	    buf, sizeof(buf)), 0);
	assert_string_equal(buf, "昭和元年12月");
	assert_int_equal(core_ym_format_era(&(struct core_ym){ 1873, 1 }, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "明治6年1月");
}

static void
test_ym_format_era_refuses_small_buffer_invalid_and_pre_1873(void **state)
{
	char buf[CORE_YM_ERA_STRLEN];

	(void)state;
	assert_int_equal(core_ym_format_era(&(struct core_ym){ 2024, 4 }, buf,
	    sizeof(buf) - 1), SESSHU_ERANGE);
	assert_int_equal(core_ym_format_era(&(struct core_ym){ 2024, 13 },
	    buf, sizeof(buf)), SESSHU_EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(core_ym_format_era(NULL, buf, sizeof(buf)),
	    SESSHU_EINVAL);
	assert_int_equal(core_ym_format_era(&(struct core_ym){ 1872, 12 },
	    buf, sizeof(buf)), SESSHU_ERANGE);
	assert_string_equal(buf, "");
}

static void
test_ym_format_era_round_trips_every_month_1873_to_2100(void **state)
{
	char buf[CORE_YM_ERA_STRLEN];
	struct sesshu_err err;
	struct core_ym ym, back;

	(void)state;
	for (ym.y = 1873; ym.y <= 2100; ym.y++)
		for (ym.m = 1; ym.m <= 12; ym.m++) {
			assert_int_equal(core_ym_format_era(&ym, buf,
			    sizeof(buf)), 0);
			if (core_ym_parse_any(buf, strlen(buf), &back,
			    &err) != 0)
				fail_msg("%s: %s", buf, err.msg);
			assert_int_equal(core_ym_cmp(&ym, &back), 0);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_era_parse_accepts_first_and_last_day_of_each_era),
		cmocka_unit_test(test_era_format_writes_first_and_last_day_of_each_era),
		cmocka_unit_test(test_era_day_shared_by_two_eras_is_written_in_the_newer),
		cmocka_unit_test(test_era_format_writes_gannen_for_year_one),
		cmocka_unit_test(test_era_parse_accepts_gannen),
		cmocka_unit_test(test_date_parse_any_accepts_western_notations),
		cmocka_unit_test(test_date_parse_any_keeps_the_years_of_date_h),
		cmocka_unit_test(test_date_parse_any_accepts_era_letter_notations),
		cmocka_unit_test(test_date_parse_any_accepts_era_names),
		cmocka_unit_test(test_date_parse_any_folds_full_width_input),
		cmocka_unit_test(test_date_parse_any_reads_input_method_signs),
		cmocka_unit_test(test_date_parse_any_ignores_surrounding_spaces),
		cmocka_unit_test(test_date_parse_any_refuses_space_inside),
		cmocka_unit_test(test_date_parse_any_reads_only_len_bytes),
		cmocka_unit_test(test_date_parse_any_refuses_day_zero_and_month_13),
		cmocka_unit_test(test_date_parse_any_refuses_feb_29_in_common_year),
		cmocka_unit_test(test_date_parse_any_refuses_day_past_month_end),
		cmocka_unit_test(test_date_parse_any_refuses_era_date_outside_its_era),
		cmocka_unit_test(test_date_parse_any_refuses_meiji_before_gregorian_calendar),
		cmocka_unit_test(test_date_parse_any_refuses_era_year_zero),
		cmocka_unit_test(test_date_parse_any_refuses_unknown_era_letter),
		cmocka_unit_test(test_date_parse_any_refuses_trailing_junk),
		cmocka_unit_test(test_date_parse_any_refuses_empty_and_blank),
		cmocka_unit_test(test_date_parse_any_refuses_other_shapes),
		cmocka_unit_test(test_date_parse_any_refuses_invalid_utf8_and_controls),
		cmocka_unit_test(test_date_parse_any_does_not_echo_long_or_unprintable_input),
		cmocka_unit_test(test_date_parse_any_refuses_value_longer_than_input_max),
		cmocka_unit_test(test_date_parse_any_refuses_null_arguments),
		cmocka_unit_test(test_date_to_era_names_era_year_month_day),
		cmocka_unit_test(test_date_to_era_has_no_era_before_1873),
		cmocka_unit_test(test_date_to_era_refuses_invalid_date),
		cmocka_unit_test(test_date_format_both_shows_western_and_era),
		cmocka_unit_test(test_date_format_era_refuses_small_buffer_invalid_date_and_pre_1873),
		cmocka_unit_test(test_era_format_round_trips_every_day_1873_to_2100),
		cmocka_unit_test(test_era_format_round_trips_reiwa_years_past_99),
		cmocka_unit_test(test_ym_parse_any_accepts_notations),
		cmocka_unit_test(test_ym_parse_any_accepts_both_eras_of_a_changeover_month),
		cmocka_unit_test(test_ym_parse_any_refuses_bad_year_months),
		cmocka_unit_test(test_ym_format_era_writes_era_year_month),
		cmocka_unit_test(test_ym_format_era_refuses_small_buffer_invalid_and_pre_1873),
		cmocka_unit_test(test_ym_format_era_round_trips_every_month_1873_to_2100),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
