/*
 * replicate.c: push and pull on the workstation; see replicate.h.
 *
 * Push before pull: the register then already holds this workstation's
 * changes when their effects come back, so a pulled record never rolls
 * back a local version still waiting in the outbox.
 */
#include "sync/replicate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/keyslot.h"
#include "sync/entity.h"
#include "sync/failpoint.h"
#include "sync/wire.h"

int
ws_outbox_add(struct store *st, const char *kind, const json_t *change,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "INSERT INTO outbox (uuid, kind, payload, created_at) VALUES (?, ?, ?, ?)";
	char uuid[WIRE_UUID_STRLEN], now[STORE_TIME_LEN], *payload;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = wire_uuid_v4(uuid, err)) != 0)
		return rc;
	if ((payload = json_dumps(change, JSON_COMPACT)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	store_now_utc(now, sizeof(now));
	if ((rc = store_prepare(st, sql, &stmt, err)) == 0) {
		sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, payload, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, now, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		store_stmt_done(stmt);
		rc = store_check(st, rc, "adding to the outbox", err);
	}
	free(payload);
	return rc;
}

int
ws_outbox_pending(struct store *st, long *count, struct sesshu_err *err)
{
	return ws_outbox_count(st, 0, count, err);
}

int
ws_outbox_count(struct store *st, int refused, long *count,
    struct sesshu_err *err)
{
	static const char pending_sql[] =
	    "SELECT count(*) FROM outbox WHERE last_error IS NULL";
	static const char refused_sql[] =
	    "SELECT count(*) FROM outbox WHERE last_error IS NOT NULL";
	sqlite3_stmt *stmt;
	int rc;

	*count = 0;
	if ((rc = store_prepare(st, refused ? refused_sql : pending_sql, &stmt,
	    err)) != 0)
		return rc;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*count = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(st, rc, "counting the outbox", err);
}

static int
set_state(struct store *st, const char *key, const char *value,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)";

	return store_run_text(st, sql, key, value, "writing the sync state", err);
}

static long long
get_state_int(struct store *st, const char *key)
{
	static const char sql[] = "SELECT value FROM sync_state WHERE key = ?";
	sqlite3_stmt *stmt;
	long long v = 0;

	if (store_prepare(st, sql, &stmt, NULL) != 0)
		return 0;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	store_stmt_done(stmt);
	return v;
}

/* Reads up to WS_PUSH_BATCH waiting entries into a push body. */
static int
build_push(struct ws_session *s, json_t **body, size_t *n, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT uuid, kind, payload FROM outbox WHERE last_error IS NULL"
	    " ORDER BY id LIMIT ?";
	json_t *changes = json_array();
	sqlite3_stmt *stmt;
	int rc;

	*n = 0;
	*body = NULL;
	if (changes == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0) {
		json_decref(changes);
		return rc;
	}
	sqlite3_bind_int(stmt, 1, WS_PUSH_BATCH);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *c = json_loads((const char *)sqlite3_column_text(stmt, 2), 0,
		    NULL);

		if (c == NULL || !json_is_object(c)) {
			json_decref(c);
			rc = SQLITE_CORRUPT;
			break;
		}
		json_object_set_new(c, "uuid",
		    json_string((const char *)sqlite3_column_text(stmt, 0)));
		json_object_set_new(c, "kind",
		    json_string((const char *)sqlite3_column_text(stmt, 1)));
		json_array_append_new(changes, c);
		(*n)++;
	}
	store_stmt_done(stmt);
	if (rc == SQLITE_CORRUPT) {
		json_decref(changes);
		return sesshu_err_set(err, SESSHU_ECORRUPT, "an outbox entry is not "
		    "valid JSON");
	}
	if ((rc = store_check(s->st, rc, "reading the outbox", err)) != 0) {
		json_decref(changes);
		return rc;
	}
	*body = json_pack("{s:s, s:o}", "municipality", s->cfg.municipality,
	    "changes", changes);
	return *body != NULL ? 0 : sesshu_err_set(err, SESSHU_ENOMEM,
	    "out of memory");
}

/* Settles the outbox from the register's results, in one transaction. */
static int
settle(struct ws_session *s, const json_t *results, struct ws_sync_counts *c,
    struct sesshu_err *err)
{
	static const char done_sql[] = "DELETE FROM outbox WHERE uuid = ?";
	static const char park_sql[] =
	    "UPDATE outbox SET last_error = ?, attempts = attempts + 1 WHERE uuid = ?";
	char note[512];
	size_t i;
	json_t *r;
	int rc;

