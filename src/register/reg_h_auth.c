/*
 * reg_h_auth.c: the endpoints that authenticate people: hello, provision,
 * login and password (docs/PROTOCOL.md). A refusal never says which factor
 * was wrong; reg_users.c audits every attempt.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "register/reg_service.h"
#include "register/reg_users.h"
#include "register/reg_workstations.h"
#include "store/store.h"
#include "sync/wire.h"

/* The members a login-like request may carry. */
static const struct wire_field login_fields[] = {
	{ "municipality", WIRE_STRING, WIRE_REQUIRED, 6 },
	{ "user_id", WIRE_STRING, WIRE_REQUIRED, REG_USER_ID_MAX },
	{ "secret", WIRE_STRING, WIRE_REQUIRED, 256 },
	{ "new_password", WIRE_STRING, WIRE_OPTIONAL, 256 },
	{ "master_key", WIRE_STRING, WIRE_OPTIONAL, 64 },
	WIRE_FIELDS_END
};

static json_t *
user_json(const struct reg_user_info *u)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:s?, s:s?}",
	    "user_id", u->user_id, "name", u->name, "role", u->role,
	    "must_change_password", u->must_change_password,
	    "password_changed_at", u->password_changed_at[0] != '\0' ?
	    u->password_changed_at : NULL,
	    "password_expires_at", u->password_expires_at[0] != '\0' ?
	    u->password_expires_at : NULL);
}

/*
 * Answers a login's outcome other than success; returns 1 if it answered.
 */
static int
refuse_login(const struct reg_login_result *res, struct reg_response *resp)
{
	switch (res->outcome) {
	case REG_LOGIN_OK:
		return 0;
	case REG_LOGIN_AUTH_FAILED:
		reg_response_error(resp, 401, "auth_failed",
		    "the user ID, password or activation code is wrong");
		break;
	case REG_LOGIN_DISABLED:
		reg_response_error(resp, 403, "user_disabled", "%s", res->message);
		break;
	case REG_LOGIN_FORBIDDEN:
		reg_response_error(resp, 403, "forbidden", "%s", res->message);
		break;
	case REG_LOGIN_LOCKED:
		reg_response_error(resp, 423, "locked", "%s", res->message);
		if (resp->body != NULL)
			json_object_set_new(resp->body, "retry_after",
			    json_integer(res->retry_after));
		break;
	case REG_LOGIN_CHANGE_REQUIRED:
		reg_response_error(resp, 422, "password_change_required", "%s",
		    res->message);
		break;
	case REG_LOGIN_POLICY:
		reg_response_error(resp, 422, "password_policy", "%s", res->message);
		break;
	}
	return 1;
}

/* Checks the body and runs the login; returns 1 if it already answered. */
static int
run_login(struct reg_service *svc, const struct reg_peer *peer, json_t *body,
    const char *required_role, int need_new_password,
    struct reg_login_result *res, struct reg_response *resp)
{
	struct reg_login_request req = { 0 };
	struct sesshu_err err = { 0 };
	int rc;

	if (wire_check_object(body, login_fields, NULL, &err) != 0)
		return reg_response_error(resp, 400, "bad_request", "%s", err.msg), 1;
	wire_get_string(body, NULL, "user_id", REG_USER_ID_MAX, &req.user_id,
	    NULL, NULL);
	wire_get_string(body, NULL, "secret", 256, &req.secret, &req.secret_len,
	    NULL);
	rc = wire_get_string(body, NULL, "new_password", 256, &req.new_password,
	    &req.new_password_len, NULL);
	if (rc != 0)
		req.new_password = NULL;
	if (need_new_password && req.new_password == NULL)
		return reg_response_error(resp, 400, "bad_request",
		    "new_password: required"), 1;
	req.workstation_id = peer->workstation_id;
	req.required_role = required_role;
	if (reg_user_login(svc->reg, &req, res, &err) != 0)
		return reg_response_error(resp, 500, "internal", "the register failed: "
		    "%s", err.msg), 1;
	return refuse_login(res, resp);
}

int
reg_handle_hello(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	static const struct wire_field fields[] = {
		{ "municipality", WIRE_STRING, WIRE_REQUIRED, 6 },
		WIRE_FIELDS_END
	};
	struct reg_service *svc = ctx;
	struct sesshu_err err = { 0 };
	char now[STORE_TIME_LEN];

	if (wire_check_object(body, fields, NULL, &err) != 0)
		return reg_response_error(resp, 400, "bad_request", "%s", err.msg);
	if (reg_refuse_workstation(svc, peer, 0, resp))
		return 0;
	store_now_utc(now, sizeof(now));
	resp->status = 200;
	resp->body = json_pack("{s:s, s:i, s:s, s:s}", "municipality",
	    svc->reg->municipality, "protocol", 1, "server_time", now,
	    "workstation", peer->workstation_id);
	return 0;
}

