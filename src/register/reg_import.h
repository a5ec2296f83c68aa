/*
 * reg_import.h: importing a resident file (住民・宛名情報) or a
 * vaccination-record file (接種記録) into the register (docs/IMPORT.md).
 *
 * A file is read whole (at most REG_IMPORT_MAX_BYTES), converted from cp932
 * to UTF-8 when asked, and checked completely with the core row checks plus
 * what needs the register or other rows (a duplicate 宛名番号 or legacy_id,
 * a record's person, birth and death). Only a file without any problem is
 * written, in one transaction with its audit entry; otherwise every problem
 * is printed as FILE:LINE: column: problem and the register is left exactly
 * as it was (apart from the audit entry that says the import was refused).
 *
 * Owns the file's bytes for the length of one call. Must never print or
 * log a name, an address or any other free text of a row: problems come
 * from core, which shows only codes, dates and numbers. Never deletes a
 * person or a record, never touches records in a resident import, and
 * never imports an individual number (core refuses such a column).
 */
#ifndef SESSHU_REGISTER_REG_IMPORT_H
#define SESSHU_REGISTER_REG_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/date.h"
#include "core/err.h"
#include "core/record_row.h"
#include "register/reg.h"

/* 2 GiB: a bigger extract is refused, with the advice to split it. */
#define REG_IMPORT_MAX_BYTES	((size_t)2 << 30)

/* "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx" and its NUL. */
#define REG_IMPORT_UUID_STRLEN	37

enum reg_import_kind {
	REG_IMPORT_RESIDENTS,
	REG_IMPORT_RECORDS,
};

enum reg_import_encoding {
	REG_IMPORT_UTF8,
	REG_IMPORT_CP932,	/* Windows-31J, converted with iconv(3) */
};

struct reg_import_opts {
	enum reg_import_kind	 kind;
	enum reg_import_encoding encoding;
	struct core_date	 today;		/* bounds dates in the future */
	const char		*actor;		/* audit user, e.g. cmd_actor() */
	FILE			*report;	/* FILE:LINE: problems (NULL: stderr) */
};

struct reg_import_result {
	unsigned long	rows;		/* data rows in the file */
	unsigned long	added;		/* persons or records new to the register */
	unsigned long	changed;	/* written again: fields differed */
	unsigned long	unchanged;	/* identical, left alone (not renumbered) */
	unsigned long	bad;		/* rows (or lines) with problems, when refused */
};

/*
 * Imports the file at path (named so in every message) into reg.
 * Returns 0 with the counts in *res; SESSHU_EINVAL when the file had
 * problems, which were printed to o->report, with res->bad set and a
 * summary in err ("FILE: N rows with problems; nothing was imported");
 * SESSHU_ERANGE for a file over REG_IMPORT_MAX_BYTES; another code when
 * the file could not be read or the store failed, the transaction then
 * rolled back. Every run is audited (ok, refused or failed).
 */
int	reg_import_file(struct reg *reg, const char *path,
	    const struct reg_import_opts *o, struct reg_import_result *res,
	    struct sesshu_err *err);

/*
 * As reg_import_file() for bytes already in memory and in UTF-8; name
 * stands for the file in messages and in the audit entry (its basename).
 */
int	reg_import_buffer(struct reg *reg, const char *name, const char *buf,
	    size_t len, const struct reg_import_opts *o,
	    struct reg_import_result *res, struct sesshu_err *err);

/*
 * Reads path whole into *out (caller frees; NUL-terminated, *outlen
 * without the NUL), converting cp932 to UTF-8 when asked. Each line that
 * holds a byte sequence which is not cp932 is printed to report as
 * "FILE:LINE: invalid cp932 byte sequence"; the call then fails with
 * SESSHU_EINVAL and *bad_lines set.
 */
int	reg_import_read(const char *path, enum reg_import_encoding enc,
	    FILE *report, char **out, size_t *outlen, unsigned long *bad_lines,
	    struct sesshu_err *err);

/*
 * The record_uuid an imported row gets, the same on every import of it:
 * a UUID-shaped (version 5, RFC 4122 variant) hex of
 * SHA-256("sesshu-import-v1" NUL municipality NUL legacy_id), or, for a
 * row without legacy_id, of SHA-256("sesshu-import-v1-dose" NUL
 * municipality NUL atena_no NUL vaccine_code NUL dose NUL vaccinated_on).
 */
void	reg_import_record_uuid(const char *municipality,
	    const struct core_record_row *row, char out[REG_IMPORT_UUID_STRLEN]);

#endif
