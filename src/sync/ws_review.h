/*
 * ws_review.h: the review queue on a workstation (register/reg_review.h):
 * the items the register keeps for a supervisor, as pull brings them, and
 * the supervisor's decision, sent back as a change of kind "review". The
 * workstation checks what it can (the role may review, nobody decides on
 * their own change, a reason is given); the register checks it all again.
 * Payloads are personal data: never logged.
 */
#ifndef SESSHU_SYNC_WS_REVIEW_H
#define SESSHU_SYNC_WS_REVIEW_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"
#include "store/store.h"
#include "sync/account.h"
#include "sync/wire.h"

#define WS_REVIEW_MAX	200

struct ws_review_item {
	char	 uuid[WIRE_UUID_STRLEN];
	char	 kind[16];		/* conflict, rejected, duplicate, correction */
	char	 change_kind[16];	/* record, batch, correction, ... */
	char	 workstation[64];
	char	 created_at[STORE_TIME_LEN];
	char	 reason[512];		/* the register's */
	json_t	*payload;		/* the change's data; owned */
};

/* The undecided items, oldest first, up to max; free with ws_review_free(). */
int	ws_review_list(struct ws_session *s, struct ws_review_item *out,
	    size_t max, size_t *n, struct sesshu_err *err);
void	ws_review_free(struct ws_review_item *items, size_t n);

/*
 * Decides an item: approve (1) or reject (0), with a reason. Refused with
 * SESSHU_EDENIED when the user's role may not review, the change is the
 * user's own, or it is decided already; the refusal is audited.
 */
int	ws_review_decide(struct ws_session *s, const char *uuid, int approve,
	    const char *reason, struct sesshu_err *err);

#endif
