/*
 * schedule.c: the routine schedule's rules, their windows and the lookups;
 * see schedule.h. The parser is in schedule_parse.c, the due list in
 * schedule_due.c; what the three share is in schedule_int.h.
 */
#include "core/schedule.h"
#include "core/schedule_int.h"

#include <stdio.h>
#include <string.h>

/* Marks a message id for xgettext (keyword N_); translated at display. */
#define N_(s)	(s)

const struct core_date sched_last_day = { CORE_DATE_YEAR_MAX, 12, 31 };

/* Dates ---------------------------------------------------------------- */

struct core_date
sched_date_max(struct core_date a, struct core_date b)
{
	return core_date_cmp(&a, &b) >= 0 ? a : b;
}

int
sched_date_in(const struct core_date *d, const struct core_date *from,
    const struct core_date *last)
{
	return core_date_cmp(d, from) >= 0 && core_date_cmp(d, last) <= 0;
}

/*
 * d plus n months by the ordinary rule of date.h: the same day of the
 * month, or the first of the next month when that day does not exist, so
 * that age_months(birth, x) >= n exactly when x >= sched_add_months(birth, n).
 * -1 when the result leaves the years 1..9999.
 */
int
sched_add_months(const struct core_date *d, long n, struct core_date *out)
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

int
sched_add_days(const struct core_date *d, long n, struct core_date *out)
{
	return core_date_add_days(d, n, out, NULL) == 0 ? 0 : -1;
}

/* The day a person born on birth reaches age a (ordinary rule). */
static int
age_reached(const struct core_date *birth, const struct core_schedule_age *a,
    struct core_date *out)
{
	struct core_date m;

	if (sched_add_months(birth, a->months, &m) != 0)
		return -1;
	return sched_add_days(&m, a->days, out);
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
	if (sched_add_months(birth, 12L * n, &b) != 0)
		return -1;
	return sched_add_days(&b, -1, out);
}

int
core_fiscal_year(const struct core_date *d)
{
	return d->m >= 4 ? d->y : d->y - 1;
}

struct core_date
sched_fiscal_year_first(int fy)
{
	return (struct core_date){ fy, 4, 1 };
}

struct core_date
sched_fiscal_year_last(int fy)
{
	return (struct core_date){ fy + 1, 3, 31 };
}

/*
 * The window before effective-day clipping: 1 and [*from, *last] (last is
 * 9999-12-31 when *open), or 0 when the window starts past year 9999.
 */
int
sched_raw_window(const struct core_schedule_rule *r,
    const struct core_date *birth, struct core_date *from,
    struct core_date *last, int *open)
{
	const struct core_schedule_window *w = &r->window;
	struct core_date reach, until;

	*open = 0;
	*last = sched_last_day;
	if (w->kind == CORE_WINDOW_FISCAL_YEARS) {
		if (legal_age_reached(birth, w->from_turning, &reach) != 0 ||
		    core_fiscal_year(&reach) >= CORE_DATE_YEAR_MAX)
			return 0;
		*from = sched_fiscal_year_first(core_fiscal_year(&reach));
		if (legal_age_reached(birth, w->through_turning, &reach) != 0 ||
		    core_fiscal_year(&reach) >= CORE_DATE_YEAR_MAX)
			*open = 1;
		else
			*last = sched_fiscal_year_last(core_fiscal_year(&reach));
		return 1;
	}
	if (age_reached(birth, &w->from, from) != 0)
		return 0;
	if (!w->has_until || age_reached(birth, &w->until, &until) != 0 ||
	    sched_add_days(&until, -1, last) != 0) {
		*open = 1;
		*last = sched_last_day;
	}
	return 1;
}

/* Clips [*from, *last] to the rule's effective days; 1 when not empty. */
int
sched_clip_effective(const struct core_schedule_rule *r,
    struct core_date *from, struct core_date *last, int *open)
{
	if (r->has_effective_from)
		*from = sched_date_max(*from, r->effective_from);
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
	if (!sched_raw_window(r, birth, from, last, open_ended))
		return 0;
	return sched_clip_effective(r, from, last, open_ended);
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
	if (sched_raw_window(r, birth, &from, &last, &open) &&
	    sched_date_in(on, &from, &last)) {
		*reason = N_("inside the eligible window");
		return 1;
	}
	for (size_t i = 0; i < r->ncatch_up; i++) {
		const struct core_schedule_catch_up *c = &r->catch_up[i];

		if (sched_date_in(birth, &c->born_from, &c->born_through) &&
		    sched_date_in(on, &c->from, &c->through)) {
			*reason = N_("inside a catch-up window");
			return 1;
		}
	}
	/* Outside every window: say on which side of the main one. */
	if (!sched_raw_window(r, birth, &from, &last, &open) ||
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

int
sched_same_series(const struct core_schedule_rule *a, const char *vaccine,
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
		    sched_same_series(&s->rules[i], vaccine_code, stage))
			return &s->rules[i];
	return NULL;
}
