/* form.c: 予診票 forms as data; see form.h. */
#include "core/form.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/kana.h"
#include "core/record_row.h"
#include "core/vaccine.h"

#define T(t)	(1u << (t))

static const char *const type_names[] = {
	[CORE_FORM_DATE] = "date", [CORE_FORM_MONTH] = "month",
	[CORE_FORM_INTEGER] = "integer", [CORE_FORM_NUMBER] = "number",
	[CORE_FORM_TEXT] = "text", [CORE_FORM_CODE] = "code",
	[CORE_FORM_CHOICE] = "choice", [CORE_FORM_FLAG] = "flag",
};
#define NTYPES	(sizeof(type_names) / sizeof(type_names[0]))

/* Master data keys: the longest code each holds, in bytes. */
static const struct {
	const char	*name;
	size_t		 max;
} sources[] = {
	[CORE_FORM_SOURCE_NONE] = { NULL, 0 },
	[CORE_FORM_SOURCE_INSTITUTION] = { "institution", 10 },
	[CORE_FORM_SOURCE_DOCTOR] = { "doctor", 16 },
	[CORE_FORM_SOURCE_LOT] = { "lot", CORE_REC_LOT_NO_MAX },
	[CORE_FORM_SOURCE_MAKER] = { "maker", 16 },
	[CORE_FORM_SOURCE_VENUE] = { "venue", CORE_REC_CODE_MAX },
	[CORE_FORM_SOURCE_FEE_CATEGORY] = { "fee_category", CORE_REC_CODE_MAX },
};
#define NSOURCES	(sizeof(sources) / sizeof(sources[0]))

/*
 * The items of a 予診票: the vaccination_records columns a sheet fills
 * (store/entity_schema.c), with the limits of their wire columns
 * (sync/entity.c), so that no form accepts what the record cannot hold.
 */
static const struct item {
	const char	*name;
	unsigned	 types;		/* T(type) of the types it accepts */
	enum core_form_source source;	/* the master data of a code field */
	size_t		 max;		/* text and choice values: the limit */
	bool		 bytes;		/* max counts bytes (a code column) */
	bool		 must;		/* NOT NULL with no default: required */
	bool		 batch;		/* the open batch holds it */
} items[] = {
	{ "dose", T(CORE_FORM_INTEGER), 0, 0, false, true, false },
	{ "stage", T(CORE_FORM_CHOICE), 0, 16, true, false, false },
	{ "vaccinated_on", T(CORE_FORM_DATE), 0, 0, false, true, false },
	{ "institution_code", T(CORE_FORM_CODE), CORE_FORM_SOURCE_INSTITUTION,
	    0, false, true, true },
	{ "venue_code", T(CORE_FORM_CODE), CORE_FORM_SOURCE_VENUE, 0, false,
	    false, false },
	{ "screening_doctor", T(CORE_FORM_CODE) | T(CORE_FORM_TEXT),
	    CORE_FORM_SOURCE_DOCTOR, CORE_REC_DOCTOR_MAX, false, false, false },
	{ "vaccinating_doctor", T(CORE_FORM_CODE) | T(CORE_FORM_TEXT),
	    CORE_FORM_SOURCE_DOCTOR, CORE_REC_DOCTOR_MAX, false, false, false },
	{ "vaccine_name", T(CORE_FORM_TEXT) | T(CORE_FORM_CHOICE), 0,
	    CORE_REC_VACCINE_NAME_MAX, false, false, false },
	{ "maker_code", T(CORE_FORM_CODE) | T(CORE_FORM_TEXT),
	    CORE_FORM_SOURCE_MAKER, CORE_REC_MAKER_MAX, false, false, false },
	{ "lot_no", T(CORE_FORM_CODE) | T(CORE_FORM_TEXT), CORE_FORM_SOURCE_LOT,
	    CORE_REC_LOT_NO_MAX, true, false, false },
	{ "amount_ml", T(CORE_FORM_NUMBER), 0, 0, false, false, false },
	{ "site", T(CORE_FORM_CHOICE) | T(CORE_FORM_TEXT), 0, CORE_REC_SITE_MAX,
	    false, false, false },
	{ "method", T(CORE_FORM_CHOICE) | T(CORE_FORM_TEXT), 0,
	    CORE_REC_METHOD_MAX, false, false, false },
	{ "screening_only", T(CORE_FORM_FLAG), 0, 0, false, false, false },
	{ "screening_reason", T(CORE_FORM_TEXT) | T(CORE_FORM_CHOICE), 0,
	    CORE_REC_REASON_MAX, false, false, false },
	{ "unsuitable_code", T(CORE_FORM_CHOICE) | T(CORE_FORM_TEXT), 0,
	    CORE_REC_CODE_MAX, true, false, false },
	{ "fee_category", T(CORE_FORM_CODE) | T(CORE_FORM_CHOICE),
	    CORE_FORM_SOURCE_FEE_CATEGORY, CORE_REC_CODE_MAX, true, false,
	    false },
	{ "billing_month", T(CORE_FORM_MONTH), 0, 0, false, false, true },
	{ "other_municipality", T(CORE_FORM_FLAG), 0, 0, false, false, false },
	{ "note", T(CORE_FORM_TEXT), 0, CORE_REC_NOTE_MAX, false, false, false },
};
#define NITEMS	(sizeof(items) / sizeof(items[0]))

