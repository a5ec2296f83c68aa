/*
 * login_guard.c: failed offline logins and their queued audit entries;
 * see login_guard.h.
 *
 * The file, version 1, is ASCII text, one record a line, fields separated
 * by one space, every line ending in a newline, in this order:
 *
 *	sesshu-login-failures 1
 *	user <id> <failures in a row> <locked until, or 0>
 *	event <at> <id> failed <count> <limit>
 *	event <at> <id> locked <until>
 *	event <at> <id> refused <until>
 *	dropped <number> <first at> <last at>
 *	end <SHA-256 of every byte before this line, lower-case hex>
 *
 * with any number of user and event lines (within the bounds), at most one
 * dropped line and exactly one end line. Numbers are decimal without sign
 * or leading zeros; times are seconds since the epoch. Like the key-slot
 * file's, the checksum is not keyed: it catches damage and truncation, and
 * whoever may write the state directory could delete the file anyway.
 */
#include "sync/login_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <openssl/evp.h>

#include "core/ids.h"
#include "store/store.h"

#define HEADER		"sesshu-login-failures 1"
#define MAGIC		"sesshu-login-failures"
#define TIME_MAX	INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */
#define MINUTES_MAX	(366 * 24 * 60)
#define DIGEST_HEX	64
#define FIELDS_MAX	8

struct guard_user {
	char	id[LOGIN_GUARD_ID_MAX + 1];
	int	failures;
	int64_t	until;
};

struct login_guard {
	struct guard_user	 users[LOGIN_GUARD_MAX_USERS];
	size_t			 nusers;
	struct login_guard_event events[LOGIN_GUARD_MAX_EVENTS];
	size_t			 nevents;
	uint64_t		 dropped;
	int64_t			 dropped_first, dropped_last;
};

static int
valid_id(const char *id, size_t len)
{
	return core_id_valid(id, len, LOGIN_GUARD_ID_MAX);
}

int
login_guard_new(struct login_guard **out, struct sesshu_err *err)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	return 0;
}

void
login_guard_free(struct login_guard *g)
{
	free(g);
}

static struct guard_user *
find_user(const struct login_guard *g, const char *id)
{
	for (size_t i = 0; i < g->nusers; i++)
		if (strcmp(g->users[i].id, id) == 0)
			return (struct guard_user *)&g->users[i];
	return NULL;
}

static void
remove_user(struct login_guard *g, size_t i)
{
	memmove(&g->users[i], &g->users[i + 1],
	    (g->nusers - i - 1) * sizeof(g->users[0]));
	g->nusers--;
}

/* Queues ev, or counts it as dropped when the queue is full. */
static void
queue(struct login_guard *g, const struct login_guard_event *ev)
{
	if (g->nevents < LOGIN_GUARD_MAX_EVENTS) {
		g->events[g->nevents++] = *ev;
		return;
	}
	if (g->dropped++ == 0)
		g->dropped_first = ev->at;
	g->dropped_last = ev->at;
}

int64_t
login_guard_locked_until(const struct login_guard *g, const char *user_id,
    int64_t now)
{
	const struct guard_user *u = find_user(g, user_id);

	return u != NULL && u->until > now ? u->until : 0;
}

int
login_guard_failures(const struct login_guard *g, const char *user_id)
{
	const struct guard_user *u = find_user(g, user_id);

	return u != NULL ? u->failures : 0;
}

/* user_id's entry in *out, made when there is none. */
static int
user_entry(struct login_guard *g, const char *user_id, int64_t now,
    struct guard_user **out, struct sesshu_err *err)
{
	struct guard_user *u;

