/*
 * schedule.h: the routine schedule (定期接種スケジュール) as data: for each
 * vaccine, stage (期) and dose, the category (定期A類/B類), the eligible
 * window, the minimum interval from an earlier dose, a sex restriction and
 * the legal basis. The rules come from forms/schedule.json, which a city
 * may override with a second text in the same format (DOMAIN §2).
 *
 * Owns: a parsed schedule owns all its memory (core_schedule_free). Rule
 * pointers and the strings in them are borrowed from the schedule and stay
 * valid until it is freed or overridden.
 * Parses JSON text the caller has read; performs no I/O and never reads
 * the clock: "today" and the vaccination day are arguments.
 *
 * The format (every member is checked; unknown members are refused):
 *   { "version": 1, "note": "...", "rules": [ RULE, ... ] }
 *   RULE: "vaccine" (a code of core/vaccine.h), "stage" (optional, "2期"),
 *     "dose" and "doses" (1..9, dose <= doses: the dose and the number of
 *     doses of this vaccine and stage), "category" ("A" or "B", as the
 *     vaccine's class), "window", optional "catch_up", "interval", "sex"
 *     ("female" or "male"), "seasonal" (true: once per fiscal year),
 *     "alternatives" (vaccine codes that stand in for this series),
 *     "effective_from"/"effective_until" (YYYY-MM-DD: the days the rule
 *     applies to), "basis" (required: the legal basis) and "note".
 *   window: { "from": AGE, "until": AGE } (ordinary age rule of date.h;
 *     from inclusive, until the first day outside, until optional) or
 *     { "fiscal_years": { "from_turning": N, "through_turning": M } }:
 *     1 April of the fiscal year in which the person reaches N (legal age
 *     rule) to 31 March of the fiscal year in which the person reaches M.
 *   AGE: { "years", "months", "weeks", "days" }: at least one, each >= 0.
 *   catch_up: [ { "born_from", "born_through", "from", "through" } ]:
 *     persons born in that range are also inside from..through (dates,
 *     both included): キャッチアップ接種.
 *   interval: { "days": N } (N whole days between the doses, 中N日) or
 *     { "months": N } (on or after the same day N months later), and an
 *     optional "after_dose" (default: the previous dose).
 * Every (vaccine, stage) series has one rule per dose 1..doses, and all
 * agree on doses.
 */
#ifndef SESSHU_CORE_SCHEDULE_H
#define SESSHU_CORE_SCHEDULE_H

#include <stddef.h>

#include "core/date.h"
#include "core/err.h"

#define CORE_SCHEDULE_VERSION		1
#define CORE_SCHEDULE_STAGE_MAX		16	/* a stage's bytes and NUL */
#define CORE_SCHEDULE_CATCH_UP_MAX	4
#define CORE_SCHEDULE_ALT_MAX		4
#define CORE_SCHEDULE_DOSE_MAX		9

struct core_schedule;	/* opaque; owns its memory */

/* A dose given (or screened) on a day: one current, unvoided record. */
struct core_dose {
	const char		*record_uuid;	/* may be NULL */
	const char		*vaccine_code;
	int			 dose;
	const char		*stage;		/* NULL or "" when none */
	struct core_date	 on;		/* 実施日 */
	int			 screening_only; /* 予診のみ: no dose */
};

/* An age: years are counted as 12 months, weeks as 7 days. */
struct core_schedule_age {
	int	months;
	int	days;
};

enum core_window_kind {
	CORE_WINDOW_AGE,		/* from/until ages, ordinary rule */
	CORE_WINDOW_FISCAL_YEARS,	/* fiscal years of reaching an age */
};

struct core_schedule_window {
	enum core_window_kind	 kind;
	struct core_schedule_age from;		/* AGE */
	int			 has_until;	/* AGE */
	struct core_schedule_age until;		/* AGE: first age outside */
	int			 from_turning;	/* FISCAL_YEARS */
	int			 through_turning; /* FISCAL_YEARS */
};

struct core_schedule_catch_up {
	struct core_date	born_from, born_through;
	struct core_date	from, through;		/* both days included */
};

enum core_schedule_sex {
	CORE_SEX_ANY = 0,
	CORE_SEX_MALE = 1,	/* 性別 as in the resident register */
	CORE_SEX_FEMALE = 2,
};

struct core_schedule_rule {
	const char	*vaccine_code;	/* the vaccine table's */
	char		 stage[CORE_SCHEDULE_STAGE_MAX];	/* "" */
	int		 dose;		/* 1..9 */
	int		 doses;		/* of the series */
	char		 category;	/* 'A' or 'B' */
	struct core_schedule_window window;
	size_t		 ncatch_up;
	struct core_schedule_catch_up catch_up[CORE_SCHEDULE_CATCH_UP_MAX];
	int		 interval_days;	/* 0 when none */
	int		 interval_months; /* 0 when none */
	int		 interval_after; /* the dose it counts from; 0 */
	int		 sex;		/* enum core_schedule_sex */
	int		 seasonal;	/* once per fiscal year */
	size_t		 nalternatives;
	const char	*alternatives[CORE_SCHEDULE_ALT_MAX];
	int		 has_effective_from;
	struct core_date effective_from;
	int		 has_effective_until;
	struct core_date effective_until;
	const char	*basis;		/* never NULL */
	const char	*note;		/* "" when none */
};

