/*
 * test_store.c: the encrypted store refuses what it cannot trust, never
 * writes to such a file, migrates idempotently, and leaves no plaintext.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/migrate.h"
#include "store/store.h"
#include "testutil.h"

#define PAGE	4096

static struct store *
open_new(const char *dir, unsigned char seed)
{
	struct sesshu_err err = { 0 };
	struct secbuf key;
	struct store *st = NULL;
	int rc;

	tu_key(&key, seed);
	rc = store_open(&st, tu_path(dir, "cache.db"), &key, &store_cache_schema,
	    STORE_CREATE, &err);
	secbuf_release(&key);
	if (rc != 0)
		fail_msg("store_open: %s", err.msg);
	return st;
}

static int
try_open(const char *dir, unsigned char seed, struct store **st,
    struct sesshu_err *err)
{
	struct secbuf key;
	int rc;

	tu_key(&key, seed);
	rc = store_open(st, tu_path(dir, "cache.db"), &key, &store_cache_schema, 0,
	    err);
	secbuf_release(&key);
	return rc;
}

static void
exec_ok(struct store *st, const char *sql)
{
	struct sesshu_err err = { 0 };

	if (store_exec(st, sql, &err) != 0)
		fail_msg("%s: %s", sql, err.msg);
}

static void
insert_person(struct store *st, const char *atena, const char *name,
    const char *kana)
{
	static const char sql[] =
	    "INSERT INTO persons (atena_no, name, name_kana, name_kana_search, sex,"
	    " birth_date, address, status) VALUES (?, ?, ?, ?, 2, '2020-04-01',"
	    " '試験市本町1-1', 1)";
	struct sesshu_err err = { 0 };
	sqlite3_stmt *stmt;

	assert_int_equal(store_prepare(st, sql, &stmt, &err), 0);
	sqlite3_bind_text(stmt, 1, atena, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, kana, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, kana, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
	store_stmt_done(stmt);
}

/* Fills the store with enough rows to span many pages, then closes it so
 * the WAL is checkpointed into the main file. */
static void
make_populated(const char *dir)
{
	struct store *st = open_new(dir, 1);
	char atena[16], name[64];

	exec_ok(st, "BEGIN");
	for (int i = 0; i < 2000; i++) {
		snprintf(atena, sizeof(atena), "%010d", 1000000 + i);
		snprintf(name, sizeof(name), "試験 太郎%d", i);
		insert_person(st, atena, name, "シケン タロウ");
	}
	exec_ok(st, "COMMIT");
	store_close(st);
}

