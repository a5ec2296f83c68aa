/*
 * tui.c: the frame of the interface: the terminal, the main loop, the
 * session state machine and the screen table; see tui.h and screen.h.
 *
 * One GLib main loop (ARCHITECTURE §5) watches the terminal (stdin),
 * SIGWINCH, SIGTERM, SIGINT and SIGHUP (g_unix_signal_add, installed
 * before curses starts so that curses leaves SIGWINCH to us), and runs
 * two timers: the session's one timer, always armed at
 * session_next_deadline() and re-armed after every input, and a display
 * timer that redraws the clock each minute. While someone is logged in it
 * also receives the background sync's reports (bgsync.h), which set the
 * status line and end a session the register has revoked; F5 only wakes
 * that thread, so no key ever waits for the network. Every keystroke goes to
 * session_activity() before anything else, so a key that arrives after
 * the idle deadline locks the screen instead of reaching the work screen.
 *
 * The terminal is put in raw mode rather than cbreak: Ctrl-Z, Ctrl-C and
 * Ctrl-\ become plain keys, so nobody can stop or kill the program with a
 * resident's data left on the screen. Curses draws on the terminal's
 * alternate screen, which keeps no scrollback; a terminal without one is
 * refused. On lock and on exit the screen is cleared and the cleared
 * screen is flushed before anything else is drawn.
 */
#include "tui/screen.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>

#include "core/permission.h"
#include "store/audit.h"
#include "sync/replicate.h"
#include "sync/ws_refused.h"
#include "tui/bgsync.h"
#include "tui/text.h"

/* Every screen, one entry each: a logout reaches each one's forget(). */
static const struct tui_screen *const screens[] = {
	&tui_screen_login,
	&tui_screen_lock,
	&tui_screen_enroll,
	&tui_screen_person,
	&tui_screen_help,
	&tui_screen_menu,
	&tui_screen_batches,
	&tui_screen_entry,
	&tui_screen_verify,
	&tui_screen_refused,
	&tui_screen_review,
	&tui_screen_password,
};

#define NSCREENS	(sizeof(screens) / sizeof(screens[0]))

/* Keys of the frame, for the bar (screen keys come between F1 and F9). */
#define FKEY_SYNC	5
#define TUI_KEY_SYNC	TUI_FN(KEY_F(FKEY_SYNC))

static void	redraw(struct tui *);
static void	arm_session_timer(struct tui *);
static void	start_sync(struct tui *);

int64_t
tui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec;
}

void
tui_message(struct tui *t, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->message, sizeof(t->message), fmt, ap);
	va_end(ap);
	t->message_error = error;
}

int
tui_switch(struct tui *t, const struct tui_screen *screen, void *arg)
{
	char object[64];

	/* C6: a screen the user's role may not use is refused, and said. */
	if (screen->kind == TUI_SCREEN_WORK && !tui_may(t, screen->perm)) {
		snprintf(object, sizeof(object), "screen:%s", screen->name);
		tui_audit(t, "screen.open", object, "refused: role");
		tui_message(t, 1, _("Your role (%s) does not allow this work."),
		    t->ws != NULL ? tui_role_label(t->ws->role) : "-");
		return SESSHU_EDENIED;
	}
	t->screen = screen;
	t->message[0] = '\0';
	return screen->enter != NULL ? screen->enter(t, arg) : 0;
}

const char *
tui_err_text(const struct sesshu_err *err, char *buf, size_t size)
{
	switch (err->why) {
	case SESSHU_WHY_LOCKED_OUT:
		snprintf(buf, size, _("this user ID is locked after too many "
		    "failed logins, until %s"), err->detail);
		return buf;
	case SESSHU_WHY_OFFLINE_TOO_LONG:
		snprintf(buf, size, _("this workstation has not reached the "
		    "register for %s hours: connect it to the network and sync"),
		    err->detail);
		return buf;
	case SESSHU_WHY_NEVER_CONTACTED:
		snprintf(buf, size, "%s", _("this workstation has never reached "
		    "the register: connect it to the network and sync"));
		return buf;
	case SESSHU_WHY_NEEDS_REASON:
		snprintf(buf, size, "%s", _("give the reason"));
		return buf;
	case SESSHU_WHY_OWN_CHANGE:
		snprintf(buf, size, "%s", _("this is your own change: another "
		    "person decides it"));
		return buf;
	case SESSHU_WHY_ROLE:
		snprintf(buf, size, _("your role (%s) does not allow it"),
		    tui_role_label(err->detail));
		return buf;
	case SESSHU_WHY_NOT_APPROVABLE:
		snprintf(buf, size, "%s", _("a refusal by the register's rules "
		    "cannot be approved; reject it with the reason"));
		return buf;
	case SESSHU_WHY_DECIDED:
		snprintf(buf, size, "%s", _("it has been decided already"));
		return buf;
	default:
		return err->msg;
	}
}

