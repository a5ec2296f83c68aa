/*
 * test_tui.c: the real `sesshu` in tmux, against a real register on
 * 127.0.0.1 with a test PKI and a synthetic city of 200 residents: first
 * login with an activation code and a new password, a lookup by 宛名番号,
 * the history's columns lining up in kanji and kana, the lock key and the
 * idle lock leaving no name, kana or 宛名番号 anywhere in the pane or its
 * history, unlock by the same user, another user ending the session, a
 * wrong password, a terminal below 80x24, English by setting, quitting,
 * and the audit trail of it all.
 *
 * The tests run in order on one tmux pane, as a clerk's day would: each
 * starts where the previous one left the screen. Waits poll capture-pane
 * under a deadline. Logins end with a finger on libfprint's virtual
 * reader inside sesshu, given by the test (tui_driver.h; the fingerprint
 * factor itself is test_tui_fingerprint.c's). The idle lock needs
 * [session] idle_timeout_seconds = 30, the least the settings allow, so
 * this takes about 45 seconds.
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
#include "tui/text.h"
#include "tui_driver.h"

#define MUNI		"990001"
#define ADMIN_PW	"correct horse battery staple"
#define CLERK_PW	"窓口の長いパスワード2026"
#define IDLE_SECONDS	30

static struct world {
	struct tui_world	 w;		/* tui_driver.h */
	char			*conf_en;
	char			*vdev_dir, *vdev;	/* the virtual reader's socket */
	/* The resident looked up, and what of them must never linger. */
	char			 atena[11], name[128], kana[128], birth[11];
	int			 ndoses;
} W;

/* Fails when s holds any of the resident's identifying data. */
static void
assert_no_personal_data(const char *s, const char *where)
{
	const char *keys[] = { W.atena, W.name, W.kana, W.birth };
	char part[128], *save, *tok;

	if (s == NULL)
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strstr(s, keys[i]) != NULL)
			fail_msg("%s still shows \"%s\":\n%s", where, keys[i], s);
	/* Each part of the name and kana of two characters or more, too. */
	for (int k = 0; k < 2; k++) {
		snprintf(part, sizeof(part), "%s", k == 0 ? W.name : W.kana);
		for (tok = strtok_r(part, "\xe3\x80\x80 ", &save); tok != NULL;
		    tok = strtok_r(NULL, "\xe3\x80\x80 ", &save))
			if (tui_text_width(tok) >= 4 && strstr(s, tok) != NULL)
				fail_msg("%s still shows \"%s\":\n%s", where, tok, s);
	}
}



/* The i-th comma-separated field of a line of the generated CSV (no quotes). */
static void
csv_field(const char *line, int i, char *out, size_t size)
{
	const char *end;

	while (i-- > 0 && (line = strchr(line, ',')) != NULL)
		line++;
	if (line == NULL) {
		out[0] = '\0';
		return;
	}
	end = line + strcspn(line, ",\n");
	snprintf(out, size, "%.*s", (int)(end - line), line);
}

/*
 * Picks a resident with 3 to 8 doses (the history fits on an 80x24 screen)
 * whose name has two parts, and keeps what must never linger on screen.
 */
