/*
 * master.h: master data seeds (forms/master/<kind>.json): vaccines,
 * manufacturers, lots, medical institutions, doctors and fee categories,
 * checked row by row so that the register can insert them column by
 * column into the tables of store/entity_schema.c.
 *
 * A seed file:
 *
 *   { "kind": "lot",
 *     "rows": [ { "lot_no": "BM101A", "vaccine_code": "MR",
 *                 "maker_code": "BIKEN", "expiry": "2028-03-31" }, ... ] }
 *
 * kind is one of vaccine, manufacturer, lot, institution, doctor,
 * fee_category; each row's members are columns of the kind's table, with
 * the NOT NULL ones present (core_master_column()). Optional columns are
 * left out rather than written as null. Keys are unique within a file.
 *
 * Owns the parsed set (core_master_free()). Parses bytes the caller has
 * read: no I/O here. Messages name the file, the row by index and key,
 * and the column; never a doctor's name or another free-text value.
 */
#ifndef SESSHU_CORE_MASTER_H
#define SESSHU_CORE_MASTER_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

enum core_master_kind {
	CORE_MASTER_VACCINE,		/* vaccines */
	CORE_MASTER_MANUFACTURER,	/* manufacturers */
	CORE_MASTER_LOT,		/* lots */
	CORE_MASTER_INSTITUTION,	/* medical_institutions */
	CORE_MASTER_DOCTOR,		/* doctors */
	CORE_MASTER_FEE_CATEGORY,	/* fee_categories */
	CORE_MASTER_NKINDS
};

/* How a column's value is checked. */
enum core_master_check {
	CORE_MASTER_TEXT,	/* a string of at most max characters */
	CORE_MASTER_CODE,	/* printable ASCII, no spaces, at most max bytes */
	CORE_MASTER_DIGITS,	/* exactly max ASCII digits */
	CORE_MASTER_DATE,	/* YYYY-MM-DD */
	CORE_MASTER_KANA,	/* カナ (core_kana_check_katakana()) */
	CORE_MASTER_FLAG,	/* the integer 0 or 1 */
	CORE_MASTER_YEN,	/* an integer, 0 or more */
	CORE_MASTER_VACCINE_CODE, /* a code of core/vaccine.c */
	CORE_MASTER_CLASS,	/* "A" or "B" */
};

struct core_master_column {
	const char	*name;		/* "maker_code" */
	enum core_master_check check;
	size_t		 max;		/* see the check */
	int		 required;	/* NOT NULL in the table */
};

struct core_master {
	const char	*file;		/* as passed to core_master_parse() */
	enum core_master_kind kind;
	const char	*kind_name;	/* "lot" */
	const char	*table;		/* "lots" */
	json_t		*rows;		/* array of objects; borrowed: valid
					   until core_master_free() */
	size_t		 nrows;
};

/*
 * Parses a seed from json[0..len); file names it in messages. On success
 * *out is the set (caller frees with core_master_free()). Fails with
 * SESSHU_EFORMAT ("FILE: rows[3] (BM101A): expiry: ...", or
 * "FILE:LINE:COLUMN: invalid JSON: ...") or SESSHU_ENOMEM; *out is NULL.
 */
int	core_master_parse(const char *json, size_t len, const char *file,
	    struct core_master **out, struct sesshu_err *err);

/*
 * Checks the references between the given sets: a lot's vaccine_code in
 * the vaccine set and its maker_code in the manufacturer set, a doctor's
 * institution_code in the institution set, and every vaccine of
 * core/vaccine.c in the vaccine set. A reference is checked only when the
 * set it points into is among sets; two sets of one kind are refused
 * (SESSHU_EINVAL). A dangling reference is SESSHU_EFORMAT naming both
 * files, the row and the code.
 */
int	core_master_check_refs(const struct core_master *const *sets, size_t n,
	    struct sesshu_err *err);

void	core_master_free(struct core_master *m);

/* The kind's name ("lot") and table ("lots"); NULL when out of range. */
const char *core_master_kind_name(enum core_master_kind k);
const char *core_master_table(enum core_master_kind k);

/* The table's columns in table order, for binding row by row. */
size_t	core_master_ncolumns(enum core_master_kind k);
const struct core_master_column *core_master_column(enum core_master_kind k,
	    size_t i);

/* The row whose key (the first column) is key, or NULL; borrowed. For
 * lots the key is not unique across vaccines: the first match is given. */
const json_t *core_master_find(const struct core_master *m, const char *key);

#endif
