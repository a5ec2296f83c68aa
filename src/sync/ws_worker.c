/* ws_worker.c: a second session on the same cache; see ws_worker.h. */
#include "sync/ws_worker.h"

#include <stdio.h>
#include <stdlib.h>

int
ws_session_open_second(const struct ws_session *s, struct ws_session **out,
    struct sesshu_err *err)
{
	struct ws_session *w;
	char path[4096];
	int rc;

	*out = NULL;
	if (s == NULL || s->st == NULL || s->key.data == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "no open session to "
		    "share the cache with");
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	snprintf(w->state_dir, sizeof(w->state_dir), "%s", s->state_dir);
	w->cfg = s->cfg;
	snprintf(w->user_id, sizeof(w->user_id), "%s", s->user_id);
	snprintf(w->role, sizeof(w->role), "%s", s->role);
	/* The path the first session opened, not one rebuilt that could differ. */
	snprintf(path, sizeof(path), "%s", store_path(s->st));
	if ((rc = store_open(&w->st, path, &s->key, &store_cache_schema, 0,
	    err)) != 0) {
		ws_session_close(w);
		return rc;
	}
	*out = w;
	return 0;
}
