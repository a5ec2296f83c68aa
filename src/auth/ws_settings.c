/*
 * ws_settings.c: see ws_settings.h. Reads the settings file with GKeyFile;
 * a small line scan beside it finds the line of each group and key (GLib
 * does not say) and the keys GLib would silently let a later line override.
 * Never writes the file.
 */
#include "auth/ws_settings.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#define SETTINGS_MAX_BYTES	(64 * 1024)	/* a settings file is a page */
#define SHOW_MAX		64		/* bytes of a bad value shown */

enum kind {
	K_INT,
	K_UNLOCK,
	K_LANGUAGE,
	K_DRIVER,
	K_FINGER,
	K_PATH,
	K_APPROVAL,
};

struct setting {
	const char	*group;
	const char	*key;
	enum kind	 kind;
	int		 min, max;
	const char	*unit;
	size_t		 off;
};

#define INT(g, k, lo, hi, u, f) \
	{ g, k, K_INT, lo, hi, u, offsetof(struct ws_settings, f) }
#define OTHER(g, k, kind) \
	{ g, k, kind, 0, 0, NULL, 0 }

/* The whole file format; docs/CONFIG.md says the same in prose. */
static const struct setting settings[] = {
	INT("session", "idle_timeout_seconds", 30, 3600, "seconds",
	    idle_timeout_seconds),
	INT("session", "lock_logout_seconds", 60, 86400, "seconds",
	    lock_logout_seconds),
	INT("session", "max_session_hours", 1, 24, "hours", max_session_hours),
	OTHER("session", "unlock_with", K_UNLOCK),
	INT("login", "lockout_failures", 1, 20, "failures", lockout_failures),
	INT("login", "lockout_minutes", 1, 1440, "minutes", lockout_minutes),
	INT("login", "max_offline_hours", 1, 720, "hours", max_offline_hours),
	OTHER("display", "language", K_LANGUAGE),
	OTHER("fingerprint", "driver", K_DRIVER),
	OTHER("fingerprint", "finger", K_FINGER),
	INT("sync", "interval_seconds", 10, 3600, "seconds", interval_seconds),
	OTHER("entry", "forms_dir", K_PATH),
	OTHER("entry", "correction_approval", K_APPROVAL),
};

#define NSETTINGS	(sizeof(settings) / sizeof(settings[0]))

static const char *const groups[] = {
	"session", "login", "display", "fingerprint", "sync", "entry",
};

#define NGROUPS		(sizeof(groups) / sizeof(groups[0]))

/* FpFinger's nicks, from FP_FINGER_LEFT_THUMB (1) on. */
static const char *const finger_names[] = {
	"left-thumb", "left-index", "left-middle", "left-ring", "left-little",
	"right-thumb", "right-index", "right-middle", "right-ring",
	"right-little",
};

#define NFINGERS	(sizeof(finger_names) / sizeof(finger_names[0]))

static const char *const approval_names[] = {
	[WS_APPROVAL_SYNCED] = "synced",
	[WS_APPROVAL_ALWAYS] = "always",
	[WS_APPROVAL_NEVER] = "never",
};

#define NAPPROVALS	(sizeof(approval_names) / sizeof(approval_names[0]))

void
ws_settings_default(struct ws_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->idle_timeout_seconds = SESSION_IDLE_DEFAULT;
	s->lock_logout_seconds = SESSION_LOCK_LOGOUT_DEFAULT;
	s->max_session_hours = SESSION_MAX_DEFAULT / 3600;
	s->unlock_with = WS_UNLOCK_FINGERPRINT;
	s->lockout_failures = 5;
	s->lockout_minutes = 15;
	s->max_offline_hours = 72;
	s->finger = WS_FINGER_RIGHT_INDEX;
	s->interval_seconds = 60;
	s->correction_approval = WS_APPROVAL_SYNCED;
}

