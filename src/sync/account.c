/*
 * account.c: provisioning and logins on a workstation; see account.h.
 *
 * Both provisioning and a first login speak the same dialogue with the
 * register: send the secret; if the register answers 422
 * password_change_required or password_policy, ask for a new password
 * (twice) and send again, at most a few times; then take what it returns.
 * A forced password change at an offline login speaks it too, with the
 * password the key slot accepted and a new password from the start.
 *
 * The offline login policy (account.h) runs in this order, each step only
 * when the one before let the login go on: the lockout (before a password
 * is asked for: a locked user costs no scrypt), the key slot, the cache,
 * then, with the cache and its audit trail open, the attempts queued in
 * STATE/login-failures, the time since the last contact with the
 * register, and the password's expiry.
 */
#include "sync/account.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "auth/keyslot.h"
#include "store/audit.h"
#include "sync/login_guard.h"
#include "sync/wire.h"

#define NEW_PASSWORD_TRIES	3

static struct ws_session *
session_new(const char *state_dir)
{
	struct ws_session *s = calloc(1, sizeof(*s));

	if (s != NULL)
		snprintf(s->state_dir, sizeof(s->state_dir), "%s", state_dir);
	return s;
}

void
ws_session_close(struct ws_session *s)
{
	if (s == NULL)
		return;
	store_close(s->st);
	sync_http_free(s->http);
	secbuf_release(&s->key);
	free(s);
}

int
ws_session_http(struct ws_session *s, struct sync_http **out,
    struct sesshu_err *err)
{
	struct sync_endpoint_config ep;
	int rc;

	if (s->http == NULL) {
		ws_config_endpoint(&s->cfg, &ep);
		if ((rc = sync_http_new(&s->http, &ep, err)) != 0)
			return rc;
	}
	*out = s->http;
	return 0;
}

int
ws_audit(struct ws_session *s, const char *action, const char *object,
    const char *outcome, struct sesshu_err *err)
{
	struct audit_event ev = {
		s->user_id[0] != '\0' ? s->user_id : "-", s->cfg.workstation_id,
		action, object, outcome,
	};

	return audit_append(s->st, &ev, err);
}

/* Wipes a string member of a request before the request is freed. */
static void
wipe_member(json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);

	if (json_is_string(v))
		OPENSSL_cleanse((char *)json_string_value(v), json_string_length(v));
}

static void
wipe_request(json_t *req)
{
	wipe_member(req, "secret");
	wipe_member(req, "new_password");
	wipe_member(req, "master_key");
	json_decref(req);
}

/* Asks for a new password twice; SESSHU_EINVAL when the two differ. */
static int
ask_new_password(ws_ask_fn ask, void *ctx, const char *why, struct secbuf *pw,
    struct sesshu_err *err)
{
	struct secbuf again;
	int rc;

	if ((rc = ask(ctx, WS_ASK_NEW_PASSWORD, why, pw, err)) != 0)
		return rc;
	if ((rc = ask(ctx, WS_ASK_NEW_PASSWORD_AGAIN, "", &again, err)) != 0) {
		secbuf_release(pw);
		return rc;
	}
	if (again.len != pw->len || CRYPTO_memcmp(again.data, pw->data, pw->len) != 0) {
		secbuf_release(pw);
		rc = sesshu_err_set(err, SESSHU_EINVAL,
		    "the two new passwords differ");
	}
	secbuf_release(&again);
	return rc;
}

/*
 * The dialogue of a login-like request: base holds municipality and
 * user_id (and master_key for provision); secret and new_password are
 * added here. The secret is known (borrowed) or asked for; change_why
 * non-NULL asks for a new password before the first request, with that
 * reason. On success *response is the register's answer and *password the
 * password now valid (the new one if one was set). The register's 423
 * (locked) is SESSHU_EDENIED, so that its message reaches the user.
 */
static int
authenticate(struct sync_http *http, const char *path, json_t *base,
    const struct secbuf *known, const char *change_why, ws_ask_fn ask,
    void *ctx, json_t **response, struct secbuf *password,
    struct sesshu_err *err)
{
	struct secbuf secret = { NULL, 0 }, fresh = { NULL, 0 };
	const char *error, *message;
	char why[256] = "";
	long status;
	json_t *req, *resp = NULL;
	int rc, tries = 0;

	if (known != NULL)
		rc = secbuf_dup(&secret, known->data, known->len, err);
	else
		rc = ask(ctx, WS_ASK_SECRET, "", &secret, err);
	if (rc != 0)
		return rc;
	if (change_why != NULL &&
	    (rc = ask_new_password(ask, ctx, change_why, &fresh, err)) != 0) {
		secbuf_release(&secret);
		return rc;
	}
	for (;;) {
		if ((req = json_deep_copy(base)) == NULL ||
		    json_object_set_new(req, "secret", json_stringn(
		    (const char *)secret.data, secret.len)) != 0 ||
		    (fresh.data != NULL && json_object_set_new(req, "new_password",
		    json_stringn((const char *)fresh.data, fresh.len)) != 0)) {
			rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
			json_decref(req);
			break;
		}
		rc = sync_http_post(http, path, req, &status, &resp, err);
		wipe_request(req);
		if (rc != 0)
			break;
		if (status == 200) {
			*response = resp;
			resp = NULL;
			*password = fresh.data != NULL ? fresh : secret;
			if (fresh.data != NULL)
				secbuf_release(&secret);
			return 0;
		}
		error = json_string_value(json_object_get(resp, "error"));
		message = json_string_value(json_object_get(resp, "message"));
		if (status != 422 || error == NULL || ++tries > NEW_PASSWORD_TRIES ||
		    (strcmp(error, "password_change_required") != 0 &&
		    strcmp(error, "password_policy") != 0)) {
			rc = sync_http_error(status, resp, err);
			if (status == 423) {
				rc = SESSHU_EDENIED;
				if (err != NULL)
					err->code = rc;
			}
			break;
		}
		snprintf(why, sizeof(why), "%s", message != NULL ? message : error);
		json_decref(resp);
		resp = NULL;
		secbuf_release(&fresh);
		if ((rc = ask_new_password(ask, ctx, why, &fresh, err)) != 0)
			break;
	}
	json_decref(resp);
	secbuf_release(&secret);
	secbuf_release(&fresh);
	return rc;
}

