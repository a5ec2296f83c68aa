/* ws_prints.c: see ws_prints.h. */
#include "sync/ws_prints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sync/entity.h"
#include "sync/replicate.h"
#include "sync/wire.h"

#define PRINT_MAX	(64 * 1024)

int
ws_fingerprint_save(struct ws_session *s, const char *user_id,
    enum fingerprint_finger finger, const char *driver,
    const struct fingerprint_blob *print, struct sesshu_err *err)
{
	static const char forget_sql[] = "DELETE FROM sync_state WHERE key = ?";
	char print_id[200], now[STORE_TIME_LEN], object[64], key[64], *b64;
	json_t *fp = NULL, *change = NULL;
	size_t b64size;
	int rc;

	if (print->len == 0 || print->len > PRINT_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE, "a print must be 1 to %d "
		    "bytes", PRINT_MAX);
	b64size = WIRE_B64_ENCODED_SIZE(print->len);
	if ((b64 = malloc(b64size)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	if ((rc = wire_b64_encode(print->data, print->len, b64, b64size, err)) != 0)
		goto out;
	snprintf(print_id, sizeof(print_id), "%s:%d:%s", user_id, (int)finger,
	    driver);
	store_now_utc(now, sizeof(now));
	fp = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "print_id", print_id,
	    "user_id", user_id, "finger", (int)finger, "driver", driver,
	    "print_data", b64, "enrolled_at", now, "enrolled_on",
	    s->cfg.workstation_id);
	if (fp == NULL || (change = json_pack("{s:O}", "fingerprint", fp)) == NULL) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(object, sizeof(object), "user:%s", user_id);
	if ((rc = entity_check(entity_find("fingerprint"), fp, "fingerprint",
	    err)) != 0 || (rc = store_begin(s->st, err)) != 0)
		goto out;
	ws_enrollment_key(user_id, key, sizeof(key));
	if ((rc = entity_upsert(s->st, entity_find("fingerprint"), fp, err)) == 0 &&
	    /* The permission to enroll is used up (account.h). */
	    (rc = store_run_text(s->st, forget_sql, key, NULL,
	    "using up an enrollment", err)) == 0 &&
	    (rc = ws_outbox_add(s->st, "fingerprint", change, err)) == 0 &&
	    (rc = ws_audit(s, "fingerprint.enroll", object, "ok", err)) == 0)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
out:
	OPENSSL_cleanse(b64, b64size);
	free(b64);
	json_decref(change);
	json_decref(fp);
	return rc;
}

int
ws_fingerprints_load(struct ws_session *s, const char *user_id,
    const char *driver, struct fingerprint_blob **out, size_t *n,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT print_data FROM fingerprints WHERE user_id = ? AND driver = ?"
	    " ORDER BY finger";
	struct fingerprint_blob *v = NULL;
	size_t count = 0, len;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, driver, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *b64 = (const char *)sqlite3_column_text(stmt, 0);
		struct fingerprint_blob *grown;
		unsigned char *raw;

		if ((grown = realloc(v, (count + 1) * sizeof(*v))) == NULL ||
		    (raw = malloc(PRINT_MAX)) == NULL) {
			v = grown != NULL ? grown : v;
			rc = SQLITE_NOMEM;
			break;
		}
		v = grown;
		if (wire_b64_decode(b64, strlen(b64), raw, PRINT_MAX, &len,
		    "print_data", err) != 0) {
			free(raw);
			rc = SQLITE_CORRUPT;
			break;
		}
		v[count].data = raw;
		v[count].len = len;
		count++;
	}
	store_stmt_done(stmt);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < count; i++)
			fingerprint_blob_clear(&v[i]);
		free(v);
		if (rc == SQLITE_CORRUPT)
			return SESSHU_EFORMAT;
		return rc == SQLITE_NOMEM ? sesshu_err_set(err, SESSHU_ENOMEM,
		    "out of memory") : store_check(s->st, rc, "reading prints", err);
	}
	*out = v;
	*n = count;
	return 0;
}
