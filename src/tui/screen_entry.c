/*
 * screen_entry.c: keying returned 予診票 into a batch, sheet by sheet:
 * the clerks' main job (DOMAIN §3.1), fast by keyboard and hard to get
 * wrong.
 *
 * A sheet goes: find the person (a barcode scanner types the 宛名番号
 * and Enter; or カナ and/or 生年月日 and Enter, then pick from the list),
 * confirm the four keys and the history on screen, key the form's fields
 * (Enter moves on, batch defaults and the last sheet's vaccine, lot and
 * doctor carry over, the next dose is proposed from the history), F2
 * checks and saves. The checks of core/check.h run on every save: errors
 * stop it, a possible duplicate needs F2 a second time, warnings are shown
 * with the saved record. The common sheet is: scan, date (R6.4.1), Enter,
 * Enter, F2.
 *
 * Nothing typed is lost: when a field is left, a second after the last
 * key, and whenever the session ends or is taken over, the sheet is kept
 * as a draft in the encrypted cache for its owner (ws_records.h), and
 * offered back at the next login or when its batch is opened again. Every person shown is audited as person.view with this
 * screen's name (C4). forget() wipes the person and every value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/era.h"
#include "core/permission.h"
#include "core/vaccine.h"
#include "sync/ws_records.h"
#include "tui/field.h"
#include "tui/finder.h"
#include "tui/forms.h"
#include "tui/person_keys.h"
#include "tui/screen.h"
#include "tui/sheet.h"
#include "tui/text.h"

#define DRAFT_SLOT	"entry"
#define LOTS_MAX	12
#define HISTORY_SHOWN	4

enum step {
	STEP_FIND,	/* 宛名番号 (a scan) or カナ + 生年月日: finder.h */
	STEP_SHEET,	/* keying the form */
};

static struct entry {
	int			 ready;
	struct ws_batch		 batch;
	enum step		 step;

	struct tui_finder	 finder;

	struct ws_person	 person;
	struct ws_record	 history[WS_HISTORY_MAX];
	size_t			 nhistory;
	int			 history_more;

	struct tui_field	 vaccine;	/* the form, by vaccine code */
	struct tui_sheet	 sheet;
	int			 focus;		/* -1: vaccine; else a field */
	struct ws_lot		 lots[LOTS_MAX];
	size_t			 nlots;

	struct core_check_result check;
	int			 show_check;	/* findings replace the history */
	int			 confirm_armed;	/* F2 again saves despite CONFIRMs */

	/* What carries over to the next sheet of the batch. */
	char			 carry_vaccine[16];
	char			 carry_lot[32];
	char			 carry_doctor[96];

	guint			 draft_timer;
	int			 dirty;		/* typed since the draft was kept */

	/* Completion of a code field from master data (Up/Down). */
	int			 complete_field;	/* -2: none */
	char			 complete_prefix[32];
} E = { .complete_field = -2 };

static const struct tui_fkey entry_keys[] = {
	{ 2, N_("Save") },
	{ 3, N_("Discard") },
	{ 4, N_("Batches") },
	{ 0, NULL },
};

static void	draft_keep(struct tui *t);

/* ---- state ------------------------------------------------------------ */

static void
wipe_person(void)
{
	OPENSSL_cleanse(&E.person, sizeof(E.person));
	OPENSSL_cleanse(E.history, sizeof(E.history));
	OPENSSL_cleanse(&E.check, sizeof(E.check));
	E.nhistory = 0;
	E.history_more = 0;
	E.show_check = E.confirm_armed = 0;
}

static void
wipe_sheet(void)
{
	if (E.sheet.form != NULL)
		tui_sheet_clear(&E.sheet);
	E.nlots = 0;
}

static void
wipe_all(void)
{
	if (E.ready) {
		tui_finder_clear(&E.finder);
		tui_field_clear(&E.vaccine);
	}
	wipe_sheet();
	wipe_person();
	if (E.sheet.form != NULL && E.ready)
		tui_field_set(&E.vaccine, E.sheet.form->vaccine_code);
	E.step = STEP_FIND;
	E.dirty = 0;
}

static void
cancel_draft_timer(void)
{
	if (E.draft_timer != 0) {
		g_source_remove(E.draft_timer);
		E.draft_timer = 0;
	}
}

static const struct core_form_field *
field_at(int i)
{
	return i >= 0 && (size_t)i < E.sheet.nfields ?
	    &E.sheet.form->fields[i] : NULL;
}

/* A field Enter stops at: shown, and not filled from the batch. */
static int
stops_at(int i)
{
	const struct core_form_field *f = field_at(i);

	return f != NULL && !f->hidden && !f->from_batch;
}

static int
english(void)
{
	return strcmp(tui_i18n_language(), "en") == 0;
}

/* ---- the person --------------------------------------------------------- */

