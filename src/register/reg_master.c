/*
 * reg_master.c: see reg_master.h.
 *
 * Files are applied in the order of their kinds' dependencies (vaccines
 * and makers before the lots that name them), whatever order they were
 * given in, and a row equal to the stored one is not numbered again, so
 * loading the same seeds twice sends nothing to the workstations.
 */
#include "register/reg_master.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/date.h"
#include "core/master.h"
#include "core/vaccine.h"
#include "store/store.h"
#include "sync/entity.h"

/* The master kinds, in the order they are applied. */
static const char *const master_kinds[] = {
	"vaccine", "manufacturer", "institution", "doctor", "fee_category", "lot",
};
#define NKINDS	(sizeof(master_kinds) / sizeof(master_kinds[0]))

/* A seed file is small; a larger one is a mistake, not data. */
#define MASTER_FILE_MAX	(16 * 1024 * 1024)

struct master_file {
	const char		*path;
	struct core_master	*set;		/* core/master.h: checked rows */
	size_t			 order;		/* index in master_kinds */
};

static const char *
member(const json_t *row, const char *name)
{
	const char *s = json_string_value(json_object_get(row, name));

	return s != NULL ? s : "";
}

static int
exists(struct reg *reg, const char *sql, const char *key)
{
	sqlite3_stmt *stmt;
	int found;

	if (store_prepare(reg->st, sql, &stmt, NULL) != 0)
		return 0;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	found = sqlite3_step(stmt) == SQLITE_ROW;
	store_stmt_done(stmt);
	return found;
}

/* Rules beyond the columns' types: codes that must exist, dates. */
static int
check_row(struct reg *reg, const char *kind, const json_t *row,
    const char *path, struct sesshu_err *err)
{
	static const char maker_sql[] =
	    "SELECT 1 FROM manufacturers WHERE code = ?";
	static const char institution_sql[] =
	    "SELECT 1 FROM medical_institutions WHERE code = ?";
	const char *code;
	struct core_date d;

	if (strcmp(kind, "vaccine") == 0 || strcmp(kind, "lot") == 0) {
		code = member(row, strcmp(kind, "lot") == 0 ? "vaccine_code" : "code");
		if (core_vaccine_find(code, strlen(code)) == NULL)
			return sesshu_err_set(err, SESSHU_EFORMAT, "%s: vaccine "
			    "code \"%.16s\" is not one sesshu knows", path, code);
	}
	if (strcmp(kind, "lot") == 0) {
		static const char other_sql[] =
		    "SELECT 1 FROM lots WHERE lot_no = ? AND vaccine_code != ?";
		sqlite3_stmt *stmt;
		int taken = 0;

		if (store_prepare(reg->st, other_sql, &stmt, NULL) == 0) {
			sqlite3_bind_text(stmt, 1, member(row, "lot_no"), -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(stmt, 2, member(row, "vaccine_code"), -1,
			    SQLITE_STATIC);
			taken = sqlite3_step(stmt) == SQLITE_ROW;
			store_stmt_done(stmt);
		}
		/* Sync names a lot by its number (entity_schema.c, v4). */
		if (taken)
			return sesshu_err_set(err, SESSHU_EFORMAT, "%s.lot_no: the "
			    "register has this lot number for another vaccine",
			    path);
		code = member(row, "expiry");
		if (core_date_parse(code, strlen(code), &d, err) != 0)
			return sesshu_err_prefix(err, "%s.expiry", path);
		if (!exists(reg, maker_sql, member(row, "maker_code")))
			return sesshu_err_set(err, SESSHU_EFORMAT, "%s.maker_code: "
			    "no such manufacturer", path);
	}
	if (strcmp(kind, "doctor") == 0 &&
	    json_object_get(row, "institution_code") != NULL &&
	    !exists(reg, institution_sql, member(row, "institution_code")))
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s.institution_code: "
		    "no such medical institution", path);
	return 0;
}

