/*
 * test_login_policy.c: the workstation's own login policy for offline
 * logins (issue 4, Login), against a real register over mutual TLS on
 * 127.0.0.1 with a small generated city: the offline lockout and its
 * message, failed attempts reaching the audit trail at the next good
 * login, the register's lockout shown for online logins, the maximum
 * offline period with the register down and up, and an expired password
 * changed at the next offline login, its key slot rewrapped.
 */
#define _GNU_SOURCE
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

#include "itest.h"
#include "store/audit.h"
#include "sync/account.h"
#include "sync/login_guard.h"
#include "testutil.h"

#define MUNI		"990001"
#define RESIDENTS	"200"
#define ADMIN_PW	"correct horse battery staple"
#define CLERK_PW	"窓口の長いパスワード2026"
#define CLERK_PW2	"新しい窓口のパスワード2027"

static struct city {
	char			*dir, *pki, *reg_dir, *ws1, *city, *crl, *conf;
	struct itest_register	 reg;
} C;

/* What an in-process login answers, and what it was asked. */
struct script {
	const char	*secret;
	const char	*fresh;		/* NULL: decline a new password */
	int		 asked_secret, asked_new, asked_again;
	char		 why[256];
};

static int
ask_script(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
    struct sesshu_err *err)
{
	struct script *sc = ctx;
	const char *v = NULL;

	switch (what) {
	case WS_ASK_SECRET:
		sc->asked_secret++;
		v = sc->secret;
		break;
	case WS_ASK_NEW_PASSWORD:
		sc->asked_new++;
		snprintf(sc->why, sizeof(sc->why), "%s", why);
		v = sc->fresh;
		break;
	case WS_ASK_NEW_PASSWORD_AGAIN:
		sc->asked_again++;
		v = sc->fresh;
		break;
	}
	if (v == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "a new password is needed");
	return secbuf_dup(out, v, strlen(v), err);
}

/* An in-process login; returns its status, the session in *out. */
static int
try_login(const char *user, struct script *sc, const struct ws_settings *set,
    struct ws_session **out, struct sesshu_err *err)
{
	return ws_login_with_settings(C.ws1, user, set, ask_script, sc, out, err);
}

static struct ws_session *
login(const char *user, const char *pw)
{
	struct script sc = { pw, NULL, 0, 0, 0, "" };
	struct sesshu_err err = { 0 };
	struct ws_session *s;

	if (try_login(user, &sc, NULL, &s, &err) != 0)
		fail_msg("login of %s: %s", user, err.msg);
	return s;
}

static struct itest_run
sync_run(const char *user, const char *secrets)
{
	char *argv[] = { (char *)SESSHU_BIN, "sync", "--state", C.ws1, "--user",
	    (char *)user, "--password-fd", "3", "--config", C.conf, NULL };
	struct itest_run r;

	itest_run(argv, NULL, secrets, 300, &r);
	return r;
}

static void
sync_ok(const char *user, const char *secrets)
{
	struct itest_run r = sync_run(user, secrets);

	if (!r.exited || r.code != 0)
		fail_msg("sync as %s: %s", user, r.out);
	free(r.out);
}

/* Adds a user and logs them in for the first time here (online). */
static void
first_login(const char *user, const char *pw)
{
	char *out = itest_admin("user", "add", "--data", C.reg_dir, "--id", user,
	    "--name", "窓口 試験", "--role", "clerk", NULL);
	char *code = itest_last_line_dup(out);
	char *secrets = itest_spr("%s\n%s\n%s\n", code, pw, pw);

	sync_ok(user, secrets);
	free(secrets);
	free(code);
	free(out);
}

static void
register_restart(int up)
{
	int port = C.reg.port;

	if (C.reg.pid > 0)
		itest_register_stop(&C.reg, SIGTERM);
	C.reg.pid = 0;
	C.reg.port = port;
	if (up)
		assert_int_equal(itest_register_start(&C.reg, C.reg_dir, C.pki,
		    "register", port, NULL, (char *[]){ "--crl", C.crl, NULL }), 0);
}

static long
count(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	long n = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL),
	    SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static void
text(struct store *st, const char *sql, char *buf, size_t size)
{
	sqlite3_stmt *stmt;

	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL),
	    SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		snprintf(buf, size, "%s", sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
}

