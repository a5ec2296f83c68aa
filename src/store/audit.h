/*
 * audit.h: the tamper-evident audit trail (C4).
 *
 * Each entry records when, who, on which workstation, what action, on what
 * object, and with what outcome. Entries are append-only: this module never
 * updates or deletes one, and triggers stop plain SQL from doing so. Each
 * entry carries HMAC-SHA256(K_audit, previous MAC || entry), K_audit being
 * derived from the store's master key with HKDF, so an entry altered,
 * removed, inserted or moved breaks the chain at that position; the head
 * (last sequence and MAC) is kept too, so cutting entries off the end is
 * also seen. The trail may name a person (宛名番号) as the object of a view:
 * that is its purpose. It never holds a secret.
 */
#ifndef SESSHU_STORE_AUDIT_H
#define SESSHU_STORE_AUDIT_H

#include <stdint.h>

#include "auth/secmem.h"
#include "core/err.h"

struct store;

#define AUDIT_MAC_BYTES		32
#define AUDIT_FIELD_MAX		512	/* bytes, per text field */

struct audit_event {
	const char	*user_id;	/* "-" before anyone has logged in */
	const char	*workstation_id;
	const char	*action;	/* e.g. "login", "person.view", "record.save" */
	const char	*object;	/* e.g. "person:0123456789", "-" for none */
	const char	*outcome;	/* "ok", or "refused: <reason>" */
};

/* The tables and triggers of the trail, for each store schema's migration 1. */
extern const char audit_schema_sql[];

/* K_audit = HKDF-SHA256(master key, salt "sesshu", info "sesshu audit chain v1"). */
int	audit_derive_key(const struct secbuf *master_key, struct secbuf *out,
	    struct sesshu_err *err);

/*
 * Appends one entry stamped with the current UTC time. Inside the caller's
 * transaction when one is open (so a change and its audit entry commit
 * together), else in a transaction of its own.
 */
int	audit_append(struct store *st, const struct audit_event *ev,
	    struct sesshu_err *err);

/* As audit_append with an explicit timestamp (ISO 8601 UTC). */
int	audit_append_at(struct store *st, const struct audit_event *ev,
	    const char *at, struct sesshu_err *err);

struct audit_verify_result {
	int64_t	entries;	/* entries that verified */
	int64_t	first_bad;	/* sequence number of the first bad entry, or 0 */
};

/*
 * Walks the whole chain. Returns 0 when it verifies; SESSHU_ETAMPER with
 * result->first_bad and a message naming the entry and the kind of break.
 */
int	audit_verify(struct store *st, struct audit_verify_result *result,
	    struct sesshu_err *err);

#endif
