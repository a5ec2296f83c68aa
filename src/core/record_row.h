/*
 * record_row.h: one row of the vaccination-record import (接種記録, e.g.
 * the history migrated from a city's previous system), checked into a
 * typed struct.
 *
 * Checks each field and the rules between fields of the same row (予診のみ
 * and the lot, an expired lot, the billing month), and collects every
 * problem of the row (import.h). What needs the person or other rows is
 * the caller's: that atena_no names a known resident, that the dose was
 * not before birth or after death, schedule windows, duplicate doses, and
 * the uniqueness of legacy_id within the file (core_uniq_mark()).
 * Must never put free text (doctor names, notes) into a problem message.
 * No I/O, no allocation: text fields borrow from the CSV record.
 */
#ifndef SESSHU_CORE_RECORD_ROW_H
#define SESSHU_CORE_RECORD_ROW_H

#include <stdbool.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/import.h"
#include "core/vaccine.h"

/* Columns in their documented order (docs/IMPORT.md); files may use any. */
enum core_record_column {
	CORE_REC_LEGACY_ID,		/* 旧システム記録ID */
	CORE_REC_ATENA_NO,		/* 宛名番号 */
	CORE_REC_VACCINE_CODE,		/* 接種種類 */
	CORE_REC_DOSE,			/* 回数 */
	CORE_REC_CATEGORY,		/* 接種区分 */
	CORE_REC_VACCINATED_ON,		/* 実施日 */
	CORE_REC_INSTITUTION_CODE,	/* 医療機関コード */
	CORE_REC_VENUE_CODE,		/* 会場コード */
	CORE_REC_SCREENING_DOCTOR,	/* 予診医 */
	CORE_REC_VACCINATING_DOCTOR,	/* 接種医 */
	CORE_REC_VACCINE_NAME,		/* ワクチン名 */
	CORE_REC_MAKER,			/* メーカー */
	CORE_REC_LOT_NO,		/* ロット番号 */
	CORE_REC_LOT_EXPIRY,		/* 有効期限 */
	CORE_REC_AMOUNT_ML,		/* 接種量 */
	CORE_REC_SITE,			/* 接種部位 */
	CORE_REC_METHOD,		/* 接種方法 */
	CORE_REC_SCREENING_ONLY,	/* 予診のみ */
	CORE_REC_SCREENING_REASON,	/* 予診理由 */
	CORE_REC_UNSUITABLE_CODE,	/* 接種不適当区分 */
	CORE_REC_FEE_CATEGORY,		/* 負担金区分 */
	CORE_REC_BILLING_MONTH,		/* 請求年月 */
	CORE_REC_OTHER_MUNICIPALITY,	/* 他市町村接種区分 */
	CORE_REC_CERTIFICATE_ISSUED,	/* 接種済証発行区分 */
	CORE_REC_NOTE,			/* 備考 */
	CORE_REC_NCOLUMNS
};

/* Length limits: characters (code points) for text, bytes for codes. */
#define CORE_REC_LEGACY_ID_MAX		32
#define CORE_REC_CODE_MAX		16	/* venue, unsuitable, fee codes */
#define CORE_REC_DOCTOR_MAX		60
#define CORE_REC_VACCINE_NAME_MAX	100
#define CORE_REC_MAKER_MAX		60
#define CORE_REC_LOT_NO_MAX		32
#define CORE_REC_SITE_MAX		30
#define CORE_REC_METHOD_MAX		30
#define CORE_REC_REASON_MAX		200
#define CORE_REC_NOTE_MAX		200
#define CORE_REC_AMOUNT_MAX_UL		5000	/* 5 ml */

/* 接種区分 */
enum core_record_category {
	CORE_CAT_ROUTINE_A = 'A',	/* 定期A類 */
	CORE_CAT_ROUTINE_B = 'B',	/* 定期B類 */
	CORE_CAT_TEMPORARY = 'T',	/* 臨時 */
	CORE_CAT_VOLUNTARY = 'V',	/* 任意 */
	CORE_CAT_SPECIFIED = 'S',	/* 特定接種 */
	CORE_CAT_RESIDENT = 'J',	/* 住民接種 */
};

struct core_record_row {
	char			 legacy_id[CORE_REC_LEGACY_ID_MAX + 1];	/* "" */
	char			 atena_no[11];
	const struct core_vaccine *vaccine;		/* static table entry */
	int			 dose;			/* 1..9 */
	char			 category;	/* enum core_record_category */
	struct core_date	 vaccinated_on;
	char			 institution_code[11];
	char			 venue_code[CORE_REC_CODE_MAX + 1];
	struct core_text	 screening_doctor;
	struct core_text	 vaccinating_doctor;
	struct core_text	 vaccine_name;
	struct core_text	 maker;
	struct core_text	 lot_no;		/* empty when screening only */
	bool			 has_lot_expiry;
	struct core_date	 lot_expiry;
	bool			 has_amount;
	unsigned		 amount_ul;	/* microlitres: 0.5 ml is 500 */
	struct core_text	 site;
	struct core_text	 method;
	bool			 screening_only;
	struct core_text	 screening_reason;
	char			 unsuitable_code[CORE_REC_CODE_MAX + 1];
	char			 fee_category[CORE_REC_CODE_MAX + 1];
	bool			 has_billing_month;
	struct core_ym		 billing_month;
	bool			 other_municipality;
	bool			 certificate_issued;
	struct core_text	 note;			/* may hold line breaks */
};

/* The layout, indexed by enum core_record_column. */
const struct core_column *core_record_columns(void);

/* The Japanese name of a category letter, or NULL when it is not one. */
const char *core_record_category_name(char category);

/* Maps the header row (see core_header_map()). */
int	core_record_header(const struct csv_record *rec,
	    struct core_header *hdr, struct core_problems *pr);

/*
 * Checks data row rec against the mapped header; today bounds the
 * vaccination date. Fills out and returns 0, or returns SESSHU_EINVAL with
 * every problem of the row added to pr (out must then not be used).
 */
int	core_record_row_parse(const struct core_header *hdr,
	    const struct csv_record *rec, const struct core_date *today,
	    struct core_record_row *out, struct core_problems *pr);

/*
 * 接種量 in ml, "0.5", "1", "0.25": ASCII digits with at most three
 * decimals, more than 0 and at most 5 ml. Gives microlitres.
 */
int	core_record_parse_amount(const char *s, size_t len, unsigned *ul,
	    struct sesshu_err *err);

#endif