/* The record's CHECK (dose BETWEEN 1 AND 9). */
#define DOSE_MIN	1
#define DOSE_MAX	9

/* What core_form_free() releases, behind the public struct. */
struct form {
	struct core_form	 pub;	/* first: the caller's pointer */
	json_t			*root;	/* the strings the form borrows */
	char			*file;
	struct core_form_choice	*choices;
	const char		**stages;
	char			(*defaults)[32];	/* numeric defaults as text */
};

/* Fixed: the form-level members and the field and choice members. */
static const char *const form_members[] = {
	"form", "version", "vaccine", "title_ja", "title_en", "fields", NULL
};
static const char *const field_members[] = {
	"item", "type", "label_ja", "label_en", "required", "default",
	"source", "choices", "min", "max", "max_length", NULL
};
static const char *const choice_members[] = {
	"value", "label_ja", "label_en", NULL
};
static const char *const city_members[] = {
	"city", "version", "hidden", NULL
};

const char *
core_form_type_name(enum core_form_type t)
{
	return (size_t)t < NTYPES ? type_names[t] : NULL;
}

const char *
core_form_source_name(enum core_form_source s)
{
	return (size_t)s < NSOURCES ? sources[s].name : NULL;
}

size_t
core_form_item_count(void)
{
	return NITEMS;
}

const char *
core_form_item_at(size_t i)
{
	return i < NITEMS ? items[i].name : NULL;
}

static const struct item *
find_item(const char *name)
{
	for (size_t i = 0; i < NITEMS; i++)
		if (strcmp(items[i].name, name) == 0)
			return &items[i];
	return NULL;
}

/* "a string", "an integer": for "must be X, not Y" messages. */
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

/* Joins list (NULL-terminated) with ", " into buf. */
static const char *
join(const char *const *list, size_t n, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; (n == 0 || i < n) && list[i] != NULL; i++) {
		int m = snprintf(buf + used, size - used, "%s%s",
		    i == 0 ? "" : ", ", list[i]);

		if (m < 0 || (size_t)m >= size - used)
			break;
		used += (size_t)m;
	}
	return buf;
}

static const char *
item_list(char *buf, size_t size)
{
	const char *names[NITEMS + 1];

	for (size_t i = 0; i < NITEMS; i++)
		names[i] = items[i].name;
	names[NITEMS] = NULL;
	return join(names, NITEMS, buf, size);
}

/*
 * Every parse failure goes through here: "FILE: WHERE: problem", where
 * WHERE is "fields[3] (lot_no)" or "title_ja" or empty.
 */