static int
count_persons(struct store *st, struct sesshu_err *err)
{
	sqlite3_stmt *stmt;
	int rc, n = -1;

	rc = sqlite3_prepare_v2(store_db(st), "SELECT count(*), max(name)"
	    " FROM persons", -1, &stmt, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (store_check(st, rc, "counting persons", err) != 0)
		return -1;
	return n;
}

static void
test_store_right_key_opens_after_reopen(void **state)
{
	char *dir = tu_mkdtemp("store");
	struct sesshu_err err = { 0 };
	struct store *st = open_new(dir, 7);

	(void)state;
	insert_person(st, "0000000001", "試験 一郎", "シケン イチロウ");
	store_close(st);
	assert_int_equal(try_open(dir, 7, &st, &err), 0);
	assert_int_equal(count_persons(st, &err), 1);
	assert_int_equal(store_verify(st, &err), 0);
	store_close(st);
	tu_rm_rf(dir);
	free(dir);
}

static void
test_store_wrong_key_refused_and_file_unchanged(void **state)
{
	char *dir = tu_mkdtemp("store");
	struct sesshu_err err = { 0 };
	unsigned char *before, *after;
	size_t nbefore, nafter;
	struct store *st;

	(void)state;
	make_populated(dir);
	before = tu_read_file(tu_path(dir, "cache.db"), &nbefore);
	assert_int_equal(try_open(dir, 8, &st, &err), SESSHU_EAUTH);
	assert_null(st);
	assert_non_null(strstr(err.msg, "cannot decrypt"));
	assert_non_null(strstr(err.msg, "cache.db"));
	after = tu_read_file(tu_path(dir, "cache.db"), &nafter);
	assert_int_equal(nbefore, nafter);
	assert_memory_equal(before, after, nbefore);
	/* Nor did the refused open leave a journal behind. */
	assert_null(tu_read_file(tu_path(dir, "cache.db-wal"), &nafter));
	free(before);
	free(after);
	tu_rm_rf(dir);
	free(dir);
}

static void
test_store_newer_schema_refused_and_file_unchanged(void **state)
{
	char *dir = tu_mkdtemp("store");
	struct sesshu_err err = { 0 };
	unsigned char *before, *after;
	size_t nbefore, nafter;
	struct store *st = open_new(dir, 3);

	(void)state;
	exec_ok(st, "PRAGMA user_version = 99");
	store_close(st);
	before = tu_read_file(tu_path(dir, "cache.db"), &nbefore);
	assert_int_equal(try_open(dir, 3, &st, &err), SESSHU_EVERSION);
	assert_null(st);
	assert_non_null(strstr(err.msg, "schema version 99"));
	assert_non_null(strstr(err.msg, "newer"));
	after = tu_read_file(tu_path(dir, "cache.db"), &nafter);
	assert_int_equal(nbefore, nafter);
	assert_memory_equal(before, after, nbefore);
	free(before);
	free(after);
	tu_rm_rf(dir);
	free(dir);
}

static char *
schema_dump(struct store *st)
{
	sqlite3_stmt *stmt;
	size_t len = 0;
	char *out = calloc(1, 1);

	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT type || name ||"
	    " coalesce(sql, '') FROM sqlite_master ORDER BY name", -1, &stmt,
	    NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(stmt, 0);

		out = realloc(out, len + strlen(row) + 2);
		strcpy(out + len, row);
		len += strlen(row);
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(stmt);
	return out;
}

static void
test_store_migrations_from_empty_are_idempotent(void **state)
{
	char *dir = tu_mkdtemp("store");
	struct sesshu_err err = { 0 };
	struct store *st = open_new(dir, 4);
	char *first, *second;

	(void)state;
	assert_int_equal(store_schema_version(st), store_cache_schema.latest);
	first = schema_dump(st);
	assert_non_null(strstr(first, "vaccination_records"));
	assert_non_null(strstr(first, "audit_log"));
	store_close(st);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(try_open(dir, 4, &st, &err), 0);
		assert_int_equal(store_schema_version(st), store_cache_schema.latest);
		second = schema_dump(st);
		assert_string_equal(first, second);
		free(second);
		store_close(st);
	}
	free(first);
	tu_rm_rf(dir);
	free(dir);
}

static void
test_store_schema_has_no_my_number_column(void **state)
{
	char *dir = tu_mkdtemp("store");
	struct store *st = open_new(dir, 5);
	char *dump;

	(void)state;
	dump = schema_dump(st);
	for (char *p = dump; *p; p++)
		*p = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
	assert_null(strstr(dump, "my_number"));
	assert_null(strstr(dump, "mynumber"));
	assert_null(strstr(dump, "kojin"));
	assert_null(strstr(dump, "individual_number"));
	free(dump);
	store_close(st);
	tu_rm_rf(dir);
	free(dir);
}

static void
test_store_missing_file_not_created_without_flag(void **state)
{
	char *dir = tu_mkdtemp("store");
	struct sesshu_err err = { 0 };
	struct store *st;
	size_t n;

	(void)state;
	assert_int_equal(try_open(dir, 1, &st, &err), SESSHU_ENOTFOUND);
	assert_non_null(strstr(err.msg, "cache.db"));
	assert_null(tu_read_file(tu_path(dir, "cache.db"), &n));
	tu_rm_rf(dir);
	free(dir);
}

/*
 * SQLCipher 3 pages end in a 48-byte reserve: a 16-byte IV, a 20-byte
 * HMAC-SHA1 over the ciphertext and IV, and 12 bytes of padding that the
 * HMAC does not cover. Flips are aimed at what the HMAC covers.
 */