static void
load_lots(struct tui *t)
{
	struct sesshu_err err = { 0 };

	E.nlots = 0;
	if (E.sheet.form != NULL &&
	    ws_lots_of(t->ws, E.sheet.form->vaccine_code, E.lots, LOTS_MAX,
	    &E.nlots, &err) != 0)
		tui_message(t, 1, "%s", err.msg);
}

/*
 * The dose after the last one of this vaccine (and stage, when given) in
 * the history, each record placed in its series as the schedule does.
 */
static int
next_dose(const struct core_schedule *sched, const char *vaccine,
    const char *stage)
{
	char placed[CORE_SCHEDULE_STAGE_MAX];
	int last = 0, dose;

	for (size_t i = 0; i < E.nhistory; i++) {
		const struct ws_record *r = &E.history[i];

		if (strcmp(r->vaccine_code, vaccine) != 0 || r->screening_only ||
		    strcmp(r->state, "voided") == 0)
			continue;
		core_schedule_canonical(sched, vaccine, r->dose, r->stage, placed,
		    sizeof(placed), &dose);
		if (stage != NULL && strcmp(placed, stage) != 0)
			continue;
		if ((stage != NULL ? dose : r->dose) > last)
			last = stage != NULL ? dose : r->dose;
	}
	return last + 1;
}

/*
 * The stage and dose this sheet most likely is: the first stage of the
 * form whose series the history has not finished (per the schedule), and
 * the dose after the last one given in it. The clerk types over it when
 * the paper says otherwise.
 */
static void
propose_dose(struct tui *t)
{
	const struct core_form *form = E.sheet.form;
	const char *vaccine = form->vaccine_code;
	char dose[16];
	int n;

	for (size_t i = 0; i < form->nstages; i++) {
		n = next_dose(t->forms.schedule, vaccine, form->stages[i]);
		if (core_schedule_find(t->forms.schedule, vaccine, n,
		    form->stages[i]) != NULL) {
			tui_sheet_set(&E.sheet, "stage", form->stages[i]);
			snprintf(dose, sizeof(dose), "%d", n);
			tui_sheet_set(&E.sheet, "dose", dose);
			return;
		}
	}
	n = next_dose(t->forms.schedule, vaccine, NULL);
	if (n > CORE_SCHEDULE_DOSE_MAX)
		n = CORE_SCHEDULE_DOSE_MAX;
	snprintf(dose, sizeof(dose), "%d", n);
	tui_sheet_set(&E.sheet, "dose", dose);
}

/* Fills what a new sheet starts with, for the form just chosen. */
static void
fill_defaults(struct tui *t)
{
	char today[CORE_DATE_STRLEN];
	const char *lot = "";
	struct core_date d;

	load_lots(t);
	tui_today(&d);
	core_date_format(&d, today, sizeof(today));
	propose_dose(t);
	if (tui_sheet_get(&E.sheet, "lot_no")[0] == '\0') {
		if (strcmp(E.carry_vaccine, E.sheet.form->vaccine_code) == 0)
			lot = E.carry_lot;
		for (size_t l = 0; lot[0] == '\0' && l < E.nlots; l++)
			if (strcmp(E.lots[l].expiry, today) >= 0)
				lot = E.lots[l].lot_no;
		tui_sheet_set(&E.sheet, "lot_no", lot);
	}
	if (tui_sheet_get(&E.sheet, "vaccinating_doctor")[0] == '\0' &&
	    strcmp(E.carry_vaccine, E.sheet.form->vaccine_code) == 0)
		tui_sheet_set(&E.sheet, "vaccinating_doctor", E.carry_doctor);
	for (size_t k = 0; k < E.sheet.nfields; k++)
		if (E.sheet.form->fields[k].from_batch) {
			const char *v = strcmp(E.sheet.form->fields[k].item,
			    "billing_month") == 0 ? E.batch.billing_month :
			    E.batch.institution_code;

			tui_field_clear(&E.sheet.values[k]);
			tui_field_set(&E.sheet.values[k], v);
		}
}

/* The first field that still needs typing. */
static int
first_open_field(void)
{
	for (size_t i = 0; i < E.sheet.nfields; i++)
		if (stops_at((int)i) &&
		    tui_field_text(&E.sheet.values[i])[0] == '\0')
			return (int)i;
	for (size_t i = 0; i < E.sheet.nfields; i++)
		if (stops_at((int)i))
			return (int)i;
	return -1;
}

