/*
 * test_server.c: the register's mTLS server (register/server.h) over
 * loopback, with a PKI made at test time by assets/pki/make-pki.sh.
 *
 * Each test starts a server on 127.0.0.1 with an ephemeral port and its
 * own event loop on a thread, and talks to it with libcurl, raw OpenSSL or
 * raw TCP. It pins that verified workstations are served, that every kind
 * of bad certificate ends the handshake with exactly one refusal naming
 * the reason, that every bad request gets its status and the error body of
 * docs/PROTOCOL.md, that hostile clients neither crash nor block the
 * server, that nothing of a body reaches the log, and that SIGTERM lets
 * the current request finish. No sleeps: every wait polls with a deadline.
 */
#define _GNU_SOURCE	/* pthread_timedjoin_np */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <jansson.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "register/reg_log.h"
#include "register/server.h"
#include "testutil.h"

#ifndef SESSHU_MAKE_PKI
#error "SESSHU_MAKE_PKI must name assets/pki/make-pki.sh"
#endif
#ifndef SESSHU_OPENSSL
#define SESSHU_OPENSSL "openssl"
#endif
#ifndef SESSHU_BASH
#define SESSHU_BASH "/bin/bash"
#endif

#define MUNI		"990001"
#define DEADLINE_MS	10000
#define MAX_REFUSALS	32

static char *pki_dir;

struct refusal_rec {
	char	what[64];
	char	reason[256];
	char	ws[REG_WORKSTATION_ID_MAX + 1];
	char	subject[256];
};

struct fixture {
	struct event_base	*base;
	struct reg_server	*srv;
	struct event		*stop_ev;
	pthread_t		 thread;
	int			 stop_pipe[2];
	int			 running;
	int			 port;
	pthread_mutex_t		 mu;
	int			 nrefusals;
	struct refusal_rec	 refusals[MAX_REFUSALS];
};

struct http_result {
	CURLcode	rc;
	long		status;
	char		body[8192];
	size_t		len;
	char		ctype[128];
	char		allow[64];
	char		errbuf[CURL_ERROR_SIZE];
};

/* ---- helpers ---- */

static const char *
pki_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", pki_dir, name);
	return buf;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int
run_make_pki(const char *dir, int force)
{
	pid_t pid;
	int status;

	if (setenv("OPENSSL", SESSHU_OPENSSL, 1) != 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull >= 0)
			dup2(devnull, STDOUT_FILENO);
		if (force)
			execl(SESSHU_BASH, "bash", SESSHU_MAKE_PKI, "--force", dir,
			    MUNI, (char *)NULL);
		else
			execl(SESSHU_BASH, "bash", SESSHU_MAKE_PKI, dir, MUNI,
			    (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
on_refusal(void *ctx, const struct reg_peer *peer, const char *what,
    const char *reason)
{
	struct fixture *fx = ctx;
	struct refusal_rec *r;

	pthread_mutex_lock(&fx->mu);
	if (fx->nrefusals < MAX_REFUSALS) {
		r = &fx->refusals[fx->nrefusals];
		snprintf(r->what, sizeof(r->what), "%s", what);
		snprintf(r->reason, sizeof(r->reason), "%s", reason);
		snprintf(r->ws, sizeof(r->ws), "%s", peer->workstation_id);
		snprintf(r->subject, sizeof(r->subject), "%s", peer->subject);
	}
	fx->nrefusals++;
	pthread_mutex_unlock(&fx->mu);
}

static int
refusal_count(struct fixture *fx)
{
	int n;

	pthread_mutex_lock(&fx->mu);
	n = fx->nrefusals;
	pthread_mutex_unlock(&fx->mu);
	return n;
}

static int
wait_refusals(struct fixture *fx, int n)
{
	struct pollfd none;
	long deadline = now_ms() + DEADLINE_MS;

	while (refusal_count(fx) < n && now_ms() < deadline)
		(void)poll(&none, 0, 5);	/* a 5 ms tick of a polled deadline */
	return refusal_count(fx);
}

/* ---- handlers ---- */

static int
echo_handler(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	(void)ctx;
	resp->status = 200;
	resp->body = json_pack("{s:s, s:s, s:O}", "workstation",
	    peer->workstation_id, "municipality", peer->municipality, "echo",
	    body);
	return resp->body != NULL ? 0 : -1;
}

static int
deny_handler(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	(void)ctx; (void)body;
	return reg_response_error(resp, 403, "workstation_revoked",
	    "workstation %s was revoked", peer->workstation_id);
}

static int
fail_handler(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	(void)ctx; (void)peer; (void)body;
	resp->body = json_object();	/* released by the server */
	return -1;
}

/* Asks for a shutdown mid-request, as SIGTERM arriving during a push does. */
static int
sigterm_handler(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	(void)ctx; (void)peer; (void)body;
	raise(SIGTERM);
	resp->status = 200;
	resp->body = json_pack("{s:b}", "committed", 1);
	return 0;
}

static const struct reg_route routes[] = {
	{ "/v1/echo", echo_handler },
	{ "/v1/deny", deny_handler },
	{ "/v1/fail", fail_handler },
	{ "/v1/sigterm", sigterm_handler },
	{ NULL, NULL }
};

/* ---- the server on its thread ---- */

static void
stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fixture *fx = arg;
	char c;

	(void)what;
	if (read(fd, &c, 1) < 0)
		fail_msg("reading the shutdown pipe failed");
	reg_server_shutdown(fx->srv);
}

static void *
server_main(void *arg)
{
	struct fixture *fx = arg;

	event_base_dispatch(fx->base);
	return NULL;
}

static struct reg_server_config
default_config(void)
{
	static char cert[512], key[512], ca[512], crl[512];
	struct reg_server_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.listen = "127.0.0.1:0";
	cfg.cert = pki_path(cert, sizeof(cert), "register.crt");
	cfg.key = pki_path(key, sizeof(key), "register.key");
	cfg.ca = pki_path(ca, sizeof(ca), "ca.crt");
	cfg.crl = pki_path(crl, sizeof(crl), "crl.pem");
	cfg.municipality = MUNI;
	return cfg;
}

static struct fixture *
start_server_sig(const struct reg_server_config *cfg, int signals)
{
	struct sesshu_err err = { 0 };
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	pthread_mutex_init(&fx->mu, NULL);
	assert_non_null(fx->base = event_base_new());
	if (reg_server_new(&fx->srv, fx->base, cfg, routes, fx, on_refusal,
	    &err) != 0)
		fail_msg("reg_server_new: %s", err.msg);
	if (signals && reg_server_stop_on_signals(fx->srv, &err) != 0)
		fail_msg("reg_server_stop_on_signals: %s", err.msg);
	fx->port = reg_server_port(fx->srv);
	assert_true(fx->port > 0);
	assert_int_equal(pipe(fx->stop_pipe), 0);
	fx->stop_ev = event_new(fx->base, fx->stop_pipe[0], EV_READ, stop_cb,
	    fx);
	assert_non_null(fx->stop_ev);
	assert_int_equal(event_add(fx->stop_ev, NULL), 0);
	assert_int_equal(pthread_create(&fx->thread, NULL, server_main, fx), 0);
	fx->running = 1;
	return fx;
}

static struct fixture *
start_server(const struct reg_server_config *cfg)
{
	return start_server_sig(cfg, 0);
}

static void
join_server(struct fixture *fx)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += DEADLINE_MS / 1000;
	if (pthread_timedjoin_np(fx->thread, NULL, &ts) != 0)
		fail_msg("the server did not stop within %d ms", DEADLINE_MS);
	fx->running = 0;
}

static void
stop_server(struct fixture *fx)
{
	if (fx->running) {
		assert_int_equal(write(fx->stop_pipe[1], "x", 1), 1);
		join_server(fx);
	}
	event_free(fx->stop_ev);
	reg_server_free(fx->srv);
	event_base_free(fx->base);
	close(fx->stop_pipe[0]);
	close(fx->stop_pipe[1]);
	pthread_mutex_destroy(&fx->mu);
	free(fx);
}

/* ---- clients ---- */

static size_t
collect(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_result *r = arg;
	size_t n = size * nmemb, room = sizeof(r->body) - 1 - r->len;

	memcpy(r->body + r->len, data, n < room ? n : room);
	r->len += n < room ? n : room;
	r->body[r->len] = '\0';
	return n;
}

static size_t
header_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_result *r = arg;
	size_t n = size * nmemb;

	if (n > 7 && strncasecmp(data, "Allow: ", 7) == 0)
		snprintf(r->allow, sizeof(r->allow), "%.*s", (int)(n - 9),
		    data + 7);
	return n;
}

