/*
 * test_check.c: the checks before a 予診票 is saved (core/check.h): one
 * test per finding, the derived category and age, and when a sheet may be
 * saved. Uses the repository's forms/schedule.json, found next to this
 * source file (tests/unit/ -> forms/).
 * Pure: no clock is read; every "today" is a literal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/check.h"

#define D(y, m, d)	((struct core_date){ (y), (m), (d) })

static struct core_schedule *schedule;

static int
setup(void **state)
{
	static const char self[] = "tests/unit/test_check.c";
	const char *file = __FILE__;
	size_t flen = strlen(file), len;
	struct sesshu_err err = { 0 };
	char path[4096], *buf;
	long size = 0;
	FILE *fp;

	(void)state;
	if (flen < sizeof(self) - 1 ||
	    strcmp(file + flen - (sizeof(self) - 1), self) != 0)
		return -1;
	snprintf(path, sizeof(path), "%.*sforms/schedule.json",
	    (int)(flen - (sizeof(self) - 1)), file);
	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)size + 1)) == NULL) {
		fclose(fp);
		return -1;
	}
	len = fread(buf, 1, (size_t)size, fp);
	fclose(fp);
	if (core_schedule_parse(buf, len, "forms/schedule.json", &schedule,
	    &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	core_schedule_free(schedule);
	return 0;
}

/*
 * A clean sheet: a girl born 2020-05-10, resident since birth, given MR
 * 1期 on 2021-06-01 with a lot of the master data; keyed on 2021-07-01.
 */
struct sheet {
	struct core_check_person	person;
	struct core_dose		entry;
	struct core_dose		history[4];
	struct core_check_lot		lot;
	struct core_check_input		in;
	struct core_check_result	out;
};

static void
sheet_init(struct sheet *s)
{
	memset(s, 0, sizeof(*s));
	s->person.birth = D(2020, 5, 10);
	s->person.sex = 2;
	s->person.status = CORE_RESIDENT;
	s->person.has_since = 1;
	s->person.since = D(2020, 5, 10);
	s->entry = (struct core_dose){ NULL, "MR", 1, "1期", { 2021, 6, 1 },
	    0 };
	s->lot = (struct core_check_lot){ "AB123", "MR", "M1",
	    { 2030, 1, 31 } };
	s->in.schedule = schedule;
	s->in.person = &s->person;
	s->in.history = s->history;
	s->in.nhistory = 0;
	s->in.entry = &s->entry;
	s->in.maker_code = "M1";
	s->in.lot_no = "AB123";
	s->in.lot = &s->lot;
	s->in.screening_reason = NULL;
	s->in.today = D(2021, 7, 1);
}

static void
run(struct sheet *s)
{
	assert_int_equal(core_check_record(&s->in, &s->out), 0);
}

static void
add_history(struct sheet *s, const char *uuid, const char *vaccine, int dose,
    const char *stage, struct core_date on, int screening_only)
{
	s->history[s->in.nhistory++] = (struct core_dose){ uuid, vaccine, dose,
	    stage, on, screening_only };
}

/* Exactly the one finding msgid at level, on field, with detail. */
static void
expect_only(const struct sheet *s, const char *msgid,
    enum core_check_level level, const char *field, const char *detail)
{
	const struct core_check_finding *f;

	if (s->out.nfindings != 1) {
		for (size_t i = 0; i < s->out.nfindings; i++)
			print_error("finding: %s [%s]\n",
			    s->out.findings[i].msgid, s->out.findings[i].detail);
		fail_msg("%zu findings, expected only \"%s\"",
		    s->out.nfindings, msgid);
	}
	f = &s->out.findings[0];
	assert_ptr_equal(f->msgid, msgid);
	assert_int_equal(f->level, level);
	assert_string_equal(f->field, field);
	assert_string_equal(f->detail, detail);
}

static void
expect_none(const struct sheet *s)
{
	for (size_t i = 0; i < s->out.nfindings; i++)
		print_error("finding: %s [%s]\n", s->out.findings[i].msgid,
		    s->out.findings[i].detail);
	assert_int_equal(s->out.nfindings, 0);
}

