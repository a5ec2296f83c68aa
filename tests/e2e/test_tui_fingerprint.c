/*
 * test_tui_fingerprint.c: the fingerprint factor of the real `sesshu` in
 * tmux, with libfprint's virtual_device reader running inside it and a
 * real register on 127.0.0.1: the first login (activation code, new
 * password, enrollment through every stage with its progress on screen,
 * the print pushed to the register), a later login with the right finger,
 * a wrong finger getting the very message of a wrong password, Esc while
 * the reader waits for a login and during an enrollment, the lock key and
 * an unlock refused to another finger then granted to the owner's, a
 * workstation without a reader refusing the login, and the audit trail of
 * it all, which (unlike the screen) says which factor failed.
 *
 * sesshu runs with FP_VIRTUAL_DEVICE (a short socket path under /tmp, as
 * sun_path allows) and FP_DRIVERS_WHITELIST=virtual_device, so no real
 * reader of the machine is touched. The test is the finger: it connects
 * to that socket and sends "SCAN <identity>" (vdev_send), after the
 * screen shows that the reader waits; the demo key F8
 * (SESSHU_DEMO_FINGER_KEY=1) stands in for one scan of the enrollment and
 * for one login. The tests run in order on one tmux pane, each starting
 * where the previous one left the screen; waits poll capture-pane under a
 * deadline.
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
#include <cmocka.h>

#include <glib.h>

#include "itest.h"
#include "store/store.h"
#include "sync/account.h"
#include "testutil.h"
#include "tui_driver.h"

#define MUNI		"990001"
#define ADMIN_PW	"correct horse battery staple"
#define CLERK_PW	"指紋と一緒に使うパスワード2026"
#define FINGER		"clerk01-finger"	/* what F8 sends for clerk01 */
#define INTRUDER	"intruder-finger"
#define STAGES		TUI_ENROLL_STAGES

/* The screen's words (i18n/ja.po). */
#define PLACE		TUI_PLACE_FINGER
#define WRONG		"利用者ID、パスワードまたは指紋が正しくありません。"
#define PERSON		"業務メニュー"	/* the first screen after a login */
#define LOCKED		"ロック中 - clerk01 - 指紋リーダーに指を置くとロックを解除します。"

static struct world {
	struct tui_world	 w;		/* tui_driver.h */

} W;

static void
write_text(const char *path, const char *text)
{
	assert_int_equal(tu_write_file(path, text, strlen(text)), 0);
}

/*
 * The pane's command: sesshu with the virtual reader (or none, without
 * vdev), then its exit status into DIR/<target>.status.
 */
static char *
pane_command(const char *target, const char *vdev)
{
	char *reader = vdev != NULL ? itest_spr("FP_VIRTUAL_DEVICE=%s "
	    "SESSHU_DEMO_FINGER_KEY=1", vdev) : strdup("");
	char *cmd;

	cmd = itest_spr("env -u LC_ALL -u LANGUAGE -u FP_VIRTUAL_DEVICE "
	    "LANG=C.UTF-8 FP_DRIVERS_WHITELIST=virtual_device %s %s --state %s "
	    "--config %s; echo $? > %s/%s.status", reader, SESSHU_BIN, W.w.ws,
	    W.w.conf, W.w.dir, target);
	free(reader);
	return cmd;
}

/* Waits for sesshu in the pane to end; its exit status. */
static int
exit_status(const char *target)
{
	char *path = itest_spr("%s/%s.status", W.w.dir, target);
	int status = pane_exit_status(path, target);

	free(path);
	return status;
}

