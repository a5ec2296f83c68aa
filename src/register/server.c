/*
 * server.c: the register's mutual-TLS HTTP server; see server.h.
 *
 * libevent's evhttp reads the requests, over bufferevent_openssl
 * connections made in make_bev(). What OpenSSL learns during a handshake
 * (the verify error, the alert, the reason it gave up) is kept in a small
 * per-connection record (struct conn, in the SSL's ex_data), and a
 * handshake that never completed is reported once, when libevent frees the
 * SSL: that is the one moment every refused or abandoned connection
 * reaches, whatever failed.
 *
 * Must never: log a body or a value from one, answer a request on a
 * connection without a verified client certificate, or block the loop
 * (evhttp bounds header and body sizes and drops silent connections).
 */
#include "register/peer_cert.h"
#include "register/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <event2/util.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/municipality.h"
#include "register/reg_log.h"
#include "sync/wire.h"

#define HEADERS_MAX	(16 * 1024)	/* request line and headers, bytes */
#define PATH_LOG_MAX	96		/* a path is cut to this in the log */
#define REASON_MAX	384

static const char media_json[] = "application/json";

/*
 * The server as its connections see it. libevent frees a connection's SSL
 * (and so reports its refusal and counts it closed) in a later loop
 * iteration than the one that closed it, possibly after reg_server_free():
 * the sink is reference-counted, and reg_server_free() detaches it.
 */
struct refusal_sink {
	unsigned		 refs;
	int			 live;
	reg_refusal_fn		 fn;
	void			*ctx;
	struct reg_server	*srv;	/* NULL once the server is freed */
};

/* What one connection's handshake told us; in the SSL's ex_data. */
struct conn {
	struct refusal_sink	*sink;
	struct reg_peer		 peer;
	int			 handshake_done;
	int			 identity_ok;	/* the leaf passed our checks */
	int			 quiet;		/* never reached the network */
	int			 replying;	/* inside our evhttp_send_reply */
	unsigned		 pending;	/* our answers not yet written */
	char			 verify_reason[160];
	char			 alert_reason[96];
	char			 tls_reason[160];
};

struct reg_server {
	struct event_base		*base;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;
	SSL_CTX				*ssl_ctx;
	const struct reg_route		*routes;
	void				*ctx;
	struct refusal_sink		*sink;
	char				 municipality[CORE_MUNI_STRLEN];
	size_t				 max_body;
	int				 port;
	int				 grace;
	int				 stopping;
	unsigned			 inflight;	/* responses being written */
	unsigned			 nconns;	/* open connections */
	unsigned			 max_conns;
	int				 limit_paused;	/* at max_conns */
	int				 error_paused;	/* accept() failed */
	struct event			*resume_timer;
	struct reg_server		*next;		/* in servers */
	struct event			*sigterm;
	struct event			*sigint;
	struct event			*stop_check;
	struct event			*grace_timer;
};

static int		conn_idx = -1;
static CRYPTO_ONCE	conn_idx_once = CRYPTO_ONCE_STATIC_INIT;

static void	refusal(struct refusal_sink *, const struct reg_peer *,
		    const char *, const char *);
static void	conn_closed(struct reg_server *, unsigned);
static void	answers_written(struct reg_server *, unsigned);

static void
sink_unref(struct refusal_sink *sink)
{
	if (sink != NULL && --sink->refs == 0)
		free(sink);
}

static const char *
dash(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "-";
}

/* ---- peer identity: see peer_cert.h ---- */

/*
 * First sight of a connection's socket: note the peer's address, and turn
 * off Nagle's algorithm. libevent writes an answer's headers and body as
 * separate TLS records; with Nagle the body waited for the client's
 * delayed ACK, 40 ms per request.
 */
static void
conn_socket(struct conn *c, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int one = 1;

	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
		return;
	reg_addr_string((struct sockaddr *)&ss, c->peer.addr, sizeof(c->peer.addr));
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* ---- TLS callbacks ---- */

static void
conn_ex_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
    void *argp)
{
	struct conn *c = ptr;
	const char *reason;

	(void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
	if (c == NULL)
		return;
	if (!c->handshake_done && !c->quiet) {
		if (c->verify_reason[0] != '\0')
			reason = c->verify_reason;
		else if (c->alert_reason[0] != '\0')
			reason = c->alert_reason;
		else if (c->tls_reason[0] != '\0')
			reason = c->tls_reason;
		else
			reason = "connection closed before the TLS handshake "
			    "completed";
		refusal(c->sink, &c->peer, "tls", reason);
	}
	if (c->sink->srv != NULL)
		conn_closed(c->sink->srv, c->pending);
	sink_unref(c->sink);
	free(c);
}

static void
conn_idx_init(void)
{
	conn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, conn_ex_free);
}

static struct conn *
conn_of(const SSL *ssl)
{
	if (ssl == NULL || conn_idx < 0)
		return NULL;
	return SSL_get_ex_data(ssl, conn_idx);
}

/* Why OpenSSL gave up on a handshake, in words an operator can act on. */
static void
set_tls_reason(struct conn *c, const SSL *ssl, unsigned long e)
{
	const char *s = ERR_reason_error_string(e);
	int reason = ERR_GET_REASON(e);

	if (s == NULL)
		s = "TLS handshake failed";
	if (ERR_GET_LIB(e) == ERR_LIB_SSL && (reason == SSL_R_HTTP_REQUEST ||
	    reason == SSL_R_HTTPS_PROXY_REQUEST))
		snprintf(c->tls_reason, sizeof(c->tls_reason),
		    "not TLS (plain HTTP?)");
	else if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
	    reason == SSL_R_UNEXPECTED_EOF_WHILE_READING)
		snprintf(c->tls_reason, sizeof(c->tls_reason),
		    "the client closed the connection during the TLS handshake");
	else if (SSL_get_state(ssl) == TLS_ST_BEFORE)
		snprintf(c->tls_reason, sizeof(c->tls_reason), "not TLS (%s)", s);
	else
		snprintf(c->tls_reason, sizeof(c->tls_reason), "%s", s);
}

