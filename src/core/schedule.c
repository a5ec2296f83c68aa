/* schedule.c: the routine schedule rules and their windows; see schedule.h. */
#include "core/schedule.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vaccine.h"

/* Marks a message id for xgettext (keyword N_); translated at display. */
#define N_(s)	(s)

struct core_schedule {
	struct core_schedule_rule	*rules;
	size_t				 n;
};

static const struct core_date last_day = { CORE_DATE_YEAR_MAX, 12, 31 };

/* Dates ---------------------------------------------------------------- */

static struct core_date
date_max(struct core_date a, struct core_date b)
{
	return core_date_cmp(&a, &b) >= 0 ? a : b;
}

static int
date_in(const struct core_date *d, const struct core_date *from,
    const struct core_date *last)
{
	return core_date_cmp(d, from) >= 0 && core_date_cmp(d, last) <= 0;
}

/*
 * d plus n months by the ordinary rule of date.h: the same day of the
 * month, or the first of the next month when that day does not exist, so
 * that age_months(birth, x) >= n exactly when x >= add_months(birth, n).
 * -1 when the result leaves the years 1..9999.
 */
static int
add_months(const struct core_date *d, long n, struct core_date *out)
{
	long idx = (long)d->y * 12 + (d->m - 1) + n;
	struct core_date r;

	if (idx < 12L * CORE_DATE_YEAR_MIN ||
	    idx > 12L * CORE_DATE_YEAR_MAX + 11)
		return -1;
	r.y = (int)(idx / 12);
	r.m = (int)(idx % 12) + 1;
	r.d = d->d;
	if (r.d > core_date_days_in_month(r.y, r.m)) {
		r.d = 1;
		if (++r.m > 12) {
			r.m = 1;
			if (++r.y > CORE_DATE_YEAR_MAX)
				return -1;
		}
	}
	*out = r;
	return 0;
}

static int
add_days(const struct core_date *d, long n, struct core_date *out)
{
	return core_date_add_days(d, n, out, NULL) == 0 ? 0 : -1;
}

/* The day a person born on birth reaches age a (ordinary rule). */
static int
age_reached(const struct core_date *birth, const struct core_schedule_age *a,
    struct core_date *out)
{
	struct core_date m;

	if (add_months(birth, a->months, &m) != 0)
		return -1;
	return add_days(&m, a->days, out);
}

/*
 * The day on which the legal age n is reached (年齢計算ニ関スル法律): the
 * day before the ordinary birthday, so 31 March for a child born 1 April.
 */
static int
legal_age_reached(const struct core_date *birth, int n, struct core_date *out)
{
	struct core_date b;

	if (n == 0) {
		*out = *birth;
		return 0;
	}
	if (add_months(birth, 12L * n, &b) != 0)
		return -1;
	return add_days(&b, -1, out);
}

int
core_fiscal_year(const struct core_date *d)
{
	return d->m >= 4 ? d->y : d->y - 1;
}

static struct core_date
fiscal_year_first(int fy)
{
	return (struct core_date){ fy, 4, 1 };
}

static struct core_date
fiscal_year_last(int fy)
{
	return (struct core_date){ fy + 1, 3, 31 };
}

/*
 * The window before effective-day clipping: 1 and [*from, *last] (last is
 * 9999-12-31 when *open), or 0 when the window starts past year 9999.
 */
static int
raw_window(const struct core_schedule_rule *r, const struct core_date *birth,
    struct core_date *from, struct core_date *last, int *open)
{
	const struct core_schedule_window *w = &r->window;
	struct core_date reach, until;

	*open = 0;
	*last = last_day;
	if (w->kind == CORE_WINDOW_FISCAL_YEARS) {
		if (legal_age_reached(birth, w->from_turning, &reach) != 0 ||
		    core_fiscal_year(&reach) >= CORE_DATE_YEAR_MAX)
			return 0;
		*from = fiscal_year_first(core_fiscal_year(&reach));
		if (legal_age_reached(birth, w->through_turning, &reach) != 0 ||
		    core_fiscal_year(&reach) >= CORE_DATE_YEAR_MAX)
			*open = 1;
		else
			*last = fiscal_year_last(core_fiscal_year(&reach));
		return 1;
	}
	if (age_reached(birth, &w->from, from) != 0)
		return 0;
	if (!w->has_until || age_reached(birth, &w->until, &until) != 0 ||
	    add_days(&until, -1, last) != 0) {
		*open = 1;
		*last = last_day;
	}
	return 1;
}

