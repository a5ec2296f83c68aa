/*
 * bench_fill.c: fills a provisioned workstation's empty cache straight
 * from the register's store, for the reading figures of a city too large
 * to pull in the time a benchmark run has (docs/PERFORMANCE.md says when
 * it was used). The rows are those the first pull brings: every person,
 * the current version of every record, the master data; the pull cursor
 * is set to the register's last change, as after a pull.
 *
 *   sesshu-bench-fill REGISTER_DIR STATE USER
 *
 * Benchmark-only: it bypasses sync on purpose, and the pull figure is
 * never measured with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "harness.h"
#include "register/reg.h"
#include "store/store.h"

static void
exec_or_die(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		bh_die("%.60s: %s", sql, msg != NULL ? msg : sqlite3_errmsg(db));
}

static long
copy(sqlite3 *src, sqlite3 *dst, const char *table, const char *where)
{
	char sql[512];
	sqlite3_stmt *sel, *put;
	GString *ins;
	long n = 0;
	int ncol;

	snprintf(sql, sizeof(sql), "DELETE FROM %s", table);
	exec_or_die(dst, sql);
	/* The cache's columns, named: the register's tables may have more. */
	snprintf(sql, sizeof(sql), "SELECT * FROM %s LIMIT 0", table);
	if (sqlite3_prepare_v2(dst, sql, -1, &sel, NULL) != SQLITE_OK)
		bh_die("%s: %s", sql, sqlite3_errmsg(dst));
	ncol = sqlite3_column_count(sel);
	ins = g_string_new("SELECT ");
	for (int c = 0; c < ncol; c++)
		g_string_append_printf(ins, "%s%s", c ? "," : "",
		    sqlite3_column_name(sel, c));
	sqlite3_finalize(sel);
	g_string_append_printf(ins, " FROM %s%s%s", table, where ? " WHERE " : "",
	    where ? where : "");
	if (sqlite3_prepare_v2(src, ins->str, -1, &sel, NULL) != SQLITE_OK)
		bh_die("%s: %s", ins->str, sqlite3_errmsg(src));
	g_string_printf(ins, "INSERT INTO %s VALUES (", table);
	for (int c = 0; c < ncol; c++)
		g_string_append(ins, c ? ",?" : "?");
	g_string_append(ins, ")");
	if (sqlite3_prepare_v2(dst, ins->str, -1, &put, NULL) != SQLITE_OK)
		bh_die("%s: %s", ins->str, sqlite3_errmsg(dst));
	g_string_free(ins, TRUE);
	while (sqlite3_step(sel) == SQLITE_ROW) {
		for (int c = 0; c < ncol; c++)
			sqlite3_bind_value(put, c + 1, sqlite3_column_value(sel, c));
		if (sqlite3_step(put) != SQLITE_DONE)
			bh_die("insert into %s: %s", table, sqlite3_errmsg(dst));
		sqlite3_reset(put);
		if (++n % 100000 == 0) {
			exec_or_die(dst, "COMMIT");
			exec_or_die(dst, "BEGIN IMMEDIATE");
		}
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(put);
	return n;
}

int
main(int argc, char **argv)
{
	static const char *const master[] = { "vaccines", "manufacturers",
	    "lots", "medical_institutions", "doctors", "venues", "districts",
	    "fee_categories" };
	struct sesshu_err err = { 0 };
	struct ws_session *s;
	struct reg *reg;
	sqlite3_stmt *stmt;
	sqlite3 *src, *dst;
	char cursor[32];
	long persons, records;
	double t0 = bh_now();

	if (argc != 4) {
		fprintf(stderr, "usage: sesshu-bench-fill REGISTER_DIR STATE USER\n");
		return 2;
	}
	if (reg_open(&reg, argv[1], &err) != 0)
		bh_die("register %s: %s", argv[1], err.msg);
	s = bh_login(argv[2], argv[3]);
	src = store_db(reg->st);
	dst = store_db(s->st);
	exec_or_die(dst, "PRAGMA cache_size = -262144");
	exec_or_die(dst, "BEGIN IMMEDIATE");
	for (size_t i = 0; i < sizeof(master) / sizeof(master[0]); i++)
		copy(src, dst, master[i], NULL);
	persons = copy(src, dst, "persons", NULL);
	records = copy(src, dst, "vaccination_records", "is_current = 1");
	if (sqlite3_prepare_v2(src, "SELECT coalesce(max(seq), 0) FROM changes",
	    -1, &stmt, NULL) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW)
		bh_die("changes: %s", sqlite3_errmsg(src));
	snprintf(cursor, sizeof(cursor), "%lld", sqlite3_column_int64(stmt, 0));
	sqlite3_finalize(stmt);
	if (sqlite3_prepare_v2(dst, "INSERT OR REPLACE INTO sync_state (key, value)"
	    " VALUES ('pull_cursor', ?)", -1, &stmt, NULL) != SQLITE_OK)
		bh_die("sync_state: %s", sqlite3_errmsg(dst));
	sqlite3_bind_text(stmt, 1, cursor, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		bh_die("sync_state: %s", sqlite3_errmsg(dst));
	sqlite3_finalize(stmt);
	exec_or_die(dst, "COMMIT");
	exec_or_die(dst, "PRAGMA cache_size = -16384");
	ws_session_close(s);
	reg_close(reg);
	bh_result("fill.seconds", bh_now() - t0, "s", "persons=%ld records=%ld "
	    "cursor=%s", persons, records, cursor);
	return 0;
}
