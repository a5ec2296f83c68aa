/*
 * test_schedule.c: the routine schedule rules (core/schedule.h): the real
 * forms/schedule.json, refusals of broken schedule text, city overrides,
 * the window of every rule at its boundaries, and the due list.
 * Pure: no clock is read; every "today" is a literal. The schedule file is
 * found next to this source file (tests/unit/ -> forms/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/schedule.h"
#include "core/vaccine.h"

#define D(y, m, d)	((struct core_date){ (y), (m), (d) })
#define MALE		1
#define FEMALE		2

/* The repository's forms/schedule.json, read with stdio; caller frees. */
static char *
read_schedule_file(size_t *len)
{
	static const char self[] = "tests/unit/test_schedule.c";
	const char *file = __FILE__;
	size_t flen = strlen(file), plen;
	char path[4096];
	char *buf;
	long size = 0;
	FILE *fp;

	if (flen < sizeof(self) - 1 ||
	    strcmp(file + flen - (sizeof(self) - 1), self) != 0)
		fail_msg("cannot locate the source tree from %s", file);
	plen = flen - (sizeof(self) - 1);
	if ((size_t)snprintf(path, sizeof(path), "%.*sforms/schedule.json",
	    (int)plen, file) >= sizeof(path))
		fail_msg("path too long");
	if ((fp = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0)
		fail_msg("cannot size %s", path);
	if ((buf = malloc((size_t)size + 1)) == NULL)
		fail_msg("out of memory");
	*len = fread(buf, 1, (size_t)size, fp);
	if (*len != (size_t)size)
		fail_msg("short read of %s", path);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

static struct core_schedule *
load_real(void)
{
	struct sesshu_err err = { 0 };
	struct core_schedule *s = NULL;
	size_t len;
	char *text = read_schedule_file(&len);

	if (core_schedule_parse(text, len, "forms/schedule.json", &s,
	    &err) != 0)
		fail_msg("%s", err.msg);
	free(text);
	return s;
}

static int
setup(void **state)
{
	*state = load_real();
	return 0;
}

static int
teardown(void **state)
{
	core_schedule_free(*state);
	return 0;
}

static const struct core_schedule_rule *
rule(void **state, const char *vaccine, const char *stage, int dose)
{
	const struct core_schedule_rule *r =
	    core_schedule_find(*state, vaccine, dose, stage);

	if (r == NULL)
		fail_msg("no rule %s %s %d", vaccine, stage ? stage : "", dose);
	return r;
}

static int
inside(const struct core_schedule_rule *r, struct core_date birth, int sex,
    struct core_date on)
{
	int v = core_schedule_in_window(r, &birth, sex, &on, NULL);

	assert_true(v == 0 || v == 1);
	return v;
}

static const char *
why(const struct core_schedule_rule *r, struct core_date birth, int sex,
    struct core_date on)
{
	const char *reason = NULL;

	core_schedule_in_window(r, &birth, sex, &on, &reason);
	assert_non_null(reason);
	return reason;
}

/* The real schedule ------------------------------------------------------ */

static void
test_schedule_real_file_parses_with_every_vaccine_and_basis(void **state)
{
	const struct core_schedule *s = *state;

	assert_true(core_schedule_count(s) >= 16);
	for (size_t v = 0; v < core_vaccine_count(); v++) {
		const char *code = core_vaccine_at(v)->code;

		if (core_schedule_find(s, code, 1, NULL) == NULL &&
		    core_schedule_find(s, code, 1, "1期") == NULL &&
		    core_schedule_find(s, code, 1, "2期") == NULL)
			fail_msg("no rule for %s", code);
	}
	for (size_t i = 0; i < core_schedule_count(s); i++) {
		const struct core_schedule_rule *r = core_schedule_at(s, i);

		assert_non_null(r->basis);
		assert_true(strlen(r->basis) > 0);
		assert_non_null(r->note);
		assert_true(r->category == 'A' || r->category == 'B');
	}
	assert_null(core_schedule_at(s, core_schedule_count(s)));
}

static void
test_schedule_real_file_encodes_intervals_and_restrictions(void **state)
{
	const struct core_schedule_rule *r;

	r = rule(state, "VAR", NULL, 2);
	assert_int_equal(r->interval_months, 3);
	assert_int_equal(r->interval_after, 1);
	r = rule(state, "DPTIPV", "1期", 2);
	assert_int_equal(r->interval_days, 20);
	r = rule(state, "DPTIPV", "1期", 4);
	assert_int_equal(r->interval_months, 6);
	assert_int_equal(r->interval_after, 3);
	r = rule(state, "HBV", NULL, 3);
	assert_int_equal(r->interval_days, 139);
	assert_int_equal(r->interval_after, 1);
	r = rule(state, "HPV", NULL, 1);
	assert_int_equal(r->sex, CORE_SEX_FEMALE);
	assert_int_equal(r->window.kind, CORE_WINDOW_FISCAL_YEARS);
	r = rule(state, "COVID", NULL, 1);
	assert_int_equal(r->category, 'B');
	assert_true(r->seasonal);
	assert_true(rule(state, "FLU", NULL, 1)->seasonal);
	assert_false(rule(state, "PPSV", NULL, 1)->seasonal);
	assert_int_equal(rule(state, "MR", "2期", 1)->window.kind,
	    CORE_WINDOW_FISCAL_YEARS);
}

static void
test_schedule_find_matches_stage_exactly(void **state)
{
	const struct core_schedule *s = *state;

	assert_non_null(core_schedule_find(s, "MR", 1, "1期"));
	assert_non_null(core_schedule_find(s, "VAR", 1, ""));
	assert_non_null(core_schedule_find(s, "VAR", 1, NULL));
	assert_null(core_schedule_find(s, "MR", 1, NULL));
	assert_null(core_schedule_find(s, "MR", 1, "3期"));
	assert_null(core_schedule_find(s, "VAR", 3, NULL));
	assert_null(core_schedule_find(s, "VAR", 1, "1期"));
	assert_null(core_schedule_find(s, "XYZ", 1, NULL));
	assert_null(core_schedule_find(NULL, "VAR", 1, NULL));
}

/* Refusals ---------------------------------------------------------------- */

#define RULE_HEAD	"{\"version\":1,\"rules\":["
#define RULE_TAIL	"]}"
#define VAR1(extra) \
	"{\"vaccine\":\"VAR\",\"dose\":1,\"doses\":1,\"category\":\"A\"," \
	"\"window\":{\"from\":{\"years\":1},\"until\":{\"years\":3}}," \
	"\"basis\":\"予防接種法施行令 第1条の3\"" extra "}"

static void
refused(const char *text, int code, const char *want1, const char *want2)
{
	struct sesshu_err err = { 0 };
	struct core_schedule *s = (struct core_schedule *)&err;

	assert_int_equal(core_schedule_parse(text, strlen(text),
	    "forms/test.json", &s, &err), code);
	assert_null(s);
	assert_int_equal(err.code, code);
	if (strstr(err.msg, want1) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want1);
	if (want2 != NULL && strstr(err.msg, want2) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want2);
}

static void
test_schedule_minimal_text_parses(void **state)
{
	static const char text[] = RULE_HEAD VAR1("") RULE_TAIL;
	struct core_schedule *s = NULL;

	(void)state;
	assert_int_equal(core_schedule_parse(text, strlen(text), "t.json", &s,
	    NULL), 0);
	assert_int_equal(core_schedule_count(s), 1);
	assert_string_equal(core_schedule_at(s, 0)->note, "");
	core_schedule_free(s);
}

static void
test_schedule_refuses_until_that_is_not_an_age(void **state)
{
	(void)state;
	refused(RULE_HEAD VAR1("") ",{\"vaccine\":\"MR\",\"stage\":\"2期\","
	    "\"dose\":1,\"doses\":1,\"category\":\"A\",\"window\":{\"from\":"
	    "{\"years\":5},\"until\":7},\"basis\":\"b\"}" RULE_TAIL,
	    SESSHU_EFORMAT, "forms/test.json: rules[1] (MR 2期 dose 1): "
	    "window.until: must be an object with years, months, weeks or days",
	    NULL);
	refused(RULE_HEAD VAR1("") ",{\"vaccine\":\"MR\",\"stage\":\"2期\","
	    "\"dose\":1,\"doses\":1,\"category\":\"A\",\"window\":{\"from\":"
	    "{\"years\":5},\"until\":{}},\"basis\":\"b\"}" RULE_TAIL,
	    SESSHU_EFORMAT, "rules[1] (MR 2期 dose 1): window.until: must be",
	    NULL);
}

static void
test_schedule_refuses_unknown_members(void **state)
{
	(void)state;
	refused(RULE_HEAD VAR1(",\"colour\":\"red\"") RULE_TAIL,
	    SESSHU_EFORMAT, "forms/test.json: rules[0] (VAR dose 1): unknown "
	    "member \"colour\"", NULL);
	refused("{\"version\":1,\"extra\":1,\"rules\":[" VAR1("") "]}",
	    SESSHU_EFORMAT, "forms/test.json: unknown member \"extra\"", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1,\"hours\":2}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "rules[0] (VAR dose 1): window.from: unknown member \"hours\"",
	    NULL);
	refused(RULE_HEAD VAR1(",\"interval\":{\"weeks\":2}") RULE_TAIL,
	    SESSHU_EFORMAT, "interval: unknown member \"weeks\"", NULL);
}

static void
test_schedule_refuses_wrong_types(void **state)
{
	(void)state;
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":\"1\",\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "rules[0] (VAR): dose: must be an integer from 1 to 9", NULL);
	refused(RULE_HEAD VAR1(",\"seasonal\":1") RULE_TAIL, SESSHU_EFORMAT,
	    "rules[0] (VAR dose 1): seasonal: must be true or false", NULL);
	refused(RULE_HEAD VAR1(",\"sex\":\"girls\"") RULE_TAIL,
	    SESSHU_EFORMAT, "sex: must be \"female\" or \"male\"", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1.5}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "window.from.years: must be an integer from 0 to 150", NULL);
	refused(RULE_HEAD VAR1(",\"note\":[]") RULE_TAIL, SESSHU_EFORMAT,
	    "note: must be a text", NULL);
	refused("[1,2]", SESSHU_EFORMAT, "forms/test.json: must be a JSON "
	    "object", NULL);
	refused(RULE_HEAD "7" RULE_TAIL, SESSHU_EFORMAT,
	    "forms/test.json: rules[0]: must be an object", NULL);
}

static void
test_schedule_refuses_unknown_vaccine_codes(void **state)
{
	(void)state;
	refused(RULE_HEAD "{\"vaccine\":\"MUMPS\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "rules[0] (MUMPS dose 1): vaccine: unknown vaccine code \"MUMPS\"",
	    NULL);
	refused(RULE_HEAD "{\"vaccine\":\"var\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "unknown vaccine code \"var\"", NULL);
	refused(RULE_HEAD VAR1(",\"alternatives\":[\"ROTA9\"]") RULE_TAIL,
	    SESSHU_EFORMAT, "alternatives[0]: unknown vaccine code \"ROTA9\"",
	    NULL);
	refused(RULE_HEAD VAR1(",\"alternatives\":[\"VAR\"]") RULE_TAIL,
	    SESSHU_EFORMAT, "alternatives[0]: names the rule's own vaccine",
	    NULL);
}

static void
test_schedule_refuses_dose_outside_1_to_9(void **state)
{
	(void)state;
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":10,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "rules[0] (VAR dose 10): dose: 10 is not from 1 to 9", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":0,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "dose: 0 is not from 1 to 9", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":2,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "(VAR dose 2): dose: 2 is more than doses (1)", NULL);
}

static void
test_schedule_refuses_empty_windows(void **state)
{
	(void)state;
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":3},"
	    "\"until\":{\"years\":3}},\"basis\":\"b\"}" RULE_TAIL,
	    SESSHU_EFORMAT, "rules[0] (VAR dose 1): window: empty window: "
	    "until is not after from", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"ROTA1\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"weeks\":6},"
	    "\"until\":{\"days\":30}},\"basis\":\"b\"}" RULE_TAIL,
	    SESSHU_EFORMAT, "window: empty window", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"HPV\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"fiscal_years\":{\"from_turning\":"
	    "16,\"through_turning\":12}},\"basis\":\"b\"}" RULE_TAIL,
	    SESSHU_EFORMAT, "rules[0] (HPV dose 1): window.fiscal_years: "
	    "empty window: through_turning 12 is before from_turning 16", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{},\"basis\":\"b\"}" RULE_TAIL,
	    SESSHU_EFORMAT, "window.from: missing", NULL);
	refused(RULE_HEAD VAR1(",\"catch_up\":[{\"born_from\":\"2000-01-01\","
	    "\"born_through\":\"2001-01-01\",\"from\":\"2024-01-01\","
	    "\"through\":\"2023-12-31\"}]") RULE_TAIL, SESSHU_EFORMAT,
	    "catch_up[0]: empty window: through is before from", NULL);
}

