/*
 * ws_worker.h: a second session on the same cache, for a thread of its
 * own (ARCHITECTURE §4: background sync runs on its own thread with its
 * own database connection).
 *
 * store.h connections are opened SQLITE_OPEN_NOMUTEX: one connection, one
 * thread at a time. A thread that must work beside the interface (the
 * background sync of tui/bgsync.h) therefore needs its own connection to
 * the cache, and SQLCipher needs K to open one. The logged-in session
 * keeps K in locked memory (struct ws_session.key, account.h) for as long
 * as its own connection is open; the second session is opened with it and
 * keeps no copy. Both connections run in WAL mode with a busy timeout, so
 * a reader never waits and a writer waits its turn instead of failing.
 *
 * Owns nothing of the first session. Prints nothing; messages name files.
 */
#ifndef SESSHU_SYNC_WS_WORKER_H
#define SESSHU_SYNC_WS_WORKER_H

#include "core/err.h"
#include "sync/account.h"

/*
 * Opens a second session of s's user on s's cache: the same state
 * directory, register configuration, user ID and role, its own store
 * connection and, on first use, its own HTTP client (ws_session_http).
 * Writes no audit entry: s's login was audited. Call it on s's thread;
 * *out may then be handed to another thread, which alone uses it and
 * closes it with ws_session_close() before s is closed. SESSHU_EINVAL
 * when s holds no key (itself a second session, or not logged in).
 */
int	ws_session_open_second(const struct ws_session *s,
	    struct ws_session **out, struct sesshu_err *err);

#endif
