/*
 * test_tui_i18n.c: which language the interface speaks (src/tui/i18n.h,
 * docs/CONFIG.md [display] language): Japanese by default, English for an
 * English locale, and the setting over the locale either way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tui/i18n.h"

static void
test_tui_i18n_japanese_unless_the_locale_is_english(void **state)
{
	(void)state;
	assert_string_equal(tui_i18n_choose("", "ja_JP.UTF-8"), "ja");
	assert_string_equal(tui_i18n_choose("", "C"), "ja");
	assert_string_equal(tui_i18n_choose("", "C.UTF-8"), "ja");
	assert_string_equal(tui_i18n_choose("", "POSIX"), "ja");
	assert_string_equal(tui_i18n_choose("", "de_DE.UTF-8"), "ja");
	assert_string_equal(tui_i18n_choose(NULL, NULL), "ja");
	assert_string_equal(tui_i18n_choose("", "en_US.UTF-8"), "en");
	assert_string_equal(tui_i18n_choose("", "en_GB"), "en");
	assert_string_equal(tui_i18n_choose("", "en"), "en");
	assert_string_equal(tui_i18n_choose("", "en@quot"), "en");
	/* "eo" (Esperanto) and "enx" are not English. */
	assert_string_equal(tui_i18n_choose("", "eo.UTF-8"), "ja");
	assert_string_equal(tui_i18n_choose("", "enx_XX"), "ja");
}

static void
test_tui_i18n_setting_wins_over_the_locale(void **state)
{
	(void)state;
	assert_string_equal(tui_i18n_choose("en", "ja_JP.UTF-8"), "en");
	assert_string_equal(tui_i18n_choose("ja", "en_US.UTF-8"), "ja");
	assert_string_equal(tui_i18n_choose("en", "C"), "en");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tui_i18n_japanese_unless_the_locale_is_english),
		cmocka_unit_test(test_tui_i18n_setting_wins_over_the_locale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
