/*
 * test_audit.c: the audit chain names the first entry that was altered,
 * removed, moved or inserted, and the trail cannot be changed by plain SQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/audit.h"
#include "store/store.h"
#include "testutil.h"

#define ENTRIES	10

struct fixture {
	char		*dir;
	struct store	*st;
};

static void
append(struct store *st, int i)
{
	struct sesshu_err err = { 0 };
	char object[32], at[32];
	struct audit_event ev = {
		.user_id = "clerk01", .workstation_id = "ws-001",
		.action = "person.view", .object = object, .outcome = "ok",
	};

	/* Identical texts apart from the object: only the chain tells them apart. */
	snprintf(object, sizeof(object), "person:%010d", 1 + i % 2);
	snprintf(at, sizeof(at), "2026-11-21T09:00:%02d.000Z", i);
	if (audit_append_at(st, &ev, at, &err) != 0)
		fail_msg("audit_append: %s", err.msg);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sesshu_err err = { 0 };
	struct secbuf key;

	f->dir = tu_mkdtemp("audit");
	tu_key(&key, 42);
	if (store_open(&f->st, tu_path(f->dir, "cache.db"), &key,
	    &store_cache_schema, STORE_CREATE, &err) != 0)
		fail_msg("store_open: %s", err.msg);
	secbuf_release(&key);
	for (int i = 0; i < ENTRIES; i++)
		append(f->st, i);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	tu_rm_rf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* What an attacker with raw database access would do first. */
static void
tamper(struct store *st, const char *sql)
{
	struct sesshu_err err = { 0 };

	if (store_exec(st, "DROP TRIGGER IF EXISTS audit_log_no_update;"
	    "DROP TRIGGER IF EXISTS audit_log_no_delete;", &err) != 0 ||
	    store_exec(st, sql, &err) != 0)
		fail_msg("tamper: %s", err.msg);
}

static void
expect_bad_at(struct store *st, int64_t seq, const char *words)
{
	struct audit_verify_result res;
	struct sesshu_err err = { 0 };

	assert_int_equal(audit_verify(st, &res, &err), SESSHU_ETAMPER);
	assert_int_equal(res.first_bad, seq);
	if (strstr(err.msg, words) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, words);
}

static void
test_audit_intact_chain_verifies(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result res;
	struct sesshu_err err = { 0 };

	assert_int_equal(audit_verify(f->st, &res, &err), 0);
	assert_int_equal(res.entries, ENTRIES);
	assert_int_equal(res.first_bad, 0);
}

static void
test_audit_modified_entry_reported_at_its_position(void **state)
{
	struct fixture *f = *state;

	tamper(f->st, "UPDATE audit_log SET outcome = 'refused' WHERE seq = 4");
	expect_bad_at(f->st, 4, "audit entry 4 does not verify");
}

static void
test_audit_modified_time_reported(void **state)
{
	struct fixture *f = *state;

	tamper(f->st, "UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z'"
	    " WHERE seq = 7");
	expect_bad_at(f->st, 7, "entry 7");
}

static void
test_audit_deleted_entry_reported_at_its_position(void **state)
{
	struct fixture *f = *state;

	tamper(f->st, "DELETE FROM audit_log WHERE seq = 5");
	expect_bad_at(f->st, 5, "audit entry 5 is missing");
}

static void
test_audit_reordered_entries_reported_at_first_moved(void **state)
{
	struct fixture *f = *state;

	/* Swap entries 3 and 4 wholesale, MACs included. */
	tamper(f->st,
	    "UPDATE audit_log SET seq = -3 WHERE seq = 3;"
	    "UPDATE audit_log SET seq = 3 WHERE seq = 4;"
	    "UPDATE audit_log SET seq = 4 WHERE seq = -3;");
	expect_bad_at(f->st, 3, "entry 3");
}

static void
test_audit_inserted_entry_reported_at_its_position(void **state)
{
	struct fixture *f = *state;

	/* Make room after entry 6 and insert a forged entry that copies 6's MAC. */
	tamper(f->st,
	    "UPDATE audit_log SET seq = -seq WHERE seq > 6;"
	    "UPDATE audit_log SET seq = 1 - seq WHERE seq < 0;"
	    "INSERT INTO audit_log SELECT 7, at, user_id, workstation_id,"
	    " 'export.csv', object, outcome, mac FROM audit_log WHERE seq = 6;"
	    "UPDATE audit_head SET seq = seq + 1;");
	expect_bad_at(f->st, 7, "entry 7");
}

