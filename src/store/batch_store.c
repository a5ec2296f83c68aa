/* batch_store.c: batch rows and counts; see batch_store.h. */
#include "store/batch_store.h"

#include <string.h>

int
store_batch_counts(struct store *st, const char *batch_id,
    struct core_batch_counts *out, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT b.claimed_count,"
	    " (SELECT count(*) FROM vaccination_records r WHERE r.batch_id ="
	    "   b.batch_id AND r.is_current = 1 AND r.state != 'voided'),"
	    " (SELECT count(*) FROM vaccination_records r WHERE r.batch_id ="
	    "   b.batch_id AND r.is_current = 1 AND r.state = 'verified'),"
	    " (SELECT count(*) FROM vaccination_records r WHERE r.batch_id ="
	    "   b.batch_id AND r.is_current = 1 AND r.state = 'voided')"
	    " FROM batches b WHERE b.batch_id = ?";
	sqlite3_stmt *stmt;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, batch_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->claimed = sqlite3_column_int64(stmt, 0);
		out->entered = sqlite3_column_int64(stmt, 1);
		out->verified = sqlite3_column_int64(stmt, 2);
		out->voided = sqlite3_column_int64(stmt, 3);
		rc = SQLITE_DONE;
	} else if (rc == SQLITE_DONE) {
		store_stmt_done(stmt);
		return sesshu_err_set(err, SESSHU_ENOTFOUND, "batch %s: no such "
		    "batch", batch_id);
	}
	store_stmt_done(stmt);
	return store_check(st, rc, "counting a batch's sheets", err);
}

int
store_batch_state(struct store *st, const char *batch_id,
    enum core_batch_state *state, long *claimed, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT state, claimed_count FROM batches WHERE batch_id = ?";
	sqlite3_stmt *stmt;
	int rc, found = 0;

	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, batch_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int s = core_batch_state_parse(
		    (const char *)sqlite3_column_text(stmt, 0));

		*state = s < 0 ? CORE_BATCH_CLOSED : (enum core_batch_state)s;
		if (claimed != NULL)
			*claimed = sqlite3_column_int64(stmt, 1);
		found = 1;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(st, rc, "reading a batch", err)) != 0)
		return rc;
	return found ? 0 : sesshu_err_set(err, SESSHU_ENOTFOUND, "batch %s: no "
	    "such batch", batch_id);
}
