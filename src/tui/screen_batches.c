/*
 * screen_batches.c: the questionnaire batches (予診票の綴り): each
 * clinic's monthly return with its claimed, entered, verified and voided
 * counts, and the keys to open a new one, key sheets into one, verify
 * one and close one (DOMAIN §2, §3.1-3.2; counts reconcile before
 * closing, 002 L205-207).
 *
 * Shows institutions, months and counts only: no person.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/era.h"
#include "core/permission.h"
#include "sync/ws_batches.h"
#include "sync/ws_person.h"
#include "tui/field.h"
#include "tui/screen.h"
#include "tui/text.h"

enum { NEW_INSTITUTION, NEW_MONTH, NEW_CLAIMED, NEW_FIELDS };

static struct batches {
	int			 ready;
	struct ws_batch		*rows;
	size_t			 nrows;
	int			 cursor;
	long			 unbatched;	/* corrected records outside batches */
	int			 creating;	/* the new-batch form is open */
	int			 focus;		/* NEW_* */
	struct tui_field	 fields[NEW_FIELDS];
} B;

static const struct tui_fkey batches_keys[] = {
	{ 2, N_("New batch") },
	{ 3, N_("Verify") },
	{ 4, N_("Close batch") },
	{ 6, N_("Resident") },
	{ 7, N_("Outside batches") },
	{ 0, NULL },
};

static const char *const new_labels[NEW_FIELDS] = {
	N_("Institution code"), N_("Billing month"), N_("Sheets claimed"),
};

static void
reload(struct tui *t)
{
	struct sesshu_err err = { 0 };

	free(B.rows);
	B.rows = NULL;
	B.nrows = 0;
	if (ws_batch_list(t->ws, &B.rows, &B.nrows, &err) != 0 ||
	    ws_unbatched_to_verify(t->ws, &B.unbatched, &err) != 0)
		tui_message(t, 1, "%s", err.msg);
	if (B.cursor >= (int)B.nrows)
		B.cursor = B.nrows > 0 ? (int)B.nrows - 1 : 0;
}

static int
batches_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };
	static const unsigned flags[NEW_FIELDS] = {
		TUI_FIELD_DIGITS, 0, TUI_FIELD_DIGITS,
	};
	static const size_t sizes[NEW_FIELDS] = { 10, 12, 5 };

	(void)arg;
	if (!B.ready) {
		for (int i = 0; i < NEW_FIELDS; i++)
			if (tui_field_init(&B.fields[i], flags[i], sizes[i],
			    &err) != 0) {
				tui_message(t, 1, "%s", err.msg);
				return SESSHU_ENOMEM;
			}
		B.ready = 1;
	}
	B.creating = 0;
	reload(t);
	return 0;
}

static void
batches_forget(struct tui *t)
{
	(void)t;
	free(B.rows);
	B.rows = NULL;
	B.nrows = 0;
	B.cursor = 0;
	B.creating = 0;
	for (int i = 0; B.ready && i < NEW_FIELDS; i++)
		tui_field_clear(&B.fields[i]);
}

static void
create(struct tui *t)
{
	const char *month = tui_field_text(&B.fields[NEW_MONTH]);
	char id[WIRE_UUID_STRLEN], ym_text[CORE_YM_STRLEN];
	struct sesshu_err err = { 0 };
	struct core_ym ym;
	long claimed = atol(tui_field_text(&B.fields[NEW_CLAIMED]));

	if (core_ym_parse_any(month, strlen(month), &ym, &err) != 0) {
		B.focus = NEW_MONTH;
		tui_message(t, 1, _("Billing month: %s"), err.msg);
		return;
	}
	core_ym_format(&ym, ym_text, sizeof(ym_text));
	if (ws_batch_open(t->ws, tui_field_text(&B.fields[NEW_INSTITUTION]),
	    ym_text, claimed, NULL, id, &err) != 0) {
		/* The two refusals a clerk meets, in the interface's words. */
		if (err.code == SESSHU_ERANGE) {
			B.focus = NEW_CLAIMED;
			tui_message(t, 1, _("The batch was not opened: the sheets "
			    "claimed must be 1 to %d."), CORE_BATCH_CLAIM_MAX);
		} else if (err.code == SESSHU_ENOTFOUND) {
			B.focus = NEW_INSTITUTION;
			tui_message(t, 1, "%s", _("The batch was not opened: the "
			    "institution code is not in the master data."));
		} else
			tui_message(t, 1, _("The batch was not opened: %s"),
			    err.msg);
		return;
	}
	for (int i = 0; i < NEW_FIELDS; i++)
		tui_field_clear(&B.fields[i]);
	B.creating = 0;
	tui_entry_open(t, id);
}

