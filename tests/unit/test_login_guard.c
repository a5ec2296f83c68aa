/*
 * test_login_guard.c: the workstation's count of failed offline logins
 * (sync/login_guard.h): the lockout after N failures for M minutes with an
 * injected clock, the reset on success, the queue of audit entries and its
 * bound, the strict parser (every malformed, damaged, newer or oversized
 * file refused, naming the line), and the atomic, private save.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/sha.h>

#include "sync/login_guard.h"
#include "testutil.h"

#define T0	INT64_C(1795000000)	/* 2026-11-18T11:06:40Z, a fixed clock */

static const struct login_guard_policy POLICY = { 3, 15 };

static struct login_guard *
fresh(void)
{
	struct login_guard *g;

	assert_int_equal(login_guard_new(&g, NULL), 0);
	return g;
}

/* body followed by its "end <sha256>" line, in a new string. */
static char *
with_end(const char *body)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	size_t len = strlen(body);
	char *s = malloc(len + 4 + 2 * sizeof(md) + 2);

	assert_non_null(s);
	SHA256((const unsigned char *)body, len, md);
	memcpy(s, body, len);
	memcpy(s + len, "end ", 4);
	for (size_t i = 0; i < sizeof(md); i++)
		snprintf(s + len + 4 + 2 * i, 3, "%02x", md[i]);
	strcpy(s + len + 4 + 2 * sizeof(md), "\n");
	return s;
}

static int
parse_text(const char *text, struct login_guard **g, struct sesshu_err *err)
{
	return login_guard_parse(g, text, strlen(text), "login-failures", err);
}

static void
test_login_guard_locks_after_n_failures_for_m_minutes(void **state)
{
	struct login_guard *g = fresh();
	int64_t until = -1;

	(void)state;
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0, &until,
	    NULL), 0);
	assert_int_equal(until, 0);
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + 10,
	    &until, NULL), 0);
	assert_int_equal(until, 0);
	assert_int_equal(login_guard_failures(g, "clerk01"), 2);
	assert_int_equal(login_guard_locked_until(g, "clerk01", T0 + 10), 0);
	/* The third locks, for 15 minutes from that failure. */
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + 20,
	    &until, NULL), 0);
	assert_int_equal(until, T0 + 20 + 15 * 60);
	assert_int_equal(login_guard_locked_until(g, "clerk01", T0 + 21), until);
	assert_int_equal(login_guard_locked_until(g, "clerk01", until - 1), until);
	/* Another user is not affected. */
	assert_int_equal(login_guard_locked_until(g, "clerk02", T0 + 21), 0);
	login_guard_free(g);
}

static void
test_login_guard_lock_ends_at_its_time_and_the_count_starts_again(void **state)
{
	struct login_guard *g = fresh();
	int64_t until, t;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + i,
		    &until, NULL), 0);
	assert_int_equal(login_guard_locked_until(g, "clerk01", until), 0);
	assert_int_equal(login_guard_failures(g, "clerk01"), 0);
	/* After the lock, two more failures do not lock; the third does. */
	t = until + 1;
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, t, &until,
	    NULL), 0);
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, t + 1, &until,
	    NULL), 0);
	assert_int_equal(until, 0);
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, t + 2, &until,
	    NULL), 0);
	assert_int_equal(until, t + 2 + 15 * 60);
	login_guard_free(g);
}

static void
test_login_guard_success_resets_the_count(void **state)
{
	struct login_guard *g = fresh();
	int64_t until;

	(void)state;
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0, &until,
	    NULL), 0);
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + 1, &until,
	    NULL), 0);
	login_guard_success(g, "clerk01");
	assert_int_equal(login_guard_failures(g, "clerk01"), 0);
	/* Two more failures: still not locked, the count started again. */
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + 2, &until,
	    NULL), 0);
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + 3, &until,
	    NULL), 0);
	assert_int_equal(until, 0);
	/* The queued entries stay for the audit trail. */
	assert_int_equal(login_guard_pending(g), 4);
	login_guard_free(g);
}

