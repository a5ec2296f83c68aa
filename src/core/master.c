/* master.c: master data seeds; see master.h. */
#include "core/master.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/kana.h"
#include "core/record_row.h"
#include "core/vaccine.h"

#define REQ	1
#define OPT	0
#define END	{ NULL, 0, 0, 0 }

/* The columns of store/entity_schema.c, in table order; the key first. */
static const struct core_master_column vaccine_columns[] = {
	{ "code", CORE_MASTER_VACCINE_CODE, CORE_VACCINE_CODE_MAX - 1, REQ },
	{ "name_ja", CORE_MASTER_TEXT, 100, REQ },
	{ "name_en", CORE_MASTER_TEXT, 100, REQ },
	{ "diseases", CORE_MASTER_TEXT, 200, OPT },
	{ "category", CORE_MASTER_CLASS, 1, OPT },
	END
};
static const struct core_master_column manufacturer_columns[] = {
	{ "code", CORE_MASTER_CODE, 16, REQ },
	{ "name_ja", CORE_MASTER_TEXT, CORE_REC_MAKER_MAX, REQ },
	{ "name_en", CORE_MASTER_TEXT, CORE_REC_MAKER_MAX, OPT },
	END
};
static const struct core_master_column lot_columns[] = {
	{ "lot_no", CORE_MASTER_CODE, CORE_REC_LOT_NO_MAX, REQ },
	{ "vaccine_code", CORE_MASTER_VACCINE_CODE, CORE_VACCINE_CODE_MAX - 1,
	  REQ },
	{ "maker_code", CORE_MASTER_CODE, 16, REQ },
	{ "expiry", CORE_MASTER_DATE, 10, REQ },
	END
};
static const struct core_master_column institution_columns[] = {
	{ "code", CORE_MASTER_DIGITS, 10, REQ },	/* 医療機関コード */
	{ "name", CORE_MASTER_TEXT, 100, REQ },
	{ "name_kana", CORE_MASTER_KANA, 100, OPT },
	{ "address", CORE_MASTER_TEXT, 200, OPT },
	/* NOT NULL DEFAULT 1 in the table; a seed says it, since outside
	 * the city means a 実施依頼書 (other_municipality). */
	{ "in_city", CORE_MASTER_FLAG, 1, REQ },
	END
};
static const struct core_master_column doctor_columns[] = {
	{ "code", CORE_MASTER_CODE, 16, REQ },
	{ "name", CORE_MASTER_TEXT, CORE_REC_DOCTOR_MAX, REQ },
	{ "name_kana", CORE_MASTER_KANA, CORE_REC_DOCTOR_MAX, OPT },
	{ "institution_code", CORE_MASTER_DIGITS, 10, OPT },
	END
};
static const struct core_master_column fee_category_columns[] = {
	{ "code", CORE_MASTER_CODE, CORE_REC_CODE_MAX, REQ },
	{ "name", CORE_MASTER_TEXT, 100, REQ },
	{ "amount_yen", CORE_MASTER_YEN, 0, OPT },
	END
};

static const struct {
	const char	*name;
	const char	*table;
	const struct core_master_column *columns;
} kinds[CORE_MASTER_NKINDS] = {
	[CORE_MASTER_VACCINE] = { "vaccine", "vaccines", vaccine_columns },
	[CORE_MASTER_MANUFACTURER] = { "manufacturer", "manufacturers",
	    manufacturer_columns },
	[CORE_MASTER_LOT] = { "lot", "lots", lot_columns },
	[CORE_MASTER_INSTITUTION] = { "institution", "medical_institutions",
	    institution_columns },
	[CORE_MASTER_DOCTOR] = { "doctor", "doctors", doctor_columns },
	[CORE_MASTER_FEE_CATEGORY] = { "fee_category", "fee_categories",
	    fee_category_columns },
};

/* What core_master_free() releases, behind the public struct. */
struct master {
	struct core_master	 pub;	/* first: the caller's pointer */
	json_t			*root;
	char			*file;
};

const char *
core_master_kind_name(enum core_master_kind k)
{
	return (unsigned)k < CORE_MASTER_NKINDS ? kinds[k].name : NULL;
}

const char *
core_master_table(enum core_master_kind k)
{
	return (unsigned)k < CORE_MASTER_NKINDS ? kinds[k].table : NULL;
}

size_t
core_master_ncolumns(enum core_master_kind k)
{
	size_t n = 0;

	if ((unsigned)k >= CORE_MASTER_NKINDS)
		return 0;
	while (kinds[k].columns[n].name != NULL)
		n++;
	return n;
}

