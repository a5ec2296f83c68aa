/*
 * test_tui_text.c: display widths of UTF-8 text (src/tui/text.h): kanji
 * and kana take two columns and ASCII one, so columns line up; text is
 * never cut inside a character; bad bytes and control characters become
 * one '?' each and never reach the terminal. Pure functions: no curses.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tui/text.h"

static int
setup_utf8(void **state)
{
	(void)state;
	/* C.UTF-8 is built into glibc 2.35+; the widths are Unicode's. */
	return setlocale(LC_ALL, "C.UTF-8") != NULL ? 0 : -1;
}

static void
test_tui_text_width_counts_wide_characters_twice(void **state)
{
	(void)state;
	assert_int_equal(tui_text_width(""), 0);
	assert_int_equal(tui_text_width("abc"), 3);
	assert_int_equal(tui_text_width("試験"), 4);
	assert_int_equal(tui_text_width("シケン　ハルコ"), 14);	/* 全角スペース too */
	assert_int_equal(tui_text_width("MR麻しん"), 2 + 6);
	assert_int_equal(tui_text_width("ｼｹﾝ"), 3);		/* 半角カナ: one each */
	assert_int_equal(tui_text_width("ä"), 1);
}

static void
test_tui_text_width_of_combining_marks_is_zero(void **state)
{
	(void)state;
	/* か + combining dakuten (U+3099) shows as one two-column が. */
	assert_int_equal(tui_text_width("か\xe3\x82\x99"), 2);
	assert_int_equal(tui_text_width("e\xcc\x81"), 1);	/* e + U+0301 */
}

static void
test_tui_text_width_counts_bad_bytes_and_controls_as_one(void **state)
{
	(void)state;
	assert_int_equal(tui_text_width("a\xff" "b"), 3);
	assert_int_equal(tui_text_width("\xe8\xa9"), 2);	/* cut-off kanji */
	assert_int_equal(tui_text_width("a\x1b[2Jb"), 6);	/* ESC is one '?' */
	assert_int_equal(tui_text_width("\xc2\x9b"), 1);	/* C1 CSI */
}

