/*
 * sheets.h: making 予診票 records for the benchmarks as the entry screen
 * makes them (src/tui/sheet.c): the person's history read from the cache,
 * the lot from the master data, the checks of core/check.h, then
 * ws_record_save (record, outbox, audit, durable commit). COVID doses
 * given on 2026-10-01 to adults born before 2000, so the register accepts
 * them; benchmark-only.
 */
#ifndef SESSHU_BENCH_SHEETS_H
#define SESSHU_BENCH_SHEETS_H

#include <stddef.h>

#include "sync/account.h"

struct bh_sheets;

/*
 * Prepares to save sheets on s: the schedule from forms_dir/schedule.json,
 * a COVID lot of the master data. persons_csv: NULL to draw the persons
 * from the cache, or a city's residents.csv (a workstation without a copy
 * of the city). seed picks the persons.
 */
struct bh_sheets *bh_sheets_new(struct ws_session *s, const char *forms_dir,
	    const char *persons_csv, unsigned seed);
void	bh_sheets_free(struct bh_sheets *b);

/* Number of candidate persons. */
size_t	bh_sheets_persons(const struct bh_sheets *b);

/*
 * Saves one sheet for the candidate person number i (modulo their count)
 * with the given COVID dose; with_checks 0 skips reading the history and
 * the checks (for workstations without the city). Dies on failure.
 */
void	bh_sheet_save(struct bh_sheets *b, size_t i, int dose, int with_checks);

#endif
