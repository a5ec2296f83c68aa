/*
 * screen_login.c: the login screen: user ID, then password, then
 * fingerprint (C1, ARCHITECTURE §3).
 *
 * ws_login() asks for secrets through a callback, possibly several times
 * (a first login online may be answered "set a new password", and a new
 * password may break the register's policy). A screen cannot answer a
 * question in the middle of a blocking call, so the screen collects the
 * secrets first and the callback only hands over what was typed: when
 * ws_login() asks for a new password the screen has not got yet, the
 * callback declines, the screen shows the register's reason with a
 * new-password form (twice), and then runs ws_login() again from the
 * start with the secret and the new password.
 *
 * The password opens the cache, which holds the user's enrolled prints;
 * the session does not start until a finger matches one of them for the
 * reader's driver (fp.h), verified on the main loop while the screen
 * shows the reader's prompts; Esc cancels and starts again. A user with
 * no print for this kind of reader enrolls one first (screen_enroll.c).
 * Until then the cache stays open in this screen only (L.ws), and the
 * session's state machine knows nobody.
 *
 * A wrong password and a finger that does not match show one and the
 * same message, which does not say which factor was wrong; the audit
 * trail says it ("login.fingerprint" with the true reason). Secrets live
 * only in secret fields (locked memory) and are wiped after every attempt.
 */
#include <stdio.h>
#include <string.h>

#include "tui/field.h"
#include "tui/fp.h"
#include "tui/screen.h"
#include "tui/text.h"

enum login_step {
	L_USER,
	L_PASSWORD,
	L_NEW,
	L_NEW_AGAIN,
	L_FINGER,	/* the reader verifies a finger */
};

static struct login {
	int		 ready;
	enum login_step	 step;
	struct tui_field user, password, fresh, again;
	char		 why[256];	/* the register's reason for a new password */
	struct ws_session *ws;		/* L_FINGER: the cache the password opened */
	int		 cancelling;	/* Esc was pressed during L_FINGER */
} L;

/* What the callback learned during one ws_login(). */
struct login_ask {
	int	new_given;	/* the new password was handed over */
	int	need_new;	/* a new password was asked for and not typed yet */
	char	why[256];
};

/* The demo key joins the bar when it is offered (login_enter). */
static struct tui_fkey login_keys[] = { { 0, NULL }, { 0, NULL } };

static void
wipe_secrets(void)
{
	tui_field_clear(&L.password);
	tui_field_clear(&L.fresh);
	tui_field_clear(&L.again);
}

/*
 * Ends the fingerprint step without a session: the reader closes, the
 * cache the password opened closes.
 */
static void
drop_pending(struct tui *t)
{
	/* The reader is this screen's only while it holds a cache. */
	if (L.ws != NULL) {
		tui_fp_close(t);
		ws_session_close(L.ws);
		L.ws = NULL;
	}
	L.cancelling = 0;
}

static void
reset(struct tui *t)
{
	drop_pending(t);
	tui_field_clear(&L.user);
	wipe_secrets();
	L.why[0] = '\0';
	L.step = L_USER;
}

static int
login_enter(struct tui *t, void *arg)
{
	struct sesshu_err err = { 0 };
	int rc;

	if (!L.ready) {
		if ((rc = tui_field_init(&L.user, TUI_FIELD_ASCII,
		    SESSION_USER_MAX, &err)) != 0 ||
		    (rc = tui_field_init(&L.password, TUI_FIELD_SECRET, 256,
		    &err)) != 0 ||
		    (rc = tui_field_init(&L.fresh, TUI_FIELD_SECRET, 256, &err)) != 0 ||
		    (rc = tui_field_init(&L.again, TUI_FIELD_SECRET, 256, &err)) != 0) {
			tui_message(t, 1, "%s", err.msg);
			return rc;
		}
		L.ready = 1;
	}
	if (tui_fp_demo_offered(t)) {
		login_keys[0].n = TUI_FP_DEMO_FKEY;
		login_keys[0].label = N_("Finger (demo)");
	}
	reset(t);
	/* A user who ended another's session at the lock screen: their ID. */
	if (arg != NULL && tui_field_set(&L.user, arg) == 0 && L.user.len > 0)
		L.step = L_PASSWORD;
	return 0;
}

