/* check.c: the checks before a 予診票 is saved; see check.h. */
#include "core/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/vaccine.h"

/* Marks a message id for xgettext (keyword N_); translated at display. */
#define N_(s)	(s)

/*
 * The message ids. Each finding's detail holds only values: dates, date
 * ranges "2024-04-01..2025-03-31", codes and dose numbers "#2" (with the
 * stage, "1期 #2"), so that it needs no translation.
 */
const char *const core_check_msg_future =
    N_("The vaccination date is in the future");
const char *const core_check_msg_before_birth =
    N_("The vaccination date is before the date of birth");
const char *const core_check_msg_not_resident =
    N_("The person was not a resident of the city on the vaccination date");
const char *const core_check_msg_after_death =
    N_("The vaccination date is after the person's death");
const char *const core_check_msg_unknown_vaccine =
    N_("Unknown vaccine code");
const char *const core_check_msg_no_rule =
    N_("The routine schedule has no such dose or stage for this vaccine");
const char *const core_check_msg_outside_window =
    N_("Outside the routine schedule: recorded as voluntary (任意)");
const char *const core_check_msg_sex =
    N_("The routine schedule does not cover this sex: "
    "recorded as voluntary (任意)");
const char *const core_check_msg_dose_skipped =
    N_("The previous dose is not recorded");
const char *const core_check_msg_interval =
    N_("Given before the minimum interval after the previous dose");
const char *const core_check_msg_duplicate =
    N_("This dose is already recorded");
const char *const core_check_msg_same_season =
    N_("Already vaccinated in this fiscal year");
const char *const core_check_msg_lot_unknown =
    N_("Lot not in master data");
const char *const core_check_msg_lot_vaccine =
    N_("The lot belongs to another vaccine");
const char *const core_check_msg_lot_maker =
    N_("The lot is from another manufacturer");
const char *const core_check_msg_lot_expired =
    N_("The lot had expired on the vaccination date");
const char *const core_check_msg_screening_reason =
    N_("Screening only: enter the reason");
const char *const core_check_msg_screening_lot =
    N_("Screening only: no lot number may be recorded");
const char *const core_check_msg_no_lot =
    N_("No lot number entered");

