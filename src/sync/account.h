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
 *
 * The workstation applies its own login policy to offline logins (the
 * register applies its own to online ones; [login] of ws_settings.h):
 * lockout after repeated failures, counted in STATE/login-failures
 * (sync/login_guard.h); a maximum time since the last contact with the
 * register; and an expired password or one that must be changed is
 * changed online before the login completes. Every attempt reaches the
 * cache's audit trail, those refused before the cache could be opened at
 * the next successful login on this workstation.
 */
#ifndef SESSHU_SYNC_ACCOUNT_H
#define SESSHU_SYNC_ACCOUNT_H

#include "auth/secmem.h"
#include "auth/ws_settings.h"
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
	/* The password's expiry as the register last said ("" unknown), and
	 * whether it falls within WS_PASSWORD_NOTICE_DAYS: show a notice. */
	char			 password_expires_at[STORE_TIME_LEN];
	int			 password_expires_soon;
	int			 login_failures_cleared;	/* ws_login_factor_failed */
	/*
	 * The master key K, in locked memory, for as long as the cache is
	 * open, so that the background sync can open its own connection to
	 * it (sync/ws_worker.h); wiped by ws_session_close(). {NULL, 0} in a
	 * session opened by ws_session_open_second().
	 */
	struct secbuf		 key;
};

#define WS_PASSWORD_NOTICE_DAYS	14

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
 * from the key slot when there is one, else online (first login), under
 * settings' [login] policy (NULL: the defaults). A wrong password is
 * SESSHU_EAUTH with a message that does not say which factor was wrong.
 * SESSHU_EDENIED, with a message for the user, when the policy refuses:
 * the user is locked out here (no password is asked for, no key derived)
 * or at the register (its 423), the workstation has not reached the
 * register for longer than max_offline_hours and cannot reach it now, or
 * the password has expired or must be changed and the register cannot be
 * reached to change it. When it can, the user is asked for a new password
 * (WS_ASK_NEW_PASSWORD, then _AGAIN, again after a policy refusal), the
 * register's /v1/password sets it and the key slot is rewrapped under it.
 * A damaged STATE/login-failures refuses every login (its code and a
 * message naming the file) until an administrator moves it aside.
 */
int	ws_login_with_settings(const char *state_dir, const char *user_id,
	    const struct ws_settings *settings, ws_ask_fn ask, void *ask_ctx,
	    struct ws_session **out, struct sesshu_err *err);

/*
 * The user's own password change (needs the register): current checked
 * by the register, fresh set if its policy allows (otherwise SESSHU_EINVAL
 * with the register's reason also in why), the key slot rewrapped under
 * it, audited as password.change. Secrets are borrowed, never kept.
 */
int	ws_password_change(struct ws_session *s, const struct secbuf *current,
	    const struct secbuf *fresh, char *why, size_t why_size,
	    struct sesshu_err *err);

/* ws_login_with_settings() under the default settings. */
int	ws_login(const char *state_dir, const char *user_id, ws_ask_fn ask,
	    void *ask_ctx, struct ws_session **out, struct sesshu_err *err);

/*
 * For a login with a second factor after the password (the TUI's
 * fingerprint): the password opened s, which cleared the user's count of
 * failures; the second factor then failed. Counts that as one failed login
 * under settings' lockout (NULL: the defaults), from the count the password
 * cleared, so that a right password with a wrong finger cannot be tried
 * forever, and writes its entry to s's audit trail. The caller then closes
 * s. SESSHU_EDENIED when this failure locked the user (err says until
 * when), else 0 or an error writing STATE/login-failures.
 */
int	ws_login_factor_failed(struct ws_session *s,
	    const struct ws_settings *settings, struct sesshu_err *err);

/*
 * Enrolling a first print on this workstation needs a password that the
 * register has just checked: otherwise anyone who learnt a password could
 * enroll their own finger offline. A first (online) login here and
 * provisioning record that the user may enroll; ws_fingerprint_save()
 * consumes that in the same transaction as the print.
 */
int	ws_enrollment_allowed(struct ws_session *s);

/*
 * Has the register check the user's password again now (/v1/login, asked
 * through ask) and, when it is right, allows one enrollment. For an
 * administrator enrolling a user's new kind of reader (`sesshu enroll`).
 */
int	ws_enrollment_confirm_online(struct ws_session *s, ws_ask_fn ask,
	    void *ask_ctx, struct sesshu_err *err);

/* The sync_state key that holds user_id's permission to enroll. */
void	ws_enrollment_key(const char *user_id, char *buf, size_t size);

/* The session's HTTP client, created on first use. */
int	ws_session_http(struct ws_session *s, struct sync_http **out,
	    struct sesshu_err *err);

/* Closes the cache and frees the session. NULL-safe. */
void	ws_session_close(struct ws_session *s);

/* Appends to the cache's audit trail as this session's user. */
int	ws_audit(struct ws_session *s, const char *action, const char *object,
	    const char *outcome, struct sesshu_err *err);

#endif
