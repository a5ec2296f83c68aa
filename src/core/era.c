/*
 * era.c: dates as typed and read on the entry screens; see era.h.
 *
 * Three steps, kept apart so that each refusal is made in one place:
 * fold the value into a short buffer (outer spaces dropped, full-width and
 * input-method signs made ASCII, everything else checked as UTF-8 and
 * copied), read it with one grammar for every notation, then check the
 * numbers against the calendar (date.h) and the era table below.
 */
#include "core/era.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/kana.h"

struct era {
	const char	*ja;		/* "令和" */
	const char	*square;	/* "㋿", the one-character form */
	char		 letter;
	struct core_date first;		/* the day it began */
	struct core_date last;		/* the day it ended */
};

/*
 * Oldest first. 明治 and 大正 end on the day the next era began (the
 * emperor died that day and the change took effect at once), so those two
 * days have two names; 昭和 and 平成 end the day before the next began.
 * See era.h.
 */
static const struct era eras[] = {
	{ "明治", "㍾", 'M', { 1868, 10, 23 }, { 1912, 7, 30 } },
	{ "大正", "㍽", 'T', { 1912, 7, 30 }, { 1926, 12, 25 } },
	{ "昭和", "㍼", 'S', { 1926, 12, 25 }, { 1989, 1, 7 } },
	{ "平成", "㍻", 'H', { 1989, 1, 8 }, { 2019, 4, 30 } },
	{ "令和", "㋿", 'R', { 2019, 5, 1 }, { 9999, 12, 31 } },
};
#define NERAS	((int)(sizeof(eras) / sizeof(eras[0])))
#define MEIJI	0
#define REIWA	(NERAS - 1)

/* 明治5年12月3日 became 明治6年1月1日: the first Gregorian day. */
static const struct core_date gregorian_first = { 1873, 1, 1 };

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

#define DATE_EXAMPLES	"2024-04-01, R6.4.1 or 令和6年4月1日"
#define YM_EXAMPLES	"2024-04, R6.4 or 令和6年4月"
#define SHOWN_MAX	32	/* longest value echoed in a message */

/* What is being parsed, for the messages. */
struct ctx {
	struct sesshu_err	*err;
	const char		*shown;		/* the value, or "the value" */
	const char		*what;		/* "date", "year-month" */
	const char		*examples;
	bool			 want_day;
};

/* The numbers as written; the year is an era year when era >= 0. */
struct parts {
	int	era;	/* index into eras[], or -1 */
	int	y, m, d;
};

/* "<value> is not a <what>: <why>". */
static int
refuse(const struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
refuse(const struct ctx *c, const char *fmt, ...)
{
	char why[SESSHU_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return sesshu_err_set(c->err, SESSHU_EINVAL, "%s is not a %s: %s",
	    c->shown, c->what, why);
}

/*
 * Bounded writer: the public writers check the caller's size against
 * their *_STRLEN first, so running out of room is a bug, reported as
 * SESSHU_ERANGE rather than written past the end. Not snprintf: the
 * compiler cannot see the ranges and warns of truncation.
 */
struct out {
	char	*p;
	size_t	 size;
	size_t	 len;
	bool	 full;
};

static void
out_init(struct out *o, char *buf, size_t size)
{
	o->p = buf;
	o->size = size;
	o->len = 0;
	o->full = false;
	buf[0] = '\0';
}

static void
put_bytes(struct out *o, const char *s, size_t k)
{
	if (o->full || o->size - o->len <= k) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, s, k);
	o->len += k;
	o->p[o->len] = '\0';
}

static void
put_str(struct out *o, const char *s)
{
	put_bytes(o, s, strlen(s));
}

/* v >= 0, without leading zeros. */
static void
put_int(struct out *o, int v)
{
	char tmp[12];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && i > 0);
	put_bytes(o, tmp + i, sizeof(tmp) - i);
}

