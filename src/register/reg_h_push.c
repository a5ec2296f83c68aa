/*
 * reg_h_push.c: the push endpoint: a batch of a workstation's changes,
 * applied in one transaction, idempotently (docs/PROTOCOL.md, push).
 *
 * Every change's result is stored under its UUID in the same transaction
 * as the change, so a batch sent again (the client died before it saw the
 * answer) gets the stored results back as "duplicate" and applies nothing
 * twice; and a register killed mid-batch has committed none of it.
 * Conflicts and rejections are kept in the review queue for a supervisor,
 * never resolved silently (ARCHITECTURE §4).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "core/batch.h"
#include "core/date.h"
#include "core/permission.h"
#include "core/vaccine.h"
#include "register/reg_review.h"
#include "register/reg_service.h"
#include "store/batch_store.h"
#include "store/store.h"
#include "sync/entity.h"
#include "sync/failpoint.h"
#include "sync/wire.h"

enum push_status { PUSH_APPLIED, PUSH_CONFLICT, PUSH_REJECTED };

static const char *const push_status_names[] = { "applied", "conflict", "rejected" };

/* An applied change a supervisor should still look at (review queue kind). */
#define REVIEW_DUPLICATE	"duplicate"
#define REVIEW_CORRECTION	"correction"

struct push_result {
	enum push_status	status;
	int64_t			seq;
	char			message[256];
	const char		*review;	/* queue it anyway: REVIEW_* */
};

static const struct wire_field push_fields[] = {
	{ "municipality", WIRE_STRING, WIRE_REQUIRED, 6 },
	{ "changes", WIRE_ARRAY, WIRE_REQUIRED, 0 },
	WIRE_FIELDS_END
};

static const struct wire_field change_fields[] = {
	{ "uuid", WIRE_STRING, WIRE_REQUIRED, WIRE_UUID_LEN },
	{ "kind", WIRE_STRING, WIRE_REQUIRED, 16 },
	{ "record", WIRE_OBJECT, WIRE_OPTIONAL, 0 },
	{ "fingerprint", WIRE_OBJECT, WIRE_OPTIONAL, 0 },
	{ "batch", WIRE_OBJECT, WIRE_OPTIONAL, 0 },
	{ "correction", WIRE_OBJECT, WIRE_OPTIONAL, 0 },
	{ "review", WIRE_OBJECT, WIRE_OPTIONAL, 0 },
	{ "base_version", WIRE_INTEGER, WIRE_OPTIONAL, 0 },
	{ "duplicate_confirmed", WIRE_BOOLEAN, WIRE_OPTIONAL, 0 },
	WIRE_FIELDS_END
};

static int apply_record(struct reg *, const json_t *, struct push_result *,
    struct sesshu_err *);
static int apply_fingerprint(struct reg *, const json_t *, struct push_result *,
    struct sesshu_err *);
static int apply_questionnaire_batch(struct reg *, const json_t *,
    struct push_result *, struct sesshu_err *);
static int apply_correction_request(struct reg *, const json_t *,
    struct push_result *, struct sesshu_err *);
static int apply_review_decision(struct reg *, const json_t *,
    struct push_result *, struct sesshu_err *);

/*
 * The kinds a push may carry: each change holds its data in the member
 * named like its kind, checked against the entity table of that kind.
 */
static const struct push_kind {
	const char	*kind;
	const char	*entity;	/* the entity kind its data is checked as */
	int		 (*apply)(struct reg *, const json_t *change,
			    struct push_result *, struct sesshu_err *);
} push_kinds[] = {
	{ "record",		"record",	apply_record },
	{ "fingerprint",	"fingerprint",	apply_fingerprint },
	{ "batch",		"batch",	apply_questionnaire_batch },
	{ "correction",		"record",	apply_correction_request },
	{ "review",		"review",	apply_review_decision },
};

static const struct push_kind *
push_kind_find(const char *kind)
{
	for (size_t i = 0; i < sizeof(push_kinds) / sizeof(push_kinds[0]); i++)
		if (strcmp(push_kinds[i].kind, kind) == 0)
			return &push_kinds[i];
	return NULL;
}