static void
test_login_guard_restore_counts_a_failed_second_factor_on(void **state)
{
	struct login_guard *g = fresh();
	char *text;
	size_t len;
	int64_t until;

	(void)state;
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0, NULL,
	    NULL), 0);
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + 1, NULL,
	    NULL), 0);
	/* The right password clears 2; then the finger is wrong. */
	login_guard_success(g, "clerk01");
	assert_int_equal(login_guard_restore(g, "clerk01", 2, T0 + 2, NULL), 0);
	assert_int_equal(login_guard_failures(g, "clerk01"), 2);
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + 2, &until,
	    NULL), 0);
	assert_int_equal(until, T0 + 2 + 15 * 60);
	/* Never lowers a count; 0 adds no entry. */
	assert_int_equal(login_guard_failure(g, "clerk02", &POLICY, T0, NULL,
	    NULL), 0);
	assert_int_equal(login_guard_restore(g, "clerk02", 0, T0, NULL), 0);
	assert_int_equal(login_guard_failures(g, "clerk02"), 1);
	assert_int_equal(login_guard_restore(g, "clerk03", 0, T0, NULL), 0);
	assert_int_equal(login_guard_format(g, &text, &len, NULL), 0);
	assert_null(strstr(text, "clerk03"));
	free(text);
	assert_int_equal(login_guard_restore(g, "clerk03", -1, T0, NULL),
	    SESSHU_EINVAL);
	assert_int_equal(login_guard_restore(g, "clerk 3", 1, T0, NULL),
	    SESSHU_EINVAL);
	login_guard_free(g);
}

static void
test_login_guard_queues_each_attempt_with_its_time_and_outcome(void **state)
{
	struct login_guard *g = fresh();
	struct sesshu_err err = { 0 };
	const struct login_guard_event *ev;
	int64_t until;
	char out[160];

	(void)state;
	/* Not locked: a refusal is a caller's mistake. */
	assert_int_equal(login_guard_refusal(g, "clerk01", T0, &err), SESSHU_EINVAL);
	for (int i = 0; i < 3; i++)
		assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + i,
		    &until, NULL), 0);
	assert_int_equal(login_guard_refusal(g, "clerk01", T0 + 60, NULL), 0);
	assert_int_equal(login_guard_pending(g), 4);
	ev = login_guard_event_at(g, 1);
	assert_int_equal(ev->at, T0 + 1);
	assert_int_equal(ev->kind, LOGIN_GUARD_FAILED);
	login_guard_outcome(ev, out, sizeof(out));
	assert_string_equal(out, "refused: auth_failed (offline, 2 of 3)");
	ev = login_guard_event_at(g, 2);
	login_guard_outcome(ev, out, sizeof(out));
	assert_string_equal(out, "refused: auth_failed (offline); locked until "
	    "2026-11-18T11:21:42.000Z");
	ev = login_guard_event_at(g, 3);
	assert_int_equal(ev->at, T0 + 60);
	login_guard_outcome(ev, out, sizeof(out));
	assert_string_equal(out, "refused: locked (offline) until "
	    "2026-11-18T11:21:42.000Z");
	assert_null(login_guard_event_at(g, 4));
	login_guard_clear_events(g);
	assert_int_equal(login_guard_pending(g), 0);
	/* Clearing the queue keeps the lock. */
	assert_int_equal(login_guard_locked_until(g, "clerk01", T0 + 61), until);
	login_guard_free(g);
}

static void
test_login_guard_bounds_the_queue_and_counts_what_it_drops(void **state)
{
	struct login_guard *g = fresh();
	struct login_guard_policy never = { LOGIN_GUARD_COUNT_MAX, 1 };
	int64_t first, last;
	char *text;
	size_t len;

	(void)state;
	for (int i = 0; i < LOGIN_GUARD_MAX_EVENTS + 7; i++)
		assert_int_equal(login_guard_failure(g, "clerk01", &never, T0 + i,
		    NULL, NULL), 0);
	assert_int_equal(login_guard_pending(g), LOGIN_GUARD_MAX_EVENTS);
	assert_int_equal(login_guard_dropped(g, &first, &last), 7);
	assert_int_equal(first, T0 + LOGIN_GUARD_MAX_EVENTS);
	assert_int_equal(last, T0 + LOGIN_GUARD_MAX_EVENTS + 6);
	assert_int_equal(login_guard_format(g, &text, &len, NULL), 0);
	assert_true(len <= LOGIN_GUARD_MAX_BYTES);
	assert_non_null(strstr(text, "\ndropped 7 "));
	free(text);
	login_guard_clear_events(g);
	assert_int_equal(login_guard_dropped(g, NULL, NULL), 0);
	login_guard_free(g);
}