static void
test_tui_text_fit_never_splits_a_character(void **state)
{
	size_t w;

	(void)state;
	/* 試験太郎 is 8 columns; 5 columns hold two kanji, not two and a half. */
	assert_int_equal(tui_text_fit("試験太郎", 5, &w), strlen("試験"));
	assert_int_equal(w, 4);
	assert_int_equal(tui_text_fit("試験太郎", 6, &w), strlen("試験太"));
	assert_int_equal(w, 6);
	assert_int_equal(tui_text_fit("試験太郎", 100, &w), strlen("試験太郎"));
	assert_int_equal(w, 8);
	assert_int_equal(tui_text_fit("試験", 1, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(tui_text_fit("abc", 0, &w), 0);
	/* A combining mark stays with its base. */
	assert_int_equal(tui_text_fit("か\xe3\x82\x99x", 2, &w),
	    strlen("か\xe3\x82\x99"));
}

static void
test_tui_text_pad_makes_exact_columns(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(tui_text_pad(buf, sizeof(buf), "ab", 5), 5);
	assert_string_equal(buf, "ab   ");
	tui_text_pad(buf, sizeof(buf), "試験太郎", 5);
	assert_string_equal(buf, "試験 ");	/* the half column left is a space */
	assert_int_equal(tui_text_width(buf), 5);
	tui_text_pad(buf, sizeof(buf), "服部　功", 10);
	assert_string_equal(buf, "服部　功  ");
	tui_text_pad(buf, sizeof(buf), "", 3);
	assert_string_equal(buf, "   ");
	tui_text_pad(buf, sizeof(buf), "abc", 0);
	assert_string_equal(buf, "");
}

static void
test_tui_text_pad_lines_up_mixed_columns(void **state)
{
	static const char *const names[] = {
		"服部　功", "ハットリ　イサオ", "Smith John", "ｼｹﾝ ﾊﾙｺ",
		"麻しん風しん混合(MR)", "が\xe3\x82\x99", "",
	};
	char a[128], b[128], row[300];

	(void)state;
	/* Two padded cells and a marker: the marker is always in column 20. */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tui_text_pad(a, sizeof(a), names[i], 12);
		tui_text_pad(b, sizeof(b), names[i], 8);
		snprintf(row, sizeof(row), "%s%s|", a, b);
		assert_int_equal(tui_text_width(a), 12);
		assert_int_equal(tui_text_width(b), 8);
		assert_int_equal(tui_text_width(row), 21);
	}
}

static void
test_tui_text_pad_replaces_bad_bytes_and_controls(void **state)
{
	char buf[64];

	(void)state;
	/* Known bytes past the string too: the last check reads them all. */
	memset(buf, 0, sizeof(buf));
	tui_text_pad(buf, sizeof(buf), "a\x1b[2Jb", 6);
	assert_string_equal(buf, "a?[2Jb");
	tui_text_pad(buf, sizeof(buf), "x\xffy\r\n", 6);
	assert_string_equal(buf, "x?y?? ");
	tui_text_pad(buf, sizeof(buf), "\xc2\x9b" "1m", 4);	/* C1 CSI */
	assert_string_equal(buf, "?1m ");
	assert_null(memchr(buf, 0x1b, sizeof(buf)));
}

static void
test_tui_text_pad_truncates_like_snprintf(void **state)
{
	char buf[8];

	(void)state;
	/* 試験太郎 padded to 10 needs 12 + 2 bytes; 8 bytes hold two kanji. */
	assert_int_equal(tui_text_pad(buf, sizeof(buf), "試験太郎", 10), 14);
	assert_string_equal(buf, "試験");
	assert_int_equal(tui_text_pad(buf, 4, "abcdef", 6), 6);
	assert_string_equal(buf, "abc");
	assert_int_equal(tui_text_pad(buf, 1, "abc", 3), 3);
	assert_string_equal(buf, "");
	assert_int_equal(tui_text_pad(NULL, 0, "abc", 5), 5);
}

static void
wrap_all(const char *s, size_t cols, char lines[][128], int *n)
{
	size_t len, next;

	*n = 0;
	for (;;) {
		len = tui_text_wrap(s, cols, &next);
		if (len == 0 && next == 0)
			break;
		snprintf(lines[(*n)++], 128, "%.*s", (int)len, s);
		assert_true(tui_text_width(lines[*n - 1]) <= cols);
		s += next;
	}
}

static void
test_tui_text_wrap_breaks_english_at_spaces(void **state)
{
	char lines[8][128];
	int n;

	(void)state;
	wrap_all("the quick brown fox jumps", 10, lines, &n);
	assert_int_equal(n, 3);
	assert_string_equal(lines[0], "the quick");
	assert_string_equal(lines[1], "brown fox");
	assert_string_equal(lines[2], "jumps");
	wrap_all("one\n\ntwo", 10, lines, &n);
	assert_int_equal(n, 3);
	assert_string_equal(lines[1], "");
	wrap_all("abcdefghijkl", 5, lines, &n);	/* no space: cut */
	assert_int_equal(n, 3);
	assert_string_equal(lines[0], "abcde");
}

static void
test_tui_text_wrap_breaks_japanese_between_characters(void **state)
{
	char lines[8][128];
	int n;

	(void)state;
	/* Not at the space far back: beside the kanji. */
	wrap_all("別の利用者は F3 キーを押して自分の利用者IDを入力します", 20,
	    lines, &n);
	assert_string_equal(lines[0], "別の利用者は F3 キー");
	/* 禁則: 。 never starts a line; the line before gives up a character. */
	wrap_all("あいうえお。かきくけこ", 10, lines, &n);
	assert_string_equal(lines[0], "あいうえ");
	assert_string_equal(lines[1], "お。かきく");
	assert_string_equal(lines[2], "けこ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tui_text_width_counts_wide_characters_twice),
		cmocka_unit_test(test_tui_text_width_of_combining_marks_is_zero),
		cmocka_unit_test(test_tui_text_width_counts_bad_bytes_and_controls_as_one),
		cmocka_unit_test(test_tui_text_fit_never_splits_a_character),
		cmocka_unit_test(test_tui_text_pad_makes_exact_columns),
		cmocka_unit_test(test_tui_text_pad_lines_up_mixed_columns),
		cmocka_unit_test(test_tui_text_pad_replaces_bad_bytes_and_controls),
		cmocka_unit_test(test_tui_text_pad_truncates_like_snprintf),
		cmocka_unit_test(test_tui_text_wrap_breaks_english_at_spaces),
		cmocka_unit_test(test_tui_text_wrap_breaks_japanese_between_characters),
	};

	return cmocka_run_group_tests(tests, setup_utf8, NULL);
}
