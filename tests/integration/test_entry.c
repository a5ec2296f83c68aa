/*
 * test_entry.c: 予診票 entry end to end: master data, questionnaire
 * batches, second-person verification, duplicates, corrections and voids,
 * drafts and the person search, between two provisioned workstations and
 * a real register on 127.0.0.1 (mutual TLS, a PKI made at test time, a
 * small generated city). Sessions are opened in-process and synchronised
 * with ws_sync(); the register's store is read directly to see what it
 * kept. Every refusal here is one the workstation or the register must
 * make by itself (DOMAIN §2-3, ARCHITECTURE §4).
 *
 * One register and one pair of workstations serve every test (group
 * setup): each test takes residents of its own (next_person), so the tests
 * do not see each other's doses.
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
#include <cmocka.h>

#include "core/date.h"
#include "itest.h"
#include "register/reg.h"
#include "store/store.h"
#include "sync/account.h"
#include "sync/entity.h"
#include "sync/http_client.h"
#include "sync/replicate.h"
#include "sync/wire.h"
#include "sync/ws_batches.h"
#include "sync/ws_person.h"
#include "sync/ws_records.h"
#include "sync/ws_refused.h"
#include "testutil.h"

#define MUNI		"990001"
#define RESIDENTS	"800"
#define ADMIN_PW	"correct horse battery staple"
#define VERIFIER_PW	"照合担当の長いパスワード2026"
#define CLERK_PW	"入力担当の長いパスワード2026"
#define INSTITUTION	"9910100016"	/* 若葉市保健センター, forms/master */
#define DOSE		9		/* a COVID dose the generated city never has */

static struct city {
	char			*dir, *pki, *reg_dir, *ws1, *ws2, *city;
	struct itest_register	 reg;
	/*
	 * clk01 (a clerk) enters on both workstations; vrf01 (a verifier)
	 * verifies. admin01, the IS administrator, only provisions: the
	 * register takes no sheet of theirs (core/permission.h).
	 */
	struct ws_session	*c1, *c2, *v1, *v2;
	int			 next_person;
} C;

/* ---------------------------------------------------------------- helpers */

struct secrets {
	const char	*secret;	/* password or activation code */
	const char	*new_pw;	/* for a first login: the password to set */
};

/* The ws_ask_fn of in-process logins. */
static int
ask_secrets(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
    struct sesshu_err *err)
{
	const struct secrets *s = ctx;
	const char *v = what == WS_ASK_SECRET ? s->secret : s->new_pw;

	(void)why;
	if (v == NULL)
		return sesshu_err_set(err, SESSHU_EAUTH, "the test has no secret "
		    "for this question");
	return secbuf_dup(out, v, strlen(v), err);
}

static struct ws_session *
login(const char *state, const char *user, const char *secret, const char *new_pw)
{
	struct secrets sec = { secret, new_pw };
	struct sesshu_err err = { 0 };
	struct ws_session *s;

	if (ws_login(state, user, ask_secrets, &sec, &s, &err) != 0)
		fail_msg("login of %s on %s: %s", user, state, err.msg);
	return s;
}

static struct ws_sync_counts
sync_ok(struct ws_session *s)
{
	struct sesshu_err err = { 0 };
	struct ws_sync_counts c;

	if (ws_sync(s, &c, &err) != 0)
		fail_msg("ws_sync of %s on %s: %s", s->user_id, s->state_dir, err.msg);
	return c;
}

static long
count_db(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

/* The first column of the first row, in a new string ("" when none). */
static char *
text_db(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	char *v = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		v = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return v != NULL ? v : strdup("");
}

static long ws_count(struct ws_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static long reg_count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *reg_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static long
ws_count(struct ws_session *s, const char *fmt, ...)
{
	va_list ap;
	char *sql;
	long n;

	va_start(ap, fmt);
	if (vasprintf(&sql, fmt, ap) < 0)
		abort();
	va_end(ap);
	n = count_db(store_db(s->st), sql);
	free(sql);
	return n;
}

/* The register's store, opened beside the running register (WAL). */
static struct reg *
reg_db(void)
{
	struct sesshu_err err = { 0 };
	struct reg *reg;

	if (reg_open(&reg, C.reg_dir, &err) != 0)
		fail_msg("reg_open: %s", err.msg);
	return reg;
}

static long
reg_count(const char *fmt, ...)
{
	struct reg *reg = reg_db();
	va_list ap;
	char *sql;
	long n;

	va_start(ap, fmt);
	if (vasprintf(&sql, fmt, ap) < 0)
		abort();
	va_end(ap);
	n = count_db(store_db(reg->st), sql);
	reg_close(reg);
	free(sql);
	return n;
}

static char *
reg_text(const char *fmt, ...)
{
	struct reg *reg = reg_db();
	va_list ap;
	char *sql, *v;

	va_start(ap, fmt);
	if (vasprintf(&sql, fmt, ap) < 0)
		abort();
	va_end(ap);
	v = text_db(store_db(reg->st), sql);
	reg_close(reg);
	free(sql);
	return v;
}

static void
expect_text(char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("wanted \"%s\", got \"%s\"", want, got);
	free(got);
}

/* The same, when want was made for the occasion (freed here). */
static void
expect_text_free(char *got, char *want)
{
	expect_text(got, want);
	free(want);
}

/*
 * A resident of this test's own, adult and living in the city, as both
 * workstations know them (the same persons arrived on both).
 */
static void
next_person(char atena[WS_ATENA_DIGITS + 1])
{
	char *sql = itest_spr("SELECT atena_no FROM persons WHERE status = 1 AND"
	    " birth_date < '2000-01-01' ORDER BY atena_no LIMIT 1 OFFSET %d",
	    C.next_person++);
	char *v = text_db(store_db(C.c1->st), sql);

	if (strlen(v) != WS_ATENA_DIGITS)
		fail_msg("no resident left for a test (%d used)", C.next_person);
	memcpy(atena, v, WS_ATENA_DIGITS + 1);
	free(v);
	free(sql);
}

/* A new COVID dose DOSE of atena (in batch when not NULL); caller decrefs. */
static json_t *
new_record(const char *atena, const char *batch)
{
	json_t *rec = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:i, s:i, s:i}", "atena_no", atena, "vaccine_code", "COVID",
	    "dose", DOSE, "category", "B", "vaccinated_on", "2026-10-01",
	    "institution_code", INSTITUTION, "maker_code", "PFIZER",
	    "lot_no", "FC910A", "lot_expiry", "2027-08-31",
	    "screening_only", 0, "other_municipality", 0,
	    "certificate_issued", 0);

	assert_non_null(rec);
	if (batch != NULL)
		json_object_set_new(rec, "batch_id", json_string(batch));
	return rec;
}

/* Saves a new record of atena on s; its UUID into uuid. */
static void
save_record(struct ws_session *s, const char *atena, const char *batch,
    char uuid[WIRE_UUID_STRLEN])
{
	struct sesshu_err err = { 0 };
	json_t *rec = new_record(atena, batch);

	if (ws_record_save(s, rec, uuid, &err) != 0)
		fail_msg("ws_record_save: %s", err.msg);
	json_decref(rec);
}

/* The row of kind with key in s's cache, as that kind's JSON. */
static json_t *
cached_entity(struct ws_session *s, const char *kind, const char *key)
{
	const struct entity_kind *k = entity_find(kind);
	sqlite3_stmt *stmt;
	json_t *row = NULL;

	assert_int_equal(sqlite3_prepare_v2(store_db(s->st), k->select_sql, -1,
	    &stmt, NULL), SQLITE_OK);
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		row = entity_row_to_json(k, stmt);
	sqlite3_finalize(stmt);
	if (row == NULL)
		fail_msg("%s %s is not in %s's cache", kind, key, s->state_dir);
	return row;
}

/*
 * Pushes one change (kind, data, base_version or 0) straight to the
 * register as s's workstation, outside its outbox; returns the result
 * (caller decrefs).
 */
static json_t *
push_direct(struct ws_session *s, const char *kind, json_t *data, long base)
{
	struct sesshu_err err = { 0 };
	char uuid[WIRE_UUID_STRLEN];
	struct sync_http *h;
	json_t *body, *change, *resp, *result;
	long status = 0;

	assert_int_equal(wire_uuid_v4(uuid, &err), 0);
	change = json_pack("{s:s, s:s, s:O}", "uuid", uuid, "kind", kind, kind,
	    data);
	if (base > 0)
		json_object_set_new(change, "base_version", json_integer(base));
	body = json_pack("{s:s, s:[o]}", "municipality", MUNI, "changes", change);
	assert_non_null(body);
	assert_int_equal(ws_session_http(s, &h, &err), 0);
	if (sync_http_post(h, "/v1/push", body, &status, &resp, &err) != 0)
		fail_msg("push: %s", err.msg);
	json_decref(body);
	if (status != 200)
		fail_msg("push: HTTP %ld: %s", status, json_dumps(resp, 0));
	result = json_incref(json_array_get(json_object_get(resp, "results"), 0));
	json_decref(resp);
	assert_non_null(result);
	return result;
}

