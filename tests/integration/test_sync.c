/*
 * test_sync.c: the workstation and the register over mutually
 * authenticated TLS on 127.0.0.1, with a PKI made at test time, a city of
 * 10,000 generated residents, and two provisioned workstations: content
 * arrives identical, nothing is applied twice when a client or the
 * register dies at the worst moment, every refusal is clear and audited,
 * and no personal data lies in clear in a workstation's files.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "itest.h"
#include "register/reg.h"
#include "sync/account.h"
#include "sync/http_client.h"
#include "sync/replicate.h"
#include "sync/ws_prints.h"
#include "sync/ws_records.h"
#include "testutil.h"

#define MUNI		"990001"
#define RESIDENTS	"10000"
#define ADMIN_PW	"correct horse battery staple"
#define CLERK_PW	"窓口の長いパスワード2026"

/* libfprint's virtual reader listens here (short: sun_path is 108 bytes). */
static char vdev_dir[] = "/tmp/sesshu-vd-XXXXXX";
static char vdev_sock[64];

static struct city {
	char			*dir, *pki, *reg_dir, *ws1, *ws2, *city;
	struct itest_register	 reg;
} C;


/* The ws_ask_fn of in-process logins: always the given password. */
static int
ask_fixed(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
    struct sesshu_err *err)
{
	(void)what;
	(void)why;
	return secbuf_dup(out, ctx, strlen(ctx), err);
}

static struct ws_session *
login(const char *state, const char *user, const char *pw)
{
	struct sesshu_err err = { 0 };
	struct ws_session *s;

	if (ws_login(state, user, ask_fixed, (void *)pw, &s, &err) != 0)
		fail_msg("login of %s on %s: %s", user, state, err.msg);
	return s;
}



static struct itest_run
sync_run(const char *state, const char *user, const char *pw, char *const env[])
{
	char *argv[] = { (char *)SESSHU_BIN, "sync", "--state", (char *)state,
	    "--user", (char *)user, "--password-fd", "3", NULL };
	char *secrets = itest_spr("%s\n", pw);
	struct itest_run r;

	itest_run(argv, env, secrets, 300, &r);
	free(secrets);
	return r;
}

static void
provision(const char *state, const char *ws, const char *secrets)
{
	char *cert = itest_spr("%s/%s.crt", C.pki, ws), *key = itest_spr("%s/%s.key", C.pki, ws);
	char *ca = itest_spr("%s/ca.crt", C.pki);
	char *argv[] = { (char *)SESSHU_BIN, "provision", "--state", (char *)state,
	    "--register", C.reg.url, "--ca", ca, "--cert", cert, "--key", key,
	    "--user", "admin01", "--password-fd", "3", NULL };

	free(itest_ok(argv, secrets));
	free(cert);
	free(key);
	free(ca);
}

static int
setup_city(void **state)
{
	char *argv_pki[] = { "/bin/bash", (char *)MAKE_PKI, NULL, MUNI, NULL };
	char *argv_gen[] = { (char *)GENCITY_BIN, "--residents", RESIDENTS,
	    "--seed", "11", "--out", NULL, NULL };
	char *crl, *out, *code, *secrets, *residents, *records;

	(void)state;
	C.dir = tu_mkdtemp("sync");
	C.pki = itest_path(C.dir, "pki");
	C.reg_dir = itest_path(C.dir, "register");
	C.ws1 = itest_path(C.dir, "ws1");
	C.ws2 = itest_path(C.dir, "ws2");
	C.city = itest_path(C.dir, "city");
	argv_pki[2] = C.pki;
	free(itest_ok(argv_pki, NULL));
	argv_gen[6] = C.city;
	free(itest_ok(argv_gen, NULL));
	free(itest_admin("init", "--data", C.reg_dir, "--municipality", MUNI,
	    "--synthetic", NULL));
	residents = itest_path(C.city, "residents.csv");
	records = itest_path(C.city, "records.csv");
	free(itest_admin("import-residents", "--data", C.reg_dir, "--today", "2026-11-21",
	    residents, NULL));
	free(itest_admin("import-records", "--data", C.reg_dir, "--today", "2026-11-21",
	    records, NULL));
	free(residents);
	free(records);
	out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "admin01",
	    "--name", "情報 管理", "--role", "is-admin", NULL);
	code = itest_last_line_dup(out);
	free(out);
	/*
	 * The records the tests save are clk01's: the register takes a new
	 * sheet only from a role that may enter one (core/permission.h), and
	 * the administrator's may not. clk01 never logs in here.
	 */
	free(itest_admin("user", "add", "--data", C.reg_dir, "--id", "clk01",
	    "--name", "窓口 入力", "--role", "clerk", NULL));
	free(itest_admin("workstation", "add", "--data", C.reg_dir, "--id", "ws-001", NULL));
	free(itest_admin("workstation", "add", "--data", C.reg_dir, "--id", "ws-002", NULL));

	crl = itest_path(C.pki, "crl.pem");
	if (itest_register_start(&C.reg, C.reg_dir, C.pki, "register", 0, NULL,
	    (char *[]){ "--crl", crl, NULL }) != 0)
		return -1;
	/* First login of the administrator: activation code, then a password. */
	secrets = itest_spr("%s\n%s\n%s\n", code, ADMIN_PW, ADMIN_PW);
	provision(C.ws1, "ws-001", secrets);
	free(secrets);
	secrets = itest_spr("%s\n", ADMIN_PW);
	provision(C.ws2, "ws-002", secrets);
	free(secrets);
	free(code);
	free(crl);
	return 0;
}

