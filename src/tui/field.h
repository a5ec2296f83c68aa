/*
 * field.h: one-line input fields of the screens: a user ID, a password, a
 * 宛名番号.
 *
 * A field holds UTF-8 text that the user types at its end and erases from
 * its end (Backspace; Ctrl-U erases all). A secret field (a password or an
 * activation code) keeps its text in locked memory (auth/secmem.h), shows
 * one '*' per character, and is wiped by tui_field_clear() and
 * tui_field_free(). Characters a field does not accept (a letter in a
 * digits field, a control character anywhere) are refused, not stored.
 *
 * What curses itself buffers of a keystroke before handing it over is out
 * of this module's reach; it keeps no other copy. Never logs the text.
 */
#ifndef SESSHU_TUI_FIELD_H
#define SESSHU_TUI_FIELD_H

#include <stddef.h>
#include <wchar.h>

#include "auth/secmem.h"
#include "core/err.h"

#define TUI_FIELD_SECRET	0x01	/* locked memory, shown as '*' */
#define TUI_FIELD_DIGITS	0x02	/* 0-9 only */
#define TUI_FIELD_ASCII		0x04	/* printable ASCII only (IDs) */

#define TUI_FIELD_BYTES		1024	/* capacity, bytes, with the NUL */

struct tui_field {
	unsigned	 flags;
	size_t		 max_chars;	/* characters accepted */
	size_t		 nchars;
	size_t		 len;		/* bytes */
	char		*text;		/* plain[] or secret.data */
	struct secbuf	 secret;
	char		 plain[TUI_FIELD_BYTES];
};

/* An empty field; a secret one allocates its locked buffer. */
int	tui_field_init(struct tui_field *f, unsigned flags, size_t max_chars,
	    struct sesshu_err *err);

/* Wipes the text; the field stays usable. */
void	tui_field_clear(struct tui_field *f);

/* Wipes the text and returns the locked buffer. NULL-safe, idempotent. */
void	tui_field_free(struct tui_field *f);

/*
 * Offers a key (as screen.h encodes keys): a character the field accepts
 * is appended; Backspace and Ctrl-U erase. Returns 1 when the key was
 * used, 0 when it is not the field's (Enter, Tab, a function key), -1
 * when it was refused (the caller may beep).
 */
int	tui_field_key(struct tui_field *f, wint_t key);

/* Replaces the text (a plain field only); refused text leaves it empty. */
int	tui_field_set(struct tui_field *f, const char *text);

/* The text, NUL-terminated; borrowed until the field changes. */
const char *tui_field_text(const struct tui_field *f);

/* Copies the text into a new secbuf (for a ws_ask_fn). */
int	tui_field_to_secbuf(const struct tui_field *f, struct secbuf *out,
	    struct sesshu_err *err);

/*
 * What to show for the field in cols columns: the text, or '*'s for a
 * secret, its end kept in view when it is longer; written to buf (size
 * bytes). *cursor receives the column after the last character.
 */
void	tui_field_view(const struct tui_field *f, char *buf, size_t size,
	    size_t cols, size_t *cursor);

#endif