static void
test_schedule_refuses_missing_basis(void **state)
{
	(void)state;
	refused(RULE_HEAD "{\"vaccine\":\"BCG\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"days\":0}}}" RULE_TAIL,
	    SESSHU_EFORMAT, "forms/test.json: rules[0] (BCG dose 1): basis: "
	    "missing", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"BCG\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"days\":0}},"
	    "\"basis\":\"\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "basis: must be a non-empty text", NULL);
}

static void
test_schedule_refuses_mixed_window_forms(void **state)
{
	(void)state;
	refused(RULE_HEAD "{\"vaccine\":\"MR\",\"stage\":\"2期\",\"dose\":1,"
	    "\"doses\":1,\"category\":\"A\",\"window\":{\"from\":{\"years\":5},"
	    "\"fiscal_years\":{\"from_turning\":6,\"through_turning\":6}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "(MR 2期 dose 1): window: fiscal_years cannot be combined with "
	    "from or until", NULL);
}

static void
test_schedule_refuses_category_other_than_the_vaccine_class(void **state)
{
	(void)state;
	refused(RULE_HEAD "{\"vaccine\":\"COVID\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":65}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "(COVID dose 1): category: COVID is 定期B類, not A", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":1,\"doses\":1,"
	    "\"category\":\"V\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "category: must be \"A\" (定期A類) or \"B\" (定期B類)", NULL);
}

