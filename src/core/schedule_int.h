/*
 * schedule_int.h: what the three files of the schedule share (schedule.c,
 * schedule_parse.c, schedule_due.c): the schedule's layout and the date
 * and window helpers. Internal to src/core; callers use schedule.h.
 * No I/O.
 */
#ifndef SESSHU_CORE_SCHEDULE_INT_H
#define SESSHU_CORE_SCHEDULE_INT_H

#include <stddef.h>

#include "core/date.h"
#include "core/schedule.h"

struct core_schedule {
	struct core_schedule_rule	*rules;
	size_t				 n;
};

/* 9999-12-31: the last day of an open-ended window. */
extern const struct core_date sched_last_day;

struct core_date sched_date_max(struct core_date a, struct core_date b);
/* 1 when from <= d <= last. */
int	sched_date_in(const struct core_date *d, const struct core_date *from,
	    const struct core_date *last);
/* d plus n months (the same day, or the 1st of the next month); 0 or -1. */
int	sched_add_months(const struct core_date *d, long n,
	    struct core_date *out);
int	sched_add_days(const struct core_date *d, long n, struct core_date *out);
struct core_date sched_fiscal_year_first(int fy);
struct core_date sched_fiscal_year_last(int fy);
/* The rule's main window before its effective days clip it: 1 and
 * [from, last] (open: no last day), or 0 when it starts past year 9999. */
int	sched_raw_window(const struct core_schedule_rule *r,
	    const struct core_date *birth, struct core_date *from,
	    struct core_date *last, int *open);
/* Clips [from, last] (open: no last day) to the rule's effective days;
 * 0 when nothing is left. */
int	sched_clip_effective(const struct core_schedule_rule *r,
	    struct core_date *from, struct core_date *last, int *open);
/* Whether a is a rule of vaccine's series stage (NULL and "" alike). */
int	sched_same_series(const struct core_schedule_rule *a,
	    const char *vaccine, const char *stage);

#endif