static void
close_batch(struct tui *t, const struct ws_batch *b)
{
	struct sesshu_err err = { 0 };
	const char *msgid = NULL;

	if (ws_batch_close(t->ws, b->batch_id, &msgid, &err) != 0) {
		if (msgid != NULL)
			tui_message(t, 1, _("Not closed: %s (claimed %ld, entered "
			    "%ld, verified %ld)."), _(msgid), b->counts.claimed,
			    b->counts.entered, b->counts.verified);
		else
			tui_message(t, 1, _("Not closed: %s"), err.msg);
		return;
	}
	tui_message(t, 0, "%s", _("The batch is closed."));
	reload(t);
	tui_status_refresh(t);
}

static int
key_creating(struct tui *t, wint_t key)
{
	if (key == TUI_ESC) {
		B.creating = 0;
		tui_message(t, 0, "%s", "");
		return 1;
	}
	if (key == '\t' || key == TUI_FN(KEY_DOWN)) {
		B.focus = (B.focus + 1) % NEW_FIELDS;
		return 1;
	}
	if (key == TUI_FN(KEY_BTAB) || key == TUI_FN(KEY_UP)) {
		B.focus = (B.focus + NEW_FIELDS - 1) % NEW_FIELDS;
		return 1;
	}
	if (TUI_IS_ENTER(key) || key == TUI_FN(KEY_F(2))) {
		if (B.focus < NEW_FIELDS - 1 && key != TUI_FN(KEY_F(2)))
			B.focus++;
		else
			create(t);
		return 1;
	}
	return tui_field_key(&B.fields[B.focus], key);
}

static int
batches_key(struct tui *t, wint_t key)
{
	const struct ws_batch *b = B.nrows > 0 ? &B.rows[B.cursor] : NULL;

	if (B.creating)
		return key_creating(t, key);
	if (key == TUI_FN(KEY_F(2))) {
		/* Opening a batch is entry work (C6). */
		if (!tui_may(t, CORE_PERM_ENTRY)) {
			tui_audit(t, "batch.open", "batch", "refused: role");
			tui_message(t, 1, _("Your role (%s) does not allow this "
			    "work."), tui_role_label(t->ws->role));
			return 1;
		}
		B.creating = 1;
		B.focus = NEW_INSTITUTION;
		tui_message(t, 0, "%s", _("The clinic's code, the billing month "
		    "(R6.10 or 2024-10) and the number of sheets it claims; Enter "
		    "after each."));
		return 1;
	}
	if (key == TUI_FN(KEY_F(6)))
		return tui_switch(t, &tui_screen_person, NULL) == 0;
	/* Corrected records of no batch (imports) are verified here too. */
	if (key == TUI_FN(KEY_F(7))) {
		tui_verify_open(t, "");
		return 1;
	}
	if (key == TUI_FN(KEY_DOWN) && B.cursor + 1 < (int)B.nrows) {
		B.cursor++;
		return 1;
	}
	if (key == TUI_FN(KEY_UP) && B.cursor > 0) {
		B.cursor--;
		return 1;
	}
	if (b == NULL)
		return 0;
	if (TUI_IS_ENTER(key)) {
		if (b->state == CORE_BATCH_CLOSED) {
			tui_message(t, 1, "%s", _("This batch is closed."));
			return 1;
		}
		tui_entry_open(t, b->batch_id);
		return 1;
	}
	if (key == TUI_FN(KEY_F(3))) {
		tui_verify_open(t, b->batch_id);
		return 1;
	}
	if (key == TUI_FN(KEY_F(4))) {
		close_batch(t, b);
		return 1;
	}
	return 0;
}

static const char *
state_label(enum core_batch_state st)
{
	switch (st) {
	case CORE_BATCH_OPEN:
		return _("entering");
	case CORE_BATCH_ENTERED:
		return _("verifying");
	case CORE_BATCH_VERIFIED:
		return _("ready to close");
	default:
		return _("closed");
	}
}

/* Columns of the list; numbers are right-aligned in theirs. */
static const struct column {
	const char	*title;
	int		 x, w;
} columns[] = {
	{ N_("Institution"), 1, 26 },
	{ N_("Month"), 28, 12 },
	{ N_("Claimed"), 41, 7 },
	{ N_("Entered"), 49, 7 },
	{ N_("Verified"), 57, 7 },
	{ N_("Voided"), 65, 6 },
	{ N_("State"), 72, 8 },
};

#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

