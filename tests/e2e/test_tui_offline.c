/*
 * test_tui_offline.c: the background sync of a logged-in session
 * (ARCHITECTURE §4, tui/bgsync.h), seen from the real `sesshu` in tmux
 * against a real register on 127.0.0.1: online in the status line; a
 * register that hangs never stops the typing; a register that stops turns
 * the status line offline within seconds while a lookup still works; a
 * change saved meanwhile shows as unsent and leaves, back to 0, when the
 * register returns on the same port; a user disabled at the register, and
 * then a workstation revoked there, end the session at once with a
 * message, and the audit trail says why.
 *
 * Logins take ID, password and finger: sesshu runs with libfprint's
 * virtual_device reader, and the test gives the finger (tui_driver.h).
 * The tests run in order on one pane. SESSHU_SYNC_INTERVAL_SECONDS=2 (a
 * test-only override of [sync] interval_seconds) makes each change show
 * within seconds; every wait polls capture-pane under a deadline. Changes
 * the interface cannot make yet are made by this process through the
 * library on the same cache, as a second SQLite client.
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
#include <jansson.h>

#include "itest.h"
#include "store/store.h"
#include "sync/account.h"
#include "sync/ws_records.h"
#include "testutil.h"
#include "tui_driver.h"

#define MUNI		"990001"
#define ADMIN_PW	"correct horse battery staple"
#define CLERK_PW	"窓口の長いパスワード2026"
#define INTERVAL	"2"	/* seconds between background syncs */
/* Long enough for an interval, a failed or slow attempt and a redraw. */
#define SYNC_WAIT	12

static struct world {
	struct tui_world	 w;		/* tui_driver.h */
	char			 atena[11], name[128];	/* a resident to look up */
} W;

/* The last line but one of a capture: the status line. */
static void
status_line(const char *screen, char *out, size_t size)
{
	const char *end = screen + strlen(screen), *p, *start;

	while (end > screen && end[-1] == '\n')
		end--;
	p = end;
	while (p > screen && p[-1] != '\n')	/* the function keys */
		p--;
	end = p > screen ? p - 1 : p;
	start = end;
	while (start > screen && start[-1] != '\n')
		start--;
	snprintf(out, size, "%.*s", (int)(end - start), start);
}

/*
 * Polls until the status line shows text (or, with gone, no longer
 * does); returns the seconds it took.
 */
static double
wait_status(const char *text, int gone, double seconds)
{
	double t0 = now_s(), deadline = t0 + seconds;
	char line[4096], *s = NULL;

	for (;;) {
		free(s);
		if ((s = capture("main", 0)) == NULL)
			s = strdup("(no pane)");
		status_line(s, line, sizeof(line));
		if ((strstr(line, text) != NULL) != gone) {
			free(s);
			return now_s() - t0;
		}
		if (now_s() > deadline)
			break;
		pause_ms(50);
	}
	fail_msg("after %.0f s the status line %s \"%s\":\n%s", seconds,
	    gone ? "still shows" : "does not show", text, s);
	return -1;
}

#define WAIT_STATUS(text)	wait_status((text), 0, SYNC_WAIT)

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