static void
test_login_guard_bounds_the_users_and_makes_room_from_ended_locks(void **state)
{
	struct login_guard *g = fresh();
	struct login_guard_policy one = { 1, 1 };
	struct sesshu_err err = { 0 };
	char id[32], *text;
	size_t len;

	(void)state;
	for (int i = 0; i < LOGIN_GUARD_MAX_USERS; i++) {
		snprintf(id, sizeof(id), "user%03d", i);
		assert_int_equal(login_guard_failure(g, id, &one, T0, NULL, NULL), 0);
	}
	/* Every user is locked: no room for another. */
	assert_int_equal(login_guard_failure(g, "late", &one, T0 + 1, NULL, &err),
	    SESSHU_ERANGE);
	/* A full file of users and events still fits the bound. */
	assert_int_equal(login_guard_format(g, &text, &len, NULL), 0);
	assert_true(len <= LOGIN_GUARD_MAX_BYTES);
	free(text);
	/* Once the locks have ended, their entries give way. */
	assert_int_equal(login_guard_failure(g, "late", &one, T0 + 61, NULL, NULL),
	    0);
	assert_int_equal(login_guard_locked_until(g, "late", T0 + 61), T0 + 121);
	login_guard_free(g);
}

static void
test_login_guard_refuses_bad_ids_and_policies(void **state)
{
	struct login_guard *g = fresh();
	struct login_guard_policy zero = { 0, 15 }, no_minutes = { 5, 0 };
	char long_id[LOGIN_GUARD_ID_MAX + 2];

	(void)state;
	memset(long_id, 'a', sizeof(long_id) - 1);
	long_id[sizeof(long_id) - 1] = '\0';
	assert_int_equal(login_guard_failure(g, "", &POLICY, T0, NULL, NULL),
	    SESSHU_EINVAL);
	assert_int_equal(login_guard_failure(g, "a b", &POLICY, T0, NULL, NULL),
	    SESSHU_EINVAL);
	assert_int_equal(login_guard_failure(g, "a\nuser x 1 0", &POLICY, T0, NULL,
	    NULL), SESSHU_EINVAL);
	assert_int_equal(login_guard_failure(g, long_id, &POLICY, T0, NULL, NULL),
	    SESSHU_EINVAL);
	assert_int_equal(login_guard_failure(g, "clerk01", &zero, T0, NULL, NULL),
	    SESSHU_EINVAL);
	assert_int_equal(login_guard_failure(g, "clerk01", &no_minutes, T0, NULL,
	    NULL), SESSHU_EINVAL);
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, -1, NULL, NULL),
	    SESSHU_EINVAL);
	assert_int_equal(login_guard_pending(g), 0);
	login_guard_free(g);
}

