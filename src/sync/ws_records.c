/* ws_records.c: see ws_records.h. */
#include "sync/ws_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/batch.h"
#include "store/batch_store.h"

#include "sync/entity.h"
#include "sync/replicate.h"
#include "sync/wire.h"

static int batch_allows(struct ws_session *, const json_t *,
    struct sesshu_err *);

static int
fill_defaults(struct ws_session *s, json_t *record, struct sesshu_err *err)
{
	char uuid[WIRE_UUID_STRLEN], now[STORE_TIME_LEN];
	int rc;

	if (json_object_get(record, "record_uuid") == NULL) {
		if ((rc = wire_uuid_v4(uuid, err)) != 0)
			return rc;
		json_object_set_new(record, "record_uuid", json_string(uuid));
	}
	if (json_object_get(record, "version") == NULL)
		json_object_set_new(record, "version", json_integer(1));
	if (json_object_get(record, "registered_at") == NULL) {
		store_now_utc(now, sizeof(now));
		json_object_set_new(record, "registered_at", json_string(now));
	}
	if (json_object_get(record, "entered_by") == NULL)
		json_object_set_new(record, "entered_by", json_string(s->user_id));
	if (json_object_get(record, "state") == NULL)
		json_object_set_new(record, "state", json_string("entered"));
	if (json_object_get(record, "registration_kind") == NULL)
		json_object_set_new(record, "registration_kind", json_string("keyed"));
	return 0;
}

int
ws_record_save(struct ws_session *s, json_t *record, char *uuid,
    struct sesshu_err *err)
{
	return ws_record_save_confirmed(s, record, 0, uuid, err);
}