/* Structure of the whole batch, before anything is applied: 400 if bad. */
static int
check_batch(json_t *body, json_t **changes, struct sesshu_err *err)
{
	char path[WIRE_PATH_MAX], sub[WIRE_PATH_MAX];
	const char *uuid, *kind;
	size_t i, len;
	json_t *c;
	int rc;

	if ((rc = wire_check_object(body, push_fields, NULL, err)) != 0)
		return rc;
	*changes = json_object_get(body, "changes");
	if (json_array_size(*changes) > REG_PUSH_MAX_CHANGES)
		return sesshu_err_set(err, SESSHU_ERANGE, "changes: %zu changes; at "
		    "most %d in one push", json_array_size(*changes),
		    REG_PUSH_MAX_CHANGES);
	json_array_foreach(*changes, i, c) {
		wire_path_index(path, sizeof(path), "changes", i);
		if ((rc = wire_check_object(c, change_fields, path, err)) != 0)
			return rc;
		wire_get_string(c, path, "uuid", WIRE_UUID_LEN, &uuid, &len, NULL);
		wire_path_member(sub, sizeof(sub), path, "uuid");
		if ((rc = wire_uuid_check(uuid, len, sub, err)) != 0)
			return rc;
		wire_get_string(c, path, "kind", 16, &kind, NULL, NULL);
		if (push_kind_find(kind) == NULL)
			return sesshu_err_set(err, SESSHU_EFORMAT, "%s.kind: unknown "
			    "kind (this register knows record, fingerprint, batch, correction "
			    "and review)", path);
		wire_path_member(sub, sizeof(sub), path, kind);
		if (json_object_get(c, kind) == NULL)
			return sesshu_err_set(err, SESSHU_EFORMAT, "%s: required", sub);
		if ((rc = entity_check(entity_find(push_kind_find(kind)->entity),
		    json_object_get(c, kind), sub, err)) != 0)
			return rc;
	}
	return 0;
}

static const char *
str(const json_t *obj, const char *name)
{
	const char *s = json_string_value(json_object_get(obj, name));

	return s != NULL ? s : "";
}

/*
 * A sheet's record names a batch of the register's, open when the sheet
 * is new, and a verified version was verified by someone other than its
 * enterer (004 L197).
 */
static int
record_fits_batch(struct reg *reg, const json_t *rec, char *why, size_t size)
{
	const char *batch = str(rec, "batch_id");
	enum core_batch_state state;

	if (strcmp(str(rec, "state"), "verified") == 0 &&
	    (str(rec, "verified_by")[0] == '\0' ||
	    strcmp(str(rec, "verified_by"), str(rec, "entered_by")) == 0))
		return snprintf(why, size, "verified_by: a record is verified by "
		    "someone other than the user who entered it"), 0;
	if (batch[0] == '\0')
		return 1;
	if (store_batch_state(reg->st, batch, &state, NULL, NULL) != 0)
		return snprintf(why, size, "batch_id: no such batch in the "
		    "register"), 0;
	/* A closed batch takes no new sheet; corrections of its sheets go on. */
	if (!core_batch_accepts_sheets(state) &&
	    json_integer_value(json_object_get(rec, "version")) == 1)
		return snprintf(why, size, "batch_id: the batch is closed"), 0;
	return 1;
}

