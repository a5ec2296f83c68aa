/*
 * screen_person.c: a resident: the four keys that identify a person
 * (宛名番号, 氏名 with its カナ, 生年月日, 性別), the vaccination history
 * as a timeline, the doses due and overdue by the routine schedule, and
 * the documents issued; and the corrections of a record (DOMAIN §3.3-3.4).
 *
 * The person is found by 宛名番号 or by カナ and birth date (finder.h).
 * Each person shown is audited as "person.view" of "person:<宛名番号>"
 * (C4). A record is corrected (職権修正: date, dose, lot) or voided (取消)
 * with a reason, as a new version; nothing is overwritten. Whether that
 * needs a supervisor's approval is the setting [entry]
 * correction_approval: then the new version goes to the register as a
 * request, and the record stays as it is until it is approved.
 * What is shown is personal data: it lives in this file's state only while
 * the session is active or locked, and forget() wipes it on every logout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/check.h"
#include "core/era.h"
#include "core/permission.h"
#include "core/schedule.h"
#include "core/vaccine.h"
#include "sync/ws_records.h"
#include "tui/field.h"
#include "tui/finder.h"
#include "tui/person_keys.h"
#include "tui/screen.h"
#include "tui/sheet.h"
#include "tui/text.h"

#define DUE_MAX		32

/* What the lower part shows, and the forms of a correction or a void. */
enum pane { PANE_HISTORY, PANE_DUE };
enum action { ACT_NONE, ACT_VOID, ACT_CORRECT };
enum { FIX_DATE, FIX_DOSE, FIX_LOT, FIX_REASON, FIX_FIELDS };

static struct person {
	int		 ready;
	struct tui_finder finder;
	int		 shown;		/* a person is on screen */
	struct ws_person who;
	struct ws_record history[WS_HISTORY_MAX];
	size_t		 nhistory;
	int		 more, scroll, cursor;
	enum pane	 pane;
	struct core_due	 due[DUE_MAX];
	size_t		 ndue;
	enum action	 action;
	struct tui_field fix[FIX_FIELDS];
	int		 fix_focus;
} P;

static const struct tui_fkey person_keys[] = {
	{ 2, N_("New lookup") },
	{ 6, N_("History/Due") },
	{ 7, N_("Void") },
	{ 8, N_("Correct") },
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

static const char *const fix_labels[FIX_FIELDS] = {
	N_("Date of vaccination"), N_("Dose"), N_("Lot number"), N_("Reason"),
};

static void
wipe(void)
{
	OPENSSL_cleanse(&P.who, sizeof(P.who));
	OPENSSL_cleanse(P.history, sizeof(P.history));
	OPENSSL_cleanse(P.due, sizeof(P.due));
	for (int i = 0; P.ready && i < FIX_FIELDS; i++)
		tui_field_clear(&P.fix[i]);
	P.nhistory = P.ndue = 0;
	P.more = P.scroll = P.cursor = 0;
	P.shown = 0;
	P.action = ACT_NONE;
	P.pane = PANE_HISTORY;
}

static int
person_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };
	static const unsigned flags[FIX_FIELDS] = {
		0, TUI_FIELD_DIGITS, TUI_FIELD_ASCII, 0,
	};
	static const size_t sizes[FIX_FIELDS] = { 16, 1, 20, 100 };
	int rc;

	(void)arg;
	if (!P.ready) {
		if ((rc = tui_finder_init(&P.finder, "person", &err)) != 0) {
			tui_message(t, 1, "%s", err.msg);
			return rc;
		}
		for (int i = 0; i < FIX_FIELDS; i++)
			if ((rc = tui_field_init(&P.fix[i], flags[i], sizes[i],
			    &err)) != 0) {
				tui_message(t, 1, "%s", err.msg);
				return rc;
			}
		P.ready = 1;
	}
	tui_finder_clear(&P.finder);
	wipe();
	return 0;
}

static void
person_forget(struct tui *t)
{
	(void)t;
	if (P.ready)
		tui_finder_clear(&P.finder);
	wipe();
}

