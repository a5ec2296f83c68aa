/*
 * screen_person.c: a resident by 宛名番号: the four keys that identify a
 * person (宛名番号, 氏名 with its カナ, 生年月日, 性別) and the
 * vaccination history, from the encrypted cache.
 *
 * Each lookup is audited as "person.view" of "person:<宛名番号>" (C4),
 * found or not. What is shown is personal data: it lives in this file's
 * state only while the session is active or locked, and forget() wipes
 * it on every logout. Birth dates are shown in 西暦 (ISO 8601); 和暦 comes
 * with the date formatting of the entry screens. The full search (by カナ,
 * birth date) is the entry issue's.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/vaccine.h"
#include "tui/field.h"
#include "tui/screen.h"
#include "tui/text.h"

#define ATENA_DIGITS	10
#define HISTORY_MAX	200	/* rows kept; a person has far fewer doses */

struct dose {
	char	date[11];	/* 実施日 */
	char	vaccine[96];	/* 接種種類 */
	int	dose;		/* 回数 */
	char	stage[16];	/* 期 */
	char	clinic[16];	/* 医療機関コード */
	char	lot[32];	/* ロット番号, or "" for 予診のみ */
	int	screening_only;
	char	doctor[64];	/* 接種医 */
};

static struct person {
	int		 ready;
	struct tui_field no;
	int		 shown;		/* a person is on screen */
	char		 atena[ATENA_DIGITS + 1];
	char		 name[256], kana[256], birth[11];
	int		 sex;
	struct dose	 history[HISTORY_MAX];
	int		 nhistory, more, scroll;
} P;

static const struct tui_fkey person_keys[] = {
	{ 2, N_("New lookup") },
	{ 0, NULL },
};

/* Column widths of the history table (its header is translated). */
static const struct column {
	const char	*title;
	int		 width;
} columns[] = {
	{ N_("Date"), 10 },
	{ N_("Vaccine"), 22 },
	{ N_("Dose"), 4 },
	{ N_("Stage"), 5 },
	{ N_("Clinic"), 10 },
	{ N_("Lot"), 10 },
	{ N_("Doctor"), 12 },	/* ends in column 79: fits 80 columns */
};

#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

static void
wipe(void)
{
	OPENSSL_cleanse(P.atena, sizeof(P.atena));
	OPENSSL_cleanse(P.name, sizeof(P.name));
	OPENSSL_cleanse(P.kana, sizeof(P.kana));
	OPENSSL_cleanse(P.birth, sizeof(P.birth));
	OPENSSL_cleanse(P.history, sizeof(P.history));
	P.sex = 0;
	P.nhistory = P.more = P.scroll = 0;
	P.shown = 0;
}

static int
person_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };
	int rc;

	(void)arg;
	if (!P.ready) {
		if ((rc = tui_field_init(&P.no, TUI_FIELD_DIGITS, ATENA_DIGITS,
		    &err)) != 0) {
			tui_message(t, 1, "%s", err.msg);
			return rc;
		}
		P.ready = 1;
	}
	tui_field_clear(&P.no);
	wipe();
	return 0;
}

static void
person_forget(struct tui *t)
{
	(void)t;
	if (P.ready)
		tui_field_clear(&P.no);
	wipe();
}

static void
copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	snprintf(dst, size, "%s", s != NULL ? (const char *)s : "");
}

