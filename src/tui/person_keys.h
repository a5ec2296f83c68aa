/*
 * person_keys.h: the four keys that identify a person on every screen
 * that shows one (宛名番号, 氏名 with カナ, 生年月日 in 西暦 and 和暦,
 * 性別; 003 L360, 000 L94), drawn the same way everywhere so a clerk
 * confirms them at a glance. Internal to src/tui.
 */
#ifndef SESSHU_TUI_PERSON_KEYS_H
#define SESSHU_TUI_PERSON_KEYS_H

#include "sync/ws_person.h"

struct tui;

/* Draws the keys on lines y (labels) and y + 1 (values). */
void	tui_person_keys_draw(struct tui *t, int y, const struct ws_person *p);

/* "2020-01-01 (令和2年1月1日)" of an ISO date, or the text as it is. */
void	tui_date_both(const char *iso, char *buf, size_t size);

/* The translated word for a sex code. */
const char *tui_sex_label(int sex);

/* One person as a row of a search result list, in the keys' columns. */
void	tui_person_row_draw(struct tui *t, int y, const struct ws_person *p,
	    unsigned long attr);

#endif