static void
pick_resident(void)
{
	char *records = itest_path(W.w.city, "records.csv");
	char *residents = itest_path(W.w.city, "residents.csv");
	char *text, *line, *save, atena[11], prev[11] = "";
	size_t len;
	int n = 0;

	text = (char *)tu_read_file(records, &len);
	assert_non_null(text);
	/* records.csv is grouped by resident: count each run. */
	for (line = strtok_r(text, "\n", &save); line != NULL && W.atena[0] == '\0';
	    line = strtok_r(NULL, "\n", &save)) {
		csv_field(line, 1, atena, sizeof(atena));
		if (strcmp(atena, prev) != 0) {
			if (n >= 3 && n <= 8 && strlen(prev) == 10) {
				snprintf(W.atena, sizeof(W.atena), "%s", prev);
				W.ndoses = n;
			}
			snprintf(prev, sizeof(prev), "%s", atena);
			n = 0;
		}
		n++;
	}
	free(text);
	assert_int_equal(strlen(W.atena), 10);
	text = (char *)tu_read_file(residents, &len);
	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, W.atena, 10) != 0)
			continue;
		csv_field(line, 1, W.name, sizeof(W.name));
		csv_field(line, 2, W.kana, sizeof(W.kana));
		csv_field(line, 4, W.birth, sizeof(W.birth));
	}
	free(text);
	free(records);
	free(residents);
	assert_true(strstr(W.name, "\xe3\x80\x80") != NULL);	/* 氏　名 */
	assert_int_equal(strlen(W.birth), 10);
}

static void
write_text(const char *path, const char *text)
{
	assert_int_equal(tu_write_file(path, text, strlen(text)), 0);
}

static char	*pane_command(const char *, const char *, const char *);

static int
setup_world(void **state)
{
	char *out;

	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	{
		static const struct tui_world_spec spec = {
			.tag = "tui", .residents = "200", .seed = "4",
			.with_records = 1, .admin_pw = ADMIN_PW,
			.clerks = {
			{ "clerk01", "窓口 一郎" },
			},
		};

		if (tui_world_create(&W.w, &spec) != 0)
			return -1;
	}
	W.conf_en = itest_path(W.w.dir, "sesshu-en.conf");
	pick_resident();

	write_text(W.w.conf, "[session]\nidle_timeout_seconds = 30\n"
	    "lock_logout_seconds = 600\nunlock_with = password\n");
	write_text(W.conf_en, "[display]\nlanguage = en\n");
	/* remain-on-exit: the pane outlives sesshu, to be read after it. */
	write_text(W.w.tmux_conf, "set -g remain-on-exit on\n"
	    "set -g history-limit 10000\nset -g default-terminal screen\n");
	out = pane_command("main", "C.UTF-8", W.w.conf);
	TMUX("new-session", "-d", "-s", "main", "-x", "100", "-y", "30", out);
	free(out);
	return 0;
}

static int
teardown_world(void **state)
{
	(void)state;
	free(tmux_run("kill-server", NULL).out);
	tui_world_destroy(&W.w);
	free(W.conf_en);
	return 0;
}

static void
test_tui_first_login_online_sets_a_new_password(void **state)
{
	char *s;

	(void)state;
	WAIT("利用者ID");
	type("clerk01");
	key("Enter");
	WAIT("パスワード");
	type(W.w.codes[0]);
	key("Enter");
	/* The register's reason, then a new password twice. */
	s = wait_screen("main", "新しいパスワード", 0, 20);
	assert_non_null(strstr(s, "first login"));
	free(s);
	type(CLERK_PW);
	key("Enter");
	WAIT("新しいパスワード(確認)");
	type(CLERK_PW);
	key("Enter");
	enroll_finger(W.w.vdev, "clerk01-finger");
	WAIT("業務メニュー");
	/* The new print is pushed to the register by the background sync. */
	s = wait_screen("main", "未送信 0件", 0, 20);
	/* The status line: user, role, workstation, online, unsent, last sync. */
	assert_non_null(strstr(s, "clerk01 (入力担当)"));
	assert_non_null(strstr(s, "ws-001"));
	assert_non_null(strstr(s, "オンライン"));
	assert_non_null(strstr(s, "未送信 0件"));
	assert_non_null(strstr(s, "  同期 "));		/* the last sync's time */
	assert_non_null(strstr(s, "F12 ロック"));
	assert_null(strstr(s, CLERK_PW));
	free(s);
}

