/*
 * municipality.h: the 地方公共団体コード (local government code, JIS X 0401
 * prefecture + JIS X 0402 city) that travels with every exchange (C9).
 *
 * Six ASCII digits: prefecture (2), city (3), check digit (1). Checks the
 * shape, the prefecture and the check digit; it cannot know whether a city
 * with that code exists, and must never guess or repair a code.
 * No I/O.
 */
#ifndef SESSHU_CORE_MUNICIPALITY_H
#define SESSHU_CORE_MUNICIPALITY_H

#include <stddef.h>

#include "core/err.h"

#define CORE_MUNI_LEN		6
#define CORE_MUNI_STRLEN	7	/* six digits and the NUL */

/*
 * Prefecture 99 is not assigned to any real prefecture; sesshu reserves it
 * for synthetic test and demo cities (the demo city is 990001), so that a
 * test code can never be mistaken for a real city's. It is refused unless
 * the caller passes this flag (the demo and test configurations do).
 */
#define CORE_MUNI_TEST_PREFECTURE	99
#define CORE_MUNI_ALLOW_TEST		0x1

struct core_municipality {
	char	code[CORE_MUNI_STRLEN];		/* "011002" */
	int	prefecture;			/* 1..47, or 99 */
};

/*
 * The check digit for the first five digits d1..d5:
 * (11 - (6*d1 + 5*d2 + 4*d3 + 3*d4 + 2*d5) % 11) % 10.
 * digits must be five ASCII digits; returns 0..9, or -1 otherwise.
 */
int	core_municipality_check_digit(const char *digits);

/*
 * Validates s[0..len) and fills out (optional). Messages say what is wrong:
 * "011003: check digit is 3, expected 2".
 */
int	core_municipality_parse(const char *s, size_t len, unsigned flags,
	    struct core_municipality *out, struct sesshu_err *err);

#endif