static int
teardown_city(void **state)
{
	(void)state;
	itest_register_stop(&C.reg, SIGTERM);
	if (getenv("SESSHU_KEEP_TEST_DIRS") == NULL)
		tu_rm_rf(C.dir);
	free(C.dir);
	free(C.pki);
	free(C.reg_dir);
	free(C.ws1);
	free(C.ws2);
	free(C.city);
	return 0;
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

static long
register_count(const char *sql)
{
	struct sesshu_err err = { 0 };
	struct reg *reg;
	long n;

	if (reg_open(&reg, C.reg_dir, &err) != 0)
		fail_msg("reg_open: %s", err.msg);
	n = count(reg->st, sql);
	reg_close(reg);
	return n;
}

/*
 * Saves n new records of (vaccine COVID, dose) for persons without one,
 * keyed by the clerk clk01 (s may be the administrator's session).
 */
static void
add_records(struct ws_session *s, int n, int dose)
{
	char sql[256];
	sqlite3_stmt *stmt;
	int made = 0;

	snprintf(sql, sizeof(sql), "SELECT atena_no FROM persons p WHERE status = 1"
	    " AND birth_date < '2000-01-01' AND NOT EXISTS (SELECT 1 FROM"
	    " vaccination_records r WHERE r.atena_no = p.atena_no AND"
	    " r.vaccine_code = 'COVID' AND r.dose = %d) LIMIT %d", dose, n);
	assert_int_equal(sqlite3_prepare_v2(store_db(s->st), sql, -1, &stmt, NULL),
	    SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct sesshu_err err = { 0 };
		json_t *rec = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s,"
		    " s:i, s:i, s:i, s:s}", "atena_no", sqlite3_column_text(stmt, 0),
		    "vaccine_code", "COVID", "dose", dose, "category", "V",
		    "vaccinated_on", "2026-10-01", "institution_code", "9900000001",
		    "lot_no", "TEST01", "lot_expiry", "2027-03-31",
		    "screening_only", 0, "other_municipality", 0,
		    "certificate_issued", 0, "entered_by", "clk01");

		if (ws_record_save(s, rec, NULL, &err) != 0)
			fail_msg("ws_record_save: %s", err.msg);
		json_decref(rec);
		made++;
	}
	sqlite3_finalize(stmt);
	assert_int_equal(made, n);
}

static void
test_sync_first_pull_brings_the_city_and_no_plaintext(void **state)
{
	static const char *cols[] = { "name", "name_kana", "atena_no" };
	struct ws_session *s = login(C.ws1, "admin01", ADMIN_PW);
	char hit[4096];
	sqlite3_stmt *stmt;
	int checked = 0;

	(void)state;
	assert_int_equal(count(s->st, "SELECT count(*) FROM persons"), 10000);
	assert_true(count(s->st, "SELECT count(*) FROM vaccination_records") > 10000);
	/* Every file in the state directory, for 50 residents' name, kana and
	 * 宛名番号, while the cache is open (WAL and SHM present) and after. */
	for (int pass = 0; pass < 2; pass++) {
		struct ws_session *o = pass == 0 ? s : login(C.ws1, "admin01", ADMIN_PW);

		assert_int_equal(sqlite3_prepare_v2(store_db(o->st), "SELECT name,"
		    " name_kana, atena_no FROM persons ORDER BY random() LIMIT 50",
		    -1, &stmt, NULL), SQLITE_OK);
		if (pass == 1)
			ws_session_close(s);
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			for (int c = 0; c < 3; c++) {
				const char *v = (const char *)sqlite3_column_text(stmt, c);

				if (tu_dir_contains(C.ws1, v, strlen(v), hit, sizeof(hit)))
					fail_msg("%s of a resident in clear in %s", cols[c], hit);
				checked++;
			}
		}
		sqlite3_finalize(stmt);
		if (pass == 1)
			ws_session_close(o);
	}
	assert_int_equal(checked, 300);
}

