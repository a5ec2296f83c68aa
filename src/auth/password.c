/* password.c: scrypt password verifiers; see password.h. */
#include "auth/password.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#define SALT_LEN	16
#define HASH_LEN	32

const struct scrypt_params PASSWORD_VERIFIER_PARAMS = { 15, 8, 1 };

static void
to_hex(const unsigned char *in, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

static int
from_hex(const char *in, size_t hexlen, unsigned char *out)
{
	for (size_t i = 0; i < hexlen / 2; i++) {
		unsigned v = 0;

		for (int k = 0; k < 2; k++) {
			char c = in[2 * i + (size_t)k];

			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else
				return -1;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

int
password_verifier_make(const char *pw, size_t pw_len,
    const struct scrypt_params *params, char *out, size_t size,
    struct sesshu_err *err)
{
	unsigned char salt[SALT_LEN], hash[HASH_LEN];
	char salt_hex[2 * SALT_LEN + 1], hash_hex[2 * HASH_LEN + 1];
	int rc, n;

	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return sesshu_err_set(err, SESSHU_ECRYPTO, "no randomness for a salt");
	if ((rc = scrypt_derive(pw, pw_len, salt, sizeof(salt), params, hash,
	    sizeof(hash), err)) != 0)
		return rc;
	to_hex(salt, sizeof(salt), salt_hex);
	to_hex(hash, sizeof(hash), hash_hex);
	OPENSSL_cleanse(hash, sizeof(hash));
	n = snprintf(out, size, "scrypt$%u$%u$%u$%s$%s", params->log2_n,
	    params->r, params->p, salt_hex, hash_hex);
	OPENSSL_cleanse(hash_hex, sizeof(hash_hex));
	if (n < 0 || (size_t)n >= size)
		return sesshu_err_set(err, SESSHU_EINVAL, "verifier buffer too small");
	return 0;
}

/* Parses "scrypt$N$r$p$salt$hash" strictly: decimal fields, exact hex lengths. */
static int
parse_verifier(const char *v, struct scrypt_params *params,
    unsigned char salt[SALT_LEN], unsigned char hash[HASH_LEN],
    struct sesshu_err *err)
{
	unsigned long fields[3];
	const char *p = v;
	char *end;

	if (strncmp(p, "scrypt$", 7) != 0)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "password verifier: unknown scheme");
	p += 7;
	for (int i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9')
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "password verifier: parameter %d is not a number", i + 1);
		fields[i] = strtoul(p, &end, 10);
		if (*end != '$' || fields[i] > 0xffffffffUL)
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "password verifier: parameter %d is malformed", i + 1);
		p = end + 1;
	}
	if (fields[0] > 255)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "password verifier: log2N %lu is out of range", fields[0]);
	params->log2_n = (uint8_t)fields[0];
	params->r = (uint32_t)fields[1];
	params->p = (uint32_t)fields[2];
	if (strlen(p) != 2 * SALT_LEN + 1 + 2 * HASH_LEN || p[2 * SALT_LEN] != '$' ||
	    from_hex(p, 2 * SALT_LEN, salt) != 0 ||
	    from_hex(p + 2 * SALT_LEN + 1, 2 * HASH_LEN, hash) != 0)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "password verifier: salt or hash is malformed");
	return scrypt_params_check(params, err);
}

int
password_verifier_check(const char *pw, size_t pw_len, const char *verifier,
    struct sesshu_err *err)
{
	struct scrypt_params params;
	unsigned char salt[SALT_LEN], want[HASH_LEN], got[HASH_LEN];
	int rc;

	if ((rc = parse_verifier(verifier, &params, salt, want, err)) != 0)
		return rc;
	rc = scrypt_derive(pw, pw_len, salt, sizeof(salt), &params, got,
	    sizeof(got), err);
	if (rc == 0 && CRYPTO_memcmp(got, want, sizeof(got)) != 0)
		rc = sesshu_err_set(err, SESSHU_EAUTH, "the password does not match");
	OPENSSL_cleanse(got, sizeof(got));
	return rc;
}

void
password_verifier_waste(const char *pw, size_t pw_len)
{
	unsigned char salt[SALT_LEN] = { 0 }, sink[HASH_LEN];

	(void)scrypt_derive(pw, pw_len, salt, sizeof(salt),
	    &PASSWORD_VERIFIER_PARAMS, sink, sizeof(sink), NULL);
	OPENSSL_cleanse(sink, sizeof(sink));
}