/* Stores the register's description of the user in the cache. */
static int
remember_user(struct ws_session *s, const json_t *user, struct sesshu_err *err)
{
	/*
	 * password_changed_at is what the register last said: a pull that
	 * brings a different value means the password changed elsewhere.
	 */
	static const char update_sql[] =
	    "UPDATE users SET name = ?2, role = ?3, must_change_password = ?4,"
	    " last_login_at = ?5, password_changed_at = ?6,"
	    " password_expires_at = ?7 WHERE user_id = ?1";
	static const char insert_sql[] =
	    "INSERT INTO users (user_id, name, role, must_change_password,"
	    " last_login_at, password_changed_at, password_expires_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	const char *sqls[] = { update_sql, insert_sql };
	const char *name = json_string_value(json_object_get(user, "name"));
	const char *role = json_string_value(json_object_get(user, "role"));
	char now[STORE_TIME_LEN];
	sqlite3_stmt *stmt;
	int rc;

	if (name == NULL || role == NULL)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "the register's answer lacks the user's name or role");
	snprintf(s->role, sizeof(s->role), "%s", role);
	store_now_utc(now, sizeof(now));
	for (int i = 0; i < 2; i++) {
		if ((rc = store_prepare(s->st, sqls[i], &stmt, err)) != 0)
			return rc;
		sqlite3_bind_text(stmt, 1, s->user_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, role, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 4, json_is_true(json_object_get(user,
		    "must_change_password")));
		sqlite3_bind_text(stmt, 5, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 6, json_string_value(json_object_get(user,
		    "password_changed_at")), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 7, json_string_value(json_object_get(user,
		    "password_expires_at")), -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(stmt);
		store_stmt_done(stmt);
		if ((rc = store_check(s->st, rc, "remembering the user", err)) != 0)
			return rc;
		if (sqlite3_changes(store_db(s->st)) > 0)
			break;
	}
	return 0;
}

