/*
 * test_form.c: 予診票 forms as data and the master data seeds
 * (core/form.h, core/master.h): every file of the repository's forms/
 * parses and fits the store's tables, the city file applies to every form,
 * and each kind of mistake is refused with the file, the field and the
 * problem in the message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <glob.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/form.h"
#include "core/master.h"
#include "core/vaccine.h"

/* store/entity_schema.c: the tables the forms and seeds must fit. */
extern const char store_entities_v1_sql[];

#define SELF	"tests/unit/test_form.c"

/* The repository's root, from this file's path. */
static const char *
repo(void)
{
	static char root[4096];
	size_t n = strlen(__FILE__), s = strlen(SELF);

	if (root[0] == '\0') {
		if (n < s || strcmp(__FILE__ + n - s, SELF) != 0 ||
		    n - s >= sizeof(root))
			fail_msg("cannot find the repository from %s", __FILE__);
		memcpy(root, __FILE__, n - s);
		root[n - s] = '\0';
		if (root[0] == '\0')
			strcpy(root, "./");
	}
	return root;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (fp == NULL)
		fail_msg("cannot open %s", path);
	do {
		if (n + 4096 > cap &&
		    (buf = realloc(buf, cap = 2 * cap + 4096)) == NULL)
			fail_msg("out of memory");
		got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
	} while (got > 0);
	if (ferror(fp))
		fail_msg("cannot read %s", path);
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* "forms/x.json" for messages, from a path under the repository. */
static const char *
rel(const char *path)
{
	return path + strlen(repo());
}

static const char *
base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

static bool
is_form_file(const char *path)
{
	return strcmp(base(path), "schedule.json") != 0 &&
	    strcmp(base(path), "city.json") != 0;
}

/* Every path matching forms/<pattern> in the repository. */
static void
glob_forms(const char *pattern, glob_t *g)
{
	char pat[4200];

	snprintf(pat, sizeof(pat), "%sforms/%s", repo(), pattern);
	assert_int_equal(glob(pat, 0, NULL, g), 0);
}

static struct core_form *
load_form(const char *path)
{
	struct sesshu_err err = { 0 };
	struct core_form *f = NULL;
	size_t len;
	char *text = slurp(path, &len);

	if (core_form_parse(text, len, rel(path), &f, &err) != 0)
		fail_msg("%s", err.msg);
	free(text);
	return f;
}

static struct core_form *
load_named_form(const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%sforms/%s", repo(), name);
	return load_form(path);
}

static char *
city_text(size_t *len)
{
	char path[4200];

	snprintf(path, sizeof(path), "%sforms/city.json", repo());
	return slurp(path, len);
}

/* Identifiers of the CREATE TABLE statement of table, space-separated. */
static char *
table_words(const char *table)
{
	char head[128], *out, *o;
	const char *s, *e;

	snprintf(head, sizeof(head), "CREATE TABLE %s (", table);
	if ((s = strstr(store_entities_v1_sql, head)) == NULL)
		fail_msg("no table %s in store/entity_schema.c", table);
	s += strlen(head);
	if ((e = strchr(s, ';')) == NULL)
		fail_msg("table %s does not end", table);
	if ((o = out = malloc((size_t)(e - s) + 2)) == NULL)
		fail_msg("out of memory");
	*o++ = ' ';
	for (; s < e; s++)
		*o++ = isalnum((unsigned char)*s) || *s == '_' ? *s : ' ';
	*o = '\0';
	return out;
}

static bool
has_word(const char *words, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = words; (p = strstr(p, w)) != NULL; p++)
		if (p[-1] == ' ' && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* ---- The repository's forms ---------------------------------------- */

static void
test_form_every_repo_form_parses_with_the_three_keys(void **state)
{
	glob_t g;
	size_t nforms = 0;
	bool covered[32] = { false };

	(void)state;
	assert_true(core_vaccine_count() <= 32);
	glob_forms("*.json", &g);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct core_form *f;
		const struct core_form_field *fld;

		if (!is_form_file(g.gl_pathv[i]))
			continue;
		f = load_form(g.gl_pathv[i]);
		nforms++;
		assert_string_equal(f->file, rel(g.gl_pathv[i]));
		for (size_t v = 0; v < core_vaccine_count(); v++)
			if (strcmp(core_vaccine_at(v)->code, f->vaccine_code) == 0)
				covered[v] = true;
		assert_non_null(fld = core_form_field(f, "vaccinated_on"));
		assert_int_equal(fld->type, CORE_FORM_DATE);
		assert_true(fld->required);
		assert_non_null(fld = core_form_field(f, "dose"));
		assert_int_equal(fld->type, CORE_FORM_INTEGER);
		assert_true(fld->required);
		assert_true(fld->min >= 1 && fld->max <= 9);
		assert_non_null(fld = core_form_field(f, "institution_code"));
		assert_int_equal(fld->source, CORE_FORM_SOURCE_INSTITUTION);
		assert_true(fld->required);
		assert_true(fld->from_batch);
		/* The common sheet starts where the keystrokes are. */
		assert_string_equal(f->fields[0].item, "vaccinated_on");
		assert_string_equal(f->fields[1].item, "dose");
		for (size_t k = 0; k < f->nfields; k++)
			assert_false(f->fields[k].hidden);
		core_form_free(f);
	}
	globfree(&g);
	assert_true(nforms >= core_vaccine_count());
	for (size_t v = 0; v < core_vaccine_count(); v++)
		if (!covered[v])
			fail_msg("no form for vaccine %s", core_vaccine_at(v)->code);
}

static void
test_form_items_are_record_columns(void **state)
{
	char *words = table_words("vaccination_records");

	(void)state;
	assert_int_equal(core_form_item_count(), 20);
	for (size_t i = 0; i < core_form_item_count(); i++)
		if (!has_word(words, core_form_item_at(i)))
			fail_msg("item %s is not a column of vaccination_records",
			    core_form_item_at(i));
	assert_null(core_form_item_at(core_form_item_count()));
	free(words);
	assert_string_equal(core_form_type_name(CORE_FORM_MONTH), "month");
	assert_string_equal(core_form_source_name(CORE_FORM_SOURCE_FEE_CATEGORY),
	    "fee_category");
	assert_null(core_form_source_name(CORE_FORM_SOURCE_NONE));
}

static void
test_form_mr_has_stages_defaults_and_sources(void **state)
{
	struct core_form *f = load_named_form("yoshinhyo-mr.json");
	const struct core_form_field *fld;
	static const char *const order[] = {
		"vaccinated_on", "dose", "stage", "lot_no", "vaccinating_doctor",
		"screening_only",
	};

	(void)state;
	assert_string_equal(f->id, "yoshinhyo-mr");
	assert_string_equal(f->vaccine_code, "MR");
	assert_string_equal(f->file, "forms/yoshinhyo-mr.json");
	assert_int_equal(f->nstages, 2);
	assert_string_equal(f->stages[0], "1期");
	assert_string_equal(f->stages[1], "2期");
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		assert_string_equal(f->fields[i].item, order[i]);
	fld = core_form_field(f, "dose");
	assert_string_equal(fld->default_value, "1");
	assert_int_equal(fld->min, 1);
	assert_int_equal(fld->max, 2);
	fld = core_form_field(f, "lot_no");
	assert_int_equal(fld->type, CORE_FORM_CODE);
	assert_int_equal(fld->source, CORE_FORM_SOURCE_LOT);
	assert_false(fld->required);	/* 予診のみ has no lot */
	fld = core_form_field(f, "amount_ml");
	assert_string_equal(fld->default_value, "0.5");
	fld = core_form_field(f, "site");
	assert_int_equal(fld->type, CORE_FORM_CHOICE);
	assert_int_equal(fld->nchoices, 4);
	assert_string_equal(fld->choices[0].value, "左上腕");
	assert_string_equal(fld->choices[0].label_en, "left upper arm");
	fld = core_form_field(f, "billing_month");
	assert_int_equal(fld->type, CORE_FORM_MONTH);
	assert_true(fld->from_batch);
	assert_null(fld->default_value);
	fld = core_form_field(f, "note");
	assert_int_equal(fld->max_length, 200);
	assert_null(core_form_field(f, "venue_code"));
	assert_null(core_form_field(f, "atena_no"));
	core_form_free(f);

	/* No stage field, no stages; an oral vaccine has no site. */
	f = load_named_form("yoshinhyo-rota5.json");
	assert_int_equal(f->nstages, 0);
	assert_null(f->stages);
	assert_null(core_form_field(f, "site"));
	assert_string_equal(core_form_field(f, "amount_ml")->default_value,
	    "2.0");
	assert_string_equal(core_form_field(f, "method")->default_value, "経口");
	core_form_free(f);
	core_form_free(NULL);
}

/* ---- The city's customisation -------------------------------------- */

static void
test_form_city_applies_to_every_form(void **state)
{
	struct sesshu_err err = { 0 };
	size_t clen, nvenue = 0;
	char *city = city_text(&clen);
	glob_t g;

	(void)state;
	glob_forms("*.json", &g);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct core_form *f;

		if (!is_form_file(g.gl_pathv[i]))
			continue;
		f = load_form(g.gl_pathv[i]);
		if (core_form_apply_city(f, city, clen, "forms/city.json",
		    &err) != 0)
			fail_msg("%s", err.msg);
		for (size_t k = 0; k < f->nfields; k++) {
			const struct core_form_field *fld = &f->fields[k];

			/* The demo city's assessment does not list 会場. */
			assert_int_equal(fld->hidden,
			    strcmp(fld->item, "venue_code") == 0);
			assert_false(fld->hidden && fld->required);
			nvenue += fld->hidden;
		}
		core_form_free(f);
	}
	globfree(&g);
	assert_true(nvenue >= 2);	/* BCG and COVID have one */
	free(city);
}

