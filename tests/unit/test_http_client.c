/*
 * test_http_client.c: the register client refuses what it must refuse
 * before any byte is sent (a URL that is not https or carries a password,
 * a missing CA, certificate or key file, a bad path or body), reports a
 * closed port and a silent one quickly with a message naming the URL and
 * never the body, ignores proxies from the environment, turns the
 * register's error answers into status codes (docs/PROTOCOL.md), and lets
 * another thread cut a waiting request short (the background sync's stop).
 *
 * No server is started: TLS with the real register is an integration
 * test. The "closed" port is a bound socket that does not listen (the
 * kernel refuses connections to it and nothing else can take it); the
 * "silent" port listens but never accepts, so TCP connects and TLS waits.
 * The certificate and key are a self-signed pair made here (libcurl loads
 * them once TCP connects); nothing ever verifies them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <glib.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sync/http_client.h"
#include "testutil.h"

#define BODY_SECRET	"hunter2-must-not-leak"

struct fx {
	char	*dir;
	char	 ca[4096], cert[4096], key[4096];
	struct sync_endpoint_config cfg;
};

/* A self-signed P-256 certificate for CN=ws-test and its key, as PEM. */
static int
write_self_signed(const char *cert_path, const char *key_path)
{
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	FILE *cf = NULL, *kf = NULL;
	int rc = -1;

	if (pk == NULL || x == NULL)
		goto out;
	name = X509_get_subject_name(x);
	if (X509_set_version(x, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), 1) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 3600) == NULL ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"ws-test", -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, name) != 1 ||
	    X509_set_pubkey(x, pk) != 1 ||
	    X509_sign(x, pk, EVP_sha256()) == 0)
		goto out;
	if ((cf = fopen(cert_path, "w")) == NULL ||
	    (kf = fopen(key_path, "w")) == NULL ||
	    PEM_write_X509(cf, x) != 1 ||
	    PEM_write_PrivateKey(kf, pk, NULL, NULL, 0, NULL, NULL) != 1)
		goto out;
	rc = 0;
out:
	if (cf != NULL && fclose(cf) != 0)
		rc = -1;
	if (kf != NULL && fclose(kf) != 0)
		rc = -1;
	X509_free(x);
	EVP_PKEY_free(pk);
	return rc;
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL || (fx->dir = tu_mkdtemp("http")) == NULL)
		return -1;
	snprintf(fx->ca, sizeof(fx->ca), "%s/ca.pem", fx->dir);
	snprintf(fx->cert, sizeof(fx->cert), "%s/ws.pem", fx->dir);
	snprintf(fx->key, sizeof(fx->key), "%s/ws.key", fx->dir);
	/* The workstation's own certificate stands in for the CA. */
	if (write_self_signed(fx->cert, fx->key) != 0 ||
	    write_self_signed(fx->ca, tu_path(fx->dir, "ca.key")) != 0)
		return -1;
	fx->cfg.url = "https://localhost:8443";
	fx->cfg.ca_file = fx->ca;
	fx->cfg.cert_file = fx->cert;
	fx->cfg.key_file = fx->key;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	tu_rm_rf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A TCP socket on 127.0.0.1, listening or not; *port gets its port. */
static int
local_socket(int listening, int *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int s;

	s = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	if (listening)
		assert_int_equal(listen(s, 4), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return s;
}

static json_t *
hello_body(void)
{
	/* "secret" stands for what login bodies carry. */
	return json_pack("{s:s, s:s}", "municipality", "990001",
	    "secret", BODY_SECRET);
}

static void
refused_url(struct fx *fx, const char *url, const char *needle)
{
	struct sesshu_err err = { 0 };
	struct sync_http *h = (void *)1;

	fx->cfg.url = url;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), SESSHU_EINVAL);
	assert_null(h);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("\"%s\" not in \"%s\"", needle, err.msg);
}

