/*
 * test_import_rows.c: the resident and vaccination-record import layouts
 * (core/resident_row.h, core/record_row.h, core/import.h, core/vaccine.h):
 * headers, every field rule, the rules between fields, and that a row
 * reports all of its problems at once. All people and places are invented.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/import.h"
#include "core/record_row.h"
#include "core/resident_row.h"
#include "core/vaccine.h"

static const struct core_date today = { 2025, 6, 1 };

/* Large (the reader holds its scratch buffer): kept off the stack. */
static struct csv_reader reader;
static struct csv_record header_rec, row_rec;
static struct core_header hdr;
static struct core_problems pr;
static char csv[32768];
static char scratch[8192];

static const char *const res_good[CORE_RES_NCOLUMNS] = {
	[CORE_RES_ATENA_NO]		= "0000000001",
	[CORE_RES_NAME]			= "試験 花子",
	[CORE_RES_NAME_KANA]		= "シケン ハナコ",
	[CORE_RES_SEX]			= "2",
	[CORE_RES_BIRTH_DATE]		= "2020-05-10",
	[CORE_RES_POSTAL_CODE]		= "990-0001",
	[CORE_RES_ADDRESS]		= "試験県試験市本町一丁目2番3号",
	[CORE_RES_ADDRESS_EXTRA]	= "試験荘101",
	[CORE_RES_PHONE]		= "000-0000-0000",
	[CORE_RES_HOUSEHOLD_NO]		= "0000000100",
	[CORE_RES_RELATIONSHIP]		= "子",
	[CORE_RES_STATUS]		= "1",
	[CORE_RES_RESIDENT_SINCE]	= "2020-05-10",
	[CORE_RES_RESIDENT_UNTIL]	= "",
	[CORE_RES_LEAVE_REASON]		= "",
	[CORE_RES_FOREIGNER]		= "0",
	[CORE_RES_REAL_NAME]		= "",
	[CORE_RES_ALIAS_NAME]		= "",
	[CORE_RES_PREVIOUS_ADDRESS]	= "",
	[CORE_RES_MOVED_TO_ADDRESS]	= "",
	[CORE_RES_DISTRICT_CODE]	= "N01",
};

static const char *const rec_good[CORE_REC_NCOLUMNS] = {
	[CORE_REC_LEGACY_ID]		= "OLD-000001",
	[CORE_REC_ATENA_NO]		= "0000000001",
	[CORE_REC_VACCINE_CODE]		= "MR",
	[CORE_REC_DOSE]			= "1",
	[CORE_REC_CATEGORY]		= "A",
	[CORE_REC_VACCINATED_ON]	= "2021-05-20",
	[CORE_REC_INSTITUTION_CODE]	= "9910000001",
	[CORE_REC_VENUE_CODE]		= "",
	[CORE_REC_SCREENING_DOCTOR]	= "試験 一郎",
	[CORE_REC_VACCINATING_DOCTOR]	= "試験 一郎",
	[CORE_REC_VACCINE_NAME]		= "試験用MRワクチン",
	[CORE_REC_MAKER]		= "試験製薬",
	[CORE_REC_LOT_NO]		= "T123A",
	[CORE_REC_LOT_EXPIRY]		= "2021-12-31",
	[CORE_REC_AMOUNT_ML]		= "0.5",
	[CORE_REC_SITE]			= "上腕",
	[CORE_REC_METHOD]		= "皮下",
	[CORE_REC_SCREENING_ONLY]	= "0",
	[CORE_REC_SCREENING_REASON]	= "",
	[CORE_REC_UNSUITABLE_CODE]	= "",
	[CORE_REC_FEE_CATEGORY]		= "F1",
	[CORE_REC_BILLING_MONTH]	= "2021-06",
	[CORE_REC_OTHER_MUNICIPALITY]	= "0",
	[CORE_REC_CERTIFICATE_ISSUED]	= "1",
	[CORE_REC_NOTE]			= "",
};

/* Appends v as a quoted CSV field. */
static size_t
put_field(size_t n, const char *v, int first)
{
	if (!first)
		csv[n++] = ',';
	csv[n++] = '"';
	for (; *v != '\0'; v++) {
		if (*v == '"')
			csv[n++] = '"';
		csv[n++] = *v;
	}
	csv[n++] = '"';
	assert_true(n < sizeof(csv) - 16);
	return n;
}

/* Writes a header (names) and one row (vals) into csv; returns length. */
static size_t
build(const char *const *names, size_t nnames, const char *const *vals,
    size_t nvals)
{
	size_t n = 0;

	for (size_t i = 0; i < nnames; i++)
		n = put_field(n, names[i], i == 0);
	csv[n++] = '\r';
	csv[n++] = '\n';
	for (size_t i = 0; i < nvals; i++)
		n = put_field(n, vals[i], i == 0);
	csv[n++] = '\r';
	csv[n++] = '\n';
	return n;
}

static void
dump_problems(void)
{
	char line[512];

	for (size_t i = 0; i < pr.n; i++) {
		core_problem_format(&pr.p[i], line, sizeof(line));
		print_message("  problem: %s\n", line);
	}
}

/*
 * Reads the header of csv[0..len) and maps it with map (which must accept
 * it), then reads the data row. The header is mapped first because its
 * fields live in the reader only until the next csv_next().
 */
static void
read_mapped(size_t len, int (*map)(const struct csv_record *,
    struct core_header *, struct core_problems *))
{
	struct sesshu_err err = { 0 };

	csv_reader_init(&reader, csv, len);
	if (csv_next(&reader, &header_rec, &err) != 1)
		fail_msg("header: %s", err.msg);
	core_problems_init(&pr);
	if (map(&header_rec, &hdr, &pr) != 0) {
		dump_problems();
		fail_msg("header refused");
	}
	if (csv_next(&reader, &row_rec, &err) != 1)
		fail_msg("row: %s", err.msg);
}

static void
has_problem(const char *column, const char *want)
{
	for (size_t i = 0; i < pr.n; i++)
		if (strcmp(pr.p[i].column, column) == 0 &&
		    strstr(pr.p[i].msg, want) != NULL)
			return;
	dump_problems();
	fail_msg("no problem \"%s: ...%s...\"", column, want);
}

static void
no_problem_for(const char *column)
{
	for (size_t i = 0; i < pr.n; i++)
		if (strcmp(pr.p[i].column, column) == 0) {
			dump_problems();
			fail_msg("unexpected problem for %s", column);
		}
}

static void
problems_are(size_t n)
{
	if (core_problems_count(&pr) != n) {
		dump_problems();
		fail_msg("%zu problems, expected %zu", core_problems_count(&pr),
		    n);
	}
}

/*
 * The header/row pair for the resident layout with the columns in their
 * documented order; (column, value) pairs override the good row, ending
 * with -1. Returns what core_resident_row_parse() returned.
 */
static const char *res_vals[CORE_RES_NCOLUMNS];
static const char *res_names[CORE_RES_NCOLUMNS];

