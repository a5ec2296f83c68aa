/*
 * test_session.c: the workstation session state machine (core/session.h)
 * driven by an injected clock: every time is a literal, nothing sleeps.
 * Limits are the defaults unless a test says otherwise: idle 300 s, locked
 * 1800 s, session 36000 s.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/session.h"

#define T0	1000	/* the login time of most tests */

static void
logged_in(struct session *s, const char *user, int64_t now)
{
	struct session_step st;
	struct sesshu_err err = { 0 };

	assert_int_equal(session_init(s, NULL, &err), 0);
	if (session_login(s, user, now, &st, &err) != 0)
		fail_msg("login: %s", err.msg);
	assert_int_equal(st.state, SESSION_ACTIVE);
}

static void
tick(struct session *s, int64_t now, struct session_step *st)
{
	assert_int_equal(session_tick(s, now, st), 0);
	assert_int_equal(st->state, session_state(s));
}

/* The step has exactly these audit events, in this order. */
static void
events_are(const struct session_step *st, int n, ...)
{
	va_list ap;

	assert_int_equal(st->nevents, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(st->events[i].what, va_arg(ap, int));
	va_end(ap);
}

static void
quiet(const struct session_step *st)
{
	assert_int_equal(st->actions, 0);
	assert_int_equal(st->nevents, 0);
}

static void
test_session_starts_logged_out_without_deadline(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	assert_int_equal(session_init(&s, NULL, NULL), 0);
	assert_int_equal(session_state(&s), SESSION_LOGGED_OUT);
	assert_string_equal(session_user(&s), "");
	assert_true(session_next_deadline(&s, 5) == SESSION_NO_DEADLINE);
	tick(&s, 1000000, &st);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	quiet(&st);
}

static void
test_session_init_refuses_non_positive_limits(void **state)
{
	struct session_limits lim;
	struct sesshu_err err = { 0 };
	struct session s;

	(void)state;
	session_limits_default(&lim);
	assert_int_equal(lim.idle_timeout, 300);
	assert_int_equal(lim.lock_logout, 1800);
	assert_int_equal(lim.max_session, 36000);
	lim.idle_timeout = 0;
	assert_int_equal(session_init(&s, &lim, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "positive"));
	session_limits_default(&lim);
	lim.max_session = -1;
	assert_int_equal(session_init(&s, &lim, NULL), SESSHU_EINVAL);
}

static void
test_session_login_activates_and_audits(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	assert_int_equal(session_init(&s, NULL, NULL), 0);
	assert_int_equal(session_login(&s, "clerk01", T0, &st, NULL), 0);
	assert_int_equal(st.state, SESSION_ACTIVE);
	assert_int_equal(st.actions, 0);
	events_are(&st, 1, SESSION_AUDIT_LOGIN);
	assert_string_equal(st.events[0].user, "clerk01");
	assert_string_equal(st.events[0].other, "");
	assert_int_equal(st.events[0].at, T0);
	assert_string_equal(session_user(&s), "clerk01");
}

static void
test_session_login_refused_while_a_session_is_open(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_login(&s, "clerk02", T0 + 1, &st, &err),
	    SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "clerk01"));
	assert_int_equal(st.state, SESSION_ACTIVE);
	quiet(&st);
	assert_string_equal(session_user(&s), "clerk01");

	assert_int_equal(session_lock_now(&s, T0 + 2, &st, NULL), 0);
	assert_int_equal(session_login(&s, "clerk02", T0 + 3, &st, &err),
	    SESSHU_EINVAL);
	assert_int_equal(session_state(&s), SESSION_LOCKED);
}

static void
test_session_login_refuses_bad_user_ids(void **state)
{
	char longid[SESSION_USER_MAX + 2];
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	assert_int_equal(session_init(&s, NULL, NULL), 0);
	assert_int_equal(session_login(&s, "", T0, &st, &err), SESSHU_EINVAL);
	assert_int_equal(session_login(&s, NULL, T0, &st, &err), SESSHU_EINVAL);
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_int_equal(session_login(&s, longid, T0, &st, &err),
	    SESSHU_EINVAL);
	assert_int_equal(session_state(&s), SESSION_LOGGED_OUT);
	longid[SESSION_USER_MAX] = '\0';	/* exactly the maximum */
	assert_int_equal(session_login(&s, longid, T0, &st, &err), 0);
	assert_string_equal(session_user(&s), longid);
}