static void
test_check_clean_sheet_has_no_findings_and_is_routine(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	run(&s);
	expect_none(&s);
	assert_int_equal(s.out.category, 'A');
	assert_int_equal(s.out.age_years, 1);
	assert_int_equal(s.out.age_months, 12);
	assert_int_equal(core_check_can_save(&s.out, 0), 1);
}

static void
test_check_date_in_the_future_is_an_error(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.in.today = D(2021, 6, 1);	/* today itself is fine */
	run(&s);
	expect_none(&s);
	s.in.today = D(2021, 5, 31);
	run(&s);
	expect_only(&s, core_check_msg_future, CORE_CHECK_ERROR,
	    "vaccinated_on", "2021-06-01");
	assert_int_equal(core_check_can_save(&s.out, 1), 0);
}

static void
test_check_date_before_birth_is_an_error_without_age(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.person.has_since = 0;
	s.entry.on = D(2020, 5, 9);
	run(&s);
	assert_non_null(core_check_find(&s.out, core_check_msg_before_birth));
	assert_int_equal(core_check_find(&s.out,
	    core_check_msg_before_birth)->level, CORE_CHECK_ERROR);
	assert_string_equal(core_check_find(&s.out,
	    core_check_msg_before_birth)->detail, "2020-05-09");
	assert_int_equal(s.out.age_years, -1);
	assert_int_equal(s.out.age_months, -1);
	assert_int_equal(s.out.category, 'V');
	/* The lot had not expired; no window finding without an age. */
	assert_null(core_check_find(&s.out, core_check_msg_outside_window));
	assert_int_equal(core_check_can_save(&s.out, 1), 0);
}

static void
test_check_date_before_moving_in_is_an_error(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.person.since = D(2021, 6, 1);	/* the day itself is fine */
	run(&s);
	expect_none(&s);
	s.person.since = D(2021, 6, 2);
	run(&s);
	expect_only(&s, core_check_msg_not_resident, CORE_CHECK_ERROR,
	    "vaccinated_on", "2021-06-02..");
}

static void
test_check_date_after_moving_out_is_an_error(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.person.status = CORE_MOVED_OUT;
	s.person.has_until = 1;
	s.person.until = D(2021, 6, 1);	/* given before leaving: fine */
	run(&s);
	expect_none(&s);
	s.person.until = D(2021, 5, 31);
	run(&s);
	expect_only(&s, core_check_msg_not_resident, CORE_CHECK_ERROR,
	    "vaccinated_on", "2020-05-10..2021-05-31");
}

static void
test_check_date_after_death_is_an_error(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.person.status = CORE_DECEASED;
	s.person.has_until = 1;
	s.person.until = D(2021, 5, 31);
	run(&s);
	expect_only(&s, core_check_msg_after_death, CORE_CHECK_ERROR,
	    "vaccinated_on", "2021-05-31");
}

static void
test_check_unknown_vaccine_is_an_error(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry.vaccine_code = "MUMPS";
	s.lot.vaccine_code = "MUMPS";
	run(&s);
	expect_only(&s, core_check_msg_unknown_vaccine, CORE_CHECK_ERROR,
	    "vaccine_code", "MUMPS");
	assert_int_equal(s.out.category, 'V');
	s.entry.vaccine_code = NULL;
	run(&s);
	assert_non_null(core_check_find(&s.out,
	    core_check_msg_unknown_vaccine));
}

static void
test_check_dose_without_rule_is_voluntary_with_a_warning(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry.stage = "1期";
	s.entry.dose = 2;
	run(&s);
	expect_only(&s, core_check_msg_no_rule, CORE_CHECK_WARNING, "dose",
	    "MR 1期 #2");
	assert_int_equal(s.out.category, 'V');
	assert_int_equal(core_check_can_save(&s.out, 0), 1);
}

/*
 * Doses without a stage are placed in their series the way the previous
 * system numbered them: MR dose 1 is 1期, dose 2 is 2期 dose 1, and a
 * third MR dose is past the schedule.
 */
static void
test_check_a_dose_without_stage_is_placed_in_its_series(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry.stage = NULL;		/* MR dose 1 without a stage: 1期 */
	run(&s);
	assert_int_equal(s.out.nfindings, 0);
	assert_int_equal(s.out.category, 'A');
	s.entry.dose = 3;		/* past 1期 and 2期 */
	run(&s);
	expect_only(&s, core_check_msg_no_rule, CORE_CHECK_WARNING, "dose",
	    "MR #3");
	assert_int_equal(s.out.category, 'V');
}