static void
test_tui_lookup_shows_the_person_and_history(void **state)
{
	char *s, count[32];

	(void)state;
	key("3");
	WAIT("宛名番号照会");
	type(W.atena);
	key("Enter");
	s = wait_screen("main", W.name, 0, 10);
	assert_non_null(strstr(s, W.kana));
	assert_non_null(strstr(s, W.birth));
	assert_true(strstr(s, "性別      男") != NULL ||
	    strstr(s, "性別      女") != NULL);
	snprintf(count, sizeof(count), "接種履歴(%d件)", W.ndoses);
	assert_non_null(strstr(s, count));
	free(s);
}

/* The display column where text starts in line, or -1. */
static int
column_of(const char *line, const char *text)
{
	const char *p = strstr(line, text);
	char prefix[1024];

	if (p == NULL)
		return -1;
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(p - line), line);
	return (int)tui_text_width(prefix);
}

/* The byte offset of display column col in line; fails inside a character. */
static size_t
offset_at(const char *line, int col)
{
	size_t w, off = tui_text_fit(line, (size_t)col, &w);

	if ((int)w != col)
		fail_msg("column %d falls inside a wide character:\n%s", col, line);
	return off;
}

static void
test_tui_history_columns_line_up_in_kanji_and_kana(void **state)
{
	static const char *const titles[] = { "実施日", "ワクチン", "回数", "期",
	    "医療機関", "ロット", "接種医" };
	int cols[7], rows = 0, wide = 0;
	char *s, *line, *save;
	size_t off;

	(void)state;
	s = capture("main", 0);
	for (line = strtok_r(s, "\n", &save); line != NULL &&
	    strstr(line, "実施日") == NULL; line = strtok_r(NULL, "\n", &save))
		;
	assert_non_null(line);
	for (int i = 0; i < 7; i++)
		assert_true((cols[i] = column_of(line, titles[i])) > 0);
	/* Each dose row: every cell starts in its header's column. */
	for (line = strtok_r(NULL, "\n", &save); line != NULL &&
	    (strncmp(line, " 20", 3) == 0 || strncmp(line, " 19", 3) == 0);
	    line = strtok_r(NULL, "\n", &save)) {
		rows++;
		if (tui_text_width(line) != strlen(line))
			wide++;
		for (int i = 1; i < 7; i++) {
			off = offset_at(line, cols[i]);
			assert_true(line[off - 1] == ' ');
		}
		/* The 医療機関 code, after the kana and kanji of the vaccine. */
		off = offset_at(line, cols[4]);
		assert_int_equal(strspn(line + off, "0123456789"), 10);
		assert_true(line[offset_at(line, cols[2])] != ' ');	/* 回数 */
	}
	assert_int_equal(rows, W.ndoses);
	assert_int_equal(wide, rows);	/* every row has kanji or kana */
	free(s);
}

static void
test_tui_help_on_the_person_screen(void **state)
{
	(void)state;
	key("F1");
	WAIT("照会はすべて");
	WAIT("F12  すぐに画面をロック");
	key("Escape");
	WAIT(W.name);
}

static void
test_tui_lock_key_leaves_no_personal_data(void **state)
{
	char *s;

	(void)state;
	key("F12");
	s = wait_screen("main", "ロック中 - clerk01 - Enter キーでロックを解除します。",
	    0, 10);
	assert_no_personal_data(s, "the locked screen");
	free(s);
	assert_no_personal_data(s = capture("main", 1), "the normal screen");
	free(s);
	key("F1");		/* help over the lock shows no data either */
	WAIT("別の利用者は F3 キー");
	assert_no_personal_data(s = capture("main", 0), "help over the lock");
	free(s);
	key("Escape");
	WAIT("ロック中 - clerk01");
}

static void
test_tui_unlock_by_the_same_user(void **state)
{
	char *s;

	(void)state;
	key("Enter");
	WAIT("clerk01 のパスワード:");
	type("not the password");
	key("Enter");
	s = wait_screen("main", "利用者IDまたはパスワードが正しくありません。", 0, 15);
	assert_no_personal_data(s, "a refused unlock");
	free(s);
	type(CLERK_PW);
	key("Enter");
	/* The person screen comes back as it was. */
	s = wait_screen("main", W.name, 0, 15);
	assert_non_null(strstr(s, W.kana));
	free(s);
}