static void
expect_result(json_t *result, const char *status, const char *words)
{
	const char *st = json_string_value(json_object_get(result, "status"));
	const char *msg = json_string_value(json_object_get(result, "message"));

	if (st == NULL || strcmp(st, status) != 0 || (words != NULL &&
	    (msg == NULL || strstr(msg, words) == NULL)))
		fail_msg("wanted %s (%s), got %s", status, words ? words : "-",
		    json_dumps(result, 0));
	json_decref(result);
}

static char *
write_master(const char *name, const char *json)
{
	char *path = itest_path(C.dir, name);

	assert_int_equal(tu_write_file(path, json, strlen(json)), 0);
	return path;
}

/* ------------------------------------------------------------ the world */

static void
provision(const char *state, const char *ws, const char *secrets)
{
	char *cert = itest_spr("%s/%s.crt", C.pki, ws), *key = itest_spr("%s/%s.key",
	    C.pki, ws), *ca = itest_spr("%s/ca.crt", C.pki);
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
	    "--seed", "17", "--out", NULL, NULL };
	char *crl, *out, *admin_code, *clk_code, *vrf_code, *secrets, *residents;
	char *records;

	(void)state;
	C.dir = tu_mkdtemp("entry");
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
	free(itest_admin("import-residents", "--data", C.reg_dir, "--today",
	    "2026-11-21", residents, NULL));
	free(itest_admin("import-records", "--data", C.reg_dir, "--today",
	    "2026-11-21", records, NULL));
	free(residents);
	free(records);
	itest_import_master(C.reg_dir);
	out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "admin01",
	    "--name", "情報 管理", "--role", "is-admin", NULL);
	admin_code = itest_last_line_dup(out);
	free(out);
	out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "clk01",
	    "--name", "窓口 入力", "--role", "clerk", NULL);
	clk_code = itest_last_line_dup(out);
	free(out);
	out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "vrf01",
	    "--name", "照合 一郎", "--role", "verifier", NULL);
	vrf_code = itest_last_line_dup(out);
	free(out);
	free(itest_admin("workstation", "add", "--data", C.reg_dir, "--id",
	    "ws-001", NULL));
	free(itest_admin("workstation", "add", "--data", C.reg_dir, "--id",
	    "ws-002", NULL));

	crl = itest_path(C.pki, "crl.pem");
	if (itest_register_start(&C.reg, C.reg_dir, C.pki, "register", 0, NULL,
	    (char *[]){ "--crl", crl, NULL }) != 0)
		return -1;
	secrets = itest_spr("%s\n%s\n%s\n", admin_code, ADMIN_PW, ADMIN_PW);
	provision(C.ws1, "ws-001", secrets);
	free(secrets);
	secrets = itest_spr("%s\n", ADMIN_PW);
	provision(C.ws2, "ws-002", secrets);
	free(secrets);
	/* clk01's first login: the activation code on ws1, then online on ws2. */
	C.c1 = login(C.ws1, "clk01", clk_code, CLERK_PW);
	C.c2 = login(C.ws2, "clk01", CLERK_PW, NULL);
	/* vrf01's first login: the activation code on ws2, then online on ws1. */
	C.v2 = login(C.ws2, "vrf01", vrf_code, VERIFIER_PW);
	C.v1 = login(C.ws1, "vrf01", VERIFIER_PW, NULL);
	free(admin_code);
	free(clk_code);
	free(vrf_code);
	free(crl);
	return 0;
}

static int
teardown_city(void **state)
{
	(void)state;
	ws_session_close(C.c1);
	ws_session_close(C.c2);
	ws_session_close(C.v1);
	ws_session_close(C.v2);
	itest_register_stop(&C.reg, SIGTERM);
	if (getenv("SESSHU_KEEP_TEST_DIRS") == NULL)
		tu_rm_rf(C.dir);
	else
		fprintf(stderr, "kept %s\n", C.dir);
	free(C.dir);
	free(C.pki);
	free(C.reg_dir);
	free(C.ws1);
	free(C.ws2);
	free(C.city);
	return 0;
}

/* ---------------------------------------------------------- master data */

static void
test_entry_master_data_reaches_workstations_and_a_reimport_sends_nothing(
    void **state)
{
	static const char *const tables[] = { "lots", "medical_institutions",
	    "doctors", "vaccines", "manufacturers", "fee_categories" };
	struct ws_session *both[] = { C.c1, C.c2 };
	struct sesshu_err err = { 0 };
	struct ws_lot lots[16], lot;
	struct ws_sync_counts c;
	char vaccine[16], name[256], *out, *path;
	long seq;
	size_t n;

	(void)state;
	for (size_t w = 0; w < 2; w++) {
		c = sync_ok(both[w]);
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
			long want = reg_count("SELECT count(*) FROM %s", tables[t]);

			assert_true(want > 0);
			if (ws_count(both[w], "SELECT count(*) FROM %s", tables[t])
			    != want)
				fail_msg("%s: %ld rows at the register, %ld on %s",
				    tables[t], want, ws_count(both[w],
				    "SELECT count(*) FROM %s", tables[t]),
				    both[w]->state_dir);
		}
	}
	/* The screens' readers see them. */
	assert_int_equal(ws_lots_of(C.c1, "HIB", lots, 16, &n, &err), 0);
	assert_int_equal(n, reg_count("SELECT count(*) FROM lots WHERE"
	    " vaccine_code = 'HIB'"));
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(lots[i - 1].expiry, lots[i].expiry) >= 0);
	assert_int_equal(ws_lot_get(C.c2, "SH201A", vaccine, sizeof(vaccine), &lot,
	    &err), 0);
	assert_string_equal(vaccine, "HIB");
	assert_string_equal(lot.maker_code, "SANOFI");
	assert_string_equal(lot.expiry, "2027-09-30");
	assert_int_equal(ws_lot_get(C.c2, "NOSUCHLOT", vaccine, sizeof(vaccine),
	    &lot, &err), SESSHU_ENOTFOUND);
	assert_int_equal(ws_master_name(C.c1, "medical_institutions", INSTITUTION,
	    name, sizeof(name)), 1);
	assert_string_equal(name, "若葉市保健センター");
	assert_int_equal(ws_master_name(C.c1, "doctors", "D9910100016-01", name,
	    sizeof(name)), 1);
	assert_string_equal(name, "和田　浩二");
	assert_int_equal(ws_master_name(C.c1, "doctors", "D0000000000-99", name,
	    sizeof(name)), 0);
	assert_string_equal(name, "");

	/* The same seeds again: nothing numbered, so nothing to pull. */
	seq = reg_count("SELECT coalesce(max(seq), 0) FROM changes");
	itest_import_master(C.reg_dir);
	assert_int_equal(reg_count("SELECT coalesce(max(seq), 0) FROM changes"), seq);
	c = sync_ok(C.c1);
	assert_int_equal(c.pulled, 0);

	/* One new lot: numbered once, pulled once. */
	path = write_master("lots-new.json", "{\"kind\": \"lot\", \"rows\": ["
	    "{\"lot_no\": \"ENTRY01\", \"vaccine_code\": \"COVID\","
	    " \"maker_code\": \"PFIZER\", \"expiry\": \"2027-12-31\"}]}");
	out = itest_admin("import-master", "--data", C.reg_dir, path, NULL);
	if (strstr(out, "1 rows, 1 new or changed") == NULL)
		fail_msg("import of one new lot: %s", out);
	free(out);
	c = sync_ok(C.c1);
	assert_int_equal(c.pulled, 1);
	assert_int_equal(ws_lot_get(C.c1, "ENTRY01", vaccine, sizeof(vaccine), &lot,
	    &err), 0);
	assert_string_equal(vaccine, "COVID");
	free(path);
}