static int
resident(struct core_resident_row *row, ...)
{
	const struct core_column *cols = core_resident_columns();
	va_list ap;
	int col;

	memcpy(res_vals, res_good, sizeof(res_vals));
	for (int i = 0; i < CORE_RES_NCOLUMNS; i++)
		res_names[i] = cols[i].name;
	va_start(ap, row);
	while ((col = va_arg(ap, int)) >= 0)
		res_vals[col] = va_arg(ap, const char *);
	va_end(ap);
	read_mapped(build(res_names, CORE_RES_NCOLUMNS, res_vals,
	    CORE_RES_NCOLUMNS), core_resident_header);
	return core_resident_row_parse(&hdr, &row_rec, &today, row, &pr);
}

static const char *rec_vals[CORE_REC_NCOLUMNS];
static const char *rec_names[CORE_REC_NCOLUMNS];

static int
record(struct core_record_row *row, ...)
{
	const struct core_column *cols = core_record_columns();
	va_list ap;
	int col;

	memcpy(rec_vals, rec_good, sizeof(rec_vals));
	for (int i = 0; i < CORE_REC_NCOLUMNS; i++)
		rec_names[i] = cols[i].name;
	va_start(ap, row);
	while ((col = va_arg(ap, int)) >= 0)
		rec_vals[col] = va_arg(ap, const char *);
	va_end(ap);
	read_mapped(build(rec_names, CORE_REC_NCOLUMNS, rec_vals,
	    CORE_REC_NCOLUMNS), core_record_header);
	return core_record_row_parse(&hdr, &row_rec, &today, row, &pr);
}

/* A resident header built from names[0..n), checked; returns the result. */
static int
resident_header_of(const char *const *names, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len = put_field(len, names[i], i == 0);
	csv[len++] = '\n';
	csv_reader_init(&reader, csv, len);
	assert_int_equal(csv_next(&reader, &header_rec, NULL), 1);
	core_problems_init(&pr);
	return core_resident_header(&header_rec, &hdr, &pr);
}

/* unit repeated n times into scratch. */
static const char *
repeat(const char *unit, size_t n)
{
	size_t len = strlen(unit), used = 0;

	assert_true(len * n < sizeof(scratch));
	for (size_t i = 0; i < n; i++, used += len)
		memcpy(scratch + used, unit, len);
	scratch[used] = '\0';
	return scratch;
}

#define END	(-1)

/* ---- resident layout ---------------------------------------------- */

static void
test_resident_row_accepts_a_complete_row(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, END), 0);
	problems_are(0);
	assert_string_equal(row.atena_no, "0000000001");
	assert_string_equal(row.name.s, "試験 花子");
	assert_int_equal(row.name.len, strlen("試験 花子"));
	assert_string_equal(row.name_kana.s, "シケン ハナコ");
	assert_int_equal(row.sex, CORE_SEX_FEMALE);
	assert_int_equal(row.birth_date.y, 2020);
	assert_int_equal(row.birth_date.m, 5);
	assert_int_equal(row.birth_date.d, 10);
	assert_string_equal(row.postal_code, "990-0001");
	assert_string_equal(row.phone, "000-0000-0000");
	assert_string_equal(row.household_no, "0000000100");
	assert_int_equal(row.status, CORE_STATUS_RESIDENT);
	assert_true(row.has_resident_since);
	assert_false(row.has_resident_until);
	assert_false(row.foreigner);
	assert_int_equal(row.real_name.len, 0);
	assert_string_equal(row.district_code, "N01");
}

static void
test_resident_row_accepts_optional_columns_empty(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_POSTAL_CODE, "",
	    CORE_RES_ADDRESS_EXTRA, "", CORE_RES_PHONE, "",
	    CORE_RES_HOUSEHOLD_NO, "", CORE_RES_RELATIONSHIP, "",
	    CORE_RES_RESIDENT_SINCE, "", CORE_RES_DISTRICT_CODE, "", END), 0);
	assert_string_equal(row.postal_code, "");
	assert_false(row.has_resident_since);
	assert_string_equal(row.district_code, "");
}

static void
test_resident_row_accepts_a_foreign_resident_with_names(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_NAME, "TESTER ALEX",
	    CORE_RES_NAME_KANA, "テスター・アレックス", CORE_RES_FOREIGNER, "1",
	    CORE_RES_REAL_NAME, "TESTER ALEX", CORE_RES_ALIAS_NAME, "試験 太郎",
	    END), 0);
	assert_true(row.foreigner);
	assert_string_equal(row.alias_name.s, "試験 太郎");
}

static void
test_resident_header_accepts_any_order(void **state)
{
	const struct core_column *cols = core_resident_columns();
	const char *names[CORE_RES_NCOLUMNS], *vals[CORE_RES_NCOLUMNS];
	struct core_resident_row row;

	(void)state;
	for (int i = 0; i < CORE_RES_NCOLUMNS; i++) {
		names[i] = cols[CORE_RES_NCOLUMNS - 1 - i].name;
		vals[i] = res_good[CORE_RES_NCOLUMNS - 1 - i];
	}
	read_mapped(build(names, CORE_RES_NCOLUMNS, vals, CORE_RES_NCOLUMNS),
	    core_resident_header);
	assert_int_equal(hdr.field[CORE_RES_ATENA_NO], CORE_RES_NCOLUMNS - 1);
	assert_int_equal(core_resident_row_parse(&hdr, &row_rec, &today, &row,
	    &pr), 0);
	assert_string_equal(row.atena_no, "0000000001");
	assert_string_equal(row.district_code, "N01");
}

static void
test_resident_header_reports_missing_columns(void **state)
{
	const struct core_column *cols = core_resident_columns();
	const char *names[CORE_RES_NCOLUMNS];

	(void)state;
	for (int i = 0; i < CORE_RES_NCOLUMNS; i++)
		names[i] = cols[i].name;
	/* Drop birth_date and district_code (the last one). */
	names[CORE_RES_BIRTH_DATE] = "name";
	assert_int_equal(resident_header_of(names, CORE_RES_NCOLUMNS - 1),
	    SESSHU_EFORMAT);
	has_problem("birth_date", "missing column (生年月日)");
	has_problem("district_code", "missing column (地区)");
	has_problem("name", "duplicated column (fields 2 and 5)");
	problems_are(3);
}

static void
test_resident_header_reports_unknown_column(void **state)
{
	const struct core_column *cols = core_resident_columns();
	const char *names[CORE_RES_NCOLUMNS + 1];

	(void)state;
	for (int i = 0; i < CORE_RES_NCOLUMNS; i++)
		names[i] = cols[i].name;
	names[CORE_RES_NCOLUMNS] = "blood_type";
	assert_int_equal(resident_header_of(names, CORE_RES_NCOLUMNS + 1),
	    SESSHU_EFORMAT);
	has_problem("blood_type", "unknown column");
	problems_are(1);
	/* Names are exact: case and surrounding spaces matter. */
	names[CORE_RES_NCOLUMNS] = "Atena_No";
	assert_int_equal(resident_header_of(names, CORE_RES_NCOLUMNS + 1),
	    SESSHU_EFORMAT);
	has_problem("Atena_No", "unknown column");
	names[CORE_RES_NCOLUMNS] = " sex";
	assert_int_equal(resident_header_of(names, CORE_RES_NCOLUMNS + 1),
	    SESSHU_EFORMAT);
	has_problem(" sex", "unknown column");
}