static void
test_store_page_bit_flips_are_detected_without_crash(void **state)
{
	char *dir = tu_mkdtemp("store");
	char *copy = tu_mkdtemp("store-flip");
	unsigned char *orig, *now;
	size_t len, nlen;
	int pages, tried = 0;

	(void)state;
	make_populated(dir);
	orig = tu_read_file(tu_path(dir, "cache.db"), &len);
	assert_true(len % PAGE == 0);
	pages = (int)(len / PAGE);
	assert_true(pages >= 20);

	for (int page = 0; page < pages; page += (page < 4 ? 1 : 3)) {
		struct sesshu_err err = { 0 };
		struct store *st = NULL;
		size_t off = (size_t)page * PAGE +
		    (size_t)((page * 2654435761u) % (PAGE - 12));
		int rc;

		if (page == 0 && off < 16)
			off = 16 + (size_t)page;	/* page 1's salt: see below */
		orig[off] ^= (unsigned char)(1u << (page % 8));
		assert_int_equal(tu_write_file(tu_path(copy, "cache.db"), orig, len), 0);
		orig[off] ^= (unsigned char)(1u << (page % 8));

		rc = try_open(copy, 1, &st, &err);
		if (rc == 0) {
			rc = store_verify(st, &err);
			if (rc == 0)
				fail_msg("flip at byte %zu (page %d) went unnoticed",
				    off, page + 1);
			assert_true(store_is_poisoned(st));
			/* A poisoned store refuses writes. */
			assert_int_equal(store_exec(st, "DELETE FROM persons", NULL),
			    SESSHU_EREADONLY);
			store_close(st);
		}
		assert_true(rc == SESSHU_ECORRUPT || rc == SESSHU_EAUTH);
		assert_true(strlen(err.msg) > 0);
		/* The damaged file was not written to. */
		now = tu_read_file(tu_path(copy, "cache.db"), &nlen);
		assert_int_equal(nlen, len);
		orig[off] ^= (unsigned char)(1u << (page % 8));
		assert_memory_equal(now, orig, len);
		orig[off] ^= (unsigned char)(1u << (page % 8));
		free(now);
		tu_rm_rf(tu_path(copy, "cache.db-wal"));
		tu_rm_rf(tu_path(copy, "cache.db-shm"));
		tried++;
	}
	assert_true(tried >= 10);
	/* A flip in page 1's salt changes the HMAC key: the whole file refuses. */
	{
		struct sesshu_err err = { 0 };
		struct store *st;

		orig[3] ^= 0x10;
		assert_int_equal(tu_write_file(tu_path(copy, "cache.db"), orig, len), 0);
		assert_int_equal(try_open(copy, 1, &st, &err), SESSHU_EAUTH);
	}
	free(orig);
	tu_rm_rf(copy);
	tu_rm_rf(dir);
	free(copy);
	free(dir);
}

static void
test_store_leaves_no_plaintext_in_any_file(void **state)
{
	static const char *needles[] = {
		"試験 花子", "シケン ハナコ", "シケンハナコ", "0123456789", "試験",
	};
	char *dir = tu_mkdtemp("store");
	char hit[4096];
	struct store *st = open_new(dir, 9);
	size_t n;
	unsigned char *wal;

	(void)state;
	insert_person(st, "0123456789", "試験 花子", "シケン ハナコ");
	/* While open, the change sits in the WAL: scan WAL and SHM as they are. */
	wal = tu_read_file(tu_path(dir, "cache.db-wal"), &n);
	assert_non_null(wal);
	assert_true(n > 0);
	free(wal);
	for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		if (tu_dir_contains(dir, needles[i], strlen(needles[i]), hit,
		    sizeof(hit)) != 0)
			fail_msg("\"%s\" found in plaintext in %s", needles[i], hit);
	store_close(st);
	for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		if (tu_dir_contains(dir, needles[i], strlen(needles[i]), hit,
		    sizeof(hit)) != 0)
			fail_msg("\"%s\" found in plaintext in %s after close",
			    needles[i], hit);
	tu_rm_rf(dir);
	free(dir);
}

static void
test_store_key_of_wrong_length_refused(void **state)
{
	char *dir = tu_mkdtemp("store");
	struct sesshu_err err = { 0 };
	struct secbuf key;
	struct store *st;

	(void)state;
	assert_int_equal(secbuf_alloc(&key, 16, NULL), 0);
	assert_int_equal(store_open(&st, tu_path(dir, "cache.db"), &key,
	    &store_cache_schema, STORE_CREATE, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "32 bytes"));
	secbuf_release(&key);
	tu_rm_rf(dir);
	free(dir);
}

