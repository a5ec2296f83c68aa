/*
 * schedule_due.c: the doses due, overdue and upcoming for a person
 * (core_schedule_due), from the schedule's windows and the history; see
 * schedule.h.
 */
#include "core/schedule.h"
#include "core/schedule_int.h"

#include <string.h>

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
		return sched_add_days(prev, r->interval_days + 1L, out) == 0 ?
		    1 : SESSHU_ERANGE;
	if (r->interval_months > 0)
		return sched_add_months(prev, r->interval_months, out) == 0 ?
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

	if (sched_raw_window(r, birth, &out[n].from, &out[n].last, &out[n].open) &&
	    sched_clip_effective(r, &out[n].from, &out[n].last, &out[n].open))
		n++;
	for (size_t i = 0; i < r->ncatch_up; i++) {
		const struct core_schedule_catch_up *c = &r->catch_up[i];

		if (!sched_date_in(birth, &c->born_from, &c->born_through))
			continue;
		out[n].from = c->from;
		out[n].last = c->through;
		out[n].open = 0;
		if (sched_clip_effective(r, &out[n].from, &out[n].last, &out[n].open))
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
	struct core_date fy_first = sched_fiscal_year_first(fy);
	struct core_date fy_last = sched_fiscal_year_last(fy);

	for (size_t i = 0; i < nh; i++)
		if (is_dose(&history[i]) &&
		    strcmp(history[i].vaccine_code, r->vaccine_code) == 0 &&
		    core_fiscal_year(&history[i].on) == fy)
			return;
	if (!sched_raw_window(r, birth, &w.from, &w.last, &w.open) ||
	    !sched_clip_effective(r, &w.from, &w.last, &w.open))
		return;
	if (sched_date_in(today, &w.from, &w.last)) {
		w.from = sched_date_max(w.from, fy_first);
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
			w[i].from = sched_date_max(w[i].from, earliest);
	for (size_t i = 0; i < nw; i++) {
		int lost = core_date_cmp(&w[i].from, &w[i].last) > 0;

		if (!lost && sched_date_in(today, &w[i].from, &w[i].last)) {
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
	if (sched_add_months(today, 6, &horizon) != 0)
		horizon = sched_last_day;
	if (sched_add_months(today, -24, &memory) != 0)
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