static void
test_resident_header_reports_duplicated_column(void **state)
{
	const struct core_column *cols = core_resident_columns();
	const char *names[CORE_RES_NCOLUMNS + 1];

	(void)state;
	for (int i = 0; i < CORE_RES_NCOLUMNS; i++)
		names[i] = cols[i].name;
	names[CORE_RES_NCOLUMNS] = "atena_no";
	assert_int_equal(resident_header_of(names, CORE_RES_NCOLUMNS + 1),
	    SESSHU_EFORMAT);
	has_problem("atena_no", "duplicated column (fields 1 and 22)");
	problems_are(1);
}

static void
test_resident_header_refuses_individual_number_columns(void **state)
{
	static const char *const bad[] = {
		"kojin_bango", "my_number", "個人番号", "My-Number",
		"MYNUMBER", "my number", "マイナンバー", "individual_number",
	};
	const struct core_column *cols = core_resident_columns();
	const char *names[CORE_RES_NCOLUMNS + 1];

	(void)state;
	for (int i = 0; i < CORE_RES_NCOLUMNS; i++)
		names[i] = cols[i].name;
	for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
		names[CORE_RES_NCOLUMNS] = bad[b];
		assert_int_equal(resident_header_of(names,
		    CORE_RES_NCOLUMNS + 1), SESSHU_EFORMAT);
		has_problem(bad[b], "individual number (個人番号, My Number) "
		    "is never imported");
		problems_are(1);
	}
	assert_true(core_header_is_individual_number("kojin_bango", 11));
	assert_false(core_header_is_individual_number("atena_no", 8));
	assert_false(core_header_is_individual_number(repeat("a", 100), 100));
}

static void
test_resident_header_reports_data_row_instead_of_header(void **state)
{
	static const char *const data[] = { "0000000001", "試験 花子",
	    "シケン ハナコ", "2" };

	(void)state;
	assert_int_equal(resident_header_of(data, 4), SESSHU_EFORMAT);
	has_problem("header", "the first row is not a header row");
	problems_are(1);
}

static void
test_resident_header_reports_empty_and_unprintable_names(void **state)
{
	const struct core_column *cols = core_resident_columns();
	const char *names[CORE_RES_NCOLUMNS + 2];

	(void)state;
	for (int i = 0; i < CORE_RES_NCOLUMNS; i++)
		names[i] = cols[i].name;
	names[CORE_RES_NCOLUMNS] = "";
	names[CORE_RES_NCOLUMNS + 1] = "bad\x01name";
	assert_int_equal(resident_header_of(names, CORE_RES_NCOLUMNS + 2),
	    SESSHU_EFORMAT);
	has_problem("field 22", "empty column name");
	has_problem("field 23", "unknown column");
	problems_are(2);
}

static void
test_resident_row_reports_wrong_field_count(void **state)
{
	struct core_resident_row row;
	size_t len;

	(void)state;
	resident(&row, END);	/* fills res_names */
	len = build(res_names, CORE_RES_NCOLUMNS, res_good,
	    CORE_RES_NCOLUMNS - 1);
	read_mapped(len, core_resident_header);
	assert_int_equal(core_resident_row_parse(&hdr, &row_rec, &today, &row,
	    &pr), SESSHU_EINVAL);
	has_problem("row", "has 20 fields, the header has 21");
	problems_are(1);
}

static void
test_resident_row_atena_no_must_be_10_digits(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_ATENA_NO, "000000001", END),
	    SESSHU_EINVAL);
	has_problem("atena_no", "must be 10 digits, not 9");
	problems_are(1);
	resident(&row, CORE_RES_ATENA_NO, "00000000O1", END);
	has_problem("atena_no", "character 9 is not a digit");
	resident(&row, CORE_RES_ATENA_NO, "", END);
	has_problem("atena_no", "required");
	resident(&row, CORE_RES_ATENA_NO, "０００００００００１", END);
	has_problem("atena_no", "must be 10 ASCII digits");
}

static void
test_resident_row_name_required_and_at_most_60_characters(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_NAME, "", END), SESSHU_EINVAL);
	has_problem("name", "required");
	resident(&row, CORE_RES_NAME, " 　 ", END);
	has_problem("name", "required");
	assert_int_equal(resident(&row, CORE_RES_NAME, repeat("試", 60), END),
	    0);
	assert_int_equal(resident(&row, CORE_RES_NAME, repeat("試", 61), END),
	    SESSHU_EINVAL);
	has_problem("name", "longer than 60 characters (61)");
	problems_are(1);
}

static void
test_resident_row_refuses_control_characters_in_text(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_ADDRESS, "試験市\t本町", END);
	has_problem("address", "control character U+0009 at character 4");
	resident(&row, CORE_RES_ADDRESS, "試験市\n本町", END);
	has_problem("address", "control character U+000A");
	resident(&row, CORE_RES_NAME, "試験\xc2\x85花子", END);	/* NEL */
	has_problem("name", "control character U+0085");
}

static void
test_resident_row_refuses_invalid_utf8_with_encoding_hint(void **state)
{
	struct core_resident_row row;

	(void)state;
	/* 試験 in Shift_JIS: what an unconverted cp932 extract looks like. */
	assert_int_equal(resident(&row, CORE_RES_NAME, "\x8e\x8e\x8c\xb1",
	    END), SESSHU_EINVAL);
	has_problem("name", "invalid UTF-8 at byte 1");
	has_problem("name", "--encoding cp932");
}

static void
test_resident_row_name_kana_must_be_full_width_katakana(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_NAME_KANA, "しけん はなこ",
	    END), SESSHU_EINVAL);
	has_problem("name_kana", "must be full-width katakana");
	has_problem("name_kana", "hiragana");
	problems_are(1);
	resident(&row, CORE_RES_NAME_KANA, "ｼｹﾝ ﾊﾅｺ", END);
	has_problem("name_kana", "half-width katakana");
	resident(&row, CORE_RES_NAME_KANA, "", END);
	has_problem("name_kana", "required");
	resident(&row, CORE_RES_NAME_KANA, repeat("シ", 101), END);
	has_problem("name_kana", "longer than 100 characters");
}

static void
test_resident_row_sex_must_be_1_or_2(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_SEX, "1", END), 0);
	assert_int_equal(row.sex, CORE_SEX_MALE);
	assert_int_equal(resident(&row, CORE_RES_SEX, "3", END), SESSHU_EINVAL);
	has_problem("sex", "must be 1 (male) or 2 (female), not 3");
	resident(&row, CORE_RES_SEX, "", END);
	has_problem("sex", "required");
	resident(&row, CORE_RES_SEX, "女", END);
	has_problem("sex", "must be 1 (male) or 2 (female)");
	resident(&row, CORE_RES_SEX, "12", END);
	has_problem("sex", "not 12");
}

