/*
 * entity.c: the synced kinds; see entity.h.
 *
 * Adding a column to a kind is one line here plus its migration: the SQL
 * of both sides is generated from these tables at first use.
 */
#include "sync/entity.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_row.h"
#include "core/resident_row.h"
#include "store/store.h"

/* Bounds in bytes: the import layouts' limits in characters, 4 bytes each. */
#define U8(chars)	(4 * (chars))
#define S(n, req, max)	{ n, WIRE_STRING, req, max }
#define I(n, req)	{ n, WIRE_INTEGER, req, 0 }
#define R(n)		{ n, WIRE_NUMBER, WIRE_OPTIONAL, 0 }

/* 宛名 (resident): the resident layout of docs/IMPORT.md, plus the search key. */
static const struct wire_field person_columns[] = {
	S("atena_no", 1, 10), S("name", 1, U8(CORE_RES_NAME_MAX)),
	S("name_kana", 1, U8(CORE_RES_NAME_KANA_MAX)),
	S("name_kana_search", 1, U8(CORE_RES_NAME_KANA_MAX)), I("sex", 1),
	S("birth_date", 1, 10), S("postal_code", 0, 8),
	S("address", 1, U8(CORE_RES_ADDRESS_MAX)),
	S("address_extra", 0, U8(CORE_RES_ADDRESS_EXTRA_MAX)),
	S("phone", 0, CORE_RES_PHONE_MAX), S("household_no", 0, 10),
	S("relationship", 0, U8(CORE_RES_RELATIONSHIP_MAX)), I("status", 1),
	S("resident_since", 0, 10), S("resident_until", 0, 10),
	S("leave_reason", 0, U8(CORE_RES_LEAVE_REASON_MAX)), I("foreigner", 1),
	S("real_name", 0, U8(CORE_RES_REAL_NAME_MAX)),
	S("alias_name", 0, U8(CORE_RES_ALIAS_NAME_MAX)),
	S("previous_address", 0, U8(CORE_RES_ADDRESS_MAX)),
	S("moved_to_address", 0, U8(CORE_RES_ADDRESS_MAX)),
	S("district_code", 0, CORE_RES_DISTRICT_MAX),
	WIRE_FIELDS_END
};

/* 接種記録: the current version of one record. */
static const struct wire_field record_columns[] = {
	S("record_uuid", 1, WIRE_UUID_LEN), I("version", 1), S("atena_no", 1, 10),
	S("vaccine_code", 1, 16), I("dose", 1), S("stage", 0, 16),
	S("category", 1, 1), S("vaccinated_on", 1, 10), I("age_years", 0),
	I("age_months", 0), S("institution_code", 1, 10),
	S("venue_code", 0, CORE_REC_CODE_MAX),
	S("screening_doctor", 0, U8(CORE_REC_DOCTOR_MAX)),
	S("vaccinating_doctor", 0, U8(CORE_REC_DOCTOR_MAX)),
	S("vaccine_name", 0, U8(CORE_REC_VACCINE_NAME_MAX)),
	S("maker_code", 0, U8(CORE_REC_MAKER_MAX)),	/* the maker's name, as imported */
	S("lot_no", 0, CORE_REC_LOT_NO_MAX), S("lot_expiry", 0, 10), R("amount_ml"),
	S("site", 0, U8(CORE_REC_SITE_MAX)), S("method", 0, U8(CORE_REC_METHOD_MAX)),
	I("screening_only", 1), S("screening_reason", 0, U8(CORE_REC_REASON_MAX)),
	S("unsuitable_code", 0, CORE_REC_CODE_MAX),
	S("fee_category", 0, CORE_REC_CODE_MAX), S("billing_month", 0, 7),
	I("other_municipality", 1), I("certificate_issued", 1),
	S("print_kind", 0, 16), S("printed_on", 0, 10), S("state", 1, 16),
	S("registration_kind", 1, 16), S("registered_at", 1, 32),
	S("entered_by", 0, 160), S("verified_by", 0, 160),
	S("batch_id", 0, WIRE_UUID_LEN), S("change_reason", 0, 512),
	S("legacy_id", 0, CORE_REC_LEGACY_ID_MAX),
	S("note", 0, U8(CORE_REC_NOTE_MAX)),
	WIRE_FIELDS_END
};

/* A user as workstations see one: never a verifier or a code. */
static const struct wire_field user_columns[] = {
	S("user_id", 1, 32), S("name", 1, 256), S("role", 1, 16),
	S("status", 1, 16), S("password_changed_at", 0, 32),
	I("must_change_password", 1),
	S("password_expires_at", 0, 32),	/* version 3 of both stores */
	WIRE_FIELDS_END
};

