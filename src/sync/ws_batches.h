/*
 * ws_batches.h: questionnaire batches (予診票の綴り) on a workstation:
 * opening one, listing them with their counts, closing one when the
 * counts reconcile (core/batch.h). Each change is one transaction with its
 * outbox entry and its audit entry, like a record (ws_records.h).
 * Never logs a person: batches name institutions and months only.
 */
#ifndef SESSHU_SYNC_WS_BATCHES_H
#define SESSHU_SYNC_WS_BATCHES_H

#include <stddef.h>

#include "core/batch.h"
#include "core/err.h"
#include "sync/account.h"
#include "sync/wire.h"

struct ws_batch {
	char			 batch_id[WIRE_UUID_STRLEN];
	char			 institution_code[16];
	char			 institution_name[200];
	char			 billing_month[8];	/* 請求年月 YYYY-MM */
	char			 opened_by[33];
	struct core_batch_counts counts;
	enum core_batch_state	 state;		/* stored CLOSED, or from the counts */
};

/*
 * Opens a batch; institution_code must be in the master data, month is
 * YYYY-MM, claimed 1..CORE_BATCH_CLAIM_MAX. batch_id receives its UUID.
 */
int	ws_batch_open(struct ws_session *s, const char *institution_code,
	    const char *billing_month, long claimed, const char *received_on,
	    char batch_id[WIRE_UUID_STRLEN], struct sesshu_err *err);

/*
 * The batches not closed, and those closed in the last 31 days, newest
 * first; *out (caller frees with free()) holds *n entries.
 */
int	ws_batch_list(struct ws_session *s, struct ws_batch **out, size_t *n,
	    struct sesshu_err *err);

/* One batch, with its counts. */
int	ws_batch_get(struct ws_session *s, const char *batch_id,
	    struct ws_batch *out, struct sesshu_err *err);

/*
 * Closes a batch whose counts reconcile; otherwise SESSHU_EDENIED with
 * *msgid (core_batch_can_close) set, and the refusal audited.
 */
int	ws_batch_close(struct ws_session *s, const char *batch_id,
	    const char **msgid, struct sesshu_err *err);

/*
 * The skip-th sheet of the batch still to verify that user_id did not
 * enter (004 L197), oldest first: its record UUID into uuid. Returns 1
 * when there is one, 0 when none is left, or a negative code. batch_id
 * "" is the records outside any batch: imported ones corrected since.
 */
int	ws_batch_next_to_verify(struct ws_session *s, const char *batch_id,
	    int skip, char uuid[WIRE_UUID_STRLEN], struct sesshu_err *err);

/* How many records outside any batch wait for a verification. */
int	ws_unbatched_to_verify(struct ws_session *s, long *count,
	    struct sesshu_err *err);

#endif