void
ws_settings_session_limits(const struct ws_settings *s,
    struct session_limits *limits)
{
	limits->idle_timeout = s->idle_timeout_seconds;
	limits->lock_logout = s->lock_logout_seconds;
	limits->max_session = (int64_t)s->max_session_hours * 3600;
}

const char *
ws_finger_name(enum ws_finger finger)
{
	if (finger < WS_FINGER_LEFT_THUMB || finger > WS_FINGER_RIGHT_LITTLE)
		return "unknown";
	return finger_names[finger - WS_FINGER_LEFT_THUMB];
}

const char *
ws_unlock_name(enum ws_unlock how)
{
	return how == WS_UNLOCK_PASSWORD ? "password" : "fingerprint";
}

/*
 * Text from the file as shown in a message: valid UTF-8 with control
 * characters (C0, DEL, C1) and invalid bytes replaced by '?', so a message
 * cannot drive the terminal; cut to fit size with "..." when longer.
 */
static void
show(char *buf, size_t size, const char *v)
{
	size_t used = 0;
	const char *p = v;

	while (*p != '\0') {
		gunichar c = g_utf8_get_char_validated(p, -1);
		int valid = c != (gunichar)-1 && c != (gunichar)-2;
		size_t n = valid ? (size_t)(g_utf8_next_char(p) - p) : 1;

		if (!valid || c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			if (used + 1 + 4 > size)
				break;
			buf[used++] = '?';
		} else {
			if (used + n + 4 > size)
				break;
			memcpy(buf + used, p, n);
			used += n;
		}
		p += n;
	}
	buf[used] = '\0';
	if (*p != '\0')
		memcpy(buf + used, "...", 4);
}

/* One group header or key line, as the scan found it. */
struct entry {
	char	*group;
	char	*key;		/* NULL for a group header */
	int	 line;
};

/* Where each group and key is, as the scan found it. */
struct where {
	GPtrArray	*entries;	/* struct entry, in file order */
	GHashTable	*lines;		/* "group" or "group\nkey" -> first line */
};

static void
entry_free(gpointer p)
{
	struct entry *e = p;

	g_free(e->group);
	g_free(e->key);
	g_free(e);
}

static int
where_line(const struct where *w, const char *group, const char *key)
{
	char *k = key == NULL ? g_strdup(group) :
	    g_strdup_printf("%s\n%s", group, key);
	int line = GPOINTER_TO_INT(g_hash_table_lookup(w->lines, k));

	g_free(k);
	return line;
}

/* Records an entry; returns the line it was first seen on, or 0. */
static int
record(struct where *w, const char *group, const char *key, int line)
{
	struct entry *e = g_new0(struct entry, 1);
	char *k = key == NULL ? g_strdup(group) :
	    g_strdup_printf("%s\n%s", group, key);
	int first = GPOINTER_TO_INT(g_hash_table_lookup(w->lines, k));

	e->group = g_strdup(group);
	e->key = g_strdup(key);
	e->line = line;
	g_ptr_array_add(w->entries, e);
	if (first == 0)
		g_hash_table_insert(w->lines, k, GINT_TO_POINTER(line));
	else
		g_free(k);
	return first;
}

/*
 * Walks the lines as GLib reads them (leading and trailing blanks skipped,
 * '#' starts a comment, "[group]", "key = value"), recording every group
 * and key with its line, including the translated keys ("key[ja]") that
 * g_key_file_get_keys() does not list. A key given twice in one group is
 * refused, since GLib would keep the last one without a word. When the
 * file is malformed, *bad receives the first line that is none of these.
 */
