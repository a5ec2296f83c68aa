/*
 * screen_review.c: the supervisor's review queue (DOMAIN §3.3, §3.7;
 * ARCHITECTURE §4): conflicts, possible duplicates and correction
 * requests that the register kept instead of applying, each with both
 * sides: what was sent and what the register holds. The supervisor
 * approves or rejects with a reason (sync/ws_review.h); the register
 * checks the decision again and carries it out, and every workstation
 * receives the outcome by pull.
 *
 * Opening an item shows a person: audited as person.view by this screen
 * (C4). forget() wipes the items and the person.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/permission.h"
#include "core/vaccine.h"
#include "sync/ws_person.h"
#include "sync/ws_review.h"
#include "tui/field.h"
#include "tui/person_keys.h"
#include "tui/screen.h"

static struct review {
	int			 ready;
	struct ws_review_item	 items[WS_REVIEW_MAX];
	size_t			 n;
	int			 cursor;
	int			 open;		/* the item's two sides are shown */
	struct ws_person	 person;
	int			 has_person;
	struct ws_record	 other;		/* what the register holds */
	int			 has_other;
	struct tui_field	 reason;
} R;

static const struct tui_fkey review_keys[] = {
	{ 6, N_("Approve") },
	{ 7, N_("Reject") },
	{ 0, NULL },
};

static void
close_item(void)
{
	OPENSSL_cleanse(&R.person, sizeof(R.person));
	OPENSSL_cleanse(&R.other, sizeof(R.other));
	R.has_person = R.has_other = R.open = 0;
	if (R.ready)
		tui_field_clear(&R.reason);
}

static void
load(struct tui *t)
{
	struct sesshu_err err = { 0 };

	ws_review_free(R.items, R.n);
	R.n = 0;
	if (ws_review_list(t->ws, R.items, WS_REVIEW_MAX, &R.n, &err) != 0)
		tui_message(t, 1, "%s", err.msg);
	if (R.cursor >= (int)R.n)
		R.cursor = R.n > 0 ? (int)R.n - 1 : 0;
}

static int
review_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };

	(void)arg;
	if (!R.ready) {
		if (tui_field_init(&R.reason, 0, 100, &err) != 0) {
			tui_message(t, 1, "%s", err.msg);
			return SESSHU_ENOMEM;
		}
		R.ready = 1;
	}
	close_item();
	R.cursor = 0;
	load(t);
	return 0;
}

static void
review_forget(struct tui *t)
{
	(void)t;
	close_item();
	ws_review_free(R.items, R.n);
	R.n = 0;
	R.cursor = 0;
}

static const char *
member(const json_t *obj, const char *name)
{
	const char *v = json_string_value(json_object_get(obj, name));

	return v != NULL ? v : "";
}

/* The record the register holds that the item is to be compared with. */
static void
find_other(struct tui *t, const struct ws_review_item *it)
{
	static struct ws_record history[WS_HISTORY_MAX];
	const json_t *p = it->payload;
	size_t n;
	int more;

	R.has_other = 0;
	/* A correction or a version conflict: the same record, as it is now. */
	if (strcmp(it->kind, "duplicate") != 0 &&
	    ws_record_get(t->ws, member(p, "record_uuid"), &R.other, NULL) == 0) {
		R.has_other = 1;
		return;
	}
	/* A duplicate, or a conflict of a dose: the same dose recorded. */
	if (ws_person_records(t->ws, member(p, "atena_no"), history,
	    WS_HISTORY_MAX, &n, &more, NULL) != 0)
		return;
	for (size_t i = 0; i < n && !R.has_other; i++)
		if (strcmp(history[i].record_uuid, member(p, "record_uuid")) != 0 &&
		    strcmp(history[i].vaccine_code, member(p, "vaccine_code")) == 0 &&
		    history[i].dose == json_integer_value(json_object_get(p,
		    "dose")) && strcmp(history[i].state, "voided") != 0) {
			R.other = history[i];
			R.has_other = 1;
		}
	OPENSSL_cleanse(history, sizeof(history));
}