static void
test_entry_bad_master_file_imports_nothing_and_names_file_row_and_column(
    void **state)
{
	char *inst = write_master("institutions-new.json", "{\"kind\":"
	    " \"institution\", \"rows\": [{\"code\": \"9919999999\", \"name\":"
	    " \"架空試験クリニック\", \"in_city\": 1}]}");
	char *lots = write_master("lots-bad.json", "{\"kind\": \"lot\", \"rows\": ["
	    "{\"lot_no\": \"ENTRY02\", \"vaccine_code\": \"COVID\","
	    " \"maker_code\": \"PFIZER\", \"expiry\": \"2027-12-31\"},"
	    "{\"lot_no\": \"ENTRY03\", \"vaccine_code\": \"COVID\","
	    " \"maker_code\": \"NOSUCHMAKER\", \"expiry\": \"2027-12-31\"}]}");
	char *argv[] = { (char *)REGISTERD_BIN, "import-master", "--data",
	    C.reg_dir, inst, lots, NULL };
	char *where = itest_spr("%s: rows[1].maker_code", lots);
	long seq, nlots;
	struct itest_run r;

	(void)state;
	sync_ok(C.c2);	/* whatever the register had, ws2 has now */
	seq = reg_count("SELECT coalesce(max(seq), 0) FROM changes");
	nlots = reg_count("SELECT count(*) FROM lots");
	itest_run(argv, NULL, NULL, 60, &r);
	if (!r.exited || r.code == 0 || strstr(r.out, where) == NULL ||
	    strstr(r.out, "no such manufacturer") == NULL ||
	    strstr(r.out, "nothing was imported") == NULL)
		fail_msg("a lot of an unknown maker: exit %d: %s", r.code, r.out);
	free(r.out);
	/* Neither the good lot before it nor the other file's institution. */
	assert_int_equal(reg_count("SELECT count(*) FROM lots"), nlots);
	assert_int_equal(reg_count("SELECT count(*) FROM lots WHERE lot_no ="
	    " 'ENTRY02'"), 0);
	assert_int_equal(reg_count("SELECT count(*) FROM medical_institutions"
	    " WHERE code = '9919999999'"), 0);
	assert_int_equal(reg_count("SELECT coalesce(max(seq), 0) FROM changes"), seq);
	assert_int_equal(sync_ok(C.c2).pulled, 0);
	free(where);
	free(inst);
	free(lots);
}

/* --------------------------------------------------------------- batches */

static void
test_entry_batch_closes_only_after_another_user_verified_every_sheet(
    void **state)
{
	static const char not_entered[] = "The number of entered sheets does "
	    "not match the claimed count";
	static const char not_verified[] = "Every sheet must be verified or "
	    "voided before the batch closes";
	struct sesshu_err err = { 0 };
	char batch[WIRE_UUID_STRLEN], u1[WIRE_UUID_STRLEN], u2[WIRE_UUID_STRLEN];
	char u3[WIRE_UUID_STRLEN], next[WIRE_UUID_STRLEN], p1[11], p2[11], p3[11];
	struct ws_sync_counts c;
	struct ws_batch b;
	struct ws_record rec;
	const char *msgid;
	json_t *r;
	long pending, before;
	int verified = 0;

	(void)state;
	next_person(p1);
	next_person(p2);
	next_person(p3);
	/* What a batch must name before it opens. */
	assert_int_equal(ws_batch_open(C.c1, "9919999999", "2026-10", 2, NULL,
	    batch, &err), SESSHU_ENOTFOUND);
	assert_int_equal(ws_batch_open(C.c1, INSTITUTION, "2026-13", 2, NULL,
	    batch, &err) < 0, 1);
	assert_int_equal(ws_batch_open(C.c1, INSTITUTION, "2026-10", 0, NULL,
	    batch, &err), SESSHU_ERANGE);
	assert_int_equal(ws_batch_open(C.c1, INSTITUTION, "2026-10",
	    CORE_BATCH_CLAIM_MAX + 1, NULL, batch, &err), SESSHU_ERANGE);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM batches"), 0);
	assert_int_equal(ws_batch_open(C.c1, INSTITUTION, "2026-10", 2,
	    "2026-11-05", batch, &err), 0);
	save_record(C.c1, p1, batch, u1);
	/* One sheet of two: the counts do not reconcile yet. */
	assert_int_equal(ws_batch_close(C.c1, batch, &msgid, &err), SESSHU_EDENIED);
	assert_non_null(msgid);
	assert_string_equal(msgid, not_entered);
	save_record(C.c1, p2, batch, u2);
	assert_int_equal(ws_batch_get(C.c1, batch, &b, &err), 0);
	assert_int_equal(b.counts.claimed, 2);
	assert_int_equal(b.counts.entered, 2);
	assert_int_equal(b.counts.verified, 0);
	assert_int_equal(b.state, CORE_BATCH_ENTERED);
	assert_string_equal(b.institution_name, "若葉市保健センター");
	c = sync_ok(C.c1);
	assert_int_equal(c.pushed, 3);
	assert_int_equal(c.acknowledged, 3);
	assert_int_equal(reg_count("SELECT count(*) FROM batches WHERE batch_id ="
	    " '%s' AND state = 'open'", batch), 1);

	/* Not verified yet: the workstation refuses to close, says why. */
	assert_int_equal(ws_batch_close(C.c1, batch, &msgid, &err), SESSHU_EDENIED);
	assert_non_null(msgid);
	assert_string_equal(msgid, not_verified);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM audit_log WHERE"
	    " action = 'batch.close' AND object = 'batch:%s' AND outcome LIKE"
	    " 'refused%%'", batch), 2);
	assert_int_equal(ws_outbox_pending(C.c1->st, &pending, &err), 0);
	assert_int_equal(pending, 0);

	/* The enterer may not verify; nothing is left for them to verify. */
	assert_int_equal(ws_record_revise(C.c1, u1, WS_REVISE_VERIFY, NULL, NULL,
	    &err), SESSHU_EDENIED);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM audit_log WHERE"
	    " action = 'record.verify' AND user_id = 'clk01' AND outcome LIKE"
	    " 'refused%%'"), 1);
	assert_int_equal(ws_batch_next_to_verify(C.c1, batch, 0, next, &err), 0);
	assert_int_equal(ws_record_get(C.c1, u1, &rec, &err), 0);
	assert_int_equal(rec.version, 1);
	assert_string_equal(rec.state, "entered");

	/* vrf01 on the other workstation verifies both sheets. */
	sync_ok(C.v2);
	assert_int_equal(ws_batch_get(C.v2, batch, &b, &err), 0);
	assert_int_equal(b.counts.entered, 2);
	while (ws_batch_next_to_verify(C.v2, batch, 0, next, &err) == 1) {
		assert_true(strcmp(next, u1) == 0 || strcmp(next, u2) == 0);
		if (ws_record_revise(C.v2, next, WS_REVISE_VERIFY, NULL, NULL,
		    &err) != 0)
			fail_msg("verify %s: %s", next, err.msg);
		assert_true(++verified <= 2);
	}
	assert_int_equal(verified, 2);
	assert_int_equal(ws_batch_get(C.v2, batch, &b, &err), 0);
	assert_int_equal(b.counts.verified, 2);
	assert_int_equal(b.state, CORE_BATCH_VERIFIED);
	assert_int_equal(ws_batch_close(C.v2, batch, &msgid, &err), 0);
	assert_null(msgid);
	assert_int_equal(ws_batch_get(C.v2, batch, &b, &err), 0);
	assert_int_equal(b.state, CORE_BATCH_CLOSED);
	c = sync_ok(C.v2);
	assert_int_equal(c.pushed, 3);
	assert_int_equal(c.acknowledged, 3);
	assert_int_equal(c.conflicts + c.rejected, 0);
	expect_text(reg_text("SELECT state || ',' || closed_by FROM batches WHERE"
	    " batch_id = '%s'", batch), "closed,vrf01");
	assert_int_equal(reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " batch_id = '%s' AND is_current = 1 AND state = 'verified' AND"
	    " verified_by = 'vrf01' AND entered_by = 'clk01' AND version = 2",
	    batch), 2);

	/* Closed: listed as such, and closed once only. */
	assert_int_equal(ws_batch_close(C.v2, batch, &msgid, &err), SESSHU_EDENIED);
	{
		struct ws_batch *list;
		size_t n, seen = 0;

		assert_int_equal(ws_batch_list(C.v2, &list, &n, &err), 0);
		for (size_t i = 0; i < n; i++)
			if (strcmp(list[i].batch_id, batch) == 0) {
				assert_int_equal(list[i].state, CORE_BATCH_CLOSED);
				assert_int_equal(list[i].counts.verified, 2);
				seen++;
			}
		free(list);
		assert_int_equal(seen, 1);
	}
	/* Its sheets may still be corrected (職権修正, ws_records.h). */
	r = json_pack("{s:s}", "lot_no", "MC420A");
	if (ws_record_revise(C.v2, u2, WS_REVISE_CORRECT, r, "ロット番号の訂正",
	    &err) != 0)
		fail_msg("correcting a sheet of a closed batch: %s", err.msg);
	json_decref(r);
	c = sync_ok(C.v2);
	assert_int_equal(c.acknowledged, 1);
	expect_text_free(reg_text("SELECT version || ',' || lot_no || ',' ||"
	    " batch_id FROM vaccination_records WHERE record_uuid = '%s' AND"
	    " is_current = 1", u2), itest_spr("3,MC420A,%s", batch));
	expect_text(reg_text("SELECT state FROM batches WHERE batch_id = '%s'",
	    batch), "closed");

	/*
	 * ws1 has not heard of the close yet: it saves a third sheet, which
	 * the register rejects and keeps for a supervisor.
	 */
	save_record(C.c1, p3, batch, u3);
	c = sync_ok(C.c1);
	assert_int_equal(c.pushed, 1);
	assert_int_equal(c.rejected, 1);
	assert_int_equal(reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " record_uuid = '%s'", u3), 0);
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'rejected' AND change_kind = 'record' AND payload LIKE '%%%s%%' AND"
	    " reason LIKE '%%batch is closed%%'", u3), 1);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM outbox WHERE"
	    " last_error LIKE 'rejected: batch_id: the batch is closed%%'"), 1);
	/* Now it knows: the next sheet is refused before it is stored. */
	assert_int_equal(ws_batch_get(C.c1, batch, &b, &err), 0);
	assert_int_equal(b.state, CORE_BATCH_CLOSED);
	before = ws_count(C.c1, "SELECT count(*) FROM outbox");
	r = new_record(p3, batch);
	assert_int_equal(ws_record_save(C.c1, r, NULL, &err), SESSHU_EDENIED);
	assert_non_null(strstr(err.msg, "closed"));
	json_decref(r);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM outbox"), before);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM vaccination_records"
	    " WHERE atena_no = '%s' AND dose = %d", p3, DOSE), 1);

	/* Nor does the register take a batch row for it again. */
	r = cached_entity(C.c1, "batch", batch);
	json_object_set_new(r, "state", json_string("open"));
	json_object_del(r, "closed_at");
	json_object_del(r, "closed_by");
	expect_result(push_direct(C.c1, "batch", r, 0), "rejected",
	    "closed already");
	json_decref(r);
	expect_text(reg_text("SELECT state FROM batches WHERE batch_id = '%s'",
	    batch), "closed");
}