static void
test_resident_row_birth_date_must_be_a_date(void **state)
{
	struct core_resident_row row;
	char line[512];

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_BIRTH_DATE, "2024-02-30",
	    CORE_RES_RESIDENT_SINCE, "", END), SESSHU_EINVAL);
	problems_are(1);
	core_problem_format(&pr.p[0], line, sizeof(line));
	assert_string_equal(line, "birth_date: 2024-02-30 is not a date "
	    "(February 2024 has 29 days)");
	resident(&row, CORE_RES_BIRTH_DATE, "", END);
	has_problem("birth_date", "required");
	resident(&row, CORE_RES_BIRTH_DATE, "2020/05/10", END);
	has_problem("birth_date", "expected YYYY-MM-DD");
}

static void
test_resident_row_birth_date_must_not_be_after_today(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_BIRTH_DATE, "2025-06-02",
	    CORE_RES_RESIDENT_SINCE, "", END), SESSHU_EINVAL);
	has_problem("birth_date", "2025-06-02 is after today (2025-06-01)");
	problems_are(1);
	assert_int_equal(resident(&row, CORE_RES_BIRTH_DATE, "2025-06-01",
	    CORE_RES_RESIDENT_SINCE, "", END), 0);
}

static void
test_resident_row_postal_code_must_be_nnn_nnnn(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_POSTAL_CODE, "9900001", END);
	has_problem("postal_code", "must be NNN-NNNN");
	resident(&row, CORE_RES_POSTAL_CODE, "990-001", END);
	has_problem("postal_code", "must be NNN-NNNN");
	resident(&row, CORE_RES_POSTAL_CODE, "990_0001", END);
	has_problem("postal_code", "must be NNN-NNNN");
	resident(&row, CORE_RES_POSTAL_CODE, "〒990-0001", END);
	has_problem("postal_code", "must be NNN-NNNN");
}

static void
test_resident_row_phone_is_digits_and_hyphens_up_to_20(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_PHONE, "000 0000 0000", END);
	has_problem("phone", "must be ASCII digits and hyphens (character 4");
	resident(&row, CORE_RES_PHONE, "---", END);
	has_problem("phone", "has no digits");
	resident(&row, CORE_RES_PHONE, "000000000000000000000", END);
	has_problem("phone", "longer than 20 characters (21)");
	assert_int_equal(resident(&row, CORE_RES_PHONE, "00000000000000000000",
	    END), 0);
}

static void
test_resident_row_household_no_is_10_digits_when_present(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_HOUSEHOLD_NO, "12345", END);
	has_problem("household_no", "must be 10 digits, not 5");
}

static void
test_resident_row_address_is_required(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_ADDRESS, "", END);
	has_problem("address", "required");
	resident(&row, CORE_RES_ADDRESS, repeat("町", 201), END);
	has_problem("address", "longer than 200 characters");
	resident(&row, CORE_RES_PREVIOUS_ADDRESS, repeat("町", 201), END);
	has_problem("previous_address", "longer than 200 characters");
	resident(&row, CORE_RES_ADDRESS_EXTRA, repeat("荘", 101), END);
	has_problem("address_extra", "longer than 100 characters");
	resident(&row, CORE_RES_RELATIONSHIP, repeat("子", 21), END);
	has_problem("relationship", "longer than 20 characters");
}

static void
test_resident_row_status_must_be_1_2_or_3(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_STATUS, "4", END);
	has_problem("status", "must be 1 (resident), 2 (moved out) or 3 "
	    "(deceased), not 4");
	problems_are(1);
	resident(&row, CORE_RES_STATUS, "", END);
	has_problem("status", "required");
}

static void
test_resident_row_resident_until_must_be_empty_for_residents(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_RESIDENT_UNTIL, "2024-03-31",
	    END), SESSHU_EINVAL);
	has_problem("resident_until", "must be empty when status is 1 "
	    "(resident)");
	problems_are(1);
}

static void
test_resident_row_moved_out_requires_until_and_reason(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_STATUS, "2", END),
	    SESSHU_EINVAL);
	has_problem("resident_until", "required when status is 2 (moved out)");
	has_problem("leave_reason", "required when status is 2 (moved out)");
	problems_are(2);
	assert_int_equal(resident(&row, CORE_RES_STATUS, "2",
	    CORE_RES_RESIDENT_UNTIL, "2024-03-31", CORE_RES_LEAVE_REASON,
	    "転出", CORE_RES_MOVED_TO_ADDRESS, "試験県別試験市1-1", END), 0);
	assert_int_equal(row.status, CORE_STATUS_MOVED_OUT);
	assert_true(row.has_resident_until);
	assert_int_equal(row.resident_until.m, 3);
}

static void
test_resident_row_deceased_requires_until_and_reason(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_STATUS, "3", CORE_RES_RESIDENT_UNTIL,
	    "2024-03-31", END);
	has_problem("leave_reason", "required when status is 3 (deceased)");
	problems_are(1);
	assert_int_equal(resident(&row, CORE_RES_STATUS, "3",
	    CORE_RES_RESIDENT_UNTIL, "2024-03-31", CORE_RES_LEAVE_REASON,
	    "死亡", END), 0);
	assert_int_equal(row.status, CORE_STATUS_DECEASED);
}

static void
test_resident_row_resident_since_not_before_birth(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_RESIDENT_SINCE, "2020-05-09", END);
	has_problem("resident_since", "2020-05-09 is before birth_date "
	    "2020-05-10");
	problems_are(1);
	resident(&row, CORE_RES_RESIDENT_SINCE, "2020-05-32", END);
	has_problem("resident_since", "is not a date");
}

static void
test_resident_row_resident_until_not_before_resident_since(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_STATUS, "2", CORE_RES_RESIDENT_SINCE,
	    "2022-04-01", CORE_RES_RESIDENT_UNTIL, "2022-03-31",
	    CORE_RES_LEAVE_REASON, "転出", END);
	has_problem("resident_until", "2022-03-31 is before resident_since "
	    "2022-04-01");
	problems_are(1);
	/* The same day is allowed. */
	assert_int_equal(resident(&row, CORE_RES_STATUS, "2",
	    CORE_RES_RESIDENT_SINCE, "2022-04-01", CORE_RES_RESIDENT_UNTIL,
	    "2022-04-01", CORE_RES_LEAVE_REASON, "転出", END), 0);
}

static void
test_resident_row_resident_until_not_before_birth_without_since(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_STATUS, "3", CORE_RES_RESIDENT_SINCE, "",
	    CORE_RES_RESIDENT_UNTIL, "2019-01-01", CORE_RES_LEAVE_REASON,
	    "死亡", END);
	has_problem("resident_until", "2019-01-01 is before birth_date "
	    "2020-05-10");
	problems_are(1);
	resident(&row, CORE_RES_STATUS, "3", CORE_RES_RESIDENT_UNTIL,
	    "2024-13-01", CORE_RES_LEAVE_REASON, "死亡", END);
	has_problem("resident_until", "month 13 is not 01-12");
}

static void
test_resident_row_foreigner_must_be_0_or_1(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_FOREIGNER, "2", END);
	has_problem("foreigner", "must be 0 or 1, not 2");
	resident(&row, CORE_RES_FOREIGNER, "", END);
	has_problem("foreigner", "required (0 or 1)");
}

