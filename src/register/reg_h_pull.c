/*
 * reg_h_pull.c: the pull endpoint: the current state of every entity
 * changed after the client's cursor, in sequence order, a page at a time
 * (docs/PROTOCOL.md, pull). Reads only; the client stores the page and its
 * cursor in one transaction.
 */
#include <stdint.h>
#include <string.h>

#include "register/reg_service.h"
#include "sync/entity.h"
#include "sync/wire.h"

static const struct wire_field pull_fields[] = {
	{ "municipality", WIRE_STRING, WIRE_REQUIRED, 6 },
	{ "since", WIRE_INTEGER, WIRE_REQUIRED, 0 },
	{ "limit", WIRE_INTEGER, WIRE_OPTIONAL, 0 },
	WIRE_FIELDS_END
};

/* The entity's current row as JSON, or NULL if it is gone. */
static int
entity_data(struct reg *reg, const struct entity_kind *k, const char *key,
    json_t **data, struct sesshu_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	*data = NULL;
	if ((rc = store_prepare(reg->st, k->select_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*data = entity_row_to_json(k, stmt);
		rc = *data != NULL ? SQLITE_DONE : SQLITE_NOMEM;
	}
	store_stmt_done(stmt);
	return store_check(reg->st, rc, "reading a changed entity", err);
}

static int
collect(struct reg *reg, json_int_t since, json_int_t limit, json_t *out,
    json_int_t *next, int *more, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT seq, kind, key, op FROM changes WHERE seq > ? ORDER BY seq"
	    " LIMIT ?";
	sqlite3_stmt *stmt;
	json_int_t n = 0;
	int rc;

	*next = since;
	*more = 0;
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_int64(stmt, 1, since);
	sqlite3_bind_int64(stmt, 2, limit + 1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 1);
		const char *key = (const char *)sqlite3_column_text(stmt, 2);
		const char *op = (const char *)sqlite3_column_text(stmt, 3);
		const struct entity_kind *k = entity_find(kind);
		json_int_t seq = sqlite3_column_int64(stmt, 0);
		json_t *change, *data = NULL;

		if (n == limit) {
			*more = 1;
			break;
		}
		if (k == NULL)
			continue;	/* a kind this version does not send */
		if (strcmp(op, "upsert") == 0) {
			if ((rc = entity_data(reg, k, key, &data, err)) != 0)
				break;
			if (data == NULL)
				op = "delete";
		}
		change = json_pack("{s:I, s:s, s:s, s:s}", "seq", seq, "kind", kind,
		    "key", key, "op", op);
		if (change == NULL || (data != NULL &&
		    json_object_set_new(change, "data", data) != 0) ||
		    json_array_append_new(out, change) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		*next = seq;
		n++;
	}
	store_stmt_done(stmt);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return rc > 0 ? store_check(reg->st, rc, "reading changes", err) : rc;
}

/* The last sequence number given out: the newest change row's. */
static int
last_seq(struct reg *reg, json_int_t *seq, struct sesshu_err *err)
{
	static const char sql[] = "SELECT coalesce(max(seq), 0) FROM changes";
	sqlite3_stmt *stmt;
	int rc;

	*seq = 0;
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*seq = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(reg->st, rc, "reading the last change", err);
}

int
reg_handle_pull(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	struct reg_service *svc = ctx;
	struct sesshu_err err = { 0 };
	json_int_t since, limit = REG_PULL_MAX_CHANGES, next = 0, last = 0;
	json_t *changes;
	int more = 0;

	if (reg_refuse_workstation(svc, peer, 1, resp))
		return 0;
	if (wire_check_object(body, pull_fields, NULL, &err) != 0 ||
	    wire_get_int(body, NULL, "since", 0, INT64_MAX, &since, &err) != 0 ||
	    (json_object_get(body, "limit") != NULL &&
	    wire_get_int(body, NULL, "limit", 1, REG_PULL_MAX_CHANGES, &limit,
	    &err) != 0))
		return reg_response_error(resp, 400, "bad_request", "%s", err.msg);
	if ((changes = json_array()) == NULL)
		return reg_response_error(resp, 500, "internal", "out of memory");
	/* One read transaction: the page is a consistent snapshot. */
	if (store_exec(svc->reg->st, "BEGIN", &err) != 0 ||
	    last_seq(svc->reg, &last, &err) != 0 ||
	    (since <= last && collect(svc->reg, since, limit, changes, &next,
	    &more, &err) != 0)) {
		store_rollback(svc->reg->st);
		json_decref(changes);
		return reg_response_error(resp, 500, "internal", "%s", err.msg);
	}
	store_rollback(svc->reg->st);
	/*
	 * A cursor beyond the register's last change means the register went
	 * back in time (restored from a backup): the workstation must pull
	 * everything again rather than miss what gets the reused numbers.
	 */
	if (since > last) {
		json_decref(changes);
		return reg_response_error(resp, 409, "cursor_ahead", "this "
		    "workstation has seen change %lld but the register's last is "
		    "%lld (restored from a backup?): pull again from 0",
		    (long long)since, (long long)last);
	}
	resp->status = 200;
	resp->body = json_pack("{s:o, s:I, s:b}", "changes", changes, "next", next,
	    "more", more);
	return 0;
}
