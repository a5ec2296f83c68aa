/* batch.c: questionnaire batch rules; see batch.h. */
#include "core/batch.h"

#include <string.h>

#define N_(s)	(s)	/* a msgid: xgettext extracts it, the screen translates it */

static const char *const state_names[] = {
	[CORE_BATCH_OPEN]	= "open",
	[CORE_BATCH_ENTERED]	= "entered",
	[CORE_BATCH_VERIFIED]	= "verified",
	[CORE_BATCH_CLOSED]	= "closed",
};

int
core_batch_state_parse(const char *s)
{
	for (size_t i = 0; s != NULL &&
	    i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(state_names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *
core_batch_state_name(enum core_batch_state st)
{
	return (unsigned)st < sizeof(state_names) / sizeof(state_names[0]) ?
	    state_names[st] : "?";
}

enum core_batch_state
core_batch_state_of(const struct core_batch_counts *c)
{
	/* More sheets than claimed is no more closable than fewer. */
	if (c->entered != c->claimed || c->entered == 0)
		return CORE_BATCH_OPEN;
	if (c->verified < c->entered)
		return CORE_BATCH_ENTERED;
	return CORE_BATCH_VERIFIED;
}

int
core_batch_can_close(const struct core_batch_counts *c, const char **msgid)
{
	const char *why = NULL;

	if (c->entered != c->claimed)
		why = N_("The number of entered sheets does not match the claimed "
		    "count");
	else if (c->verified != c->entered)
		why = N_("Every sheet must be verified or voided before the batch "
		    "closes");
	if (msgid != NULL)
		*msgid = why;
	return why == NULL ? 0 : SESSHU_EDENIED;
}

int
core_batch_accepts_sheets(enum core_batch_state st)
{
	return st != CORE_BATCH_CLOSED;
}