static void
test_login_guard_text_round_trips(void **state)
{
	struct login_guard *g = fresh(), *h;
	struct sesshu_err err = { 0 };
	struct login_guard_policy never = { LOGIN_GUARD_COUNT_MAX, 1 };
	char *a, *b;
	size_t alen, blen;
	int64_t until;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + i,
		    &until, NULL), 0);
	assert_int_equal(login_guard_refusal(g, "clerk01", T0 + 5, NULL), 0);
	assert_int_equal(login_guard_failure(g, "verifier.02", &POLICY, T0 + 6,
	    NULL, NULL), 0);
	for (int i = 0; i < LOGIN_GUARD_MAX_EVENTS; i++)
		assert_int_equal(login_guard_failure(g, "x_y-z", &never, T0 + 7 + i,
		    NULL, NULL), 0);
	assert_int_equal(login_guard_format(g, &a, &alen, NULL), 0);
	assert_int_equal(strncmp(a, "sesshu-login-failures 1\nuser clerk01 0 ",
	    39), 0);
	if (login_guard_parse(&h, a, alen, "login-failures", &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(login_guard_format(h, &b, &blen, NULL), 0);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_int_equal(login_guard_locked_until(h, "clerk01", T0 + 6), until);
	assert_int_equal(login_guard_failures(h, "verifier.02"), 1);
	assert_int_equal(login_guard_pending(h), LOGIN_GUARD_MAX_EVENTS);
	assert_int_equal(login_guard_dropped(h, NULL, NULL), 5);
	free(a);
	free(b);
	login_guard_free(g);
	login_guard_free(h);
}

static void
test_login_guard_parses_an_empty_file_of_its_own(void **state)
{
	struct login_guard *g;
	char *text = with_end("sesshu-login-failures 1\n");

	(void)state;
	assert_int_equal(parse_text(text, &g, NULL), 0);
	assert_int_equal(login_guard_pending(g), 0);
	login_guard_free(g);
	free(text);
}

/* A body that reaches its check only with a correct end line. */
static void
expect_refused(const char *body, int code, const char *words)
{
	struct sesshu_err err = { 0 };
	struct login_guard *g = (struct login_guard *)1;
	char *text = with_end(body);

	if (parse_text(text, &g, &err) != code || strstr(err.msg, words) == NULL)
		fail_msg("\"%s\": wanted %d with \"%s\", got %d \"%s\"", body, code,
		    words, err.code, err.msg);
	assert_null(g);
	free(text);
}

static void
test_login_guard_refuses_every_malformed_line(void **state)
{
#define H	"sesshu-login-failures 1\n"
	(void)state;
	expect_refused("sesshu-login-failures 2\n", SESSHU_EVERSION, "newer");
	expect_refused("sesshu-keyslots 1\n", SESSHU_EFORMAT, "line 1: not a login");
	expect_refused(H "user clerk01 1\n", SESSHU_EFORMAT, "line 2: a user line");
	expect_refused(H "user clerk01  1 0\n", SESSHU_EFORMAT, "line 2: badly");
	expect_refused(H "user clerk01 1 0 \n", SESSHU_EFORMAT, "line 2: badly");
	expect_refused(H " user clerk01 1 0\n", SESSHU_EFORMAT, "line 2: badly");
	expect_refused(H "user clerk01 01 0\n", SESSHU_EFORMAT, "failures: not a number");
	expect_refused(H "user clerk01 -1 0\n", SESSHU_EFORMAT, "failures: not a number");
	expect_refused(H "user clerk01 +1 0\n", SESSHU_EFORMAT, "failures: not a number");
	expect_refused(H "user clerk01 1001 0\n", SESSHU_EFORMAT, "failures: 1001");
	expect_refused(H "user clerk01 1 99999999999999999999\n", SESSHU_EFORMAT,
	    "locked until");
	expect_refused(H "user clerk01 1 253402300800\n", SESSHU_EFORMAT,
	    "locked until: 253402300800");
	expect_refused(H "user clerk01 0 0\n", SESSHU_EFORMAT, "counts nothing");
	expect_refused(H "user clerk01 1 0\nuser clerk01 2 0\n", SESSHU_EFORMAT,
	    "line 3: user clerk01 appears twice");
	expect_refused(H "user cl/rk01 1 0\n", SESSHU_EFORMAT, "not a user ID");
	expect_refused(H "user "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1 0\n",
	    SESSHU_EFORMAT, "not a user ID");
	expect_refused(H "user clerk\xe4 1 0\n", SESSHU_EFORMAT, "printable ASCII");
	expect_refused(H "user clerk01 1 0\r\n", SESSHU_EFORMAT, "printable ASCII");
	expect_refused(H "event 1795000000 clerk01 failed 3 3\n", SESSHU_EFORMAT,
	    "not below the limit");
	expect_refused(H "event 1795000000 clerk01 failed 0 3\n", SESSHU_EFORMAT,
	    "count: 0");
	expect_refused(H "event 1795000000 clerk01 failed 1\n", SESSHU_EFORMAT,
	    "a count and a limit");
	expect_refused(H "event 1795000000 clerk01 locked\n", SESSHU_EFORMAT,
	    "too short");
	expect_refused(H "event 1795000000 clerk01 locked 1 2\n", SESSHU_EFORMAT,
	    "one time");
	expect_refused(H "event 1795000000 clerk01 guessed 1\n", SESSHU_EFORMAT,
	    "unknown event kind");
	expect_refused(H "event 1795000000 clerk01\n", SESSHU_EFORMAT, "too short");
	expect_refused(H "event x clerk01 locked 1\n", SESSHU_EFORMAT,
	    "time: not a number");
	expect_refused(H "event 1 clerk01 locked 1\nuser clerk01 1 0\n",
	    SESSHU_EFORMAT, "line 3: unexpected \"user\"");
	expect_refused(H "dropped 1 5 4\n", SESSHU_EFORMAT, "last: 4");
	expect_refused(H "dropped 0 5 6\n", SESSHU_EFORMAT, "number: 0");
	expect_refused(H "dropped 1 5 6\ndropped 1 5 6\n", SESSHU_EFORMAT,
	    "line 3: unexpected \"dropped\"");
	expect_refused(H "dropped 1 5 6\nevent 1 clerk01 locked 1\n", SESSHU_EFORMAT,
	    "line 3: unexpected \"event\"");
	expect_refused(H "whatever 1\n", SESSHU_EFORMAT, "unexpected \"whatever\"");
	expect_refused(H "a b c d e f g h i\n", SESSHU_EFORMAT, "badly separated");
	expect_refused(H "end 00\n", SESSHU_EFORMAT, "line 2: an end line");
#undef H
}

static void
test_login_guard_refuses_damage_truncation_and_size(void **state)
{
	struct sesshu_err err = { 0 };
	struct login_guard *g;
	char *text = with_end("sesshu-login-failures 1\nuser clerk01 2 0\n");
	char *big;
	size_t len = strlen(text);

	(void)state;
	/* One byte changed: the checksum does not match. */
	text[strlen("sesshu-login-failures 1\nuser clerk01 ")] = '1';
	assert_int_equal(parse_text(text, &g, &err), SESSHU_ECORRUPT);
	assert_non_null(strstr(err.msg, "login-failures: the checksum"));
	text[strlen("sesshu-login-failures 1\nuser clerk01 ")] = '2';
	assert_int_equal(parse_text(text, &g, NULL), 0);
	login_guard_free(g);
	/* Cut anywhere: refused. */
	for (size_t cut = 0; cut < len; cut++)
		assert_int_not_equal(login_guard_parse(&g, text, cut, "f", NULL), 0);
	/* Cut at a line, the end line gone. */
	assert_int_equal(login_guard_parse(&g, text, len - 69, "f", &err),
	    SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "no end line"));
	/* Anything after the end line. */
	big = malloc(len + 32);
	snprintf(big, len + 32, "%suser clerk02 1 0\n", text);
	assert_int_equal(parse_text(big, &g, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "line 4: text after the end"));
	free(big);
	/* A NUL inside. */
	text[30] = '\0';
	assert_int_equal(login_guard_parse(&g, text, len, "f", &err), SESSHU_EFORMAT);
	free(text);
	/* Larger than the bound, whatever it holds. */
	big = calloc(1, LOGIN_GUARD_MAX_BYTES + 2);
	memset(big, '\n', LOGIN_GUARD_MAX_BYTES + 1);
	assert_int_equal(login_guard_parse(&g, big, LOGIN_GUARD_MAX_BYTES + 1, "f",
	    &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "larger than"));
	free(big);
	/* A line too long to be one of ours. */
	big = calloc(1, 1024);
	memcpy(big, "sesshu-login-failures 1\nuser ", 29);
	memset(big + 29, 'a', 600);
	big[629] = '\n';
	assert_int_equal(parse_text(big, &g, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "line 2: longer than"));
	free(big);
}