static void
draw_new(struct tui *t, int y)
{
	char view[TUI_FIELD_BYTES], name[200] = "";
	size_t cursor;

	tui_put(t, y++, 1, COLS - 2, A_BOLD, _("New batch"));
	for (int i = 0; i < NEW_FIELDS; i++, y++) {
		tui_put(t, y, 3, 18, A_NORMAL, _(new_labels[i]));
		tui_field_view(&B.fields[i], view, sizeof(view), 14, &cursor);
		tui_put(t, y, 22, 14, A_UNDERLINE, view);
		if (i == B.focus)
			tui_cursor(t, y, 22 + (int)cursor);
		if (i == NEW_INSTITUTION && B.fields[i].nchars > 0) {
			if (!ws_master_name(t->ws, "medical_institutions",
			    tui_field_text(&B.fields[i]), name, sizeof(name)))
				snprintf(name, sizeof(name), "%s",
				    _("unknown code"));
			tui_put(t, y, 38, COLS - 39, A_DIM, name);
		}
		if (i == NEW_MONTH && B.fields[i].nchars > 0) {
			struct core_ym ym;
			const char *m = tui_field_text(&B.fields[i]);

			if (core_ym_parse_any(m, strlen(m), &ym, NULL) == 0) {
				core_ym_format_era(&ym, name, sizeof(name));
				tui_put(t, y, 38, COLS - 39, A_DIM, name);
			}
		}
	}
}

static void
batches_draw(struct tui *t)
{
	int y = tui_body_top(t), bottom = tui_body_bottom(t), rows, first;
	char num[NCOLUMNS][24], month[CORE_YM_ERA_STRLEN];
	struct core_ym ym;

	for (size_t c = 0; c < NCOLUMNS; c++)
		tui_put(t, y, columns[c].x, columns[c].w, A_UNDERLINE,
		    _(columns[c].title));
	y++;
	rows = bottom - y + 1 - (B.creating ? NEW_FIELDS + 2 : 0);
	if (B.nrows == 0)
		tui_put(t, y, 1, COLS - 2, A_NORMAL, _("No batches. F2 opens one "
		    "for a clinic's returned questionnaires."));
	first = B.cursor >= rows ? B.cursor - rows + 1 : 0;
	for (int i = first; i < (int)B.nrows && i < first + rows; i++, y++) {
		const struct ws_batch *b = &B.rows[i];
		attr_t a = i == B.cursor && !B.creating ? A_REVERSE : A_NORMAL;

		if (core_ym_parse(b->billing_month, strlen(b->billing_month), &ym,
		    NULL) != 0 || core_ym_format_era(&ym, month, sizeof(month)))
			snprintf(month, sizeof(month), "%s", b->billing_month);
		snprintf(num[2], sizeof(num[2]), "%7ld", b->counts.claimed);
		snprintf(num[3], sizeof(num[3]), "%7ld", b->counts.entered);
		snprintf(num[4], sizeof(num[4]), "%7ld", b->counts.verified);
		snprintf(num[5], sizeof(num[5]), "%6ld", b->counts.voided);
		tui_put(t, y, 0, COLS, a, "");
		tui_put(t, y, columns[0].x, columns[0].w, a,
		    b->institution_name[0] != '\0' ? b->institution_name :
		    b->institution_code);
		tui_put(t, y, columns[1].x, columns[1].w, a, month);
		for (int c = 2; c < 6; c++)
			tui_put(t, y, columns[c].x, columns[c].w, a, num[c]);
		tui_put(t, y, columns[6].x, columns[6].w, a, state_label(b->state));
	}
	if (B.creating)
		draw_new(t, bottom - NEW_FIELDS);
	else if (B.unbatched > 0) {
		char line[160];

		snprintf(line, sizeof(line), _("%ld corrected records outside "
		    "batches wait for verification (F7)."), B.unbatched);
		tui_put(t, bottom, 1, COLS - 2, A_BOLD, line);
	}
}

const struct tui_screen tui_screen_batches = {
	.name = "batches",
	.title = N_("Questionnaire batches (予診票の綴り)"),
	.help = N_("The batches of returned questionnaires, one per clinic and "
	    "billing month, with the sheets claimed, entered, verified and "
	    "voided.\n\n"
	    "Up/Down choose a batch; Enter keys sheets into it. F2 opens a new "
	    "batch: the clinic's 10-digit code, the billing month (R6.10 or "
	    "2024-10) and the number of sheets the clinic claims. F3 verifies "
	    "the batch: another user re-keys each sheet (you cannot verify "
	    "your own entries). F4 closes the batch once the entered count "
	    "matches the claim and every sheet is verified or voided. F6 "
	    "opens the resident lookup. F7 verifies the records outside any "
	    "batch that were corrected (imported records) and wait for "
	    "another user's check."),
	.keys = batches_keys,
	.kind = TUI_SCREEN_WORK,
	.perm = CORE_PERM_VERIFY,
	.enter = batches_enter,
	.draw = batches_draw,
	.key = batches_key,
	.forget = batches_forget,
};
