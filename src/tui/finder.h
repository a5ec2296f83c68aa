/*
 * finder.h: finding a person, as every screen that works on one does it:
 * a 宛名番号 (typed, or scanned: a barcode reader types the digits and
 * Enter), or a カナ prefix (ひらがな or カタカナ, half- or full-width,
 * spaces ignored) with or without the birth date after Tab (和暦 or
 * 西暦); several matches give a list to choose from with Up/Down and
 * Enter. Internal to src/tui.
 *
 * Each search and each 宛名番号 not found is audited with the screen's
 * name (C4); the screen audits the person it then shows. What it holds
 * is personal data: tui_finder_clear() wipes it.
 */
#ifndef SESSHU_TUI_FINDER_H
#define SESSHU_TUI_FINDER_H

#include <wchar.h>

#include "sync/ws_person.h"
#include "tui/field.h"

struct tui;

struct tui_finder {
	const char		*screen;	/* "entry": in the audit outcome */
	struct tui_field	 query;		/* 宛名番号 or カナ */
	struct tui_field	 birth;		/* 生年月日 */
	int			 focus;		/* 0 query, 1 birth */
	int			 picking;	/* the list is shown */
	struct ws_person	 found[WS_SEARCH_MAX];
	size_t			 nfound;
	int			 more, pick;
};

enum tui_finder_result {
	TUI_FINDER_REFUSED = -1,	/* a key it does not take */
	TUI_FINDER_IGNORED = 0,		/* not its key */
	TUI_FINDER_USED = 1,		/* used; nobody chosen yet */
	TUI_FINDER_FOUND = 2,		/* *out holds the person chosen */
};

int	tui_finder_init(struct tui_finder *f, const char *screen,
	    struct sesshu_err *err);
/* Wipes what was typed and found. */
void	tui_finder_clear(struct tui_finder *f);

/* A key; on TUI_FINDER_FOUND the person is in *out (wipe it after use). */
int	tui_finder_key(struct tui_finder *f, struct tui *t, wint_t key,
	    struct ws_person *out);

/* The fields on line y and, while picking, the list from y + 2 to bottom. */
void	tui_finder_draw(struct tui_finder *f, struct tui *t, int y, int bottom,
	    int active);

#endif
