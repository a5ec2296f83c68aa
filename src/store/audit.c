/*
 * audit.c: the HMAC chain of the audit trail; see audit.h.
 *
 * The MAC input is a canonical encoding, not the row as SQL returns it: a
 * domain label, the previous MAC, the sequence number (big-endian, 8 bytes)
 * and each text field as a 4-byte big-endian length followed by its bytes.
 * Lengths keep ("ab","c") and ("a","bc") apart; the sequence number makes
 * a removed or reordered entry visible even where the texts are equal.
 */
#include "store/audit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include "store/store.h"

static const char chain_label[] = "sesshu audit chain v1";

const char audit_schema_sql[] =
"CREATE TABLE audit_log ("
"  seq            INTEGER PRIMARY KEY,"
"  at             TEXT NOT NULL,"
"  user_id        TEXT NOT NULL,"
"  workstation_id TEXT NOT NULL,"
"  action         TEXT NOT NULL,"
"  object         TEXT NOT NULL,"
"  outcome        TEXT NOT NULL,"
"  mac            BLOB NOT NULL"
");"
/* Defence in depth: the program never changes an entry, and SQL cannot either
 * without first dropping these triggers, which the chain would then reveal. */
"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
/* The chain's head, so that cutting entries off the end is detected too. */
"CREATE TABLE audit_head ("
"  id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, mac BLOB NOT NULL);";

int
audit_derive_key(const struct secbuf *master_key, struct secbuf *out,
    struct sesshu_err *err)
{
	static const char salt[] = "sesshu";
	EVP_KDF *kdf;
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[5], *p = params;
	int rc;

	if ((rc = secbuf_alloc(out, AUDIT_MAC_BYTES, err)) != 0)
		return rc;
	if ((kdf = EVP_KDF_fetch(NULL, "HKDF", NULL)) != NULL)
		ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    master_key->data, master_key->len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	    (void *)salt, sizeof(salt) - 1);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
	    (void *)chain_label, sizeof(chain_label) - 1);
	*p = OSSL_PARAM_construct_end();
	if (ctx == NULL || EVP_KDF_derive(ctx, out->data, out->len, params) != 1) {
		EVP_KDF_CTX_free(ctx);
		secbuf_release(out);
		return sesshu_err_set(err, SESSHU_ECRYPTO,
		    "cannot derive the audit key (HKDF-SHA256)");
	}
	EVP_KDF_CTX_free(ctx);
	return 0;
}

static void
put_be(unsigned char *dst, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--) {
		dst[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static int
mac_text(EVP_MAC_CTX *ctx, const char *s)
{
	size_t len = strlen(s);
	unsigned char be[4];

	put_be(be, len, 4);
	return EVP_MAC_update(ctx, be, 4) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)s, len) == 1;
}

/* mac = HMAC-SHA256(key, label || prev || seq || at || the event's fields). */
static int
entry_mac(const struct secbuf *key, const unsigned char prev[AUDIT_MAC_BYTES],
    int64_t seq, const char *at, const struct audit_event *ev,
    unsigned char mac[AUDIT_MAC_BYTES])
{
	EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = hmac != NULL ? EVP_MAC_CTX_new(hmac) : NULL;
	OSSL_PARAM params[2];
	unsigned char be_seq[8];
	size_t maclen = 0;
	int ok;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    "SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	put_be(be_seq, (uint64_t)seq, 8);
	ok = ctx != NULL &&
	    EVP_MAC_init(ctx, key->data, key->len, params) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)chain_label,
	    sizeof(chain_label) - 1) == 1 &&
	    EVP_MAC_update(ctx, prev, AUDIT_MAC_BYTES) == 1 &&
	    EVP_MAC_update(ctx, be_seq, sizeof(be_seq)) == 1 &&
	    mac_text(ctx, at) && mac_text(ctx, ev->user_id) &&
	    mac_text(ctx, ev->workstation_id) && mac_text(ctx, ev->action) &&
	    mac_text(ctx, ev->object) && mac_text(ctx, ev->outcome) &&
	    EVP_MAC_final(ctx, mac, &maclen, AUDIT_MAC_BYTES) == 1 &&
	    maclen == AUDIT_MAC_BYTES;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(hmac);
	return ok ? 0 : SESSHU_ECRYPTO;
}

static int
check_event(const struct audit_event *ev, struct sesshu_err *err)
{
	const char *fields[] = { ev->user_id, ev->workstation_id, ev->action,
	    ev->object, ev->outcome };
	static const char *names[] = { "user", "workstation", "action", "object",
	    "outcome" };

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (fields[i] == NULL || fields[i][0] == '\0')
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "audit entry: %s is empty", names[i]);
		if (strlen(fields[i]) > AUDIT_FIELD_MAX)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "audit entry: %s is longer than %d bytes", names[i],
			    AUDIT_FIELD_MAX);
	}
	return 0;
}

/* Reads the head; a trail with no entries has seq 0 and a zero MAC. */
static int
read_head(struct store *st, int64_t *seq, unsigned char mac[AUDIT_MAC_BYTES],
    struct sesshu_err *err)
{
	static const char sql[] = "SELECT seq, mac FROM audit_head WHERE id = 1";
	sqlite3_stmt *stmt;
	int rc;

