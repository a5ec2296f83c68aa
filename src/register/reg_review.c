/* reg_review.c: the review queue and its decisions; see reg_review.h. */
#include "register/reg_review.h"

#include <stdio.h>
#include <string.h>

#include "core/permission.h"
#include "store/store.h"
#include "sync/entity.h"
#include "sync/wire.h"

static const char *
str(const json_t *obj, const char *name)
{
	const char *s = json_string_value(json_object_get(obj, name));

	return s != NULL ? s : "";
}

int
reg_record_insert_version(struct reg *reg, const json_t *rec, int64_t *seq,
    struct sesshu_err *err)
{
	static const char retire_sql[] =
	    "UPDATE vaccination_records SET is_current = 0 WHERE record_uuid = ?1";
	const struct entity_kind *k = entity_find("record");
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_run_text(reg->st, retire_sql, str(rec, "record_uuid"),
	    NULL, "retiring a record version", err)) != 0)
		return rc;
	if ((rc = store_prepare(reg->st, k->insert_sql, &stmt, err)) != 0)
		return rc;
	entity_bind(k, stmt, rec);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "storing a record", err)) != 0)
		return rc;
	return reg_note_change(reg, "record", str(rec, "record_uuid"), "upsert",
	    seq, err);
}

int
reg_review_queue(struct reg *reg, const char *kind, const char *uuid,
    const char *workstation, const char *change_kind, const char *payload,
    const char *reason, struct sesshu_err *err)
{
	static const char sql[] =
	    "INSERT INTO review_queue (kind, uuid, workstation_id, change_kind,"
	    " payload, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	char now[STORE_TIME_LEN];
	sqlite3_stmt *stmt;
	int64_t seq;
	int rc;

	store_now_utc(now, sizeof(now));
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, workstation, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, change_kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, payload, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "queueing a change for review",
	    err)) != 0)
		return rc;
	return reg_note_change(reg, "review", uuid, "upsert", &seq, err);
}

/* The stored item, as its entity JSON (caller decrefs), or NULL. */
static json_t *
stored_item(struct reg *reg, const char *uuid)
{
	const struct entity_kind *k = entity_find("review");
	sqlite3_stmt *stmt;
	json_t *item = NULL;

	if (store_prepare(reg->st, k->select_sql, &stmt, NULL) != 0)
		return NULL;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		item = entity_row_to_json(k, stmt);
	store_stmt_done(stmt);
	return item;
}

static int
role_of(struct reg *reg, const char *user, char *role, size_t size)
{
	static const char sql[] =
	    "SELECT role FROM users WHERE user_id = ? AND status = 'active'";
	sqlite3_stmt *stmt;
	int found = 0;

	if (store_prepare(reg->st, sql, &stmt, NULL) != 0)
		return 0;
	sqlite3_bind_text(stmt, 1, user, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(role, size, "%s", sqlite3_column_text(stmt, 0));
		found = 1;
	}
	store_stmt_done(stmt);
	return found;
}

/* The current version of a record as JSON (caller decrefs), or NULL. */
static json_t *
current_record(struct reg *reg, const char *uuid)
{
	const struct entity_kind *k = entity_find("record");
	sqlite3_stmt *stmt;
	json_t *rec = NULL;

	if (store_prepare(reg->st, k->select_sql, &stmt, NULL) != 0)
		return NULL;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		rec = entity_row_to_json(k, stmt);
	store_stmt_done(stmt);
	return rec;
}

/* Carries out an approval: the change's record is applied as decided. */
static int
carry_out(struct reg *reg, const json_t *item, const char *decision,
    const char *decided_by, const char *reason, char *why, size_t size,
    struct sesshu_err *err)
{
	const char *kind = str(item, "kind");
	json_t *rec = json_loads(str(item, "payload"), 0, NULL), *cur = NULL;
	json_int_t version, current;
	int64_t seq;
	int rc = 0;

