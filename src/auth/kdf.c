/* kdf.c: scrypt through OpenSSL 3's EVP_KDF; see kdf.h. */
#include "auth/kdf.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

int
scrypt_params_check(const struct scrypt_params *params, struct sesshu_err *err)
{
	if (params->log2_n < SCRYPT_LOG2N_MIN || params->log2_n > SCRYPT_LOG2N_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "scrypt log2N %u is outside %d..%d", params->log2_n,
		    SCRYPT_LOG2N_MIN, SCRYPT_LOG2N_MAX);
	if (params->r < 1 || params->r > SCRYPT_R_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "scrypt r %u is outside 1..%d", params->r, SCRYPT_R_MAX);
	if (params->p < 1 || params->p > SCRYPT_P_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "scrypt p %u is outside 1..%d", params->p, SCRYPT_P_MAX);
	if (128ull * params->r * (1ull << params->log2_n) > SCRYPT_MEM_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "scrypt memory 128*r*N (r %u, log2N %u) exceeds %llu MiB",
		    params->r, params->log2_n, SCRYPT_MEM_MAX >> 20);
	return 0;
}

int
scrypt_derive(const char *pw, size_t pw_len, const unsigned char *salt,
    size_t salt_len, const struct scrypt_params *params, unsigned char *out,
    size_t outlen, struct sesshu_err *err)
{
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *kctx = NULL;
	OSSL_PARAM op[7], *o = op;
	uint64_t n = 1ull << params->log2_n;
	uint32_t r = params->r, p = params->p;
	/* What OpenSSL's scrypt allocates (B, then V, X and T): ask no more. */
	uint64_t maxmem = 128ull * r * p + 128ull * r * (n + 2);
	char detail[256];
	int rc;

	if ((rc = scrypt_params_check(params, err)) != 0)
		return rc;
	*o++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
	    (void *)pw, pw_len);
	*o++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	    (void *)salt, salt_len);
	*o++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
	*o++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
	*o++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p);
	*o++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem);
	*o = OSSL_PARAM_construct_end();

	if ((kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL)) == NULL ||
	    (kctx = EVP_KDF_CTX_new(kdf)) == NULL ||
	    EVP_KDF_derive(kctx, out, outlen, op) <= 0) {
		ERR_error_string_n(ERR_peek_last_error(), detail, sizeof(detail));
		ERR_clear_error();
		rc = sesshu_err_set(err, SESSHU_ECRYPTO, "scrypt failed: %s", detail);
	}
	/* Frees (and wipes) OpenSSL's copy of the password. */
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return rc;
}