static int
scan(const char *path, const char *data, struct where *w, int *bad,
    const char **why, struct sesshu_err *err)
{
	char shown_group[SHOW_MAX + 4], shown_key[SHOW_MAX + 4];
	char **lines = g_strsplit(data, "\n", -1);
	char *group = NULL;
	int rc = 0;

	*bad = 0;
	*why = NULL;
	for (int n = 0; lines[n] != NULL && rc == 0; n++) {
		char *l = g_strstrip(lines[n]), *eq, *key;
		int first;

		if (*l == '\0' || *l == '#')
			continue;
		if (*l == '[') {
			char *end = strchr(l, ']');

			if (end == NULL || end[1] != '\0') {
				if (*bad == 0) {
					*bad = n + 1;
					*why = "a [group] line must end with ]";
				}
				continue;
			}
			g_free(group);
			group = g_strndup(l + 1, (gsize)(end - l - 1));
			(void)record(w, group, NULL, n + 1);
			continue;
		}
		if ((eq = strchr(l, '=')) == NULL || eq == l || group == NULL) {
			if (*bad == 0) {
				*bad = n + 1;
				*why = group == NULL && eq != NULL && eq != l ?
				    "a key before the first [group]" :
				    "not a [group], a key = value, a # comment "
				    "or a blank line";
			}
			continue;
		}
		*eq = '\0';
		key = g_strchomp(l);
		if ((first = record(w, group, key, n + 1)) != 0) {
			show(shown_group, sizeof(shown_group), group);
			show(shown_key, sizeof(shown_key), key);
			rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s:%d: [%s] %s "
			    "is set twice (first on line %d)", path, n + 1,
			    shown_group, shown_key, first);
		}
	}
	g_free(group);
	g_strfreev(lines);
	return rc;
}

static const struct setting *
lookup(const char *group, const char *key)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].group, group) == 0 &&
		    strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

static int
known_group(const char *group)
{
	for (size_t i = 0; i < NGROUPS; i++)
		if (strcmp(groups[i], group) == 0)
			return 1;
	return 0;
}

/* "a, b, c": the keys of group, for a message. */
static void
keys_of(char *buf, size_t size, const char *group)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NSETTINGS && used < size; i++) {
		if (strcmp(settings[i].group, group) != 0)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
		    used > 0 ? ", " : "", settings[i].key);
	}
}

/* Every group and key in the file is one this program knows. */
static int
check_names(const char *path, const struct where *w, struct sesshu_err *err)
{
	char known[256], name[SHOW_MAX + 4];

	for (guint i = 0; i < w->entries->len; i++) {
		const struct entry *e = g_ptr_array_index(w->entries, i);

		if (!known_group(e->group)) {
			show(name, sizeof(name), e->group);
			return sesshu_err_set(err, SESSHU_EFORMAT, "%s:%d: unknown "
			    "group [%s] (known: session, login, display, "
			    "fingerprint, sync)", path, e->line, name);
		}
		if (e->key == NULL || lookup(e->group, e->key) != NULL)
			continue;
		keys_of(known, sizeof(known), e->group);
		show(name, sizeof(name), e->key);
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s:%d: [%s] unknown "
		    "key %s (known: %s)", path, e->line, e->group, name,
		    known);
	}
	return 0;
}

static int
parse_int(const char *path, int line, const struct setting *st,
    const char *v, int *out, struct sesshu_err *err)
{
	char shown[SHOW_MAX + 4];
	GError *gerr = NULL;
	gint64 n;

	show(shown, sizeof(shown), v);
	if (*v == '\0')
		return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] %s is "
		    "empty: must be from %d to %d %s", path, line, st->group,
		    st->key, st->min, st->max, st->unit);
	if (!g_ascii_string_to_signed(v, 10, G_MININT64, G_MAXINT64, &n,
	    &gerr)) {
		int range = g_error_matches(gerr, G_NUMBER_PARSER_ERROR,
		    G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS);

		g_clear_error(&gerr);
		if (range)
			return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] "
			    "%s = %s: must be from %d to %d %s", path, line,
			    st->group, st->key, shown, st->min, st->max,
			    st->unit);
		return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] %s = "
		    "%s: not a whole number: must be from %d to %d %s", path,
		    line, st->group, st->key, shown, st->min, st->max,
		    st->unit);
	}
	if (n < st->min || n > st->max)
		return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] %s = %s: "
		    "must be from %d to %d %s", path, line, st->group, st->key,
		    shown, st->min, st->max, st->unit);
	*out = (int)n;
	return 0;
}