/*
 * Parses a schedule text (json[0..len), need not be NUL-terminated).
 * filename only names the text in messages ("forms/schedule.json"; NULL
 * reads "schedule"). Refusals are SESSHU_EFORMAT with a message naming
 * the file, the rule and the member: "forms/schedule.json: rules[3]
 * (MR 2期 dose 1): window.until: must be an object with years, months,
 * weeks or days"; a version newer than CORE_SCHEDULE_VERSION is
 * SESSHU_EVERSION. On success *out owns the schedule (caller frees with
 * core_schedule_free); on failure *out is NULL.
 */
int	core_schedule_parse(const char *json, size_t len, const char *filename,
	    struct core_schedule **out, struct sesshu_err *err);

/*
 * Applies a city's override text (same format): each of its rules replaces
 * the rule with the same vaccine, stage and dose, or is added after the
 * others. The result is checked as a whole (series complete, doses agree);
 * on any refusal s is left unchanged. Invalidates rule pointers.
 */
int	core_schedule_override(struct core_schedule *s, const char *json,
	    size_t len, const char *filename, struct sesshu_err *err);

void	core_schedule_free(struct core_schedule *s);

/* Rules in file order (overrides in place, additions last). */
size_t	core_schedule_count(const struct core_schedule *s);
const struct core_schedule_rule *core_schedule_at(const struct core_schedule *s,
	    size_t i);

/*
 * The rule for a vaccine, dose and stage (NULL and "" both mean no stage;
 * stages match exactly), or NULL.
 */
const struct core_schedule_rule *core_schedule_find(
	    const struct core_schedule *s, const char *vaccine_code, int dose,
	    const char *stage);

/*
 * The series (stage) and dose number of a record as the schedule names
 * them. A record with a stage keeps it. A record without one is placed by
 * counting its dose through the vaccine's stages in schedule order: the
 * previous system's imports number doses across stages (MR dose 2 is 2期
 * dose 1, JE dose 4 is 2期 dose 1), and the forms of a vaccine with one
 * stage (4種混合 1期, DT 2期) do not ask for it. A dose past every stage,
 * or a vaccine without stages, is left as it is. stage_out holds size
 * bytes (CORE_SCHEDULE_STAGE_MAX suffices).
 */
void	core_schedule_canonical(const struct core_schedule *s,
	    const char *vaccine, int dose, const char *stage, char *stage_out,
	    size_t size, int *dose_out);

/*
 * The rule's main window for a person born on birth, as days: *from and
 * *last (the last day inside); *open_ended is set when there is no last
 * day (then *last is 9999-12-31). Clipped to the rule's effective days.
 * Returns 1 when the window has at least one day, 0 when it is empty
 * (e.g. it closed before the rule took effect), or SESSHU_EINVAL.
 */
int	core_schedule_window(const struct core_schedule_rule *r,
	    const struct core_date *birth, struct core_date *from,
	    struct core_date *last, int *open_ended);

/*
 * 1 when a person born on birth, of sex (1 male, 2 female, other unknown),
 * is inside the rule's window or one of its catch-up windows on day on,
 * and of the sex the rule asks for; 0 when not; SESSHU_EINVAL for NULL
 * arguments or invalid dates. *reason (optional) receives a static English
 * message id saying why ("past the eligible age").
 */
int	core_schedule_in_window(const struct core_schedule_rule *r,
	    const struct core_date *birth, int sex, const struct core_date *on,
	    const char **reason);

/*
 * The first day on which r's dose satisfies its minimum interval after
 * the dose r->interval_after given on prev: N whole days between the
 * doses for an interval in days (27 days after 2024-04-01 is 2024-04-29),
 * the same day N months later (or the 1st of the next month when that day
 * does not exist) for one in months. Returns 1 and *out, 0 when the rule
 * has no interval, SESSHU_EINVAL or SESSHU_ERANGE.
 */
int	core_schedule_earliest(const struct core_schedule_rule *r,
	    const struct core_date *prev, struct core_date *out);

/* The fiscal year (年度, April-March) of a day: 2024 for 2025-03-31. */
int	core_fiscal_year(const struct core_date *d);

/*
 * The due list of the person view.
 *  DUE: today is inside the window and the dose has not been given.
 *  UPCOMING: the window opens within the next 6 months.
 *  OVERDUE: the window closed without the dose, within the last 2 years
 *    (only 任意 remains).
 * A dose n > 1 is listed only once dose n-1 of the series was given, and
 * its from is pushed back by the minimum interval. A series is not listed
 * when the person has a dose of one of its alternatives (ROTA1/ROTA5,
 * 5種混合 for Hib and 4種混合); when the person has none of either, only
 * the one first in the schedule is listed. Seasonal rules are DUE in the
 * current fiscal year when no dose was given in it; their from/until are
 * clipped to the fiscal year.
 */
enum core_due_status {
	CORE_DUE_UPCOMING,
	CORE_DUE_DUE,
	CORE_DUE_OVERDUE,
};

struct core_due {
	const struct core_schedule_rule *rule;	/* borrowed */
	const char	*vaccine_code;	/* borrowed */
	int		 dose;
	const char	*stage;		/* borrowed; NULL when none */
	struct core_date from;
	struct core_date until;		/* last day inside */
	int		 open_ended;	/* no last day */
	enum core_due_status status;
};

/*
 * Fills out[0..max) in schedule order with the person's due list and sets
 * *n to the number of entries found (which may exceed max: only max are
 * written). history holds the person's current records (voided ones
 * already excluded); screening-only records do not count as doses.
 * Fails with SESSHU_EINVAL for NULL arguments, invalid dates or today
 * before birth.
 */
int	core_schedule_due(const struct core_schedule *s,
	    const struct core_date *birth, int sex,
	    const struct core_dose *history, size_t nhistory,
	    const struct core_date *today, struct core_due *out, size_t max,
	    size_t *n, struct sesshu_err *err);

#endif
