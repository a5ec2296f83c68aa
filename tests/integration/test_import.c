/*
 * test_import.c: `sesshu-registerd import-residents` and `import-records`
 * run as the real binary against a fresh register in a temporary
 * directory; the register is then opened with reg_open() to count what was
 * (or was not) written. Pins all-or-nothing, every problem with its line
 * and column, re-import semantics, cp932, and the refusal of My Number.
 *
 * Usage: test_import REGISTERD GENCITY DATADIR. All people are synthetic
 * (sesshu-gencity's word lists, or the 試験/見本 fixtures in DATADIR).
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "register/reg.h"
#include "store/audit.h"
#include "store/store.h"
#include "testutil.h"

#define TODAY	"2026-04-01"

static const char *registerd, *gencity, *datadir;

/* Per test: a fresh register and the output of the last command. */
static char *tmp, regdir[4096];
static char *out_text, *err_text;

static const char *
data(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", datadir, name);
	return path;
}

static const char *
tmpfile_path(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	return path;
}

static char *
slurp(const char *path)
{
	size_t len;
	unsigned char *b = tu_read_file(path, &len);
	char *s;

	if (b == NULL)
		return strdup("");
	s = realloc(b, len + 1);
	assert_non_null(s);
	s[len] = '\0';
	return s;
}

