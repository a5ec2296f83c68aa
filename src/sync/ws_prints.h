/*
 * ws_prints.h: a workstation's enrolled fingerprints: saving a new print
 * (the cache, its outbox entry and its audit entry in one transaction, so
 * the register and then every other workstation receive it) and loading a
 * user's prints to verify a login. Prints are biometric data: they live
 * only in the encrypted stores and in locked-down memory while in use, and
 * are never logged.
 */
#ifndef SESSHU_SYNC_WS_PRINTS_H
#define SESSHU_SYNC_WS_PRINTS_H

#include <stddef.h>

#include "auth/fingerprint.h"
#include "core/err.h"
#include "sync/account.h"

/* Saves (or replaces) user_id's print of finger for readers of driver. */
int	ws_fingerprint_save(struct ws_session *s, const char *user_id,
	    enum fingerprint_finger finger, const char *driver,
	    const struct fingerprint_blob *print, struct sesshu_err *err);

/*
 * Loads user_id's prints for readers of driver into a new array (*out,
 * *n); the caller clears each with fingerprint_blob_clear() and frees the
 * array. None enrolled: 0 with *n = 0.
 */
int	ws_fingerprints_load(struct ws_session *s, const char *user_id,
	    const char *driver, struct fingerprint_blob **out, size_t *n,
	    struct sesshu_err *err);

#endif