static void
test_check_outside_window_is_voluntary_with_a_warning(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry.on = D(2022, 5, 10);	/* the 2nd birthday: 1期 closed */
	s.in.today = D(2022, 6, 1);
	run(&s);
	expect_only(&s, core_check_msg_outside_window, CORE_CHECK_WARNING,
	    "vaccinated_on", "2021-05-10..2022-05-09");
	assert_int_equal(s.out.category, 'V');
	assert_int_equal(s.out.age_years, 2);
	assert_int_equal(core_check_can_save(&s.out, 0), 1);
	s.entry.on = D(2022, 5, 9);
	run(&s);
	expect_none(&s);
	assert_int_equal(s.out.category, 'A');
}

static void
test_check_outside_open_ended_window_shows_its_start(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.person.birth = s.person.since = D(1960, 1, 10);
	s.entry = (struct core_dose){ NULL, "FLU", 1, NULL, { 2024, 11, 1 },
	    0 };
	s.lot.vaccine_code = "FLU";
	s.in.today = D(2024, 11, 5);
	run(&s);
	expect_only(&s, core_check_msg_outside_window, CORE_CHECK_WARNING,
	    "vaccinated_on", "2025-01-10..");
	s.entry.on = D(2025, 1, 10);
	s.in.today = D(2025, 1, 10);
	run(&s);
	expect_none(&s);
	assert_int_equal(s.out.category, 'B');
}

static void
test_check_sex_restriction_is_voluntary_with_a_warning(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.person.birth = s.person.since = D(2012, 6, 1);
	s.entry = (struct core_dose){ NULL, "HPV", 1, NULL, { 2025, 6, 1 },
	    0 };
	s.lot.vaccine_code = "HPV";
	s.in.today = D(2025, 6, 2);
	run(&s);
	expect_none(&s);
	assert_int_equal(s.out.category, 'A');
	s.person.sex = 1;
	run(&s);
	expect_only(&s, core_check_msg_sex, CORE_CHECK_WARNING, "category",
	    "");
	assert_int_equal(s.out.category, 'V');
}

static void
test_check_skipped_dose_is_a_warning(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry = (struct core_dose){ NULL, "DPTIPV", 2, "1期", { 2021, 6, 1 },
	    0 };
	s.lot.vaccine_code = "DPTIPV";
	run(&s);
	expect_only(&s, core_check_msg_dose_skipped, CORE_CHECK_WARNING,
	    "dose", "1期 #1");
	/* A screening-only visit for dose 1 is not dose 1. */
	add_history(&s, "r1", "DPTIPV", 1, "1期", D(2021, 4, 1), 1);
	run(&s);
	expect_only(&s, core_check_msg_dose_skipped, CORE_CHECK_WARNING,
	    "dose", "1期 #1");
	add_history(&s, "r2", "DPTIPV", 1, "1期", D(2021, 4, 8), 0);
	run(&s);
	expect_none(&s);
}

static void
test_check_short_interval_in_days_is_a_warning(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry = (struct core_dose){ NULL, "DPTIPV", 2, "1期", { 2021, 5, 21 },
	    0 };
	s.lot.vaccine_code = "DPTIPV";
	add_history(&s, "r1", "DPTIPV", 1, "1期", D(2021, 5, 1), 0);
	/* 20 whole days between the doses: from 22 May. */
	run(&s);
	expect_only(&s, core_check_msg_interval, CORE_CHECK_WARNING,
	    "vaccinated_on", "1期 #1 2021-05-01, \u22652021-05-22");
	s.entry.on = D(2021, 5, 22);
	run(&s);
	expect_none(&s);
}

static void
test_check_short_interval_in_months_is_a_warning(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry = (struct core_dose){ NULL, "VAR", 2, NULL, { 2021, 8, 31 },
	    0 };
	s.lot.vaccine_code = "VAR";
	s.in.today = D(2021, 10, 1);
	add_history(&s, "r1", "VAR", 1, NULL, D(2021, 5, 31), 0);
	/* 3 months after 31 May: 31 August. */
	run(&s);
	expect_none(&s);
	s.entry.on = D(2021, 8, 30);
	run(&s);
	expect_only(&s, core_check_msg_interval, CORE_CHECK_WARNING,
	    "vaccinated_on", "#1 2021-05-31, \u22652021-08-31");
}

