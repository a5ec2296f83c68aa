/*
 * test_tui_policy.c: the workstation's login and session policy seen from
 * the real `sesshu` in tmux, against a real register on 127.0.0.1 with a
 * synthetic city of 200 residents: five wrong passwords in a row lock a
 * user out ([login] lockout_failures = 5, the default), so that the sixth
 * attempt, with the right password, is refused with the end of the
 * lockout and no finger asked for; and a screen locked longer than
 * [session] lock_logout_seconds (60, the least the settings allow) ends
 * the session, leaving no personal data in the pane or its history, and
 * the audit trail says why.
 *
 * The first logins of clerk01 and clerk02 (activation code, new password
 * twice, the print enrolled through every stage of libfprint's virtual
 * reader inside sesshu, the test being the finger: tui_driver.h) are made
 * in the TUI when the world is set up. clerk01 then stays locked out for
 * 15 minutes, so the session test logs in as clerk02. The tests run in
 * order on one pane; every wait polls capture-pane under a deadline. The
 * lock logout takes about 60 s of the file's 70 s or so.
 */
#define _GNU_SOURCE
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <glib.h>

#include "itest.h"
#include "store/store.h"
#include "sync/account.h"
#include "testutil.h"
#include "tui_driver.h"

#define MUNI		"990001"
#define ADMIN_PW	"correct horse battery staple"
#define CLERK_PW	"窓口の長いパスワード2026"
#define WRONG_PW	"窓口の違うパスワード2026"
#define LOCKOUT_FAILURES 5	/* [login] lockout_failures, the default */
#define LOCKOUT_MINUTES	15	/* [login] lockout_minutes, the default */
#define LOCK_LOGOUT	60	/* [session] lock_logout_seconds, the least */

/* The screen's words (i18n/ja.po). */
#define LOGIN_PROMPT	"利用者IDを入力して Enter キーを押してください。"
#define WRONG		"利用者ID、パスワードまたは指紋が正しくありません。"
#define LOCKED_OUT	"ログインできません: ログインの失敗が規定の回数を超え" \
			    "たため、この利用者IDは "
#define PERSON		"業務メニュー"	/* the first screen after a login */
#define LOOKUP		"宛名番号照会"
#define LOCKED		"ロック中 - clerk02"
#define LOCKED_TOO_LONG	"ロックされた時間が長すぎたため、セッションを終了しました。"

static struct world {
	struct tui_world	 w;		/* tui_driver.h */
	/* The resident looked up before the lock, never to linger after. */
	char			 atena[11], name[128], kana[128];
} W;

static int
ask_admin(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
    struct sesshu_err *err)
{
	(void)ctx;
	(void)what;
	(void)why;
	return secbuf_dup(out, ADMIN_PW, strlen(ADMIN_PW), err);
}

/* The administrator's session on the cache, from this process. */
static struct ws_session *
admin_session(void)
{
	struct sesshu_err err = { 0 };
	struct ws_session *s;

	if (ws_login(W.w.ws, "admin01", ask_admin, NULL, &s, &err) != 0)
		fail_msg("ws_login: %s", err.msg);
	return s;
}

static void
write_text(const char *path, const char *text)
{
	assert_int_equal(tu_write_file(path, text, strlen(text)), 0);
}

/* A clerk's ID and password typed from the empty login screen. */
static void
id_and_password(const char *user, const char *password)
{
	WAIT(LOGIN_PROMPT);
	type(user);
	key("Enter");
	WAIT("パスワード");
	type(password);
	key("Enter");
}

/*
 * The first login (online): the activation code, the password set twice,
 * the print enrolled through every stage of the reader; then F9.
 */
static void
first_login(const char *user, const char *code)
{
	char *id = itest_spr("%s-finger", user);

	id_and_password(user, code);
	free(wait_screen("main", "新しいパスワード", 0, 20));
	type(CLERK_PW);
	key("Enter");
	WAIT("新しいパスワード(確認)");
	type(CLERK_PW);
	key("Enter");
	enroll_finger(W.w.vdev, id);
	free(wait_screen("main", PERSON, 0, 20));
	key("F9");
	WAIT(LOGIN_PROMPT);
	free(id);
}