static void
city_refused(const char *form, const char *city, const char *want1,
    const char *want2)
{
	struct sesshu_err err = { 0 };
	struct core_form *f = load_named_form(form);

	assert_int_equal(core_form_apply_city(f, city, strlen(city),
	    "forms/city.json", &err), SESSHU_EFORMAT);
	if (strncmp(err.msg, "forms/city.json", 15) != 0 ||
	    strstr(err.msg, want1) == NULL ||
	    (want2 != NULL && strstr(err.msg, want2) == NULL))
		fail_msg("\"%s\" lacks \"%s\" or \"%s\"", err.msg, want1,
		    want2 != NULL ? want2 : "");
	/* A refusal leaves the form as it was. */
	for (size_t k = 0; k < f->nfields; k++)
		assert_false(f->fields[k].hidden);
	core_form_free(f);
}

static void
test_form_city_refuses_hiding_a_required_item(void **state)
{
	(void)state;
	city_refused("yoshinhyo-bcg.json",
	    "{\"city\": \"東雲県若葉市\", \"version\": 1, "
	    "\"hidden\": [\"venue_code\", \"note\", \"dose\"]}",
	    "form yoshinhyo-bcg: hidden[2] (dose): "
	    "forms/yoshinhyo-bcg.json requires dose", "cannot be hidden");
	city_refused("yoshinhyo-mr.json",
	    "{\"city\": \"c\", \"version\": 1, "
	    "\"hidden\": [\"institution_code\"]}",
	    "form yoshinhyo-mr: hidden[0] (institution_code)",
	    "a required item cannot be hidden");
}