static int
load_history(struct store *st, const char *atena, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT vaccinated_on, vaccine_code, dose, stage, institution_code,"
	    " lot_no, screening_only, vaccinating_doctor, vaccine_name"
	    " FROM vaccination_records"
	    " WHERE atena_no = ?1 AND is_current = 1 AND state <> 'voided'"
	    " ORDER BY vaccinated_on, vaccine_code, dose";
	const struct core_vaccine *v;
	const char *code;
	sqlite3_stmt *stmt;
	struct dose *d;
	int rc;

	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, atena, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (P.nhistory == HISTORY_MAX) {
			P.more++;
			continue;
		}
		d = &P.history[P.nhistory++];
		copy_text(d->date, sizeof(d->date), stmt, 0);
		code = (const char *)sqlite3_column_text(stmt, 1);
		v = code != NULL ? core_vaccine_find(code, strlen(code)) : NULL;
		if (v != NULL)
			snprintf(d->vaccine, sizeof(d->vaccine), "%s",
			    strcmp(tui_i18n_language(), "en") == 0 ? v->name_en :
			    v->name_ja);
		else
			copy_text(d->vaccine, sizeof(d->vaccine), stmt,
			    sqlite3_column_type(stmt, 8) != SQLITE_NULL ? 8 : 1);
		d->dose = sqlite3_column_int(stmt, 2);
		copy_text(d->stage, sizeof(d->stage), stmt, 3);
		copy_text(d->clinic, sizeof(d->clinic), stmt, 4);
		copy_text(d->lot, sizeof(d->lot), stmt, 5);
		d->screening_only = sqlite3_column_int(stmt, 6);
		copy_text(d->doctor, sizeof(d->doctor), stmt, 7);
	}
	store_stmt_done(stmt);
	return store_check(st, rc, "reading the vaccination history", err);
}