static void
test_schedule_refuses_bad_intervals_and_dates(void **state)
{
	(void)state;
	refused(RULE_HEAD VAR1(",\"interval\":{\"days\":27}") RULE_TAIL,
	    SESSHU_EFORMAT, "(VAR dose 1): interval: dose 1 has no earlier "
	    "dose", NULL);
	refused(RULE_HEAD VAR1(",\"effective_from\":\"2024-02-30\"")
	    RULE_TAIL, SESSHU_EFORMAT, "(VAR dose 1): effective_from: "
	    "2024-02-30 is not a date", "February 2024 has 29 days");
	refused(RULE_HEAD VAR1(",\"effective_from\":\"2024-04-01\","
	    "\"effective_until\":\"2024-03-31\"") RULE_TAIL, SESSHU_EFORMAT,
	    "effective_until: is before effective_from", NULL);
	refused(RULE_HEAD VAR1(",\"stage\":\"\"") RULE_TAIL, SESSHU_EFORMAT,
	    "rules[0] (VAR dose 1): stage: must be a short text", NULL);
}

static void
test_schedule_refuses_incomplete_or_duplicated_series(void **state)
{
	(void)state;
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":1,\"doses\":2,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "forms/test.json: VAR: dose 2 of 2 has no rule", NULL);
	refused(RULE_HEAD VAR1("") "," VAR1("") RULE_TAIL, SESSHU_EFORMAT,
	    "rules[1] (VAR dose 1): same vaccine, stage and dose as rules[0]",
	    NULL);
	refused(RULE_HEAD "{\"vaccine\":\"VAR\",\"dose\":1,\"doses\":2,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"},{\"vaccine\":\"VAR\",\"dose\":2,\"doses\":3,"
	    "\"category\":\"A\",\"window\":{\"from\":{\"years\":1}},"
	    "\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "VAR: doses: the rules disagree", NULL);
	refused(RULE_HEAD "{\"vaccine\":\"FLU\",\"dose\":1,\"doses\":2,"
	    "\"category\":\"B\",\"window\":{\"from\":{\"years\":65}},"
	    "\"seasonal\":true,\"basis\":\"b\"}" RULE_TAIL, SESSHU_EFORMAT,
	    "seasonal: a seasonal rule has one dose", NULL);
}

static void
test_schedule_refuses_bad_json_and_versions(void **state)
{
	(void)state;
	refused("{\"version\":1,\"rules\":[", SESSHU_EFORMAT,
	    "forms/test.json:1:", NULL);
	refused("{\"version\":1,\"version\":1,\"rules\":[]}", SESSHU_EFORMAT,
	    "duplicate", NULL);
	refused("{\"version\":2,\"rules\":[" VAR1("") "]}", SESSHU_EVERSION,
	    "version: 2 is newer", NULL);
	refused("{\"rules\":[" VAR1("") "]}", SESSHU_EFORMAT,
	    "forms/test.json: version: missing", NULL);
	refused("{\"version\":1,\"rules\":[]}", SESSHU_EFORMAT,
	    "rules: must be a non-empty array", NULL);
}

static void
test_schedule_parse_refuses_null_arguments(void **state)
{
	struct core_schedule *s = NULL;

	(void)state;
	assert_int_equal(core_schedule_parse("{}", 2, NULL, NULL, NULL),
	    SESSHU_EINVAL);
	assert_int_equal(core_schedule_parse(NULL, 0, NULL, &s, NULL),
	    SESSHU_EINVAL);
	assert_null(s);
	core_schedule_free(NULL);
}

/* Overrides ---------------------------------------------------------------- */

static void
test_schedule_override_replaces_a_rule_in_place(void **state)
{
	static const char city[] = "{\"version\":1,\"rules\":[{\"vaccine\":"
	    "\"VAR\",\"dose\":2,\"doses\":2,\"category\":\"A\",\"window\":"
	    "{\"from\":{\"years\":1},\"until\":{\"years\":4}},\"interval\":"
	    "{\"months\":6},\"basis\":\"市要綱 第3条\",\"note\":\"city\"}]}";
	struct core_schedule *s = load_real();
	struct sesshu_err err = { 0 };
	const struct core_schedule_rule *r;
	size_t n = core_schedule_count(s), at = n;

	(void)state;
	for (size_t i = 0; i < n; i++)
		if (core_schedule_at(s, i) ==
		    core_schedule_find(s, "VAR", 2, NULL))
			at = i;
	if (core_schedule_override(s, city, strlen(city), "city.json",
	    &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(core_schedule_count(s), n);
	r = core_schedule_find(s, "VAR", 2, NULL);
	assert_ptr_equal(r, core_schedule_at(s, at));
	assert_int_equal(r->interval_months, 6);
	assert_string_equal(r->basis, "市要綱 第3条");
	assert_string_equal(r->note, "city");
	/* The window now ends at the 4th birthday. */
	assert_int_equal(inside(r, D(2020, 6, 15), MALE, D(2024, 6, 14)), 1);
	assert_int_equal(inside(r, D(2020, 6, 15), MALE, D(2024, 6, 15)), 0);
	/* Other rules are untouched. */
	r = core_schedule_find(s, "VAR", 1, NULL);
	assert_int_equal(inside(r, D(2020, 6, 15), MALE, D(2023, 6, 15)), 0);
	core_schedule_free(s);
}

static void
test_schedule_override_adds_new_rules_last(void **state)
{
	static const char city[] = "{\"version\":1,\"rules\":[{\"vaccine\":"
	    "\"MR\",\"stage\":\"3期\",\"dose\":1,\"doses\":1,\"category\":"
	    "\"A\",\"window\":{\"from\":{\"years\":12},\"until\":{\"years\":"
	    "13}},\"basis\":\"市要綱\"}]}";
	struct core_schedule *s = load_real();
	size_t n = core_schedule_count(s);

	(void)state;
	assert_int_equal(core_schedule_override(s, city, strlen(city),
	    "city.json", NULL), 0);
	assert_int_equal(core_schedule_count(s), n + 1);
	assert_ptr_equal(core_schedule_find(s, "MR", 1, "3期"),
	    core_schedule_at(s, n));
	core_schedule_free(s);
}

static void
test_schedule_refused_override_leaves_schedule_unchanged(void **state)
{
	/* Changing VAR to 3 doses without a rule for dose 3. */
	static const char broken[] = "{\"version\":1,\"rules\":[{\"vaccine\":"
	    "\"VAR\",\"dose\":2,\"doses\":3,\"category\":\"A\",\"window\":"
	    "{\"from\":{\"years\":1}},\"basis\":\"b\"}]}";
	static const char bad_member[] = "{\"version\":1,\"rules\":[{"
	    "\"vaccine\":\"VAR\",\"dose\":2,\"doses\":2,\"category\":\"A\","
	    "\"window\":{\"from\":{\"years\":1}},\"basis\":\"b\",\"x\":1}]}";
	struct core_schedule *s = load_real();
	struct sesshu_err err = { 0 };
	const struct core_schedule_rule *r;
	size_t n = core_schedule_count(s);

	(void)state;
	assert_int_equal(core_schedule_override(s, broken, strlen(broken),
	    "city.json", &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "city.json: VAR: doses: the rules "
	    "disagree"));
	assert_int_equal(core_schedule_override(s, bad_member,
	    strlen(bad_member), "city.json", &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "city.json: rules[0] (VAR dose 2): "
	    "unknown member \"x\""));
	assert_int_equal(core_schedule_count(s), n);
	r = core_schedule_find(s, "VAR", 2, NULL);
	assert_int_equal(r->doses, 2);
	assert_int_equal(r->interval_months, 3);
	assert_int_equal(core_schedule_override(NULL, broken, strlen(broken),
	    NULL, NULL), SESSHU_EINVAL);
	core_schedule_free(s);
}

/* Windows: the boundaries of every rule ------------------------------------ */

struct bound {
	const char		*vaccine;
	const char		*stage;
	int			 dose;
	int			 sex;
	struct core_date	 birth;
	struct core_date	 first;		/* first day inside */
	struct core_date	 last;		/* last day inside; y 0: open */
};

/*
 * Children are born on 31 May 2024, so that "2 months" and "6 months" meet
 * months without a 31st (6 months: 1 December). Expected days by hand.
 */
#define KID	D(2024, 5, 31)
#define OLD	D(1959, 10, 20)
#define OPEN	D(0, 0, 0)

static const struct bound bounds[] = {
	{ "ROTA1", NULL, 1, MALE, KID, D(2024, 7, 12), D(2024, 11, 15) },
	{ "ROTA1", NULL, 2, MALE, KID, D(2024, 7, 12), D(2024, 11, 15) },
	{ "ROTA5", NULL, 1, MALE, KID, D(2024, 7, 12), D(2025, 1, 10) },
	{ "ROTA5", NULL, 2, MALE, KID, D(2024, 7, 12), D(2025, 1, 10) },
	{ "ROTA5", NULL, 3, MALE, KID, D(2024, 7, 12), D(2025, 1, 10) },
	{ "HBV", NULL, 1, MALE, KID, D(2024, 5, 31), D(2025, 5, 30) },
	{ "HBV", NULL, 2, MALE, KID, D(2024, 5, 31), D(2025, 5, 30) },
	{ "HBV", NULL, 3, MALE, KID, D(2024, 5, 31), D(2025, 5, 30) },
	{ "DPTIPVHIB", "1期", 1, MALE, KID, D(2024, 7, 31), D(2031, 11, 30) },
	{ "DPTIPVHIB", "1期", 2, MALE, KID, D(2024, 7, 31), D(2031, 11, 30) },
	{ "DPTIPVHIB", "1期", 3, MALE, KID, D(2024, 7, 31), D(2031, 11, 30) },
	{ "DPTIPVHIB", "1期", 4, MALE, KID, D(2024, 7, 31), D(2031, 11, 30) },
	{ "HIB", NULL, 1, MALE, KID, D(2024, 7, 31), D(2029, 5, 30) },
	{ "HIB", NULL, 2, MALE, KID, D(2024, 7, 31), D(2025, 5, 30) },
	{ "HIB", NULL, 3, MALE, KID, D(2024, 7, 31), D(2025, 5, 30) },
	{ "HIB", NULL, 4, MALE, KID, D(2024, 7, 31), D(2029, 5, 30) },
	{ "DPTIPV", "1期", 1, MALE, KID, D(2024, 7, 31), D(2031, 11, 30) },
	{ "DPTIPV", "1期", 2, MALE, KID, D(2024, 7, 31), D(2031, 11, 30) },
	{ "DPTIPV", "1期", 3, MALE, KID, D(2024, 7, 31), D(2031, 11, 30) },
	{ "DPTIPV", "1期", 4, MALE, KID, D(2024, 7, 31), D(2031, 11, 30) },
	{ "PCV", NULL, 1, MALE, KID, D(2024, 7, 31), D(2029, 5, 30) },
	{ "PCV", NULL, 2, MALE, KID, D(2024, 7, 31), D(2026, 5, 30) },
	{ "PCV", NULL, 3, MALE, KID, D(2024, 7, 31), D(2026, 5, 30) },
	{ "PCV", NULL, 4, MALE, KID, D(2025, 5, 31), D(2029, 5, 30) },
	{ "BCG", NULL, 1, MALE, KID, D(2024, 5, 31), D(2025, 5, 30) },
	{ "MR", "1期", 1, MALE, KID, D(2025, 5, 31), D(2026, 5, 30) },
	/* Reaches 6 (legally) on 2030-05-30: fiscal year 2030. */
	{ "MR", "2期", 1, MALE, KID, D(2030, 4, 1), D(2031, 3, 31) },
	{ "VAR", NULL, 1, MALE, KID, D(2025, 5, 31), D(2027, 5, 30) },
	{ "VAR", NULL, 2, MALE, KID, D(2025, 5, 31), D(2027, 5, 30) },
	{ "JE", "1期", 1, MALE, KID, D(2024, 12, 1), D(2031, 11, 30) },
	{ "JE", "1期", 2, MALE, KID, D(2024, 12, 1), D(2031, 11, 30) },
	{ "JE", "1期", 3, MALE, KID, D(2024, 12, 1), D(2031, 11, 30) },
	{ "JE", "2期", 1, MALE, KID, D(2033, 5, 31), D(2037, 5, 30) },
	{ "DT", "2期", 1, MALE, KID, D(2035, 5, 31), D(2037, 5, 30) },
	/* 12 reached in fiscal 2036 (小6), 16 in fiscal 2040 (高1). */
	{ "HPV", NULL, 1, FEMALE, KID, D(2036, 4, 1), D(2041, 3, 31) },
	{ "HPV", NULL, 2, FEMALE, KID, D(2036, 4, 1), D(2041, 3, 31) },
	{ "HPV", NULL, 3, FEMALE, KID, D(2036, 4, 1), D(2041, 3, 31) },
	{ "FLU", NULL, 1, MALE, OLD, D(2024, 10, 20), OPEN },
	/* Reaches 65 (legally) on 2024-10-19: fiscal year 2024. */
	{ "PPSV", NULL, 1, MALE, OLD, D(2024, 4, 1), D(2025, 3, 31) },
	{ "COVID", NULL, 1, MALE, OLD, D(2024, 10, 20), OPEN },
};

static void
test_schedule_every_rule_opens_and_closes_on_its_boundary_days(void **state)
{
	const struct core_schedule *s = *state;

	for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		const struct bound *b = &bounds[i];
		const struct core_schedule_rule *r =
		    rule(state, b->vaccine, b->stage, b->dose);
		struct core_date before, after, from, last;
		int open;

		assert_int_equal(core_date_add_days(&b->first, -1, &before,
		    NULL), 0);
		if (inside(r, b->birth, b->sex, before) != 0 ||
		    inside(r, b->birth, b->sex, b->first) != 1)
			fail_msg("%s %s %d: does not open on %04d-%02d-%02d",
			    b->vaccine, b->stage ? b->stage : "", b->dose,
			    b->first.y, b->first.m, b->first.d);
		assert_int_equal(core_schedule_window(r, &b->birth, &from,
		    &last, &open), 1);
		assert_int_equal(core_date_cmp(&from, &b->first), 0);
		if (b->last.y == 0) {
			assert_true(open);
			assert_int_equal(inside(r, b->birth, b->sex,
			    D(2060, 1, 1)), 1);
			continue;
		}
		assert_false(open);
		assert_int_equal(core_date_cmp(&last, &b->last), 0);
		assert_int_equal(core_date_add_days(&b->last, 1, &after, NULL),
		    0);
		if (inside(r, b->birth, b->sex, b->last) != 1 ||
		    inside(r, b->birth, b->sex, after) != 0)
			fail_msg("%s %s %d: does not close after "
			    "%04d-%02d-%02d", b->vaccine,
			    b->stage ? b->stage : "", b->dose, b->last.y,
			    b->last.m, b->last.d);
	}
	/* And no rule of the schedule is left without its boundary test. */
	for (size_t i = 0; i < core_schedule_count(s); i++) {
		const struct core_schedule_rule *r = core_schedule_at(s, i);
		size_t k;

		for (k = 0; k < sizeof(bounds) / sizeof(bounds[0]); k++)
			if (core_schedule_find(s, bounds[k].vaccine,
			    bounds[k].dose, bounds[k].stage) == r)
				break;
		if (k == sizeof(bounds) / sizeof(bounds[0]))
			fail_msg("rule %s %s %d has no boundary test",
			    r->vaccine_code, r->stage, r->dose);
	}
}

static void
test_schedule_age_windows_agree_with_the_ordinary_age_rule(void **state)
{
	const struct core_schedule_rule *mr = rule(state, "MR", "1期", 1);
	const struct core_schedule_rule *je = rule(state, "JE", "1期", 1);
	struct core_date birth = D(2023, 1, 1), on;

	/* Every birthday of a leap year and a common one, every tenth day
	 * around the window edges. */
	for (int b = 0; b < 730; b++) {
		assert_int_equal(core_date_add_days(&D(2023, 1, 1), b, &birth,
		    NULL), 0);
		for (int k = 300; k < 1000; k++) {
			int months;

			assert_int_equal(core_date_add_days(&birth, k, &on,
			    NULL), 0);
			assert_int_equal(core_date_age_months(&birth, &on,
			    &months, NULL), 0);
			if (inside(mr, birth, MALE, on) !=
			    (months >= 12 && months < 24))
				fail_msg("MR 1期 at %d months", months);
			if (k % 10 == 0 && inside(je, birth, MALE, on) !=
			    (months >= 6 && months < 90))
				fail_msg("JE 1期 at %d months", months);
		}
	}
}

static void
test_schedule_mr_stage_2_cohort_splits_between_1_and_2_april(void **state)
{
	const struct core_schedule_rule *r = rule(state, "MR", "2期", 1);

	/* Born 1 April 2018: reaches 6 on 31 March 2024, enters school in
	 * April 2024, so the window is fiscal 2023. */
	assert_int_equal(inside(r, D(2018, 4, 1), MALE, D(2023, 3, 31)), 0);
	assert_int_equal(inside(r, D(2018, 4, 1), MALE, D(2023, 4, 1)), 1);
	assert_int_equal(inside(r, D(2018, 4, 1), MALE, D(2024, 3, 31)), 1);
	assert_int_equal(inside(r, D(2018, 4, 1), MALE, D(2024, 4, 1)), 0);
	/* Born 2 April 2018: one school year later. */
	assert_int_equal(inside(r, D(2018, 4, 2), MALE, D(2024, 3, 31)), 0);
	assert_int_equal(inside(r, D(2018, 4, 2), MALE, D(2024, 4, 1)), 1);
	assert_int_equal(inside(r, D(2018, 4, 2), MALE, D(2025, 3, 31)), 1);
	assert_int_equal(inside(r, D(2018, 4, 2), MALE, D(2025, 4, 1)), 0);
	assert_string_equal(why(r, D(2018, 4, 2), MALE, D(2024, 3, 31)),
	    "before the eligible fiscal years");
	assert_string_equal(why(r, D(2018, 4, 1), MALE, D(2024, 4, 1)),
	    "after the eligible fiscal years");
}

static void
test_schedule_ppsv_fiscal_year_of_65_splits_between_1_and_2_april(void **state)
{
	const struct core_schedule_rule *r = rule(state, "PPSV", NULL, 1);

	assert_int_equal(inside(r, D(1959, 4, 1), MALE, D(2024, 3, 31)), 1);
	assert_int_equal(inside(r, D(1959, 4, 1), MALE, D(2024, 4, 1)), 0);
	assert_int_equal(inside(r, D(1959, 4, 2), MALE, D(2024, 3, 31)), 0);
	assert_int_equal(inside(r, D(1959, 4, 2), MALE, D(2025, 3, 31)), 1);
}

static void
test_schedule_hpv_is_outside_for_boys(void **state)
{
	const struct core_schedule_rule *r = rule(state, "HPV", NULL, 1);

	assert_int_equal(inside(r, D(2012, 6, 1), FEMALE, D(2025, 6, 1)), 1);
	assert_int_equal(inside(r, D(2012, 6, 1), MALE, D(2025, 6, 1)), 0);
	assert_string_equal(why(r, D(2012, 6, 1), MALE, D(2025, 6, 1)),
	    "not eligible for this sex");
	/* Unknown sex is not female either. */
	assert_int_equal(inside(r, D(2012, 6, 1), 0, D(2025, 6, 1)), 0);
}

static void
test_schedule_hpv_catch_up_covers_its_cohort_until_march_2025(void **state)
{
	const struct core_schedule_rule *r = rule(state, "HPV", NULL, 2);

	assert_int_equal(inside(r, D(2000, 1, 1), FEMALE, D(2022, 3, 31)), 0);
	assert_int_equal(inside(r, D(2000, 1, 1), FEMALE, D(2022, 4, 1)), 1);
	assert_string_equal(why(r, D(2000, 1, 1), FEMALE, D(2022, 4, 1)),
	    "inside a catch-up window");
	assert_int_equal(inside(r, D(2000, 1, 1), FEMALE, D(2025, 3, 31)), 1);
	assert_int_equal(inside(r, D(2000, 1, 1), FEMALE, D(2025, 4, 1)), 0);
	/* The cohort's edges: born 1997-04-02 .. 2008-04-01. */
	assert_int_equal(inside(r, D(1997, 4, 1), FEMALE, D(2023, 1, 1)), 0);
	assert_int_equal(inside(r, D(1997, 4, 2), FEMALE, D(2023, 1, 1)), 1);
	assert_int_equal(inside(r, D(2008, 4, 1), FEMALE, D(2024, 12, 1)), 1);
	assert_int_equal(inside(r, D(2000, 1, 1), MALE, D(2023, 1, 1)), 0);
}

static void
test_schedule_covid_counts_only_from_april_2024(void **state)
{
	const struct core_schedule_rule *r = rule(state, "COVID", NULL, 1);
	struct core_date birth = D(1950, 1, 1), from, last;
	int open;

	assert_int_equal(inside(r, birth, MALE, D(2024, 3, 31)), 0);
	assert_string_equal(why(r, birth, MALE, D(2024, 3, 31)),
	    "before this rule took effect");
	assert_int_equal(inside(r, birth, MALE, D(2024, 4, 1)), 1);
	assert_int_equal(core_schedule_window(r, &birth, &from, &last, &open),
	    1);
	assert_int_equal(core_date_cmp(&from, &D(2024, 4, 1)), 0);
	assert_true(open);
}

static void
test_schedule_in_window_says_which_side(void **state)
{
	const struct core_schedule_rule *r = rule(state, "VAR", NULL, 1);
	const char *reason = NULL;

	assert_string_equal(why(r, D(2024, 1, 10), MALE, D(2025, 1, 9)),
	    "before the eligible age");
	assert_string_equal(why(r, D(2024, 1, 10), MALE, D(2025, 1, 10)),
	    "inside the eligible window");
	assert_string_equal(why(r, D(2024, 1, 10), MALE, D(2027, 1, 10)),
	    "past the eligible age");
	assert_string_equal(why(r, D(2024, 1, 10), MALE, D(2024, 1, 9)),
	    "before the date of birth");
	assert_int_equal(core_schedule_in_window(r, &D(2024, 1, 10), MALE,
	    &D(2024, 2, 30), &reason), SESSHU_EINVAL);
	assert_int_equal(core_schedule_in_window(NULL, &D(2024, 1, 10), MALE,
	    &D(2024, 2, 3), NULL), SESSHU_EINVAL);
}

static void
test_schedule_earliest_counts_whole_days_between_or_months(void **state)
{
	struct core_date out;

	/* 中27日: a dose on 1 April allows the next from 29 April. */
	assert_int_equal(core_schedule_earliest(rule(state, "PCV", NULL, 2),
	    &D(2024, 4, 1), &out), 1);
	assert_int_equal(core_date_cmp(&out, &D(2024, 4, 29)), 0);
	/* 3 months after 30 November: 1 March (no 30 February). */
	assert_int_equal(core_schedule_earliest(rule(state, "VAR", NULL, 2),
	    &D(2024, 11, 30), &out), 1);
	assert_int_equal(core_date_cmp(&out, &D(2025, 3, 1)), 0);
	assert_int_equal(core_schedule_earliest(rule(state, "VAR", NULL, 1),
	    &D(2024, 11, 30), &out), 0);
}

static void
test_schedule_fiscal_year_starts_in_april(void **state)
{
	(void)state;
	assert_int_equal(core_fiscal_year(&D(2025, 3, 31)), 2024);
	assert_int_equal(core_fiscal_year(&D(2025, 4, 1)), 2025);
}

/* The due list -------------------------------------------------------------- */

#define NDUE 40

static const struct core_due *
due_of(const struct core_due *due, size_t n, const char *vaccine,
    const char *stage, int dose)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(due[i].vaccine_code, vaccine) == 0 &&
		    due[i].dose == dose &&
		    strcmp(due[i].stage ? due[i].stage : "",
		    stage ? stage : "") == 0)
			return &due[i];
	return NULL;
}