static void
test_form_city_refuses_unknown_items_and_bad_files(void **state)
{
	(void)state;
	city_refused("yoshinhyo-mr.json",
	    "{\"city\": \"c\", \"version\": 1, \"hidden\": [\"venue\"]}",
	    "form yoshinhyo-mr: hidden[0] (venue)",
	    "\"venue\" is not an item of a 予診票");
	city_refused("yoshinhyo-mr.json",
	    "{\"city\": \"c\", \"version\": 1, \"hidden\": [\"note\", "
	    "\"note\"]}", "hidden[1] (note)", "note is also hidden[0]");
	city_refused("yoshinhyo-mr.json",
	    "{\"city\": \"c\", \"version\": 1, \"hidden\": [3]}",
	    "hidden[0]", "must be an item name, not an integer");
	city_refused("yoshinhyo-mr.json",
	    "{\"city\": \"c\", \"version\": 1, \"hidden\": \"note\"}",
	    "hidden: must be an array, not a string", NULL);
	city_refused("yoshinhyo-mr.json",
	    "{\"city\": \"c\", \"version\": 1, \"hidden\": [], \"show\": []}",
	    "unknown member \"show\"", NULL);
	city_refused("yoshinhyo-mr.json", "{\"version\": 1, \"hidden\": []}",
	    "\"city\" is missing", NULL);
	city_refused("yoshinhyo-mr.json", "{\"city\": \"c\", \"version\": 1,\n"
	    "\"hidden\": [\"note\",]}", "forms/city.json:2:", "invalid JSON");
}

static void
test_form_city_skips_items_the_form_lacks(void **state)
{
	struct sesshu_err err = { 0 };
	struct core_form *f = load_named_form("yoshinhyo-rota1.json");
	const char *city = "{\"city\": \"c\", \"version\": 1, "
	    "\"hidden\": [\"site\", \"note\"]}";

	(void)state;
	assert_null(core_form_field(f, "site"));
	assert_int_equal(core_form_apply_city(f, city, strlen(city),
	    "forms/city.json", &err), 0);
	assert_true(core_form_field(f, "note")->hidden);
	assert_false(core_form_field(f, "lot_no")->hidden);
	core_form_free(f);
}

/* ---- Broken forms --------------------------------------------------- */

static const char base_form[] =
"{\"form\": \"broken\", \"version\": 1, \"vaccine\": \"MR\","
" \"title_ja\": \"テスト\", \"title_en\": \"Test\", \"fields\": ["
" {\"item\": \"vaccinated_on\", \"type\": \"date\", \"required\": true,"
"  \"label_ja\": \"接種日\", \"label_en\": \"Date\"},"
" {\"item\": \"dose\", \"type\": \"integer\", \"required\": true, \"min\": 1,"
"  \"max\": 2, \"default\": 1, \"label_ja\": \"回数\", \"label_en\": \"Dose\"},"
" {\"item\": \"lot_no\", \"type\": \"code\", \"source\": \"lot\","
"  \"label_ja\": \"ロット番号\", \"label_en\": \"Lot\"},"
" {\"item\": \"site\", \"type\": \"choice\", \"label_ja\": \"部位\","
"  \"label_en\": \"Site\", \"choices\": [{\"value\": \"左上腕\","
"  \"label_ja\": \"左上腕\", \"label_en\": \"left upper arm\"}]},"
" {\"item\": \"institution_code\", \"type\": \"code\", \"required\": true,"
"  \"source\": \"institution\", \"default\": \"batch\","
"  \"label_ja\": \"医療機関\", \"label_en\": \"Institution\"},"
" {\"item\": \"note\", \"type\": \"text\", \"max_length\": 100,"
"  \"label_ja\": \"備考\", \"label_en\": \"Remarks\"},"
" {\"item\": \"amount_ml\", \"type\": \"number\", \"default\": 0.5,"
"  \"label_ja\": \"接種量\", \"label_en\": \"Amount\"}"
"]}";

/*
 * base with one edit: in the object at array[index] (the root when array
 * is NULL), key set to the JSON text value, or removed when value is NULL;
 * with key NULL, array[index] itself is removed (value NULL) or value is
 * appended to array. Caller frees.
 */