int
ws_record_save_confirmed(struct ws_session *s, json_t *record,
    int duplicate_confirmed, char *uuid, struct sesshu_err *err)
{
	const struct entity_kind *k = entity_find("record");
	char object[64];
	json_t *change;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = fill_defaults(s, record, err)) != 0 ||
	    (rc = entity_check(k, record, "record", err)) != 0 ||
	    (rc = batch_allows(s, record, err)) != 0)
		return rc;
	if ((change = json_pack("{s:O}", "record", record)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	if (duplicate_confirmed)
		json_object_set_new(change, "duplicate_confirmed", json_true());
	snprintf(object, sizeof(object), "person:%s",
	    json_string_value(json_object_get(record, "atena_no")));
	if ((rc = store_begin(s->st, err)) != 0)
		goto out;
	if ((rc = store_prepare(s->st, k->insert_sql, &stmt, err)) == 0) {
		entity_bind(k, stmt, record);
		rc = sqlite3_step(stmt);
		store_stmt_done(stmt);
		rc = store_check(s->st, rc, "saving a record", err);
	}
	if (rc == 0)
		rc = ws_outbox_add(s->st, "record", change, err);
	if (rc == 0)
		rc = ws_audit(s, "record.save", object, duplicate_confirmed ?
		    "ok: duplicate confirmed" : "ok", err);
	if (rc == 0)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
	if (rc == 0 && uuid != NULL)
		snprintf(uuid, WIRE_UUID_STRLEN, "%s",
		    json_string_value(json_object_get(record, "record_uuid")));
out:
	json_decref(change);
	return rc;
}

/* The current version of a record as the JSON of the "record" kind. */
static int
current_json(struct ws_session *s, const char *uuid, json_t **out,
    struct sesshu_err *err)
{
	const struct entity_kind *k = entity_find("record");
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	if ((rc = store_prepare(s->st, k->select_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*out = entity_row_to_json(k, stmt);
		rc = *out != NULL ? SQLITE_DONE : SQLITE_NOMEM;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(s->st, rc, "reading a record", err)) != 0)
		return rc;
	return *out != NULL ? 0 : sesshu_err_set(err, SESSHU_ENOTFOUND,
	    "record %s: no such record", uuid);
}

static const char *
member_str(const json_t *obj, const char *name)
{
	const char *v = json_string_value(json_object_get(obj, name));

	return v != NULL ? v : "";
}

/* A new sheet goes into a batch that is not closed. */
static int
batch_allows(struct ws_session *s, const json_t *rec, struct sesshu_err *err)
{
	const char *batch = member_str(rec, "batch_id");
	enum core_batch_state st;
	int rc;

	if (batch[0] == '\0')
		return 0;
	if ((rc = store_batch_state(s->st, batch, &st, NULL, err)) != 0)
		return rc;
	if (!core_batch_accepts_sheets(st))
		return sesshu_err_set(err, SESSHU_EDENIED, "batch %s is closed: "
		    "its sheets no longer change", batch);
	return 0;
}

static int
is_pending(struct ws_session *s, const char *uuid)
{
	static const char sql[] =
	    "SELECT 1 FROM pending_requests WHERE record_uuid = ?1";
	sqlite3_stmt *stmt;
	int found = 0;

	if (store_prepare(s->st, sql, &stmt, NULL) != 0)
		return 0;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	found = sqlite3_step(stmt) == SQLITE_ROW;
	store_stmt_done(stmt);
	return found;
}

/* A request waits for approval: the history marks the record until then. */
static int
note_pending(struct ws_session *s, const char *uuid, const char *what,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO pending_requests (record_uuid, what,"
	    " requested_by, requested_at) VALUES (?1, ?2, ?3, ?4)";
	char now[STORE_TIME_LEN];
	sqlite3_stmt *stmt;
	int rc;

	store_now_utc(now, sizeof(now));
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, s->user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	return store_check(s->st, rc, "noting a request", err);
}

/*
 * Builds version n+1 and either writes it (request 0) or sends it to the
 * register as a correction request for a supervisor (request 1), leaving
 * the record as it is until the approved version comes back by pull.
 */
static int
revise(struct ws_session *s, const char *record_uuid, enum ws_revision what,
    const json_t *changes, const char *reason, int request,
    struct sesshu_err *err)
{
	static const char *const actions[] = {
		[WS_REVISE_VERIFY] = "record.verify",
		[WS_REVISE_CORRECT] = "record.correct",
		[WS_REVISE_VOID] = "record.void",
	};
	static const char retire_sql[] =
	    "UPDATE vaccination_records SET is_current = 0 WHERE record_uuid = ?1";
	const struct entity_kind *k = entity_find("record");
	char object[64], refusal[128] = "";
	json_t *rec = NULL, *change = NULL;
	json_int_t base;
	const char *key;
	json_t *value;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = current_json(s, record_uuid, &rec, err)) != 0)
		return rc;
	snprintf(object, sizeof(object), "person:%s",
	    member_str(rec, "atena_no"));
	if (strcmp(member_str(rec, "state"), "voided") == 0)
		snprintf(refusal, sizeof(refusal), "record %s is voided",
		    record_uuid);
	else if (what != WS_REVISE_VERIFY && is_pending(s, record_uuid))
		snprintf(refusal, sizeof(refusal), "a change of record %s waits "
		    "for a supervisor's approval", record_uuid);
	else if (what == WS_REVISE_VERIFY &&
	    strcmp(member_str(rec, "entered_by"), s->user_id) == 0)
		/* 004 L197: never verified by the person who entered it. */
		snprintf(refusal, sizeof(refusal), "you entered record %s: "
		    "another user verifies it", record_uuid);
	else if (what == WS_REVISE_VERIFY &&
	    strcmp(member_str(rec, "state"), "verified") == 0)
		snprintf(refusal, sizeof(refusal), "record %s is verified "
		    "already", record_uuid);
	else if (changes != NULL && (json_object_get(changes, "batch_id") != NULL ||
	    json_object_get(changes, "record_uuid") != NULL ||
	    json_object_get(changes, "atena_no") != NULL))
		/* A sheet stays the same person's, in the same batch. */
		snprintf(refusal, sizeof(refusal), "a new version cannot change "
		    "the record's person, batch or identity");
	else if (what != WS_REVISE_VERIFY && (reason == NULL || reason[0] == '\0'))
		snprintf(refusal, sizeof(refusal), "a correction or void needs "
		    "a reason");
	if (refusal[0] != '\0') {
		ws_audit(s, actions[what], object, "refused", NULL);
		json_decref(rec);
		sesshu_err_set(err, SESSHU_EDENIED, "%s", refusal);
		/* The two a user meets, named for the interface's language. */
		if (strncmp(refusal, "you entered", 11) == 0)
			sesshu_err_because(err, SESSHU_WHY_OWN_CHANGE, NULL);
		else if (strstr(refusal, "needs a reason") != NULL)
			sesshu_err_because(err, SESSHU_WHY_NEEDS_REASON, NULL);
		return SESSHU_EDENIED;
	}
	base = json_integer_value(json_object_get(rec, "version"));
	if (changes != NULL)
		json_object_foreach((json_t *)changes, key, value) {
			if (json_is_null(value))
				json_object_del(rec, key);
			else
				json_object_set(rec, key, value);
		}
	json_object_set_new(rec, "version", json_integer(base + 1));
	if (what == WS_REVISE_VERIFY) {
		json_object_set_new(rec, "state", json_string("verified"));
		json_object_set_new(rec, "verified_by", json_string(s->user_id));
	} else if (what == WS_REVISE_VOID) {
		/* Each version names its author: here, who voided it. */
		json_object_set_new(rec, "state", json_string("voided"));
		json_object_set_new(rec, "entered_by", json_string(s->user_id));
	} else {
		/*
		 * A corrected record is verified again, by someone other
		 * than whoever keyed this correction (004 L197).
		 */
		json_object_set_new(rec, "state", json_string("entered"));
		json_object_set_new(rec, "entered_by", json_string(s->user_id));
		json_object_del(rec, "verified_by");
	}
	if (reason != NULL && reason[0] != '\0')
		json_object_set_new(rec, "change_reason", json_string(reason));
	if ((rc = entity_check(k, rec, "record", err)) != 0)
		goto out;
	if ((change = json_pack("{s:O, s:I}", request ? "correction" : "record",
	    rec, "base_version", base)) == NULL) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = store_begin(s->st, err)) != 0)
		goto out;
	if (!request && (rc = store_run_text(s->st, retire_sql, record_uuid, NULL,
	    "retiring a record version", err)) == 0 &&
	    (rc = store_prepare(s->st, k->insert_sql, &stmt, err)) == 0) {
		entity_bind(k, stmt, rec);
		rc = store_check(s->st, sqlite3_step(stmt), "saving a record "
		    "version", err);
		store_stmt_done(stmt);
	}
	if (rc == 0 && request)
		rc = note_pending(s, record_uuid, actions[what], err);
	if (rc == 0)
		rc = ws_outbox_add(s->st, request ? "correction" : "record", change,
		    err);
	if (rc == 0)
		rc = ws_audit(s, actions[what], object, request ?
		    "requested: supervisor approval" : "ok", err);
	if (rc == 0)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
