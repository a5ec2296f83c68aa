/*
 * keyslot.h: the key-slot file that wraps the workstation's master key once
 * per user (ARCHITECTURE §3, like LUKS).
 *
 * Each slot holds the 32-byte master key K sealed with AES-256-GCM under
 * KEK = scrypt(password, salt). The AAD binds the slot to its user ID, the
 * workstation ID, its scrypt parameters, salt and creation time, so a slot
 * cannot be moved to another user or workstation, nor its cost lowered,
 * without the unlock failing. The file ends with a SHA-256 of everything
 * before it; a truncated or altered file is refused at load, never
 * repaired. The byte layout is documented in docs/SECURITY.md.
 *
 * Owns the in-memory model of the file; the only I/O is keyslot_file_load()
 * and keyslot_file_save(). Passwords, KEKs and K are never copied outside
 * secbufs (except inside OpenSSL's scrypt, see keyslot.c), never logged and
 * never put in an error message; messages name the file, the user ID or the
 * field at fault.
 */
#ifndef SESSHU_AUTH_KEYSLOT_H
#define SESSHU_AUTH_KEYSLOT_H

#include <stddef.h>
#include <stdint.h>

#include "auth/secmem.h"
#include "auth/kdf.h"
#include "core/err.h"

#define KEYSLOT_KEY_BYTES	32	/* the master key K */
#define KEYSLOT_ID_MAX		64	/* user and workstation IDs, bytes */
#define KEYSLOT_MAX_SLOTS	256

/* scrypt parameters, bounded by auth/kdf.h whether from a caller or a file. */
#define keyslot_params scrypt_params

/* log2N 16, r 10, p 1: 80 MiB; see KEYSLOT_DEFAULT_* in keyslot.c. */
extern const struct keyslot_params KEYSLOT_DEFAULT_PARAMS;

/* Opaque in-memory model of one key-slot file. */
struct keyslot_file;

/*
 * An empty file for workstation_id (1..64 bytes of [A-Za-z0-9._-]).
 * On success *out is the caller's, to free with keyslot_file_free().
 */
int	keyslot_file_new(struct keyslot_file **out, const char *workstation_id,
	    struct sesshu_err *err);

/*
 * Reads and checks the file at path: SESSHU_EFORMAT when it is not a
 * key-slot file, is truncated or malformed; SESSHU_ECORRUPT when the
 * checksum does not match; SESSHU_EVERSION when a newer program wrote it;
 * SESSHU_ERANGE when a slot's scrypt parameters are out of bounds;
 * SESSHU_ENOTFOUND when path does not exist. Never writes to path.
 * On success *out is the caller's.
 */
int	keyslot_file_load(struct keyslot_file **out, const char *path,
	    struct sesshu_err *err);

/*
 * Replaces path atomically: writes path.tmp (created exclusively, mode
 * 0600), fsyncs it, renames it over path and fsyncs the directory. A
 * leftover path.tmp is refused with SESSHU_EEXIST rather than removed, since
 * it may belong to a save in progress.
 */
int	keyslot_file_save(const struct keyslot_file *f, const char *path,
	    struct sesshu_err *err);

void	keyslot_file_free(struct keyslot_file *f);	/* NULL-safe */

/* Borrowed strings, valid until f is changed or freed. */
const char	*keyslot_file_workstation(const struct keyslot_file *f);
size_t		 keyslot_count(const struct keyslot_file *f);
/* NULL when i >= keyslot_count(f). */
const char	*keyslot_user_at(const struct keyslot_file *f, size_t i);
/* 1 when user_id has a slot, else 0. */
int		 keyslot_has_user(const struct keyslot_file *f, const char *user_id);

/*
 * Wraps master_key (KEYSLOT_KEY_BYTES) for user_id under password, with a
 * fresh salt and nonce, replacing any slot that user had. params NULL means
 * KEYSLOT_DEFAULT_PARAMS; out-of-bounds params are SESSHU_ERANGE. On
 * failure f is unchanged. Changes only memory: call keyslot_file_save().
 */
int	keyslot_add(struct keyslot_file *f, const char *user_id,
	    const char *password, size_t password_len,
	    const struct secbuf *master_key, const struct keyslot_params *params,
	    struct sesshu_err *err);

/*
 * Opens user_id's slot. On success master_key_out is a new secbuf of
 * KEYSLOT_KEY_BYTES that the caller releases with secbuf_release(); on
 * failure it is {NULL, 0}. SESSHU_ENOTFOUND when the user has no slot,
 * SESSHU_EAUTH when the password (or the slot) is wrong.
 */
int	keyslot_unlock(const struct keyslot_file *f, const char *user_id,
	    const char *password, size_t password_len,
	    struct secbuf *master_key_out, struct sesshu_err *err);

/* Drops user_id's slot; SESSHU_ENOTFOUND when there is none. */
int	keyslot_remove(struct keyslot_file *f, const char *user_id,
	    struct sesshu_err *err);

/*
 * Password change: opens user_id's slot with old_pw and rewraps K under
 * new_pw with a fresh salt and nonce (params NULL: the defaults). On
 * failure f is unchanged.
 */
int	keyslot_rewrap(struct keyslot_file *f, const char *user_id,
	    const char *old_pw, size_t old_len, const char *new_pw,
	    size_t new_len, const struct keyslot_params *params,
	    struct sesshu_err *err);

#endif