/*
 * One request on a fresh connection. cert names the client certificate in
 * the PKI (NULL: none); ctype NULL sends no Content-Type; tls12_only caps
 * the client at TLS 1.2.
 */
static void
request_full(const struct fixture *fx, const char *cert, const char *method,
    const char *path, const char *ctype, const char *body, size_t len,
    int tls12_only, struct http_result *r)
{
	char url[128], ca[512], crt[512], key[512], name[128], hdr[160];
	struct curl_slist *headers = NULL;
	const char *ct = NULL;
	CURL *c;

	memset(r, 0, sizeof(*r));
	assert_non_null(c = curl_easy_init());
	snprintf(url, sizeof(url), "https://127.0.0.1:%d%s", fx->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, pki_path(ca, sizeof(ca), "ca.crt"));
	curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	if (cert != NULL) {
		snprintf(name, sizeof(name), "%s.crt", cert);
		curl_easy_setopt(c, CURLOPT_SSLCERT, pki_path(crt, sizeof(crt),
		    name));
		snprintf(name, sizeof(name), "%s.key", cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, pki_path(key, sizeof(key),
		    name));
	}
	if (tls12_only)
		curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)
		    (CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
	else
		curl_easy_setopt(c, CURLOPT_SSLVERSION,
		    (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(c, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)DEADLINE_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body != NULL ? body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
	} else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	/* curl adds its own form type to a POST unless told otherwise. */
	if (ctype != NULL) {
		snprintf(hdr, sizeof(hdr), "Content-Type: %s", ctype);
		headers = curl_slist_append(headers, hdr);
	} else
		headers = curl_slist_append(headers, "Content-Type:");
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

	r->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK &&
	    ct != NULL)
		snprintf(r->ctype, sizeof(r->ctype), "%s", ct);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
}

static void
post(const struct fixture *fx, const char *cert, const char *path,
    const char *body, struct http_result *r)
{
	request_full(fx, cert, "POST", path, "application/json", body,
	    strlen(body), 0, r);
}

static void
expect_ok(const struct fixture *fx, const char *cert)
{
	struct http_result r;
	json_t *v;

	post(fx, cert, "/v1/echo", "{\"municipality\": \"" MUNI "\"}", &r);
	if (r.rc != CURLE_OK)
		fail_msg("%s: curl: %s", cert, r.errbuf);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.ctype, "application/json");
	assert_non_null(v = json_loads(r.body, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(v,
	    "workstation")), cert);
	assert_string_equal(json_string_value(json_object_get(v,
	    "municipality")), MUNI);
	json_decref(v);
}