static size_t
due_list(void **state, struct core_date birth, int sex,
    const struct core_dose *h, size_t nh, struct core_date today,
    struct core_due *due)
{
	struct sesshu_err err = { 0 };
	size_t n = 0;

	if (core_schedule_due(*state, &birth, sex, h, nh, &today, due, NDUE,
	    &n, &err) != 0)
		fail_msg("%s", err.msg);
	assert_true(n <= NDUE);
	return n;
}

static void
expect_due(const struct core_due *due, size_t n, const char *vaccine,
    const char *stage, int dose, enum core_due_status status,
    struct core_date from, struct core_date until)
{
	const struct core_due *d = due_of(due, n, vaccine, stage, dose);

	if (d == NULL)
		fail_msg("%s %s %d not in the due list", vaccine,
		    stage ? stage : "", dose);
	assert_int_equal(d->status, status);
	assert_int_equal(core_date_cmp(&d->from, &from), 0);
	if (until.y == 0)
		assert_true(d->open_ended);
	else {
		assert_false(d->open_ended);
		assert_int_equal(core_date_cmp(&d->until, &until), 0);
	}
}

static void
test_schedule_due_newborn_lists_due_and_upcoming(void **state)
{
	struct core_due due[NDUE];
	size_t n = due_list(state, D(2025, 1, 15), MALE, NULL, 0,
	    D(2025, 2, 1), due);

	expect_due(due, n, "HBV", NULL, 1, CORE_DUE_DUE, D(2025, 1, 15),
	    D(2026, 1, 14));
	expect_due(due, n, "BCG", NULL, 1, CORE_DUE_DUE, D(2025, 1, 15),
	    D(2026, 1, 14));
	expect_due(due, n, "ROTA1", NULL, 1, CORE_DUE_UPCOMING,
	    D(2025, 2, 26), D(2025, 7, 2));
	expect_due(due, n, "DPTIPVHIB", "1期", 1, CORE_DUE_UPCOMING,
	    D(2025, 3, 15), D(2032, 7, 14));
	expect_due(due, n, "PCV", NULL, 1, CORE_DUE_UPCOMING, D(2025, 3, 15),
	    D(2030, 1, 14));
	expect_due(due, n, "JE", "1期", 1, CORE_DUE_UPCOMING, D(2025, 7, 15),
	    D(2032, 7, 14));
	/* Later doses wait for the earlier ones; alternatives stand aside;
	 * MR opens more than 6 months ahead. */
	assert_null(due_of(due, n, "HBV", NULL, 2));
	assert_null(due_of(due, n, "ROTA5", NULL, 1));
	assert_null(due_of(due, n, "HIB", NULL, 1));
	assert_null(due_of(due, n, "DPTIPV", "1期", 1));
	assert_null(due_of(due, n, "MR", "1期", 1));
	assert_null(due_of(due, n, "HPV", NULL, 1));
	assert_int_equal(n, 6);
}