static void
info_cb(const SSL *ssl, int where, int ret)
{
	struct conn *c = conn_of(ssl);
	unsigned long e;

	if (c == NULL)
		return;
	if (c->peer.addr[0] == '\0')
		conn_socket(c, SSL_get_fd(ssl));
	if (where & SSL_CB_HANDSHAKE_DONE) {
		c->handshake_done = 1;
		return;
	}
	if (c->handshake_done)
		return;
	if ((where & SSL_CB_ALERT) && (where & SSL_CB_READ) &&
	    c->alert_reason[0] == '\0')
		snprintf(c->alert_reason, sizeof(c->alert_reason),
		    "the client ended the handshake with alert \"%s\"",
		    SSL_alert_desc_string_long(ret));
	/* ret <= 0 also means "would block"; only a queued error is a failure. */
	if ((where & SSL_CB_EXIT) && ret <= 0 && c->tls_reason[0] == '\0' &&
	    (e = ERR_peek_error()) != 0)
		set_tls_reason(c, ssl, e);
}

static int
verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	struct conn *c = conn_of(ssl);
	X509 *leaf = X509_STORE_CTX_get0_cert(xs), *cur;
	char why[160];

	if (c == NULL)
		return 0;
	/*
	 * Only the subject, for the refusal's record: the workstation ID and
	 * municipality are set below, once the certificate has verified.
	 */
	if (c->peer.subject[0] == '\0' && leaf != NULL)
		reg_cert_subject(leaf, c->peer.subject, sizeof(c->peer.subject));
	if (!ok) {
		int e = X509_STORE_CTX_get_error(xs);

		if (c->verify_reason[0] != '\0')
			return 0;
		/* OpenSSL's words alone do not say which purpose is missing. */
		if (e == X509_V_ERR_INVALID_PURPOSE &&
		    X509_STORE_CTX_get_error_depth(xs) == 0)
			snprintf(c->verify_reason, sizeof(c->verify_reason),
			    "%s (extendedKeyUsage lacks clientAuth)",
			    X509_verify_cert_error_string(e));
		else
			snprintf(c->verify_reason, sizeof(c->verify_reason), "%s",
			    X509_verify_cert_error_string(e));
		return 0;
	}
	if (X509_STORE_CTX_get_error_depth(xs) != 0)
		return 1;

	/* The leaf, after the chain, dates and CRL verified: our own rules. */
	cur = X509_STORE_CTX_get_current_cert(xs);
	if (cur == NULL || !reg_cert_has_client_eku(cur)) {
		snprintf(c->verify_reason, sizeof(c->verify_reason),
		    "certificate lacks extendedKeyUsage clientAuth");
		goto refuse;
	}
	if (reg_peer_from_cert(cur, &c->peer, why, sizeof(why)) != 0) {
		snprintf(c->verify_reason, sizeof(c->verify_reason), "%s", why);
		c->peer.workstation_id[0] = c->peer.municipality[0] = '\0';
		goto refuse;
	}
	c->identity_ok = 1;
	return 1;
refuse:
	X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
	return 0;
}

/* ---- refusals and responses ---- */

static void
refusal(struct refusal_sink *sink, const struct reg_peer *peer,
    const char *what, const char *reason)
{
	if (sink == NULL || !sink->live)
		return;
	if (strcmp(what, "tls") == 0)
		reg_log(REG_LOG_WARN, "refused tls addr=%s ws=%s subject=\"%s\": %s",
		    dash(peer->addr), dash(peer->workstation_id),
		    peer->subject, reason);
	if (sink->fn != NULL)
		sink->fn(sink->ctx, peer, what, reason);
}

/*
 * Notices the answers evhttp writes by itself (413 for a body over the
 * limit, 400 for a request it cannot parse, 501 for a method it does not
 * know) so that they are logged and reported like ours. libevent 2.1
 * writes them as HTML and offers no hook to replace them: their status
 * line is recognised here as it is added to the connection's output,
 * while our own replies are flagged.
 */
static void
output_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct conn *c = arg;
	struct evbuffer_ptr pos;
	char head[13], reason[REASON_MAX];
	int status;

	if (c->replying || info->n_added < sizeof(head) - 1)
		return;
	if (evbuffer_ptr_set(buf, &pos, info->orig_size, EVBUFFER_PTR_SET) != 0)
		return;
	if (evbuffer_copyout_from(buf, &pos, head, sizeof(head) - 1) !=
	    (ev_ssize_t)sizeof(head) - 1)
		return;
	head[sizeof(head) - 1] = '\0';
	if (strncmp(head, "HTTP/1.", 7) != 0 || head[8] != ' ')
		return;
	status = atoi(head + 9);
	if (status < 400)
		return;
	if (status == 413)
		snprintf(reason, sizeof(reason), "413 too_large: the request "
		    "headers or body exceed the limit (answered by libevent)");
	else if (status == 400)
		snprintf(reason, sizeof(reason), "400 bad_request: malformed "
		    "HTTP request (answered by libevent)");
	else if (status == 501)
		snprintf(reason, sizeof(reason), "501 method_not_allowed: "
		    "unknown HTTP method (answered by libevent)");
	else
		snprintf(reason, sizeof(reason), "%d: answered by libevent",
		    status);
	reg_log(REG_LOG_INFO, "request ws=%s addr=%s path=- status=%d "
	    "reason=\"%s\"", dash(c->peer.workstation_id), dash(c->peer.addr),
	    status, reason);
	/* Its 501 is a client's unknown method: a refusal like our 405. */
	if (status < 500 || status == 501)
		refusal(c->sink, &c->peer, "http", reason);
}

