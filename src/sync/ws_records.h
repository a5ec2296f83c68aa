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
#include "sync/account.h"

/*
 * Saves a new record (version 1) described by record (the columns of the
 * "record" kind; record_uuid, registered_at and entered_by are filled in
 * when absent). On success uuid (WIRE_UUID_STRLEN bytes, may be NULL)
 * receives the record's UUID.
 */
int	ws_record_save(struct ws_session *s, json_t *record, char *uuid,
	    struct sesshu_err *err);

#endif
