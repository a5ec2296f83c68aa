/*
 * screen.h: what every screen provides, and what tui.c provides to the
 * screens. Internal to src/tui.
 *
 * A screen is one file (screen_*.c) ending with one struct tui_screen, like
 * tmux's cmd-*.c; tui.c lists them in one table and looks them up by name.
 * tui.c owns the frame (title line, message line, status line and the
 * function-key bar) and the keys every screen shares (F1 help, F9 log out,
 * F10 quit, F12 lock, Ctrl-L redraw); a screen draws the body between the
 * title and the message line and handles the rest of the keys.
 *
 * Every string a screen shows is a msgid passed through _() (i18n.h) and
 * drawn with tui_put(), which measures by display width and never lets a
 * control character reach the terminal. A screen that holds personal data
 * or a secret wipes it in forget(), which tui.c calls on every logout and
 * before it exits.
 */
#ifndef SESSHU_TUI_SCREEN_H
#define SESSHU_TUI_SCREEN_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdint.h>
#include <wchar.h>

#include <glib.h>

#include "auth/ws_settings.h"
#include "core/session.h"
#include "store/store.h"
#include "sync/account.h"
#include "tui/forms.h"
#include "tui/i18n.h"
#include "tui/tui.h"

/*
 * Keys as screens see them: a character is its code point; a curses
 * function key (KEY_F(n), KEY_BACKSPACE, ...) has TUI_KEY_FN set, because
 * curses' codes overlap code points (KEY_F(1) is 0411, U+0109) and a
 * password may hold any character.
 */
#define TUI_KEY_FN		0x40000000u
#define TUI_FN(code)		(TUI_KEY_FN | (wint_t)(code))
#define TUI_CTRL(c)		((wint_t)((c) & 0x1f))
#define TUI_ESC			((wint_t)0x1b)
#define TUI_IS_ENTER(k)		((k) == '\r' || (k) == '\n' || \
				 (k) == TUI_FN(KEY_ENTER))
#define TUI_IS_BACKSPACE(k)	((k) == 0x7f || (k) == 0x08 || \
				 (k) == TUI_FN(KEY_BACKSPACE))

/* The documented keys (help text, function-key bar, docs). */
#define TUI_KEY_HELP		TUI_FN(KEY_F(1))
#define TUI_KEY_LOGOUT		TUI_FN(KEY_F(9))
#define TUI_KEY_QUIT		TUI_FN(KEY_F(10))
#define TUI_KEY_LOCK		TUI_FN(KEY_F(12))
#define TUI_KEY_MENU		TUI_FN(KEY_F(11))
#define TUI_KEY_REDRAW		TUI_CTRL('L')

/* The smallest terminal the screens are laid out for. */
#define TUI_MIN_COLS		80
#define TUI_MIN_LINES		24

struct tui;
struct bgsync;

/* A function key a screen offers, for the bar: F<n> and its label msgid. */
struct tui_fkey {
	int		 n;
	const char	*label;
};

/* Which sessions a screen belongs to. */
enum tui_screen_kind {
	TUI_SCREEN_LOGGED_OUT,	/* login: nobody's data */
	TUI_SCREEN_LOCKED,	/* lock: nobody's data */
	TUI_SCREEN_WORK,	/* needs an active session; may show personal data */
	TUI_SCREEN_ANY,		/* help: shows only message ids */
};

struct tui_screen {
	const char		*name;		/* "person" */
	const char		*title;		/* msgid, translated at draw time */
	const char		*help;		/* msgid for F1 */
	const struct tui_fkey	*keys;		/* its own F-keys; { 0, NULL } ends */
	enum tui_screen_kind	 kind;
	/* The permission a work screen needs (core/permission.h), or -1. */
	int			 perm;
	/* Called when the screen becomes current; arg as tui_switch's. */
	int			 (*enter)(struct tui *, void *arg);
	/* Draws the body (lines tui_body_top() to tui_body_bottom()). */
	void			 (*draw)(struct tui *);
	/* A key the frame did not take; returns 1 when used. */
	int			 (*key)(struct tui *, wint_t key);
	/* Wipes what the screen holds of a person or a secret. May be NULL. */
	void			 (*forget)(struct tui *);
	/*
	 * Keeps an unsaved entry as an encrypted draft for the session's
	 * owner, before the session ends or is taken over. May be NULL.
	 */
	void			 (*save_draft)(struct tui *);
};