static void
test_session_idle_lock_exactly_at_timeout(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	tick(&s, T0 + 299, &st);
	assert_int_equal(st.state, SESSION_ACTIVE);
	quiet(&st);
	tick(&s, T0 + 300, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
	assert_int_equal(st.actions, SESSION_CLEAR_SCREEN | SESSION_LOCK_SCREEN);
	events_are(&st, 1, SESSION_AUDIT_LOCK_IDLE);
	assert_int_equal(st.events[0].at, T0 + 300);
	assert_string_equal(st.events[0].user, "clerk01");
	assert_string_equal(session_user(&s), "clerk01");
	/* A second tick at the same time does nothing more. */
	tick(&s, T0 + 300, &st);
	quiet(&st);
}

static void
test_session_late_tick_locks_at_the_deadline(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	tick(&s, T0 + 340, &st);	/* the timer fired 40 s late */
	assert_int_equal(st.state, SESSION_LOCKED);
	assert_int_equal(st.events[0].at, T0 + 300);
	/* The locked-too-long clock started at the deadline, not at the tick. */
	assert_true(session_next_deadline(&s, T0 + 340) == T0 + 300 + 1800);
}

static void
test_session_activity_resets_idle_timer(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_activity(&s, T0 + 299, &st), 0);
	assert_int_equal(st.state, SESSION_ACTIVE);
	quiet(&st);
	tick(&s, T0 + 300, &st);
	assert_int_equal(st.state, SESSION_ACTIVE);
	tick(&s, T0 + 299 + 299, &st);
	assert_int_equal(st.state, SESSION_ACTIVE);
	tick(&s, T0 + 299 + 300, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
	events_are(&st, 1, SESSION_AUDIT_LOCK_IDLE);
}

static void
test_session_keystroke_after_idle_deadline_locks_instead_of_resetting(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	/* The timer has not fired yet, but the deadline has passed. */
	assert_int_equal(session_activity(&s, T0 + 300, &st), 0);
	assert_int_equal(st.state, SESSION_LOCKED);
	assert_true(st.actions & SESSION_LOCK_SCREEN);
	events_are(&st, 1, SESSION_AUDIT_LOCK_IDLE);
}

static void
test_session_keystroke_while_locked_does_not_unlock_or_extend(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	tick(&s, T0 + 300, &st);
	assert_int_equal(session_activity(&s, T0 + 1000, &st), 0);
	assert_int_equal(st.state, SESSION_LOCKED);
	quiet(&st);
	assert_true(session_next_deadline(&s, T0 + 1000) == T0 + 300 + 1800);
}

static void
test_session_lock_key_locks_at_once(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_lock_now(&s, T0 + 10, &st, &err), 0);
	assert_int_equal(st.state, SESSION_LOCKED);
	assert_int_equal(st.actions, SESSION_CLEAR_SCREEN | SESSION_LOCK_SCREEN);
	events_are(&st, 1, SESSION_AUDIT_LOCK_KEY);
	assert_int_equal(st.events[0].at, T0 + 10);
	assert_true(session_next_deadline(&s, T0 + 10) == T0 + 10 + 1800);

	/* Pressing it again at the lock screen changes nothing. */
	assert_int_equal(session_lock_now(&s, T0 + 20, &st, &err), 0);
	assert_int_equal(st.state, SESSION_LOCKED);
	quiet(&st);
	assert_true(session_next_deadline(&s, T0 + 20) == T0 + 10 + 1800);
}

static void
test_session_lock_key_refused_when_logged_out(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	assert_int_equal(session_init(&s, NULL, NULL), 0);
	assert_int_equal(session_lock_now(&s, T0, &st, &err), SESSHU_EINVAL);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	quiet(&st);
}

static void
test_session_unlock_by_same_user_restores_and_restarts_idle(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	logged_in(&s, "clerk01", T0);
	tick(&s, T0 + 300, &st);
	assert_int_equal(session_unlock(&s, "clerk01", T0 + 900, &st, &err), 0);
	assert_int_equal(st.state, SESSION_ACTIVE);
	assert_int_equal(st.actions, SESSION_RESTORE_SCREEN);
	events_are(&st, 1, SESSION_AUDIT_UNLOCK);
	assert_int_equal(st.events[0].at, T0 + 900);
	/* The idle timer restarts at the unlock. */
	assert_true(session_next_deadline(&s, T0 + 900) == T0 + 900 + 300);
	tick(&s, T0 + 900 + 299, &st);
	assert_int_equal(st.state, SESSION_ACTIVE);
	tick(&s, T0 + 900 + 300, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
}

static void
test_session_unlock_one_second_before_locked_limit(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_lock_now(&s, T0, &st, NULL), 0);
	assert_int_equal(session_unlock(&s, "clerk01", T0 + 1799, &st, NULL), 0);
	assert_int_equal(st.state, SESSION_ACTIVE);
}

