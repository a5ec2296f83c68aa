/* reg.c: opening and creating a register; see reg.h. */
#include "register/reg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/municipality.h"
#include "store/audit.h"

/* Each setting: its default and the range an administrator may set. */
static const struct {
	const char	*key;
	int		 value, min, max;
	size_t		 offset;
} setting_defaults[] = {
	{ "password_min_length",   12, 8, 128,
	  offsetof(struct reg_settings, password_min_length) },
	{ "password_history",       5, 1, 24,
	  offsetof(struct reg_settings, password_history) },
	{ "password_max_age_days", 90, 0, 3650,
	  offsetof(struct reg_settings, password_max_age_days) },
	{ "lockout_threshold",      5, 1, 100,
	  offsetof(struct reg_settings, lockout_threshold) },
	{ "lockout_minutes",       15, 1, 1440,
	  offsetof(struct reg_settings, lockout_minutes) },
	{ "activation_valid_days", 14, 1, 90,
	  offsetof(struct reg_settings, activation_valid_days) },
};

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Reads a key file: 64 hex digits and an optional newline, mode 0600 or
 * stricter (a key readable by others is refused, not silently used).
 */
static int
read_key_file(const char *path, struct secbuf *key, struct sesshu_err *err)
{
	unsigned char text[66];
	struct stat sb;
	ssize_t n;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return sesshu_err_set(err, errno == ENOENT ? SESSHU_ENOTFOUND :
		    SESSHU_EIO, "cannot open the register key %s: %s", path,
		    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return sesshu_err_set(err, SESSHU_EIO, "%s is not a regular file", path);
	}
	if ((sb.st_mode & 077) != 0) {
		close(fd);
		return sesshu_err_set(err, SESSHU_EINVAL, "the register key %s is "
		    "readable by others (mode %03o); run chmod 600 on it", path,
		    (unsigned)(sb.st_mode & 0777));
	}
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n < 64 || (n > 64 && text[64] != '\n') || n == (ssize_t)sizeof(text))
		rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s: expected 64 hex "
		    "digits and a newline", path);
	else if ((rc = secbuf_alloc(key, STORE_KEY_BYTES, err)) == 0) {
		for (size_t i = 0; i < STORE_KEY_BYTES && rc == 0; i++) {
			int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);

			if (hi < 0 || lo < 0) {
				secbuf_release(key);
				rc = sesshu_err_set(err, SESSHU_EFORMAT,
				    "%s: byte %zu is not a hex digit", path, 2 * i + 1);
			} else
				key->data[i] = (unsigned char)(hi << 4 | lo);
		}
	}
	OPENSSL_cleanse(text, sizeof(text));
	return rc;
}

/* systemd's LoadCredential= wins over the file in the data directory. */
static int
load_key(const char *dir, struct secbuf *key, struct sesshu_err *err)
{
	const char *creds = getenv("CREDENTIALS_DIRECTORY");
	char path[4096];

	if (creds != NULL && creds[0] != '\0')
		snprintf(path, sizeof(path), "%s/%s", creds, REG_CREDENTIAL_NAME);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, REG_KEY_FILE);
	return read_key_file(path, key, err);
}

static int
write_new_key(const char *path, struct secbuf *key, struct sesshu_err *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char text[65];
	int fd, rc = 0;

	if ((rc = secbuf_alloc(key, STORE_KEY_BYTES, err)) != 0)
		return rc;
	if (RAND_priv_bytes(key->data, (int)key->len) != 1) {
		secbuf_release(key);
		return sesshu_err_set(err, SESSHU_ECRYPTO, "no randomness for the key");
	}
	for (size_t i = 0; i < STORE_KEY_BYTES; i++) {
		text[2 * i] = (unsigned char)hex[key->data[i] >> 4];
		text[2 * i + 1] = (unsigned char)hex[key->data[i] & 0xf];
	}
	text[64] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		rc = sesshu_err_set(err, errno == EEXIST ? SESSHU_EEXIST : SESSHU_EIO,
		    "cannot create %s: %s", path, strerror(errno));
	else if (write(fd, text, sizeof(text)) != (ssize_t)sizeof(text) ||
	    fsync(fd) != 0)
		rc = sesshu_err_set(err, SESSHU_EIO, "cannot write %s: %s", path,
		    strerror(errno));
	if (fd >= 0)
		close(fd);
	OPENSSL_cleanse(text, sizeof(text));
	if (rc != 0) {
		secbuf_release(key);
		if (fd >= 0)
			unlink(path);
	}
	return rc;
}