static void
test_resident_row_district_code_is_up_to_8_alphanumerics(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_DISTRICT_CODE, "AB12CD34",
	    END), 0);
	resident(&row, CORE_RES_DISTRICT_CODE, "AB12CD345", END);
	has_problem("district_code", "longer than 8 characters (9)");
	resident(&row, CORE_RES_DISTRICT_CODE, "N-01", END);
	has_problem("district_code", "must be ASCII letters and digits "
	    "(character 2 is not)");
	resident(&row, CORE_RES_DISTRICT_CODE, "北", END);
	has_problem("district_code", "must be ASCII letters and digits");
}

static void
test_resident_row_reports_every_problem_of_the_row(void **state)
{
	struct core_resident_row row;

	(void)state;
	assert_int_equal(resident(&row, CORE_RES_ATENA_NO, "123",
	    CORE_RES_NAME, "", CORE_RES_NAME_KANA, "しけん", CORE_RES_SEX, "9",
	    CORE_RES_BIRTH_DATE, "2023-02-29", CORE_RES_POSTAL_CODE, "1",
	    CORE_RES_ADDRESS, "", CORE_RES_PHONE, "x", CORE_RES_STATUS, "2",
	    CORE_RES_FOREIGNER, "y", CORE_RES_DISTRICT_CODE, "!", END),
	    SESSHU_EINVAL);
	has_problem("atena_no", "must be 10 digits");
	has_problem("name", "required");
	has_problem("name_kana", "hiragana");
	has_problem("sex", "not 9");
	has_problem("birth_date", "2023-02-29 is not a date (2023 is not a "
	    "leap year)");
	has_problem("postal_code", "NNN-NNNN");
	has_problem("address", "required");
	has_problem("phone", "digits and hyphens");
	has_problem("resident_until", "required when status is 2");
	has_problem("leave_reason", "required when status is 2");
	has_problem("foreigner", "not y");
	has_problem("district_code", "letters and digits");
	problems_are(12);
}

static void
test_resident_row_messages_do_not_echo_personal_text(void **state)
{
	struct core_resident_row row;

	(void)state;
	resident(&row, CORE_RES_NAME, repeat("試験花子", 16),
	    CORE_RES_NAME_KANA, "シケン花子", CORE_RES_PHONE, "03-TEST",
	    CORE_RES_ADDRESS, "試験市\x01本町", END);
	problems_are(4);
	for (size_t i = 0; i < pr.n; i++) {
		assert_null(strstr(pr.p[i].msg, "試験"));
		assert_null(strstr(pr.p[i].msg, "花子"));
		assert_null(strstr(pr.p[i].msg, "TEST"));
	}
}

/* ---- problems and uniqueness -------------------------------------- */

static void
test_problems_past_capacity_are_counted_as_dropped(void **state)
{
	(void)state;
	core_problems_init(&pr);
	for (int i = 0; i < CORE_PROBLEMS_MAX + 5; i++)
		core_problems_add(&pr, "col", "problem %d", i);
	assert_int_equal(pr.n, CORE_PROBLEMS_MAX);
	assert_int_equal(pr.dropped, 5);
	assert_int_equal(core_problems_count(&pr), CORE_PROBLEMS_MAX + 5);
	assert_string_equal(pr.p[CORE_PROBLEMS_MAX - 1].msg, "problem 31");
}

static void
test_problem_format_joins_column_and_message(void **state)
{
	char line[32];

	(void)state;
	core_problems_init(&pr);
	core_problems_add(&pr, "name_kana", "must be full-width katakana");
	core_problem_format(&pr.p[0], line, sizeof(line));
	/* Truncated to the buffer, still terminated. */
	assert_string_equal(line, "name_kana: must be full-width k");
	core_problem_format(&pr.p[0], line, 0);
}

static void
test_uniq_marks_repeats_with_their_first_line(void **state)
{
	struct core_uniq v[] = {
		{ "0000000003", 2, 99 },
		{ "0000000001", 3, 99 },
		{ "0000000003", 4, 99 },
		{ "0000000002", 5, 99 },
		{ "0000000003", 7, 99 },
		{ "0000000001", 9, 99 },
	};

	(void)state;
	core_uniq_mark(v, sizeof(v) / sizeof(v[0]));
	/* Back in line order. */
	assert_int_equal(v[0].line, 2);
	assert_int_equal(v[5].line, 9);
	assert_int_equal(v[0].first_line, 0);
	assert_int_equal(v[1].first_line, 0);
	assert_int_equal(v[2].first_line, 2);
	assert_int_equal(v[3].first_line, 0);
	assert_int_equal(v[4].first_line, 2);
	assert_int_equal(v[5].first_line, 3);
	core_uniq_mark(v, 0);
}

/* ---- vaccination-record layout ------------------------------------ */

static void
test_record_row_accepts_a_complete_row(void **state)
{
	struct core_record_row row;

	(void)state;
	assert_int_equal(record(&row, END), 0);
	problems_are(0);
	assert_string_equal(row.legacy_id, "OLD-000001");
	assert_string_equal(row.atena_no, "0000000001");
	assert_non_null(row.vaccine);
	assert_string_equal(row.vaccine->code, "MR");
	assert_int_equal(row.dose, 1);
	assert_int_equal(row.category, CORE_CAT_ROUTINE_A);
	assert_int_equal(row.vaccinated_on.d, 20);
	assert_string_equal(row.institution_code, "9910000001");
	assert_string_equal(row.lot_no.s, "T123A");
	assert_true(row.has_lot_expiry);
	assert_true(row.has_amount);
	assert_int_equal(row.amount_ul, 500);
	assert_false(row.screening_only);
	assert_string_equal(row.fee_category, "F1");
	assert_true(row.has_billing_month);
	assert_int_equal(row.billing_month.m, 6);
	assert_false(row.other_municipality);
	assert_true(row.certificate_issued);
}

static void
test_record_row_accepts_optional_columns_empty(void **state)
{
	struct core_record_row row;

	(void)state;
	assert_int_equal(record(&row, CORE_REC_LEGACY_ID, "",
	    CORE_REC_SCREENING_DOCTOR, "", CORE_REC_VACCINATING_DOCTOR, "",
	    CORE_REC_VACCINE_NAME, "", CORE_REC_MAKER, "",
	    CORE_REC_LOT_EXPIRY, "", CORE_REC_AMOUNT_ML, "", CORE_REC_SITE, "",
	    CORE_REC_METHOD, "", CORE_REC_FEE_CATEGORY, "",
	    CORE_REC_BILLING_MONTH, "", END), 0);
	assert_string_equal(row.legacy_id, "");
	assert_false(row.has_lot_expiry);
	assert_false(row.has_amount);
	assert_false(row.has_billing_month);
}

