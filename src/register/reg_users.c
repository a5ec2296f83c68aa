/*
 * reg_users.c: users, activation codes, logins and password changes; see
 * reg_users.h.
 *
 * A login runs as one write transaction, because even a refusal changes
 * state (the failure count, the lock) and is audited; scrypt runs inside
 * it, which serialises logins on the register. That is deliberate: it also
 * rate-limits guessing.
 */
#include "register/reg_users.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "auth/password.h"
#include "core/ids.h"
#include "core/kana.h"
#include "core/password_policy.h"

/* No I, O, 0 or 1: a code is read off paper and typed. 32 symbols, 80 bits. */
static const char code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
#define CODE_SYMBOLS	16

static const char *const roles[] = {
	"clerk", "verifier", "supervisor", "is-admin", "auditor",
};

int
reg_role_is_valid(const char *role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i]) == 0)
			return 1;
	return 0;
}

static int
check_user_id(const char *id, struct sesshu_err *err)
{
	size_t len = strlen(id), bad;

	if (len == 0 || len > REG_USER_ID_MAX)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "user ID must be 1 to %d characters", REG_USER_ID_MAX);
	if ((bad = core_id_bad_char(id, len)) != 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "user ID: character %zu "
		    "is not a letter, digit, '.', '_' or '-'", bad);
	return 0;
}

static int
check_name(const char *name, struct sesshu_err *err)
{
	size_t len = strlen(name), chars = 0;

	if (core_utf8_check(name, len, &chars, NULL) != 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "name is not valid UTF-8");
	if (chars == 0 || chars > REG_USER_NAME_MAX)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "name must be 1 to %d characters", REG_USER_NAME_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "name contains a control character");
	return 0;
}

/*
 * Canonical form of a typed activation code: upper case, without the
 * hyphens and spaces people add or leave out. Returns its length, or 0
 * when it cannot be a code.
 */
static size_t
code_canonical(const char *in, size_t len, char out[CODE_SYMBOLS + 1])
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n == CODE_SYMBOLS || strchr(code_alphabet, c) == NULL || c == '\0')
			return 0;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == CODE_SYMBOLS ? n : 0;
}

static int
new_activation_code(char *display, char canonical[CODE_SYMBOLS + 1],
    struct sesshu_err *err)
{
	unsigned char rnd[CODE_SYMBOLS];
	size_t d = 0;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return sesshu_err_set(err, SESSHU_ECRYPTO, "no randomness for a code");
	for (size_t i = 0; i < CODE_SYMBOLS; i++) {
		/* 256 is a multiple of 32: no modulo bias. */
		canonical[i] = code_alphabet[rnd[i] % 32];
		if (i > 0 && i % 4 == 0)
			display[d++] = '-';
		display[d++] = canonical[i];
	}
	canonical[CODE_SYMBOLS] = '\0';
	display[d] = '\0';
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return 0;
}

static int
step_done(struct reg *reg, sqlite3_stmt *stmt, const char *what,
    struct sesshu_err *err)
{
	int rc = sqlite3_step(stmt);

	store_stmt_done(stmt);
	return store_check(reg->st, rc, what, err);
}