/* Clips [*from, *last] to the rule's effective days; 1 when not empty. */
static int
clip_effective(const struct core_schedule_rule *r, struct core_date *from,
    struct core_date *last, int *open)
{
	if (r->has_effective_from)
		*from = date_max(*from, r->effective_from);
	if (r->has_effective_until &&
	    (*open || core_date_cmp(last, &r->effective_until) > 0)) {
		*last = r->effective_until;
		*open = 0;
	}
	return core_date_cmp(from, last) <= 0;
}

int
core_schedule_window(const struct core_schedule_rule *r,
    const struct core_date *birth, struct core_date *from,
    struct core_date *last, int *open_ended)
{
	if (r == NULL || birth == NULL || from == NULL || last == NULL ||
	    open_ended == NULL || !core_date_is_valid(birth))
		return SESSHU_EINVAL;
	if (!raw_window(r, birth, from, last, open_ended))
		return 0;
	return clip_effective(r, from, last, open_ended);
}

int
core_schedule_in_window(const struct core_schedule_rule *r,
    const struct core_date *birth, int sex, const struct core_date *on,
    const char **reason)
{
	const char *dummy;
	struct core_date from, last;
	int open;

	if (reason == NULL)
		reason = &dummy;
	*reason = N_("invalid date");
	if (r == NULL || birth == NULL || on == NULL ||
	    !core_date_is_valid(birth) || !core_date_is_valid(on))
		return SESSHU_EINVAL;
	if (core_date_cmp(on, birth) < 0) {
		*reason = N_("before the date of birth");
		return 0;
	}
	if (r->sex != CORE_SEX_ANY && sex != r->sex) {
		*reason = N_("not eligible for this sex");
		return 0;
	}
	if (r->has_effective_from &&
	    core_date_cmp(on, &r->effective_from) < 0) {
		*reason = N_("before this rule took effect");
		return 0;
	}
	if (r->has_effective_until &&
	    core_date_cmp(on, &r->effective_until) > 0) {
		*reason = N_("after this rule ended");
		return 0;
	}
	if (raw_window(r, birth, &from, &last, &open) &&
	    date_in(on, &from, &last)) {
		*reason = N_("inside the eligible window");
		return 1;
	}
	for (size_t i = 0; i < r->ncatch_up; i++) {
		const struct core_schedule_catch_up *c = &r->catch_up[i];

		if (date_in(birth, &c->born_from, &c->born_through) &&
		    date_in(on, &c->from, &c->through)) {
			*reason = N_("inside a catch-up window");
			return 1;
		}
	}
	/* Outside every window: say on which side of the main one. */
	if (!raw_window(r, birth, &from, &last, &open) ||
	    core_date_cmp(on, &from) < 0)
		*reason = r->window.kind == CORE_WINDOW_AGE ?
		    N_("before the eligible age") :
		    N_("before the eligible fiscal years");
	else
		*reason = r->window.kind == CORE_WINDOW_AGE ?
		    N_("past the eligible age") :
		    N_("after the eligible fiscal years");
	return 0;
}

/* Lookup ---------------------------------------------------------------- */

static const char *
stage_or_empty(const char *stage)
{
	return stage == NULL ? "" : stage;
}

static int
same_series(const struct core_schedule_rule *a, const char *vaccine,
    const char *stage)
{
	return strcmp(a->vaccine_code, vaccine) == 0 &&
	    strcmp(a->stage, stage_or_empty(stage)) == 0;
}

size_t
core_schedule_count(const struct core_schedule *s)
{
	return s == NULL ? 0 : s->n;
}