static void
test_session_unlock_by_another_user_refused(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_lock_now(&s, T0 + 5, &st, NULL), 0);
	assert_int_equal(session_unlock(&s, "clerk02", T0 + 60, &st, &err),
	    SESSHU_EAUTH);
	assert_int_equal(err.code, SESSHU_EAUTH);
	assert_non_null(strstr(err.msg, "locked by clerk01"));
	assert_int_equal(st.state, SESSION_LOCKED);
	assert_int_equal(st.actions, 0);
	/* A refusal that concerns security is in the trail, with both users. */
	events_are(&st, 1, SESSION_AUDIT_UNLOCK_REFUSED);
	assert_string_equal(st.events[0].user, "clerk01");
	assert_string_equal(st.events[0].other, "clerk02");
	assert_string_equal(session_audit_action(st.events[0].what),
	    "session.unlock");
	assert_true(strncmp(session_audit_outcome(st.events[0].what),
	    "refused: ", 9) == 0);
	/* The owner is unchanged and still unlocks; the deadline did not move. */
	assert_string_equal(session_user(&s), "clerk01");
	assert_true(session_next_deadline(&s, T0 + 60) == T0 + 5 + 1800);
	assert_int_equal(session_unlock(&s, NULL, T0 + 61, &st, &err),
	    SESSHU_EAUTH);
	assert_int_equal(session_unlock(&s, "clerk01", T0 + 62, &st, &err), 0);
}

static void
test_session_unlock_refused_unless_locked(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	assert_int_equal(session_init(&s, NULL, NULL), 0);
	assert_int_equal(session_unlock(&s, "clerk01", T0, &st, &err),
	    SESSHU_EINVAL);
	assert_int_equal(session_login(&s, "clerk01", T0, &st, NULL), 0);
	assert_int_equal(session_unlock(&s, "clerk01", T0 + 1, &st, &err),
	    SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "active"));
	assert_int_equal(st.state, SESSION_ACTIVE);
	quiet(&st);
}

static void
test_session_takeover_saves_draft_and_logs_out_the_owner(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	logged_in(&s, "clerk01", T0);
	tick(&s, T0 + 300, &st);
	assert_int_equal(session_takeover(&s, "clerk02", T0 + 400, &st, &err), 0);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	assert_int_equal(st.actions, SESSION_CLEAR_SCREEN | SESSION_SAVE_DRAFT |
	    SESSION_LOGOUT);
	events_are(&st, 1, SESSION_AUDIT_TAKEOVER);
	assert_string_equal(st.events[0].user, "clerk01");
	assert_string_equal(st.events[0].other, "clerk02");
	assert_int_equal(st.events[0].at, T0 + 400);
	assert_string_equal(session_user(&s), "");
	assert_true(session_next_deadline(&s, T0 + 400) == SESSION_NO_DEADLINE);

	/* Then the caller logs the other user in, with fresh timers. */
	assert_int_equal(session_login(&s, "clerk02", T0 + 410, &st, &err), 0);
	assert_string_equal(session_user(&s), "clerk02");
	assert_true(session_next_deadline(&s, T0 + 410) == T0 + 410 + 300);
}

static void
test_session_takeover_refused_unless_locked_or_by_owner(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_takeover(&s, "clerk02", T0 + 1, &st, &err),
	    SESSHU_EINVAL);
	assert_int_equal(st.state, SESSION_ACTIVE);
	quiet(&st);
	assert_int_equal(session_lock_now(&s, T0 + 2, &st, NULL), 0);
	assert_int_equal(session_takeover(&s, "clerk01", T0 + 3, &st, &err),
	    SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "unlock it"));
	assert_int_equal(session_takeover(&s, "", T0 + 3, &st, &err),
	    SESSHU_EINVAL);
	assert_int_equal(session_takeover(&s, NULL, T0 + 3, &st, &err),
	    SESSHU_EINVAL);
	assert_int_equal(session_state(&s), SESSION_LOCKED);
	assert_string_equal(session_user(&s), "clerk01");
}