/* The domain rules a record must meet to be stored; reason on failure. */
static int
record_is_acceptable(struct reg *reg, const json_t *rec, char *why, size_t size)
{
	static const char person_sql[] =
	    "SELECT birth_date FROM persons WHERE atena_no = ?";
	const char *vaccinated = str(rec, "vaccinated_on"), *expiry;
	struct core_date on, birth, exp, today;
	struct sesshu_err err = { 0 };
	sqlite3_stmt *stmt;
	time_t now = time(NULL) + 86400;	/* a day of slack for time zones */
	struct tm tm;
	int rc, found = 0;

	if (wire_uuid_check(str(rec, "record_uuid"), strlen(str(rec, "record_uuid")),
	    "record_uuid", &err) != 0)
		return snprintf(why, size, "%.200s", err.msg), 0;
	if (core_vaccine_find(str(rec, "vaccine_code"),
	    strlen(str(rec, "vaccine_code"))) == NULL)
		return snprintf(why, size, "vaccine_code: unknown vaccine"), 0;
	if (core_date_parse(vaccinated, strlen(vaccinated), &on, &err) != 0)
		return snprintf(why, size, "vaccinated_on: %.200s", err.msg), 0;
	gmtime_r(&now, &tm);
	today.y = tm.tm_year + 1900;
	today.m = tm.tm_mon + 1;
	today.d = tm.tm_mday;
	if (core_date_cmp(&on, &today) > 0)
		return snprintf(why, size, "vaccinated_on: in the future"), 0;
	if (store_prepare(reg->st, person_sql, &stmt, NULL) != 0)
		return snprintf(why, size, "the register could not read persons"), 0;
	sqlite3_bind_text(stmt, 1, str(rec, "atena_no"), -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *b = (const char *)sqlite3_column_text(stmt, 0);

		found = core_date_parse(b, strlen(b), &birth, NULL) == 0;
	}
	store_stmt_done(stmt);
	if (!found)
		return snprintf(why, size, "atena_no: no such person in the register"), 0;
	if (core_date_cmp(&on, &birth) < 0)
		return snprintf(why, size, "vaccinated_on: before the birth date"), 0;
	if (json_integer_value(json_object_get(rec, "screening_only")) == 1) {
		if (json_object_get(rec, "lot_no") != NULL)
			return snprintf(why, size, "lot_no: 予診のみ records no lot"), 0;
		if (str(rec, "screening_reason")[0] == '\0')
			return snprintf(why, size, "screening_reason: 予診のみ needs a "
			    "reason"), 0;
	} else if ((expiry = str(rec, "lot_expiry"))[0] != '\0') {
		if (core_date_parse(expiry, strlen(expiry), &exp, &err) != 0)
			return snprintf(why, size, "lot_expiry: %.200s", err.msg), 0;
		if (core_date_cmp(&exp, &on) < 0)
			return snprintf(why, size, "lot_expiry: the lot had expired "
			    "before vaccinated_on"), 0;
	}
	return record_fits_batch(reg, rec, why, size);
}

/*
 * What a later version may not change on its own: the batch of the
 * sheet, and (without the same-dose check) which dose it is. Fills the
 * current version's batch and whether vaccine, stage or dose differ.
 */
static int
current_sheet(struct reg *reg, const json_t *rec, char *batch, size_t size,
    int *dose_changed, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT coalesce(batch_id, ''), vaccine_code, dose, coalesce(stage, ''),"
	    " atena_no = ?2, coalesce(entered_by, '') = ?3"
	    " FROM vaccination_records WHERE record_uuid = ?1 AND is_current = 1";
	sqlite3_stmt *stmt;
	int rc;

	batch[0] = '\0';
	*dose_changed = 0;
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, str(rec, "record_uuid"), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, str(rec, "atena_no"), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, str(rec, "entered_by"), -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		/*
		 * A sheet never changes hands, and a verification keeps the
		 * author of what it verifies: either is as if it moved batch.
		 */
		int moved = !sqlite3_column_int(stmt, 4) ||
		    (strcmp(str(rec, "state"), "verified") == 0 &&
		    !sqlite3_column_int(stmt, 5));

		snprintf(batch, size, "%s", moved ? "(moved)" :
		    (const char *)sqlite3_column_text(stmt, 0));
		*dose_changed = strcmp((const char *)sqlite3_column_text(stmt, 1),
		    str(rec, "vaccine_code")) != 0 ||
		    sqlite3_column_int64(stmt, 2) !=
		    json_integer_value(json_object_get(rec, "dose")) ||
		    strcmp((const char *)sqlite3_column_text(stmt, 3),
		    str(rec, "stage")) != 0;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(reg->st, rc, "reading a record's sheet", err);
}

/*
 * C6: the author of a version had the right for it: whoever entered a
 * new sheet may enter, whoever corrected or voided may correct, whoever
 * verified may verify (core/permission.h), and is an active user here.
 */
