/* import.c: problems, header mapping and field checks; see import.h. */
#include "core/import.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kana.h"

void
core_problems_init(struct core_problems *pr)
{
	pr->n = 0;
	pr->dropped = 0;
}

void
core_problems_add(struct core_problems *pr, const char *column,
    const char *fmt, ...)
{
	struct core_problem *p;
	va_list ap;

	if (pr->n == CORE_PROBLEMS_MAX) {
		pr->dropped++;
		return;
	}
	p = &pr->p[pr->n++];
	snprintf(p->column, sizeof(p->column), "%s", column);
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
}

size_t
core_problems_count(const struct core_problems *pr)
{
	return pr->n + pr->dropped;
}

void
core_problem_format(const struct core_problem *p, char *buf, size_t size)
{
	if (size == 0)
		return;
	/* Truncation is acceptable: the line stays NUL-terminated. */
	if (snprintf(buf, size, "%s: %s", p->column, p->msg) < 0)
		buf[0] = '\0';
}

/*
 * A value that may be shown in a message: short printable ASCII without
 * spaces (a code, a number, a flag). Anything else is not echoed.
 */
static bool
showable(const struct csv_field *f)
{
	if (f->len == 0 || f->len > 16)
		return false;
	for (size_t i = 0; i < f->len; i++)
		if ((unsigned char)f->s[i] < 0x21 ||
		    (unsigned char)f->s[i] > 0x7e)
			return false;
	return true;
}

/* Header names may be shown when they are plain UTF-8 of modest length. */
static void
header_name(const struct csv_field *f, size_t index, char *buf, size_t size)
{
	bool ok = f->len > 0 && f->len < size &&
	    core_utf8_check(f->s, f->len, NULL, NULL) == 0;

	for (size_t i = 0; ok && i < f->len; i++)
		if ((unsigned char)f->s[i] < 0x20 || f->s[i] == 0x7f)
			ok = false;
	if (ok)
		snprintf(buf, size, "%.*s", (int)f->len, f->s);
	else
		snprintf(buf, size, "field %zu", index + 1);
}

bool
core_header_is_individual_number(const char *s, size_t len)
{
	static const char *const names[] = {
		"kojinbango", "kojinbangou", "mynumber", "myno", "mynum",
		"individualnumber", "個人番号", "マイナンバー",
	};
	char folded[64];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '_' || c == '-' || c == ' ')
			continue;
		if (n + 1 >= sizeof(folded))
			return false;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		folded[n++] = c;
	}
	folded[n] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(folded, names[i]) == 0)
			return true;
	return false;
}

static int
find_column(const struct core_column *cols, size_t ncols,
    const struct csv_field *f)
{
	for (size_t c = 0; c < ncols; c++)
		if (strlen(cols[c].name) == f->len &&
		    memcmp(cols[c].name, f->s, f->len) == 0)
			return (int)c;
	return -1;
}

int
core_header_map(const struct core_column *cols, size_t ncols,
    const struct csv_record *rec, struct core_header *hdr,
    struct core_problems *pr)
{
	char name[CORE_PROBLEM_COLUMN_MAX];
	size_t before = core_problems_count(pr), known = 0;
	int c;

	if (ncols > CORE_IMPORT_MAX_COLUMNS) {
		core_problems_add(pr, "header", "layout has too many columns");
		return SESSHU_EFORMAT;
	}
	hdr->ncolumns = ncols;
	hdr->nfields = rec->nfields;
	for (size_t i = 0; i < ncols; i++)
		hdr->field[i] = -1;

	for (size_t i = 0; i < rec->nfields; i++)
		if (find_column(cols, ncols, &rec->fields[i]) >= 0)
			known++;
	if (known == 0 && rec->nfields > 1) {
		core_problems_add(pr, "header", "the first row is not a header "
		    "row (none of its %zu fields is a column name such as %s)",
		    rec->nfields, cols[0].name);
		return SESSHU_EFORMAT;
	}

	for (size_t i = 0; i < rec->nfields; i++) {
		const struct csv_field *f = &rec->fields[i];

		header_name(f, i, name, sizeof(name));
		if (core_header_is_individual_number(f->s, f->len)) {
			core_problems_add(pr, name, "the individual number "
			    "(個人番号, My Number) is never imported; remove "
			    "this column from the extract");
			continue;
		}
		if (f->len == 0) {
			core_problems_add(pr, name, "empty column name");
			continue;
		}
		if ((c = find_column(cols, ncols, f)) < 0) {
			core_problems_add(pr, name, "unknown column "
			    "(see docs/IMPORT.md for the layout)");
			continue;
		}
		if (hdr->field[c] >= 0) {
			core_problems_add(pr, name, "duplicated column "
			    "(fields %d and %zu)", hdr->field[c] + 1, i + 1);
			continue;
		}
		hdr->field[c] = (int)i;
	}
	for (size_t i = 0; i < ncols; i++)
		if (hdr->field[i] < 0)
			core_problems_add(pr, cols[i].name,
			    "missing column (%s)", cols[i].name_ja);
	return core_problems_count(pr) > before ? SESSHU_EFORMAT : 0;
}

const struct csv_field *
core_header_field(const struct core_header *hdr, const struct csv_record *rec,
    size_t col)
{
	static const struct csv_field empty = { "", 0 };
	int i;

	if (col >= hdr->ncolumns || (i = hdr->field[col]) < 0 ||
	    (size_t)i >= rec->nfields)
		return &empty;
	return &rec->fields[i];
}

static int
empty_result(struct core_problems *pr, const char *column, bool required)
{
	if (required) {
		core_problems_add(pr, column, "required");
		return CORE_FIELD_BAD;
	}
	return CORE_FIELD_EMPTY;
}