const struct core_schedule_rule *
core_schedule_at(const struct core_schedule *s, size_t i)
{
	return s != NULL && i < s->n ? &s->rules[i] : NULL;
}

void
core_schedule_canonical(const struct core_schedule *s, const char *vaccine,
    int dose, const char *stage, char *stage_out, size_t size, int *dose_out)
{
	const char *seen[CORE_SCHEDULE_DOSE_MAX + 1];
	size_t nseen = 0;
	int left = dose;

	*dose_out = dose;
	snprintf(stage_out, size, "%s", stage_or_empty(stage));
	if (s == NULL || vaccine == NULL || stage_out[0] != '\0' || dose < 1)
		return;
	/* Through the vaccine's stages, in the order the schedule lists them. */
	for (size_t i = 0; i < s->n; i++) {
		const struct core_schedule_rule *r = &s->rules[i];
		size_t k;

		if (strcmp(r->vaccine_code, vaccine) != 0 || r->stage[0] == '\0')
			continue;
		for (k = 0; k < nseen && strcmp(seen[k], r->stage) != 0; k++)
			;
		if (k < nseen || nseen == CORE_SCHEDULE_DOSE_MAX)
			continue;
		seen[nseen++] = r->stage;
		if (left <= r->doses) {
			snprintf(stage_out, size, "%s", r->stage);
			*dose_out = left;
			return;
		}
		left -= r->doses;
	}
}

const struct core_schedule_rule *
core_schedule_find(const struct core_schedule *s, const char *vaccine_code,
    int dose, const char *stage)
{
	if (s == NULL || vaccine_code == NULL)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (s->rules[i].dose == dose &&
		    same_series(&s->rules[i], vaccine_code, stage))
			return &s->rules[i];
	return NULL;
}

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
			    same_series(&rules[k], rules[i].vaccine_code,
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

			if (!same_series(b, a->vaccine_code, a->stage))
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
			    same_series(&merged[k], over[i].vaccine_code,
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

/* The due list ------------------------------------------------------------ */

static int
is_dose(const struct core_dose *h)
{
	return h->vaccine_code != NULL && !h->screening_only &&
	    core_date_is_valid(&h->on);
}

/*
 * The latest dose given of this series and dose number, or NULL; the
 * history's doses are placed in their series (core_schedule_canonical).
 */
static const struct core_dose *
given(const struct core_schedule *s, const struct core_dose *history,
    size_t n, const char *vaccine, const char *stage, int dose)
{
	const struct core_dose *best = NULL;
	char hs[CORE_SCHEDULE_STAGE_MAX];
	int hd;

	for (size_t i = 0; i < n; i++) {
		const struct core_dose *h = &history[i];

		if (!is_dose(h) || strcmp(h->vaccine_code, vaccine) != 0)
			continue;
		core_schedule_canonical(s, h->vaccine_code, h->dose, h->stage, hs,
		    sizeof(hs), &hd);
		if (hd == dose && strcmp(hs, stage) == 0 &&
		    (best == NULL || core_date_cmp(&h->on, &best->on) > 0))
			best = h;
	}
	return best;
}

static int
started(const struct core_dose *history, size_t n, const char *vaccine)
{
	for (size_t i = 0; i < n; i++)
		if (is_dose(&history[i]) &&
		    strcmp(history[i].vaccine_code, vaccine) == 0)
			return 1;
	return 0;
}

/* A vaccine is blocked when the person has a dose of an alternative. */
static int
vaccine_blocked(const struct core_schedule *s, const char *vaccine,
    const struct core_dose *history, size_t n)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct core_schedule_rule *r = &s->rules[i];

		if (strcmp(r->vaccine_code, vaccine) != 0)
			continue;
		for (size_t k = 0; k < r->nalternatives; k++)
			if (started(history, n, r->alternatives[k]))
				return 1;
	}
	return 0;
}

static size_t
first_rule_of(const struct core_schedule *s, const char *vaccine)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->rules[i].vaccine_code, vaccine) == 0)
			return i;
	return s->n;
}

