/* password_policy.c: see password_policy.h. */
#include "core/password_policy.h"

#include <string.h>

#include "core/kana.h"

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive (ASCII) search for needle in hay[0..len). */
static int
contains_ci(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; n > 0 && i + n <= len; i++) {
		size_t k = 0;

		while (k < n && ascii_lower((unsigned char)hay[i + k]) ==
		    ascii_lower((unsigned char)needle[k]))
			k++;
		if (k == n)
			return 1;
	}
	return 0;
}

int
core_password_policy_check(const struct core_password_policy *policy,
    const char *user_id, const char *pw, size_t len, struct sesshu_err *err)
{
	size_t chars = 0, distinct_first = 0;

	if (len > PASSWORD_MAX_BYTES)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "the new password is longer than %d bytes", PASSWORD_MAX_BYTES);
	if (core_utf8_check(pw, len, &chars, NULL) != 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "the new password is not valid UTF-8 text");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "the new password contains a control character");
	if (chars < (size_t)policy->min_length)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "the new password has %zu characters; at least %d are required",
		    chars, policy->min_length);
	for (size_t i = 1; i < len; i++)
		if (pw[i] != pw[0])
			distinct_first++;
	if (distinct_first == 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "the new password repeats one character only");
	if (user_id != NULL && user_id[0] != '\0' && contains_ci(pw, len, user_id))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "the new password must not contain the user ID");
	return 0;
}
