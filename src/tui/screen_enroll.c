/*
 * screen_enroll.c: a user's first fingerprint for this kind of reader
 * (issue 4, Login), between the password and the session.
 *
 * The login screen comes here when the password was right and the cache
 * holds no print of the user for the open reader's driver: typically the
 * first login, after the activation code and the new password. The
 * finger of the settings ([fingerprint] finger) is enrolled through all
 * of the reader's stages, with the progress ("Scan 2 of 5"), the reader's
 * prompts and its reasons for a retry on screen (fp.h). The print is
 * saved encrypted in the cache with its outbox entry and its audit entry
 * in one transaction (ws_fingerprint_save), from where the register and
 * every other workstation with this kind of reader receive it; then the
 * session starts.
 *
 * The screen holds the login's open cache (E.ws) from enter until it
 * hands it to tui_login_done() or closes it, and nothing of the print
 * beyond the done callback. Esc cancels and goes back to the login
 * screen's user ID; a failure goes back to its password with the reason.
 * Every end is in the user's audit trail: "fingerprint.enroll" ok (with
 * the print), cancelled or failed, then "login.fingerprint" "ok: enrolled".
 */
#include <stdio.h>
#include <string.h>

#include "sync/ws_prints.h"
#include "tui/fp.h"
#include "tui/screen.h"
#include "tui/text.h"

static struct enroll {
	struct ws_session	*ws;		/* the login's cache, until handed on */
	enum fingerprint_finger	 finger;
	int			 cancelling;	/* Esc was pressed */
	int			 failed;	/* it could not start: Esc goes back */
	char			 error[SESSHU_ERR_MSG_MAX];
} E;

/* The demo key joins the bar when it works (enroll_enter). */
static struct tui_fkey enroll_keys[] = { { 0, NULL }, { 0, NULL } };

/*
 * Back to the login screen without a session: at the password with the
 * user ID kept after a failure (note set), at the user ID after Esc.
 */
static void
back(struct tui *t, const char *note)
{
	char user[SESSION_USER_MAX + 1] = "", msg[sizeof(t->message)];

	if (E.ws != NULL)
		snprintf(user, sizeof(user), "%s", E.ws->user_id);
	/* The message may be the message line itself: keep a copy. */
	snprintf(msg, sizeof(msg), "%s", note != NULL ? note : "");
	tui_fp_close(t);
	ws_session_close(E.ws);
	E.ws = NULL;
	E.cancelling = E.failed = 0;
	tui_switch(t, &tui_screen_login, note != NULL ? user : NULL);
	if (note != NULL)
		tui_message(t, 1, "%s", msg);
}

static void
enroll_done(struct tui *t, int status, struct fingerprint_blob *print,
    const struct sesshu_err *err)
{
	struct sesshu_err serr = { 0 };
	struct ws_session *ws = E.ws;
	char outcome[SESSHU_ERR_MSG_MAX + 64], note[SESSHU_ERR_MSG_MAX + 128];
	const char *driver = tui_fp_driver();

	if (ws == NULL)
		return;
	if (status == SESSHU_ECANCELED) {
		tui_fp_audit(t, ws, "fingerprint.enroll", "cancelled");
		back(t, NULL);
		return;
	}
	if (status != 0) {
		snprintf(outcome, sizeof(outcome), "failed: %s", err != NULL ?
		    err->msg : "unknown");
		tui_fp_audit(t, ws, "fingerprint.enroll", outcome);
		snprintf(note, sizeof(note), _("The fingerprint could not be "
		    "enrolled: %s"), err != NULL ? err->msg : "");
		back(t, note);
		return;
	}
	/* The print, its outbox entry and "fingerprint.enroll ok" together. */
	if (driver == NULL || ws_fingerprint_save(ws, ws->user_id, E.finger,
	    driver, print, &serr) != 0) {
		snprintf(outcome, sizeof(outcome), "failed: %s", driver == NULL ?
		    "the reader closed" : serr.msg);
		tui_fp_audit(t, ws, "fingerprint.enroll", outcome);
		snprintf(note, sizeof(note), _("The fingerprint could not be "
		    "saved: %s"), driver == NULL ? "" : serr.msg);
		back(t, note);
		return;
	}
	fingerprint_blob_clear(print);
	tui_fp_close(t);
	if (tui_fp_audit(t, ws, "login.fingerprint", "ok: enrolled") != 0) {
		/* Enrolled, but no login without its audit entry. */
		snprintf(note, sizeof(note), "%s", t->message);
		back(t, note);
		return;
	}
	E.ws = NULL;
	if (tui_login_done(t, ws) == 0) {
		tui_message(t, 0, "%s", _("Your fingerprint was enrolled."));
		return;
	}
	/* The session could not start (tui_login_done closed ws and said why). */
	snprintf(note, sizeof(note), "%s", t->message);
	tui_switch(t, &tui_screen_login, NULL);
	tui_message(t, 1, "%s", note);
}

