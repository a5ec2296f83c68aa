/*
 * gc_words.h: the word lists sesshu-gencity builds its city from.
 *
 * The lists are UTF-8 text files in one directory (assets/wordlists in the
 * source tree), read at run time so that a city can be reshaped without a
 * rebuild. Each is checked as it is read; a missing file, a bad column or
 * an impossible combination is refused with the file and line at fault.
 * Every name in them is invented or a common generic word: the generator
 * never sees data about real people (DOMAIN.md C11).
 *
 * File format: one entry a line, columns separated by spaces or tabs,
 * blank lines and lines starting with '#' ignored, LF or CRLF.
 */
#ifndef SESSHU_GC_WORDS_H
#define SESSHU_GC_WORDS_H

#include <stddef.h>

#include "core/err.h"

#define GC_WORDS_MAX_TOWNS	1000	/* entries of towns.txt, at most */

struct gc_list {
	const char	 *file;		/* borrowed: "towns.txt" */
	size_t		  ncol;
	size_t		  n;		/* entries */
	char		**cell;		/* owned: n * ncol pointers into text */
	int		 *line;		/* owned: source line of each entry */
	char		 *text;		/* owned: the file, split in place */
};

enum gc_era {
	GC_ERA_OLD,			/* born before 1961 */
	GC_ERA_MID,			/* born 1961-1990 */
	GC_ERA_NEW,			/* born 1991 or later */
	GC_ERA_COUNT
};

/* Index lists over one gc_list, e.g. the male names of one era. */
struct gc_index {
	size_t		*v;		/* owned */
	size_t		 n;
};

struct gc_words {
	struct gc_list	city;		/* name kana (one entry) */
	struct gc_list	towns;		/* name kana chome district postal */
	struct gc_list	buildings;	/* name floors */
	struct gc_list	family;		/* kanji kana */
	struct gc_list	male;		/* kanji kana era */
	struct gc_list	female;		/* kanji kana era */
	struct gc_list	cities;		/* name */
	struct gc_list	institutions;	/* code kind name */
	struct gc_list	foreign_family;	/* latin kana region country */
	struct gc_list	foreign_given;	/* latin kana sex region */

	struct gc_index	male_era[GC_ERA_COUNT];
	struct gc_index	female_era[GC_ERA_COUNT];
};

/* Column numbers, named where the generator reads them. */
enum {
	GC_TOWN_NAME, GC_TOWN_KANA, GC_TOWN_CHOME, GC_TOWN_DISTRICT,
	GC_TOWN_POSTAL
};
enum { GC_BLDG_NAME, GC_BLDG_FLOORS };
enum { GC_NAME_KANJI, GC_NAME_KANA, GC_NAME_ERA };
enum { GC_INST_CODE, GC_INST_KIND, GC_INST_NAME };
enum { GC_FFAM_LATIN, GC_FFAM_KANA, GC_FFAM_REGION, GC_FFAM_COUNTRY };
enum { GC_FGIV_LATIN, GC_FGIV_KANA, GC_FGIV_SEX, GC_FGIV_REGION };

/* Loads and checks every list from dir. On failure frees what it read. */
int	gc_words_load(struct gc_words *, const char *dir, struct sesshu_err *);
void	gc_words_free(struct gc_words *);

static inline const char *
gc_cell(const struct gc_list *l, size_t row, size_t col)
{
	return l->cell[row * l->ncol + col];
}

#endif