/* Finishes: 0, or SESSHU_ERANGE with an empty buffer. */
static int
out_end(struct out *o)
{
	if (o->full) {
		o->p[0] = '\0';
		return SESSHU_ERANGE;
	}
	return 0;
}

/* "令和元年", "令和6年". */
static void
put_era_year(struct out *o, int era, int y)
{
	put_str(o, eras[era].ja);
	if (y == 1)
		put_str(o, "元");
	else
		put_int(o, y);
	put_str(o, "年");
}

/* "令和元年5月1日", or "令和元年5月" when d is 0. */
static void
put_era_text(struct out *o, int era, int y, int m, int d)
{
	put_era_year(o, era, y);
	put_int(o, m);
	put_str(o, "月");
	if (d > 0) {
		put_int(o, d);
		put_str(o, "日");
	}
}

/* The era a day is written in (the newer on a shared day), -1 before
 * 1873-01-01. */
static int
era_of(const struct core_date *d)
{
	int i;

	if (core_date_cmp(d, &gregorian_first) < 0)
		return -1;
	for (i = NERAS - 1; i > 0; i--)
		if (core_date_cmp(d, &eras[i].first) >= 0)
			break;
	return i;
}

static int
era_year(int era, int y)
{
	return y - eras[era].first.y + 1;
}

/* The era text of a valid day from 1873 on, for messages. */
static void
date_era_text(const struct core_date *d, char *buf, size_t size)
{
	struct out o;
	int era = era_of(d);

	out_init(&o, buf, size);
	if (era >= 0)
		put_era_text(&o, era, era_year(era, d->y), d->m, d->d);
}

/* ---- Folding -------------------------------------------------------- */

/* Bytes of an outer space at the start (at_end false) or end of s. */
static size_t
outer_space(const char *s, size_t len, bool at_end)
{
	const char *p;

	if (len >= 1) {
		p = at_end ? s + len - 1 : s;
		if (*p == ' ' || *p == '\t')
			return 1;
	}
	/* U+3000: E3 80 80 cannot be the tail of another sequence, since
	 * E3 is a lead byte. */
	if (len >= 3) {
		p = at_end ? s + len - 3 : s;
		if (memcmp(p, "\xe3\x80\x80", 3) == 0)
			return 3;
	}
	return 0;
}

static void
trim(const char **s, size_t *len)
{
	size_t k;

	while ((k = outer_space(*s, *len, false)) > 0) {
		*s += k;
		*len -= k;
	}
	while ((k = outer_space(*s, *len, true)) > 0)
		*len -= k;
}

/*
 * The ASCII character a code point is typed for, or 0. Full-width forms
 * U+FF01-FF5E are ASCII shifted; a Japanese input method in kana mode
 * types 。 for '.', ・ for '/' and ー for '-' (their half-width forms too),
 * and a pasted value may carry a dash or minus sign.
 */
static char
fold_cp(uint32_t cp)
{
	if (cp >= 0xff01 && cp <= 0xff5e)
		return (char)(cp - 0xfee0);
	switch (cp) {
	case 0x3000:
		return ' ';
	case 0x3002:		/* 。 */
	case 0xff61:		/* ｡ */
		return '.';
	case 0x30fb:		/* ・ */
	case 0xff65:		/* ･ */
		return '/';
	case 0x30fc:		/* ー */
	case 0xff70:		/* ｰ */
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015:		/* hyphens and dashes */
	case 0x2212:		/* − minus sign */
		return '-';
	default:
		return 0;
	}
}

/* Code points a message may show: no controls, no invisible format or
 * direction marks, no private use. */
static bool
displayable(uint32_t cp)
{
	return cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f) &&
	    cp != 0xad && !(cp >= 0x200b && cp <= 0x200f) &&
	    !(cp >= 0x2028 && cp <= 0x202e) &&
	    !(cp >= 0x2060 && cp <= 0x206f) && cp != 0xfeff &&
	    !(cp >= 0xe000 && cp <= 0xf8ff) &&
	    !(cp >= 0xfff9 && cp <= 0xfffb) && cp < 0xf0000;
}