/* The doses due, overdue and upcoming, from the schedule and the history. */
static void
load_due(struct tui *t)
{
	struct core_dose doses[WS_HISTORY_MAX];
	struct core_date birth, today;
	size_t nd = 0;

	P.ndue = 0;
	if (core_date_parse(P.who.birth_date, strlen(P.who.birth_date), &birth,
	    NULL) != 0)
		return;
	nd = tui_history_doses(P.history, P.nhistory, NULL, doses);
	tui_today(&today);
	if (core_schedule_due(t->forms.schedule, &birth, P.who.sex, doses, nd,
	    &today, P.due, DUE_MAX, &P.ndue, NULL) != 0 || P.ndue > DUE_MAX)
		P.ndue = P.ndue > DUE_MAX ? DUE_MAX : 0;
}

/* Reads the person's records again (after a change) and the due list. */
static int
reload(struct tui *t, struct sesshu_err *err)
{
	OPENSSL_cleanse(P.history, sizeof(P.history));
	if (ws_person_records(t->ws, P.who.atena_no, P.history, WS_HISTORY_MAX,
	    &P.nhistory, &P.more, err) != 0)
		return -1;
	if (P.cursor >= (int)P.nhistory)
		P.cursor = P.nhistory > 0 ? (int)P.nhistory - 1 : 0;
	load_due(t);
	return 0;
}

static void	keep_cursor_in_view(const struct tui *);

static void
show(struct tui *t, const struct ws_person *p)
{
	struct sesshu_err err = { 0 };
	char object[32];

	wipe();
	P.who = *p;
	if (reload(t, &err) != 0) {
		wipe();
		tui_message(t, 1, "%s", err.msg);
		return;
	}
	/* C4: every screen that shows a person is in the trail. */
	snprintf(object, sizeof(object), "person:%s", P.who.atena_no);
	tui_audit(t, "person.view", object, "ok: person");
	P.shown = 1;
	P.cursor = P.nhistory > 0 ? (int)P.nhistory - 1 : 0;
	keep_cursor_in_view(t);
	tui_message(t, 0, "%s", "");
}

static int
history_rows(const struct tui *t)
{
	/* Below the header of the table, down to the body's last line. */
	return tui_body_bottom(t) - (tui_body_top(t) + 10) + 1 -
	    (P.action != ACT_NONE ? FIX_FIELDS + 1 : 0);
}

static void
keep_cursor_in_view(const struct tui *t)
{
	int rows = history_rows(t);

	if (P.cursor < P.scroll)
		P.scroll = P.cursor;
	if (rows > 0 && P.cursor >= P.scroll + rows)
		P.scroll = P.cursor - rows + 1;
}

/* ---- corrections and voids ----------------------------------------------- */

static const struct ws_record *
selected(void)
{
	return P.shown && P.nhistory > 0 ? &P.history[P.cursor] : NULL;
}

static void
start_action(struct tui *t, enum action what)
{
	const struct ws_record *r = selected();
	char dose[16];

	if (r == NULL)
		return;
	if (!tui_may(t, CORE_PERM_CORRECT)) {
		tui_audit(t, what == ACT_VOID ? "record.void" : "record.correct",
		    "record", "refused: role");
		tui_message(t, 1, _("Your role (%s) does not allow this work."),
		    tui_role_label(t->ws->role));
		return;
	}
	if (strcmp(r->state, "voided") == 0) {
		tui_message(t, 1, "%s", _("This record is voided: it no longer "
		    "changes."));
		return;
	}
	if (r->pending) {
		tui_message(t, 1, "%s", _("A change of this record waits for a "
		    "supervisor's approval."));
		return;
	}
	for (int i = 0; i < FIX_FIELDS; i++)
		tui_field_clear(&P.fix[i]);
	if (what == ACT_CORRECT) {
		snprintf(dose, sizeof(dose), "%d", r->dose);
		tui_field_set(&P.fix[FIX_DATE], r->vaccinated_on);
		tui_field_set(&P.fix[FIX_DOSE], dose);
		tui_field_set(&P.fix[FIX_LOT], r->lot_no);
	}
	P.action = what;
	P.fix_focus = what == ACT_VOID ? FIX_REASON : FIX_DATE;
	keep_cursor_in_view(t);
	tui_message(t, 0, "%s", what == ACT_VOID ? _("Type the reason for the "
	    "void and press Enter. Esc cancels.") : _("Change what the paper "
	    "says, type the reason and press Enter on it. Esc cancels."));
}