	if (!valid_id(user_id, strlen(user_id)))
		return sesshu_err_set(err, SESSHU_EINVAL, "not a user ID");
	if (now < 0 || now > TIME_MAX - (int64_t)MINUTES_MAX * 60)
		return sesshu_err_set(err, SESSHU_EINVAL, "the clock is out of range");
	if ((*out = find_user(g, user_id)) != NULL)
		return 0;
	/* Entries whose lock has ended and that count nothing go first. */
	for (size_t i = g->nusers; i-- > 0; )
		if (g->users[i].failures == 0 && g->users[i].until <= now)
			remove_user(g, i);
	if (g->nusers == LOGIN_GUARD_MAX_USERS)
		return sesshu_err_set(err, SESSHU_ERANGE, "failed logins of %d "
		    "users are already counted", LOGIN_GUARD_MAX_USERS);
	u = &g->users[g->nusers++];
	memset(u, 0, sizeof(*u));
	snprintf(u->id, sizeof(u->id), "%s", user_id);
	*out = u;
	return 0;
}

int
login_guard_failure(struct login_guard *g, const char *user_id,
    const struct login_guard_policy *policy, int64_t now,
    int64_t *locked_until, struct sesshu_err *err)
{
	struct login_guard_event ev = { 0 };
	struct guard_user *u;
	int rc;

	if (locked_until != NULL)
		*locked_until = 0;
	if (policy->failures < 1 || policy->failures > LOGIN_GUARD_COUNT_MAX ||
	    policy->minutes < 1 || policy->minutes > MINUTES_MAX)
		return sesshu_err_set(err, SESSHU_EINVAL, "lockout policy out of "
		    "range (%d failures, %d minutes)", policy->failures,
		    policy->minutes);
	if ((rc = user_entry(g, user_id, now, &u, err)) != 0)
		return rc;
	ev.at = now;
	snprintf(ev.user_id, sizeof(ev.user_id), "%s", user_id);
	if (u->failures + 1 >= policy->failures) {
		/* As the register does: the lock starts the count again. */
		u->failures = 0;
		u->until = now + (int64_t)policy->minutes * 60;
		ev.kind = LOGIN_GUARD_LOCKED;
		ev.until = u->until;
		if (locked_until != NULL)
			*locked_until = u->until;
	} else {
		u->failures++;
		ev.kind = LOGIN_GUARD_FAILED;
		ev.count = u->failures;
		ev.limit = policy->failures;
	}
	queue(g, &ev);
	return 0;
}

int
login_guard_refusal(struct login_guard *g, const char *user_id, int64_t now,
    struct sesshu_err *err)
{
	struct login_guard_event ev = { 0 };
	int64_t until = login_guard_locked_until(g, user_id, now);

	if (until == 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "%s is not locked", user_id);
	ev.at = now;
	snprintf(ev.user_id, sizeof(ev.user_id), "%s", user_id);
	ev.kind = LOGIN_GUARD_REFUSED;
	ev.until = until;
	queue(g, &ev);
	return 0;
}

int
login_guard_restore(struct login_guard *g, const char *user_id, int failures,
    int64_t now, struct sesshu_err *err)
{
	struct guard_user *u;
	int rc;

	if (failures < 0 || failures > LOGIN_GUARD_COUNT_MAX)
		return sesshu_err_set(err, SESSHU_EINVAL, "failures out of range");
	if (failures == 0)
		return 0;
	if ((rc = user_entry(g, user_id, now, &u, err)) != 0)
		return rc;
	if (u->failures < failures)
		u->failures = failures;
	return 0;
}

void
login_guard_success(struct login_guard *g, const char *user_id)
{
	for (size_t i = 0; i < g->nusers; i++)
		if (strcmp(g->users[i].id, user_id) == 0) {
			remove_user(g, i);
			return;
		}
}

size_t
login_guard_pending(const struct login_guard *g)
{
	return g->nevents;
}

const struct login_guard_event *
login_guard_event_at(const struct login_guard *g, size_t i)
{
	return i < g->nevents ? &g->events[i] : NULL;
}

uint64_t
login_guard_dropped(const struct login_guard *g, int64_t *first, int64_t *last)
{
	if (first != NULL)
		*first = g->dropped_first;
	if (last != NULL)
		*last = g->dropped_last;
	return g->dropped;
}