static void
test_tui_idle_lock_leaves_no_personal_data(void **state)
{
	double t0 = now_s(), waited;
	char *s;

	(void)state;
	s = wait_screen("main", "ロック中 - clerk01", 0, IDLE_SECONDS + 15);
	waited = now_s() - t0;
	/* Not before the idle timeout: the last key was the unlock. */
	assert_true(waited > IDLE_SECONDS - 3);
	assert_no_personal_data(s, "the screen locked when idle");
	free(s);
	assert_no_personal_data(s = capture("main", 1), "the normal screen");
	free(s);
	key("Enter");
	WAIT("clerk01 のパスワード:");
	type(CLERK_PW);
	key("Enter");
	WAIT(W.name);
}

static void
test_tui_another_user_ends_the_session(void **state)
{
	char *s;

	(void)state;
	key("F12");
	WAIT("ロック中 - clerk01");
	key("F3");
	WAIT("あなたの利用者ID:");
	type("admin01");
	key("Enter");
	WAIT("clerk01 のセッションを終了し、admin01 としてログインしますか?");
	key("Enter");
	s = wait_screen("main", "clerk01 のセッションを終了しました。", 0, 10);
	assert_non_null(strstr(s, "admin01"));
	assert_non_null(strstr(s, "未ログイン"));
	assert_no_personal_data(s, "the login screen after a takeover");
	free(s);
	type(ADMIN_PW);
	key("Enter");
	enroll_finger(W.w.vdev, "admin01-finger");
	s = wait_screen("main", "admin01 (情報管理者)", 0, 15);
	assert_null(strstr(s, W.name));	/* the clerk's lookup is gone */
	free(s);
	/* C6: the IS administrator keys no sheets and looks nobody up. */
	key("1");
	WAIT("あなたの役割 (情報管理者) ではこの業務は行えません。");
	key("3");
	WAIT("あなたの役割 (情報管理者) ではこの業務は行えません。");
	WAIT("業務メニュー");
}

static void
test_tui_wrong_password_says_nothing_of_which_factor(void **state)
{
	char *s;

	(void)state;
	key("F9");
	WAIT("未ログイン");
	type("clerk01");
	key("Enter");
	WAIT("パスワード");
	type("wrong password");
	key("Enter");
	s = wait_screen("main", "利用者ID、パスワードまたは指紋が正しくありません。",
	    0, 15);
	free(s);
	/* An unknown user gets the very same message. */
	key("Escape");
	WAIT_GONE("利用者ID、パスワードまたは指紋が正しくありません。");
	type("nobody99");
	key("Enter");
	WAIT("パスワード");
	type("wrong password");
	key("Enter");
	WAIT("利用者ID、パスワードまたは指紋が正しくありません。");
	key("Escape");
	WAIT_GONE("利用者ID、パスワードまたは指紋が正しくありません。");
}