static void
test_sync_500_records_arrive_identical_on_a_second_workstation(void **state)
{
	static const char dump[] =
	    "SELECT group_concat(line, '|') FROM (SELECT record_uuid || ',' ||"
	    " version || ',' || atena_no || ',' || vaccine_code || ',' || dose ||"
	    " ',' || vaccinated_on || ',' || lot_no || ',' || state || ',' ||"
	    " entered_by || ',' || registered_at AS line FROM vaccination_records"
	    " WHERE vaccine_code = 'COVID' AND dose = 9 ORDER BY record_uuid)";
	struct ws_session *s = login(C.ws1, "admin01", ADMIN_PW), *t;
	struct itest_run r;
	sqlite3_stmt *a, *b;

	(void)state;
	add_records(s, 500, 9);
	ws_session_close(s);
	r = sync_run(C.ws1, "admin01", ADMIN_PW, NULL);
	if (!r.exited || r.code != 0 || strstr(r.out, "pushed 500, acknowledged 500")
	    == NULL)
		fail_msg("sync ws1: %s", r.out);
	free(r.out);
	r = sync_run(C.ws2, "admin01", ADMIN_PW, NULL);
	if (!r.exited || r.code != 0)
		fail_msg("sync ws2: %s", r.out);
	free(r.out);

	s = login(C.ws1, "admin01", ADMIN_PW);
	t = login(C.ws2, "admin01", ADMIN_PW);
	assert_int_equal(count(t->st, "SELECT count(*) FROM vaccination_records"
	    " WHERE vaccine_code = 'COVID' AND dose = 9"), 500);
	assert_int_equal(sqlite3_prepare_v2(store_db(s->st), dump, -1, &a, NULL), 0);
	assert_int_equal(sqlite3_prepare_v2(store_db(t->st), dump, -1, &b, NULL), 0);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(sqlite3_step(b), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(a, 0), sqlite3_column_text(b, 0));
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	ws_session_close(s);
	ws_session_close(t);
	assert_int_equal(register_count("SELECT count(*) FROM vaccination_records"
	    " WHERE vaccine_code = 'COVID' AND dose = 9"), 500);
}

static void
test_sync_client_killed_before_ack_applies_each_record_once(void **state)
{
	char *env[] = { "SESSHU_FAILPOINT=client.push.before-ack", NULL };
	struct ws_session *s = login(C.ws1, "admin01", ADMIN_PW);
	struct sesshu_err err = { 0 };
	struct itest_run r;
	long pending;

	(void)state;
	add_records(s, 50, 8);
	ws_session_close(s);
	r = sync_run(C.ws1, "admin01", ADMIN_PW, env);
	if (r.exited || r.code != SIGKILL)
		fail_msg("expected the failpoint to kill sync: %s", r.out);
	free(r.out);
	/* The register has them; the outbox still does too. */
	assert_int_equal(register_count("SELECT count(*) FROM vaccination_records"
	    " WHERE vaccine_code = 'COVID' AND dose = 8"), 50);
	s = login(C.ws1, "admin01", ADMIN_PW);
	assert_int_equal(ws_outbox_pending(s->st, &pending, &err), 0);
	assert_int_equal(pending, 50);
	ws_session_close(s);
	/* Sent again: the same UUIDs come back as duplicates, applied once. */
	r = sync_run(C.ws1, "admin01", ADMIN_PW, NULL);
	if (!r.exited || r.code != 0 || strstr(r.out, "pushed 50, acknowledged 50")
	    == NULL)
		fail_msg("second sync: %s", r.out);
	free(r.out);
	assert_int_equal(register_count("SELECT count(*) FROM vaccination_records"
	    " WHERE vaccine_code = 'COVID' AND dose = 8"), 50);
	s = login(C.ws1, "admin01", ADMIN_PW);
	assert_int_equal(ws_outbox_pending(s->st, &pending, &err), 0);
	assert_int_equal(pending, 0);
	ws_session_close(s);
}

static void
test_sync_register_killed_mid_batch_applies_all_or_nothing(void **state)
{
	char *env[] = { "SESSHU_FAILPOINT=register.push.mid-batch", NULL };
	char *crl = itest_path(C.pki, "crl.pem");
	struct ws_session *s = login(C.ws1, "admin01", ADMIN_PW);
	struct itest_run r;
	int status, port;

	(void)state;
	add_records(s, 40, 7);
	ws_session_close(s);
	port = C.reg.port;
	itest_register_stop(&C.reg, SIGTERM);
	assert_int_equal(itest_register_start(&C.reg, C.reg_dir, C.pki, "register",
	    port, env, (char *[]){ "--crl", crl, NULL }), 0);
	r = sync_run(C.ws1, "admin01", ADMIN_PW, NULL);
	if (r.exited && r.code == 0)
		fail_msg("sync should fail when the register dies: %s", r.out);
	free(r.out);
	status = itest_register_stop(&C.reg, SIGTERM);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_int_equal(register_count("SELECT count(*) FROM vaccination_records"
	    " WHERE vaccine_code = 'COVID' AND dose = 7 AND lot_no = 'TEST01'"), 0);

	assert_int_equal(itest_register_start(&C.reg, C.reg_dir, C.pki, "register",
	    port, NULL, (char *[]){ "--crl", crl, NULL }), 0);
	r = sync_run(C.ws1, "admin01", ADMIN_PW, NULL);
	if (!r.exited || r.code != 0 || strstr(r.out, "pushed 40, acknowledged 40")
	    == NULL)
		fail_msg("sync after restart: %s", r.out);
	free(r.out);
	assert_int_equal(register_count("SELECT count(*) FROM vaccination_records"
	    " WHERE vaccine_code = 'COVID' AND dose = 7 AND lot_no = 'TEST01'"), 40);
	free(crl);
}