void
login_guard_clear_events(struct login_guard *g)
{
	g->nevents = 0;
	g->dropped = 0;
	g->dropped_first = g->dropped_last = 0;
}

void
login_guard_outcome(const struct login_guard_event *ev, char *buf, size_t size)
{
	char until[32];

	store_time_utc((time_t)ev->until, until, sizeof(until));
	switch (ev->kind) {
	case LOGIN_GUARD_FAILED:
		snprintf(buf, size, "refused: auth_failed (offline, %d of %d)",
		    ev->count, ev->limit);
		break;
	case LOGIN_GUARD_LOCKED:
		snprintf(buf, size, "refused: auth_failed (offline); locked until %s",
		    until);
		break;
	case LOGIN_GUARD_REFUSED:
		snprintf(buf, size, "refused: locked (offline) until %s", until);
		break;
	}
}

static const char *const kind_names[] = { "failed", "locked", "refused" };

static int
digest_hex(const char *data, size_t len, char hex[DIGEST_HEX + 1])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != sizeof(md))
		return -1;
	for (size_t i = 0; i < sizeof(md); i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int
login_guard_format(const struct login_guard *g, char **out, size_t *len,
    struct sesshu_err *err)
{
	char hex[DIGEST_HEX + 1];
	GString *s = g_string_sized_new(1024);

	g_string_append(s, HEADER "\n");
	for (size_t i = 0; i < g->nusers; i++) {
		const struct guard_user *u = &g->users[i];

		if (u->failures == 0 && u->until == 0)
			continue;	/* counts nothing: not written */
		g_string_append_printf(s, "user %s %d %" PRId64 "\n", u->id,
		    u->failures, u->until);
	}
	for (size_t i = 0; i < g->nevents; i++) {
		const struct login_guard_event *ev = &g->events[i];

		g_string_append_printf(s, "event %" PRId64 " %s %s", ev->at,
		    ev->user_id, kind_names[ev->kind]);
		if (ev->kind == LOGIN_GUARD_FAILED)
			g_string_append_printf(s, " %d %d\n", ev->count, ev->limit);
		else
			g_string_append_printf(s, " %" PRId64 "\n", ev->until);
	}
	if (g->dropped > 0)
		g_string_append_printf(s, "dropped %" PRIu64 " %" PRId64 " %" PRId64
		    "\n", g->dropped, g->dropped_first, g->dropped_last);
	if (digest_hex(s->str, s->len, hex) != 0) {
		g_string_free(s, TRUE);
		return sesshu_err_set(err, SESSHU_ECRYPTO, "SHA-256 failed");
	}
	g_string_append_printf(s, "end %s\n", hex);
	if (s->len > LOGIN_GUARD_MAX_BYTES) {
		g_string_free(s, TRUE);
		return sesshu_err_set(err, SESSHU_ERANGE, "the login failures "
		    "would take more than %d bytes", LOGIN_GUARD_MAX_BYTES);
	}
	*len = s->len;
	*out = g_string_free(s, FALSE);
	return 0;
}

/*
 * Parsing. A line is split in place into at most FIELDS_MAX fields, each
 * non-empty; a number is [0-9]+ without a leading zero, at most max.
 */
struct parser {
	const char	*name;
	size_t		 line;
	struct sesshu_err *err;
};

static int bad(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
bad(struct parser *p, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return sesshu_err_set(p->err, SESSHU_EFORMAT, "%s line %zu: %s", p->name,
	    p->line, what);
}

static int
number(struct parser *p, const char *s, const char *what, int64_t min,
    int64_t max, int64_t *out)
{
	int64_t v = 0;
	size_t len = strlen(s);

	if (len == 0 || len > 19 || (s[0] == '0' && len > 1))
		return bad(p, "%s: not a number", what);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return bad(p, "%s: not a number", what);
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return bad(p, "%s: out of range", what);
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return bad(p, "%s: %" PRId64 " is not from %" PRId64 " to %" PRId64,
		    what, v, min, max);
	*out = v;
	return 0;
}

static int
user_id(struct parser *p, const char *s, char *out)
{
	size_t len = strlen(s);

	if (!valid_id(s, len))
		return bad(p, "not a user ID");
	memcpy(out, s, len + 1);
	return 0;
}

static size_t
split(char *line, char **fields)
{
	size_t n = 0;
	char *s = line;

	for (;;) {
		char *sp = strchr(s, ' ');

		if (n == FIELDS_MAX)
			return FIELDS_MAX + 1;
		fields[n++] = s;
		if (sp == NULL)
			break;
		*sp = '\0';
		s = sp + 1;
	}
	for (size_t i = 0; i < n; i++)
		if (fields[i][0] == '\0')
			return 0;	/* two spaces, or one at either end */
	return n;
}

static int
parse_user(struct parser *p, struct login_guard *g, char **f, size_t n)
{
	struct guard_user u;
	int64_t v;
	int rc;

	if (n != 4)
		return bad(p, "a user line has an ID, a count and a time");
	if (g->nusers == LOGIN_GUARD_MAX_USERS)
		return bad(p, "more than %d users", LOGIN_GUARD_MAX_USERS);
	if ((rc = user_id(p, f[1], u.id)) != 0 ||
	    (rc = number(p, f[2], "failures", 0, LOGIN_GUARD_COUNT_MAX, &v)) != 0)
		return rc;
	u.failures = (int)v;
	if ((rc = number(p, f[3], "locked until", 0, TIME_MAX, &u.until)) != 0)
		return rc;
	if (u.failures == 0 && u.until == 0)
		return bad(p, "user %s counts nothing", u.id);
	if (find_user(g, u.id) != NULL)
		return bad(p, "user %s appears twice", u.id);
	g->users[g->nusers++] = u;
	return 0;
}

static int
parse_event(struct parser *p, struct login_guard *g, char **f, size_t n)
{
	struct login_guard_event ev = { 0 };
	int64_t v;
	int rc;

	if (n < 5)
		return bad(p, "an event line is too short");
	if (g->nevents == LOGIN_GUARD_MAX_EVENTS)
		return bad(p, "more than %d events", LOGIN_GUARD_MAX_EVENTS);
	if ((rc = number(p, f[1], "time", 0, TIME_MAX, &ev.at)) != 0 ||
	    (rc = user_id(p, f[2], ev.user_id)) != 0)
		return rc;
	if (strcmp(f[3], "failed") == 0) {
		ev.kind = LOGIN_GUARD_FAILED;
		if (n != 6)
			return bad(p, "a failed event has a count and a limit");
		if ((rc = number(p, f[4], "count", 1, LOGIN_GUARD_COUNT_MAX, &v)) != 0)
			return rc;
		ev.count = (int)v;
		if ((rc = number(p, f[5], "limit", 1, LOGIN_GUARD_COUNT_MAX, &v)) != 0)
			return rc;
		ev.limit = (int)v;
		if (ev.count >= ev.limit)
			return bad(p, "count %d is not below the limit %d", ev.count,
			    ev.limit);
	} else if (strcmp(f[3], "locked") == 0 || strcmp(f[3], "refused") == 0) {
		ev.kind = f[3][0] == 'l' ? LOGIN_GUARD_LOCKED : LOGIN_GUARD_REFUSED;
		if (n != 5)
			return bad(p, "a %s event has one time", f[3]);
		if ((rc = number(p, f[4], "until", 0, TIME_MAX, &ev.until)) != 0)
			return rc;
	} else
		return bad(p, "unknown event kind");
	g->events[g->nevents++] = ev;
	return 0;
}

static int
parse_dropped(struct parser *p, struct login_guard *g, char **f, size_t n)
{
	int64_t v;
	int rc;

	if (n != 4)
		return bad(p, "a dropped line has a number and two times");
	if ((rc = number(p, f[1], "number", 1, INT32_MAX, &v)) != 0 ||
	    (rc = number(p, f[2], "first", 0, TIME_MAX, &g->dropped_first)) != 0 ||
	    (rc = number(p, f[3], "last", g->dropped_first, TIME_MAX,
	    &g->dropped_last)) != 0)
		return rc;
	g->dropped = (uint64_t)v;
	return 0;
}

/* Where each kind of line may come: never back to an earlier section. */
enum section { S_HEADER, S_USERS, S_EVENTS, S_DROPPED, S_END };

int
login_guard_parse(struct login_guard **out, const char *text, size_t len,
    const char *name, struct sesshu_err *err)
{
	struct parser p = { name, 0, err };
	enum section at = S_HEADER;
	struct login_guard *g;
	char line[512], *f[FIELDS_MAX + 1], hex[DIGEST_HEX + 1];
	size_t pos = 0, n;
	int rc = 0;

	*out = NULL;
	if (len > LOGIN_GUARD_MAX_BYTES)
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: larger than %d "
		    "bytes", name, LOGIN_GUARD_MAX_BYTES);
	if (len == 0 || text[len - 1] != '\n')
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: empty or truncated "
		    "(no newline at the end)", name);
	if ((rc = login_guard_new(&g, err)) != 0)
		return rc;
	while (rc == 0 && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t start = pos, ll = (size_t)(nl - (text + pos));

		p.line++;
		pos += ll + 1;
		if (at == S_END) {
			rc = bad(&p, "text after the end line");
			break;
		}
		if (ll >= sizeof(line)) {
			rc = bad(&p, "longer than %zu bytes", sizeof(line) - 1);
			break;
		}
		for (size_t i = 0; i < ll; i++)
			if (text[start + i] < 0x20 || text[start + i] > 0x7e) {
				rc = bad(&p, "byte %zu is not printable ASCII", i + 1);
				break;
			}
		if (rc != 0)
			break;
		memcpy(line, text + start, ll);
		line[ll] = '\0';
		if (at == S_HEADER) {
			if (strcmp(line, HEADER) == 0) {
				at = S_USERS;
				continue;
			}
			if (strncmp(line, MAGIC " ", sizeof(MAGIC)) == 0)
				rc = sesshu_err_set(err, SESSHU_EVERSION, "%s: version %s "
				    "of this file was written by a newer sesshu", name,
				    line + sizeof(MAGIC));
			else
				rc = bad(&p, "not a login failures file");
			break;
		}
		if ((n = split(line, f)) == 0 || n > FIELDS_MAX) {
			rc = bad(&p, "badly separated fields");
			break;
		}
		if (strcmp(f[0], "user") == 0 && at == S_USERS)
			rc = parse_user(&p, g, f, n);
		else if (strcmp(f[0], "event") == 0 && at <= S_EVENTS) {
			at = S_EVENTS;
			rc = parse_event(&p, g, f, n);
		} else if (strcmp(f[0], "dropped") == 0 && at <= S_EVENTS) {
			at = S_DROPPED;
			rc = parse_dropped(&p, g, f, n);
		} else if (strcmp(f[0], "end") == 0) {
			at = S_END;
			if (n != 2 || strlen(f[1]) != DIGEST_HEX)
				rc = bad(&p, "an end line has a SHA-256");
			else if (digest_hex(text, start, hex) != 0)
				rc = sesshu_err_set(err, SESSHU_ECRYPTO, "SHA-256 failed");
			else if (strcmp(hex, f[1]) != 0)
				rc = sesshu_err_set(err, SESSHU_ECORRUPT, "%s: the checksum "
				    "does not match: the file is damaged", name);
		} else
			rc = bad(&p, "unexpected \"%s\" line", f[0]);
	}
	if (rc == 0 && at != S_END)
		rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s: truncated (no end "
		    "line)", name);
	if (rc != 0) {
		login_guard_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

int
login_guard_load(struct login_guard **out, const char *path,
    struct sesshu_err *err)
{
	struct stat sb;
	char *text;
	ssize_t n;
	size_t got = 0;
	int fd, rc;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return login_guard_new(out, err);
		return sesshu_err_set(err, SESSHU_EIO, "cannot open %s: %s", path,
		    strerror(errno));
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return sesshu_err_set(err, SESSHU_EIO, "%s is not a regular file",
		    path);
	}
	if (sb.st_size > LOGIN_GUARD_MAX_BYTES) {
		close(fd);
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: larger than %d bytes",
		    path, LOGIN_GUARD_MAX_BYTES);
	}
	/* One byte more than allowed, to see a file that grew meanwhile. */
	if ((text = malloc(LOGIN_GUARD_MAX_BYTES + 1)) == NULL) {
		close(fd);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	}
	while (got <= LOGIN_GUARD_MAX_BYTES && (n = read(fd, text + got,
	    LOGIN_GUARD_MAX_BYTES + 1 - got)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			rc = sesshu_err_set(err, SESSHU_EIO, "cannot read %s: %s", path,
			    strerror(errno));
			close(fd);
			free(text);
			return rc;
		}
		got += (size_t)n;
	}
	close(fd);
	rc = login_guard_parse(out, text, got, path, err);
	free(text);
	return rc;
}