/*
 * The value for a message: shown when it is short, valid UTF-8 and
 * displayable (quoted when it holds a space), "the value" otherwise, so a
 * message never carries bytes a terminal would interpret.
 */
static void
describe(const char *s, size_t len, char *buf, size_t size)
{
	struct out o;
	uint32_t cp;
	bool spaces = false;
	int n;

	out_init(&o, buf, size);
	if (len == 0) {
		put_str(&o, "an empty value");
		return;
	}
	if (len > SHOWN_MAX)
		goto hide;
	for (size_t i = 0; i < len; i += (size_t)n) {
		if ((n = core_utf8_decode(s + i, len - i, &cp, NULL)) < 0 ||
		    !displayable(cp))
			goto hide;
		if (cp == ' ' || cp == 0x3000)
			spaces = true;
	}
	if (spaces)
		put_str(&o, "\"");
	put_bytes(&o, s, len);
	if (spaces)
		put_str(&o, "\"");
	if (!o.full)
		return;
hide:
	out_init(&o, buf, size);
	put_str(&o, "the value");
}

/*
 * Folds s[0..len) (trimmed, at most CORE_ERA_INPUT_MAX bytes) into
 * b[0..*n): never longer, since every folded character is shorter than
 * the one it replaces.
 */
static int
fold(const struct ctx *c, const char *s, size_t len, char *b, size_t *n)
{
	const char *why = NULL;
	uint32_t cp;
	char a;
	int k;

	*n = 0;
	for (size_t i = 0; i < len; i += (size_t)k) {
		if ((k = core_utf8_decode(s + i, len - i, &cp, &why)) < 0)
			return refuse(c, "invalid UTF-8 at byte %zu (%s)",
			    i + 1, why);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			return refuse(c, "control character U+%04X at byte %zu",
			    (unsigned int)cp, i + 1);
		if ((a = fold_cp(cp)) != 0)
			b[(*n)++] = a;
		else {
			memcpy(b + *n, s + i, (size_t)k);
			*n += (size_t)k;
		}
	}
	return 0;
}