/* A request with the given client certificate (NULL: none) and CA. */
static int
try_hello(const char *cert_name, const char *ca_name, const char *url,
    const char *municipality, long *status, json_t **resp, struct sesshu_err *err)
{
	char *cert = itest_spr("%s/%s.crt", C.pki, cert_name), *key = itest_spr("%s/%s.key",
	    C.pki, cert_name), *ca = itest_spr("%s/%s.crt", C.pki, ca_name);
	struct sync_endpoint_config ep = { .url = url, .ca_file = ca,
	    .cert_file = cert, .key_file = key };
	struct sync_http *h;
	json_t *body = json_pack("{s:s}", "municipality", municipality);
	int rc;

	*resp = NULL;
	*status = 0;
	if ((rc = sync_http_new(&h, &ep, err)) == 0) {
		rc = sync_http_post(h, "/v1/hello", body, status, resp, err);
		sync_http_free(h);
	}
	json_decref(body);
	free(cert);
	free(key);
	free(ca);
	return rc;
}

static void
expect_tls_refused(const char *cert, const char *words)
{
	struct sesshu_err err = { 0 };
	json_t *resp;
	long status;

	assert_int_equal(try_hello(cert, "ca", C.reg.url, MUNI, &status, &resp,
	    &err), SESSHU_EIO);
	if (strstr(err.msg, words) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", cert, err.msg, words);
}

/* Without any client certificate, and in plain HTTP: libcurl directly. */
static CURLcode
raw_request(const char *url, int with_ca)
{
	CURL *c = curl_easy_init();
	char *ca = itest_spr("%s/ca.crt", C.pki);
	CURLcode rc;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"municipality\":\"990001\"}");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (with_ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	free(ca);
	return rc;
}

static void
expect_audited(const char *like, long at_least)
{
	char *sql = itest_spr("SELECT count(*) FROM audit_log WHERE action LIKE"
	    " 'refused.%%' AND outcome LIKE '%s'", like);
	long n = register_count(sql);

	if (n < at_least)
		fail_msg("only %ld audit entries match %s", n, like);
	free(sql);
}

static void
test_sync_bad_certificates_refused_clearly_and_audited(void **state)
{
	struct sesshu_err err = { 0 };
	struct itest_register impostor;
	char *plain, *other_ca = itest_path(C.pki, "other-ca.crt");
	json_t *resp;
	long status;

	(void)state;
	expect_tls_refused("other-ca-ws", "refused this workstation's certificate");
	expect_tls_refused("expired", "refused this workstation's certificate");
	expect_tls_refused("revoked", "refused this workstation's certificate");
	expect_tls_refused("server-as-client", "refused this workstation's certificate");
	assert_int_not_equal(raw_request(C.reg.url, 1), CURLE_OK);
	plain = itest_spr("http://127.0.0.1:%d/v1/hello", C.reg.port);
	assert_int_not_equal(raw_request(plain, 0), CURLE_OK);
	free(plain);

	/* A valid certificate, a request for another municipality. */
	assert_int_equal(try_hello("ws-001", "ca", C.reg.url, "011002", &status,
	    &resp, &err), 0);
	assert_int_equal(status, 403);
	assert_string_equal(json_string_value(json_object_get(resp, "error")),
	    "municipality_mismatch");
	json_decref(resp);
	/* A certificate of another municipality, however it fills the body. */
	assert_int_equal(try_hello("wrong-mun", "ca", C.reg.url, MUNI, &status,
	    &resp, &err), 0);
	assert_int_equal(status, 403);
	json_decref(resp);

	/* The register still serves a good client. */
	assert_int_equal(try_hello("ws-001", "ca", C.reg.url, MUNI, &status, &resp,
	    &err), 0);
	assert_int_equal(status, 200);
	json_decref(resp);

	expect_audited("%expired%", 1);
	expect_audited("%revoked%", 1);
	expect_audited("%certificate%", 4);
	expect_audited("%municipality_mismatch%", 2);

	/* An impostor register, certified by another CA: the client refuses it. */
	/* (Its own CA, given last, wins over the municipal one.) */
	assert_int_equal(itest_register_start(&impostor, C.reg_dir, C.pki,
	    "other-ca-register", 0, NULL, (char *[]){ "--ca", other_ca, NULL }), 0);
	assert_int_equal(try_hello("ws-001", "ca", impostor.url, MUNI, &status,
	    &resp, &err), SESSHU_EIO);
	assert_non_null(strstr(err.msg, "not issued by the municipal CA"));
	itest_register_stop(&impostor, SIGTERM);
	free(other_ca);
}

static void
test_sync_malformed_requests_get_4xx_and_the_register_keeps_serving(void **state)
{
	struct ws_session *s = login(C.ws1, "admin01", ADMIN_PW);
	struct sesshu_err err = { 0 };
	struct sync_http *h;
	json_t *resp, *body, *big;
	long status;
	struct { const char *path; const char *json; long status; const char *words; }
	    cases[] = {
		{ "/v1/hello", "{\"municipality\":\"990001\",\"bogus\":1}", 400,
		  "unknown field" },
		{ "/v1/pull", "{\"municipality\":\"990001\",\"since\":\"zero\"}", 400,
		  "since" },
		{ "/v1/push", "{\"municipality\":\"990001\",\"changes\":[{\"uuid\":"
		  "\"5b0c2a9e-8f1d-4c3b-9a7e-0d1f2e3c4b5a\",\"kind\":\"record\","
		  "\"record\":{\"dose\":\"x\"}}]}", 400, "changes[0].record" },
		{ "/v1/push", "{\"municipality\":\"990001\",\"changes\":[{\"uuid\":"
		  "\"not-a-uuid\",\"kind\":\"record\",\"record\":{}}]}", 400, "uuid" },
		{ "/v1/nothing", "{\"municipality\":\"990001\"}", 404, "" },
	};

	(void)state;
	assert_int_equal(ws_session_http(s, &h, &err), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		body = json_loads(cases[i].json, 0, NULL);
		assert_non_null(body);
		assert_int_equal(sync_http_post(h, cases[i].path, body, &status, &resp,
		    &err), 0);
		if (status != cases[i].status || strstr(json_string_value(
		    json_object_get(resp, "message")), cases[i].words) == NULL)
			fail_msg("case %zu: %ld %s", i, status, json_dumps(resp, 0));
		json_decref(resp);
		json_decref(body);
	}
	/* Oversized: more than the 8 MiB limit. */
	big = json_array();
	for (int i = 0; i < 9000; i++)
		json_array_append_new(big, json_string_nocheck(
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"
		    "0123456789012345678901234567890123456789012345678901234567890123"));
	body = json_pack("{s:s, s:o}", "municipality", MUNI, "changes", big);
	status = 0;
	if (sync_http_post(h, "/v1/push", body, &status, &resp, &err) == 0) {
		assert_int_equal(status, 413);
		json_decref(resp);
	}
	json_decref(body);
	/* Still serving. */
	body = json_pack("{s:s}", "municipality", MUNI);
	assert_int_equal(sync_http_post(h, "/v1/hello", body, &status, &resp, &err), 0);
	assert_int_equal(status, 200);
	json_decref(resp);
	json_decref(body);
	ws_session_close(s);
}

static void
test_sync_disabled_user_loses_the_key_slot_at_next_sync(void **state)
{
	char *out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "clerk01",
	    "--name", "窓口 一郎", "--role", "clerk", NULL);
	char *code = itest_last_line_dup(out), *secrets;
	char *argv[] = { (char *)SESSHU_BIN, "sync", "--state", C.ws1, "--user",
	    "clerk01", "--password-fd", "3", NULL };
	struct itest_run r;

	(void)state;
	free(out);
	/* First login on ws1, online: the code, then a new password. */
	secrets = itest_spr("%s\n%s\n%s\n", code, CLERK_PW, CLERK_PW);
	free(itest_ok(argv, secrets));
	free(secrets);
	/* Offline from now on: the slot opens with the password. */
	r = sync_run(C.ws1, "clerk01", CLERK_PW, NULL);
	assert_true(r.exited && r.code == 0);
	free(r.out);
	/* An enrolled print (its bytes do not matter here) goes to the register. */
	{
		unsigned char bytes[] = "FP3 synthetic print for a test";
		struct fingerprint_blob fake = { bytes, sizeof(bytes) };
		struct sesshu_err err = { 0 };
		struct ws_session *s = login(C.ws1, "clerk01", CLERK_PW);

		assert_int_equal(ws_fingerprint_save(s, "clerk01", FINGER_LEFT_INDEX,
		    "virtual_device", &fake, &err), 0);
		ws_session_close(s);
		r = sync_run(C.ws1, "clerk01", CLERK_PW, NULL);
		assert_true(r.exited && r.code == 0);
		free(r.out);
	}

	free(itest_admin("user", "disable", "--data", C.reg_dir, "--id", "clerk01", NULL));
	r = sync_run(C.ws1, "admin01", ADMIN_PW, NULL);
	if (!r.exited || r.code != 0 || strstr(r.out, "removed the key slots of 1")
	    == NULL)
		fail_msg("sync after disabling: %s", r.out);
	free(r.out);
	/* Nor does the workstation keep the disabled user's print (C10). */
	{
		struct ws_session *s = login(C.ws1, "admin01", ADMIN_PW);

		assert_int_equal(count(s->st, "SELECT count(*) FROM fingerprints"
		    " WHERE user_id = 'clerk01'"), 0);
		ws_session_close(s);
	}
	/* No slot any more; online, the register refuses the disabled user. */
	r = sync_run(C.ws1, "clerk01", CLERK_PW, NULL);
	if (!r.exited || r.code != 1 || strstr(r.out, "user_disabled") == NULL)
		fail_msg("a disabled user logged in: %s", r.out);
	free(r.out);
	free(code);
}

