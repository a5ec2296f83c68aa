/* ws_batches.c: see ws_batches.h. */
#include "sync/ws_batches.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/date.h"
#include "store/batch_store.h"
#include "sync/entity.h"
#include "sync/replicate.h"

/* Writes a batch row and queues it for the register, with its audit entry. */
static int
save_batch(struct ws_session *s, json_t *b, const char *action,
    const char *outcome, struct sesshu_err *err)
{
	const struct entity_kind *k = entity_find("batch");
	char object[64];
	json_t *change;
	int rc;

	if ((rc = entity_check(k, b, "batch", err)) != 0)
		return rc;
	if ((change = json_pack("{s:O}", "batch", b)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	snprintf(object, sizeof(object), "batch:%s",
	    json_string_value(json_object_get(b, "batch_id")));
	if ((rc = store_begin(s->st, err)) == 0) {
		if ((rc = entity_upsert(s->st, k, b, err)) == 0 &&
		    (rc = ws_outbox_add(s->st, "batch", change, err)) == 0 &&
		    (rc = ws_audit(s, action, object, outcome, err)) == 0)
			rc = store_commit(s->st, err);
		else
			store_rollback(s->st);
	}
	json_decref(change);
	return rc;
}

int
ws_batch_open(struct ws_session *s, const char *institution_code,
    const char *billing_month, long claimed, const char *received_on,
    char batch_id[WIRE_UUID_STRLEN], struct sesshu_err *err)
{
	static const char institution_sql[] =
	    "SELECT 1 FROM medical_institutions WHERE code = ?";
	char now[STORE_TIME_LEN];
	struct core_ym ym;
	sqlite3_stmt *stmt;
	json_t *b;
	int rc, known;

	if (core_ym_parse(billing_month, strlen(billing_month), &ym, err) != 0)
		return sesshu_err_prefix(err, "billing_month");
	if (claimed < 1 || claimed > CORE_BATCH_CLAIM_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE, "claimed_count: %ld is "
		    "not 1 to %d", claimed, CORE_BATCH_CLAIM_MAX);
	if ((rc = store_prepare(s->st, institution_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, institution_code, -1, SQLITE_STATIC);
	known = sqlite3_step(stmt) == SQLITE_ROW;
	store_stmt_done(stmt);
	if (!known)
		return sesshu_err_set(err, SESSHU_ENOTFOUND, "institution_code: "
		    "%.16s is not in the master data", institution_code);
	if ((rc = wire_uuid_v4(batch_id, err)) != 0)
		return rc;
	store_now_utc(now, sizeof(now));
	b = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "batch_id", batch_id,
	    "institution_code", institution_code, "billing_month", billing_month,
	    "claimed_count", (json_int_t)claimed, "state", "open",
	    "opened_by", s->user_id, "opened_at", now);
	if (b == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	if (received_on != NULL && received_on[0] != '\0')
		json_object_set_new(b, "received_on", json_string(received_on));
	rc = save_batch(s, b, "batch.open", "ok", err);
	json_decref(b);
	return rc;
}

static void
fill_row(sqlite3_stmt *stmt, struct ws_batch *b)
{
	int st;

#define COPY(field, col) snprintf(b->field, sizeof(b->field), "%s", \
	    sqlite3_column_text(stmt, col) ? \
	    (const char *)sqlite3_column_text(stmt, col) : "")
	COPY(batch_id, 0);
	COPY(institution_code, 1);
	COPY(institution_name, 2);
	COPY(billing_month, 3);
	COPY(opened_by, 5);
#undef COPY
	b->counts.claimed = sqlite3_column_int64(stmt, 4);
	b->counts.entered = sqlite3_column_int64(stmt, 7);
	b->counts.verified = sqlite3_column_int64(stmt, 8);
	b->counts.voided = sqlite3_column_int64(stmt, 9);
	st = core_batch_state_parse((const char *)sqlite3_column_text(stmt, 6));
	b->state = st == CORE_BATCH_CLOSED ? CORE_BATCH_CLOSED :
	    core_batch_state_of(&b->counts);
}

#define BATCH_COLUMNS \
	"SELECT b.batch_id, b.institution_code, coalesce(m.name, ''),"	\
	" b.billing_month, b.claimed_count, b.opened_by, b.state,"	\
	" (SELECT count(*) FROM vaccination_records r WHERE r.batch_id ="	\
	"   b.batch_id AND r.is_current = 1 AND r.state != 'voided'),"	\
	" (SELECT count(*) FROM vaccination_records r WHERE r.batch_id ="	\
	"   b.batch_id AND r.is_current = 1 AND r.state = 'verified'),"	\
	" (SELECT count(*) FROM vaccination_records r WHERE r.batch_id ="	\
	"   b.batch_id AND r.is_current = 1 AND r.state = 'voided')"	\
	" FROM batches b LEFT JOIN medical_institutions m"		\
	" ON m.code = b.institution_code"

int
ws_batch_list(struct ws_session *s, struct ws_batch **out, size_t *n,
    struct sesshu_err *err)
{
	static const char sql[] = BATCH_COLUMNS
	    " WHERE b.state != 'closed' OR b.closed_at >= strftime("
	    "'%Y-%m-%dT%H:%M:%fZ', 'now', '-31 days')"
	    " ORDER BY b.opened_at DESC LIMIT 500";
	struct ws_batch *v = NULL, *nv;
	size_t cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = nv;
		}
		fill_row(stmt, &v[(*n)++]);
	}
	store_stmt_done(stmt);
	if ((rc = store_check(s->st, rc, "listing batches", err)) != 0) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}

int
ws_batch_get(struct ws_session *s, const char *batch_id, struct ws_batch *out,
    struct sesshu_err *err)
{
	static const char sql[] = BATCH_COLUMNS " WHERE b.batch_id = ?";
	sqlite3_stmt *stmt;
	int rc, found = 0;

	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, batch_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fill_row(stmt, out);
		found = 1;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(s->st, rc, "reading a batch", err)) != 0)
		return rc;
	return found ? 0 : sesshu_err_set(err, SESSHU_ENOTFOUND, "batch %s: no "
	    "such batch", batch_id);
}