static void
finish_action(struct tui *t)
{
	const struct ws_record *r = selected();
	const char *reason = tui_field_text(&P.fix[FIX_REASON]);
	enum ws_revision what = P.action == ACT_VOID ? WS_REVISE_VOID :
	    WS_REVISE_CORRECT;
	char text[SESSHU_ERR_MSG_MAX];
	struct sesshu_err err = { 0 };
	json_t *changes = NULL;
	int approval, rc;

	if (r == NULL)
		return;
	if (reason[0] == '\0') {
		P.fix_focus = FIX_REASON;
		tui_message(t, 1, "%s", _("A correction or a void needs a reason."));
		return;
	}
	if (what == WS_REVISE_CORRECT && (changes = tui_sheet_revision(t,
	    &P.who, P.history, P.nhistory, r, tui_field_text(&P.fix[FIX_DATE]),
	    atoi(tui_field_text(&P.fix[FIX_DOSE])),
	    tui_field_text(&P.fix[FIX_LOT]), &err)) == NULL) {
		tui_message(t, 1, _("Not corrected: %s"), err.msg);
		return;
	}
	approval = ws_record_needs_approval(t->ws, r->record_uuid,
	    t->settings.correction_approval);
	rc = approval ? ws_record_request(t->ws, r->record_uuid, what, changes,
	    reason, &err) : ws_record_revise(t->ws, r->record_uuid, what, changes,
	    reason, &err);
	json_decref(changes);
	if (rc != 0) {
		tui_message(t, 1, _("Not changed: %s"), tui_err_text(&err, text,
		    sizeof(text)));
		return;
	}
	P.action = ACT_NONE;
	for (int i = 0; i < FIX_FIELDS; i++)
		tui_field_clear(&P.fix[i]);
	if (reload(t, &err) != 0)
		tui_message(t, 1, "%s", err.msg);
	else if (approval)
		tui_message(t, 0, "%s", _("Sent to a supervisor for approval: the "
		    "record changes when it is approved."));
	else
		tui_message(t, 0, "%s", what == WS_REVISE_VOID ?
		    _("The record is voided.") : _("The record is corrected; "
		    "another user verifies it again."));
	tui_status_refresh(t);
}

static int
key_action(struct tui *t, wint_t key)
{
	int first = P.action == ACT_VOID ? FIX_REASON : FIX_DATE;

	if (key == TUI_ESC) {
		P.action = ACT_NONE;
		tui_message(t, 0, "%s", "");
		return 1;
	}
	if (TUI_IS_ENTER(key) && P.fix_focus == FIX_REASON) {
		finish_action(t);
		return 1;
	}
	if (TUI_IS_ENTER(key) || key == '\t' || key == TUI_FN(KEY_DOWN)) {
		P.fix_focus = P.fix_focus == FIX_REASON ? first : P.fix_focus + 1;
		return 1;
	}
	if (key == TUI_FN(KEY_BTAB) || key == TUI_FN(KEY_UP)) {
		P.fix_focus = P.fix_focus == first ? FIX_REASON : P.fix_focus - 1;
		return 1;
	}
	return tui_field_key(&P.fix[P.fix_focus], key);
}

/* ---- keys ----------------------------------------------------------------- */

static int
person_key(struct tui *t, wint_t key)
{
	struct ws_person p;
	int page = history_rows(t), rc;

	if (P.action != ACT_NONE)
		return key_action(t, key);
	if (key == TUI_FN(KEY_F(2)) || (key == TUI_ESC && !P.finder.picking)) {
		tui_finder_clear(&P.finder);
		wipe();
		tui_message(t, 0, "%s", "");
		return 1;
	}
	if (P.shown && !P.finder.picking) {
		if (key == TUI_FN(KEY_F(6))) {
			P.pane = P.pane == PANE_HISTORY ? PANE_DUE : PANE_HISTORY;
			return 1;
		}
		if (key == TUI_FN(KEY_F(7)) || key == TUI_FN(KEY_F(8))) {
			P.pane = PANE_HISTORY;
			start_action(t, key == TUI_FN(KEY_F(7)) ? ACT_VOID :
			    ACT_CORRECT);
			return 1;
		}
		if (key == TUI_FN(KEY_DOWN) || key == TUI_FN(KEY_NPAGE)) {
			P.cursor += key == TUI_FN(KEY_DOWN) ? 1 : page;
			if (P.cursor >= (int)P.nhistory)
				P.cursor = P.nhistory > 0 ? (int)P.nhistory - 1 : 0;
			keep_cursor_in_view(t);
			return 1;
		}
		if (key == TUI_FN(KEY_UP) || key == TUI_FN(KEY_PPAGE)) {
			P.cursor -= key == TUI_FN(KEY_UP) ? 1 : page;
			if (P.cursor < 0)
				P.cursor = 0;
			keep_cursor_in_view(t);
			return 1;
		}
	}
	rc = tui_finder_key(&P.finder, t, key, &p);
	if (rc == TUI_FINDER_FOUND) {
		show(t, &p);
		OPENSSL_cleanse(&p, sizeof(p));
		return 1;
	}
	/* Typing a new lookup clears the person shown. */
	if (rc == 1 && P.shown && !P.finder.picking && !TUI_IS_ENTER(key))
		wipe();
	return rc;
}

