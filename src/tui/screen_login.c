/*
 * screen_login.c: the login screen: user ID, then password (C1).
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
 * A failure shows one message that does not say which factor was wrong.
 * The fingerprint, the third factor of ARCHITECTURE §3, is the next step
 * of this screen and comes with the fingerprint milestone (libfprint,
 * auth/fingerprint.h); until then the screen says nothing about it.
 * Secrets live only in secret fields (locked memory) and are wiped after
 * every attempt.
 */
#include <stdio.h>
#include <string.h>

#include "tui/field.h"
#include "tui/screen.h"
#include "tui/text.h"

enum login_step {
	L_USER,
	L_PASSWORD,
	L_NEW,
	L_NEW_AGAIN,
};

static struct login {
	int		 ready;
	enum login_step	 step;
	struct tui_field user, password, fresh, again;
	char		 why[256];	/* the register's reason for a new password */
} L;

/* What the callback learned during one ws_login(). */
struct login_ask {
	int	new_given;	/* the new password was handed over */
	int	need_new;	/* a new password was asked for and not typed yet */
	char	why[256];
};

static const struct tui_fkey login_keys[] = { { 0, NULL } };

static void
wipe_secrets(void)
{
	tui_field_clear(&L.password);
	tui_field_clear(&L.fresh);
	tui_field_clear(&L.again);
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
	tui_field_clear(&L.user);
	wipe_secrets();
	L.why[0] = '\0';
	L.step = L_USER;
	/* A user who ended another's session at the lock screen: their ID. */
	if (arg != NULL && tui_field_set(&L.user, arg) == 0 && L.user.len > 0)
		L.step = L_PASSWORD;
	return 0;
}

static void
login_forget(struct tui *t)
{
	(void)t;
	if (!L.ready)
		return;
	tui_field_clear(&L.user);
	wipe_secrets();
	L.why[0] = '\0';
	L.step = L_USER;
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

static void
attempt(struct tui *t)
{
	struct sesshu_err err = { 0 };
	struct login_ask a = { 0 };
	struct ws_session *ws = NULL;
	char user[SESSION_USER_MAX + 1];
	int rc;

	snprintf(user, sizeof(user), "%s", tui_field_text(&L.user));
	tui_busy(t, _("Logging in..."));
	rc = ws_login(t->opt->state_dir, user, ask, &a, &ws, &err);
	if (rc == 0) {
		login_forget(t);
		tui_login_done(t, ws);
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
	L.step = L_PASSWORD;
	if (rc == SESSHU_EAUTH)
		tui_message(t, 1, "%s", _("The user ID or password is wrong."));
	else
		tui_message(t, 1, _("Cannot log in: %s"), err.msg);
}

static struct tui_field *
current(void)
{
	switch (L.step) {
	case L_USER:
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

static int
login_key(struct tui *t, wint_t key)
{
	if (key == TUI_ESC) {
		/* Back to the start; nothing typed is kept. */
		tui_field_clear(&L.user);
		wipe_secrets();
		L.why[0] = '\0';
		L.step = L_USER;
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
	    _("New password again") };
	int y = tui_body_top(t) + 1, x = 4, lw = label_width(labels, 4);
	char line[512];
	size_t len, next;
	const char *why;

	tui_put(t, y, x, COLS - x, A_BOLD, _("Vaccination records workstation"));
	tui_put(t, y + 1, x, COLS - x, A_NORMAL, t->cfg.workstation_id);
	y += 3;
	draw_field(t, y, x, lw, labels[0], &L.user, L.step == L_USER);
	if (L.step >= L_PASSWORD)
		draw_field(t, y + 1, x, lw, labels[1], &L.password,
		    L.step == L_PASSWORD);
	y += 3;
	if (L.step >= L_NEW) {
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
		y += 3;
	}
	tui_put(t, tui_body_bottom(t), x, COLS - x, A_NORMAL,
	    L.step == L_USER ? _("Type your user ID and press Enter.") :
	    L.step == L_PASSWORD ? _("Type your password (or one-time activation "
	    "code) and press Enter. Esc: start again.") :
	    _("Type the new password twice. Esc: start again."));
}

const struct tui_screen tui_screen_login = {
	.name = "login",
	.title = N_("Log in"),
	.help = N_("Log in with your user ID and your password.\n\n"
	    "The first time you log in on this workstation it must reach the "
	    "register: type the one-time activation code you were given "
	    "instead of a password, then choose your own password and type it "
	    "twice. Later logins work offline too.\n\n"
	    "Enter moves to the next field and logs in; Esc starts again."),
	.keys = login_keys,
	.kind = TUI_SCREEN_LOGGED_OUT,
	.enter = login_enter,
	.draw = login_draw,
	.key = login_key,
	.forget = login_forget,
};
