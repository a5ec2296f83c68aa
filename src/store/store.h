/*
 * store.h: the encrypted SQLCipher database (the workstation cache, and the
 * register's store).
 *
 * Owns the connection and a copy of the master key's derived audit key for
 * as long as the store is open. Opens with a raw 256-bit key, so SQLCipher's
 * own password KDF is never used (ARCHITECTURE §3). Refuses, and never
 * writes to, a file that a wrong key cannot decrypt, that fails a page HMAC,
 * or whose schema is newer than this program. Once a statement reports
 * damage the handle is poisoned: every later write is refused.
 * Never logs row contents; error messages name tables and files only.
 */
#ifndef SESSHU_STORE_STORE_H
#define SESSHU_STORE_STORE_H

#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "auth/secmem.h"
#include "core/err.h"
#include "store/migrate.h"

#define STORE_KEY_BYTES	32

enum store_open_flags {
	STORE_CREATE	= 1 << 0,	/* create the file if it does not exist */
	STORE_READONLY	= 1 << 1,	/* open for reading only */
};

struct store;

/*
 * Opens (or, with STORE_CREATE, creates) the database at path with the
 * 32-byte key, checks that it decrypts and that it is a store of this
 * schema, refuses a newer schema version, applies pending migrations and
 * sets WAL, secure_delete, temp_store=MEMORY. On success *out is the
 * caller's, to release with store_close().
 */
int	store_open(struct store **out, const char *path, const struct secbuf *key,
	    const struct store_schema *schema, unsigned flags,
	    struct sesshu_err *err);
void	store_close(struct store *st);

/* The connection, borrowed; valid until store_close(). */
sqlite3	*store_db(struct store *st);

/* The HKDF-derived key of the audit chain (see audit.h); borrowed. */
const struct secbuf *store_audit_key(const struct store *st);

/* The path this store was opened with; borrowed. */
const char *store_path(const struct store *st);

/* Schema version in PRAGMA user_version after migrations. */
int	store_schema_version(struct store *st);

/* Transactions: BEGIN IMMEDIATE, so a writer never fails half-way on SQLITE_BUSY. */
int	store_begin(struct store *st, struct sesshu_err *err);
int	store_commit(struct store *st, struct sesshu_err *err);
void	store_rollback(struct store *st);

/*
 * Runs one or more SQL statements with no parameters and no result rows.
 * Refused with SESSHU_EREADONLY on a poisoned store.
 */
int	store_exec(struct store *st, const char *sql, struct sesshu_err *err);

/*
 * Turns a SQLite result code into a sesshu status with a message naming
 * what (a table or operation), and poisons the store on damage
 * (SQLITE_CORRUPT, SQLITE_NOTADB). Returns 0 for SQLITE_OK/ROW/DONE.
 */
int	store_check(struct store *st, int sqlite_rc, const char *what,
	    struct sesshu_err *err);

/*
 * Returns the statement for sql, prepared on first use and kept for the
 * life of the store; sql must be a string literal (it is cached by
 * address). The statement is borrowed: finish with store_stmt_done().
 */
int	store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt,
	    struct sesshu_err *err);

/*
 * Runs a cached statement (sql a literal, as for store_prepare) that takes
 * up to two text parameters (b may be NULL) and returns no rows; what
 * names it in messages.
 */
int	store_run_text(struct store *st, const char *sql, const char *a,
	    const char *b, const char *what, struct sesshu_err *err);

/* Resets a cached statement and clears its bindings. */
void	store_stmt_done(sqlite3_stmt *stmt);

/* Nonzero once damage has been seen; writes are then refused. */
int	store_is_poisoned(const struct store *st);

/*
 * Reads every page (PRAGMA quick_check), so each page's HMAC is verified.
 * Returns SESSHU_ECORRUPT naming the file when any page fails.
 */
int	store_verify(struct store *st, struct sesshu_err *err);

/*
 * Writes the current UTC time as the stores write every timestamp,
 * "YYYY-MM-DDThh:mm:ss.mmmZ" (24 characters and a NUL), so that text order
 * is time order. size must be at least STORE_TIME_LEN.
 */
#define STORE_TIME_LEN	25
void	store_now_utc(char *buf, size_t size);

/* Formats t in the same form (milliseconds zero). */
void	store_time_utc(time_t t, char *buf, size_t size);

/* Parses that form (milliseconds and the Z optional); -1 if malformed. */
int	store_time_parse(const char *s, time_t *out);

#endif
