/*
 * fuzz_schedule.c: libFuzzer target for the routine schedule parser
 * (core/schedule.h).
 *
 * The input is parsed as a schedule text and as a city's override of a
 * small valid schedule. What schedule.h promises is checked: a refusal is
 * SESSHU_EFORMAT (or SESSHU_EVERSION) with *out NULL and a message that
 * starts with the file name; a refused override leaves the schedule as it
 * was. A schedule that parses has rules of known vaccines, doses 1..doses
 * <= 9, category A or B, a basis, and every series complete (each dose
 * findable with the same doses); it is its own valid override; its windows
 * have from <= last and contain their first and last days; the due list
 * of a person with no doses is computed without failing, in bounds.
 * Build: clang -fsanitize=fuzzer,address,undefined -Isrc
 *     tests/fuzz/fuzz_schedule.c src/core/(all .c files) -ljansson
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/schedule.h"
#include "core/vaccine.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FILENAME	"fuzz-schedule.json"
#define DUE_MAX		64

/* Two series, one with a stage and an interval: a valid base to override. */
static const char base_text[] =
"{\"version\": 1, \"rules\": ["
" {\"vaccine\": \"BCG\", \"dose\": 1, \"doses\": 1, \"category\": \"A\","
"  \"window\": {\"from\": {\"days\": 0}, \"until\": {\"years\": 1}},"
"  \"basis\": \"b\"},"
" {\"vaccine\": \"JE\", \"stage\": \"1期\", \"dose\": 1, \"doses\": 2,"
"  \"category\": \"A\", \"window\": {\"from\": {\"months\": 6},"
"  \"until\": {\"years\": 7, \"months\": 6}}, \"basis\": \"b\"},"
" {\"vaccine\": \"JE\", \"stage\": \"1期\", \"dose\": 2, \"doses\": 2,"
"  \"category\": \"A\", \"window\": {\"from\": {\"months\": 6},"
"  \"until\": {\"years\": 7, \"months\": 6}}, \"interval\": {\"days\": 6},"
"  \"basis\": \"b\"}]}";

/* Large: kept off the fuzzer's stack. */
static struct core_due due[DUE_MAX];

static void
check_refusal(int rc, const struct core_schedule *s, const struct sesshu_err *err)
{
	if ((rc != SESSHU_EFORMAT && rc != SESSHU_EVERSION &&
	    rc != SESSHU_ENOMEM) || err->code != rc || s != NULL ||
	    strncmp(err->msg, FILENAME, strlen(FILENAME)) != 0)
		abort();
}

static void
check_date(const struct core_date *d)
{
	if (!core_date_is_valid(d))
		abort();
}

static void
check_rule(const struct core_schedule *s, const struct core_schedule_rule *r)
{
	static const struct core_date births[] = {
		{ 1940, 2, 29 }, { 2000, 1, 1 }, { 2024, 4, 1 }, { 2025, 12, 31 },
	};
	const struct core_schedule_rule *o;
	struct core_date from, last, next;

	if (r->vaccine_code == NULL || core_vaccine_find(r->vaccine_code,
	    strlen(r->vaccine_code)) == NULL || r->basis == NULL ||
	    r->note == NULL || memchr(r->stage, '\0', sizeof(r->stage)) == NULL ||
	    r->dose < 1 || r->dose > r->doses || r->doses > CORE_SCHEDULE_DOSE_MAX ||
	    (r->category != 'A' && r->category != 'B') ||
	    r->ncatch_up > CORE_SCHEDULE_CATCH_UP_MAX ||
	    r->nalternatives > CORE_SCHEDULE_ALT_MAX ||
	    r->interval_days < 0 || r->interval_months < 0)
		abort();
	for (size_t i = 0; i < r->nalternatives; i++)
		if (r->alternatives[i] == NULL)
			abort();
	for (size_t i = 0; i < r->ncatch_up; i++) {
		check_date(&r->catch_up[i].born_from);
		check_date(&r->catch_up[i].born_through);
		check_date(&r->catch_up[i].from);
		check_date(&r->catch_up[i].through);
	}
	if (r->has_effective_from)
		check_date(&r->effective_from);
	if (r->has_effective_until)
		check_date(&r->effective_until);
	/* The rule is found by its key, and its series is complete. */
	if ((o = core_schedule_find(s, r->vaccine_code, r->dose, r->stage)) == NULL ||
	    strcmp(o->vaccine_code, r->vaccine_code) != 0 || o->dose != r->dose ||
	    strcmp(o->stage, r->stage) != 0)
		abort();
	for (int d = 1; d <= r->doses; d++)
		if ((o = core_schedule_find(s, r->vaccine_code, d, r->stage)) ==
		    NULL || o->doses != r->doses)
			abort();

	for (size_t i = 0; i < sizeof(births) / sizeof(births[0]); i++) {
		int open_ended = 0, w, sex = r->sex == CORE_SEX_ANY ? 1 : r->sex;

		w = core_schedule_window(r, &births[i], &from, &last, &open_ended);
		if (w < 0 || w > 1)
			abort();
		if (w == 1) {
			check_date(&from);
			check_date(&last);
			if (core_date_cmp(&from, &last) > 0 ||
			    core_schedule_in_window(r, &births[i], sex, &from,
			    NULL) != 1 || (!open_ended &&
			    core_schedule_in_window(r, &births[i], sex, &last,
			    NULL) != 1))
				abort();
		}
		w = core_schedule_earliest(r, &births[i], &next);
		if (w == 1 && (!core_date_is_valid(&next) ||
		    core_date_cmp(&next, &births[i]) <= 0))
			abort();
		if (w == 0 && (r->interval_days != 0 || r->interval_months != 0))
			abort();
	}
}

