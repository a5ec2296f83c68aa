/*
 * fuzz_csv.c: libFuzzer target for the CSV reader (core/csv.h) and for the
 * checks that the import runs on what it reads.
 *
 * Reads every record of the input and checks what csv.h promises: a
 * record has 1..CSV_MAX_FIELDS fields, each at most CSV_MAX_FIELD_BYTES,
 * NUL-terminated and inside the reader; line numbers only go up; an error
 * is final and the end is sticky. Each record is then put through both row
 * validators (column i read from field i % nfields, so every record
 * reaches every column rule), and each field through the date, year-month,
 * municipality and kana parsers; a date that parses must format back to
 * the same ten bytes.
 * Build: clang -fsanitize=fuzzer,address,undefined -Isrc
 *     tests/fuzz/fuzz_csv.c src/core/(all .c files)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/kana.h"
#include "core/municipality.h"
#include "core/record_row.h"
#include "core/resident_row.h"

/* Large: kept off the fuzzer's stack. */
static struct csv_reader reader;
static struct csv_record rec;
static struct core_problems problems;
static struct core_resident_row resident;
static struct core_record_row record;
static char norm[CSV_MAX_FIELD_BYTES + 1];

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_field(const struct csv_field *f)
{
	char out[CORE_DATE_STRLEN];
	struct core_date d;
	struct core_ym ym;

	if (f->len > CSV_MAX_FIELD_BYTES || f->s < reader.scratch ||
	    f->s + f->len >= reader.scratch + sizeof(reader.scratch) ||
	    f->s[f->len] != '\0')
		abort();
	if (core_date_parse(f->s, f->len, &d, NULL) == 0) {
		if (!core_date_is_valid(&d) ||
		    core_date_format(&d, out, sizeof(out)) != 0 ||
		    f->len != 10 || memcmp(out, f->s, 10) != 0)
			abort();
	}
	(void)core_ym_parse(f->s, f->len, &ym, NULL);
	(void)core_municipality_parse(f->s, f->len, CORE_MUNI_ALLOW_TEST, NULL,
	    NULL);
	(void)core_kana_check_katakana(f->s, f->len, NULL);
	(void)core_kana_normalize(f->s, f->len, norm, sizeof(norm), NULL, NULL);
}

static void
check_rows(void)
{
	static const struct core_date today = { 2025, 6, 1 };
	struct core_header hdr;

	hdr.nfields = rec.nfields;
	hdr.ncolumns = CORE_RES_NCOLUMNS;
	for (size_t c = 0; c < CORE_RES_NCOLUMNS; c++)
		hdr.field[c] = (int)(c % rec.nfields);
	core_problems_init(&problems);
	if ((core_resident_row_parse(&hdr, &rec, &today, &resident,
	    &problems) == 0) != (core_problems_count(&problems) == 0))
		abort();

	hdr.ncolumns = CORE_REC_NCOLUMNS;
	for (size_t c = 0; c < CORE_REC_NCOLUMNS; c++)
		hdr.field[c] = (int)(c % rec.nfields);
	core_problems_init(&problems);
	if ((core_record_row_parse(&hdr, &rec, &today, &record,
	    &problems) == 0) != (core_problems_count(&problems) == 0))
		abort();

	/* The record as a header: must never crash, whatever it names. */
	core_problems_init(&problems);
	(void)core_resident_header(&rec, &hdr, &problems);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sesshu_err err;
	unsigned long last = 0;
	size_t records = 0;
	int ret;

	csv_reader_init(&reader, (const char *)data, size);
	while ((ret = csv_next(&reader, &rec, &err)) == 1) {
		if (rec.nfields == 0 || rec.nfields > CSV_MAX_FIELDS ||
		    rec.line <= last)
			abort();
		last = rec.line;
		for (size_t i = 0; i < rec.nfields; i++)
			check_field(&rec.fields[i]);
		check_rows();
		/* Each record consumes at least one byte. */
		if (++records > size)
			abort();
	}
	if (ret < 0) {
		if (ret != SESSHU_EFORMAT || err.code != SESSHU_EFORMAT ||
		    csv_next(&reader, &rec, NULL) != SESSHU_EFORMAT)
			abort();
	} else if (ret != 0 || csv_next(&reader, &rec, NULL) != 0)
		abort();
	return 0;
}
