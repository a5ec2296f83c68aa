/*
 * schedule_parse.c: reading a schedule text (forms/schedule.json) and a
 * city's override into struct core_schedule, strictly: every member
 * checked, every refusal naming the file, the rule and the member; see
 * schedule.h for the format.
 */
#include "core/schedule.h"
#include "core/schedule_int.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vaccine.h"

/* Parsing --------------------------------------------------------------- */

/* Where a problem is: the file and the rule, for every message. */
struct pctx {
	const char		*file;
	char			 rule[96];	/* "rules[3] (MR 2期 dose 1)" */
	struct sesshu_err	*err;
};

static int bad(struct pctx *p, const char *member, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "file: rules[3] (MR 2期 dose 1): member: problem" */
static int
bad(struct pctx *p, const char *member, const char *fmt, ...)
{
	char problem[SESSHU_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	return sesshu_err_set(p->err, SESSHU_EFORMAT, "%s: %s%s%s%s%s",
	    p->file, p->rule, p->rule[0] != '\0' ? ": " : "",
	    member != NULL ? member : "", member != NULL ? ": " : "", problem);
}

/* Refuses members of obj that are not in names (NULL-terminated). */
static int
only_members(struct pctx *p, const char *path, const json_t *obj,
    const char *const *names)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		size_t i;

		for (i = 0; names[i] != NULL; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (names[i] == NULL)
			return bad(p, path, "unknown member \"%.40s\"", key);
	}
	return 0;
}

/* An optional integer member in [min, max]; *present says if it was there. */
static int
get_int(struct pctx *p, const json_t *obj, const char *path, const char *name,
    int min, int max, int *present, int *out)
{
	char where[64];
	json_t *v = json_object_get(obj, name);
	json_int_t x;

	snprintf(where, sizeof(where), "%s%s%s", path != NULL ? path : "",
	    path != NULL ? "." : "", name);
	*present = v != NULL;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v))
		return bad(p, where, "must be an integer from %d to %d", min,
		    max);
	x = json_integer_value(v);
	if (x < min || x > max)
		return bad(p, where, "%lld is not from %d to %d",
		    (long long)x, min, max);
	*out = (int)x;
	return 0;
}

static int
get_date(struct pctx *p, const json_t *obj, const char *path, const char *name,
    int *present, struct core_date *out)
{
	char where[64];
	struct sesshu_err derr = { 0 };
	json_t *v = json_object_get(obj, name);

	snprintf(where, sizeof(where), "%s%s%s", path != NULL ? path : "",
	    path != NULL ? "." : "", name);
	*present = v != NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return bad(p, where, "must be a date string YYYY-MM-DD");
	if (core_date_parse(json_string_value(v), json_string_length(v), out,
	    &derr) != 0)
		return bad(p, where, "%s", derr.msg);
	return 0;
}

static int
parse_age(struct pctx *p, const json_t *v, const char *path,
    struct core_schedule_age *out)
{
	static const char *const names[] = { "years", "months", "weeks",
	    "days", NULL };
	int years = 0, months = 0, weeks = 0, days = 0, have, any = 0, r;

	if (!json_is_object(v) || json_object_size(v) == 0)
		return bad(p, path,
		    "must be an object with years, months, weeks or days");
	if ((r = only_members(p, path, v, names)) != 0)
		return r;
	if ((r = get_int(p, v, path, "years", 0, 150, &have, &years)) != 0)
		return r;
	any |= have;
	if ((r = get_int(p, v, path, "months", 0, 1800, &have, &months)) != 0)
		return r;
	any |= have;
	if ((r = get_int(p, v, path, "weeks", 0, 7800, &have, &weeks)) != 0)
		return r;
	any |= have;
	if ((r = get_int(p, v, path, "days", 0, 54750, &have, &days)) != 0)
		return r;
	any |= have;
	if (!any)
		return bad(p, path,
		    "must be an object with years, months, weeks or days");
	out->months = years * 12 + months;
	out->days = weeks * 7 + days;
	if (out->months > 1800)
		return bad(p, path, "more than 150 years");
	return 0;
}

/*
 * Orders ages for the emptiness check: exact when both are in months or
 * both in days, and a month counted as 30.44 days when they mix.
 */
static long
age_centidays(const struct core_schedule_age *a)
{
	return (long)a->months * 3044 + (long)a->days * 100;
}

