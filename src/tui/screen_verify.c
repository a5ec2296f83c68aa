/*
 * screen_verify.c: second-person verification of a batch (照合, DOMAIN
 * §3.2; 004 L197, 002 L205-207).
 *
 * The verifier gets the batch's sheets that someone else entered, one at
 * a time, with the person's four keys (to find the paper sheet) but not
 * the first entry's values, and re-keys the key fields: the vaccine, the
 * date, the dose and the lot. F2 compares. When they agree the record
 * becomes verified (a new version, ws_record_revise). When they differ,
 * both are shown side by side and the verifier decides from the paper:
 * the first entry was right (F6), or the re-keyed values are (F7: the
 * record is corrected and verified, with the reason). A different vaccine
 * cannot be corrected here: the sheet is voided and keyed again.
 * One's own entries are never offered, and the register refuses them too.
 * Every person shown is audited as person.view by this screen (C4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/era.h"
#include "core/permission.h"
#include "core/vaccine.h"
#include "sync/ws_batches.h"
#include "sync/ws_records.h"
#include "tui/field.h"
#include "tui/person_keys.h"
#include "tui/screen.h"
#include "tui/sheet.h"
#include "tui/text.h"

enum { V_VACCINE, V_DATE, V_DOSE, V_LOT, V_FIELDS };

static struct verify {
	int			 ready;
	struct ws_batch		 batch;
	int			 skip;		/* sheets passed over with F8 */
	int			 have;		/* a sheet is on screen */
	struct ws_record	 rec;		/* the first entry: never drawn
						   before a mismatch */
	struct ws_person	 person;
	struct tui_field	 fields[V_FIELDS];
	int			 focus;
	int			 mismatch;	/* the comparison is shown */
	char			 keyed_date[CORE_DATE_STRLEN];
} V;

static const struct tui_fkey verify_keys[] = {
	{ 2, N_("Compare") },
	{ 4, N_("Batches") },
	{ 6, N_("First is right") },
	{ 7, N_("Re-keyed is right") },
	{ 8, N_("Skip") },
	{ 0, NULL },
};

static const char *const labels[V_FIELDS] = {
	N_("Vaccine"), N_("Date of vaccination"), N_("Dose"), N_("Lot number"),
};

static void
wipe(void)
{
	OPENSSL_cleanse(&V.rec, sizeof(V.rec));
	OPENSSL_cleanse(&V.person, sizeof(V.person));
	OPENSSL_cleanse(V.keyed_date, sizeof(V.keyed_date));
	for (int i = 0; V.ready && i < V_FIELDS; i++)
		tui_field_clear(&V.fields[i]);
	V.have = V.mismatch = 0;
	V.focus = V_VACCINE;
}

/* Puts the next sheet to verify on screen, or says the batch is done. */
static void
next_sheet(struct tui *t)
{
	struct sesshu_err err = { 0 };
	char uuid[WIRE_UUID_STRLEN], object[32];
	int rc;

	wipe();
	if (V.batch.batch_id[0] != '\0')
		ws_batch_get(t->ws, V.batch.batch_id, &V.batch, NULL);
	rc = ws_batch_next_to_verify(t->ws, V.batch.batch_id, V.skip, uuid, &err);
	if (rc == 0) {
		tui_message(t, 0, "%s", V.skip > 0 ? _("No more sheets to verify "
		    "here, except those skipped (F8). F4 returns to the batches.") :
		    _("Every sheet that another user entered is verified. F4 "
		    "returns to the batches."));
		return;
	}
	if (rc < 0 || ws_record_get(t->ws, uuid, &V.rec, &err) != 0 ||
	    ws_person_get(t->ws, V.rec.atena_no, &V.person, &err) != 0) {
		wipe();
		tui_message(t, 1, "%s", err.msg);
		return;
	}
	snprintf(object, sizeof(object), "person:%s", V.person.atena_no);
	tui_audit(t, "person.view", object, "ok: verify");
	V.have = 1;
	tui_message(t, 0, "%s", _("Find this person's sheet and key the four "
	    "fields from the paper. F2 compares."));
}

int
tui_verify_open(struct tui *t, const char *batch_id)
{
	struct sesshu_err err = { 0 };
	int rc;

	if ((rc = tui_switch(t, &tui_screen_verify, (void *)batch_id)) != 0)
		return rc;
	if (batch_id[0] == '\0') {
		/* The records outside any batch (ws_batches.h). */
		memset(&V.batch, 0, sizeof(V.batch));
		snprintf(V.batch.institution_name, sizeof(V.batch.institution_name),
		    "%s", _("records outside batches"));
	} else if (ws_batch_get(t->ws, batch_id, &V.batch, &err) != 0) {
		tui_message(t, 1, "%s", err.msg);
		return tui_switch(t, &tui_screen_batches, NULL);
	}
	V.skip = 0;
	next_sheet(t);
	return 0;
}