static int
set_setting(struct store *st, const char *key, const char *value,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)";

	return store_run_text(st, sql, key, value, "writing a setting", err);
}

int
reg_init(const char *dir, const char *municipality, unsigned muni_flags,
    struct sesshu_err *err)
{
	char path[4096], value[32];
	struct store *st = NULL;
	struct secbuf key;
	int rc;

	if ((rc = core_municipality_parse(municipality, strlen(municipality),
	    muni_flags, NULL, err)) != 0)
		return rc;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return sesshu_err_set(err, SESSHU_EIO, "cannot create %s: %s", dir,
		    strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", dir, REG_STORE_FILE);
	if (access(path, F_OK) == 0)
		return sesshu_err_set(err, SESSHU_EEXIST,
		    "%s already holds a register (%s)", dir, path);
	snprintf(path, sizeof(path), "%s/%s", dir, REG_KEY_FILE);
	if ((rc = write_new_key(path, &key, err)) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", dir, REG_STORE_FILE);
	rc = store_open(&st, path, &key, &reg_store_schema, STORE_CREATE, err);
	secbuf_release(&key);
	if (rc != 0)
		return rc;
	if ((rc = store_begin(st, err)) != 0)
		goto out;
	rc = set_setting(st, "municipality", municipality, err);
	for (size_t i = 0; rc == 0 &&
	    i < sizeof(setting_defaults) / sizeof(setting_defaults[0]); i++) {
		snprintf(value, sizeof(value), "%d", setting_defaults[i].value);
		rc = set_setting(st, setting_defaults[i].key, value, err);
	}
	if (rc == 0) {
		struct audit_event ev = { REG_ACTOR, REG_ACTOR, "register.init",
		    municipality, "ok" };

		rc = audit_append(st, &ev, err);
	}
	if (rc == 0)
		rc = store_commit(st, err);
	else
		store_rollback(st);
out:
	store_close(st);
	return rc;
}

static int
load_settings(struct reg *reg, struct sesshu_err *err)
{
	static const char sql[] = "SELECT key, value FROM settings";
	sqlite3_stmt *stmt;
	int rc, have_code = 0;

	for (size_t i = 0; i < sizeof(setting_defaults) / sizeof(setting_defaults[0]); i++)
		*(int *)((char *)&reg->settings + setting_defaults[i].offset) =
		    setting_defaults[i].value;
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(stmt, 0);
		const char *value = (const char *)sqlite3_column_text(stmt, 1);

		if (strcmp(key, "municipality") == 0) {
			snprintf(reg->municipality, sizeof(reg->municipality), "%s", value);
			have_code = 1;
			continue;
		}
		for (size_t i = 0; i < sizeof(setting_defaults) / sizeof(setting_defaults[0]); i++)
			if (strcmp(key, setting_defaults[i].key) == 0)
				*(int *)((char *)&reg->settings +
				    setting_defaults[i].offset) = atoi(value);
	}
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "reading settings", err)) != 0)
		return rc;
	if (!have_code)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "the register in %s has no municipality code", reg->dir);
	return 0;
}

int
reg_open(struct reg **out, const char *dir, struct sesshu_err *err)
{
	struct reg *reg;
	struct secbuf key;
	char path[4096];
	int rc;

	*out = NULL;
	if ((reg = calloc(1, sizeof(*reg))) == NULL || (reg->dir = strdup(dir)) == NULL) {
		free(reg);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	}
	snprintf(path, sizeof(path), "%s/%s", dir, REG_STORE_FILE);
	if ((rc = load_key(dir, &key, err)) != 0) {
		reg_close(reg);
		return rc;
	}
	rc = store_open(&reg->st, path, &key, &reg_store_schema, 0, err);
	secbuf_release(&key);
	if (rc == 0)
		rc = load_settings(reg, err);
	if (rc != 0) {
		reg_close(reg);
		return rc;
	}
	*out = reg;
	return 0;
}