static int
parse_window(struct pctx *p, const json_t *v, struct core_schedule_window *w)
{
	static const char *const names[] = { "from", "until", "fiscal_years",
	    NULL };
	static const char *const fy_names[] = { "from_turning",
	    "through_turning", NULL };
	json_t *fy, *from, *until;
	int have, r;

	memset(w, 0, sizeof(*w));
	if (!json_is_object(v))
		return bad(p, "window", "must be an object");
	if ((r = only_members(p, "window", v, names)) != 0)
		return r;
	fy = json_object_get(v, "fiscal_years");
	from = json_object_get(v, "from");
	until = json_object_get(v, "until");
	if (fy != NULL) {
		if (from != NULL || until != NULL)
			return bad(p, "window", "fiscal_years cannot be "
			    "combined with from or until");
		w->kind = CORE_WINDOW_FISCAL_YEARS;
		if (!json_is_object(fy))
			return bad(p, "window.fiscal_years", "must be an "
			    "object with from_turning and through_turning");
		if ((r = only_members(p, "window.fiscal_years", fy,
		    fy_names)) != 0)
			return r;
		if ((r = get_int(p, fy, "window.fiscal_years", "from_turning",
		    0, 150, &have, &w->from_turning)) != 0)
			return r;
		if (!have)
			return bad(p, "window.fiscal_years.from_turning",
			    "missing");
		if ((r = get_int(p, fy, "window.fiscal_years",
		    "through_turning", 0, 150, &have,
		    &w->through_turning)) != 0)
			return r;
		if (!have)
			return bad(p, "window.fiscal_years.through_turning",
			    "missing");
		if (w->through_turning < w->from_turning)
			return bad(p, "window.fiscal_years", "empty window: "
			    "through_turning %d is before from_turning %d",
			    w->through_turning, w->from_turning);
		return 0;
	}
	w->kind = CORE_WINDOW_AGE;
	if (from == NULL)
		return bad(p, "window.from", "missing: a window has from "
		    "(and until) or fiscal_years");
	if ((r = parse_age(p, from, "window.from", &w->from)) != 0)
		return r;
	if (until != NULL) {
		if ((r = parse_age(p, until, "window.until", &w->until)) != 0)
			return r;
		w->has_until = 1;
		if (age_centidays(&w->until) <= age_centidays(&w->from))
			return bad(p, "window", "empty window: until is not "
			    "after from");
	}
	return 0;
}

static int
parse_catch_up(struct pctx *p, const json_t *v,
    struct core_schedule_rule *rule)
{
	static const char *const names[] = { "born_from", "born_through",
	    "from", "through", NULL };
	static const char *const req[] = { "born_from", "born_through",
	    "from", "through" };
	char path[48];
	size_t i;
	json_t *c;
	int have, r;

	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > CORE_SCHEDULE_CATCH_UP_MAX)
		return bad(p, "catch_up", "must be an array of 1 to %d objects",
		    CORE_SCHEDULE_CATCH_UP_MAX);
	json_array_foreach(v, i, c) {
		struct core_schedule_catch_up *cu = &rule->catch_up[i];
		struct core_date *dst[4] = { &cu->born_from, &cu->born_through,
		    &cu->from, &cu->through };

		snprintf(path, sizeof(path), "catch_up[%zu]", i);
		if (!json_is_object(c))
			return bad(p, path, "must be an object with born_from, "
			    "born_through, from and through");
		if ((r = only_members(p, path, c, names)) != 0)
			return r;
		for (size_t k = 0; k < 4; k++) {
			if ((r = get_date(p, c, path, req[k], &have,
			    dst[k])) != 0)
				return r;
			if (!have) {
				char where[64];

				snprintf(where, sizeof(where), "%s.%s", path,
				    req[k]);
				return bad(p, where, "missing");
			}
		}
		if (core_date_cmp(&cu->born_from, &cu->born_through) > 0)
			return bad(p, path, "born_through is before born_from");
		if (core_date_cmp(&cu->from, &cu->through) > 0)
			return bad(p, path, "empty window: through is before "
			    "from");
	}
	rule->ncatch_up = json_array_size(v);
	return 0;
}