int
ws_batch_close(struct ws_session *s, const char *batch_id, const char **msgid,
    struct sesshu_err *err)
{
	const struct entity_kind *k = entity_find("batch");
	char object[64], now[STORE_TIME_LEN];
	struct ws_batch b;
	sqlite3_stmt *stmt;
	json_t *row = NULL;
	int rc;

	*msgid = NULL;
	if ((rc = ws_batch_get(s, batch_id, &b, err)) != 0)
		return rc;
	snprintf(object, sizeof(object), "batch:%s", batch_id);
	if (b.state == CORE_BATCH_CLOSED)
		return sesshu_err_set(err, SESSHU_EDENIED, "batch %s is closed "
		    "already", batch_id);
	if (core_batch_can_close(&b.counts, msgid) != 0) {
		ws_audit(s, "batch.close", object, "refused: counts", NULL);
		return sesshu_err_set(err, SESSHU_EDENIED, "batch %s: claimed %ld, "
		    "entered %ld, verified %ld", batch_id, b.counts.claimed,
		    b.counts.entered, b.counts.verified);
	}
	if ((rc = store_prepare(s->st, k->select_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, batch_id, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		row = entity_row_to_json(k, stmt);
	store_stmt_done(stmt);
	if (row == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	store_now_utc(now, sizeof(now));
	json_object_set_new(row, "state", json_string("closed"));
	json_object_set_new(row, "closed_at", json_string(now));
	json_object_set_new(row, "closed_by", json_string(s->user_id));
	rc = save_batch(s, row, "batch.close", "ok", err);
	json_decref(row);
	return rc;
}

int
ws_batch_next_to_verify(struct ws_session *s, const char *batch_id, int skip,
    char uuid[WIRE_UUID_STRLEN], struct sesshu_err *err)
{
	/* "" is the records outside any batch (corrected imported ones). */
	static const char sql[] =
	    "SELECT record_uuid FROM vaccination_records"
	    " WHERE coalesce(batch_id, '') = ?1"
	    " AND is_current = 1 AND state = 'entered'"
	    " AND coalesce(entered_by, '') != ?2"
	    " ORDER BY registered_at, record_uuid LIMIT 1 OFFSET ?3";
	sqlite3_stmt *stmt;
	int rc, found = 0;

	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, batch_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, s->user_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, skip);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		snprintf(uuid, WIRE_UUID_STRLEN, "%s", sqlite3_column_text(stmt, 0));
		found = 1;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(s->st, rc, "finding a sheet to verify", err)) != 0)
		return rc;
	return found;
}

int
ws_unbatched_to_verify(struct ws_session *s, long *count,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT count(*) FROM vaccination_records WHERE batch_id IS NULL"
	    " AND is_current = 1 AND state = 'entered'";
	sqlite3_stmt *stmt;
	int rc;

	*count = 0;
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*count = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(s->st, rc, "counting records to verify", err);
}
