/*
 * kana.c: UTF-8 and kana; see kana.h.
 *
 * Hand-written rather than GLib's g_utf8_* and g_unichar_compose: core does
 * not link GLib (it must stay testable and linkable on its own), and the
 * half-width table is small and fixed by JIS X 0201.
 */
#include "core/kana.h"

#include <stdbool.h>
#include <string.h>

int
core_utf8_decode(const char *s, size_t len, uint32_t *cp, const char **why)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	uint32_t v;
	size_t n;

	if (len == 0) {
		if (why != NULL)
			*why = "truncated sequence";
		return SESSHU_EINVAL;
	}
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	/* The lead byte fixes the length and, for the edge leads, the range
	 * of the second byte that excludes overlongs, surrogates and values
	 * past U+10FFFF (RFC 3629 §4). */
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		v = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		v = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		v = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else {
		if (why != NULL) {
			if (p[0] < 0xc0)
				*why = "unexpected continuation byte";
			else if (p[0] < 0xc2)
				*why = "overlong encoding";
			else
				*why = "code point beyond U+10FFFF";
		}
		return SESSHU_EINVAL;
	}
	if (len < n) {
		if (why != NULL)
			*why = "truncated sequence";
		return SESSHU_EINVAL;
	}
	for (size_t i = 1; i < n; i++) {
		unsigned char c = p[i];

		if (c < 0x80 || c > 0xbf) {
			if (why != NULL)
				*why = "truncated sequence";
			return SESSHU_EINVAL;
		}
		if (i == 1 && (c < lo || c > hi)) {
			if (why != NULL) {
				if (p[0] == 0xed)
					*why = "surrogate code point";
				else if (p[0] == 0xf4)
					*why = "code point beyond U+10FFFF";
				else
					*why = "overlong encoding";
			}
			return SESSHU_EINVAL;
		}
		v = (v << 6) | (c & 0x3f);
	}
	*cp = v;
	return (int)n;
}

size_t
core_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp <= 0x10ffff) {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		return 4;
	}
	return 0;
}

int
core_utf8_check(const char *s, size_t len, size_t *nchars,
    struct sesshu_err *err)
{
	const char *why = NULL;
	size_t i = 0, count = 0;
	uint32_t cp;
	int n;

	while (i < len) {
		if ((n = core_utf8_decode(s + i, len - i, &cp, &why)) < 0)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "invalid UTF-8 at byte %zu (%s)", i + 1, why);
		if (cp == 0)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "NUL byte at byte %zu", i + 1);
		i += (size_t)n;
		count++;
	}
	if (nchars != NULL)
		*nchars = count;
	return 0;
}

static bool
is_space(uint32_t cp)
{
	return cp == ' ' || cp == 0x3000;
}

static const char *
kind_of(uint32_t cp)
{
	if (cp >= 0x3041 && cp <= 0x309f)
		return "hiragana";
	if (cp >= 0xff61 && cp <= 0xff9f)
		return "half-width katakana";
	if (cp >= 0x30a0 && cp <= 0x30ff)
		return "a katakana sign not allowed in names";
	if (cp >= 0xff01 && cp <= 0xff5e)
		return "a full-width Latin letter, digit or sign";
	if (cp < 0x80)
		return "ASCII";
	if (cp >= 0x4e00 && cp <= 0x9fff)
		return "kanji";
	return "not katakana";
}

int
core_kana_check_katakana(const char *s, size_t len, struct sesshu_err *err)
{
	size_t i = 0, pos = 0;
	bool letter = false;
	uint32_t cp;
	int n;

	if (core_utf8_check(s, len, NULL, err) != 0)
		return SESSHU_EINVAL;
	while (i < len) {
		n = core_utf8_decode(s + i, len - i, &cp, NULL);
		i += (size_t)n;
		pos++;
		if (cp >= 0x30a1 && cp <= 0x30f6) {
			letter = true;
			continue;
		}
		if (cp == 0x30fc || cp == 0x30fb || is_space(cp))
			continue;
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "must be full-width katakana (character %zu is U+%04X, %s)",
		    pos, (unsigned)cp, kind_of(cp));
	}
	if (!letter)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "must be full-width katakana (no katakana letter in it)");
	return 0;
}