static void
lookup(struct tui *t)
{
	static const char sql[] =
	    "SELECT name, name_kana, birth_date, sex FROM persons"
	    " WHERE atena_no = ?1";
	struct sesshu_err err = { 0 };
	char atena[ATENA_DIGITS + 1], object[32];
	sqlite3_stmt *stmt;
	int rc, found = 0;

	snprintf(atena, sizeof(atena), "%s", tui_field_text(&P.no));
	wipe();
	snprintf(object, sizeof(object), "person:%s", atena);
	if ((rc = store_prepare(t->ws->st, sql, &stmt, &err)) != 0) {
		tui_message(t, 1, "%s", err.msg);
		return;
	}
	sqlite3_bind_text(stmt, 1, atena, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		found = 1;
		snprintf(P.atena, sizeof(P.atena), "%s", atena);
		copy_text(P.name, sizeof(P.name), stmt, 0);
		copy_text(P.kana, sizeof(P.kana), stmt, 1);
		copy_text(P.birth, sizeof(P.birth), stmt, 2);
		P.sex = sqlite3_column_int(stmt, 3);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if (store_check(t->ws->st, rc, "reading the person", &err) != 0 ||
	    (found && load_history(t->ws->st, atena, &err) != 0)) {
		wipe();
		tui_message(t, 1, "%s", err.msg);
		return;
	}
	/* C4: every screen that shows a person is in the trail. */
	tui_audit(t, "person.view", object, found ? "ok" : "not found");
	if (!found) {
		tui_message(t, 1, _("No resident has the atena number %s."), atena);
		return;
	}
	P.shown = 1;
	tui_message(t, 0, "%s", "");
}

static int
history_rows(const struct tui *t)
{
	/* Below the header of the table, down to the body's last line. */
	return tui_body_bottom(t) - (tui_body_top(t) + 10) + 1;
}

static int
person_key(struct tui *t, wint_t key)
{
	int page = history_rows(t), rc;

	if (key == TUI_ESC || key == TUI_FN(KEY_F(2))) {
		tui_field_clear(&P.no);
		wipe();
		tui_message(t, 0, "%s", "");
		return 1;
	}
	if (key == TUI_FN(KEY_DOWN) || key == TUI_FN(KEY_NPAGE)) {
		P.scroll += key == TUI_FN(KEY_DOWN) ? 1 : page;
		if (P.scroll > P.nhistory - page)
			P.scroll = P.nhistory - page;
		if (P.scroll < 0)
			P.scroll = 0;
		return 1;
	}
	if (key == TUI_FN(KEY_UP) || key == TUI_FN(KEY_PPAGE)) {
		P.scroll -= key == TUI_FN(KEY_UP) ? 1 : page;
		if (P.scroll < 0)
			P.scroll = 0;
		return 1;
	}
	if (TUI_IS_ENTER(key)) {
		if (P.no.nchars != ATENA_DIGITS) {
			tui_message(t, 1, "%s", _("An atena number has 10 digits."));
			return 1;
		}
		lookup(t);
		return 1;
	}
	/* Typing a new number clears the person shown. */
	if ((rc = tui_field_key(&P.no, key)) == 1 && P.shown)
		wipe();
	return rc;
}

static void
draw_row(struct tui *t, int y, const char *const cells[NCOLUMNS], attr_t attr)
{
	int x = 1;

	for (size_t i = 0; i < NCOLUMNS && x < COLS; i++) {
		tui_put(t, y, x, columns[i].width, attr, cells[i]);
		x += columns[i].width + 1;
	}
}

static void
person_draw(struct tui *t)
{
	const char *labels[] = { _("Atena number"), _("Name"), _("Kana"),
	    _("Date of birth"), _("Sex") };
	const char *cells[NCOLUMNS];
	char view[TUI_FIELD_BYTES], line[128], dose[8];
	int y = tui_body_top(t), lw = 0, rows;
	size_t cursor, w;
	const struct dose *d;

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if ((w = tui_text_width(labels[i])) > (size_t)lw)
			lw = (int)w;
	lw += 2;
	tui_put(t, y, 1, lw, A_BOLD, labels[0]);
	tui_field_view(&P.no, view, sizeof(view), ATENA_DIGITS + 1, &cursor);
	tui_put(t, y, 1 + lw, ATENA_DIGITS + 1, A_UNDERLINE, view);
	tui_cursor(t, y, 1 + lw + (int)cursor);
	tui_put(t, y, 3 + lw + ATENA_DIGITS, COLS - (3 + lw + ATENA_DIGITS),
	    A_NORMAL, _("Type the 10 digits and press Enter."));
	if (!P.shown)
		return;
	y += 2;
	tui_put(t, y, 1, lw, A_NORMAL, labels[0]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_BOLD, P.atena);
	tui_put(t, y, 1, lw, A_NORMAL, labels[1]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_BOLD, P.name);
	tui_put(t, y, 1, lw, A_NORMAL, labels[2]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_NORMAL, P.kana);
	tui_put(t, y, 1, lw, A_NORMAL, labels[3]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_NORMAL, P.birth);
	tui_put(t, y, 1, lw, A_NORMAL, labels[4]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_NORMAL, P.sex == 1 ? _("male") :
	    P.sex == 2 ? _("female") : "?");
	y++;
	rows = history_rows(t);
	snprintf(line, sizeof(line), _("Vaccination history (%d)"),
	    P.nhistory + P.more);
	tui_put(t, y, 1, COLS - 2, A_BOLD, line);
	if (P.nhistory > rows) {
		/* Which rows show, since the rest are out of sight. */
		snprintf(line, sizeof(line), _("rows %d-%d of %d; Up, Down, PgUp, "
		    "PgDn scroll"), P.scroll + 1, P.scroll + rows < P.nhistory ?
		    P.scroll + rows : P.nhistory, P.nhistory);
		w = tui_text_width(line);
		tui_put(t, y, COLS - 1 - (int)w, (int)w, A_NORMAL, line);
	}
	y++;
	for (size_t i = 0; i < NCOLUMNS; i++)
		cells[i] = _(columns[i].title);
	draw_row(t, y++, cells, A_UNDERLINE);
	if (P.nhistory == 0)
		tui_put(t, y, 1, COLS - 2, A_NORMAL, _("No vaccinations recorded."));
	for (int i = P.scroll; i < P.nhistory && i < P.scroll + rows; i++) {
		d = &P.history[i];
		snprintf(dose, sizeof(dose), "%d", d->dose);
		cells[0] = d->date;
		cells[1] = d->vaccine;
		cells[2] = dose;
		cells[3] = d->stage;
		cells[4] = d->clinic;
		cells[5] = d->screening_only ? _("screening") : d->lot;
		cells[6] = d->doctor;
		draw_row(t, y++, cells, A_NORMAL);
	}
}

const struct tui_screen tui_screen_person = {
	.name = "person",
	.title = N_("Resident lookup"),
	.help = N_("Look up a resident by atena number (宛名番号): type its 10 "
	    "digits and press Enter. The screen shows the resident's name, "
	    "kana, date of birth and sex, and the vaccinations recorded.\n\n"
	    "Up, Down, PgUp and PgDn scroll the history. F2 or Esc clears the "
	    "screen for a new lookup.\n\n"
	    "Every lookup is recorded in the audit trail with your user ID."),
	.keys = person_keys,
	.kind = TUI_SCREEN_WORK,
	.enter = person_enter,
	.draw = person_draw,
	.key = person_key,
	.forget = person_forget,
};