/* The error body is exactly {"error": error, "message": "..."}. */
static void
expect_error(const struct http_result *r, long status, const char *error,
    const char *message_part)
{
	json_t *v;

	if (r->rc != CURLE_OK)
		fail_msg("curl: %s", r->errbuf);
	if (r->status != status)
		fail_msg("status %ld, expected %ld: %s", r->status, status,
		    r->body);
	assert_string_equal(r->ctype, "application/json");
	v = json_loads(r->body, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(v);
	assert_int_equal(json_object_size(v), 2);
	assert_string_equal(json_string_value(json_object_get(v, "error")),
	    error);
	assert_true(json_is_string(json_object_get(v, "message")));
	if (message_part != NULL && strstr(json_string_value(
	    json_object_get(v, "message")), message_part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", json_string_value(
		    json_object_get(v, "message")), message_part);
	json_decref(v);
}

/*
 * The handshake was refused: exactly one refusal, for "tls", whose reason
 * contains reason_part and whose subject contains subject_part ("": no
 * subject), with no workstation ID (none is trusted before verification);
 * a valid request afterwards is still served (and proves no second report
 * was on its way).
 */
static void
expect_one_tls_refusal(struct fixture *fx, const char *reason_part,
    const char *subject_part)
{
	struct refusal_rec r;

	if (wait_refusals(fx, 1) < 1)
		fail_msg("no refusal reported within %d ms", DEADLINE_MS);
	expect_ok(fx, "ws-002");
	assert_int_equal(refusal_count(fx), 1);
	pthread_mutex_lock(&fx->mu);
	r = fx->refusals[0];
	pthread_mutex_unlock(&fx->mu);
	assert_string_equal(r.what, "tls");
	if (strstr(r.reason, reason_part) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", r.reason, reason_part);
	assert_string_equal(r.ws, "");
	if (subject_part != NULL && subject_part[0] == '\0')
		assert_string_equal(r.subject, "");
	else if (subject_part != NULL && strstr(r.subject, subject_part) == NULL)
		fail_msg("subject \"%s\" lacks \"%s\"", r.subject, subject_part);
}

static int
tcp_connect(int port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Reads until the server closes, up to the deadline; returns the bytes
 * read (into buf, NUL-terminated), or -1 if the connection stayed open.
 */
static ssize_t
read_until_closed(int fd, char *buf, size_t size)
{
	long deadline = now_ms() + DEADLINE_MS;
	struct pollfd p = { fd, POLLIN, 0 };
	size_t off = 0;
	ssize_t n;
	long left;

	buf[0] = '\0';
	while ((left = deadline - now_ms()) > 0) {
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		n = read(fd, buf + off, size - 1 - off);
		if (n <= 0) {
			buf[off] = '\0';
			return (ssize_t)off;
		}
		off += (size_t)n;
		if (off == size - 1)
			off = 0;	/* keep reading; only the end matters */
	}
	return -1;
}

static SSL	*tls_client(SSL_CTX **, int, const char *);

/* ---- group setup ---- */

static int
group_setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	pki_dir = tu_mkdtemp("pki");
	if (run_make_pki(pki_dir, 0) != 0) {
		fprintf(stderr, "make-pki.sh failed\n");
		return -1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	curl_global_cleanup();
	tu_rm_rf(pki_dir);
	free(pki_dir);
	return 0;
}

/* ---- tests ---- */

static void
test_make_pki_keys_private_and_no_overwrite_without_force(void **state)
{
	static const char *keys[] = {
		"ca", "register", "ws-001", "ws-002", "ws-003", "expired",
		"revoked", "wrong-mun", "server-as-client", "other-ca",
		"other-ca-ws", "other-ca-register",
	};
	char *dir = tu_mkdtemp("pki2"), path[512], name[64];
	unsigned char *before, *after;
	size_t blen, alen, i;
	struct stat sb;

	(void)state;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(name, sizeof(name), "%s.key", keys[i]);
		assert_int_equal(stat(pki_path(path, sizeof(path), name), &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		snprintf(name, sizeof(name), "%s.crt", keys[i]);
		assert_int_equal(stat(pki_path(path, sizeof(path), name), &sb), 0);
	}
	assert_int_equal(stat(pki_path(path, sizeof(path), "crl.pem"), &sb), 0);

	assert_int_equal(run_make_pki(dir, 0), 0);
	snprintf(path, sizeof(path), "%s/ca.key", dir);
	assert_non_null(before = tu_read_file(path, &blen));
	/* Again: refused, the CA untouched. */
	assert_int_not_equal(run_make_pki(dir, 0), 0);
	assert_non_null(after = tu_read_file(path, &alen));
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	free(after);
	/* With --force: a new CA. */
	assert_int_equal(run_make_pki(dir, 1), 0);
	assert_non_null(after = tu_read_file(path, &alen));
	assert_false(alen == blen && memcmp(after, before, blen) == 0);
	free(after);
	free(before);
	tu_rm_rf(dir);
	free(dir);
}

static void
test_valid_workstations_are_served(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;
	json_t *v;

	(void)state;
	expect_ok(fx, "ws-001");
	expect_ok(fx, "ws-003");
	/* The handler sees the parsed body. */
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": \"" MUNI "\", "
	    "\"x\": [1, \"予診票\"]}", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(v = json_loads(r.body, 0, NULL));
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    json_object_get(v, "echo"), "x"), 1)), "予診票");
	json_decref(v);
	assert_int_equal(refusal_count(fx), 0);
	stop_server(fx);
}