	if ((rc = store_begin(s->st, err)) != 0)
		return rc;
	json_array_foreach(results, i, r) {
		const char *uuid = json_string_value(json_object_get(r, "uuid"));
		const char *status = json_string_value(json_object_get(r, "status"));
		const char *message = json_string_value(json_object_get(r, "message"));
		sqlite3_stmt *stmt;
		int park;

		if (uuid == NULL || status == NULL) {
			rc = sesshu_err_set(err, SESSHU_EFORMAT, "results[%zu]: no uuid "
			    "or status in the register's answer", i);
			break;
		}
		park = strcmp(status, "conflict") == 0 || strcmp(status, "rejected") == 0;
		/*
		 * Sent again after a crash: the register answers "duplicate"
		 * with the first answer, which may have been a refusal.
		 */
		if (strcmp(status, "duplicate") == 0) {
			const char *first = json_string_value(json_object_get(r,
			    "earlier_status"));

			if (first != NULL && (strcmp(first, "conflict") == 0 ||
			    strcmp(first, "rejected") == 0)) {
				park = 1;
				status = first;
			}
		}
		if (!park && strcmp(status, "applied") != 0 &&
		    strcmp(status, "duplicate") != 0) {
			rc = sesshu_err_set(err, SESSHU_EFORMAT, "results[%zu]: unknown "
			    "status", i);
			break;
		}
		if ((rc = store_prepare(s->st, park ? park_sql : done_sql, &stmt,
		    err)) != 0)
			break;
		if (park) {
			snprintf(note, sizeof(note), "%s: %s", status,
			    message != NULL ? message : "");
			sqlite3_bind_text(stmt, 1, note, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 2, uuid, -1, SQLITE_STATIC);
			if (status[0] == 'c')
				c->conflicts++;
			else
				c->rejected++;
		} else {
			sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
			c->acknowledged++;
		}
		rc = sqlite3_step(stmt);
		store_stmt_done(stmt);
		if ((rc = store_check(s->st, rc, "settling the outbox", err)) != 0)
			break;
	}
	if (rc == 0)
		return store_commit(s->st, err);
	store_rollback(s->st);
	return rc;
}

int
ws_push(struct ws_session *s, struct ws_sync_counts *c, struct sesshu_err *err)
{
	struct sync_http *http;
	json_t *body, *resp;
	long status;
	size_t n;
	int rc;

	if ((rc = ws_session_http(s, &http, err)) != 0)
		return rc;
	for (;;) {
		if ((rc = build_push(s, &body, &n, err)) != 0)
			return rc;
		if (n == 0) {
			json_decref(body);
			return 0;
		}
		rc = sync_http_post(http, "/v1/push", body, &status, &resp, err);
		json_decref(body);
		if (rc != 0)
			return rc;
		if ((rc = sync_http_error(status, resp, err)) != 0) {
			json_decref(resp);
			return rc;
		}
		c->pushed += (long)n;
		failpoint_hit("client.push.before-ack");
		rc = settle(s, json_object_get(resp, "results"), c, err);
		json_decref(resp);
		if (rc != 0)
			return rc;
	}
}

/* The cached user's password_changed_at, to see a change made elsewhere. */
static void
cached_password_time(struct store *st, const char *user_id, char *out,
    size_t size)
{
	static const char sql[] =
	    "SELECT coalesce(password_changed_at, '') FROM users WHERE user_id = ?";
	sqlite3_stmt *stmt;

	out[0] = '\0';
	if (store_prepare(st, sql, &stmt, NULL) != 0)
		return;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		snprintf(out, size, "%s", sqlite3_column_text(stmt, 0));
	store_stmt_done(stmt);
}

static int
forget_prints(struct store *st, const char *user_id, struct sesshu_err *err)
{
	static const char sql[] = "DELETE FROM fingerprints WHERE user_id = ?";
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	return store_check(st, rc, "forgetting a user's prints", err);
}

/*
 * Applies one pulled change. A user who is no longer active, or whose
 * password changed since this cache last heard, is appended to drop_slots.
 */
/* The record a decided review item was about is no longer pending. */
static int
settle_review(struct ws_session *s, const json_t *item, struct sesshu_err *err)
{
	static const char sql[] =
	    "DELETE FROM pending_requests WHERE record_uuid = ?1";
	json_t *payload = json_loads(json_string_value(json_object_get(item,
	    "payload")), 0, NULL);
	const char *uuid = json_string_value(json_object_get(payload,
	    "record_uuid"));
	int rc = 0;

	if (uuid != NULL)
		rc = store_run_text(s->st, sql, uuid, NULL, "settling a request",
		    err);
	json_decref(payload);
	return rc;
}

