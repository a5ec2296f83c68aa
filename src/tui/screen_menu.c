/*
 * screen_menu.c: the first screen after login: the work a user can
 * choose, one key each, as a table (like the screens themselves).
 * Shows no personal data. F11 comes back here from any work screen.
 */
#include <stdio.h>
#include <string.h>

#include "tui/screen.h"
#include "tui/text.h"

static const struct menu_item {
	wint_t			 key;
	const char		*label;		/* msgid */
	const char		*hint;		/* msgid */
	const struct tui_screen	*screen;
} items[] = {
	{ '1', N_("Questionnaire entry (予診票入力)"),
	  N_("Batches of returned questionnaires: open, key, close"),
	  &tui_screen_batches },
	{ '2', N_("Verification (照合)"),
	  N_("Choose a batch, then F3: re-key sheets another user entered"),
	  &tui_screen_batches },
	{ '3', N_("Resident lookup (宛名検索)"),
	  N_("A resident's keys, vaccination history and doses due"),
	  &tui_screen_person },
	{ '4', N_("Refused changes"),
	  N_("What the register did not accept, with its reason"),
	  &tui_screen_refused },
	{ '5', N_("Review queue (審査)"),
	  N_("Supervisors: duplicates, corrections, conflicts to decide"),
	  &tui_screen_review },
	{ '6', N_("Change my password"),
	  N_("Before it expires, or whenever you need to"),
	  &tui_screen_password },
};

#define NITEMS	(sizeof(items) / sizeof(items[0]))

static const struct tui_fkey menu_keys[] = {
	{ 0, NULL },
};

static int cursor;

static int
menu_enter(struct tui *t, void *arg)
{
	(void)t;
	(void)arg;
	return 0;
}

static int
choose(struct tui *t, size_t i)
{
	cursor = (int)i;
	return tui_switch(t, items[i].screen, NULL) == 0;
}

static int
menu_key(struct tui *t, wint_t key)
{
	for (size_t i = 0; i < NITEMS; i++)
		if (key == items[i].key)
			return choose(t, i);
	if (key == TUI_FN(KEY_DOWN)) {
		cursor = (cursor + 1) % (int)NITEMS;
		return 1;
	}
	if (key == TUI_FN(KEY_UP)) {
		cursor = (cursor + (int)NITEMS - 1) % (int)NITEMS;
		return 1;
	}
	if (TUI_IS_ENTER(key))
		return choose(t, (size_t)cursor);
	return 0;
}

static void
menu_draw(struct tui *t)
{
	char line[256];
	int y = tui_body_top(t) + 1;

	for (size_t i = 0; i < NITEMS; i++, y += 2) {
		/* What the role may not do is shown dim, and refused if chosen. */
		attr_t a = (int)i == cursor ? A_REVERSE :
		    tui_may(t, items[i].screen->perm) ? A_NORMAL : A_DIM;

		snprintf(line, sizeof(line), " %c  %s", (int)items[i].key,
		    _(items[i].label));
		tui_put(t, y, 2, 26, a, line);
		tui_put(t, y, 30, COLS - 31, A_DIM, _(items[i].hint));
	}
	tui_put(t, y + 1, 2, COLS - 4, A_NORMAL, _("Press the number, or Up/Down "
	    "and Enter. F11 returns here from any screen."));
}

const struct tui_screen tui_screen_menu = {
	.name = "menu",
	.title = N_("Menu"),
	.help = N_("Choose the work: 1 questionnaire entry (batches), 2 "
	    "verification of another user's entries, 3 resident lookup, 4 the "
	    "changes the register refused, 5 the supervisors' review queue, "
	    "6 a change of your own password. "
	    "Work your role does not allow is shown dim. F11 "
	    "returns to this menu from any screen; F12 locks the screen; F9 "
	    "logs out."),
	.keys = menu_keys,
	.kind = TUI_SCREEN_WORK,
	.perm = -1,
	.enter = menu_enter,
	.draw = menu_draw,
	.key = menu_key,
	.forget = NULL,
};