static int
parse_interval(struct pctx *p, const json_t *v,
    struct core_schedule_rule *rule)
{
	static const char *const names[] = { "days", "months", "after_dose",
	    NULL };
	int have_days, have_months, have_after, r;

	if (!json_is_object(v))
		return bad(p, "interval", "must be an object with days or "
		    "months");
	if ((r = only_members(p, "interval", v, names)) != 0)
		return r;
	if ((r = get_int(p, v, "interval", "days", 1, 3650, &have_days,
	    &rule->interval_days)) != 0)
		return r;
	if ((r = get_int(p, v, "interval", "months", 1, 120, &have_months,
	    &rule->interval_months)) != 0)
		return r;
	if (have_days == have_months)
		return bad(p, "interval", "must have exactly one of days and "
		    "months");
	if (rule->dose == 1)
		return bad(p, "interval", "dose 1 has no earlier dose");
	if ((r = get_int(p, v, "interval", "after_dose", 1, rule->dose - 1,
	    &have_after, &rule->interval_after)) != 0)
		return r;
	if (!have_after)
		rule->interval_after = rule->dose - 1;
	return 0;
}

static int
parse_alternatives(struct pctx *p, const json_t *v,
    struct core_schedule_rule *rule)
{
	const struct core_vaccine *vac;
	char path[48];
	size_t i;
	json_t *a;

	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > CORE_SCHEDULE_ALT_MAX)
		return bad(p, "alternatives", "must be an array of 1 to %d "
		    "vaccine codes", CORE_SCHEDULE_ALT_MAX);
	json_array_foreach(v, i, a) {
		snprintf(path, sizeof(path), "alternatives[%zu]", i);
		if (!json_is_string(a))
			return bad(p, path, "must be a vaccine code");
		vac = core_vaccine_find(json_string_value(a),
		    json_string_length(a));
		if (vac == NULL)
			return bad(p, path, "unknown vaccine code \"%.20s\"",
			    json_string_value(a));
		if (vac->code == rule->vaccine_code)
			return bad(p, path, "names the rule's own vaccine");
		for (size_t k = 0; k < i; k++)
			if (rule->alternatives[k] == vac->code)
				return bad(p, path, "%s is named twice",
				    vac->code);
		rule->alternatives[i] = vac->code;
	}
	rule->nalternatives = json_array_size(v);
	return 0;
}

