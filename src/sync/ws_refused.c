/* ws_refused.c: the changes the register refused; see ws_refused.h. */
#include "sync/ws_refused.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "sync/entity.h"
#include "sync/replicate.h"

int
ws_refused_count(struct store *st, long *count, struct sesshu_err *err)
{
	return ws_outbox_count(st, 1, count, err);
}

/* What a change is about, from its payload: a person or a batch. */
static void
subject_of(const char *kind, const char *payload, char *out, size_t size)
{
	json_t *doc = json_loads(payload, 0, NULL), *data;
	const char *v;

	out[0] = '\0';
	if (doc == NULL)
		return;
	data = json_object_get(doc, kind);
	if ((v = json_string_value(json_object_get(data, "atena_no"))) != NULL)
		snprintf(out, size, "person:%s", v);
	else if ((v = json_string_value(json_object_get(data, "batch_id"))) != NULL)
		snprintf(out, size, "batch:%.36s", v);
	else if ((v = json_string_value(json_object_get(data, "user_id"))) != NULL)
		snprintf(out, size, "user:%.32s", v);
	json_decref(doc);
}

int
ws_refused_list(struct ws_session *s, struct ws_refused *out, size_t max,
    size_t *n, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT uuid, kind, created_at, payload, last_error FROM outbox"
	    " WHERE last_error IS NOT NULL ORDER BY id";
	sqlite3_stmt *stmt;
	int rc;

	*n = 0;
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max) {
		struct ws_refused *r = &out[(*n)++];

		snprintf(r->uuid, sizeof(r->uuid), "%s", sqlite3_column_text(stmt, 0));
		snprintf(r->kind, sizeof(r->kind), "%s", sqlite3_column_text(stmt, 1));
		snprintf(r->created_at, sizeof(r->created_at), "%s",
		    sqlite3_column_text(stmt, 2));
		subject_of(r->kind, (const char *)sqlite3_column_text(stmt, 3),
		    r->subject, sizeof(r->subject));
		snprintf(r->reason, sizeof(r->reason), "%s",
		    sqlite3_column_text(stmt, 4));
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	store_stmt_done(stmt);
	return store_check(s->st, rc, "listing refused changes", err);
}

/*
 * A refused record version leaves the cache too, and the version before
 * it (kept, retired, by ws_record_revise) is current again: the cache
 * then holds what the register holds. A refused first version leaves
 * nothing.
 */
static int
undo_record(struct ws_session *s, const char *uuid, struct sesshu_err *err)
{
	static const char payload_sql[] =
	    "SELECT payload FROM outbox WHERE uuid = ?1 AND kind = 'record'";
	static const char drop_sql[] =
	    "DELETE FROM vaccination_records WHERE record_uuid = ?1"
	    " AND version = CAST(?2 AS INTEGER)";
	static const char restore_sql[] =
	    "UPDATE vaccination_records SET is_current = 1 WHERE record_uuid = ?1"
	    " AND version = (SELECT max(version) FROM vaccination_records"
	    " WHERE record_uuid = ?1)";
	const struct entity_kind *k = entity_find("record");
	char record[WIRE_UUID_STRLEN] = "", version[24] = "";
	sqlite3_stmt *stmt;
	json_t *doc = NULL, *rec, *cached = NULL;
	int rc, same;

	if ((rc = store_prepare(s->st, payload_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		doc = json_loads((const char *)sqlite3_column_text(stmt, 0), 0,
		    NULL);
	store_stmt_done(stmt);
	if (doc == NULL)
		return 0;	/* not a record */
	rec = json_object_get(doc, "record");
	snprintf(record, sizeof(record), "%s",
	    json_string_value(json_object_get(rec, "record_uuid")) ?
	    json_string_value(json_object_get(rec, "record_uuid")) : "");
	snprintf(version, sizeof(version), "%lld",
	    (long long)json_integer_value(json_object_get(rec, "version")));
	/*
	 * Only while the cache still holds the refused version itself: a
	 * pull since may have put the register's own version (perhaps of the
	 * same number) in its place, and that one stays.
	 */
	if ((rc = store_prepare(s->st, k->select_sql, &stmt, err)) != 0) {
		json_decref(doc);
		return rc;
	}
	sqlite3_bind_text(stmt, 1, record, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		cached = entity_row_to_json(k, stmt);
	store_stmt_done(stmt);
	same = cached != NULL && json_equal(cached, rec);
	json_decref(cached);
	json_decref(doc);
	if (record[0] == '\0' || !same)
		return 0;
	if ((rc = store_run_text(s->st, drop_sql, record, version, "dropping a "
	    "refused record version", err)) != 0)
		return rc;
	return store_run_text(s->st, restore_sql, record, NULL, "restoring a "
	    "record's version", err);
}

/* A refused correction request waits for nothing any more. */
static int
unpend(struct ws_session *s, const char *uuid, struct sesshu_err *err)
{
	static const char payload_sql[] =
	    "SELECT payload FROM outbox WHERE uuid = ?1 AND kind = 'correction'";
	static const char unpend_sql[] =
	    "DELETE FROM pending_requests WHERE record_uuid = ?1";
	sqlite3_stmt *stmt;
	json_t *doc = NULL;
	const char *record;
	int rc = 0;

	if ((rc = store_prepare(s->st, payload_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		doc = json_loads((const char *)sqlite3_column_text(stmt, 0), 0,
		    NULL);
	store_stmt_done(stmt);
	record = json_string_value(json_object_get(json_object_get(doc,
	    "correction"), "record_uuid"));
	if (record != NULL)
		rc = store_run_text(s->st, unpend_sql, record, NULL, "settling a "
		    "refused request", err);
	json_decref(doc);
	return rc;
}

int
ws_refused_discard(struct ws_session *s, const char *uuid,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "DELETE FROM outbox WHERE uuid = ?1 AND last_error IS NOT NULL";
	char object[64];
	int rc;

	snprintf(object, sizeof(object), "change:%s", uuid);
	if ((rc = store_begin(s->st, err)) != 0)
		return rc;
	if ((rc = undo_record(s, uuid, err)) == 0 &&
	    (rc = unpend(s, uuid, err)) == 0 &&
	    (rc = store_run_text(s->st, sql, uuid, NULL, "discarding a refused "
	    "change", err)) == 0 &&
	    (rc = ws_audit(s, "outbox.discard", object, "ok", err)) == 0)
		return store_commit(s->st, err);
	store_rollback(s->st);
	return rc;
}
