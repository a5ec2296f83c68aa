/*
 * resident_row.h: one row of the resident import (住民 / 宛名 extract from
 * the resident register), checked into a typed struct.
 *
 * Checks each field and the rules between fields of the same row, and
 * collects every problem of the row (import.h). What needs more than one
 * row is the caller's: 宛名番号 must be unique within the file
 * (core_uniq_mark() finds the repeats), and re-import semantics live in
 * the register (docs/IMPORT.md).
 * There is no individual number (個人番号) in this layout and a header
 * naming one is refused. Must never put a name, address or phone number
 * into a problem message.
 * No I/O, no allocation: text fields borrow from the CSV record.
 */
#ifndef SESSHU_CORE_RESIDENT_ROW_H
#define SESSHU_CORE_RESIDENT_ROW_H

#include <stdbool.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/import.h"

/* Columns in their documented order (docs/IMPORT.md); files may use any. */
enum core_resident_column {
	CORE_RES_ATENA_NO,		/* 宛名番号 */
	CORE_RES_NAME,			/* 氏名 */
	CORE_RES_NAME_KANA,		/* カナ氏名 */
	CORE_RES_SEX,			/* 性別 */
	CORE_RES_BIRTH_DATE,		/* 生年月日 */
	CORE_RES_POSTAL_CODE,		/* 郵便番号 */
	CORE_RES_ADDRESS,		/* 住所 */
	CORE_RES_ADDRESS_EXTRA,		/* 方書 */
	CORE_RES_PHONE,			/* 電話番号 */
	CORE_RES_HOUSEHOLD_NO,		/* 世帯番号 */
	CORE_RES_RELATIONSHIP,		/* 続柄 */
	CORE_RES_STATUS,		/* 住民区分 */
	CORE_RES_RESIDENT_SINCE,	/* 住民となった日 */
	CORE_RES_RESIDENT_UNTIL,	/* 住民でなくなった日 */
	CORE_RES_LEAVE_REASON,		/* 異動事由 */
	CORE_RES_FOREIGNER,		/* 外国人フラグ */
	CORE_RES_REAL_NAME,		/* 本名 */
	CORE_RES_ALIAS_NAME,		/* 通称 */
	CORE_RES_PREVIOUS_ADDRESS,	/* 前住所 */
	CORE_RES_MOVED_TO_ADDRESS,	/* 転出先住所 */
	CORE_RES_DISTRICT_CODE,		/* 地区 */
	CORE_RES_NCOLUMNS
};

/* Length limits, in characters (code points) for text. */
#define CORE_RES_NAME_MAX		60
#define CORE_RES_NAME_KANA_MAX		100
#define CORE_RES_ADDRESS_MAX		200
#define CORE_RES_ADDRESS_EXTRA_MAX	100
#define CORE_RES_PHONE_MAX		20
#define CORE_RES_RELATIONSHIP_MAX	20
#define CORE_RES_LEAVE_REASON_MAX	60
#define CORE_RES_REAL_NAME_MAX		100
#define CORE_RES_ALIAS_NAME_MAX		60
#define CORE_RES_DISTRICT_MAX		8

enum core_sex {
	CORE_SEX_MALE = 1,
	CORE_SEX_FEMALE = 2,
};

enum core_resident_status {
	CORE_STATUS_RESIDENT = 1,	/* 住民 */
	CORE_STATUS_MOVED_OUT = 2,	/* 転出 */
	CORE_STATUS_DECEASED = 3,	/* 死亡 */
};

struct core_resident_row {
	char			atena_no[11];		/* 10 digits */
	struct core_text	name;
	struct core_text	name_kana;
	int			sex;			/* enum core_sex */
	struct core_date	birth_date;
	char			postal_code[9];		/* "NNN-NNNN" or "" */
	struct core_text	address;
	struct core_text	address_extra;		/* len 0: none */
	char			phone[CORE_RES_PHONE_MAX + 1];
	char			household_no[11];	/* "" when none */
	struct core_text	relationship;
	int			status;		/* enum core_resident_status */
	bool			has_resident_since;
	struct core_date	resident_since;
	bool			has_resident_until;
	struct core_date	resident_until;
	struct core_text	leave_reason;
	bool			foreigner;
	struct core_text	real_name;
	struct core_text	alias_name;
	struct core_text	previous_address;
	struct core_text	moved_to_address;
	char			district_code[CORE_RES_DISTRICT_MAX + 1];
};

/* The layout, indexed by enum core_resident_column. */
const struct core_column *core_resident_columns(void);

/* Maps the header row (see core_header_map()). */
int	core_resident_header(const struct csv_record *rec,
	    struct core_header *hdr, struct core_problems *pr);

/*
 * Checks data row rec against the mapped header; today bounds the dates
 * that cannot be in the future. Fills out and returns 0, or returns
 * SESSHU_EINVAL with every problem of the row added to pr (out is then
 * partly filled and must not be used).
 */
int	core_resident_row_parse(const struct core_header *hdr,
	    const struct csv_record *rec, const struct core_date *today,
	    struct core_resident_row *out, struct core_problems *pr);

#endif