/* A stage is short printable text: "1期", "2期". */
static int
valid_stage(const char *s, size_t len)
{
	if (len == 0 || len >= CORE_SCHEDULE_STAGE_MAX)
		return 0;
	if (s[0] == ' ' || s[len - 1] == ' ')
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* Names the rule for messages from what can be read of it. */
static void
label_rule(struct pctx *p, size_t i, const json_t *obj)
{
	json_t *vac = json_object_get(obj, "vaccine");
	json_t *stage = json_object_get(obj, "stage");
	json_t *dose = json_object_get(obj, "dose");
	char v[24] = "", st[CORE_SCHEDULE_STAGE_MAX + 1] = "", d[24] = "";

	if (json_is_string(vac) && json_string_length(vac) < 20)
		snprintf(v, sizeof(v), "%s", json_string_value(vac));
	if (json_is_string(stage) &&
	    valid_stage(json_string_value(stage), json_string_length(stage)))
		snprintf(st, sizeof(st), " %s", json_string_value(stage));
	if (json_is_integer(dose) && json_integer_value(dose) >= 0 &&
	    json_integer_value(dose) < 1000)
		snprintf(d, sizeof(d), "%sdose %d", v[0] != '\0' ? " " : "",
		    (int)json_integer_value(dose));
	if (v[0] == '\0' && d[0] == '\0')
		snprintf(p->rule, sizeof(p->rule), "rules[%zu]", i);
	else
		snprintf(p->rule, sizeof(p->rule), "rules[%zu] (%s%s%s)", i,
		    v, v[0] != '\0' ? st : "", d);
}

static void
free_rule_strings(struct core_schedule_rule *r)
{
	free((char *)r->basis);
	free((char *)r->note);
	r->basis = NULL;
	r->note = NULL;
}

static int
dup_string(struct pctx *p, const char *s, const char **out)
{
	char *c = strdup(s);

	if (c == NULL)
		return sesshu_err_set(p->err, SESSHU_ENOMEM, "%s: %s: out of "
		    "memory", p->file, p->rule);
	*out = c;
	return 0;
}

static int
parse_rule(struct pctx *p, const json_t *obj, struct core_schedule_rule *rule)
{
	static const char *const names[] = { "vaccine", "stage", "dose",
	    "doses", "category", "window", "catch_up", "interval", "sex",
	    "seasonal", "alternatives", "effective_from", "effective_until",
	    "basis", "note", NULL };
	const struct core_vaccine *vac;
	json_t *v;
	int have, r;

	memset(rule, 0, sizeof(*rule));
	if (!json_is_object(obj))
		return bad(p, NULL, "must be an object");
	if ((r = only_members(p, NULL, obj, names)) != 0)
		return r;

	v = json_object_get(obj, "vaccine");
	if (v == NULL)
		return bad(p, "vaccine", "missing");
	if (!json_is_string(v))
		return bad(p, "vaccine", "must be a vaccine code");
	if ((vac = core_vaccine_find(json_string_value(v),
	    json_string_length(v))) == NULL)
		return bad(p, "vaccine", "unknown vaccine code \"%.20s\"",
		    json_string_value(v));
	rule->vaccine_code = vac->code;

	if ((v = json_object_get(obj, "stage")) != NULL) {
		if (!json_is_string(v) || !valid_stage(json_string_value(v),
		    json_string_length(v)))
			return bad(p, "stage", "must be a short text such as "
			    "\"2期\" (1 to %d bytes)",
			    CORE_SCHEDULE_STAGE_MAX - 1);
		memcpy(rule->stage, json_string_value(v),
		    json_string_length(v) + 1);
	}

	if ((r = get_int(p, obj, NULL, "dose", 1, CORE_SCHEDULE_DOSE_MAX,
	    &have, &rule->dose)) != 0)
		return r;
	if (!have)
		return bad(p, "dose", "missing");
	if ((r = get_int(p, obj, NULL, "doses", 1, CORE_SCHEDULE_DOSE_MAX,
	    &have, &rule->doses)) != 0)
		return r;
	if (!have)
		return bad(p, "doses", "missing");
	if (rule->dose > rule->doses)
		return bad(p, "dose", "%d is more than doses (%d)", rule->dose,
		    rule->doses);

	v = json_object_get(obj, "category");
	if (v == NULL)
		return bad(p, "category", "missing");
	if (!json_is_string(v) || json_string_length(v) != 1 ||
	    (json_string_value(v)[0] != 'A' && json_string_value(v)[0] != 'B'))
		return bad(p, "category", "must be \"A\" (定期A類) or \"B\" "
		    "(定期B類)");
	rule->category = json_string_value(v)[0];
	if (rule->category != vac->klass)
		return bad(p, "category", "%s is 定期%c類, not %c", vac->code,
		    vac->klass, rule->category);

	if ((v = json_object_get(obj, "window")) == NULL)
		return bad(p, "window", "missing");
	if ((r = parse_window(p, v, &rule->window)) != 0)
		return r;
	if ((v = json_object_get(obj, "catch_up")) != NULL &&
	    (r = parse_catch_up(p, v, rule)) != 0)
		return r;
	if ((v = json_object_get(obj, "interval")) != NULL &&
	    (r = parse_interval(p, v, rule)) != 0)
		return r;

	if ((v = json_object_get(obj, "sex")) != NULL) {
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), "female") == 0)
			rule->sex = CORE_SEX_FEMALE;
		else if (json_is_string(v) &&
		    strcmp(json_string_value(v), "male") == 0)
			rule->sex = CORE_SEX_MALE;
		else
			return bad(p, "sex", "must be \"female\" or \"male\"");
	}
	if ((v = json_object_get(obj, "seasonal")) != NULL) {
		if (!json_is_boolean(v))
			return bad(p, "seasonal", "must be true or false");
		rule->seasonal = json_is_true(v);
		if (rule->seasonal && rule->doses != 1)
			return bad(p, "seasonal", "a seasonal rule has one "
			    "dose (doses: 1)");
	}
	if ((v = json_object_get(obj, "alternatives")) != NULL &&
	    (r = parse_alternatives(p, v, rule)) != 0)
		return r;

	if ((r = get_date(p, obj, NULL, "effective_from", &have,
	    &rule->effective_from)) != 0)
		return r;
	rule->has_effective_from = have;
	if ((r = get_date(p, obj, NULL, "effective_until", &have,
	    &rule->effective_until)) != 0)
		return r;
	rule->has_effective_until = have;
	if (rule->has_effective_from && rule->has_effective_until &&
	    core_date_cmp(&rule->effective_from, &rule->effective_until) > 0)
		return bad(p, "effective_until", "is before effective_from");

	v = json_object_get(obj, "basis");
	if (v == NULL)
		return bad(p, "basis", "missing: every rule names its legal "
		    "basis");
	if (!json_is_string(v) || json_string_length(v) == 0)
		return bad(p, "basis", "must be a non-empty text naming the "
		    "legal basis");
	v = json_object_get(obj, "note");
	if (v != NULL && !json_is_string(v))
		return bad(p, "note", "must be a text");

	/* Strings last, so that a refusal above leaves nothing to free. */
	if ((r = dup_string(p, json_string_value(json_object_get(obj, "basis")),
	    &rule->basis)) != 0)
		return r;
	if ((r = dup_string(p, v != NULL ? json_string_value(v) : "",
	    &rule->note)) != 0) {
		free_rule_strings(rule);
		return r;
	}
	return 0;
}