	if (rec == NULL || json_object_get(rec, "record_uuid") == NULL) {
		json_decref(rec);
		/* Not a record (a batch, a print): the decision is only noted. */
		return 0;
	}
	version = json_integer_value(json_object_get(rec, "version"));
	cur = current_record(reg, str(rec, "record_uuid"));
	current = cur != NULL ? json_integer_value(json_object_get(cur,
	    "version")) : 0;
	if (strcmp(kind, "duplicate") == 0) {
		/* Kept both; a rejection voids the later record. */
		if (strcmp(decision, "reject") == 0 && cur != NULL &&
		    strcmp(str(cur, "state"), "voided") != 0) {
			json_object_set_new(cur, "version", json_integer(current + 1));
			json_object_set_new(cur, "state", json_string("voided"));
			json_object_set_new(cur, "entered_by", json_string(decided_by));
			json_object_set_new(cur, "change_reason", json_string(reason));
			rc = reg_record_insert_version(reg, cur, &seq, err);
		}
	} else if (strcmp(decision, "approve") == 0) {
		/* The version the change asked for, on top of what is there. */
		if (strcmp(kind, "conflict") == 0 && current != 0) {
			/*
			 * A version made on an older one: applying it would undo
			 * what came between, unchecked. It is keyed again on the
			 * current version instead.
			 */
			snprintf(why, size, "a version conflict is not approved: "
			    "correct the current version (%lld) instead",
			    (long long)current);
			rc = 1;
		} else if (strcmp(kind, "correction") == 0 &&
		    current != version - 1) {
			snprintf(why, size, "the record is at version %lld, not "
			    "%lld the request was based on", (long long)current,
			    (long long)version - 1);
			rc = 1;
		} else {
			json_object_set_new(rec, "version", json_integer(current + 1));
			rc = reg_record_insert_version(reg, rec, &seq, err);
		}
	}
	json_decref(cur);
	json_decref(rec);
	return rc;
}

int
reg_review_decide(struct reg *reg, const char *workstation,
    const json_t *decision, int *refused, char *why, size_t size,
    int64_t *seq, struct sesshu_err *err)
{
	static const char decide_sql[] =
	    "UPDATE review_queue SET decided_by = ?2, decided_at = ?3,"
	    " decision = ?4, decision_reason = ?5 WHERE uuid = ?1"
	    " AND decided_by IS NULL";
	const char *uuid = str(decision, "uuid"), *by = str(decision, "decided_by");
	const char *what = str(decision, "decision");
	const char *reason = str(decision, "decision_reason");
	char role[16], object[64], now[STORE_TIME_LEN];
	json_t *item, *payload = NULL;
	sqlite3_stmt *stmt;
	int rc;

	*refused = 1;
	why[0] = '\0';
	if ((item = stored_item(reg, uuid)) == NULL)
		return snprintf(why, size, "uuid: no such review item"), 0;
	if (json_object_get(item, "decided_by") != NULL)
		snprintf(why, size, "decided already by %.32s",
		    str(item, "decided_by"));
	else if (strcmp(what, "approve") != 0 && strcmp(what, "reject") != 0)
		snprintf(why, size, "decision: approve or reject");
	else if (reason[0] == '\0')
		snprintf(why, size, "decision_reason: a decision needs a reason");
	else if (!role_of(reg, by, role, sizeof(role)))
		snprintf(why, size, "decided_by: %.32s is not an active user", by);
	else if (!core_role_may(role, CORE_PERM_REVIEW))
		snprintf(why, size, "decided_by: the role of %.32s may not review",
		    by);
	else if (strcmp(str(item, "kind"), "rejected") == 0 &&
	    strcmp(what, "approve") == 0)
		snprintf(why, size, "decision: a rejection by the register's "
		    "rules cannot be approved");
	else if ((payload = json_loads(str(item, "payload"), 0, NULL)) != NULL &&
	    (strcmp(str(payload, "entered_by"), by) == 0 ||
	    strcmp(str(payload, "verified_by"), by) == 0))
		/* Nobody decides on their own change. */
		snprintf(why, size, "decided_by: %.32s made this change", by);
	json_decref(payload);
	if (why[0] == '\0' && (rc = carry_out(reg, item, what, by, reason, why,
	    size, err)) != 0) {
		json_decref(item);
		return rc < 0 ? rc : 0;
	}
	json_decref(item);
	if (why[0] != '\0')
		return 0;
	store_now_utc(now, sizeof(now));
	if ((rc = store_prepare(reg->st, decide_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, reason, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "deciding a review item", err)) != 0)
		return rc;
	snprintf(object, sizeof(object), "review:%s", uuid);
	if ((rc = reg_audit(reg, by, workstation, "review.decide", object, what,
	    err)) != 0)
		return rc;
	*refused = 0;
	return reg_note_change(reg, "review", uuid, "upsert", seq, err);
}