/* A libfprint driver name: lower-case letters, digits and '_'. */
static int
driver_ok(const char *v)
{
	size_t len = strlen(v);

	if (len > WS_DRIVER_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
		    (v[i] >= '0' && v[i] <= '9') || v[i] == '_'))
			return 0;
	return 1;
}

static int
parse_other(const char *path, int line, const struct setting *st,
    const char *v, struct ws_settings *s, struct sesshu_err *err)
{
	char shown[SHOW_MAX + 4];

	show(shown, sizeof(shown), v);
	switch (st->kind) {
	case K_UNLOCK:
		if (strcmp(v, "fingerprint") == 0)
			s->unlock_with = WS_UNLOCK_FINGERPRINT;
		else if (strcmp(v, "password") == 0)
			s->unlock_with = WS_UNLOCK_PASSWORD;
		else
			return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] "
			    "%s = %s: must be fingerprint or password", path,
			    line, st->group, st->key, shown);
		return 0;
	case K_LANGUAGE:
		if (strcmp(v, "") != 0 && strcmp(v, "ja") != 0 &&
		    strcmp(v, "en") != 0)
			return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] "
			    "%s = %s: must be ja, en, or empty (from the locale)",
			    path, line, st->group, st->key, shown);
		snprintf(s->language, sizeof(s->language), "%s", v);
		return 0;
	case K_DRIVER:
		if (!driver_ok(v))
			return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] "
			    "%s = %s: must be a libfprint driver name (a to z, "
			    "0 to 9 and _, at most %d bytes), or empty for the "
			    "first reader found", path, line, st->group,
			    st->key, shown, WS_DRIVER_MAX);
		snprintf(s->driver, sizeof(s->driver), "%s", v);
		return 0;
	case K_FINGER:
		for (size_t i = 0; i < NFINGERS; i++)
			if (strcmp(v, finger_names[i]) == 0) {
				s->finger = (enum ws_finger)
				    (WS_FINGER_LEFT_THUMB + (int)i);
				return 0;
			}
		return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] %s = %s: "
		    "must be one of left-thumb, left-index, left-middle, "
		    "left-ring, left-little, right-thumb, right-index, "
		    "right-middle, right-ring, right-little", path, line,
		    st->group, st->key, shown);
	case K_PATH:
		if ((v[0] != '/' && v[0] != '\0') ||
		    strlen(v) >= sizeof(s->forms_dir))
			return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] "
			    "%s = %s: must be an absolute path of at most %zu "
			    "bytes, or empty for the built-in forms", path, line, st->group, st->key, shown,
			    sizeof(s->forms_dir) - 1);
		snprintf(s->forms_dir, sizeof(s->forms_dir), "%s", v);
		return 0;
	case K_APPROVAL:
		for (size_t i = 0; i < NAPPROVALS; i++)
			if (strcmp(v, approval_names[i]) == 0) {
				s->correction_approval = (enum ws_approval)i;
				return 0;
			}
		return sesshu_err_set(err, SESSHU_ERANGE, "%s:%d: [%s] %s = %s: "
		    "must be synced, always or never", path, line, st->group,
		    st->key, shown);
	case K_INT:
		break;
	}
	return sesshu_err_set(err, SESSHU_EINVAL, "%s: [%s] %s: no parser",
	    path, st->group, st->key);
}

