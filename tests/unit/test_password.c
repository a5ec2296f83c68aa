/*
 * test_password.c: password verifiers accept only the right password and
 * refuse malformed verifiers; the policy names the rule a password breaks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "auth/password.h"
#include "core/password_policy.h"

static const struct scrypt_params FAST = { 10, 8, 1 };

static void
test_password_verifier_accepts_right_refuses_wrong(void **state)
{
	char v[PASSWORD_VERIFIER_MAX];
	struct sesshu_err err = { 0 };

	(void)state;
	assert_int_equal(password_verifier_make("correct horse 馬", 18, &FAST, v,
	    sizeof(v), &err), 0);
	assert_non_null(strstr(v, "scrypt$10$8$1$"));
	assert_null(strstr(v, "correct"));
	assert_int_equal(password_verifier_check("correct horse 馬", 18, v, &err), 0);
	assert_int_equal(password_verifier_check("correct horse 馬!", 19, v, &err),
	    SESSHU_EAUTH);
	assert_int_equal(password_verifier_check("", 0, v, &err), SESSHU_EAUTH);
}

static void
test_password_verifiers_of_same_password_differ(void **state)
{
	char a[PASSWORD_VERIFIER_MAX], b[PASSWORD_VERIFIER_MAX];

	(void)state;
	assert_int_equal(password_verifier_make("same password", 13, &FAST, a,
	    sizeof(a), NULL), 0);
	assert_int_equal(password_verifier_make("same password", 13, &FAST, b,
	    sizeof(b), NULL), 0);
	assert_string_not_equal(a, b);	/* fresh salt each time */
}

static void
test_password_malformed_verifiers_refused(void **state)
{
	static const char *bad[] = {
		"", "bcrypt$10$8$1$00$00", "scrypt$", "scrypt$x$8$1$",
		"scrypt$10$8$1$0011", "scrypt$10$8$1$"
		    "000102030405060708090a0b0c0d0e0f$zz",
		"scrypt$99999999999$8$1$000102030405060708090a0b0c0d0e0f$"
		    "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f",
		"scrypt$30$8$1$000102030405060708090a0b0c0d0e0f$"
		    "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f",
		"scrypt$10$8$1$000102030405060708090A0B0C0D0E0F$"
		    "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f",
	};
	struct sesshu_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = password_verifier_check("pw", 2, bad[i], &err);

		if (rc != SESSHU_EFORMAT && rc != SESSHU_ERANGE)
			fail_msg("verifier %zu accepted or wrong code %d", i, rc);
		assert_non_null(strstr(err.msg, "verifier") != NULL ? err.msg :
		    strstr(err.msg, "scrypt"));
	}
}

static void
expect_policy(const char *pw, const char *words)
{
	static const struct core_password_policy policy = { 12 };
	struct sesshu_err err = { 0 };
	int rc = core_password_policy_check(&policy, "clerk01", pw, strlen(pw), &err);

	if (words == NULL) {
		if (rc != 0)
			fail_msg("\"%s\" refused: %s", pw, err.msg);
		return;
	}
	assert_int_equal(rc, SESSHU_EINVAL);
	if (strstr(err.msg, words) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", pw, err.msg, words);
	assert_null(strstr(err.msg, pw));
}

static void
test_password_policy_rules(void **state)
{
	(void)state;
	expect_policy("short1!", "has 7 characters; at least 12");
	expect_policy("ひらがなのパスワード", "has 10 characters");
	expect_policy("ひらがなのパスワードです", NULL);	/* 12 characters */
	expect_policy("aaaaaaaaaaaaaaaa", "one character");
	expect_policy("my-CLERK01-password", "user ID");
	expect_policy("tab\there-is-long-enough", "control character");
	expect_policy("\xff\xfe-invalid-utf8-long", "UTF-8");
	expect_policy("a reasonable pass phrase", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_verifier_accepts_right_refuses_wrong),
		cmocka_unit_test(test_password_verifiers_of_same_password_differ),
		cmocka_unit_test(test_password_malformed_verifiers_refused),
		cmocka_unit_test(test_password_policy_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