static void
test_entry_register_refuses_a_batch_close_that_does_not_reconcile(void **state)
{
	const struct entity_kind *k = entity_find("batch");
	struct sesshu_err err = { 0 };
	char b1[WIRE_UUID_STRLEN], b2[WIRE_UUID_STRLEN], u[WIRE_UUID_STRLEN];
	char p1[11], p2[11], now[STORE_TIME_LEN];
	struct ws_sync_counts c;
	json_t *row, *change;

	(void)state;
	/* Claimed 3, one sheet entered: closed in the cache behind the API. */
	next_person(p1);
	assert_int_equal(ws_batch_open(C.c1, INSTITUTION, "2026-10", 3, NULL, b1,
	    &err), 0);
	save_record(C.c1, p1, b1, u);
	c = sync_ok(C.c1);
	assert_int_equal(c.acknowledged, 2);
	row = cached_entity(C.c1, "batch", b1);
	store_now_utc(now, sizeof(now));
	json_object_set_new(row, "state", json_string("closed"));
	json_object_set_new(row, "closed_at", json_string(now));
	json_object_set_new(row, "closed_by", json_string("clk01"));
	change = json_pack("{s:O}", "batch", row);
	assert_int_equal(store_begin(C.c1->st, &err), 0);
	if (entity_upsert(C.c1->st, k, row, &err) != 0 ||
	    ws_outbox_add(C.c1->st, "batch", change, &err) != 0)
		fail_msg("crafting a close: %s", err.msg);
	assert_int_equal(store_commit(C.c1->st, &err), 0);
	json_decref(change);
	json_decref(row);
	c = sync_ok(C.c1);
	assert_int_equal(c.pushed, 1);
	assert_int_equal(c.rejected, 1);
	assert_int_equal(c.acknowledged, 0);
	expect_text(reg_text("SELECT state FROM batches WHERE batch_id = '%s'", b1),
	    "open");
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'rejected' AND change_kind = 'batch' AND payload LIKE '%%%s%%' AND"
	    " reason LIKE '%%does not match the claimed count%%'", b1), 1);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM outbox WHERE"
	    " kind = 'batch' AND last_error LIKE 'rejected: state: The number of"
	    " entered sheets%%'"), 1);

	/* Claimed 1, entered 1, not verified: pushed straight to the register. */
	next_person(p2);
	assert_int_equal(ws_batch_open(C.c2, INSTITUTION, "2026-10", 1, NULL, b2,
	    &err), 0);
	save_record(C.c2, p2, b2, u);
	c = sync_ok(C.c2);
	assert_int_equal(c.acknowledged, 2);
	row = cached_entity(C.c2, "batch", b2);
	json_object_set_new(row, "state", json_string("closed"));
	json_object_set_new(row, "closed_at", json_string(now));
	json_object_set_new(row, "closed_by", json_string("clk01"));
	expect_result(push_direct(C.c2, "batch", row, 0), "rejected",
	    "Every sheet must be verified");
	json_decref(row);
	expect_text(reg_text("SELECT state FROM batches WHERE batch_id = '%s'", b2),
	    "open");
}

static void
test_entry_a_sheet_of_a_batch_nobody_opened_is_refused_on_both_sides(
    void **state)
{
	char p[11], u[WIRE_UUID_STRLEN], nobatch[WIRE_UUID_STRLEN];
	struct sesshu_err err = { 0 };
	json_t *rec;

	(void)state;
	next_person(p);
	assert_int_equal(wire_uuid_v4(nobatch, &err), 0);
	rec = new_record(p, nobatch);
	assert_int_equal(ws_record_save(C.c1, rec, NULL, &err), SESSHU_ENOTFOUND);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM vaccination_records"
	    " WHERE batch_id = '%s'", nobatch), 0);
	/* Sent anyway: the register has no such batch either. */
	assert_int_equal(wire_uuid_v4(u, &err), 0);
	json_object_set_new(rec, "record_uuid", json_string(u));
	json_object_set_new(rec, "version", json_integer(1));
	json_object_set_new(rec, "state", json_string("entered"));
	json_object_set_new(rec, "registration_kind", json_string("keyed"));
	json_object_set_new(rec, "registered_at",
	    json_string("2026-11-01T09:00:00.000Z"));
	json_object_set_new(rec, "entered_by", json_string("clk01"));
	expect_result(push_direct(C.c1, "record", rec, 0), "rejected",
	    "no such batch");
	json_decref(rec);
	assert_int_equal(reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " record_uuid = '%s'", u), 0);
}

/*
 * A closed batch takes no new sheet (reg_h_push.c, record_fits_batch;
 * ws_records.c, batch_allows), and a correction that names it for a
 * record of no batch would make it one: the entered count of a batch
 * closed as reconciled would no longer match its claim.
 */
static void
test_entry_a_correction_cannot_move_a_record_into_a_closed_batch(void **state)
{
	char p[11], q[11], batch[WIRE_UUID_STRLEN], u[WIRE_UUID_STRLEN];
	char loose[WIRE_UUID_STRLEN], next[WIRE_UUID_STRLEN];
	struct sesshu_err err = { 0 };
	struct ws_sync_counts c;
	const char *msgid;
	json_t *changes;
	long entered;
	int ws_rc;

	(void)state;
	next_person(p);
	next_person(q);
	/* A batch of one sheet, verified by vrf01 on the same workstation, closed. */
	assert_int_equal(ws_batch_open(C.c1, INSTITUTION, "2026-09", 1, NULL, batch,
	    &err), 0);
	save_record(C.c1, p, batch, u);
	assert_int_equal(ws_batch_next_to_verify(C.v1, batch, 0, next, &err), 1);
	assert_string_equal(next, u);
	assert_int_equal(ws_record_revise(C.v1, u, WS_REVISE_VERIFY, NULL, NULL,
	    &err), 0);
	assert_int_equal(ws_batch_close(C.c1, batch, &msgid, &err), 0);
	save_record(C.c1, q, NULL, loose);
	c = sync_ok(C.c1);
	assert_int_equal(c.acknowledged, 5);
	expect_text(reg_text("SELECT state FROM batches WHERE batch_id = '%s'",
	    batch), "closed");

	/* The loose record, "corrected" into the closed batch. */
	changes = json_pack("{s:s}", "batch_id", batch);
	ws_rc = ws_record_revise(C.c1, loose, WS_REVISE_CORRECT, changes,
	    "綴りへの移動", &err);
	json_decref(changes);
	c = sync_ok(C.c1);
	entered = reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " batch_id = '%s' AND is_current = 1 AND state != 'voided'", batch);
	if (ws_rc != SESSHU_EDENIED || c.acknowledged != 0 || entered != 1)
		fail_msg("a record moved into a closed batch: the workstation"
		    " returned %d (want %d), the register applied %ld change(s) and"
		    " now counts %ld sheet(s) in the batch that was closed with 1",
		    ws_rc, SESSHU_EDENIED, c.acknowledged, entered);
}