int
reg_user_add(struct reg *reg, const char *actor, const char *user_id,
    const char *name, const char *role, char *code, struct sesshu_err *err)
{
	static const char exists_sql[] = "SELECT 1 FROM users WHERE user_id = ?";
	static const char insert_sql[] =
	    "INSERT INTO users (user_id, name, role, status, activation_verifier,"
	    " activation_expires, must_change_password, created_at)"
	    " VALUES (?, ?, ?, 'active', ?, ?, 1, ?)";
	char canonical[CODE_SYMBOLS + 1], verifier[PASSWORD_VERIFIER_MAX];
	char now[STORE_TIME_LEN], expires[STORE_TIME_LEN], object[64];
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = check_user_id(user_id, err)) != 0 ||
	    (rc = check_name(name, err)) != 0)
		return rc;
	if (!reg_role_is_valid(role))
		return sesshu_err_set(err, SESSHU_EINVAL, "role \"%s\" is not one of "
		    "clerk, verifier, supervisor, is-admin, auditor", role);
	if ((rc = new_activation_code(code, canonical, err)) != 0)
		return rc;
	rc = password_verifier_make(canonical, CODE_SYMBOLS,
	    &PASSWORD_VERIFIER_PARAMS, verifier, sizeof(verifier), err);
	OPENSSL_cleanse(canonical, sizeof(canonical));
	if (rc != 0)
		return rc;
	store_now_utc(now, sizeof(now));
	store_time_utc(time(NULL) + (time_t)reg->settings.activation_valid_days * 86400,
	    expires, sizeof(expires));

	if ((rc = store_begin(reg->st, err)) != 0)
		return rc;
	if ((rc = store_prepare(reg->st, exists_sql, &stmt, err)) != 0)
		goto fail;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if (rc == SQLITE_ROW) {
		rc = sesshu_err_set(err, SESSHU_EEXIST, "user ID %s was used before; "
		    "user IDs are never reused", user_id);
		goto fail;
	}
	if ((rc = store_check(reg->st, rc, "looking up a user", err)) != 0 ||
	    (rc = store_prepare(reg->st, insert_sql, &stmt, err)) != 0)
		goto fail;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, verifier, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, expires, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, now, -1, SQLITE_STATIC);
	snprintf(object, sizeof(object), "user:%s", user_id);
	if ((rc = step_done(reg, stmt, "adding a user", err)) != 0 ||
	    (rc = reg_note_change(reg, "user", user_id, "upsert", NULL, err)) != 0 ||
	    (rc = reg_audit(reg, actor, REG_ACTOR, "user.add", object, role, err)) != 0 ||
	    (rc = store_commit(reg->st, err)) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(reg->st);
	OPENSSL_cleanse(code, REG_ACTIVATION_CODE_LEN + 1);
	return rc;
}

int
reg_user_disable(struct reg *reg, const char *actor, const char *user_id,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "UPDATE users SET status = 'disabled', disabled_at = ?"
	    " WHERE user_id = ? AND status = 'active'";
	char now[STORE_TIME_LEN], object[64];
	struct reg_user_info info;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = reg_user_get(reg, user_id, &info, err)) != 0)
		return rc;
	if (strcmp(info.status, "active") != 0)
		return 0;	/* already disabled: nothing to do */
	store_now_utc(now, sizeof(now));
	snprintf(object, sizeof(object), "user:%s", user_id);
	if ((rc = store_begin(reg->st, err)) != 0)
		return rc;
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) == 0) {
		sqlite3_bind_text(stmt, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, user_id, -1, SQLITE_STATIC);
		rc = step_done(reg, stmt, "disabling a user", err);
	}
	if (rc == 0)
		rc = reg_note_change(reg, "user", user_id, "upsert", NULL, err);
	if (rc == 0)
		rc = reg_audit(reg, actor, REG_ACTOR, "user.disable", object, "ok", err);
	if (rc == 0)
		return store_commit(reg->st, err);
	store_rollback(reg->st);
	return rc;
}

static void
copy_col(sqlite3_stmt *stmt, int col, char *dst, size_t size)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	snprintf(dst, size, "%s", s != NULL ? (const char *)s : "");
}

int
reg_user_get(struct reg *reg, const char *user_id, struct reg_user_info *out,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT user_id, name, role, status, must_change_password,"
	    " password_changed_at, password_expires_at FROM users WHERE user_id = ?";
	sqlite3_stmt *stmt;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		copy_col(stmt, 0, out->user_id, sizeof(out->user_id));
		copy_col(stmt, 1, out->name, sizeof(out->name));
		copy_col(stmt, 2, out->role, sizeof(out->role));
		copy_col(stmt, 3, out->status, sizeof(out->status));
		out->must_change_password = sqlite3_column_int(stmt, 4);
		copy_col(stmt, 5, out->password_changed_at,
		    sizeof(out->password_changed_at));
		copy_col(stmt, 6, out->password_expires_at,
		    sizeof(out->password_expires_at));
		store_stmt_done(stmt);
		return 0;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "reading a user", err)) != 0)
		return rc;
	return sesshu_err_set(err, SESSHU_ENOTFOUND, "no user %s", user_id);
}

/* What a login reads about a user, secrets included; stays on this side. */
struct login_row {
	int	found;
	char	status[16];
	char	role[16];
	char	verifier[PASSWORD_VERIFIER_MAX];
	char	activation[PASSWORD_VERIFIER_MAX];
	char	activation_expires[STORE_TIME_LEN];
	char	changed_at[STORE_TIME_LEN];
	char	expires_at[STORE_TIME_LEN];
	int	must_change;
	int	failed;
	char	locked_until[STORE_TIME_LEN];
};

