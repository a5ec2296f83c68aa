/*
 * field.c: one-line input fields; see field.h.
 */
#include "tui/field.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include <openssl/crypto.h>

#include "tui/screen.h"
#include "tui/text.h"

int
tui_field_init(struct tui_field *f, unsigned flags, size_t max_chars,
    struct sesshu_err *err)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->flags = flags;
	f->max_chars = max_chars;
	if (flags & TUI_FIELD_SECRET) {
		if ((rc = secbuf_alloc(&f->secret, TUI_FIELD_BYTES, err)) != 0)
			return rc;
		f->text = (char *)f->secret.data;
	} else
		f->text = f->plain;
	f->text[0] = '\0';
	return 0;
}

void
tui_field_clear(struct tui_field *f)
{
	if (f->text == NULL)
		return;
	OPENSSL_cleanse(f->text, TUI_FIELD_BYTES);
	f->len = 0;
	f->nchars = 0;
}

void
tui_field_free(struct tui_field *f)
{
	tui_field_clear(f);
	secbuf_release(&f->secret);
	f->text = NULL;
}

static int
accepts(const struct tui_field *f, wint_t c)
{
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || !iswprint(c))
		return 0;
	if ((f->flags & TUI_FIELD_DIGITS) && (c < '0' || c > '9'))
		return 0;
	if ((f->flags & TUI_FIELD_ASCII) && (c < 0x21 || c > 0x7e))
		return 0;
	return 1;
}

/* Drops the last character (UTF-8: the last lead byte and what follows). */
static void
erase_last(struct tui_field *f)
{
	if (f->len == 0)
		return;
	do
		f->text[--f->len] = '\0';
	while (f->len > 0 && ((unsigned char)f->text[f->len] & 0xc0) == 0x80);
	f->nchars--;
}

int
tui_field_key(struct tui_field *f, wint_t key)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	if (f->text == NULL)
		return 0;
	if (TUI_IS_BACKSPACE(key)) {
		erase_last(f);
		return 1;
	}
	if (key == TUI_CTRL('U')) {
		tui_field_clear(f);
		return 1;
	}
	if ((key & TUI_KEY_FN) || key < 0x20 || key == 0x7f)
		return 0;
	if (!accepts(f, key) || f->nchars >= f->max_chars)
		return -1;
	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)key, &st);
	if (n == (size_t)-1 || f->len + n >= TUI_FIELD_BYTES) {
		OPENSSL_cleanse(mb, sizeof(mb));
		return -1;
	}
	memcpy(f->text + f->len, mb, n);
	OPENSSL_cleanse(mb, sizeof(mb));
	f->len += n;
	f->text[f->len] = '\0';
	f->nchars++;
	return 1;
}

int
tui_field_set(struct tui_field *f, const char *text)
{
	mbstate_t st;
	wchar_t wc;
	size_t n, off = 0, len = strlen(text);

	tui_field_clear(f);
	if (f->flags & TUI_FIELD_SECRET)
		return SESSHU_EINVAL;
	memset(&st, 0, sizeof(st));
	while (off < len) {
		n = mbrtowc(&wc, text + off, len - off, &st);
		if (n == 0 || n == (size_t)-1 || n == (size_t)-2 ||
		    tui_field_key(f, (wint_t)wc) != 1) {
			tui_field_clear(f);
			return SESSHU_EINVAL;
		}
		off += n;
	}
	return 0;
}

const char *
tui_field_text(const struct tui_field *f)
{
	return f->text != NULL ? f->text : "";
}

int
tui_field_to_secbuf(const struct tui_field *f, struct secbuf *out,
    struct sesshu_err *err)
{
	return secbuf_dup(out, tui_field_text(f), f->len, err);
}

void
tui_field_view(const struct tui_field *f, char *buf, size_t size, size_t cols,
    size_t *cursor)
{
	const char *s = tui_field_text(f);
	size_t w, stars;

	if (size == 0)
		return;
	if (f->flags & TUI_FIELD_SECRET) {
		/* One column per character: the text itself never leaves. */
		stars = f->nchars < cols ? f->nchars : (cols > 0 ? cols - 1 : 0);
		if (stars >= size)
			stars = size - 1;
		memset(buf, '*', stars);
		buf[stars] = '\0';
		*cursor = stars;
		return;
	}
	/* Keep the end in view, with a column left for the cursor. */
	while (*s != '\0' && cols > 0 && tui_text_width(s) > cols - 1) {
		s++;
		while (((unsigned char)*s & 0xc0) == 0x80)
			s++;
	}
	snprintf(buf, size, "%s", s);
	w = tui_text_width(buf);
	*cursor = w;
}