extern const struct tui_screen tui_screen_login;
extern const struct tui_screen tui_screen_lock;
extern const struct tui_screen tui_screen_enroll;
extern const struct tui_screen tui_screen_person;
extern const struct tui_screen tui_screen_help;
extern const struct tui_screen tui_screen_menu;
extern const struct tui_screen tui_screen_batches;
extern const struct tui_screen tui_screen_entry;
extern const struct tui_screen tui_screen_verify;
extern const struct tui_screen tui_screen_refused;
extern const struct tui_screen tui_screen_review;
extern const struct tui_screen tui_screen_password;

/* Opens the entry screen on a batch (screen_entry.c). */
int	tui_entry_open(struct tui *t, const char *batch_id);
/* Opens the entry screen on the user's draft; 1 when there was one. */
int	tui_entry_resume(struct tui *t);
/* Opens the verification of a batch (screen_verify.c). */
int	tui_verify_open(struct tui *t, const char *batch_id);

enum tui_net {
	TUI_NET_UNKNOWN,	/* no contact tried in this session */
	TUI_NET_ONLINE,		/* the last contact with the register worked */
	TUI_NET_OFFLINE,	/* the last contact failed */
};

struct tui {
	const struct tui_options *opt;
	struct ws_settings	 settings;
	struct ws_config	 cfg;		/* register.conf: the workstation ID */
	struct tui_forms	 forms;		/* forms, schedule (forms.h) */
	struct ws_session	*ws;		/* NULL when nobody is logged in */
	struct bgsync		*sync;		/* its background sync (bgsync.h) */
	struct session		 session;	/* core/session.h */

	const struct tui_screen	*screen;	/* current */
	const struct tui_screen	*work;		/* shown again after an unlock */
	const struct tui_screen	*help_from;	/* the screen F1 was pressed on */

	GMainLoop		*loop;
	guint			 session_timer;	/* the one timer of the session */
	guint			 clock_timer;	/* redraws the clock each minute */
	int			 quit;

	char			 message[512];	/* shown once, above the status line */
	int			 message_error;

	/* Status line, refreshed after login, sync and each minute. */
	enum tui_net		 net;
	long			 unsent;	/* -1: unknown */
	long			 refused;	/* parked after a refusal; -1: unknown */
	char			 last_sync[32];	/* local time, "" when never */

	/* Where the cursor goes after a redraw (a focused field). */
	int			 cursor_y, cursor_x, cursor_on;
};

/* Seconds of CLOCK_BOOTTIME: the session's clock (core/session.h). */
int64_t	tui_now(void);

/*
 * What a refusal says in the interface's language when it is one the
 * user meets at the keyboard (err->why), else err->msg; buf holds it.
 */
const char *tui_err_text(const struct sesshu_err *err, char *buf,
	    size_t size);

/* A role as the interface names it ("入力担当"). */
const char *tui_role_label(const char *role);

/* Whether the logged-in user's role has perm (enum core_perm; -1: any). */
int	tui_may(const struct tui *t, int perm);

/*
 * Makes the named screen current (calling its enter with arg). A work
 * screen whose permission the user's role lacks is refused, audited and
 * said on the message line: SESSHU_EDENIED, the screen unchanged.
 */
int	tui_switch(struct tui *t, const struct tui_screen *screen, void *arg);

/* Sets the message line (text already translated); "" clears it. */
void	tui_message(struct tui *t, int error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Draws s at (y, x) as exactly cols columns (cut and padded). */
void	tui_put(struct tui *t, int y, int x, int cols, attr_t attr,
	    const char *s);

/* Puts the cursor at (y, x) after this redraw. */
void	tui_cursor(struct tui *t, int y, int x);

/* The body: lines top..bottom inclusive, columns 0..COLS-1. */
int	tui_body_top(const struct tui *t);
int	tui_body_bottom(const struct tui *t);

/* Shows msg and flushes the screen before a call that blocks. */
void	tui_busy(struct tui *t, const char *msg);

/* Draws the screen now, for a change that came from no key (a reader's event). */
void	tui_redraw(struct tui *t);

/* Re-reads the unsent count and last sync time for the status line. */
void	tui_status_refresh(struct tui *t);

/*
 * Session transitions the screens ask for, each after verifying who is
 * at the keyboard; they apply the state machine's actions (screen, audit,
 * logout) and return its status.
 */
int	tui_login_done(struct tui *t, struct ws_session *ws);	/* takes ws */
int	tui_unlock(struct tui *t, const char *user);
int	tui_takeover(struct tui *t, const char *other_user);

/* Appends to the logged-in user's audit trail; failures reach the message line. */
void	tui_audit(struct tui *t, const char *action, const char *object,
	    const char *outcome);

#endif
