/*
 * bgsync.h: background sync while a user is logged in (ARCHITECTURE §4).
 *
 * One thread per session, with its own connection to the cache (a second
 * session, sync/ws_worker.h) and its own HTTP client, runs ws_sync() at
 * start, then every interval, and at once when woken (F5). After each
 * attempt it posts a report to the GLib main loop of the thread that
 * started it: online or offline, the unsent count, the time of the last
 * successful contact, the counts, and whether the register has taken the
 * session away (the user's key slot is gone after a pull: disabled,
 * revoked, or password changed elsewhere; or 403 workstation_revoked).
 * tui.c turns reports into the status line and ends a revoked session.
 *
 * The interface never waits for the network: waking the thread returns at
 * once, and stopping it cancels a request in progress (sync_http's cancel
 * flag), so a logout waits a second at most. The thread and the main loop
 * share one mutex-guarded pair of flags (wake, stop) and an atomic cancel
 * flag; reports travel by message (a queue, and a pipe that wakes the main
 * loop). Nothing else is shared.
 *
 * Must never: touch the terminal or the first session's connection from
 * the thread, or put personal data in a report (reports carry counts and
 * error messages, which name no resident).
 */
#ifndef SESSHU_TUI_BGSYNC_H
#define SESSHU_TUI_BGSYNC_H

#include <time.h>

#include "core/err.h"
#include "sync/account.h"
#include "sync/replicate.h"

/*
 * Test-only: SESSHU_SYNC_INTERVAL_SECONDS=N (1..3600) in the environment
 * replaces [sync] interval_seconds (10..3600), so that an end-to-end test
 * sees the status line change within seconds. Not a setting: a value
 * outside 1..3600, or not a number, is ignored.
 */
#define BGSYNC_INTERVAL_ENV	"SESSHU_SYNC_INTERVAL_SECONDS"

enum bgsync_outcome {
	BGSYNC_ONLINE,		/* the sync went through */
	BGSYNC_OFFLINE,		/* it failed; status and error say why */
	BGSYNC_USER_REVOKED,	/* the user's key slot on this workstation is gone */
	BGSYNC_WS_REVOKED,	/* the register refused this workstation (403) */
};

struct bgsync_report {
	enum bgsync_outcome	 outcome;
	int			 requested;	/* bgsync_wake() asked for it */
	int			 status;	/* ws_sync(): 0 or SESSHU_E* */
	char			 error[SESSHU_ERR_MSG_MAX];	/* "" when 0 */
	struct ws_sync_counts	 counts;
	long			 unsent;	/* outbox entries waiting; -1 unknown */
	time_t			 last_contact;	/* last successful sync; 0: never */
};

struct bgsync;

/* Called on the main loop's thread; r is borrowed for the call. */
typedef void (*bgsync_fn)(void *ctx, const struct bgsync_report *r);

/* The interval to use: configured, or the test-only override. */
int	bgsync_interval(int configured_seconds);

/*
 * Opens a second session on s's cache and starts the thread, which syncs
 * at once. Reports reach fn on the default GLib main context. s must stay
 * open until bgsync_stop(). On success *out is the caller's.
 */
int	bgsync_start(struct bgsync **out, const struct ws_session *s,
	    int interval_seconds, bgsync_fn fn, void *ctx,
	    struct sesshu_err *err);

/* Asks for a sync now (or right after the one under way). NULL-safe. */
void	bgsync_wake(struct bgsync *b);

/*
 * Stops the thread (cancelling a request under way), waits for it, closes
 * its session and frees b; no report reaches fn after this returns. May be
 * called from within fn. NULL-safe.
 */
void	bgsync_stop(struct bgsync *b);

#endif
