/* ws_person.c: see ws_person.h. */
#include "sync/ws_person.h"

#include <stdio.h>
#include <string.h>

#include "core/kana.h"
#include "store/store.h"

static void
text(char *dst, size_t size, sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	snprintf(dst, size, "%s", s != NULL ? (const char *)s : "");
}

#define PERSON_COLUMNS \
	"SELECT atena_no, name, name_kana, birth_date, sex, status," \
	" resident_since, resident_until FROM persons"

static void
person_row(sqlite3_stmt *stmt, struct ws_person *p)
{
	text(p->atena_no, sizeof(p->atena_no), stmt, 0);
	text(p->name, sizeof(p->name), stmt, 1);
	text(p->name_kana, sizeof(p->name_kana), stmt, 2);
	text(p->birth_date, sizeof(p->birth_date), stmt, 3);
	p->sex = sqlite3_column_int(stmt, 4);
	p->status = sqlite3_column_int(stmt, 5);
	text(p->resident_since, sizeof(p->resident_since), stmt, 6);
	text(p->resident_until, sizeof(p->resident_until), stmt, 7);
}

int
ws_person_get(struct ws_session *s, const char *atena_no, struct ws_person *out,
    struct sesshu_err *err)
{
	static const char sql[] = PERSON_COLUMNS " WHERE atena_no = ?1";
	sqlite3_stmt *stmt;
	int rc, found = 0;

	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, atena_no, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		person_row(stmt, out);
		found = 1;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(s->st, rc, "reading a person", err)) != 0)
		return rc;
	return found ? 0 : sesshu_err_set(err, SESSHU_ENOTFOUND, "no resident "
	    "has that atena number");
}

/*
 * A prefix search on the normalised カナ is a range on the index
 * persons_by_kana: from the prefix up to the prefix followed by U+10FFFF,
 * which sorts (as UTF-8 bytes) after every character that may follow.
 */
int
ws_person_search(struct ws_session *s, const char *kana,
    const struct core_date *birth, struct ws_person *out, size_t *n, int *more,
    struct sesshu_err *err)
{
	/*
	 * Three statements, so that each is one range of an index: an
	 * "(?3 IS NULL OR ...)" term cannot be (docs/PERFORMANCE.md).
	 */
	static const char by_kana_sql[] = PERSON_COLUMNS
	    " WHERE name_kana_search >= ?1 AND name_kana_search < ?2"
	    " ORDER BY name_kana_search, birth_date LIMIT 51";
	static const char by_both_sql[] = PERSON_COLUMNS
	    " WHERE birth_date = ?3 AND name_kana_search >= ?1"
	    " AND name_kana_search < ?2 ORDER BY name_kana_search LIMIT 51";
	static const char by_birth_sql[] = PERSON_COLUMNS
	    " WHERE birth_date = ?1 ORDER BY name_kana_search LIMIT 51";
	char key[512], upper[520], bd[CORE_DATE_STRLEN];
	size_t klen = 0;
	sqlite3_stmt *stmt;
	int rc;

	*n = 0;
	*more = 0;
	if (kana != NULL && kana[0] != '\0' &&
	    (rc = core_kana_normalize(kana, strlen(kana), key, sizeof(key),
	    &klen, err)) != 0)
		return rc;
	if (klen == 0 && birth == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "give a kana prefix or a "
		    "date of birth");
	if (birth != NULL)
		core_date_format(birth, bd, sizeof(bd));
	if (klen > 0) {
		snprintf(upper, sizeof(upper), "%s\xf4\x8f\xbf\xbf", key);
		if ((rc = store_prepare(s->st, birth != NULL ? by_both_sql :
		    by_kana_sql, &stmt, err)) != 0)
			return rc;
		sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, upper, -1, SQLITE_STATIC);
		if (birth != NULL)
			sqlite3_bind_text(stmt, 3, bd, -1, SQLITE_STATIC);
	} else {
		if ((rc = store_prepare(s->st, by_birth_sql, &stmt, err)) != 0)
			return rc;
		sqlite3_bind_text(stmt, 1, bd, -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == WS_SEARCH_MAX) {
			*more = 1;
			continue;
		}
		person_row(stmt, &out[(*n)++]);
	}
	store_stmt_done(stmt);
	return store_check(s->st, rc, "searching persons", err);
}