/* Chooses the form of a vaccine code; 0 when there is one. */
static int
choose_form(struct tui *t, const char *code)
{
	const struct core_form *form = tui_forms_for(&t->forms, code);
	struct sesshu_err err = { 0 };
	json_t *keep = NULL;

	if (form == NULL) {
		tui_message(t, 1, _("No entry form for vaccine \"%.16s\". F1 lists "
		    "the codes."), code);
		return -1;
	}
	if (E.sheet.form == form)
		return 0;
	/* Keep what fits the new form: the date, the doctor, the flags. */
	if (E.sheet.form != NULL) {
		keep = tui_sheet_to_json(&E.sheet);
		json_object_del(keep, "lot_no");
		json_object_del(keep, "dose");
		json_object_del(keep, "stage");
		tui_sheet_clear(&E.sheet);
		for (size_t i = 0; i < E.sheet.nfields; i++)
			tui_field_free(&E.sheet.values[i]);
	}
	if (tui_sheet_init(&E.sheet, form, &err) != 0) {
		tui_message(t, 1, "%s", err.msg);
		json_decref(keep);
		return -1;
	}
	if (keep != NULL)
		tui_sheet_from_json(&E.sheet, keep);
	json_decref(keep);
	tui_field_clear(&E.vaccine);
	tui_field_set(&E.vaccine, form->vaccine_code);
	fill_defaults(t);
	return 0;
}

/* The person is on screen: the history is read and the view audited. */
static void
show_person(struct tui *t, const struct ws_person *p)
{
	struct sesshu_err err = { 0 };
	char object[32];

	E.person = *p;
	if (ws_person_records(t->ws, p->atena_no, E.history, WS_HISTORY_MAX,
	    &E.nhistory, &E.history_more, &err) != 0) {
		wipe_person();
		tui_message(t, 1, "%s", err.msg);
		return;
	}
	snprintf(object, sizeof(object), "person:%s", p->atena_no);
	tui_audit(t, "person.view", object, "ok: entry");
	E.step = STEP_SHEET;
	tui_finder_clear(&E.finder);
	if (E.sheet.form == NULL && E.carry_vaccine[0] != '\0')
		choose_form(t, E.carry_vaccine);
	else if (E.sheet.form != NULL)
		fill_defaults(t);
	E.focus = E.sheet.form != NULL ? first_open_field() : -1;
	E.dirty = 1;
	tui_message(t, 0, "%s", _("Check the four keys against the sheet, then "
	    "key the sheet. F2 saves."));
}

/* ---- saving ------------------------------------------------------------- */

static const char *
level_label(enum core_check_level l)
{
	switch (l) {
	case CORE_CHECK_ERROR:
		return _("Error");
	case CORE_CHECK_CONFIRM:
		return _("Confirm");
	default:
		return _("Warning");
	}
}

/* The findings of the last check, one line each, into the history's place. */
static void
draw_findings(struct tui *t, int y, int rows)
{
	char line[512];

	for (size_t i = 0; i < E.check.nfindings && (int)i < rows; i++) {
		const struct core_check_finding *f = &E.check.findings[i];

		snprintf(line, sizeof(line), "%s: %s%s%s", level_label(f->level),
		    _(f->msgid), f->detail[0] != '\0' ? " - " : "", f->detail);
		tui_put(t, y + (int)i, 1, COLS - 2, f->level == CORE_CHECK_ERROR ?
		    A_BOLD | A_REVERSE : f->level == CORE_CHECK_CONFIRM ? A_BOLD :
		    A_NORMAL, line);
	}
}

static int
has_level(enum core_check_level l)
{
	for (size_t i = 0; i < E.check.nfindings; i++)
		if (E.check.findings[i].level == l)
			return 1;
	return 0;
}

/*
 * The sheet is done (saved or discarded): wiped, back to the scan, and its
 * draft dropped. 0 with the message set when the draft could not be.
 */
static int
end_sheet(struct tui *t)
{
	struct sesshu_err err = { 0 };

	wipe_sheet();
	wipe_person();
	E.step = STEP_FIND;
	cancel_draft_timer();
	E.dirty = 0;
	if (ws_draft_discard(t->ws, DRAFT_SLOT, &err) != 0) {
		tui_message(t, 1, "%s", err.msg);
		return 0;
	}
	return 1;
}

static void
after_save(struct tui *t, const char *category)
{
	char note[256] = "";

	for (size_t i = 0; i < E.check.nfindings; i++)
		if (E.check.findings[i].level == CORE_CHECK_WARNING) {
			snprintf(note, sizeof(note), " %s", _(E.check.findings[i].msgid));
			break;
		}
	snprintf(E.carry_vaccine, sizeof(E.carry_vaccine), "%s",
	    E.sheet.form->vaccine_code);
	snprintf(E.carry_lot, sizeof(E.carry_lot), "%s",
	    tui_sheet_get(&E.sheet, "lot_no"));
	snprintf(E.carry_doctor, sizeof(E.carry_doctor), "%s",
	    tui_sheet_get(&E.sheet, "vaccinating_doctor"));
	if (end_sheet(t))
		tui_message(t, 0, _("Saved (%s).%s Scan the next sheet."),
		    strcmp(category, "V") == 0 ? _("任意 (voluntary)") :
		    strcmp(category, "B") == 0 ? _("定期B類") : _("定期A類"), note);
	ws_batch_get(t->ws, E.batch.batch_id, &E.batch, NULL);
	tui_status_refresh(t);
}

