/*
 * fuzz_era.c: libFuzzer target for the date and year-month readers of the
 * entry screens (core/era.h): core_date_parse_any and core_ym_parse_any.
 *
 * The input is read as a date and as a year-month. What era.h promises is
 * checked: a refusal is SESSHU_EINVAL with a message, leaves *out
 * untouched, never carries a control character or invalid UTF-8, and
 * quotes the value only when it is at most 32 bytes (else "the value"). A
 * date that parses is valid and reads back to the same day from each of
 * its written forms: ISO (core_date_parse and again core_date_parse_any),
 * and from 1873 the 和暦 long and short forms. A year-month likewise, from
 * "YYYY-MM" and its 和暦 form.
 * Build: clang -fsanitize=fuzzer,address,undefined -Isrc
 *     tests/fuzz/fuzz_era.c src/core/(all .c files) -ljansson
 */
#define _GNU_SOURCE	/* memmem */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/era.h"
#include "core/kana.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SHOWN_MAX	32	/* era.h: longest value a message quotes */

static const struct core_date gregorian = { 1873, 1, 1 };	/* 明治6年1月1日 */

/* The value without the spaces around it (ASCII, tab, U+3000), as era.h. */
static void
trim(const char **s, size_t *len)
{
	for (;;) {
		if (*len >= 1 && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
			(*s)++;
			(*len)--;
		} else if (*len >= 3 && memcmp(*s, "\xe3\x80\x80", 3) == 0) {
			*s += 3;
			*len -= 3;
		} else
			break;
	}
	for (;;) {
		if (*len >= 1 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
			(*len)--;
		else if (*len >= 3 && memcmp(*s + *len - 3, "\xe3\x80\x80", 3) == 0)
			*len -= 3;
		else
			break;
	}
}

static void
check_refusal(int rc, const struct sesshu_err *err, const char *s, size_t len)
{
	size_t mlen = strlen(err->msg);

	if (rc != SESSHU_EINVAL || err->code != rc || mlen == 0)
		abort();
	for (size_t i = 0; i < mlen; i++)
		if ((unsigned char)err->msg[i] < 0x20 || err->msg[i] == 0x7f)
			abort();
	/* A message cut at its limit may end inside a character. */
	if (mlen < SESSHU_ERR_MSG_MAX - 1 && core_utf8_check(err->msg, mlen, NULL,
	    NULL) != 0)
		abort();
	trim(&s, &len);
	if (len > SHOWN_MAX && (strstr(err->msg, "the value") == NULL ||
	    memmem(err->msg, mlen, s, len) != NULL))
		abort();
}

static void
check_date(const struct core_date *d)
{
	char iso[CORE_DATE_STRLEN], era[CORE_ERA_STRLEN];
	char both[CORE_DATE_BOTH_STRLEN];
	struct core_era_date e;
	struct core_date back;

	if (!core_date_is_valid(d) || core_date_format(d, iso, sizeof(iso)) != 0 ||
	    core_date_parse(iso, strlen(iso), &back, NULL) != 0 ||
	    core_date_cmp(&back, d) != 0 ||
	    core_date_parse_any(iso, strlen(iso), &back, NULL) != 0 ||
	    core_date_cmp(&back, d) != 0)
		abort();
	if (core_date_to_era(d, &e, NULL) != 0 || e.m != d->m || e.d != d->d)
		abort();
	if (core_date_format_both(d, both, sizeof(both)) != 0 ||
	    strncmp(both, iso, strlen(iso)) != 0)
		abort();
	if (core_date_cmp(d, &gregorian) < 0) {
		if (e.era_ja != NULL || e.year != 0 ||
		    core_date_format_era(d, era, sizeof(era)) != SESSHU_ERANGE ||
		    era[0] != '\0')
			abort();
		return;
	}
	if (e.era_ja == NULL || e.year < 1)
		abort();
	if (core_date_format_era(d, era, sizeof(era)) != 0 ||
	    core_date_parse_any(era, strlen(era), &back, NULL) != 0 ||
	    core_date_cmp(&back, d) != 0)
		abort();
	if (core_date_format_era_short(d, era, sizeof(era)) != 0 ||
	    core_date_parse_any(era, strlen(era), &back, NULL) != 0 ||
	    core_date_cmp(&back, d) != 0)
		abort();
}

static void
check_ym(const struct core_ym *ym)
{
	char iso[CORE_YM_STRLEN], era[CORE_YM_ERA_STRLEN];
	struct core_ym back;

	if (ym->y < CORE_DATE_YEAR_MIN || ym->y > CORE_DATE_YEAR_MAX ||
	    ym->m < 1 || ym->m > 12 ||
	    core_ym_format(ym, iso, sizeof(iso)) != 0 ||
	    core_ym_parse(iso, strlen(iso), &back, NULL) != 0 ||
	    core_ym_cmp(&back, ym) != 0 ||
	    core_ym_parse_any(iso, strlen(iso), &back, NULL) != 0 ||
	    core_ym_cmp(&back, ym) != 0)
		abort();
	if (ym->y < gregorian.y) {
		if (core_ym_format_era(ym, era, sizeof(era)) != SESSHU_ERANGE)
			abort();
		return;
	}
	if (core_ym_format_era(ym, era, sizeof(era)) != 0 ||
	    core_ym_parse_any(era, strlen(era), &back, NULL) != 0 ||
	    core_ym_cmp(&back, ym) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct core_date untouched = { -7, -7, -7 };
	const char *s = (const char *)data;
	struct sesshu_err err = { 0 };
	struct core_date d = untouched;
	struct core_ym ym = { -7, -7 };
	int rc;

	if ((rc = core_date_parse_any(s, size, &d, &err)) != 0) {
		check_refusal(rc, &err, s, size);
		if (memcmp(&d, &untouched, sizeof(d)) != 0)
			abort();
	} else
		check_date(&d);

	memset(&err, 0, sizeof(err));
	if ((rc = core_ym_parse_any(s, size, &ym, &err)) != 0) {
		check_refusal(rc, &err, s, size);
		if (ym.y != -7 || ym.m != -7)
			abort();
	} else
		check_ym(&ym);
	return 0;
}
