/*
 * check.h: the checks run on a 予診票 (one vaccination record) before it is
 * saved (C7, DOMAIN §3.1): dates against the birth date, today and the
 * person's residence; the dose against the routine schedule and the
 * person's history; the lot against the master data; the 予診のみ fields.
 * It also derives what the record stores: the category (定期A類/B類 inside
 * the routine window, 任意 outside) and the age on the day.
 *
 * Owns nothing: every pointer in the input is borrowed for the call, and
 * findings point at static message ids. Findings never quote a name or
 * other personal text; their detail holds dates, dose numbers and codes.
 * No I/O, no allocation, no clock: "today" is part of the input.
 */
#ifndef SESSHU_CORE_CHECK_H
#define SESSHU_CORE_CHECK_H

#include <stddef.h>

#include "core/date.h"
#include "core/schedule.h"

#define CORE_CHECK_MAX_FINDINGS		16
#define CORE_CHECK_DETAIL_MAX		96

/* 住民区分 */
enum core_resident_status {
	CORE_RESIDENT = 1,
	CORE_MOVED_OUT = 2,
	CORE_DECEASED = 3,
};

struct core_check_person {
	struct core_date	birth;
	int			sex;		/* 1 male, 2 female */
	int			status;		/* enum core_resident_status */
	int			has_since;
	struct core_date	since;		/* 住民となった日 */
	int			has_until;
	struct core_date	until;		/* 住民でなくなった日, death */
};

/* A lot of the master data. */
struct core_check_lot {
	const char		*lot_no;
	const char		*vaccine_code;
	const char		*maker_code;
	struct core_date	 expiry;	/* usable through this day */
};

struct core_check_input {
	const struct core_schedule	*schedule;
	const struct core_check_person	*person;
	const struct core_dose		*history;	/* current, unvoided */
	size_t				 nhistory;
	/*
	 * The sheet: vaccine, dose, stage, date and screening_only;
	 * record_uuid is the record being corrected (excluded from the
	 * history checks) or NULL for a new one.
	 */
	const struct core_dose		*entry;
	const char			*maker_code;	/* as entered */
	const char			*lot_no;	/* as entered */
	/* The master-data lot with lot_no for that vaccine, or (failing
	 * that) with lot_no for another vaccine; NULL when unknown. */
	const struct core_check_lot	*lot;
	const char			*screening_reason; /* 予診理由 */
	struct core_date		 today;
};

enum core_check_level {
	CORE_CHECK_ERROR,	/* cannot be saved */
	CORE_CHECK_CONFIRM,	/* saved only after an explicit confirmation */
	CORE_CHECK_WARNING,	/* shown; saved */
};

struct core_check_finding {
	enum core_check_level level;
	const char	*field;		/* record column: "vaccinated_on" */
	const char	*msgid;		/* English, static, no conversions */
	char		 detail[CORE_CHECK_DETAIL_MAX];	/* values, or "" */
};

struct core_check_result {
	char		 category;	/* 'A'/'B' inside the window, 'V' */
	int		 age_years;	/* -1 before birth */
	int		 age_months;	/* -1 before birth */
	size_t		 nfindings;
	size_t		 dropped;	/* findings past the array */
	struct core_check_finding findings[CORE_CHECK_MAX_FINDINGS];
};

/*
 * Runs every check on in->entry and fills out (always completely). Returns
 * 0 whatever the findings; SESSHU_EINVAL only for a programming error: a
 * NULL argument, no schedule, person or entry, or an invalid date in them.
 */
int	core_check_record(const struct core_check_input *in,
	    struct core_check_result *out);

/* 1 when r has no ERROR and either no CONFIRM or confirmed; else 0. */
int	core_check_can_save(const struct core_check_result *r, int confirmed);

/* The finding with this msgid, or NULL: for callers and tests. */
const struct core_check_finding *core_check_find(
	    const struct core_check_result *r, const char *msgid);

/*
 * The message ids of the checks, for callers that react to one (e.g. to
 * jump to the lot field); each is a string literal of check.c.
 */
extern const char *const core_check_msg_future;
extern const char *const core_check_msg_before_birth;
extern const char *const core_check_msg_not_resident;
extern const char *const core_check_msg_after_death;
extern const char *const core_check_msg_unknown_vaccine;
extern const char *const core_check_msg_no_rule;
extern const char *const core_check_msg_outside_window;
extern const char *const core_check_msg_sex;
extern const char *const core_check_msg_dose_skipped;
extern const char *const core_check_msg_interval;
extern const char *const core_check_msg_duplicate;
extern const char *const core_check_msg_same_season;
extern const char *const core_check_msg_lot_unknown;
extern const char *const core_check_msg_lot_vaccine;
extern const char *const core_check_msg_lot_maker;
extern const char *const core_check_msg_lot_expired;
extern const char *const core_check_msg_screening_reason;
extern const char *const core_check_msg_screening_lot;
extern const char *const core_check_msg_no_lot;

#endif