static void add(struct core_check_result *out, enum core_check_level level,
    const char *field, const char *msgid, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
add(struct core_check_result *out, enum core_check_level level,
    const char *field, const char *msgid, const char *fmt, ...)
{
	struct core_check_finding *f;
	va_list ap;

	if (out->nfindings >= CORE_CHECK_MAX_FINDINGS) {
		out->dropped++;
		return;
	}
	f = &out->findings[out->nfindings++];
	f->level = level;
	f->field = field;
	f->msgid = msgid;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

static int
empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static const char *
stage_of(const char *stage)
{
	return stage == NULL ? "" : stage;
}

/* "2024-05-01" into a caller's buffer, for the details. */
static const char *
fmt_date(const struct core_date *d, char *buf)
{
	if (core_date_format(d, buf, CORE_DATE_STRLEN) != 0)
		buf[0] = '\0';
	return buf;
}

/*
 * Whether history entry h is another dose given: not screening-only and
 * not the record being corrected.
 */
static int
other_dose(const struct core_check_input *in, const struct core_dose *h)
{
	if (h->vaccine_code == NULL || h->screening_only ||
	    !core_date_is_valid(&h->on))
		return 0;
	if (in->entry->record_uuid != NULL && h->record_uuid != NULL &&
	    strcmp(in->entry->record_uuid, h->record_uuid) == 0)
		return 0;
	return 1;
}

/* The latest other dose of this vaccine, stage and number, or NULL. */
static const struct core_dose *
find_dose(const struct core_check_input *in, const char *stage, int dose)
{
	const struct core_dose *best = NULL;
	char hs[CORE_SCHEDULE_STAGE_MAX];
	int hd;

	for (size_t i = 0; i < in->nhistory; i++) {
		const struct core_dose *h = &in->history[i];

		if (!other_dose(in, h) ||
		    strcmp(h->vaccine_code, in->entry->vaccine_code) != 0)
			continue;
		/* Imported doses are numbered across stages: place them. */
		core_schedule_canonical(in->schedule, h->vaccine_code, h->dose,
		    h->stage, hs, sizeof(hs), &hd);
		if (hd == dose && strcmp(hs, stage) == 0 &&
		    (best == NULL || core_date_cmp(&h->on, &best->on) > 0))
			best = h;
	}
	return best;
}

/* "#2" or "1期 #2" */
static void
fmt_dose(char *buf, size_t size, const char *stage, int dose)
{
	snprintf(buf, size, "%s%s#%d", stage, stage[0] != '\0' ? " " : "",
	    dose);
}

static void
check_dates(const struct core_check_input *in, struct core_check_result *out)
{
	const struct core_check_person *p = in->person;
	const struct core_date *on = &in->entry->on;
	char a[CORE_DATE_STRLEN], b[CORE_DATE_STRLEN];

	if (core_date_cmp(on, &in->today) > 0)
		add(out, CORE_CHECK_ERROR, "vaccinated_on",
		    core_check_msg_future, "%s", fmt_date(on, a));
	if (core_date_cmp(on, &p->birth) < 0)
		add(out, CORE_CHECK_ERROR, "vaccinated_on",
		    core_check_msg_before_birth, "%s", fmt_date(on, a));

	/* Records are kept for residents; a person who moved out keeps the
	 * doses given before leaving (住民でなくなった日 itself included). */
	if (p->has_until && core_date_cmp(on, &p->until) > 0 &&
	    p->status == CORE_DECEASED)
		add(out, CORE_CHECK_ERROR, "vaccinated_on",
		    core_check_msg_after_death, "%s", fmt_date(&p->until, a));
	else if ((p->has_since && core_date_cmp(on, &p->since) < 0) ||
	    (p->has_until && core_date_cmp(on, &p->until) > 0))
		add(out, CORE_CHECK_ERROR, "vaccinated_on",
		    core_check_msg_not_resident, "%s..%s",
		    p->has_since ? fmt_date(&p->since, a) : "",
		    p->has_until ? fmt_date(&p->until, b) : "");
}

/* The category and the window findings. */
static void
check_window(const struct core_check_input *in,
    const struct core_schedule_rule *r, struct core_check_result *out)
{
	const struct core_check_person *p = in->person;
	struct core_date from, last;
	char a[CORE_DATE_STRLEN], b[CORE_DATE_STRLEN];
	const char *reason;
	int open;

	if (r->sex != CORE_SEX_ANY && p->sex != r->sex) {
		add(out, CORE_CHECK_WARNING, "category", core_check_msg_sex,
		    "%s", "");
		return;
	}
	if (core_schedule_in_window(r, &p->birth, p->sex, &in->entry->on,
	    &reason) == 1) {
		out->category = r->category;
		return;
	}
	/* The window for this person; an empty one (closed before the rule
	 * took effect) is shown unclipped. */
	if (core_schedule_window(r, &p->birth, &from, &last, &open) != 1) {
		struct core_schedule_rule raw = *r;

		raw.has_effective_from = raw.has_effective_until = 0;
		if (core_schedule_window(&raw, &p->birth, &from, &last,
		    &open) != 1) {
			add(out, CORE_CHECK_WARNING, "vaccinated_on",
			    core_check_msg_outside_window, "%s", "");
			return;
		}
	}
	add(out, CORE_CHECK_WARNING, "vaccinated_on",
	    core_check_msg_outside_window, "%s..%s", fmt_date(&from, a),
	    open ? "" : fmt_date(&last, b));
}

/* Duplicates, skipped doses, intervals and the seasonal once-a-year. */
static void
check_history(const struct core_check_input *in,
    const struct core_schedule_rule *r, struct core_check_result *out)
{
	const struct core_dose *e = in->entry, *prev;
	const char *stage = stage_of(e->stage);
	struct core_date earliest;
	char a[CORE_DATE_STRLEN], b[CORE_DATE_STRLEN], d[48];
	int fy = core_fiscal_year(&e->on);

	if (r->seasonal) {
		for (size_t i = 0; i < in->nhistory; i++) {
			const struct core_dose *h = &in->history[i];

			if (other_dose(in, h) &&
			    strcmp(h->vaccine_code, e->vaccine_code) == 0 &&
			    core_fiscal_year(&h->on) == fy) {
				add(out, CORE_CHECK_CONFIRM, "vaccinated_on",
				    core_check_msg_same_season, "%s",
				    fmt_date(&h->on, a));
				break;
			}
		}
		return;
	}
	if ((prev = find_dose(in, stage, e->dose)) != NULL)
		add(out, CORE_CHECK_CONFIRM, "dose", core_check_msg_duplicate,
		    "%s", fmt_date(&prev->on, a));
	if (e->dose > 1 && find_dose(in, stage, e->dose - 1) == NULL) {
		fmt_dose(d, sizeof(d), stage, e->dose - 1);
		add(out, CORE_CHECK_WARNING, "dose",
		    core_check_msg_dose_skipped, "%s", d);
	}
	if (r->interval_after == 0 ||
	    (prev = find_dose(in, stage, r->interval_after)) == NULL)
		return;
	if (core_schedule_earliest(r, &prev->on, &earliest) != 1)
		return;
	if (core_date_cmp(&e->on, &earliest) < 0) {
		fmt_dose(d, sizeof(d), stage, r->interval_after);
		add(out, CORE_CHECK_WARNING, "vaccinated_on",
		    core_check_msg_interval, "%s %s, ≥%s", d,
		    fmt_date(&prev->on, a), fmt_date(&earliest, b));
	}
}

static void
check_lot(const struct core_check_input *in, struct core_check_result *out)
{
	const struct core_check_lot *lot = in->lot;
	char a[CORE_DATE_STRLEN];

	if (in->entry->screening_only) {
		if (empty(in->screening_reason))
			add(out, CORE_CHECK_ERROR, "screening_reason",
			    core_check_msg_screening_reason, "%s", "");
		if (!empty(in->lot_no))
			add(out, CORE_CHECK_ERROR, "lot_no",
			    core_check_msg_screening_lot, "%.40s", in->lot_no);
		return;
	}
	if (empty(in->lot_no)) {
		add(out, CORE_CHECK_WARNING, "lot_no", core_check_msg_no_lot,
		    "%s", "");
		return;
	}
	if (lot == NULL) {
		add(out, CORE_CHECK_WARNING, "lot_no",
		    core_check_msg_lot_unknown, "%.40s", in->lot_no);
		return;
	}
	if (lot->vaccine_code != NULL && (in->entry->vaccine_code == NULL ||
	    strcmp(lot->vaccine_code, in->entry->vaccine_code) != 0))
		add(out, CORE_CHECK_ERROR, "lot_no", core_check_msg_lot_vaccine,
		    "%.20s", lot->vaccine_code);
	if (!empty(in->maker_code) && lot->maker_code != NULL &&
	    strcmp(lot->maker_code, in->maker_code) != 0)
		add(out, CORE_CHECK_ERROR, "maker_code",
		    core_check_msg_lot_maker, "%.20s", lot->maker_code);
	/* Usable through the expiry day itself. */
	if (core_date_is_valid(&lot->expiry) &&
	    core_date_cmp(&in->entry->on, &lot->expiry) > 0)
		add(out, CORE_CHECK_ERROR, "lot_no", core_check_msg_lot_expired,
		    "%s", fmt_date(&lot->expiry, a));
}

int
core_check_record(const struct core_check_input *in,
    struct core_check_result *out)
{
	const struct core_check_person *p;
	const struct core_dose *e;
	const struct core_schedule_rule *r = NULL;
	struct core_check_input placed;
	struct core_dose entry;
	char d[64], stage[CORE_SCHEDULE_STAGE_MAX];

	if (out != NULL) {
		memset(out, 0, sizeof(*out));
		out->category = 'V';
		out->age_years = out->age_months = -1;
	}
	if (in == NULL || out == NULL || in->schedule == NULL ||
	    in->person == NULL || in->entry == NULL ||
	    (in->history == NULL && in->nhistory > 0))
		return SESSHU_EINVAL;
	/* The sheet's dose in its series, as the schedule names it. */
	entry = *in->entry;
	core_schedule_canonical(in->schedule, entry.vaccine_code, entry.dose,
	    entry.stage, stage, sizeof(stage), &entry.dose);
	entry.stage = stage;
	placed = *in;
	placed.entry = &entry;
	in = &placed;
	p = in->person;
	e = in->entry;
	if (!core_date_is_valid(&p->birth) || !core_date_is_valid(&e->on) ||
	    !core_date_is_valid(&in->today) ||
	    (p->has_since && !core_date_is_valid(&p->since)) ||
	    (p->has_until && !core_date_is_valid(&p->until)))
		return SESSHU_EINVAL;

	check_dates(in, out);
	if (core_date_cmp(&e->on, &p->birth) >= 0) {
		core_date_age_years(&p->birth, &e->on, &out->age_years, NULL);
		core_date_age_months(&p->birth, &e->on, &out->age_months, NULL);
	}

	if (empty(e->vaccine_code) || core_vaccine_find(e->vaccine_code,
	    strlen(e->vaccine_code)) == NULL)
		add(out, CORE_CHECK_ERROR, "vaccine_code",
		    core_check_msg_unknown_vaccine, "%.20s",
		    e->vaccine_code != NULL ? e->vaccine_code : "");
	else if ((r = core_schedule_find(in->schedule, e->vaccine_code,
	    e->dose, e->stage)) == NULL) {
		snprintf(d, sizeof(d), "%s ", e->vaccine_code);
		fmt_dose(d + strlen(d), sizeof(d) - strlen(d),
		    stage_of(e->stage), e->dose);
		/* Still recorded, as 任意 (category V), like any dose outside
		 * the routine schedule (DOMAIN §2). */
		add(out, CORE_CHECK_WARNING, "dose", core_check_msg_no_rule,
		    "%s", d);
	}

	if (r != NULL && out->age_years >= 0)
		check_window(in, r, out);
	/* A screening-only sheet gave no dose: no dose history to check. */
	if (r != NULL && !e->screening_only)
		check_history(in, r, out);
	check_lot(in, out);
	return 0;
}

int
core_check_can_save(const struct core_check_result *r, int confirmed)
{
	/* Findings past the array are unknown: they might be errors. */
	if (r == NULL || r->dropped > 0)
		return 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		if (r->findings[i].level == CORE_CHECK_ERROR)
			return 0;
		if (r->findings[i].level == CORE_CHECK_CONFIRM && !confirmed)
			return 0;
	}
	return 1;
}

const struct core_check_finding *
core_check_find(const struct core_check_result *r, const char *msgid)
{
	if (r == NULL || msgid == NULL)
		return NULL;
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].msgid, msgid) == 0)
			return &r->findings[i];
	return NULL;
}
