/*
 * gc_vacc.h: vaccination histories of sesshu-gencity's residents.
 *
 * For each person, the doses the routine schedule (DOMAIN.md §2) would
 * have given them while they lived in the city, and the COVID-19 doses of
 * the 2021-2024 特例臨時接種 (category T, docs/IMPORT.md), as a real
 * population gets them: mostly on time, some late, some missed, a few
 * screened and sent home (予診のみ), a few given outside the window and so
 * recorded as 任意, now and then in another city on a 実施依頼書. Written
 * as rows of the record import layout, streamed person by person.
 *
 * Records reach back to GC_VACC_HISTORY_START: older paper records are not
 * in a city's system. Nothing here is medical advice or a schedule rule the
 * workstation may rely on; those live in src/core.
 */
#ifndef SESSHU_GC_VACC_H
#define SESSHU_GC_VACC_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "gc_city.h"
#include "gc_csv.h"
#include "gc_words.h"

/* The first day of the city's electronic records (YYYYMMDD). */
#define GC_VACC_HISTORY_START	20010401

struct gc_vacc {
	const struct gc_words	*w;
	int32_t			 today;
	int32_t			 history_start;
	uint64_t		 next_legacy;	/* legacy_id serial */
	uint64_t		 records;	/* rows written */
	uint64_t		 screening_only;
	uint64_t		 voluntary;	/* category V */

	/* Institutions by what they vaccinate: rows of institutions.txt. */
	size_t			*children, nchildren;	/* P and G */
	size_t			*adults, nadults;	/* I and G */
	size_t			*centres, ncentres;	/* H */
	size_t			*outside, noutside;	/* X */
	/* Doctors of each institution, "姓　名". */
	char			**doctor;	/* owned: 4 per institution */
	int			*ndoctors;	/* owned */

	int32_t			*routine_from;		/* owned: per vaccine */
	int32_t			*product_from;		/* owned: per product */
	int32_t			*product_to;		/* owned: per product */
};

int	gc_vacc_init(struct gc_vacc *, const struct gc_words *, int32_t today,
	    struct sesshu_err *);
void	gc_vacc_free(struct gc_vacc *);

void	gc_vacc_write_header(struct gc_csv *);

/* Writes the person's records, in date order; returns how many. The draws
 * come from the person's own stream, derived from seed and 宛名番号. */
size_t	gc_vacc_write(struct gc_vacc *, struct gc_csv *, uint64_t seed,
	    const struct gc_person *);

#endif
