/* reg_workstations.c: see reg_workstations.h. */
#include "register/reg_workstations.h"

#include <stdio.h>
#include <string.h>

#include "core/ids.h"
#include "store/audit.h"

static int
check_ws_id(const char *id, struct sesshu_err *err)
{
	size_t len = strlen(id), bad;

	if (len == 0 || len > REG_WORKSTATION_ID_MAX)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "workstation ID must be 1 to %d characters", REG_WORKSTATION_ID_MAX);
	if ((bad = core_id_bad_char(id, len)) != 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "workstation ID: character "
		    "%zu is not a letter, digit, '.', '_' or '-'", bad);
	return 0;
}

/* Runs one change and its audit entry in a transaction of their own. */
static int
change_and_audit(struct reg *reg, const char *sql, const char *ws_id,
    const char *actor, const char *action, const char *what,
    struct sesshu_err *err)
{
	char now[STORE_TIME_LEN], object[96];
	int rc;

	store_now_utc(now, sizeof(now));
	snprintf(object, sizeof(object), "workstation:%s", ws_id);
	if ((rc = store_begin(reg->st, err)) != 0)
		return rc;
	if ((rc = store_run_text(reg->st, sql, ws_id, now, what, err)) == 0 &&
	    (rc = reg_audit(reg, actor, REG_ACTOR, action, object, "ok", err)) == 0)
		return store_commit(reg->st, err);
	store_rollback(reg->st);
	return rc;
}

int
reg_ws_add(struct reg *reg, const char *actor, const char *ws_id,
    struct sesshu_err *err)
{
	static const char insert_sql[] =
	    "INSERT INTO workstations (workstation_id, status, created_at)"
	    " VALUES (?1, 'active', ?2)";
	static const char reactivate_sql[] =
	    "UPDATE workstations SET status = 'active', master_key = NULL,"
	    " provisioned_at = NULL, provisioned_by = NULL, revoked_at = NULL,"
	    " created_at = ?2 WHERE workstation_id = ?1";
	enum reg_ws_state state;
	int rc;

	if ((rc = check_ws_id(ws_id, err)) != 0 ||
	    (rc = reg_ws_state(reg, ws_id, &state, err)) != 0)
		return rc;
	if (state == REG_WS_ACTIVE || state == REG_WS_PROVISIONED)
		return sesshu_err_set(err, SESSHU_EEXIST,
		    "workstation %s is already active", ws_id);
	return change_and_audit(reg, state == REG_WS_UNKNOWN ? insert_sql :
	    reactivate_sql, ws_id, actor, "workstation.add", "adding a workstation",
	    err);
}

int
reg_ws_revoke(struct reg *reg, const char *actor, const char *ws_id,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "UPDATE workstations SET status = 'revoked', master_key = NULL,"
	    " revoked_at = ?2 WHERE workstation_id = ?1";
	enum reg_ws_state state;
	int rc;

	if ((rc = reg_ws_state(reg, ws_id, &state, err)) != 0)
		return rc;
	if (state == REG_WS_UNKNOWN)
		return sesshu_err_set(err, SESSHU_ENOTFOUND, "no workstation %s", ws_id);
	if (state == REG_WS_REVOKED)
		return 0;
	return change_and_audit(reg, sql, ws_id, actor, "workstation.revoke",
	    "revoking a workstation", err);
}

int
reg_ws_state(struct reg *reg, const char *ws_id, enum reg_ws_state *state,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT status, master_key IS NOT NULL FROM workstations"
	    " WHERE workstation_id = ?";
	sqlite3_stmt *stmt;
	int rc;

	*state = REG_WS_UNKNOWN;
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, ws_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (strcmp((const char *)sqlite3_column_text(stmt, 0), "active") != 0)
			*state = REG_WS_REVOKED;
		else
			*state = sqlite3_column_int(stmt, 1) ? REG_WS_PROVISIONED :
			    REG_WS_ACTIVE;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(reg->st, rc, "reading a workstation", err);
}

int
reg_ws_escrow(struct reg *reg, const char *ws_id, const char *actor,
    const struct secbuf *key, struct sesshu_err *err)
{
	static const char sql[] =
	    "UPDATE workstations SET master_key = ?, provisioned_at = ?,"
	    " provisioned_by = ? WHERE workstation_id = ? AND status = 'active'"
	    " AND master_key IS NULL";
	char now[STORE_TIME_LEN];
	sqlite3_stmt *stmt;
	int rc;

	if (key->len != STORE_KEY_BYTES)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "a master key must be %d bytes", STORE_KEY_BYTES);
	store_now_utc(now, sizeof(now));
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_blob(stmt, 1, key->data, (int)key->len, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, ws_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "escrowing a key", err)) != 0)
		return rc;
	if (sqlite3_changes(store_db(reg->st)) != 1)
		return sesshu_err_set(err, SESSHU_EEXIST,
		    "workstation %s is already provisioned, or not active", ws_id);
	return 0;
}

int
reg_ws_key(struct reg *reg, const char *ws_id, struct secbuf *key,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT master_key FROM workstations WHERE workstation_id = ?"
	    " AND status = 'active' AND master_key IS NOT NULL";
	sqlite3_stmt *stmt;
	int rc;

	key->data = NULL;
	key->len = 0;
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, ws_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == STORE_KEY_BYTES)
		rc = secbuf_dup(key, sqlite3_column_blob(stmt, 0), STORE_KEY_BYTES, err);
	else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = sesshu_err_set(err, SESSHU_ENOTFOUND,
		    "workstation %s has no escrowed key", ws_id);
	else
		rc = store_check(reg->st, rc, "reading an escrowed key", err);
	store_stmt_done(stmt);
	return rc;
}

int
reg_ws_touch(struct reg *reg, const char *ws_id, struct sesshu_err *err)
{
	static const char sql[] =
	    "UPDATE workstations SET last_seen_at = ?2 WHERE workstation_id = ?1";
	char now[STORE_TIME_LEN];

	store_now_utc(now, sizeof(now));
	return store_run_text(reg->st, sql, ws_id, now, "recording contact", err);
}
