/*
 * form.h: 予診票 entry forms as data (forms/<id>.json), their parser, and
 * the city's customisation (forms/city.json) that hides the items its
 * privacy-impact assessment does not list (DOMAIN §2, ARCHITECTURE §5).
 *
 * Owns the parsed form (core_form_free()). Parses bytes the caller has
 * read: no I/O here. Parsing is strict, because a form is loaded at start
 * and a mistake in it must stop the start with a message that names the
 * file, the field and the problem, never be guessed around.
 * Must never hold a person's data: a form is the shape of a sheet only.
 *
 * ---- The form file -------------------------------------------------
 *
 *   {
 *     "form": "yoshinhyo-mr",            the form's ID; when the file name
 *                                        ends in ".json" it must be <form>.json
 *     "version": 1,                      of this format; a larger one is
 *                                        refused with SESSHU_EVERSION
 *     "vaccine": "MR",                   a code of core/vaccine.c
 *     "title_ja": "麻しん風しん混合(MR) 予診票",
 *     "title_en": "Measles-rubella (MR) questionnaire",
 *     "fields": [ FIELD, ... ]           screen order: the order of entry
 *   }
 *
 * FIELD:
 *
 *   {
 *     "item": "lot_no",                  a column of vaccination_records
 *                                        (list below), at most once a form
 *     "type": "code",                    list below; must fit the item
 *     "label_ja": "ロット番号",           both labels are required
 *     "label_en": "Lot number",
 *     "required": true,                  optional, default false
 *     "default": "batch" | literal,      optional, see below
 *     "source": "lot",                   code fields only, and required there
 *     "choices": [ CHOICE, ... ],        choice fields only, and required there
 *     "min": 1, "max": 4,                integer fields only (within 1..9)
 *     "max_length": 40                   text fields only, in characters,
 *                                        at most the column's limit
 *   }
 *
 * CHOICE: { "value": "皮下", "label_ja": "皮下", "label_en": "subcutaneous" };
 * values are unique within the field and fit the item's column.
 *
 * Items, with the types each accepts (the first is the usual one):
 *
 *   vaccinated_on       date          実施日            required
 *   dose                integer       回数 (1..9)       required
 *   stage               choice        期 (1期, 2期 …)
 *   institution_code    code          医療機関          required, may be "batch"
 *   venue_code          code          会場
 *   screening_doctor    code, text    予診医
 *   vaccinating_doctor  code, text    接種医
 *   vaccine_name        text, choice  ワクチン名
 *   maker_code          code, text    メーカー
 *   lot_no              code, text    ロット番号
 *   amount_ml           number        接種量 (ml)
 *   site                choice, text  接種部位
 *   method              choice, text  接種方法
 *   screening_only      flag          予診のみ
 *   screening_reason    text, choice  予診理由
 *   unsuitable_code     choice, text  接種不適当区分
 *   fee_category        code, choice  負担金区分
 *   billing_month       month         請求年月          may be "batch"
 *   other_municipality  flag          他市町村接種区分
 *   note                text          備考
 *
 * Every form has vaccinated_on, dose and institution_code, marked
 * required: the record cannot be stored without them. The other columns
 * of a record (atena_no, vaccine_code, category, the state, who entered
 * it) are not on the sheet: the person comes from the barcode or the
 * search, the vaccine from the form, the category from the schedule.
 *
 * Types: date (YYYY-MM-DD), month (YYYY-MM), integer, number (a decimal
 * such as 0.5), text, code (completes from master data; "source" names
 * which: institution, doctor, lot, maker, venue or fee_category, and must
 * be the one the item holds), choice (one of "choices"), flag (0 or 1).
 *
 * "default": "batch" fills the item from the open 予診票 batch and is
 * allowed for institution_code and billing_month only. Any other default
 * is a literal of the field's type: a JSON integer for integer and flag
 * fields, a JSON number for number fields, a string otherwise (a choice's
 * value, a date, a month, a code, a text).
 *
 * Derived values: a lot chosen from master data also gives maker_code,
 * vaccine_name and lot_expiry; the form engine fills an empty maker_code
 * or vaccine_name field from it. The stage field's choice values are the
 * vaccine's stages as the schedule rules name them; core_form.stages lists
 * them (none when the form has no stage field).
 *
 * ---- The city file (forms/city.json) ---------------------------------
 *
 *   { "city": "東雲県若葉市", "version": 1, "hidden": ["venue_code"] }
 *
 * "hidden" lists items the city's assessment does not name: a form that
 * has one shows it nowhere and never fills it (its default is not used),
 * so the city never holds the item. An item that no form of this kind
 * may hold is an error, and so is hiding an item a form requires.
 */
