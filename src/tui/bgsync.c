/*
 * bgsync.c: the background sync thread; see bgsync.h.
 *
 * The thread owns its ws_session (connection, HTTP client) from start to
 * stop; the main thread touches it only to open it before the thread
 * starts and to close it after the join. Between the two threads:
 *
 *	lock, cond	guard wake and stop; the thread sleeps on cond until
 *			the interval ends or either flag is set
 *	cancel		atomic, read by libcurl's progress callback in the
 *			thread, so a stop cuts a slow request short
 *	reports		a GAsyncQueue of struct bgsync_report, one per
 *			attempt; a byte down the pipe wakes the main loop,
 *			whose fd source pops them and calls fn
 *
 * A stop called from within fn (a report that ends the session) cannot
 * free the source that is running: the stop then only joins and closes,
 * and the source frees the rest when fn returns.
 *
 * Reports reach fn only from the main loop itself, never from a nested
 * iteration of it (libfprint's *_sync calls and fingerprint_close()
 * iterate the default context inside a key handler): a report that ends
 * the session must not run halfway through another screen's transition.
 * Such a report waits, and a short timer retries until the nesting ends.
 */
#include "tui/bgsync.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>

#include "auth/keyslot.h"
#include "sync/ws_worker.h"

#define BGSYNC_INTERVAL_MAX	3600
#define BGSYNC_RETRY_MS		100	/* a report that arrived while nested */

struct bgsync {
	GThread			*thread;
	struct ws_session	*ws;		/* the thread's own */
	gint64			 interval_us;

	GMutex			 lock;
	GCond			 cond;
	int			 wake;		/* under lock */
	int			 stop;		/* under lock */
	int			 cancel;	/* atomic; sync_http reads it */

	GAsyncQueue		*reports;	/* of struct bgsync_report */
	int			 pipe[2];	/* thread writes, main loop reads */
	guint			 source;	/* on the main loop: pipe[0] */
	guint			 retry;		/* the timer of a deferred report */
	bgsync_fn		 fn;
	void			*ctx;
	int			 in_fn;		/* main thread only */
	int			 stopped;	/* main thread only: stop ran in fn */
};

int
bgsync_interval(int configured_seconds)
{
	const char *env = getenv(BGSYNC_INTERVAL_ENV);
	char *end;
	long v;

	if (env == NULL || *env == '\0')
		return configured_seconds;
	errno = 0;
	v = strtol(env, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > BGSYNC_INTERVAL_MAX)
		return configured_seconds;
	return (int)v;
}

/* The time of the last successful contact, from the sync state. */
static time_t
last_contact(struct store *st)
{
	static const char sql[] =
	    "SELECT value FROM sync_state WHERE key = 'last_contact'";
	sqlite3_stmt *stmt;
	time_t when = 0;

	if (store_prepare(st, sql, &stmt, NULL) != 0)
		return 0;
	if (sqlite3_step(stmt) != SQLITE_ROW ||
	    store_time_parse((const char *)sqlite3_column_text(stmt, 0),
	    &when) != 0)
		when = 0;
	store_stmt_done(stmt);
	return when;
}

/*
 * Whether the user lost the key slot: a pull removes it when the register
 * disabled or revoked the user or the password changed elsewhere, and so
 * may `sesshu sync` in another process. A file that cannot be read proves
 * nothing: only a readable file without the user's slot counts.
 */
static int
slot_gone(const struct ws_session *w)
{
	struct keyslot_file *f = NULL;
	char path[4096];
	int gone;

	ws_state_path(path, sizeof(path), w->state_dir, WS_KEYSLOT_FILE);
	if (keyslot_file_load(&f, path, NULL) != 0)
		return 0;
	gone = !keyslot_has_user(f, w->user_id);
	keyslot_file_free(f);
	return gone;
}

/*
 * After a refusal: asks hello whether the refusal was of this workstation
 * (403 workstation_revoked), reading the register's error code rather
 * than parsing the message of the refusal.
 */