/* ---------------------------------------------------------- verification */

static void
test_entry_register_rejects_a_version_verified_by_its_enterer(void **state)
{
	char p[11], u[WIRE_UUID_STRLEN], u2[WIRE_UUID_STRLEN];
	struct sesshu_err err = { 0 };
	struct ws_sync_counts c;
	json_t *rec;

	(void)state;
	next_person(p);
	save_record(C.c1, p, NULL, u);
	c = sync_ok(C.c1);
	assert_int_equal(c.acknowledged, 1);

	/*
	 * Version 2, "verified" by clk01, who entered it: a clerk may verify
	 * (another's sheet), so only the second-person rule refuses it.
	 */
	rec = cached_entity(C.c1, "record", u);
	assert_string_equal(json_string_value(json_object_get(rec, "entered_by")),
	    "clk01");
	json_object_set_new(rec, "version", json_integer(2));
	json_object_set_new(rec, "state", json_string("verified"));
	json_object_set_new(rec, "verified_by", json_string("clk01"));
	expect_result(push_direct(C.c1, "record", rec, 1), "rejected",
	    "verified_by: a record is verified by someone other");
	/* And with nobody named as the verifier. */
	json_object_del(rec, "verified_by");
	expect_result(push_direct(C.c1, "record", rec, 1), "rejected",
	    "verified_by: a record is verified by someone other");
	json_decref(rec);
	expect_text(reg_text("SELECT version || ',' || state FROM"
	    " vaccination_records WHERE record_uuid = '%s' AND is_current = 1", u),
	    "1,entered");
	assert_int_equal(reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " record_uuid = '%s'", u), 1);
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'rejected' AND payload LIKE '%%%s%%'", u), 2);

	/* A new record that arrives verified by its own enterer, likewise. */
	next_person(p);
	rec = new_record(p, NULL);
	assert_int_equal(wire_uuid_v4(u2, &err), 0);
	json_object_set_new(rec, "record_uuid", json_string(u2));
	json_object_set_new(rec, "version", json_integer(1));
	json_object_set_new(rec, "state", json_string("verified"));
	json_object_set_new(rec, "registration_kind", json_string("keyed"));
	json_object_set_new(rec, "registered_at", json_string("2026-11-01T09:00:00.000Z"));
	json_object_set_new(rec, "entered_by", json_string("vrf01"));
	json_object_set_new(rec, "verified_by", json_string("vrf01"));
	expect_result(push_direct(C.c2, "record", rec, 0), "rejected",
	    "verified_by: a record is verified by someone other");
	json_decref(rec);
	assert_int_equal(reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " record_uuid = '%s'", u2), 0);
}

/*
 * The register takes a version only from its author's right to it
 * (reg_h_push.c, author_may; core/permission.h): a new sheet from a role
 * that may enter, a correction from one that may correct, a verification
 * from one that may verify, each an active user of the register. The IS
 * administrator provisions and applies rights but keys no sheet.
 */
static void
test_entry_register_takes_a_version_only_from_a_user_whose_role_may(
    void **state)
{
	char p[11], q[11], u[WIRE_UUID_STRLEN], v[WIRE_UUID_STRLEN];
	struct ws_session *admin;
	struct ws_sync_counts c;
	json_t *rec;

	(void)state;
	/* admin01 saves a sheet: the workstation keeps it, the register not. */
	next_person(p);
	admin = login(C.ws1, "admin01", ADMIN_PW, NULL);
	save_record(admin, p, NULL, u);
	c = sync_ok(admin);
	ws_session_close(admin);
	assert_int_equal(c.pushed, 1);
	assert_int_equal(c.rejected, 1);
	assert_int_equal(c.acknowledged, 0);
	assert_int_equal(reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " record_uuid = '%s'", u), 0);
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'rejected' AND change_kind = 'record' AND payload LIKE '%%%s%%' AND"
	    " reason LIKE '%%entered_by: the role of admin01 may not entry%%'", u),
	    1);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM outbox WHERE"
	    " last_error = 'rejected: entered_by: the role of admin01 may not"
	    " entry'"), 1);

	/* A sheet of clk01's, at the register as version 1. */
	next_person(q);
	save_record(C.c1, q, NULL, v);
	c = sync_ok(C.c1);
	assert_int_equal(c.acknowledged, 1);
	rec = cached_entity(C.c1, "record", v);
	json_object_set_new(rec, "version", json_integer(2));

	/* Corrected by admin01: that role may not correct. */
	json_object_set_new(rec, "entered_by", json_string("admin01"));
	json_object_set_new(rec, "lot_no", json_string("MC420A"));
	json_object_set_new(rec, "change_reason", json_string("ロット番号の訂正"));
	expect_result(push_direct(C.c1, "record", rec, 1), "rejected",
	    "entered_by: the role of admin01 may not correct");
	json_object_set_new(rec, "entered_by", json_string("clk01"));
	json_object_set_new(rec, "lot_no", json_string("FC910A"));
	json_object_del(rec, "change_reason");

	/* Verified by admin01, by nobody the register knows, by a disabled user. */
	json_object_set_new(rec, "state", json_string("verified"));
	json_object_set_new(rec, "verified_by", json_string("admin01"));
	expect_result(push_direct(C.c1, "record", rec, 1), "rejected",
	    "verified_by: the role of admin01 may not verify");
	json_object_set_new(rec, "verified_by", json_string("nobody99"));
	expect_result(push_direct(C.c1, "record", rec, 1), "rejected",
	    "verified_by: nobody99 is not an active user of the register");
	free(itest_admin("user", "add", "--data", C.reg_dir, "--id", "vrf09",
	    "--name", "照合 九郎", "--role", "verifier", NULL));
	free(itest_admin("user", "disable", "--data", C.reg_dir, "--id", "vrf09",
	    NULL));
	json_object_set_new(rec, "verified_by", json_string("vrf09"));
	expect_result(push_direct(C.c1, "record", rec, 1), "rejected",
	    "verified_by: vrf09 is not an active user of the register");
	expect_text(reg_text("SELECT version || ',' || state FROM"
	    " vaccination_records WHERE record_uuid = '%s' AND is_current = 1", v),
	    "1,entered");
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'rejected' AND payload LIKE '%%%s%%'", v), 4);
	/* A new sheet that arrives verified skips the entry right: refused. */
	{
		char w[WIRE_UUID_STRLEN];
		json_t *born = new_record(q, NULL);
		struct sesshu_err uerr = { 0 };

		assert_int_equal(wire_uuid_v4(w, &uerr), 0);
		json_object_set_new(born, "record_uuid", json_string(w));
		json_object_set_new(born, "version", json_integer(1));
		json_object_set_new(born, "dose", json_integer(DOSE - 1));
		json_object_set_new(born, "registered_at",
		    json_string("2026-10-01T00:00:00.000Z"));
		json_object_set_new(born, "registration_kind", json_string("keyed"));
		json_object_set_new(born, "entered_by", json_string("admin01"));
		json_object_set_new(born, "state", json_string("verified"));
		json_object_set_new(born, "verified_by", json_string("vrf01"));
		expect_result(push_direct(C.c1, "record", born, -1), "rejected",
		    "state: a new record is entered, not verified");
		json_decref(born);
	}

	/* A verification that names another author is no verification. */
	json_object_set_new(rec, "verified_by", json_string("vrf01"));
	json_object_set_new(rec, "entered_by", json_string("ghost"));
	expect_result(push_direct(C.c1, "record", rec, 1), "rejected",
	    "nor a verification change its author");
	json_object_set_new(rec, "entered_by", json_string("clk01"));

	/* The same version, verified by an active verifier, is taken. */
	expect_result(push_direct(C.c1, "record", rec, 1), "applied", NULL);
	json_decref(rec);
	expect_text(reg_text("SELECT version || ',' || state || ',' || entered_by"
	    " || ',' || verified_by FROM vaccination_records WHERE record_uuid ="
	    " '%s' AND is_current = 1", v), "2,verified,clk01,vrf01");
}

/* ------------------------------------------------------------ duplicates */

