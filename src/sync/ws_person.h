/*
 * ws_person.h: reading residents and their records from the workstation
 * cache for the screens: one person by 宛名番号, a search by normalised
 * カナ prefix and birth date, the current records of a person, the lots
 * of a vaccine and the names of master-data codes.
 *
 * Everything returned is personal data held in caller-owned structs: the
 * caller wipes them (OPENSSL_cleanse) when it forgets the person. Viewing
 * is audited by the screens (they know which screen showed it, C4); this
 * module only reads. Never logs a value.
 */
#ifndef SESSHU_SYNC_WS_PERSON_H
#define SESSHU_SYNC_WS_PERSON_H

#include <stddef.h>

#include "core/date.h"
#include "core/err.h"
#include "sync/account.h"
#include "sync/wire.h"

#define WS_ATENA_DIGITS		10
#define WS_SEARCH_MAX		50	/* rows a search returns */
#define WS_HISTORY_MAX		200	/* records of one person kept on screen */

struct ws_person {
	char		atena_no[WS_ATENA_DIGITS + 1];	/* 宛名番号 */
	char		name[256];			/* 氏名 */
	char		name_kana[256];			/* カナ氏名 */
	char		birth_date[CORE_DATE_STRLEN];	/* 生年月日 */
	int		sex;				/* 1 male, 2 female */
	int		status;				/* 住民区分: 1 resident, 2 moved out, 3 deceased */
	char		resident_since[CORE_DATE_STRLEN];	/* "" unknown */
	char		resident_until[CORE_DATE_STRLEN];	/* "" still resident */
};

struct ws_record {
	char		record_uuid[WIRE_UUID_STRLEN];
	int		version;
	char		atena_no[WS_ATENA_DIGITS + 1];
	char		vaccine_code[16];
	int		dose;
	char		stage[16];
	char		category[2];
	char		vaccinated_on[CORE_DATE_STRLEN];
	char		institution_code[16];
	char		vaccinating_doctor[96];
	char		maker_code[96];
	char		lot_no[32];
	int		screening_only;
	char		state[12];			/* entered, verified, voided */
	char		entered_by[33];
	char		batch_id[WIRE_UUID_STRLEN];
	int		pending;	/* a change waits for a supervisor's approval */
};

/* The person with this 宛名番号; SESSHU_ENOTFOUND when none. */
int	ws_person_get(struct ws_session *s, const char *atena_no,
	    struct ws_person *out, struct sesshu_err *err);

/*
 * Persons whose カナ begins with kana (normalised: ひらがな = カタカナ,
 * half-width = full-width, spaces ignored; may be "") and, when birth is
 * not NULL, born that day; at least one of the two. Up to WS_SEARCH_MAX in
 * カナ order into out; *n the number found, *more set when there were more.
 */
int	ws_person_search(struct ws_session *s, const char *kana,
	    const struct core_date *birth, struct ws_person *out, size_t *n,
	    int *more, struct sesshu_err *err);

/*
 * The current version of each record of the person, voided ones included
 * (state says so), by date; up to max into out, *n found, *more over.
 */
int	ws_person_records(struct ws_session *s, const char *atena_no,
	    struct ws_record *out, size_t max, size_t *n, int *more,
	    struct sesshu_err *err);

/* The current version of one record; SESSHU_ENOTFOUND when none. */
int	ws_record_get(struct ws_session *s, const char *record_uuid,
	    struct ws_record *out, struct sesshu_err *err);

struct ws_lot {
	char		lot_no[32];
	char		maker_code[16];
	char		expiry[CORE_DATE_STRLEN];
};

/* The lots of a vaccine in the master data, latest expiry first. */
int	ws_lots_of(struct ws_session *s, const char *vaccine_code,
	    struct ws_lot *out, size_t max, size_t *n, struct sesshu_err *err);
/* One lot by number (any vaccine); SESSHU_ENOTFOUND when none. */
int	ws_lot_get(struct ws_session *s, const char *lot_no, char *vaccine_code,
	    size_t vsize, struct ws_lot *out, struct sesshu_err *err);

/*
 * The codes a code field may take, for completion: table one of
 * "medical_institutions", "doctors" (of institution when it is not NULL),
 * "manufacturers", "fee_categories"; those starting with prefix (may be
 * ""), in code order, up to max into out; *n the number written.
 */
int	ws_master_codes(struct ws_session *s, const char *table,
	    const char *institution, const char *prefix, char (*out)[32],
	    size_t max, size_t *n, struct sesshu_err *err);

/*
 * The name of a master-data code: table one of "medical_institutions",
 * "doctors", "manufacturers", "fee_categories", "vaccines" (name_ja);
 * "" into name when unknown. Returns 1 when found.
 */
int	ws_master_name(struct ws_session *s, const char *table, const char *code,
	    char *name, size_t size);

#endif
