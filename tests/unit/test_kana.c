/*
 * test_kana.c: strict UTF-8, the カナ氏名 rule and the kana search key
 * (core/kana.h). Names are invented (試験 花子).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/kana.h"

static void
decode_refused(const char *s, size_t len, const char *why_want)
{
	const char *why = NULL;
	uint32_t cp = 0;

	assert_int_equal(core_utf8_decode(s, len, &cp, &why), SESSHU_EINVAL);
	assert_non_null(why);
	assert_string_equal(why, why_want);
}

static void
test_utf8_decode_reads_each_length(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(core_utf8_decode("A", 1, &cp, NULL), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(core_utf8_decode("\xc2\xa9", 2, &cp, NULL), 2);
	assert_int_equal(cp, 0xa9);
	assert_int_equal(core_utf8_decode("ア", 3, &cp, NULL), 3);
	assert_int_equal(cp, 0x30a2);
	assert_int_equal(core_utf8_decode("\xf0\x9f\x98\x80", 4, &cp, NULL), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(core_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp, NULL), 4);
	assert_int_equal(cp, 0x10ffff);
	assert_int_equal(core_utf8_decode("\xee\x80\x80", 3, &cp, NULL), 3);
	assert_int_equal(cp, 0xe000);
}

static void
test_utf8_decode_refuses_overlong_forms(void **state)
{
	(void)state;
	decode_refused("\xc0\x80", 2, "overlong encoding");
	decode_refused("\xc1\xbf", 2, "overlong encoding");
	decode_refused("\xe0\x80\x80", 3, "overlong encoding");
	decode_refused("\xe0\x9f\xbf", 3, "overlong encoding");
	decode_refused("\xf0\x80\x80\x80", 4, "overlong encoding");
	decode_refused("\xf0\x8f\xbf\xbf", 4, "overlong encoding");
}

static void
test_utf8_decode_refuses_surrogates(void **state)
{
	(void)state;
	decode_refused("\xed\xa0\x80", 3, "surrogate code point");
	decode_refused("\xed\xbf\xbf", 3, "surrogate code point");
}

static void
test_utf8_decode_refuses_beyond_u10ffff(void **state)
{
	(void)state;
	decode_refused("\xf4\x90\x80\x80", 4, "code point beyond U+10FFFF");
	decode_refused("\xf5\x80\x80\x80", 4, "code point beyond U+10FFFF");
	decode_refused("\xff", 1, "code point beyond U+10FFFF");
}

static void
test_utf8_decode_refuses_truncated_and_stray_bytes(void **state)
{
	uint32_t cp;

	(void)state;
	decode_refused("\xe3\x81", 2, "truncated sequence");
	decode_refused("\xe3\x41\x81", 3, "truncated sequence");
	decode_refused("\x80", 1, "unexpected continuation byte");
	decode_refused("\xbf", 1, "unexpected continuation byte");
	decode_refused("", 0, "truncated sequence");
	/* why is optional */
	assert_int_equal(core_utf8_decode("\x80", 1, &cp, NULL), SESSHU_EINVAL);
	assert_int_equal(core_utf8_decode("\xed\xa0\x80", 3, &cp, NULL),
	    SESSHU_EINVAL);
}

static void
test_utf8_encode_round_trips_and_refuses_non_scalars(void **state)
{
	static const uint32_t cps[] = { 0x24, 0xa2, 0x20ac, 0x30ac, 0x10348,
	    0x10ffff, 0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0x10000 };
	char buf[4];
	uint32_t back;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = core_utf8_encode(cps[i], buf);
		assert_true(n >= 1 && n <= 4);
		assert_int_equal(core_utf8_decode(buf, n, &back, NULL), (int)n);
		assert_int_equal(back, cps[i]);
	}
	assert_int_equal(core_utf8_encode(0xd800, buf), 0);
	assert_int_equal(core_utf8_encode(0x110000, buf), 0);
}

static void
test_utf8_check_counts_code_points(void **state)
{
	const char *s = "試験 花子";
	size_t n = 0;

	(void)state;
	assert_int_equal(core_utf8_check(s, strlen(s), &n, NULL), 0);
	assert_int_equal(n, 5);
	assert_int_equal(core_utf8_check("", 0, &n, NULL), 0);
	assert_int_equal(n, 0);
}

static void
test_utf8_check_names_the_byte_at_fault(void **state)
{
	struct sesshu_err err;

	(void)state;
	assert_int_equal(core_utf8_check("ab\xc0\x80", 4, NULL, &err),
	    SESSHU_EINVAL);
	assert_string_equal(err.msg,
	    "invalid UTF-8 at byte 3 (overlong encoding)");
	assert_int_equal(core_utf8_check("a\0b", 3, NULL, &err), SESSHU_EINVAL);
	assert_string_equal(err.msg, "NUL byte at byte 2");
	/* Shift_JIS シケン is not UTF-8. */
	assert_int_equal(core_utf8_check("\x83\x56\x83\x50\x83\x93", 6, NULL,
	    &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "at byte 1"));
}

