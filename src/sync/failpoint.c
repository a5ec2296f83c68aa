/* failpoint.c: see failpoint.h. */
#include "sync/failpoint.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

void
failpoint_hit(const char *name)
{
	const char *armed = getenv("SESSHU_FAILPOINT");

	if (armed != NULL && strcmp(armed, name) == 0)
		raise(SIGKILL);
}
