/*
 * password.h: password verifiers, as the register stores them.
 *
 * A verifier is text: "scrypt$<log2N>$<r>$<p>$<salt hex>$<hash hex>", so
 * parameters can be raised later without invalidating old verifiers.
 * Checking compares in constant time. Used also for one-time activation
 * codes. Never logs or returns the password.
 */
#ifndef SESSHU_AUTH_PASSWORD_H
#define SESSHU_AUTH_PASSWORD_H

#include <stddef.h>

#include "auth/kdf.h"
#include "core/err.h"

#define PASSWORD_VERIFIER_MAX	160

/* log2N 15, r 8, p 1: about 0.14 s and 32 MiB per check on the dev machine. */
extern const struct scrypt_params PASSWORD_VERIFIER_PARAMS;

int	password_verifier_make(const char *pw, size_t pw_len,
	    const struct scrypt_params *params, char *out, size_t size,
	    struct sesshu_err *err);

/*
 * 0 when pw matches; SESSHU_EAUTH when it does not; SESSHU_EFORMAT or
 * SESSHU_ERANGE when the verifier itself is malformed.
 */
int	password_verifier_check(const char *pw, size_t pw_len,
	    const char *verifier, struct sesshu_err *err);

/*
 * Spends the time of one check without a verifier, so that an unknown user
 * ID takes as long to refuse as a wrong password.
 */
void	password_verifier_waste(const char *pw, size_t pw_len);

#endif