static void
test_check_interval_counts_from_the_dose_the_rule_names(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.person.birth = s.person.since = D(2021, 1, 10);
	s.entry = (struct core_dose){ NULL, "HBV", 3, NULL, { 2021, 8, 10 },
	    0 };
	s.lot.vaccine_code = "HBV";
	s.in.today = D(2021, 9, 1);
	add_history(&s, "r1", "HBV", 1, NULL, D(2021, 3, 10), 0);
	add_history(&s, "r2", "HBV", 2, NULL, D(2021, 4, 10), 0);
	/* 139 whole days after dose 1 (not dose 2): from 28 July. */
	run(&s);
	expect_none(&s);
	s.entry.on = D(2021, 7, 28);
	run(&s);
	expect_none(&s);
	s.entry.on = D(2021, 7, 27);
	run(&s);
	expect_only(&s, core_check_msg_interval, CORE_CHECK_WARNING,
	    "vaccinated_on", "#1 2021-03-10, \u22652021-07-28");
}

static void
test_check_dose_already_recorded_needs_confirmation(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	add_history(&s, "r1", "MR", 1, "1期", D(2021, 5, 20), 0);
	add_history(&s, "r2", "MR", 1, "2期", D(2021, 5, 21), 0);
	run(&s);
	expect_only(&s, core_check_msg_duplicate, CORE_CHECK_CONFIRM, "dose",
	    "2021-05-20");
	assert_int_equal(core_check_can_save(&s.out, 0), 0);
	assert_int_equal(core_check_can_save(&s.out, 1), 1);
}

static void
test_check_correction_does_not_find_its_own_record(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	add_history(&s, "r1", "MR", 1, "1期", D(2021, 5, 20), 0);
	s.entry.record_uuid = "r1";
	run(&s);
	expect_none(&s);
	/* Nor does a screening-only visit count as the dose. */
	s.entry.record_uuid = NULL;
	s.history[0].screening_only = 1;
	run(&s);
	expect_none(&s);
}

static void
test_check_seasonal_dose_in_same_fiscal_year_needs_confirmation(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.person.birth = s.person.since = D(1950, 5, 5);
	s.entry = (struct core_dose){ NULL, "FLU", 1, NULL, { 2025, 1, 10 },
	    0 };
	s.lot.vaccine_code = "FLU";
	s.in.today = D(2025, 1, 20);
	add_history(&s, "r1", "FLU", 1, NULL, D(2024, 3, 15), 0);
	/* Last fiscal year's dose is not a duplicate. */
	run(&s);
	expect_none(&s);
	assert_int_equal(s.out.category, 'B');
	add_history(&s, "r2", "FLU", 1, NULL, D(2024, 4, 10), 0);
	run(&s);
	expect_only(&s, core_check_msg_same_season, CORE_CHECK_CONFIRM,
	    "vaccinated_on", "2024-04-10");
	assert_int_equal(core_check_can_save(&s.out, 0), 0);
	assert_int_equal(core_check_can_save(&s.out, 1), 1);
}

static void
test_check_lot_not_in_master_data_is_a_warning(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.in.lot_no = "ZZ999";
	s.in.lot = NULL;
	run(&s);
	expect_only(&s, core_check_msg_lot_unknown, CORE_CHECK_WARNING,
	    "lot_no", "ZZ999");
}

static void
test_check_lot_of_another_vaccine_is_an_error(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.lot.vaccine_code = "VAR";
	run(&s);
	expect_only(&s, core_check_msg_lot_vaccine, CORE_CHECK_ERROR,
	    "lot_no", "VAR");
}

static void
test_check_lot_of_another_maker_is_an_error(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.in.maker_code = "M2";
	run(&s);
	expect_only(&s, core_check_msg_lot_maker, CORE_CHECK_ERROR,
	    "maker_code", "M1");
	/* No maker entered: nothing to compare. */
	s.in.maker_code = "";
	run(&s);
	expect_none(&s);
}