static void
save(struct tui *t)
{
	struct sesshu_err err = { 0 };
	char category[2];
	json_t *rec = NULL;
	int bad, rc;

	if (E.sheet.form == NULL) {
		tui_message(t, 1, "%s", _("Choose the vaccine first."));
		E.focus = -1;
		return;
	}
	rc = tui_sheet_build(t, &E.sheet, &E.batch, &E.person, E.history,
	    E.nhistory, &rec, &E.check, &bad, &err);
	if (rc != 0) {
		if (bad >= 0) {
			E.focus = bad;
			tui_message(t, 1, "%s: %s", tui_sheet_label(&E.sheet,
			    (size_t)bad), err.msg);
		} else
			tui_message(t, 1, "%s", err.msg);
		return;
	}
	E.show_check = E.check.nfindings > 0;
	if (has_level(CORE_CHECK_ERROR)) {
		tui_message(t, 1, "%s", _("Not saved: correct the errors shown."));
		E.confirm_armed = 0;
		goto out;
	}
	if (has_level(CORE_CHECK_CONFIRM) && !E.confirm_armed) {
		tui_message(t, 1, "%s", _("Check the points shown. Press F2 again "
		    "to save anyway."));
		E.confirm_armed = 1;
		goto out;
	}
	snprintf(category, sizeof(category), "%s",
	    json_string_value(json_object_get(rec, "category")));
	if (ws_record_save_confirmed(t->ws, rec, E.confirm_armed &&
	    has_level(CORE_CHECK_CONFIRM), NULL, &err) != 0) {
		tui_message(t, 1, _("Not saved: %s"), err.msg);
		goto out;
	}
	after_save(t, category);
out:
	json_decref(rec);
}

/* ---- drafts ------------------------------------------------------------- */

static void
draft_keep(struct tui *t)
{
	struct sesshu_err err = { 0 };
	json_t *d;

	cancel_draft_timer();
	if (t->ws == NULL || !E.dirty || E.step != STEP_SHEET)
		return;
	d = json_pack("{s:s, s:s, s:s, s:o}", "batch_id", E.batch.batch_id,
	    "atena_no", E.person.atena_no, "vaccine",
	    E.sheet.form != NULL ? E.sheet.form->vaccine_code : "",
	    "values", E.sheet.form != NULL ? tui_sheet_to_json(&E.sheet) :
	    json_object());
	if (d == NULL || ws_draft_save(t->ws, DRAFT_SLOT, d, &err) != 0)
		tui_message(t, 1, _("The draft could not be kept: %s"), d == NULL ?
		    "out of memory" : err.msg);
	else
		E.dirty = 0;
	json_decref(d);
}

static gboolean
on_draft_timer(gpointer data)
{
	E.draft_timer = 0;
	draft_keep(data);
	return G_SOURCE_REMOVE;
}

/* A value changed: the draft is kept a second after the last key. */
static void
typed(struct tui *t)
{
	E.dirty = 1;
	E.confirm_armed = 0;
	cancel_draft_timer();
	if (E.step == STEP_SHEET)
		E.draft_timer = g_timeout_add(1000, on_draft_timer, t);
}

/* Restores a draft: its batch, its person and its values. */
static int
resume(struct tui *t, const json_t *d)
{
	const char *batch = json_string_value(json_object_get(d, "batch_id"));
	const char *atena = json_string_value(json_object_get(d, "atena_no"));
	const char *vaccine = json_string_value(json_object_get(d, "vaccine"));
	struct sesshu_err err = { 0 };
	struct ws_person p;

	if (batch == NULL || atena == NULL ||
	    ws_batch_get(t->ws, batch, &E.batch, &err) != 0 ||
	    ws_person_get(t->ws, atena, &p, &err) != 0) {
		/* Said once; a draft that cannot come back is not kept. */
		tui_message(t, 1, _("The draft could not be restored: %s"),
		    err.msg[0] != '\0' ? err.msg : "malformed");
		ws_draft_discard(t->ws, DRAFT_SLOT, NULL);
		return -1;
	}
	if (vaccine != NULL && vaccine[0] != '\0' && choose_form(t, vaccine) == 0)
		tui_sheet_from_json(&E.sheet, json_object_get(d, "values"));
	show_person(t, &p);
	OPENSSL_cleanse(&p, sizeof(p));
	tui_message(t, 0, "%s", _("The unsaved sheet is back. Check it and press "
	    "F2 to save, or F3 to discard it."));
	return 0;
}

/* ---- the screen --------------------------------------------------------- */

/*
 * arg: a batch ID to key into, or a draft (json_t *, borrowed) when
 * tui_entry_resume() calls.
 */
static int
entry_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };
	int rc;

	if (!E.ready) {
		if ((rc = tui_finder_init(&E.finder, "entry", &err)) != 0 ||
		    (rc = tui_field_init(&E.vaccine, TUI_FIELD_ASCII, 12,
		    &err)) != 0) {
			tui_message(t, 1, "%s", err.msg);
			return rc;
		}
		E.ready = 1;
	}
	if (arg == NULL)
		return 0;	/* back to the sheet as it was */
	wipe_all();
	return 0;
}