/* ---- drawing ---------------------------------------------------------- */

static void
draw_row(struct tui *t, int y, const char *const cells[NCOLUMNS], attr_t attr)
{
	int x = 1;

	for (size_t i = 0; i < NCOLUMNS && x < COLS; i++) {
		tui_put(t, y, x, columns[i].width, attr, cells[i]);
		x += columns[i].width + 1;
	}
}

static const char *
vaccine_name(const char *code)
{
	const struct core_vaccine *v = core_vaccine_find(code, strlen(code));

	if (v == NULL)
		return code;
	return strcmp(tui_i18n_language(), "en") == 0 ? v->name_en : v->name_ja;
}

static void
draw_history(struct tui *t, int y)
{
	const char *cells[NCOLUMNS];
	char line[160], dose[8], vaccine[128];
	int rows = history_rows(t);
	size_t w;

	if (P.more)
		snprintf(line, sizeof(line), _("Vaccination history (the first "
		    "%d)"), (int)P.nhistory);
	else
		snprintf(line, sizeof(line), _("Vaccination history (%d)"),
		    (int)P.nhistory);
	tui_put(t, y, 1, COLS - 2, A_BOLD, line);
	if ((int)P.nhistory > rows) {
		/* Which rows show, since the rest are out of sight. */
		snprintf(line, sizeof(line), _("rows %d-%d of %d; Up, Down, PgUp, "
		    "PgDn scroll"), P.scroll + 1, P.scroll + rows <
		    (int)P.nhistory ? P.scroll + rows : (int)P.nhistory,
		    (int)P.nhistory);
		w = tui_text_width(line);
		tui_put(t, y, COLS - 1 - (int)w, (int)w, A_NORMAL, line);
	}
	y++;
	for (size_t i = 0; i < NCOLUMNS; i++)
		cells[i] = _(columns[i].title);
	draw_row(t, y++, cells, A_UNDERLINE);
	if (P.nhistory == 0)
		tui_put(t, y, 1, COLS - 2, A_NORMAL, _("No vaccinations recorded."));
	for (int i = P.scroll; i < (int)P.nhistory && i < P.scroll + rows; i++) {
		const struct ws_record *r = &P.history[i];
		int voided = strcmp(r->state, "voided") == 0;
		attr_t a = i == P.cursor ? A_REVERSE : voided ? A_DIM : A_NORMAL;

		snprintf(dose, sizeof(dose), "%d", r->dose);
		snprintf(vaccine, sizeof(vaccine), "%s%s", voided ? _("[void] ") :
		    r->pending ? _("[pending] ") : "",
		    vaccine_name(r->vaccine_code));
		cells[0] = r->vaccinated_on;
		cells[1] = vaccine;
		cells[2] = dose;
		cells[3] = r->stage;
		cells[4] = r->institution_code;
		cells[5] = r->screening_only ? _("screening") : r->lot_no;
		cells[6] = r->vaccinating_doctor;
		draw_row(t, y++, cells, a);
	}
}

static const char *
due_label(enum core_due_status st)
{
	switch (st) {
	case CORE_DUE_DUE:
		return _("due now");
	case CORE_DUE_OVERDUE:
		return _("missed");
	default:
		return _("upcoming");
	}
}

