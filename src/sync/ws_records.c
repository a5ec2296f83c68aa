/* ws_records.c: see ws_records.h. */
#include "sync/ws_records.h"

#include <stdio.h>
#include <string.h>

#include "sync/entity.h"
#include "sync/replicate.h"
#include "sync/wire.h"

static int
fill_defaults(struct ws_session *s, json_t *record, struct sesshu_err *err)
{
	char uuid[WIRE_UUID_STRLEN], now[STORE_TIME_LEN];
	int rc;

	if (json_object_get(record, "record_uuid") == NULL) {
		if ((rc = wire_uuid_v4(uuid, err)) != 0)
			return rc;
		json_object_set_new(record, "record_uuid", json_string(uuid));
	}
	if (json_object_get(record, "version") == NULL)
		json_object_set_new(record, "version", json_integer(1));
	if (json_object_get(record, "registered_at") == NULL) {
		store_now_utc(now, sizeof(now));
		json_object_set_new(record, "registered_at", json_string(now));
	}
	if (json_object_get(record, "entered_by") == NULL)
		json_object_set_new(record, "entered_by", json_string(s->user_id));
	if (json_object_get(record, "state") == NULL)
		json_object_set_new(record, "state", json_string("entered"));
	if (json_object_get(record, "registration_kind") == NULL)
		json_object_set_new(record, "registration_kind", json_string("keyed"));
	return 0;
}

int
ws_record_save(struct ws_session *s, json_t *record, char *uuid,
    struct sesshu_err *err)
{
	const struct entity_kind *k = entity_find("record");
	char object[64];
	json_t *change;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = fill_defaults(s, record, err)) != 0 ||
	    (rc = entity_check(k, record, "record", err)) != 0)
		return rc;
	if ((change = json_pack("{s:O}", "record", record)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	snprintf(object, sizeof(object), "person:%s",
	    json_string_value(json_object_get(record, "atena_no")));
	if ((rc = store_begin(s->st, err)) != 0)
		goto out;
	if ((rc = store_prepare(s->st, k->insert_sql, &stmt, err)) == 0) {
		entity_bind(k, stmt, record);
		rc = sqlite3_step(stmt);
		store_stmt_done(stmt);
		rc = store_check(s->st, rc, "saving a record", err);
	}
	if (rc == 0)
		rc = ws_outbox_add(s->st, "record", change, err);
	if (rc == 0)
		rc = ws_audit(s, "record.save", object, "ok", err);
	if (rc == 0)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
	if (rc == 0 && uuid != NULL)
		snprintf(uuid, WIRE_UUID_STRLEN, "%s",
		    json_string_value(json_object_get(record, "record_uuid")));
out:
	json_decref(change);
	return rc;
}
