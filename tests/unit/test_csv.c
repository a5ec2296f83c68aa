/*
 * test_csv.c: the RFC 4180 reader (core/csv.h): framing, quoting, line
 * numbers, limits, and every syntax error it reports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csv.h"

/* Large (the reader holds its scratch buffer): kept off the stack. */
static struct csv_reader r;
static struct csv_record rec;

static void
start(const char *s)
{
	csv_reader_init(&r, s, strlen(s));
}

static void
next_ok(unsigned long line, size_t nfields)
{
	struct sesshu_err err = { 0 };
	int ret = csv_next(&r, &rec, &err);

	if (ret != 1)
		fail_msg("csv_next returned %d: %s", ret, err.msg);
	assert_int_equal(rec.line, line);
	assert_int_equal(rec.nfields, nfields);
	for (size_t i = 0; i < rec.nfields; i++)
		assert_int_equal(rec.fields[i].s[rec.fields[i].len], '\0');
}

static void
field_is(size_t i, const char *want)
{
	assert_true(i < rec.nfields);
	assert_int_equal(rec.fields[i].len, strlen(want));
	assert_memory_equal(rec.fields[i].s, want, strlen(want));
}

static void
at_end(void)
{
	assert_int_equal(csv_next(&r, &rec, NULL), 0);
	assert_int_equal(csv_next(&r, &rec, NULL), 0);
}