static void
test_schedule_due_next_dose_waits_for_the_interval(void **state)
{
	static const struct core_dose h[] = {
		{ "r1", "VAR", 1, NULL, { 2025, 1, 20 }, 0 },
		{ "r2", "MR", 1, "1期", { 2025, 1, 20 }, 0 },
	};
	struct core_due due[NDUE];
	size_t n = due_list(state, D(2024, 1, 10), FEMALE, h, 2,
	    D(2025, 2, 1), due);

	assert_null(due_of(due, n, "VAR", NULL, 1));
	assert_null(due_of(due, n, "MR", "1期", 1));
	expect_due(due, n, "VAR", NULL, 2, CORE_DUE_UPCOMING, D(2025, 4, 20),
	    D(2027, 1, 9));
	n = due_list(state, D(2024, 1, 10), FEMALE, h, 2, D(2025, 4, 20), due);
	expect_due(due, n, "VAR", NULL, 2, CORE_DUE_DUE, D(2025, 4, 20),
	    D(2027, 1, 9));
}

static void
test_schedule_due_screening_only_is_not_a_dose(void **state)
{
	static const struct core_dose h[] = {
		{ "r1", "VAR", 1, NULL, { 2025, 1, 20 }, 1 },
	};
	struct core_due due[NDUE];
	size_t n = due_list(state, D(2024, 1, 10), MALE, h, 1, D(2025, 2, 1),
	    due);

	expect_due(due, n, "VAR", NULL, 1, CORE_DUE_DUE, D(2025, 1, 10),
	    D(2027, 1, 9));
	assert_null(due_of(due, n, "VAR", NULL, 2));
}