/* JIS X 0201 half-width U+FF61..U+FF9F to their full-width forms. */
static const uint16_t halfwidth[0xff9f - 0xff61 + 1] = {
	/* ｡ ｢ ｣ ､ ･ */
	0x3002, 0x300c, 0x300d, 0x3001, 0x30fb,
	/* ｦ ｧ ｨ ｩ ｪ ｫ ｬ ｭ ｮ ｯ ｰ */
	0x30f2, 0x30a1, 0x30a3, 0x30a5, 0x30a7, 0x30a9, 0x30e3, 0x30e5,
	0x30e7, 0x30c3, 0x30fc,
	/* ｱ ｲ ｳ ｴ ｵ */
	0x30a2, 0x30a4, 0x30a6, 0x30a8, 0x30aa,
	/* ｶ ｷ ｸ ｹ ｺ ｻ ｼ ｽ ｾ ｿ */
	0x30ab, 0x30ad, 0x30af, 0x30b1, 0x30b3, 0x30b5, 0x30b7, 0x30b9,
	0x30bb, 0x30bd,
	/* ﾀ ﾁ ﾂ ﾃ ﾄ ﾅ ﾆ ﾇ ﾈ ﾉ */
	0x30bf, 0x30c1, 0x30c4, 0x30c6, 0x30c8, 0x30ca, 0x30cb, 0x30cc,
	0x30cd, 0x30ce,
	/* ﾊ ﾋ ﾌ ﾍ ﾎ ﾏ ﾐ ﾑ ﾒ ﾓ */
	0x30cf, 0x30d2, 0x30d5, 0x30d8, 0x30db, 0x30de, 0x30df, 0x30e0,
	0x30e1, 0x30e2,
	/* ﾔ ﾕ ﾖ ﾗ ﾘ ﾙ ﾚ ﾛ ﾜ ﾝ */
	0x30e4, 0x30e6, 0x30e8, 0x30e9, 0x30ea, 0x30eb, 0x30ec, 0x30ed,
	0x30ef, 0x30f3,
	/* ﾞ ﾟ as the spacing marks ゛ ゜ when nothing takes them */
	0x309b, 0x309c,
};

#define DAKUTEN_HALF	0xff9e
#define HANDAKUTEN_HALF	0xff9f
#define DAKUTEN_COMB	0x3099
#define HANDAKUTEN_COMB	0x309a

/* The katakana (after mapping) with a voiced mark added, or 0. */
static uint32_t
compose(uint32_t base, bool semi)
{
	if (semi) {
		/* ハ ヒ フ ヘ ホ -> パ ピ プ ペ ポ */
		if (base >= 0x30cf && base <= 0x30db && (base - 0x30cf) % 3 == 0)
			return base + 2;
		return 0;
	}
	/* カ..ヂ: the unvoiced letters are the odd ones from カ to チ. */
	if (base >= 0x30ab && base <= 0x30c1 && (base - 0x30ab) % 2 == 0)
		return base + 1;
	/* ツ テ ト */
	if (base == 0x30c4 || base == 0x30c6 || base == 0x30c8)
		return base + 1;
	if (base >= 0x30cf && base <= 0x30db && (base - 0x30cf) % 3 == 0)
		return base + 1;
	if (base == 0x30a6)			/* ウ -> ヴ */
		return 0x30f4;
	if (base >= 0x30ef && base <= 0x30f2)	/* ワ ヰ ヱ ヲ -> ヷ ヸ ヹ ヺ */
		return base + 8;
	if (base == 0x30fd)			/* ヽ -> ヾ */
		return 0x30fe;
	return 0;
}

static uint32_t
to_fullwidth_katakana(uint32_t cp)
{
	if (cp >= 0x3041 && cp <= 0x3096)	/* ぁ..ゖ */
		return cp + 0x60;
	if (cp == 0x309d || cp == 0x309e)	/* ゝ ゞ */
		return cp + 0x60;
	if (cp >= 0xff61 && cp <= 0xff9f)
		return halfwidth[cp - 0xff61];
	return cp;
}

struct outbuf {
	char	*p;
	size_t	 size;
	size_t	 len;
	bool	 overflow;
};

static void
emit(struct outbuf *o, uint32_t cp)
{
	char enc[4];
	size_t n = core_utf8_encode(cp, enc);

	if (o->overflow || o->len + n + 1 > o->size) {
		o->overflow = true;
		o->len += n;		/* keep counting: the error says how much */
		return;
	}
	memcpy(o->p + o->len, enc, n);
	o->len += n;
}

int
core_kana_normalize(const char *s, size_t len, char *out, size_t size,
    size_t *outlen, struct sesshu_err *err)
{
	struct outbuf o = { out, size, 0, false };
	uint32_t cp, pending = 0, composed;
	bool have = false, mark, semi;
	size_t i = 0;
	int n;

	if (out == NULL || size == 0)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "no room for the normalised text");
	out[0] = '\0';
	if (core_utf8_check(s, len, NULL, err) != 0)
		return SESSHU_EINVAL;
	while (i < len) {
		n = core_utf8_decode(s + i, len - i, &cp, NULL);
		i += (size_t)n;
		if (is_space(cp)) {
			if (have)
				emit(&o, pending);
			have = false;
			continue;
		}
		mark = cp == DAKUTEN_HALF || cp == HANDAKUTEN_HALF ||
		    cp == DAKUTEN_COMB || cp == HANDAKUTEN_COMB;
		semi = cp == HANDAKUTEN_HALF || cp == HANDAKUTEN_COMB;
		if (mark && have && (composed = compose(pending, semi)) != 0) {
			pending = composed;
			continue;
		}
		if (have)
			emit(&o, pending);
		pending = to_fullwidth_katakana(cp);
		have = true;
	}
	if (have)
		emit(&o, pending);
	if (o.overflow) {
		out[0] = '\0';
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "normalised text needs %zu bytes, the buffer holds %zu",
		    o.len + 1, size);
	}
	out[o.len] = '\0';
	if (outlen != NULL)
		*outlen = o.len;
	return 0;
}