static void
draw_due(struct tui *t, int y, int bottom)
{
	char line[256], from[CORE_DATE_STRLEN], until[CORE_DATE_STRLEN];
	char dose[32];

	tui_put(t, y++, 1, COLS - 2, A_BOLD, _("Doses due by the routine "
	    "schedule"));
	if (P.ndue == 0)
		tui_put(t, y++, 3, COLS - 4, A_NORMAL, _("Nothing due."));
	for (size_t i = 0; i < P.ndue && y <= bottom; i++, y++) {
		const struct core_due *d = &P.due[i];

		core_date_format(&d->from, from, sizeof(from));
		core_date_format(&d->until, until, sizeof(until));
		snprintf(dose, sizeof(dose), _("dose %d"), d->dose);
		snprintf(line, sizeof(line), "%s ~ %s", from, d->open_ended ? "" :
		    until);
		tui_put(t, y, 3, 12, d->status == CORE_DUE_DUE ? A_BOLD : A_NORMAL,
		    due_label(d->status));
		tui_put(t, y, 16, 26, A_NORMAL, vaccine_name(d->vaccine_code));
		tui_put(t, y, 43, 6, A_NORMAL, d->stage != NULL ? d->stage : "");
		tui_put(t, y, 50, 7, A_NORMAL, dose);
		tui_put(t, y, 58, COLS - 59, A_NORMAL, line);
	}
}

static void
draw_action(struct tui *t, int y)
{
	char view[TUI_FIELD_BYTES];
	size_t cursor;

	tui_put(t, y++, 1, COLS - 2, A_BOLD, P.action == ACT_VOID ?
	    _("Void the selected record") : _("Correct the selected record"));
	for (int i = P.action == ACT_VOID ? FIX_REASON : FIX_DATE;
	    i < FIX_FIELDS; i++, y++) {
		tui_put(t, y, 3, 20, A_NORMAL, _(fix_labels[i]));
		tui_field_view(&P.fix[i], view, sizeof(view), 50, &cursor);
		tui_put(t, y, 24, 50, A_UNDERLINE, view);
		if (i == P.fix_focus)
			tui_cursor(t, y, 24 + (int)cursor);
	}
}

static void
person_draw(struct tui *t)
{
	const char *labels[] = { _("Atena number"), _("Name"), _("Kana"),
	    _("Date of birth"), _("Sex") };
	char birth[CORE_DATE_BOTH_STRLEN];
	int y = tui_body_top(t), bottom = tui_body_bottom(t), lw = 0;
	size_t w;

	tui_finder_draw(&P.finder, t, y, bottom, P.action == ACT_NONE);
	if (!P.shown || P.finder.picking)
		return;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if ((w = tui_text_width(labels[i])) > (size_t)lw)
			lw = (int)w;
	lw += 2;
	y += 2;
	tui_date_both(P.who.birth_date, birth, sizeof(birth));
	tui_put(t, y, 1, lw, A_NORMAL, labels[0]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_BOLD, P.who.atena_no);
	tui_put(t, y, 1, lw, A_NORMAL, labels[1]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_BOLD, P.who.name);
	tui_put(t, y, 1, lw, A_NORMAL, labels[2]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_NORMAL, P.who.name_kana);
	tui_put(t, y, 1, lw, A_NORMAL, labels[3]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_NORMAL, birth);
	tui_put(t, y, 1, lw, A_NORMAL, labels[4]);
	tui_put(t, y++, 1 + lw, COLS - 2 - lw, A_NORMAL,
	    tui_sex_label(P.who.sex));
	y++;
	if (P.pane == PANE_DUE)
		draw_due(t, y, bottom);
	else
		draw_history(t, y);
	if (P.action != ACT_NONE)
		draw_action(t, bottom - FIX_FIELDS);
}

const struct tui_screen tui_screen_person = {
	.name = "person",
	.title = N_("Resident lookup"),
	.help = N_("Look up a resident: type the atena number (宛名番号, 10 "
	    "digits) or scan it, or type the kana of the name (hiragana or "
	    "katakana) and, after Tab, the date of birth, then press Enter. "
	    "The screen shows the resident's name, kana, date of birth and "
	    "sex, and the vaccinations recorded.\n\n"
	    "Up, Down, PgUp and PgDn choose a record of the history. F6 shows "
	    "the doses due by the routine schedule instead, and back. F7 voids "
	    "the chosen record and F8 corrects its date, dose or lot, each with "
	    "a reason; nothing is overwritten, and when the setting asks for "
	    "it a supervisor approves the change first. F2 or Esc clears the "
	    "screen for a new lookup.\n\n"
	    "Every lookup is recorded in the audit trail with your user ID."),
	.keys = person_keys,
	.kind = TUI_SCREEN_WORK,
	.perm = CORE_PERM_LOOKUP,
	.enter = person_enter,
	.draw = person_draw,
	.key = person_key,
	.forget = person_forget,
};