static void
test_schedule_due_closed_windows_are_overdue_for_two_years(void **state)
{
	struct core_due due[NDUE];
	size_t n;

	/* Born 2022-01-10: MR 1期 closed 2024-01-09, VAR 2025-01-09. */
	n = due_list(state, D(2022, 1, 10), MALE, NULL, 0, D(2025, 2, 1), due);
	expect_due(due, n, "MR", "1期", 1, CORE_DUE_OVERDUE, D(2023, 1, 10),
	    D(2024, 1, 9));
	expect_due(due, n, "VAR", NULL, 1, CORE_DUE_OVERDUE, D(2023, 1, 10),
	    D(2025, 1, 9));
	/* BCG closed 2023-01-09: still within two years on 2025-01-09,
	 * forgotten the day after. */
	n = due_list(state, D(2022, 1, 10), MALE, NULL, 0, D(2025, 1, 9), due);
	assert_non_null(due_of(due, n, "BCG", NULL, 1));
	n = due_list(state, D(2022, 1, 10), MALE, NULL, 0, D(2025, 1, 10), due);
	assert_null(due_of(due, n, "BCG", NULL, 1));
}

static void
test_schedule_due_alternative_series_stand_aside(void **state)
{
	static const struct core_dose h[] = {
		{ "r1", "HIB", 1, NULL, { 2024, 3, 15 }, 0 },
	};
	struct core_due due[NDUE];
	size_t n = due_list(state, D(2024, 1, 10), MALE, h, 1, D(2024, 4, 20),
	    due);

	/* On Hib: 5種混合 stands aside, so 4種混合 is listed with Hib. */
	assert_null(due_of(due, n, "DPTIPVHIB", "1期", 1));
	expect_due(due, n, "HIB", NULL, 2, CORE_DUE_DUE, D(2024, 4, 12),
	    D(2025, 1, 9));
	expect_due(due, n, "DPTIPV", "1期", 1, CORE_DUE_DUE, D(2024, 3, 10),
	    D(2031, 7, 9));
}