static void
test_http_refuses_a_url_that_is_not_https(void **state)
{
	struct fx *fx = *state;

	refused_url(fx, "http://localhost:8443",
	    "the register URL \"http://localhost:8443\" is not https");
	refused_url(fx, "localhost:8443", "is not https");
	refused_url(fx, "ftp://localhost/", "is not https");
	refused_url(fx, "", "no register URL");
	refused_url(fx, NULL, "no register URL");
	refused_url(fx, "https://", "is not a valid URL");
	refused_url(fx, "https://localhost:8443/?x=1", "query or fragment");
}

static void
test_http_refuses_a_url_with_a_password_without_quoting_it(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct sync_http *h;

	fx->cfg.url = "https://admin:pa55word@localhost:8443";
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "user name or password"));
	assert_null(strstr(err.msg, "pa55word"));
}

static void
missing_file(struct fx *fx, const char **slot, const char *role)
{
	struct sesshu_err err = { 0 };
	struct sync_http *h;
	const char *saved = *slot;
	char path[4200], want[4400];

	snprintf(path, sizeof(path), "%s/absent.pem", fx->dir);
	*slot = path;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), SESSHU_EINVAL);
	snprintf(want, sizeof(want), "cannot use %s %s: No such file or "
	    "directory", role, path);
	assert_string_equal(err.msg, want);
	*slot = NULL;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, role));
	/* A directory is not a file. */
	*slot = fx->dir;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
	*slot = saved;
}

static void
test_http_refuses_missing_ca_cert_or_key_naming_the_file(void **state)
{
	struct fx *fx = *state;
	struct sync_http *h;

	missing_file(fx, &fx->cfg.ca_file, "the municipal CA file");
	missing_file(fx, &fx->cfg.cert_file, "the workstation certificate");
	missing_file(fx, &fx->cfg.key_file, "the workstation key");
	/* With all three back, the same configuration is accepted. */
	assert_int_equal(sync_http_new(&h, &fx->cfg, NULL), 0);
	sync_http_free(h);
	sync_http_free(NULL);
}

static void
test_http_refuses_negative_timeouts(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct sync_http *h;

	fx->cfg.total_timeout_ms = -1;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "timeouts"));
}

static void
test_http_refuses_bad_paths_and_bodies_before_sending(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct sync_http *h;
	json_t *body = hello_body(), *array = json_array(), *resp;
	long status = -1;

	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), 0);
	assert_int_equal(sync_http_post(h, "v1/hello", body, &status, &resp,
	    &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "must start with '/'"));
	assert_int_equal(status, 0);
	assert_null(resp);
	assert_int_equal(sync_http_post(h, "/v1/hello?x=1", body, &status,
	    &resp, &err), SESSHU_EINVAL);
	assert_int_equal(sync_http_post(h, "/v1/hello\r\nX: y", body, &status,
	    &resp, &err), SESSHU_EINVAL);
	assert_int_equal(sync_http_post(h, "/v1/hello", array, &status, &resp,
	    &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "not a JSON object"));
	assert_int_equal(sync_http_post(h, "/v1/hello", NULL, &status, &resp,
	    &err), SESSHU_EINVAL);
	json_decref(array);
	json_decref(body);
	sync_http_free(h);
}

static void
test_http_closed_port_is_cannot_reach_quickly(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct sync_http *h;
	json_t *body = hello_body(), *resp = (void *)1;
	char url[64], want[128];
	long status = -1, t0;
	int s, port;

	s = local_socket(0, &port);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
	fx->cfg.url = url;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), 0);
	t0 = now_ms();
	assert_int_equal(sync_http_post(h, "/v1/hello", body, &status, &resp,
	    &err), SESSHU_EIO);
	/* The connect timeout is 10 s: this must not have waited for it. */
	assert_true(now_ms() - t0 < 5000);
	snprintf(want, sizeof(want), "cannot reach the register at %s: "
	    "connection refused", url);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.code, SESSHU_EIO);
	assert_int_equal(status, 0);
	assert_null(resp);
	/* The handle stays usable after a failure. */
	assert_int_equal(sync_http_post(h, "/v1/hello", body, &status, &resp,
	    &err), SESSHU_EIO);
	assert_string_equal(err.msg, want);
	json_decref(body);
	sync_http_free(h);
	close(s);
}