static void
test_check_lot_expired_before_the_day_is_an_error(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.lot.expiry = D(2021, 6, 1);	/* usable through that day */
	run(&s);
	expect_none(&s);
	s.lot.expiry = D(2021, 5, 31);
	run(&s);
	expect_only(&s, core_check_msg_lot_expired, CORE_CHECK_ERROR,
	    "lot_no", "2021-05-31");
}

static void
test_check_screening_only_needs_a_reason(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry.screening_only = 1;
	s.in.lot_no = NULL;
	s.in.lot = NULL;
	run(&s);
	expect_only(&s, core_check_msg_screening_reason, CORE_CHECK_ERROR,
	    "screening_reason", "");
	s.in.screening_reason = "発熱";
	run(&s);
	expect_none(&s);
	assert_int_equal(s.out.category, 'A');
}

static void
test_check_screening_only_records_no_lot(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry.screening_only = 1;
	s.in.screening_reason = "発熱";
	run(&s);
	expect_only(&s, core_check_msg_screening_lot, CORE_CHECK_ERROR,
	    "lot_no", "AB123");
}

static void
test_check_screening_only_skips_dose_history_checks(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry.screening_only = 1;
	s.in.screening_reason = "発熱";
	s.in.lot_no = "";
	s.in.lot = NULL;
	add_history(&s, "r1", "MR", 1, "1期", D(2021, 5, 20), 0);
	run(&s);
	expect_none(&s);
}

static void
test_check_vaccination_without_lot_is_a_warning(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.in.lot_no = "";
	s.in.lot = NULL;
	run(&s);
	expect_only(&s, core_check_msg_no_lot, CORE_CHECK_WARNING, "lot_no",
	    "");
	s.in.lot_no = NULL;
	run(&s);
	expect_only(&s, core_check_msg_no_lot, CORE_CHECK_WARNING, "lot_no",
	    "");
	assert_int_equal(core_check_can_save(&s.out, 0), 1);
}

static void
test_check_collects_every_finding_of_a_bad_sheet(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	s.entry = (struct core_dose){ NULL, "VAR", 2, NULL, { 2021, 7, 2 },
	    0 };
	s.in.maker_code = "M2";
	s.lot.expiry = D(2021, 1, 31);
	add_history(&s, "r1", "VAR", 2, NULL, D(2021, 6, 1), 0);
	run(&s);
	assert_non_null(core_check_find(&s.out, core_check_msg_future));
	assert_non_null(core_check_find(&s.out, core_check_msg_duplicate));
	assert_non_null(core_check_find(&s.out, core_check_msg_dose_skipped));
	assert_non_null(core_check_find(&s.out, core_check_msg_lot_vaccine));
	assert_non_null(core_check_find(&s.out, core_check_msg_lot_maker));
	assert_non_null(core_check_find(&s.out, core_check_msg_lot_expired));
	assert_int_equal(s.out.nfindings, 6);
	assert_int_equal(s.out.dropped, 0);
	assert_null(core_check_find(&s.out, core_check_msg_no_lot));
}

static void
test_check_can_save_needs_no_error_and_confirmed_confirms(void **state)
{
	struct core_check_result r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(core_check_can_save(&r, 0), 1);
	r.nfindings = 1;
	r.findings[0].level = CORE_CHECK_WARNING;
	assert_int_equal(core_check_can_save(&r, 0), 1);
	r.nfindings = 2;
	r.findings[1].level = CORE_CHECK_CONFIRM;
	assert_int_equal(core_check_can_save(&r, 0), 0);
	assert_int_equal(core_check_can_save(&r, 1), 1);
	r.nfindings = 3;
	r.findings[2].level = CORE_CHECK_ERROR;
	assert_int_equal(core_check_can_save(&r, 1), 0);
	r.nfindings = 1;
	r.dropped = 1;		/* unknown findings might be errors */
	assert_int_equal(core_check_can_save(&r, 1), 0);
	assert_int_equal(core_check_can_save(NULL, 1), 0);
}