static void
login_forget(struct tui *t)
{
	if (!L.ready)
		return;
	/* Quitting while the reader waits for a finger: no login happened. */
	if (L.ws != NULL)
		tui_fp_audit(t, L.ws, "login.fingerprint", "cancelled: quit");
	reset(t);
	/* The program ends: a close the loop would have done, now. */
	tui_fp_flush(t);
}

static int
ask(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
    struct sesshu_err *err)
{
	struct login_ask *a = ctx;

	switch (what) {
	case WS_ASK_SECRET:
		return tui_field_to_secbuf(&L.password, out, err);
	case WS_ASK_NEW_PASSWORD:
		if (!a->new_given && L.fresh.len > 0) {
			a->new_given = 1;
			return tui_field_to_secbuf(&L.fresh, out, err);
		}
		a->need_new = 1;
		snprintf(a->why, sizeof(a->why), "%s", why != NULL ? why : "");
		return sesshu_err_set(err, SESSHU_EINVAL, "a new password is needed");
	case WS_ASK_NEW_PASSWORD_AGAIN:
		return tui_field_to_secbuf(&L.again, out, err);
	}
	return sesshu_err_set(err, SESSHU_EINVAL, "unknown question");
}

/* The one message of every wrong factor (C1): it never says which. */
static void
refuse(struct tui *t)
{
	L.step = L_PASSWORD;
	tui_message(t, 1, "%s", _("The user ID, password or fingerprint is "
	    "wrong."));
}

/* The end of the fingerprint step (fp.h): the session starts, or not. */
static void
finger_done(struct tui *t, int status, struct fingerprint_blob *print,
    const struct sesshu_err *err)
{
	struct ws_session *ws = L.ws;
	char outcome[SESSHU_ERR_MSG_MAX + 64];
	int rc;

	(void)print;
	L.ws = NULL;
	L.cancelling = 0;
	tui_fp_close(t);
	if (ws == NULL)
		return;
	tui_field_clear(&L.password);
	switch (status) {
	case 0:
		/* Without its audit entry the login does not happen (C1). */
		if (tui_fp_audit(t, ws, "login.fingerprint", "ok") != 0) {
			ws_session_close(ws);
			L.step = L_PASSWORD;
			return;
		}
		reset(t);
		tui_login_done(t, ws);
		return;
	case SESSHU_EAUTH: {
		struct sesshu_err why = { 0 };
		char text[SESSHU_ERR_MSG_MAX];

		tui_fp_audit(t, ws, "login.fingerprint",
		    "refused: fingerprint not recognised");
		/* A right password with a wrong finger counts as a failed login,
		 * or the finger could be tried for ever. */
		rc = ws_login_factor_failed(ws, &t->settings, &why);
		ws_session_close(ws);
		refuse(t);
		if (rc == SESSHU_EDENIED)
			tui_message(t, 1, _("Cannot log in: %s"),
			    tui_err_text(&why, text, sizeof(text)));
		return;
	}
	case SESSHU_ECANCELED:
		tui_fp_audit(t, ws, "login.fingerprint", "cancelled");
		ws_session_close(ws);
		reset(t);
		tui_message(t, 0, "%s", "");
		return;
	default:
		snprintf(outcome, sizeof(outcome), "refused: fingerprint reader "
		    "error: %s", err != NULL ? err->msg : "unknown");
		tui_fp_audit(t, ws, "login.fingerprint", outcome);
		ws_session_close(ws);
		L.step = L_PASSWORD;
		tui_message(t, 1, _("Cannot log in: %s"), err != NULL ?
		    err->msg : "");
		return;
	}
}