static void
test_http_silent_port_times_out_naming_the_limit(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct sync_http *h;
	json_t *body = hello_body(), *resp;
	char url[64], want[160];
	long status;
	int s, port;

	s = local_socket(1, &port);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
	fx->cfg.url = url;
	fx->cfg.connect_timeout_ms = 300;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), 0);
	assert_int_equal(sync_http_post(h, "/v1/hello", body, &status, &resp,
	    &err), SESSHU_EIO);
	snprintf(want, sizeof(want), "cannot reach the register at %s: "
	    "timed out after 0.3 s while connecting", url);
	assert_string_equal(err.msg, want);
	assert_null(strstr(err.msg, BODY_SECRET));
	json_decref(body);
	sync_http_free(h);
	close(s);
}

static void
test_http_cancel_flag_set_refuses_before_connecting(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct sync_http *h;
	json_t *body = hello_body(), *resp;
	char url[64];
	long status, t0;
	int s, port, cancel = 1;

	s = local_socket(1, &port);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
	fx->cfg.url = url;
	fx->cfg.connect_timeout_ms = 300;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), 0);
	sync_http_set_cancel(h, &cancel);
	t0 = now_ms();
	assert_int_equal(sync_http_post(h, "/v1/hello", body, &status, &resp,
	    &err), SESSHU_ECANCELED);
	assert_true(now_ms() - t0 < 250);
	assert_non_null(strstr(err.msg, "was cancelled"));
	assert_null(resp);
	/* Removed, the flag no longer counts: the silent port times out. */
	sync_http_set_cancel(h, NULL);
	assert_int_equal(sync_http_post(h, "/v1/hello", body, &status, &resp,
	    &err), SESSHU_EIO);
	assert_non_null(strstr(err.msg, "timed out after 0.3 s"));
	json_decref(body);
	sync_http_free(h);
	close(s);
}

/* Sets the flag a moment after the request started waiting. */
static gpointer
cancel_later(gpointer flag)
{
	g_usleep(300 * 1000);	/* the request is connecting by now */
	g_atomic_int_set((int *)flag, 1);
	return NULL;
}

static void
test_http_cancel_cuts_a_waiting_request_short(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct sync_http *h;
	json_t *body = hello_body(), *resp;
	GThread *th;
	char url[64];
	long status, t0, took;
	int s, port, cancel = 0;

	/* Listening, never accepting: TLS would wait the full 10 s. */
	s = local_socket(1, &port);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
	fx->cfg.url = url;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), 0);
	sync_http_set_cancel(h, &cancel);
	t0 = now_ms();
	th = g_thread_new("cancel", cancel_later, &cancel);
	assert_int_equal(sync_http_post(h, "/v1/hello", body, &status, &resp,
	    &err), SESSHU_ECANCELED);
	took = now_ms() - t0;
	g_thread_join(th);
	assert_true(took >= 250);
	assert_true(took < 3000);
	assert_non_null(strstr(err.msg, url));
	assert_null(strstr(err.msg, BODY_SECRET));
	assert_int_equal(status, 0);
	assert_null(resp);
	json_decref(body);
	sync_http_free(h);
	close(s);
}

static void
test_http_ignores_proxies_from_the_environment(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct sync_http *h;
	json_t *body = hello_body(), *resp;
	char url[64], proxy[64];
	long status;
	int closed, silent, cport, sport;

	/*
	 * Through the proxy (a port that never answers) the request would
	 * time out; straight to the register (a closed port) it is refused.
	 */
	closed = local_socket(0, &cport);
	silent = local_socket(1, &sport);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d", cport);
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", sport);
	setenv("https_proxy", proxy, 1);
	setenv("HTTPS_PROXY", proxy, 1);
	setenv("ALL_PROXY", proxy, 1);
	unsetenv("NO_PROXY");
	unsetenv("no_proxy");
	fx->cfg.url = url;
	fx->cfg.connect_timeout_ms = 2000;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), 0);
	assert_int_equal(sync_http_post(h, "/v1/hello", body, &status, &resp,
	    &err), SESSHU_EIO);
	assert_non_null(strstr(err.msg, "connection refused"));
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("ALL_PROXY");
	json_decref(body);
	sync_http_free(h);
	close(closed);
	close(silent);
}