/*
 * Whether the series of r stands aside for an alternative: the person has
 * one of its alternatives, or has neither and an unblocked alternative
 * comes first in the schedule.
 */
static int
stands_aside(const struct core_schedule *s, const struct core_schedule_rule *r,
    const struct core_dose *history, size_t n)
{
	size_t mine;

	for (size_t k = 0; k < r->nalternatives; k++)
		if (started(history, n, r->alternatives[k]))
			return 1;
	if (started(history, n, r->vaccine_code))
		return 0;
	mine = first_rule_of(s, r->vaccine_code);
	for (size_t k = 0; k < r->nalternatives; k++)
		if (first_rule_of(s, r->alternatives[k]) < mine &&
		    !vaccine_blocked(s, r->alternatives[k], history, n))
			return 1;
	return 0;
}

int
core_schedule_earliest(const struct core_schedule_rule *r,
    const struct core_date *prev, struct core_date *out)
{
	if (r == NULL || prev == NULL || out == NULL ||
	    !core_date_is_valid(prev))
		return SESSHU_EINVAL;
	if (r->interval_days > 0)
		/* N whole days between (中N日): 27 days after 4/1 is 4/29. */
		return add_days(prev, r->interval_days + 1L, out) == 0 ?
		    1 : SESSHU_ERANGE;
	if (r->interval_months > 0)
		return add_months(prev, r->interval_months, out) == 0 ?
		    1 : SESSHU_ERANGE;
	return 0;
}

struct span {
	struct core_date	from, last;
	int			open;
};

/* The main window and the catch-ups that apply, clipped; returns how many. */
static size_t
windows_of(const struct core_schedule_rule *r, const struct core_date *birth,
    struct span *out)
{
	size_t n = 0;

	if (raw_window(r, birth, &out[n].from, &out[n].last, &out[n].open) &&
	    clip_effective(r, &out[n].from, &out[n].last, &out[n].open))
		n++;
	for (size_t i = 0; i < r->ncatch_up; i++) {
		const struct core_schedule_catch_up *c = &r->catch_up[i];

		if (!date_in(birth, &c->born_from, &c->born_through))
			continue;
		out[n].from = c->from;
		out[n].last = c->through;
		out[n].open = 0;
		if (clip_effective(r, &out[n].from, &out[n].last, &out[n].open))
			n++;
	}
	return n;
}

static void
put_due(struct core_due *out, size_t max, size_t *n,
    const struct core_schedule_rule *r, const struct span *w,
    enum core_due_status status)
{
	if (*n < max) {
		struct core_due *d = &out[*n];

		d->rule = r;
		d->vaccine_code = r->vaccine_code;
		d->dose = r->dose;
		d->stage = r->stage[0] != '\0' ? r->stage : NULL;
		d->from = w->from;
		d->until = w->last;
		d->open_ended = w->open;
		d->status = status;
	}
	(*n)++;
}

static void
due_seasonal(const struct core_schedule_rule *r, const struct core_date *birth,
    const struct core_dose *history, size_t nh, const struct core_date *today,
    const struct core_date *horizon, struct core_due *out, size_t max,
    size_t *n)
{
	struct span w;
	int fy = core_fiscal_year(today);
	struct core_date fy_first = fiscal_year_first(fy);
	struct core_date fy_last = fiscal_year_last(fy);

	for (size_t i = 0; i < nh; i++)
		if (is_dose(&history[i]) &&
		    strcmp(history[i].vaccine_code, r->vaccine_code) == 0 &&
		    core_fiscal_year(&history[i].on) == fy)
			return;
	if (!raw_window(r, birth, &w.from, &w.last, &w.open) ||
	    !clip_effective(r, &w.from, &w.last, &w.open))
		return;
	if (date_in(today, &w.from, &w.last)) {
		w.from = date_max(w.from, fy_first);
		if (w.open || core_date_cmp(&w.last, &fy_last) > 0)
			w.last = fy_last;
		w.open = 0;
		put_due(out, max, n, r, &w, CORE_DUE_DUE);
	} else if (core_date_cmp(&w.from, today) > 0 &&
	    core_date_cmp(&w.from, horizon) <= 0)
		put_due(out, max, n, r, &w, CORE_DUE_UPCOMING);
}

