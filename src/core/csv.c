/*
 * csv.c: the RFC 4180 reader; see csv.h.
 *
 * Hand-written: GLib has no CSV parser and core does not link GLib; the
 * libcsv-style libraries allocate per field and do not report the line a
 * record starts on, which is what an operator needs to fix an extract.
 * Fields are unescaped into the reader's scratch buffer, so the input
 * stays read-only and nothing is allocated.
 */
#include "core/csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
csv_reader_init(struct csv_reader *r, const char *buf, size_t len)
{
	r->buf = buf;
	r->len = buf == NULL ? 0 : len;
	r->pos = 0;
	r->line = 1;
	r->used = 0;
	sesshu_err_clear(&r->failed);
	if (r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
}

static int
replay(const struct csv_reader *r, struct sesshu_err *err)
{
	if (err != NULL)
		*err = r->failed;
	return r->failed.code;
}

static int
fail(struct csv_reader *r, struct sesshu_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct csv_reader *r, struct sesshu_err *err, const char *fmt, ...)
{
	va_list ap;

	r->failed.code = SESSHU_EFORMAT;
	va_start(ap, fmt);
	vsnprintf(r->failed.msg, sizeof(r->failed.msg), fmt, ap);
	va_end(ap);
	return replay(r, err);
}

/* Appends one byte of the current field, or its terminating NUL. */
static int
put(struct csv_reader *r, struct sesshu_err *err, unsigned long line,
    size_t field, size_t start, char c)
{
	/* A data byte must leave room for the field's NUL. */
	size_t room = c == '\0' ? 1 : 2;

	if (c != '\0' && r->used - start >= CSV_MAX_FIELD_BYTES)
		return fail(r, err, "line %lu: field %zu is longer than %d bytes",
		    line, field, CSV_MAX_FIELD_BYTES);
	if (r->used + room > sizeof(r->scratch))
		return fail(r, err, "line %lu: record is longer than %d bytes",
		    line, CSV_MAX_RECORD_BYTES);
	r->scratch[r->used++] = c;
	return 0;
}

/* Reads a quoted field; r->pos is on the opening quote. */
static int
quoted(struct csv_reader *r, struct sesshu_err *err, size_t field,
    size_t start)
{
	unsigned long qline = r->line;
	char c;

	r->pos++;
	for (;;) {
		if (r->pos >= r->len)
			return fail(r, err,
			    "line %lu: unterminated quoted field (field %zu)",
			    qline, field);
		c = r->buf[r->pos];
		if (c == '"') {
			if (r->pos + 1 < r->len && r->buf[r->pos + 1] == '"') {
				r->pos += 2;
				if (put(r, err, qline, field, start, '"') != 0)
					return r->failed.code;
				continue;
			}
			r->pos++;
			return 0;
		}
		if (c == '\0')
			return fail(r, err, "line %lu: NUL byte in field %zu "
			    "(is the file UTF-16?)", r->line, field);
		if (put(r, err, qline, field, start, c) != 0)
			return r->failed.code;
		if (c == '\n')
			r->line++;
		r->pos++;
	}
}

/* Reads an unquoted field up to its comma, line end or the end of input. */
static int
unquoted(struct csv_reader *r, struct sesshu_err *err, size_t field,
    size_t start)
{
	char c;

	for (; r->pos < r->len; r->pos++) {
		c = r->buf[r->pos];
		if (c == ',' || c == '\n')
			return 0;
		if (c == '\r') {
			if (r->pos + 1 < r->len && r->buf[r->pos + 1] == '\n')
				return 0;
			return fail(r, err, "line %lu: carriage return without "
			    "a line feed in field %zu", r->line, field);
		}
		if (c == '"')
			return fail(r, err, "line %lu: stray quote in unquoted "
			    "field %zu (quote the whole field and double the "
			    "quote)", r->line, field);
		if (c == '\0')
			return fail(r, err, "line %lu: NUL byte in field %zu "
			    "(is the file UTF-16?)", r->line, field);
		if (put(r, err, r->line, field, start, c) != 0)
			return r->failed.code;
	}
	return 0;
}

int
csv_next(struct csv_reader *r, struct csv_record *rec, struct sesshu_err *err)
{
	size_t field, start;
	int ret;

	if (r->failed.code != 0)
		return replay(r, err);

	/* Skip lines with nothing on them. */
	for (;;) {
		if (r->pos < r->len && r->buf[r->pos] == '\n') {
			r->pos++;
			r->line++;
		} else if (r->pos + 1 < r->len && r->buf[r->pos] == '\r' &&
		    r->buf[r->pos + 1] == '\n') {
			r->pos += 2;
			r->line++;
		} else
			break;
	}
	if (r->pos >= r->len)
		return 0;

	rec->line = r->line;
	rec->nfields = 0;
	r->used = 0;
	for (;;) {
		field = rec->nfields + 1;
		if (rec->nfields == CSV_MAX_FIELDS)
			return fail(r, err, "line %lu: more than %d fields",
			    rec->line, CSV_MAX_FIELDS);
		start = r->used;
		if (r->pos < r->len && r->buf[r->pos] == '"')
			ret = quoted(r, err, field, start);
		else
			ret = unquoted(r, err, field, start);
		if (ret != 0)
			return ret;
		if (put(r, err, rec->line, field, start, '\0') != 0)
			return r->failed.code;
		rec->fields[rec->nfields].s = r->scratch + start;
		rec->fields[rec->nfields].len = r->used - start - 1;
		rec->nfields++;

		if (r->pos >= r->len)
			return 1;
		if (r->buf[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (r->buf[r->pos] == '\n') {
			r->pos++;
			r->line++;
			return 1;
		}
		if (r->buf[r->pos] == '\r' && r->pos + 1 < r->len &&
		    r->buf[r->pos + 1] == '\n') {
			r->pos += 2;
			r->line++;
			return 1;
		}
		/* Only a quoted field can stop anywhere else. */
		return fail(r, err, "line %lu: unexpected character after the "
		    "closing quote of field %zu", r->line, field);
	}
}
