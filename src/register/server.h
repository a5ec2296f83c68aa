/*
 * server.h: the register's HTTPS server with mutual TLS (docs/PROTOCOL.md,
 * "Transport"). Transport only: the endpoints are the routes its caller
 * gives.
 *
 * Owns the listening socket, the TLS context and the connections. Accepts
 * TLS 1.3 (1.2 when allowed) and only clients whose certificate verifies
 * against the one CA file it was given (never the system store), is not
 * revoked in the CRL when one is given, carries extendedKeyUsage clientAuth
 * and names a workstation (CN) and a municipality (OU). Takes the peer's
 * identity from that certificate only. Answers every request with JSON:
 * POST only, application/json only, bounded bodies, strictly parsed, and a
 * body whose "municipality" matches both the register's and the
 * certificate's, before a handler sees it.
 *
 * Must never: log a body or any field of one (they carry personal data),
 * trust a workstation ID from anywhere but a verified certificate, or let
 * one client block or crash the server for the others. Handlers run on the
 * event loop's thread, one at a time.
 */
#ifndef SESSHU_REGISTER_SERVER_H
#define SESSHU_REGISTER_SERVER_H

#include <stddef.h>

#include <event2/event.h>
#include <jansson.h>

#include "core/err.h"

#define REG_WORKSTATION_ID_MAX	64

/* Who is at the other end, from the verified client certificate. */
struct reg_peer {
	char	workstation_id[REG_WORKSTATION_ID_MAX + 1];	/* CN, "ws-001" */
	char	municipality[7];				/* OU, "990001" */
	char	subject[256];	/* the subject, RFC 2253, escaped to ASCII */
	char	addr[64];	/* "127.0.0.1:53124", "[::1]:53124" */
};

/*
 * What a handler answers. body is owned by the response: the server sends
 * and releases it. A handler that leaves body NULL gets "{}" for a 2xx and
 * the error shape with a generic message otherwise; reg_response_error()
 * fills an error response.
 */
struct reg_response {
	int	 status;
	json_t	*body;
};

/*
 * Handles one request whose body is a parsed JSON object (borrowed: the
 * server releases it) that already passed the transport's checks. Returns
 * 0 with resp filled, or nonzero when the register failed, which is
 * answered 500 `internal` (the handler must then have applied nothing).
 */
typedef int (*reg_handler_fn)(void *ctx, const struct reg_peer *peer,
    json_t *body, struct reg_response *resp);

/* One endpoint; a route table ends with a NULL path. */
struct reg_route {
	const char	*path;		/* "/v1/push" */
	reg_handler_fn	 handler;
};

#define REG_DEFAULT_MAX_BODY		(8u * 1024 * 1024)	/* PROTOCOL.md */
#define REG_DEFAULT_TIMEOUT		30	/* seconds */
#define REG_DEFAULT_SHUTDOWN_GRACE	10	/* seconds */
#define REG_DEFAULT_MAX_CONNECTIONS	512

struct reg_server_config {
	const char	*listen;	/* "127.0.0.1:8443", "[::1]:8443"; port 0 picks one */
	const char	*cert;		/* the register's certificate (PEM) */
	const char	*key;		/* its private key (PEM) */
	const char	*ca;		/* the municipal CA: the only trust anchor */
	const char	*crl;		/* PEM CRL of that CA, or NULL */
	int		 allow_tls12;	/* accept TLS 1.2 as well as 1.3 */
	const char	*municipality;	/* this register's code, "990001" */
	size_t		 max_body;	/* bytes; 0: REG_DEFAULT_MAX_BODY */
	int		 timeout;	/* seconds of silence before a connection
					   is dropped; 0: REG_DEFAULT_TIMEOUT */
	int		 shutdown_grace; /* seconds that responses already sent
					   may take to flush at shutdown;
					   0: REG_DEFAULT_SHUTDOWN_GRACE */
	int		 max_connections; /* open at once; beyond it accepting
					   pauses until one closes (keep it
					   under RLIMIT_NOFILE);
					   0: REG_DEFAULT_MAX_CONNECTIONS */
};

/*
 * Called once for every refused connection and every 4xx answer, on the
 * loop's thread, for the log and the audit trail.
 *
 * peer holds what is known: for a refused handshake only the address and
 * the subject the client claimed (empty without a certificate), never a
 * workstation ID, which is set only from a verified certificate. what is
 * "tls" for a handshake that did not complete, the request path for our
 * own answers, and "http" for the answers libevent makes by itself (413
 * for a body over max_body, 400 for an unparsable request, 501 for an
 * unknown method), whose body is libevent's HTML, not the JSON error
 * shape: clients must go by the status.
 *
 * reason is the verify error ("certificate has expired", "certificate
 * revoked", "unable to get local issuer certificate", "peer did not return
 * a certificate", "unsuitable certificate purpose (extendedKeyUsage lacks
 * clientAuth)", "not TLS (plain HTTP?)", ...) or "<status> <error>:
 * <message>" for an HTTP answer. Neither what nor reason carries personal
 * data.
 *
 * An HTTP refusal is reported before its answer is sent; a handshake
 * refusal when libevent releases the connection, shortly after it closed.
 * The callback must not free the server, and is never called once
 * reg_server_free() has begun.
 */
typedef void (*reg_refusal_fn)(void *ctx, const struct reg_peer *peer,
    const char *what, const char *reason);

struct reg_server;

/*
 * Loads and checks the TLS material (the key must match the certificate,
 * which must verify against the CA and be for servers; the CRL must be
 * the CA's and current), binds cfg->listen and starts accepting on base.
 * routes (borrowed: must outlive the server), ctx and on_refusal (may be
 * NULL) are given to the handlers and the refusal callback. On success
 * *out is the caller's, to release with reg_server_free().
 * Sets SIGPIPE to be ignored, for the whole process: a client that goes
 * away while being answered must not kill the register.
 */
int	reg_server_new(struct reg_server **out, struct event_base *base,
	    const struct reg_server_config *cfg, const struct reg_route *routes,
	    void *ctx, reg_refusal_fn on_refusal, struct sesshu_err *err);

/*
 * Closes the listener and every connection. Call it after the loop has
 * stopped, before event_base_free().
 */
void	reg_server_free(struct reg_server *srv);

/* The port actually bound (useful after "127.0.0.1:0"). */
int	reg_server_port(const struct reg_server *srv);

/*
 * Stops gracefully: closes the listener, answers 503 `shutting_down` to
 * requests that arrive afterwards, and breaks the loop once every response
 * already being sent has been handed to TLS, or after the grace period.
 * Handlers run synchronously on the loop, so none is interrupted: a change
 * acknowledged to a client was committed before its response was written.
 * Call it on the loop's thread while the loop runs (from a handler, a
 * signal or another event).
 */
void	reg_server_shutdown(struct reg_server *srv);

/* Calls reg_server_shutdown() on SIGTERM or SIGINT (libevent signal events). */
int	reg_server_stop_on_signals(struct reg_server *srv,
	    struct sesshu_err *err);

/* Nonzero once reg_server_shutdown() has been called. */
int	reg_server_stopping(const struct reg_server *srv);

/*
 * Fills resp with status and the error body {"error", "message"}; for
 * handlers. The message must not carry personal data: it reaches the log.
 * Returns 0, or SESSHU_ENOMEM (resp then holds status and no body, which
 * the server answers with a generic message).
 */
int	reg_response_error(struct reg_response *resp, int status,
	    const char *error, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

#endif