static int
apply_change(struct ws_session *s, const json_t *ch, const char *path,
    json_t *drop_slots, struct sesshu_err *err)
{
	static const char forget_record_sql[] =
	    "DELETE FROM vaccination_records WHERE record_uuid = ?";
	static const char settle_request_sql[] =
	    "DELETE FROM pending_requests WHERE record_uuid = ?1";
	const char *kind = json_string_value(json_object_get(ch, "kind"));
	const char *key = json_string_value(json_object_get(ch, "key"));
	const char *op = json_string_value(json_object_get(ch, "op"));
	const json_t *data = json_object_get(ch, "data");
	const struct entity_kind *k;
	char sub[WIRE_PATH_MAX], before[STORE_TIME_LEN + 8];
	sqlite3_stmt *stmt;
	int rc;

	if (kind == NULL || key == NULL || op == NULL)
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: the register sent a "
		    "change without kind, key or op", path);
	if ((k = entity_find(kind)) == NULL)
		return 0;	/* a kind this version does not keep */
	if (strcmp(kind, "user") == 0)
		cached_password_time(s->st, key, before, sizeof(before));
	if (strcmp(op, "delete") == 0 || strcmp(kind, "record") == 0) {
		/* The cache keeps a record's current version only. */
		if ((rc = store_prepare(s->st, strcmp(kind, "record") == 0 ?
		    forget_record_sql : k->delete_sql, &stmt, err)) != 0)
			return rc;
		sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		store_stmt_done(stmt);
		if ((rc = store_check(s->st, rc, k->table, err)) != 0)
			return rc;
		/* A new version from the register settles a pending request. */
		if (strcmp(kind, "record") == 0 && (rc = store_run_text(s->st,
		    settle_request_sql, key, NULL, "settling a request", err)) != 0)
			return rc;
		if (strcmp(op, "delete") == 0) {
			if (strcmp(kind, "user") == 0)
				json_array_append_new(drop_slots, json_string(key));
			return 0;
		}
	} else if (strcmp(op, "upsert") != 0)
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s.op: unknown", path);

	wire_path_member(sub, sizeof(sub), path, "data");
	if (data == NULL)
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: required", sub);
	if ((rc = entity_check(k, data, sub, err)) != 0)
		return rc;
	if (strcmp(json_string_value(json_object_get(data, k->key)), key) != 0)
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: the key does not "
		    "match the data", path);
	if ((rc = entity_upsert(s->st, k, data, err)) != 0)
		return rc;
	/* A decided correction request no longer waits (either way). */
	if (strcmp(kind, "review") == 0 &&
	    json_object_get(data, "decided_by") != NULL &&
	    (rc = settle_review(s, data, err)) != 0)
		return rc;
	if (strcmp(kind, "user") == 0) {
		const char *status = json_string_value(json_object_get(data, "status"));
		const char *pw = json_string_value(json_object_get(data,
		    "password_changed_at"));

		if (strcmp(status, "active") != 0 ||
		    (before[0] != '\0' && pw != NULL && strcmp(before, pw) != 0))
			json_array_append_new(drop_slots, json_string(key));
		/* A user who may no longer work leaves no biometric data here (C10). */
		if (strcmp(status, "active") != 0)
			return forget_prints(s->st, key, err);
	}
	return 0;
}

/*
 * Removes the key slots of users who may no longer log in here, after the
 * page that said so has committed (C10: purged on revocation).
 */
static int
drop_slots(struct ws_session *s, json_t *users, struct ws_sync_counts *c,
    struct sesshu_err *err)
{
	struct keyslot_file *f = NULL;
	char path[4096], object[64];
	size_t i, removed = 0;
	json_t *u;
	int rc;

	if (json_array_size(users) == 0)
		return 0;
	ws_state_path(path, sizeof(path), s->state_dir, WS_KEYSLOT_FILE);
	if ((rc = keyslot_file_load(&f, path, err)) != 0)
		return rc == SESSHU_ENOTFOUND ? 0 : rc;
	json_array_foreach(users, i, u) {
		const char *id = json_string_value(u);

		if (!keyslot_has_user(f, id) || keyslot_remove(f, id, err) != 0)
			continue;
		removed++;
		snprintf(object, sizeof(object), "user:%s", id);
		(void)ws_audit(s, "keyslot.remove", object,
		    "ok: disabled, revoked or password changed at the register", NULL);
	}
	if (removed > 0)
		rc = keyslot_file_save(f, path, err);
	keyslot_file_free(f);
	c->slots_removed += (long)removed;
	return rc;
}