static void
test_no_client_certificate_is_refused(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	post(fx, NULL, "/v1/echo", "{\"municipality\": \"" MUNI "\"}", &r);
	assert_int_not_equal(r.rc, CURLE_OK);
	assert_int_not_equal(r.status, 200);
	expect_one_tls_refusal(fx, "peer did not return a certificate", "");
	stop_server(fx);
}

static void
test_other_ca_is_refused(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	post(fx, "other-ca-ws", "/v1/echo", "{\"municipality\": \"" MUNI "\"}",
	    &r);
	assert_int_not_equal(r.rc, CURLE_OK);
	expect_one_tls_refusal(fx, "unable to get local issuer certificate",
	    "CN=ws-001,OU=990001");
	stop_server(fx);
}

static void
test_expired_certificate_is_refused(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	post(fx, "expired", "/v1/echo", "{\"municipality\": \"" MUNI "\"}", &r);
	assert_int_not_equal(r.rc, CURLE_OK);
	expect_one_tls_refusal(fx, "certificate has expired",
	    "CN=ws-expired");
	stop_server(fx);
}

static void
test_revoked_certificate_is_refused_with_crl(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	post(fx, "revoked", "/v1/echo", "{\"municipality\": \"" MUNI "\"}", &r);
	assert_int_not_equal(r.rc, CURLE_OK);
	expect_one_tls_refusal(fx, "certificate revoked", "CN=ws-revoked");
	stop_server(fx);

	/* Without the CRL the same certificate verifies: the CRL refused it. */
	cfg.crl = NULL;
	fx = start_server(&cfg);
	expect_ok(fx, "ws-001");
	post(fx, "revoked", "/v1/echo", "{\"municipality\": \"" MUNI "\"}", &r);
	assert_int_equal(r.status, 200);
	stop_server(fx);
}

static void
test_server_certificate_as_client_is_refused(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	post(fx, "server-as-client", "/v1/echo",
	    "{\"municipality\": \"" MUNI "\"}", &r);
	assert_int_not_equal(r.rc, CURLE_OK);
	expect_one_tls_refusal(fx, "certificate purpose (extendedKeyUsage "
	    "lacks clientAuth)", "CN=server-as-client");
	stop_server(fx);
}

/* Issues NAME.crt/.key from the test CA with subject subj and extensions ext. */
static void
issue_cert(const char *name, const char *subj, const char *ext)
{
	static const char script[] = "set -e; cd \"$1\"; o=$2; "
	    "\"$o\" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
	    "-out \"$3.key\" 2>/dev/null; "
	    "\"$o\" req -new -key \"$3.key\" -subj \"$4\" -out \"$3.csr\"; "
	    "printf '%s\\n' \"$5\" > \"$3.ext\"; "
	    "\"$o\" x509 -req -in \"$3.csr\" -CA ca.crt -CAkey ca.key "
	    "-CAcreateserial -days 30 -extfile \"$3.ext\" -out \"$3.crt\" "
	    "2>/dev/null";
	pid_t pid;
	int status;

	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		execl(SESSHU_BASH, "bash", "-c", script, "bash", pki_dir,
		    SESSHU_OPENSSL, name, subj, ext, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
expect_identity_refusal(const char *cert, const char *reason_part,
    const char *subject_part)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	post(fx, cert, "/v1/echo", "{\"municipality\": \"" MUNI "\"}", &r);
	assert_int_not_equal(r.rc, CURLE_OK);
	expect_one_tls_refusal(fx, reason_part, subject_part);
	stop_server(fx);
}

static void
test_certificate_without_workstation_identity_is_refused(void **state)
{
	static const char client[] = "basicConstraints=CA:FALSE\n"
	    "extendedKeyUsage=clientAuth";

	(void)state;
	issue_cert("bad-cn", "/OU=" MUNI "/CN=ws 001!", client);
	expect_identity_refusal("bad-cn", "CN is not a workstation ID",
	    "OU=" MUNI);
	issue_cert("no-ou", "/CN=ws-009", client);
	expect_identity_refusal("no-ou", "OU (municipality code) is missing",
	    "CN=ws-009");
	issue_cert("two-ou", "/OU=" MUNI "/OU=011002/CN=ws-010", client);
	expect_identity_refusal("two-ou", "OU (municipality code) is present "
	    "more than once", "CN=ws-010");
	issue_cert("bad-ou", "/OU=990002/CN=ws-011", client);
	expect_identity_refusal("bad-ou", "OU is not a municipality code",
	    "CN=ws-011");
	/* No extendedKeyUsage at all: OpenSSL would allow any purpose. */
	issue_cert("no-eku", "/OU=" MUNI "/CN=ws-012", "basicConstraints=CA:FALSE");
	expect_identity_refusal("no-eku", "lacks extendedKeyUsage clientAuth",
	    "CN=ws-012");
}

static void
test_tls12_refused_unless_allowed(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	request_full(fx, "ws-001", "POST", "/v1/echo", "application/json",
	    "{\"municipality\": \"" MUNI "\"}", 26, 1, &r);
	assert_int_not_equal(r.rc, CURLE_OK);
	expect_one_tls_refusal(fx, "unsupported protocol", "");
	stop_server(fx);

	cfg.allow_tls12 = 1;
	fx = start_server(&cfg);
	request_full(fx, "ws-001", "POST", "/v1/echo", "application/json",
	    "{\"municipality\": \"" MUNI "\"}", 26, 1, &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(refusal_count(fx), 0);
	stop_server(fx);
}

static void
test_municipality_mismatch_in_body_is_403(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": \"011002\"}", &r);
	expect_error(&r, 403, "municipality_mismatch", "011002");
	assert_int_equal(wait_refusals(fx, 1), 1);
	assert_string_equal(fx->refusals[0].what, "/v1/echo");
	assert_string_equal(fx->refusals[0].ws, "ws-001");
	assert_true(strncmp(fx->refusals[0].reason,
	    "403 municipality_mismatch: ", 27) == 0);
	/* Not a code at all: refused too, without echoing it. */
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": \"山田\"}", &r);
	expect_error(&r, 403, "municipality_mismatch", NULL);
	assert_null(strstr(r.body, "山田"));
	/* Missing, or not a string: a bad request. */
	post(fx, "ws-001", "/v1/echo", "{}", &r);
	expect_error(&r, 400, "bad_request", "municipality");
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": 990001}", &r);
	expect_error(&r, 400, "bad_request", "municipality: expected a string");
	assert_int_equal(refusal_count(fx), 4);
	stop_server(fx);
}