	*seq = 0;
	memset(mac, 0, AUDIT_MAC_BYTES);
	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_bytes(stmt, 1) != AUDIT_MAC_BYTES) {
			store_stmt_done(stmt);
			return sesshu_err_set(err, SESSHU_ETAMPER,
			    "the audit trail's head record is malformed");
		}
		*seq = sqlite3_column_int64(stmt, 0);
		memcpy(mac, sqlite3_column_blob(stmt, 1), AUDIT_MAC_BYTES);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(st, rc, "reading the audit head", err);
}

static int
insert_entry(struct store *st, const struct audit_event *ev, const char *at,
    struct sesshu_err *err)
{
	static const char insert_sql[] =
	    "INSERT INTO audit_log (seq, at, user_id, workstation_id, action,"
	    " object, outcome, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	static const char head_sql[] =
	    "INSERT OR REPLACE INTO audit_head (id, seq, mac) VALUES (1, ?, ?)";
	unsigned char prev[AUDIT_MAC_BYTES], mac[AUDIT_MAC_BYTES];
	sqlite3_stmt *stmt;
	int64_t seq;
	int rc;

	if ((rc = read_head(st, &seq, prev, err)) != 0)
		return rc;
	seq++;
	if (entry_mac(store_audit_key(st), prev, seq, at, ev, mac) != 0)
		return sesshu_err_set(err, SESSHU_ECRYPTO,
		    "cannot compute the audit entry's MAC");

	if ((rc = store_prepare(st, insert_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_int64(stmt, 1, seq);
	sqlite3_bind_text(stmt, 2, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, ev->user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, ev->workstation_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, ev->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, ev->object, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, ev->outcome, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 8, mac, AUDIT_MAC_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(st, rc, "appending to the audit trail", err)) != 0)
		return rc;

	if ((rc = store_prepare(st, head_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_int64(stmt, 1, seq);
	sqlite3_bind_blob(stmt, 2, mac, AUDIT_MAC_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	return store_check(st, rc, "advancing the audit head", err);
}

int
audit_append_at(struct store *st, const struct audit_event *ev, const char *at,
    struct sesshu_err *err)
{
	int own_txn, rc;

	if ((rc = check_event(ev, err)) != 0)
		return rc;
	if (store_is_poisoned(st))
		return sesshu_err_set(err, SESSHU_EREADONLY,
		    "%s is damaged; the audit entry was not written", store_path(st));
	own_txn = sqlite3_get_autocommit(store_db(st));
	if (own_txn && (rc = store_begin(st, err)) != 0)
		return rc;
	rc = insert_entry(st, ev, at, err);
	if (own_txn) {
		if (rc == 0)
			rc = store_commit(st, err);
		else
			store_rollback(st);
	}
	return rc;
}

int
audit_append(struct store *st, const struct audit_event *ev,
    struct sesshu_err *err)
{
	char at[32];

	store_now_utc(at, sizeof(at));
	return audit_append_at(st, ev, at, err);
}

static const char *
column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s != NULL ? (const char *)s : "";
}

int
audit_verify(struct store *st, struct audit_verify_result *result,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT seq, at, user_id, workstation_id, action, object, outcome, mac"
	    " FROM audit_log ORDER BY seq";
	unsigned char prev[AUDIT_MAC_BYTES], mac[AUDIT_MAC_BYTES];
	unsigned char head_mac[AUDIT_MAC_BYTES];
	struct audit_event ev;
	sqlite3_stmt *stmt;
	int64_t expected = 1, head_seq;
	int rc;

	result->entries = 0;
	result->first_bad = 0;
	if ((rc = read_head(st, &head_seq, head_mac, err)) != 0)
		return rc;
	memset(prev, 0, sizeof(prev));
	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(stmt, 0);

		if (seq != expected) {
			result->first_bad = expected;
			store_stmt_done(stmt);
			return sesshu_err_set(err, SESSHU_ETAMPER,
			    "audit entry %lld is missing (the next entry is %lld)",
			    (long long)expected, (long long)seq);
		}
		ev.user_id = column_text(stmt, 2);
		ev.workstation_id = column_text(stmt, 3);
		ev.action = column_text(stmt, 4);
		ev.object = column_text(stmt, 5);
		ev.outcome = column_text(stmt, 6);
		if (entry_mac(store_audit_key(st), prev, seq, column_text(stmt, 1),
		    &ev, mac) != 0) {
			store_stmt_done(stmt);
			return sesshu_err_set(err, SESSHU_ECRYPTO,
			    "cannot compute an audit entry's MAC");
		}
		if (sqlite3_column_bytes(stmt, 7) != AUDIT_MAC_BYTES ||
		    CRYPTO_memcmp(mac, sqlite3_column_blob(stmt, 7),
		    AUDIT_MAC_BYTES) != 0) {
			result->first_bad = seq;
			store_stmt_done(stmt);
			return sesshu_err_set(err, SESSHU_ETAMPER,
			    "audit entry %lld does not verify: it was altered, "
			    "or an entry before it was removed, inserted or moved",
			    (long long)seq);
		}
		memcpy(prev, mac, sizeof(prev));
		result->entries++;
		expected++;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(st, rc, "reading the audit trail", err)) != 0)
		return rc;
	if (head_seq != expected - 1 ||
	    CRYPTO_memcmp(head_mac, prev, AUDIT_MAC_BYTES) != 0) {
		result->first_bad = expected;
		return sesshu_err_set(err, SESSHU_ETAMPER,
		    "the audit trail ends at entry %lld but its head records "
		    "entry %lld: entries were cut off the end",
		    (long long)(expected - 1), (long long)head_seq);
	}
	return 0;
}
