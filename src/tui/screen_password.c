/*
 * screen_password.c: the user's own password change (C3: passwords change
 * every three months; a user may change theirs before it expires). The
 * register checks the current password and its policy, and the key slot
 * on this workstation is rewrapped under the new one (ws_password_change).
 *
 * The three fields are secret fields (locked memory, shown as '*'), wiped
 * after every attempt and by forget(). Never shows or logs a password.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "tui/field.h"
#include "tui/screen.h"

enum { PW_CURRENT, PW_NEW, PW_AGAIN, PW_FIELDS };

static struct password_screen {
	int			 ready;
	struct tui_field	 fields[PW_FIELDS];
	int			 focus;
} W;

static const char *const labels[PW_FIELDS] = {
	N_("Current password"), N_("New password"), N_("New password again"),
};

static const struct tui_fkey password_keys[] = {
	{ 0, NULL },
};

static void
wipe(void)
{
	for (int i = 0; W.ready && i < PW_FIELDS; i++)
		tui_field_clear(&W.fields[i]);
	W.focus = PW_CURRENT;
}

static int
password_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };

	(void)arg;
	if (!W.ready) {
		for (int i = 0; i < PW_FIELDS; i++)
			if (tui_field_init(&W.fields[i], TUI_FIELD_SECRET, 128,
			    &err) != 0) {
				tui_message(t, 1, "%s", err.msg);
				return SESSHU_EMLOCK;
			}
		W.ready = 1;
	}
	wipe();
	tui_message(t, 0, "%s", _("Type your current password, then the new one "
	    "twice. The register must be reachable."));
	return 0;
}

static void
password_forget(struct tui *t)
{
	(void)t;
	wipe();
}

static void
change(struct tui *t)
{
	struct secbuf current = { NULL, 0 }, fresh = { NULL, 0 };
	struct sesshu_err err = { 0 };
	char why[256], text[SESSHU_ERR_MSG_MAX];
	int rc;

	if (strcmp(tui_field_text(&W.fields[PW_NEW]),
	    tui_field_text(&W.fields[PW_AGAIN])) != 0) {
		tui_field_clear(&W.fields[PW_NEW]);
		tui_field_clear(&W.fields[PW_AGAIN]);
		W.focus = PW_NEW;
		tui_message(t, 1, "%s", _("The two new passwords differ. Type them "
		    "again."));
		return;
	}
	tui_busy(t, _("Changing the password at the register..."));
	if ((rc = tui_field_to_secbuf(&W.fields[PW_CURRENT], &current,
	    &err)) == 0 &&
	    (rc = tui_field_to_secbuf(&W.fields[PW_NEW], &fresh, &err)) == 0)
		rc = ws_password_change(t->ws, &current, &fresh, why, sizeof(why),
		    &err);
	secbuf_release(&current);
	secbuf_release(&fresh);
	wipe();
	if (rc == 0) {
		tui_message(t, 0, "%s", _("The password is changed. Use the new "
		    "one from now on, on every workstation."));
		tui_status_refresh(t);
	} else if (rc == SESSHU_EAUTH)
		tui_message(t, 1, "%s", _("The current password is wrong."));
	else if (why[0] != '\0')
		tui_message(t, 1, _("The new password was not accepted: %s"), why);
	else
		tui_message(t, 1, _("The password was not changed: %s"),
		    tui_err_text(&err, text, sizeof(text)));
	OPENSSL_cleanse(why, sizeof(why));
}

static int
password_key(struct tui *t, wint_t key)
{
	if (TUI_IS_ENTER(key) || key == '\t' || key == TUI_FN(KEY_DOWN)) {
		if (TUI_IS_ENTER(key) && W.focus == PW_AGAIN)
			change(t);
		else
			W.focus = (W.focus + 1) % PW_FIELDS;
		return 1;
	}
	if (key == TUI_FN(KEY_BTAB) || key == TUI_FN(KEY_UP)) {
		W.focus = (W.focus + PW_FIELDS - 1) % PW_FIELDS;
		return 1;
	}
	if (key == TUI_ESC) {
		wipe();
		return tui_switch(t, &tui_screen_menu, NULL) == 0;
	}
	return tui_field_key(&W.fields[W.focus], key);
}

static void
password_draw(struct tui *t)
{
	char view[TUI_FIELD_BYTES];
	int y = tui_body_top(t) + 1;
	size_t cursor;

	for (int i = 0; i < PW_FIELDS; i++, y += 2) {
		tui_put(t, y, 2, 24, A_NORMAL, _(labels[i]));
		tui_field_view(&W.fields[i], view, sizeof(view), 30, &cursor);
		tui_put(t, y, 27, 30, A_UNDERLINE, view);
		if (i == W.focus)
			tui_cursor(t, y, 27 + (int)cursor);
	}
	tui_put(t, y + 1, 2, COLS - 4, A_DIM, _("The register's rules, by "
	    "default: at least 12 characters, not one of your last five, not "
	    "containing your user ID."));
}

const struct tui_screen tui_screen_password = {
	.name = "password",
	.title = N_("Change my password"),
	.help = N_("Change your own password: type the current one, then the new "
	    "one twice, and press Enter. The register checks the current "
	    "password and its rules for a new one (by default at least 12 "
	    "characters, not one of your last five, not containing your user "
	    "ID). Once it is accepted, the new password opens this "
	    "workstation; on another workstation, your next login there is "
	    "checked with the register. Esc goes back to the menu. The change "
	    "is recorded in the audit trail; the passwords never are."),
	.keys = password_keys,
	.kind = TUI_SCREEN_WORK,
	.perm = -1,
	.enter = password_enter,
	.draw = password_draw,
	.key = password_key,
	.forget = password_forget,
};