static const char *
status_error(int status)
{
	switch (status) {
	case 400:
		return "bad_request";
	case 401:
		return "auth_failed";
	case 403:
		return "forbidden";
	case 404:
		return "not_found";
	case 405:
		return "method_not_allowed";
	case 413:
		return "too_large";
	case 415:
		return "unsupported_media_type";
	case 503:
		return "shutting_down";
	default:
		return status >= 500 ? "internal" : "error";
	}
}

/* n answers were handed to TLS, or will never be: a shutdown may proceed. */
static void
answers_written(struct reg_server *srv, unsigned n)
{
	srv->inflight = srv->inflight > n ? srv->inflight - n : 0;
	if (n > 0 && srv->stopping && srv->inflight == 0)
		event_base_loopbreak(srv->base);
}

static struct conn *
conn_of_request(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev;

	if (evcon == NULL || (bev = evhttp_connection_get_bufferevent(evcon)) ==
	    NULL)
		return NULL;
	return conn_of(bufferevent_openssl_get_ssl(bev));
}

static void
on_complete(struct evhttp_request *req, void *arg)
{
	struct reg_server *srv = arg;
	struct conn *c = conn_of_request(req);

	if (c != NULL && c->pending > 0)
		c->pending--;
	answers_written(srv, 1);
}

/*
 * Sends body (stolen) with status; logs the request and reports a 4xx
 * first, so that a refusal is on record before the client learns of it.
 * A body that cannot be serialised becomes a 500.
 */
static void
respond(struct reg_server *srv, struct evhttp_request *req, struct conn *c,
    const struct reg_peer *peer, const char *path, int status, json_t *body,
    int close_after)
{
	static const char fallback[] = "{\"error\":\"internal\","
	    "\"message\":\"the register could not write its answer\"}";
	struct evkeyvalq *hdrs = evhttp_request_get_output_headers(req);
	struct evbuffer *out;
	const char *error, *message;
	char reason[REASON_MAX];
	char *text = NULL;

	if (body == NULL) {
		if (status >= 200 && status < 300)
			body = json_object();
		else
			body = wire_error_body(status_error(status),
			    "the request was refused");
	}
	if (body != NULL) {
		error = json_string_value(json_object_get(body, "error"));
		message = json_string_value(json_object_get(body, "message"));
		snprintf(reason, sizeof(reason), "%d %s: %s", status,
		    dash(error), dash(message));
		text = json_dumps(body, JSON_COMPACT);
		json_decref(body);
	}
	if (text == NULL) {
		status = 500;
		snprintf(reason, sizeof(reason), "500 internal: could not "
		    "serialise the answer");
	}

	if (status >= 400)
		reg_log(status >= 500 ? REG_LOG_ERR : REG_LOG_INFO,
		    "request ws=%s addr=%s path=%.*s status=%d reason=\"%s\"",
		    dash(peer->workstation_id), dash(peer->addr), PATH_LOG_MAX,
		    path, status, reason);
	else
		reg_log(REG_LOG_INFO, "request ws=%s addr=%s path=%.*s "
		    "status=%d", dash(peer->workstation_id), dash(peer->addr),
		    PATH_LOG_MAX, path, status);
	if (status >= 400 && status < 500)
		refusal(srv->sink, peer, path, reason);

	if ((out = evbuffer_new()) == NULL) {
		free(text);
		reg_log(REG_LOG_ERR, "out of memory answering %.*s",
		    PATH_LOG_MAX, path);
		evhttp_send_error(req, 500, NULL);
		return;
	}
	if (text != NULL)
		evbuffer_add(out, text, strlen(text));
	else
		evbuffer_add(out, fallback, sizeof(fallback) - 1);
	free(text);

	evhttp_add_header(hdrs, "Content-Type", media_json);
	evhttp_add_header(hdrs, "Cache-Control", "no-store");
	evhttp_add_header(hdrs, "X-Content-Type-Options", "nosniff");
	if (close_after || srv->stopping)
		evhttp_add_header(hdrs, "Connection", "close");

	/*
	 * Counted until written; an answer whose connection breaks first is
	 * uncounted when the connection goes (conn_closed), so a shutdown
	 * never waits for it.
	 */
	srv->inflight++;
	if (c != NULL)
		c->pending++;
	evhttp_request_set_on_complete_cb(req, on_complete, srv);
	if (c != NULL)
		c->replying = 1;
	evhttp_send_reply(req, status, NULL, out);
	if (c != NULL)
		c->replying = 0;
	evbuffer_free(out);
}

static void
respond_error(struct reg_server *srv, struct evhttp_request *req,
    struct conn *c, const struct reg_peer *peer, const char *path, int status,
    const char *error, const char *message)
{
	respond(srv, req, c, peer, path, status, wire_error_body(error, message),
	    0);
}

int
reg_response_error(struct reg_response *resp, int status, const char *error,
    const char *fmt, ...)
{
	char message[SESSHU_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	resp->status = status;
	json_decref(resp->body);
	resp->body = wire_error_body(error, message);
	return resp->body != NULL ? 0 : SESSHU_ENOMEM;
}

/* application/json, with at most a charset parameter that says UTF-8. */
static int
content_type_ok(const char *ct)
{
	const size_t n = sizeof(media_json) - 1;
	const char *p, *v;
	size_t vlen;

	if (ct == NULL || strncasecmp(ct, media_json, n) != 0)
		return 0;
	p = ct + n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return 1;
	if (*p++ != ';')
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, "charset=", 8) != 0)
		return 0;
	v = p + 8;
	vlen = strcspn(v, " \t;");
	if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
		v++;
		vlen -= 2;
	}
	if (!((vlen == 5 && strncasecmp(v, "utf-8", 5) == 0) ||
	    (vlen == 4 && strncasecmp(v, "utf8", 4) == 0)))
		return 0;
	p = v + vlen + (v[-1] == '"' ? 1 : 0);
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0';
}

static const struct reg_route *
route_find(const struct reg_route *routes, const char *path)
{
	for (; routes != NULL && routes->path != NULL; routes++)
		if (strcmp(routes->path, path) == 0)
			return routes;
	return NULL;
}