static int
load_login_row(struct reg *reg, const char *user_id, struct login_row *row,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT status, role, verifier, activation_verifier, activation_expires,"
	    " password_changed_at, must_change_password, failed_logins, locked_until,"
	    " password_expires_at FROM users WHERE user_id = ?";
	sqlite3_stmt *stmt;
	int rc;

	memset(row, 0, sizeof(*row));
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		row->found = 1;
		copy_col(stmt, 0, row->status, sizeof(row->status));
		copy_col(stmt, 1, row->role, sizeof(row->role));
		copy_col(stmt, 2, row->verifier, sizeof(row->verifier));
		copy_col(stmt, 3, row->activation, sizeof(row->activation));
		copy_col(stmt, 4, row->activation_expires, sizeof(row->activation_expires));
		copy_col(stmt, 5, row->changed_at, sizeof(row->changed_at));
		row->must_change = sqlite3_column_int(stmt, 6);
		row->failed = sqlite3_column_int(stmt, 7);
		copy_col(stmt, 8, row->locked_until, sizeof(row->locked_until));
		copy_col(stmt, 9, row->expires_at, sizeof(row->expires_at));
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(reg->st, rc, "reading a user", err);
}

static int
set_failures(struct reg *reg, const char *user_id, int failed,
    const char *locked_until, struct sesshu_err *err)
{
	static const char sql[] =
	    "UPDATE users SET failed_logins = ?, locked_until = ? WHERE user_id = ?";
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_int(stmt, 1, failed);
	if (locked_until != NULL)
		sqlite3_bind_text(stmt, 2, locked_until, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, user_id, -1, SQLITE_STATIC);
	return step_done(reg, stmt, "counting a failed login", err);
}

/* Nonzero when pw matches the current verifier or one of the last n-1. */
static int
reused_password(struct reg *reg, const char *user_id, const char *current,
    const char *pw, size_t len, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT verifier FROM password_history WHERE user_id = ?"
	    " ORDER BY set_at DESC LIMIT ?";
	sqlite3_stmt *stmt;
	int rc, reused = 0;

	if (current[0] != '\0' && password_verifier_check(pw, len, current, NULL) == 0)
		return 1;
	if (store_prepare(reg->st, sql, &stmt, err) != 0)
		return 0;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, reg->settings.password_history - 1);
	while (!reused && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		reused = password_verifier_check(pw, len,
		    (const char *)sqlite3_column_text(stmt, 0), NULL) == 0;
	store_stmt_done(stmt);
	return reused;
}