/*
 * The password was right and ws is the user's open cache: the finger
 * next, or its enrollment when the user has no print for this reader.
 */
static void
second_factor(struct tui *t, struct ws_session *ws)
{
	char text[SESSHU_ERR_MSG_MAX];
	struct sesshu_err err = { 0 };
	char outcome[SESSHU_ERR_MSG_MAX + 64];
	size_t n = 0;
	int rc;

	tui_busy(t, _("Opening the fingerprint reader..."));
	if ((rc = tui_fp_open(t, &err)) != 0) {
		snprintf(outcome, sizeof(outcome), "refused: %s: %s",
		    rc == SESSHU_ENOTFOUND ? "no fingerprint reader" :
		    "fingerprint reader unavailable", err.msg);
		tui_fp_audit(t, ws, "login.fingerprint", outcome);
		ws_session_close(ws);
		L.step = L_PASSWORD;
		/* What to do about it; the details are in the audit trail. */
		if (rc == SESSHU_ENOTFOUND)
			tui_message(t, 1, "%s", _("Cannot log in: no fingerprint "
			    "reader was found. Check that it is connected."));
		else
			tui_message(t, 1, _("Cannot log in: the fingerprint reader "
			    "cannot be used (%s)."), err.msg);
		return;
	}
	rc = tui_fp_verify(t, ws, ws->user_id, finger_done, &n, &err);
	if (rc == 0) {
		L.ws = ws;
		L.step = L_FINGER;
		tui_message(t, 0, "%s", "");
		return;
	}
	if (rc == SESSHU_ENOTFOUND && n == 0 && !ws_enrollment_allowed(ws)) {
		/* No print, and no password the register has just checked. */
		tui_fp_audit(t, ws, "login.fingerprint", "refused: no print enrolled "
		    "for this reader, and enrolment needs a password checked by the "
		    "register");
		tui_fp_close(t);
		ws_session_close(ws);
		L.step = L_PASSWORD;
		tui_message(t, 1, "%s", _("No fingerprint of yours is enrolled for "
		    "this reader, and it can be enrolled only when the register "
		    "checks your password: ask an IS administrator."));
		return;
	}
	if (rc == SESSHU_ENOTFOUND && n == 0) {
		/* The first login with this kind of reader: enroll (it takes ws). */
		tui_field_clear(&L.user);
		L.step = L_USER;
		tui_switch(t, &tui_screen_enroll, ws);
		return;
	}
	snprintf(outcome, sizeof(outcome), "refused: %s", err.msg);
	tui_fp_audit(t, ws, "login.fingerprint", outcome);
	tui_fp_close(t);
	ws_session_close(ws);
	L.step = L_PASSWORD;
	tui_message(t, 1, _("Cannot log in: %s"), tui_err_text(&err, text,
	    sizeof(text)));
}

static void
attempt(struct tui *t)
{
	char text[SESSHU_ERR_MSG_MAX];
	struct sesshu_err err = { 0 };
	struct login_ask a = { 0 };
	struct ws_session *ws = NULL;
	char user[SESSION_USER_MAX + 1];
	int rc;

	snprintf(user, sizeof(user), "%s", tui_field_text(&L.user));
	tui_busy(t, _("Logging in..."));
	rc = ws_login_with_settings(t->opt->state_dir, user, &t->settings, ask,
	    &a, &ws, &err);
	if (rc == 0) {
		wipe_secrets();
		L.why[0] = '\0';
		second_factor(t, ws);
		return;
	}
	tui_field_clear(&L.fresh);
	tui_field_clear(&L.again);
	if (a.need_new) {
		/* The secret stays for the next attempt; the register's reason shows. */
		snprintf(L.why, sizeof(L.why), "%s", a.why);
		L.step = L_NEW;
		tui_message(t, 0, "%s", _("Set a new password."));
		return;
	}
	tui_field_clear(&L.password);
	L.why[0] = '\0';
	if (rc == SESSHU_EAUTH)
		refuse(t);
	else {
		/* A policy refusal (locked out, offline too long) is about the
		 * user or the workstation: the next login starts afresh. */
		if (rc == SESSHU_EDENIED)
			reset(t);
		else
			L.step = L_PASSWORD;
		tui_message(t, 1, _("Cannot log in: %s"), tui_err_text(&err, text,
		    sizeof(text)));
	}
}

