/*
 * screen_lock.c: the lock screen (C5): "locked, <user ID>", how to unlock,
 * and nothing else: no resident, no screen title of the work underneath.
 *
 * [session] unlock_with decides how the owner unlocks, and only that way:
 * with fingerprint (the default) the screen opens the reader as it locks
 * and waits for the owner's finger, verified on the main loop against the
 * owner's prints read from the cache, which stays open behind the lock
 * (fp.h); no password is offered. A finger that does not match is
 * audited and the reader waits again; a reader that cannot be used is
 * said so, and Enter tries it again. With password the owner presses
 * Enter and types their password, checked against their key slot
 * (keyslot_unlock) without reopening the cache; no finger is asked for.
 * Another user may end the session (F3): it is audited in the owner's
 * trail, the owner is logged out, and the login screen opens with the
 * other user's ID. Every refused unlock is audited too.
 */
#include <stdio.h>
#include <string.h>

#include "auth/keyslot.h"
#include "tui/field.h"
#include "tui/fp.h"
#include "tui/screen.h"
#include "tui/text.h"

enum lock_step {
	K_IDLE,		/* the message only (and the finger, if it unlocks) */
	K_PASSWORD,	/* the owner's password */
	K_OTHER,	/* another user's ID */
	K_CONFIRM,	/* end the owner's session? */
};

/* The reader, when the finger unlocks. */
enum lock_finger {
	KF_OFF,		/* closed */
	KF_STARTING,	/* opening from an idle callback */
	KF_WAITING,	/* waits for the owner's finger */
	KF_FAILED,	/* cannot be used; Enter tries again */
};

static struct lock {
	int		 ready;
	enum lock_step	 step;
	struct tui_field password, other;
	int		 finger;	/* unlock_with = fingerprint */
	enum lock_finger fstate;
	guint		 start_id;
	char		 error[SESSHU_ERR_MSG_MAX];	/* KF_FAILED: why */
} K;

/* F3; the demo key joins when it is offered (lock_enter). */
static struct tui_fkey lock_keys[] = {
	{ 3, N_("Another user") },
	{ 0, NULL },
	{ 0, NULL },
};

static void	start_finger(struct tui *);

static const char *
owner(const struct tui *t)
{
	return session_user(&t->session);
}

static void
stop_finger(struct tui *t)
{
	if (K.start_id != 0) {
		g_source_remove(K.start_id);
		K.start_id = 0;
	}
	if (K.fstate != KF_OFF)
		tui_fp_close(t);
	K.fstate = KF_OFF;
}

static void
finger_failed(struct tui *t, const char *why)
{
	tui_fp_close(t);
	K.fstate = KF_FAILED;
	snprintf(K.error, sizeof(K.error), "%s", why);
}

/* The end of a verification (fp.h). */
static void
finger_done(struct tui *t, int status, struct fingerprint_blob *print,
    const struct sesshu_err *err)
{
	char object[64], outcome[SESSHU_ERR_MSG_MAX + 64];

	(void)print;
	if (K.fstate != KF_WAITING || session_state(&t->session) !=
	    SESSION_LOCKED)
		return;
	snprintf(object, sizeof(object), "user:%s", owner(t));
	switch (status) {
	case 0:
		tui_fp_close(t);
		K.fstate = KF_OFF;
		tui_unlock(t, owner(t));
		return;
	case SESSHU_EAUTH:
		tui_audit(t, "session.unlock", object,
		    "refused: fingerprint not recognised");
		tui_message(t, 1, "%s", _("The fingerprint was not recognised. "
		    "Place your finger again."));
		/* The reader is free again: the next try. */
		K.fstate = KF_STARTING;
		start_finger(t);
		return;
	case SESSHU_ECANCELED:
		finger_failed(t, "cancelled");
		return;
	default:
		snprintf(outcome, sizeof(outcome), "refused: fingerprint reader "
		    "error: %s", err != NULL ? err->msg : "unknown");
		tui_audit(t, "session.unlock", object, outcome);
		finger_failed(t, err != NULL ? err->msg : "");
		return;
	}
}

/* Opens the reader if it is not, and waits for the owner's finger. */
static void
start_finger(struct tui *t)
{
	struct sesshu_err err = { 0 };
	size_t n = 0;
	int rc;

	if (t->ws == NULL || session_state(&t->session) != SESSION_LOCKED) {
		K.fstate = KF_OFF;
		return;
	}
	if (tui_fp_driver() == NULL && (rc = tui_fp_open(t, &err)) != 0) {
		finger_failed(t, err.msg);
		return;
	}
	/*
	 * Opening ran the main loop: keys or a timeout may have ended the
	 * lock (lock_forget) in the meantime.
	 */
	if (t->ws == NULL || session_state(&t->session) != SESSION_LOCKED ||
	    K.fstate != KF_STARTING) {
		tui_fp_close(t);
		return;
	}
	/* From the cache, open behind the lock. */
	rc = tui_fp_verify(t, t->ws, owner(t), finger_done, &n, &err);
	if (rc != 0) {
		finger_failed(t, err.msg);
		return;
	}
	K.fstate = KF_WAITING;
	if (tui_fp_demo_active()) {
		lock_keys[1].n = TUI_FP_DEMO_FKEY;
		lock_keys[1].label = N_("Finger (demo)");
	}
}