static void
test_entry_same_dose_on_two_workstations_is_a_conflict_unless_confirmed(
    void **state)
{
	char p[11], q[11], u1[WIRE_UUID_STRLEN], u2[WIRE_UUID_STRLEN];
	struct sesshu_err err = { 0 };
	struct ws_sync_counts c;
	json_t *rec;

	(void)state;
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'duplicate'"), 0);
	/* Both workstations offline from each other, the same dose of p. */
	next_person(p);
	save_record(C.c1, p, NULL, u1);
	save_record(C.c2, p, NULL, u2);
	c = sync_ok(C.c1);
	assert_int_equal(c.acknowledged, 1);
	c = sync_ok(C.c2);
	assert_int_equal(c.pushed, 1);
	assert_int_equal(c.conflicts, 1);
	assert_int_equal(c.acknowledged, 0);
	assert_int_equal(reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " atena_no = '%s' AND vaccine_code = 'COVID' AND dose = %d AND"
	    " is_current = 1", p, DOSE), 1);
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'conflict' AND payload LIKE '%%%s%%' AND reason LIKE '%%%s%%'", u2,
	    u1), 1);

	/* The clerk saw the earlier dose and confirmed: stored, and reviewed. */
	next_person(q);
	save_record(C.c1, q, NULL, u1);
	sync_ok(C.c1);
	sync_ok(C.c2);
	rec = new_record(q, NULL);
	if (ws_record_save_confirmed(C.c2, rec, 1, u2, &err) != 0)
		fail_msg("ws_record_save_confirmed: %s", err.msg);
	json_decref(rec);
	assert_int_equal(ws_count(C.c2, "SELECT count(*) FROM audit_log WHERE"
	    " action = 'record.save' AND outcome = 'ok: duplicate confirmed'"), 1);
	c = sync_ok(C.c2);
	assert_int_equal(c.pushed, 1);
	assert_int_equal(c.acknowledged, 1);
	assert_int_equal(c.conflicts, 0);
	assert_int_equal(reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " atena_no = '%s' AND vaccine_code = 'COVID' AND dose = %d AND"
	    " is_current = 1", q, DOSE), 2);
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'duplicate'"), 1);
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'duplicate' AND change_kind = 'record' AND payload LIKE '%%%s%%' AND"
	    " reason LIKE '%%%s%%'", u2, u1), 1);
}

/* --------------------------------------------------- corrections, voids */

static void
test_entry_corrections_and_voids_are_new_versions_with_a_reason(void **state)
{
	char p[11], q[11], u[WIRE_UUID_STRLEN], again[WIRE_UUID_STRLEN];
	struct sesshu_err err = { 0 };
	struct ws_sync_counts c;
	struct ws_record rec;
	json_t *changes;

	(void)state;
	next_person(p);
	save_record(C.c1, p, NULL, u);
	changes = json_pack("{s:s}", "lot_no", "MC420A");
	/* No reason, no correction. */
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_CORRECT, changes, NULL,
	    &err), SESSHU_EDENIED);
	assert_non_null(strstr(err.msg, "reason"));
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_CORRECT, changes, "",
	    &err), SESSHU_EDENIED);
	assert_int_equal(ws_record_get(C.c1, u, &rec, &err), 0);
	assert_int_equal(rec.version, 1);
	assert_string_equal(rec.lot_no, "FC910A");
	/* With one: version 2, the reason kept, to be verified again. */
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_CORRECT, changes,
	    "ロット番号の入力誤り", &err), 0);
	json_decref(changes);
	assert_int_equal(ws_record_get(C.c1, u, &rec, &err), 0);
	assert_int_equal(rec.version, 2);
	assert_string_equal(rec.lot_no, "MC420A");
	assert_string_equal(rec.state, "entered");
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM vaccination_records"
	    " WHERE record_uuid = '%s' AND version = 2 AND is_current = 1 AND"
	    " change_reason = 'ロット番号の入力誤り'", u), 1);
	/* A void: a reason too; then the record is voided and stays so. */
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_VOID, NULL, NULL, &err),
	    SESSHU_EDENIED);
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_VOID, NULL,
	    "二重入力のため取消", &err), 0);
	assert_int_equal(ws_record_get(C.c1, u, &rec, &err), 0);
	assert_int_equal(rec.version, 3);
	assert_string_equal(rec.state, "voided");
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_CORRECT, NULL,
	    "取消後の訂正", &err), SESSHU_EDENIED);
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_VOID, NULL,
	    "二度目の取消", &err), SESSHU_EDENIED);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM vaccination_records"
	    " WHERE record_uuid = '%s' AND is_current = 1", u), 1);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM audit_log WHERE"
	    " action IN ('record.correct', 'record.void') AND object ="
	    " 'person:%s' AND outcome = 'ok'", p), 2);

	c = sync_ok(C.c1);
	assert_int_equal(c.pushed, 3);
	assert_int_equal(c.acknowledged, 3);
	expect_text(reg_text("SELECT group_concat(v, ',') FROM (SELECT version || ':'"
	    " || state || ':' || is_current AS v FROM vaccination_records WHERE"
	    " record_uuid = '%s' ORDER BY version)", u),
	    "1:entered:0,2:entered:0,3:voided:1");
	expect_text(reg_text("SELECT change_reason FROM vaccination_records WHERE"
	    " record_uuid = '%s' AND version = 2", u), "ロット番号の入力誤り");
	expect_text(reg_text("SELECT change_reason FROM vaccination_records WHERE"
	    " record_uuid = '%s' AND version = 3", u), "二重入力のため取消");
	/* A voided dose is no dose: entering it again is no conflict. */
	save_record(C.c1, p, NULL, again);
	c = sync_ok(C.c1);
	assert_int_equal(c.acknowledged, 1);
	assert_int_equal(c.conflicts, 0);

	/* Two workstations correct the same version 1: the second conflicts. */
	next_person(q);
	save_record(C.c1, q, NULL, u);
	sync_ok(C.c1);
	sync_ok(C.c2);
	assert_int_equal(ws_record_get(C.c2, u, &rec, &err), 0);
	assert_int_equal(rec.version, 1);
	changes = json_pack("{s:s}", "lot_no", "MC420A");
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_CORRECT, changes,
	    "ws1 の訂正", &err), 0);
	json_decref(changes);
	changes = json_pack("{s:s}", "lot_no", "DC133A");
	assert_int_equal(ws_record_revise(C.c2, u, WS_REVISE_CORRECT, changes,
	    "ws2 の訂正", &err), 0);
	json_decref(changes);
	c = sync_ok(C.c1);
	assert_int_equal(c.acknowledged, 1);
	c = sync_ok(C.c2);
	assert_int_equal(c.pushed, 1);
	assert_int_equal(c.conflicts, 1);
	expect_text(reg_text("SELECT version || ',' || lot_no FROM"
	    " vaccination_records WHERE record_uuid = '%s' AND is_current = 1", u),
	    "2,MC420A");
	assert_int_equal(reg_count("SELECT count(*) FROM vaccination_records WHERE"
	    " record_uuid = '%s'", u), 2);
	assert_int_equal(reg_count("SELECT count(*) FROM review_queue WHERE kind ="
	    " 'conflict' AND payload LIKE '%%%s%%' AND payload LIKE '%%DC133A%%'"
	    " AND reason LIKE '%%based on version 1%%'", u), 1);
	/*
	 * ws2 is shown the refusal; its pull already holds the register's
	 * version 2, which discarding the refusal leaves alone.
	 */
	{
		struct ws_refused refused[WS_REFUSED_MAX];
		size_t n;
		long parked;

		assert_int_equal(ws_refused_count(C.c2->st, &parked, &err), 0);
		assert_true(parked >= 1);
		assert_int_equal(ws_refused_list(C.c2, refused, WS_REFUSED_MAX, &n,
		    &err), 0);
		assert_true(n >= 1);
		assert_string_equal(refused[n - 1].kind, "record");
		assert_non_null(strstr(refused[n - 1].reason, "based on version 1"));
		assert_int_equal(ws_refused_discard(C.c2, refused[n - 1].uuid,
		    &err), 0);
		assert_int_equal(ws_record_get(C.c2, u, &rec, &err), 0);
		assert_int_equal(rec.version, 2);
		assert_string_equal(rec.lot_no, "MC420A");
	}
}

/*
 * A refused version that no pull has replaced leaves the cache when it is
 * discarded: the version before it is current again, as at the register.
 */
static void
test_entry_discarding_a_refused_version_restores_the_one_before(void **state)
{
	struct ws_refused refused[WS_REFUSED_MAX];
	struct sesshu_err err = { 0 };
	char p[WS_ATENA_DIGITS + 1], u[WIRE_UUID_STRLEN];
	struct ws_record rec;
	json_t *changes;
	size_t n;

	(void)state;
	next_person(p);
	save_record(C.c1, p, NULL, u);
	sync_ok(C.c1);
	/* Refused at the register: a lot that had expired on the day. */
	changes = json_pack("{s:s}", "lot_expiry", "2020-01-01");
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_CORRECT, changes,
	    "期限切れのロット", &err), 0);
	json_decref(changes);
	assert_int_equal(ws_push(C.c1, &(struct ws_sync_counts){ 0 }, &err), 0);
	assert_int_equal(ws_refused_list(C.c1, refused, WS_REFUSED_MAX, &n, &err),
	    0);
	assert_true(n >= 1);
	assert_non_null(strstr(refused[n - 1].reason, "lot_expiry"));
	assert_int_equal(ws_record_get(C.c1, u, &rec, &err), 0);
	assert_int_equal(rec.version, 2);
	assert_int_equal(ws_refused_discard(C.c1, refused[n - 1].uuid, &err), 0);
	assert_int_equal(ws_record_get(C.c1, u, &rec, &err), 0);
	assert_int_equal(rec.version, 1);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM vaccination_records"
	    " WHERE record_uuid = '%s'", u), 1);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM audit_log WHERE"
	    " action = 'outbox.discard'"), 1);
}