/* Random damage never crashes the parser, and what parses re-formats. */
static void
test_login_guard_survives_random_damage(void **state)
{
	struct login_guard *g = fresh(), *h;
	char *text, *copy;
	size_t len;
	unsigned seed = 7;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + i,
		    NULL, NULL), 0);
	assert_int_equal(login_guard_failure(g, "clerk02", &POLICY, T0, NULL,
	    NULL), 0);
	assert_int_equal(login_guard_format(g, &text, &len, NULL), 0);
	copy = malloc(len);
	for (int round = 0; round < 2000; round++) {
		memcpy(copy, text, len);
		for (int k = 0; k < 1 + round % 3; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % len] = (char)(seed >> 20);
		}
		if (login_guard_parse(&h, copy, len, "f", NULL) == 0) {
			char *again;
			size_t alen;

			/* Only an unchanged byte can keep the checksum. */
			assert_int_equal(login_guard_format(h, &again, &alen, NULL), 0);
			assert_int_equal(alen, len);
			assert_memory_equal(again, copy, len);
			free(again);
			login_guard_free(h);
		}
	}
	free(copy);
	free(text);
	login_guard_free(g);
}

struct dir_fx {
	char	*dir;
	char	 path[4096];
};

static int
setup_dir(void **state)
{
	struct dir_fx *fx = calloc(1, sizeof(*fx));

	fx->dir = tu_mkdtemp("guard");
	snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, LOGIN_GUARD_FILE);
	*state = fx;
	return 0;
}