static void
test_record_header_refuses_individual_number_column(void **state)
{
	const struct core_column *cols = core_record_columns();
	const char *names[CORE_REC_NCOLUMNS + 1];
	size_t len = 0;

	(void)state;
	for (int i = 0; i < CORE_REC_NCOLUMNS; i++)
		names[i] = cols[i].name;
	names[CORE_REC_NCOLUMNS] = "my_number";
	for (size_t i = 0; i < CORE_REC_NCOLUMNS + 1; i++)
		len = put_field(len, names[i], i == 0);
	csv[len++] = '\n';
	csv_reader_init(&reader, csv, len);
	assert_int_equal(csv_next(&reader, &header_rec, NULL), 1);
	core_problems_init(&pr);
	assert_int_equal(core_record_header(&header_rec, &hdr, &pr),
	    SESSHU_EFORMAT);
	has_problem("my_number", "never imported");
	problems_are(1);
}

static void
test_record_header_reports_missing_columns(void **state)
{
	const struct core_column *cols = core_record_columns();
	size_t len = 0;

	(void)state;
	/* All but the last two columns. */
	for (size_t i = 0; i < CORE_REC_NCOLUMNS - 2; i++)
		len = put_field(len, cols[i].name, i == 0);
	csv[len++] = '\n';
	csv_reader_init(&reader, csv, len);
	assert_int_equal(csv_next(&reader, &header_rec, NULL), 1);
	core_problems_init(&pr);
	assert_int_equal(core_record_header(&header_rec, &hdr, &pr),
	    SESSHU_EFORMAT);
	has_problem("certificate_issued", "missing column (接種済証発行区分)");
	has_problem("note", "missing column (備考)");
	problems_are(2);
}

static void
test_record_row_vaccine_code_must_be_known(void **state)
{
	struct core_record_row row;

	(void)state;
	assert_int_equal(record(&row, CORE_REC_VACCINE_CODE, "XYZ", END),
	    SESSHU_EINVAL);
	has_problem("vaccine_code", "unknown code XYZ (one of HIB PCV");
	problems_are(1);
	record(&row, CORE_REC_VACCINE_CODE, "mr", END);
	has_problem("vaccine_code", "unknown code mr");
	record(&row, CORE_REC_VACCINE_CODE, "", END);
	has_problem("vaccine_code", "required");
	record(&row, CORE_REC_VACCINE_CODE, "麻しん", END);
	has_problem("vaccine_code", "unknown code (one of");
}

static void
test_record_row_dose_must_be_1_to_9(void **state)
{
	struct core_record_row row;

	(void)state;
	assert_int_equal(record(&row, CORE_REC_DOSE, "9", END), 0);
	assert_int_equal(row.dose, 9);
	record(&row, CORE_REC_DOSE, "0", END);
	has_problem("dose", "must be a dose number 1-9, not 0");
	record(&row, CORE_REC_DOSE, "10", END);
	has_problem("dose", "not 10");
	record(&row, CORE_REC_DOSE, "", END);
	has_problem("dose", "required");
}

static void
test_record_row_category_must_be_a_known_letter(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_CATEGORY, "X", END);
	has_problem("category", "must be A (定期A類), B (定期B類), T (臨時), "
	    "V (任意), S (特定接種) or J (住民接種), not X");
	record(&row, CORE_REC_CATEGORY, "a", END);
	has_problem("category", "not a");
	record(&row, CORE_REC_CATEGORY, "", END);
	has_problem("category", "required");
}

static void
test_record_row_routine_category_must_match_vaccine_class(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_VACCINE_CODE, "FLU", END);
	has_problem("category", "A (定期A類) does not match FLU, a 定期B類 "
	    "vaccine");
	problems_are(1);
	record(&row, CORE_REC_CATEGORY, "B", END);
	has_problem("category", "B (定期B類) does not match MR, a 定期A類");
	assert_int_equal(record(&row, CORE_REC_VACCINE_CODE, "FLU",
	    CORE_REC_CATEGORY, "B", END), 0);
	assert_int_equal(record(&row, CORE_REC_VACCINE_CODE, "FLU",
	    CORE_REC_CATEGORY, "V", END), 0);
	assert_int_equal(record(&row, CORE_REC_VACCINE_CODE, "COVID",
	    CORE_REC_CATEGORY, "T", END), 0);
	assert_int_equal(record(&row, CORE_REC_VACCINE_CODE, "HPV",
	    CORE_REC_CATEGORY, "J", END), 0);
}

static void
test_record_row_vaccinated_on_required_and_not_after_today(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_VACCINATED_ON, "2025-06-02",
	    CORE_REC_LOT_EXPIRY, "2026-01-01", CORE_REC_BILLING_MONTH, "", END);
	has_problem("vaccinated_on", "2025-06-02 is after today (2025-06-01)");
	problems_are(1);
	record(&row, CORE_REC_VACCINATED_ON, "", END);
	has_problem("vaccinated_on", "required");
	record(&row, CORE_REC_VACCINATED_ON, "2021-02-29", END);
	has_problem("vaccinated_on", "2021 is not a leap year");
}

static void
test_record_row_institution_code_must_be_10_digits(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_INSTITUTION_CODE, "991000001", END);
	has_problem("institution_code", "must be 10 digits, not 9");
	record(&row, CORE_REC_INSTITUTION_CODE, "", END);
	has_problem("institution_code", "required");
}

static void
test_record_row_legacy_id_is_up_to_32_printable_ascii(void **state)
{
	struct core_record_row row;

	(void)state;
	assert_int_equal(record(&row, CORE_REC_LEGACY_ID, repeat("X", 32), END),
	    0);
	record(&row, CORE_REC_LEGACY_ID, repeat("X", 33), END);
	has_problem("legacy_id", "longer than 32 characters (33)");
	record(&row, CORE_REC_LEGACY_ID, "OLD 1", END);
	has_problem("legacy_id", "printable ASCII without spaces "
	    "(character 4 is not)");
}

static void
test_record_row_refuses_expired_lot(void **state)
{
	struct core_record_row row;

	(void)state;
	assert_int_equal(record(&row, CORE_REC_LOT_EXPIRY, "2021-04-30", END),
	    SESSHU_EINVAL);
	has_problem("lot_expiry", "lot expired on 2021-04-30 before "
	    "vaccinated_on 2021-05-20");
	problems_are(1);
	/* Usable through its expiry date. */
	assert_int_equal(record(&row, CORE_REC_LOT_EXPIRY, "2021-05-20", END),
	    0);
	record(&row, CORE_REC_LOT_EXPIRY, "2021-05", END);
	has_problem("lot_expiry", "expected YYYY-MM-DD");
}

static void
test_record_row_screening_only_requires_empty_lot_and_reason(void **state)
{
	struct core_record_row row;

	(void)state;
	assert_int_equal(record(&row, CORE_REC_SCREENING_ONLY, "1", END),
	    SESSHU_EINVAL);
	has_problem("lot_no", "must be empty when screening_only is 1");
	has_problem("screening_reason", "required when screening_only is 1");
	problems_are(2);
	assert_int_equal(record(&row, CORE_REC_SCREENING_ONLY, "1",
	    CORE_REC_LOT_NO, "", CORE_REC_SCREENING_REASON, "発熱のため",
	    CORE_REC_UNSUITABLE_CODE, "U1", END), 0);
	assert_true(row.screening_only);
	assert_string_equal(row.unsuitable_code, "U1");
}