static int ferr(struct sesshu_err *err, int code, const char *file,
    const char *where, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
ferr(struct sesshu_err *err, int code, const char *file, const char *where,
    const char *fmt, ...)
{
	char what[SESSHU_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (where != NULL && where[0] != '\0')
		return sesshu_err_set(err, code, "%s: %s: %s", file, where, what);
	return sesshu_err_set(err, code, "%s: %s", file, what);
}

/* Refuses members of obj outside allowed. */
static int
check_members(const json_t *obj, const char *const *allowed, const char *file,
    const char *where, struct sesshu_err *err)
{
	const char *key;
	json_t *v;
	char list[256];

	json_object_foreach((json_t *)obj, key, v) {
		size_t i;

		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], key) == 0)
				break;
		if (allowed[i] == NULL)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "unknown member \"%s\" (expected %s)", key,
			    join(allowed, 0, list, sizeof(list)));
	}
	return 0;
}

/*
 * A non-empty string member. required: absence is an error; otherwise
 * *out stays NULL.
 */
static int
get_string(const json_t *obj, const char *name, bool required,
    const char *file, const char *where, const char **out,
    struct sesshu_err *err)
{
	const json_t *v = json_object_get(obj, name);

	*out = NULL;
	if (v == NULL) {
		if (required)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "\"%s\" is missing", name);
		return 0;
	}
	if (!json_is_string(v))
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "\"%s\" must be a string, not %s", name, json_kind(v));
	if (json_string_length(v) == 0)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "\"%s\" is empty", name);
	*out = json_string_value(v);
	return 0;
}

/* Length of s within limit: characters, or bytes for code columns. */
static int
check_length(const char *s, size_t limit, bool bytes, const char *file,
    const char *where, const char *what, struct sesshu_err *err)
{
	size_t n = strlen(s);

	if (!bytes && core_utf8_check(s, n, &n, NULL) != 0)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "%s is not valid UTF-8", what);
	if (n > limit)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "%s is %zu %s long, more than the column holds (%zu)", what,
		    n, bytes ? "bytes" : "characters", limit);
	return 0;
}

/* A code value: printable ASCII without spaces, as master keys are. */
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

static int
parse_choices(const json_t *arr, const struct item *it, const char *file,
    const char *where, struct core_form_choice *out, struct sesshu_err *err)
{
	char w[128];
	size_t i;
	json_t *c;
	int rc;

	if (!json_is_array(arr))
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "\"choices\" must be an array, not %s", json_kind(arr));
	if (json_array_size(arr) == 0)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "\"choices\" is empty");
	json_array_foreach(arr, i, c) {
		snprintf(w, sizeof(w), "%s: choices[%zu]", where, i);
		if (!json_is_object(c))
			return ferr(err, SESSHU_EFORMAT, file, w,
			    "must be an object, not %s", json_kind(c));
		if ((rc = check_members(c, choice_members, file, w, err)) != 0 ||
		    (rc = get_string(c, "value", true, file, w, &out[i].value,
		    err)) != 0 ||
		    (rc = get_string(c, "label_ja", true, file, w,
		    &out[i].label_ja, err)) != 0 ||
		    (rc = get_string(c, "label_en", true, file, w,
		    &out[i].label_en, err)) != 0 ||
		    (rc = check_length(out[i].value, it->max, it->bytes, file, w,
		    "the value", err)) != 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(out[j].value, out[i].value) == 0)
				return ferr(err, SESSHU_EFORMAT, file, w,
				    "value \"%s\" is also choices[%zu]",
				    out[i].value, j);
	}
	return 0;
}

/* An optional integer member into *out; *present says whether it was. */
static int
get_long(const json_t *obj, const char *name, const char *file,
    const char *where, long *out, bool *present, struct sesshu_err *err)
{
	const json_t *v = json_object_get(obj, name);

	*present = v != NULL;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v))
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "\"%s\" must be an integer, not %s", name, json_kind(v));
	if (json_integer_value(v) < -1000000 ||
	    json_integer_value(v) > 1000000)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "\"%s\" %lld is out of range", name,
		    (long long)json_integer_value(v));
	*out = (long)json_integer_value(v);
	return 0;
}

/*
 * A number default as text, "0.5", "2.0": at most 3 decimals, since
 * 接種量 is kept to the microlitre (core_record_parse_amount()).
 */