static void
katakana_ok(const char *s)
{
	struct sesshu_err err = { 0 };

	if (core_kana_check_katakana(s, strlen(s), &err) != 0)
		fail_msg("%s refused: %s", s, err.msg);
}

static void
katakana_refused(const char *s, const char *want)
{
	struct sesshu_err err = { 0 };

	assert_int_equal(core_kana_check_katakana(s, strlen(s), &err),
	    SESSHU_EINVAL);
	if (strstr(err.msg, want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.msg, want);
	assert_non_null(strstr(err.msg, "must be full-width katakana"));
}

static void
test_kana_accepts_full_width_katakana_names(void **state)
{
	(void)state;
	katakana_ok("シケン ハナコ");
	katakana_ok("シケン　ハナコ");		/* U+3000 */
	katakana_ok("ヴァレンティーナ");
	katakana_ok("テスト・ジョン");
	katakana_ok("ヶ");
	katakana_ok(" シケン ");
	katakana_ok("ァ");			/* U+30A1, the lower bound */
	katakana_ok("ヶ");			/* U+30F6, the upper bound */
}

static void
test_kana_refuses_hiragana(void **state)
{
	(void)state;
	katakana_refused("しけん", "character 1 is U+3057, hiragana");
	katakana_refused("シケン はなこ", "character 5 is U+306F, hiragana");
}

static void
test_kana_refuses_half_width_katakana(void **state)
{
	(void)state;
	katakana_refused("ｼｹﾝ", "character 1 is U+FF7C, half-width katakana");
	katakana_refused("シケン ﾊﾅｺ", "half-width katakana");
}

static void
test_kana_refuses_kanji_latin_and_digits(void **state)
{
	(void)state;
	katakana_refused("試験", "U+8A66, kanji");
	katakana_refused("Shiken", "U+0053, ASCII");
	katakana_refused("ＳＨＩＫＥＮ", "full-width Latin");
	katakana_refused("シケン1", "character 4 is U+0031");
	katakana_refused("シケン\tハナコ", "U+0009");
}

static void
test_kana_refuses_katakana_signs_outside_the_set(void **state)
{
	(void)state;
	katakana_refused("ヽ", "U+30FD, a katakana sign not allowed");
	katakana_refused("ヷ", "U+30F7");
	katakana_refused("゠", "U+30A0");
}

static void
test_kana_refuses_spaces_only_and_empty(void **state)
{
	(void)state;
	katakana_refused("　 ", "no katakana letter");
	katakana_refused("", "no katakana letter");
	katakana_refused("ーー・", "no katakana letter");
}

static void
test_kana_refuses_invalid_utf8(void **state)
{
	struct sesshu_err err;

	(void)state;
	assert_int_equal(core_kana_check_katakana("\xe3\x82", 2, &err),
	    SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "invalid UTF-8"));
}

