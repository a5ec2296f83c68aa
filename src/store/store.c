/*
 * store.c: opening, checking and migrating the encrypted store; see store.h.
 *
 * The order of store_open() matters. Until the key has been shown to
 * decrypt page 1 and the schema version has been read, nothing may write:
 * setting journal_mode=WAL or running a migration would otherwise modify a
 * file that belongs to a newer program or that is damaged.
 */
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/crypto.h>

#include "store/audit.h"
#include "store/migrate.h"

/*
 * SQLCipher 3's default page is 1 KiB; 4 KiB matches the OS page and makes
 * bulk loads markedly faster. It must be the same on every open.
 */
#define CIPHER_PAGE_SIZE	"4096"

/*
 * 16 MiB of decrypted page cache: SQLCipher decrypts each page into it, so
 * a small cache re-decrypts hot index pages constantly (ARCHITECTURE §4),
 * while the workstation must stay well under 100 MB resident.
 */
#define CACHE_KIB		"16384"

/* Enough for every statement the programs prepare through the cache. */
#define STMT_CACHE_MAX		128

struct cached_stmt {
	const char	*sql;		/* a string literal: compared by address */
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3		*db;
	struct cached_stmt cache[STMT_CACHE_MAX];
	size_t		 ncached;
	char		*path;
	struct secbuf	 audit_key;
	int		 poisoned;
	int		 readonly;
};

static int
is_damage(int sqlite_rc)
{
	int primary = sqlite_rc & 0xff;

	return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

int
store_check(struct store *st, int sqlite_rc, const char *what,
    struct sesshu_err *err)
{
	int primary = sqlite_rc & 0xff;

	if (primary == SQLITE_OK || primary == SQLITE_ROW || primary == SQLITE_DONE)
		return 0;
	if (is_damage(sqlite_rc)) {
		st->poisoned = 1;
		return sesshu_err_set(err, SESSHU_ECORRUPT,
		    "%s: a page of %s failed its integrity check (HMAC); the "
		    "store is damaged and will not be written to: restore it "
		    "or provision this workstation again", what, st->path);
	}
	return sesshu_err_set(err, SESSHU_EDB, "%s: %s", what,
	    sqlite3_errmsg(st->db));
}

int
store_is_poisoned(const struct store *st)
{
	return st->poisoned;
}

/*
 * Hands SQLCipher the raw key as x'<64 hex digits>' through sqlite3_key()
 * rather than a PRAGMA string, so the key text never passes through the SQL
 * parser's unlocked heap copies; the hex form lives in a secbuf.
 */
static int
apply_key(sqlite3 *db, const struct secbuf *key, struct sesshu_err *err)
{
	static const char hex[] = "0123456789abcdef";
	struct secbuf text;
	int rc;

	if (key == NULL || key->data == NULL || key->len != STORE_KEY_BYTES)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "the store key must be %d bytes", STORE_KEY_BYTES);
	if ((rc = secbuf_alloc(&text, 3 + 2 * STORE_KEY_BYTES, err)) != 0)
		return rc;
	text.data[0] = 'x';
	text.data[1] = '\'';
	for (size_t i = 0; i < STORE_KEY_BYTES; i++) {
		text.data[2 + 2 * i] = (unsigned char)hex[key->data[i] >> 4];
		text.data[3 + 2 * i] = (unsigned char)hex[key->data[i] & 0xf];
	}
	text.data[text.len - 1] = '\'';
	rc = sqlite3_key(db, text.data, (int)text.len);
	secbuf_release(&text);
	if (rc != SQLITE_OK)
		return sesshu_err_set(err, SESSHU_ECRYPTO,
		    "cannot set the store key: %s", sqlite3_errmsg(db));
	return 0;
}