static void
test_check_refuses_null_arguments_and_invalid_dates(void **state)
{
	struct sheet s;

	(void)state;
	sheet_init(&s);
	assert_int_equal(core_check_record(NULL, &s.out), SESSHU_EINVAL);
	assert_int_equal(core_check_record(&s.in, NULL), SESSHU_EINVAL);
	s.in.entry = NULL;
	assert_int_equal(core_check_record(&s.in, &s.out), SESSHU_EINVAL);
	assert_int_equal(s.out.nfindings, 0);
	sheet_init(&s);
	s.in.schedule = NULL;
	assert_int_equal(core_check_record(&s.in, &s.out), SESSHU_EINVAL);
	sheet_init(&s);
	s.entry.on = D(2021, 2, 29);
	assert_int_equal(core_check_record(&s.in, &s.out), SESSHU_EINVAL);
	sheet_init(&s);
	s.in.nhistory = 1;
	s.in.history = NULL;
	assert_int_equal(core_check_record(&s.in, &s.out), SESSHU_EINVAL);
}

static void
test_check_msgids_are_distinct_literals_without_conversions(void **state)
{
	const char *const ids[] = {
		core_check_msg_future, core_check_msg_before_birth,
		core_check_msg_not_resident, core_check_msg_after_death,
		core_check_msg_unknown_vaccine, core_check_msg_no_rule,
		core_check_msg_outside_window, core_check_msg_sex,
		core_check_msg_dose_skipped, core_check_msg_interval,
		core_check_msg_duplicate, core_check_msg_same_season,
		core_check_msg_lot_unknown, core_check_msg_lot_vaccine,
		core_check_msg_lot_maker, core_check_msg_lot_expired,
		core_check_msg_screening_reason, core_check_msg_screening_lot,
		core_check_msg_no_lot,
	};
	size_t n = sizeof(ids) / sizeof(ids[0]);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		assert_non_null(ids[i]);
		assert_true(strlen(ids[i]) > 0);
		assert_null(strchr(ids[i], '%'));
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(ids[i], ids[k]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_clean_sheet_has_no_findings_and_is_routine),
		cmocka_unit_test(test_check_date_in_the_future_is_an_error),
		cmocka_unit_test(test_check_date_before_birth_is_an_error_without_age),
		cmocka_unit_test(test_check_date_before_moving_in_is_an_error),
		cmocka_unit_test(test_check_date_after_moving_out_is_an_error),
		cmocka_unit_test(test_check_date_after_death_is_an_error),
		cmocka_unit_test(test_check_unknown_vaccine_is_an_error),
		cmocka_unit_test(test_check_dose_without_rule_is_voluntary_with_a_warning),
		cmocka_unit_test(test_check_a_dose_without_stage_is_placed_in_its_series),
		cmocka_unit_test(test_check_outside_window_is_voluntary_with_a_warning),
		cmocka_unit_test(test_check_outside_open_ended_window_shows_its_start),
		cmocka_unit_test(test_check_sex_restriction_is_voluntary_with_a_warning),
		cmocka_unit_test(test_check_skipped_dose_is_a_warning),
		cmocka_unit_test(test_check_short_interval_in_days_is_a_warning),
		cmocka_unit_test(test_check_short_interval_in_months_is_a_warning),
		cmocka_unit_test(test_check_interval_counts_from_the_dose_the_rule_names),
		cmocka_unit_test(test_check_dose_already_recorded_needs_confirmation),
		cmocka_unit_test(test_check_correction_does_not_find_its_own_record),
		cmocka_unit_test(test_check_seasonal_dose_in_same_fiscal_year_needs_confirmation),
		cmocka_unit_test(test_check_lot_not_in_master_data_is_a_warning),
		cmocka_unit_test(test_check_lot_of_another_vaccine_is_an_error),
		cmocka_unit_test(test_check_lot_of_another_maker_is_an_error),
		cmocka_unit_test(test_check_lot_expired_before_the_day_is_an_error),
		cmocka_unit_test(test_check_screening_only_needs_a_reason),
		cmocka_unit_test(test_check_screening_only_records_no_lot),
		cmocka_unit_test(test_check_screening_only_skips_dose_history_checks),
		cmocka_unit_test(test_check_vaccination_without_lot_is_a_warning),
		cmocka_unit_test(test_check_collects_every_finding_of_a_bad_sheet),
		cmocka_unit_test(test_check_can_save_needs_no_error_and_confirmed_confirms),
		cmocka_unit_test(test_check_refuses_null_arguments_and_invalid_dates),
		cmocka_unit_test(test_check_msgids_are_distinct_literals_without_conversions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