/*
 * Opening the reader iterates the main loop (fp.h): done from an idle
 * callback, after the lock itself has been applied and drawn.
 */
static gboolean
start_idle(gpointer data)
{
	struct tui *t = data;

	K.start_id = 0;
	if (K.fstate == KF_STARTING) {
		start_finger(t);
		tui_redraw(t);
	}
	return G_SOURCE_REMOVE;
}

static void
schedule_finger(struct tui *t)
{
	K.fstate = KF_STARTING;
	K.error[0] = '\0';
	if (K.start_id == 0)
		K.start_id = g_idle_add(start_idle, t);
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
	lock_keys[1].n = 0;
	lock_keys[1].label = NULL;
	stop_finger(t);
	K.finger = t->settings.unlock_with == WS_UNLOCK_FINGERPRINT;
	if (K.finger)
		schedule_finger(t);
	return 0;
}

static void
lock_forget(struct tui *t)
{
	if (!K.ready)
		return;
	stop_finger(t);
	tui_fp_flush(t);
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
	if (key == TUI_KEY_DEMO_FINGER && K.finger)
		return tui_fp_demo_touch(t, owner(t)) == 0 ? 1 : -1;
	if (key == TUI_ESC) {
		tui_field_clear(&K.password);
		tui_field_clear(&K.other);
		K.step = K_IDLE;
		tui_message(t, 0, "%s", "");
		return 1;
	}
	switch (K.step) {
	case K_IDLE:
		if (TUI_IS_ENTER(key) && K.finger) {
			/* The finger is the only way; Enter retries the reader. */
			if (K.fstate != KF_FAILED)
				return 0;
			schedule_finger(t);
		} else if (TUI_IS_ENTER(key))
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
		if (strcmp(tui_field_text(&K.other), owner(t)) != 0) {
			K.step = K_CONFIRM;
			return 1;
		}
		/* The owner typed their own ID: that is an unlock. */
		tui_field_clear(&K.other);
		if (K.finger) {
			K.step = K_IDLE;
			tui_message(t, 0, "%s", _("Place your finger on the "
			    "fingerprint reader to unlock."));
		} else
			K.step = K_PASSWORD;
		return 1;
	case K_CONFIRM:
		if (!TUI_IS_ENTER(key))
			return 0;
		tui_takeover(t, tui_field_text(&K.other));
		return 1;
	}
	return 0;
}

/* The reader's part of the screen, from line y; returns the next line. */
static int
draw_finger(struct tui *t, int y, int x, int w)
{
	char line[SESSHU_ERR_MSG_MAX + 128];

	switch (K.fstate) {
	case KF_WAITING:
		y += tui_fp_draw(t, y, x, w);
		break;
	case KF_FAILED:
		snprintf(line, sizeof(line), _("The fingerprint reader cannot be "
		    "used: %s"), K.error);
		tui_put(t, y, x, w, A_BOLD, line);
		tui_put(t, y + 1, x, w, A_NORMAL, _("Enter: try the reader "
		    "again"));
		y += 2;
		break;
	default:
		tui_put(t, y, x, w, A_NORMAL, _("Getting the fingerprint reader "
		    "ready..."));
		y += 2;
		break;
	}
	return y + 1;
}

static void
lock_draw(struct tui *t)
{
	char line[512], view[TUI_FIELD_BYTES];
	int y = tui_body_top(t) + 4, x = 8, w = COLS - 2 * x;
	size_t cursor;

	snprintf(line, sizeof(line), K.finger ?
	    _("Locked - %s - place your finger on the reader to unlock.") :
	    _("Locked - %s - press Enter to unlock."), owner(t));
	tui_put(t, y, x, w, A_BOLD, line);
	y += 2;
	if (K.finger)
		y = draw_finger(t, y, x, w);
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
	if (K.finger && K.fstate == KF_WAITING && tui_fp_demo_active())
		tui_put(t, tui_body_bottom(t), x, w, A_NORMAL, _("Demo: F8 stands "
		    "in for your finger on the virtual fingerprint reader."));
}

const struct tui_screen tui_screen_lock = {
	.name = "lock",
	.title = N_("Locked"),
	.help = N_("The screen is locked: it locks after a time without a key "
	    "pressed, or at once with F12.\n\n"
	    "To unlock, place your finger on the fingerprint reader. Where the "
	    "settings say unlock_with = password, press Enter and type your "
	    "password instead; only one of the two is offered.\n\n"
	    "Another user can press F3, type their user ID and end this "
	    "session; they then log in as themselves. A session left locked "
	    "too long ends by itself.\n\n"
	    "Demo only: with libfprint's virtual reader (virtual_device) and "
	    "SESSHU_DEMO_FINGER_KEY=1 in the environment, F8 stands in for "
	    "the owner's finger."),
	.keys = lock_keys,
	.kind = TUI_SCREEN_LOCKED,
	.perm = -1,
	.enter = lock_enter,
	.draw = lock_draw,
	.key = lock_key,
	.forget = lock_forget,
};