int
tui_entry_open(struct tui *t, const char *batch_id)
{
	struct sesshu_err err = { 0 };
	int rc;

	/* A sheet kept when the user left it (F4, F11) comes back first. */
	if (E.step == STEP_SHEET && t->screen != &tui_screen_entry &&
	    strcmp(E.batch.batch_id, batch_id) == 0)
		return tui_switch(t, &tui_screen_entry, NULL);
	if ((rc = tui_entry_resume(t)) != 0)
		return rc < 0 ? rc : 0;
	if ((rc = tui_switch(t, &tui_screen_entry, (void *)batch_id)) != 0)
		return rc;
	if (ws_batch_get(t->ws, batch_id, &E.batch, &err) != 0) {
		tui_message(t, 1, "%s", err.msg);
		return tui_switch(t, &tui_screen_batches, NULL);
	}
	if (!core_batch_accepts_sheets(E.batch.state)) {
		tui_message(t, 1, "%s", _("This batch is closed."));
		return tui_switch(t, &tui_screen_batches, NULL);
	}
	tui_message(t, 0, "%s", _("Scan the sheet's barcode, or type the atena "
	    "number, or kana (Tab: date of birth), and press Enter."));
	return 0;
}

int
tui_entry_resume(struct tui *t)
{
	struct sesshu_err err = { 0 };
	json_t *d = NULL;
	int rc;

	if (ws_draft_load(t->ws, DRAFT_SLOT, &d, &err) != 0 || d == NULL)
		return 0;
	if ((rc = tui_switch(t, &tui_screen_entry, d)) == 0 && resume(t, d) != 0)
		rc = tui_switch(t, &tui_screen_batches, NULL);
	json_decref(d);
	return rc == 0 ? 1 : rc;
}

static void
entry_forget(struct tui *t)
{
	(void)t;
	cancel_draft_timer();
	wipe_all();
	/* The next user starts without a form: they choose their vaccine. */
	for (size_t i = 0; i < E.sheet.nfields; i++)
		tui_field_free(&E.sheet.values[i]);
	memset(&E.sheet, 0, sizeof(E.sheet));
	if (E.ready)
		tui_field_clear(&E.vaccine);
	OPENSSL_cleanse(E.carry_lot, sizeof(E.carry_lot));
	OPENSSL_cleanse(E.carry_doctor, sizeof(E.carry_doctor));
	E.carry_vaccine[0] = '\0';
	memset(&E.batch, 0, sizeof(E.batch));
}

/* SESSION_SAVE_DRAFT: the session ends with a sheet on screen. */
static void
entry_save_draft(struct tui *t)
{
	draft_keep(t);
}

static void
move_focus(int dir)
{
	int i = E.focus;

	for (;;) {
		i += dir;
		if (i < -1) {
			return;
		}
		if (i == -1 || (size_t)i >= E.sheet.nfields)
			break;
		if (stops_at(i)) {
			E.focus = i;
			return;
		}
	}
	if (i == -1)
		E.focus = -1;
}

/* Space on a choice or flag field steps through its values. */
static int
cycle_value(int i)
{
	const struct core_form_field *f = field_at(i);
	const char *cur;
	size_t c;

	if (f == NULL)
		return 0;
	cur = tui_field_text(&E.sheet.values[i]);
	if (f->type == CORE_FORM_FLAG) {
		tui_field_clear(&E.sheet.values[i]);
		tui_field_set(&E.sheet.values[i], strcmp(cur, "1") == 0 ? "0" : "1");
		return 1;
	}
	if (f->type != CORE_FORM_CHOICE || f->nchoices == 0)
		return 0;
	for (c = 0; c < f->nchoices; c++)
		if (strcmp(f->choices[c].value, cur) == 0)
			break;
	c = c >= f->nchoices ? 0 : (c + 1) % (f->nchoices + 1);
	tui_field_clear(&E.sheet.values[i]);
	if (c < f->nchoices)
		tui_field_set(&E.sheet.values[i], f->choices[c].value);
	return 1;
}

/*
 * Up and Down on another code field step through the master data's codes
 * that begin with what was typed before the first step (a doctor: of the
 * batch's institution).
 */