static void
free_rules(struct core_schedule_rule *rules, size_t n)
{
	if (rules == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free_rule_strings(&rules[i]);
	free(rules);
}

static const char *
label_series(const struct core_schedule_rule *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", r->vaccine_code,
	    r->stage[0] != '\0' ? " " : "", r->stage);
	return buf;
}

/*
 * Parses a whole text into a new array of rules (caller frees with
 * free_rules). Refuses two rules with the same key within the text.
 */
static int
parse_text(const char *json, size_t len, const char *filename,
    struct core_schedule_rule **out, size_t *nout, struct sesshu_err *err)
{
	static const char *const names[] = { "version", "note", "rules", NULL };
	struct pctx p = { filename != NULL ? filename : "schedule", "", err };
	struct core_schedule_rule *rules = NULL;
	json_error_t jerr;
	json_t *root, *list, *item;
	size_t n = 0, i;
	int version, have, r;

	*out = NULL;
	*nout = 0;
	if (json == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "%s: no text",
		    p.file);
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			return sesshu_err_set(err, SESSHU_ENOMEM, "%s: out of "
			    "memory", p.file);
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s:%d:%d: %s",
		    p.file, jerr.line, jerr.column, jerr.text);
	}
	if (!json_is_object(root)) {
		r = bad(&p, NULL, "must be a JSON object with version and "
		    "rules");
		goto out;
	}
	if ((r = only_members(&p, NULL, root, names)) != 0)
		goto out;
	if ((r = get_int(&p, root, NULL, "version", 1, 1000000, &have,
	    &version)) != 0)
		goto out;
	if (!have) {
		r = bad(&p, "version", "missing");
		goto out;
	}
	if (version != CORE_SCHEDULE_VERSION) {
		r = sesshu_err_set(err, SESSHU_EVERSION, "%s: version: %d is "
		    "newer than this program reads (%d)", p.file, version,
		    CORE_SCHEDULE_VERSION);
		goto out;
	}
	if ((item = json_object_get(root, "note")) != NULL &&
	    !json_is_string(item)) {
		r = bad(&p, "note", "must be a text");
		goto out;
	}
	list = json_object_get(root, "rules");
	if (list == NULL || !json_is_array(list) ||
	    json_array_size(list) == 0) {
		r = bad(&p, "rules", "must be a non-empty array of rules");
		goto out;
	}
	if ((rules = calloc(json_array_size(list), sizeof(*rules))) == NULL) {
		r = sesshu_err_set(err, SESSHU_ENOMEM, "%s: out of memory",
		    p.file);
		goto out;
	}
	json_array_foreach(list, i, item) {
		label_rule(&p, i, item);
		if ((r = parse_rule(&p, item, &rules[i])) != 0)
			goto out;
		n = i + 1;
		for (size_t k = 0; k < i; k++)
			if (rules[k].dose == rules[i].dose &&
			    sched_same_series(&rules[k], rules[i].vaccine_code,
			    rules[i].stage)) {
				r = bad(&p, NULL, "same vaccine, stage and "
				    "dose as rules[%zu]", k);
				goto out;
			}
	}
	*out = rules;
	*nout = n;
	rules = NULL;
	r = 0;
