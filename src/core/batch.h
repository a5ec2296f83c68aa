/*
 * batch.h: the rules of a questionnaire batch (予診票の綴り): what one
 * clinic returned for one billing month, and when it may be closed.
 *
 * Both programs apply them: the workstation before it offers a key, the
 * register before it accepts a pushed batch (DOMAIN §2: counts reconcile
 * with the claim before closing, 002 L205-207).
 * Counts are of the current versions of the sheets' records:
 *   entered  - sheets keyed and not voided
 *   verified - of those, re-keyed by a second person (004 L197)
 *   voided   - sheets voided with a reason
 * Messages are msgids (English, translated by the screen) and never name a
 * person. No I/O.
 */
#ifndef SESSHU_CORE_BATCH_H
#define SESSHU_CORE_BATCH_H

#include "core/err.h"

#define CORE_BATCH_CLAIM_MAX	10000	/* sheets in one clinic's monthly return */

enum core_batch_state {
	CORE_BATCH_OPEN,	/* sheets are being keyed */
	CORE_BATCH_ENTERED,	/* every claimed sheet keyed; verification goes on */
	CORE_BATCH_VERIFIED,	/* every sheet verified or voided */
	CORE_BATCH_CLOSED,	/* reconciled; nothing more may change */
};

struct core_batch_counts {
	long	claimed;
	long	entered;
	long	verified;
	long	voided;
};

/* "open", "entered", "verified", "closed"; -1 for anything else. */
int	core_batch_state_parse(const char *s);
const char *core_batch_state_name(enum core_batch_state st);

/* The state the counts put a batch in (never CLOSED: closing is an act). */
enum core_batch_state core_batch_state_of(const struct core_batch_counts *c);

/*
 * Whether the batch may be closed. On refusal returns SESSHU_EDENIED and
 * sets *msgid to why ("The entered count does not match the claim", ...).
 */
int	core_batch_can_close(const struct core_batch_counts *c,
	    const char **msgid);

/* Whether a sheet may still be added to, or changed in, a batch. */
int	core_batch_accepts_sheets(enum core_batch_state st);

#endif