static void
test_session_locked_too_long_logs_out_keeping_the_draft(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_lock_now(&s, T0 + 100, &st, NULL), 0);
	tick(&s, T0 + 100 + 1799, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
	quiet(&st);
	tick(&s, T0 + 100 + 1800, &st);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	assert_int_equal(st.actions, SESSION_CLEAR_SCREEN | SESSION_SAVE_DRAFT |
	    SESSION_LOGOUT);
	events_are(&st, 1, SESSION_AUDIT_LOGOUT_LOCKED);
	assert_int_equal(st.events[0].at, T0 + 100 + 1800);
	assert_string_equal(st.events[0].user, "clerk01");
	assert_string_equal(session_audit_outcome(st.events[0].what),
	    "ok: locked-too-long");
}

static void
test_session_unlock_after_locked_too_long_is_refused(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_lock_now(&s, T0, &st, NULL), 0);
	/* The timer never fired; the unlock comes exactly at the limit. */
	assert_int_equal(session_unlock(&s, "clerk01", T0 + 1800, &st, &err),
	    SESSHU_EINVAL);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	assert_true(st.actions & SESSION_LOGOUT);
	assert_true(st.actions & SESSION_SAVE_DRAFT);
	events_are(&st, 1, SESSION_AUDIT_LOGOUT_LOCKED);
}

static void
test_session_limit_ends_an_active_session(void **state)
{
	struct session s;
	struct session_step st;
	int64_t t;

	(void)state;
	logged_in(&s, "clerk01", T0);
	/* Busy all day: a keystroke every 200 s. */
	for (t = T0 + 200; t < T0 + 36000; t += 200) {
		assert_int_equal(session_activity(&s, t, &st), 0);
		assert_int_equal(st.state, SESSION_ACTIVE);
	}
	assert_true(session_next_deadline(&s, T0 + 35800) == T0 + 36000);
	tick(&s, T0 + 35999, &st);
	assert_int_equal(st.state, SESSION_ACTIVE);
	tick(&s, T0 + 36000, &st);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	assert_int_equal(st.actions, SESSION_CLEAR_SCREEN | SESSION_SAVE_DRAFT |
	    SESSION_LOGOUT);
	events_are(&st, 1, SESSION_AUDIT_LOGOUT_LIMIT);
	assert_int_equal(st.events[0].at, T0 + 36000);
	assert_string_equal(session_audit_action(st.events[0].what),
	    "session.logout");
}

static void
test_session_limit_ends_a_locked_session(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	for (int64_t t = T0 + 250; t <= T0 + 35000; t += 250)
		assert_int_equal(session_activity(&s, t, &st), 0);
	assert_int_equal(session_lock_now(&s, T0 + 35000, &st, NULL), 0);
	/* Locked until 36800, but the session limit comes at 36000. */
	assert_true(session_next_deadline(&s, T0 + 35000) == T0 + 36000);
	tick(&s, T0 + 35999, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
	tick(&s, T0 + 36000, &st);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	assert_true(st.actions & SESSION_SAVE_DRAFT);
	assert_false(st.actions & SESSION_LOCK_SCREEN);
	events_are(&st, 1, SESSION_AUDIT_LOGOUT_LIMIT);
}

static void
test_session_unlock_refused_after_the_session_limit(void **state)
{
	struct session_limits lim = { 300, 1800, 600 };
	struct session s;
	struct session_step st;

	(void)state;
	assert_int_equal(session_init(&s, &lim, NULL), 0);
	assert_int_equal(session_login(&s, "clerk01", T0, &st, NULL), 0);
	assert_int_equal(session_lock_now(&s, T0 + 100, &st, NULL), 0);
	assert_int_equal(session_unlock(&s, "clerk01", T0 + 600, &st, NULL),
	    SESSHU_EINVAL);
	events_are(&st, 1, SESSION_AUDIT_LOGOUT_LIMIT);
	assert_int_equal(session_state(&s), SESSION_LOGGED_OUT);
}

static void
test_session_user_logout(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_logout(&s, T0 + 50, &st, &err), 0);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	/* The screens asked about unsaved work before: no draft here. */
	assert_int_equal(st.actions, SESSION_CLEAR_SCREEN | SESSION_LOGOUT);
	events_are(&st, 1, SESSION_AUDIT_LOGOUT);
	assert_string_equal(st.events[0].user, "clerk01");
	assert_int_equal(session_logout(&s, T0 + 51, &st, &err), SESSHU_EINVAL);
	quiet(&st);

	/* A locked session is not ended by a logout key: unlock or takeover. */
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_lock_now(&s, T0 + 1, &st, NULL), 0);
	assert_int_equal(session_logout(&s, T0 + 2, &st, &err), SESSHU_EINVAL);
	assert_int_equal(session_state(&s), SESSION_LOCKED);
}