static int
verify_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };
	static const unsigned flags[V_FIELDS] = {
		TUI_FIELD_ASCII, 0, TUI_FIELD_DIGITS, TUI_FIELD_ASCII,
	};
	static const size_t sizes[V_FIELDS] = { 12, 16, 1, 20 };

	if (!V.ready) {
		for (int i = 0; i < V_FIELDS; i++)
			if (tui_field_init(&V.fields[i], flags[i], sizes[i],
			    &err) != 0) {
				tui_message(t, 1, "%s", err.msg);
				return SESSHU_ENOMEM;
			}
		V.ready = 1;
	}
	if (arg != NULL)
		wipe();
	return 0;
}

static void
verify_forget(struct tui *t)
{
	(void)t;
	wipe();
	memset(&V.batch, 0, sizeof(V.batch));
}

/* The verifier's value of field i, normalised for the comparison. */
static const char *
keyed(int i)
{
	return i == V_DATE ? V.keyed_date : tui_field_text(&V.fields[i]);
}

static const char *
entered(int i, char *buf, size_t size)
{
	switch (i) {
	case V_VACCINE:
		return V.rec.vaccine_code;
	case V_DATE:
		return V.rec.vaccinated_on;
	case V_DOSE:
		snprintf(buf, size, "%d", V.rec.dose);
		return buf;
	default:
		return V.rec.lot_no;
	}
}

static int
differs(int i)
{
	char buf[16];

	return strcmp(keyed(i), entered(i, buf, sizeof(buf))) != 0;
}

static void
compare(struct tui *t)
{
	const char *d = tui_field_text(&V.fields[V_DATE]);
	char text[SESSHU_ERR_MSG_MAX];
	struct sesshu_err err = { 0 };
	struct core_date date;
	int any = 0;

	if (core_date_parse_any(d, strlen(d), &date, &err) != 0) {
		V.focus = V_DATE;
		tui_message(t, 1, _("Date of vaccination: %s"), err.msg);
		return;
	}
	core_date_format(&date, V.keyed_date, sizeof(V.keyed_date));
	for (int i = 0; i < V_FIELDS; i++)
		any |= differs(i);
	if (any) {
		V.mismatch = 1;
		tui_audit(t, "record.verify", "batch", "mismatch");
		tui_message(t, 1, "%s", _("The entries differ. Check the paper: F6 "
		    "if the first entry is right, F7 if yours is."));
		return;
	}
	if (ws_record_revise(t->ws, V.rec.record_uuid, WS_REVISE_VERIFY, NULL,
	    NULL, &err) != 0) {
		tui_message(t, 1, _("Not verified: %s"), tui_err_text(&err, text,
		    sizeof(text)));
		return;
	}
	next_sheet(t);
	if (V.have)
		tui_message(t, 0, "%s", _("Verified. Key the next sheet."));
	tui_status_refresh(t);
}

/* F6 or F7 after a mismatch. */
static void
resolve(struct tui *t, int rekeyed_right)
{
	char text[SESSHU_ERR_MSG_MAX];
	struct sesshu_err err = { 0 };
	json_t *changes = NULL;
	int rc;

	if (rekeyed_right) {
		struct ws_record history[WS_HISTORY_MAX];
		size_t n;
		int more;

		if (differs(V_VACCINE)) {
			tui_message(t, 1, "%s", _("The vaccine differs: void this "
			    "sheet in the resident lookup and key it again."));
			return;
		}
		/* The re-keyed values are checked as the sheet was. */
		if (ws_person_records(t->ws, V.person.atena_no, history,
		    WS_HISTORY_MAX, &n, &more, &err) == 0)
			changes = tui_sheet_revision(t, &V.person, history, n,
			    &V.rec, V.keyed_date, atoi(keyed(V_DOSE)),
			    keyed(V_LOT), &err);
		OPENSSL_cleanse(history, sizeof(history));
		if (changes == NULL) {
			tui_message(t, 1, _("Not verified: %s"), err.msg);
			return;
		}
	}
	rc = ws_record_revise(t->ws, V.rec.record_uuid, WS_REVISE_VERIFY, changes,
	    rekeyed_right ? "verification: the re-keyed values were right" :
	    NULL, &err);
	json_decref(changes);
	if (rc != 0) {
		tui_message(t, 1, _("Not verified: %s"), tui_err_text(&err, text,
		    sizeof(text)));
		return;
	}
	next_sheet(t);
	if (V.have)
		tui_message(t, 0, "%s", rekeyed_right ? _("Corrected and verified. "
		    "Key the next sheet.") : _("Verified. Key the next sheet."));
	tui_status_refresh(t);
}