static void
normalizes_to(const char *in, const char *want)
{
	struct sesshu_err err = { 0 };
	char out[256];
	size_t n = 99;

	if (core_kana_normalize(in, strlen(in), out, sizeof(out), &n, &err) != 0)
		fail_msg("%s: %s", in, err.msg);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void
test_kana_normalize_hiragana_to_katakana(void **state)
{
	(void)state;
	normalizes_to("しけん はなこ", "シケンハナコ");
	normalizes_to("ぁゖ", "ァヶ");
	normalizes_to("ゔ", "ヴ");
	normalizes_to("ゝゞ", "ヽヾ");
}

static void
test_kana_normalize_half_width_to_full_width(void **state)
{
	(void)state;
	normalizes_to("ｼｹﾝ ﾊﾅｺ", "シケンハナコ");
	normalizes_to("ｦｧｨｩｪｫｬｭｮｯｰ", "ヲァィゥェォャュョッー");
	normalizes_to("ｱｲｳｴｵﾝ", "アイウエオン");
	normalizes_to("｡｢｣､･", "。「」、・");
}

static void
test_kana_normalize_composes_voiced_marks(void **state)
{
	(void)state;
	normalizes_to("ｶﾞｷﾞｸﾞｹﾞｺﾞ", "ガギグゲゴ");
	normalizes_to("ｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ", "ザジズゼゾダヂヅデド");
	normalizes_to("ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ", "バビブベボ");
	normalizes_to("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ");
	normalizes_to("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン");
	normalizes_to("ﾜﾞｦﾞ", "ヷヺ");
}

static void
test_kana_normalize_composes_combining_marks(void **state)
{
	(void)state;
	/* NFD input: か + U+3099, は + U+309A, カ + U+3099 */
	normalizes_to("\xe3\x81\x8b\xe3\x82\x99", "ガ");
	normalizes_to("\xe3\x81\xaf\xe3\x82\x9a", "パ");
	normalizes_to("\xe3\x82\xab\xe3\x82\x99", "ガ");
}

static void
test_kana_normalize_keeps_marks_that_do_not_compose(void **state)
{
	(void)state;
	normalizes_to("ﾞ", "゛");
	normalizes_to("ﾟ", "゜");
	normalizes_to("ｱﾞ", "ア゛");
	normalizes_to("ｶﾟ", "カ゜");
	/* A space between letter and mark stops composition. */
	normalizes_to("ｶ ﾞ", "カ゛");
	/* Already voiced: the second mark stays separate. */
	normalizes_to("ｶﾞﾞ", "ガ゛");
}

static void
test_kana_normalize_removes_spaces_and_keeps_other_text(void **state)
{
	(void)state;
	normalizes_to(" シケン　 ハナコ ", "シケンハナコ");
	normalizes_to("試験 花子", "試験花子");
	normalizes_to("Test 1", "Test1");
	normalizes_to("", "");
	normalizes_to("　", "");
}

static void
test_kana_normalize_of_each_half_width_letter_is_katakana(void **state)
{
	struct sesshu_err err = { 0 };
	char in[4], out[8];
	size_t n;

	(void)state;
	for (uint32_t cp = 0xff66; cp <= 0xff9d; cp++) {
		if (cp == 0xff70)	/* ｰ alone is a sign, not a letter */
			continue;
		n = core_utf8_encode(cp, in);
		assert_int_equal(core_kana_normalize(in, n, out, sizeof(out),
		    NULL, &err), 0);
		if (core_kana_check_katakana(out, strlen(out), &err) != 0)
			fail_msg("U+%04X: %s", (unsigned)cp, err.msg);
	}
}

static void
test_kana_normalize_fits_in_len_plus_one(void **state)
{
	const char *s = "ｼｹﾝ ﾊﾅｺ";
	char out[32];
	size_t n;

	(void)state;
	assert_int_equal(core_kana_normalize(s, strlen(s), out, strlen(s) + 1,
	    &n, NULL), 0);
	/* Exactly the bytes needed plus the NUL is enough. */
	assert_int_equal(core_kana_normalize(s, strlen(s), out, n + 1, NULL,
	    NULL), 0);
	assert_string_equal(out, "シケンハナコ");
}

static void
test_kana_normalize_refuses_small_buffer(void **state)
{
	const char *s = "しけん";
	struct sesshu_err err;
	char out[9];

	(void)state;
	assert_int_equal(core_kana_normalize(s, strlen(s), out, sizeof(out),
	    NULL, &err), SESSHU_ERANGE);
	assert_string_equal(err.msg,
	    "normalised text needs 10 bytes, the buffer holds 9");
	assert_string_equal(out, "");
	assert_int_equal(core_kana_normalize(s, strlen(s), out, 0, NULL, &err),
	    SESSHU_ERANGE);
	assert_int_equal(core_kana_normalize(s, strlen(s), NULL, 10, NULL,
	    &err), SESSHU_ERANGE);
}

static void
test_kana_normalize_refuses_invalid_utf8(void **state)
{
	struct sesshu_err err;
	char out[16];

	(void)state;
	assert_int_equal(core_kana_normalize("\xed\xa0\x80", 3, out,
	    sizeof(out), NULL, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "surrogate"));
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode_reads_each_length),
		cmocka_unit_test(test_utf8_decode_refuses_overlong_forms),
		cmocka_unit_test(test_utf8_decode_refuses_surrogates),
		cmocka_unit_test(test_utf8_decode_refuses_beyond_u10ffff),
		cmocka_unit_test(test_utf8_decode_refuses_truncated_and_stray_bytes),
		cmocka_unit_test(test_utf8_encode_round_trips_and_refuses_non_scalars),
		cmocka_unit_test(test_utf8_check_counts_code_points),
		cmocka_unit_test(test_utf8_check_names_the_byte_at_fault),
		cmocka_unit_test(test_kana_accepts_full_width_katakana_names),
		cmocka_unit_test(test_kana_refuses_hiragana),
		cmocka_unit_test(test_kana_refuses_half_width_katakana),
		cmocka_unit_test(test_kana_refuses_kanji_latin_and_digits),
		cmocka_unit_test(test_kana_refuses_katakana_signs_outside_the_set),
		cmocka_unit_test(test_kana_refuses_spaces_only_and_empty),
		cmocka_unit_test(test_kana_refuses_invalid_utf8),
		cmocka_unit_test(test_kana_normalize_hiragana_to_katakana),
		cmocka_unit_test(test_kana_normalize_half_width_to_full_width),
		cmocka_unit_test(test_kana_normalize_composes_voiced_marks),
		cmocka_unit_test(test_kana_normalize_composes_combining_marks),
		cmocka_unit_test(test_kana_normalize_keeps_marks_that_do_not_compose),
		cmocka_unit_test(test_kana_normalize_removes_spaces_and_keeps_other_text),
		cmocka_unit_test(test_kana_normalize_of_each_half_width_letter_is_katakana),
		cmocka_unit_test(test_kana_normalize_fits_in_len_plus_one),
		cmocka_unit_test(test_kana_normalize_refuses_small_buffer),
		cmocka_unit_test(test_kana_normalize_refuses_invalid_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