static void
test_schedule_due_seasonal_once_per_fiscal_year(void **state)
{
	static const struct core_dose this_year[] = {
		{ "r1", "FLU", 1, NULL, { 2024, 10, 15 }, 0 },
	};
	static const struct core_dose last_year[] = {
		{ "r1", "FLU", 1, NULL, { 2024, 3, 15 }, 0 },
	};
	struct core_due due[NDUE];
	size_t n;

	n = due_list(state, D(1950, 5, 5), MALE, NULL, 0, D(2024, 11, 1), due);
	expect_due(due, n, "FLU", NULL, 1, CORE_DUE_DUE, D(2024, 4, 1),
	    D(2025, 3, 31));
	expect_due(due, n, "COVID", NULL, 1, CORE_DUE_DUE, D(2024, 4, 1),
	    D(2025, 3, 31));
	assert_null(due_of(due, n, "PPSV", NULL, 1));
	n = due_list(state, D(1950, 5, 5), MALE, this_year, 1, D(2024, 11, 1),
	    due);
	assert_null(due_of(due, n, "FLU", NULL, 1));
	n = due_list(state, D(1950, 5, 5), MALE, last_year, 1, D(2024, 11, 1),
	    due);
	assert_non_null(due_of(due, n, "FLU", NULL, 1));
}

