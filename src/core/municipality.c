/* municipality.c: 地方公共団体コード checks; see municipality.h. */
#include "core/municipality.h"

#include <string.h>

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
core_municipality_check_digit(const char *digits)
{
	int s = 0;

	if (digits == NULL)
		return -1;
	for (int i = 0; i < 5; i++) {
		if (!is_digit(digits[i]))
			return -1;
		s += (6 - i) * (digits[i] - '0');
	}
	return (11 - s % 11) % 10;
}

int
core_municipality_parse(const char *s, size_t len, unsigned flags,
    struct core_municipality *out, struct sesshu_err *err)
{
	int pref, check;

	if (s == NULL || len == 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "municipality code is empty");
	if (len != CORE_MUNI_LEN)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "municipality code must be 6 ASCII digits, not %zu bytes",
		    len);
	for (size_t i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "municipality code must be 6 ASCII digits "
			    "(character %zu is not)", i + 1);
	pref = (s[0] - '0') * 10 + (s[1] - '0');
	if (pref == CORE_MUNI_TEST_PREFECTURE) {
		if ((flags & CORE_MUNI_ALLOW_TEST) == 0)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "%.6s: prefecture 99 is reserved for synthetic test "
			    "cities and not allowed here", s);
	} else if (pref < 1 || pref > 47)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%.6s: prefecture %02d is not 01-47", s, pref);
	check = core_municipality_check_digit(s);
	if (check != s[5] - '0')
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%.6s: check digit is %c, expected %d", s, s[5], check);
	if (out != NULL) {
		memcpy(out->code, s, CORE_MUNI_LEN);
		out->code[CORE_MUNI_LEN] = '\0';
		out->prefecture = pref;
	}
	return 0;
}