static int
workstation_revoked(struct ws_session *w)
{
	struct sync_http *http;
	json_t *req, *resp = NULL;
	const char *error;
	long status = 0;
	int revoked = 0;

	if (ws_session_http(w, &http, NULL) != 0 ||
	    (req = json_pack("{s:s}", "municipality", w->cfg.municipality)) ==
	    NULL)
		return 0;
	if (sync_http_post(http, "/v1/hello", req, &status, &resp, NULL) == 0 &&
	    status == 403) {
		error = json_string_value(json_object_get(resp, "error"));
		revoked = error != NULL && strcmp(error, "workstation_revoked") == 0;
	}
	json_decref(req);
	json_decref(resp);
	return revoked;
}

/* One sync and its report; returns the report's outcome. */
static enum bgsync_outcome
attempt(struct bgsync *b, int requested)
{
	struct sesshu_err err = { 0 };
	struct bgsync_report *r;
	enum bgsync_outcome outcome;

	if ((r = g_try_new0(struct bgsync_report, 1)) == NULL)
		return BGSYNC_OFFLINE;	/* reported next time */
	r->requested = requested;
	r->status = ws_sync(b->ws, &r->counts, &err);
	if (r->status == 0)
		r->outcome = BGSYNC_ONLINE;
	else {
		r->outcome = BGSYNC_OFFLINE;
		g_strlcpy(r->error, err.msg[0] != '\0' ? err.msg :
		    sesshu_status_msgid(r->status), sizeof(r->error));
		if (r->status == SESSHU_EAUTH && workstation_revoked(b->ws))
			r->outcome = BGSYNC_WS_REVOKED;
	}
	if (r->outcome != BGSYNC_WS_REVOKED && slot_gone(b->ws))
		r->outcome = BGSYNC_USER_REVOKED;
	if (ws_outbox_pending(b->ws->st, &r->unsent, NULL) != 0)
		r->unsent = -1;
	r->last_contact = last_contact(b->ws->st);
	outcome = r->outcome;
	if (g_atomic_int_get(&b->cancel)) {
		g_free(r);	/* stopping: nobody is waiting for it */
		return outcome;
	}
	g_async_queue_push(b->reports, r);
	/* A full pipe already holds a wake-up; one is enough. */
	while (write(b->pipe[1], "r", 1) < 0 && errno == EINTR)
		;
	return outcome;
}

static gpointer
run(gpointer data)
{
	struct bgsync *b = data;
	enum bgsync_outcome outcome;
	gint64 deadline;
	int requested;

	g_mutex_lock(&b->lock);
	while (!b->stop) {
		requested = b->wake;
		b->wake = 0;
		g_mutex_unlock(&b->lock);
		outcome = attempt(b, requested);
		g_mutex_lock(&b->lock);
		/* The session is over: wait for the stop, sync no more. */
		if (outcome == BGSYNC_USER_REVOKED || outcome == BGSYNC_WS_REVOKED) {
			while (!b->stop)
				g_cond_wait(&b->cond, &b->lock);
			break;
		}
		deadline = g_get_monotonic_time() + b->interval_us;
		while (!b->stop && !b->wake)
			if (!g_cond_wait_until(&b->cond, &b->lock, deadline))
				break;
	}
	g_mutex_unlock(&b->lock);
	return NULL;
}