static void
fails_with(const char *want)
{
	struct sesshu_err err = { 0 };
	int ret;

	/* Records before the error are fine; skip them. */
	while ((ret = csv_next(&r, &rec, &err)) == 1)
		;
	assert_int_equal(ret, SESSHU_EFORMAT);
	assert_int_equal(err.code, SESSHU_EFORMAT);
	if (strstr(err.msg, want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.msg, want);
}

static void
test_csv_reads_lf_records(void **state)
{
	(void)state;
	start("a,b,c\n1,2,3\n");
	next_ok(1, 3);
	field_is(0, "a");
	field_is(2, "c");
	next_ok(2, 3);
	field_is(1, "2");
	at_end();
}

static void
test_csv_reads_crlf_records(void **state)
{
	(void)state;
	start("a,b\r\n1,2\r\n");
	next_ok(1, 2);
	field_is(1, "b");
	next_ok(2, 2);
	field_is(1, "2");
	at_end();
}

static void
test_csv_reads_last_line_without_line_end(void **state)
{
	(void)state;
	start("a,b\n1,2");
	next_ok(1, 2);
	next_ok(2, 2);
	field_is(1, "2");
	at_end();
}

static void
test_csv_skips_utf8_bom(void **state)
{
	(void)state;
	start("\xef\xbb\xbf" "atena_no,name\n");
	next_ok(1, 2);
	field_is(0, "atena_no");
	at_end();
}

static void
test_csv_keeps_bom_like_bytes_after_the_start(void **state)
{
	(void)state;
	start("a\n\xef\xbb\xbf" "b\n");
	next_ok(1, 1);
	next_ok(2, 1);
	field_is(0, "\xef\xbb\xbf" "b");
}

static void
test_csv_reads_quoted_fields_with_commas_and_quotes(void **state)
{
	(void)state;
	start("\"a,b\",\"say \"\"hi\"\"\",\"\"\n");
	next_ok(1, 3);
	field_is(0, "a,b");
	field_is(1, "say \"hi\"");
	field_is(2, "");
	at_end();
}

static void
test_csv_quoted_line_breaks_count_physical_lines(void **state)
{
	(void)state;
	start("h1,h2\n\"first\nsecond\",x\n\"a\r\nb\",y\nlast,z\n");
	next_ok(1, 2);
	next_ok(2, 2);
	field_is(0, "first\nsecond");
	next_ok(4, 2);
	field_is(0, "a\r\nb");		/* kept as written */
	next_ok(6, 2);
	field_is(0, "last");
	at_end();
}

static void
test_csv_reads_empty_fields(void **state)
{
	(void)state;
	start("a,,c\n,\nx,\n");
	next_ok(1, 3);
	field_is(1, "");
	next_ok(2, 2);
	field_is(0, "");
	field_is(1, "");
	next_ok(3, 2);
	field_is(1, "");
	at_end();
}

static void
test_csv_trailing_comma_at_end_of_input_is_an_empty_field(void **state)
{
	(void)state;
	start("a,");
	next_ok(1, 2);
	field_is(1, "");
	at_end();
}

static void
test_csv_skips_blank_lines_and_keeps_line_numbers(void **state)
{
	(void)state;
	start("\n\r\na\n\n\nb\r\n\r\n");
	next_ok(3, 1);
	field_is(0, "a");
	next_ok(6, 1);
	field_is(0, "b");
	at_end();
}

static void
test_csv_empty_input_has_no_records(void **state)
{
	(void)state;
	start("");
	at_end();
	start("\xef\xbb\xbf");
	at_end();
	start("\n\n\r\n");
	at_end();
	csv_reader_init(&r, NULL, 10);
	at_end();
}

static void
test_csv_reads_only_len_bytes(void **state)
{
	(void)state;
	csv_reader_init(&r, "a,b\nc,d", 5);
	next_ok(1, 2);
	next_ok(2, 1);
	field_is(0, "c");
	at_end();
}

static void
test_csv_keeps_spaces_and_utf8_as_bytes(void **state)
{
	(void)state;
	start(" 試験 花子 ,シケン\n");
	next_ok(1, 2);
	field_is(0, " 試験 花子 ");
	field_is(1, "シケン");
}

static void
test_csv_refuses_unterminated_quote_naming_its_line(void **state)
{
	(void)state;
	start("a,b\n1,2\n3,\"never\nclosed\n");
	fails_with("line 3: unterminated quoted field (field 2)");
}

static void
test_csv_refuses_stray_quote_in_unquoted_field(void **state)
{
	(void)state;
	start("a,b\nab\"c,d\n");
	fails_with("line 2: stray quote in unquoted field 1");
}

static void
test_csv_refuses_text_after_closing_quote(void **state)
{
	(void)state;
	start("\"ab\"c,d\n");
	fails_with("line 1: unexpected character after the closing quote of "
	    "field 1");
	start("x,\"a\nb\" ,d\n");
	fails_with("line 2: unexpected character after the closing quote of "
	    "field 2");
}

static void
test_csv_refuses_bare_carriage_return(void **state)
{
	(void)state;
	start("a,b\rc\n");
	fails_with("line 1: carriage return without a line feed in field 2");
	start("a,b\r");
	fails_with("carriage return without a line feed");
}

static void
test_csv_refuses_nul_bytes(void **state)
{
	(void)state;
	csv_reader_init(&r, "a\0,b\n", 5);
	fails_with("line 1: NUL byte in field 1 (is the file UTF-16?)");
	csv_reader_init(&r, "\"a\0\",b\n", 7);
	fails_with("line 1: NUL byte in field 1");
}

static void
test_csv_refuses_more_than_max_fields(void **state)
{
	char buf[CSV_MAX_FIELDS * 2 + 8];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < CSV_MAX_FIELDS; i++) {
		buf[n++] = 'x';
		buf[n++] = ',';
	}
	/* Exactly CSV_MAX_FIELDS fields is fine. */
	buf[n - 1] = '\n';
	csv_reader_init(&r, buf, n);
	next_ok(1, CSV_MAX_FIELDS);
	/* One more is refused. */
	buf[n - 1] = ',';
	buf[n++] = 'y';
	buf[n++] = '\n';
	csv_reader_init(&r, buf, n);
	fails_with("line 1: more than 64 fields");
}