int
tui_may(const struct tui *t, int perm)
{
	return perm < 0 || (t->ws != NULL &&
	    core_role_may(t->ws->role, (enum core_perm)perm));
}

void
tui_put(struct tui *t, int y, int x, int cols, attr_t attr, const char *s)
{
	char buf[4096];

	(void)t;
	if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + cols > COLS)
		cols = COLS - x;
	if ((size_t)cols * 4 >= sizeof(buf))
		cols = (int)(sizeof(buf) / 4) - 1;
	tui_text_pad(buf, sizeof(buf), s, (size_t)cols);
	attrset(attr);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
}

void
tui_cursor(struct tui *t, int y, int x)
{
	t->cursor_y = y;
	t->cursor_x = x;
	t->cursor_on = 1;
}

int
tui_body_top(const struct tui *t)
{
	(void)t;
	return 2;
}

int
tui_body_bottom(const struct tui *t)
{
	(void)t;
	return LINES - 4;
}

static int
too_small(void)
{
	return COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES;
}

/* Clears the terminal itself, not only curses' picture of it. */
static void
wipe_terminal(void)
{
	wclear(stdscr);
	wnoutrefresh(stdscr);
	doupdate();
}

const char *
tui_role_label(const char *role)
{
	static const struct { const char *role, *label; } roles[] = {
		{ "clerk", N_("clerk") },
		{ "verifier", N_("verifier") },
		{ "supervisor", N_("supervisor") },
		{ "is-admin", N_("IS administrator") },
		{ "auditor", N_("auditor") },
	};

	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i].role) == 0)
			return _(roles[i].label);
	return role;
}

/* The unsent count and the last sync (0: never) as the status line shows them. */
static void
status_set(struct tui *t, long unsent, time_t when)
{
	struct tm tm, today;
	time_t now = time(NULL);

	t->unsent = unsent;
	/* The register's refusals are counted apart, and always shown. */
	if (t->ws == NULL || ws_refused_count(t->ws->st, &t->refused, NULL) != 0)
		t->refused = -1;
	t->last_sync[0] = '\0';
	if (when != 0 && localtime_r(&when, &tm) != NULL &&
	    localtime_r(&now, &today) != NULL)
		/* The time alone when it was today, else the date too. */
		strftime(t->last_sync, sizeof(t->last_sync), tm.tm_yday ==
		    today.tm_yday && tm.tm_year == today.tm_year ? "%H:%M" :
		    "%m-%d %H:%M", &tm);
}

void
tui_status_refresh(struct tui *t)
{
	static const char sql[] =
	    "SELECT value FROM sync_state WHERE key = 'last_contact'";
	sqlite3_stmt *stmt;
	time_t when = 0;
	long unsent = -1;

	if (t->ws == NULL) {
		status_set(t, -1, 0);
		return;
	}
	if (ws_outbox_pending(t->ws->st, &unsent, NULL) != 0)
		unsent = -1;
	if (store_prepare(t->ws->st, sql, &stmt, NULL) == 0) {
		if (sqlite3_step(stmt) != SQLITE_ROW ||
		    store_time_parse((const char *)sqlite3_column_text(stmt, 0),
		    &when) != 0)
			when = 0;
		store_stmt_done(stmt);
	}
	status_set(t, unsent, when);
}

/*
 * The status line: user (role), workstation, online or offline, unsent
 * changes, last sync, and the clock at the right, in 80 columns for user
 * IDs of ordinary length; a longer line loses its end, never the clock.
 */