/* The body's municipality against ours and the certificate's (C9). */
static int
check_municipality(const struct reg_server *srv, const struct reg_peer *peer,
    json_t *body, int *status, const char **error, char *msg, size_t size)
{
	struct sesshu_err err = { 0 };
	const char *m;
	size_t len;
	int rc;

	rc = wire_get_string(body, NULL, "municipality", 16, &m, &len, &err);
	if (rc == SESSHU_ENOTFOUND) {
		*status = 400;
		*error = "bad_request";
		snprintf(msg, size, "body: missing required field "
		    "\"municipality\"");
		return -1;
	}
	if (rc == SESSHU_EFORMAT) {
		*status = 400;
		*error = "bad_request";
		snprintf(msg, size, "%s", err.msg);
		return -1;
	}
	*status = 403;
	*error = "municipality_mismatch";
	if (rc != 0 || len != CORE_MUNI_LEN || strcmp(m, srv->municipality) != 0) {
		/* Echo the code only when it is one: the value is the peer's. */
		if (rc == 0 && core_municipality_parse(m, len,
		    CORE_MUNI_ALLOW_TEST, NULL, NULL) == 0)
			snprintf(msg, size, "municipality: %s is not this "
			    "register's municipality %s", m, srv->municipality);
		else
			snprintf(msg, size, "municipality: not this register's "
			    "municipality %s", srv->municipality);
		return -1;
	}
	if (strcmp(peer->municipality, srv->municipality) != 0) {
		snprintf(msg, size, "the client certificate's OU %s is not this "
		    "register's municipality %s", peer->municipality,
		    srv->municipality);
		return -1;
	}
	return 0;
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct reg_server *srv = arg;
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev;
	const struct evhttp_uri *uri;
	const struct reg_route *route;
	struct reg_response resp = { 0, NULL };
	struct sesshu_err err = { 0 };
	struct reg_peer anon;
	const struct reg_peer *peer;
	struct evbuffer *in;
	struct conn *c = NULL;
	const char *path = NULL, *error;
	char msg[SESSHU_ERR_MSG_MAX], *host = NULL;
	json_t *body = NULL;
	SSL *ssl = NULL;
	size_t len;
	ev_uint16_t port = 0;
	int status;

	memset(&anon, 0, sizeof(anon));
	if (evcon != NULL && (bev = evhttp_connection_get_bufferevent(evcon)) !=
	    NULL && (ssl = bufferevent_openssl_get_ssl(bev)) != NULL)
		c = conn_of(ssl);
	peer = c != NULL ? &c->peer : &anon;
	if (peer->addr[0] == '\0' && evcon != NULL) {
		if (c != NULL)
			anon = c->peer;
		evhttp_connection_get_peer(evcon, &host, &port);
		snprintf(anon.addr, sizeof(anon.addr), "%s:%u", dash(host),
		    (unsigned)port);
		peer = &anon;
	}
	if ((uri = evhttp_request_get_evhttp_uri(req)) != NULL)
		path = evhttp_uri_get_path(uri);
	if (path == NULL || path[0] == '\0')
		path = "/";

	/*
	 * Cannot happen: make_bev() makes every connection TLS and the
	 * handshake refuses unverified clients. Should evhttp ever fall back
	 * to a plain socket, nothing is served on it.
	 */
	if (c == NULL || !c->handshake_done || !c->identity_ok ||
	    SSL_get_verify_result(ssl) != X509_V_OK ||
	    SSL_get0_peer_certificate(ssl) == NULL) {
		reg_log(REG_LOG_ERR, "request without a verified client "
		    "certificate from %s refused", dash(peer->addr));
		respond(srv, req, c, peer, path, 500,
		    wire_error_body("internal", "no verified client "
		    "certificate on this connection"), 1);
		return;
	}

	if (srv->stopping) {
		respond_error(srv, req, c, peer, path, 503, "shutting_down",
		    "the register is stopping; retry later");
		return;
	}
	if ((route = route_find(srv->routes, path)) == NULL) {
		respond_error(srv, req, c, peer, path, 404, "not_found",
		    "unknown endpoint");
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "POST");
		respond_error(srv, req, c, peer, path, 405,
		    "method_not_allowed", "only POST is allowed");
		return;
	}
	if (!content_type_ok(evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Content-Type"))) {
		respond_error(srv, req, c, peer, path, 415,
		    "unsupported_media_type",
		    "the body must be application/json (UTF-8)");
		return;
	}
	in = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(in);
	if (len > srv->max_body) {
		snprintf(msg, sizeof(msg), "the body exceeds %zu bytes",
		    srv->max_body);
		respond_error(srv, req, c, peer, path, 413, "too_large", msg);
		return;
	}
	if (wire_parse_body(len > 0 ? (const char *)evbuffer_pullup(in, -1) :
	    "", len, &body, &err) != 0) {
		if (err.code == SESSHU_ENOMEM)
			respond_error(srv, req, c, peer, path, 500, "internal",
			    "out of memory");
		else
			respond_error(srv, req, c, peer, path, 400,
			    "bad_request", err.msg);
		return;
	}
	if (check_municipality(srv, peer, body, &status, &error, msg,
	    sizeof(msg)) != 0) {
		json_decref(body);
		respond_error(srv, req, c, peer, path, status, error, msg);
		return;
	}

	if (route->handler(srv->ctx, peer, body, &resp) != 0) {
		json_decref(resp.body);
		json_decref(body);
		reg_log(REG_LOG_ERR, "handler for %s failed (ws=%s)", route->path,
		    peer->workstation_id);
		respond_error(srv, req, c, peer, path, 500, "internal",
		    "the register failed; nothing was applied");
		return;
	}
	json_decref(body);
	if (resp.status < 200 || resp.status > 599) {
		json_decref(resp.body);
		reg_log(REG_LOG_ERR, "handler for %s answered status %d",
		    route->path, resp.status);
		respond_error(srv, req, c, peer, path, 500, "internal",
		    "the register failed");
		return;
	}
	respond(srv, req, c, peer, path, resp.status, resp.body, 0);
}