static void
test_csv_refuses_field_longer_than_max(void **state)
{
	size_t len = CSV_MAX_FIELD_BYTES + 3;
	char *buf = malloc(len + 1);

	(void)state;
	assert_non_null(buf);
	/* Exactly the maximum is accepted, quoted or not. */
	memset(buf, 'x', CSV_MAX_FIELD_BYTES);
	buf[CSV_MAX_FIELD_BYTES] = '\n';
	csv_reader_init(&r, buf, CSV_MAX_FIELD_BYTES + 1);
	next_ok(1, 1);
	assert_int_equal(rec.fields[0].len, CSV_MAX_FIELD_BYTES);
	/* One byte more is refused. */
	memset(buf, 'x', CSV_MAX_FIELD_BYTES + 1);
	buf[CSV_MAX_FIELD_BYTES + 1] = '\n';
	csv_reader_init(&r, buf, CSV_MAX_FIELD_BYTES + 2);
	fails_with("line 1: field 1 is longer than 4096 bytes");
	/* Quoted, the two quotes do not count. */
	buf[0] = '"';
	memset(buf + 1, 'x', CSV_MAX_FIELD_BYTES + 1);
	buf[CSV_MAX_FIELD_BYTES + 2] = '"';
	csv_reader_init(&r, buf, CSV_MAX_FIELD_BYTES + 3);
	fails_with("field 1 is longer than 4096 bytes");
	buf[CSV_MAX_FIELD_BYTES + 1] = '"';
	csv_reader_init(&r, buf, CSV_MAX_FIELD_BYTES + 2);
	next_ok(1, 1);
	assert_int_equal(rec.fields[0].len, CSV_MAX_FIELD_BYTES);
	free(buf);
}

static void
test_csv_refuses_record_longer_than_max(void **state)
{
	/* 20 fields of 4000 bytes: each is allowed, the record is not. */
	size_t flen = 4000, nf = 20, n = 0;
	char *buf = malloc(nf * (flen + 1) + 1);

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < nf; i++) {
		memset(buf + n, 'y', flen);
		n += flen;
		buf[n++] = i + 1 < nf ? ',' : '\n';
	}
	csv_reader_init(&r, buf, n);
	fails_with("line 1: record is longer than 65536 bytes");
	free(buf);
}

static void
test_csv_error_is_final(void **state)
{
	struct sesshu_err err = { 0 };

	(void)state;
	start("\"open\na,b\nc,d\n");
	assert_int_equal(csv_next(&r, &rec, &err), SESSHU_EFORMAT);
	memset(&err, 0, sizeof(err));
	assert_int_equal(csv_next(&r, &rec, &err), SESSHU_EFORMAT);
	assert_string_equal(err.msg, "line 1: unterminated quoted field "
	    "(field 1)");
	/* err is optional. */
	assert_int_equal(csv_next(&r, &rec, NULL), SESSHU_EFORMAT);
}

static void
test_csv_fields_are_valid_until_next_call(void **state)
{
	(void)state;
	start("one,\"t\"\"wo\"\nthree\n");
	next_ok(1, 2);
	field_is(0, "one");
	field_is(1, "t\"wo");
	assert_ptr_equal(rec.fields[1].s, rec.fields[0].s + 4);
	next_ok(2, 1);
	field_is(0, "three");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_reads_lf_records),
		cmocka_unit_test(test_csv_reads_crlf_records),
		cmocka_unit_test(test_csv_reads_last_line_without_line_end),
		cmocka_unit_test(test_csv_skips_utf8_bom),
		cmocka_unit_test(test_csv_keeps_bom_like_bytes_after_the_start),
		cmocka_unit_test(test_csv_reads_quoted_fields_with_commas_and_quotes),
		cmocka_unit_test(test_csv_quoted_line_breaks_count_physical_lines),
		cmocka_unit_test(test_csv_reads_empty_fields),
		cmocka_unit_test(test_csv_trailing_comma_at_end_of_input_is_an_empty_field),
		cmocka_unit_test(test_csv_skips_blank_lines_and_keeps_line_numbers),
		cmocka_unit_test(test_csv_empty_input_has_no_records),
		cmocka_unit_test(test_csv_reads_only_len_bytes),
		cmocka_unit_test(test_csv_keeps_spaces_and_utf8_as_bytes),
		cmocka_unit_test(test_csv_refuses_unterminated_quote_naming_its_line),
		cmocka_unit_test(test_csv_refuses_stray_quote_in_unquoted_field),
		cmocka_unit_test(test_csv_refuses_text_after_closing_quote),
		cmocka_unit_test(test_csv_refuses_bare_carriage_return),
		cmocka_unit_test(test_csv_refuses_nul_bytes),
		cmocka_unit_test(test_csv_refuses_more_than_max_fields),
		cmocka_unit_test(test_csv_refuses_field_longer_than_max),
		cmocka_unit_test(test_csv_refuses_record_longer_than_max),
		cmocka_unit_test(test_csv_error_is_final),
		cmocka_unit_test(test_csv_fields_are_valid_until_next_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
