/*
 * kana.h: UTF-8 decoding, the katakana rule for カナ氏名, and the
 * normalisation that makes kana searchable.
 *
 * Strict UTF-8 only (RFC 3629): overlong forms, surrogates, code points past
 * U+10FFFF and truncated sequences are refused, never repaired, because a
 * repaired name would no longer be the name the register sent.
 * Writes only into buffers the caller passes, with their sizes.
 * Must never echo the text it checks in a message (it is a person's name):
 * messages name a character position and a code point.
 * No I/O, no allocation.
 */
#ifndef SESSHU_CORE_KANA_H
#define SESSHU_CORE_KANA_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/*
 * Decodes the code point at s[0..len) into *cp and returns the bytes it
 * used (1..4), or SESSHU_EINVAL with *why (optional) set to a static
 * reason: "truncated sequence", "overlong encoding", ...
 */
int	core_utf8_decode(const char *s, size_t len, uint32_t *cp,
	    const char **why);
/* Encodes cp into out; returns the bytes written (1..4), 0 for a surrogate
 * or a value past U+10FFFF. */
size_t	core_utf8_encode(uint32_t cp, char out[4]);
/*
 * Checks that s[0..len) is valid UTF-8 without NUL bytes and, when nchars
 * is given, counts its code points. The message gives the byte offset.
 */
int	core_utf8_check(const char *s, size_t len, size_t *nchars,
	    struct sesshu_err *err);

/*
 * カナ氏名: full-width katakana U+30A1-U+30F6 (ァ..ヶ, including ヴ), the
 * prolonged sound mark ー U+30FC, the middle dot ・ U+30FB, and spaces
 * (U+3000 and ASCII space) between the parts of a name. At least one
 * katakana letter. Fails with SESSHU_EINVAL naming the first character at
 * fault by position and code point ("character 3 is U+FF76, half-width
 * katakana").
 */
int	core_kana_check_katakana(const char *s, size_t len,
	    struct sesshu_err *err);

/*
 * The search key for a kana name: hiragana becomes katakana (ゝゞ to ヽヾ),
 * half-width katakana and punctuation U+FF61-U+FF9F become full-width, a
 * voicing mark after a letter that takes one is composed (ｶﾞ and カ+U+3099
 * to ガ, ﾊﾟ to パ, ｳﾞ to ヴ), a lone half-width mark becomes ゛/゜, and
 * spaces (ASCII and U+3000) are removed. Everything else is copied.
 * Writes a NUL-terminated result into out[0..size) and its length without
 * the NUL into *outlen (optional). The result is never longer than the
 * input, so size = len + 1 always suffices; a smaller buffer that is too
 * small gives SESSHU_ERANGE. Invalid UTF-8 gives SESSHU_EINVAL.
 */
int	core_kana_normalize(const char *s, size_t len, char *out, size_t size,
	    size_t *outlen, struct sesshu_err *err);

#endif