/* ---------------------------------------------------------------- drafts */

static void
test_entry_drafts_round_trip_per_user_and_never_in_clear(void **state)
{
	static const char secret_a[] = "下書き試験メモ・架空の記入事項ＡＢ７";
	static const char secret_b[] = "照合者の下書き・架空ＣＤ８";
	static const char marker[] = "DRAFT-MARKER-4f1c9e";
	struct sesshu_err err = { 0 };
	char p[11], hit[4096];
	json_t *draft, *got;

	(void)state;
	next_person(p);
	draft = json_pack("{s:s, s:s, s:i, s:s, s:s}", "atena_no", p,
	    "vaccine_code", "COVID", "dose", DOSE, "note", secret_a, "tag", marker);
	assert_int_equal(ws_draft_load(C.c1, "entry", &got, &err), 0);
	assert_null(got);
	assert_int_equal(ws_draft_save(C.c1, "entry", draft, &err), 0);
	assert_int_equal(ws_draft_load(C.c1, "entry", &got, &err), 0);
	assert_non_null(got);
	assert_true(json_equal(got, draft));
	json_decref(got);

	/* vrf01 on the same workstation sees none, and keeps their own. */
	assert_int_equal(ws_draft_load(C.v1, "entry", &got, &err), 0);
	assert_null(got);
	got = json_pack("{s:s}", "note", secret_b);
	assert_int_equal(ws_draft_save(C.v1, "entry", got, &err), 0);
	json_decref(got);
	assert_int_equal(ws_draft_load(C.c1, "entry", &got, &err), 0);
	assert_true(json_equal(got, draft));
	json_decref(got);

	/* In no file of the state directory, as text or as the marker. */
	if (tu_dir_contains(C.ws1, secret_a, strlen(secret_a), hit, sizeof(hit)))
		fail_msg("a draft's text in clear in %s", hit);
	if (tu_dir_contains(C.ws1, secret_b, strlen(secret_b), hit, sizeof(hit)))
		fail_msg("a draft's text in clear in %s", hit);
	if (tu_dir_contains(C.ws1, marker, strlen(marker), hit, sizeof(hit)))
		fail_msg("a draft in clear in %s", hit);
	/* Replacing keeps one draft per user and slot. */
	json_object_set_new(draft, "dose", json_integer(DOSE - 1));
	assert_int_equal(ws_draft_save(C.c1, "entry", draft, &err), 0);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM drafts WHERE user_id"
	    " = 'clk01' AND slot = 'entry'"), 1);
	assert_int_equal(ws_draft_load(C.c1, "entry", &got, &err), 0);
	assert_true(json_equal(got, draft));
	json_decref(got);
	json_decref(draft);

	/* Discarded: gone for its owner only. */
	assert_int_equal(ws_draft_discard(C.c1, "entry", &err), 0);
	assert_int_equal(ws_draft_load(C.c1, "entry", &got, &err), 0);
	assert_null(got);
	assert_int_equal(ws_draft_load(C.v1, "entry", &got, &err), 0);
	assert_non_null(got);
	assert_string_equal(json_string_value(json_object_get(got, "note")), secret_b);
	json_decref(got);
	assert_int_equal(ws_draft_discard(C.v1, "entry", &err), 0);
	assert_int_equal(ws_count(C.c1, "SELECT count(*) FROM drafts"), 0);
	if (tu_dir_contains(C.ws1, marker, strlen(marker), hit, sizeof(hit)))
		fail_msg("a discarded draft in clear in %s", hit);
}

/* ---------------------------------------------------------------- search */

/* Full-width katakana to hiragana (ァ..ヶ to ぁ..ゖ); the rest copied. */
static void
to_hiragana(const char *in, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	while (*s != '\0' && o + 4 < size) {
		/* U+30A1..U+30F6 are E3 82 A1..E3 83 B6. */
		if (s[0] == 0xE3 && (s[1] == 0x82 || s[1] == 0x83)) {
			unsigned cp = 0x3000 | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);

			if (cp >= 0x30A1 && cp <= 0x30F6)
				cp -= 0x60;
			out[o++] = (char)0xE3;
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
			s += 3;
			continue;
		}
		out[o++] = (char)*s++;
	}
	out[o] = '\0';
}

/* The half-width form of a plain (unvoiced) katakana letter, or NULL. */
static const char *
half_width(const char *kana3)
{
	static const char full[] = "アイウエオカキクケコサシスセソタチツテトナニヌネノ"
	    "ハヒフヘホマミムメモヤユヨラリルレロワヲン";
	static const char *const half[] = {
		"ｱ", "ｲ", "ｳ", "ｴ", "ｵ", "ｶ", "ｷ", "ｸ", "ｹ", "ｺ", "ｻ", "ｼ", "ｽ",
		"ｾ", "ｿ", "ﾀ", "ﾁ", "ﾂ", "ﾃ", "ﾄ", "ﾅ", "ﾆ", "ﾇ", "ﾈ", "ﾉ", "ﾊ",
		"ﾋ", "ﾌ", "ﾍ", "ﾎ", "ﾏ", "ﾐ", "ﾑ", "ﾒ", "ﾓ", "ﾔ", "ﾕ", "ﾖ", "ﾗ",
		"ﾘ", "ﾙ", "ﾚ", "ﾛ", "ﾜ", "ｦ", "ﾝ",
	};

	for (size_t i = 0; i < sizeof(half) / sizeof(half[0]); i++)
		if (memcmp(full + 3 * i, kana3, 3) == 0)
			return half[i];
	return NULL;
}

static int
found(const struct ws_person *out, size_t n, const char *atena)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(out[i].atena_no, atena) == 0)
			return 1;
	return 0;
}