/* ---- connections ---- */

static struct evconnlistener *
listener(struct reg_server *srv)
{
	return srv->bound != NULL ? evhttp_bound_socket_get_listener(srv->bound) :
	    NULL;
}

/*
 * Stops accepting, for one of two reasons (flag): the connection limit,
 * which bounds the descriptors hostile clients can hold (each is dropped
 * after the timeout anyway), or accept() failing (out of descriptors),
 * where libevent would otherwise retry in a busy loop.
 */
static void
accept_pause(struct reg_server *srv, int *flag, const char *why)
{
	if (!srv->limit_paused && !srv->error_paused && listener(srv) != NULL) {
		evconnlistener_disable(listener(srv));
		reg_log(REG_LOG_WARN, "not accepting connections for now: %s "
		    "(%u open)", why, srv->nconns);
	}
	*flag = 1;
}

static void
accept_resume(struct reg_server *srv, int *flag)
{
	*flag = 0;
	if (srv->limit_paused || srv->error_paused || srv->stopping ||
	    listener(srv) == NULL)
		return;
	evconnlistener_enable(listener(srv));
	reg_log(REG_LOG_INFO, "accepting connections again (%u open)",
	    srv->nconns);
}

static void
conn_closed(struct reg_server *srv, unsigned unwritten)
{
	answers_written(srv, unwritten);
	if (srv->nconns > 0)
		srv->nconns--;
	if (srv->limit_paused && srv->nconns < srv->max_conns)
		accept_resume(srv, &srv->limit_paused);
}

static void
resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct reg_server *srv = arg;

	(void)fd; (void)what;
	accept_resume(srv, &srv->error_paused);
}

/*
 * evhttp_bind_listener() gives the listener the evhttp as its argument,
 * so the listener's error callback finds its server in this list.
 */
static pthread_mutex_t		 servers_mu = PTHREAD_MUTEX_INITIALIZER;
static struct reg_server	*servers;

static void
servers_add(struct reg_server *srv)
{
	pthread_mutex_lock(&servers_mu);
	srv->next = servers;
	servers = srv;
	pthread_mutex_unlock(&servers_mu);
}

static void
servers_remove(struct reg_server *srv)
{
	struct reg_server **p;

	pthread_mutex_lock(&servers_mu);
	for (p = &servers; *p != NULL; p = &(*p)->next)
		if (*p == srv) {
			*p = srv->next;
			break;
		}
	pthread_mutex_unlock(&servers_mu);
}

static struct reg_server *
servers_find(const struct evhttp *http)
{
	struct reg_server *srv;

	pthread_mutex_lock(&servers_mu);
	for (srv = servers; srv != NULL && srv->http != http; srv = srv->next)
		;
	pthread_mutex_unlock(&servers_mu);
	return srv;
}

static void
accept_error_cb(struct evconnlistener *lev, void *arg)
{
	struct reg_server *srv = servers_find(arg);
	struct timeval tv = { 1, 0 };
	int e = EVUTIL_SOCKET_ERROR();

	reg_log(REG_LOG_ERR, "accept: %s", evutil_socket_error_to_string(e));
	if (srv == NULL) {
		evconnlistener_disable(lev);	/* cannot be: at least stop */
		return;
	}
	if (srv->error_paused)
		return;
	accept_pause(srv, &srv->error_paused, "accept() failed; retrying in "
	    "1 s");
	if (srv->resume_timer == NULL)
		srv->resume_timer = evtimer_new(srv->base, resume_cb, srv);
	if (srv->resume_timer == NULL || evtimer_add(srv->resume_timer,
	    &tv) != 0)
		accept_resume(srv, &srv->error_paused);
}

static struct bufferevent *
make_bev(struct event_base *base, void *arg)
{
	struct reg_server *srv = arg;
	struct bufferevent *bev;
	struct conn *c;
	SSL *ssl;

	if ((ssl = SSL_new(srv->ssl_ctx)) == NULL)
		goto fail;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		SSL_free(ssl);
		goto fail;
	}
	c->sink = srv->sink;
	srv->sink->refs++;
	if (SSL_set_ex_data(ssl, conn_idx, c) != 1) {
		sink_unref(c->sink);
		free(c);
		SSL_free(ssl);
		goto fail;
	}
	/* From here conn_ex_free() counts it closed, whatever happens. */
	srv->nconns++;
	if (srv->nconns >= srv->max_conns && !srv->limit_paused)
		accept_pause(srv, &srv->limit_paused, "the connection limit "
		    "is reached");
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		c->quiet = 1;
		SSL_free(ssl);
		goto fail;
	}
	/* A client that closes without close_notify is not an error here. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	if (evbuffer_add_cb(bufferevent_get_output(bev), output_cb, c) == NULL)
		reg_log(REG_LOG_WARN, "cannot watch a connection's output: "
		    "libevent's own error answers will not be logged");
	return bev;
fail:
	ERR_clear_error();
	/* evhttp then makes a plain socket, on which on_request serves nothing. */
	reg_log(REG_LOG_ERR, "cannot set up TLS for a new connection "
	    "(out of memory)");
	return NULL;
}

/* ---- setup ---- */

/* Fails with what, followed by the earliest OpenSSL error (the cause). */
static int
ossl_fail(struct sesshu_err *err, int code, const char *fmt, ...)
{
	char what[384], why[256] = "";
	const char *r;
	unsigned long e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if ((e = ERR_peek_error()) != 0 && (r = ERR_reason_error_string(e)))
		snprintf(why, sizeof(why), "%s", r);
	ERR_clear_error();
	return sesshu_err_set(err, code, "%s: %s", what,
	    why[0] != '\0' ? why : "failed");
}