#define RECORD_COLUMNS \
	"SELECT record_uuid, version, vaccine_code, dose, coalesce(stage, '')," \
	" category, vaccinated_on, institution_code," \
	" coalesce(vaccinating_doctor, ''), coalesce(maker_code, '')," \
	" coalesce(lot_no, ''), screening_only, state," \
	" coalesce(entered_by, ''), coalesce(batch_id, ''), atena_no," \
	" EXISTS (SELECT 1 FROM pending_requests p" \
	"  WHERE p.record_uuid = vaccination_records.record_uuid)" \
	" FROM vaccination_records"

static void
record_row(sqlite3_stmt *stmt, struct ws_record *r)
{
	text(r->record_uuid, sizeof(r->record_uuid), stmt, 0);
	r->version = sqlite3_column_int(stmt, 1);
	text(r->vaccine_code, sizeof(r->vaccine_code), stmt, 2);
	r->dose = sqlite3_column_int(stmt, 3);
	text(r->stage, sizeof(r->stage), stmt, 4);
	text(r->category, sizeof(r->category), stmt, 5);
	text(r->vaccinated_on, sizeof(r->vaccinated_on), stmt, 6);
	text(r->institution_code, sizeof(r->institution_code), stmt, 7);
	text(r->vaccinating_doctor, sizeof(r->vaccinating_doctor), stmt, 8);
	text(r->maker_code, sizeof(r->maker_code), stmt, 9);
	text(r->lot_no, sizeof(r->lot_no), stmt, 10);
	r->screening_only = sqlite3_column_int(stmt, 11);
	text(r->state, sizeof(r->state), stmt, 12);
	text(r->entered_by, sizeof(r->entered_by), stmt, 13);
	text(r->batch_id, sizeof(r->batch_id), stmt, 14);
	text(r->atena_no, sizeof(r->atena_no), stmt, 15);
	r->pending = sqlite3_column_int(stmt, 16);
}

int
ws_person_records(struct ws_session *s, const char *atena_no,
    struct ws_record *out, size_t max, size_t *n, int *more,
    struct sesshu_err *err)
{
	static const char sql[] = RECORD_COLUMNS
	    " WHERE atena_no = ?1 AND is_current = 1"
	    " ORDER BY vaccinated_on, vaccine_code, dose";
	sqlite3_stmt *stmt;
	int rc;

	*n = 0;
	*more = 0;
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, atena_no, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == max) {
			*more = 1;
			continue;
		}
		record_row(stmt, &out[(*n)++]);
	}
	store_stmt_done(stmt);
	return store_check(s->st, rc, "reading the vaccination history", err);
}

int
ws_record_get(struct ws_session *s, const char *record_uuid,
    struct ws_record *out, struct sesshu_err *err)
{
	static const char sql[] = RECORD_COLUMNS
	    " WHERE record_uuid = ?1 AND is_current = 1";
	sqlite3_stmt *stmt;
	int rc, found = 0;

	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, record_uuid, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		record_row(stmt, out);
		found = 1;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(s->st, rc, "reading a record", err)) != 0)
		return rc;
	return found ? 0 : sesshu_err_set(err, SESSHU_ENOTFOUND, "record %s: no "
	    "such record", record_uuid);
}

int
ws_lots_of(struct ws_session *s, const char *vaccine_code, struct ws_lot *out,
    size_t max, size_t *n, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT lot_no, maker_code, expiry FROM lots WHERE vaccine_code = ?1"
	    " ORDER BY expiry DESC, lot_no";
	sqlite3_stmt *stmt;
	int rc;

	*n = 0;
	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, vaccine_code, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max) {
		text(out[*n].lot_no, sizeof(out[*n].lot_no), stmt, 0);
		text(out[*n].maker_code, sizeof(out[*n].maker_code), stmt, 1);
		text(out[*n].expiry, sizeof(out[*n].expiry), stmt, 2);
		(*n)++;
	}
	store_stmt_done(stmt);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return store_check(s->st, rc, "reading lots", err);
}