static void
test_entry_person_search_by_kana_prefix_and_birth_date(void **state)
{
	struct ws_person *out = calloc(WS_SEARCH_MAX, sizeof(*out));
	char atena[11] = "", kana[256] = "", birth[11] = "", hira[256], half[64];
	char spaced[sizeof(kana) + 16], *common;
	struct sesshu_err err = { 0 };
	struct core_date bd;
	sqlite3_stmt *stmt;
	size_t n, hl = 0;
	int more;

	(void)state;
	assert_non_null(out);
	/* A resident whose カナ begins with three plain letters (for ｶﾅ). */
	assert_int_equal(sqlite3_prepare_v2(store_db(C.c1->st), "SELECT atena_no,"
	    " name_kana, birth_date FROM persons ORDER BY atena_no", -1, &stmt,
	    NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(stmt, 1);

		if (strlen(k) >= 9 && half_width(k) && half_width(k + 3) &&
		    half_width(k + 6)) {
			snprintf(atena, sizeof(atena), "%s", sqlite3_column_text(stmt, 0));
			snprintf(kana, sizeof(kana), "%s", k);
			snprintf(birth, sizeof(birth), "%s", sqlite3_column_text(stmt, 2));
			break;
		}
	}
	sqlite3_finalize(stmt);
	assert_true(atena[0] != '\0');

	/* ひらがな finds the カタカナ name. */
	to_hiragana(kana, hira, sizeof(hira));
	hira[9] = '\0';
	assert_int_equal(ws_person_search(C.c1, hira, NULL, out, &n, &more, &err), 0);
	assert_true(n > 0);
	if (!found(out, n, atena) && !more)
		fail_msg("%s did not find %s", hira, atena);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(strncmp(out[i].name_kana, kana, 9), 0);
	/* So does 半角カナ. */
	for (int i = 0; i < 3; i++) {
		const char *h = half_width(kana + 3 * i);

		memcpy(half + hl, h, strlen(h));
		hl += strlen(h);
	}
	half[hl] = '\0';
	assert_int_equal(ws_person_search(C.c1, half, NULL, out, &n, &more, &err), 0);
	assert_true(found(out, n, atena) || more);
	/* Spaces, ASCII and full-width, are ignored: the whole name spaced. */
	snprintf(spaced, sizeof(spaced), " %.3s %.3s　%s ", kana, kana + 3, kana + 6);
	assert_int_equal(ws_person_search(C.c1, spaced, NULL, out, &n, &more, &err),
	    0);
	assert_true(found(out, n, atena));

	/* The birth date alone. */
	assert_int_equal(core_date_parse(birth, strlen(birth), &bd, &err), 0);
	assert_int_equal(ws_person_search(C.c1, NULL, &bd, out, &n, &more, &err), 0);
	assert_true(found(out, n, atena));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(out[i].birth_date, birth);
	assert_int_equal(n, ws_count(C.c1, "SELECT count(*) FROM persons WHERE"
	    " birth_date = '%s'", birth));
	/* Kana and birth date together. */
	assert_int_equal(ws_person_search(C.c1, hira, &bd, out, &n, &more, &err), 0);
	assert_true(found(out, n, atena));
	assert_int_equal(more, 0);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(out[i].birth_date, birth);
		assert_int_equal(strncmp(out[i].name_kana, kana, 9), 0);
	}
	/* The same kana, a day nobody living was born on. */
	assert_int_equal(core_date_parse("1880-01-01", 10, &bd, &err), 0);
	assert_int_equal(ws_person_search(C.c1, hira, &bd, out, &n, &more, &err), 0);
	assert_int_equal(n, 0);

	/* More than WS_SEARCH_MAX: the first letter most names begin with. */
	common = text_db(store_db(C.c1->st), "SELECT substr(name_kana_search, 1, 1)"
	    " FROM persons GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
	if (ws_count(C.c1, "SELECT count(*) FROM persons WHERE"
	    " substr(name_kana_search, 1, 1) = '%s'", common) <= WS_SEARCH_MAX)
		fail_msg("the city is too small for this test: raise RESIDENTS");
	assert_int_equal(ws_person_search(C.c1, common, NULL, out, &n, &more, &err),
	    0);
	assert_int_equal(n, WS_SEARCH_MAX);
	assert_int_equal(more, 1);
	free(common);

	/* Neither kana nor a birth date; spaces only are no kana either. */
	assert_int_equal(ws_person_search(C.c1, NULL, NULL, out, &n, &more, &err),
	    SESSHU_EINVAL);
	assert_int_equal(ws_person_search(C.c1, "", NULL, out, &n, &more, &err),
	    SESSHU_EINVAL);
	assert_int_equal(ws_person_search(C.c1, " 　", NULL, out, &n, &more, &err),
	    SESSHU_EINVAL);
	free(out);
}

/*
 * A corrected imported record (no batch) goes back to "entered" and is
 * verified by another user through the records outside batches.
 */
static void
test_entry_a_corrected_import_is_verified_outside_batches(void **state)
{
	struct sesshu_err err = { 0 };
	char uuid[WIRE_UUID_STRLEN], *u;
	json_t *changes;
	long n0, n, n1;
	int found;

	(void)state;
	u = text_db(store_db(C.c1->st), "SELECT record_uuid FROM"
	    " vaccination_records WHERE registration_kind = 'imported' AND"
	    " is_current = 1 AND state = 'verified' AND screening_only = 0"
	    " ORDER BY record_uuid LIMIT 1");
	assert_int_equal(strlen(u), WIRE_UUID_LEN);
	/* Earlier tests left sheets of no batch: count from where they are. */
	assert_int_equal(ws_unbatched_to_verify(C.c1, &n0, &err), 0);
	changes = json_pack("{s:s}", "note", "備考の訂正");
	assert_int_equal(ws_record_revise(C.c1, u, WS_REVISE_CORRECT, changes,
	    "備考の記入漏れ", &err), 0);
	json_decref(changes);
	assert_int_equal(ws_unbatched_to_verify(C.c1, &n, &err), 0);
	assert_int_equal(n, n0 + 1);
	/* Never offered to its corrector... */
	for (int skip = 0; ws_batch_next_to_verify(C.c1, "", skip, uuid,
	    &err) == 1; skip++)
		assert_string_not_equal(uuid, u);
	sync_ok(C.c1);
	sync_ok(C.v1);
	/* ...offered to another user. */
	found = 0;
	for (int skip = 0; !found && ws_batch_next_to_verify(C.v1, "", skip,
	    uuid, &err) == 1; skip++)
		found = strcmp(uuid, u) == 0;
	assert_true(found);
	assert_int_equal(ws_unbatched_to_verify(C.v1, &n, &err), 0);
	assert_int_equal(ws_record_revise(C.v1, u, WS_REVISE_VERIFY, NULL, NULL,
	    &err), 0);
	assert_int_equal(ws_unbatched_to_verify(C.v1, &n1, &err), 0);
	assert_int_equal(n1, n - 1);
	assert_int_equal(sync_ok(C.v1).rejected, 0);
	expect_text(reg_text("SELECT state || ',' || entered_by || ',' ||"
	    " verified_by FROM vaccination_records WHERE record_uuid = '%s' AND"
	    " is_current = 1", u), "verified,clk01,vrf01");
	free(u);
}

/* ------------------------------------------------------ login failures */

/*
 * Issue 4: the lockout counts per user across workstations when online.
 * Logins against each workstation's own key slot are reported to the
 * register: three wrong passwords on ws1 and two on ws2 lock the user at
 * the register (5), although neither workstation counted five; then the
 * right password is refused on both, with the time.
 */
static void
test_entry_failed_logins_count_per_user_across_workstations(void **state)
{
	struct secrets wrong = { "違うパスワードです2026", NULL };
	struct secrets right = { CLERK_PW, NULL };
	struct sesshu_err err = { 0 };
	struct ws_session *s;
	char *out, *code;

	(void)state;
	out = itest_admin("user", "add", "--data", C.reg_dir, "--id", "lck01",
	    "--name", "施錠 試験", "--role", "clerk", NULL);
	code = itest_last_line_dup(out);
	free(out);
	ws_session_close(login(C.ws1, "lck01", code, CLERK_PW));
	ws_session_close(login(C.ws2, "lck01", CLERK_PW, NULL));
	free(code);
	for (int i = 0; i < 3; i++)
		assert_int_equal(ws_login(C.ws1, "lck01", ask_secrets, &wrong, &s,
		    &err), SESSHU_EAUTH);
	for (int i = 0; i < 2; i++)
		assert_int_equal(ws_login(C.ws2, "lck01", ask_secrets, &wrong, &s,
		    &err), SESSHU_EAUTH);
	assert_int_equal(reg_count("SELECT count(*) FROM users WHERE user_id ="
	    " 'lck01' AND locked_until > strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ',"
	    " 'now')"), 1);
	assert_int_equal(reg_count("SELECT count(*) FROM audit_log WHERE"
	    " object = 'user:lck01' AND outcome LIKE 'refused: auth_failed at the"
	    " workstation%%'"), 5);
	/* ws1 counted three of its five: the register's lock still holds. */
	assert_int_equal(ws_login(C.ws1, "lck01", ask_secrets, &right, &s, &err),
	    SESSHU_EDENIED);
	assert_null(s);
	assert_int_equal(err.why, SESSHU_WHY_LOCKED_OUT);
	assert_non_null(strstr(err.msg, "lck01 is locked until"));
	assert_int_equal(ws_login(C.ws2, "lck01", ask_secrets, &right, &s, &err),
	    SESSHU_EDENIED);
	assert_int_equal(reg_count("SELECT count(*) FROM audit_log WHERE"
	    " object = 'user:lck01' AND outcome = 'refused: locked (reported by"
	    " the workstation)'"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_master_data_reaches_workstations_and_a_reimport_sends_nothing),
		cmocka_unit_test(test_entry_bad_master_file_imports_nothing_and_names_file_row_and_column),
		cmocka_unit_test(test_entry_batch_closes_only_after_another_user_verified_every_sheet),
		cmocka_unit_test(test_entry_register_refuses_a_batch_close_that_does_not_reconcile),
		cmocka_unit_test(test_entry_a_sheet_of_a_batch_nobody_opened_is_refused_on_both_sides),
		cmocka_unit_test(test_entry_a_correction_cannot_move_a_record_into_a_closed_batch),
		cmocka_unit_test(test_entry_register_rejects_a_version_verified_by_its_enterer),
		cmocka_unit_test(test_entry_register_takes_a_version_only_from_a_user_whose_role_may),
		cmocka_unit_test(test_entry_same_dose_on_two_workstations_is_a_conflict_unless_confirmed),
		cmocka_unit_test(test_entry_corrections_and_voids_are_new_versions_with_a_reason),
		cmocka_unit_test(test_entry_discarding_a_refused_version_restores_the_one_before),
		cmocka_unit_test(test_entry_drafts_round_trip_per_user_and_never_in_clear),
		cmocka_unit_test(test_entry_person_search_by_kana_prefix_and_birth_date),
		cmocka_unit_test(test_entry_a_corrected_import_is_verified_outside_batches),
		cmocka_unit_test(test_entry_failed_logins_count_per_user_across_workstations),
	};

	return cmocka_run_group_tests(tests, setup_city, teardown_city);
}