static void
test_municipality_mismatch_in_certificate_is_403(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	/* The certificate (OU=011002) verifies; the body names our city. */
	post(fx, "wrong-mun", "/v1/echo", "{\"municipality\": \"" MUNI "\"}",
	    &r);
	expect_error(&r, 403, "municipality_mismatch", "OU 011002");
	/* And naming its own city does not help. */
	post(fx, "wrong-mun", "/v1/echo", "{\"municipality\": \"011002\"}", &r);
	expect_error(&r, 403, "municipality_mismatch", NULL);
	assert_int_equal(wait_refusals(fx, 2), 2);
	assert_string_equal(fx->refusals[0].ws, "ws-004");
	stop_server(fx);
}

static void
test_malformed_json_is_400_and_server_serves_on(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": ", &r);
	expect_error(&r, 400, "bad_request", "body: line 1, column");
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": \"" MUNI "\", "
	    "\"municipality\": \"" MUNI "\"}", &r);
	expect_error(&r, 400, "bad_request", "duplicate object key");
	post(fx, "ws-001", "/v1/echo", "[1, 2]", &r);
	expect_error(&r, 400, "bad_request", "expected a JSON object");
	request_full(fx, "ws-001", "POST", "/v1/echo", "application/json",
	    "\xff\xfe{}", 4, 0, &r);
	expect_error(&r, 400, "bad_request", NULL);
	post(fx, "ws-001", "/v1/echo", "", &r);
	expect_error(&r, 400, "bad_request", "body: empty");
	expect_ok(fx, "ws-001");
	stop_server(fx);
}

static void
test_methods_other_than_post_are_405(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	request_full(fx, "ws-001", "GET", "/v1/echo", NULL, NULL, 0, 0, &r);
	expect_error(&r, 405, "method_not_allowed", NULL);
	assert_string_equal(r.allow, "POST");
	request_full(fx, "ws-001", "PUT", "/v1/echo", "application/json",
	    NULL, 0, 0, &r);
	expect_error(&r, 405, "method_not_allowed", NULL);
	request_full(fx, "ws-001", "DELETE", "/v1/echo", NULL, NULL, 0, 0, &r);
	expect_error(&r, 405, "method_not_allowed", NULL);
	assert_int_equal(wait_refusals(fx, 3), 3);
	expect_ok(fx, "ws-001");
	stop_server(fx);
}

static void
test_content_type_must_be_json(void **state)
{
	static const char body[] = "{\"municipality\": \"" MUNI "\"}";
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	request_full(fx, "ws-001", "POST", "/v1/echo", "text/plain", body,
	    strlen(body), 0, &r);
	expect_error(&r, 415, "unsupported_media_type", NULL);
	request_full(fx, "ws-001", "POST", "/v1/echo", NULL, body,
	    strlen(body), 0, &r);
	expect_error(&r, 415, "unsupported_media_type", NULL);
	request_full(fx, "ws-001", "POST", "/v1/echo",
	    "application/json; charset=latin1", body, strlen(body), 0, &r);
	expect_error(&r, 415, "unsupported_media_type", NULL);
	request_full(fx, "ws-001", "POST", "/v1/echo", "application/jsonx",
	    body, strlen(body), 0, &r);
	expect_error(&r, 415, "unsupported_media_type", NULL);
	request_full(fx, "ws-001", "POST", "/v1/echo",
	    "Application/JSON; charset=UTF-8", body, strlen(body), 0, &r);
	assert_int_equal(r.status, 200);
	stop_server(fx);
}

static void
test_oversized_body_is_413_and_server_serves_on(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx;
	struct http_result r;
	char *big;

	(void)state;
	cfg.max_body = 1024;
	fx = start_server(&cfg);
	big = malloc(4096);
	assert_non_null(big);
	memset(big, ' ', 4095);
	memcpy(big, "{\"municipality\": \"" MUNI "\"}", 26);
	big[4095] = '\0';
	post(fx, "ws-001", "/v1/echo", big, &r);
	/* libevent answers this one (HTML body); the status is the contract. */
	assert_int_equal(r.status, 413);
	assert_int_equal(wait_refusals(fx, 1), 1);
	assert_string_equal(fx->refusals[0].what, "http");
	assert_true(strncmp(fx->refusals[0].reason, "413 too_large", 13) == 0);
	/* Exactly at the limit is accepted. */
	big[1024] = '\0';
	post(fx, "ws-001", "/v1/echo", big, &r);
	assert_int_equal(r.status, 200);
	expect_ok(fx, "ws-001");
	assert_int_equal(refusal_count(fx), 1);
	free(big);
	stop_server(fx);
}