static int
setup_city(void **state)
{
	char *argv_pki[] = { "/bin/bash", (char *)MAKE_PKI, NULL, MUNI, NULL };
	char *argv_gen[] = { (char *)GENCITY_BIN, "--residents", RESIDENTS,
	    "--seed", "5", "--out", NULL, NULL };
	char *cert, *key, *ca, *out, *code, *secrets, *residents, *records;
	static const char conf[] = "[login]\nlockout_failures=3\n";

	(void)state;
	C.dir = tu_mkdtemp("policy");
	C.pki = itest_path(C.dir, "pki");
	C.reg_dir = itest_path(C.dir, "register");
	C.ws1 = itest_path(C.dir, "ws1");
	C.city = itest_path(C.dir, "city");
	C.crl = itest_path(C.pki, "crl.pem");
	C.conf = itest_path(C.dir, "sesshu.conf");
	if (tu_write_file(C.conf, conf, sizeof(conf) - 1) != 0)
		return -1;
	argv_pki[2] = C.pki;
	free(itest_ok(argv_pki, NULL));
	argv_gen[6] = C.city;
	free(itest_ok(argv_gen, NULL));
	free(itest_admin("init", "--data", C.reg_dir, "--municipality", MUNI,
	    "--synthetic", NULL));
	residents = itest_path(C.city, "residents.csv");
	records = itest_path(C.city, "records.csv");
	free(itest_admin("import-residents", "--data", C.reg_dir, "--today",
	    "2026-11-21", residents, NULL));
	free(itest_admin("import-records", "--data", C.reg_dir, "--today",
	    "2026-11-21", records, NULL));
	free(residents);
	free(records);
	out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "admin01",
	    "--name", "情報 管理", "--role", "is-admin", NULL);
	code = itest_last_line_dup(out);
	free(out);
	free(itest_admin("workstation", "add", "--data", C.reg_dir, "--id",
	    "ws-001", NULL));
	if (itest_register_start(&C.reg, C.reg_dir, C.pki, "register", 0, NULL,
	    (char *[]){ "--crl", C.crl, NULL }) != 0)
		return -1;
	cert = itest_spr("%s/ws-001.crt", C.pki);
	key = itest_spr("%s/ws-001.key", C.pki);
	ca = itest_spr("%s/ca.crt", C.pki);
	secrets = itest_spr("%s\n%s\n%s\n", code, ADMIN_PW, ADMIN_PW);
	{
		char *argv[] = { (char *)SESSHU_BIN, "provision", "--state", C.ws1,
		    "--register", C.reg.url, "--ca", ca, "--cert", cert, "--key", key,
		    "--user", "admin01", "--password-fd", "3", NULL };

		free(itest_ok(argv, secrets));
	}
	free(secrets);
	free(cert);
	free(key);
	free(ca);
	free(code);
	/* The city arrives; from now on admin01 logs in offline. */
	secrets = itest_spr("%s\n", ADMIN_PW);
	sync_ok("admin01", secrets);
	free(secrets);
	return 0;
}

static int
teardown_city(void **state)
{
	(void)state;
	if (C.reg.pid > 0)
		itest_register_stop(&C.reg, SIGTERM);
	if (getenv("SESSHU_KEEP_TEST_DIRS") == NULL)
		tu_rm_rf(C.dir);
	free(C.dir);
	free(C.pki);
	free(C.reg_dir);
	free(C.ws1);
	free(C.city);
	free(C.crl);
	free(C.conf);
	return 0;
}