static void
due_rule(const struct core_schedule *s, const struct core_schedule_rule *r,
    const struct core_date *birth,
    const struct core_dose *history, size_t nh, const struct core_date *today,
    const struct core_date *horizon, const struct core_date *memory,
    struct core_due *out, size_t max, size_t *n)
{
	struct span w[1 + CORE_SCHEDULE_CATCH_UP_MAX];
	const struct core_dose *prev;
	struct core_date earliest;
	const struct span *up = NULL, *closed = NULL;
	size_t nw;

	if (given(s, history, nh, r->vaccine_code, r->stage, r->dose) != NULL)
		return;
	if (r->dose > 1 &&
	    given(s, history, nh, r->vaccine_code, r->stage, r->dose - 1) == NULL)
		return;
	nw = windows_of(r, birth, w);
	if (r->interval_after > 0 &&
	    (prev = given(s, history, nh, r->vaccine_code, r->stage,
	    r->interval_after)) != NULL &&
	    core_schedule_earliest(r, &prev->on, &earliest) == 1)
		for (size_t i = 0; i < nw; i++)
			w[i].from = date_max(w[i].from, earliest);
	for (size_t i = 0; i < nw; i++) {
		int lost = core_date_cmp(&w[i].from, &w[i].last) > 0;

		if (!lost && date_in(today, &w[i].from, &w[i].last)) {
			put_due(out, max, n, r, &w[i], CORE_DUE_DUE);
			return;
		}
		if (!lost && core_date_cmp(&w[i].from, today) > 0) {
			if (up == NULL ||
			    core_date_cmp(&w[i].from, &up->from) < 0)
				up = &w[i];
		} else if (closed == NULL ||
		    core_date_cmp(&w[i].last, &closed->last) > 0)
			closed = &w[i];
	}
	if (up != NULL) {
		if (core_date_cmp(&up->from, horizon) <= 0)
			put_due(out, max, n, r, up, CORE_DUE_UPCOMING);
		return;
	}
	/* Closed, or lost to the interval: missed while recent. */
	if (closed != NULL && core_date_cmp(&closed->last, memory) >= 0)
		put_due(out, max, n, r, closed, CORE_DUE_OVERDUE);
}

int
core_schedule_due(const struct core_schedule *s, const struct core_date *birth,
    int sex, const struct core_dose *history, size_t nhistory,
    const struct core_date *today, struct core_due *out, size_t max,
    size_t *n, struct sesshu_err *err)
{
	struct core_date horizon, memory;

	if (s == NULL || birth == NULL || today == NULL || n == NULL ||
	    (history == NULL && nhistory > 0) || (out == NULL && max > 0))
		return sesshu_err_set(err, SESSHU_EINVAL, "due list: missing "
		    "argument");
	*n = 0;
	if (!core_date_is_valid(birth) || !core_date_is_valid(today))
		return sesshu_err_set(err, SESSHU_EINVAL, "due list: invalid "
		    "date");
	if (core_date_cmp(today, birth) < 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "due list: today is "
		    "before the date of birth");
	/* UPCOMING looks 6 months ahead; OVERDUE remembers 2 years. */
	if (add_months(today, 6, &horizon) != 0)
		horizon = last_day;
	if (add_months(today, -24, &memory) != 0)
		memory = (struct core_date){ CORE_DATE_YEAR_MIN, 1, 1 };
	for (size_t i = 0; i < s->n; i++) {
		const struct core_schedule_rule *r = &s->rules[i];

		if (r->sex != CORE_SEX_ANY && sex != r->sex)
			continue;
		if (stands_aside(s, r, history, nhistory))
			continue;
		if (r->seasonal)
			due_seasonal(r, birth, history, nhistory, today,
			    &horizon, out, max, n);
		else
			due_rule(s, r, birth, history, nhistory, today, &horizon,
			    &memory, out, max, n);
	}
	return 0;
}
