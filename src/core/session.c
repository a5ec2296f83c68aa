/*
 * session.c: see session.h. Pure: reads no clock, touches no screen; every
 * time is an argument and every effect is returned to the caller.
 */
#include "core/session.h"

#include <string.h>

static const struct {
	const char	*action;
	const char	*outcome;
} audit_names[] = {
	[SESSION_AUDIT_LOGIN]		= { "session.login", "ok" },
	[SESSION_AUDIT_LOCK_IDLE]	= { "session.lock", "ok: idle" },
	[SESSION_AUDIT_LOCK_KEY]	= { "session.lock", "ok: key" },
	[SESSION_AUDIT_UNLOCK]		= { "session.unlock", "ok" },
	[SESSION_AUDIT_UNLOCK_REFUSED]	= { "session.unlock",
					    "refused: locked by another user" },
	[SESSION_AUDIT_TAKEOVER]	= { "session.logout", "ok: takeover" },
	[SESSION_AUDIT_LOGOUT]		= { "session.logout", "ok: user" },
	[SESSION_AUDIT_LOGOUT_LOCKED]	= { "session.logout",
					    "ok: locked-too-long" },
	[SESSION_AUDIT_LOGOUT_LIMIT]	= { "session.logout",
					    "ok: session-limit" },
};

#define NAUDIT	(sizeof(audit_names) / sizeof(audit_names[0]))

/* a + b without overflow: deadlines far in the future stay far. */
static int64_t
sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	return a + b;
}

static void
step_reset(struct session_step *step)
{
	memset(step, 0, sizeof(*step));
}

static void
emit(const struct session *s, struct session_step *step,
    enum session_audit what, int64_t at, const char *other)
{
	struct session_audit_event *ev;

	/* Cannot overflow: at most two timeouts and one input per step. */
	if (step->nevents >= SESSION_STEP_EVENTS)
		return;
	ev = &step->events[step->nevents++];
	ev->what = what;
	ev->at = at;
	memcpy(ev->user, s->user, sizeof(ev->user));
	if (other != NULL) {
		size_t len = strlen(other);

		if (len > SESSION_USER_MAX)
			len = SESSION_USER_MAX;
		memcpy(ev->other, other, len);
	}
}

static void
finish(const struct session *s, struct session_step *step)
{
	step->state = s->state;
}

/*
 * The time an input happens at: never earlier than the latest one seen,
 * so a clock going backwards means "no time has passed".
 */
static int64_t
observe(struct session *s, int64_t now)
{
	if (!s->seen || now > s->last) {
		s->last = now;
		s->seen = 1;
	}
	return s->last;
}

static void
end_session(struct session *s, struct session_step *step,
    enum session_audit why, int64_t at, const char *other, unsigned extra)
{
	emit(s, step, why, at, other);
	step->actions |= SESSION_CLEAR_SCREEN | SESSION_LOGOUT | extra;
	/* A lock screen that is about to be replaced by the login screen. */
	step->actions &= ~(SESSION_LOCK_SCREEN | SESSION_RESTORE_SCREEN);
	s->state = SESSION_LOGGED_OUT;
	memset(s->user, 0, sizeof(s->user));
	s->login_at = s->idle_from = s->locked_at = 0;
}

static void
lock(struct session *s, struct session_step *step, enum session_audit why,
    int64_t at)
{
	emit(s, step, why, at, NULL);
	step->actions |= SESSION_CLEAR_SCREEN | SESSION_LOCK_SCREEN;
	s->state = SESSION_LOCKED;
	s->locked_at = at;
}

/* The deadline of the current state's own timeout (idle or locked). */
static int64_t
state_deadline(const struct session *s)
{
	switch (s->state) {
	case SESSION_ACTIVE:
		return sat_add(s->idle_from, s->limits.idle_timeout);
	case SESSION_LOCKED:
		return sat_add(s->locked_at, s->limits.lock_logout);
	default:
		return SESSION_NO_DEADLINE;
	}
}