/* An enrolled print (store/entity_schema.c, version 2). */
#define PRINT_B64_MAX	(4 * ((64 * 1024 + 2) / 3))	/* a 64 KiB print */
static const struct wire_field fingerprint_columns[] = {
	S("print_id", 1, 160), S("user_id", 1, 32), I("finger", 1),
	S("driver", 1, 64), S("print_data", 1, PRINT_B64_MAX),
	S("enrolled_at", 1, 32), S("enrolled_on", 1, 64),
	WIRE_FIELDS_END
};

/* 予診票の綴り (store/entity_schema.c, version 4). */
static const struct wire_field batch_columns[] = {
	S("batch_id", 1, WIRE_UUID_LEN), S("institution_code", 1, 10),
	S("billing_month", 1, 7), I("claimed_count", 1), S("received_on", 0, 10),
	S("state", 1, 16), S("opened_by", 1, 32), S("opened_at", 1, 32),
	S("closed_at", 0, 32), S("closed_by", 0, 32),
	WIRE_FIELDS_END
};

/* Master data, sent by the register only (the files in forms/master). */
static const struct wire_field vaccine_columns[] = {
	S("code", 1, 16), S("name_ja", 1, U8(64)), S("name_en", 1, 128),
	S("diseases", 0, U8(128)), S("category", 0, 1),
	WIRE_FIELDS_END
};
static const struct wire_field manufacturer_columns[] = {
	S("code", 1, 16), S("name_ja", 1, U8(64)), S("name_en", 0, 128),
	WIRE_FIELDS_END
};
static const struct wire_field lot_columns[] = {
	S("lot_no", 1, CORE_REC_LOT_NO_MAX), S("vaccine_code", 1, 16),
	S("maker_code", 1, 16), S("expiry", 1, 10),
	WIRE_FIELDS_END
};
static const struct wire_field institution_columns[] = {
	S("code", 1, 10), S("name", 1, U8(64)), S("name_kana", 0, U8(64)),
	S("address", 0, U8(CORE_RES_ADDRESS_MAX)), I("in_city", 1),
	WIRE_FIELDS_END
};
static const struct wire_field doctor_columns[] = {
	S("code", 1, 32), S("name", 1, U8(64)), S("name_kana", 0, U8(64)),
	S("institution_code", 0, 10),
	WIRE_FIELDS_END
};
static const struct wire_field fee_category_columns[] = {
	S("code", 1, CORE_REC_CODE_MAX), S("name", 1, U8(64)), I("amount_yen", 0),
	WIRE_FIELDS_END
};

/* An item of the review queue (store/entity_schema.c, version 4). */
static const struct wire_field review_columns[] = {
	S("uuid", 1, WIRE_UUID_LEN), S("kind", 1, 16), S("workstation_id", 1, 64),
	S("change_kind", 1, 16), S("payload", 1, 256 * 1024),
	S("reason", 1, 512), S("created_at", 1, 32), S("decided_by", 0, 32),
	S("decided_at", 0, 32), S("decision", 0, 16),
	S("decision_reason", 0, U8(200)),
	WIRE_FIELDS_END
};

static struct entity_kind kinds[] = {
	{ "person", "persons", "atena_no", NULL, person_columns,
	  NULL, NULL, NULL, NULL },
	{ "record", "vaccination_records", "record_uuid", "is_current = 1",
	  record_columns, NULL, NULL, NULL, NULL },
	{ "user", "users", "user_id", NULL, user_columns, NULL, NULL, NULL, NULL },
	{ "fingerprint", "fingerprints", "print_id", NULL, fingerprint_columns,
	  NULL, NULL, NULL, NULL },
	{ "batch", "batches", "batch_id", NULL, batch_columns,
	  NULL, NULL, NULL, NULL },
	{ "vaccine", "vaccines", "code", NULL, vaccine_columns,
	  NULL, NULL, NULL, NULL },
	{ "manufacturer", "manufacturers", "code", NULL, manufacturer_columns,
	  NULL, NULL, NULL, NULL },
	{ "lot", "lots", "lot_no", NULL, lot_columns, NULL, NULL, NULL, NULL },
	{ "institution", "medical_institutions", "code", NULL,
	  institution_columns, NULL, NULL, NULL, NULL },
	{ "doctor", "doctors", "code", NULL, doctor_columns,
	  NULL, NULL, NULL, NULL },
	{ "fee_category", "fee_categories", "code", NULL, fee_category_columns,
	  NULL, NULL, NULL, NULL },
	{ "review", "review_queue", "uuid", NULL, review_columns,
	  NULL, NULL, NULL, NULL },
};

static pthread_once_t built = PTHREAD_ONCE_INIT;