static void
test_store_settings_are_applied(void **state)
{
	char *dir = tu_mkdtemp("store");
	struct store *st = open_new(dir, 2);
	sqlite3_stmt *stmt;

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "PRAGMA journal_mode",
	    -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "PRAGMA secure_delete",
	    -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 1);
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "PRAGMA temp_store",
	    -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 2);	/* MEMORY */
	sqlite3_finalize(stmt);
	store_close(st);
	tu_rm_rf(dir);
	free(dir);
}

/* A cache written by the previous version is upgraded, data kept. */
static void
test_store_version_1_cache_migrates_to_latest_keeping_data(void **state)
{
	struct store_schema v1_only = store_cache_schema;
	char *dir = tu_mkdtemp("store");
	struct sesshu_err err = { 0 };
	struct secbuf key;
	struct store *st;
	char *dump;

	(void)state;
	v1_only.latest = 1;
	tu_key(&key, 12);
	assert_int_equal(store_open(&st, tu_path(dir, "cache.db"), &key, &v1_only,
	    STORE_CREATE, &err), 0);
	insert_person(st, "0000000042", "試験 次郎", "シケン ジロウ");
	store_close(st);
	assert_int_equal(store_open(&st, tu_path(dir, "cache.db"), &key,
	    &store_cache_schema, 0, &err), 0);
	assert_int_equal(store_schema_version(st), store_cache_schema.latest);
	assert_int_equal(count_persons(st, &err), 1);
	dump = schema_dump(st);
	assert_non_null(strstr(dump, "print_id"));
	free(dump);
	store_close(st);
	secbuf_release(&key);
	tu_rm_rf(dir);
	free(dir);
}

/* A store of another schema (the register's) is never opened as a cache. */
static void
test_store_of_another_schema_refused_and_unchanged(void **state)
{
	static const char *const other_v1[] = { "CREATE TABLE t (x);", NULL };
	static const struct store_migration other_migrations[] = {
		{ 1, "another kind of store", other_v1 },
	};
	static const struct store_schema other = {
		.name = "test store", .application_id = 0x12345678,
		.migrations = other_migrations, .latest = 1,
	};
	char *dir = tu_mkdtemp("store");
	struct sesshu_err err = { 0 };
	unsigned char *before, *after;
	size_t nbefore, nafter;
	struct secbuf key;
	struct store *st;

	(void)state;
	tu_key(&key, 6);
	assert_int_equal(store_open(&st, tu_path(dir, "cache.db"), &key, &other,
	    STORE_CREATE, &err), 0);
	store_close(st);
	before = tu_read_file(tu_path(dir, "cache.db"), &nbefore);
	assert_int_equal(store_open(&st, tu_path(dir, "cache.db"), &key,
	    &store_cache_schema, 0, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "is not a workstation cache"));
	after = tu_read_file(tu_path(dir, "cache.db"), &nafter);
	assert_int_equal(nbefore, nafter);
	assert_memory_equal(before, after, nbefore);
	secbuf_release(&key);
	free(before);
	free(after);
	tu_rm_rf(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_right_key_opens_after_reopen),
		cmocka_unit_test(test_store_wrong_key_refused_and_file_unchanged),
		cmocka_unit_test(test_store_newer_schema_refused_and_file_unchanged),
		cmocka_unit_test(test_store_migrations_from_empty_are_idempotent),
		cmocka_unit_test(test_store_schema_has_no_my_number_column),
		cmocka_unit_test(test_store_missing_file_not_created_without_flag),
		cmocka_unit_test(test_store_page_bit_flips_are_detected_without_crash),
		cmocka_unit_test(test_store_leaves_no_plaintext_in_any_file),
		cmocka_unit_test(test_store_key_of_wrong_length_refused),
		cmocka_unit_test(test_store_settings_are_applied),
		cmocka_unit_test(test_store_of_another_schema_refused_and_unchanged),
		cmocka_unit_test(test_store_version_1_cache_migrates_to_latest_keeping_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