static int
set_password(struct reg *reg, const char *user_id, const char *old_verifier,
    const char *pw, size_t len, struct sesshu_err *err)
{
	static const char history_sql[] =
	    "INSERT INTO password_history (user_id, verifier, set_at) VALUES (?, ?, ?)";
	static const char prune_sql[] =
	    "DELETE FROM password_history WHERE user_id = ?1 AND rowid NOT IN"
	    " (SELECT rowid FROM password_history WHERE user_id = ?1"
	    "  ORDER BY set_at DESC LIMIT ?2)";
	static const char update_sql[] =
	    "UPDATE users SET verifier = ?1, password_changed_at = ?2,"
	    " password_expires_at = " REG_PASSWORD_EXPIRY_SQL("?2", "?4") ","
	    " must_change_password = 0, activation_verifier = NULL,"
	    " activation_expires = NULL WHERE user_id = ?3";
	char verifier[PASSWORD_VERIFIER_MAX], now[STORE_TIME_LEN];
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = password_verifier_make(pw, len, &PASSWORD_VERIFIER_PARAMS,
	    verifier, sizeof(verifier), err)) != 0)
		return rc;
	store_now_utc(now, sizeof(now));
	if (old_verifier[0] != '\0') {
		if ((rc = store_prepare(reg->st, history_sql, &stmt, err)) != 0)
			return rc;
		sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, old_verifier, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, now, -1, SQLITE_STATIC);
		if ((rc = step_done(reg, stmt, "keeping password history", err)) != 0)
			return rc;
		if ((rc = store_prepare(reg->st, prune_sql, &stmt, err)) != 0)
			return rc;
		sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 2, reg->settings.password_history - 1);
		if ((rc = step_done(reg, stmt, "pruning password history", err)) != 0)
			return rc;
	}
	if ((rc = store_prepare(reg->st, update_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, verifier, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, reg->settings.password_max_age_days);
	if ((rc = step_done(reg, stmt, "setting a password", err)) != 0)
		return rc;
	/* Other workstations learn of the change and drop the user's old slot. */
	return reg_note_change(reg, "user", user_id, "upsert", NULL, err);
}

static void refuse(struct reg_login_result *res, enum reg_login_outcome outcome,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
refuse(struct reg_login_result *res, enum reg_login_outcome outcome,
    const char *fmt, ...)
{
	va_list ap;

	res->outcome = outcome;
	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
}

/* The checks of reg_user_login, inside its transaction. */
static int
login_locked(struct reg *reg, const struct reg_login_request *req,
    struct reg_login_result *res, char *outcome, size_t outsize,
    struct sesshu_err *err)
{
	struct core_password_policy policy = { reg->settings.password_min_length };
	char canonical[CODE_SYMBOLS + 1], now[STORE_TIME_LEN], until[STORE_TIME_LEN];
	const char *change_reason = NULL;
	struct login_row row;
	time_t t_now = time(NULL), t;
	int ok = 0, via_code = 0, rc;

	store_time_utc(t_now, now, sizeof(now));
	if ((rc = load_login_row(reg, req->user_id, &row, err)) != 0)
		return rc;
	if (!row.found) {
		password_verifier_waste(req->secret, req->secret_len);
		refuse(res, REG_LOGIN_AUTH_FAILED, "%s", "authentication failed");
		snprintf(outcome, outsize, "refused: auth_failed (unknown user)");
		return 0;
	}
	if (row.locked_until[0] != '\0' && strcmp(row.locked_until, now) > 0) {
		store_time_parse(row.locked_until, &t);
		res->retry_after = (long)(t - t_now);
		refuse(res, REG_LOGIN_LOCKED, "too many failed logins; locked until %s",
		    row.locked_until);
		snprintf(outcome, outsize, "refused: locked");
		return 0;
	}
	if (row.verifier[0] != '\0')
		ok = password_verifier_check(req->secret, req->secret_len,
		    row.verifier, NULL) == 0;
	else if (row.activation[0] != '\0' &&
	    strcmp(row.activation_expires, now) > 0 &&
	    code_canonical(req->secret, req->secret_len, canonical) != 0) {
		ok = password_verifier_check(canonical, CODE_SYMBOLS, row.activation,
		    NULL) == 0;
		via_code = 1;
		OPENSSL_cleanse(canonical, sizeof(canonical));
	} else
		password_verifier_waste(req->secret, req->secret_len);

	if (!ok) {
		row.failed++;
		if (row.failed >= reg->settings.lockout_threshold) {
			store_time_utc(t_now + reg->settings.lockout_minutes * 60,
			    until, sizeof(until));
			rc = set_failures(reg, req->user_id, 0, until, err);
			snprintf(outcome, outsize, "refused: auth_failed; locked until %s",
			    until);
		} else {
			rc = set_failures(reg, req->user_id, row.failed, NULL, err);
			snprintf(outcome, outsize, "refused: auth_failed (%d of %d)",
			    row.failed, reg->settings.lockout_threshold);
		}
		refuse(res, REG_LOGIN_AUTH_FAILED, "%s", "authentication failed");
		return rc;
	}
	if (strcmp(row.status, "active") != 0) {
		refuse(res, REG_LOGIN_DISABLED, "user %s is disabled", req->user_id);
		snprintf(outcome, outsize, "refused: user %s", row.status);
		return 0;
	}
	if (req->required_role != NULL && strcmp(row.role, req->required_role) != 0) {
		refuse(res, REG_LOGIN_FORBIDDEN, "this needs the role %s",
		    req->required_role);
		snprintf(outcome, outsize, "refused: role %s", row.role);
		return 0;
	}
	if ((rc = set_failures(reg, req->user_id, 0, NULL, err)) != 0)
		return rc;

	if (via_code)
		change_reason = "first login: set your own password";
	else if (row.must_change)
		change_reason = "a new password is required (reset or transfer)";
	else if (row.expires_at[0] != '\0' && strcmp(row.expires_at, now) <= 0)
		change_reason = "the password has expired";
	if (change_reason != NULL && req->new_password == NULL) {
		refuse(res, REG_LOGIN_CHANGE_REQUIRED, "%s", change_reason);
		snprintf(outcome, outsize, "refused: password change required");
		return 0;
	}
	if (req->new_password != NULL) {
		struct sesshu_err why = { 0 };

		if (core_password_policy_check(&policy, req->user_id,
		    req->new_password, req->new_password_len, &why) != 0) {
			refuse(res, REG_LOGIN_POLICY, "%s", why.msg);
			snprintf(outcome, outsize, "refused: password policy");
			return 0;
		}
		if (reused_password(reg, req->user_id, row.verifier,
		    req->new_password, req->new_password_len, err)) {
			snprintf(res->message, sizeof(res->message), "the new password "
			    "was used before; choose one that is not among your last %d",
			    reg->settings.password_history);
			res->outcome = REG_LOGIN_POLICY;
			snprintf(outcome, outsize, "refused: password reused");
			return 0;
		}
		if ((rc = set_password(reg, req->user_id, row.verifier,
		    req->new_password, req->new_password_len, err)) != 0)
			return rc;
		snprintf(outcome, outsize, "ok; password changed");
	} else
		snprintf(outcome, outsize, "ok");
	res->outcome = REG_LOGIN_OK;
	return reg_user_get(reg, req->user_id, &res->user, err);
}

int
reg_user_login(struct reg *reg, const struct reg_login_request *req,
    struct reg_login_result *res, struct sesshu_err *err)
{
	char outcome[128], object[64];
	int rc;

	memset(res, 0, sizeof(*res));
	if (check_user_id(req->user_id, NULL) != 0 ||
	    req->secret_len > PASSWORD_MAX_BYTES) {
		refuse(res, REG_LOGIN_AUTH_FAILED, "%s", "authentication failed");
		snprintf(object, sizeof(object), "user:(malformed ID)");
		return reg_audit(reg, "-", req->workstation_id, "login", object,
		    "refused: auth_failed (malformed user ID)", err);
	}
	snprintf(object, sizeof(object), "user:%s", req->user_id);
	if ((rc = store_begin(reg->st, err)) != 0)
		return rc;
	rc = login_locked(reg, req, res, outcome, sizeof(outcome), err);
	if (rc == 0)
		rc = reg_audit(reg, req->user_id, req->workstation_id,
		    req->required_role != NULL ? "provision.login" : "login", object,
		    outcome, err);
	if (rc == 0)
		return store_commit(reg->st, err);
	store_rollback(reg->st);
	return rc;
}

int
reg_user_login_report(struct reg *reg, const char *user_id, int failed,
    const char *workstation, char *locked_until, size_t size,
    struct sesshu_err *err)
{
	char now[STORE_TIME_LEN], until[STORE_TIME_LEN], outcome[128], object[64];
	struct login_row row;
	time_t t_now = time(NULL);
	int rc;

	locked_until[0] = '\0';
	if (check_user_id(user_id, NULL) != 0)
		return 0;	/* nothing to count: says "not locked" */
	store_time_utc(t_now, now, sizeof(now));
	snprintf(object, sizeof(object), "user:%s", user_id);
	if ((rc = store_begin(reg->st, err)) != 0)
		return rc;
	if ((rc = load_login_row(reg, user_id, &row, err)) != 0 || !row.found)
		goto done;
	if (row.locked_until[0] != '\0' && strcmp(row.locked_until, now) > 0) {
		snprintf(locked_until, size, "%s", row.locked_until);
		snprintf(outcome, sizeof(outcome), "refused: locked (reported by "
		    "the workstation)");
	} else if (failed) {
		/* The workstation's slot refused the password: one failure more. */
		row.failed++;
		if (row.failed >= reg->settings.lockout_threshold) {
			store_time_utc(t_now + reg->settings.lockout_minutes * 60,
			    until, sizeof(until));
			rc = set_failures(reg, user_id, 0, until, err);
			snprintf(locked_until, size, "%s", until);
			snprintf(outcome, sizeof(outcome), "refused: auth_failed at "
			    "the workstation; locked until %s", until);
		} else {
			rc = set_failures(reg, user_id, row.failed, NULL, err);
			snprintf(outcome, sizeof(outcome), "refused: auth_failed at "
			    "the workstation (%d of %d)", row.failed,
			    reg->settings.lockout_threshold);
		}
	} else {
		rc = set_failures(reg, user_id, 0, NULL, err);
		snprintf(outcome, sizeof(outcome), "ok: offline slot, reported");
	}
	if (rc == 0)
		rc = reg_audit(reg, user_id, workstation, "login", object, outcome,
		    err);
done:
	if (rc == 0)
		return store_commit(reg->st, err);
	store_rollback(reg->st);
	return rc;
}