static int
load_crl(SSL_CTX *ctx, const char *path, const char *ca,
    struct sesshu_err *err)
{
	STACK_OF(X509_NAME) *cas = SSL_CTX_get_client_CA_list(ctx);
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);
	const ASN1_TIME *next;
	X509_CRL *crl;
	BIO *bio;
	int n = 0, i, ours;

	if ((bio = BIO_new_file(path, "r")) == NULL)
		return ossl_fail(err, SESSHU_EIO, "CRL %s", path);
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
		ours = 0;
		for (i = 0; i < sk_X509_NAME_num(cas); i++)
			if (X509_NAME_cmp(sk_X509_NAME_value(cas, i),
			    X509_CRL_get_issuer(crl)) == 0)
				ours = 1;
		if (!ours) {
			X509_CRL_free(crl);
			BIO_free(bio);
			return sesshu_err_set(err, SESSHU_EINVAL, "CRL %s: not "
			    "issued by the CA in %s", path, ca);
		}
		next = X509_CRL_get0_nextUpdate(crl);
		if (next != NULL && X509_cmp_current_time(next) < 0) {
			X509_CRL_free(crl);
			BIO_free(bio);
			return sesshu_err_set(err, SESSHU_EINVAL, "CRL %s: "
			    "expired (past its nextUpdate); every client would "
			    "be refused: publish a fresh CRL", path);
		}
		if (X509_STORE_add_crl(store, crl) != 1) {
			X509_CRL_free(crl);
			BIO_free(bio);
			return ossl_fail(err, SESSHU_ECRYPTO, "CRL %s", path);
		}
		X509_CRL_free(crl);
		n++;
	}
	BIO_free(bio);
	/* The loop ends on "no start line" after the last CRL. */
	ERR_clear_error();
	if (n == 0)
		return sesshu_err_set(err, SESSHU_EFORMAT, "CRL %s: no PEM CRL "
		    "in it", path);
	X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
	return 0;
}

/* The register's own certificate must be valid, for servers, and ours. */
static int
check_server_cert(SSL_CTX *ctx, const struct reg_server_config *cfg,
    struct sesshu_err *err)
{
	X509 *cert = SSL_CTX_get0_certificate(ctx);
	STACK_OF(X509) *chain = NULL;
	X509_STORE_CTX *xs;
	int ok;

	if (cert == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "register certificate "
		    "%s: none loaded", cfg->cert);
	if (X509_check_purpose(cert, X509_PURPOSE_SSL_SERVER, 0) != 1)
		return sesshu_err_set(err, SESSHU_EINVAL, "register certificate "
		    "%s: not for TLS servers (extendedKeyUsage lacks "
		    "serverAuth)", cfg->cert);
	if ((xs = X509_STORE_CTX_new()) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	SSL_CTX_get0_chain_certs(ctx, &chain);
	if (X509_STORE_CTX_init(xs, SSL_CTX_get_cert_store(ctx), cert,
	    chain) != 1) {
		X509_STORE_CTX_free(xs);
		return ossl_fail(err, SESSHU_ECRYPTO, "register certificate %s",
		    cfg->cert);
	}
	X509_STORE_CTX_set_purpose(xs, X509_PURPOSE_SSL_SERVER);
	ok = X509_verify_cert(xs);
	if (ok != 1) {
		sesshu_err_set(err, SESSHU_EINVAL, "register certificate %s does "
		    "not verify against the CA %s: %s", cfg->cert, cfg->ca,
		    X509_verify_cert_error_string(X509_STORE_CTX_get_error(xs)));
		X509_STORE_CTX_free(xs);
		ERR_clear_error();
		return SESSHU_EINVAL;
	}
	X509_STORE_CTX_free(xs);
	return 0;
}

static int
tls_setup(struct reg_server *srv, const struct reg_server_config *cfg,
    struct sesshu_err *err)
{
	static const unsigned char sid_ctx[] = "sesshu-registerd";
	STACK_OF(X509_NAME) *cas;
	SSL_CTX *ctx;
	int rc;

	if (cfg->cert == NULL || cfg->key == NULL || cfg->ca == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "the register needs a "
		    "certificate, its key and the municipal CA file");
	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		return ossl_fail(err, SESSHU_ECRYPTO, "TLS context");
	srv->ssl_ctx = ctx;

	if (SSL_CTX_set_min_proto_version(ctx, cfg->allow_tls12 ?
	    TLS1_2_VERSION : TLS1_3_VERSION) != 1)
		return ossl_fail(err, SESSHU_ECRYPTO, "TLS minimum version");
	/* TLS 1.2, when allowed: forward secrecy and AEAD only. */
	if (SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1)
		return ossl_fail(err, SESSHU_ECRYPTO, "TLS 1.2 cipher list");
	/*
	 * No session resumption: every connection verifies the client
	 * certificate (and the CRL) afresh, so a revocation bites at once.
	 */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
	    SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);

	if (SSL_CTX_use_certificate_chain_file(ctx, cfg->cert) != 1)
		return ossl_fail(err, SESSHU_EINVAL, "register certificate %s",
		    cfg->cert);
	if (SSL_CTX_use_PrivateKey_file(ctx, cfg->key, SSL_FILETYPE_PEM) != 1) {
		if (ERR_GET_REASON(ERR_peek_last_error()) ==
		    X509_R_KEY_VALUES_MISMATCH) {
			ERR_clear_error();
			return sesshu_err_set(err, SESSHU_EINVAL, "register key "
			    "%s does not match the certificate %s", cfg->key,
			    cfg->cert);
		}
		return ossl_fail(err, SESSHU_EINVAL, "register key %s", cfg->key);
	}
	if (SSL_CTX_check_private_key(ctx) != 1)
		return ossl_fail(err, SESSHU_EINVAL, "register key %s does not "
		    "match the certificate %s", cfg->key, cfg->cert);