static char *
edit(const char *text, const char *array, long index, const char *key,
    const char *value)
{
	json_t *root = json_loads(text, 0, NULL), *target = root, *arr = NULL;
	json_t *v = NULL;
	char *out;

	assert_non_null(root);
	if (array != NULL) {
		assert_non_null(arr = json_object_get(root, array));
		target = json_array_get(arr, (size_t)index);
	}
	if (value != NULL &&
	    (v = json_loads(value, JSON_DECODE_ANY, NULL)) == NULL)
		fail_msg("bad test value %s", value);
	if (key == NULL && value == NULL)
		assert_int_equal(json_array_remove(arr, (size_t)index), 0);
	else if (key == NULL)
		assert_int_equal(json_array_append_new(arr, v), 0);
	else if (value == NULL)
		assert_int_equal(json_object_del(target, key), 0);
	else
		assert_int_equal(json_object_set_new(target, key, v), 0);
	out = json_dumps(root, JSON_PRESERVE_ORDER);
	json_decref(root);
	assert_non_null(out);
	return out;
}

struct broken {
	long		 index;		/* fields[index]; -1: the root */
	const char	*key;		/* NULL: remove fields[index] */
	const char	*value;		/* JSON; NULL: remove key */
	int		 code;
	const char	*want[2];
};

static const struct broken broken_forms[] = {
	{ 2, "type", "\"lots\"", SESSHU_EFORMAT,
	  { "fields[2] (lot_no): type \"lots\" is not one of date, month, "
	    "integer, number, text, code, choice, flag" } },
	{ 1, "maximum", "3", SESSHU_EFORMAT,
	  { "fields[1] (dose): unknown member \"maximum\"",
	    "(expected item, type," } },
	{ -1, "colour", "\"red\"", SESSHU_EFORMAT,
	  { "forms/broken.json: unknown member \"colour\"" } },
	{ 0, "label_ja", "5", SESSHU_EFORMAT,
	  { "fields[0] (vaccinated_on): \"label_ja\" must be a string, not an "
	    "integer" } },
	{ 3, "label_en", NULL, SESSHU_EFORMAT,
	  { "fields[3] (site): \"label_en\" is missing" } },
	{ 2, "item", "\"lot\"", SESSHU_EFORMAT,
	  { "fields[2] (lot): item \"lot\" is not one of dose, stage," } },
	{ 2, "item", "\"dose\"", SESSHU_EFORMAT,
	  { "fields[2] (dose): item dose is also fields[1]" } },
	{ 2, "source", NULL, SESSHU_EFORMAT,
	  { "fields[2] (lot_no): a code field needs \"source\" (expected lot)" } },
	{ 2, "source", "\"doctor\"", SESSHU_EFORMAT,
	  { "fields[2] (lot_no): source doctor does not fit lot_no (expected "
	    "lot)" } },
	{ 2, "source", "\"lots\"", SESSHU_EFORMAT,
	  { "fields[2] (lot_no): source \"lots\" is not one of institution," } },
	{ 2, "type", "\"date\"", SESSHU_EFORMAT,
	  { "fields[2] (lot_no): type date does not fit lot_no (expected text, "
	    "code)" } },
	{ 3, "choices", NULL, SESSHU_EFORMAT,
	  { "fields[3] (site): a choice field needs \"choices\"" } },
	{ 3, "choices", "[]", SESSHU_EFORMAT,
	  { "fields[3] (site): \"choices\" is empty" } },
	{ 3, "choices", "[{\"value\": \"左上腕\", \"label_ja\": \"a\", "
	  "\"label_en\": \"a\"}, {\"value\": \"左上腕\", \"label_ja\": \"b\", "
	  "\"label_en\": \"b\"}]", SESSHU_EFORMAT,
	  { "fields[3] (site): choices[1]: value \"左上腕\" is also choices[0]" } },
	{ 3, "choices", "[{\"value\": \"左上腕\", \"label_ja\": \"a\"}]",
	  SESSHU_EFORMAT,
	  { "fields[3] (site): choices[0]: \"label_en\" is missing" } },
	{ 3, "default", "\"右上腕\"", SESSHU_EFORMAT,
	  { "fields[3] (site): default \"右上腕\" is not one of the choices" } },
	{ 1, "min", "3", SESSHU_EFORMAT,
	  { "fields[1] (dose): min 3 is more than max 2" } },
	{ 1, "max", "12", SESSHU_EFORMAT,
	  { "fields[1] (dose): 1..12 is outside what the record holds (1..9)" } },
	{ 1, "default", "\"1\"", SESSHU_EFORMAT,
	  { "fields[1] (dose): default must be an integer, not a string" } },
	{ 1, "default", "5", SESSHU_EFORMAT,
	  { "fields[1] (dose): default 5 is outside 1..2" } },
	{ 5, "min", "1", SESSHU_EFORMAT,
	  { "fields[5] (note): \"min\" applies to integer fields only, and this "
	    "is text" } },
	{ 5, "max_length", "201", SESSHU_EFORMAT,
	  { "fields[5] (note): max_length 201 is not within 1..200" } },
	{ 2, "default", "\"batch\"", SESSHU_EFORMAT,
	  { "fields[2] (lot_no): default \"batch\": the batch holds only "
	    "institution_code and billing_month" } },
	{ 6, "default", "0.1234", SESSHU_EFORMAT,
	  { "fields[6] (amount_ml): default", "more than 3 decimal places" } },
	{ 6, "default", "6", SESSHU_EFORMAT,
	  { "fields[6] (amount_ml): default 6.0: ", "more than 5 ml" } },
	{ 0, "required", "false", SESSHU_EFORMAT,
	  { "fields[0] (vaccinated_on): must be \"required\": true" } },
	{ 0, "required", "1", SESSHU_EFORMAT,
	  { "fields[0] (vaccinated_on): \"required\" must be true or false, "
	    "not an integer" } },
	{ 0, NULL, NULL, SESSHU_EFORMAT,
	  { "fields: no field for vaccinated_on" } },
	{ 1, NULL, NULL, SESSHU_EFORMAT,
	  { "fields: no field for dose" } },
	{ 4, NULL, NULL, SESSHU_EFORMAT,
	  { "fields: no field for institution_code" } },
	{ -1, "vaccine", "\"MMR\"", SESSHU_EFORMAT,
	  { "vaccine: \"MMR\" is not a vaccine code" } },
	{ -1, "title_en", NULL, SESSHU_EFORMAT,
	  { "forms/broken.json: \"title_en\" is missing" } },
	{ -1, "form", "\"yoshinhyo-mr\"", SESSHU_EFORMAT,
	  { "form: \"yoshinhyo-mr\" does not match the file name" } },
	{ -1, "fields", "{}", SESSHU_EFORMAT,
	  { "fields: must be an array, not an object" } },
	{ -1, "fields", "[]", SESSHU_EFORMAT, { "fields: is empty" } },
	{ -1, "version", "2", SESSHU_EVERSION,
	  { "version: 2 is newer than this sesshu reads (1)" } },
	{ -1, "version", "\"1\"", SESSHU_EFORMAT,
	  { "version: must be an integer, not a string" } },
};