static void
drain_pipe(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void
free_report(gpointer r)
{
	g_free(r);
}

/* Frees b and removes its sources; the caller zeroes the one it returns from. */
static void
bgsync_free(struct bgsync *b)
{
	if (b->source != 0)
		g_source_remove(b->source);
	if (b->retry != 0)
		g_source_remove(b->retry);
	if (b->reports != NULL)
		g_async_queue_unref(b->reports);	/* frees what is left */
	if (b->pipe[0] >= 0)
		close(b->pipe[0]);
	if (b->pipe[1] >= 0)
		close(b->pipe[1]);
	g_mutex_clear(&b->lock);
	g_cond_clear(&b->cond);
	g_free(b);
}

/* Hands the waiting reports to fn; 0 when fn stopped b (then to be freed). */
static int
deliver(struct bgsync *b)
{
	struct bgsync_report *r;

	while ((r = g_async_queue_try_pop(b->reports)) != NULL) {
		b->in_fn = 1;
		b->fn(b->ctx, r);
		b->in_fn = 0;
		g_free(r);
		if (b->stopped)
			return 0;
	}
	return 1;
}

static gboolean
on_retry(gpointer data)
{
	struct bgsync *b = data;

	/* Depth 1: dispatched by the main loop itself, not a nested one. */
	if (g_main_depth() > 1)
		return G_SOURCE_CONTINUE;
	b->retry = 0;
	if (!deliver(b))
		bgsync_free(b);	/* bgsync_stop() ran inside fn */
	return G_SOURCE_REMOVE;
}

static gboolean
on_reports(gint fd, GIOCondition cond, gpointer data)
{
	struct bgsync *b = data;

	(void)cond;
	drain_pipe(fd);
	if (g_main_depth() > 1) {
		if (b->retry == 0)
			b->retry = g_timeout_add(BGSYNC_RETRY_MS, on_retry, b);
		return G_SOURCE_CONTINUE;
	}
	if (!deliver(b)) {
		b->source = 0;	/* removed by returning */
		bgsync_free(b);	/* bgsync_stop() ran inside fn */
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

int
bgsync_start(struct bgsync **out, const struct ws_session *s,
    int interval_seconds, bgsync_fn fn, void *ctx, struct sesshu_err *err)
{
	GError *gerr = NULL;
	struct sync_http *http;
	struct bgsync *b;
	int rc;

	*out = NULL;
	if (interval_seconds < 1)
		return sesshu_err_set(err, SESSHU_EINVAL, "the sync interval must be "
		    "at least one second");
	if ((b = g_try_new0(struct bgsync, 1)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	g_mutex_init(&b->lock);
	g_cond_init(&b->cond);
	b->pipe[0] = b->pipe[1] = -1;
	b->interval_us = (gint64)interval_seconds * G_TIME_SPAN_SECOND;
	b->fn = fn;
	b->ctx = ctx;
	b->reports = g_async_queue_new_full(free_report);
	if (!g_unix_open_pipe(b->pipe, FD_CLOEXEC, &gerr) ||
	    !g_unix_set_fd_nonblocking(b->pipe[0], TRUE, &gerr) ||
	    !g_unix_set_fd_nonblocking(b->pipe[1], TRUE, &gerr)) {
		rc = sesshu_err_set(err, SESSHU_EIO, "cannot make a pipe for the "
		    "background sync: %s", gerr->message);
		g_error_free(gerr);
		bgsync_free(b);
		return rc;
	}
	if ((rc = ws_session_open_second(s, &b->ws, err)) != 0) {
		bgsync_free(b);
		return rc;
	}
	if ((rc = ws_session_http(b->ws, &http, err)) != 0) {
		ws_session_close(b->ws);
		bgsync_free(b);
		return rc;
	}
	sync_http_set_cancel(http, &b->cancel);
	b->source = g_unix_fd_add(b->pipe[0], G_IO_IN, on_reports, b);
	b->thread = g_thread_try_new("sesshu-sync", run, b, &gerr);
	if (b->thread == NULL) {
		rc = sesshu_err_set(err, SESSHU_EIO, "cannot start the background "
		    "sync: %s", gerr->message);
		g_error_free(gerr);
		ws_session_close(b->ws);
		bgsync_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

void
bgsync_wake(struct bgsync *b)
{
	if (b == NULL)
		return;
	g_mutex_lock(&b->lock);
	b->wake = 1;
	g_cond_signal(&b->cond);
	g_mutex_unlock(&b->lock);
}

void
bgsync_stop(struct bgsync *b)
{
	if (b == NULL || b->stopped)
		return;
	g_atomic_int_set(&b->cancel, 1);
	g_mutex_lock(&b->lock);
	b->stop = 1;
	g_cond_signal(&b->cond);
	g_mutex_unlock(&b->lock);
	g_thread_join(b->thread);
	b->thread = NULL;
	ws_session_close(b->ws);
	b->ws = NULL;
	if (b->in_fn) {
		b->stopped = 1;		/* deliver()'s caller frees b */
		return;
	}
	bgsync_free(b);
}
