/*
 * test_municipality.c: 地方公共団体コード shape, prefecture and check digit
 * (core/municipality.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/municipality.h"

static void
refused(const char *s, unsigned flags, const char *want)
{
	struct sesshu_err err = { 0 };
	struct core_municipality m = { "keep", 0 };

	assert_int_equal(core_municipality_parse(s, strlen(s), flags, &m, &err),
	    SESSHU_EINVAL);
	if (strstr(err.msg, want) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", s, err.msg, want);
	assert_string_equal(m.code, "keep");
}

static void
test_municipality_accepts_sapporo_and_hirosaki(void **state)
{
	struct core_municipality m;

	(void)state;
	assert_int_equal(core_municipality_parse("011002", 6, 0, &m, NULL), 0);
	assert_string_equal(m.code, "011002");
	assert_int_equal(m.prefecture, 1);
	assert_int_equal(core_municipality_parse("022021", 6, 0, &m, NULL), 0);
	assert_string_equal(m.code, "022021");
	assert_int_equal(m.prefecture, 2);
	/* Output is optional. */
	assert_int_equal(core_municipality_parse("011002", 6, 0, NULL, NULL), 0);
}

static void
test_municipality_check_digit_matches_formula(void **state)
{
	(void)state;
	assert_int_equal(core_municipality_check_digit("01100"), 2);
	assert_int_equal(core_municipality_check_digit("02202"), 1);
	/* s % 11 == 0 and == 1 give 1 and 0 through the final % 10. */
	assert_int_equal(core_municipality_check_digit("00000"), 1);
	assert_int_equal(core_municipality_check_digit("99000"), 1);
	assert_int_equal(core_municipality_check_digit("00001"), 9);
}

static void
test_municipality_check_digit_refuses_non_digits(void **state)
{
	(void)state;
	assert_int_equal(core_municipality_check_digit("0110a"), -1);
	assert_int_equal(core_municipality_check_digit("011"), -1);
	assert_int_equal(core_municipality_check_digit(NULL), -1);
}

static void
test_municipality_refuses_wrong_check_digit(void **state)
{
	(void)state;
	refused("011003", 0, "011003: check digit is 3, expected 2");
	refused("022020", 0, "check digit is 0, expected 1");
}

static void
test_municipality_refuses_wrong_length(void **state)
{
	(void)state;
	refused("01100", 0, "6 ASCII digits, not 5 bytes");
	refused("0110020", 0, "6 ASCII digits, not 7 bytes");
	refused("", 0, "municipality code is empty");
	/* Full-width digits are not ASCII digits. */
	refused("０１１００２", 0, "not 18 bytes");
}

static void
test_municipality_refuses_non_digits(void **state)
{
	(void)state;
	refused("01100A", 0, "character 6 is not");
	refused(" 11002", 0, "character 1 is not");
}

static void
test_municipality_refuses_prefecture_outside_01_to_47(void **state)
{
	(void)state;
	/* Valid check digits, so only the prefecture is at fault. */
	refused("000001", 0, "prefecture 00 is not 01-47");
	refused("480002", 0, "prefecture 48 is not 01-47");
	refused("980005", 0, "prefecture 98 is not 01-47");
}

static void
test_municipality_accepts_prefecture_47(void **state)
{
	char code[7] = "47201";

	(void)state;
	code[5] = (char)('0' + core_municipality_check_digit(code));
	code[6] = '\0';
	assert_int_equal(core_municipality_parse(code, 6, 0, NULL, NULL), 0);
}

static void
test_municipality_refuses_test_prefecture_without_flag(void **state)
{
	(void)state;
	refused("990001", 0, "prefecture 99 is reserved for synthetic test");
}

static void
test_municipality_accepts_test_prefecture_with_flag(void **state)
{
	struct core_municipality m;

	(void)state;
	assert_int_equal(core_municipality_parse("990001", 6,
	    CORE_MUNI_ALLOW_TEST, &m, NULL), 0);
	assert_int_equal(m.prefecture, 99);
	/* The flag does not excuse a wrong check digit. */
	refused("990002", CORE_MUNI_ALLOW_TEST, "check digit is 2, expected 1");
}

static void
test_municipality_refuses_null(void **state)
{
	struct sesshu_err err;

	(void)state;
	assert_int_equal(core_municipality_parse(NULL, 6, 0, NULL, &err),
	    SESSHU_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_municipality_accepts_sapporo_and_hirosaki),
		cmocka_unit_test(test_municipality_check_digit_matches_formula),
		cmocka_unit_test(test_municipality_check_digit_refuses_non_digits),
		cmocka_unit_test(test_municipality_refuses_wrong_check_digit),
		cmocka_unit_test(test_municipality_refuses_wrong_length),
		cmocka_unit_test(test_municipality_refuses_non_digits),
		cmocka_unit_test(test_municipality_refuses_prefecture_outside_01_to_47),
		cmocka_unit_test(test_municipality_accepts_prefecture_47),
		cmocka_unit_test(test_municipality_refuses_test_prefecture_without_flag),
		cmocka_unit_test(test_municipality_accepts_test_prefecture_with_flag),
		cmocka_unit_test(test_municipality_refuses_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