static int
number_default(const json_t *v, char *buf, size_t size, const char *file,
    const char *where, struct sesshu_err *err)
{
	struct sesshu_err e = { 0 };
	double d = json_number_value(v);
	unsigned ul;
	size_t n;

	if (d <= 0 || d > 1e6)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "default %g must be more than 0 and at most %d ml", d,
		    CORE_REC_AMOUNT_MAX_UL / 1000);
	snprintf(buf, size, "%.6f", d);
	n = strlen(buf);
	if (strcmp(buf + n - 3, "000") != 0)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "default %s has more than 3 decimal places", buf);
	/* Keep one decimal at least: "2.0", "0.25". */
	for (n -= 3; buf[n - 1] == '0' && buf[n - 2] != '.'; n--)
		;
	buf[n] = '\0';
	if (core_record_parse_amount(buf, n, &ul, &e) != 0)
		return ferr(err, SESSHU_EFORMAT, file, where, "default %s: %s",
		    buf, e.msg);
	return 0;
}

static int
parse_default(const json_t *v, const struct item *it,
    struct core_form_field *f, char *buf, size_t size, const char *file,
    const char *where, struct sesshu_err *err)
{
	struct sesshu_err e = { 0 };
	const char *s;
	struct core_date date;
	struct core_ym ym;
	long n;

	if (json_is_string(v) && strcmp(json_string_value(v), "batch") == 0 &&
	    f->type != CORE_FORM_TEXT && f->type != CORE_FORM_CHOICE) {
		if (!it->batch)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default \"batch\": the batch holds only "
			    "institution_code and billing_month");
		f->from_batch = 1;
		return 0;
	}
	switch (f->type) {
	case CORE_FORM_INTEGER:
	case CORE_FORM_FLAG:
		if (!json_is_integer(v))
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default must be an integer, not %s", json_kind(v));
		n = json_integer_value(v) < -1000000 ? -1000000 :
		    json_integer_value(v) > 1000000 ? 1000000 :
		    (long)json_integer_value(v);
		if (f->type == CORE_FORM_FLAG && n != 0 && n != 1)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default %ld is not a flag (0 or 1)", n);
		if (f->type == CORE_FORM_INTEGER && (n < f->min || n > f->max))
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default %ld is outside %ld..%ld", n, f->min,
			    f->max);
		snprintf(buf, size, "%ld", n);
		f->default_value = buf;
		return 0;
	case CORE_FORM_NUMBER:
		if (!json_is_number(v))
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default must be a number, not %s", json_kind(v));
		if (number_default(v, buf, size, file, where, err) != 0)
			return SESSHU_EFORMAT;
		f->default_value = buf;
		return 0;
	default:
		break;
	}
	if (!json_is_string(v))
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "default must be a string, not %s", json_kind(v));
	s = json_string_value(v);
	switch (f->type) {
	case CORE_FORM_DATE:
		if (core_date_parse(s, strlen(s), &date, &e) != 0)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default \"%s\": %s", s, e.msg);
		break;
	case CORE_FORM_MONTH:
		if (core_ym_parse(s, strlen(s), &ym, &e) != 0)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default \"%s\": %s", s, e.msg);
		break;
	case CORE_FORM_CODE:
		if (!is_code(s) || strlen(s) > f->max_length)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default \"%s\" is not a %s code (printable ASCII, "
			    "at most %zu bytes)", s, sources[f->source].name,
			    f->max_length);
		break;
	case CORE_FORM_CHOICE: {
		size_t i;

		for (i = 0; i < f->nchoices; i++)
			if (strcmp(f->choices[i].value, s) == 0)
				break;
		if (i == f->nchoices)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default \"%s\" is not one of the choices", s);
		break;
	}
	case CORE_FORM_TEXT:
		if (s[0] == '\0')
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "default is empty");
		if (check_length(s, f->max_length, false, file, where,
		    "the default", err) != 0)
			return SESSHU_EFORMAT;
		break;
	default:
		break;
	}
	f->default_value = s;
	return 0;
}