int
reg_handle_provision(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	struct reg_service *svc = ctx;
	struct reg_login_result res;
	struct sesshu_err err = { 0 };
	enum reg_ws_state state;
	struct secbuf key = { NULL, 0 };
	const char *key_b64 = NULL;
	size_t key_len = 0, b64_len = 0;
	char object[96];

	if (reg_refuse_workstation(svc, peer, 0, resp))
		return 0;
	if (reg_ws_state(svc->reg, peer->workstation_id, &state, &err) != 0)
		return reg_response_error(resp, 500, "internal", "%s", err.msg);
	if (state == REG_WS_PROVISIONED)
		return reg_response_error(resp, 409, "already_provisioned",
		    "workstation %s already has an escrowed key; revoke it and "
		    "add it again to provision it afresh", peer->workstation_id);
	if (wire_get_string(body, NULL, "master_key", 64, &key_b64, &b64_len,
	    &err) != 0)
		return reg_response_error(resp, 400, "bad_request", "%s",
		    err.code == SESSHU_ENOTFOUND ? "master_key: required" : err.msg);
	if (secbuf_alloc(&key, STORE_KEY_BYTES, &err) != 0)
		return reg_response_error(resp, 500, "internal", "%s", err.msg);
	if (wire_b64_decode(key_b64, b64_len, key.data, key.len, &key_len,
	    "master_key", &err) != 0 || key_len != STORE_KEY_BYTES) {
		secbuf_release(&key);
		return reg_response_error(resp, 400, "bad_request", "%s",
		    err.msg[0] ? err.msg : "master_key: must be 32 bytes");
	}
	if (run_login(svc, peer, body, "is-admin", 0, &res, resp)) {
		secbuf_release(&key);
		return 0;
	}
	snprintf(object, sizeof(object), "workstation:%s", peer->workstation_id);
	if (store_begin(svc->reg->st, &err) != 0 ||
	    reg_ws_escrow(svc->reg, peer->workstation_id, res.user.user_id, &key,
	    &err) != 0 ||
	    reg_audit(svc->reg, res.user.user_id, peer->workstation_id,
	    "workstation.provision", object, "ok", &err) != 0 ||
	    store_commit(svc->reg->st, &err) != 0) {
		store_rollback(svc->reg->st);
		secbuf_release(&key);
		if (err.code == SESSHU_EEXIST)
			return reg_response_error(resp, 409, "already_provisioned", "%s",
			    err.msg);
		return reg_response_error(resp, 500, "internal", "%s", err.msg);
	}
	secbuf_release(&key);
	resp->status = 200;
	resp->body = json_pack("{s:o}", "user", user_json(&res.user));
	return 0;
}

/*
 * The key travels in the JSON text, which jansson and libevent keep on the
 * ordinary heap until the response is written; TLS protects it on the wire
 * (docs/SECURITY.md, "Key escrow").
 */
static json_t *
login_body(const struct reg_user_info *u, const struct secbuf *key)
{
	char b64[WIRE_B64_ENCODED_SIZE(STORE_KEY_BYTES)];
	json_t *body;

	if (wire_b64_encode(key->data, key->len, b64, sizeof(b64), NULL) != 0)
		return NULL;
	body = json_pack("{s:o, s:s}", "user", user_json(u), "master_key", b64);
	OPENSSL_cleanse(b64, sizeof(b64));
	return body;
}

int
reg_handle_login(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	struct reg_service *svc = ctx;
	struct reg_login_result res;
	struct sesshu_err err = { 0 };
	struct secbuf key;

	if (reg_refuse_workstation(svc, peer, 1, resp) ||
	    run_login(svc, peer, body, NULL, 0, &res, resp))
		return 0;
	if (reg_ws_key(svc->reg, peer->workstation_id, &key, &err) != 0)
		return reg_response_error(resp, 500, "internal", "%s", err.msg);
	resp->status = 200;
	resp->body = login_body(&res.user, &key);
	secbuf_release(&key);
	return 0;
}

int
reg_handle_password(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	struct reg_service *svc = ctx;
	struct reg_login_result res;

	if (reg_refuse_workstation(svc, peer, 1, resp) ||
	    run_login(svc, peer, body, NULL, 1, &res, resp))
		return 0;
	resp->status = 200;
	resp->body = json_pack("{s:o}", "user", user_json(&res.user));
	return 0;
}

/*
 * A workstation's own login (its key slot), reported: counted per user
 * here, the lockout in force answered (docs/PROTOCOL.md, login-report).
 */
int
reg_handle_login_report(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	static const struct wire_field fields[] = {
		{ "municipality", WIRE_STRING, WIRE_REQUIRED, 6 },
		{ "user_id", WIRE_STRING, WIRE_REQUIRED, REG_USER_ID_MAX },
		{ "failed", WIRE_BOOLEAN, WIRE_REQUIRED, 0 },
		WIRE_FIELDS_END
	};
	struct reg_service *svc = ctx;
	struct sesshu_err err = { 0 };
	char until[STORE_TIME_LEN];
	const char *user;

	if (wire_check_object(body, fields, NULL, &err) != 0)
		return reg_response_error(resp, 400, "bad_request", "%s", err.msg);
	if (reg_refuse_workstation(svc, peer, 1, resp))
		return 0;
	wire_get_string(body, NULL, "user_id", REG_USER_ID_MAX, &user, NULL, NULL);
	if (reg_user_login_report(svc->reg, user, json_is_true(json_object_get(
	    body, "failed")), peer->workstation_id, until, sizeof(until),
	    &err) != 0)
		return reg_response_error(resp, 500, "internal", "the register "
		    "failed: %s", err.msg);
	resp->status = 200;
	resp->body = until[0] != '\0' ? json_pack("{s:b, s:s}", "locked", 1,
	    "locked_until", until) : json_pack("{s:b}", "locked", 0);
	return 0;
}