static int
read_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL)) != SQLITE_OK)
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(stmt, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Shows that the key decrypts page 1, without writing anything. */
static int
probe_key(struct store *st, struct sesshu_err *err)
{
	int count, rc;

	if (sqlite3_exec(st->db, "PRAGMA cipher_page_size = " CIPHER_PAGE_SIZE,
	    NULL, NULL, NULL) != SQLITE_OK)
		return sesshu_err_set(err, SESSHU_EDB, "cannot set the page size of %s: %s",
		    st->path, sqlite3_errmsg(st->db));
	rc = read_int(st->db, "SELECT count(*) FROM sqlite_master", &count);
	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xff) == SQLITE_NOTADB)
		return sesshu_err_set(err, SESSHU_EAUTH,
		    "cannot decrypt %s: the key is wrong, or the file is not a "
		    "sesshu store, or its first page is damaged", st->path);
	return store_check(st, rc, "opening the store", err);
}

static int
apply_settings(struct store *st, struct sesshu_err *err)
{
	static const char settings[] =
	    "PRAGMA secure_delete = ON;"
	    "PRAGMA temp_store = MEMORY;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA cache_size = -" CACHE_KIB ";";
	static const char durability[] =
	    /* FULL: a commit survives power loss once it returns (nothing lost). */
	    "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;";
	char *msg = NULL;
	int rc;

	rc = sqlite3_exec(st->db, settings, NULL, NULL, &msg);
	if (rc == SQLITE_OK && !st->readonly)
		rc = sqlite3_exec(st->db, durability, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		sesshu_err_set(err, SESSHU_EDB, "cannot configure %s: %s", st->path,
		    msg != NULL ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return SESSHU_EDB;
	}
	sqlite3_busy_timeout(st->db, 5000);
	return 0;
}

int
store_open(struct store **out, const char *path, const struct secbuf *key,
    const struct store_schema *schema, unsigned flags, struct sesshu_err *err)
{
	struct store *st;
	struct stat sb;
	int open_flags, version, app_id, rc;

	*out = NULL;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || !(flags & STORE_CREATE))
			return sesshu_err_set(err, errno == ENOENT ?
			    SESSHU_ENOTFOUND : SESSHU_EIO, "%s: %s", path,
			    strerror(errno));
	} else if (!S_ISREG(sb.st_mode))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a regular file", path);

	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL) {
		free(st);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	}
	st->readonly = (flags & STORE_READONLY) != 0;
	open_flags = st->readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	/* Each thread opens its own connection (ARCHITECTURE §4). */
	open_flags |= SQLITE_OPEN_NOMUTEX;

	if (sqlite3_open_v2(path, &st->db, open_flags, NULL) != SQLITE_OK) {
		rc = sesshu_err_set(err, SESSHU_EIO, "cannot open %s: %s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if ((rc = apply_key(st->db, key, err)) != 0 ||
	    (rc = probe_key(st, err)) != 0)
		goto fail;

	if ((rc = read_int(st->db, "PRAGMA user_version", &version)) != SQLITE_OK) {
		rc = store_check(st, rc, "reading the schema version", err);
		goto fail;
	}
	if ((rc = read_int(st->db, "PRAGMA application_id", &app_id)) != SQLITE_OK) {
		rc = store_check(st, rc, "reading the application id", err);
		goto fail;
	}
	if (version > 0 && app_id != schema->application_id) {
		rc = sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a %s (application id %#x, expected %#x)", path,
		    schema->name, (unsigned)app_id, (unsigned)schema->application_id);
		goto fail;
	}
	if (version > schema->latest) {
		rc = sesshu_err_set(err, SESSHU_EVERSION,
		    "%s has schema version %d, but this program knows versions up "
		    "to %d: it was written by a newer sesshu; upgrade sesshu",
		    path, version, schema->latest);
		goto fail;
	}
	if (st->readonly && version < schema->latest) {
		rc = sesshu_err_set(err, SESSHU_EVERSION,
		    "%s has schema version %d and needs migrating to %d, which a "
		    "read-only open cannot do", path, version, schema->latest);
		goto fail;
	}
	if ((rc = apply_settings(st, err)) != 0)
		goto fail;
	if (version < schema->latest &&
	    (rc = store_migrate(st->db, schema, version, err)) != 0) {
		sesshu_err_prefix(err, "%s", path);
		goto fail;
	}
	if ((rc = audit_derive_key(key, &st->audit_key, err)) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return rc;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->ncached; i++)
		sqlite3_finalize(st->cache[i].stmt);
	if (st->db != NULL)
		sqlite3_close_v2(st->db);
	secbuf_release(&st->audit_key);
	free(st->path);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

const struct secbuf *
store_audit_key(const struct store *st)
{
	return &st->audit_key;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

int
store_schema_version(struct store *st)
{
	int version = -1;

	(void)read_int(st->db, "PRAGMA user_version", &version);
	return version;
}

int
store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt,
    struct sesshu_err *err)
{
	int rc;

	for (size_t i = 0; i < st->ncached; i++) {
		if (st->cache[i].sql == sql) {
			*stmt = st->cache[i].stmt;
			return 0;
		}
	}
	if (st->ncached == STMT_CACHE_MAX)
		return sesshu_err_set(err, SESSHU_ENOMEM,
		    "statement cache full (%d); raise STMT_CACHE_MAX", STMT_CACHE_MAX);
	rc = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);
	if (rc != SQLITE_OK)
		return store_check(st, rc, "preparing a statement", err);
	st->cache[st->ncached].sql = sql;
	st->cache[st->ncached].stmt = *stmt;
	st->ncached++;
	return 0;
}