/* Member "name" may appear only on fields of type t. */
static int
only_for(const json_t *obj, const char *name, enum core_form_type have,
    enum core_form_type t, const char *file, const char *where,
    struct sesshu_err *err)
{
	if (have != t && json_object_get(obj, name) != NULL)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "\"%s\" applies to %s fields only, and this is %s", name,
		    type_names[t], type_names[have]);
	return 0;
}

static int
parse_field(const json_t *obj, size_t idx, struct form *fm,
    struct core_form_choice *choices, size_t *used, const char *file,
    struct sesshu_err *err)
{
	struct core_form_field *f = &fm->pub.fields[idx];
	const struct item *it;
	const json_t *v, *item_v;
	const char *s;
	char where[96], list[512], types[128];
	bool has_min, has_max;
	int rc;

	item_v = json_is_object(obj) ? json_object_get(obj, "item") : NULL;
	if (json_is_string(item_v))
		snprintf(where, sizeof(where), "fields[%zu] (%.40s)", idx,
		    json_string_value(item_v));
	else
		snprintf(where, sizeof(where), "fields[%zu]", idx);
	if (!json_is_object(obj))
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "must be an object, not %s", json_kind(obj));
	if ((rc = check_members(obj, field_members, file, where, err)) != 0 ||
	    (rc = get_string(obj, "item", true, file, where, &s, err)) != 0)
		return rc;
	if ((it = find_item(s)) == NULL)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "item \"%s\" is not one of %s", s,
		    item_list(list, sizeof(list)));
	f->item = it->name;
	for (size_t j = 0; j < idx; j++)
		if (strcmp(fm->pub.fields[j].item, it->name) == 0)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "item %s is also fields[%zu]", it->name, j);

	if ((rc = get_string(obj, "type", true, file, where, &s, err)) != 0)
		return rc;
	for (f->type = 0; (size_t)f->type < NTYPES; f->type++)
		if (strcmp(type_names[f->type], s) == 0)
			break;
	if ((size_t)f->type == NTYPES)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "type \"%s\" is not one of %s", s,
		    join(type_names, NTYPES, list, sizeof(list)));
	if ((it->types & T(f->type)) == 0) {
		const char *ok[NTYPES + 1];
		size_t n = 0;

		for (size_t t = 0; t < NTYPES; t++)
			if (it->types & T(t))
				ok[n++] = type_names[t];
		ok[n] = NULL;
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "type %s does not fit %s (expected %s)", s, it->name,
		    join(ok, n, types, sizeof(types)));
	}

	if ((rc = get_string(obj, "label_ja", true, file, where, &f->label_ja,
	    err)) != 0 ||
	    (rc = get_string(obj, "label_en", true, file, where, &f->label_en,
	    err)) != 0 ||
	    (rc = only_for(obj, "source", f->type, CORE_FORM_CODE, file, where,
	    err)) != 0 ||
	    (rc = only_for(obj, "choices", f->type, CORE_FORM_CHOICE, file,
	    where, err)) != 0 ||
	    (rc = only_for(obj, "min", f->type, CORE_FORM_INTEGER, file, where,
	    err)) != 0 ||
	    (rc = only_for(obj, "max", f->type, CORE_FORM_INTEGER, file, where,
	    err)) != 0 ||
	    (rc = only_for(obj, "max_length", f->type, CORE_FORM_TEXT, file,
	    where, err)) != 0)
		return rc;

	switch (f->type) {
	case CORE_FORM_CODE:
		if (json_object_get(obj, "source") == NULL)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "a code field needs \"source\" (expected %s)",
			    sources[it->source].name);
		if ((rc = get_string(obj, "source", true, file, where, &s,
		    err)) != 0)
			return rc;
		for (f->source = 1; (size_t)f->source < NSOURCES; f->source++)
			if (strcmp(sources[f->source].name, s) == 0)
				break;
		if ((size_t)f->source == NSOURCES)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "source \"%s\" is not one of institution, doctor, "
			    "lot, maker, venue, fee_category", s);
		if (f->source != it->source)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "source %s does not fit %s (expected %s)", s,
			    it->name, sources[it->source].name);
		f->max_length = sources[f->source].max;
		break;
	case CORE_FORM_CHOICE:
		if ((v = json_object_get(obj, "choices")) == NULL)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "a choice field needs \"choices\"");
		if ((rc = parse_choices(v, it, file, where, choices + *used,
		    err)) != 0)
			return rc;
		f->choices = choices + *used;
		f->nchoices = json_array_size(v);
		*used += f->nchoices;
		break;
	case CORE_FORM_INTEGER:
		f->min = DOSE_MIN;
		f->max = DOSE_MAX;
		if ((rc = get_long(obj, "min", file, where, &f->min, &has_min,
		    err)) != 0 ||
		    (rc = get_long(obj, "max", file, where, &f->max, &has_max,
		    err)) != 0)
			return rc;
		if (f->min > f->max)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "min %ld is more than max %ld", f->min, f->max);
		if (f->min < DOSE_MIN || f->max > DOSE_MAX)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "%ld..%ld is outside what the record holds "
			    "(%d..%d)", f->min, f->max, DOSE_MIN, DOSE_MAX);
		break;
	case CORE_FORM_TEXT: {
		long n = (long)it->max;
		bool has;

		if ((rc = get_long(obj, "max_length", file, where, &n, &has,
		    err)) != 0)
			return rc;
		if (n < 1 || (size_t)n > it->max)
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "max_length %ld is not within 1..%zu (the column's "
			    "limit)", n, it->max);
		f->max_length = (size_t)n;
		break;
	}
	default:
		break;
	}

	if ((v = json_object_get(obj, "required")) != NULL) {
		if (!json_is_boolean(v))
			return ferr(err, SESSHU_EFORMAT, file, where,
			    "\"required\" must be true or false, not %s",
			    json_kind(v));
		f->required = json_is_true(v);
	}
	if (it->must && !f->required)
		return ferr(err, SESSHU_EFORMAT, file, where,
		    "must be \"required\": true (a record cannot be stored "
		    "without %s)", it->name);
	if ((v = json_object_get(obj, "default")) != NULL &&
	    (rc = parse_default(v, it, f, fm->defaults[idx],
	    sizeof(fm->defaults[idx]), file, where, err)) != 0)
		return rc;
	return 0;
}

