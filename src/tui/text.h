/*
 * text.h: UTF-8 text measured in terminal columns, so that kanji and kana
 * (two columns each) line up with ASCII (one column) in the screens'
 * tables and forms.
 *
 * Widths come from the C library's wcwidth() under the current LC_CTYPE,
 * which must be a UTF-8 locale (tui.c makes sure of it). A byte that is not
 * valid UTF-8 and a character that is not printable (a control character,
 * wcwidth() -1) both count as one column, because they are shown as one
 * '?' (see tui_text_pad): text from a file or the register can never move
 * the cursor or recolour the screen. Combining characters count zero and
 * stay with the character before them.
 *
 * Pure: no curses, no I/O, no allocation; tested in test_tui_text.c.
 */
#ifndef SESSHU_TUI_TEXT_H
#define SESSHU_TUI_TEXT_H

#include <stddef.h>

/* Columns that s (NUL-terminated UTF-8) takes on the screen. */
size_t	tui_text_width(const char *s);

/*
 * The length in bytes of the longest prefix of s that fits in cols
 * columns without splitting a character (nor separating a combining mark
 * from its base); *width (may be NULL) receives that prefix's columns,
 * which is cols - 1 when a two-column character did not fit in the last
 * column.
 */
size_t	tui_text_fit(const char *s, size_t cols, size_t *width);

/*
 * Writes s into dst as exactly cols columns: cut where it no longer fits
 * (never inside a character), then padded with spaces; invalid bytes and
 * unprintable characters become '?'. Returns the bytes written (without the
 * NUL). When size is too small for the result dst receives as much as fits
 * on a character boundary, and the return value is still what the whole
 * result needs, as with snprintf. dst is always NUL-terminated when
 * size > 0.
 */
size_t	tui_text_pad(char *dst, size_t size, const char *s, size_t cols);

/*
 * Where to break s for a line of at most cols columns: the byte length of
 * the line. Breaks at the last opportunity that fits: after a space (for
 * English) or beside a two-column character (Japanese has no spaces), but
 * not before closing punctuation, small kana or ー, nor after an opening
 * bracket (禁則); without one, at the last character that fits. A newline
 * ends the line early. *next receives the offset where the next line
 * starts (past the space or newline). Returns 0 with *next == 0 at the end
 * of s. Always makes progress when cols >= 2.
 */
size_t	tui_text_wrap(const char *s, size_t cols, size_t *next);

#endif