static int
write_all(int fd, const char *d, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, d, len);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		d += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
sync_directory(const char *path, struct sesshu_err *err)
{
	char *dir = g_path_get_dirname(path);
	int fd, rc = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1)
		rc = sesshu_err_set(err, SESSHU_EIO, "%s: fsync of the directory "
		    "failed: %s", dir, strerror(errno));
	if (fd != -1)
		close(fd);
	g_free(dir);
	return rc;
}

int
login_guard_save(const struct login_guard *g, const char *path,
    struct sesshu_err *err)
{
	char tmp[PATH_MAX], *text;
	size_t len;
	int fd, rc, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return sesshu_err_set(err, SESSHU_EINVAL, "%s: path too long", path);
	if ((rc = login_guard_format(g, &text, &len, err)) != 0)
		return rc;
	/* The caller holds the lock: a leftover is debris of a crash. */
	if (unlink(tmp) == -1 && errno != ENOENT) {
		rc = sesshu_err_set(err, SESSHU_EIO, "%s: cannot remove a leftover "
		    "temporary file: %s", tmp, strerror(errno));
		g_free(text);
		return rc;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 || fchmod(fd, 0600) == -1 || write_all(fd, text, len) == -1 ||
	    fsync(fd) == -1 || close(fd) == -1) {
		saved = errno;
		if (fd != -1)
			close(fd);
		unlink(tmp);
		g_free(text);
		return sesshu_err_set(err, SESSHU_EIO, "cannot write %s: %s", tmp,
		    strerror(saved));
	}
	g_free(text);
	if (rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		return sesshu_err_set(err, SESSHU_EIO, "cannot rename %s to %s: %s",
		    tmp, path, strerror(saved));
	}
	return sync_directory(path, err);
}

int
login_guard_update(const char *path, login_guard_fn fn, void *ctx,
    struct sesshu_err *err)
{
	struct login_guard *g = NULL;
	char lock[PATH_MAX];
	int fd, rc;

	if (snprintf(lock, sizeof(lock), "%s.lock", path) >= (int)sizeof(lock))
		return sesshu_err_set(err, SESSHU_EINVAL, "%s: path too long", path);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 || flock(fd, LOCK_EX) == -1) {
		rc = sesshu_err_set(err, SESSHU_EIO, "%s: cannot lock: %s", lock,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return rc;
	}
	if ((rc = login_guard_load(&g, path, err)) == 0 &&
	    (rc = fn(g, ctx, err)) == 1)
		rc = login_guard_save(g, path, err);
	login_guard_free(g);
	close(fd);		/* releases the lock */
	return rc;
}