/* The file's last path component without ".json", or NULL. */
static bool
id_matches_file(const char *id, const char *file)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base != NULL ? base + 1 : file;
	n = strlen(base);
	if (n <= 5 || strcmp(base + n - 5, ".json") != 0)
		return true;	/* not a file name: nothing to compare */
	return strlen(id) == n - 5 && memcmp(id, base, n - 5) == 0;
}

static bool
is_form_id(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '_'))
			return false;
	return true;
}

static int
load(const char *json, size_t len, const char *file, json_t **root,
    struct sesshu_err *err)
{
	json_error_t je;

	if (json == NULL)
		return ferr(err, SESSHU_EINVAL, file, NULL, "no text");
	*root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (*root == NULL)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s:%d:%d: invalid JSON: %s", file, je.line, je.column,
		    je.text);
	if (!json_is_object(*root)) {
		int rc = ferr(err, SESSHU_EFORMAT, file, NULL,
		    "must be a JSON object, not %s", json_kind(*root));

		json_decref(*root);
		*root = NULL;
		return rc;
	}
	return 0;
}

/* "version": 1, required; a newer format is SESSHU_EVERSION. */
static int
check_version(const json_t *root, const char *file, struct sesshu_err *err)
{
	const json_t *v = json_object_get(root, "version");

	if (v == NULL)
		return ferr(err, SESSHU_EFORMAT, file, NULL,
		    "\"version\" is missing (this sesshu reads version %d)",
		    CORE_FORM_VERSION);
	if (!json_is_integer(v))
		return ferr(err, SESSHU_EFORMAT, file, "version",
		    "must be an integer, not %s", json_kind(v));
	if (json_integer_value(v) > CORE_FORM_VERSION)
		return ferr(err, SESSHU_EVERSION, file, "version",
		    "%lld is newer than this sesshu reads (%d)",
		    (long long)json_integer_value(v), CORE_FORM_VERSION);
	if (json_integer_value(v) < 1)
		return ferr(err, SESSHU_EFORMAT, file, "version",
		    "%lld is not a version", (long long)json_integer_value(v));
	return 0;
}

