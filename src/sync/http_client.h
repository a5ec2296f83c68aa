/*
 * http_client.h: the workstation's HTTPS client to the register
 * (docs/PROTOCOL.md, "Transport"; ARCHITECTURE §4).
 *
 * One struct sync_http wraps one libcurl easy handle that is reused across
 * requests, so consecutive requests share a kept-alive TLS connection. It
 * speaks HTTP/1.1 over TLS 1.3 (1.2 only when allowed), presents the
 * workstation's client certificate, and trusts only the municipal CA file
 * it was given: never the system store, never a proxy from the
 * environment, never a redirect, never a cookie, never plain HTTP.
 *
 * Owns the transport only: what the bodies mean is src/sync/wire.c's and
 * the caller's. Must never put a request body (which may carry a password,
 * an activation code or the master key) in an error message or a log;
 * messages name the register's URL, the certificate or CA file and the
 * reason. One handle is used by one thread at a time.
 */
#ifndef SESSHU_SYNC_HTTP_CLIENT_H
#define SESSHU_SYNC_HTTP_CLIENT_H

#include <jansson.h>

#include "core/err.h"

/* Answers larger than this are refused; the protocol's pages are far less. */
#define SYNC_HTTP_RESPONSE_MAX		(64L * 1024 * 1024)

/* Used when the configuration leaves a timeout at 0. */
#define SYNC_HTTP_CONNECT_TIMEOUT_MS	10000L
#define SYNC_HTTP_TOTAL_TIMEOUT_MS	60000L

struct sync_endpoint_config {
	const char	*url;		/* "https://localhost:8443", no user,
					 * query or fragment */
	const char	*ca_file;	/* the municipal CA, PEM; the only trust */
	const char	*cert_file;	/* this workstation's certificate, PEM */
	const char	*key_file;	/* its private key, PEM, unencrypted */
	int		 allow_tls12;	/* nonzero: accept TLS 1.2 as well */
	long		 connect_timeout_ms;	/* 0: SYNC_HTTP_CONNECT_TIMEOUT_MS */
	long		 total_timeout_ms;	/* per request; 0: the default */
};

/* Opaque: one easy handle and its settings. */
struct sync_http;

/*
 * Checks cfg (an https URL; readable CA, certificate and key files) and
 * prepares a handle; no connection is made yet. cfg is copied, so it may
 * be freed afterwards. On success *out is the caller's, to free with
 * sync_http_free(). A non-https URL or a missing file is SESSHU_EINVAL
 * with a message naming it; a libcurl that cannot start is SESSHU_EIO.
 */
int	sync_http_new(struct sync_http **out,
	    const struct sync_endpoint_config *cfg, struct sesshu_err *err);

/* Closes the connection and frees the handle. NULL-safe. */
void	sync_http_free(struct sync_http *h);

/*
 * Lets another thread cut h's requests short: once *flag is nonzero (it
 * is read with g_atomic_int_get, so set it with g_atomic_int_set), a
 * request in progress ends within about a second, and any later one at
 * once, with SESSHU_ECANCELED. How a background sync is stopped at logout
 * without waiting out the timeouts. flag is borrowed and must outlive h;
 * NULL removes it.
 */
void	sync_http_set_cancel(struct sync_http *h, const int *flag);

/*
 * POSTs body (a JSON object, borrowed) to the configured URL + path
 * ("/v1/push"). On any HTTP answer, whatever its status, returns 0 with
 * *status set and *response the parsed answer (a JSON object the caller
 * json_decref's; NULL when the body was empty, not JSON or not an object).
 * Use sync_http_error() to turn a non-2xx answer into an error.
 *
 * Transport failures (connection, TLS, certificates, timeouts, an answer
 * over SYNC_HTTP_RESPONSE_MAX) return SESSHU_EIO with a message naming the
 * URL and the reason; *status is 0 and *response NULL. A bad path or a
 * body that is not an object is SESSHU_EINVAL; out of memory SESSHU_ENOMEM.
 */
int	sync_http_post(struct sync_http *h, const char *path,
	    const json_t *body, long *status, json_t **response,
	    struct sesshu_err *err);

/*
 * Turns the register's answer into a status code and a message built from
 * its "error" and "message" members (docs/PROTOCOL.md, "An error response
 * is always"). Returns 0, touching nothing, for a 2xx status. Otherwise:
 *
 *	401, 403, 423 (locked)			SESSHU_EAUTH
 *	422 password_change_required		SESSHU_EAUTH
 *	409 (already_provisioned)		SESSHU_EEXIST
 *	413 (too_large)				SESSHU_ERANGE
 *	any other 4xx (incl. 422 password_policy) SESSHU_EINVAL
 *	5xx (internal, shutting_down)		SESSHU_EIO (transient: retry)
 *	anything else (1xx, 3xx)		SESSHU_EFORMAT
 *
 * The caller that must tell errors of one class apart (422
 * password_change_required from 401 auth_failed, say) reads "error" from
 * the response itself. response may be NULL (an answer that was not JSON).
 * The register's message is quoted with control characters replaced, so
 * it cannot drive the terminal.
 */
int	sync_http_error(long status, const json_t *response,
	    struct sesshu_err *err);

#endif