static void
open_item(struct tui *t)
{
	const struct ws_review_item *it = &R.items[R.cursor];
	const char *atena = member(it->payload, "atena_no");
	char object[32];

	close_item();
	R.open = 1;
	if (atena[0] != '\0' && ws_person_get(t->ws, atena, &R.person, NULL) == 0) {
		R.has_person = 1;
		snprintf(object, sizeof(object), "person:%s", atena);
		tui_audit(t, "person.view", object, "ok: review");
	}
	find_other(t, it);
	tui_message(t, 0, "%s", _("Compare both sides, type the reason, then F6 "
	    "to approve or F7 to reject. Esc goes back to the list."));
}

static void
decide(struct tui *t, int approve)
{
	struct sesshu_err err = { 0 };

	char text[SESSHU_ERR_MSG_MAX];

	if (ws_review_decide(t->ws, R.items[R.cursor].uuid, approve,
	    tui_field_text(&R.reason), &err) != 0) {
		tui_message(t, 1, _("Not decided: %s"), tui_err_text(&err, text,
		    sizeof(text)));
		return;
	}
	close_item();
	load(t);
	tui_status_refresh(t);
	tui_message(t, 0, "%s", approve ? _("Approved. The register carries it "
	    "out at the next sync.") : _("Rejected. The register records it at "
	    "the next sync."));
}

static int
review_key(struct tui *t, wint_t key)
{
	if (R.open) {
		if (key == TUI_ESC) {
			close_item();
			tui_message(t, 0, "%s", "");
			return 1;
		}
		if (key == TUI_FN(KEY_F(6)) || key == TUI_FN(KEY_F(7))) {
			decide(t, key == TUI_FN(KEY_F(6)));
			return 1;
		}
		return tui_field_key(&R.reason, key);
	}
	if (key == TUI_FN(KEY_DOWN) && R.cursor + 1 < (int)R.n)
		R.cursor++;
	else if (key == TUI_FN(KEY_UP) && R.cursor > 0)
		R.cursor--;
	else if (TUI_IS_ENTER(key) && R.n > 0)
		open_item(t);
	else
		return 0;
	return 1;
}

static const char *
kind_label(const char *kind)
{
	if (strcmp(kind, "duplicate") == 0)
		return _("possible duplicate");
	if (strcmp(kind, "correction") == 0)
		return _("correction request");
	if (strcmp(kind, "conflict") == 0)
		return _("conflict");
	return _("rejected");
}

static const char *
vaccine_name(const char *code)
{
	const struct core_vaccine *v = core_vaccine_find(code, strlen(code));

	if (v == NULL)
		return code;
	return strcmp(tui_i18n_language(), "en") == 0 ? v->name_en : v->name_ja;
}

/* One line of the comparison: label, what was sent, what is held. */
static void
side_by_side(struct tui *t, int y, const char *label, const char *sent,
    const char *held)
{
	attr_t a = R.has_other && strcmp(sent, held) != 0 ? A_BOLD | A_REVERSE :
	    A_NORMAL;

	tui_put(t, y, 1, 16, A_NORMAL, label);
	tui_put(t, y, 18, 30, a, sent);
	tui_put(t, y, 50, COLS - 51, a, R.has_other ? held : "");
}