static int
parse_form(struct form *fm, const char *file, struct sesshu_err *err)
{
	struct core_form *f = &fm->pub;
	const json_t *root = fm->root, *fields, *v;
	static const char *const must[] = {
		"vaccinated_on", "dose", "institution_code"
	};
	const struct core_form_field *st;
	size_t nchoices = 0, used = 0, i;
	json_t *fv;
	int rc;

	if ((rc = check_members(root, form_members, file, NULL, err)) != 0 ||
	    (rc = check_version(root, file, err)) != 0 ||
	    (rc = get_string(root, "form", true, file, NULL, &f->id, err)) != 0)
		return rc;
	if (!is_form_id(f->id))
		return ferr(err, SESSHU_EFORMAT, file, "form",
		    "\"%s\" must be lower-case ASCII letters, digits, - and _",
		    f->id);
	if (!id_matches_file(f->id, file))
		return ferr(err, SESSHU_EFORMAT, file, "form",
		    "\"%s\" does not match the file name (%s.json)", f->id,
		    f->id);
	if ((rc = get_string(root, "vaccine", true, file, NULL,
	    &f->vaccine_code, err)) != 0)
		return rc;
	if (core_vaccine_find(f->vaccine_code, strlen(f->vaccine_code)) == NULL)
		return ferr(err, SESSHU_EFORMAT, file, "vaccine",
		    "\"%s\" is not a vaccine code (core/vaccine.c)",
		    f->vaccine_code);
	if ((rc = get_string(root, "title_ja", true, file, NULL, &f->title_ja,
	    err)) != 0 ||
	    (rc = get_string(root, "title_en", true, file, NULL, &f->title_en,
	    err)) != 0)
		return rc;

	if ((fields = json_object_get(root, "fields")) == NULL)
		return ferr(err, SESSHU_EFORMAT, file, NULL,
		    "\"fields\" is missing");
	if (!json_is_array(fields))
		return ferr(err, SESSHU_EFORMAT, file, "fields",
		    "must be an array, not %s", json_kind(fields));
	f->nfields = json_array_size(fields);
	if (f->nfields == 0)
		return ferr(err, SESSHU_EFORMAT, file, "fields", "is empty");
	json_array_foreach(fields, i, fv)
		if (json_is_object(fv) &&
		    (v = json_object_get(fv, "choices")) != NULL &&
		    json_is_array(v))
			nchoices += json_array_size(v);
	if ((f->fields = calloc(f->nfields, sizeof(*f->fields))) == NULL ||
	    (fm->defaults = calloc(f->nfields, sizeof(*fm->defaults))) == NULL ||
	    (nchoices > 0 && (fm->choices = calloc(nchoices,
	    sizeof(*fm->choices))) == NULL))
		return sesshu_err_set(err, SESSHU_ENOMEM, "%s: out of memory",
		    file);
	json_array_foreach(fields, i, fv)
		if ((rc = parse_field(fv, i, fm, fm->choices, &used, file,
		    err)) != 0)
			return rc;

	for (i = 0; i < sizeof(must) / sizeof(must[0]); i++)
		if (core_form_field(f, must[i]) == NULL)
			return ferr(err, SESSHU_EFORMAT, file, "fields",
			    "no field for %s (every 予診票 has vaccinated_on, "
			    "dose and institution_code)", must[i]);

	if ((st = core_form_field(f, "stage")) != NULL) {
		if ((fm->stages = calloc(st->nchoices, sizeof(*fm->stages))) ==
		    NULL)
			return sesshu_err_set(err, SESSHU_ENOMEM,
			    "%s: out of memory", file);
		for (i = 0; i < st->nchoices; i++)
			fm->stages[i] = st->choices[i].value;
		f->stages = fm->stages;
		f->nstages = st->nchoices;
	}
	return 0;
}

int
core_form_parse(const char *json, size_t len, const char *file,
    struct core_form **out, struct sesshu_err *err)
{
	struct form *fm;
	int rc;