static void
test_session_clock_backwards_is_no_time_passed(void **state)
{
	struct session s;
	struct session_step st;
	struct sesshu_err err = { 0 };

	(void)state;
	logged_in(&s, "clerk01", T0);
	tick(&s, T0 + 299, &st);
	/* Backwards: the idle deadline neither moves nor fires. */
	tick(&s, T0 - 5000, &st);
	assert_int_equal(st.state, SESSION_ACTIVE);
	quiet(&st);
	assert_true(session_next_deadline(&s, T0 - 5000) == T0 + 300);
	/* The next second forward locks as if nothing happened. */
	tick(&s, T0 + 300, &st);
	assert_int_equal(st.state, SESSION_LOCKED);

	/* Locked: a backwards time neither unlocks nor extends the lock. */
	tick(&s, 0, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
	quiet(&st);
	assert_int_equal(session_activity(&s, T0, &st), 0);
	assert_int_equal(st.state, SESSION_LOCKED);
	assert_int_equal(session_lock_now(&s, T0 + 1, &st, &err), 0);
	quiet(&st);
	assert_true(session_next_deadline(&s, 0) == T0 + 300 + 1800);
	tick(&s, T0 + 300 + 1799, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
	tick(&s, T0 + 300 + 1800, &st);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
}

static void
test_session_keystroke_with_backwards_clock_counts_from_latest_time(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	tick(&s, T0 + 200, &st);
	/* A keystroke stamped in the past is a keystroke now (at T0 + 200):
	 * it can neither shorten nor stretch the idle time beyond that. */
	assert_int_equal(session_activity(&s, T0 + 10, &st), 0);
	assert_true(session_next_deadline(&s, T0 + 200) == T0 + 200 + 300);
	/* Unlock and takeover stamped in the past happen at the latest time. */
	assert_int_equal(session_lock_now(&s, T0 + 250, &st, NULL), 0);
	assert_int_equal(session_unlock(&s, "clerk01", T0, &st, NULL), 0);
	assert_int_equal(st.events[0].at, T0 + 250);
}

static void
test_session_clock_backwards_before_login(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	assert_int_equal(session_init(&s, NULL, NULL), 0);
	tick(&s, T0, &st);
	assert_int_equal(session_login(&s, "clerk01", T0 - 100, &st, NULL), 0);
	/* The login happened at the latest time seen. */
	assert_int_equal(st.events[0].at, T0);
	tick(&s, T0 + 299, &st);
	assert_int_equal(st.state, SESSION_ACTIVE);
	tick(&s, T0 + 300, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
}

static void
test_session_big_jump_locks_then_logs_out_in_order(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	assert_int_equal(session_activity(&s, T0 + 100, &st), 0);
	/* A laptop suspended for three hours. */
	tick(&s, T0 + 3 * 3600, &st);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	events_are(&st, 2, SESSION_AUDIT_LOCK_IDLE, SESSION_AUDIT_LOGOUT_LOCKED);
	assert_int_equal(st.events[0].at, T0 + 100 + 300);
	assert_int_equal(st.events[1].at, T0 + 100 + 300 + 1800);
	assert_string_equal(st.events[1].user, "clerk01");
	/* The lock screen is not drawn: the login screen replaces it. */
	assert_int_equal(st.actions, SESSION_CLEAR_SCREEN | SESSION_SAVE_DRAFT |
	    SESSION_LOGOUT);
}

static void
test_session_big_jump_stops_at_lock_when_lock_limit_not_reached(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	tick(&s, T0 + 300 + 1799, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
	events_are(&st, 1, SESSION_AUDIT_LOCK_IDLE);
	assert_int_equal(st.actions, SESSION_CLEAR_SCREEN | SESSION_LOCK_SCREEN);
}

static void
test_session_big_jump_locks_then_session_limit_first(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	for (int64_t t = T0 + 250; t <= T0 + 35000; t += 250)
		assert_int_equal(session_activity(&s, t, &st), 0);
	/* Idle lock at 35300; locked-too-long would be 37100, the limit is
	 * 36000 and comes first. */
	tick(&s, T0 + 100000, &st);
	events_are(&st, 2, SESSION_AUDIT_LOCK_IDLE, SESSION_AUDIT_LOGOUT_LIMIT);
	assert_int_equal(st.events[0].at, T0 + 35300);
	assert_int_equal(st.events[1].at, T0 + 36000);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
}

static void
test_session_limit_wins_a_tie_with_idle_lock(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", T0);
	for (int64_t t = T0 + 100; t <= T0 + 35700; t += 100)
		assert_int_equal(session_activity(&s, t, &st), 0);
	/* Idle deadline and session limit are both T0 + 36000. */
	assert_true(session_next_deadline(&s, T0 + 35700) == T0 + 36000);
	tick(&s, T0 + 36000, &st);
	events_are(&st, 1, SESSION_AUDIT_LOGOUT_LIMIT);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
}

static void
test_session_huge_times_do_not_overflow(void **state)
{
	struct session s;
	struct session_step st;

	(void)state;
	logged_in(&s, "clerk01", INT64_MAX - 100);
	assert_true(session_next_deadline(&s, INT64_MAX - 100) == INT64_MAX);
	tick(&s, INT64_MAX - 1, &st);
	assert_int_equal(st.state, SESSION_ACTIVE);
	tick(&s, INT64_MAX, &st);
	/* Every deadline saturates at INT64_MAX: the limit wins the tie. */
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	events_are(&st, 1, SESSION_AUDIT_LOGOUT_LIMIT);

	logged_in(&s, "clerk01", INT64_MIN);
	tick(&s, INT64_MAX, &st);
	assert_int_equal(st.state, SESSION_LOGGED_OUT);
	events_are(&st, 2, SESSION_AUDIT_LOCK_IDLE, SESSION_AUDIT_LOGOUT_LOCKED);
}

static void
test_session_next_deadline_follows_the_state(void **state)
{
	struct session_limits lim = { 60, 120, 1000 };
	struct session s;
	struct session_step st;

	(void)state;
	assert_int_equal(session_init(&s, &lim, NULL), 0);
	assert_true(session_next_deadline(&s, 0) == SESSION_NO_DEADLINE);
	assert_int_equal(session_login(&s, "clerk01", 0, &st, NULL), 0);
	assert_true(session_next_deadline(&s, 0) == 60);
	assert_true(session_next_deadline(&s, 30) == 60);
	assert_int_equal(session_activity(&s, 30, &st), 0);
	assert_true(session_next_deadline(&s, 30) == 90);
	/* Overdue (the caller has not ticked yet): fire at once. */
	assert_true(session_next_deadline(&s, 95) == 95);
	tick(&s, 95, &st);
	assert_int_equal(st.state, SESSION_LOCKED);
	assert_true(session_next_deadline(&s, 95) == 90 + 120);
	assert_int_equal(session_unlock(&s, "clerk01", 200, &st, NULL), 0);
	assert_true(session_next_deadline(&s, 200) == 260);
	/* Near the limit, the limit is next. */
	assert_int_equal(session_activity(&s, 250, &st), 0);
	assert_int_equal(session_activity(&s, 300, &st), 0);
	for (int64_t t = 350; t <= 950; t += 50)
		assert_int_equal(session_activity(&s, t, &st), 0);
	assert_true(session_next_deadline(&s, 950) == 1000);
	tick(&s, 1000, &st);
	assert_true(session_next_deadline(&s, 1000) == SESSION_NO_DEADLINE);
}

/*
 * A caller that only wakes when session_next_deadline() says so sees every
 * transition at exactly its second: one timer is enough.
 */
static void
test_session_one_timer_at_next_deadline_suffices(void **state)
{
	struct session s;
	struct session_step st;
	enum session_audit seen[8];
	int64_t at[8], now = T0;
	int n = 0;

	(void)state;
	logged_in(&s, "clerk01", T0);
	while (session_state(&s) != SESSION_LOGGED_OUT && n < 8) {
		now = session_next_deadline(&s, now);
		tick(&s, now, &st);
		assert_int_equal(st.nevents, 1);	/* no wasted wake-ups */
		seen[n] = st.events[0].what;
		at[n++] = st.events[0].at;
		assert_int_equal(st.events[0].at, now);
	}
	assert_int_equal(n, 2);
	assert_int_equal(seen[0], SESSION_AUDIT_LOCK_IDLE);
	assert_int_equal(at[0], T0 + 300);
	assert_int_equal(seen[1], SESSION_AUDIT_LOGOUT_LOCKED);
	assert_int_equal(at[1], T0 + 2100);
}

static void
test_session_audit_names(void **state)
{
	(void)state;
	assert_string_equal(session_audit_action(SESSION_AUDIT_LOGIN),
	    "session.login");
	assert_string_equal(session_audit_action(SESSION_AUDIT_LOCK_IDLE),
	    "session.lock");
	assert_string_equal(session_audit_outcome(SESSION_AUDIT_LOCK_IDLE),
	    "ok: idle");
	assert_string_equal(session_audit_outcome(SESSION_AUDIT_LOCK_KEY),
	    "ok: key");
	assert_string_equal(session_audit_action(SESSION_AUDIT_UNLOCK),
	    "session.unlock");
	assert_string_equal(session_audit_outcome(SESSION_AUDIT_TAKEOVER),
	    "ok: takeover");
	assert_string_equal(session_audit_outcome(SESSION_AUDIT_LOGOUT),
	    "ok: user");
	assert_string_equal(session_audit_outcome(SESSION_AUDIT_LOGOUT_LIMIT),
	    "ok: session-limit");
	assert_string_equal(session_audit_action((enum session_audit)99),
	    "session.?");
	assert_string_equal(session_state_name(SESSION_LOCKED), "locked");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_starts_logged_out_without_deadline),
		cmocka_unit_test(test_session_init_refuses_non_positive_limits),
		cmocka_unit_test(test_session_login_activates_and_audits),
		cmocka_unit_test(test_session_login_refused_while_a_session_is_open),
		cmocka_unit_test(test_session_login_refuses_bad_user_ids),
		cmocka_unit_test(test_session_idle_lock_exactly_at_timeout),
		cmocka_unit_test(test_session_late_tick_locks_at_the_deadline),
		cmocka_unit_test(test_session_activity_resets_idle_timer),
		cmocka_unit_test(test_session_keystroke_after_idle_deadline_locks_instead_of_resetting),
		cmocka_unit_test(test_session_keystroke_while_locked_does_not_unlock_or_extend),
		cmocka_unit_test(test_session_lock_key_locks_at_once),
		cmocka_unit_test(test_session_lock_key_refused_when_logged_out),
		cmocka_unit_test(test_session_unlock_by_same_user_restores_and_restarts_idle),
		cmocka_unit_test(test_session_unlock_one_second_before_locked_limit),
		cmocka_unit_test(test_session_unlock_by_another_user_refused),
		cmocka_unit_test(test_session_unlock_refused_unless_locked),
		cmocka_unit_test(test_session_takeover_saves_draft_and_logs_out_the_owner),
		cmocka_unit_test(test_session_takeover_refused_unless_locked_or_by_owner),
		cmocka_unit_test(test_session_locked_too_long_logs_out_keeping_the_draft),
		cmocka_unit_test(test_session_unlock_after_locked_too_long_is_refused),
		cmocka_unit_test(test_session_limit_ends_an_active_session),
		cmocka_unit_test(test_session_limit_ends_a_locked_session),
		cmocka_unit_test(test_session_unlock_refused_after_the_session_limit),
		cmocka_unit_test(test_session_user_logout),
		cmocka_unit_test(test_session_clock_backwards_is_no_time_passed),
		cmocka_unit_test(test_session_keystroke_with_backwards_clock_counts_from_latest_time),
		cmocka_unit_test(test_session_clock_backwards_before_login),
		cmocka_unit_test(test_session_big_jump_locks_then_logs_out_in_order),
		cmocka_unit_test(test_session_big_jump_stops_at_lock_when_lock_limit_not_reached),
		cmocka_unit_test(test_session_big_jump_locks_then_session_limit_first),
		cmocka_unit_test(test_session_limit_wins_a_tie_with_idle_lock),
		cmocka_unit_test(test_session_huge_times_do_not_overflow),
		cmocka_unit_test(test_session_next_deadline_follows_the_state),
		cmocka_unit_test(test_session_one_timer_at_next_deadline_suffices),
		cmocka_unit_test(test_session_audit_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