static int
author_may(struct reg *reg, const json_t *rec, sqlite3_int64 version,
    char *why, size_t size)
{
	static const char sql[] =
	    "SELECT role FROM users WHERE user_id = ? AND status = 'active'";
	int verifying = strcmp(str(rec, "state"), "verified") == 0;
	const char *who = str(rec, verifying ? "verified_by" : "entered_by");
	enum core_perm perm = verifying ? CORE_PERM_VERIFY : version == 1 ?
	    CORE_PERM_ENTRY : CORE_PERM_CORRECT;
	sqlite3_stmt *stmt;
	int may = 0;

	/* A sheet is born entered; verifying is another person's later act. */
	if (version == 1 && strcmp(str(rec, "state"), "entered") != 0)
		return snprintf(why, size, "state: a new record is entered, not "
		    "%.16s", str(rec, "state")), 0;
	if (store_prepare(reg->st, sql, &stmt, NULL) != 0)
		return snprintf(why, size, "the register could not read users"), 0;
	sqlite3_bind_text(stmt, 1, who, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		may = core_role_may((const char *)sqlite3_column_text(stmt, 0),
		    perm) ? 1 : -1;
	store_stmt_done(stmt);
	if (may == 0)
		return snprintf(why, size, "%s: %.32s is not an active user of "
		    "the register", verifying ? "verified_by" : "entered_by", who),
		    0;
	if (may < 0)
		return snprintf(why, size, "%s: the role of %.32s may not %s",
		    verifying ? "verified_by" : "entered_by", who,
		    core_perm_name(perm)), 0;
	return 1;
}

/* The current version of a record, or 0 when the register has none. */
static int
current_version(struct reg *reg, const char *uuid, sqlite3_int64 *version,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT version FROM vaccination_records WHERE record_uuid = ?"
	    " AND is_current = 1";
	sqlite3_stmt *stmt;
	int rc;

	*version = 0;
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*version = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(reg->st, rc, "reading a record's version", err);
}

/* Another current, unvoided record of the same dose, if any, into other. */
static int
same_dose_recorded(struct reg *reg, const json_t *rec, char *other, size_t size,
    struct sesshu_err *err)
{
	/*
	 * The same vaccine, stage and dose; for a seasonal vaccine also the
	 * same fiscal year (April-March: the year of the day 3 months
	 * earlier), since its dose 1 recurs every season.
	 */
	static const char sql[] =
	    "SELECT record_uuid FROM vaccination_records WHERE atena_no = ?1"
	    " AND vaccine_code = ?2 AND dose = ?3 AND is_current = 1"
	    " AND state != 'voided' AND screening_only = 0 AND record_uuid != ?4"
	    " AND coalesce(stage, '') = ?5"
	    " AND (?6 = 0 OR strftime('%Y', vaccinated_on, '-3 months') ="
	    "  strftime('%Y', ?7, '-3 months'))";
	const struct core_vaccine *v = core_vaccine_find(str(rec, "vaccine_code"),
	    strlen(str(rec, "vaccine_code")));
	sqlite3_stmt *stmt;
	int rc, found = 0;

	other[0] = '\0';
	if (json_integer_value(json_object_get(rec, "screening_only")) == 1)
		return 0;
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, str(rec, "atena_no"), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, str(rec, "vaccine_code"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, json_integer_value(json_object_get(rec, "dose")));
	sqlite3_bind_text(stmt, 4, str(rec, "record_uuid"), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, str(rec, "stage"), -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 6, v != NULL && v->seasonal);
	sqlite3_bind_text(stmt, 7, str(rec, "vaccinated_on"), -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		snprintf(other, size, "%s", sqlite3_column_text(stmt, 0));
		found = 1;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "looking for the same dose", err)) != 0)
		return rc;
	return found;
}

static int
apply_record(struct reg *reg, const json_t *change, struct push_result *res,
    struct sesshu_err *err)
{
	const json_t *rec = json_object_get(change, "record");
	const json_t *base = json_object_get(change, "base_version");
	sqlite3_int64 version = json_integer_value(json_object_get(rec, "version"));
	sqlite3_int64 current;
	char other[WIRE_UUID_STRLEN], batch[WIRE_UUID_STRLEN + 1];
	int rc, dose_changed = 0, check_dose;