static void
test_unknown_path_is_404(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	post(fx, "ws-001", "/v1/nothing", "{\"municipality\": \"" MUNI "\"}",
	    &r);
	expect_error(&r, 404, "not_found", NULL);
	post(fx, "ws-001", "/", "{\"municipality\": \"" MUNI "\"}", &r);
	expect_error(&r, 404, "not_found", NULL);
	assert_int_equal(wait_refusals(fx, 2), 2);
	assert_string_equal(fx->refusals[0].what, "/v1/nothing");
	stop_server(fx);
}

static void
test_handler_answers_pass_through(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	struct http_result r;

	(void)state;
	post(fx, "ws-001", "/v1/deny", "{\"municipality\": \"" MUNI "\"}", &r);
	expect_error(&r, 403, "workstation_revoked", "ws-001 was revoked");
	assert_int_equal(wait_refusals(fx, 1), 1);
	assert_string_equal(fx->refusals[0].reason,
	    "403 workstation_revoked: workstation ws-001 was revoked");
	/* A failing handler is a 500, not a refusal. */
	post(fx, "ws-001", "/v1/fail", "{\"municipality\": \"" MUNI "\"}", &r);
	expect_error(&r, 500, "internal", "nothing was applied");
	expect_ok(fx, "ws-001");
	assert_int_equal(refusal_count(fx), 1);
	stop_server(fx);
}

static void
test_plain_http_is_refused_and_server_serves_on(void **state)
{
	static const char req[] = "POST /v1/echo HTTP/1.1\r\nHost: x\r\n"
	    "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	char buf[4096];
	ssize_t n;
	int fd;

	(void)state;
	assert_true((fd = tcp_connect(fx->port)) >= 0);
	assert_int_equal(write(fd, req, sizeof(req) - 1),
	    (ssize_t)sizeof(req) - 1);
	n = read_until_closed(fd, buf, sizeof(buf));
	close(fd);
	assert_true(n >= 0);
	assert_null(strstr(buf, "HTTP/1.1 200"));
	expect_one_tls_refusal(fx, "not TLS (plain HTTP?)", "");
	stop_server(fx);
}

static void
test_garbage_bytes_are_refused_and_server_serves_on(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	unsigned char junk[2048];
	char buf[4096];
	size_t i;
	int fd;

	(void)state;
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	assert_true((fd = tcp_connect(fx->port)) >= 0);
	/* The server may close before all of it is written: a short write is fine. */
	if (write(fd, junk, sizeof(junk)) == 0)
		fail_msg("no byte of the garbage was sent");
	assert_true(read_until_closed(fd, buf, sizeof(buf)) >= 0);
	close(fd);
	expect_one_tls_refusal(fx, "not TLS", "");
	stop_server(fx);
}

static void
test_connect_and_close_is_one_refusal(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server(&cfg);
	int fd;

	(void)state;
	assert_true((fd = tcp_connect(fx->port)) >= 0);
	close(fd);
	expect_one_tls_refusal(fx, "closed", "");
	stop_server(fx);
}

static void
test_silent_connection_is_dropped_and_does_not_block(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx;
	char buf[256];
	long start;
	int fd;

	(void)state;
	cfg.timeout = 1;
	fx = start_server(&cfg);
	assert_true((fd = tcp_connect(fx->port)) >= 0);
	start = now_ms();
	/* Others are served while it hangs there. */
	expect_ok(fx, "ws-001");
	assert_true(read_until_closed(fd, buf, sizeof(buf)) >= 0);
	assert_true(now_ms() - start < DEADLINE_MS);
	close(fd);
	assert_int_equal(wait_refusals(fx, 1), 1);
	assert_string_equal(fx->refusals[0].what, "tls");
	expect_ok(fx, "ws-002");
	assert_int_equal(refusal_count(fx), 1);
	stop_server(fx);
}

static void
test_connection_limit_pauses_and_recovers(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx;
	long start;
	int a, b;

	(void)state;
	cfg.timeout = 1;
	cfg.max_connections = 2;
	fx = start_server(&cfg);
	/* Two silent connections fill the limit... */
	assert_true((a = tcp_connect(fx->port)) >= 0);
	assert_true((b = tcp_connect(fx->port)) >= 0);
	start = now_ms();
	/* ...so this one waits until the timeout drops them, then is served. */
	expect_ok(fx, "ws-001");
	assert_true(now_ms() - start < DEADLINE_MS);
	assert_int_equal(wait_refusals(fx, 2), 2);
	close(a);
	close(b);
	expect_ok(fx, "ws-002");
	expect_ok(fx, "ws-003");
	assert_int_equal(refusal_count(fx), 2);
	stop_server(fx);
}