/* ---- Reading -------------------------------------------------------- */

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool
is_letter(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static bool
is_sep(char ch)
{
	return ch == '-' || ch == '/' || ch == '.';
}

static size_t
digits_at(const char *b, size_t n, size_t pos)
{
	size_t k = 0;

	while (pos + k < n && is_digit(b[pos + k]))
		k++;
	return k;
}

/* k <= 8 digits. */
static int
value_of(const char *b, size_t k)
{
	int v = 0;

	for (size_t i = 0; i < k; i++)
		v = v * 10 + (b[i] - '0');
	return v;
}

static bool
has_at(const char *b, size_t n, size_t pos, const char *tok)
{
	size_t k = strlen(tok);

	return n - pos >= k && memcmp(b + pos, tok, k) == 0;
}

static bool
eat(const char *b, size_t n, size_t *pos, const char *tok)
{
	if (!has_at(b, n, *pos, tok))
		return false;
	*pos += strlen(tok);
	return true;
}

static int
era_by_letter(char ch)
{
	if (ch >= 'a' && ch <= 'z')
		ch = (char)(ch - 'a' + 'A');
	for (int i = 0; i < NERAS; i++)
		if (eras[i].letter == ch)
			return i;
	return -1;
}

static int
era_by_name(const char *b, size_t n, size_t *pos)
{
	for (int i = 0; i < NERAS; i++)
		if (eat(b, n, pos, eras[i].ja) ||
		    eat(b, n, pos, eras[i].square))
			return i;
	return -1;
}

/* One number of the month or day: one or two digits. */
static int
read_small(const struct ctx *c, const char *b, size_t n, size_t *pos,
    const char *name, const char *after, int *v)
{
	size_t k = digits_at(b, n, *pos);

	if (k == 0)
		return refuse(c, "no %s after the %s", name, after);
	if (k > 2)
		return refuse(c, "the %s has more than two digits", name);
	*v = value_of(b + *pos, k);
	*pos += k;
	return 0;
}

/*
 * The grammar, for dates (want_day) and year-months:
 *   value  = era year rest | year4 rest | 8 digits (6 for year-months)
 *   era    = letter | 明治 ... 令和 | ㍾ ... ㋿
 *   year   = 元 | 1*4 digit (令和 has no end: 9999 is 令和7981年, and
 *            whatever is written must read back)
 *   rest   = 年 m 月 [d 日] | sep m [sep d], sep one of . / -, the same
 *            twice
 */
static int
read_parts(const struct ctx *c, const char *b, size_t n, struct parts *p)
{
	size_t pos = 0, k;
	bool marks = false;
	char sep = 0;
	int r;

	p->era = -1;
	p->d = 1;
	if (is_letter(b[0])) {
		/* A word ("today") is not an era letter. */
		if (n > 1 && !is_digit(b[1]) && !has_at(b, n, 1, "元"))
			return refuse(c, "expected a %s such as %s", c->what,
			    c->examples);
		pos = 1;
		if ((p->era = era_by_letter(b[0])) < 0)
			return refuse(c, "%c is not an era letter "
			    "(M 明治, T 大正, S 昭和, H 平成, R 令和)", b[0]);
	} else if ((p->era = era_by_name(b, n, &pos)) < 0 && !is_digit(b[0]))
		return refuse(c, "expected a %s such as %s", c->what,
		    c->examples);

	if (p->era >= 0) {
		if (eat(b, n, &pos, "元"))
			p->y = 1;
		else if ((k = digits_at(b, n, pos)) == 0)
			return refuse(c, "no year after the era");
		else if (k > 4)
			return refuse(c, "an era year has one to four digits "
			    "(write e.g. %s)", c->examples);
		else {
			p->y = value_of(b + pos, k);
			pos += k;
		}
	} else {
		k = digits_at(b, n, 0);
		if (k == n && k == (c->want_day ? 8u : 6u)) {
			p->y = value_of(b, 4);
			p->m = value_of(b + 4, 2);
			if (c->want_day)
				p->d = value_of(b + 6, 2);
			return 0;
		}
		if (k == n)
			return refuse(c,
			    "expected %s digits or a %s such as %s",
			    c->want_day ? "8" : "6", c->what, c->examples);
		if (k != 4)
			return refuse(c, "a year without an era has four "
			    "digits (write e.g. %s)", c->examples);
		p->y = value_of(b, 4);
		pos = 4;
	}

	if (pos == n)
		return refuse(c, "no month after the year");
	if (eat(b, n, &pos, "年"))
		marks = true;
	else if (is_sep(b[pos]))
		sep = b[pos++];
	else
		return refuse(c, "expected 年, '.', '/' or '-' after the year");
	if ((r = read_small(c, b, n, &pos, "month", "year", &p->m)) != 0)
		return r;
	if (marks && !eat(b, n, &pos, "月"))
		return refuse(c, "expected 月 after the month");
	if (c->want_day) {
		if (!marks) {
			if (pos == n)
				return refuse(c, "no day after the month");
			if (is_sep(b[pos]) && b[pos] != sep)
				return refuse(c, "'%c' and '%c' are mixed",
				    sep, b[pos]);
			if (b[pos] != sep)
				return refuse(c,
				    "expected '%c' after the month", sep);
			pos++;
		}
		if ((r = read_small(c, b, n, &pos, "day", "month", &p->d)) != 0)
			return r;
		if (marks && !eat(b, n, &pos, "日"))
			return refuse(c, "expected 日 after the day");
	}
	if (pos != n)
		return refuse(c, "unexpected characters after the %s",
		    c->want_day ? "day" : "month");
	return 0;
}

/* Trims, describes, folds and reads s[0..len) into p. */
static int
read_value(struct ctx *c, const char *s, size_t len, char *shown,
    size_t shownsize, struct parts *p)
{
	char b[CORE_ERA_INPUT_MAX];
	size_t n;
	int r;

	trim(&s, &len);
	describe(s, len, shown, shownsize);
	c->shown = shown;
	if (len == 0)
		return refuse(c, "type e.g. %s", c->examples);
	if (len > CORE_ERA_INPUT_MAX)
		return refuse(c, "%zu bytes is longer than any %s", len,
		    c->what);
	if ((r = fold(c, s, len, b, &n)) != 0)
		return r;
	if (memchr(b, ' ', n) != NULL)
		return refuse(c, "a space inside the %s", c->what);
	return read_parts(c, b, n, p);
}

/* ---- Checking ------------------------------------------------------- */

/* " (令和5年)" after a Gregorian year in a message, or "". */
static void
era_note(const struct parts *p, char *buf, size_t size)
{
	struct out o;

	out_init(&o, buf, size);
	if (p->era < 0)
		return;
	put_str(&o, " (");
	put_era_year(&o, p->era, p->y);
	put_str(&o, ")");
}

/*
 * The era year alone: not 0, not past the era's end, not before the
 * Gregorian calendar. Sets *gy to the Gregorian year.
 */
static int
check_era_year(const struct ctx *c, const struct parts *p, int *gy)
{
	const struct era *e = &eras[p->era];
	char typed[CORE_ERA_STRLEN], last[CORE_ERA_STRLEN];
	char later[CORE_ERA_STRLEN];
	struct core_date dec31;
	struct out o;
	int era;

	if (p->y == 0)
		return sesshu_err_set(c->err, SESSHU_EINVAL,
		    "%s0年 does not exist: the first year of an era is 元年 "
		    "(%s元年 is %d)", e->ja, e->ja, e->first.y);
	*gy = e->first.y + p->y - 1;
	out_init(&o, typed, sizeof(typed));
	put_era_year(&o, p->era, p->y);
	if (p->era != REIWA && *gy > e->last.y) {
		/* Named in this era, though a shared last day is written in
		 * the newer one. */
		out_init(&o, last, sizeof(last));
		put_era_text(&o, p->era, era_year(p->era, e->last.y),
		    e->last.m, e->last.d);
		/* The era of the year's end: 昭和65年 is 1990, 平成2年. */
		out_init(&o, later, sizeof(later));
		if (*gy <= CORE_DATE_YEAR_MAX) {
			dec31 = (struct core_date){ *gy, 12, 31 };
			era = era_of(&dec31);
			put_str(&o, "; ");
			put_int(&o, *gy);
			put_str(&o, " is ");
			put_era_year(&o, era, era_year(era, *gy));
		}
		return sesshu_err_set(c->err, SESSHU_EINVAL,
		    "%s does not exist: %s ended on %04d-%02d-%02d (%s)%s",
		    typed, e->ja, e->last.y, e->last.m, e->last.d, last,
		    later);
	}
	if (p->era == MEIJI && *gy < gregorian_first.y)
		return sesshu_err_set(c->err, SESSHU_EINVAL,
		    "%s is before 明治6年1月1日 (1873-01-01), when Japan took "
		    "up the Gregorian calendar; earlier dates are not "
		    "accepted", typed);
	return 0;
}

/* "<era text> does not exist: <era> began on / ended on <day> (<era
 * text of that day>); that day (month) is <the right era text>". */
static int
refuse_outside_era(const struct ctx *c, const struct parts *p,
    const struct core_date *greg, bool before)
{
	const struct era *e = &eras[p->era];
	const struct core_date *edge = before ? &e->first : &e->last;
	char typed[CORE_ERA_STRLEN], edgetext[CORE_ERA_STRLEN];
	char right[CORE_ERA_STRLEN];
	struct out o;
	struct core_ym ym;

	out_init(&o, typed, sizeof(typed));
	put_era_text(&o, p->era, p->y, p->m, c->want_day ? p->d : 0);
	out_init(&o, edgetext, sizeof(edgetext));
	put_era_text(&o, p->era, era_year(p->era, edge->y), edge->m, edge->d);
	if (c->want_day)
		date_era_text(greg, right, sizeof(right));
	else {
		ym = core_ym_of(greg);
		if (core_ym_format_era(&ym, right, sizeof(right)) != 0)
			right[0] = '\0';
	}
	return sesshu_err_set(c->err, SESSHU_EINVAL,
	    "%s does not exist: %s %s on %04d-%02d-%02d (%s); that %s is %s",
	    typed, e->ja, before ? "began" : "ended", edge->y, edge->m,
	    edge->d, edgetext, c->want_day ? "day" : "month", right);
}

static int
check_month(const struct ctx *c, const struct parts *p)
{
	if (p->m < 1 || p->m > 12)
		return refuse(c, "month %d is not 1-12", p->m);
	return 0;
}

static int
check_date(const struct ctx *c, const struct parts *p, struct core_date *out)
{
	struct core_date d;
	char note[CORE_ERA_STRLEN];
	int gy, r, dim;

	if ((r = check_month(c, p)) != 0)
		return r;
	if (p->d < 1)
		return refuse(c, "day 0 does not exist");
	if (p->era < 0) {
		if (p->y < CORE_DATE_YEAR_MIN)
			return refuse(c, "year 0000 does not exist");
		gy = p->y;
	} else if ((r = check_era_year(c, p, &gy)) != 0)
		return r;
	if (gy > CORE_DATE_YEAR_MAX)
		return refuse(c, "the year %d is past 9999", gy);
	d = (struct core_date){ gy, p->m, p->d };
	dim = core_date_days_in_month(gy, p->m);
	if (p->d > dim) {
		era_note(p, note, sizeof(note));
		if (p->m == 2 && p->d == 29)
			return refuse(c, "%04d%s is not a leap year", gy, note);
		return refuse(c, "%s %04d%s has %d days", month_names[p->m - 1],
		    gy, note, dim);
	}
	if (p->era >= 0) {
		if (core_date_cmp(&d, &eras[p->era].first) < 0)
			return refuse_outside_era(c, p, &d, true);
		if (core_date_cmp(&d, &eras[p->era].last) > 0)
			return refuse_outside_era(c, p, &d, false);
	}
	*out = d;
	return 0;
}

/* A year-month of an era has at least one day in it. */
static int
check_ym(const struct ctx *c, const struct parts *p, struct core_ym *out)
{
	struct core_date first, last;
	int gy, r;

	if ((r = check_month(c, p)) != 0)
		return r;
	if (p->era < 0) {
		if (p->y < CORE_DATE_YEAR_MIN)
			return refuse(c, "year 0000 does not exist");
		gy = p->y;
	} else if ((r = check_era_year(c, p, &gy)) != 0)
		return r;
	if (gy > CORE_DATE_YEAR_MAX)
		return refuse(c, "the year %d is past 9999", gy);
	first = (struct core_date){ gy, p->m, 1 };
	last = (struct core_date){ gy, p->m,
	    core_date_days_in_month(gy, p->m) };
	if (p->era >= 0) {
		if (core_date_cmp(&last, &eras[p->era].first) < 0)
			return refuse_outside_era(c, p, &first, true);
		if (core_date_cmp(&first, &eras[p->era].last) > 0)
			return refuse_outside_era(c, p, &first, false);
	}
	out->y = gy;
	out->m = p->m;
	return 0;
}

/* ---- Public --------------------------------------------------------- */

int
core_date_parse_any(const char *s, size_t len, struct core_date *out,
    struct sesshu_err *err)
{
	struct ctx c = { err, "the value", "date", DATE_EXAMPLES, true };
	char shown[SHOWN_MAX + 8];
	struct parts p;
	int r;

	if (s == NULL || out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "no date given");
	if ((r = read_value(&c, s, len, shown, sizeof(shown), &p)) != 0)
		return r;
	return check_date(&c, &p, out);
}

int
core_ym_parse_any(const char *s, size_t len, struct core_ym *out,
    struct sesshu_err *err)
{
	struct ctx c = { err, "the value", "year-month", YM_EXAMPLES, false };
	char shown[SHOWN_MAX + 8];
	struct parts p;
	int r;

	if (s == NULL || out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "no year-month given");
	if ((r = read_value(&c, s, len, shown, sizeof(shown), &p)) != 0)
		return r;
	return check_ym(&c, &p, out);
}

int
core_date_to_era(const struct core_date *d, struct core_era_date *out,
    struct sesshu_err *err)
{
	int era;

	if (out == NULL || !core_date_is_valid(d))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "era asked of an invalid date");
	era = era_of(d);
	out->era_ja = era >= 0 ? eras[era].ja : NULL;
	out->letter = era >= 0 ? eras[era].letter : '\0';
	out->year = era >= 0 ? era_year(era, d->y) : 0;
	out->m = d->m;
	out->d = d->d;
	return 0;
}