static int
cycle_code(struct tui *t, int i, int dir)
{
	static const char *const tables[] = {
		[CORE_FORM_SOURCE_INSTITUTION] = "medical_institutions",
		[CORE_FORM_SOURCE_DOCTOR] = "doctors",
		[CORE_FORM_SOURCE_MAKER] = "manufacturers",
		[CORE_FORM_SOURCE_FEE_CATEGORY] = "fee_categories",
	};
	const struct core_form_field *f = field_at(i);
	const char *cur = tui_field_text(&E.sheet.values[i]);
	char codes[64][32];
	size_t n = 0, c;

	if ((size_t)f->source >= sizeof(tables) / sizeof(tables[0]) ||
	    tables[f->source] == NULL)
		return 0;
	if (E.complete_field != i) {
		/* The first step: what was typed is the prefix. */
		E.complete_field = i;
		snprintf(E.complete_prefix, sizeof(E.complete_prefix), "%s", cur);
	}
	if (ws_master_codes(t->ws, tables[f->source], f->source ==
	    CORE_FORM_SOURCE_DOCTOR ? E.batch.institution_code : NULL,
	    E.complete_prefix, codes, 64, &n, NULL) != 0 || n == 0)
		return -1;
	for (c = 0; c < n && strcmp(codes[c], cur) != 0; c++)
		;
	c = c == n ? (dir > 0 ? 0 : n - 1) : (c + n + (size_t)(dir > 0 ? 1 :
	    n - 1)) % n;
	tui_field_clear(&E.sheet.values[i]);
	tui_field_set(&E.sheet.values[i], codes[c]);
	return 1;
}

/* Up and Down on the lot field step through the vaccine's lots. */
static int
cycle_lot(int i, int dir)
{
	const char *cur = tui_field_text(&E.sheet.values[i]);
	size_t l;

	if (E.nlots == 0)
		return 0;
	for (l = 0; l < E.nlots; l++)
		if (strcmp(E.lots[l].lot_no, cur) == 0)
			break;
	if (l == E.nlots)
		l = dir > 0 ? E.nlots - 1 : 0;
	l = (l + E.nlots + (size_t)(dir > 0 ? 1 : E.nlots - 1)) % E.nlots;
	tui_field_clear(&E.sheet.values[i]);
	tui_field_set(&E.sheet.values[i], E.lots[l].lot_no);
	return 1;
}

static int
key_find(struct tui *t, wint_t key)
{
	struct ws_person p;
	int rc = tui_finder_key(&E.finder, t, key, &p);

	if (rc == TUI_FINDER_FOUND) {
		show_person(t, &p);
		OPENSSL_cleanse(&p, sizeof(p));
		return 1;
	}
	return rc;
}

static void
discard(struct tui *t)
{
	if (end_sheet(t))
		tui_message(t, 0, "%s", _("The sheet was discarded. Scan the next "
		    "sheet."));
}

static int
key_sheet(struct tui *t, wint_t key)
{
	const struct core_form_field *f = field_at(E.focus);
	int rc;

	if (key == TUI_FN(KEY_F(2))) {
		if (E.focus == -1 && tui_field_text(&E.vaccine)[0] != '\0' &&
		    choose_form(t, tui_field_text(&E.vaccine)) != 0)
			return 1;
		save(t);
		return 1;
	}
	if (key == TUI_FN(KEY_F(3)) || key == TUI_ESC) {
		discard(t);
		return 1;
	}
	if (TUI_IS_ENTER(key) || key == '\t' || key == TUI_FN(KEY_DOWN) ||
	    key == TUI_FN(KEY_BTAB) || key == TUI_FN(KEY_UP)) {
		int back = key == TUI_FN(KEY_BTAB) || key == TUI_FN(KEY_UP);

		if (f != NULL && f->source == CORE_FORM_SOURCE_LOT &&
		    (key == TUI_FN(KEY_DOWN) || key == TUI_FN(KEY_UP)))
			return cycle_lot(E.focus, key == TUI_FN(KEY_DOWN) ? 1 : -1);
		/* With no code to offer, Up and Down move as elsewhere. */
		if (f != NULL && f->type == CORE_FORM_CODE &&
		    (key == TUI_FN(KEY_DOWN) || key == TUI_FN(KEY_UP)) &&
		    cycle_code(t, E.focus, key == TUI_FN(KEY_DOWN) ? 1 : -1) == 1) {
			typed(t);
			return 1;
		}
		if (E.focus == -1 && !back) {
			if (choose_form(t, tui_field_text(&E.vaccine)) != 0)
				return 1;
			E.focus = first_open_field();
			return 1;
		}
		if (E.sheet.form == NULL)
			return 1;
		move_focus(back ? -1 : 1);
		draft_keep(t);		/* a field done: kept at once */
		return 1;
	}
	if (key == ' ' && f != NULL && cycle_value(E.focus)) {
		typed(t);
		return 1;
	}
	if (f != NULL && (f->type == CORE_FORM_CHOICE || f->type == CORE_FORM_FLAG))
		return -1;	/* Space chooses */
	rc = tui_field_key(E.focus == -1 ? &E.vaccine : &E.sheet.values[E.focus],
	    key);
	if (rc == 1) {
		E.complete_field = -2;	/* typed: the next Up/Down starts anew */
		typed(t);
	}
	return rc;
}

static int
entry_key(struct tui *t, wint_t key)
{
	if (key == TUI_FN(KEY_F(4))) {
		draft_keep(t);
		return tui_switch(t, &tui_screen_batches, NULL) == 0;
	}
	switch (E.step) {
	case STEP_FIND:
		return key_find(t, key);
	case STEP_SHEET:
		return key_sheet(t, key);
	}
	return 0;
}

