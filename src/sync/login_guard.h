/*
 * login_guard.h: the workstation's own count of failed offline logins, and
 * the audit entries of offline attempts that cannot be written yet
 * (issue 4, Login; docs/SECURITY.md, "Offline login policy").
 *
 * An offline login checks the password against the key slot, before the
 * encrypted cache (and so its audit trail) can be opened. This module keeps
 * what such a login must remember in STATE/login-failures, a small text
 * file: per user ID the failures in a row and the end of a lockout, and the
 * refused attempts waiting to be appended to the cache's audit trail at the
 * next successful login. It holds user IDs, counts and times only: no
 * password, no key, no personal data.
 *
 * The file is written atomically (a temporary file, fsync, rename, fsync of
 * the directory) under an exclusive lock on STATE/login-failures.lock, and
 * parsed strictly: a file that is not exactly what this module writes is
 * refused with a message naming the file and the line, never repaired or
 * read as empty (that would reset the counts). Its size is bounded: at most
 * LOGIN_GUARD_MAX_USERS users and LOGIN_GUARD_MAX_EVENTS queued entries;
 * attempts beyond those are counted in one summary entry.
 *
 * Times are seconds since the epoch and are always passed in, so the
 * lockout can be tested with an injected clock. No terminal I/O, no logging.
 */
#ifndef SESSHU_SYNC_LOGIN_GUARD_H
#define SESSHU_SYNC_LOGIN_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define LOGIN_GUARD_FILE	"login-failures"
#define LOGIN_GUARD_ID_MAX	64	/* bytes of [A-Za-z0-9._-], as key slots */
#define LOGIN_GUARD_MAX_USERS	256	/* as many as key slots */
#define LOGIN_GUARD_MAX_EVENTS	200	/* queued audit entries */
#define LOGIN_GUARD_MAX_BYTES	65536	/* a larger file is refused */
#define LOGIN_GUARD_COUNT_MAX	1000	/* failures and limits in the file */

struct login_guard_policy {
	int	failures;	/* lock after this many failures in a row (>= 1) */
	int	minutes;	/* for this long (>= 1) */
};

enum login_guard_kind {
	LOGIN_GUARD_FAILED,	/* a wrong password, the user not (yet) locked */
	LOGIN_GUARD_LOCKED,	/* the wrong password that locked the user */
	LOGIN_GUARD_REFUSED,	/* an attempt while locked: nothing was tried */
};

/* One refused attempt waiting for the audit trail. */
struct login_guard_event {
	int64_t			 at;
	char			 user_id[LOGIN_GUARD_ID_MAX + 1];
	enum login_guard_kind	 kind;
	int			 count, limit;	/* FAILED: count of limit */
	int64_t			 until;		/* LOCKED, REFUSED: end of the lock */
};

/* Opaque: the file's content in memory. */
struct login_guard;

/* An empty guard. *out is the caller's, for login_guard_free(). */
int	login_guard_new(struct login_guard **out, struct sesshu_err *err);
void	login_guard_free(struct login_guard *g);	/* NULL-safe */

/*
 * Parses the file's text (len bytes; name for messages). SESSHU_EFORMAT
 * names the line and what is wrong, SESSHU_ECORRUPT a checksum that does
 * not match, SESSHU_EVERSION a newer format. *out is the caller's.
 */
int	login_guard_parse(struct login_guard **out, const char *text,
	    size_t len, const char *name, struct sesshu_err *err);

/* The file's text, NUL-terminated; *out is the caller's to free(). */
int	login_guard_format(const struct login_guard *g, char **out,
	    size_t *len, struct sesshu_err *err);

/*
 * The end of user_id's lockout if it is locked at now, else 0. A user ID
 * that is not a valid ID is never locked here (it has no key slot).
 */
int64_t	login_guard_locked_until(const struct login_guard *g,
	    const char *user_id, int64_t now);

/*
 * Counts a wrong password for user_id at now and queues its audit entry.
 * The policy's failures-th failure in a row locks the user until now +
 * minutes and starts the count again; *locked_until (may be NULL) is then
 * that time, else 0. SESSHU_EINVAL for a bad ID or policy, SESSHU_ERANGE
 * when LOGIN_GUARD_MAX_USERS other users are already counted.
 */
int	login_guard_failure(struct login_guard *g, const char *user_id,
	    const struct login_guard_policy *policy, int64_t now,
	    int64_t *locked_until, struct sesshu_err *err);

/* Queues the audit entry of an attempt refused because user_id is locked. */
int	login_guard_refusal(struct login_guard *g, const char *user_id,
	    int64_t now, struct sesshu_err *err);

/* A correct password: forgets user_id's count and lockout. */
void	login_guard_success(struct login_guard *g, const char *user_id);

/*
 * Puts back the count of failures in a row that a correct password just
 * cleared, when a second factor of the same login (the fingerprint) then
 * fails: the next login_guard_failure() counts on from it. Never lowers a
 * count. SESSHU_EINVAL for a bad ID or count, SESSHU_ERANGE as above.
 */
int	login_guard_restore(struct login_guard *g, const char *user_id,
	    int failures, int64_t now, struct sesshu_err *err);

/* Failures in a row counted for user_id (0 when none). */
int	login_guard_failures(const struct login_guard *g, const char *user_id);

/* The queued entries, oldest first; NULL when i >= login_guard_pending(g). */
size_t	login_guard_pending(const struct login_guard *g);
const struct login_guard_event *login_guard_event_at(const struct login_guard *g,
	    size_t i);

/*
 * Attempts not queued because the queue was full: their number, and the
 * times of the first and last (0 when none).
 */
uint64_t login_guard_dropped(const struct login_guard *g, int64_t *first,
	    int64_t *last);

/* Empties the queue and the count of dropped attempts. */
void	login_guard_clear_events(struct login_guard *g);

/*
 * The audit trail's outcome for ev ("refused: auth_failed (offline, 2 of
 * 5)"), with times in the stores' UTC form.
 */
void	login_guard_outcome(const struct login_guard_event *ev, char *buf,
	    size_t size);

/*
 * Reads path. A missing file is an empty guard; otherwise as
 * login_guard_parse, or SESSHU_EIO when it cannot be read or is not a
 * regular file. Never writes.
 */
int	login_guard_load(struct login_guard **out, const char *path,
	    struct sesshu_err *err);

/*
 * Replaces path atomically with g (mode 0600). The caller holds the lock
 * (login_guard_update does).
 */
int	login_guard_save(const struct login_guard *g, const char *path,
	    struct sesshu_err *err);

/*
 * One read-modify-write of path under an exclusive lock on path.lock: loads
 * it (missing: empty), calls fn, and saves the result when fn returns 1;
 * 0 leaves the file as it was. Returns 0, or the negative code of fn, the
 * load or the save (then nothing was written).
 */
typedef int (*login_guard_fn)(struct login_guard *g, void *ctx,
	    struct sesshu_err *err);
int	login_guard_update(const char *path, login_guard_fn fn, void *ctx,
	    struct sesshu_err *err);

#endif
