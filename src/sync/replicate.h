/*
 * replicate.h: a workstation's half of sync: push the outbox, pull the
 * register's changes (docs/PROTOCOL.md).
 *
 * An outbox entry leaves only when the register's result for its UUID has
 * arrived; a pulled page and its cursor commit together; a user the
 * register disabled or revoked, or whose password changed elsewhere, loses
 * the key slot on this workstation in the same sync. Prints nothing.
 */
#ifndef SESSHU_SYNC_REPLICATE_H
#define SESSHU_SYNC_REPLICATE_H

#include <jansson.h>

#include "core/err.h"
#include "sync/account.h"

#define WS_PUSH_BATCH	500
#define WS_PULL_PAGE	1000

struct ws_sync_counts {
	long	pushed;		/* changes sent */
	long	acknowledged;	/* applied or already applied (duplicate) */
	long	conflicts;	/* kept by the register for a supervisor */
	long	rejected;	/* refused by the register for good */
	long	pulled;		/* changes applied from the register */
	long	slots_removed;	/* users who can no longer log in here */
};

/*
 * Adds one change to the outbox inside the caller's transaction, under a
 * fresh UUID. change holds the kind-specific members ("record",
 * "base_version"); it is borrowed.
 */
int	ws_outbox_add(struct store *st, const char *kind, const json_t *change,
	    struct sesshu_err *err);

/* Entries waiting to be sent (not counting those parked after a refusal). */
int	ws_outbox_pending(struct store *st, long *count, struct sesshu_err *err);

/* Entries waiting (refused 0), or parked after the register refused them. */
int	ws_outbox_count(struct store *st, int refused, long *count,
	    struct sesshu_err *err);

int	ws_push(struct ws_session *s, struct ws_sync_counts *c,
	    struct sesshu_err *err);
int	ws_pull(struct ws_session *s, struct ws_sync_counts *c,
	    struct sesshu_err *err);

/* Push, then pull; records the contact time in sync_state. */
int	ws_sync(struct ws_session *s, struct ws_sync_counts *c,
	    struct sesshu_err *err);

#endif