/* Runs argv with stdout and stderr captured; returns the exit status. */
static int
run(const char *const *argv)
{
	char outp[4096], errp[4096];
	int status, fd;
	pid_t pid;

	snprintf(outp, sizeof(outp), "%s/stdout", tmp);
	snprintf(errp, sizeof(errp), "%s/stderr", tmp);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if ((fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    dup2(fd, 1) < 0)
			_exit(126);
		if ((fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    dup2(fd, 2) < 0)
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	free(out_text);
	free(err_text);
	out_text = slurp(outp);
	err_text = slurp(errp);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int
import(const char *what, const char *file, const char *encoding)
{
	const char *argv[] = { registerd, what, "--data", regdir, "--today",
	    TODAY, file, NULL, NULL, NULL };

	if (encoding != NULL) {
		argv[6] = "--encoding";
		argv[7] = encoding;
		argv[8] = file;
	}
	return run(argv);
}

static void
expect_in(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		fail_msg("expected \"%s\" in:\n%s", needle, haystack);
}

/* "imported FILE: N new, M changed, K unchanged (" */
static void
expect_summary(const char *file, unsigned long added, unsigned long changed,
    unsigned long unchanged)
{
	char want[4200];

	snprintf(want, sizeof(want), "imported %s: %lu new, %lu changed, "
	    "%lu unchanged (", file, added, changed, unchanged);
	if (strncmp(out_text, want, strlen(want)) != 0)
		fail_msg("expected \"%s\", got stdout:\n%s\nstderr:\n%s", want,
		    out_text, err_text);
}

/* One integer from the register, opened as the daemon opens it. */
static long long
query_int(const char *sql, const char *arg)
{
	struct sesshu_err err = { 0 };
	struct reg *reg;
	sqlite3_stmt *stmt;
	long long v = -1;

	if (reg_open(&reg, regdir, &err) != 0)
		fail_msg("reg_open: %s", err.msg);
	assert_int_equal(sqlite3_prepare_v2(store_db(reg->st), sql, -1, &stmt,
	    NULL), SQLITE_OK);
	if (arg != NULL)
		sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	reg_close(reg);
	return v;
}

static void
exec_sql(const char *sql)
{
	struct sesshu_err err = { 0 };
	struct reg *reg;

	if (reg_open(&reg, regdir, &err) != 0)
		fail_msg("reg_open: %s", err.msg);
	if (store_exec(reg->st, sql, &err) != 0)
		fail_msg("%s: %s", sql, err.msg);
	reg_close(reg);
}

static long long
count(const char *table)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return query_int(sql, NULL);
}

static void
expect_audit_chain_intact(void)
{
	struct sesshu_err err = { 0 };
	struct audit_verify_result vr;
	struct reg *reg;

	if (reg_open(&reg, regdir, &err) != 0)
		fail_msg("reg_open: %s", err.msg);
	if (audit_verify(reg->st, &vr, &err) != 0)
		fail_msg("audit chain: %s", err.msg);
	reg_close(reg);
}

static int
setup(void **state)
{
	const char *argv[] = { registerd, "init", "--data", NULL,
	    "--municipality", "990001", "--synthetic", NULL };

	(void)state;
	tmp = tu_mkdtemp("import");
	assert_non_null(tmp);
	snprintf(regdir, sizeof(regdir), "%s/reg", tmp);
	argv[3] = regdir;
	if (run(argv) != 0)
		fail_msg("init: %s", err_text);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tu_rm_rf(tmp);
	free(tmp);
	free(out_text);
	free(err_text);
	tmp = out_text = err_text = NULL;
	return 0;
}

static void
import_small(void)
{
	assert_int_equal(import("import-residents",
	    data("residents_small.csv"), NULL), 0);
	expect_summary(data("residents_small.csv"), 5, 0, 0);
	assert_int_equal(import("import-records", data("records_small.csv"),
	    NULL), 0);
	expect_summary(data("records_small.csv"), 5, 0, 0);
}

/* (1) A generated city of 10,000 imports whole, and again unchanged. */
static void
test_import_generated_city_counts_and_reimport_unchanged(void **state)
{
	char city[2048], res[4096], recs[4096], *manifest, *p;
	const char *gen[] = { gencity, "--residents", "10000", "--seed", "1",
	    "--out", city, "--today", TODAY, NULL };
	unsigned long nrec;
	long long maxseq;

	(void)state;
	snprintf(city, sizeof(city), "%s/city", tmp);
	snprintf(res, sizeof(res), "%s/residents.csv", city);
	snprintf(recs, sizeof(recs), "%s/records.csv", city);
	if (run(gen) != 0)
		fail_msg("sesshu-gencity: %s", err_text);
	manifest = slurp(tu_path(city, "manifest.txt"));
	assert_non_null(p = strstr(manifest, "\nrecords="));
	nrec = strtoul(p + 9, NULL, 10);
	free(manifest);
	assert_true(nrec > 10000);

	if (import("import-residents", res, NULL) != 0)
		fail_msg("import-residents: %s", err_text);
	expect_summary(res, 10000, 0, 0);
	if (import("import-records", recs, NULL) != 0)
		fail_msg("import-records: %s", err_text);
	expect_summary(recs, nrec, 0, 0);

	assert_int_equal(count("persons"), 10000);
	assert_int_equal(count("vaccination_records"), (long long)nrec);
	assert_int_equal(query_int("SELECT count(*) FROM changes WHERE kind = "
	    "'person'", NULL), 10000);
	assert_int_equal(query_int("SELECT count(*) FROM changes WHERE kind = "
	    "'record'", NULL), (long long)nrec);
	/* Each row carries the sequence number of its change. */
	assert_int_equal(query_int("SELECT count(*) FROM persons p JOIN "
	    "changes c ON c.kind = 'person' AND c.key = p.atena_no AND "
	    "c.seq = p.seq", NULL), 10000);
	assert_int_equal(query_int("SELECT count(*) FROM vaccination_records "
	    "WHERE registration_kind = 'imported' AND state = 'verified' AND "
	    "version = 1 AND is_current = 1 AND age_years IS NOT NULL AND "
	    "entered_by LIKE 'admin:%'", NULL), (long long)nrec);
	/* The search key has no spaces and no half-width kana. */
	assert_int_equal(query_int("SELECT count(*) FROM persons WHERE "
	    "instr(name_kana_search, '　') > 0 OR instr(name_kana_search, ' ')"
	    " > 0 OR name_kana_search = ''", NULL), 0);
	assert_int_equal(query_int("SELECT count(*) FROM audit_log WHERE "
	    "action = 'import.residents' AND object = 'file:residents.csv' "
	    "AND outcome = 'ok: 10000 new, 0 changed, 0 unchanged'", NULL), 1);

	/* Same files again: nothing is written, nothing renumbered. */
	maxseq = query_int("SELECT max(seq) FROM changes", NULL);
	assert_int_equal(import("import-residents", res, NULL), 0);
	expect_summary(res, 0, 0, 10000);
	assert_int_equal(import("import-records", recs, NULL), 0);
	expect_summary(recs, 0, 0, nrec);
	assert_int_equal(query_int("SELECT max(seq) FROM changes", NULL),
	    maxseq);
	assert_int_equal(count("vaccination_records"), (long long)nrec);
	expect_audit_chain_intact();
}

/* (2) Three bad rows: all three reported by line and column, nothing in. */
static void
test_import_bad_rows_reports_each_and_imports_nothing(void **state)
{
	char line[4200];

	(void)state;
	import_small();
	assert_int_equal(import("import-residents", data("residents_bad.csv"),
	    NULL), 1);
	snprintf(line, sizeof(line), "%s:3: birth_date: 2021-02-30 is not a "
	    "date", data("residents_bad.csv"));
	expect_in(err_text, line);
	snprintf(line, sizeof(line), "%s:4: name_kana: ",
	    data("residents_bad.csv"));
	expect_in(err_text, line);
	expect_in(err_text, "half-width katakana");
	snprintf(line, sizeof(line), "%s:5: atena_no: also on line 2\n",
	    data("residents_bad.csv"));
	expect_in(err_text, line);
	snprintf(line, sizeof(line), "%s: 3 rows with problems; nothing was "
	    "imported\n", data("residents_bad.csv"));
	expect_in(err_text, line);
	assert_string_equal(out_text, "");
	/* No name from the file is echoed. */
	assert_null(strstr(err_text, "試験"));
	assert_null(strstr(err_text, "0000000011,"));

	/* The good row of the file was not imported either. */
	assert_int_equal(count("persons"), 5);
	assert_int_equal(query_int("SELECT count(*) FROM persons WHERE "
	    "atena_no = ?", "0000000011"), 0);
	assert_int_equal(query_int("SELECT count(*) FROM audit_log WHERE "
	    "action = 'import.residents' AND outcome = 'refused: 3 rows with "
	    "problems'", NULL), 1);
	/* A second import of a known file confirms the count from outside. */
	assert_int_equal(import("import-residents",
	    data("residents_small.csv"), NULL), 0);
	expect_summary(data("residents_small.csv"), 0, 0, 5);
	expect_audit_chain_intact();
}

/* (3) A person who died is updated; their records stay. */
static void
test_import_reimport_deceased_updates_person_keeps_records(void **state)
{
	long long seq3, seq1, records3;

	(void)state;
	import_small();
	seq1 = query_int("SELECT seq FROM persons WHERE atena_no = ?",
	    "0000000001");
	seq3 = query_int("SELECT seq FROM persons WHERE atena_no = ?",
	    "0000000003");
	records3 = query_int("SELECT count(*) FROM vaccination_records WHERE "
	    "atena_no = ?", "0000000003");
	assert_int_equal(records3, 2);

	assert_int_equal(import("import-residents",
	    data("residents_small_deceased.csv"), NULL), 0);
	expect_summary(data("residents_small_deceased.csv"), 0, 1, 4);
	assert_int_equal(query_int("SELECT status FROM persons WHERE "
	    "atena_no = ?", "0000000003"), 3);
	assert_int_equal(query_int("SELECT count(*) FROM persons WHERE "
	    "atena_no = ? AND resident_until = '2025-12-01'", "0000000003"), 1);
	assert_int_equal(query_int("SELECT count(*) FROM vaccination_records "
	    "WHERE atena_no = ?", "0000000003"), records3);
	/* Only the changed person is renumbered. */
	assert_true(query_int("SELECT seq FROM persons WHERE atena_no = ?",
	    "0000000003") > seq3);
	assert_int_equal(query_int("SELECT seq FROM persons WHERE atena_no = ?",
	    "0000000001"), seq1);
	assert_int_equal(query_int("SELECT seq FROM changes WHERE kind = "
	    "'person' AND key = ?", "0000000003"), query_int("SELECT seq FROM "
	    "persons WHERE atena_no = ?", "0000000003"));

	/* A person absent from a later (partial) extract is left as is. */
	assert_int_equal(count("persons"), 5);
}

/* (4) cp932: imported with --encoding cp932, refused without it. */
static void
test_import_cp932_converts_and_reports_bad_bytes_by_line(void **state)
{
	size_t len, inleft, outleft;
	unsigned char *u8;
	char *in, *out, *buf, line[4200];
	const char *sj = tmpfile_path("residents_sjis.csv");
	char sjpath[4096];
	iconv_t cd;

	(void)state;
	snprintf(sjpath, sizeof(sjpath), "%s", sj);
	u8 = tu_read_file(data("residents_cp932.utf8.csv"), &len);
	assert_non_null(u8);
	assert_true((cd = iconv_open("CP932", "UTF-8")) != (iconv_t)-1);
	buf = malloc(len * 2);
	in = (char *)u8;
	out = buf;
	inleft = len;
	outleft = len * 2;
	assert_true(iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1);
	iconv_close(cd);
	assert_int_equal(tu_write_file(sjpath, buf, (size_t)(out - buf)), 0);

	/* Without --encoding the bytes are not UTF-8: refused, with the hint. */
	assert_int_equal(import("import-residents", sjpath, NULL), 1);
	expect_in(err_text, "--encoding cp932");
	assert_int_equal(count("persons"), 0);

	assert_int_equal(import("import-residents", sjpath, "cp932"), 0);
	expect_summary(sjpath, 3, 0, 0);
	/* 髙 (IBM extension), ① (NEC special) and half-width kana survive. */
	assert_int_equal(query_int("SELECT count(*) FROM persons WHERE name = "
	    "'試験　髙子' AND address = '試験県試験市本町①番地' AND "
	    "address_extra = '㈱試験荘'", NULL), 1);
	assert_int_equal(query_int("SELECT count(*) FROM persons WHERE name = "
	    "'試験　ｶﾅ子'", NULL), 1);

	/* A byte that is not cp932 on line 3 (0x85 0x40 is unassigned), and
	 * a lead byte cut off by the end of the file on line 5. */
	{
		char *nl1 = memchr(buf, '\n', (size_t)(out - buf));
		char *nl2 = memchr(nl1 + 1, '\n', (size_t)(out - nl1 - 1));
		char *nl3 = memchr(nl2 + 1, '\n', (size_t)(out - nl2 - 1));
		FILE *fp = fopen(sjpath, "wb");

		assert_non_null(fp);
		fwrite(buf, 1, (size_t)(nl2 + 1 - buf), fp);
		fwrite("0000000034,\x85\x40", 1, 13, fp);
		fwrite(nl3, 1, (size_t)(out - nl3), fp);
		fwrite("\x81", 1, 1, fp);
		fclose(fp);
	}
	assert_int_equal(import("import-residents", sjpath, "cp932"), 1);
	snprintf(line, sizeof(line), "%s:3: invalid cp932 byte sequence\n",
	    sjpath);
	expect_in(err_text, line);
	snprintf(line, sizeof(line), "%s:5: invalid cp932 byte sequence\n",
	    sjpath);
	expect_in(err_text, line);
	snprintf(line, sizeof(line), "%s: 2 lines with invalid cp932 byte "
	    "sequences; nothing was imported\n", sjpath);
	expect_in(err_text, line);
	assert_int_equal(count("persons"), 3);
	assert_int_equal(query_int("SELECT count(*) FROM audit_log WHERE "
	    "action = 'import.residents' AND outcome = 'refused: 2 lines with "
	    "invalid cp932 byte sequences'", NULL), 1);
	free(buf);
	free(u8);
}

/* (5) A header with the individual number is refused outright. */
static void
test_import_my_number_column_refused(void **state)
{
	char line[4200];

	(void)state;
	assert_int_equal(import("import-residents",
	    data("residents_my_number.csv"), NULL), 1);
	snprintf(line, sizeof(line), "%s:1: my_number: the individual number",
	    data("residents_my_number.csv"));
	expect_in(err_text, line);
	assert_null(strstr(err_text, "123456789012"));
	assert_int_equal(count("persons"), 0);
}

/* Records: unknown person, before birth, after death, duplicates. */
static void
test_import_records_register_checks_report_every_row(void **state)
{
	char f[4096], line[8300];

	(void)state;
	snprintf(f, sizeof(f), "%s", data("records_bad.csv"));
	import_small();
	assert_int_equal(import("import-residents",
	    data("residents_small_deceased.csv"), NULL), 0);
	assert_int_equal(import("import-records", f, NULL), 1);
	snprintf(line, sizeof(line), "%s:2: atena_no: 0000000099 is not in "
	    "the register", f);
	expect_in(err_text, line);
	snprintf(line, sizeof(line), "%s:3: vaccinated_on: 2023-01-05 is "
	    "before the person's birth date", f);
	expect_in(err_text, line);
	snprintf(line, sizeof(line), "%s:4: legacy_id: also on line 2\n", f);
	expect_in(err_text, line);
	snprintf(line, sizeof(line), "%s:5: vaccinated_on: 2026-01-10 is "
	    "after the person's date of death", f);
	expect_in(err_text, line);
	snprintf(line, sizeof(line), "%s:7: row: the same atena_no, "
	    "vaccine_code, dose and vaccinated_on as line 6", f);
	expect_in(err_text, line);
	snprintf(line, sizeof(line), "%s: 5 rows with problems; nothing was "
	    "imported\n", f);
	expect_in(err_text, line);
	assert_int_equal(count("vaccination_records"), 5);
}

/* A changed row becomes version 2; the first version stays as history. */
static void
test_import_records_changed_row_adds_version(void **state)
{
	long long id;

	(void)state;
	import_small();
	id = query_int("SELECT id FROM vaccination_records WHERE legacy_id = "
	    "'OLD-0001'", NULL);
	assert_true(id > 0);
	assert_int_equal(import("import-records",
	    data("records_small_changed.csv"), NULL), 0);
	expect_summary(data("records_small_changed.csv"), 0, 1, 4);
	assert_int_equal(count("vaccination_records"), 6);
	assert_int_equal(query_int("SELECT count(*) FROM vaccination_records "
	    "WHERE legacy_id = 'OLD-0001' AND version = 1 AND is_current = 0 "
	    "AND lot_no = 'T123A'", NULL), 1);
	assert_int_equal(query_int("SELECT count(*) FROM vaccination_records "
	    "WHERE legacy_id = 'OLD-0001' AND version = 2 AND is_current = 1 "
	    "AND lot_no = 'T123B' AND change_reason IS NOT NULL", NULL), 1);
	assert_int_equal(query_int("SELECT count(DISTINCT record_uuid) FROM "
	    "vaccination_records WHERE legacy_id = 'OLD-0001'", NULL), 1);
	/* The uuid is UUID-shaped: version nibble 5, RFC 4122 variant. */
	assert_int_equal(query_int("SELECT count(*) FROM vaccination_records "
	    "WHERE length(record_uuid) = 36 AND substr(record_uuid, 9, 1) = '-'"
	    " AND substr(record_uuid, 15, 1) = '5' AND substr(record_uuid, 20,"
	    " 1) IN ('8', '9', 'a', 'b')", NULL), 6);

	/* A record voided in the register is not revived by a changed row. */
	exec_sql("UPDATE vaccination_records SET state = 'voided' WHERE "
	    "legacy_id = 'OLD-0001' AND is_current = 1");
	assert_int_equal(import("import-records", data("records_small.csv"),
	    NULL), 1);
	expect_in(err_text, "records_small.csv:2: legacy_id: this record was "
	    "voided in the register");
	/* ...but an identical row is simply unchanged. */
	assert_int_equal(import("import-records",
	    data("records_small_changed.csv"), NULL), 0);
	expect_summary(data("records_small_changed.csv"), 0, 0, 5);
}

/* A file over 2 GiB is refused before it is read. */
static void
test_import_refuses_file_over_2gib(void **state)
{
	const char *big = tmpfile_path("big.csv");
	char path[4096];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s", big);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
	assert_int_equal(ftruncate(fd, (off_t)((2LL << 30) + 1)), 0);
	close(fd);
	assert_int_equal(import("import-residents", path, NULL), 1);
	expect_in(err_text, "at most 2 GiB");
	assert_int_equal(query_int("SELECT count(*) FROM audit_log WHERE "
	    "outcome = 'refused: larger than 2 GiB'", NULL), 1);
	unlink(path);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_import_generated_city_counts_and_reimport_unchanged,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_bad_rows_reports_each_and_imports_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_reimport_deceased_updates_person_keeps_records,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_cp932_converts_and_reports_bad_bytes_by_line,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_my_number_column_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_records_register_checks_report_every_row,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_records_changed_row_adds_version,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_import_refuses_file_over_2gib, setup, teardown),
	};

	if (argc != 4) {
		fprintf(stderr, "usage: %s REGISTERD GENCITY DATADIR\n", argv[0]);
		return 2;
	}
	registerd = argv[1];
	gencity = argv[2];
	datadir = argv[3];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
