/*
 * gc_city.h: the households and residents of sesshu-gencity's city.
 *
 * Builds one household (世帯) at a time from its own random stream, so a
 * city of any size is generated and written in constant memory, and writes
 * its members as rows of the resident import layout. The shapes are meant
 * to look like a Japanese city of the 2020s: an ageing population pyramid,
 * 2.3 persons a household, families sharing a family name and an address,
 * some foreign residents, movers in and out, and the recently deceased.
 * Everything is synthetic (DOMAIN.md C11).
 */
#ifndef SESSHU_GC_CITY_H
#define SESSHU_GC_CITY_H

#include <stddef.h>
#include <stdint.h>

#include "gc_csv.h"
#include "gc_words.h"

#define GC_HOUSE_MAX	12	/* members of one household, at most */
#define GC_ADDR_MAX	192	/* bytes of an address, with its NUL */
#define GC_CITY_PROFILES 8	/* age profiles, at most (gc_city.c) */

enum gc_status {
	GC_RESIDENT	= 1,
	GC_MOVED_OUT	= 2,
	GC_DECEASED	= 3,
};

struct gc_person {
	uint64_t	 atena;		/* 宛名番号 */
	int		 sex;		/* 1 male, 2 female */
	int32_t		 birth;
	const char	*relationship;	/* 続柄 */
	/* 氏名 as used in Japan: the 通称 for a foreigner who has one. */
	const char	*family, *family_kana;
	const char	*given, *given_kana;
	/* 本名 of a foreign resident, A-Z; NULL for a Japanese national. */
	const char	*latin_family, *latin_given;
	int		 status;	/* enum gc_status */
	int32_t		 since;		/* 住民となった日 */
	int32_t		 until;		/* 住民でなくなった日 or GC_DATE_NONE */
	int		 moved_in;	/* since is a move-in from previous */
	char		 previous[GC_ADDR_MAX];	/* 前住所 */
	char		 moved_to[GC_ADDR_MAX];	/* 転出先住所 */
	char		 phone[16];
};

struct gc_household {
	uint64_t	 no;		/* 世帯番号 */
	size_t		 town;		/* row in towns.txt */
	const char	*postal;	/* borrowed from towns.txt */
	const char	*district;	/* borrowed from towns.txt */
	char		 address[GC_ADDR_MAX];
	char		 extra[GC_ADDR_MAX];	/* 方書, may be empty */
	int		 foreigner;
	size_t		 n;
	struct gc_person m[GC_HOUSE_MAX];
};

struct gc_city {
	const struct gc_words	*w;
	uint64_t		 seed;
	int32_t			 today;
	uint64_t		 next_atena;
	uint64_t		 next_house;
	/* Cumulative weights: towns by size, ages 0-100 by profile. */
	double			 town_cum[GC_WORDS_MAX_TOWNS + 1];
	double			 age_cum[GC_CITY_PROFILES][102];
};

void	gc_city_init(struct gc_city *, const struct gc_words *, uint64_t seed,
	    int32_t today);

/* Builds household number index (0, 1, 2, ...); call in index order, since
 * addressee and household numbers are handed out as it goes. */
void	gc_city_household(struct gc_city *, uint64_t index,
	    struct gc_household *);

/* Writes the header of the resident layout. */
void	gc_city_write_header(struct gc_csv *);

/* Writes the first n members of a household as resident rows. */
void	gc_city_write(struct gc_csv *, const struct gc_household *, size_t n);

#endif