static int
verify_key(struct tui *t, wint_t key)
{
	int rc;

	if (key == TUI_FN(KEY_F(4)))
		return tui_switch(t, &tui_screen_batches, NULL) == 0;
	if (!V.have)
		return 0;
	if (key == TUI_FN(KEY_F(8))) {
		V.skip++;
		next_sheet(t);
		return 1;
	}
	if (V.mismatch) {
		if (key == TUI_FN(KEY_F(6)) || key == TUI_FN(KEY_F(7))) {
			resolve(t, key == TUI_FN(KEY_F(7)));
			return 1;
		}
		if (key == TUI_ESC) {
			V.mismatch = 0;
			tui_message(t, 0, "%s", "");
			return 1;
		}
		return -1;
	}
	if (key == TUI_FN(KEY_F(2))) {
		compare(t);
		return 1;
	}
	if (TUI_IS_ENTER(key) || key == '\t' || key == TUI_FN(KEY_DOWN)) {
		if (TUI_IS_ENTER(key) && V.focus == V_FIELDS - 1)
			compare(t);
		else
			V.focus = (V.focus + 1) % V_FIELDS;
		return 1;
	}
	if (key == TUI_FN(KEY_BTAB) || key == TUI_FN(KEY_UP)) {
		V.focus = (V.focus + V_FIELDS - 1) % V_FIELDS;
		return 1;
	}
	rc = tui_field_key(&V.fields[V.focus], key);
	return rc;
}

static void
verify_draw(struct tui *t)
{
	char line[512], view[TUI_FIELD_BYTES], buf[16];
	char month[CORE_YM_ERA_STRLEN];
	int y = tui_body_top(t);
	struct core_ym ym;
	size_t cursor;

	if (core_ym_parse(V.batch.billing_month, strlen(V.batch.billing_month),
	    &ym, NULL) != 0 || core_ym_format_era(&ym, month, sizeof(month)) != 0)
		snprintf(month, sizeof(month), "%s", V.batch.billing_month);
	snprintf(line, sizeof(line), _("Verifying: %s %s  entered %ld, verified "
	    "%ld"), V.batch.institution_name, month,
	    V.batch.counts.entered, V.batch.counts.verified);
	tui_put(t, y++, 1, COLS - 2, A_BOLD, line);
	if (!V.have)
		return;
	tui_person_keys_draw(t, ++y, &V.person);
	y += 3;
	if (V.mismatch) {
		tui_put(t, y, 1, 22, A_UNDERLINE, "");
		tui_put(t, y, 24, 24, A_UNDERLINE, _("First entry"));
		tui_put(t, y++, 50, 24, A_UNDERLINE, _("Re-keyed"));
	}
	for (int i = 0; i < V_FIELDS; i++, y++) {
		tui_put(t, y, 1, 22, A_NORMAL, _(labels[i]));
		if (V.mismatch) {
			attr_t a = differs(i) ? A_BOLD | A_REVERSE : A_NORMAL;

			tui_put(t, y, 24, 24, a, entered(i, buf, sizeof(buf)));
			tui_put(t, y, 50, 24, a, keyed(i));
			continue;
		}
		tui_field_view(&V.fields[i], view, sizeof(view), 20, &cursor);
		tui_put(t, y, 24, 20, A_UNDERLINE, view);
		if (i == V.focus)
			tui_cursor(t, y, 24 + (int)cursor);
	}
}

const struct tui_screen tui_screen_verify = {
	.name = "verify",
	.title = N_("Verification (照合)"),
	.help = N_("Verify the sheets of a batch that another user entered. "
	    "For each sheet the screen shows the person; find the paper sheet "
	    "and key, from the paper, the vaccine code, the date of "
	    "vaccination (R6.4.1 or 2024-04-01), the dose and the lot number "
	    "(empty for 予診のみ). Enter moves on; F2 compares.\n\n"
	    "When the entries agree the sheet is verified. When they differ "
	    "both are shown side by side: F6 keeps the first entry, F7 "
	    "corrects the record to what you keyed; either way the sheet is "
	    "verified and the decision is recorded. Esc returns to your "
	    "values. F8 skips a sheet; F4 returns to the batches.\n\n"
	    "Your own entries are never offered: another user verifies them."),
	.keys = verify_keys,
	.kind = TUI_SCREEN_WORK,
	.perm = CORE_PERM_VERIFY,
	.enter = verify_enter,
	.draw = verify_draw,
	.key = verify_key,
	.forget = verify_forget,
};