static void
test_login_policy_offline_lockout_after_n_failures_then_audited(void **state)
{
	struct ws_settings three;
	struct script sc = { CLERK_PW, NULL, 0, 0, 0, "" };
	struct sesshu_err err = { 0 };
	struct audit_verify_result vr;
	struct ws_session *s;
	struct itest_run r;
	char *path, *sql;
	unsigned char *file;
	size_t len;

	(void)state;
	first_login("clerk05", CLERK_PW);
	/* --config says 3: two wrong passwords say only that... */
	for (int i = 0; i < 2; i++) {
		r = sync_run("clerk05", "not my password\n");
		if (!r.exited || r.code != 1 ||
		    strstr(r.out, "user ID or password is wrong") == NULL ||
		    strstr(r.out, "locked") != NULL)
			fail_msg("wrong password %d: %s", i + 1, r.out);
		free(r.out);
	}
	/* ...the third locks the user, and says until when. */
	r = sync_run("clerk05", "not my password\n");
	if (!r.exited || r.code != 1 || strstr(r.out, "locked until") == NULL)
		fail_msg("third wrong password: %s", r.out);
	free(r.out);
	/* Now even the right password is refused, with the time. */
	r = sync_run("clerk05", CLERK_PW "\n");
	if (!r.exited || r.code != 1 ||
	    strstr(r.out, "too many failed logins: clerk05 is locked until") == NULL)
		fail_msg("locked user logged in: %s", r.out);
	free(r.out);
	/* In-process: refused before a password is even asked for. */
	ws_settings_default(&three);
	three.lockout_failures = 3;
	assert_int_equal(try_login("clerk05", &sc, &three, &s, &err),
	    SESSHU_EDENIED);
	assert_null(s);
	assert_int_equal(sc.asked_secret, 0);
	assert_non_null(strstr(err.msg, "locked until"));

	/* The file names IDs and times, nothing else of the user. */
	path = itest_path(C.ws1, LOGIN_GUARD_FILE);
	file = tu_read_file(path, &len);
	assert_non_null(file);
	assert_non_null(memmem(file, len, "user clerk05 0 ", 15));
	assert_null(memmem(file, len, CLERK_PW, strlen(CLERK_PW)));
	assert_null(memmem(file, len, "not my password", 15));
	free(file);

	/* The next good login here, by another user, writes them all. */
	s = login("admin01", ADMIN_PW);
	assert_int_equal(count(s->st, "SELECT count(*) FROM audit_log WHERE"
	    " user_id = 'clerk05' AND action = 'login' AND object = 'user:clerk05'"
	    " AND outcome LIKE 'refused: auth_failed (offline, _ of 3)'"), 2);
	assert_int_equal(count(s->st, "SELECT count(*) FROM audit_log WHERE"
	    " user_id = 'clerk05' AND outcome LIKE"
	    " 'refused: auth_failed (offline); locked until %'"), 1);
	assert_int_equal(count(s->st, "SELECT count(*) FROM audit_log WHERE"
	    " user_id = 'clerk05' AND outcome LIKE 'refused: locked (offline)%'"), 2);
	/* With their own times, before the login that wrote them. */
	sql = itest_spr("SELECT count(*) FROM audit_log a WHERE a.user_id ="
	    " 'clerk05' AND a.outcome LIKE 'refused:%%' AND a.at > (SELECT max(at)"
	    " FROM audit_log WHERE user_id = 'admin01' AND action = 'login')");
	assert_int_equal(count(s->st, sql), 0);
	free(sql);
	assert_int_equal(audit_verify(s->st, &vr, &err), 0);
	ws_session_close(s);
	/* Written once: the queue is empty, the lock stays. */
	s = login("admin01", ADMIN_PW);
	assert_int_equal(count(s->st, "SELECT count(*) FROM audit_log WHERE"
	    " user_id = 'clerk05' AND outcome LIKE 'refused:%'"), 5);
	ws_session_close(s);
	sc.asked_secret = 0;
	assert_int_equal(try_login("clerk05", &sc, NULL, &s, &err), SESSHU_EDENIED);
	free(path);
}

static void
test_login_policy_success_resets_the_count(void **state)
{
	struct script wrong = { "not my password", NULL, 0, 0, 0, "" };
	struct ws_settings three;
	struct sesshu_err err = { 0 };
	struct ws_session *s;

	(void)state;
	ws_settings_default(&three);
	three.lockout_failures = 3;
	first_login("clerk06", CLERK_PW);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 2; i++) {
			assert_int_equal(try_login("clerk06", &wrong, &three, &s, &err),
			    SESSHU_EAUTH);
			assert_null(strstr(err.msg, "locked"));
		}
		/* Two failures, then the right password: the count starts again. */
		s = login("clerk06", CLERK_PW);
		ws_session_close(s);
	}
}