int
store_run_text(struct store *st, const char *sql, const char *a, const char *b,
    const char *what, struct sesshu_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(stmt, 2, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	return store_check(st, rc, what, err);
}

void
store_stmt_done(sqlite3_stmt *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

int
store_exec(struct store *st, const char *sql, struct sesshu_err *err)
{
	char *msg = NULL;
	int rc;

	if (st->poisoned)
		return sesshu_err_set(err, SESSHU_EREADONLY,
		    "%s is damaged; refusing to write to it", st->path);
	rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK && msg != NULL && !is_damage(rc)) {
		sesshu_err_set(err, SESSHU_EDB, "%s", msg);
		sqlite3_free(msg);
		return SESSHU_EDB;
	}
	sqlite3_free(msg);
	return store_check(st, rc, "executing a statement", err);
}

int
store_begin(struct store *st, struct sesshu_err *err)
{
	return store_exec(st, "BEGIN IMMEDIATE", err);
}

int
store_commit(struct store *st, struct sesshu_err *err)
{
	int rc;

	if ((rc = store_exec(st, "COMMIT", err)) != 0)
		store_rollback(st);
	return rc;
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int
store_verify(struct store *st, struct sesshu_err *err)
{
	char detail[256] = "";
	sqlite3_stmt *stmt;
	size_t used = 0;
	int rc, rows = 0;

	rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check(4)", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_check(st, rc, "checking the store", err);
	/* Problems come as rows, or as one row of lines after a banner
	 * ("*** in database main ***"); keep the first few, on one line. */
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(stmt, 0);

		if (line == NULL || strcmp(line, "ok") == 0)
			continue;
		rows++;
		if (strncmp(line, "***", 3) == 0 && strchr(line, '\n') != NULL)
			line = strchr(line, '\n') + 1;
		for (; *line != '\0' && used < sizeof(detail) - 3; line++)
			detail[used++] = *line == '\n' ? ';' : *line;
		detail[used] = '\0';
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_check(st, rc, "checking every page of the store", err);
	if (rows > 0) {
		st->poisoned = 1;
		return sesshu_err_set(err, SESSHU_ECORRUPT,
		    "%s failed its integrity check (page HMAC or b-tree): %s; the "
		    "store will not be written to", st->path, detail);
	}
	return 0;
}

void
store_now_utc(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, ts.tv_nsec / 1000000);
}

void
store_time_utc(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.000Z",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
}

int
store_time_parse(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int n = 0;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 19)
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return 0;
}