	if (out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "no place for the form");
	*out = NULL;
	if (file == NULL)
		file = "(form)";
	if ((fm = calloc(1, sizeof(*fm))) == NULL ||
	    (fm->file = strdup(file)) == NULL) {
		free(fm);
		return sesshu_err_set(err, SESSHU_ENOMEM, "%s: out of memory",
		    file);
	}
	fm->pub.file = fm->file;
	if ((rc = load(json, len, file, &fm->root, err)) != 0 ||
	    (rc = parse_form(fm, file, err)) != 0) {
		core_form_free(&fm->pub);
		return rc;
	}
	*out = &fm->pub;
	return 0;
}

void
core_form_free(struct core_form *f)
{
	struct form *fm = (struct form *)f;

	if (fm == NULL)
		return;
	json_decref(fm->root);
	free(fm->pub.fields);
	free(fm->choices);
	free(fm->stages);
	free(fm->defaults);
	free(fm->file);
	free(fm);
}

const struct core_form_field *
core_form_field(const struct core_form *f, const char *item)
{
	if (f == NULL || item == NULL)
		return NULL;
	for (size_t i = 0; i < f->nfields; i++)
		if (f->fields[i].item != NULL &&
		    strcmp(f->fields[i].item, item) == 0)
			return &f->fields[i];
	return NULL;
}

int
core_form_apply_city(struct core_form *f, const char *city_json, size_t len,
    const char *city_file, struct sesshu_err *err)
{
	json_t *root = NULL, *hidden, *v;
	char where[160], list[512];
	const char *city;
	size_t i;
	int rc;

	if (f == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "no form");
	if (city_file == NULL)
		city_file = "(city)";
	if ((rc = load(city_json, len, city_file, &root, err)) != 0)
		return rc;
	if ((rc = check_members(root, city_members, city_file, NULL, err)) != 0 ||
	    (rc = check_version(root, city_file, err)) != 0 ||
	    (rc = get_string(root, "city", true, city_file, NULL, &city,
	    err)) != 0)
		goto out;
	if ((hidden = json_object_get(root, "hidden")) == NULL) {
		rc = ferr(err, SESSHU_EFORMAT, city_file, NULL,
		    "\"hidden\" is missing (an empty list hides nothing)");
		goto out;
	}
	if (!json_is_array(hidden)) {
		rc = ferr(err, SESSHU_EFORMAT, city_file, "hidden",
		    "must be an array, not %s", json_kind(hidden));
		goto out;
	}
	/* Check everything first, so that a refusal leaves f unchanged. */
	json_array_foreach(hidden, i, v) {
		const struct core_form_field *fld;
		const char *s;

		if (!json_is_string(v)) {
			snprintf(where, sizeof(where), "form %s: hidden[%zu]",
			    f->id, i);
			rc = ferr(err, SESSHU_EFORMAT, city_file, where,
			    "must be an item name, not %s", json_kind(v));
			goto out;
		}
		s = json_string_value(v);
		snprintf(where, sizeof(where), "form %s: hidden[%zu] (%.40s)",
		    f->id, i, s);
		if (find_item(s) == NULL) {
			rc = ferr(err, SESSHU_EFORMAT, city_file, where,
			    "\"%s\" is not an item of a 予診票 (expected %s)",
			    s, item_list(list, sizeof(list)));
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(json_string_value(json_array_get(hidden, j)),
			    s) == 0) {
				rc = ferr(err, SESSHU_EFORMAT, city_file, where,
				    "%s is also hidden[%zu]", s, j);
				goto out;
			}
		if ((fld = core_form_field(f, s)) != NULL && fld->required) {
			rc = ferr(err, SESSHU_EFORMAT, city_file, where,
			    "%s requires %s (%s): a required item cannot be "
			    "hidden", f->file, s, fld->label_ja);
			goto out;
		}
	}
	json_array_foreach(hidden, i, v)
		for (size_t k = 0; k < f->nfields; k++)
			if (strcmp(f->fields[k].item, json_string_value(v)) == 0)
				f->fields[k].hidden = 1;
	rc = 0;
out:
	json_decref(root);
	return rc;
}