size_t
entity_ncolumns(const struct entity_kind *k)
{
	size_t n = 0;

	while (k->columns[n].name != NULL)
		n++;
	return n;
}

/* Appends printf output to a growing string; aborts only on OOM. */
static void append(char **s, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
append(char **s, size_t *len, const char *fmt, ...)
{
	char piece[256];
	va_list ap;
	int m;

	va_start(ap, fmt);
	m = vsnprintf(piece, sizeof(piece), fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= sizeof(piece) ||
	    (*s = realloc(*s, *len + (size_t)m + 1)) == NULL)
		abort();
	memcpy(*s + *len, piece, (size_t)m + 1);
	*len += (size_t)m;
}

static void
build_sql(void)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct entity_kind *k = &kinds[i];
		size_t n = entity_ncolumns(k), sl = 0, ul = 0, il = 0, dl = 0;
		char *sel = NULL, *upd = NULL, *ins = NULL, *del = NULL;

		append(&sel, &sl, "SELECT");
		append(&upd, &ul, "UPDATE %s SET", k->table);
		append(&ins, &il, "INSERT INTO %s (", k->table);
		for (size_t c = 0; c < n; c++) {
			const char *sep = c == 0 ? "" : ",";

			append(&sel, &sl, "%s %s", sep, k->columns[c].name);
			append(&upd, &ul, "%s %s = ?%zu", sep, k->columns[c].name, c + 1);
			append(&ins, &il, "%s%s", sep, k->columns[c].name);
		}
		append(&sel, &sl, " FROM %s WHERE %s = ?1", k->table, k->key);
		if (k->register_filter != NULL)
			append(&sel, &sl, " AND %s", k->register_filter);
		append(&upd, &ul, " WHERE %s = ?1", k->key);
		append(&ins, &il, ") VALUES (");
		for (size_t c = 0; c < n; c++)
			append(&ins, &il, "%s?%zu", c == 0 ? "" : ",", c + 1);
		append(&ins, &il, ")");
		append(&del, &dl, "DELETE FROM %s WHERE %s = ?1", k->table, k->key);
		k->select_sql = sel;
		k->update_sql = upd;
		k->insert_sql = ins;
		k->delete_sql = del;
	}
}

const struct entity_kind *
entity_find(const char *kind)
{
	pthread_once(&built, build_sql);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

json_t *
entity_row_to_json(const struct entity_kind *k, sqlite3_stmt *row)
{
	json_t *obj = json_object();

	for (int c = 0; obj != NULL && k->columns[c].name != NULL; c++) {
		json_t *v;

		if (sqlite3_column_type(row, c) == SQLITE_NULL)
			continue;
		switch (k->columns[c].type) {
		case WIRE_INTEGER:
			v = json_integer(sqlite3_column_int64(row, c));
			break;
		case WIRE_NUMBER:
			v = json_real(sqlite3_column_double(row, c));
			break;
		default:
			v = json_string((const char *)sqlite3_column_text(row, c));
			break;
		}
		if (v == NULL || json_object_set_new(obj, k->columns[c].name, v) != 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

int
entity_check(const struct entity_kind *k, const json_t *data, const char *path,
    struct sesshu_err *err)
{
	return wire_check_object(data, k->columns, path, err);
}

void
entity_bind(const struct entity_kind *k, sqlite3_stmt *stmt, const json_t *data)
{
	for (int c = 0; k->columns[c].name != NULL; c++) {
		const json_t *v = json_object_get(data, k->columns[c].name);

		if (v == NULL || json_is_null(v))
			sqlite3_bind_null(stmt, c + 1);
		else if (json_is_integer(v))
			sqlite3_bind_int64(stmt, c + 1, json_integer_value(v));
		else if (json_is_real(v))
			sqlite3_bind_double(stmt, c + 1, json_real_value(v));
		else
			sqlite3_bind_text(stmt, c + 1, json_string_value(v), -1,
			    SQLITE_TRANSIENT);
	}
}
static int
write_row(struct store *st, const struct entity_kind *k, const char *sql,
    const json_t *data, int *changed, struct sesshu_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	entity_bind(k, stmt, data);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	*changed = sqlite3_changes(store_db(st));
	return store_check(st, rc, k->table, err);
}

int
entity_upsert(struct store *st, const struct entity_kind *k, const json_t *data,
    struct sesshu_err *err)
{
	int rc, changed;

	if ((rc = write_row(st, k, k->update_sql, data, &changed, err)) != 0)
		return rc;
	if (changed == 0)
		rc = write_row(st, k, k->insert_sql, data, &changed, err);
	return rc;
}
#undef U8
#undef S
#undef I
#undef R