static void
test_sync_wrong_password_refused_without_saying_which_factor(void **state)
{
	struct itest_run r = sync_run(C.ws1, "admin01", "not the password", NULL);

	(void)state;
	if (!r.exited || r.code != 1 || strstr(r.out, "user ID or password is wrong")
	    == NULL)
		fail_msg("%s", r.out);
	free(r.out);
}

/* One request to the register as workstation ws-001, outside any session. */
static long
post_as_ws1(const char *path, json_t *body, json_t **resp)
{
	struct sesshu_err err = { 0 };
	struct ws_session *s = login(C.ws1, "admin01", ADMIN_PW);
	struct sync_http *h;
	long status = 0;

	assert_int_equal(ws_session_http(s, &h, &err), 0);
	if (sync_http_post(h, path, body, &status, resp, &err) != 0)
		fail_msg("%s: %s", path, err.msg);
	ws_session_close(s);
	json_decref(body);
	return status;
}

static void
expect_error(long status, json_t *resp, long want, const char *error,
    const char *words)
{
	const char *e = json_string_value(json_object_get(resp, "error"));
	const char *m = json_string_value(json_object_get(resp, "message"));

	if (status != want || e == NULL || strcmp(e, error) != 0 || m == NULL ||
	    strstr(m, words) == NULL)
		fail_msg("wanted %ld %s (%s), got %ld %s: %s", want, error, words,
		    status, e ? e : "-", m ? m : "-");
	json_decref(resp);
}