const struct core_master_column *
core_master_column(enum core_master_kind k, size_t i)
{
	return i < core_master_ncolumns(k) ? &kinds[k].columns[i] : NULL;
}

static const char *
json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:	return "an object";
	case JSON_ARRAY:	return "an array";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:	return "an integer";
	case JSON_REAL:		return "a real number";
	case JSON_TRUE:		return "true";
	case JSON_FALSE:	return "false";
	default:		return "null";
	}
}

static int merr(struct sesshu_err *err, const char *file, const char *where,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* "FILE: WHERE: problem", always SESSHU_EFORMAT. */
static int
merr(struct sesshu_err *err, const char *file, const char *where,
    const char *fmt, ...)
{
	char what[SESSHU_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (where != NULL && where[0] != '\0')
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: %s: %s", file,
		    where, what);
	return sesshu_err_set(err, SESSHU_EFORMAT, "%s: %s", file, what);
}

static bool
is_code(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

/* Checks one present, non-null value v of column c. */
static int
check_value(const struct core_master_column *c, const json_t *v,
    const char *file, const char *where, struct sesshu_err *err)
{
	struct sesshu_err e = { 0 };
	struct core_date d;
	const char *s;
	size_t n;

	switch (c->check) {
	case CORE_MASTER_FLAG:
	case CORE_MASTER_YEN:
		if (!json_is_integer(v))
			return merr(err, file, where, "%s must be an integer, "
			    "not %s", c->name, json_kind(v));
		if (c->check == CORE_MASTER_FLAG && json_integer_value(v) != 0 &&
		    json_integer_value(v) != 1)
			return merr(err, file, where, "%s must be 0 or 1, not "
			    "%lld", c->name, (long long)json_integer_value(v));
		if (c->check == CORE_MASTER_YEN && (json_integer_value(v) < 0 ||
		    json_integer_value(v) > 100000000))
			return merr(err, file, where, "%s %lld is not an amount "
			    "of yen", c->name, (long long)json_integer_value(v));
		return 0;
	default:
		break;
	}
	if (!json_is_string(v))
		return merr(err, file, where, "%s must be a string, not %s",
		    c->name, json_kind(v));
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0)
		return merr(err, file, where, "%s is empty (leave an optional "
		    "column out instead)", c->name);
	switch (c->check) {
	case CORE_MASTER_TEXT:
	case CORE_MASTER_KANA:
		/* Free text is not quoted: it may be a doctor's name. */
		if (core_utf8_check(s, n, &n, &e) != 0)
			return merr(err, file, where, "%s: %s", c->name, e.msg);
		if (n > c->max)
			return merr(err, file, where, "%s is %zu characters, "
			    "more than %zu", c->name, n, c->max);
		if (c->check == CORE_MASTER_KANA &&
		    core_kana_check_katakana(s, strlen(s), &e) != 0)
			return merr(err, file, where, "%s: %s", c->name, e.msg);
		return 0;
	case CORE_MASTER_CODE:
		if (!is_code(s) || n > c->max)
			return merr(err, file, where, "%s \"%.40s\" is not a code "
			    "(printable ASCII without spaces, at most %zu "
			    "bytes)", c->name, s, c->max);
		return 0;
	case CORE_MASTER_DIGITS:
		if (n != c->max || strspn(s, "0123456789") != n)
			return merr(err, file, where, "%s \"%.40s\" is not %zu "
			    "ASCII digits", c->name, s, c->max);
		return 0;
	case CORE_MASTER_DATE:
		if (core_date_parse(s, n, &d, &e) != 0)
			return merr(err, file, where, "%s \"%.40s\": %s",
			    c->name, s, e.msg);
		return 0;
	case CORE_MASTER_VACCINE_CODE:
		if (core_vaccine_find(s, n) == NULL)
			return merr(err, file, where, "%s \"%.40s\" is not a "
			    "vaccine code (core/vaccine.c)", c->name, s);
		return 0;
	case CORE_MASTER_CLASS:
		if (strcmp(s, "A") != 0 && strcmp(s, "B") != 0)
			return merr(err, file, where, "%s \"%.40s\" is not A "
			    "(定期A類) or B (定期B類)", c->name, s);
		return 0;
	default:
		return 0;
	}
}

/* "rows[3] (BM101A/MR)": the row by index and key, for messages. */
static void
row_where(const struct core_master *m, size_t i, const json_t *row,
    char *buf, size_t size)
{
	const json_t *key = json_object_get(row, kinds[m->kind].columns[0].name);
	const json_t *vac = json_object_get(row, "vaccine_code");

	if (json_is_string(key) && m->kind == CORE_MASTER_LOT &&
	    json_is_string(vac))
		snprintf(buf, size, "rows[%zu] (%.32s/%.16s)", i,
		    json_string_value(key), json_string_value(vac));
	else if (json_is_string(key))
		snprintf(buf, size, "rows[%zu] (%.32s)", i,
		    json_string_value(key));
	else
		snprintf(buf, size, "rows[%zu]", i);
}

static int
check_row(const struct core_master *m, size_t i, const json_t *row,
    json_t *seen, const char *file, struct sesshu_err *err)
{
	const struct core_master_column *cols = kinds[m->kind].columns, *c;
	char where[96], key[64], list[256];
	const char *name;
	json_t *v, *prev;
	size_t used = 0;
	int rc;

	row_where(m, i, row, where, sizeof(where));
	if (!json_is_object(row))
		return merr(err, file, where, "must be an object, not %s",
		    json_kind(row));
	json_object_foreach((json_t *)row, name, v) {
		for (c = cols; c->name != NULL; c++)
			if (strcmp(c->name, name) == 0)
				break;
		if (c->name == NULL) {
			list[0] = '\0';
			for (c = cols; c->name != NULL; c++) {
				int k = snprintf(list + used, sizeof(list) - used,
				    "%s%s", c == cols ? "" : ", ", c->name);

				if (k < 0 || (size_t)k >= sizeof(list) - used)
					break;
				used += (size_t)k;
			}
			return merr(err, file, where, "unknown member \"%s\" "
			    "(%s has %s)", name, kinds[m->kind].table, list);
		}
	}
	for (c = cols; c->name != NULL; c++) {
		if ((v = json_object_get(row, c->name)) == NULL) {
			if (c->required)
				return merr(err, file, where, "%s is missing",
				    c->name);
			continue;
		}
		if ((rc = check_value(c, v, file, where, err)) != 0)
			return rc;
	}
	if (m->kind == CORE_MASTER_VACCINE &&
	    (v = json_object_get(row, "category")) != NULL) {
		const char *code = json_string_value(json_object_get(row, "code"));
		const struct core_vaccine *vac = core_vaccine_find(code,
		    strlen(code));

		if (json_string_value(v)[0] != vac->klass)
			return merr(err, file, where, "category %s, but %s is "
			    "定期%c類 (core/vaccine.c)", json_string_value(v),
			    code, vac->klass);
	}

	/* Unique keys: lots are keyed by lot and vaccine, as in the table. */
	snprintf(key, sizeof(key), "%s%s%s",
	    json_string_value(json_object_get(row, cols[0].name)),
	    m->kind == CORE_MASTER_LOT ? "\t" : "",
	    m->kind == CORE_MASTER_LOT ?
	    json_string_value(json_object_get(row, "vaccine_code")) : "");
	if ((prev = json_object_get(seen, key)) != NULL)
		return merr(err, file, where, "the same %s as rows[%lld]",
		    m->kind == CORE_MASTER_LOT ? "lot_no and vaccine_code" :
		    cols[0].name, (long long)json_integer_value(prev));
	if (json_object_set_new(seen, key, json_integer((json_int_t)i)) != 0)
		return sesshu_err_set(err, SESSHU_ENOMEM, "%s: out of memory",
		    file);
	return 0;
}

static int
parse(struct master *ms, const char *json, size_t len, const char *file,
    struct sesshu_err *err)
{
	struct core_master *m = &ms->pub;
	json_error_t je;
	json_t *kind, *rows, *seen, *row;
	const char *name;
	size_t i;
	int rc = 0;

	if ((ms->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s:%d:%d: invalid JSON: %s", file, je.line, je.column,
		    je.text);
	if (!json_is_object(ms->root))
		return merr(err, file, NULL, "must be a JSON object, not %s",
		    json_kind(ms->root));
	json_object_foreach(ms->root, name, row)
		if (strcmp(name, "kind") != 0 && strcmp(name, "rows") != 0)
			return merr(err, file, NULL, "unknown member \"%s\" "
			    "(expected kind, rows)", name);
	if ((kind = json_object_get(ms->root, "kind")) == NULL)
		return merr(err, file, NULL, "\"kind\" is missing");
	if (!json_is_string(kind))
		return merr(err, file, "kind", "must be a string, not %s",
		    json_kind(kind));
	for (m->kind = 0; m->kind < CORE_MASTER_NKINDS; m->kind++)
		if (strcmp(kinds[m->kind].name, json_string_value(kind)) == 0)
			break;
	if (m->kind == CORE_MASTER_NKINDS)
		return merr(err, file, "kind", "\"%.40s\" is not one of vaccine, "
		    "manufacturer, lot, institution, doctor, fee_category",
		    json_string_value(kind));
	m->kind_name = kinds[m->kind].name;
	m->table = kinds[m->kind].table;
	if ((rows = json_object_get(ms->root, "rows")) == NULL)
		return merr(err, file, NULL, "\"rows\" is missing");
	if (!json_is_array(rows))
		return merr(err, file, "rows", "must be an array, not %s",
		    json_kind(rows));
	if ((seen = json_object()) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "%s: out of memory",
		    file);
	json_array_foreach(rows, i, row)
		if ((rc = check_row(m, i, row, seen, file, err)) != 0)
			break;
	json_decref(seen);
	if (rc != 0)
		return rc;
	m->rows = rows;
	m->nrows = json_array_size(rows);
	return 0;
}

int
core_master_parse(const char *json, size_t len, const char *file,
    struct core_master **out, struct sesshu_err *err)
{
	struct master *ms;
	int rc;

	if (out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "no place for the set");
	*out = NULL;
	if (file == NULL)
		file = "(master)";
	if (json == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "%s: no text", file);
	if ((ms = calloc(1, sizeof(*ms))) == NULL ||
	    (ms->file = strdup(file)) == NULL) {
		free(ms);
		return sesshu_err_set(err, SESSHU_ENOMEM, "%s: out of memory",
		    file);
	}
	ms->pub.file = ms->file;
	if ((rc = parse(ms, json, len, file, err)) != 0) {
		core_master_free(&ms->pub);
		return rc;
	}
	*out = &ms->pub;
	return 0;
}

void
core_master_free(struct core_master *m)
{
	struct master *ms = (struct master *)m;

	if (ms == NULL)
		return;
	json_decref(ms->root);
	free(ms->file);
	free(ms);
}

const json_t *
core_master_find(const struct core_master *m, const char *key)
{
	const char *col;
	size_t i;
	json_t *row;

	if (m == NULL || key == NULL || m->rows == NULL)
		return NULL;
	col = kinds[m->kind].columns[0].name;
	json_array_foreach(m->rows, i, row)
		if (strcmp(json_string_value(json_object_get(row, col)), key) == 0)
			return row;
	return NULL;
}

/* Each row of from whose column col names no row of to. */
static int
check_ref(const struct core_master *from, const char *col,
    const struct core_master *to, struct sesshu_err *err)
{
	char where[96];
	size_t i;
	json_t *row;

	if (from == NULL || to == NULL)
		return 0;
	json_array_foreach(from->rows, i, row) {
		const json_t *v = json_object_get(row, col);

		if (v == NULL || core_master_find(to, json_string_value(v)) != NULL)
			continue;
		row_where(from, i, row, where, sizeof(where));
		return merr(err, from->file, where, "%s \"%s\" is not in %s",
		    col, json_string_value(v), to->file);
	}
	return 0;
}

int
core_master_check_refs(const struct core_master *const *sets, size_t n,
    struct sesshu_err *err)
{
	const struct core_master *by[CORE_MASTER_NKINDS] = { 0 };
	const struct core_master *vac;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (sets[i] == NULL || (unsigned)sets[i]->kind >=
		    CORE_MASTER_NKINDS)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "set %zu is not a parsed master set", i);
		if (by[sets[i]->kind] != NULL)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "%s and %s both hold %s rows",
			    by[sets[i]->kind]->file, sets[i]->file,
			    sets[i]->kind_name);
		by[sets[i]->kind] = sets[i];
	}
	if ((vac = by[CORE_MASTER_VACCINE]) != NULL)
		for (size_t i = 0; i < core_vaccine_count(); i++) {
			const char *code = core_vaccine_at(i)->code;

			if (core_master_find(vac, code) == NULL)
				return merr(err, vac->file, NULL, "vaccine %s of "
				    "core/vaccine.c has no row", code);
		}
	if ((rc = check_ref(by[CORE_MASTER_LOT], "vaccine_code", vac,
	    err)) != 0 ||
	    (rc = check_ref(by[CORE_MASTER_LOT], "maker_code",
	    by[CORE_MASTER_MANUFACTURER], err)) != 0 ||
	    (rc = check_ref(by[CORE_MASTER_DOCTOR], "institution_code",
	    by[CORE_MASTER_INSTITUTION], err)) != 0)
		return rc;
	return 0;
}
