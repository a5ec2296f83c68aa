/*
 * batch_store.h: what both stores know of a questionnaire batch: its row
 * and the counts of its sheets, read from the records that name it (the
 * counts are never stored, so they cannot disagree with the sheets).
 * Shared by the workstation cache and the register: the tables are the
 * same (store/entity_schema.c). Never logs a record.
 */
#ifndef SESSHU_STORE_BATCH_STORE_H
#define SESSHU_STORE_BATCH_STORE_H

#include "core/batch.h"
#include "core/err.h"
#include "store/store.h"

/* Counts of the current versions of the sheets in batch_id. */
int	store_batch_counts(struct store *st, const char *batch_id,
	    struct core_batch_counts *out, struct sesshu_err *err);

/*
 * The stored state of batch_id (enum core_batch_state) and its claimed
 * count; SESSHU_ENOTFOUND when there is no such batch.
 */
int	store_batch_state(struct store *st, const char *batch_id,
	    enum core_batch_state *state, long *claimed, struct sesshu_err *err);

#endif