/*
 * Applies every timeout due at or before now, each at its own deadline and
 * in the order they fell due; the session limit wins a tie.
 */
static void
advance(struct session *s, int64_t now, struct session_step *step)
{
	while (s->state != SESSION_LOGGED_OUT) {
		int64_t own = state_deadline(s);
		int64_t limit = sat_add(s->login_at, s->limits.max_session);

		if (limit <= own && limit <= now)
			end_session(s, step, SESSION_AUDIT_LOGOUT_LIMIT, limit,
			    NULL, SESSION_SAVE_DRAFT);
		else if (own > now)
			break;
		else if (s->state == SESSION_ACTIVE)
			lock(s, step, SESSION_AUDIT_LOCK_IDLE, own);
		else
			end_session(s, step, SESSION_AUDIT_LOGOUT_LOCKED, own,
			    NULL, SESSION_SAVE_DRAFT);
	}
}

static int
user_ok(const char *user)
{
	size_t len;

	if (user == NULL)
		return 0;
	len = strlen(user);
	return len > 0 && len <= SESSION_USER_MAX;
}

void
session_limits_default(struct session_limits *limits)
{
	limits->idle_timeout = SESSION_IDLE_DEFAULT;
	limits->lock_logout = SESSION_LOCK_LOGOUT_DEFAULT;
	limits->max_session = SESSION_MAX_DEFAULT;
}

int
session_init(struct session *s, const struct session_limits *limits,
    struct sesshu_err *err)
{
	memset(s, 0, sizeof(*s));
	s->state = SESSION_LOGGED_OUT;
	if (limits == NULL) {
		session_limits_default(&s->limits);
		return 0;
	}
	if (limits->idle_timeout <= 0 || limits->lock_logout <= 0 ||
	    limits->max_session <= 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "session limits must be "
		    "positive (idle %lld, locked %lld, session %lld seconds)",
		    (long long)limits->idle_timeout,
		    (long long)limits->lock_logout,
		    (long long)limits->max_session);
	s->limits = *limits;
	return 0;
}

int
session_login(struct session *s, const char *user, int64_t now,
    struct session_step *step, struct sesshu_err *err)
{
	step_reset(step);
	finish(s, step);
	if (s->state != SESSION_LOGGED_OUT)
		return sesshu_err_set(err, SESSHU_EINVAL, "%s is still logged "
		    "in: the session must end before another login", s->user);
	if (!user_ok(user))
		return sesshu_err_set(err, SESSHU_EINVAL, "a user ID must be 1 "
		    "to %d bytes", SESSION_USER_MAX);
	now = observe(s, now);
	memset(s->user, 0, sizeof(s->user));
	memcpy(s->user, user, strlen(user));
	s->state = SESSION_ACTIVE;
	s->login_at = s->idle_from = now;
	s->locked_at = 0;
	emit(s, step, SESSION_AUDIT_LOGIN, now, NULL);
	finish(s, step);
	return 0;
}

int
session_activity(struct session *s, int64_t now, struct session_step *step)
{
	step_reset(step);
	now = observe(s, now);
	advance(s, now, step);
	if (s->state == SESSION_ACTIVE)
		s->idle_from = now;
	finish(s, step);
	return 0;
}

int
session_tick(struct session *s, int64_t now, struct session_step *step)
{
	step_reset(step);
	advance(s, observe(s, now), step);
	finish(s, step);
	return 0;
}

int
session_lock_now(struct session *s, int64_t now, struct session_step *step,
    struct sesshu_err *err)
{
	int rc = 0;

	step_reset(step);
	now = observe(s, now);
	advance(s, now, step);
	if (s->state == SESSION_ACTIVE)
		lock(s, step, SESSION_AUDIT_LOCK_KEY, now);
	else if (s->state == SESSION_LOGGED_OUT)
		rc = sesshu_err_set(err, SESSHU_EINVAL, "no session to lock");
	finish(s, step);
	return rc;
}