	/* The municipal CA is the only trust anchor: no default paths. */
	if (SSL_CTX_load_verify_locations(ctx, cfg->ca, NULL) != 1)
		return ossl_fail(err, SESSHU_EINVAL, "CA file %s", cfg->ca);
	if ((cas = SSL_load_client_CA_file(cfg->ca)) == NULL)
		return ossl_fail(err, SESSHU_EINVAL, "CA file %s", cfg->ca);
	SSL_CTX_set_client_CA_list(ctx, cas);
	if (cfg->crl != NULL && (rc = load_crl(ctx, cfg->crl, cfg->ca,
	    err)) != 0)
		return rc;
	if ((rc = check_server_cert(ctx, cfg, err)) != 0)
		return rc;

	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
	    SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
	SSL_CTX_set_verify_depth(ctx, 4);
	SSL_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
	SSL_CTX_set_info_callback(ctx, info_cb);
	return 0;
}

/*
 * Numeric "a.b.c.d:port" or "[v6]:port" only: no name lookups. Parsed
 * here because evutil_parse_sockaddr_port() refuses port 0, which picks a
 * free port (the tests' ephemeral servers).
 */
static int
parse_listen(const char *listen, struct sockaddr_storage *ss, int *sslen,
    struct sesshu_err *err)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *h = listen;
	size_t hlen;
	long port = 0;

	if (listen == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "no listen address");
	colon = strrchr(listen, ':');
	if (colon == NULL || colon[1] == '\0' || strlen(colon + 1) > 5 ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return sesshu_err_set(err, SESSHU_EINVAL, "listen address %s: "
		    "expected ADDRESS:PORT", listen);
	port = strtol(colon + 1, NULL, 10);
	if (port > 65535)
		return sesshu_err_set(err, SESSHU_EINVAL, "listen address %s: "
		    "port out of range", listen);
	hlen = (size_t)(colon - listen);
	if (listen[0] == '[') {
		if (hlen < 2 || listen[hlen - 1] != ']')
			return sesshu_err_set(err, SESSHU_EINVAL, "listen "
			    "address %s: expected [IPv6]:PORT", listen);
		h++;
		hlen -= 2;
	} else if (memchr(listen, ':', hlen) != NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "listen address %s: "
		    "put an IPv6 address in brackets, [::1]:8443", listen);
	if (hlen == 0 || hlen >= sizeof(host))
		return sesshu_err_set(err, SESSHU_EINVAL, "listen address %s: "
		    "not a numeric address and port", listen);
	memcpy(host, h, hlen);
	host[hlen] = '\0';

	memset(ss, 0, sizeof(*ss));
	if (listen[0] != '[' && inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		*sslen = (int)sizeof(*in4);
	} else if (listen[0] == '[' &&
	    inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*sslen = (int)sizeof(*in6);
	} else
		return sesshu_err_set(err, SESSHU_EINVAL, "listen address %s: "
		    "not a numeric address and port", listen);
	return 0;
}

static int
bind_listener(struct reg_server *srv, const char *listen,
    struct sesshu_err *err)
{
	struct evconnlistener *lev;
	struct sockaddr_storage ss;
	socklen_t len;
	int sslen = 0, rc;

	if ((rc = parse_listen(listen, &ss, &sslen, err)) != 0)
		return rc;
	lev = evconnlistener_new_bind(srv->base, NULL, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    128, (struct sockaddr *)&ss, sslen);
	if (lev == NULL)
		return sesshu_err_set(err, SESSHU_EIO, "cannot listen on %s: %s",
		    listen, strerror(errno));
	if ((srv->bound = evhttp_bind_listener(srv->http, lev)) == NULL) {
		evconnlistener_free(lev);
		return sesshu_err_set(err, SESSHU_ENOMEM, "cannot listen on %s: "
		    "out of memory", listen);
	}
	evconnlistener_set_error_cb(lev, accept_error_cb);
	len = sizeof(ss);
	if (getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&ss,
	    &len) != 0)
		return sesshu_err_set(err, SESSHU_EIO, "listen address %s: %s",
		    listen, strerror(errno));
	srv->port = ss.ss_family == AF_INET6 ?
	    ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) :
	    ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

int
reg_server_new(struct reg_server **out, struct event_base *base,
    const struct reg_server_config *cfg, const struct reg_route *routes,
    void *ctx, reg_refusal_fn on_refusal, struct sesshu_err *err)
{
	struct reg_server *srv;
	struct timeval tv;
	int rc;

	*out = NULL;
	if (base == NULL || cfg == NULL || routes == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "register server: "
		    "missing event base, configuration or routes");
	if (cfg->municipality == NULL || core_municipality_parse(
	    cfg->municipality, strlen(cfg->municipality), CORE_MUNI_ALLOW_TEST,
	    NULL, err) != 0)
		return cfg->municipality == NULL ? sesshu_err_set(err,
		    SESSHU_EINVAL, "register server: no municipality code") :
		    sesshu_err_prefix(err, "register municipality");
	if (cfg->timeout < 0 || cfg->shutdown_grace < 0 ||
	    cfg->max_connections < 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "register server: "
		    "negative timeout or connection limit");
	/*
	 * OpenSSL writes to sockets with write(2): a client that vanishes
	 * mid-answer would otherwise kill the register with SIGPIPE.
	 */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return sesshu_err_set(err, SESSHU_EIO, "register server: cannot "
		    "ignore SIGPIPE");
	CRYPTO_THREAD_run_once(&conn_idx_once, conn_idx_init);
	if (conn_idx < 0)
		return sesshu_err_set(err, SESSHU_ECRYPTO, "register server: "
		    "no OpenSSL ex_data index");

	if ((srv = calloc(1, sizeof(*srv))) == NULL ||
	    (srv->sink = calloc(1, sizeof(*srv->sink))) == NULL) {
		free(srv);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	}
	srv->sink->refs = 1;
	srv->sink->live = 1;
	srv->sink->fn = on_refusal;
	srv->sink->ctx = ctx;
	srv->sink->srv = srv;
	srv->base = base;
	srv->routes = routes;
	srv->ctx = ctx;
	memcpy(srv->municipality, cfg->municipality, CORE_MUNI_STRLEN);
	srv->max_body = cfg->max_body != 0 ? cfg->max_body :
	    REG_DEFAULT_MAX_BODY;
	srv->grace = cfg->shutdown_grace != 0 ? cfg->shutdown_grace :
	    REG_DEFAULT_SHUTDOWN_GRACE;
	srv->max_conns = cfg->max_connections != 0 ?
	    (unsigned)cfg->max_connections : REG_DEFAULT_MAX_CONNECTIONS;

	if ((rc = tls_setup(srv, cfg, err)) != 0)
		goto fail;
	if ((srv->http = evhttp_new(base)) == NULL) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto fail;
	}
	evhttp_set_bevcb(srv->http, make_bev, srv);
	evhttp_set_gencb(srv->http, on_request, srv);
	evhttp_set_max_headers_size(srv->http, HEADERS_MAX);
	evhttp_set_max_body_size(srv->http, (ev_ssize_t)srv->max_body);
	tv.tv_sec = cfg->timeout != 0 ? cfg->timeout : REG_DEFAULT_TIMEOUT;
	tv.tv_usec = 0;
	evhttp_set_timeout_tv(srv->http, &tv);
	/* Every method evhttp knows reaches on_request, which answers 405. */
	evhttp_set_allowed_methods(srv->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT |
	    EVHTTP_REQ_PATCH);
	servers_add(srv);
	if ((rc = bind_listener(srv, cfg->listen, err)) != 0)
		goto fail;

	reg_log(REG_LOG_INFO, "listening on %s (port %d), municipality %s, "
	    "TLS %s, CRL %s", cfg->listen, srv->port, srv->municipality,
	    cfg->allow_tls12 ? "1.2 and 1.3" : "1.3", cfg->crl != NULL ?
	    cfg->crl : "none");
	*out = srv;
	return 0;
