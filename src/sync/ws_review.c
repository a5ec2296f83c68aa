/* ws_review.c: the review queue on a workstation; see ws_review.h. */
#include "sync/ws_review.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/permission.h"
#include "sync/entity.h"
#include "sync/replicate.h"

static void
text(char *dst, size_t size, sqlite3_stmt *stmt, int col)
{
	const unsigned char *v = sqlite3_column_text(stmt, col);

	snprintf(dst, size, "%s", v != NULL ? (const char *)v : "");
}

int
ws_review_list(struct ws_session *s, struct ws_review_item *out, size_t max,
    size_t *n, struct sesshu_err *err)
{
	/*
	 * Undecided, and no decision of this workstation on its way: one the
	 * register refused (parked in the outbox) shows the item again.
	 */
	static const char sql[] =
	    "SELECT uuid, kind, change_kind, workstation_id, created_at, reason,"
	    " payload FROM review_queue q WHERE decided_by IS NULL"
	    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'review'"
	    "  AND o.last_error IS NULL AND instr(o.payload, q.uuid) > 0)"
	    " ORDER BY created_at";
	sqlite3_stmt *stmt;
	int rc;

	*n = 0;
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max) {
		struct ws_review_item *it = &out[(*n)++];

		text(it->uuid, sizeof(it->uuid), stmt, 0);
		text(it->kind, sizeof(it->kind), stmt, 1);
		text(it->change_kind, sizeof(it->change_kind), stmt, 2);
		text(it->workstation, sizeof(it->workstation), stmt, 3);
		text(it->created_at, sizeof(it->created_at), stmt, 4);
		text(it->reason, sizeof(it->reason), stmt, 5);
		it->payload = json_loads((const char *)sqlite3_column_text(stmt, 6),
		    0, NULL);
		if (it->payload == NULL)
			it->payload = json_object();
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	store_stmt_done(stmt);
	return store_check(s->st, rc, "listing the review queue", err);
}

void
ws_review_free(struct ws_review_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_decref(items[i].payload);
		OPENSSL_cleanse(&items[i], sizeof(items[i]));
	}
}

static const char *
member(const json_t *obj, const char *name)
{
	const char *v = json_string_value(json_object_get(obj, name));

	return v != NULL ? v : "";
}

int
ws_review_decide(struct ws_session *s, const char *uuid, int approve,
    const char *reason, struct sesshu_err *err)
{
	const struct entity_kind *k = entity_find("review");
	char object[64], now[STORE_TIME_LEN], refusal[160] = "";
	enum sesshu_why why = SESSHU_WHY_NONE;
	json_t *row = NULL, *payload = NULL, *change = NULL;
	sqlite3_stmt *stmt;
	int rc;

	snprintf(object, sizeof(object), "review:%s", uuid);
	if ((rc = store_prepare(s->st, k->select_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		row = entity_row_to_json(k, stmt);
	store_stmt_done(stmt);
	if (row == NULL)
		return sesshu_err_set(err, SESSHU_ENOTFOUND, "review item %s: not "
		    "in this workstation's cache", uuid);
	payload = json_loads(member(row, "payload"), 0, NULL);
	if (!core_role_may(s->role, CORE_PERM_REVIEW)) {
		snprintf(refusal, sizeof(refusal), "the role %s may not review",
		    s->role);
		why = SESSHU_WHY_ROLE;
	} else if (json_object_get(row, "decided_by") != NULL) {
		snprintf(refusal, sizeof(refusal), "decided already");
		why = SESSHU_WHY_DECIDED;
	} else if (payload != NULL && (strcmp(member(payload, "entered_by"),
	    s->user_id) == 0 || strcmp(member(payload, "verified_by"),
	    s->user_id) == 0)) {
		snprintf(refusal, sizeof(refusal), "you made this change: another "
		    "supervisor decides it");
		why = SESSHU_WHY_OWN_CHANGE;
	} else if (reason == NULL || reason[0] == '\0') {
		snprintf(refusal, sizeof(refusal), "a decision needs a reason");
		why = SESSHU_WHY_NEEDS_REASON;
	} else if (approve && strcmp(member(row, "kind"), "rejected") == 0) {
		snprintf(refusal, sizeof(refusal), "a rejection by the register's "
		    "rules cannot be approved");
		why = SESSHU_WHY_NOT_APPROVABLE;
	}
	json_decref(payload);
	if (refusal[0] != '\0') {
		ws_audit(s, "review.decide", object, "refused", NULL);
		json_decref(row);
		sesshu_err_set(err, SESSHU_EDENIED, "%s", refusal);
		sesshu_err_because(err, why, s->role);
		return SESSHU_EDENIED;
	}
	store_now_utc(now, sizeof(now));
	json_object_set_new(row, "decided_by", json_string(s->user_id));
	json_object_set_new(row, "decided_at", json_string(now));
	json_object_set_new(row, "decision", json_string(approve ? "approve" :
	    "reject"));
	json_object_set_new(row, "decision_reason", json_string(reason));
	if ((change = json_pack("{s:O}", "review", row)) == NULL) {
		json_decref(row);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	}
	/*
	 * The item itself stays undecided here until the register's decided
	 * row comes back by pull: a refused decision leaves it to decide.
	 */
	if ((rc = store_begin(s->st, err)) == 0) {
		if ((rc = ws_outbox_add(s->st, "review", change, err)) == 0 &&
		    (rc = ws_audit(s, "review.decide", object, approve ?
		    "ok: approve" : "ok: reject", err)) == 0)
			rc = store_commit(s->st, err);
		else
			store_rollback(s->st);
	}
	json_decref(change);
	json_decref(row);
	return rc;
}