static void
test_sync_password_policy_is_enforced_and_explained(void **state)
{
	char *out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "clerk02",
	    "--name", "窓口 二郎", "--role", "clerk", NULL);
	char *code = itest_last_line_dup(out), *secrets;
	char *argv[] = { (char *)SESSHU_BIN, "sync", "--state", C.ws2, "--user",
	    "clerk02", "--password-fd", "3", NULL };
	const char *pw = "二郎の十二文字以上のパスワード";
	json_t *resp;
	long status;

	(void)state;
	free(out);
	/* Too short first: the register says why, the clerk tries again. */
	secrets = itest_spr("%s\nshort\nshort\n%s\n%s\n", code, pw, pw);
	out = itest_ok(argv, secrets);
	if (strstr(out, "at least 12 are required") == NULL)
		fail_msg("the policy was not explained: %s", out);
	free(out);
	free(secrets);
	/* The same password again is one of the last five. */
	status = post_as_ws1("/v1/password", json_pack("{s:s, s:s, s:s, s:s}",
	    "municipality", MUNI, "user_id", "clerk02", "secret", pw,
	    "new_password", pw), &resp);
	expect_error(status, resp, 422, "password_policy", "used before");
	/* The user ID inside the password. */
	status = post_as_ws1("/v1/password", json_pack("{s:s, s:s, s:s, s:s}",
	    "municipality", MUNI, "user_id", "clerk02", "secret", pw,
	    "new_password", "my clerk02 password"), &resp);
	expect_error(status, resp, 422, "password_policy", "user ID");
	free(code);
}

static void
test_sync_five_failures_lock_the_user_everywhere(void **state)
{
	char *out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "clerk03",
	    "--name", "窓口 三郎", "--role", "clerk", NULL);
	char *code = itest_last_line_dup(out);
	json_t *resp;
	long status;

	(void)state;
	free(out);
	for (int i = 0; i < 5; i++) {
		status = post_as_ws1("/v1/login", json_pack("{s:s, s:s, s:s}",
		    "municipality", MUNI, "user_id", "clerk03", "secret",
		    "WRONG-CODE-0000-0000"), &resp);
		expect_error(status, resp, 401, "auth_failed", "wrong");
	}
	/* Even the right code is refused now, with the time to wait. */
	status = post_as_ws1("/v1/login", json_pack("{s:s, s:s, s:s}",
	    "municipality", MUNI, "user_id", "clerk03", "secret", code), &resp);
	assert_true(json_integer_value(json_object_get(resp, "retry_after")) > 0);
	expect_error(status, resp, 423, "locked", "locked until");
	free(code);
}