/* Checks shared by the date writers; sets *era. */
static int
format_start(const struct core_date *d, char *buf, size_t size,
    size_t need, int *era)
{
	if (buf == NULL || size < need)
		return SESSHU_ERANGE;
	buf[0] = '\0';
	if (!core_date_is_valid(d))
		return SESSHU_EINVAL;
	*era = era_of(d);
	return 0;
}

int
core_date_format_era(const struct core_date *d, char *buf, size_t size)
{
	struct out o;
	int era, r;

	if ((r = format_start(d, buf, size, CORE_ERA_STRLEN, &era)) != 0)
		return r;
	if (era < 0)
		return SESSHU_ERANGE;
	out_init(&o, buf, size);
	put_era_text(&o, era, era_year(era, d->y), d->m, d->d);
	return out_end(&o);
}

int
core_date_format_era_short(const struct core_date *d, char *buf, size_t size)
{
	struct out o;
	int era, r;

	if ((r = format_start(d, buf, size, CORE_ERA_SHORT_STRLEN, &era)) != 0)
		return r;
	if (era < 0)
		return SESSHU_ERANGE;
	out_init(&o, buf, size);
	put_bytes(&o, &eras[era].letter, 1);
	put_int(&o, era_year(era, d->y));
	put_str(&o, ".");
	put_int(&o, d->m);
	put_str(&o, ".");
	put_int(&o, d->d);
	return out_end(&o);
}