static void
test_unknown_method_is_refused_by_libevent(void **state)
{
	static const char req[] = "BREW /v1/echo HTTP/1.1\r\nHost: x\r\n\r\n";
	struct reg_server_config cfg = default_config();
	struct timeval tv = { DEADLINE_MS / 1000, 0 };
	struct fixture *fx = start_server(&cfg);
	SSL_CTX *ctx;
	SSL *ssl;
	char buf[512];
	int fd, n;

	(void)state;
	assert_true((fd = tcp_connect(fx->port)) >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ssl = tls_client(&ctx, fd, "ws-001");
	assert_int_equal(SSL_write(ssl, req, sizeof(req) - 1),
	    (int)sizeof(req) - 1);
	n = SSL_read(ssl, buf, sizeof(buf) - 1);
	assert_true(n > 12);
	buf[n] = '\0';
	assert_true(strncmp(buf, "HTTP/1.1 501", 12) == 0);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	ERR_clear_error();
	assert_int_equal(wait_refusals(fx, 1), 1);
	assert_string_equal(fx->refusals[0].what, "http");
	assert_string_equal(fx->refusals[0].ws, "ws-001");
	assert_true(strncmp(fx->refusals[0].reason, "501 ", 4) == 0);
	expect_ok(fx, "ws-001");
	stop_server(fx);
}

static SSL *
tls_client(SSL_CTX **ctxp, int fd, const char *cert)
{
	char ca[512], crt[512], key[512], name[64];
	SSL_CTX *ctx;
	SSL *ssl;

	assert_non_null(ctx = SSL_CTX_new(TLS_client_method()));
	assert_int_equal(SSL_CTX_load_verify_locations(ctx, pki_path(ca,
	    sizeof(ca), "ca.crt"), NULL), 1);
	snprintf(name, sizeof(name), "%s.crt", cert);
	assert_int_equal(SSL_CTX_use_certificate_file(ctx, pki_path(crt,
	    sizeof(crt), name), SSL_FILETYPE_PEM), 1);
	snprintf(name, sizeof(name), "%s.key", cert);
	assert_int_equal(SSL_CTX_use_PrivateKey_file(ctx, pki_path(key,
	    sizeof(key), name), SSL_FILETYPE_PEM), 1);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	assert_non_null(ssl = SSL_new(ctx));
	assert_int_equal(SSL_set_fd(ssl, fd), 1);
	assert_int_equal(SSL_set1_host(ssl, "127.0.0.1"), 1);
	if (SSL_connect(ssl) != 1)
		fail_msg("TLS handshake failed");
	*ctxp = ctx;
	return ssl;
}

static void
test_partial_request_is_dropped_and_does_not_block(void **state)
{
	static const char part[] = "POST /v1/echo HTTP/1.1\r\nHost: x\r\n"
	    "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"mu";
	struct reg_server_config cfg = default_config();
	struct timeval tv = { DEADLINE_MS / 1000, 0 };
	struct pollfd p;
	struct fixture *fx;
	SSL_CTX *ctx;
	SSL *ssl;
	char buf[256];
	long start;
	int fd, n;

	(void)state;
	cfg.timeout = 1;
	fx = start_server(&cfg);
	assert_true((fd = tcp_connect(fx->port)) >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ssl = tls_client(&ctx, fd, "ws-001");
	assert_int_equal(SSL_write(ssl, part, sizeof(part) - 1),
	    (int)sizeof(part) - 1);
	start = now_ms();
	expect_ok(fx, "ws-002");
	p.fd = fd;
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, DEADLINE_MS), 1);
	n = SSL_read(ssl, buf, sizeof(buf));
	assert_true(n <= 0);	/* closed, no answer */
	assert_true(now_ms() - start < DEADLINE_MS);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	ERR_clear_error();
	/* A completed handshake that then stalls is no TLS refusal. */
	expect_ok(fx, "ws-001");
	assert_int_equal(refusal_count(fx), 0);
	stop_server(fx);
}

static void
test_log_never_contains_body(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx;
	struct http_result r;
	char *dir = tu_mkdtemp("log"), path[512];
	FILE *log;

	(void)state;
	snprintf(path, sizeof(path), "%s/registerd.log", dir);
	assert_non_null(log = fopen(path, "w+"));
	reg_log_set_file(log);
	fx = start_server(&cfg);
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": \"" MUNI "\", "
	    "\"name\": \"MARKER-山田太郎\"}", &r);
	assert_int_equal(r.status, 200);
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": \"" MUNI "\", "
	    "\"name\": \"MARKER-山田太郎\" \"x\"}", &r);
	assert_int_equal(r.status, 400);
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": \"MARKER-山田太郎\"}",
	    &r);
	assert_int_equal(r.status, 403);
	post(fx, "ws-001", "/v1/echo", "{\"municipality\": \"" MUNI "\", "
	    "\"a\": 0123456789}", &r);
	assert_int_equal(r.status, 400);
	stop_server(fx);
	reg_log_set_file(NULL);
	fclose(log);

	assert_false(tu_file_contains(path, "MARKER", 6));
	assert_false(tu_file_contains(path, "山田", strlen("山田")));
	assert_false(tu_file_contains(path, "0123456789", 10));
	assert_true(tu_file_contains(path, "ws=ws-001", 9));
	assert_true(tu_file_contains(path, "status=200", 10));
	assert_true(tu_file_contains(path, "path=/v1/echo", 13));
	assert_true(tu_file_contains(path, "status=403", 10));
	tu_rm_rf(dir);
	free(dir);
}