static void
test_sync_expired_password_must_be_changed(void **state)
{
	char *out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "clerk04",
	    "--name", "窓口 四郎", "--role", "clerk", NULL);
	char *code = itest_last_line_dup(out), *crl = itest_path(C.pki, "crl.pem");
	const char *pw = "四郎の十二文字以上のパスワード";
	json_t *resp;
	long status;
	int port = C.reg.port;

	(void)state;
	free(out);
	status = post_as_ws1("/v1/login", json_pack("{s:s, s:s, s:s, s:s}",
	    "municipality", MUNI, "user_id", "clerk04", "secret", code,
	    "new_password", pw), &resp);
	assert_int_equal(status, 200);
	json_decref(resp);
	/* Passwords now expire at once; the next login must set a new one. */
	free(itest_admin("settings", "set", "--data", C.reg_dir, "password_max_age_days",
	    "0", NULL));
	itest_register_stop(&C.reg, SIGTERM);
	assert_int_equal(itest_register_start(&C.reg, C.reg_dir, C.pki, "register",
	    port, NULL, (char *[]){ "--crl", crl, NULL }), 0);
	status = post_as_ws1("/v1/login", json_pack("{s:s, s:s, s:s}",
	    "municipality", MUNI, "user_id", "clerk04", "secret", pw), &resp);
	expect_error(status, resp, 422, "password_change_required", "expired");
	free(itest_admin("settings", "set", "--data", C.reg_dir, "password_max_age_days",
	    "90", NULL));
	itest_register_stop(&C.reg, SIGTERM);
	assert_int_equal(itest_register_start(&C.reg, C.reg_dir, C.pki, "register",
	    port, NULL, (char *[]){ "--crl", crl, NULL }), 0);
	free(code);
	free(crl);
}

static void
test_sync_register_key_from_systemd_credential_or_refused_if_exposed(void **state)
{
	char *key = itest_path(C.reg_dir, "register.key");
	char *moved = itest_path(C.dir, "register.key.moved");
	char *creds = itest_path(C.dir, "credentials");
	char *cred = itest_path(creds, "register-key");
	char *env_creds = itest_spr("CREDENTIALS_DIRECTORY=%s", creds);
	char *argv[] = { (char *)REGISTERD_BIN, "user", "list", "--data",
	    C.reg_dir, NULL };
	unsigned char *k;
	size_t len;
	struct itest_run r;

	(void)state;
	/* The key only in the credential directory, as systemd passes it. */
	k = tu_read_file(key, &len);
	assert_non_null(k);
	assert_int_equal(mkdir(creds, 0700), 0);
	assert_int_equal(tu_write_file(cred, k, len), 0);
	assert_int_equal(rename(key, moved), 0);
	itest_run(argv, (char *[]){ env_creds, NULL }, NULL, 60, &r);
	if (!r.exited || r.code != 0 || strstr(r.out, "admin01") == NULL)
		fail_msg("with the credential: %s", r.out);
	free(r.out);
	/* Without it, the missing file is named. */
	itest_run(argv, NULL, NULL, 60, &r);
	assert_true(r.exited && r.code == 1);
	assert_non_null(strstr(r.out, "register.key"));
	free(r.out);
	assert_int_equal(rename(moved, key), 0);
	/* A key others may read is refused, not used. */
	assert_int_equal(chmod(key, 0644), 0);
	itest_run(argv, NULL, NULL, 60, &r);
	if (!r.exited || r.code != 1 || strstr(r.out, "readable by others") == NULL)
		fail_msg("an exposed key was used: %s", r.out);
	free(r.out);
	assert_int_equal(chmod(key, 0600), 0);
	free(itest_ok(argv, NULL));
	free(k);
	free(key);
	free(moved);
	free(cred);
	free(creds);
	free(env_creds);
}

static void
test_sync_cursor_ahead_of_a_restored_register_pulls_everything_again(void **state)
{
	struct sesshu_err err = { 0 };
	struct ws_session *s = login(C.ws2, "admin01", ADMIN_PW);
	struct itest_run r;
	char *out;

	(void)state;
	/* As if the register had been restored from an older backup. */
	assert_int_equal(store_exec(s->st, "UPDATE sync_state SET value ="
	    " '999999999' WHERE key = 'pull_cursor'", &err), 0);
	ws_session_close(s);
	r = sync_run(C.ws2, "admin01", ADMIN_PW, NULL);
	if (!r.exited || r.code != 0 || strstr(r.out, "pulled 0,") != NULL)
		fail_msg("sync with a cursor ahead: %s", r.out);
	free(r.out);
	s = login(C.ws2, "admin01", ADMIN_PW);
	assert_int_equal(count(s->st, "SELECT count(*) FROM audit_log WHERE"
	    " action = 'sync.cursor_reset'"), 1);
	assert_true(count(s->st, "SELECT value FROM sync_state WHERE key ="
	    " 'pull_cursor'") < 999999999);
	ws_session_close(s);
	/* And the register's own trail still verifies after all of this. */
	out = itest_admin("audit", "verify", "--data", C.reg_dir, NULL);
	assert_non_null(strstr(out, "the audit trail verifies"));
	free(out);
}

/*
 * Enrolled on one workstation's reader, a print reaches the register and
 * the other workstation, where the same finger is recognised and another
 * is not (issue 4: log in on other workstations).
 */