void
reg_close(struct reg *reg)
{
	if (reg == NULL)
		return;
	store_close(reg->st);
	free(reg->dir);
	free(reg);
}

/*
 * A new password_max_age_days moves every password's expiry, which
 * workstations hold for their offline logins: each user is sent again.
 */
static int
set_expiries(struct reg *reg, long days, struct sesshu_err *err)
{
	static const char sql[] =
	    "UPDATE users SET password_expires_at = "
	    REG_PASSWORD_EXPIRY_SQL("password_changed_at", "?1")
	    " WHERE password_changed_at IS NOT NULL";
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_int64(stmt, 1, days);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "moving password expiries", err)) != 0)
		return rc;
	return store_exec(reg->st, REG_RENUMBER_USERS_SQL, err);
}

int
reg_setting_set(struct reg *reg, const char *actor, const char *key,
    const char *value, struct sesshu_err *err)
{
	char object[96], *end;
	long v;
	int rc;

	for (size_t i = 0; i < sizeof(setting_defaults) / sizeof(setting_defaults[0]); i++) {
		if (strcmp(key, setting_defaults[i].key) != 0)
			continue;
		v = strtol(value, &end, 10);
		if (value[0] == '\0' || *end != '\0' || v < setting_defaults[i].min ||
		    v > setting_defaults[i].max)
			return sesshu_err_set(err, SESSHU_ERANGE, "%s must be a whole "
			    "number from %d to %d", key, setting_defaults[i].min,
			    setting_defaults[i].max);
		snprintf(object, sizeof(object), "setting:%s", key);
		if ((rc = store_begin(reg->st, err)) != 0)
			return rc;
		if ((rc = set_setting(reg->st, key, value, err)) == 0 &&
		    (strcmp(key, "password_max_age_days") != 0 ||
		    (rc = set_expiries(reg, v, err)) == 0) &&
		    (rc = reg_audit(reg, actor, REG_ACTOR, "setting.set", object,
		    value, err)) == 0 && (rc = store_commit(reg->st, err)) == 0) {
			*(int *)((char *)&reg->settings + setting_defaults[i].offset) =
			    (int)v;
			return 0;
		}
		store_rollback(reg->st);
		return rc;
	}
	return sesshu_err_set(err, SESSHU_ENOTFOUND, "no setting \"%s\"", key);
}

void
reg_settings_each(struct reg *reg, void (*fn)(void *ctx, const char *key,
    int value, int dflt), void *ctx)
{
	for (size_t i = 0; i < sizeof(setting_defaults) / sizeof(setting_defaults[0]); i++)
		fn(ctx, setting_defaults[i].key, *(int *)((char *)&reg->settings +
		    setting_defaults[i].offset), setting_defaults[i].value);
}

int
reg_note_change(struct reg *reg, const char *kind, const char *key,
    const char *op, int64_t *seq, struct sesshu_err *err)
{
	static const char del_sql[] = "DELETE FROM changes WHERE kind = ? AND key = ?";
	static const char ins_sql[] =
	    "INSERT INTO changes (kind, key, op) VALUES (?, ?, ?)";
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(reg->st, del_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "numbering a change", err)) != 0)
		return rc;
	if ((rc = store_prepare(reg->st, ins_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, op, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "numbering a change", err)) != 0)
		return rc;
	if (seq != NULL)
		*seq = sqlite3_last_insert_rowid(store_db(reg->st));
	return 0;
}

int
reg_audit(struct reg *reg, const char *user_id, const char *workstation_id,
    const char *action, const char *object, const char *outcome,
    struct sesshu_err *err)
{
	struct audit_event ev = { user_id, workstation_id, action, object, outcome };

	return audit_append(reg->st, &ev, err);
}
