/*
 * session.h: the workstation session as a state machine: who is logged in,
 * when the screen locks, when a locked or long session ends (C1, C5).
 *
 * Pure: no clock is read, no screen is touched, nothing is written. Every
 * input takes the time as an argument (seconds of a monotonic clock) and
 * returns the new state with the actions the caller must perform and the
 * audit events it must record. The caller verifies passwords and
 * fingerprints before calling session_unlock() or session_login(): this
 * module decides *whether* a session may change state, never *who* someone
 * is. It must never read the clock, sleep or do I/O.
 *
 * The clock. Use CLOCK_BOOTTIME (it keeps counting while a laptop is
 * suspended, so a resumed laptop locks at once) rather than CLOCK_MONOTONIC
 * (which stops) or the wall clock (which an administrator or NTP can move).
 * A time earlier than the latest one seen is treated as "no time has
 * passed": it never unlocks, extends or revives anything.
 *
 * Timeouts. Every input but login (accepted only when logged out, where no
 * timer runs) first applies the timeouts that fell due up to `now`, in the
 * order in which they fell due, each at its own deadline rather than at
 * `now`:
 *	1. idle lock:	ACTIVE and no activity for idle_timeout -> LOCKED
 *	2. locked too long: LOCKED for lock_logout -> LOGGED_OUT
 *	3. session limit: max_session after login, from any state -> LOGGED_OUT
 * When a jump in time passes several deadlines, the session goes through
 * each: after a long suspend it is first locked (at the idle deadline), then
 * logged out (at the lock deadline), unless the session limit came first.
 * When two deadlines fall on the same second, the session limit wins, so
 * the trail names the stronger reason. A deadline is reached at exactly
 * its second: idle_timeout seconds after the last keystroke the screen is
 * locked; one second earlier it is not.
 *
 * Only after that is the input itself applied, so a keystroke that arrives
 * after the idle deadline (a late timer) locks the screen instead of
 * resetting the timer, and must not reach the work screen.
 */
#ifndef SESSHU_CORE_SESSION_H
#define SESSHU_CORE_SESSION_H

#include <stdint.h>

#include "core/err.h"

#define SESSION_USER_MAX	32	/* bytes; as the register's user IDs */
#define SESSION_NO_DEADLINE	INT64_MAX

/* Defaults (docs/CONFIG.md, [session]). */
#define SESSION_IDLE_DEFAULT		300
#define SESSION_LOCK_LOGOUT_DEFAULT	1800
#define SESSION_MAX_DEFAULT		36000

enum session_state {
	SESSION_LOGGED_OUT,
	SESSION_ACTIVE,
	SESSION_LOCKED,
};

/*
 * What the caller must do, as bits of session_step.actions. When several
 * are set, perform them in this order: clear, lock screen or restore,
 * save draft, write the audit events, log out (closing the store last,
 * since drafts and audit entries go into it).
 */
#define SESSION_CLEAR_SCREEN	0x01	/* wipe the alternate screen, no scrollback */
#define SESSION_LOCK_SCREEN	0x02	/* show the lock screen: no personal data */
#define SESSION_RESTORE_SCREEN	0x04	/* redraw the work screen after an unlock */
#define SESSION_SAVE_DRAFT	0x08	/* keep an unsaved entry as an encrypted draft
					   for its owner (no-op when there is none) */
#define SESSION_LOGOUT		0x10	/* close the cache, wipe keys, show login */

enum session_audit {
	SESSION_AUDIT_LOGIN,		/* session.login */
	SESSION_AUDIT_LOCK_IDLE,	/* session.lock idle */
	SESSION_AUDIT_LOCK_KEY,		/* session.lock key */
	SESSION_AUDIT_UNLOCK,		/* session.unlock */
	SESSION_AUDIT_UNLOCK_REFUSED,	/* session.unlock refused: another user */
	SESSION_AUDIT_TAKEOVER,		/* session.logout takeover (by `other`) */
	SESSION_AUDIT_LOGOUT,		/* session.logout user */
	SESSION_AUDIT_LOGOUT_LOCKED,	/* session.logout locked-too-long */
	SESSION_AUDIT_LOGOUT_LIMIT,	/* session.logout session-limit */
};

struct session_audit_event {
	enum session_audit	 what;
	int64_t			 at;	/* when it happened (monotonic seconds):
					   a deadline, or the input's time */
	char			 user[SESSION_USER_MAX + 1];	/* the session's owner */
	char			 other[SESSION_USER_MAX + 1];	/* the other user of an
					   unlock refusal or takeover, else "" */
};