static void
check_due(const struct core_schedule *s)
{
	static const struct core_date birth = { 2024, 2, 29 }, today = { 2026, 11, 21 };
	struct sesshu_err err = { 0 };
	size_t n = 0;

	if (core_schedule_due(s, &birth, 2, NULL, 0, &today, due, DUE_MAX, &n,
	    &err) != 0)
		abort();
	for (size_t i = 0; i < n && i < DUE_MAX; i++) {
		if (due[i].rule == NULL || due[i].vaccine_code == NULL ||
		    due[i].dose < 1 || due[i].dose > CORE_SCHEDULE_DOSE_MAX ||
		    (due[i].status != CORE_DUE_UPCOMING &&
		    due[i].status != CORE_DUE_DUE &&
		    due[i].status != CORE_DUE_OVERDUE))
			abort();
		check_date(&due[i].from);
		check_date(&due[i].until);
	}
}

/* A refused override must leave every rule as it was. */
static void
check_override_of_base(const uint8_t *data, size_t size)
{
	struct sesshu_err err = { 0 };
	struct core_schedule *s = NULL;
	size_t before;
	int rc;

	if (core_schedule_parse(base_text, sizeof(base_text) - 1, "base", &s,
	    &err) != 0)
		abort();
	before = core_schedule_count(s);
	rc = core_schedule_override(s, (const char *)data, size, FILENAME, &err);
	if (rc != 0) {
		if (err.code != rc || strncmp(err.msg, FILENAME,
		    strlen(FILENAME)) != 0 || core_schedule_count(s) != before ||
		    core_schedule_find(s, "BCG", 1, NULL) == NULL ||
		    core_schedule_find(s, "JE", 2, "1期") == NULL ||
		    core_schedule_find(s, "JE", 2, "1期")->interval_days != 6)
			abort();
	} else {
		if (core_schedule_count(s) < before)
			abort();
		for (size_t i = 0; i < core_schedule_count(s); i++)
			check_rule(s, core_schedule_at(s, i));
	}
	core_schedule_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sesshu_err err = { 0 };
	struct core_schedule *s = (struct core_schedule *)&err;	/* not NULL */
	size_t n;
	int rc;

	rc = core_schedule_parse((const char *)data, size, FILENAME, &s, &err);
	if (rc != 0) {
		check_refusal(rc, s, &err);
	} else {
		if (s == NULL)
			abort();
		n = core_schedule_count(s);
		for (size_t i = 0; i < n; i++)
			check_rule(s, core_schedule_at(s, i));
		if (core_schedule_at(s, n) != NULL)
			abort();
		check_due(s);
		/* Each rule replaces itself: nothing added, all still valid. */
		if (core_schedule_override(s, (const char *)data, size, FILENAME,
		    &err) != 0 || core_schedule_count(s) != n)
			abort();
		core_schedule_free(s);
	}
	check_override_of_base(data, size);
	return 0;
}