#ifndef SESSHU_CORE_FORM_H
#define SESSHU_CORE_FORM_H

#include <stddef.h>

#include "core/err.h"

#define CORE_FORM_VERSION	1	/* the format this parser reads */

enum core_form_type {
	CORE_FORM_DATE,
	CORE_FORM_MONTH,
	CORE_FORM_INTEGER,
	CORE_FORM_NUMBER,
	CORE_FORM_TEXT,
	CORE_FORM_CODE,
	CORE_FORM_CHOICE,
	CORE_FORM_FLAG,
};

/* Which master data a code field completes from. */
enum core_form_source {
	CORE_FORM_SOURCE_NONE,
	CORE_FORM_SOURCE_INSTITUTION,	/* medical_institutions */
	CORE_FORM_SOURCE_DOCTOR,	/* doctors */
	CORE_FORM_SOURCE_LOT,		/* lots of the form's vaccine */
	CORE_FORM_SOURCE_MAKER,		/* manufacturers */
	CORE_FORM_SOURCE_VENUE,		/* venues */
	CORE_FORM_SOURCE_FEE_CATEGORY,	/* fee_categories */
};

struct core_form_choice {
	const char	*value;		/* stored in the record */
	const char	*label_ja;
	const char	*label_en;
};

struct core_form_field {
	const char	*item;		/* "lot_no": the record column */
	enum core_form_type type;
	int		 required;
	int		 from_batch;	/* "default": "batch" */
	const char	*default_value;	/* literal default as text, or NULL */
	const char	*label_ja, *label_en;
	enum core_form_source source;	/* code fields; else NONE */
	size_t		 nchoices;	/* choice fields; else 0 */
	const struct core_form_choice *choices;
	long		 min, max;	/* integer fields; else 0 */
	/* The longest value in characters: text (max_length or the
	 * column's limit), code (the master key's limit); else 0. */
	size_t		 max_length;
	int		 hidden;	/* set by core_form_apply_city() */
};

struct core_form {
	const char	*file;		/* as passed to core_form_parse() */
	const char	*id;		/* "yoshinhyo-mr" */
	const char	*vaccine_code;	/* "MR" */
	const char	*title_ja, *title_en;
	size_t		 nstages;	/* the stage field's values, in order */
	const char *const *stages;
	size_t		 nfields;	/* screen order */
	struct core_form_field *fields;	/* owned by the form */
};

/*
 * Parses a form from json[0..len); file names it in messages. On success
 * *out is the form (caller frees with core_form_free()). Fails with
 * SESSHU_EFORMAT ("FILE: fields[3] (lot_no): ..." or "FILE:LINE:COLUMN:
 * invalid JSON: ..."), SESSHU_EVERSION for a newer format, SESSHU_ENOMEM;
 * *out is then NULL.
 */
int	core_form_parse(const char *json, size_t len, const char *file,
	    struct core_form **out, struct sesshu_err *err);

/*
 * Applies the city file city_json[0..len) to f: marks the hidden items.
 * Hiding a required item, or naming something that is not an item, fails
 * with SESSHU_EFORMAT naming city_file, the form and the item; f is then
 * unchanged. Items the form does not have are skipped.
 */
int	core_form_apply_city(struct core_form *f, const char *city_json,
	    size_t len, const char *city_file, struct sesshu_err *err);

void	core_form_free(struct core_form *f);

/* The field for item, or NULL when the form has none (hidden or not). */
const struct core_form_field *core_form_field(const struct core_form *f,
	    const char *item);

/* The JSON names: "date", "lot"; NULL when out of range. */
const char *core_form_type_name(enum core_form_type t);
const char *core_form_source_name(enum core_form_source s);

/* The items a form may hold, in the order of the list above. */
size_t	core_form_item_count(void);
const char *core_form_item_at(size_t i);

#endif