static int
role_from_cache(struct ws_session *s)
{
	static const char sql[] = "SELECT role FROM users WHERE user_id = ?";
	sqlite3_stmt *stmt;

	if (store_prepare(s->st, sql, &stmt, NULL) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, s->user_id, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		snprintf(s->role, sizeof(s->role), "%s", sqlite3_column_text(stmt, 0));
	store_stmt_done(stmt);
	return 0;
}

/*
 * The offline login policy (account.h). Its refusals are SESSHU_EDENIED
 * with a message for the user; with the cache open they are audited at
 * once, before it the login guard queues them.
 */

/* Records a successful contact with the register now (sync_state). */
static int
note_contact(struct ws_session *s, struct sesshu_err *err)
{
	static const char sql[] = "INSERT OR REPLACE INTO sync_state (key, value)"
	    " VALUES ('last_contact', ?)";
	char now[STORE_TIME_LEN];
	sqlite3_stmt *stmt;
	int rc;

	store_now_utc(now, sizeof(now));
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	return store_check(s->st, rc, "noting the contact with the register", err);
}

/* A hello to the register; on an answer, the contact is noted. */
static int
contact_register(struct ws_session *s, struct sesshu_err *err)
{
	struct sync_http *http;
	json_t *body, *resp = NULL;
	long status = 0;
	int rc;

	if ((rc = ws_session_http(s, &http, err)) != 0)
		return rc;
	if ((body = json_pack("{s:s}", "municipality", s->cfg.municipality)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	rc = sync_http_post(http, "/v1/hello", body, &status, &resp, err);
	json_decref(body);
	if (rc == 0)
		rc = sync_http_error(status, resp, err);
	json_decref(resp);
	return rc == 0 ? note_contact(s, err) : rc;
}

/* Reads one text column of one row into out ("" when absent or NULL). */
static void
query_text(struct ws_session *s, const char *sql, const char *arg, char *out,
    size_t size, int *int_out)
{
	sqlite3_stmt *stmt;

	out[0] = '\0';
	if (store_prepare(s->st, sql, &stmt, NULL) != 0)
		return;
	sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		if (sqlite3_column_type(stmt, 0) != SQLITE_NULL)
			snprintf(out, size, "%s", sqlite3_column_text(stmt, 0));
		if (int_out != NULL)
			*int_out = sqlite3_column_int(stmt, 1);
	}
	store_stmt_done(stmt);
}

/* "14:05" today, else "2026-11-22 14:05", in local time. */
static void
local_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t, now = time(NULL);
	struct tm tm, today;

	localtime_r(&tt, &tm);
	localtime_r(&now, &today);
	if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday)
		strftime(buf, size, "%H:%M", &tm);
	else
		strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

struct guard_ctx {
	struct ws_session		*s;
	struct login_guard_policy	 policy;
	int64_t				 now;
	int64_t				 until;		/* out: end of a lock */
};

static void
guard_policy(const struct ws_settings *set, struct guard_ctx *c,
    struct ws_session *s)
{
	c->s = s;
	c->policy.failures = set->lockout_failures;
	c->policy.minutes = set->lockout_minutes;
	c->now = (int64_t)time(NULL);
	c->until = 0;
}

/* A locked user's attempt is queued for the trail and goes no further. */
static int
guard_check_fn(struct login_guard *g, void *ctx, struct sesshu_err *err)
{
	struct guard_ctx *c = ctx;
	int rc;

	if ((c->until = login_guard_locked_until(g, c->s->user_id, c->now)) == 0)
		return 0;
	if ((rc = login_guard_refusal(g, c->s->user_id, c->now, err)) != 0)
		return rc;
	return 1;
}

static int
guard_fail_fn(struct login_guard *g, void *ctx, struct sesshu_err *err)
{
	struct guard_ctx *c = ctx;
	int rc;

	if ((rc = login_guard_failure(g, c->s->user_id, &c->policy, c->now,
	    &c->until, err)) != 0)
		return rc;
	return 1;
}

/*
 * Every attempt queued on this workstation (by any user) joins the audit
 * trail with its own time, in one transaction. Should the file then fail
 * to be written, they would be appended again at the next login: twice
 * rather than never. Returns 1 when it wrote any.
 */
static int
flush_events(struct login_guard *g, struct ws_session *s,
    struct sesshu_err *err)
{
	char at[STORE_TIME_LEN], object[LOGIN_GUARD_ID_MAX + 8], outcome[160];
	char first[STORE_TIME_LEN];
	int64_t t0, t1;
	uint64_t dropped = login_guard_dropped(g, &t0, &t1);
	int rc;

	if (login_guard_pending(g) == 0 && dropped == 0)
		return 0;
	if ((rc = store_begin(s->st, err)) != 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < login_guard_pending(g); i++) {
		const struct login_guard_event *ev = login_guard_event_at(g, i);
		struct audit_event ae = { ev->user_id, s->cfg.workstation_id,
		    "login", object, outcome };

		snprintf(object, sizeof(object), "user:%s", ev->user_id);
		login_guard_outcome(ev, outcome, sizeof(outcome));
		store_time_utc((time_t)ev->at, at, sizeof(at));
		rc = audit_append_at(s->st, &ae, at, err);
	}
	if (rc == 0 && dropped > 0) {
		struct audit_event ae = { "-", s->cfg.workstation_id, "login", "-",
		    outcome };

		store_time_utc((time_t)t0, first, sizeof(first));
		store_time_utc((time_t)t1, at, sizeof(at));
		snprintf(outcome, sizeof(outcome), "refused: %llu more offline "
		    "attempts from %s, not recorded one by one (the queue was full)",
		    (unsigned long long)dropped, first);
		rc = audit_append_at(s->st, &ae, at, err);
	}
	if (rc == 0 && (rc = store_commit(s->st, err)) == 0) {
		login_guard_clear_events(g);
		return 1;
	}
	store_rollback(s->st);
	return rc;
}

/*
 * The password was right: the user's count starts again (the count it
 * cleared is kept in the session, for a second factor that then fails),
 * and the queued attempts join the trail.
 */
static int
guard_success_fn(struct login_guard *g, void *ctx, struct sesshu_err *err)
{
	struct guard_ctx *c = ctx;
	struct ws_session *s = c->s;
	int changed = login_guard_failures(g, s->user_id) > 0 ||
	    login_guard_locked_until(g, s->user_id, 0) != 0;
	int rc;

	s->login_failures_cleared = login_guard_failures(g, s->user_id);
	login_guard_success(g, s->user_id);
	if ((rc = flush_events(g, s, err)) < 0)
		return rc;
	return rc == 1 || changed;
}

/* A second factor failed: counted on from what the password cleared. */
static int
guard_factor_fn(struct login_guard *g, void *ctx, struct sesshu_err *err)
{
	struct guard_ctx *c = ctx;
	struct ws_session *s = c->s;
	int rc;

	if ((rc = login_guard_restore(g, s->user_id, s->login_failures_cleared,
	    c->now, err)) != 0 ||
	    (rc = login_guard_failure(g, s->user_id, &c->policy, c->now,
	    &c->until, err)) != 0 ||
	    (rc = flush_events(g, s, err)) < 0)
		return rc;
	s->login_failures_cleared = login_guard_failures(g, s->user_id);
	return 1;
}

static int
guard_run(struct ws_session *s, login_guard_fn fn, struct guard_ctx *c,
    struct sesshu_err *err)
{
	char path[4096];

	ws_state_path(path, sizeof(path), s->state_dir, LOGIN_GUARD_FILE);
	return login_guard_update(path, fn, c, err);
}

/* Before anything is asked or derived: is the user locked out here? */
static int
guard_check(struct ws_session *s, const struct ws_settings *set,
    struct sesshu_err *err)
{
	struct guard_ctx c;
	char when[32];
	int rc;

	guard_policy(set, &c, s);
	if ((rc = guard_run(s, guard_check_fn, &c, err)) < 0) {
		/* Never read as empty: that would reset every count. */
		if (rc == SESSHU_EFORMAT || rc == SESSHU_ECORRUPT ||
		    rc == SESSHU_EVERSION)
			sesshu_err_prefix(err, "logins are refused until an "
			    "administrator inspects %s and moves it aside",
			    LOGIN_GUARD_FILE);
		return rc;
	}
	if (c.until == 0)
		return 0;
	local_time(c.until, when, sizeof(when));
	sesshu_err_set(err, SESSHU_EDENIED, "too many failed logins: %s "
	    "is locked until %s", s->user_id, when);
	sesshu_err_because(err, SESSHU_WHY_LOCKED_OUT, when);
	return SESSHU_EDENIED;
}

/* A wrong password: counted, perhaps locking the user. err says so. */
static int
guard_failed(struct ws_session *s, const struct ws_settings *set,
    struct sesshu_err *err)
{
	struct sesshu_err why = { 0 };
	struct guard_ctx c;
	char when[32];

	guard_policy(set, &c, s);
	if (guard_run(s, guard_fail_fn, &c, &why) != 0)
		return sesshu_err_set(err, SESSHU_EAUTH, "the user ID or password is "
		    "wrong, and the failure could not be counted: %s", why.msg);
	if (c.until == 0)
		return sesshu_err_set(err, SESSHU_EAUTH, "the user ID or password "
		    "is wrong");
	local_time(c.until, when, sizeof(when));
	sesshu_err_set(err, SESSHU_EAUTH, "the user ID or password is "
	    "wrong; too many failed logins: locked until %s", when);
	sesshu_err_because(err, SESSHU_WHY_LOCKED_OUT, when);
	return SESSHU_EAUTH;
}

static int
guard_passed(struct ws_session *s, const struct ws_settings *set,
    struct sesshu_err *err)
{
	struct guard_ctx c;
	int rc;

	guard_policy(set, &c, s);
	rc = guard_run(s, guard_success_fn, &c, err);
	return rc < 0 ? rc : 0;
}

/*
 * Maximum offline period: the last contact with the register (a pulled
 * page, an online login, a hello) may be at most max_offline_hours old.
 * When it is older, or unknown, a hello is tried first.
 */
static int
check_contact(struct ws_session *s, const struct ws_settings *set,
    const char *object, struct sesshu_err *err)
{
	char last[64], outcome[128];
	struct sesshu_err why = { 0 };
	time_t t, now = time(NULL);
	long long hours = -1;

	query_text(s, "SELECT value, 0 FROM sync_state WHERE key = ?",
	    "last_contact", last, sizeof(last), NULL);
	if (store_time_parse(last, &t) == 0) {
		/* A last contact in the future (the clock went back) is now. */
		if (now - t <= (time_t)set->max_offline_hours * 3600)
			return 0;
		hours = (long long)(now - t + 3599) / 3600;
	}
	if (contact_register(s, &why) == 0)
		return 0;
	if (hours >= 0)
		snprintf(outcome, sizeof(outcome), "refused: offline for %lld h "
		    "(limit %d h)", hours, set->max_offline_hours);
	else
		snprintf(outcome, sizeof(outcome), "refused: no contact with the "
		    "register recorded (limit %d h)", set->max_offline_hours);
	(void)ws_audit(s, "login", object, outcome, NULL);
	if (hours >= 0) {
		char h[24];

		snprintf(h, sizeof(h), "%lld", hours);
		sesshu_err_set(err, SESSHU_EDENIED, "this workstation has not "
		    "reached the register for %lld hours (limit %d): connect it to "
		    "the network and sync", hours, set->max_offline_hours);
		sesshu_err_because(err, SESSHU_WHY_OFFLINE_TOO_LONG, h);
		return SESSHU_EDENIED;
	}
	sesshu_err_set(err, SESSHU_EDENIED, "this workstation has no "
	    "record of reaching the register (limit %d hours): connect it to the "
	    "network and sync", set->max_offline_hours);
	sesshu_err_because(err, SESSHU_WHY_NEVER_CONTACTED, NULL);
	return SESSHU_EDENIED;
}

/* The user's password expiry and must-change flag as last synced. */
static void
password_state(struct ws_session *s, char *expires, size_t size, int *must)
{
	*must = 0;
	query_text(s, "SELECT password_expires_at, must_change_password FROM"
	    " users WHERE user_id = ?", s->user_id, expires, size, must);
}

static void
note_expiry(struct ws_session *s)
{
	time_t t;
	int must;

	password_state(s, s->password_expires_at, sizeof(s->password_expires_at),
	    &must);
	s->password_expires_soon = store_time_parse(s->password_expires_at,
	    &t) == 0 && t - time(NULL) <= (time_t)WS_PASSWORD_NOTICE_DAYS * 86400;
}

/*
 * The register sets the new password (checking the old one and its
 * policy), then the slot is rewrapped under it and the cache learns the
 * new password_changed_at, so that the next pull keeps this slot. Should
 * the rewrap fail, the slot still holds the old password: the next pull
 * then sees the change and removes it, and the user logs in online.
 */
static int
change_password(struct ws_session *s, const struct secbuf *old,
    const char *reason, ws_ask_fn ask, void *ctx, const char *object,
    const char *outcome, struct sesshu_err *err)
{
	struct secbuf fresh = { NULL, 0 };
	struct keyslot_file *f = NULL;
	struct sync_http *http;
	json_t *base, *resp = NULL;
	char path[4096], why[128];
	int rc;

	if ((rc = ws_session_http(s, &http, err)) != 0)
		return rc;
	if ((base = json_pack("{s:s, s:s}", "municipality", s->cfg.municipality,
	    "user_id", s->user_id)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	snprintf(why, sizeof(why), "%s: set a new one", reason);
	rc = authenticate(http, "/v1/password", base, old, why, ask, ctx, &resp,
	    &fresh, err);
	json_decref(base);
	if (rc != 0)
		return rc;
	ws_state_path(path, sizeof(path), s->state_dir, WS_KEYSLOT_FILE);
	if ((rc = keyslot_file_load(&f, path, err)) == 0 &&
	    (rc = keyslot_rewrap(f, s->user_id, (const char *)old->data, old->len,
	    (const char *)fresh.data, fresh.len, NULL, err)) == 0 &&
	    (rc = keyslot_file_save(f, path, err)) == 0 &&
	    (rc = remember_user(s, json_object_get(resp, "user"), err)) == 0 &&
	    (rc = note_contact(s, err)) == 0)
		rc = ws_audit(s, "password.change", object, outcome, err);
	keyslot_file_free(f);
	secbuf_release(&fresh);
	json_decref(resp);
	return rc;
}

/*
 * An expired password, or one the register says must be changed, is
 * changed now, which needs the register.
 */
static int
check_password(struct ws_session *s, const struct secbuf *password,
    ws_ask_fn ask, void *ctx, const char *object, struct sesshu_err *err)
{
	const char *reason;
	char expires[64], outcome[160];
	struct sesshu_err why = { 0 };
	time_t t;
	int must, rc;

	password_state(s, expires, sizeof(expires), &must);
	if (store_time_parse(expires, &t) == 0 && t <= time(NULL))
		reason = "your password has expired";
	else if (must)
		reason = "your password must be changed";
	else
		return 0;
	if (contact_register(s, &why) != 0) {
		snprintf(outcome, sizeof(outcome), "refused: password change "
		    "required, the register is unreachable");
		(void)ws_audit(s, "login", object, outcome, NULL);
		return sesshu_err_set(err, SESSHU_EDENIED, "%s; the register must be "
		    "reachable to change it (%s)", reason, why.msg);
	}
	if ((rc = change_password(s, password, reason, ask, ctx, object,
	    "ok: at login", err)) != 0) {
		snprintf(outcome, sizeof(outcome), "refused: password change "
		    "required, not done (%s)", sesshu_status_msgid(rc));
		(void)ws_audit(s, "login", object, outcome, NULL);
	}
	return rc;
}

static int
write_slot(const char *state_dir, const char *ws_id, const char *user_id,
    const struct secbuf *password, const struct secbuf *key,
    struct sesshu_err *err)
{
	struct keyslot_file *f = NULL;
	char path[4096];
	int rc;

	ws_state_path(path, sizeof(path), state_dir, WS_KEYSLOT_FILE);
	rc = keyslot_file_load(&f, path, err);
	if (rc == SESSHU_ENOTFOUND)
		rc = keyslot_file_new(&f, ws_id, err);
	if (rc == 0)
		rc = keyslot_add(f, user_id, (const char *)password->data,
		    password->len, key, NULL, err);
	if (rc == 0)
		rc = keyslot_file_save(f, path, err);
	keyslot_file_free(f);
	return rc;
}

static void
remove_cache_files(const char *state_dir)
{
	static const char *const names[] = {
		WS_CACHE_FILE, WS_CACHE_FILE "-wal", WS_CACHE_FILE "-shm",
		WS_KEYSLOT_FILE, WS_KEYSLOT_FILE ".lock", WS_CONFIG_FILE,
	};
	char path[4096];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ws_state_path(path, sizeof(path), state_dir, names[i]);
		unlink(path);
	}
}

static int
prepare_state_dir(const char *dir, struct sesshu_err *err)
{
	char path[4096];

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return sesshu_err_set(err, SESSHU_EIO, "cannot create %s: %s", dir,
		    strerror(errno));
	ws_state_path(path, sizeof(path), dir, WS_CACHE_FILE);
	if (access(path, F_OK) == 0)
		return sesshu_err_set(err, SESSHU_EEXIST, "%s already holds a "
		    "provisioned workstation (%s)", dir, path);
	return 0;
}

static int
absolute_path(const char *path, const char *what, char *out, size_t size,
    struct sesshu_err *err)
{
	char *abs = realpath(path, NULL);
	int rc = 0;

	if (abs == NULL)
		return sesshu_err_set(err, SESSHU_EIO, "%s %s: %s", what, path,
		    strerror(errno));
	if (strlen(abs) >= size)
		rc = sesshu_err_set(err, SESSHU_EINVAL, "%s %s: path too long",
		    what, path);
	else
		snprintf(out, size, "%s", abs);
	free(abs);
	return rc;
}

void
ws_enrollment_key(const char *user_id, char *buf, size_t size)
{
	snprintf(buf, size, "enroll:%s", user_id);
}

/* Records that the register has just checked this user's password here. */
static int
allow_enrollment(struct ws_session *s, struct sesshu_err *err)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)";
	char key[64], now[STORE_TIME_LEN];

	ws_enrollment_key(s->user_id, key, sizeof(key));
	store_now_utc(now, sizeof(now));
	return store_run_text(s->st, sql, key, now, "allowing an enrollment", err);
}