static void
draw_status(struct tui *t, int y)
{
	char left[1024], clock[32], unsent[160], sync[96];
	const char *net;
	struct tm tm;
	time_t now = time(NULL);
	int cw;

	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), " %H:%M ", &tm);
	switch (t->net) {
	case TUI_NET_ONLINE:
		net = _("online");
		break;
	case TUI_NET_OFFLINE:
		net = _("offline");
		break;
	default:
		net = _("not checked");
		break;
	}
	if (t->ws != NULL) {
		if (t->unsent >= 0)
			snprintf(unsent, sizeof(unsent), _("unsent %ld"), t->unsent);
		else
			snprintf(unsent, sizeof(unsent), "%s", _("unsent ?"));
		if (t->last_sync[0] != '\0')
			snprintf(sync, sizeof(sync), _("synced %s"), t->last_sync);
		else
			snprintf(sync, sizeof(sync), "%s", _("not synced yet"));
		if (t->refused > 0) {
			size_t len = strlen(unsent);

			snprintf(unsent + len, sizeof(unsent) - len,
			    _(" (refused %ld: menu 4)"), t->refused);
		}
		snprintf(left, sizeof(left), " %s (%s)  %s  %s  %s  %s",
		    t->ws->user_id, tui_role_label(t->ws->role),
		    t->cfg.workstation_id, net, unsent, sync);
	} else
		snprintf(left, sizeof(left), " %s  %s", t->cfg.workstation_id,
		    _("not logged in"));
	cw = (int)tui_text_width(clock);
	tui_put(t, y, 0, COLS - cw, A_REVERSE, left);
	tui_put(t, y, COLS - cw, cw, A_REVERSE, clock);
}

/* One "Fn label" of the bar at *x; returns 0 when it no longer fits. */
static int
draw_fkey(struct tui *t, int y, int *x, int n, const char *label)
{
	char num[8];
	int nw, lw;

	snprintf(num, sizeof(num), "F%d", n);
	nw = (int)strlen(num);
	lw = (int)tui_text_width(label);
	if (*x + nw + 1 + lw > COLS)
		return 0;
	tui_put(t, y, *x, nw, A_REVERSE, num);
	tui_put(t, y, *x + nw, lw + 1, A_NORMAL, "");
	tui_put(t, y, *x + nw + 1, lw, A_NORMAL, label);
	*x += nw + 1 + lw + 2;
	return 1;
}

static void
draw_fkeys(struct tui *t, int y)
{
	enum session_state st = session_state(&t->session);
	int x = 0;

	if (!draw_fkey(t, y, &x, 1, _("Help")))
		return;
	if (t->screen->keys != NULL)
		for (const struct tui_fkey *k = t->screen->keys; k->n != 0; k++)
			if (!draw_fkey(t, y, &x, k->n, _(k->label)))
				return;
	if (st == SESSION_ACTIVE) {
		if (!draw_fkey(t, y, &x, FKEY_SYNC, _("Sync")) ||
		    !draw_fkey(t, y, &x, 9, _("Log out")))
			return;
	}
	if (st != SESSION_LOCKED && !draw_fkey(t, y, &x, 10, _("Quit")))
		return;
	if (st == SESSION_ACTIVE)
		draw_fkey(t, y, &x, 12, _("Lock"));
}