static struct tui_field *
current(void)
{
	switch (L.step) {
	case L_USER:
	case L_FINGER:
		return &L.user;
	case L_PASSWORD:
		return &L.password;
	case L_NEW:
		return &L.fresh;
	case L_NEW_AGAIN:
		return &L.again;
	}
	return &L.user;
}

/* Keys while the reader waits: Esc cancels, F8 is the demo's finger. */
static int
finger_key(struct tui *t, wint_t key)
{
	if (key == TUI_ESC) {
		/* finger_done() goes back to the user ID when it stopped. */
		if (!L.cancelling) {
			L.cancelling = 1;
			tui_fp_cancel();
			tui_message(t, 0, "%s", _("Cancelling..."));
		}
		return 1;
	}
	if (key == TUI_KEY_DEMO_FINGER)
		return tui_fp_demo_touch(t, tui_field_text(&L.user)) == 0 ? 1 : -1;
	return 0;
}

static int
login_key(struct tui *t, wint_t key)
{
	if (L.step == L_FINGER)
		return finger_key(t, key);
	if (key == TUI_ESC) {
		/* Back to the start; nothing typed is kept. */
		reset(t);
		tui_message(t, 0, "%s", "");
		return 1;
	}
	if (!TUI_IS_ENTER(key) && key != '\t')
		return tui_field_key(current(), key);
	switch (L.step) {
	case L_USER:
		if (L.user.len == 0)
			return -1;
		L.step = L_PASSWORD;
		break;
	case L_PASSWORD:
		if (L.password.len == 0)
			return -1;
		attempt(t);
		break;
	case L_NEW:
		if (L.fresh.len == 0)
			return -1;
		L.step = L_NEW_AGAIN;
		break;
	case L_NEW_AGAIN:
		if (L.fresh.len != L.again.len ||
		    memcmp(tui_field_text(&L.fresh), tui_field_text(&L.again),
		    L.fresh.len) != 0) {
			tui_field_clear(&L.fresh);
			tui_field_clear(&L.again);
			L.step = L_NEW;
			tui_message(t, 1, "%s", _("The two new passwords differ. "
			    "Type the new password again."));
			return 1;
		}
		attempt(t);
		break;
	case L_FINGER:
		break;
	}
	return 1;
}

/* One "label  [field]" row; the focused field gets the cursor. */
static void
draw_field(struct tui *t, int y, int x, int lw, const char *label,
    struct tui_field *f, int focused)
{
	char view[TUI_FIELD_BYTES];
	size_t cursor;
	int fw = 34;

	tui_put(t, y, x, lw, focused ? A_BOLD : A_NORMAL, label);
	tui_field_view(f, view, sizeof(view), (size_t)fw, &cursor);
	tui_put(t, y, x + lw, fw, A_UNDERLINE, view);
	if (focused)
		tui_cursor(t, y, x + lw + (int)cursor);
}

static int
label_width(const char *const *labels, size_t n)
{
	size_t w = 0, lw;

	for (size_t i = 0; i < n; i++)
		if ((lw = tui_text_width(labels[i])) > w)
			w = lw;
	return (int)w + 2;
}