static int
read_settings(const char *path, GKeyFile *kf, const struct where *w,
    struct ws_settings *s, struct sesshu_err *err)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *st = &settings[i];
		int line = where_line(w, st->group, st->key), rc;
		GError *gerr = NULL;
		gchar *v;

		if (!g_key_file_has_key(kf, st->group, st->key, NULL))
			continue;
		/* get_string undoes the escapes (\s, \t...) and checks UTF-8. */
		if ((v = g_key_file_get_string(kf, st->group, st->key,
		    &gerr)) == NULL) {
			/* GLib's message would echo the bad bytes. */
			rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s:%d: [%s] %s: "
			    "the value is not UTF-8 text", path, line,
			    st->group, st->key);
			g_clear_error(&gerr);
			return rc;
		}
		/* GLib keeps trailing blanks; nobody means them. */
		g_strchomp(v);
		if (st->kind == K_INT)
			rc = parse_int(path, line, st, v,
			    (int *)(void *)((char *)s + st->off), err);
		else
			rc = parse_other(path, line, st, v, s, err);
		g_free(v);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/*
 * The whole file into a NUL-terminated buffer (caller g_free()s). A missing
 * file is SESSHU_ENOTFOUND for the caller to decide.
 */
static int
slurp(const char *path, char **out, size_t *len, struct sesshu_err *err)
{
	struct stat sb;
	ssize_t n;
	size_t got = 0;
	char *buf;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		if (errno == ENOENT)
			return sesshu_err_set(err, SESSHU_ENOTFOUND, "%s: no such "
			    "settings file", path);
		return sesshu_err_set(err, SESSHU_EIO, "%s: cannot read: %s",
		    path, strerror(errno));
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return sesshu_err_set(err, SESSHU_EIO, "%s: not a regular file",
		    path);
	}
	if (sb.st_size > SETTINGS_MAX_BYTES) {
		close(fd);
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: larger than %d "
		    "bytes: not a settings file", path, SETTINGS_MAX_BYTES);
	}
	buf = g_malloc(SETTINGS_MAX_BYTES + 1);
	while (got < SETTINGS_MAX_BYTES) {
		n = read(fd, buf + got, SETTINGS_MAX_BYTES - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			int e = errno;

			close(fd);
			g_free(buf);
			return sesshu_err_set(err, SESSHU_EIO, "%s: cannot read: "
			    "%s", path, strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	if (memchr(buf, '\0', got) != NULL) {
		g_free(buf);
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: contains a NUL "
		    "byte: not a text file", path);
	}
	*out = buf;
	*len = got;
	return 0;
}

int
ws_settings_load(const char *path, int optional, struct ws_settings *out,
    struct sesshu_err *err)
{
	struct ws_settings s;
	struct where w = { NULL, NULL };
	const char *why = NULL;
	char msg[256];
	GKeyFile *kf = NULL;
	GError *gerr = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc, bad;

	ws_settings_default(&s);
	if (path == NULL)
		path = WS_SETTINGS_PATH;
	if ((rc = slurp(path, &data, &len, err)) != 0) {
		if (rc == SESSHU_ENOTFOUND && optional) {
			/* No file at the default place: every default. */
			sesshu_err_clear(err);
			*out = s;
			return 0;
		}
		return rc;
	}
	w.entries = g_ptr_array_new_with_free_func(entry_free);
	w.lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	kf = g_key_file_new();
	if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, &gerr)) {
		struct sesshu_err ignored = { 0 };

		(void)scan(path, data, &w, &bad, &why, &ignored);
		show(msg, sizeof(msg), gerr->message);
		if (strncmp(data, "\xef\xbb\xbf", 3) == 0)
			rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s:1: starts with "
			    "a byte-order mark: save it as UTF-8 without one",
			    path);
		else if (bad > 0)
			rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s:%d: %s", path,
			    bad, why);
		else
			rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s: %s", path,
			    msg);
		g_clear_error(&gerr);
		goto out;
	}
	if ((rc = scan(path, data, &w, &bad, &why, err)) != 0 ||
	    (rc = check_names(path, &w, err)) != 0 ||
	    (rc = read_settings(path, kf, &w, &s, err)) != 0)
		goto out;
	s.from_file = 1;
	*out = s;
out:
	g_key_file_free(kf);
	g_hash_table_destroy(w.lines);
	g_ptr_array_free(w.entries, TRUE);
	g_free(data);
	return rc;
}
