/*
 * screen_help.c: F1 on every screen: that screen's help (its help msgid),
 * then the keys every screen shares. Shows message ids only, never data,
 * so it may open over the lock screen too. Any of Esc, Enter, F1 or q
 * goes back to the screen it was opened from, as that screen was.
 */
#include <stdio.h>
#include <string.h>

#include "tui/screen.h"
#include "tui/text.h"

static struct help {
	int	scroll;
} H;

static const struct tui_fkey help_keys[] = { { 0, NULL } };

static const char common_keys[] = N_(
    "Keys on every screen:\n"
    "F1   this help (Esc goes back)\n"
    "F5   synchronize with the register now\n"
    "F9   log out\n"
    "F10  quit (logs out first)\n"
    "F12  lock the screen at once\n"
    "Ctrl-L  draw the screen again");

static int
help_enter(struct tui *t, void *arg)
{
	/* Whose help, and where to go back (kept by the frame over a lock). */
	t->help_from = arg != NULL ? arg : &tui_screen_login;
	H.scroll = 0;
	return 0;
}

/* Draws text wrapped to the body's width from line *y, skipping *skip lines. */
static void
draw_text(struct tui *t, const char *s, int *y, int *skip, int bottom)
{
	char line[1024];
	size_t len, next;
	int x = 2, w = COLS - 4;

	for (;;) {
		len = tui_text_wrap(s, (size_t)w, &next);
		if (len == 0 && next == 0)
			break;
		if (*skip > 0)
			(*skip)--;
		else if (*y <= bottom) {
			snprintf(line, sizeof(line), "%.*s", (int)len, s);
			tui_put(t, (*y)++, x, w, A_NORMAL, line);
		}
		s += next;
	}
}

static void
help_draw(struct tui *t)
{
	int y = tui_body_top(t), bottom = tui_body_bottom(t), skip = H.scroll;
	char title[256];

	snprintf(title, sizeof(title), "%s", _(t->help_from->title));
	tui_put(t, y++, 2, COLS - 4, A_BOLD, title);
	y++;
	draw_text(t, _(t->help_from->help), &y, &skip, bottom);
	if (y <= bottom && skip == 0)
		y++;
	draw_text(t, _(common_keys), &y, &skip, bottom);
}

static int
help_key(struct tui *t, wint_t key)
{
	if (key == TUI_FN(KEY_DOWN) || key == TUI_FN(KEY_NPAGE)) {
		H.scroll += key == TUI_FN(KEY_DOWN) ? 1 : 10;
		if (H.scroll > 40)
			H.scroll = 40;
		return 1;
	}
	if (key == TUI_FN(KEY_UP) || key == TUI_FN(KEY_PPAGE)) {
		H.scroll -= key == TUI_FN(KEY_UP) ? 1 : 10;
		if (H.scroll < 0)
			H.scroll = 0;
		return 1;
	}
	if (key == TUI_ESC || TUI_IS_ENTER(key) || key == 'q' ||
	    key == TUI_KEY_HELP) {
		/* As it was: no enter(), which would reset the screen. */
		t->screen = t->help_from;
		t->message[0] = '\0';
		return 1;
	}
	return 0;
}

const struct tui_screen tui_screen_help = {
	.name = "help",
	.title = N_("Help"),
	.help = N_("Esc, Enter or F1 goes back to the screen you were on; Up "
	    "and Down scroll this help."),
	.keys = help_keys,
	.kind = TUI_SCREEN_ANY,
	.perm = -1,
	.enter = help_enter,
	.draw = help_draw,
	.key = help_key,
	.forget = NULL,
};