static void
test_sync_print_enrolled_on_one_workstation_verifies_on_another(void **state)
{
	struct fingerprint_blob print = { NULL, 0 }, *prints = NULL;
	struct fingerprint_reader *r;
	struct sesshu_err err = { 0 };
	struct ws_session *s;
	struct itest_run run;
	size_t n = 0, matched = 99;

	(void)state;
	if (fingerprint_open(&r, "virtual_device", &err) != 0)
		fail_msg("fingerprint_open: %s", err.msg);
	for (int i = 0; i < fingerprint_reader_stages(r); i++)
		tu_vdev_send(vdev_sock, "SCAN admin01-right-index");
	if (fingerprint_enroll(r, "admin01", FINGER_RIGHT_INDEX, NULL, NULL,
	    &print, &err) != 0)
		fail_msg("enroll: %s", err.msg);
	s = login(C.ws1, "admin01", ADMIN_PW);
	/* Provisioning allowed one enrollment; saving the print uses it up. */
	assert_true(ws_enrollment_allowed(s));
	if (ws_fingerprint_save(s, "admin01", FINGER_RIGHT_INDEX,
	    fingerprint_reader_driver(r), &print, &err) != 0)
		fail_msg("save: %s", err.msg);
	assert_false(ws_enrollment_allowed(s));
	/* Another needs the register to check the password again. */
	assert_int_equal(ws_enrollment_confirm_online(s, ask_fixed,
	    "not the password", &err), SESSHU_EAUTH);
	assert_false(ws_enrollment_allowed(s));
	assert_int_equal(ws_enrollment_confirm_online(s, ask_fixed,
	    (void *)ADMIN_PW, &err), 0);
	assert_true(ws_enrollment_allowed(s));
	ws_session_close(s);
	fingerprint_blob_clear(&print);

	run = sync_run(C.ws1, "admin01", ADMIN_PW, NULL);
	if (!run.exited || run.code != 0 || strstr(run.out, "acknowledged 1") == NULL)
		fail_msg("sync ws1: %s", run.out);
	free(run.out);
	run = sync_run(C.ws2, "admin01", ADMIN_PW, NULL);
	assert_true(run.exited && run.code == 0);
	free(run.out);
	assert_int_equal(register_count("SELECT count(*) FROM fingerprints"
	    " WHERE user_id = 'admin01'"), 1);

	s = login(C.ws2, "admin01", ADMIN_PW);
	assert_int_equal(ws_fingerprints_load(s, "admin01",
	    fingerprint_reader_driver(r), &prints, &n, &err), 0);
	ws_session_close(s);
	assert_int_equal(n, 1);
	tu_vdev_send(vdev_sock, "SCAN admin01-right-index");
	assert_int_equal(fingerprint_verify(r, "admin01", prints, n, NULL, NULL,
	    &matched, &err), 0);
	assert_int_equal(matched, 0);
	tu_vdev_send(vdev_sock, "SCAN someone-else");
	assert_int_equal(fingerprint_verify(r, "admin01", prints, n, NULL, NULL,
	    &matched, &err), SESSHU_EAUTH);
	assert_non_null(strstr(err.msg, "not recognised"));
	fingerprint_blob_clear(&prints[0]);
	free(prints);
	fingerprint_close(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_first_pull_brings_the_city_and_no_plaintext),
		cmocka_unit_test(test_sync_500_records_arrive_identical_on_a_second_workstation),
		cmocka_unit_test(test_sync_client_killed_before_ack_applies_each_record_once),
		cmocka_unit_test(test_sync_register_killed_mid_batch_applies_all_or_nothing),
		cmocka_unit_test(test_sync_bad_certificates_refused_clearly_and_audited),
		cmocka_unit_test(test_sync_malformed_requests_get_4xx_and_the_register_keeps_serving),
		cmocka_unit_test(test_sync_disabled_user_loses_the_key_slot_at_next_sync),
		cmocka_unit_test(test_sync_wrong_password_refused_without_saying_which_factor),
		cmocka_unit_test(test_sync_password_policy_is_enforced_and_explained),
		cmocka_unit_test(test_sync_five_failures_lock_the_user_everywhere),
		cmocka_unit_test(test_sync_expired_password_must_be_changed),
		cmocka_unit_test(test_sync_register_key_from_systemd_credential_or_refused_if_exposed),
		cmocka_unit_test(test_sync_cursor_ahead_of_a_restored_register_pulls_everything_again),
		cmocka_unit_test(test_sync_print_enrolled_on_one_workstation_verifies_on_another),
	};
	int rc;

	/* Before libfprint first looks for readers: only the virtual one. */
	if (mkdtemp(vdev_dir) == NULL)
		return 1;
	snprintf(vdev_sock, sizeof(vdev_sock), "%s/vd.sock", vdev_dir);
	setenv("FP_VIRTUAL_DEVICE", vdev_sock, 1);
	setenv("FP_DRIVERS_WHITELIST", "virtual_device", 1);

	rc = cmocka_run_group_tests(tests, setup_city, teardown_city);
	tu_rm_rf(vdev_dir);
	return rc;
}