static void
test_schedule_due_turning_65_is_upcoming(void **state)
{
	struct core_due due[NDUE];
	/* 65th birthday 2025-01-10; PPSV's fiscal year is 2024. */
	size_t n = due_list(state, D(1960, 1, 10), FEMALE, NULL, 0,
	    D(2024, 11, 1), due);

	expect_due(due, n, "FLU", NULL, 1, CORE_DUE_UPCOMING, D(2025, 1, 10),
	    D(0, 0, 0));
	expect_due(due, n, "PPSV", NULL, 1, CORE_DUE_DUE, D(2024, 4, 1),
	    D(2025, 3, 31));
}

static void
test_schedule_due_counts_past_max_and_refuses_bad_days(void **state)
{
	struct core_due one[1];
	struct core_date birth = D(2025, 1, 15), today = D(2025, 2, 1);
	struct sesshu_err err = { 0 };
	size_t n = 0;

	assert_int_equal(core_schedule_due(*state, &birth, MALE, NULL, 0,
	    &today, one, 1, &n, NULL), 0);
	assert_int_equal(n, 6);
	assert_non_null(one[0].vaccine_code);
	assert_int_equal(core_schedule_due(*state, &birth, MALE, NULL, 0,
	    &today, NULL, 0, &n, NULL), 0);
	assert_int_equal(n, 6);
	today = D(2025, 1, 14);
	assert_int_equal(core_schedule_due(*state, &birth, MALE, NULL, 0,
	    &today, one, 1, &n, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "before the date of birth"));
	assert_int_equal(core_schedule_due(NULL, &birth, MALE, NULL, 0,
	    &today, one, 1, &n, NULL), SESSHU_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schedule_real_file_parses_with_every_vaccine_and_basis),
		cmocka_unit_test(test_schedule_real_file_encodes_intervals_and_restrictions),
		cmocka_unit_test(test_schedule_find_matches_stage_exactly),
		cmocka_unit_test(test_schedule_minimal_text_parses),
		cmocka_unit_test(test_schedule_refuses_until_that_is_not_an_age),
		cmocka_unit_test(test_schedule_refuses_unknown_members),
		cmocka_unit_test(test_schedule_refuses_wrong_types),
		cmocka_unit_test(test_schedule_refuses_unknown_vaccine_codes),
		cmocka_unit_test(test_schedule_refuses_dose_outside_1_to_9),
		cmocka_unit_test(test_schedule_refuses_empty_windows),
		cmocka_unit_test(test_schedule_refuses_missing_basis),
		cmocka_unit_test(test_schedule_refuses_mixed_window_forms),
		cmocka_unit_test(test_schedule_refuses_category_other_than_the_vaccine_class),
		cmocka_unit_test(test_schedule_refuses_bad_intervals_and_dates),
		cmocka_unit_test(test_schedule_refuses_incomplete_or_duplicated_series),
		cmocka_unit_test(test_schedule_refuses_bad_json_and_versions),
		cmocka_unit_test(test_schedule_parse_refuses_null_arguments),
		cmocka_unit_test(test_schedule_override_replaces_a_rule_in_place),
		cmocka_unit_test(test_schedule_override_adds_new_rules_last),
		cmocka_unit_test(test_schedule_refused_override_leaves_schedule_unchanged),
		cmocka_unit_test(test_schedule_every_rule_opens_and_closes_on_its_boundary_days),
		cmocka_unit_test(test_schedule_age_windows_agree_with_the_ordinary_age_rule),
		cmocka_unit_test(test_schedule_mr_stage_2_cohort_splits_between_1_and_2_april),
		cmocka_unit_test(test_schedule_ppsv_fiscal_year_of_65_splits_between_1_and_2_april),
		cmocka_unit_test(test_schedule_hpv_is_outside_for_boys),
		cmocka_unit_test(test_schedule_hpv_catch_up_covers_its_cohort_until_march_2025),
		cmocka_unit_test(test_schedule_covid_counts_only_from_april_2024),
		cmocka_unit_test(test_schedule_in_window_says_which_side),
		cmocka_unit_test(test_schedule_earliest_counts_whole_days_between_or_months),
		cmocka_unit_test(test_schedule_fiscal_year_starts_in_april),
		cmocka_unit_test(test_schedule_due_newborn_lists_due_and_upcoming),
		cmocka_unit_test(test_schedule_due_next_dose_waits_for_the_interval),
		cmocka_unit_test(test_schedule_due_screening_only_is_not_a_dose),
		cmocka_unit_test(test_schedule_due_closed_windows_are_overdue_for_two_years),
		cmocka_unit_test(test_schedule_due_alternative_series_stand_aside),
		cmocka_unit_test(test_schedule_due_seasonal_once_per_fiscal_year),
		cmocka_unit_test(test_schedule_due_turning_65_is_upcoming),
		cmocka_unit_test(test_schedule_due_counts_past_max_and_refuses_bad_days),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
