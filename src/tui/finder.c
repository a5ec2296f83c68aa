/* finder.c: finding a person; see finder.h. */
#include "tui/finder.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/era.h"
#include "tui/person_keys.h"
#include "tui/screen.h"
#include "tui/text.h"

int
tui_finder_init(struct tui_finder *f, const char *screen,
    struct sesshu_err *err)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->screen = screen;
	if ((rc = tui_field_init(&f->query, 0, 40, err)) != 0 ||
	    (rc = tui_field_init(&f->birth, 0, 16, err)) != 0)
		return rc;
	return 0;
}

void
tui_finder_clear(struct tui_finder *f)
{
	tui_field_clear(&f->query);
	tui_field_clear(&f->birth);
	OPENSSL_cleanse(f->found, sizeof(f->found));
	f->nfound = 0;
	f->more = f->pick = f->picking = f->focus = 0;
}

static void
audit(struct tui *t, const struct tui_finder *f, const char *action,
    const char *object, const char *outcome)
{
	char text[64];

	snprintf(text, sizeof(text), "%s: %s", outcome, f->screen);
	tui_audit(t, action, object, text);
}

/* Enter on the fields: a 宛名番号, or a search. */
static int
search(struct tui_finder *f, struct tui *t, struct ws_person *out)
{
	const char *q = tui_field_text(&f->query), *b = tui_field_text(&f->birth);
	struct sesshu_err err = { 0 };
	struct core_date birth;
	char object[32];
	size_t len = strlen(q);
	int rc, digits = len > 0;

	for (size_t i = 0; i < len; i++)
		if (q[i] < '0' || q[i] > '9')
			digits = 0;
	if (digits) {
		if (len != WS_ATENA_DIGITS) {
			tui_message(t, 1, "%s", _("An atena number has 10 digits."));
			return TUI_FINDER_USED;
		}
		rc = ws_person_get(t->ws, q, out, &err);
		if (rc == SESSHU_ENOTFOUND) {
			snprintf(object, sizeof(object), "person:%s", q);
			audit(t, f, "person.view", object, "not found");
			tui_message(t, 1, _("No resident has the atena number %s."), q);
			return TUI_FINDER_USED;
		}
		if (rc != 0) {
			tui_message(t, 1, "%s", err.msg);
			return TUI_FINDER_USED;
		}
		tui_finder_clear(f);
		return TUI_FINDER_FOUND;
	}
	if (b[0] != '\0' && core_date_parse_any(b, strlen(b), &birth, &err) != 0) {
		tui_message(t, 1, _("Date of birth: %s"), err.msg);
		return TUI_FINDER_USED;
	}
	if (ws_person_search(t->ws, q, b[0] != '\0' ? &birth : NULL, f->found,
	    &f->nfound, &f->more, &err) != 0) {
		tui_message(t, 1, "%s", err.msg);
		return TUI_FINDER_USED;
	}
	audit(t, f, "person.search", "persons", f->nfound > 0 ? "ok" :
	    "not found");
	if (f->nfound == 0) {
		tui_message(t, 1, "%s", _("Nobody matches. Check the kana and the "
		    "date of birth."));
		return TUI_FINDER_USED;
	}
	if (f->nfound == 1) {
		*out = f->found[0];
		tui_finder_clear(f);
		return TUI_FINDER_FOUND;
	}
	f->picking = 1;
	f->pick = 0;
	tui_message(t, 0, "%s", f->more ? _("More than 50 match: only the first "
	    "50 are listed. Add the date of birth to narrow the search.") :
	    _("Choose the person with Up and Down, then Enter."));
	return TUI_FINDER_USED;
}

int
tui_finder_key(struct tui_finder *f, struct tui *t, wint_t key,
    struct ws_person *out)
{
	if (f->picking) {
		if (key == TUI_FN(KEY_DOWN) && (size_t)f->pick + 1 < f->nfound)
			f->pick++;
		else if (key == TUI_FN(KEY_UP) && f->pick > 0)
			f->pick--;
		else if (TUI_IS_ENTER(key)) {
			*out = f->found[f->pick];
			tui_finder_clear(f);
			return TUI_FINDER_FOUND;
		} else if (key == TUI_ESC) {
			OPENSSL_cleanse(f->found, sizeof(f->found));
			f->nfound = 0;
			f->picking = 0;
		} else
			return TUI_FINDER_IGNORED;
		return TUI_FINDER_USED;
	}
	if (key == '\t' || key == TUI_FN(KEY_BTAB)) {
		f->focus = !f->focus;
		return TUI_FINDER_USED;
	}
	if (TUI_IS_ENTER(key))
		return search(f, t, out);
	if (key == TUI_ESC) {
		tui_finder_clear(f);
		return TUI_FINDER_USED;
	}
	return tui_field_key(f->focus ? &f->birth : &f->query, key);
}

void
tui_finder_draw(struct tui_finder *f, struct tui *t, int y, int bottom,
    int active)
{
	char view[TUI_FIELD_BYTES];
	size_t cursor, w1 = tui_text_width(_("Atena no. or kana")) + 2;
	size_t w2 = tui_text_width(_("Date of birth")) + 2;
	int x1 = 1 + (int)w1, x2 = x1 + 22 + (int)w2, rows, first;

	tui_put(t, y, 1, (int)w1, A_NORMAL, _("Atena no. or kana"));
	tui_field_view(&f->query, view, sizeof(view), 20, &cursor);
	tui_put(t, y, x1, 20, A_UNDERLINE, view);
	if (active && !f->picking && !f->focus)
		tui_cursor(t, y, x1 + (int)cursor);
	tui_put(t, y, x1 + 22, (int)w2, A_NORMAL, _("Date of birth"));
	tui_field_view(&f->birth, view, sizeof(view), 16, &cursor);
	tui_put(t, y, x2, 16, A_UNDERLINE, view);
	if (active && !f->picking && f->focus)
		tui_cursor(t, y, x2 + (int)cursor);
	if (!f->picking)
		return;
	y += 2;
	rows = bottom - y + 1;
	first = f->pick >= rows ? f->pick - rows + 1 : 0;
	for (int i = first; (size_t)i < f->nfound && i < first + rows; i++)
		tui_person_row_draw(t, y + i - first, &f->found[i],
		    i == f->pick ? A_REVERSE : A_NORMAL);
}