	if (!record_is_acceptable(reg, rec, res->message, sizeof(res->message)) ||
	    !author_may(reg, rec, version, res->message, sizeof(res->message))) {
		res->status = PUSH_REJECTED;
		return 0;
	}
	if ((rc = current_version(reg, str(rec, "record_uuid"), &current, err)) != 0)
		return rc;
	if (current == 0 && version != 1) {
		res->status = PUSH_CONFLICT;
		snprintf(res->message, sizeof(res->message), "version %lld of a "
		    "record the register does not have", (long long)version);
		return 0;
	}
	if (current != 0 && (version != current + 1 || base == NULL ||
	    json_integer_value(base) != current)) {
		res->status = PUSH_CONFLICT;
		snprintf(res->message, sizeof(res->message), "this version %lld is "
		    "based on version %lld, but the register has version %lld",
		    (long long)version, base != NULL ?
		    (long long)json_integer_value(base) : 0LL, (long long)current);
		return 0;
	}
	if (version > 1) {
		if ((rc = current_sheet(reg, rec, batch, sizeof(batch),
		    &dose_changed, err)) != 0)
			return rc;
		if (strcmp(batch, str(rec, "batch_id")) != 0) {
			res->status = PUSH_REJECTED;
			snprintf(res->message, sizeof(res->message), "a later "
			    "version cannot move a sheet to another batch or "
			    "person, nor a verification change its author");
			return 0;
		}
	}
	/*
	 * The same dose twice: a conflict, unless the clerk saw the earlier
	 * record and confirmed this one (ws_records.h); then it is stored and
	 * a supervisor reviews the pair. A later version is checked again
	 * only when it changes which dose it is.
	 */
	check_dose = version == 1 || dose_changed;
	if (check_dose &&
	    (rc = same_dose_recorded(reg, rec, other, sizeof(other), err)) < 0)
		return rc;
	if (check_dose && rc == 1) {
		snprintf(res->message, sizeof(res->message), "the same dose is "
		    "already recorded as record %s", other);
		if (!json_is_true(json_object_get(change, "duplicate_confirmed"))) {
			res->status = PUSH_CONFLICT;
			return 0;
		}
		res->review = REVIEW_DUPLICATE;
	}
	res->status = PUSH_APPLIED;
	return reg_record_insert_version(reg, rec, &res->seq, err);
}

/*
 * A correction or void that needs a supervisor's approval (DOMAIN §3.3,
 * the workstation's setting correction_approval): checked like a record
 * version, then kept in the review queue, not applied. The approval
 * (a supervisor's decision) applies it as the next version.
 */
static int
apply_correction_request(struct reg *reg, const json_t *change,
    struct push_result *res, struct sesshu_err *err)
{
	const json_t *rec = json_object_get(change, "correction");
	const json_t *base = json_object_get(change, "base_version");
	sqlite3_int64 version = json_integer_value(json_object_get(rec, "version"));
	sqlite3_int64 current;
	char batch[WIRE_UUID_STRLEN + 1];
	int rc, dose_changed;

	if (!record_is_acceptable(reg, rec, res->message, sizeof(res->message)) ||
	    !author_may(reg, rec, version, res->message, sizeof(res->message))) {
		res->status = PUSH_REJECTED;
		return 0;
	}
	if ((rc = current_version(reg, str(rec, "record_uuid"), &current, err)) != 0)
		return rc;
	if (current == 0 || base == NULL || json_integer_value(base) != current ||
	    version != current + 1) {
		res->status = PUSH_CONFLICT;
		snprintf(res->message, sizeof(res->message), "the request is based "
		    "on version %lld, but the register has version %lld",
		    base != NULL ? (long long)json_integer_value(base) : 0LL,
		    (long long)current);
		return 0;
	}
	if ((rc = current_sheet(reg, rec, batch, sizeof(batch), &dose_changed,
	    err)) != 0)
		return rc;
	if (strcmp(batch, str(rec, "batch_id")) != 0) {
		res->status = PUSH_REJECTED;
		snprintf(res->message, sizeof(res->message), "batch_id: a later "
		    "version cannot move a sheet to another batch or person");
		return 0;
	}
	if (str(rec, "change_reason")[0] == '\0') {
		res->status = PUSH_REJECTED;
		snprintf(res->message, sizeof(res->message), "change_reason: a "
		    "correction needs a reason");
		return 0;
	}
	res->status = PUSH_APPLIED;
	res->review = REVIEW_CORRECTION;
	snprintf(res->message, sizeof(res->message), "waiting for a "
	    "supervisor's approval");
	return 0;
}