static void
test_record_row_screening_only_ignores_lot_expiry(void **state)
{
	struct core_record_row row;

	(void)state;
	/* No dose was given, so an old expiry date is not an error. */
	assert_int_equal(record(&row, CORE_REC_SCREENING_ONLY, "1",
	    CORE_REC_LOT_NO, "", CORE_REC_SCREENING_REASON, "発熱のため",
	    CORE_REC_LOT_EXPIRY, "2020-01-01", END), 0);
}

static void
test_record_row_vaccination_requires_lot_no(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_LOT_NO, "", END);
	has_problem("lot_no", "required when screening_only is 0");
	problems_are(1);
	record(&row, CORE_REC_LOT_NO, repeat("L", 33), END);
	has_problem("lot_no", "longer than 32 characters");
}

static void
test_record_amount_parses_decimal_ml(void **state)
{
	static const struct {
		const char *s;
		unsigned ul;
	} ok[] = {
		{ "0.5", 500 }, { "0.25", 250 }, { "0.125", 125 },
		{ "1", 1000 }, { "5", 5000 }, { "5.000", 5000 },
		{ "0.001", 1 }, { "00.5", 500 },
	};
	unsigned ul;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(core_record_parse_amount(ok[i].s,
		    strlen(ok[i].s), &ul, NULL), 0);
		assert_int_equal(ul, ok[i].ul);
	}
}

static void
test_record_amount_refuses_bad_values(void **state)
{
	static const struct {
		const char *s, *want;
	} bad[] = {
		{ "0", "must be more than 0 ml" },
		{ "0.000", "must be more than 0 ml" },
		{ "5.001", "5.001 ml is more than 5 ml" },
		{ "12", "more than 5 ml" },
		{ "99999999999999999999", "more than 5 ml" },
		{ "0.1234", "more than 3 decimal places" },
		{ ".5", "must be a number of ml such as 0.5" },
		{ "1.", "must be a number" },
		{ "-0.5", "must be a number" },
		{ "+0.5", "must be a number" },
		{ "0,5", "must be a number" },
		{ "0.5ml", "must be a number" },
		{ " 0.5", "must be a number" },
		{ "1e-1", "must be a number" },
		{ "", "must be a number" },
	};
	struct sesshu_err err;
	unsigned ul;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(core_record_parse_amount(bad[i].s, strlen(bad[i].s),
		    &ul, &err) < 0);
		if (strstr(err.msg, bad[i].want) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", bad[i].s, err.msg,
			    bad[i].want);
	}
}

static void
test_record_row_reports_bad_amount_under_its_column(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_AMOUNT_ML, "5.5", END);
	has_problem("amount_ml", "5.5 ml is more than 5 ml");
	problems_are(1);
}

static void
test_record_row_billing_month_is_a_month_not_before_the_dose(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_BILLING_MONTH, "2021-13", END);
	has_problem("billing_month", "month 13 is not 01-12");
	record(&row, CORE_REC_BILLING_MONTH, "2021-06-01", END);
	has_problem("billing_month", "expected YYYY-MM");
	record(&row, CORE_REC_BILLING_MONTH, "2021-04", END);
	has_problem("billing_month", "2021-04 is before the month of "
	    "vaccinated_on 2021-05-20");
	problems_are(1);
	assert_int_equal(record(&row, CORE_REC_BILLING_MONTH, "2021-05", END),
	    0);
}

static void
test_record_row_flags_must_be_0_or_1(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_OTHER_MUNICIPALITY, "2",
	    CORE_REC_CERTIFICATE_ISSUED, "", CORE_REC_SCREENING_ONLY, "はい",
	    END);
	has_problem("other_municipality", "must be 0 or 1, not 2");
	has_problem("certificate_issued", "required (0 or 1)");
	has_problem("screening_only", "must be 0 or 1");
	/* An unreadable screening_only adds no lot or reason rules. */
	no_problem_for("lot_no");
	no_problem_for("screening_reason");
	problems_are(3);
	assert_int_equal(record(&row, CORE_REC_OTHER_MUNICIPALITY, "1", END),
	    0);
	assert_true(row.other_municipality);
}

static void
test_record_row_note_allows_line_breaks_up_to_200_characters(void **state)
{
	struct core_record_row row;

	(void)state;
	assert_int_equal(record(&row, CORE_REC_NOTE, "一行目\r\n二行目\n三行目",
	    END), 0);
	assert_string_equal(row.note.s, "一行目\r\n二行目\n三行目");
	record(&row, CORE_REC_NOTE, repeat("備", 201), END);
	has_problem("note", "longer than 200 characters (201)");
	record(&row, CORE_REC_NOTE, "tab\there", END);
	has_problem("note", "control character U+0009");
}

static void
test_record_row_refuses_line_breaks_outside_note(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_SITE, "上腕\n左", END);
	has_problem("site", "control character U+000A at character 3");
	record(&row, CORE_REC_SCREENING_DOCTOR, repeat("医", 61), END);
	has_problem("screening_doctor", "longer than 60 characters");
	record(&row, CORE_REC_METHOD, repeat("皮", 31), END);
	has_problem("method", "longer than 30 characters");
}

static void
test_record_row_codes_must_be_printable_ascii(void **state)
{
	struct core_record_row row;

	(void)state;
	record(&row, CORE_REC_VENUE_CODE, "V 1", END);
	has_problem("venue_code", "printable ASCII without spaces");
	record(&row, CORE_REC_FEE_CATEGORY, repeat("F", 17), END);
	has_problem("fee_category", "longer than 16 characters (17)");
	record(&row, CORE_REC_UNSUITABLE_CODE, "不適", END);
	has_problem("unsuitable_code", "printable ASCII");
}

static void
test_record_row_reports_wrong_field_count(void **state)
{
	struct core_record_row row;
	const char *vals[CORE_REC_NCOLUMNS + 1];

	(void)state;
	record(&row, END);	/* fills rec_names */
	memcpy(vals, rec_good, sizeof(rec_good));
	vals[CORE_REC_NCOLUMNS] = "extra";
	read_mapped(build(rec_names, CORE_REC_NCOLUMNS, vals,
	    CORE_REC_NCOLUMNS + 1), core_record_header);
	assert_int_equal(core_record_row_parse(&hdr, &row_rec, &today, &row,
	    &pr), SESSHU_EINVAL);
	has_problem("row", "has 26 fields, the header has 25");
	problems_are(1);
}

/* ---- vaccine table ------------------------------------------------ */

