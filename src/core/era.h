/*
 * era.h: dates and year-months as a clerk types and reads them on the entry
 * screens: 和暦 (令和6年4月1日, R6.4.1) as well as Western (2024-04-01,
 * 2024/4/1, 20240401), parsed into the struct core_date of core/date.h.
 *
 * Owns nothing; writes only into buffers the caller passes, with their
 * sizes. No I/O, no allocation, never reads the clock: a year without an
 * era ("6.4.1") is refused rather than guessed from today.
 * Messages name what is wrong; they echo the value typed only when it is at
 * most 32 bytes of printable text, and otherwise say "the value".
 *
 * Eras (first day; the day an era ends):
 *   明治 M  1868-10-23 .. 1912-07-30
 *   大正 T  1912-07-30 .. 1926-12-25
 *   昭和 S  1926-12-25 .. 1989-01-07
 *   平成 H  1989-01-08 .. 2019-04-30
 *   令和 R  2019-05-01 ..
 * Year 1 of an era (元年) is the whole Gregorian year it began in.
 * The emperors of 明治 and 大正 died on the day the next era began, so
 * 1912-07-30 and 1926-12-25 exist under both names (明治45年7月30日 =
 * 大正元年7月30日, 大正15年12月25日 = 昭和元年12月25日) and a record may
 * use either; both parse, and formatting writes the newer era. 平成 and
 * 令和 began the day after the previous era's last day, so 昭和64年1月8日
 * and 平成31年5月1日 do not exist.
 * Japan took up the Gregorian calendar on 明治6年1月1日 (1873-01-01);
 * earlier 明治 dates were lunisolar, so an era date before it is refused
 * and a Gregorian date before it has no era here.
 */
#ifndef SESSHU_CORE_ERA_H
#define SESSHU_CORE_ERA_H

#include <stddef.h>

#include "core/date.h"
#include "core/err.h"

/* Sizes with their NUL; the longest is of 9999-12-31, 令和7981年. */
#define CORE_ERA_STRLEN		32	/* "令和7981年12月31日": 24 */
#define CORE_ERA_SHORT_STRLEN	16	/* "R7981.12.31": 12 */
#define CORE_DATE_BOTH_STRLEN	48	/* "9999-12-31 (" era ")": 37 */
#define CORE_YM_ERA_STRLEN	24	/* "令和7981年12月": 19 */
#define CORE_ERA_INPUT_MAX	64	/* longest value, spaces trimmed */

/* Without an era (before 1873-01-01): era_ja NULL, letter '\0', year 0. */
struct core_era_date {
	const char	*era_ja;	/* "令和", static */
	char		 letter;	/* 'R' */
	int		 year;		/* 1.. (1 is 元年) */
	int		 m, d;
};

/*
 * Parses a date as a clerk types it, from s[0..len) (s need not be
 * NUL-terminated):
 *  - Western: "2024-04-01", "2024/4/1", "2024.4.1", "2024年4月1日" (the
 *    year in four digits, the years of date.h, 0001-9999) or "20240401";
 *  - era letter M, T, S, H or R (either case), a year of one to four
 *    digits or 元, month and day separated by '.', '/' or '-' or marked
 *    年月日: "R6.4.1", "r6.4.1", "R06.04.01", "H30/12/5", "R6年4月1日";
 *  - era name: "令和6年4月1日", "令和元年5月1日", "令和6.4.1", and the
 *    one-character forms ㍾㍽㍼㍻㋿.
 * Full-width letters, digits and signs (Ｒ６．４．１, ２０２４／４／１)
 * are read as their ASCII forms, and so are the signs a Japanese input
 * method types for '.', '/' and '-' (。・ー). Spaces (ASCII, tab, U+3000)
 * around the value are ignored; a space inside it is refused.
 * On success sets *out. Otherwise leaves *out untouched and returns
 * SESSHU_EINVAL with a message: the shape expected, month 13, "2023
 * (令和5年) is not a leap year", "平成32年 does not exist: 平成 ended on
 * 2019-04-30 (平成31年4月30日)".
 */
int	core_date_parse_any(const char *s, size_t len, struct core_date *out,
	    struct sesshu_err *err);

/*
 * The era date of d (the newer era on a day two eras share). Before
 * 1873-01-01 sets era_ja NULL, letter '\0', year 0 and still m and d.
 * SESSHU_EINVAL when d is not a valid date or out is NULL.
 */
int	core_date_to_era(const struct core_date *d, struct core_era_date *out,
	    struct sesshu_err *err);

/*
 * Writers. Each returns SESSHU_ERANGE when buf is NULL or size is below
 * its *_STRLEN, and otherwise writes a NUL-terminated string: "" with
 * SESSHU_EINVAL for an invalid date, "" with SESSHU_ERANGE for a date
 * before 1873-01-01 (it has no era), except core_date_format_both.
 */
/* "令和6年4月1日", "令和元年5月1日"; size >= CORE_ERA_STRLEN. */
int	core_date_format_era(const struct core_date *d, char *buf, size_t size);
/* "R6.4.1", "R1.5.1"; size >= CORE_ERA_SHORT_STRLEN. */
int	core_date_format_era_short(const struct core_date *d, char *buf,
	    size_t size);
/* "2024-04-01 (令和6年4月1日)"; size >= CORE_DATE_BOTH_STRLEN. A date
 * before 1873-01-01 is written as "1872-12-31" alone. */
int	core_date_format_both(const struct core_date *d, char *buf,
	    size_t size);

/*
 * 請求年月 as typed: "2024-04", "2024/4", "2024.4", "2024年4月", "202404",
 * "R6.4", "R06/04", "令和6年4月", "令和元年5月", folded like dates. An era
 * month must have at least one day in its era: 平成31年4月, 令和元年5月 and
 * both 昭和64年1月 and 平成元年1月 are accepted; 平成31年5月 and
 * 令和元年4月 are refused. Sets *out only on success.
 */
int	core_ym_parse_any(const char *s, size_t len, struct core_ym *out,
	    struct sesshu_err *err);
/*
 * "令和6年4月"; size >= CORE_YM_ERA_STRLEN. A month in which the era
 * changed is written in the era of its last day (1989-01 is 平成元年1月,
 * 1926-12 is 昭和元年12月). Errors as for the dates; a month before 1873-01
 * gives SESSHU_ERANGE.
 */
int	core_ym_format_era(const struct core_ym *ym, char *buf, size_t size);

#endif