out:
	json_decref(change);
	json_decref(rec);
	return rc;
}

int
ws_draft_save(struct ws_session *s, const char *slot, const json_t *payload,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO drafts (user_id, slot, saved_at, payload)"
	    " VALUES (?1, ?2, ?3, ?4)";
	char now[STORE_TIME_LEN], *text;
	sqlite3_stmt *stmt;
	int rc;

	if ((text = json_dumps(payload, JSON_COMPACT)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	store_now_utc(now, sizeof(now));
	if ((rc = store_prepare(s->st, sql, &stmt, err)) == 0) {
		sqlite3_bind_text(stmt, 1, s->user_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, slot, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, text, -1, SQLITE_STATIC);
		rc = store_check(s->st, sqlite3_step(stmt), "saving a draft", err);
		store_stmt_done(stmt);
	}
	/* The sheet is personal data: no copy outlives the statement. */
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	return rc;
}

int
ws_draft_load(struct ws_session *s, const char *slot, json_t **payload,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT payload FROM drafts WHERE user_id = ?1 AND slot = ?2";
	json_error_t jerr;
	sqlite3_stmt *stmt;
	int rc;

	*payload = NULL;
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, s->user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, slot, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*payload = json_loads((const char *)sqlite3_column_text(stmt, 0),
		    0, &jerr);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(s->st, rc, "reading a draft", err);
}

int
ws_draft_discard(struct ws_session *s, const char *slot, struct sesshu_err *err)
{
	static const char sql[] =
	    "DELETE FROM drafts WHERE user_id = ?1 AND slot = ?2";

	return store_run_text(s->st, sql, s->user_id, slot, "discarding a draft",
	    err);
}

int
ws_record_revise(struct ws_session *s, const char *record_uuid,
    enum ws_revision what, const json_t *changes, const char *reason,
    struct sesshu_err *err)
{
	return revise(s, record_uuid, what, changes, reason, 0, err);
}

int
ws_record_request(struct ws_session *s, const char *record_uuid,
    enum ws_revision what, const json_t *changes, const char *reason,
    struct sesshu_err *err)
{
	if (what == WS_REVISE_VERIFY)
		return sesshu_err_set(err, SESSHU_EINVAL, "a verification needs "
		    "no approval");
	return revise(s, record_uuid, what, changes, reason, 1, err);
}

int
ws_record_needs_approval(struct ws_session *s, const char *record_uuid,
    enum ws_approval setting)
{
	/* Still in the outbox: the register has not acknowledged it yet. */
	static const char sql[] =
	    "SELECT 1 FROM outbox WHERE kind = 'record' AND last_error IS NULL"
	    " AND instr(payload, ?1) > 0 LIMIT 1";
	sqlite3_stmt *stmt;
	int unsent = 0;

	if (setting == WS_APPROVAL_NEVER)
		return 0;
	if (setting == WS_APPROVAL_ALWAYS)
		return 1;
	if (store_prepare(s->st, sql, &stmt, NULL) != 0)
		return 1;	/* cannot tell: ask for approval */
	sqlite3_bind_text(stmt, 1, record_uuid, -1, SQLITE_STATIC);
	unsent = sqlite3_step(stmt) == SQLITE_ROW;
	store_stmt_done(stmt);
	return !unsent;
}