/* A supervisor's decision on a review item (reg_review.h). */
static int
apply_review_decision(struct reg *reg, const json_t *change,
    struct push_result *res, struct sesshu_err *err)
{
	int refused, rc;

	if ((rc = reg_review_decide(reg, REG_ACTOR, json_object_get(change,
	    "review"), &refused, res->message, sizeof(res->message), &res->seq,
	    err)) != 0)
		return rc;
	res->status = refused ? PUSH_REJECTED : PUSH_APPLIED;
	return 0;
}

/*
 * An enrolled print: kept for the user, replacing an earlier print of the
 * same finger and kind of reader, and sent to every workstation.
 */
static int
apply_fingerprint(struct reg *reg, const json_t *change, struct push_result *res,
    struct sesshu_err *err)
{
	static const char user_sql[] =
	    "SELECT 1 FROM users WHERE user_id = ? AND status = 'active'";
	const json_t *fp = json_object_get(change, "fingerprint");
	const char *user = str(fp, "user_id"), *b64 = str(fp, "print_data");
	char want[200];
	unsigned char *raw;
	size_t rawlen = 0;
	sqlite3_stmt *stmt;
	int rc, active = 0;

	snprintf(want, sizeof(want), "%s:%lld:%s", user,
	    (long long)json_integer_value(json_object_get(fp, "finger")),
	    str(fp, "driver"));
	if (strcmp(want, str(fp, "print_id")) != 0) {
		res->status = PUSH_REJECTED;
		snprintf(res->message, sizeof(res->message), "print_id: must be "
		    "user_id:finger:driver");
		return 0;
	}
	if ((rc = store_prepare(reg->st, user_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, user, -1, SQLITE_STATIC);
	active = sqlite3_step(stmt) == SQLITE_ROW;
	store_stmt_done(stmt);
	/* The print must be base64 of at most 64 KiB; its content is libfprint's. */
	if ((raw = malloc(64 * 1024)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	rc = wire_b64_decode(b64, strlen(b64), raw, 64 * 1024, &rawlen,
	    "print_data", NULL);
	OPENSSL_cleanse(raw, 64 * 1024);
	free(raw);
	if (!active || rc != 0) {
		res->status = PUSH_REJECTED;
		snprintf(res->message, sizeof(res->message), "%s", !active ?
		    "user_id: no such active user" : "print_data: not base64 of "
		    "at most 64 KiB");
		return 0;
	}
	res->status = PUSH_APPLIED;
	if ((rc = entity_upsert(reg->st, entity_find("fingerprint"), fp, err)) != 0)
		return rc;
	return reg_note_change(reg, "fingerprint", str(fp, "print_id"), "upsert",
	    &res->seq, err);
}

/*
 * A questionnaire batch: opened on a workstation, changed there, closed
 * only when its counts reconcile here too (the register has every sheet a
 * workstation pushed before the close, as the outbox keeps their order).
 * A closed batch never changes again.
 */
static int
apply_questionnaire_batch(struct reg *reg, const json_t *change,
    struct push_result *res, struct sesshu_err *err)
{
	static const char institution_sql[] =
	    "SELECT 1 FROM medical_institutions WHERE code = ?";
	const json_t *b = json_object_get(change, "batch");
	const char *id = str(b, "batch_id"), *month = str(b, "billing_month");
	int want = core_batch_state_parse(str(b, "state"));
	json_int_t claimed = json_integer_value(json_object_get(b, "claimed_count"));
	struct core_batch_counts counts;
	enum core_batch_state now;
	struct core_ym ym;
	sqlite3_stmt *stmt;
	const char *msgid;
	int rc, known;

	res->status = PUSH_REJECTED;
	if (wire_uuid_check(id, strlen(id), "batch_id", NULL) != 0)
		return snprintf(res->message, sizeof(res->message), "batch_id: not "
		    "a UUID"), 0;
	if (core_ym_parse(month, strlen(month), &ym, NULL) != 0)
		return snprintf(res->message, sizeof(res->message), "billing_month: "
		    "not YYYY-MM"), 0;
	if (claimed < 1 || claimed > CORE_BATCH_CLAIM_MAX)
		return snprintf(res->message, sizeof(res->message), "claimed_count: "
		    "must be 1 to %d", CORE_BATCH_CLAIM_MAX), 0;
	if (want < 0)
		return snprintf(res->message, sizeof(res->message), "state: not "
		    "one of open, entered, verified, closed"), 0;
	if ((rc = store_prepare(reg->st, institution_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, str(b, "institution_code"), -1, SQLITE_STATIC);
	known = sqlite3_step(stmt) == SQLITE_ROW;
	store_stmt_done(stmt);
	if (!known)
		return snprintf(res->message, sizeof(res->message),
		    "institution_code: not in the register's master data"), 0;
	rc = store_batch_state(reg->st, id, &now, NULL, err);
	if (rc == SESSHU_ENOTFOUND)
		sesshu_err_clear(err);
	else if (rc != 0)
		return rc;
	else if (!core_batch_accepts_sheets(now))
		return snprintf(res->message, sizeof(res->message), "state: the "
		    "batch is closed already"), 0;
	if (want == CORE_BATCH_CLOSED) {
		rc = store_batch_counts(reg->st, id, &counts, err);
		if (rc == SESSHU_ENOTFOUND)
			sesshu_err_clear(err);
		else if (rc != 0)
			return rc;
		counts.claimed = claimed;	/* the claim as this change states it */
		if (core_batch_can_close(&counts, &msgid) != 0)
			return snprintf(res->message, sizeof(res->message),
			    "state: %s (claimed %ld, entered %ld, verified %ld)",
			    msgid, counts.claimed, counts.entered, counts.verified),
			    0;
	}
	if ((rc = entity_upsert(reg->st, entity_find("batch"), b, err)) != 0)
		return rc;
	res->status = PUSH_APPLIED;
	return reg_note_change(reg, "batch", id, "upsert", &res->seq, err);
}

static int
keep_for_review(struct reg *reg, const char *ws, const json_t *change,
    const struct push_result *res, struct sesshu_err *err)
{
	char *payload;
	int rc;

	if ((payload = json_dumps(json_object_get(change, str(change, "kind")),
	    JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	rc = reg_review_queue(reg, res->review != NULL ? res->review :
	    push_status_names[res->status], str(change, "uuid"), ws,
	    str(change, "kind"), payload, res->message, err);
	free(payload);
	return rc;
}

/* The stored result of a UUID seen before; 1 if found. */
static int
earlier_result(struct reg *reg, const char *uuid, json_t **out,
    struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT status, seq, message FROM applied_changes WHERE uuid = ?";
	sqlite3_stmt *stmt;
	int rc, found = 0;

	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*out = json_pack("{s:s, s:s, s:s}", "uuid", uuid, "status",
		    "duplicate", "earlier_status", sqlite3_column_text(stmt, 0));
		if (*out != NULL && sqlite3_column_type(stmt, 1) != SQLITE_NULL)
			json_object_set_new(*out, "seq",
			    json_integer(sqlite3_column_int64(stmt, 1)));
		if (*out != NULL && sqlite3_column_type(stmt, 2) != SQLITE_NULL)
			json_object_set_new(*out, "message",
			    json_string((const char *)sqlite3_column_text(stmt, 2)));
		found = 1;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(reg->st, rc, "looking up a change", err)) != 0)
		return rc;
	return found;
}

static int
remember_result(struct reg *reg, const char *ws, const char *uuid,
    const struct push_result *res, struct sesshu_err *err)
{
	static const char sql[] =
	    "INSERT INTO applied_changes (uuid, workstation_id, status, seq, message,"
	    " applied_at) VALUES (?, ?, ?, ?, ?, ?)";
	char now[STORE_TIME_LEN];
	sqlite3_stmt *stmt;
	int rc;

	store_now_utc(now, sizeof(now));
	if ((rc = store_prepare(reg->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, ws, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, push_status_names[res->status], -1, SQLITE_STATIC);
	if (res->status == PUSH_APPLIED)
		sqlite3_bind_int64(stmt, 4, res->seq);
	if (res->message[0] != '\0')
		sqlite3_bind_text(stmt, 5, res->message, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	return store_check(reg->st, rc, "remembering a change's result", err);
}

static json_t *
result_json(const char *uuid, const struct push_result *res)
{
	json_t *r = json_pack("{s:s, s:s}", "uuid", uuid, "status",
	    push_status_names[res->status]);

	if (r != NULL && res->status == PUSH_APPLIED)
		json_object_set_new(r, "seq", json_integer(res->seq));
	if (r != NULL && res->message[0] != '\0')
		json_object_set_new(r, "message", json_string(res->message));
	return r;
}

/* Applies the checked batch inside the open transaction. */
static int
apply_batch(struct reg_service *svc, const struct reg_peer *peer,
    json_t *changes, json_t *results, int counts[4], struct sesshu_err *err)
{
	size_t i, n = json_array_size(changes);
	json_t *c, *r = NULL;
	int rc;

	json_array_foreach(changes, i, c) {
		const char *uuid = str(c, "uuid");
		struct push_result res = { 0 };

		if (i == n / 2 && n > 1)
			failpoint_hit("register.push.mid-batch");
		if ((rc = earlier_result(svc->reg, uuid, &r, err)) < 0)
			return rc;
		if (rc == 1) {
			counts[3]++;
			json_array_append_new(results, r);
			continue;
		}
		if ((rc = push_kind_find(str(c, "kind"))->apply(svc->reg, c, &res,
		    err)) != 0 ||
		    /* A refused decision is answered, not queued in turn. */
		    ((res.status != PUSH_APPLIED || res.review != NULL) &&
		    strcmp(str(c, "kind"), "review") != 0 &&
		    (rc = keep_for_review(svc->reg, peer->workstation_id, c, &res,
		    err)) != 0) ||
		    (rc = remember_result(svc->reg, peer->workstation_id, uuid, &res,
		    err)) != 0)
			return rc;
		counts[res.status]++;
		json_array_append_new(results, result_json(uuid, &res));
	}
	return 0;
}

int
reg_handle_push(void *ctx, const struct reg_peer *peer, json_t *body,
    struct reg_response *resp)
{
	struct reg_service *svc = ctx;
	struct sesshu_err err = { 0 };
	json_t *changes, *results;
	char outcome[128], object[64];
	int counts[4] = { 0 };	/* applied, conflict, rejected, duplicate */

	if (reg_refuse_workstation(svc, peer, 1, resp))
		return 0;
	if (check_batch(body, &changes, &err) != 0)
		return reg_response_error(resp, 400, err.code == SESSHU_ERANGE &&
		    strncmp(err.msg, "changes:", 8) == 0 ? "batch_too_large" :
		    "bad_request", "%s", err.msg);
	if ((results = json_array()) == NULL)
		return reg_response_error(resp, 500, "internal", "out of memory");
	if (store_begin(svc->reg->st, &err) != 0 ||
	    apply_batch(svc, peer, changes, results, counts, &err) != 0)
		goto fail;
	snprintf(object, sizeof(object), "push:%zu changes", json_array_size(changes));
	snprintf(outcome, sizeof(outcome), "ok: %d applied, %d duplicate, %d "
	    "conflict, %d rejected", counts[0], counts[3], counts[1], counts[2]);
	if (reg_audit(svc->reg, "-", peer->workstation_id, "sync.push", object,
	    outcome, &err) != 0 || store_commit(svc->reg->st, &err) != 0)
		goto fail;
	resp->status = 200;
	resp->body = json_pack("{s:o}", "results", results);
	return 0;
fail:
	store_rollback(svc->reg->st);
	json_decref(results);
	return reg_response_error(resp, 500, "internal", "nothing of this push was "
	    "applied: %s", err.msg);
}
