/*
 * account.c: provisioning and logins on a workstation; see account.h.
 *
 * Both provisioning and a first login speak the same dialogue with the
 * register: send the secret; if the register answers 422
 * password_change_required or password_policy, ask for a new password
 * (twice) and send again, at most a few times; then take what it returns.
 */
#include "sync/account.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "auth/keyslot.h"
#include "store/audit.h"
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
 * added here. On success *response is the register's answer and
 * *password the password now valid (the new one if one was set).
 */
static int
authenticate(struct sync_http *http, const char *path, json_t *base,
    ws_ask_fn ask, void *ctx, json_t **response, struct secbuf *password,
    struct sesshu_err *err)
{
	struct secbuf secret = { NULL, 0 }, fresh = { NULL, 0 };
	const char *error, *message;
	char why[256] = "";
	long status;
	json_t *req, *resp = NULL;
	int rc, tries = 0;

	if ((rc = ask(ctx, WS_ASK_SECRET, "", &secret, err)) != 0)
		return rc;
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
	    " last_login_at = ?5, password_changed_at = ?6 WHERE user_id = ?1";
	static const char insert_sql[] =
	    "INSERT INTO users (user_id, name, role, must_change_password,"
	    " last_login_at, password_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
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
	if ((rc = authenticate(http, "/v1/provision", base, ask, ask_ctx, &resp,
	    &password, err)) != 0)
		goto fail;
	if ((rc = write_slot(a->state_dir, s->cfg.workstation_id, a->user_id,
	    &password, &key, err)) != 0 ||
	    (rc = ws_config_save(a->state_dir, &s->cfg, err)) != 0 ||
	    (rc = remember_user(s, json_object_get(resp, "user"), err)) != 0 ||
	    (rc = ws_audit(s, "workstation.provision", s->cfg.url, "ok", err)) != 0)
		goto fail;
	snprintf(path, sizeof(path), "user:%s", a->user_id);
	if ((rc = ws_audit(s, "login", path, "ok: online", err)) != 0)
		goto fail;
	s->online_login = 1;
	wipe_request(base);
	json_decref(resp);
	secbuf_release(&password);
	secbuf_release(&key);
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

/* Unwraps K from the user's slot; SESSHU_ENOTFOUND when there is none. */
static int
offline_key(struct ws_session *s, ws_ask_fn ask, void *ctx, struct secbuf *key,
    struct sesshu_err *err)
{
	struct keyslot_file *f = NULL;
	struct secbuf password;
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
	if ((rc = ask(ctx, WS_ASK_SECRET, "", &password, err)) == 0) {
		rc = keyslot_unlock(f, s->user_id, (const char *)password.data,
		    password.len, key, err);
		secbuf_release(&password);
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
	rc = authenticate(http, "/v1/login", base, ask, ctx, &resp, &password, err);
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

int
ws_login(const char *state_dir, const char *user_id, ws_ask_fn ask,
    void *ask_ctx, struct ws_session **out, struct sesshu_err *err)
{
	struct secbuf key = { NULL, 0 };
	struct ws_session *s;
	json_t *user = NULL;
	char path[4096], object[64];
	int rc;

	*out = NULL;
	if ((s = session_new(state_dir)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	snprintf(s->user_id, sizeof(s->user_id), "%s", user_id);
	if ((rc = ws_config_load(state_dir, &s->cfg, err)) != 0)
		goto out;
	rc = offline_key(s, ask, ask_ctx, &key, err);
	if (rc == SESSHU_ENOTFOUND) {
		s->online_login = 1;
		rc = online_key(s, ask, ask_ctx, &key, &user, err);
	}
	if (rc != 0)
		goto out;
	ws_state_path(path, sizeof(path), state_dir, WS_CACHE_FILE);
	if ((rc = store_open(&s->st, path, &key, &store_cache_schema, 0, err)) != 0)
		goto out;
	snprintf(object, sizeof(object), "user:%s", user_id);
	if (user != NULL)
		rc = remember_user(s, user, err);
	else
		rc = role_from_cache(s);
	if (rc == 0)
		rc = ws_audit(s, "login", object, s->online_login ? "ok: online" :
		    "ok: offline", err);
out:
	secbuf_release(&key);
	json_decref(user);
	if (rc != 0) {
		ws_session_close(s);
		return rc;
	}
	*out = s;
	return 0;
}