/* ---- drawing ------------------------------------------------------------ */

static void
draw_batch_line(struct tui *t, int y)
{
	char line[512], month[CORE_YM_ERA_STRLEN] = "";
	struct core_ym ym;

	if (core_ym_parse(E.batch.billing_month, strlen(E.batch.billing_month),
	    &ym, NULL) == 0)
		core_ym_format_era(&ym, month, sizeof(month));
	snprintf(line, sizeof(line), _("Batch: %s %s  claimed %ld, entered %ld, "
	    "verified %ld, voided %ld"), E.batch.institution_name, month,
	    E.batch.counts.claimed, E.batch.counts.entered,
	    E.batch.counts.verified, E.batch.counts.voided);
	tui_put(t, y, 1, COLS - 2, A_BOLD, line);
}

static const char *
vaccine_name(const char *code)
{
	const struct core_vaccine *v = core_vaccine_find(code, strlen(code));

	return v == NULL ? code : english() ? v->name_en : v->name_ja;
}

static void
draw_history(struct tui *t, int y, int rows)
{
	char line[256], dose[16];
	size_t first = E.nhistory > (size_t)rows ? E.nhistory - (size_t)rows : 0;

	snprintf(line, sizeof(line), _("History (%zu)"), E.nhistory);
	tui_put(t, y++, 1, COLS - 2, A_DIM, line);
	if (E.nhistory == 0)
		tui_put(t, y, 3, COLS - 4, A_NORMAL, _("No vaccinations recorded."));
	for (size_t i = first; i < E.nhistory; i++) {
		const struct ws_record *r = &E.history[i];

		snprintf(dose, sizeof(dose), _("dose %d"), r->dose);
		tui_put(t, y, 3, 11, A_NORMAL, r->vaccinated_on);
		tui_put(t, y, 15, 26, A_NORMAL, vaccine_name(r->vaccine_code));
		tui_put(t, y, 42, 8, A_NORMAL, dose);
		tui_put(t, y, 51, 6, A_NORMAL, r->stage);
		tui_put(t, y, 58, 12, A_NORMAL, r->screening_only ?
		    _("screening") : r->lot_no);
		tui_put(t, y++, 71, COLS - 72, A_DIM,
		    strcmp(r->state, "voided") == 0 ? _("voided") :
		    strcmp(r->state, "verified") == 0 ? _("verified") : "");
	}
}

/* What a field's value means, beside it: a name, a date in 和暦, a lot. */
static void
field_hint(struct tui *t, int i, char *buf, size_t size)
{
	const struct core_form_field *f = field_at(i);
	const char *v = tui_field_text(&E.sheet.values[i]);
	struct core_date d;

	buf[0] = '\0';
	if (v[0] == '\0' && f->type != CORE_FORM_CHOICE &&
	    f->type != CORE_FORM_FLAG)
		return;
	switch (f->type) {
	case CORE_FORM_DATE:
		if (core_date_parse_any(v, strlen(v), &d, NULL) == 0)
			core_date_format_both(&d, buf, size);
		return;
	case CORE_FORM_CHOICE:
		snprintf(buf, size, "%s  %s", v[0] != '\0' ?
		    tui_sheet_choice_label(&E.sheet, (size_t)i, v) : "",
		    _("(Space: next choice)"));
		return;
	case CORE_FORM_FLAG:
		snprintf(buf, size, "%s  %s", strcmp(v, "1") == 0 ? _("yes") :
		    _("no"), _("(Space: change)"));
		return;
	case CORE_FORM_CODE:
		break;
	default:
		return;
	}
	switch (f->source) {
	case CORE_FORM_SOURCE_INSTITUTION:
		ws_master_name(t->ws, "medical_institutions", v, buf, size);
		break;
	case CORE_FORM_SOURCE_DOCTOR:
		ws_master_name(t->ws, "doctors", v, buf, size);
		break;
	case CORE_FORM_SOURCE_MAKER:
		ws_master_name(t->ws, "manufacturers", v, buf, size);
		break;
	case CORE_FORM_SOURCE_FEE_CATEGORY:
		ws_master_name(t->ws, "fee_categories", v, buf, size);
		break;
	case CORE_FORM_SOURCE_LOT:
		for (size_t l = 0; l < E.nlots; l++)
			if (strcmp(E.lots[l].lot_no, v) == 0) {
				char maker[128];

				ws_master_name(t->ws, "manufacturers",
				    E.lots[l].maker_code, maker, sizeof(maker));
				snprintf(buf, size, _("%s, expires %s (Up/Down: "
				    "other lots)"), maker, E.lots[l].expiry);
				return;
			}
		snprintf(buf, size, "%s", _("not in the master data"));
		break;
	default:
		break;
	}
	if (buf[0] == '\0')
		snprintf(buf, size, "%s", _("unknown code"));
}