int
ws_enrollment_allowed(struct ws_session *s)
{
	static const char sql[] = "SELECT 1 FROM sync_state WHERE key = ?";
	sqlite3_stmt *stmt;
	char key[64];
	int found;

	if (s->online_login)
		return 1;
	ws_enrollment_key(s->user_id, key, sizeof(key));
	if (store_prepare(s->st, sql, &stmt, NULL) != 0)
		return 0;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	found = sqlite3_step(stmt) == SQLITE_ROW;
	store_stmt_done(stmt);
	return found;
}

int
ws_enrollment_confirm_online(struct ws_session *s, ws_ask_fn ask, void *ask_ctx,
    struct sesshu_err *err)
{
	struct secbuf password = { NULL, 0 };
	struct sync_http *http;
	json_t *base, *resp = NULL;
	char object[64];
	int rc;

	snprintf(object, sizeof(object), "user:%s", s->user_id);
	if ((rc = ws_session_http(s, &http, err)) != 0)
		return rc;
	if ((base = json_pack("{s:s, s:s}", "municipality", s->cfg.municipality,
	    "user_id", s->user_id)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	rc = authenticate(http, "/v1/login", base, NULL, NULL, ask, ask_ctx, &resp,
	    &password, err);
	json_decref(base);
	secbuf_release(&password);
	if (resp != NULL) {
		wipe_member(resp, "master_key");
		json_decref(resp);
	}
	if (rc == 0)
		rc = allow_enrollment(s, err);
	(void)ws_audit(s, "enrollment.confirm", object, rc == 0 ? "ok: the "
	    "register checked the password" : "refused", NULL);
	return rc;
}

int
ws_provision(const struct ws_provision_args *a, ws_ask_fn ask, void *ask_ctx,
    struct ws_session **out, struct sesshu_err *err)
{
	char path[4096], key_b64[WIRE_B64_ENCODED_SIZE(STORE_KEY_BYTES)];
	struct secbuf key = { NULL, 0 }, password = { NULL, 0 };
	struct ws_session *s;
	struct sync_http *http;
	json_t *base = NULL, *resp = NULL;
	int rc, created = 0;

	*out = NULL;
	if ((rc = prepare_state_dir(a->state_dir, err)) != 0)
		return rc;
	if ((s = session_new(a->state_dir)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	snprintf(s->user_id, sizeof(s->user_id), "%s", a->user_id);
	snprintf(s->cfg.url, sizeof(s->cfg.url), "%s", a->url);
	/* Absolute, so that later runs from any directory find them. */
	if ((rc = absolute_path(a->ca, "the municipal CA", s->cfg.ca,
	    sizeof(s->cfg.ca), err)) != 0 ||
	    (rc = absolute_path(a->cert, "the workstation certificate", s->cfg.cert,
	    sizeof(s->cfg.cert), err)) != 0 ||
	    (rc = absolute_path(a->key, "the workstation key", s->cfg.key,
	    sizeof(s->cfg.key), err)) != 0)
		goto fail;
	if ((rc = ws_cert_identity(a->cert, s->cfg.workstation_id,
	    sizeof(s->cfg.workstation_id), s->cfg.municipality,
	    sizeof(s->cfg.municipality), err)) != 0 ||
	    (rc = ws_session_http(s, &http, err)) != 0)
		goto fail;

	/* The master key K: random, per workstation, never stored in clear. */
	if ((rc = secbuf_alloc(&key, STORE_KEY_BYTES, err)) != 0)
		goto fail;
	if (RAND_priv_bytes(key.data, (int)key.len) != 1) {
		rc = sesshu_err_set(err, SESSHU_ECRYPTO, "no randomness for the key");
		goto fail;
	}
	ws_state_path(path, sizeof(path), a->state_dir, WS_CACHE_FILE);
	created = 1;
	if ((rc = store_open(&s->st, path, &key, &store_cache_schema, STORE_CREATE,
	    err)) != 0 ||
	    (rc = wire_b64_encode(key.data, key.len, key_b64, sizeof(key_b64),
	    err)) != 0)
		goto fail;
	base = json_pack("{s:s, s:s, s:s}", "municipality", s->cfg.municipality,
	    "user_id", a->user_id, "master_key", key_b64);
	OPENSSL_cleanse(key_b64, sizeof(key_b64));
	if (base == NULL) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = authenticate(http, "/v1/provision", base, NULL, NULL, ask,
	    ask_ctx, &resp, &password, err)) != 0)
		goto fail;
	if ((rc = write_slot(a->state_dir, s->cfg.workstation_id, a->user_id,
	    &password, &key, err)) != 0 ||
	    (rc = ws_config_save(a->state_dir, &s->cfg, err)) != 0 ||
	    (rc = remember_user(s, json_object_get(resp, "user"), err)) != 0 ||
	    (rc = note_contact(s, err)) != 0 ||
	    (rc = allow_enrollment(s, err)) != 0 ||
	    (rc = ws_audit(s, "workstation.provision", s->cfg.url, "ok", err)) != 0)
		goto fail;
	snprintf(path, sizeof(path), "user:%s", a->user_id);
	if ((rc = ws_audit(s, "login", path, "ok: online", err)) != 0)
		goto fail;
	s->online_login = 1;
	wipe_request(base);
	json_decref(resp);
	secbuf_release(&password);
	s->key = key;		/* kept while the cache is open (account.h) */
	*out = s;
	return 0;
fail:
	if (base != NULL)
		wipe_request(base);
	json_decref(resp);
	secbuf_release(&password);
	secbuf_release(&key);
	store_close(s->st);
	s->st = NULL;
	ws_session_close(s);
	if (created)
		remove_cache_files(a->state_dir);
	return rc;
}

/*
 * Unwraps K from the user's slot; SESSHU_ENOTFOUND when there is none. On
 * success *password is the password that opened it (a forced change
 * sends it to the register), for the caller to release.
 */
static int
offline_key(struct ws_session *s, ws_ask_fn ask, void *ctx, struct secbuf *key,
    struct secbuf *password, struct sesshu_err *err)
{
	struct keyslot_file *f = NULL;
	char path[4096];
	int rc;

	ws_state_path(path, sizeof(path), s->state_dir, WS_KEYSLOT_FILE);
	if ((rc = keyslot_file_load(&f, path, err)) != 0)
		return rc;
	if (strcmp(keyslot_file_workstation(f), s->cfg.workstation_id) != 0) {
		keyslot_file_free(f);
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s belongs to workstation "
		    "%s, not %s", path, keyslot_file_workstation(f),
		    s->cfg.workstation_id);
	}
	if (!keyslot_has_user(f, s->user_id)) {
		keyslot_file_free(f);
		return sesshu_err_set(err, SESSHU_ENOTFOUND, "no key slot for %s",
		    s->user_id);
	}
	if ((rc = ask(ctx, WS_ASK_SECRET, "", password, err)) == 0) {
		rc = keyslot_unlock(f, s->user_id, (const char *)password->data,
		    password->len, key, err);
		if (rc != 0)
			secbuf_release(password);
		if (rc == SESSHU_EAUTH)
			sesshu_err_set(err, SESSHU_EAUTH, "the user ID or password is "
			    "wrong");
	}
	keyslot_file_free(f);
	return rc;
}

/* First login: the register checks the secret and sends K. */
static int
online_key(struct ws_session *s, ws_ask_fn ask, void *ctx, struct secbuf *key,
    json_t **user, struct sesshu_err *err)
{
	struct secbuf password = { NULL, 0 };
	struct sync_http *http;
	const char *b64;
	json_t *base, *resp = NULL;
	size_t len;
	int rc;

	if ((rc = ws_session_http(s, &http, err)) != 0)
		return rc;
	if ((base = json_pack("{s:s, s:s}", "municipality", s->cfg.municipality,
	    "user_id", s->user_id)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	rc = authenticate(http, "/v1/login", base, NULL, NULL, ask, ctx, &resp,
	    &password, err);
	json_decref(base);
	if (rc != 0)
		return rc;
	b64 = json_string_value(json_object_get(resp, "master_key"));
	if (b64 == NULL)
		rc = sesshu_err_set(err, SESSHU_EFORMAT, "the register's answer has "
		    "no master_key");
	else if ((rc = secbuf_alloc(key, STORE_KEY_BYTES, err)) == 0 &&
	    ((rc = wire_b64_decode(b64, strlen(b64), key->data, key->len, &len,
	    "master_key", err)) != 0 || len != STORE_KEY_BYTES)) {
		secbuf_release(key);
		if (rc == 0)
			rc = sesshu_err_set(err, SESSHU_EFORMAT, "master_key: not 32 bytes");
	}
	if (rc == 0)
		rc = write_slot(s->state_dir, s->cfg.workstation_id, s->user_id,
		    &password, key, err);
	secbuf_release(&password);
	wipe_member(resp, "master_key");
	if (rc == 0)
		*user = json_incref(json_object_get(resp, "user"));
	else
		secbuf_release(key);
	json_decref(resp);
	return rc;
}

/*
 * A login checked against the workstation's own key slot is reported to
 * the register when it can be reached at once, so that failures count per
 * user across workstations (issue: lockout "counted per user across
 * workstations when online"): the register counts a failure, clears the
 * count on success, and says whether the user is locked. Best effort with
 * short timeouts: offline, the workstation's own count (login_guard)
 * stands alone. Returns 1 with *until (local time) when the register says
 * the user is locked.
 */
static int
report_login(struct ws_session *s, int failed, char *until, size_t size)
{
	struct sync_endpoint_config ep;
	struct sync_http *http = NULL;
	json_t *body, *resp = NULL;
	const char *when;
	long status = 0;
	time_t t;
	int locked = 0;

	until[0] = '\0';
	ws_config_endpoint(&s->cfg, &ep);
	ep.connect_timeout_ms = 2000;
	ep.total_timeout_ms = 4000;
	if (sync_http_new(&http, &ep, NULL) != 0)
		return 0;
	body = json_pack("{s:s, s:s, s:b}", "municipality", s->cfg.municipality,
	    "user_id", s->user_id, "failed", failed);
	if (body != NULL && sync_http_post(http, "/v1/login-report", body,
	    &status, &resp, NULL) == 0 && status == 200 &&
	    json_is_true(json_object_get(resp, "locked")) &&
	    (when = json_string_value(json_object_get(resp, "locked_until"))) !=
	    NULL && store_time_parse(when, &t) == 0) {
		local_time(t, until, size);
		locked = 1;
	}
	json_decref(body);
	json_decref(resp);
	sync_http_free(http);
	return locked;
}

int
ws_login_with_settings(const char *state_dir, const char *user_id,
    const struct ws_settings *settings, ws_ask_fn ask, void *ask_ctx,
    struct ws_session **out, struct sesshu_err *err)
{
	struct secbuf key = { NULL, 0 }, password = { NULL, 0 };
	struct ws_settings defaults;
	struct ws_session *s;
	json_t *user = NULL;
	char path[4096], object[64], until[32];
	int rc;

	*out = NULL;
	if (settings == NULL) {
		ws_settings_default(&defaults);
		settings = &defaults;
	}
	if ((s = session_new(state_dir)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	snprintf(s->user_id, sizeof(s->user_id), "%s", user_id);
	snprintf(object, sizeof(object), "user:%s", user_id);
	if ((rc = ws_config_load(state_dir, &s->cfg, err)) != 0 ||
	    (rc = guard_check(s, settings, err)) != 0)
		goto out;
	rc = offline_key(s, ask, ask_ctx, &key, &password, err);
	if (rc == SESSHU_EAUTH) {
		rc = guard_failed(s, settings, err);
		(void)report_login(s, 1, until, sizeof(until));
	} else if (rc == SESSHU_ENOTFOUND) {
		/* The register counts and audits the failures of online logins. */
		s->online_login = 1;
		rc = online_key(s, ask, ask_ctx, &key, &user, err);
	}
	if (rc != 0)
		goto out;
	ws_state_path(path, sizeof(path), state_dir, WS_CACHE_FILE);
	if ((rc = store_open(&s->st, path, &key, &store_cache_schema, 0, err)) != 0 ||
	    (rc = guard_passed(s, settings, err)) != 0)
		goto out;
	if (user != NULL) {
		if ((rc = remember_user(s, user, err)) != 0 ||
		    (rc = note_contact(s, err)) != 0 ||
		    (rc = allow_enrollment(s, err)) != 0)
			goto out;
	} else if ((rc = role_from_cache(s)) != 0 ||
	    (rc = check_contact(s, settings, object, err)) != 0 ||
	    (rc = check_password(s, &password, ask, ask_ctx, object, err)) != 0)
		goto out;
	else if (report_login(s, 0, until, sizeof(until))) {
		/* Locked by failures on other workstations: the register says. */
		(void)ws_audit(s, "login", object, "refused: locked at the register",
		    NULL);
		sesshu_err_set(err, SESSHU_EDENIED, "too many failed logins: %s is "
		    "locked until %s", s->user_id, until);
		sesshu_err_because(err, SESSHU_WHY_LOCKED_OUT, until);
		rc = SESSHU_EDENIED;
		goto out;
	}
	note_expiry(s);
	rc = ws_audit(s, "login", object, s->online_login ? "ok: online" :
	    "ok: offline", err);
out:
	secbuf_release(&password);
	json_decref(user);
	if (rc != 0) {
		secbuf_release(&key);
		ws_session_close(s);
		return rc;
	}
	s->key = key;		/* kept while the cache is open (account.h) */
	*out = s;
	return 0;
}

int
ws_login_factor_failed(struct ws_session *s, const struct ws_settings *settings,
    struct sesshu_err *err)
{
	struct ws_settings defaults;
	struct guard_ctx c;
	char when[32];
	int rc;

	if (settings == NULL) {
		ws_settings_default(&defaults);
		settings = &defaults;
	}
	guard_policy(settings, &c, s);
	if ((rc = guard_run(s, guard_factor_fn, &c, err)) != 0)
		return rc;
	if (c.until == 0)
		return 0;
	local_time(c.until, when, sizeof(when));
	sesshu_err_set(err, SESSHU_EDENIED, "too many failed logins: %s "
	    "is locked until %s", s->user_id, when);
	sesshu_err_because(err, SESSHU_WHY_LOCKED_OUT, when);
	return SESSHU_EDENIED;
}

int
ws_login(const char *state_dir, const char *user_id, ws_ask_fn ask,
    void *ask_ctx, struct ws_session **out, struct sesshu_err *err)
{
	return ws_login_with_settings(state_dir, user_id, NULL, ask, ask_ctx, out,
	    err);
}

/* The new password of a voluntary change, given once (a policy refusal
 * ends the dialogue with the register's reason). */
struct fixed_password {
	const struct secbuf	*fresh;
	int			 asked;
	char			*why;
	size_t			 why_size;
};

static int
ask_fixed(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
    struct sesshu_err *err)
{
	struct fixed_password *f = ctx;

	if (what == WS_ASK_NEW_PASSWORD && f->asked++ > 0) {
		snprintf(f->why, f->why_size, "%s", why);
		return sesshu_err_set(err, SESSHU_EINVAL, "the new password was "
		    "refused: %s", why);
	}
	return secbuf_dup(out, f->fresh->data, f->fresh->len, err);
}

int
ws_password_change(struct ws_session *s, const struct secbuf *current,
    const struct secbuf *fresh, char *why, size_t why_size,
    struct sesshu_err *err)
{
	struct fixed_password f = { fresh, 0, why, why_size };
	char object[64];
	int rc;

	why[0] = '\0';
	snprintf(object, sizeof(object), "user:%s", s->user_id);
	rc = change_password(s, current, "the user's own change", ask_fixed, &f,
	    object, "ok: by the user", err);
	if (rc != 0)
		(void)ws_audit(s, "password.change", object, "refused", NULL);
	else
		note_expiry(s);
	return rc;
}