static int
teardown_dir(void **state)
{
	struct dir_fx *fx = *state;

	tu_rm_rf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

static void
test_login_guard_missing_file_is_an_empty_guard(void **state)
{
	struct dir_fx *fx = *state;
	struct login_guard *g;

	assert_int_equal(login_guard_load(&g, fx->path, NULL), 0);
	assert_int_equal(login_guard_pending(g), 0);
	assert_int_equal(login_guard_locked_until(g, "clerk01", T0), 0);
	login_guard_free(g);
	assert_int_equal(access(fx->path, F_OK), -1);
}

static void
test_login_guard_save_is_atomic_private_and_reloads(void **state)
{
	struct dir_fx *fx = *state;
	struct login_guard *g = fresh(), *h;
	char tmp[4200];
	struct stat sb;
	int64_t until;

	for (int i = 0; i < 3; i++)
		assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + i,
		    &until, NULL), 0);
	/* Debris of an interrupted save is replaced, not an obstacle. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", fx->path);
	assert_int_equal(tu_write_file(tmp, "half", 4), 0);
	umask(022);
	assert_int_equal(login_guard_save(g, fx->path, NULL), 0);
	assert_int_equal(stat(fx->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(login_guard_load(&h, fx->path, NULL), 0);
	assert_int_equal(login_guard_locked_until(h, "clerk01", T0 + 3), until);
	assert_int_equal(login_guard_pending(h), 3);
	login_guard_free(h);
	/* Holds IDs, numbers and a checksum only: nothing else to find. */
	assert_false(tu_file_contains(fx->path, "password", 8));
	login_guard_free(g);
}

static void
test_login_guard_failed_save_leaves_the_old_file(void **state)
{
	struct dir_fx *fx = *state;
	struct login_guard *g = fresh(), *h;
	struct sesshu_err err = { 0 };
	unsigned char *before, *after;
	size_t blen, alen;
	char tmp[4200];

	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0, NULL,
	    NULL), 0);
	assert_int_equal(login_guard_save(g, fx->path, NULL), 0);
	before = tu_read_file(fx->path, &blen);
	/* The temporary name is taken by a directory: the save fails. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", fx->path);
	assert_int_equal(mkdir(tmp, 0700), 0);
	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0 + 1, NULL,
	    NULL), 0);
	assert_int_equal(login_guard_save(g, fx->path, &err), SESSHU_EIO);
	assert_non_null(strstr(err.msg, ".tmp"));
	after = tu_read_file(fx->path, &alen);
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	assert_int_equal(login_guard_load(&h, fx->path, NULL), 0);
	assert_int_equal(login_guard_failures(h, "clerk01"), 1);
	login_guard_free(h);
	rmdir(tmp);
	free(before);
	free(after);
	login_guard_free(g);
}

static void
test_login_guard_load_refuses_a_damaged_file_and_leaves_it(void **state)
{
	struct dir_fx *fx = *state;
	struct login_guard *g = fresh(), *h;
	struct sesshu_err err = { 0 };
	unsigned char *text, *again;
	size_t len, alen;

	assert_int_equal(login_guard_failure(g, "clerk01", &POLICY, T0, NULL,
	    NULL), 0);
	assert_int_equal(login_guard_save(g, fx->path, NULL), 0);
	text = tu_read_file(fx->path, &len);
	text[len / 2] ^= 0x01;
	assert_int_equal(tu_write_file(fx->path, text, len), 0);
	assert_int_not_equal(login_guard_load(&h, fx->path, &err), 0);
	assert_non_null(strstr(err.msg, fx->path));
	again = tu_read_file(fx->path, &alen);
	assert_int_equal(alen, len);
	assert_memory_equal(again, text, len);
	free(again);
	free(text);
	/* Not a regular file. */
	unlink(fx->path);
	assert_int_equal(mkdir(fx->path, 0700), 0);
	assert_int_equal(login_guard_load(&h, fx->path, &err), SESSHU_EIO);
	rmdir(fx->path);
	/* Larger than the bound. */
	text = calloc(1, LOGIN_GUARD_MAX_BYTES + 10);
	assert_int_equal(tu_write_file(fx->path, text, LOGIN_GUARD_MAX_BYTES + 10),
	    0);
	assert_int_equal(login_guard_load(&h, fx->path, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "larger than"));
	free(text);
	login_guard_free(g);
}