static int
enroll_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };
	int rc;

	/* arg: the login's open cache, which this screen now holds. */
	E.ws = arg;
	E.cancelling = E.failed = 0;
	E.error[0] = '\0';
	E.finger = (enum fingerprint_finger)t->settings.finger;
	enroll_keys[0].n = 0;
	enroll_keys[0].label = NULL;
	if (tui_fp_demo_active()) {
		enroll_keys[0].n = TUI_FP_DEMO_FKEY;
		enroll_keys[0].label = N_("Finger (demo)");
	}
	if (E.ws == NULL)
		return -1;
	/* The login screen opened the reader to look for prints. */
	if ((rc = tui_fp_enroll(t, E.ws->user_id, E.finger, enroll_done,
	    &err)) != 0) {
		E.failed = 1;
		snprintf(E.error, sizeof(E.error), "%s", err.msg);
		tui_fp_audit(t, E.ws, "fingerprint.enroll", "failed: the reader "
		    "could not start");
	}
	return rc;
}

static void
enroll_forget(struct tui *t)
{
	/* Quitting in the middle: no print, no session. */
	tui_fp_flush(t);
	if (E.ws == NULL)
		return;		/* the reader is not this screen's */
	tui_fp_audit(t, E.ws, "fingerprint.enroll", "cancelled: quit");
	tui_fp_close(t);
	ws_session_close(E.ws);
	E.ws = NULL;
	E.cancelling = E.failed = 0;
}

static int
enroll_key(struct tui *t, wint_t key)
{
	if (E.ws == NULL)
		return 0;
	if (key == TUI_ESC) {
		if (E.failed) {
			back(t, NULL);
			return 1;
		}
		/* enroll_done() goes back once the reader has stopped. */
		if (!E.cancelling) {
			E.cancelling = 1;
			tui_fp_cancel();
			tui_message(t, 0, "%s", _("Cancelling..."));
		}
		return 1;
	}
	if (key == TUI_KEY_DEMO_FINGER)
		return tui_fp_demo_touch(t, E.ws->user_id) == 0 ? 1 : -1;
	return 0;
}

static void
enroll_draw(struct tui *t)
{
	int y = tui_body_top(t) + 1, x = 4, w = COLS - 2 * x;
	int bottom = tui_body_bottom(t);
	char line[512];

	if (E.ws == NULL)
		return;
	snprintf(line, sizeof(line), _("No fingerprint of %s is enrolled for "
	    "this reader yet."), E.ws->user_id);
	tui_put(t, y, x, w, A_BOLD, line);
	snprintf(line, sizeof(line), _("Enroll your %s: place it on the reader "
	    "each time you are asked, and lift it in between."),
	    tui_fp_finger_label(E.finger));
	tui_put(t, y + 1, x, w, A_NORMAL, line);
	y += 3;
	if (E.failed) {
		snprintf(line, sizeof(line), _("The fingerprint reader cannot "
		    "enroll: %s"), E.error);
		tui_put(t, y, x, w, A_BOLD, line);
		tui_put(t, bottom, x, w, A_NORMAL, _("Esc: back to the login."));
		return;
	}
	tui_fp_draw(t, y, x, w);
	if (tui_fp_demo_active())
		tui_put(t, bottom - 1, x, w, A_NORMAL, _("Demo: F8 stands in for "
		    "your finger on the virtual fingerprint reader."));
	tui_put(t, bottom, x, w, A_NORMAL, _("Esc: cancel the enrollment (you "
	    "are not logged in)."));
}

const struct tui_screen tui_screen_enroll = {
	.name = "enroll",
	.title = N_("Fingerprint enrollment"),
	.help = N_("Your password was right, and no fingerprint of yours is "
	    "enrolled for this kind of reader yet: enroll one now to finish "
	    "logging in.\n\n"
	    "Place the finger named on the screen on the reader, lift it when "
	    "asked, and place it again, until every scan is done; the screen "
	    "counts them. When a scan cannot be used the screen says why "
	    "(centre the finger, swipe again...); just do it again.\n\n"
	    "The fingerprint is stored encrypted on this workstation and in "
	    "the register, so that you can log in with it on the other "
	    "workstations with this kind of reader.\n\n"
	    "Esc cancels: you are not logged in and nothing is stored; you "
	    "enroll at your next login.\n\n"
	    "Demo only: with libfprint's virtual reader (virtual_device) and "
	    "SESSHU_DEMO_FINGER_KEY=1 in the environment, F8 stands in for "
	    "your finger."),
	.keys = enroll_keys,
	.kind = TUI_SCREEN_LOGGED_OUT,
	.perm = -1,
	.enter = enroll_enter,
	.draw = enroll_draw,
	.key = enroll_key,
	.forget = enroll_forget,
};