static void
draw_item(struct tui *t, int y)
{
	const struct ws_review_item *it = &R.items[R.cursor];
	const json_t *p = it->payload;
	char sent_dose[16], held_dose[16];

	tui_put(t, y++, 1, COLS - 2, A_BOLD, kind_label(it->kind));
	tui_put(t, y++, 3, COLS - 4, A_DIM, it->reason);
	if (R.has_person) {
		tui_person_keys_draw(t, ++y, &R.person);
		y += 3;
	}
	snprintf(sent_dose, sizeof(sent_dose), "%lld",
	    (long long)json_integer_value(json_object_get(p, "dose")));
	snprintf(held_dose, sizeof(held_dose), "%d", R.other.dose);
	tui_put(t, y, 18, 30, A_UNDERLINE, strcmp(it->kind, "correction") == 0 ?
	    _("Requested") : _("Sent"));
	tui_put(t, y++, 50, COLS - 51, A_UNDERLINE, _("Recorded"));
	side_by_side(t, y++, _("Date of vaccination"), member(p, "vaccinated_on"),
	    R.other.vaccinated_on);
	side_by_side(t, y++, _("Vaccine"), vaccine_name(member(p,
	    "vaccine_code")), vaccine_name(R.other.vaccine_code));
	side_by_side(t, y++, _("Dose"), sent_dose, held_dose);
	side_by_side(t, y++, _("Stage"), member(p, "stage"), R.other.stage);
	side_by_side(t, y++, _("Lot number"), member(p, "lot_no"), R.other.lot_no);
	side_by_side(t, y++, _("State"), member(p, "state"), R.other.state);
	side_by_side(t, y++, _("Entered by"), member(p, "entered_by"),
	    R.other.entered_by);
	tui_put(t, y, 1, 16, A_NORMAL, _("Reason given"));
	tui_put(t, y++, 18, COLS - 19, A_NORMAL, member(p, "change_reason"));
	y++;
	{
		char view[TUI_FIELD_BYTES];
		size_t cursor;

		tui_put(t, y, 1, 16, A_BOLD, _("Your reason"));
		tui_field_view(&R.reason, view, sizeof(view), 50, &cursor);
		tui_put(t, y, 18, 50, A_UNDERLINE, view);
		tui_cursor(t, y, 18 + (int)cursor);
	}
}

static void
review_draw(struct tui *t)
{
	int y = tui_body_top(t), bottom = tui_body_bottom(t), first;

	if (R.open && R.n > 0) {
		draw_item(t, y);
		return;
	}
	tui_put(t, y, 1, 20, A_UNDERLINE, _("Sent at (UTC)"));
	tui_put(t, y, 22, 22, A_UNDERLINE, _("Kind"));
	tui_put(t, y++, 45, COLS - 46, A_UNDERLINE, _("About"));
	if (R.n == 0) {
		tui_put(t, y, 1, COLS - 2, A_NORMAL, _("Nothing waits for a "
		    "decision."));
		return;
	}
	first = R.cursor >= (bottom - y + 1) / 2 ?
	    R.cursor - (bottom - y + 1) / 2 + 1 : 0;
	for (int i = first; i < (int)R.n && y + 1 <= bottom; i++, y += 2) {
		const struct ws_review_item *it = &R.items[i];
		attr_t a = i == R.cursor ? A_REVERSE : A_NORMAL;
		char about[64];

		snprintf(about, sizeof(about), "person:%s",
		    member(it->payload, "atena_no"));
		tui_put(t, y, 0, COLS, a, "");
		tui_put(t, y, 1, 20, a, it->created_at);
		tui_put(t, y, 22, 22, a, kind_label(it->kind));
		tui_put(t, y, 45, COLS - 46, a, about);
		tui_put(t, y + 1, 3, COLS - 4, A_DIM, it->reason);
	}
}

const struct tui_screen tui_screen_review = {
	.name = "review",
	.title = N_("Review queue (審査)"),
	.help = N_("What the register kept for a supervisor instead of applying "
	    "it: possible duplicates (the same dose recorded twice, confirmed "
	    "by the clerk), correction and void requests, and conflicts.\n\n"
	    "Up and Down choose an item; Enter shows both sides: what was sent "
	    "and what the register holds, with the differences marked. Type "
	    "the reason, then F6 approves or F7 rejects. An approved "
	    "correction becomes the record's next version; a rejected "
	    "duplicate is voided; a rejected request changes nothing. Nobody "
	    "decides on a change of their own. Esc goes back to the list.\n\n"
	    "Every decision and every person shown are in the audit trail."),
	.keys = review_keys,
	.kind = TUI_SCREEN_WORK,
	.perm = CORE_PERM_REVIEW,
	.enter = review_enter,
	.draw = review_draw,
	.key = review_key,
	.forget = review_forget,
};