static void
test_tui_small_terminal_asks_to_be_enlarged(void **state)
{
	(void)state;
	TMUX("resize-window", "-t", "main", "-x", "70", "-y", "20");
	WAIT("端末を 80x24 以上に広げてください(現在 70x20)。");
	TMUX("resize-window", "-t", "main", "-x", "100", "-y", "30");
	WAIT("予防接種記録 端末");
	WAIT_GONE("広げてください");
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

/* The pane's command: sesshu, then its exit status into a file. */
static char *
pane_command(const char *target, const char *lang, const char *conf)
{
	return itest_spr("env -u LC_ALL -u LANGUAGE LANG=%s "
	    "FP_DRIVERS_WHITELIST=virtual_device FP_VIRTUAL_DEVICE=%s %s "
	    "--state %s --config %s; echo $? > %s/%s.status", lang, W.w.vdev,
	    SESSHU_BIN, W.w.ws, conf, W.w.dir, target);
}

static void
test_tui_quit_leaves_nothing_behind(void **state)
{
	char *s;

	(void)state;
	/* Log in once more, look the resident up, and quit from there. */
	type("clerk01");
	key("Enter");
	WAIT("パスワード");
	type(CLERK_PW);
	key("Enter");
	finger(W.w.vdev, "clerk01-finger");
	WAIT("業務メニュー");
	key("3");
	WAIT("宛名番号照会");
	type(W.atena);
	key("Enter");
	WAIT(W.name);
	key("F10");
	assert_int_equal(exit_status("main"), 0);
	s = capture("main", 0);
	assert_no_personal_data(s, "the terminal after sesshu quit");
	free(s);
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
test_tui_audit_trail_records_the_session(void **state)
{
	const char *expect[] = {
		"person.view|",
		"session.lock|user:clerk01|ok: key\n",
		"session.unlock|user:clerk01|refused: authentication failed\n",
		"session.unlock|user:clerk01|ok\n",
		"session.lock|user:clerk01|ok: idle\n",
		"session.unlock|user:clerk01|ok\n",
		"session.logout|user:clerk01|ok: takeover by admin01\n",
		"session.logout|user:admin01|ok: user\n",
		"person.view|",
		"session.logout|user:clerk01|ok: user\n",
	};
	struct sesshu_err err = { 0 };
	struct ws_session *s;
	sqlite3_stmt *stmt;
	GString *trail = g_string_new("");
	const char *at;
	char want[128];

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
		if (strncmp(expect[i], "person.view|", 12) == 0)
			snprintf(want, sizeof(want), "person.view|person:%s|ok: person\n",
			    W.atena);
		else
			snprintf(want, sizeof(want), "%s", expect[i]);
		if ((at = strstr(at, want)) == NULL)
			fail_msg("the audit trail lacks \"%s\" (in order):\n%s",
			    want, trail->str);
		at += strlen(want);
	}
	g_string_free(trail, TRUE);
}

static void
test_tui_speaks_english_by_setting(void **state)
{
	char *cmd, *s;

	(void)state;
	cmd = pane_command("en", "ja_JP.UTF-8", W.conf_en);
	TMUX("new-session", "-d", "-s", "en", "-x", "80", "-y", "24", cmd);
	free(cmd);
	s = wait_screen("en", "Type your user ID and press Enter.", 0, 10);
	assert_non_null(strstr(s, "sesshu | Log in"));
	assert_non_null(strstr(s, "not logged in"));
	assert_non_null(strstr(s, "F1 Help"));
	assert_non_null(strstr(s, "F10 Quit"));
	free(s);
	TMUX("send-keys", "-t", "en", "F10");
	assert_int_equal(exit_status("en"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tui_first_login_online_sets_a_new_password),
		cmocka_unit_test(test_tui_lookup_shows_the_person_and_history),
		cmocka_unit_test(test_tui_history_columns_line_up_in_kanji_and_kana),
		cmocka_unit_test(test_tui_help_on_the_person_screen),
		cmocka_unit_test(test_tui_lock_key_leaves_no_personal_data),
		cmocka_unit_test(test_tui_unlock_by_the_same_user),
		cmocka_unit_test(test_tui_idle_lock_leaves_no_personal_data),
		cmocka_unit_test(test_tui_another_user_ends_the_session),
		cmocka_unit_test(test_tui_wrong_password_says_nothing_of_which_factor),
		cmocka_unit_test(test_tui_small_terminal_asks_to_be_enlarged),
		cmocka_unit_test(test_tui_quit_leaves_nothing_behind),
		cmocka_unit_test(test_tui_audit_trail_records_the_session),
		cmocka_unit_test(test_tui_speaks_english_by_setting),
	};

	return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