static int
setup_world(void **state)
{
	struct ws_session *s;
	sqlite3_stmt *stmt;
	char *cmd;

	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	{
		/* clerk01 ends locked out: clerk02 is the session test's clerk. */
		static const struct tui_world_spec spec = {
			.tag = "tui-policy", .residents = "200", .seed = "11",
			.with_records = 0, .admin_pw = ADMIN_PW,
			.clerks = {
			{ "clerk01", "窓口 一郎" },
			{ "clerk02", "窓口 二郎" },
			},
		};

		if (tui_world_create(&W.w, &spec) != 0)
			return -1;
	}

	/* A resident to look up, from the cache provisioning filled. */
	s = admin_session();
	assert_int_equal(sqlite3_prepare_v2(store_db(s->st), "SELECT atena_no, "
	    "name, name_kana FROM persons WHERE status = 1 ORDER BY atena_no "
	    "LIMIT 1", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	snprintf(W.atena, sizeof(W.atena), "%s", sqlite3_column_text(stmt, 0));
	snprintf(W.name, sizeof(W.name), "%s", sqlite3_column_text(stmt, 1));
	snprintf(W.kana, sizeof(W.kana), "%s", sqlite3_column_text(stmt, 2));
	sqlite3_finalize(stmt);
	ws_session_close(s);

	write_text(W.w.conf, "[fingerprint]\ndriver = virtual_device\n"
	    "[session]\nlock_logout_seconds = 60\n");
	write_text(W.w.tmux_conf, "set -g remain-on-exit on\n"
	    "set -g history-limit 10000\nset -g default-terminal screen\n");
	/* libfprint's virtual reader: the test is the finger (tui_driver.h). */
	cmd = itest_spr("env -u LC_ALL -u LANGUAGE -u FP_VIRTUAL_DEVICE "
	    "LANG=C.UTF-8 FP_DRIVERS_WHITELIST=virtual_device "
	    "FP_VIRTUAL_DEVICE=%s %s --state %s --config %s; "
	    "echo $? > %s/main.status", W.w.vdev, SESSHU_BIN, W.w.ws, W.w.conf, W.w.dir);
	TMUX("new-session", "-d", "-s", "main", "-x", "100", "-y", "30", cmd);
	free(cmd);

	/* Both clerks' first logins, in the TUI. */
	first_login("clerk01", W.w.codes[0]);
	first_login("clerk02", W.w.codes[1]);
	return 0;
}

static int
teardown_world(void **state)
{
	(void)state;
	free(tmux_run("kill-server", NULL).out);
	tui_world_destroy(&W.w);
	return 0;
}

/* Minutes since midnight of a time shown "HH:MM" or "YYYY-MM-DD HH:MM". */
static int
shown_minutes(const char *at)
{
	int y, mo, d, h, m;

	if (sscanf(at, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &m) == 5 ||
	    sscanf(at, "%d:%d", &h, &m) == 2)
		return h * 60 + m;
	return -1;
}

static void
test_tui_policy_five_wrong_passwords_lock_the_user(void **state)
{
	char *s, *at;
	struct tm tm;
	time_t until;
	int shown, want, diff;

	(void)state;
	for (int i = 1; i <= LOCKOUT_FAILURES; i++) {
		id_and_password("clerk01", WRONG_PW);
		s = wait_screen("main", WRONG, 0, 15);
		if (strstr(s, "too many failed logins") != NULL ||
		    strstr(s, "ログインできません") != NULL)
			fail_msg("attempt %d says more than \"wrong\":\n%s", i, s);
		assert_null(strstr(s, TUI_PLACE_FINGER));
		free(s);
		/* Back to an empty user ID, the message cleared. */
		key("Escape");
		WAIT_GONE(WRONG);
	}
	/* The right password now: refused before it is checked. */
	until = time(NULL) + LOCKOUT_MINUTES * 60;
	id_and_password("clerk01", CLERK_PW);
	s = wait_screen("main", LOCKED_OUT, 0, 15);
	assert_null(strstr(s, TUI_PLACE_FINGER));
	assert_null(strstr(s, PERSON));
	assert_non_null(strstr(s, "未ログイン"));
	/* The end of the lockout, in local time: 15 minutes from now. */
	at = strstr(s, LOCKED_OUT) + strlen(LOCKED_OUT);
	shown = shown_minutes(at);
	localtime_r(&until, &tm);
	want = tm.tm_hour * 60 + tm.tm_min;
	diff = (shown - want + 24 * 60) % (24 * 60);
	if (shown < 0 || (diff > 1 && diff < 24 * 60 - 1))
		fail_msg("the lockout should end at about %02d:%02d:\n%s",
		    tm.tm_hour, tm.tm_min, s);
	free(s);
	/* The screen stays on the login, the reader never opened. */
	pause_ms(500);
	s = capture("main", 0);
	assert_non_null(strstr(s, LOCKED_OUT));
	assert_null(strstr(s, TUI_PLACE_FINGER));
	free(s);
	key("Escape");
	WAIT_GONE(LOCKED_OUT);
}

/* Fails when s holds any of the resident's identifying data. */
static void
assert_no_personal_data(const char *s, const char *where)
{
	const char *keys[] = { W.atena, W.name, W.kana };

	if (s == NULL)
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strstr(s, keys[i]) != NULL)
			fail_msg("%s still shows \"%s\":\n%s", where, keys[i], s);
}

static void
test_tui_policy_locked_too_long_logs_out(void **state)
{
	const char *expect = "session.logout|user:clerk02|ok: locked-too-long\n";
	double locked_at, deadline, waited;
	struct ws_session *ws;
	sqlite3_stmt *stmt;
	GString *trail = g_string_new("");
	char *s = NULL;

	(void)state;
	id_and_password("clerk02", CLERK_PW);
	finger(W.w.vdev, "clerk02-finger");
	free(wait_screen("main", PERSON, 0, 20));
	key("3");
	WAIT(LOOKUP);
	type(W.atena);
	key("Enter");
	s = wait_screen("main", W.name, 0, 10);
	assert_non_null(strstr(s, W.kana));
	free(s);
	key("F12");
	s = wait_screen("main", LOCKED, 0, 10);
	locked_at = now_s();
	assert_no_personal_data(s, "the locked screen");
	free(s);
	s = NULL;

	/* Nothing to press: the session ends by itself after 60 s. */
	deadline = locked_at + LOCK_LOGOUT + 30;
	for (;;) {
		free(s);
		if ((s = capture("main", 0)) == NULL)
			s = strdup("(no pane)");
		if (strstr(s, LOCKED_TOO_LONG) != NULL ||
		    strstr(s, LOGIN_PROMPT) != NULL)
			break;
		if (now_s() > deadline)
			fail_msg("after %d s locked the session goes on:\n%s",
			    LOCK_LOGOUT + 30, s);
		pause_ms(250);
	}
	waited = now_s() - locked_at;
	if (waited < LOCK_LOGOUT - 2)
		fail_msg("the session ended after %.0f s locked, before %d s:\n%s",
		    waited, LOCK_LOGOUT, s);
	free(s);
	/* The login screen and its note may come in two redraws. */
	s = wait_screen("main", LOCKED_TOO_LONG, 0, 5);
	assert_non_null(strstr(s, "未ログイン"));
	assert_no_personal_data(s, "the login screen after the lock logout");
	free(s);
	s = capture("main", 0);		/* the whole pane, history included */
	assert_no_personal_data(s, "the pane");
	free(s);
	s = capture("main", 1);		/* the normal screen beneath */
	assert_no_personal_data(s, "the normal screen");
	free(s);

	/* The audit trail says why the session ended. */
	ws = admin_session();
	assert_int_equal(sqlite3_prepare_v2(store_db(ws->st), "SELECT action, "
	    "object, outcome FROM audit_log ORDER BY seq", -1, &stmt, NULL),
	    SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_string_append_printf(trail, "%s|%s|%s\n",
		    sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 1),
		    sqlite3_column_text(stmt, 2));
	sqlite3_finalize(stmt);
	ws_session_close(ws);
	if (strstr(trail->str, expect) == NULL)
		fail_msg("the audit trail lacks \"%s\":\n%s", expect, trail->str);
	g_string_free(trail, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tui_policy_five_wrong_passwords_lock_the_user),
		cmocka_unit_test(test_tui_policy_locked_too_long_logs_out),
	};

	return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