static void
login_draw(struct tui *t)
{
	const char *labels[] = { _("User ID"), _("Password"), _("New password"),
	    _("New password again"), _("Fingerprint") };
	int y = tui_body_top(t) + 1, x = 4, lw = label_width(labels, 5);
	int bottom = tui_body_bottom(t), demo;
	char line[512];
	size_t len, next;
	const char *why, *hint;

	tui_put(t, y, x, COLS - x, A_BOLD, _("Vaccination records workstation"));
	tui_put(t, y + 1, x, COLS - x, A_NORMAL, t->cfg.workstation_id);
	y += 3;
	draw_field(t, y, x, lw, labels[0], &L.user, L.step == L_USER);
	if (L.step >= L_PASSWORD && L.step != L_FINGER)
		draw_field(t, y + 1, x, lw, labels[1], &L.password,
		    L.step == L_PASSWORD);
	y += 3;
	if (L.step == L_FINGER) {
		tui_put(t, y, x, lw, A_BOLD, labels[4]);
		tui_fp_draw(t, y, x + lw, COLS - x - lw);
	} else if (L.step >= L_NEW) {
		/* The register's reason, in its words (it may be English). */
		why = L.why[0] != '\0' ? L.why : _("A new password is required.");
		for (int i = 0; i < 3 && *why != '\0'; i++) {
			len = tui_text_wrap(why, (size_t)(COLS - 2 * x), &next);
			snprintf(line, sizeof(line), "%.*s", (int)len, why);
			tui_put(t, y++, x, COLS - 2 * x, A_NORMAL, line);
			why += next;
		}
		y++;
		draw_field(t, y, x, lw, labels[2], &L.fresh, L.step == L_NEW);
		if (L.step == L_NEW_AGAIN)
			draw_field(t, y + 1, x, lw, labels[3], &L.again, 1);
	}
	switch (L.step) {
	case L_USER:
		hint = _("Type your user ID and press Enter.");
		break;
	case L_PASSWORD:
		hint = _("Type your password (or one-time activation code) and "
		    "press Enter. Esc: start again.");
		break;
	case L_FINGER:
		hint = _("Place your finger on the fingerprint reader. Esc: "
		    "cancel.");
		break;
	default:
		hint = _("Type the new password twice. Esc: start again.");
		break;
	}
	/* The demo's key, only where it works (fp.h). */
	demo = L.step == L_FINGER ? tui_fp_demo_active() :
	    tui_fp_demo_offered(t);
	if (demo)
		tui_put(t, bottom - 1, x, COLS - x, A_NORMAL, _("Demo: F8 stands "
		    "in for your finger on the virtual fingerprint reader."));
	tui_put(t, bottom, x, COLS - x, A_NORMAL, hint);
}

const struct tui_screen tui_screen_login = {
	.name = "login",
	.title = N_("Log in"),
	.help = N_("Log in with your user ID, your password and your "
	    "fingerprint.\n\n"
	    "Type your user ID and press Enter, then your password and Enter; "
	    "then place your finger on the fingerprint reader when asked, and "
	    "lift it when asked. If any of the three is wrong the screen says "
	    "so without saying which.\n\n"
	    "The first time you log in on this workstation it must reach the "
	    "register: type the one-time activation code you were given "
	    "instead of a password, then choose your own password and type it "
	    "twice. If no fingerprint of yours is enrolled for this kind of "
	    "reader yet, you then enroll one: the reader asks for the same "
	    "finger several times. Later logins work offline too.\n\n"
	    "Enter moves to the next field and logs in; Esc starts again, and "
	    "cancels while the reader waits for a finger.\n\n"
	    "Demo only: with libfprint's virtual reader (virtual_device) and "
	    "SESSHU_DEMO_FINGER_KEY=1 in the environment, F8 stands in for "
	    "your finger. It does nothing with a real reader."),
	.keys = login_keys,
	.kind = TUI_SCREEN_LOGGED_OUT,
	.perm = -1,
	.enter = login_enter,
	.draw = login_draw,
	.key = login_key,
	.forget = login_forget,
};