int
core_date_format_both(const struct core_date *d, char *buf, size_t size)
{
	char iso[CORE_DATE_STRLEN];
	struct out o;
	int era, r;

	if ((r = format_start(d, buf, size, CORE_DATE_BOTH_STRLEN, &era)) != 0)
		return r;
	if ((r = core_date_format(d, iso, sizeof(iso))) != 0)
		return r;
	out_init(&o, buf, size);
	put_str(&o, iso);
	if (era >= 0) {
		put_str(&o, " (");
		put_era_text(&o, era, era_year(era, d->y), d->m, d->d);
		put_str(&o, ")");
	}
	return out_end(&o);
}

int
core_ym_format_era(const struct core_ym *ym, char *buf, size_t size)
{
	struct core_date last;
	struct out o;
	int era;

	if (buf == NULL || size < CORE_YM_ERA_STRLEN)
		return SESSHU_ERANGE;
	buf[0] = '\0';
	if (ym == NULL || ym->y < CORE_DATE_YEAR_MIN ||
	    ym->y > CORE_DATE_YEAR_MAX || ym->m < 1 || ym->m > 12)
		return SESSHU_EINVAL;
	last = (struct core_date){ ym->y, ym->m,
	    core_date_days_in_month(ym->y, ym->m) };
	if ((era = era_of(&last)) < 0)
		return SESSHU_ERANGE;
	out_init(&o, buf, size);
	put_era_text(&o, era, era_year(era, ym->y), ym->m, 0);
	return out_end(&o);
}