static int
fn_fail(struct login_guard *g, void *ctx, struct sesshu_err *err)
{
	int rc = login_guard_failure(g, "clerk01", &POLICY, *(int64_t *)ctx, NULL,
	    err);

	return rc != 0 ? rc : 1;
}

static int
fn_look(struct login_guard *g, void *ctx, struct sesshu_err *err)
{
	(void)err;
	*(int *)ctx = login_guard_failures(g, "clerk01");
	return 0;
}

static int
fn_refuse(struct login_guard *g, void *ctx, struct sesshu_err *err)
{
	(void)ctx;
	(void)login_guard_failure(g, "clerk01", &POLICY, T0 + 99, NULL, NULL);
	return sesshu_err_set(err, SESSHU_EIO, "the audit trail is full");
}

static void
test_login_guard_update_saves_only_what_it_is_told_to(void **state)
{
	struct dir_fx *fx = *state;
	struct sesshu_err err = { 0 };
	int64_t now = T0;
	int seen = -1;

	/* Looking does not create the file. */
	assert_int_equal(login_guard_update(fx->path, fn_look, &seen, NULL), 0);
	assert_int_equal(seen, 0);
	assert_int_equal(access(fx->path, F_OK), -1);
	assert_int_equal(login_guard_update(fx->path, fn_fail, &now, NULL), 0);
	now++;
	assert_int_equal(login_guard_update(fx->path, fn_fail, &now, NULL), 0);
	assert_int_equal(login_guard_update(fx->path, fn_look, &seen, NULL), 0);
	assert_int_equal(seen, 2);
	/* A failing step writes nothing. */
	assert_int_equal(login_guard_update(fx->path, fn_refuse, NULL, &err),
	    SESSHU_EIO);
	assert_int_equal(login_guard_update(fx->path, fn_look, &seen, NULL), 0);
	assert_int_equal(seen, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_guard_locks_after_n_failures_for_m_minutes),
		cmocka_unit_test(test_login_guard_lock_ends_at_its_time_and_the_count_starts_again),
		cmocka_unit_test(test_login_guard_success_resets_the_count),
		cmocka_unit_test(test_login_guard_restore_counts_a_failed_second_factor_on),
		cmocka_unit_test(test_login_guard_queues_each_attempt_with_its_time_and_outcome),
		cmocka_unit_test(test_login_guard_bounds_the_queue_and_counts_what_it_drops),
		cmocka_unit_test(test_login_guard_bounds_the_users_and_makes_room_from_ended_locks),
		cmocka_unit_test(test_login_guard_refuses_bad_ids_and_policies),
		cmocka_unit_test(test_login_guard_text_round_trips),
		cmocka_unit_test(test_login_guard_parses_an_empty_file_of_its_own),
		cmocka_unit_test(test_login_guard_refuses_every_malformed_line),
		cmocka_unit_test(test_login_guard_refuses_damage_truncation_and_size),
		cmocka_unit_test(test_login_guard_survives_random_damage),
		cmocka_unit_test_setup_teardown(test_login_guard_missing_file_is_an_empty_guard,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_login_guard_save_is_atomic_private_and_reloads,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_login_guard_failed_save_leaves_the_old_file,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_login_guard_load_refuses_a_damaged_file_and_leaves_it,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_login_guard_update_saves_only_what_it_is_told_to,
		    setup_dir, teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