fail:
	reg_server_free(srv);
	return rc;
}

void
reg_server_free(struct reg_server *srv)
{
	if (srv == NULL)
		return;
	/* Connections freed later by libevent report nothing from now on. */
	srv->sink->live = 0;
	srv->sink->fn = NULL;
	srv->sink->srv = NULL;
	servers_remove(srv);
	if (srv->resume_timer != NULL)
		event_free(srv->resume_timer);
	if (srv->sigterm != NULL)
		event_free(srv->sigterm);
	if (srv->sigint != NULL)
		event_free(srv->sigint);
	if (srv->stop_check != NULL)
		event_free(srv->stop_check);
	if (srv->grace_timer != NULL)
		event_free(srv->grace_timer);
	if (srv->http != NULL)
		evhttp_free(srv->http);
	SSL_CTX_free(srv->ssl_ctx);
	sink_unref(srv->sink);
	free(srv);
}

int
reg_server_port(const struct reg_server *srv)
{
	return srv->port;
}

int
reg_server_stopping(const struct reg_server *srv)
{
	return srv->stopping;
}

static void
grace_cb(evutil_socket_t fd, short what, void *arg)
{
	struct reg_server *srv = arg;

	(void)fd; (void)what;
	reg_log(REG_LOG_WARN, "shutdown grace period over with %u response(s) "
	    "unsent; stopping", srv->inflight);
	event_base_loopbreak(srv->base);
}

/*
 * Runs in the loop iteration after reg_server_shutdown(), so that a
 * handler that asked for the shutdown has had its response queued (and
 * counted) first.
 */
static void
stop_check_cb(evutil_socket_t fd, short what, void *arg)
{
	struct reg_server *srv = arg;
	struct timeval tv = { srv->grace, 0 };

	(void)fd; (void)what;
	if (srv->inflight == 0) {
		reg_log(REG_LOG_INFO, "stopped: every response was sent");
		event_base_loopbreak(srv->base);
		return;
	}
	reg_log(REG_LOG_INFO, "waiting up to %d s for %u response(s) to be "
	    "sent", srv->grace, srv->inflight);
	if (srv->grace_timer == NULL)
		srv->grace_timer = evtimer_new(srv->base, grace_cb, srv);
	if (srv->grace_timer == NULL || evtimer_add(srv->grace_timer, &tv) != 0)
		event_base_loopbreak(srv->base);
}

void
reg_server_shutdown(struct reg_server *srv)
{
	struct timeval now = { 0, 0 };

	if (srv->stopping)
		return;
	srv->stopping = 1;
	if (srv->bound != NULL) {
		evhttp_del_accept_socket(srv->http, srv->bound);
		srv->bound = NULL;
	}
	reg_log(REG_LOG_INFO, "shutting down: no longer accepting connections");
	srv->stop_check = evtimer_new(srv->base, stop_check_cb, srv);
	if (srv->stop_check == NULL || evtimer_add(srv->stop_check, &now) != 0)
		event_base_loopbreak(srv->base);
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct reg_server *srv = arg;

	(void)what;
	if (srv->stopping) {
		reg_log(REG_LOG_WARN, "signal %d again: stopping now", (int)sig);
		event_base_loopbreak(srv->base);
		return;
	}
	reg_log(REG_LOG_INFO, "signal %d: stopping", (int)sig);
	reg_server_shutdown(srv);
}

int
reg_server_stop_on_signals(struct reg_server *srv, struct sesshu_err *err)
{
	if (srv->sigterm == NULL)
		srv->sigterm = evsignal_new(srv->base, SIGTERM, signal_cb, srv);
	if (srv->sigint == NULL)
		srv->sigint = evsignal_new(srv->base, SIGINT, signal_cb, srv);
	if (srv->sigterm == NULL || srv->sigint == NULL ||
	    evsignal_add(srv->sigterm, NULL) != 0 ||
	    evsignal_add(srv->sigint, NULL) != 0)
		return sesshu_err_set(err, SESSHU_EIO, "cannot watch SIGTERM and "
		    "SIGINT");
	return 0;
}
