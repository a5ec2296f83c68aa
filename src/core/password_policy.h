/*
 * password_policy.h: the rules a new password must meet (C3), as pure
 * checks. The register enforces them; the workstation checks them first
 * so a clerk hears about a bad password before the round trip. History
 * (none of the last n) needs the verifiers and lives in the register.
 * Messages explain the rule and never repeat the password. No I/O.
 */
#ifndef SESSHU_CORE_PASSWORD_POLICY_H
#define SESSHU_CORE_PASSWORD_POLICY_H

#include <stddef.h>

#include "core/err.h"

#define PASSWORD_MAX_BYTES	256

struct core_password_policy {
	int	min_length;	/* in characters (code points); default 12 */
};

/* SESSHU_EINVAL with the rule broken; 0 when the password may be used. */
int	core_password_policy_check(const struct core_password_policy *policy,
	    const char *user_id, const char *pw, size_t len,
	    struct sesshu_err *err);

#endif