/* Whether the stored row of k with row's key equals row. */
static int
unchanged(struct reg *reg, const struct entity_kind *k, const json_t *row)
{
	sqlite3_stmt *stmt;
	json_t *stored = NULL;
	int same;

	if (store_prepare(reg->st, k->select_sql, &stmt, NULL) != 0)
		return 0;
	sqlite3_bind_text(stmt, 1, member(row, k->key), -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		stored = entity_row_to_json(k, stmt);
	store_stmt_done(stmt);
	same = stored != NULL && json_equal(stored, (json_t *)row);
	json_decref(stored);
	return same;
}

static int
apply_file(struct reg *reg, const struct master_file *f,
    struct reg_master_result *res, struct sesshu_err *err)
{
	const char *kind = master_kinds[f->order];
	const struct entity_kind *k = entity_find(kind);
	json_t *rows = f->set->rows, *row;
	char path[300];
	int64_t seq;
	size_t i;
	int rc;

	json_array_foreach(rows, i, row) {
		snprintf(path, sizeof(path), "%s: rows[%zu]", f->path, i);
		res->rows++;
		if ((rc = entity_check(k, row, path, err)) != 0 ||
		    (rc = check_row(reg, kind, row, path, err)) != 0)
			return rc;
		if (unchanged(reg, k, row))
			continue;
		if ((rc = entity_upsert(reg->st, k, row, err)) != 0 ||
		    (rc = reg_note_change(reg, kind, member(row, k->key), "upsert",
		    &seq, err)) != 0)
			return rc;
		res->changed++;
	}
	return 0;
}

/* Reads and checks one seed file (core_master_parse: columns, values). */
static int
load_file(const char *path, struct master_file *f, struct sesshu_err *err)
{
	char *text;
	size_t len;
	FILE *fp;
	int rc;

	f->path = path;
	if ((fp = fopen(path, "re")) == NULL)
		return sesshu_err_set(err, SESSHU_EIO, "%s: %s", path,
		    strerror(errno));
	if ((text = malloc(MASTER_FILE_MAX + 1)) == NULL) {
		fclose(fp);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	}
	len = fread(text, 1, MASTER_FILE_MAX + 1, fp);
	rc = ferror(fp) ? sesshu_err_set(err, SESSHU_EIO, "%s: read error",
	    path) : len > MASTER_FILE_MAX ? sesshu_err_set(err, SESSHU_EFORMAT,
	    "%s: larger than 16 MiB", path) : 0;
	fclose(fp);
	if (rc == 0)
		rc = core_master_parse(text, len, path, &f->set, err);
	free(text);
	if (rc != 0)
		return rc;
	for (f->order = 0; f->order < NKINDS; f->order++)
		if (strcmp(master_kinds[f->order], f->set->kind_name) == 0)
			return 0;
	return sesshu_err_set(err, SESSHU_EFORMAT, "%s: kind %s is not loaded "
	    "here", path, f->set->kind_name);
}

static int
by_order(const void *a, const void *b)
{
	const struct master_file *x = a, *y = b;

	return x->order < y->order ? -1 : x->order > y->order;
}

int
reg_master_import(struct reg *reg, char *const *paths, size_t npaths,
    const char *actor, struct reg_master_result *res, struct sesshu_err *err)
{
	struct master_file *files;
	char outcome[96];
	size_t i;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if ((files = calloc(npaths ? npaths : 1, sizeof(*files))) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	for (i = 0; i < npaths && rc == 0; i++)
		rc = load_file(paths[i], &files[i], err);
	if (rc == 0) {
		const struct core_master *sets[NKINDS * 2];

		qsort(files, npaths, sizeof(*files), by_order);
		for (i = 0; i < npaths && i < NKINDS * 2; i++)
			sets[i] = files[i].set;
		/* References between the files given (the register's own rows
		 * are checked as each row is applied). */
		rc = core_master_check_refs(sets, npaths < NKINDS * 2 ? npaths :
		    NKINDS * 2, err);
	}
	if (rc == 0)
		rc = store_begin(reg->st, err);
	if (rc == 0) {
		for (i = 0; i < npaths && rc == 0; i++)
			rc = apply_file(reg, &files[i], res, err);
		snprintf(outcome, sizeof(outcome), "%lu rows, %lu changed",
		    res->rows, res->changed);
		if (rc == 0)
			rc = reg_audit(reg, actor, REG_ACTOR, "master.import",
			    "master", outcome, err);
		if (rc == 0)
			rc = store_commit(reg->st, err);
		else
			store_rollback(reg->st);
	}
	for (i = 0; i < npaths; i++)
		core_master_free(files[i].set);
	free(files);
	if (rc != 0 && rc != SESSHU_ENOMEM)
		/* A refused import is in the trail too (the reason names a
		 * file, row and column, never a value of a person). */
		reg_audit(reg, actor, REG_ACTOR, "master.import", "master",
		    "refused", NULL);
	return rc;
}