int
ws_lot_get(struct ws_session *s, const char *lot_no, char *vaccine_code,
    size_t vsize, struct ws_lot *out, struct sesshu_err *err)
{
	static const char sql[] =
	    "SELECT lot_no, maker_code, expiry, vaccine_code FROM lots"
	    " WHERE lot_no = ?1";
	sqlite3_stmt *stmt;
	int rc, found = 0;

	if ((rc = store_prepare(s->st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, lot_no, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		text(out->lot_no, sizeof(out->lot_no), stmt, 0);
		text(out->maker_code, sizeof(out->maker_code), stmt, 1);
		text(out->expiry, sizeof(out->expiry), stmt, 2);
		text(vaccine_code, vsize, stmt, 3);
		found = 1;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(s->st, rc, "reading a lot", err)) != 0)
		return rc;
	return found ? 0 : sesshu_err_set(err, SESSHU_ENOTFOUND, "lot %.32s is "
	    "not in the master data", lot_no);
}

int
ws_master_name(struct ws_session *s, const char *table, const char *code,
    char *name, size_t size)
{
	/* One literal per table: store_prepare caches by address. */
	static const struct {
		const char *table, *sql;
	} sqls[] = {
		{ "medical_institutions",
		  "SELECT name FROM medical_institutions WHERE code = ?1" },
		{ "doctors", "SELECT name FROM doctors WHERE code = ?1" },
		{ "manufacturers", "SELECT name_ja FROM manufacturers WHERE code = ?1" },
		{ "fee_categories", "SELECT name FROM fee_categories WHERE code = ?1" },
		{ "vaccines", "SELECT name_ja FROM vaccines WHERE code = ?1" },
	};
	sqlite3_stmt *stmt;
	int found = 0;

	name[0] = '\0';
	for (size_t i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
		if (strcmp(sqls[i].table, table) != 0)
			continue;
		if (store_prepare(s->st, sqls[i].sql, &stmt, NULL) != 0)
			return 0;
		sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			text(name, size, stmt, 0);
			found = 1;
		}
		store_stmt_done(stmt);
	}
	return found;
}

int
ws_master_codes(struct ws_session *s, const char *table,
    const char *institution, const char *prefix, char (*out)[32], size_t max,
    size_t *n, struct sesshu_err *err)
{
	/* One literal per table (store_prepare caches by address); ?2 is the
	 * prefix's upper bound, as in the kana search. */
	static const struct {
		const char *table, *sql;
	} sqls[] = {
		{ "medical_institutions", "SELECT code FROM medical_institutions"
		  " WHERE code >= ?1 AND code < ?2 ORDER BY code" },
		{ "doctors", "SELECT code FROM doctors WHERE code >= ?1 AND"
		  " code < ?2 AND (?3 IS NULL OR institution_code = ?3)"
		  " ORDER BY code" },
		{ "manufacturers", "SELECT code FROM manufacturers"
		  " WHERE code >= ?1 AND code < ?2 ORDER BY code" },
		{ "fee_categories", "SELECT code FROM fee_categories"
		  " WHERE code >= ?1 AND code < ?2 ORDER BY code" },
	};
	char upper[64];
	sqlite3_stmt *stmt;
	int rc = SQLITE_DONE;

	*n = 0;
	snprintf(upper, sizeof(upper), "%s\x7f", prefix);
	for (size_t i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
		if (strcmp(sqls[i].table, table) != 0)
			continue;
		if ((rc = store_prepare(s->st, sqls[i].sql, &stmt, err)) != 0)
			return rc;
		sqlite3_bind_text(stmt, 1, prefix, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, upper, -1, SQLITE_STATIC);
		if (strcmp(table, "doctors") == 0 && institution != NULL)
			sqlite3_bind_text(stmt, 3, institution, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max)
			text(out[(*n)++], 32, stmt, 0);
		if (rc == SQLITE_ROW)
			rc = SQLITE_DONE;
		store_stmt_done(stmt);
		return store_check(s->st, rc, "completing a code", err);
	}
	return sesshu_err_set(err, SESSHU_EINVAL, "%s: no completion", table);
}
