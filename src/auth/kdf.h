/*
 * kdf.h: scrypt, the one password hash of sesshu, for key slots (KEK) and
 * for the register's password verifiers alike.
 *
 * Parameters are bounded here, once, so that no caller can be made to
 * allocate unbounded memory by a hostile file or request.
 */
#ifndef SESSHU_AUTH_KDF_H
#define SESSHU_AUTH_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct scrypt_params {
	uint8_t		log2_n;		/* N = 2^log2_n */
	uint32_t	r;
	uint32_t	p;
};

#define SCRYPT_LOG2N_MIN	10
#define SCRYPT_LOG2N_MAX	22
#define SCRYPT_R_MAX		32
#define SCRYPT_P_MAX		16
#define SCRYPT_MEM_MAX		(1ull << 30)	/* 128 * r * N bytes at most */

/* SESSHU_ERANGE, naming the field, when params are outside the bounds above. */
int	scrypt_params_check(const struct scrypt_params *params,
	    struct sesshu_err *err);

/*
 * Derives outlen bytes from the password and salt into out (which should
 * be a secbuf's data when the output is a key). OpenSSL copies the password
 * into its context and wipes the copy when the context is freed.
 */
int	scrypt_derive(const char *pw, size_t pw_len, const unsigned char *salt,
	    size_t salt_len, const struct scrypt_params *params,
	    unsigned char *out, size_t outlen, struct sesshu_err *err);

#endif