static void
form_refused(const char *text, int code, const char *want1,
    const char *want2)
{
	struct sesshu_err err = { 0 };
	struct core_form *f = (struct core_form *)&err;	/* not NULL */

	assert_int_equal(core_form_parse(text, strlen(text),
	    "forms/broken.json", &f, &err), code);
	assert_null(f);
	assert_int_equal(err.code, code);
	if (strncmp(err.msg, "forms/broken.json", 17) != 0 ||
	    strstr(err.msg, want1) == NULL ||
	    (want2 != NULL && strstr(err.msg, want2) == NULL))
		fail_msg("\"%s\" lacks \"%s\" or \"%s\"", err.msg, want1,
		    want2 != NULL ? want2 : "");
}

static void
test_form_base_of_the_broken_ones_parses(void **state)
{
	struct sesshu_err err = { 0 };
	struct core_form *f;

	(void)state;
	if (core_form_parse(base_form, strlen(base_form), "forms/broken.json",
	    &f, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(f->nfields, 7);
	assert_int_equal(core_form_field(f, "note")->max_length, 100);
	assert_int_equal(core_form_field(f, "lot_no")->max_length, 32);
	assert_int_equal(core_form_field(f, "institution_code")->max_length, 10);
	core_form_free(f);
}

static void
test_form_refuses_each_kind_of_mistake(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(broken_forms) / sizeof(broken_forms[0]);
	    i++) {
		const struct broken *b = &broken_forms[i];
		char *text = edit(base_form, b->index < 0 ? NULL : "fields",
		    b->index, b->key, b->value);

		form_refused(text, b->code, b->want[0], b->want[1]);
		free(text);
	}
}

static void
test_form_refuses_invalid_json_with_line_and_column(void **state)
{
	(void)state;
	form_refused("{\n  \"form\": \"broken\",\n  \"version\": 1,\n"
	    "  \"fields\": [ {\"item\": \"dose\",, } ]\n}", SESSHU_EFORMAT,
	    "forms/broken.json:4:", "invalid JSON");
	form_refused("{\"form\": \"broken\", \"form\": \"broken\"}",
	    SESSHU_EFORMAT, "forms/broken.json:1:", "duplicate object key");
	form_refused("[1, 2]", SESSHU_EFORMAT,
	    "forms/broken.json: must be a JSON object, not an array", NULL);
	form_refused("", SESSHU_EFORMAT, "forms/broken.json:", "invalid JSON");
}

static void
test_form_refuses_a_field_that_is_not_an_object(void **state)
{
	char *text = edit(base_form, "fields", 0, NULL, "\"lot_no\"");

	(void)state;
	form_refused(text, SESSHU_EFORMAT,
	    "fields[7]: must be an object, not a string", NULL);
	free(text);
}

/* ---- Master data ----------------------------------------------------- */

static struct core_master *
load_master(const char *path)
{
	struct sesshu_err err = { 0 };
	struct core_master *m = NULL;
	size_t len;
	char *text = slurp(path, &len);

	if (core_master_parse(text, len, rel(path), &m, &err) != 0)
		fail_msg("%s", err.msg);
	free(text);
	return m;
}

static const struct core_master *
of_kind(struct core_master **sets, size_t n, enum core_master_kind k)
{
	for (size_t i = 0; i < n; i++)
		if (sets[i]->kind == k)
			return sets[i];
	fail_msg("no seed of kind %s", core_master_kind_name(k));
	return NULL;
}

static const char *
str(const json_t *row, const char *col)
{
	return json_string_value(json_object_get(row, col));
}

static void
check_lots(const struct core_master *lots)
{
	struct core_date lo = { 2027, 6, 30 }, hi = { 2029, 12, 31 };
	struct core_date old = { 2025, 3, 31 };

	for (size_t v = 0; v < core_vaccine_count(); v++) {
		const char *code = core_vaccine_at(v)->code;
		size_t current = 0, expired = 0, i;
		json_t *row;

		json_array_foreach(lots->rows, i, row) {
			struct core_date d;
			const char *e = str(row, "expiry");

			if (strcmp(str(row, "vaccine_code"), code) != 0)
				continue;
			assert_int_equal(core_date_parse(e, strlen(e), &d,
			    NULL), 0);
			if (core_date_cmp(&d, &lo) >= 0 &&
			    core_date_cmp(&d, &hi) <= 0)
				current++;
			else if (core_date_cmp(&d, &old) == 0)
				expired++;
			else
				fail_msg("lot %s expires %s", str(row, "lot_no"),
				    e);
		}
		if (current < 2 || current > 4)
			fail_msg("%s has %zu current lots", code, current);
		assert_int_equal(expired, strcmp(code, "MR") == 0 ||
		    strcmp(code, "FLU") == 0);
	}
}

/* Every institution of the word list, with in_city from its kind. */
static void
check_institutions(const struct core_master *inst)
{
	char path[4200], line[512];
	size_t n = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%sassets/wordlists/institutions.txt",
	    repo());
	assert_non_null(fp = fopen(path, "r"));
	while (fgets(line, sizeof(line), fp) != NULL) {
		char code[16], kind[4], name[256];
		const json_t *row;

		if (line[0] == '#' || sscanf(line, "%15s %3s %255s", code, kind,
		    name) != 3)
			continue;
		n++;
		if ((row = core_master_find(inst, code)) == NULL)
			fail_msg("institution %s is not in the seed", code);
		assert_string_equal(str(row, "name"), name);
		assert_int_equal(json_integer_value(json_object_get(row,
		    "in_city")), strcmp(kind, "X") != 0);
	}
	fclose(fp);
	assert_int_equal(n, inst->nrows);
}

