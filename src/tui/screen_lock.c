/*
 * screen_lock.c: the lock screen (C5): "locked, <user ID>, press Enter to
 * unlock", and nothing else: no resident, no screen title of the work
 * underneath.
 *
 * The owner unlocks with their password, checked against their key slot
 * (keyslot_unlock) without reopening the cache, which stays open behind
 * the lock. [session] unlock_with = fingerprint asks for the finger
 * instead once the fingerprint milestone lands (auth/fingerprint.h);
 * until then the password is asked for either way. Another user may end
 * the session (F3): it is audited in the owner's trail, the owner is
 * logged out, and the login screen opens with the other user's ID.
 * Every refused unlock is audited too.
 */
#include <stdio.h>
#include <string.h>

#include "auth/keyslot.h"
#include "tui/field.h"
#include "tui/screen.h"
#include "tui/text.h"

enum lock_step {
	K_IDLE,		/* the message only */
	K_PASSWORD,	/* the owner's password */
	K_OTHER,	/* another user's ID */
	K_CONFIRM,	/* end the owner's session? */
};

static struct lock {
	int		 ready;
	enum lock_step	 step;
	struct tui_field password, other;
} K;

static const struct tui_fkey lock_keys[] = {
	{ 3, N_("Another user") },
	{ 0, NULL },
};

static const char *
owner(const struct tui *t)
{
	return session_user(&t->session);
}

static int
lock_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };
	int rc;

	(void)arg;
	if (!K.ready) {
		if ((rc = tui_field_init(&K.password, TUI_FIELD_SECRET, 256,
		    &err)) != 0 ||
		    (rc = tui_field_init(&K.other, TUI_FIELD_ASCII,
		    SESSION_USER_MAX, &err)) != 0) {
			tui_message(t, 1, "%s", err.msg);
			return rc;
		}
		K.ready = 1;
	}
	tui_field_clear(&K.password);
	tui_field_clear(&K.other);
	K.step = K_IDLE;
	return 0;
}

static void
lock_forget(struct tui *t)
{
	(void)t;
	if (!K.ready)
		return;
	tui_field_clear(&K.password);
	tui_field_clear(&K.other);
	K.step = K_IDLE;
}

/* The owner's password against their key slot; 0 when it opens it. */
static int
verify(struct tui *t, struct sesshu_err *err)
{
	struct keyslot_file *f = NULL;
	struct secbuf key = { NULL, 0 };
	char path[4096];
	int rc;

	ws_state_path(path, sizeof(path), t->opt->state_dir, WS_KEYSLOT_FILE);
	if ((rc = keyslot_file_load(&f, path, err)) != 0)
		return rc;
	if (strcmp(keyslot_file_workstation(f), t->cfg.workstation_id) != 0)
		rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s belongs to another "
		    "workstation", path);
	else
		rc = keyslot_unlock(f, owner(t), tui_field_text(&K.password),
		    K.password.len, &key, err);
	secbuf_release(&key);
	keyslot_file_free(f);
	return rc;
}

static void
unlock(struct tui *t)
{
	struct sesshu_err err = { 0 };
	char object[64];
	int rc;

	tui_busy(t, _("Checking..."));
	rc = verify(t, &err);
	tui_field_clear(&K.password);
	if (rc == 0) {
		tui_unlock(t, owner(t));
		return;
	}
	snprintf(object, sizeof(object), "user:%s", owner(t));
	tui_audit(t, "session.unlock", object, rc == SESSHU_EAUTH ||
	    rc == SESSHU_ENOTFOUND ? "refused: authentication failed" :
	    "refused: key slots unreadable");
	tui_message(t, 1, "%s", _("The user ID or password is wrong."));
}

static int
lock_key(struct tui *t, wint_t key)
{
	if (key == TUI_ESC) {
		tui_field_clear(&K.password);
		tui_field_clear(&K.other);
		K.step = K_IDLE;
		tui_message(t, 0, "%s", "");
		return 1;
	}
	switch (K.step) {
	case K_IDLE:
		if (TUI_IS_ENTER(key))
			K.step = K_PASSWORD;
		else if (key == TUI_FN(KEY_F(3)))
			K.step = K_OTHER;
		else
			return 0;
		tui_message(t, 0, "%s", "");
		return 1;
	case K_PASSWORD:
		if (!TUI_IS_ENTER(key))
			return tui_field_key(&K.password, key);
		if (K.password.len == 0)
			return -1;
		unlock(t);
		return 1;
	case K_OTHER:
		if (!TUI_IS_ENTER(key))
			return tui_field_key(&K.other, key);
		if (K.other.len == 0)
			return -1;
		/* The owner typed their own ID: that is an unlock. */
		K.step = strcmp(tui_field_text(&K.other), owner(t)) == 0 ?
		    K_PASSWORD : K_CONFIRM;
		return 1;
	case K_CONFIRM:
		if (!TUI_IS_ENTER(key))
			return 0;
		tui_takeover(t, tui_field_text(&K.other));
		return 1;
	}
	return 0;
}

static void
lock_draw(struct tui *t)
{
	char line[512], view[TUI_FIELD_BYTES];
	int y = tui_body_top(t) + 4, x = 8, w = COLS - 2 * x;
	size_t cursor;

	snprintf(line, sizeof(line), _("Locked - %s - press Enter to unlock."),
	    owner(t));
	tui_put(t, y, x, w, A_BOLD, line);
	y += 2;
	switch (K.step) {
	case K_IDLE:
		tui_put(t, y, x, w, A_NORMAL, _("Another user: press F3 to end "
		    "this session and log in."));
		break;
	case K_PASSWORD:
		snprintf(line, sizeof(line), _("Password for %s:"), owner(t));
		tui_put(t, y, x, w, A_NORMAL, line);
		tui_field_view(&K.password, view, sizeof(view), 34, &cursor);
		tui_put(t, y + 1, x, 34, A_UNDERLINE, view);
		tui_cursor(t, y + 1, x + (int)cursor);
		tui_put(t, y + 3, x, w, A_NORMAL, _("Enter: unlock   Esc: back"));
		break;
	case K_OTHER:
		tui_put(t, y, x, w, A_NORMAL, _("Your user ID:"));
		tui_field_view(&K.other, view, sizeof(view), 34, &cursor);
		tui_put(t, y + 1, x, 34, A_UNDERLINE, view);
		tui_cursor(t, y + 1, x + (int)cursor);
		tui_put(t, y + 3, x, w, A_NORMAL, _("Enter: next   Esc: back"));
		break;
	case K_CONFIRM:
		snprintf(line, sizeof(line), _("End the session of %s and log in "
		    "as %s?"), owner(t), tui_field_text(&K.other));
		tui_put(t, y, x, w, A_NORMAL, line);
		tui_put(t, y + 1, x, w, A_NORMAL, _("Work not yet saved is kept for "
		    "its owner."));
		tui_put(t, y + 3, x, w, A_NORMAL, _("Enter: end the session   "
		    "Esc: back"));
		break;
	}
}

const struct tui_screen tui_screen_lock = {
	.name = "lock",
	.title = N_("Locked"),
	.help = N_("The screen is locked: it locks after a time without a key "
	    "pressed, or at once with F12.\n\n"
	    "To unlock, press Enter and type your password.\n\n"
	    "Another user can press F3, type their user ID and end this "
	    "session; they then log in as themselves. A session left locked "
	    "too long ends by itself."),
	.keys = lock_keys,
	.kind = TUI_SCREEN_LOCKED,
	.enter = lock_enter,
	.draw = lock_draw,
	.key = lock_key,
	.forget = lock_forget,
};