int
core_field_text(struct core_problems *pr, const char *column,
    const struct csv_field *f, bool required, size_t maxchars,
    bool multiline, struct core_text *out)
{
	struct sesshu_err err;
	size_t i = 0, pos = 0, nchars = 0;
	bool blank = true;
	uint32_t cp;
	int n;

	out->s = "";
	out->len = 0;
	if (core_utf8_check(f->s, f->len, &nchars, &err) != 0) {
		core_problems_add(pr, column, "%s (is the file Shift_JIS? "
		    "import it with --encoding cp932)", err.msg);
		return CORE_FIELD_BAD;
	}
	while (i < f->len) {
		n = core_utf8_decode(f->s + i, f->len - i, &cp, NULL);
		i += (size_t)n;
		pos++;
		if (cp != ' ' && cp != 0x3000)
			blank = false;
		if (multiline && (cp == '\n' || cp == '\r'))
			continue;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			core_problems_add(pr, column, "control character U+%04X "
			    "at character %zu", (unsigned)cp, pos);
			return CORE_FIELD_BAD;
		}
	}
	if (blank)
		return empty_result(pr, column, required);
	if (nchars > maxchars) {
		core_problems_add(pr, column, "longer than %zu characters (%zu)",
		    maxchars, nchars);
		return CORE_FIELD_BAD;
	}
	out->s = f->s;
	out->len = f->len;
	return CORE_FIELD_OK;
}

int
core_field_digits(struct core_problems *pr, const char *column,
    const struct csv_field *f, bool required, size_t ndigits, char *out)
{
	out[0] = '\0';
	if (f->len == 0)
		return empty_result(pr, column, required);
	for (size_t i = 0; i < f->len; i++)
		if (f->s[i] < '0' || f->s[i] > '9') {
			core_problems_add(pr, column, "must be %zu ASCII digits "
			    "(character %zu is not a digit)", ndigits, i + 1);
			return CORE_FIELD_BAD;
		}
	if (f->len != ndigits) {
		core_problems_add(pr, column, "must be %zu digits, not %zu",
		    ndigits, f->len);
		return CORE_FIELD_BAD;
	}
	memcpy(out, f->s, ndigits);
	out[ndigits] = '\0';
	return CORE_FIELD_OK;
}

int
core_field_code(struct core_problems *pr, const char *column,
    const struct csv_field *f, bool required, size_t maxlen, bool alnum_only,
    char *out)
{
	out[0] = '\0';
	if (f->len == 0)
		return empty_result(pr, column, required);
	for (size_t i = 0; i < f->len; i++) {
		unsigned char c = (unsigned char)f->s[i];
		bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z');

		if (alnum_only ? !alnum : (c < 0x21 || c > 0x7e)) {
			core_problems_add(pr, column, "must be %s "
			    "(character %zu is not)", alnum_only ?
			    "ASCII letters and digits" :
			    "printable ASCII without spaces", i + 1);
			return CORE_FIELD_BAD;
		}
	}
	if (f->len > maxlen) {
		core_problems_add(pr, column, "longer than %zu characters (%zu)",
		    maxlen, f->len);
		return CORE_FIELD_BAD;
	}
	memcpy(out, f->s, f->len);
	out[f->len] = '\0';
	return CORE_FIELD_OK;
}

int
core_field_date(struct core_problems *pr, const char *column,
    const struct csv_field *f, bool required, struct core_date *out)
{
	struct sesshu_err err;

	if (f->len == 0)
		return empty_result(pr, column, required);
	if (core_date_parse(f->s, f->len, out, &err) != 0) {
		core_problems_add(pr, column, "%s", err.msg);
		return CORE_FIELD_BAD;
	}
	return CORE_FIELD_OK;
}

int
core_field_ym(struct core_problems *pr, const char *column,
    const struct csv_field *f, bool required, struct core_ym *out)
{
	struct sesshu_err err;

	if (f->len == 0)
		return empty_result(pr, column, required);
	if (core_ym_parse(f->s, f->len, out, &err) != 0) {
		core_problems_add(pr, column, "%s", err.msg);
		return CORE_FIELD_BAD;
	}
	return CORE_FIELD_OK;
}

int
core_field_flag(struct core_problems *pr, const char *column,
    const struct csv_field *f, bool *out)
{
	char c;

	if (core_field_choice(pr, column, f, "01", "0 or 1", &c) != 0)
		return CORE_FIELD_BAD;
	*out = c == '1';
	return CORE_FIELD_OK;
}

int
core_field_choice(struct core_problems *pr, const char *column,
    const struct csv_field *f, const char *choices, const char *meaning,
    char *out)
{
	if (f->len == 0) {
		core_problems_add(pr, column, "required (%s)", meaning);
		return CORE_FIELD_BAD;
	}
	if (f->len == 1 && f->s[0] != '\0' && strchr(choices, f->s[0]) != NULL) {
		*out = f->s[0];
		return CORE_FIELD_OK;
	}
	if (showable(f))
		core_problems_add(pr, column, "must be %s, not %.*s", meaning,
		    (int)f->len, f->s);
	else
		core_problems_add(pr, column, "must be %s", meaning);
	return CORE_FIELD_BAD;
}

static int
uniq_by_key(const void *a, const void *b)
{
	const struct core_uniq *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

static int
uniq_by_line(const void *a, const void *b)
{
	const struct core_uniq *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

void
core_uniq_mark(struct core_uniq *v, size_t n)
{
	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), uniq_by_key);
	v[0].first_line = 0;
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i].key, v[i - 1].key) == 0)
			v[i].first_line = v[i - 1].first_line != 0 ?
			    v[i - 1].first_line : v[i - 1].line;
		else
			v[i].first_line = 0;
	}
	qsort(v, n, sizeof(*v), uniq_by_line);
}