static void
test_login_policy_wrong_second_factor_counts_towards_the_lockout(void **state)
{
	struct script wrong = { "not my password", NULL, 0, 0, 0, "" };
	struct script right = { CLERK_PW, NULL, 0, 0, 0, "" };
	struct ws_settings three;
	struct sesshu_err err = { 0 };
	struct ws_session *s, *a;

	(void)state;
	ws_settings_default(&three);
	three.lockout_failures = 3;
	first_login("clerk09", CLERK_PW);
	assert_int_equal(try_login("clerk09", &wrong, &three, &s, &err),
	    SESSHU_EAUTH);
	/* The right password, then a wrong finger, twice: counted on. */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(try_login("clerk09", &right, &three, &s, &err), 0);
		assert_int_equal(ws_login_factor_failed(s, &three, &err),
		    i == 0 ? 0 : SESSHU_EDENIED);
		ws_session_close(s);
	}
	assert_non_null(strstr(err.msg, "clerk09 is locked until"));
	right.asked_secret = 0;
	assert_int_equal(try_login("clerk09", &right, &three, &s, &err),
	    SESSHU_EDENIED);
	assert_int_equal(right.asked_secret, 0);
	a = login("admin01", ADMIN_PW);
	assert_int_equal(count(a->st, "SELECT count(*) FROM audit_log WHERE"
	    " user_id = 'clerk09' AND outcome LIKE 'refused: auth_failed%'"), 3);
	ws_session_close(a);
}

static void
test_login_policy_register_lockout_is_shown_online(void **state)
{
	char *out = itest_admin("user", "add", "--data", C.reg_dir, "--id",
	    "clerk07", "--name", "窓口 七郎", "--role", "clerk", NULL);
	char *code = itest_last_line_dup(out);
	struct script wrong = { "WRONG-CODE-0000-0000", NULL, 0, 0, 0, "" };
	struct script right = { code, CLERK_PW, 0, 0, 0, "" };
	struct sesshu_err err = { 0 };
	struct ws_session *s;

	(void)state;
	free(out);
	/* No key slot: these go to the register, which counts them. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(try_login("clerk07", &wrong, NULL, &s, &err),
		    SESSHU_EAUTH);
	/* Its 423 is not "wrong password": the message reaches the user. */
	assert_int_equal(try_login("clerk07", &right, NULL, &s, &err),
	    SESSHU_EDENIED);
	if (strstr(err.msg, "HTTP 423 locked") == NULL ||
	    strstr(err.msg, "locked until") == NULL)
		fail_msg("%s", err.msg);
	free(code);
}

/* Sets the cache's last contact with the register hours ago. */
static void
set_last_contact(int hours)
{
	struct sesshu_err err = { 0 };
	struct ws_session *s = login("admin01", ADMIN_PW);
	char at[STORE_TIME_LEN], *sql;

	store_time_utc(time(NULL) - (time_t)hours * 3600 - 60, at, sizeof(at));
	sql = itest_spr("UPDATE sync_state SET value = '%s' WHERE key ="
	    " 'last_contact'", at);
	assert_int_equal(store_exec(s->st, sql, &err), 0);
	assert_int_equal(sqlite3_changes(store_db(s->st)), 1);
	free(sql);
	ws_session_close(s);
}

static void
test_login_policy_offline_too_long_refused_unless_register_reachable(void **state)
{
	struct script sc = { ADMIN_PW, NULL, 0, 0, 0, "" };
	struct ws_settings longer;
	struct sesshu_err err = { 0 };
	struct ws_session *s;
	char before[64], after[64];
	time_t t;

	(void)state;
	set_last_contact(72);
	register_restart(0);
	assert_int_equal(try_login("admin01", &sc, NULL, &s, &err), SESSHU_EDENIED);
	assert_null(s);
	if (strstr(err.msg, "this workstation has not reached the register for 73 "
	    "hours (limit 72): connect it to the network and sync") == NULL)
		fail_msg("%s", err.msg);
	/* The limit is a setting. */
	ws_settings_default(&longer);
	longer.max_offline_hours = 100;
	assert_int_equal(try_login("admin01", &sc, &longer, &s, &err), 0);
	text(s->st, "SELECT value FROM sync_state WHERE key = 'last_contact'",
	    before, sizeof(before));
	/* The refusal is in the trail. */
	assert_int_equal(count(s->st, "SELECT count(*) FROM audit_log WHERE"
	    " user_id = 'admin01' AND action = 'login' AND outcome ="
	    " 'refused: offline for 73 h (limit 72 h)'"), 1);
	ws_session_close(s);

	/* With the register up, a hello is a contact: allowed, and noted. */
	register_restart(1);
	assert_int_equal(try_login("admin01", &sc, NULL, &s, &err), 0);
	text(s->st, "SELECT value FROM sync_state WHERE key = 'last_contact'",
	    after, sizeof(after));
	assert_true(strcmp(after, before) > 0);
	assert_int_equal(store_time_parse(after, &t), 0);
	assert_true(time(NULL) - t < 600);
	ws_session_close(s);
	/* And the next login, register down, is within the limit again. */
	register_restart(0);
	ws_session_close(login("admin01", ADMIN_PW));
	register_restart(1);
}