static void
draw_sheet(struct tui *t, int y, int bottom)
{
	char view[TUI_FIELD_BYTES], hint[256], title[256];
	int lw = 16, vw = 20, rows, first = 0, shown = 0;
	size_t cursor;

	/* The vaccine: the form. */
	tui_put(t, y, 1, lw, A_NORMAL, _("Vaccine"));
	tui_field_view(&E.vaccine, view, sizeof(view), (size_t)vw, &cursor);
	tui_put(t, y, 2 + lw, vw, A_UNDERLINE, view);
	if (E.focus == -1)
		tui_cursor(t, y, 2 + lw + (int)cursor);
	snprintf(title, sizeof(title), "%s", E.sheet.form != NULL ? (english() ?
	    E.sheet.form->title_en : E.sheet.form->title_ja) :
	    _("Type the vaccine code (MR, JE, HPV, ...; F1 lists them) and Enter."));
	tui_put(t, y++, 3 + lw + vw, COLS - 4 - lw - vw, A_NORMAL, title);
	if (E.sheet.form == NULL)
		return;
	rows = bottom - y + 1;
	/* Keep the focused field in view. */
	for (int i = 0, n = 0; (size_t)i < E.sheet.nfields; i++) {
		if (E.sheet.form->fields[i].hidden)
			continue;
		if (i == E.focus && n >= rows)
			first = n - rows + 1;
		n++;
	}
	for (int i = 0, n = 0; (size_t)i < E.sheet.nfields && shown < rows; i++) {
		const struct core_form_field *f = &E.sheet.form->fields[i];

		if (f->hidden || n++ < first)
			continue;
		tui_put(t, y, 1, lw, f->required ? A_BOLD : A_NORMAL,
		    tui_sheet_label(&E.sheet, (size_t)i));
		tui_field_view(&E.sheet.values[i], view, sizeof(view),
		    (size_t)vw, &cursor);
		tui_put(t, y, 2 + lw, vw, f->from_batch ? A_DIM : A_UNDERLINE,
		    view);
		if (i == E.focus)
			tui_cursor(t, y, 2 + lw + (int)cursor);
		field_hint(t, i, hint, sizeof(hint));
		tui_put(t, y, 3 + lw + vw, COLS - 4 - lw - vw, A_DIM, hint);
		y++;
		shown++;
	}
}

static void
entry_draw(struct tui *t)
{
	int y = tui_body_top(t), bottom = tui_body_bottom(t);

	draw_batch_line(t, y++);
	if (E.step != STEP_SHEET) {
		tui_finder_draw(&E.finder, t, ++y, bottom, 1);
		return;
	}
	tui_person_keys_draw(t, ++y, &E.person);
	y += 3;
	if (E.show_check)
		draw_findings(t, y, HISTORY_SHOWN + 1);
	else
		draw_history(t, y, HISTORY_SHOWN);
	y += HISTORY_SHOWN + 2;
	draw_sheet(t, y, bottom);
}

const struct tui_screen tui_screen_entry = {
	.name = "entry",
	.title = N_("Questionnaire entry (予診票入力)"),
	.help = N_("Key the returned questionnaires of the batch, one sheet at "
	    "a time.\n\n"
	    "1. Scan the sheet's barcode (or type the 10-digit atena number) "
	    "and press Enter. Without a barcode, type the kana of the name "
	    "(hiragana or katakana, spaces ignored), Tab, the date of birth, "
	    "and Enter; choose with Up/Down and Enter.\n"
	    "2. Check the four keys (atena number, name, date of birth, sex) "
	    "against the sheet.\n"
	    "3. The vaccine of the last sheet is kept; type another code to "
	    "change it: HIB PCV HBV ROTA1 ROTA5 DPTIPVHIB DPTIPV BCG MR VAR JE "
	    "DT HPV FLU PPSV COVID.\n"
	    "4. Key the fields; Enter moves to the next one. Dates take 和暦 "
	    "(R6.4.1, 令和6年4月1日, H30.12.5) or 西暦 (2024-04-01). The "
	    "dose is proposed from the history; Up/Down on the lot steps "
	    "through the vaccine's lots, and on a code (doctor, clinic, maker) "
	    "through the master data's codes that begin with what you typed "
	    "(the doctors of the batch's clinic); Space changes a choice or a "
	    "yes/no.\n"
	    "5. F2 checks and saves. Errors stop the save; a possible "
	    "duplicate asks for F2 a second time; warnings (such as a dose "
	    "outside the routine schedule, recorded as 任意) are shown.\n\n"
	    "F3 or Esc discards the sheet. F4 returns to the batch list. An "
	    "unsaved sheet is kept as an encrypted draft and offered again at "
	    "your next login."),
	.keys = entry_keys,
	.kind = TUI_SCREEN_WORK,
	.perm = CORE_PERM_ENTRY,
	.enter = entry_enter,
	.draw = entry_draw,
	.key = entry_key,
	.forget = entry_forget,
	.save_draft = entry_save_draft,
};