out:
	free_rules(rules, n);
	json_decref(root);
	return r;
}

/*
 * Every series (vaccine and stage) has one rule per dose 1..doses, and all
 * its rules agree on doses.
 */
static int
check_series(const struct core_schedule_rule *rules, size_t n,
    const char *file, struct sesshu_err *err)
{
	char name[48];

	for (size_t i = 0; i < n; i++) {
		const struct core_schedule_rule *a = &rules[i];
		int seen[CORE_SCHEDULE_DOSE_MAX + 1] = { 0 };

		for (size_t k = 0; k < n; k++) {
			const struct core_schedule_rule *b = &rules[k];

			if (!sched_same_series(b, a->vaccine_code, a->stage))
				continue;
			if (b->doses != a->doses)
				return sesshu_err_set(err, SESSHU_EFORMAT,
				    "%s: %s: doses: the rules disagree (%d for "
				    "dose %d, %d for dose %d)", file,
				    label_series(a, name, sizeof(name)),
				    a->doses, a->dose, b->doses, b->dose);
			seen[b->dose]++;
		}
		for (int d = 1; d <= a->doses; d++)
			if (seen[d] == 0)
				return sesshu_err_set(err, SESSHU_EFORMAT,
				    "%s: %s: dose %d of %d has no rule", file,
				    label_series(a, name, sizeof(name)), d,
				    a->doses);
	}
	return 0;
}

int
core_schedule_parse(const char *json, size_t len, const char *filename,
    struct core_schedule **out, struct sesshu_err *err)
{
	struct core_schedule *s;
	struct core_schedule_rule *rules;
	size_t n;
	int r;

	if (out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "schedule: no result");
	*out = NULL;
	if ((r = parse_text(json, len, filename, &rules, &n, err)) != 0)
		return r;
	if ((r = check_series(rules, n, filename != NULL ? filename :
	    "schedule", err)) != 0) {
		free_rules(rules, n);
		return r;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		free_rules(rules, n);
		return sesshu_err_set(err, SESSHU_ENOMEM, "schedule: out of "
		    "memory");
	}
	s->rules = rules;
	s->n = n;
	*out = s;
	return 0;
}

int
core_schedule_override(struct core_schedule *s, const char *json, size_t len,
    const char *filename, struct sesshu_err *err)
{
	struct core_schedule_rule *over, *merged;
	size_t nover, n, i, k;
	unsigned char *replaced;	/* base rules replaced, by index */
	int r;

	if (s == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "schedule: none to "
		    "override");
	if ((r = parse_text(json, len, filename, &over, &nover, err)) != 0)
		return r;
	merged = calloc(s->n + nover, sizeof(*merged));
	replaced = calloc(s->n + 1, 1);
	if (merged == NULL || replaced == NULL) {
		free(merged);
		free(replaced);
		free_rules(over, nover);
		return sesshu_err_set(err, SESSHU_ENOMEM, "schedule: out of "
		    "memory");
	}
	/* Shallow copies: strings stay owned by s->rules and over. */
	memcpy(merged, s->rules, s->n * sizeof(*merged));
	n = s->n;
	for (i = 0; i < nover; i++) {
		for (k = 0; k < s->n; k++)
			if (merged[k].dose == over[i].dose &&
			    sched_same_series(&merged[k], over[i].vaccine_code,
			    over[i].stage))
				break;
		if (k < s->n) {
			merged[k] = over[i];
			replaced[k] = 1;
		} else
			merged[n++] = over[i];
	}
	if ((r = check_series(merged, n, filename != NULL ? filename :
	    "schedule", err)) != 0) {
		free(merged);
		free(replaced);
		free_rules(over, nover);
		return r;
	}
	/* Commit: the replaced rules' strings go, the others move over. */
	for (k = 0; k < s->n; k++)
		if (replaced[k])
			free_rule_strings(&s->rules[k]);
	free(s->rules);
	free(over);
	free(replaced);
	s->rules = merged;
	s->n = n;
	return 0;
}

void
core_schedule_free(struct core_schedule *s)
{
	if (s == NULL)
		return;
	free_rules(s->rules, s->n);
	free(s);
}