static void
test_master_every_repo_seed_parses_and_references_hold(void **state)
{
	struct sesshu_err err = { 0 };
	struct core_master *sets[16];
	size_t n = 0;
	bool seen[CORE_MASTER_NKINDS] = { false };
	glob_t g;

	(void)state;
	glob_forms("master/*.json", &g);
	assert_true(g.gl_pathc <= 16);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *words;

		sets[n] = load_master(g.gl_pathv[i]);
		assert_false(seen[sets[n]->kind]);
		seen[sets[n]->kind] = true;
		assert_true(sets[n]->nrows > 0);
		/* Each column of the seed is a column of its table. */
		words = table_words(sets[n]->table);
		for (size_t c = 0; c < core_master_ncolumns(sets[n]->kind); c++)
			if (!has_word(words, core_master_column(sets[n]->kind,
			    c)->name))
				fail_msg("%s has no column %s", sets[n]->table,
				    core_master_column(sets[n]->kind, c)->name);
		free(words);
		n++;
	}
	globfree(&g);
	for (size_t k = 0; k < CORE_MASTER_NKINDS; k++)
		if (!seen[k])
			fail_msg("no seed of kind %s", core_master_kind_name(k));
	if (core_master_check_refs((const struct core_master *const *)sets, n,
	    &err) != 0)
		fail_msg("%s", err.msg);

	check_lots(of_kind(sets, n, CORE_MASTER_LOT));
	check_institutions(of_kind(sets, n, CORE_MASTER_INSTITUTION));
	assert_int_equal(of_kind(sets, n, CORE_MASTER_VACCINE)->nrows,
	    core_vaccine_count());
	for (size_t i = 0; i < n; i++)
		core_master_free(sets[i]);
}

