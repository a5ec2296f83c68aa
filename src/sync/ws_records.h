/*
 * ws_records.h: saving a vaccination record on a workstation: the record,
 * its outbox entry and its audit entry in one transaction (STYLE.md, SQL),
 * so a record is never stored without being queued for the register, nor
 * queued without being stored. The entry screens call this; so do tests.
 * Never logs the record: it is personal data.
 */
#ifndef SESSHU_SYNC_WS_RECORDS_H
#define SESSHU_SYNC_WS_RECORDS_H

#include <jansson.h>

#include "core/err.h"
#include "auth/ws_settings.h"
#include "sync/account.h"

/*
 * Saves a new record (version 1) described by record (the columns of the
 * "record" kind; record_uuid, registered_at and entered_by are filled in
 * when absent). On success uuid (WIRE_UUID_STRLEN bytes, may be NULL)
 * receives the record's UUID.
 */
int	ws_record_save(struct ws_session *s, json_t *record, char *uuid,
	    struct sesshu_err *err);

/*
 * The same, for a dose the clerk confirmed although the same dose is
 * recorded already (core/check.h, CONFIRM): the push says so, and the
 * register stores it and queues the pair for a supervisor instead of
 * refusing it as a conflict. The audit entry says "ok: duplicate
 * confirmed".
 */
int	ws_record_save_confirmed(struct ws_session *s, json_t *record,
	    int duplicate_confirmed, char *uuid, struct sesshu_err *err);

/*
 * What a new version of a record does (DOMAIN §3.2-3.3): nothing is ever
 * overwritten; each is a version with the reason, pushed with the version
 * it is based on so that the register sees a conflict (ARCHITECTURE §4).
 */
enum ws_revision {
	WS_REVISE_VERIFY,	/* re-keyed by a second person; changes may correct it */
	WS_REVISE_CORRECT,	/* 職権修正: changes with a reason */
	WS_REVISE_VOID,		/* 取消: state voided with a reason */
};

/*
 * Writes version n+1 of the record: the current version with changes
 * (members as in ws_record_save; may be NULL) applied, and for a
 * verification state "verified" and verified_by the user. Refused with
 * SESSHU_EDENIED: verifying one's own entry (004 L197), a correction or
 * void without a reason, and revising a voided record. A record of a
 * closed batch may still be corrected or voided (職権修正). Audited as record.verify, record.correct, record.void.
 */
int	ws_record_revise(struct ws_session *s, const char *record_uuid,
	    enum ws_revision what, const json_t *changes, const char *reason,
	    struct sesshu_err *err);

/*
 * The same new version, sent to the register as a request for a
 * supervisor's approval (DOMAIN §3.3) instead of being written: the
 * record stays as it is until the approved version comes back by pull.
 * CORRECT and VOID only. Audited with the outcome "requested".
 */
int	ws_record_request(struct ws_session *s, const char *record_uuid,
	    enum ws_revision what, const json_t *changes, const char *reason,
	    struct sesshu_err *err);

/*
 * Whether a correction or void of the record needs a supervisor's
 * approval under the setting [entry] correction_approval: "synced" asks
 * for it once the register has acknowledged the record (it is no longer
 * in the outbox), "always" and "never" say it.
 */
int	ws_record_needs_approval(struct ws_session *s, const char *record_uuid,
	    enum ws_approval setting);

/*
 * Drafts: an unsaved sheet kept for its owner in the encrypted cache, so
 * that nothing typed is lost if the program or the machine dies. slot
 * names the screen ("entry"); one draft per user and slot. Saving
 * replaces it; load gives *payload NULL when there is none.
 */
int	ws_draft_save(struct ws_session *s, const char *slot,
	    const json_t *payload, struct sesshu_err *err);
int	ws_draft_load(struct ws_session *s, const char *slot, json_t **payload,
	    struct sesshu_err *err);
int	ws_draft_discard(struct ws_session *s, const char *slot,
	    struct sesshu_err *err);

#endif
