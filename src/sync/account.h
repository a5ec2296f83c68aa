/*
 * account.h: a user's session on a workstation: provisioning the
 * workstation, the first login online, later logins offline, and the open
 * cache that a session holds (ARCHITECTURE §3).
 *
 * The first login of a user on a workstation needs the register: it checks
 * the password (or one-time activation code, then a new password), and
 * sends this workstation's master key K, which is then wrapped in the
 * user's key slot under the password. Later logins unwrap K from the slot
 * offline. Secrets are asked for through a callback (terminal, file
 * descriptor, or the TUI), held in locked memory and wiped after use.
 * Never prints or logs a secret.
 */
#ifndef SESSHU_SYNC_ACCOUNT_H
#define SESSHU_SYNC_ACCOUNT_H

#include "auth/secmem.h"
#include "core/err.h"
#include "store/store.h"
#include "sync/http_client.h"
#include "sync/ws_config.h"

enum ws_ask {
	WS_ASK_SECRET,			/* "Password (or activation code)" */
	WS_ASK_NEW_PASSWORD,		/* "New password" */
	WS_ASK_NEW_PASSWORD_AGAIN,	/* "New password again" */
};

/*
 * Asks for one secret. why is "" or the register's reason for asking
 * (e.g. "first login: set your own password", or the policy a previous
 * new password broke), for the prompt. Fills out (a new secbuf).
 */
typedef int (*ws_ask_fn)(void *ctx, enum ws_ask what, const char *why,
    struct secbuf *out, struct sesshu_err *err);

struct ws_session {
	char			 state_dir[1024];
	struct ws_config	 cfg;
	struct store		*st;
	struct sync_http	*http;		/* NULL until first needed */
	char			 user_id[33];
	char			 role[16];
	int			 online_login;	/* this login went to the register */
};

struct ws_provision_args {
	const char	*state_dir;
	const char	*url, *ca, *cert, *key;	/* the register and this workstation's PKI */
	const char	*user_id;		/* an IS administrator (is-admin) */
};

/*
 * Provisions a new workstation: makes its master key and encrypted cache,
 * escrows the key to the register as the administrator, writes the
 * administrator's key slot and register.conf. Leaves nothing behind when
 * it fails. On success *out is an open session of the administrator.
 */
int	ws_provision(const struct ws_provision_args *args, ws_ask_fn ask,
	    void *ask_ctx, struct ws_session **out, struct sesshu_err *err);

/*
 * Logs user_id in on the provisioned workstation in state_dir: offline
 * from the key slot when there is one, else online (first login). A wrong
 * password is SESSHU_EAUTH with a message that does not say which factor
 * was wrong.
 */
int	ws_login(const char *state_dir, const char *user_id, ws_ask_fn ask,
	    void *ask_ctx, struct ws_session **out, struct sesshu_err *err);

/* The session's HTTP client, created on first use. */
int	ws_session_http(struct ws_session *s, struct sync_http **out,
	    struct sesshu_err *err);

/* Closes the cache and frees the session. NULL-safe. */
void	ws_session_close(struct ws_session *s);

/* Appends to the cache's audit trail as this session's user. */
int	ws_audit(struct ws_session *s, const char *action, const char *object,
	    const char *outcome, struct sesshu_err *err);

#endif