/* A dangling reference names the row, the code and both files. */
static void
test_master_lot_refs_name_both_files(void **state)
{
	struct sesshu_err err = { 0 };
	struct core_master *lots, *makers, *vacc, *makers2;
	const char *l = "{\"kind\": \"lot\", \"rows\": ["
	    "{\"lot_no\": \"BM101A\", \"vaccine_code\": \"MR\","
	    " \"maker_code\": \"BIKEN\", \"expiry\": \"2027-12-31\"},"
	    "{\"lot_no\": \"XX999Z\", \"vaccine_code\": \"MR\","
	    " \"maker_code\": \"NOPE\", \"expiry\": \"2027-12-31\"}]}";
	const char *mk = "{\"kind\": \"manufacturer\", \"rows\": ["
	    "{\"code\": \"BIKEN\", \"name_ja\": \"BIKEN\"}]}";
	const char *va = "{\"kind\": \"vaccine\", \"rows\": ["
	    "{\"code\": \"MR\", \"name_ja\": \"MR\", \"name_en\": \"MR\"}]}";
	const struct core_master *sets[3];

	(void)state;
	assert_int_equal(core_master_parse(l, strlen(l), "forms/master/lots.json",
	    &lots, &err), 0);
	assert_int_equal(core_master_parse(mk, strlen(mk),
	    "forms/master/manufacturers.json", &makers, &err), 0);
	assert_int_equal(core_master_parse(mk, strlen(mk), "other.json",
	    &makers2, &err), 0);
	assert_int_equal(core_master_parse(va, strlen(va),
	    "forms/master/vaccines.json", &vacc, &err), 0);
	assert_string_equal(lots->table, "lots");
	assert_int_equal(lots->nrows, 2);
	assert_string_equal(str(core_master_find(lots, "XX999Z"), "maker_code"),
	    "NOPE");

	sets[0] = lots;
	sets[1] = makers;
	assert_int_equal(core_master_check_refs(sets, 2, &err), SESSHU_EFORMAT);
	assert_string_equal(err.msg, "forms/master/lots.json: rows[1] "
	    "(XX999Z/MR): maker_code \"NOPE\" is not in "
	    "forms/master/manufacturers.json");
	/* Without the manufacturers, the makers are not checked. */
	assert_int_equal(core_master_check_refs(sets, 1, &err), 0);
	/* A vaccine seed must hold every vaccine of the code table. */
	sets[1] = vacc;
	assert_int_equal(core_master_check_refs(sets, 2, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "forms/master/vaccines.json: vaccine "
	    "HIB of core/vaccine.c has no row"));
	sets[1] = makers;
	sets[2] = makers2;
	assert_int_equal(core_master_check_refs(sets + 1, 2, &err),
	    SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "both hold manufacturer rows"));
	core_master_free(lots);
	core_master_free(makers);
	core_master_free(makers2);
	core_master_free(vacc);
}

static void
test_master_doctor_refs_and_messages_without_names(void **state)
{
	struct sesshu_err err = { 0 };
	struct core_master *docs, *inst, *m = NULL;
	const char *d = "{\"kind\": \"doctor\", \"rows\": ["
	    "{\"code\": \"D9910100016-01\", \"name\": \"山田　花子\","
	    " \"institution_code\": \"9910100024\"}]}";
	const char *in = "{\"kind\": \"institution\", \"rows\": ["
	    "{\"code\": \"9910100016\", \"name\": \"若葉市保健センター\","
	    " \"in_city\": 1}]}";
	const struct core_master *sets[2];
	char longname[400] = "山田";

	(void)state;
	assert_int_equal(core_master_parse(d, strlen(d), "doctors.json", &docs,
	    &err), 0);
	assert_int_equal(core_master_parse(in, strlen(in), "institutions.json",
	    &inst, &err), 0);
	sets[0] = inst;
	sets[1] = docs;
	assert_int_equal(core_master_check_refs(sets, 2, &err), SESSHU_EFORMAT);
	assert_string_equal(err.msg, "doctors.json: rows[0] (D9910100016-01): "
	    "institution_code \"9910100024\" is not in institutions.json");
	core_master_free(docs);
	core_master_free(inst);

	/* A doctor's name is never quoted, even when it is refused. */
	for (int i = 0; i < 60; i++)
		strcat(longname, "子");
	{
		char text[1024];

		snprintf(text, sizeof(text), "{\"kind\": \"doctor\", \"rows\": "
		    "[{\"code\": \"D1\", \"name\": \"%s\"}]}", longname);
		assert_int_equal(core_master_parse(text, strlen(text),
		    "doctors.json", &m, &err), SESSHU_EFORMAT);
		assert_null(m);
		assert_string_equal(err.msg, "doctors.json: rows[0] (D1): name "
		    "is 62 characters, more than 60");
	}
}

struct broken_master {
	const char	*base;
	const char	*key;		/* in rows[0]; "-key" at the root */
	const char	*value;		/* JSON; NULL: remove key */
	const char	*want;
};

static const char lot_seed[] = "{\"kind\": \"lot\", \"rows\": ["
    "{\"lot_no\": \"BM101A\", \"vaccine_code\": \"MR\","
    " \"maker_code\": \"BIKEN\", \"expiry\": \"2027-12-31\"}]}";
static const char inst_seed[] = "{\"kind\": \"institution\", \"rows\": ["
    "{\"code\": \"9910100016\", \"name\": \"若葉市保健センター\","
    " \"name_kana\": \"ワカバシホケンセンター\", \"in_city\": 1}]}";
static const char vacc_seed[] = "{\"kind\": \"vaccine\", \"rows\": ["
    "{\"code\": \"FLU\", \"name_ja\": \"高齢者インフルエンザ\","
    " \"name_en\": \"Influenza\", \"category\": \"B\"}]}";
static const char fee_seed[] = "{\"kind\": \"fee_category\", \"rows\": ["
    "{\"code\": \"10\", \"name\": \"公費\", \"amount_yen\": 0}]}";