static int
setup_world(void **state)
{
	char *cmd;
	struct sesshu_err err = { 0 };
	struct ws_session *s;
	sqlite3_stmt *stmt;

	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	{
		static const struct tui_world_spec spec = {
			.tag = "tui-offline", .residents = "100", .seed = "7",
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
	if (ws_login(W.w.ws, "admin01", ask_admin, NULL, &s, &err) != 0)
		fail_msg("ws_login: %s", err.msg);
	assert_int_equal(sqlite3_prepare_v2(store_db(s->st), "SELECT atena_no, "
	    "name FROM persons WHERE status = 1 ORDER BY atena_no LIMIT 1", -1,
	    &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	snprintf(W.atena, sizeof(W.atena), "%s", sqlite3_column_text(stmt, 0));
	snprintf(W.name, sizeof(W.name), "%s", sqlite3_column_text(stmt, 1));
	sqlite3_finalize(stmt);
	ws_session_close(s);

	/* The file's interval is the real minimum; the environment wins. */
	write_text(W.w.conf, "[fingerprint]\ndriver = virtual_device\n"
	    "[sync]\ninterval_seconds = 10\n");
	write_text(W.w.tmux_conf, "set -g remain-on-exit on\n"
	    "set -g history-limit 10000\nset -g default-terminal screen\n");
	/* libfprint's virtual reader: the test is the finger (tui_driver.h). */
	cmd = itest_spr("env -u LC_ALL -u LANGUAGE LANG=C.UTF-8 "
	    "FP_DRIVERS_WHITELIST=virtual_device FP_VIRTUAL_DEVICE=%s "
	    "SESSHU_SYNC_INTERVAL_SECONDS=" INTERVAL " %s --state %s --config %s; "
	    "echo $? > %s/main.status", W.w.vdev, SESSHU_BIN, W.w.ws, W.w.conf, W.w.dir);
	TMUX("new-session", "-d", "-s", "main", "-x", "100", "-y", "30", cmd);
	free(cmd);
	return 0;
}

static int
teardown_world(void **state)
{
	(void)state;
	free(tmux_run("kill-server", NULL).out);
	/* A register the test stopped with SIGSTOP cannot exit on SIGTERM. */
	if (W.w.reg.pid > 0)
		kill(W.w.reg.pid, SIGCONT);
	tui_world_destroy(&W.w);
	return 0;
}

/*
 * ID, password and finger; with code, the first login (online): the
 * activation code, the password set twice, and the print enrolled
 * through every stage of the reader.
 */
static void
login(const char *user, const char *code, const char *password)
{
	char *id = itest_spr("%s-finger", user);

	WAIT("利用者IDを入力して Enter キーを押してください。");
	type(user);
	key("Enter");
	WAIT("パスワード");
	type(code != NULL ? code : password);
	key("Enter");
	if (code != NULL) {
		free(wait_screen("main", "新しいパスワード", 0, 20));
		type(password);
		key("Enter");
		WAIT("新しいパスワード(確認)");
		type(password);
		key("Enter");
		enroll_finger(W.w.vdev, id);
	} else
		finger(W.w.vdev, id);
	free(wait_screen("main", "業務メニュー", 0, 20));
	key("3");
	WAIT("宛名番号照会");
	free(id);
}

/* Looks the resident up from an empty field; returns the seconds it took. */
static double
look_up(void)
{
	double t0 = now_s();

	key("Escape");
	WAIT_GONE(W.name);
	type(W.atena);
	key("Enter");
	WAIT(W.name);
	return now_s() - t0;
}

static void
test_tui_sync_status_shows_online_after_login(void **state)
{
	(void)state;
	login("clerk01", W.w.codes[0], CLERK_PW);
	/* The print enrolled waits in the outbox until the first sync. */
	WAIT_STATUS("オンライン");
	WAIT_STATUS("未送信 0件");
	WAIT_STATUS("  同期 ");
}

static void
test_tui_sync_a_hanging_register_never_blocks_typing(void **state)
{
	double t0;

	(void)state;
	/* Stopped, its socket still takes the request but nothing answers. */
	assert_int_equal(kill(W.w.reg.pid, SIGSTOP), 0);
	key("F5");		/* the sync thread now waits for the answer */
	WAIT("台帳サーバーと同期しています");
	/* Keys are answered at once all the same (no network timeout). */
	assert_true(look_up() < 5);
	/* A logout cuts the waiting request short instead of waiting it out. */
	t0 = now_s();
	key("F9");
	WAIT_STATUS("未ログイン");
	assert_true(now_s() - t0 < 5);
	assert_int_equal(kill(W.w.reg.pid, SIGCONT), 0);
	login("clerk01", NULL, CLERK_PW);
	WAIT_STATUS("オンライン");
}

static void
test_tui_sync_register_gone_shows_offline_and_typing_goes_on(void **state)
{
	double took;

	(void)state;
	itest_register_stop(&W.w.reg, SIGTERM);
	took = WAIT_STATUS("オフライン");
	assert_true(took < 2 * atoi(INTERVAL) + 3);
	/* The lookup reads the cache: it works offline. */
	assert_true(look_up() < 5);
}

/* Saves one record for a resident without a first COVID dose. */
static void
save_record_elsewhere(void)
{
	struct ws_session *s = admin_session();
	struct sesshu_err err = { 0 };
	sqlite3_stmt *stmt;
	json_t *rec;

	assert_int_equal(sqlite3_prepare_v2(store_db(s->st), "SELECT atena_no "
	    "FROM persons p WHERE status = 1 AND birth_date < '2000-01-01' AND "
	    "NOT EXISTS (SELECT 1 FROM vaccination_records r WHERE r.atena_no = "
	    "p.atena_no AND r.vaccine_code = 'COVID' AND r.dose = 1) LIMIT 1",
	    -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	/*
	 * Keyed by clerk01: the register takes a new sheet only from a role
	 * that may enter one, which the administrator's is not.
	 */
	rec = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i,"
	    " s:s}", "atena_no", sqlite3_column_text(stmt, 0), "vaccine_code",
	    "COVID", "dose", 1, "category", "V", "vaccinated_on", "2026-10-01",
	    "institution_code", "9900000001", "lot_no", "TEST01", "lot_expiry",
	    "2027-03-31", "screening_only", 0, "other_municipality", 0,
	    "certificate_issued", 0, "entered_by", "clerk01");
	sqlite3_finalize(stmt);
	if (ws_record_save(s, rec, NULL, &err) != 0)
		fail_msg("ws_record_save: %s", err.msg);
	json_decref(rec);
	ws_session_close(s);
}

static void
test_tui_sync_unsent_count_returns_to_zero_with_the_register(void **state)
{
	int port = W.w.reg.port;

	(void)state;
	save_record_elsewhere();
	/* The next attempt fails, and counts what waits. */
	WAIT_STATUS("未送信 1件");
	wait_status("オフライン", 0, 1);
	if (itest_register_start(&W.w.reg, W.w.reg_dir, W.w.pki, "register", port,
	    NULL, NULL) != 0)
		fail_msg("the register did not start again on port %d", port);
	assert_int_equal(W.w.reg.port, port);
	WAIT_STATUS("オンライン");
	WAIT_STATUS("未送信 0件");
}

static void
test_tui_sync_disabled_user_loses_the_session_at_once(void **state)
{
	char *s;

	(void)state;
	look_up();
	free(itest_admin("user", "disable", "--data", W.w.reg_dir, "--id",
	    "clerk01", NULL));
	free(wait_screen("main", "セッション終了: 利用者IDの無効化・失効、または"
	    "パスワード変更がありました。", 0, SYNC_WAIT));
	WAIT_STATUS("未ログイン");
	s = capture("main", 0);
	if (strstr(s, W.name) != NULL || strstr(s, W.atena) != NULL)
		fail_msg("the resident is still on screen:\n%s", s);
	free(s);
	/* The slot is gone: no offline login either. */
	type("clerk01");
	key("Enter");
	WAIT("パスワード");
	type(CLERK_PW);
	key("Enter");
	WAIT("利用者ID、パスワードまたは指紋が正しくありません。");
	key("Escape");
}

static void
test_tui_sync_revoked_workstation_ends_the_session(void **state)
{
	(void)state;
	login("clerk02", W.w.codes[1], CLERK_PW);
	WAIT_STATUS("オンライン");
	free(itest_admin("workstation", "revoke", "--data", W.w.reg_dir, "--id",
	    "ws-001", NULL));
	free(wait_screen("main", "セッション終了: この端末は台帳サーバーで失効して"
	    "います。", 0, SYNC_WAIT));
	WAIT_STATUS("未ログイン");
}

/* Waits for sesshu to end; its exit status, written by the pane's shell. */
static int
exit_status(void)
{
	double deadline = now_s() + 15;
	char *path = itest_spr("%s/main.status", W.w.dir), *text;
	size_t len;
	int status = -1;

	while ((text = (char *)tu_read_file(path, &len)) == NULL &&
	    now_s() < deadline)
		pause_ms(50);
	if (text == NULL || sscanf(text, "%d", &status) != 1)
		fail_msg("sesshu did not exit");
	free(text);
	free(path);
	return status;
}

static void
test_tui_sync_quit_and_the_audit_trail(void **state)
{
	const char *expect[] = {
		"session.logout|user:clerk01|ok: revoked: key slot removed at the "
		    "last sync\n",
		"session.logout|user:clerk02|ok: revoked: workstation revoked\n",
	};
	struct ws_session *s;
	sqlite3_stmt *stmt;
	GString *trail = g_string_new("");
	const char *at;

	(void)state;
	key("F10");
	assert_int_equal(exit_status(), 0);
	s = admin_session();
	assert_int_equal(sqlite3_prepare_v2(store_db(s->st), "SELECT action, "
	    "object, outcome FROM audit_log ORDER BY seq", -1, &stmt, NULL),
	    SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_string_append_printf(trail, "%s|%s|%s\n",
		    sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 1),
		    sqlite3_column_text(stmt, 2));
	sqlite3_finalize(stmt);
	ws_session_close(s);
	at = trail->str;
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		if ((at = strstr(at, expect[i])) == NULL)
			fail_msg("the audit trail lacks \"%s\" (in order):\n%s",
			    expect[i], trail->str);
		at += strlen(expect[i]);
	}
	/* The background syncs were audited, failed ones included. */
	assert_non_null(strstr(trail->str, "sync|https://127.0.0.1:"));
	assert_non_null(strstr(trail->str, "|failed: cannot reach the register"));
	g_string_free(trail, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tui_sync_status_shows_online_after_login),
		cmocka_unit_test(test_tui_sync_a_hanging_register_never_blocks_typing),
		cmocka_unit_test(test_tui_sync_register_gone_shows_offline_and_typing_goes_on),
		cmocka_unit_test(test_tui_sync_unsent_count_returns_to_zero_with_the_register),
		cmocka_unit_test(test_tui_sync_disabled_user_loses_the_session_at_once),
		cmocka_unit_test(test_tui_sync_revoked_workstation_ends_the_session),
		cmocka_unit_test(test_tui_sync_quit_and_the_audit_trail),
	};

	return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