static void
test_login_policy_expired_password_changed_at_the_next_login(void **state)
{
	struct script decline = { CLERK_PW, NULL, 0, 0, 0, "" };
	struct script change = { CLERK_PW, CLERK_PW2, 0, 0, 0, "" };
	struct script old = { CLERK_PW, NULL, 0, 0, 0, "" };
	struct script fresh = { CLERK_PW2, NULL, 0, 0, 0, "" };
	struct sesshu_err err = { 0 };
	struct ws_session *s;
	struct itest_run r;
	char *secrets;
	time_t t;

	(void)state;
	first_login("clerk08", CLERK_PW);
	/* Passwords now expire at once; the workstation learns it at a sync. */
	free(itest_admin("settings", "set", "--data", C.reg_dir,
	    "password_max_age_days", "0", NULL));
	register_restart(1);
	sync_ok("clerk08", CLERK_PW "\n");

	/* Register down: refused, clearly. */
	register_restart(0);
	assert_int_equal(try_login("clerk08", &decline, NULL, &s, &err),
	    SESSHU_EDENIED);
	if (strstr(err.msg, "your password has expired; the register must be "
	    "reachable to change it") == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(decline.asked_new, 0);

	/* Register up (passwords now last 10 days): a new one is asked for. */
	free(itest_admin("settings", "set", "--data", C.reg_dir,
	    "password_max_age_days", "10", NULL));
	register_restart(1);
	assert_int_equal(try_login("clerk08", &decline, NULL, &s, &err),
	    SESSHU_EINVAL);
	assert_int_equal(decline.asked_new, 1);
	assert_non_null(strstr(decline.why, "expired"));
	/* Declined: nothing changed, the old password still opens the slot. */
	assert_int_equal(try_login("clerk08", &decline, NULL, &s, &err),
	    SESSHU_EINVAL);
	assert_int_equal(try_login("clerk08", &change, NULL, &s, &err), 0);
	assert_int_equal(change.asked_new, 1);
	assert_int_equal(change.asked_again, 1);
	assert_int_equal(count(s->st, "SELECT count(*) FROM audit_log WHERE"
	    " user_id = 'clerk08' AND action = 'password.change'"), 1);
	/* Within 14 days of its expiry: the session says so. */
	assert_true(s->password_expires_soon);
	assert_int_equal(store_time_parse(s->password_expires_at, &t), 0);
	assert_true(t > time(NULL) + 9 * 86400 && t <= time(NULL) + 10 * 86400);
	ws_session_close(s);

	/* The slot is rewrapped: the old password no longer opens it. */
	assert_int_equal(try_login("clerk08", &old, NULL, &s, &err), SESSHU_EAUTH);
	assert_int_equal(try_login("clerk08", &fresh, NULL, &s, &err), 0);
	assert_int_equal(fresh.asked_new, 0);
	ws_session_close(s);
	/* A sync keeps the slot: the cache knew of the change already. */
	secrets = itest_spr("%s\n", CLERK_PW2);
	r = sync_run("clerk08", secrets);
	if (!r.exited || r.code != 0 || strstr(r.out, "removed the key slots") != NULL)
		fail_msg("sync after the change: %s", r.out);
	free(r.out);
	sync_ok("clerk08", secrets);
	free(secrets);
	/* The register's trail has the change. */
	{
		char *out = itest_admin("audit", "verify", "--data", C.reg_dir, NULL);

		assert_non_null(strstr(out, "the audit trail verifies"));
		free(out);
	}
	free(itest_admin("settings", "set", "--data", C.reg_dir,
	    "password_max_age_days", "90", NULL));
	register_restart(1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_policy_offline_lockout_after_n_failures_then_audited),
		cmocka_unit_test(test_login_policy_success_resets_the_count),
		cmocka_unit_test(test_login_policy_wrong_second_factor_counts_towards_the_lockout),
		cmocka_unit_test(test_login_policy_register_lockout_is_shown_online),
		cmocka_unit_test(test_login_policy_offline_too_long_refused_unless_register_reachable),
		cmocka_unit_test(test_login_policy_expired_password_changed_at_the_next_login),
	};

	return cmocka_run_group_tests(tests, setup_city, teardown_city);
}