static int
setup_world(void **state)
{
	char *cmd;

	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	{
		static const struct tui_world_spec spec = {
			.tag = "tuifp", .residents = NULL, .seed = NULL,
			.with_records = 0, .admin_pw = ADMIN_PW,
			.clerks = {
			{ "clerk01", "窓口 一郎" },
			},
		};

		if (tui_world_create(&W.w, &spec) != 0)
			return -1;
	}

	/* unlock_with = fingerprint is the default. */
	write_text(W.w.conf, "[fingerprint]\ndriver = virtual_device\n");
	write_text(W.w.tmux_conf, "set -g remain-on-exit on\n"
	    "set -g history-limit 10000\nset -g default-terminal screen\n");
	cmd = pane_command("main", W.w.vdev);
	TMUX("new-session", "-d", "-s", "main", "-x", "100", "-y", "30", cmd);
	free(cmd);
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

/* User ID and password, up to the reader's prompt. */
static void
log_in_to_the_finger(void)
{
	WAIT("利用者IDを入力して Enter キーを押してください。");
	type("clerk01");
	key("Enter");
	WAIT("パスワード");
	type(CLERK_PW);
	key("Enter");
	WAIT(PLACE);
}

/* The one line of s that holds text (a copy, caller frees), or NULL. */
static char *
line_with(const char *s, const char *text)
{
	const char *p = strstr(s, text), *b, *e;

	if (p == NULL)
		return NULL;
	for (b = p; b > s && b[-1] != '\n'; b--)
		;
	e = p + strcspn(p, "\n");
	return strndup(b, (size_t)(e - b));
}

static void
test_tui_fp_first_login_enrolls_through_every_stage(void **state)
{
	char *s, progress[64];

	(void)state;
	/* The login screen says how the demo stands in for a finger. */
	s = wait_screen("main", "利用者IDを入力して", 0, 15);
	assert_non_null(strstr(s, "デモ: F8 キーを押すと"));
	assert_non_null(strstr(s, "F8 指(デモ)"));
	free(s);
	type("clerk01");
	key("Enter");
	WAIT("パスワード");
	type(W.w.codes[0]);
	key("Enter");
	WAIT("新しいパスワード");
	type(CLERK_PW);
	key("Enter");
	WAIT("新しいパスワード(確認)");
	type(CLERK_PW);
	key("Enter");
	/* No print yet for this reader: enrollment, with its progress. */
	s = wait_screen("main", "指紋の登録", 0, 20);
	assert_non_null(strstr(s, "clerk01 の指紋は、この種類の指紋リーダー用に"
	    "まだ登録されていません。"));
	assert_non_null(strstr(s, "右手の人差し指を登録します。"));
	assert_non_null(strstr(s, "未ログイン"));
	free(s);
	for (int i = 1; i <= STAGES; i++) {
		snprintf(progress, sizeof(progress), "読み取り %d 回目(全 %d 回)",
		    i, STAGES);
		s = wait_screen("main", progress, 0, 15);
		if (i > 1)	/* the previous scan, and the bar */
			assert_non_null(strstr(s, "指紋を読み取りました。"));
		free(s);
		WAIT(PLACE);
		/* The demo key is one of the scans: it sends FINGER. */
		if (i == 3)
			key("F8");
		else if (i == 2) {
			/* An unusable scan first: the reader's reason shows. */
			vdev_send(W.w.vdev, "RETRY 2");
			WAIT("指をリーダーの中央に置いて、もう一度お試しください。");
			vdev_send(W.w.vdev, "SCAN %s", FINGER);
		} else
			vdev_send(W.w.vdev, "SCAN %s", FINGER);
	}
	WAIT(PERSON);
	WAIT("clerk01 (入力担当)");
	/* The print reaches the register: nothing stays unsent after F5. */
	key("F5");
	WAIT("未送信 0件");
}

static void
test_tui_fp_later_login_with_the_right_finger(void **state)
{
	char *s;

	(void)state;
	key("F9");
	WAIT("未ログイン");
	log_in_to_the_finger();
	s = capture("main", 0);
	assert_non_null(strstr(s, "指紋"));
	assert_null(strstr(s, "読み取り 1 回目"));	/* no second enrollment */
	assert_non_null(strstr(s, "Esc キーで中止します。"));
	free(s);
	vdev_send(W.w.vdev, "SCAN %s", FINGER);
	WAIT(PERSON);
	WAIT("clerk01 (入力担当)");
}

static void
test_tui_fp_wrong_finger_says_nothing_of_which_factor(void **state)
{
	char *s, *finger_line, *password_line;

	(void)state;
	key("F9");
	WAIT("未ログイン");
	log_in_to_the_finger();
	vdev_send(W.w.vdev, "SCAN %s", INTRUDER);
	s = wait_screen("main", WRONG, 0, 15);
	assert_non_null(strstr(s, "未ログイン"));
	assert_null(strstr(s, "指紋を確認できませんでした"));
	finger_line = line_with(s, WRONG);
	free(s);
	/* A wrong password: the very same line. */
	key("Escape");
	WAIT_GONE(WRONG);
	type("clerk01");
	key("Enter");
	WAIT("パスワード");
	type("not the password");
	key("Enter");
	s = wait_screen("main", WRONG, 0, 15);
	password_line = line_with(s, WRONG);
	assert_string_equal(finger_line, password_line);
	free(finger_line);
	free(password_line);
	free(s);
	key("Escape");
	WAIT_GONE(WRONG);
}

static void
test_tui_fp_esc_while_the_reader_waits_starts_again(void **state)
{
	(void)state;
	log_in_to_the_finger();
	key("Escape");
	WAIT_GONE(PLACE);
	WAIT("利用者IDを入力して Enter キーを押してください。");
	/* The demo key logs clerk01 in. */
	log_in_to_the_finger();
	WAIT("デモ: F8 キーを押すと");
	key("F8");
	WAIT(PERSON);
}

static void
test_tui_fp_esc_cancels_an_enrollment(void **state)
{
	char *s;

	(void)state;
	key("F9");
	WAIT("未ログイン");
	/* admin01 was provisioned from the command line: no print yet. */
	WAIT("利用者IDを入力して Enter キーを押してください。");
	type("admin01");
	key("Enter");
	WAIT("パスワード");
	type(ADMIN_PW);
	key("Enter");
	WAIT("読み取り 1 回目(全 5 回)");
	WAIT(PLACE);
	key("Escape");
	s = wait_screen("main", "利用者IDを入力して Enter キーを押してください。",
	    0, 15);
	assert_null(strstr(s, "指紋の登録"));
	assert_non_null(strstr(s, "未ログイン"));
	free(s);
	/* Back to clerk01 for the lock tests, with the demo key. */
	log_in_to_the_finger();
	key("F8");
	WAIT(PERSON);
}

static void
test_tui_fp_unlock_with_another_finger_is_refused(void **state)
{
	char *s;

	(void)state;
	key("F12");
	s = wait_screen("main", LOCKED, 0, 10);
	free(s);
	WAIT(PLACE);
	/* unlock_with = fingerprint: Enter offers no password. */
	key("Enter");
	vdev_send(W.w.vdev, "SCAN %s", INTRUDER);
	s = wait_screen("main", "指紋を確認できませんでした。", 0, 15);
	assert_non_null(strstr(s, LOCKED));
	assert_null(strstr(s, "clerk01 のパスワード:"));
	assert_null(strstr(s, PERSON));
	free(s);
}

static void
test_tui_fp_unlock_with_the_owners_finger(void **state)
{
	char *s;

	(void)state;
	/* The reader waits again after the refusal. */
	WAIT(PLACE);
	vdev_send(W.w.vdev, "SCAN %s", FINGER);
	s = wait_screen("main", PERSON, 0, 15);
	assert_null(strstr(s, "ロック中"));
	free(s);
	key("F10");
	assert_int_equal(exit_status("main"), 0);
}

static void
test_tui_fp_no_reader_refuses_the_login(void **state)
{
	char *cmd, *s;

	(void)state;
	cmd = pane_command("noreader", NULL);
	TMUX("new-session", "-d", "-s", "noreader", "-x", "100", "-y", "30", cmd);
	free(cmd);
	free(wait_screen("noreader", "利用者IDを入力して", 0, 15));
	TMUX("send-keys", "-t", "noreader", "-l", "clerk01");
	TMUX("send-keys", "-t", "noreader", "Enter");
	free(wait_screen("noreader", "パスワード", 0, 15));
	TMUX("send-keys", "-t", "noreader", "-l", CLERK_PW);
	TMUX("send-keys", "-t", "noreader", "Enter");
	s = wait_screen("noreader", "ログインできません: 指紋リーダーが見つかり"
	    "ません。接続を確認してください。", 0, 15);
	assert_non_null(strstr(s, "未ログイン"));
	assert_null(strstr(s, "デモ: F8"));	/* no virtual reader, no demo */
	free(s);
	TMUX("send-keys", "-t", "noreader", "F10");
	assert_int_equal(exit_status("noreader"), 0);
}

static int
ask_clerk_password(void *ctx, enum ws_ask what, const char *why,
    struct secbuf *out, struct sesshu_err *err)
{
	(void)ctx;
	(void)what;
	(void)why;
	return secbuf_dup(out, CLERK_PW, strlen(CLERK_PW), err);
}

static void
test_tui_fp_audit_trail_says_which_factor(void **state)
{
	const char *expect[] = {
		"fingerprint.enroll|user:clerk01|ok\n",
		"login.fingerprint|user:clerk01|ok: enrolled\n",
		"login.fingerprint|user:clerk01|ok\n",
		"login.fingerprint|user:clerk01|refused: fingerprint not "
		    "recognised\n",
		"login.fingerprint|user:clerk01|cancelled\n",
		"login.fingerprint|user:clerk01|ok\n",
		"fingerprint.enroll|user:admin01|cancelled\n",
		"login.fingerprint|user:clerk01|ok\n",
		"session.lock|user:clerk01|ok: key\n",
		"session.unlock|user:clerk01|refused: fingerprint not "
		    "recognised\n",
		"session.unlock|user:clerk01|ok\n",
		"login.fingerprint|user:clerk01|refused: no fingerprint reader: ",
	};
	struct sesshu_err err = { 0 };
	struct ws_session *s;
	sqlite3_stmt *stmt;
	GString *trail = g_string_new("");
	const char *at;

	(void)state;
	if (ws_login(W.w.ws, "clerk01", ask_clerk_password, NULL, &s, &err) != 0)
		fail_msg("ws_login: %s", err.msg);
	assert_int_equal(sqlite3_prepare_v2(store_db(s->st), "SELECT action, "
	    "object, outcome FROM audit_log ORDER BY seq", -1, &stmt, NULL),
	    SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_string_append_printf(trail, "%s|%s|%s\n",
		    sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 1),
		    sqlite3_column_text(stmt, 2));
	sqlite3_finalize(stmt);
	ws_session_close(s);
	/* In this order, each after the one before. */
	at = trail->str;
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		if ((at = strstr(at, expect[i])) == NULL)
			fail_msg("the audit trail lacks \"%s\" (in order):\n%s",
			    expect[i], trail->str);
		at += strlen(expect[i]);
	}
	/* No print, no user's secret in the trail. */
	assert_null(strstr(trail->str, "FP3"));
	assert_null(strstr(trail->str, CLERK_PW));
	g_string_free(trail, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tui_fp_first_login_enrolls_through_every_stage),
		cmocka_unit_test(test_tui_fp_later_login_with_the_right_finger),
		cmocka_unit_test(test_tui_fp_wrong_finger_says_nothing_of_which_factor),
		cmocka_unit_test(test_tui_fp_esc_while_the_reader_waits_starts_again),
		cmocka_unit_test(test_tui_fp_esc_cancels_an_enrollment),
		cmocka_unit_test(test_tui_fp_unlock_with_another_finger_is_refused),
		cmocka_unit_test(test_tui_fp_unlock_with_the_owners_finger),
		cmocka_unit_test(test_tui_fp_no_reader_refuses_the_login),
		cmocka_unit_test(test_tui_fp_audit_trail_says_which_factor),
	};

	return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