static void
test_vaccine_table_has_every_import_code(void **state)
{
	static const struct {
		const char *code, *ja;
		char klass;
	} want[] = {
		{ "HIB", "Hib", 'A' },
		{ "PCV", "小児用肺炎球菌", 'A' },
		{ "HBV", "B型肝炎", 'A' },
		{ "ROTA1", "ロタウイルス(1価)", 'A' },
		{ "ROTA5", "ロタウイルス(5価)", 'A' },
		{ "DPTIPVHIB", "5種混合", 'A' },
		{ "DPTIPV", "4種混合", 'A' },
		{ "BCG", "BCG", 'A' },
		{ "MR", "麻しん風しん混合(MR)", 'A' },
		{ "VAR", "水痘", 'A' },
		{ "JE", "日本脳炎", 'A' },
		{ "DT", "2種混合(DT)", 'A' },
		{ "HPV", "ヒトパピローマウイルス(HPV)", 'A' },
		{ "FLU", "高齢者インフルエンザ", 'B' },
		{ "PPSV", "高齢者肺炎球菌", 'B' },
		{ "COVID", "新型コロナウイルス", 'B' },
	};
	const struct core_vaccine *v;

	(void)state;
	assert_int_equal(core_vaccine_count(), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		v = core_vaccine_find(want[i].code, strlen(want[i].code));
		assert_non_null(v);
		assert_ptr_equal(v, core_vaccine_at(i));
		assert_string_equal(v->name_ja, want[i].ja);
		assert_non_null(v->name_en);
		assert_true(strlen(v->code) < CORE_VACCINE_CODE_MAX);
		assert_int_equal(v->klass, want[i].klass);
	}
	assert_null(core_vaccine_at(core_vaccine_count()));
}

static void
test_vaccine_find_is_exact(void **state)
{
	(void)state;
	assert_null(core_vaccine_find("mr", 2));
	assert_null(core_vaccine_find("M", 1));
	assert_null(core_vaccine_find("MRX", 3));
	assert_null(core_vaccine_find("", 0));
	assert_null(core_vaccine_find(NULL, 0));
	/* Reads only len bytes. */
	assert_non_null(core_vaccine_find("MRX", 2));
}

static void
test_record_category_names(void **state)
{
	(void)state;
	assert_string_equal(core_record_category_name('A'), "定期A類");
	assert_string_equal(core_record_category_name('J'), "住民接種");
	assert_null(core_record_category_name('X'));
	assert_null(core_record_category_name('\0'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resident_row_accepts_a_complete_row),
		cmocka_unit_test(test_resident_row_accepts_optional_columns_empty),
		cmocka_unit_test(test_resident_row_accepts_a_foreign_resident_with_names),
		cmocka_unit_test(test_resident_header_accepts_any_order),
		cmocka_unit_test(test_resident_header_reports_missing_columns),
		cmocka_unit_test(test_resident_header_reports_unknown_column),
		cmocka_unit_test(test_resident_header_reports_duplicated_column),
		cmocka_unit_test(test_resident_header_refuses_individual_number_columns),
		cmocka_unit_test(test_resident_header_reports_data_row_instead_of_header),
		cmocka_unit_test(test_resident_header_reports_empty_and_unprintable_names),
		cmocka_unit_test(test_resident_row_reports_wrong_field_count),
		cmocka_unit_test(test_resident_row_atena_no_must_be_10_digits),
		cmocka_unit_test(test_resident_row_name_required_and_at_most_60_characters),
		cmocka_unit_test(test_resident_row_refuses_control_characters_in_text),
		cmocka_unit_test(test_resident_row_refuses_invalid_utf8_with_encoding_hint),
		cmocka_unit_test(test_resident_row_name_kana_must_be_full_width_katakana),
		cmocka_unit_test(test_resident_row_sex_must_be_1_or_2),
		cmocka_unit_test(test_resident_row_birth_date_must_be_a_date),
		cmocka_unit_test(test_resident_row_birth_date_must_not_be_after_today),
		cmocka_unit_test(test_resident_row_postal_code_must_be_nnn_nnnn),
		cmocka_unit_test(test_resident_row_phone_is_digits_and_hyphens_up_to_20),
		cmocka_unit_test(test_resident_row_household_no_is_10_digits_when_present),
		cmocka_unit_test(test_resident_row_address_is_required),
		cmocka_unit_test(test_resident_row_status_must_be_1_2_or_3),
		cmocka_unit_test(test_resident_row_resident_until_must_be_empty_for_residents),
		cmocka_unit_test(test_resident_row_moved_out_requires_until_and_reason),
		cmocka_unit_test(test_resident_row_deceased_requires_until_and_reason),
		cmocka_unit_test(test_resident_row_resident_since_not_before_birth),
		cmocka_unit_test(test_resident_row_resident_until_not_before_resident_since),
		cmocka_unit_test(test_resident_row_resident_until_not_before_birth_without_since),
		cmocka_unit_test(test_resident_row_foreigner_must_be_0_or_1),
		cmocka_unit_test(test_resident_row_district_code_is_up_to_8_alphanumerics),
		cmocka_unit_test(test_resident_row_reports_every_problem_of_the_row),
		cmocka_unit_test(test_resident_row_messages_do_not_echo_personal_text),
		cmocka_unit_test(test_problems_past_capacity_are_counted_as_dropped),
		cmocka_unit_test(test_problem_format_joins_column_and_message),
		cmocka_unit_test(test_uniq_marks_repeats_with_their_first_line),
		cmocka_unit_test(test_record_row_accepts_a_complete_row),
		cmocka_unit_test(test_record_row_accepts_optional_columns_empty),
		cmocka_unit_test(test_record_header_refuses_individual_number_column),
		cmocka_unit_test(test_record_header_reports_missing_columns),
		cmocka_unit_test(test_record_row_vaccine_code_must_be_known),
		cmocka_unit_test(test_record_row_dose_must_be_1_to_9),
		cmocka_unit_test(test_record_row_category_must_be_a_known_letter),
		cmocka_unit_test(test_record_row_routine_category_must_match_vaccine_class),
		cmocka_unit_test(test_record_row_vaccinated_on_required_and_not_after_today),
		cmocka_unit_test(test_record_row_institution_code_must_be_10_digits),
		cmocka_unit_test(test_record_row_legacy_id_is_up_to_32_printable_ascii),
		cmocka_unit_test(test_record_row_refuses_expired_lot),
		cmocka_unit_test(test_record_row_screening_only_requires_empty_lot_and_reason),
		cmocka_unit_test(test_record_row_screening_only_ignores_lot_expiry),
		cmocka_unit_test(test_record_row_vaccination_requires_lot_no),
		cmocka_unit_test(test_record_amount_parses_decimal_ml),
		cmocka_unit_test(test_record_amount_refuses_bad_values),
		cmocka_unit_test(test_record_row_reports_bad_amount_under_its_column),
		cmocka_unit_test(test_record_row_billing_month_is_a_month_not_before_the_dose),
		cmocka_unit_test(test_record_row_flags_must_be_0_or_1),
		cmocka_unit_test(test_record_row_note_allows_line_breaks_up_to_200_characters),
		cmocka_unit_test(test_record_row_refuses_line_breaks_outside_note),
		cmocka_unit_test(test_record_row_codes_must_be_printable_ascii),
		cmocka_unit_test(test_record_row_reports_wrong_field_count),
		cmocka_unit_test(test_vaccine_table_has_every_import_code),
		cmocka_unit_test(test_vaccine_find_is_exact),
		cmocka_unit_test(test_record_category_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
