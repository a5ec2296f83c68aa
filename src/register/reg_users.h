/*
 * reg_users.h: the register's users: creation with a one-time activation
 * code, disabling, and the checks of a login or a password change.
 *
 * The register alone holds password verifiers (ARCHITECTURE §3). A failed
 * check never says which factor was wrong; every attempt, success or not,
 * goes into the register's audit trail. Never logs a password or a code.
 */
#ifndef SESSHU_REGISTER_REG_USERS_H
#define SESSHU_REGISTER_REG_USERS_H

#include <stddef.h>

#include "register/reg.h"

#define REG_USER_ID_MAX		32
#define REG_USER_NAME_MAX	64
#define REG_ACTIVATION_CODE_LEN	19	/* XXXX-XXXX-XXXX-XXXX */

/* Results of a login beyond 0 / negative sesshu codes. */
enum reg_login_outcome {
	REG_LOGIN_OK = 0,
	REG_LOGIN_AUTH_FAILED,		/* 401: wrong ID, password or code */
	REG_LOGIN_DISABLED,		/* 403: disabled or revoked */
	REG_LOGIN_FORBIDDEN,		/* 403: the role does not allow this */
	REG_LOGIN_LOCKED,		/* 423: too many failures */
	REG_LOGIN_CHANGE_REQUIRED,	/* 422: a new password must be set */
	REG_LOGIN_POLICY,		/* 422: the new password breaks the policy */
};

struct reg_user_info {
	char	user_id[REG_USER_ID_MAX + 1];
	char	name[REG_USER_NAME_MAX * 4 + 1];
	char	role[16];
	char	status[16];
	int	must_change_password;
	char	password_changed_at[STORE_TIME_LEN];
	char	password_expires_at[STORE_TIME_LEN];	/* "" when no password yet */
};

struct reg_login_request {
	const char	*workstation_id;	/* from the certificate */
	const char	*user_id;
	const char	*secret;		/* password or activation code */
	size_t		 secret_len;
	const char	*new_password;		/* NULL unless setting one */
	size_t		 new_password_len;
	const char	*required_role;		/* NULL, or e.g. "is-admin" */
};

struct reg_login_result {
	enum reg_login_outcome	outcome;
	char			message[256];	/* why, for 403/422/423 */
	long			retry_after;	/* seconds, for LOCKED */
	struct reg_user_info	user;
};

/* Nonzero for a role of the permission matrix. */
int	reg_role_is_valid(const char *role);

/*
 * Creates a user and writes a fresh one-time activation code into code
 * (REG_ACTIVATION_CODE_LEN + 1 bytes). User IDs are never reused: an ID
 * that existed before, even disabled, is refused (004 L281).
 */
int	reg_user_add(struct reg *reg, const char *actor, const char *user_id,
	    const char *name, const char *role, char *code, struct sesshu_err *err);

/* Disables a user; the change reaches every workstation at its next sync. */
int	reg_user_disable(struct reg *reg, const char *actor, const char *user_id,
	    struct sesshu_err *err);

/*
 * Checks a login (and sets a new password when one is given and allowed)
 * in one transaction. Returns a negative code only when the register
 * itself failed; a refusal is a 0 return with result->outcome set.
 */
/*
 * A login a workstation checked against its own key slot, reported while
 * the register is reachable, so that failures count per user across
 * workstations (lockout_threshold, lockout_minutes): a failure counts as
 * one, a success clears the count. locked_until receives the end of a
 * lockout in force ("" when none), which the workstation then enforces.
 * An unknown user ID is answered as not locked. Audited as "login".
 */
int	reg_user_login_report(struct reg *reg, const char *user_id, int failed,
	    const char *workstation, char *locked_until, size_t size,
	    struct sesshu_err *err);

int	reg_user_login(struct reg *reg, const struct reg_login_request *req,
	    struct reg_login_result *result, struct sesshu_err *err);

/* Reads a user's public fields (no verifier). SESSHU_ENOTFOUND if absent. */
int	reg_user_get(struct reg *reg, const char *user_id,
	    struct reg_user_info *out, struct sesshu_err *err);

#endif
