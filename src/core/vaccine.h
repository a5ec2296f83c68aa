/*
 * vaccine.h: the vaccine codes an import or a form may name, with their
 * Japanese and English names and their routine category (定期A類/B類).
 *
 * The table is constant and compiled in: the codes are the contract of the
 * import layout (docs/IMPORT.md). Schedules, doses and intervals per vaccine
 * are not here (they come with the schedule rules), nor are brands and lots
 * (master data).
 * Must never hold state; lookups are exact and case-sensitive.
 * No I/O.
 */
#ifndef SESSHU_CORE_VACCINE_H
#define SESSHU_CORE_VACCINE_H

#include <stddef.h>

#define CORE_VACCINE_CODE_MAX	16	/* longest code plus NUL, with room */

/* The class a vaccine belongs to under 予防接種法 when given routinely. */
enum core_vaccine_class {
	CORE_VACCINE_CLASS_A = 'A',	/* 定期A類: children, HPV */
	CORE_VACCINE_CLASS_B = 'B',	/* 定期B類: older adults */
};

struct core_vaccine {
	const char	*code;		/* "MR" */
	const char	*name_ja;	/* "麻しん風しん混合(MR)" */
	const char	*name_en;	/* "Measles-rubella (MR)" */
	char		 klass;		/* enum core_vaccine_class */
	/*
	 * Given once a season (年度) rather than as a numbered series: the
	 * same dose number recurs every year, so "the same dose" means the
	 * same dose in the same fiscal year.
	 */
	int		 seasonal;
};

/* The entry for code s[0..len), or NULL when there is none. */
const struct core_vaccine *core_vaccine_find(const char *s, size_t len);
size_t	core_vaccine_count(void);
/* Entry i (0 <= i < core_vaccine_count()) in table order, else NULL. */
const struct core_vaccine *core_vaccine_at(size_t i);

#endif
