/*
 * ws_refused.h: the changes the register refused (a conflict or a
 * rejection, ARCHITECTURE §4): they stay in the outbox, parked with the
 * register's reason, and are not sent again. The workstation shows them
 * so that no refusal passes unseen; the register keeps its own copy in
 * the review queue for a supervisor. Discarding one here stops showing
 * it and, for a record, takes the refused version out of the cache so
 * that it holds what the register holds; the discard is audited.
 * Never logs a payload: it is personal data.
 */
#ifndef SESSHU_SYNC_WS_REFUSED_H
#define SESSHU_SYNC_WS_REFUSED_H

#include <stddef.h>

#include "core/err.h"
#include "store/store.h"
#include "sync/account.h"
#include "sync/wire.h"

#define WS_REFUSED_MAX	200

struct ws_refused {
	char	uuid[WIRE_UUID_STRLEN];
	char	kind[16];		/* record, batch, correction, fingerprint */
	char	created_at[STORE_TIME_LEN];
	char	subject[48];		/* "person:<宛名番号>", "batch:<id>", "" */
	char	reason[320];		/* "conflict: ..." as the register said */
};

/* How many changes are parked after a refusal. */
int	ws_refused_count(struct store *st, long *count, struct sesshu_err *err);

/* The parked changes, oldest first, up to max. */
int	ws_refused_list(struct ws_session *s, struct ws_refused *out, size_t max,
	    size_t *n, struct sesshu_err *err);

/*
 * Stops showing one (deletes it from the outbox; a refused record version
 * leaves the cache, the one before is current again), audited as
 * outbox.discard.
 */
int	ws_refused_discard(struct ws_session *s, const char *uuid,
	    struct sesshu_err *err);

#endif