/* What libcurl loads once TCP connects: an unusable file is named. */
static void
unusable_file(struct fx *fx, const char *path, const char *want)
{
	static const char junk[] = "-----BEGIN CERTIFICATE-----\n"
	    "not base64 at all\n-----END CERTIFICATE-----\n";
	struct sesshu_err err = { 0 };
	struct sync_http *h;
	json_t *body = hello_body(), *resp;
	char url[64];
	long status;
	int s, port;

	assert_int_equal(tu_write_file(path, junk, sizeof(junk) - 1), 0);
	s = local_socket(1, &port);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
	fx->cfg.url = url;
	fx->cfg.connect_timeout_ms = 2000;
	assert_int_equal(sync_http_new(&h, &fx->cfg, &err), 0);
	assert_int_equal(sync_http_post(h, "/v1/hello", body, &status, &resp,
	    &err), SESSHU_EIO);
	if (strstr(err.msg, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, err.msg);
	assert_null(strstr(err.msg, BODY_SECRET));
	json_decref(body);
	sync_http_free(h);
	close(s);
}

static void
test_http_unusable_certificate_is_named(void **state)
{
	struct fx *fx = *state;
	char want[8400];

	snprintf(want, sizeof(want), "cannot use the workstation certificate "
	    "%s with key %s: ", fx->cert, fx->key);
	unusable_file(fx, fx->cert, want);
}

static void
test_http_unusable_ca_file_is_named(void **state)
{
	struct fx *fx = *state;
	char want[4400];

	snprintf(want, sizeof(want), "cannot load the municipal CA file %s: ",
	    fx->ca);
	unusable_file(fx, fx->ca, want);
}

static void
error_is(long status, const char *json, int code, const char *needle)
{
	struct sesshu_err err = { 0 };
	json_t *resp = json != NULL ? json_loads(json, 0, NULL) : NULL;

	assert_int_equal(sync_http_error(status, resp, &err), code);
	assert_int_equal(err.code, code);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("\"%s\" not in \"%s\"", needle, err.msg);
	json_decref(resp);
}

static void
test_http_error_maps_the_protocol_errors(void **state)
{
	struct sesshu_err err = { 0 };
	json_t *ok = json_pack("{s:i}", "protocol", 1);

	(void)state;
	assert_int_equal(sync_http_error(200, ok, &err), 0);
	assert_int_equal(sync_http_error(204, NULL, &err), 0);
	assert_int_equal(err.code, 0);
	json_decref(ok);

	error_is(401, "{\"error\":\"auth_failed\",\"message\":\"user ID, "
	    "password or code is wrong\"}", SESSHU_EAUTH, "the register "
	    "refused the request (HTTP 401 auth_failed): user ID, password or "
	    "code is wrong");
	error_is(403, "{\"error\":\"workstation_revoked\",\"message\":\"x\"}",
	    SESSHU_EAUTH, "403 workstation_revoked");
	error_is(403, "{\"error\":\"municipality_mismatch\"}", SESSHU_EAUTH,
	    "(HTTP 403 municipality_mismatch)");
	error_is(423, "{\"error\":\"locked\",\"message\":\"too many failed "
	    "logins\",\"retry_after\":900}", SESSHU_EAUTH,
	    "too many failed logins (retry after 900 s)");
	error_is(422, "{\"error\":\"password_change_required\"}", SESSHU_EAUTH,
	    "password_change_required");
	error_is(422, "{\"error\":\"password_policy\",\"message\":\"at least "
	    "12 characters\"}", SESSHU_EINVAL, "at least 12 characters");
	error_is(409, "{\"error\":\"already_provisioned\"}", SESSHU_EEXIST,
	    "already_provisioned");
	error_is(413, "{\"error\":\"too_large\"}", SESSHU_ERANGE, "too_large");
	error_is(400, "{\"error\":\"bad_request\",\"message\":"
	    "\"changes[3].record.dose: expected an integer\"}", SESSHU_EINVAL,
	    "changes[3].record.dose: expected an integer");
	error_is(404, "{\"error\":\"not_found\"}", SESSHU_EINVAL, "not_found");
	error_is(500, "{\"error\":\"internal\"}", SESSHU_EIO, "internal");
	error_is(503, "{\"error\":\"shutting_down\"}", SESSHU_EIO,
	    "shutting_down");
	error_is(302, NULL, SESSHU_EFORMAT, "redirect (HTTP 302)");
}

static void
test_http_error_without_json_says_so(void **state)
{
	(void)state;
	error_is(502, NULL, SESSHU_EIO, "HTTP 502 without a JSON error");
	error_is(401, "{\"message\":\"no error member\"}", SESSHU_EAUTH,
	    "HTTP 401 without a JSON error");
	error_is(400, "{\"error\":7}", SESSHU_EINVAL, "without a JSON error");
}

static void
test_http_error_quotes_no_control_characters(void **state)
{
	struct sesshu_err err = { 0 };
	json_t *resp;

	(void)state;
	/* ESC [2J clears a screen; U+009B is the one-byte CSI. */
	resp = json_pack("{s:s, s:s}", "error", "bad\x1b_request",
	    "message", "\x1b[2Jcleared\xc2\x9b" "31m red\r\nline 予診票");
	assert_int_equal(sync_http_error(400, resp, &err), SESSHU_EINVAL);
	assert_null(strchr(err.msg, '\x1b'));
	assert_null(strchr(err.msg, '\r'));
	assert_null(strchr(err.msg, '\n'));
	assert_null(strstr(err.msg, "\xc2\x9b"));
	assert_non_null(strstr(err.msg, "bad?_request"));
	assert_non_null(strstr(err.msg, "?[2Jcleared?31m red??line 予診票"));
	json_decref(resp);
}

static void
test_http_error_message_is_bounded(void **state)
{
	struct sesshu_err err = { 0 };
	char longmsg[2000];
	json_t *resp;

	(void)state;
	/* 3-byte characters, so a cut could land inside one. */
	for (size_t i = 0; i + 3 < sizeof(longmsg); i += 3)
		memcpy(longmsg + i, "票", 3);
	longmsg[sizeof(longmsg) / 3 * 3 - 3] = '\0';
	resp = json_pack("{s:s, s:s}", "error", "bad_request", "message",
	    longmsg);
	assert_int_equal(sync_http_error(400, resp, &err), SESSHU_EINVAL);
	assert_true(strlen(err.msg) < SESSHU_ERR_MSG_MAX);
	/* What was kept is whole characters: still valid UTF-8 for jansson. */
	json_decref(resp);
	resp = json_string(err.msg);
	assert_non_null(resp);
	json_decref(resp);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_http_refuses_a_url_that_is_not_https),
		T(test_http_refuses_a_url_with_a_password_without_quoting_it),
		T(test_http_refuses_missing_ca_cert_or_key_naming_the_file),
		T(test_http_refuses_negative_timeouts),
		T(test_http_refuses_bad_paths_and_bodies_before_sending),
		T(test_http_closed_port_is_cannot_reach_quickly),
		T(test_http_silent_port_times_out_naming_the_limit),
		T(test_http_cancel_flag_set_refuses_before_connecting),
		T(test_http_cancel_cuts_a_waiting_request_short),
		T(test_http_ignores_proxies_from_the_environment),
		T(test_http_unusable_certificate_is_named),
		T(test_http_unusable_ca_file_is_named),
		T(test_http_error_maps_the_protocol_errors),
		T(test_http_error_without_json_says_so),
		T(test_http_error_quotes_no_control_characters),
		T(test_http_error_message_is_bounded),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
