/*
 * screen_refused.c: the changes the register refused (ws_refused.h): a
 * conflict (the same dose recorded elsewhere, a correction based on an
 * old version) or a rejection (a rule the register enforces), each with
 * the register's reason, so that no refusal passes unseen. The register
 * keeps them for a supervisor; F3 stops showing one here (audited).
 * Shows a 宛名番号 per change, no names.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sync/ws_refused.h"
#include "tui/screen.h"

static struct refused {
	struct ws_refused	 rows[WS_REFUSED_MAX];
	size_t			 n;
	int			 cursor;
} R;

static const struct tui_fkey refused_keys[] = {
	{ 3, N_("Discard") },
	{ 0, NULL },
};

static void
load(struct tui *t)
{
	struct sesshu_err err = { 0 };

	OPENSSL_cleanse(R.rows, sizeof(R.rows));
	if (ws_refused_list(t->ws, R.rows, WS_REFUSED_MAX, &R.n, &err) != 0)
		tui_message(t, 1, "%s", err.msg);
	if (R.cursor >= (int)R.n)
		R.cursor = R.n > 0 ? (int)R.n - 1 : 0;
}

static int
refused_enter(struct tui *t, void *arg)
{
	(void)arg;
	R.cursor = 0;
	load(t);
	return 0;
}

static void
refused_forget(struct tui *t)
{
	(void)t;
	OPENSSL_cleanse(R.rows, sizeof(R.rows));
	R.n = 0;
	R.cursor = 0;
}

static int
refused_key(struct tui *t, wint_t key)
{
	struct sesshu_err err = { 0 };

	if (key == TUI_FN(KEY_DOWN) && R.cursor + 1 < (int)R.n)
		R.cursor++;
	else if (key == TUI_FN(KEY_UP) && R.cursor > 0)
		R.cursor--;
	else if (key == TUI_FN(KEY_F(3)) && R.n > 0) {
		if (ws_refused_discard(t->ws, R.rows[R.cursor].uuid, &err) != 0)
			tui_message(t, 1, "%s", err.msg);
		else
			tui_message(t, 0, "%s", strcmp(R.rows[R.cursor].kind,
			    "review") == 0 ? _("Discarded here. The item waits in "
			    "the review queue again.") : _("Discarded here. The "
			    "register keeps it for a supervisor."));
		load(t);
		tui_status_refresh(t);
	} else
		return 0;
	return 1;
}

static const char *
kind_label(const char *kind)
{
	if (strcmp(kind, "record") == 0)
		return _("record");
	if (strcmp(kind, "batch") == 0)
		return _("batch");
	if (strcmp(kind, "correction") == 0)
		return _("correction request");
	if (strcmp(kind, "fingerprint") == 0)
		return _("fingerprint");
	if (strcmp(kind, "review") == 0)
		return _("review decision");
	return kind;
}

static void
refused_draw(struct tui *t)
{
	int y = tui_body_top(t), bottom = tui_body_bottom(t), first;

	tui_put(t, y, 1, 20, A_UNDERLINE, _("Saved at (UTC)"));
	tui_put(t, y, 22, 18, A_UNDERLINE, _("Change"));
	tui_put(t, y++, 41, COLS - 42, A_UNDERLINE, _("About"));
	if (R.n == 0) {
		tui_put(t, y, 1, COLS - 2, A_NORMAL, _("The register has refused "
		    "nothing from this workstation."));
		return;
	}
	/* Two lines a change: what and when, then the register's reason. */
	first = R.cursor >= (bottom - y + 1) / 2 ?
	    R.cursor - (bottom - y + 1) / 2 + 1 : 0;
	for (int i = first; i < (int)R.n && y + 1 <= bottom; i++, y += 2) {
		const struct ws_refused *r = &R.rows[i];
		attr_t a = i == R.cursor ? A_REVERSE : A_NORMAL;

		tui_put(t, y, 0, COLS, a, "");
		tui_put(t, y, 1, 20, a, r->created_at);
		tui_put(t, y, 22, 18, a, kind_label(r->kind));
		tui_put(t, y, 41, COLS - 42, a, r->subject);
		tui_put(t, y + 1, 3, COLS - 4, A_DIM, r->reason);
	}
}

const struct tui_screen tui_screen_refused = {
	.name = "refused",
	.title = N_("Changes the register refused"),
	.help = N_("The changes from this workstation that the register did not "
	    "accept: a conflict (for example the same dose recorded elsewhere, "
	    "or a correction based on an older version) or a rejection (a "
	    "rule the register enforces), each with the register's reason. "
	    "They are not sent again. The register keeps them for a "
	    "supervisor, who decides.\n\n"
	    "Up and Down choose one; F3 stops showing it here (the discard is "
	    "recorded in the audit trail)."),
	.keys = refused_keys,
	.kind = TUI_SCREEN_WORK,
	.perm = -1,
	.enter = refused_enter,
	.draw = refused_draw,
	.key = refused_key,
	.forget = refused_forget,
};