static void
test_sigterm_lets_current_request_finish_then_stops(void **state)
{
	struct reg_server_config cfg = default_config();
	struct fixture *fx = start_server_sig(&cfg, 1);
	struct http_result r;
	json_t *v;
	int fd;

	(void)state;
	expect_ok(fx, "ws-001");
	/* SIGTERM arrives while the handler runs: its answer still arrives. */
	post(fx, "ws-001", "/v1/sigterm", "{\"municipality\": \"" MUNI "\"}",
	    &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_non_null(v = json_loads(r.body, 0, NULL));
	assert_true(json_is_true(json_object_get(v, "committed")));
	json_decref(v);
	/* Then the loop ends on its own, and nothing is accepted any more. */
	join_server(fx);
	assert_true(reg_server_stopping(fx->srv));
	fd = tcp_connect(fx->port);
	assert_int_equal(fd, -1);
	stop_server(fx);
}

static void
test_ipv6_loopback(void **state)
{
	struct reg_server_config cfg = default_config();
	struct sockaddr_in6 sin6;
	struct fixture *fx;
	struct http_result r;
	char url[128], ca[512], crt[512], key[512];
	CURL *c;
	int fd;

	(void)state;
	/* Skip where the host has no ::1. */
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) != 0) {
		if (fd >= 0)
			close(fd);
		skip();
	}
	close(fd);

	cfg.listen = "[::1]:0";
	fx = start_server(&cfg);
	memset(&r, 0, sizeof(r));
	assert_non_null(c = curl_easy_init());
	snprintf(url, sizeof(url), "https://[::1]:%d/v1/echo", fx->port);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, pki_path(ca, sizeof(ca), "ca.crt"));
	curl_easy_setopt(c, CURLOPT_SSLCERT, pki_path(crt, sizeof(crt),
	    "ws-001.crt"));
	curl_easy_setopt(c, CURLOPT_SSLKEY, pki_path(key, sizeof(key),
	    "ws-001.key"));
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"municipality\":\"" MUNI "\"}");
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)DEADLINE_MS);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	{
		struct curl_slist *h = curl_slist_append(NULL,
		    "Content-Type: application/json");

		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		assert_int_equal(curl_easy_perform(c), CURLE_OK);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
		curl_slist_free_all(h);
	}
	curl_easy_cleanup(c);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "ws-001"));
	stop_server(fx);
}

static void
expect_config_refused(const struct reg_server_config *cfg,
    const char *msg_part)
{
	struct sesshu_err err = { 0 };
	struct event_base *base = event_base_new();
	struct reg_server *srv = (struct reg_server *)1;

	assert_non_null(base);
	assert_int_not_equal(reg_server_new(&srv, base, cfg, routes, NULL,
	    NULL, &err), 0);
	assert_null(srv);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.msg, msg_part);
	event_base_free(base);
}

static void
test_bad_configuration_is_refused_with_a_clear_error(void **state)
{
	struct reg_server_config cfg;
	char a[512], b[512];

	(void)state;
	cfg = default_config();
	cfg.key = pki_path(a, sizeof(a), "ws-001.key");
	expect_config_refused(&cfg, "does not match the certificate");

	cfg = default_config();
	cfg.cert = pki_path(a, sizeof(a), "other-ca-register.crt");
	cfg.key = pki_path(b, sizeof(b), "other-ca-register.key");
	expect_config_refused(&cfg, "does not verify against the CA");

	cfg = default_config();
	cfg.cert = pki_path(a, sizeof(a), "ws-001.crt");
	cfg.key = pki_path(b, sizeof(b), "ws-001.key");
	expect_config_refused(&cfg, "not for TLS servers");

	cfg = default_config();
	cfg.ca = pki_path(a, sizeof(a), "no-such-ca.crt");
	expect_config_refused(&cfg, "no-such-ca.crt");

	cfg = default_config();
	cfg.crl = pki_path(a, sizeof(a), "ca.crt");
	expect_config_refused(&cfg, "no PEM CRL");

	cfg = default_config();
	cfg.municipality = "990002";
	expect_config_refused(&cfg, "check digit");

	cfg = default_config();
	cfg.listen = "localhost:8443";
	expect_config_refused(&cfg, "not a numeric address");
	cfg.listen = "::1:8443";
	expect_config_refused(&cfg, "brackets");
	cfg.listen = "127.0.0.1";
	expect_config_refused(&cfg, "ADDRESS:PORT");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_pki_keys_private_and_no_overwrite_without_force),
		cmocka_unit_test(test_valid_workstations_are_served),
		cmocka_unit_test(test_no_client_certificate_is_refused),
		cmocka_unit_test(test_other_ca_is_refused),
		cmocka_unit_test(test_expired_certificate_is_refused),
		cmocka_unit_test(test_revoked_certificate_is_refused_with_crl),
		cmocka_unit_test(test_server_certificate_as_client_is_refused),
		cmocka_unit_test(test_certificate_without_workstation_identity_is_refused),
		cmocka_unit_test(test_tls12_refused_unless_allowed),
		cmocka_unit_test(test_municipality_mismatch_in_body_is_403),
		cmocka_unit_test(test_municipality_mismatch_in_certificate_is_403),
		cmocka_unit_test(test_malformed_json_is_400_and_server_serves_on),
		cmocka_unit_test(test_methods_other_than_post_are_405),
		cmocka_unit_test(test_content_type_must_be_json),
		cmocka_unit_test(test_oversized_body_is_413_and_server_serves_on),
		cmocka_unit_test(test_unknown_path_is_404),
		cmocka_unit_test(test_handler_answers_pass_through),
		cmocka_unit_test(test_plain_http_is_refused_and_server_serves_on),
		cmocka_unit_test(test_garbage_bytes_are_refused_and_server_serves_on),
		cmocka_unit_test(test_connect_and_close_is_one_refusal),
		cmocka_unit_test(test_silent_connection_is_dropped_and_does_not_block),
		cmocka_unit_test(test_partial_request_is_dropped_and_does_not_block),
		cmocka_unit_test(test_connection_limit_pauses_and_recovers),
		cmocka_unit_test(test_unknown_method_is_refused_by_libevent),
		cmocka_unit_test(test_log_never_contains_body),
		cmocka_unit_test(test_sigterm_lets_current_request_finish_then_stops),
		cmocka_unit_test(test_ipv6_loopback),
		cmocka_unit_test(test_bad_configuration_is_refused_with_a_clear_error),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