static const struct broken_master broken_seeds[] = {
	{ lot_seed, "-kind", "\"lots\"", "kind: \"lots\" is not one of vaccine, "
	  "manufacturer, lot, institution, doctor, fee_category" },
	{ lot_seed, "-kind", NULL, "\"kind\" is missing" },
	{ lot_seed, "-version", "1", "unknown member \"version\" (expected kind, "
	  "rows)" },
	{ lot_seed, "-rows", "{}", "rows: must be an array, not an object" },
	{ lot_seed, "colour", "\"red\"", "rows[0] (BM101A/MR): unknown member "
	  "\"colour\" (lots has lot_no, vaccine_code, maker_code, expiry)" },
	{ lot_seed, "expiry", NULL, "rows[0] (BM101A/MR): expiry is missing" },
	{ lot_seed, "expiry", "\"2027-02-30\"", "rows[0] (BM101A/MR): expiry "
	  "\"2027-02-30\": " },
	{ lot_seed, "expiry", "20271231", "expiry must be a string, not an "
	  "integer" },
	{ lot_seed, "vaccine_code", "\"MMR\"", "rows[0] (BM101A/MMR): "
	  "vaccine_code \"MMR\" is not a vaccine code" },
	{ lot_seed, "maker_code", "\"BI KEN\"", "maker_code \"BI KEN\" is not a "
	  "code" },
	{ lot_seed, "maker_code", "\"\"", "maker_code is empty" },
	{ inst_seed, "code", "\"99101\"", "rows[0] (99101): code \"99101\" is "
	  "not 10 ASCII digits" },
	{ inst_seed, "in_city", "2", "in_city must be 0 or 1, not 2" },
	{ inst_seed, "in_city", NULL, "in_city is missing" },
	{ inst_seed, "name_kana", "\"わかば\"", "rows[0] (9910100016): "
	  "name_kana: " },
	{ vacc_seed, "category", "\"A\"", "rows[0] (FLU): category A, but FLU "
	  "is 定期B類" },
	{ vacc_seed, "category", "\"C\"", "category \"C\" is not A" },
	{ fee_seed, "amount_yen", "-1", "amount_yen -1 is not an amount of yen" },
	{ fee_seed, "amount_yen", "\"0\"", "amount_yen must be an integer, not "
	  "a string" },
};

static void
master_refused(const char *text, const char *want)
{
	struct sesshu_err err = { 0 };
	struct core_master *m = (struct core_master *)&err;

	assert_int_equal(core_master_parse(text, strlen(text),
	    "forms/master/x.json", &m, &err), SESSHU_EFORMAT);
	assert_null(m);
	if (strncmp(err.msg, "forms/master/x.json", 19) != 0 ||
	    strstr(err.msg, want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.msg, want);
}

static void
test_master_refuses_each_kind_of_mistake(void **state)
{
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(broken_seeds) / sizeof(broken_seeds[0]);
	    i++) {
		const struct broken_master *b = &broken_seeds[i];

		if (b->key[0] == '-')
			text = edit(b->base, NULL, 0, b->key + 1, b->value);
		else
			text = edit(b->base, "rows", 0, b->key, b->value);
		master_refused(text, b->want);
		free(text);
	}
	/* The same key twice. */
	text = edit(lot_seed, "rows", 0, NULL, "{\"lot_no\": \"BM101A\", "
	    "\"vaccine_code\": \"MR\", \"maker_code\": \"DAIICHI\", "
	    "\"expiry\": \"2028-12-31\"}");
	master_refused(text, "rows[1] (BM101A/MR): the same lot_no and "
	    "vaccine_code as rows[0]");
	free(text);
	/* The same lot number for another vaccine is another lot. */
	text = edit(lot_seed, "rows", 0, NULL, "{\"lot_no\": \"BM101A\", "
	    "\"vaccine_code\": \"VAR\", \"maker_code\": \"BIKEN\", "
	    "\"expiry\": \"2028-12-31\"}");
	{
		struct core_master *m;

		assert_int_equal(core_master_parse(text, strlen(text), "x.json",
		    &m, NULL), 0);
		core_master_free(m);
	}
	free(text);
	master_refused("{\"kind\": \"lot\",\n \"rows\": [,]}",
	    "forms/master/x.json:2:");
	master_refused("[]", "must be a JSON object, not an array");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_every_repo_form_parses_with_the_three_keys),
		cmocka_unit_test(test_form_items_are_record_columns),
		cmocka_unit_test(test_form_mr_has_stages_defaults_and_sources),
		cmocka_unit_test(test_form_city_applies_to_every_form),
		cmocka_unit_test(test_form_city_refuses_hiding_a_required_item),
		cmocka_unit_test(test_form_city_refuses_unknown_items_and_bad_files),
		cmocka_unit_test(test_form_city_skips_items_the_form_lacks),
		cmocka_unit_test(test_form_base_of_the_broken_ones_parses),
		cmocka_unit_test(test_form_refuses_each_kind_of_mistake),
		cmocka_unit_test(test_form_refuses_invalid_json_with_line_and_column),
		cmocka_unit_test(test_form_refuses_a_field_that_is_not_an_object),
		cmocka_unit_test(test_master_every_repo_seed_parses_and_references_hold),
		cmocka_unit_test(test_master_lot_refs_name_both_files),
		cmocka_unit_test(test_master_doctor_refs_and_messages_without_names),
		cmocka_unit_test(test_master_refuses_each_kind_of_mistake),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