#define SESSION_STEP_EVENTS	4	/* at most two timeouts and one input */

/* The outcome of one input, filled by every session_* input function. */
struct session_step {
	enum session_state		 state;		/* after the input */
	unsigned			 actions;	/* SESSION_* bits */
	int				 nevents;
	struct session_audit_event	 events[SESSION_STEP_EVENTS];	/* in order */
};

struct session_limits {
	int64_t	idle_timeout;	/* seconds of no activity before the lock */
	int64_t	lock_logout;	/* seconds locked before logout */
	int64_t	max_session;	/* seconds from login to the forced logout */
};

/* Private: use the functions below. */
struct session {
	struct session_limits	 limits;
	enum session_state	 state;
	char			 user[SESSION_USER_MAX + 1];
	int64_t			 login_at;
	int64_t			 idle_from;	/* last activity (or login, unlock) */
	int64_t			 locked_at;
	int64_t			 last;		/* latest time seen */
	int			 seen;		/* last is set */
};

void	session_limits_default(struct session_limits *limits);

/* LOGGED_OUT with these limits (NULL: the defaults); SESSHU_EINVAL when
 * one is not positive. */
int	session_init(struct session *s, const struct session_limits *limits,
	    struct sesshu_err *err);

/*
 * The inputs. Each fills step (always, even on refusal: timeouts applied
 * before a refusal still need their actions) and returns 0, or a negative
 * SESSHU_E* code when the input is refused in the resulting state.
 */

/* LOGGED_OUT -> ACTIVE. Refused (EINVAL) in any other state or for a user
 * ID that is empty or longer than SESSION_USER_MAX; nothing changes then. */
int	session_login(struct session *s, const char *user, int64_t now,
	    struct session_step *step, struct sesshu_err *err);

/* A keystroke: restarts the idle timer when ACTIVE; otherwise only applies
 * the timeouts. Never refused. */
int	session_activity(struct session *s, int64_t now,
	    struct session_step *step);

/* The timer fired: applies the timeouts that fell due. Never refused. */
int	session_tick(struct session *s, int64_t now, struct session_step *step);

/* The lock key: ACTIVE -> LOCKED; already LOCKED is a no-op; LOGGED_OUT is
 * refused (EINVAL). */
int	session_lock_now(struct session *s, int64_t now,
	    struct session_step *step, struct sesshu_err *err);

/*
 * LOCKED -> ACTIVE, for the owner only, after the caller verified their
 * fingerprint or password. Another user is refused with SESSHU_EAUTH and
 * an audit event (the caller may offer session_takeover()); not LOCKED
 * (including a session that just timed out) is refused with EINVAL.
 */
int	session_unlock(struct session *s, const char *user, int64_t now,
	    struct session_step *step, struct sesshu_err *err);

/*
 * Another user at the lock screen ends the owner's session: LOCKED ->
 * LOGGED_OUT with SAVE_DRAFT for the owner; the caller then logs the other
 * user in with session_login(). Refused (EINVAL) when not LOCKED or when
 * other_user is the owner (who unlocks instead).
 */
int	session_takeover(struct session *s, const char *other_user, int64_t now,
	    struct session_step *step, struct sesshu_err *err);

/*
 * The user logs out: ACTIVE -> LOGGED_OUT. No SAVE_DRAFT: the screens ask
 * about unsaved work before calling this. Refused (EINVAL) when not ACTIVE.
 */
int	session_logout(struct session *s, int64_t now,
	    struct session_step *step, struct sesshu_err *err);

/*
 * When the caller's timer must next call session_tick(): the earliest
 * deadline of the current state, never earlier than now (an overdue tick
 * fires at once), or SESSION_NO_DEADLINE when logged out. One timer
 * suffices; re-arm it after every input.
 */
int64_t	session_next_deadline(const struct session *s, int64_t now);

enum session_state session_state(const struct session *s);

/* The owner's user ID, "" when logged out. Borrowed. */
const char *session_user(const struct session *s);

/* "session.lock", "session.unlock", ... for audit_event.action. */
const char *session_audit_action(enum session_audit what);

/* The outcome for audit_event.outcome: "ok: idle", "refused: ...". */
const char *session_audit_outcome(enum session_audit what);

const char *session_state_name(enum session_state state);

#endif