int
session_unlock(struct session *s, const char *user, int64_t now,
    struct session_step *step, struct sesshu_err *err)
{
	int rc = 0;

	step_reset(step);
	now = observe(s, now);
	advance(s, now, step);
	if (s->state != SESSION_LOCKED)
		rc = sesshu_err_set(err, SESSHU_EINVAL, "the session is %s, not "
		    "locked: nothing to unlock", session_state_name(s->state));
	else if (user == NULL || strcmp(user, s->user) != 0) {
		emit(s, step, SESSION_AUDIT_UNLOCK_REFUSED, now,
		    user_ok(user) ? user : NULL);
		rc = sesshu_err_set(err, SESSHU_EAUTH, "the screen is locked by "
		    "%s; only they can unlock it (another user may end the "
		    "session instead)", s->user);
	} else {
		emit(s, step, SESSION_AUDIT_UNLOCK, now, NULL);
		step->actions |= SESSION_RESTORE_SCREEN;
		s->state = SESSION_ACTIVE;
		s->idle_from = now;
		s->locked_at = 0;
	}
	finish(s, step);
	return rc;
}

int
session_takeover(struct session *s, const char *other_user, int64_t now,
    struct session_step *step, struct sesshu_err *err)
{
	int rc = 0;

	step_reset(step);
	now = observe(s, now);
	advance(s, now, step);
	if (s->state != SESSION_LOCKED)
		rc = sesshu_err_set(err, SESSHU_EINVAL, "the session is %s, not "
		    "locked: nothing to take over", session_state_name(s->state));
	else if (!user_ok(other_user))
		rc = sesshu_err_set(err, SESSHU_EINVAL, "a user ID must be 1 "
		    "to %d bytes", SESSION_USER_MAX);
	else if (strcmp(other_user, s->user) == 0)
		rc = sesshu_err_set(err, SESSHU_EINVAL, "%s owns this session: "
		    "unlock it instead of ending it", s->user);
	else
		end_session(s, step, SESSION_AUDIT_TAKEOVER, now, other_user,
		    SESSION_SAVE_DRAFT);
	finish(s, step);
	return rc;
}

int
session_logout(struct session *s, int64_t now, struct session_step *step,
    struct sesshu_err *err)
{
	int rc = 0;

	step_reset(step);
	now = observe(s, now);
	advance(s, now, step);
	if (s->state == SESSION_ACTIVE)
		end_session(s, step, SESSION_AUDIT_LOGOUT, now, NULL, 0);
	else
		rc = sesshu_err_set(err, SESSHU_EINVAL, "the session is %s: only "
		    "an active session logs out", session_state_name(s->state));
	finish(s, step);
	return rc;
}

int64_t
session_next_deadline(const struct session *s, int64_t now)
{
	int64_t d;

	if (s->state == SESSION_LOGGED_OUT)
		return SESSION_NO_DEADLINE;
	d = state_deadline(s);
	if (sat_add(s->login_at, s->limits.max_session) < d)
		d = sat_add(s->login_at, s->limits.max_session);
	return d < now ? now : d;
}

enum session_state
session_state(const struct session *s)
{
	return s->state;
}

const char *
session_user(const struct session *s)
{
	return s->user;
}

const char *
session_audit_action(enum session_audit what)
{
	return (size_t)what < NAUDIT ? audit_names[what].action : "session.?";
}

const char *
session_audit_outcome(enum session_audit what)
{
	return (size_t)what < NAUDIT ? audit_names[what].outcome : "?";
}

const char *
session_state_name(enum session_state state)
{
	switch (state) {
	case SESSION_LOGGED_OUT:
		return "logged out";
	case SESSION_ACTIVE:
		return "active";
	case SESSION_LOCKED:
		return "locked";
	}
	return "unknown";
}