static void
redraw(struct tui *t)
{
	char title[512], msg[256];

	erase();
	t->cursor_on = 0;
	if (too_small()) {
		snprintf(msg, sizeof(msg), _("Enlarge the terminal to at least "
		    "%dx%d (it is %dx%d now)."), TUI_MIN_COLS, TUI_MIN_LINES,
		    COLS, LINES);
		tui_put(t, LINES / 2, 0, COLS, A_BOLD, msg);
	} else {
		snprintf(title, sizeof(title), " sesshu | %s", _(t->screen->title));
		tui_put(t, 0, 0, COLS, A_REVERSE, title);
		t->screen->draw(t);
		tui_put(t, LINES - 3, 0, COLS, t->message_error ? A_BOLD : A_NORMAL,
		    t->message);
		draw_status(t, LINES - 2);
		draw_fkeys(t, LINES - 1);
	}
	if (t->cursor_on && !too_small()) {
		move(t->cursor_y, t->cursor_x);
		curs_set(1);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

void
tui_busy(struct tui *t, const char *msg)
{
	tui_message(t, 0, "%s", msg);
	redraw(t);
}

void
tui_redraw(struct tui *t)
{
	if (!t->quit)
		redraw(t);
}

static void
forget_all(struct tui *t)
{
	for (size_t i = 0; i < NSCREENS; i++)
		if (screens[i]->forget != NULL)
			screens[i]->forget(t);
}

/* Writes one of the state machine's audit events, stamped when it happened. */
static void
audit_session_event(struct tui *t, const struct session_audit_event *ev,
    int64_t now)
{
	char object[64], outcome[128], at[STORE_TIME_LEN];
	struct sesshu_err err = { 0 };
	struct audit_event ae;
	int rc;

	/* ws_login() already wrote "login" with online or offline. */
	if (ev->what == SESSION_AUDIT_LOGIN || t->ws == NULL)
		return;
	snprintf(object, sizeof(object), "user:%s", ev->user);
	if (ev->other[0] != '\0')
		snprintf(outcome, sizeof(outcome), "%s by %s",
		    session_audit_outcome(ev->what), ev->other);
	else
		snprintf(outcome, sizeof(outcome), "%s",
		    session_audit_outcome(ev->what));
	ae.user_id = t->ws->user_id;
	ae.workstation_id = t->ws->cfg.workstation_id;
	ae.action = session_audit_action(ev->what);
	ae.object = object;
	ae.outcome = outcome;
	/* A timeout found late (after a suspend) is dated at its deadline. */
	if (ev->at < now) {
		store_time_utc(time(NULL) - (time_t)(now - ev->at), at, sizeof(at));
		rc = audit_append_at(t->ws->st, &ae, at, &err);
	} else
		rc = audit_append(t->ws->st, &ae, &err);
	if (rc != 0)
		tui_message(t, 1, _("The audit trail could not be written: %s"),
		    err.msg);
}

void
tui_audit(struct tui *t, const char *action, const char *object,
    const char *outcome)
{
	struct sesshu_err err = { 0 };

	if (t->ws != NULL && ws_audit(t->ws, action, object, outcome, &err) != 0)
		tui_message(t, 1, _("The audit trail could not be written: %s"),
		    err.msg);
}

/* Closes the session's store and wipes what the screens held. */
static void
end_session(struct tui *t)
{
	/*
	 * Whatever ends it (F9, F10, a signal, a timeout, a takeover), an
	 * unsaved sheet is kept for its owner before anything is wiped.
	 */
	for (size_t i = 0; t->ws != NULL && i < NSCREENS; i++)
		if (screens[i]->save_draft != NULL)
			screens[i]->save_draft(t);
	/* The sync thread's connection closes before the session's. */
	bgsync_stop(t->sync);
	t->sync = NULL;
	forget_all(t);
	ws_session_close(t->ws);
	t->ws = NULL;
	t->work = NULL;
	t->net = TUI_NET_UNKNOWN;
	tui_status_refresh(t);
}

/*
 * Performs a step's actions in the order session.h gives: clear, lock
 * screen or restore, save draft, audit, log out.
 */
static void
apply(struct tui *t, const struct session_step *step, int64_t now)
{
	const char *note = NULL;
	char other[SESSION_USER_MAX + 1] = "";

	if (step->actions & SESSION_CLEAR_SCREEN)
		wipe_terminal();
	if (step->actions & SESSION_LOCK_SCREEN) {
		/* Help over a work screen goes back to it after the unlock. */
		if (t->screen == &tui_screen_help)
			t->work = t->help_from->kind == TUI_SCREEN_WORK ?
			    t->help_from : NULL;
		else if (t->screen->kind == TUI_SCREEN_WORK)
			t->work = t->screen;
		tui_switch(t, &tui_screen_lock, NULL);
	}
	if (step->actions & SESSION_RESTORE_SCREEN) {
		/* Back to the screen as it was: its state was kept. */
		t->screen = t->work != NULL ? t->work : &tui_screen_menu;
		t->message[0] = '\0';
	}
	/* The session ends or changes hands: unsaved sheets become drafts. */
	if (step->actions & SESSION_SAVE_DRAFT)
		for (size_t i = 0; t->ws != NULL && i < NSCREENS; i++)
			if (screens[i]->save_draft != NULL)
				screens[i]->save_draft(t);
	for (int i = 0; i < step->nevents; i++) {
		audit_session_event(t, &step->events[i], now);
		switch (step->events[i].what) {
		case SESSION_AUDIT_LOGOUT_LOCKED:
			note = N_("The session ended: the screen was locked too long.");
			break;
		case SESSION_AUDIT_LOGOUT_LIMIT:
			note = N_("The session ended: it reached its time limit.");
			break;
		case SESSION_AUDIT_TAKEOVER:
			snprintf(other, sizeof(other), "%s", step->events[i].user);
			break;
		default:
			break;
		}
	}
	if (step->actions & SESSION_LOGOUT) {
		end_session(t);
		tui_switch(t, &tui_screen_login, NULL);
		if (note != NULL)
			tui_message(t, 0, "%s", _(note));
		else if (other[0] != '\0')
			tui_message(t, 0, _("The session of %s was ended."), other);
	}
}

int
tui_login_done(struct tui *t, struct ws_session *ws)
{
	struct sesshu_err err = { 0 };
	struct session_step step;
	int64_t now = tui_now();
	int rc;

	rc = session_login(&t->session, ws->user_id, now, &step, &err);
	if (rc != 0) {
		ws_session_close(ws);
		tui_message(t, 1, _("Cannot log in: %s"), err.msg);
		return rc;
	}
	t->ws = ws;
	t->net = ws->online_login ? TUI_NET_ONLINE : TUI_NET_UNKNOWN;
	apply(t, &step, now);
	tui_status_refresh(t);
	arm_session_timer(t);
	/* An unsaved sheet of the last session comes back first. */
	if ((rc = tui_entry_resume(t)) == 0)
		rc = tui_switch(t, &tui_screen_menu, NULL);
	else if (rc == 1)
		rc = 0;
	/* Shown at every login in the last days (C3); enforced when it is due. */
	if (rc == 0 && ws->password_expires_soon)
		tui_message(t, 0, _("Your password expires on %.10s. After that "
		    "date a login asks you for a new one; menu 6 changes it now."),
		    ws->password_expires_at);
	start_sync(t);
	return rc;
}

int
tui_unlock(struct tui *t, const char *user)
{
	struct sesshu_err err = { 0 };
	struct session_step step;
	int64_t now = tui_now();
	int rc;

	rc = session_unlock(&t->session, user, now, &step, &err);
	apply(t, &step, now);
	arm_session_timer(t);
	return rc;
}

int
tui_takeover(struct tui *t, const char *other_user)
{
	char other[SESSION_USER_MAX + 1], note[sizeof(t->message)];
	struct sesshu_err err = { 0 };
	struct session_step step;
	int64_t now = tui_now();
	int rc;

	/* A copy: the logout wipes the lock screen's field it came from. */
	snprintf(other, sizeof(other), "%s", other_user);
	rc = session_takeover(&t->session, other, now, &step, &err);
	apply(t, &step, now);
	arm_session_timer(t);
	if (rc == 0) {
		snprintf(note, sizeof(note), "%s", t->message);
		tui_switch(t, &tui_screen_login, other);
		tui_message(t, 0, "%s", note);
	}
	return rc;
}

static void
lock_now(struct tui *t)
{
	struct session_step step;
	int64_t now = tui_now();

	/* Refused only when logged out; the step is filled either way. */
	session_lock_now(&t->session, now, &step, NULL);
	apply(t, &step, now);
	arm_session_timer(t);
}

/* The user logs out (F9, F10): only an active session. */
static void
logout_user(struct tui *t)
{
	struct session_step step;
	int64_t now = tui_now();

	session_logout(&t->session, now, &step, NULL);
	apply(t, &step, now);
	arm_session_timer(t);
}

/*
 * A signal or a lost terminal ends the program in any state, locked
 * included (the state machine has no input for that): the logout is
 * audited with the reason, then the session ends as any other.
 */
static void
stop(struct tui *t, const char *why)
{
	struct session_limits limits = t->session.limits;
	char object[64], outcome[96];

	if (t->ws != NULL) {
		snprintf(object, sizeof(object), "user:%s", t->ws->user_id);
		snprintf(outcome, sizeof(outcome), "ok: %s", why);
		tui_audit(t, "session.logout", object, outcome);
		end_session(t);
		session_init(&t->session, &limits, NULL);
	}
	t->quit = 1;
	g_main_loop_quit(t->loop);
}

/*
 * The register has taken the session away (a report of bgsync.h): it
 * ends at once, in any state, locked included, as stop() ends it, and the
 * login screen says why. why goes to the audit trail; note is a msgid.
 */
static void
end_revoked(struct tui *t, const char *why, const char *note)
{
	struct session_limits limits = t->session.limits;
	char object[64], outcome[96];

	snprintf(object, sizeof(object), "user:%s", t->ws->user_id);
	snprintf(outcome, sizeof(outcome), "ok: revoked: %s", why);
	tui_audit(t, "session.logout", object, outcome);
	wipe_terminal();
	end_session(t);
	session_init(&t->session, &limits, NULL);
	arm_session_timer(t);
	tui_switch(t, &tui_screen_login, NULL);
	tui_message(t, 1, "%s", _(note));
}

/* A report of the background sync, on the main loop (bgsync.h). */
static void
on_sync_report(void *ctx, const struct bgsync_report *r)
{
	struct tui *t = ctx;
	enum tui_net was = t->net;

	if (t->ws == NULL)
		return;
	switch (r->outcome) {
	case BGSYNC_USER_REVOKED:
		end_revoked(t, "key slot removed at the last sync",
		    N_("Session ended: your ID was disabled or revoked, or its "
		    "password changed."));
		redraw(t);
		return;
	case BGSYNC_WS_REVOKED:
		end_revoked(t, "workstation revoked",
		    N_("Session ended: the register has revoked this "
		    "workstation."));
		redraw(t);
		return;
	case BGSYNC_ONLINE:
		t->net = TUI_NET_ONLINE;
		break;
	case BGSYNC_OFFLINE:
		t->net = TUI_NET_OFFLINE;
		break;
	}
	status_set(t, r->unsent, r->last_contact);
	/*
	 * F5's answer; otherwise only a failure that is not the register
	 * being away (that the status line shows), once, not every interval.
	 */
	if (r->requested && r->status == 0)
		tui_message(t, 0, _("Synchronized: sent %ld, received %ld."),
		    r->counts.pushed, r->counts.pulled);
	else if (r->status != 0 && (r->requested ||
	    (r->status != SESSHU_EIO && was != TUI_NET_OFFLINE)))
		tui_message(t, 1, _("Synchronization failed: %s"), r->error);
	redraw(t);
}

/* Starts the background sync of the session just logged in. */
static void
start_sync(struct tui *t)
{
	struct sesshu_err err = { 0 };

	if (bgsync_start(&t->sync, t->ws,
	    bgsync_interval(t->settings.interval_seconds), on_sync_report, t,
	    &err) != 0)
		tui_message(t, 1, _("The background sync could not start: %s"),
		    err.msg);
}

/* F5: a sync now, by the sync thread; its report gives the result. */
static void
sync_now(struct tui *t)
{
	if (t->sync == NULL)
		start_sync(t);		/* it syncs as it starts */
	else
		bgsync_wake(t->sync);
	if (t->sync != NULL)
		tui_message(t, 0, "%s", _("Synchronizing with the register..."));
}

static void
handle_key(struct tui *t, wint_t key)
{
	enum session_state st = session_state(&t->session);
	const struct tui_screen *before = t->screen;
	struct session_step step;
	int64_t now;

	if (key == TUI_FN(KEY_RESIZE))
		return;
	if (st != SESSION_LOGGED_OUT) {
		now = tui_now();
		session_activity(&t->session, now, &step);
		apply(t, &step, now);
		arm_session_timer(t);
		/* A timeout fell due first: the key is not for the new screen. */
		if (step.actions != 0 || t->screen != before)
			return;
		st = session_state(&t->session);
	}
	if (key == TUI_KEY_REDRAW) {
		clearok(curscr, TRUE);
		return;
	}
	if (key == TUI_KEY_LOCK) {
		if (st == SESSION_ACTIVE)
			lock_now(t);
		return;
	}
	if (key == TUI_KEY_QUIT) {
		if (st == SESSION_LOCKED)
			tui_message(t, 1, "%s", _("Unlock the screen first, or end "
			    "the session as another user (F3)."));
		else {
			if (st == SESSION_ACTIVE)
				logout_user(t);
			t->quit = 1;
			g_main_loop_quit(t->loop);
		}
		return;
	}
	if (too_small())
		return;		/* nothing else is typed blind */
	if (key == TUI_KEY_HELP) {
		if (t->screen != &tui_screen_help)
			tui_switch(t, &tui_screen_help, (void *)t->screen);
		else
			t->screen->key(t, TUI_ESC);
		return;
	}
	if (st == SESSION_ACTIVE && key == TUI_KEY_LOGOUT) {
		logout_user(t);
		return;
	}
	if (st == SESSION_ACTIVE && key == TUI_KEY_MENU &&
	    t->screen->kind == TUI_SCREEN_WORK) {
		tui_switch(t, &tui_screen_menu, NULL);
		return;
	}
	if (st == SESSION_ACTIVE && key == TUI_KEY_SYNC) {
		sync_now(t);
		return;
	}
	if (t->screen->key != NULL && t->screen->key(t, key) < 0)
		beep();
}

static gboolean
on_stdin(gint fd, GIOCondition cond, gpointer data)
{
	struct tui *t = data;
	wint_t wch;
	int rc;

	(void)fd;
	if (cond & (G_IO_HUP | G_IO_ERR | G_IO_NVAL)) {
		/* The loop ends; tui_run() removes this source. */
		stop(t, "terminal closed");
		return G_SOURCE_CONTINUE;
	}
	while (!t->quit && (rc = wget_wch(stdscr, &wch)) != ERR) {
		handle_key(t, rc == KEY_CODE_YES ? TUI_FN(wch) : wch);
		wch = 0;	/* it may have been a character of a password */
	}
	if (!t->quit)
		redraw(t);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_session_timer(gpointer data)
{
	struct tui *t = data;
	struct session_step step;
	int64_t now = tui_now();

	t->session_timer = 0;
	session_tick(&t->session, now, &step);
	apply(t, &step, now);
	arm_session_timer(t);
	redraw(t);
	return G_SOURCE_REMOVE;
}

static void
arm_session_timer(struct tui *t)
{
	struct timespec ts;
	int64_t deadline, ms;

	if (t->session_timer != 0) {
		g_source_remove(t->session_timer);
		t->session_timer = 0;
	}
	clock_gettime(CLOCK_BOOTTIME, &ts);
	deadline = session_next_deadline(&t->session, (int64_t)ts.tv_sec);
	if (deadline == SESSION_NO_DEADLINE)
		return;
	/* Just past the deadline's second: session_tick() then sees it due. */
	ms = (deadline - (int64_t)ts.tv_sec) * 1000 - ts.tv_nsec / 1000000 + 5;
	if (ms < 0)
		ms = 0;
	if (ms > (int64_t)G_MAXUINT)
		ms = G_MAXUINT;
	t->session_timer = g_timeout_add_full(G_PRIORITY_DEFAULT, (guint)ms,
	    on_session_timer, t, NULL);
}

static gboolean
on_clock(gpointer data)
{
	struct tui *t = data;
	struct timespec ts;

	tui_status_refresh(t);
	redraw(t);
	/* Next at the start of the next minute. */
	clock_gettime(CLOCK_REALTIME, &ts);
	t->clock_timer = g_timeout_add_full(G_PRIORITY_LOW,
	    (guint)((60 - ts.tv_sec % 60) * 1000 - ts.tv_nsec / 1000000 + 5),
	    on_clock, t, NULL);
	return G_SOURCE_REMOVE;
}

static gboolean
on_winch(gpointer data)
{
	struct tui *t = data;
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	redraw(t);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm(gpointer data)
{
	stop(data, "SIGTERM");
	return G_SOURCE_CONTINUE;
}

static gboolean
on_sigint(gpointer data)
{
	stop(data, "SIGINT");
	return G_SOURCE_CONTINUE;
}

static gboolean
on_sighup(gpointer data)
{
	stop(data, "SIGHUP");
	return G_SOURCE_CONTINUE;
}

/* sesshu draws kanji and kana: it needs a UTF-8 character set. */
static int
utf8_locale(struct sesshu_err *err)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 0;
	if (setlocale(LC_CTYPE, "C.UTF-8") != NULL &&
	    strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 0;
	return sesshu_err_set(err, SESSHU_EINVAL, "the locale's character set "
	    "is not UTF-8 and C.UTF-8 is not available: set LANG to a UTF-8 "
	    "locale such as ja_JP.UTF-8");
}

static int
start_curses(SCREEN **scr, struct sesshu_err *err)
{
	const char *term = getenv("TERM");
	char *smcup;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return sesshu_err_set(err, SESSHU_EINVAL, "sesshu needs a terminal "
		    "on its standard input and output");
	if ((*scr = newterm(NULL, stdout, stdin)) == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "cannot use the terminal "
		    "type %s", term != NULL ? term : "(TERM is not set)");
	/*
	 * Without an alternate screen what was shown would stay in the
	 * terminal's scrollback after a lock or an exit (C5).
	 */
	smcup = tigetstr("smcup");
	if (smcup == NULL || smcup == (char *)-1 || smcup[0] == '\0') {
		endwin();
		delscreen(*scr);
		*scr = NULL;
		return sesshu_err_set(err, SESSHU_EINVAL, "the terminal type %s has "
		    "no alternate screen, so the screen could reach its scrollback; "
		    "use a terminal such as xterm, or tmux or screen", term != NULL ?
		    term : "(TERM is not set)");
	}
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	return 0;
}

/*
 * While the screen is ours, nothing else may write to the terminal: a
 * library's warning (libfprint logs through GLib) would scribble over the
 * screen, and could outlive a screen lock. Messages are dropped; errors
 * that matter reach the user through the screens' own messages.
 */
static GLogWriterOutput
quiet_log_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
    gpointer data)
{
	(void)level;
	(void)fields;
	(void)n;
	(void)data;
	return G_LOG_WRITER_HANDLED;
}

int
tui_run(const struct tui_options *opt, struct sesshu_err *err)
{
	struct session_limits limits;
	struct tui t;
	SCREEN *scr = NULL;
	guint sources[5];
	int rc, n = 0;

	memset(&t, 0, sizeof(t));
	t.opt = opt;
	t.unsent = -1;
	if ((rc = utf8_locale(err)) != 0 ||
	    (rc = ws_settings_load(opt->config, opt->config == NULL, &t.settings,
	    err)) != 0)
		return rc;
	/* A broken form stops the start, naming its file and field. */
	if ((rc = tui_forms_load(t.settings.forms_dir, &t.forms, err)) != 0)
		return rc;
	if ((rc = ws_config_load(opt->state_dir, &t.cfg, err)) != 0 ||
	    (ws_settings_session_limits(&t.settings, &limits),
	    rc = session_init(&t.session, &limits, err)) != 0) {
		/* ws_config_load's message names the file and sesshu provision. */
		tui_forms_free(&t.forms);
		return rc;
	}
	tui_i18n_init(t.settings.language);

	g_log_set_writer_func(quiet_log_writer, NULL, NULL);
	t.loop = g_main_loop_new(NULL, FALSE);
	/* Before newterm(): curses then leaves SIGWINCH to GLib. */
	sources[n++] = g_unix_signal_add(SIGWINCH, on_winch, &t);
	sources[n++] = g_unix_signal_add(SIGTERM, on_sigterm, &t);
	sources[n++] = g_unix_signal_add(SIGINT, on_sigint, &t);
	sources[n++] = g_unix_signal_add(SIGHUP, on_sighup, &t);
	if ((rc = start_curses(&scr, err)) != 0) {
		for (int i = 0; i < n; i++)
			g_source_remove(sources[i]);
		g_main_loop_unref(t.loop);
		tui_forms_free(&t.forms);
		return rc;
	}
	sources[n++] = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
	    on_stdin, &t);
	tui_switch(&t, &tui_screen_login, NULL);
	on_clock(&t);		/* draws, and arms the clock */
	g_main_loop_run(t.loop);

	/* Whatever ended the loop, nobody stays logged in. */
	if (t.ws != NULL)
		stop(&t, "quit");
	forget_all(&t);
	for (int i = 0; i < n; i++)
		g_source_remove(sources[i]);
	if (t.session_timer != 0)
		g_source_remove(t.session_timer);
	if (t.clock_timer != 0)
		g_source_remove(t.clock_timer);
	wipe_terminal();
	endwin();
	delscreen(scr);
	g_main_loop_unref(t.loop);
	tui_forms_free(&t.forms);
	return 0;
}
