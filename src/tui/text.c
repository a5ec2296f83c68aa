/*
 * text.c: display widths of UTF-8 text; see text.h.
 *
 * Decodes one character at a time with mbrtowc() and measures it with
 * wcwidth(), rather than converting whole strings with mbstowcs() and
 * wcswidth(): those give up on the first invalid byte or unprintable
 * character (returning -1 for the whole string), while a screen must still
 * show the rest of a line that holds one bad byte.
 */
#include "tui/text.h"

#include <string.h>
#include <wchar.h>

struct unit {
	size_t	len;	/* bytes; 0 at the end of the string */
	size_t	width;	/* columns */
	int	bad;	/* shown as '?' */
};

static struct unit
next_unit(const char *s)
{
	struct unit u = { 0, 0, 0 };
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w;

	if (*s == '\0')
		return u;
	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, strlen(s), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		u.len = 1;
		u.width = 1;
		u.bad = 1;
		return u;
	}
	u.len = n;
	if ((w = wcwidth(wc)) < 0) {
		u.width = 1;
		u.bad = 1;
	} else
		u.width = (size_t)w;
	return u;
}

size_t
tui_text_width(const char *s)
{
	struct unit u;
	size_t w = 0;

	while ((u = next_unit(s)).len != 0) {
		w += u.width;
		s += u.len;
	}
	return w;
}

size_t
tui_text_fit(const char *s, size_t cols, size_t *width)
{
	struct unit u;
	size_t off = 0, w = 0;

	while ((u = next_unit(s + off)).len != 0) {
		/* A combining mark (width 0) stays with its base. */
		if (w + u.width > cols)
			break;
		w += u.width;
		off += u.len;
	}
	if (width != NULL)
		*width = w;
	return off;
}

size_t
tui_text_pad(char *dst, size_t size, const char *s, size_t cols)
{
	size_t fit, off = 0, need = 0, written = 0, w = 0, n;
	struct unit u;

	/* Writes whole units while they fit before the NUL, then only counts. */
#define PUT(src, len) do {						\
	if (written == need && need + (len) < size) {			\
		memcpy(dst + need, (src), (len));			\
		written += (len);					\
	}								\
	need += (len);							\
} while (0)

	fit = tui_text_fit(s, cols, NULL);
	while (off < fit) {
		u = next_unit(s + off);
		n = u.bad ? 1 : u.len;
		PUT(u.bad ? "?" : s + off, n);
		w += u.width;
		off += u.len;
	}
	for (; w < cols; w++)
		PUT(" ", 1);
#undef PUT
	if (size > 0)
		dst[written] = '\0';
	return need;
}

/* Japanese line breaking (禁則): never start a line with these ... */
static const wchar_t no_line_start[] =
    L"、。，．・：；？！゛゜ヽヾゝゞ々ー）」』】〕〉》’”ぁぃぅぇぉっゃゅょァィゥェォッャュョ"
    L")]},.:;!?%";
/* ... nor end one with these. */
static const wchar_t no_line_end[] = L"（「『【〔〈《‘“([{";

static wchar_t
char_at(const char *s)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, strlen(s), &st);
	return n == 0 || n == (size_t)-1 || n == (size_t)-2 ? L'?' : wc;
}

size_t
tui_text_wrap(const char *s, size_t cols, size_t *next)
{
	size_t off = 0, w = 0, brk = 0, brk_next = 0, prev_width = 0;
	wchar_t prev = 0, c;
	int have_brk = 0;
	struct unit u;

	while ((u = next_unit(s + off)).len != 0) {
		if (s[off] == '\n') {
			*next = off + 1;
			return off;
		}
		c = char_at(s + off);
		/*
		 * A line may break after a space (English) or next to a wide
		 * character (Japanese has no spaces), but not where 禁則 says.
		 */
		if (off > 0 && prev != L' ' && c != L' ' &&
		    (u.width == 2 || prev_width == 2) &&
		    wcschr(no_line_start, c) == NULL &&
		    wcschr(no_line_end, prev) == NULL) {
			brk = brk_next = off;
			have_brk = 1;
		}
		if (w + u.width > cols) {
			if (have_brk) {
				*next = brk_next;
				return brk;
			}
			*next = off;
			return off;
		}
		if (c == L' ' && off > 0) {
			brk = off;
			brk_next = off + 1;
			have_brk = 1;
		}
		w += u.width;
		off += u.len;
		prev = c;
		prev_width = u.width;
	}
	*next = off;
	return off;
}