static int
apply_page(struct ws_session *s, const json_t *resp, long long since,
    long long *next, int *more, struct ws_sync_counts *c, json_t *drop,
    struct sesshu_err *err)
{
	const json_t *changes = json_object_get(resp, "changes");
	char path[WIRE_PATH_MAX], cursor[32], now[STORE_TIME_LEN];
	size_t i;
	json_t *ch;
	int rc;

	if (!json_is_array(changes) || !json_is_integer(json_object_get(resp, "next")))
		return sesshu_err_set(err, SESSHU_EFORMAT, "the register's pull answer "
		    "lacks changes or next");
	*next = json_integer_value(json_object_get(resp, "next"));
	*more = json_is_true(json_object_get(resp, "more"));
	if (*next < since)
		return sesshu_err_set(err, SESSHU_EFORMAT, "the register's cursor went "
		    "backwards (%lld after %lld)", *next, since);
	if ((rc = store_begin(s->st, err)) != 0)
		return rc;
	json_array_foreach(changes, i, ch) {
		wire_path_index(path, sizeof(path), "changes", i);
		if ((rc = apply_change(s, ch, path, drop, err)) != 0)
			break;
	}
	snprintf(cursor, sizeof(cursor), "%lld", *next);
	store_now_utc(now, sizeof(now));
	if (rc == 0 && (rc = set_state(s->st, "pull_cursor", cursor, err)) == 0 &&
	    (rc = set_state(s->st, "last_contact", now, err)) == 0 &&
	    (rc = store_commit(s->st, err)) == 0) {
		c->pulled += (long)json_array_size(changes);
		return 0;
	}
	store_rollback(s->st);
	return rc;
}

static int
is_error(const json_t *resp, const char *error)
{
	const char *e = json_string_value(json_object_get(resp, "error"));

	return e != NULL && strcmp(e, error) == 0;
}

int
ws_pull(struct ws_session *s, struct ws_sync_counts *c, struct sesshu_err *err)
{
	struct sync_http *http;
	json_t *req, *resp, *drop;
	long long since = 0, next = 0;
	long status;
	int rc, more = 1;

	if ((rc = ws_session_http(s, &http, err)) != 0)
		return rc;
	if ((drop = json_array()) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	since = get_state_int(s->st, "pull_cursor");
	while (rc == 0 && more) {
		req = json_pack("{s:s, s:I, s:i}", "municipality", s->cfg.municipality,
		    "since", (json_int_t)since, "limit", WS_PULL_PAGE);
		if (req == NULL) {
			rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
			break;
		}
		rc = sync_http_post(http, "/v1/pull", req, &status, &resp, err);
		json_decref(req);
		if (rc != 0)
			break;
		if (status == 409 && since > 0 && is_error(resp, "cursor_ahead")) {
			/* The register was restored: everything again, from 0. */
			(void)ws_audit(s, "sync.cursor_reset", s->cfg.url,
			    "ok: the register is behind this workstation", NULL);
			since = 0;
			json_decref(resp);
			continue;
		}
		if ((rc = sync_http_error(status, resp, err)) == 0 &&
		    (rc = apply_page(s, resp, since, &next, &more, c, drop, err)) == 0)
			since = next;
		json_decref(resp);
	}
	if (rc == 0)
		rc = drop_slots(s, drop, c, err);
	json_decref(drop);
	return rc;
}

int
ws_sync(struct ws_session *s, struct ws_sync_counts *c, struct sesshu_err *err)
{
	char outcome[160];
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = ws_push(s, c, err)) == 0)
		rc = ws_pull(s, c, err);
	if (rc == 0)
		snprintf(outcome, sizeof(outcome), "ok: pushed %ld, acknowledged %ld, "
		    "conflicts %ld, rejected %ld, pulled %ld", c->pushed,
		    c->acknowledged, c->conflicts, c->rejected, c->pulled);
	else
		snprintf(outcome, sizeof(outcome), "failed: %.140s",
		    err != NULL ? err->msg : sesshu_status_msgid(rc));
	(void)ws_audit(s, "sync", s->cfg.url, outcome, NULL);
	return rc;
}