static void
test_audit_truncated_tail_reported(void **state)
{
	struct fixture *f = *state;

	tamper(f->st, "DELETE FROM audit_log WHERE seq > 8");
	expect_bad_at(f->st, 9, "cut off the end");
}

static void
test_audit_sql_cannot_update_or_delete(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result res;
	struct sesshu_err err = { 0 };

	assert_int_equal(store_exec(f->st, "UPDATE audit_log SET outcome = 'x'",
	    &err), SESSHU_EDB);
	assert_non_null(strstr(err.msg, "append-only"));
	assert_int_equal(store_exec(f->st, "DELETE FROM audit_log", &err),
	    SESSHU_EDB);
	assert_non_null(strstr(err.msg, "append-only"));
	assert_int_equal(audit_verify(f->st, &res, &err), 0);
	assert_int_equal(res.entries, ENTRIES);
}

static void
test_audit_entry_rolls_back_with_its_change(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result res;
	struct sesshu_err err = { 0 };

	assert_int_equal(store_begin(f->st, &err), 0);
	append(f->st, 99);
	store_rollback(f->st);
	assert_int_equal(audit_verify(f->st, &res, &err), 0);
	assert_int_equal(res.entries, ENTRIES);
	append(f->st, 11);
	assert_int_equal(audit_verify(f->st, &res, &err), 0);
	assert_int_equal(res.entries, ENTRIES + 1);
}

/* Entries copied, MACs and head included, into a store with another master
 * key (another workstation's trail, or a forgery) do not verify there. */
static void
test_audit_chain_does_not_verify_under_another_key(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result res;
	struct sesshu_err err = { 0 };
	struct secbuf other_key;
	struct store *other;
	sqlite3_stmt *rd, *wr;

	tu_key(&other_key, 43);
	assert_int_equal(store_open(&other, tu_path(f->dir, "other.db"),
	    &other_key, &store_cache_schema, STORE_CREATE, &err), 0);
	secbuf_release(&other_key);
	assert_int_equal(sqlite3_prepare_v2(store_db(f->st), "SELECT seq, at,"
	    " user_id, workstation_id, action, object, outcome, mac FROM audit_log"
	    " UNION ALL SELECT -1, '', '', '', '', '', seq, mac FROM audit_head",
	    -1, &rd, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(store_db(other), "INSERT INTO"
	    " audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &wr, NULL), SQLITE_OK);
	while (sqlite3_step(rd) == SQLITE_ROW) {
		if (sqlite3_column_int64(rd, 0) < 0) {
			char sql[128];

			snprintf(sql, sizeof(sql), "INSERT INTO audit_head VALUES"
			    " (1, %lld, zeroblob(32))", sqlite3_column_int64(rd, 6));
			assert_int_equal(store_exec(other, sql, &err), 0);
			continue;
		}
		for (int c = 0; c < 8; c++)
			sqlite3_bind_value(wr, c + 1, sqlite3_column_value(rd, c));
		assert_int_equal(sqlite3_step(wr), SQLITE_DONE);
		sqlite3_reset(wr);
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	assert_int_equal(audit_verify(other, &res, &err), SESSHU_ETAMPER);
	assert_int_equal(res.first_bad, 1);
	store_close(other);
}

static void
test_audit_empty_field_refused(void **state)
{
	struct fixture *f = *state;
	struct sesshu_err err = { 0 };
	struct audit_event ev = {
		.user_id = "clerk01", .workstation_id = "ws-001",
		.action = "", .object = "-", .outcome = "ok",
	};

	assert_int_equal(audit_append(f->st, &ev, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "action"));
	ev.action = "login";
	ev.outcome = NULL;
	assert_int_equal(audit_append(f->st, &ev, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "outcome"));
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_audit_intact_chain_verifies),
		T(test_audit_modified_entry_reported_at_its_position),
		T(test_audit_modified_time_reported),
		T(test_audit_deleted_entry_reported_at_its_position),
		T(test_audit_reordered_entries_reported_at_first_moved),
		T(test_audit_inserted_entry_reported_at_its_position),
		T(test_audit_truncated_tail_reported),
		T(test_audit_sql_cannot_update_or_delete),
		T(test_audit_entry_rolls_back_with_its_change),
		T(test_audit_chain_does_not_verify_under_another_key),
		T(test_audit_empty_field_refused),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
