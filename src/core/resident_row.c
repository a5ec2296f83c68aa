/* resident_row.c: the resident import layout; see resident_row.h. */
#include "core/resident_row.h"

#include <string.h>

#include "core/kana.h"

static const struct core_column columns[CORE_RES_NCOLUMNS] = {
	[CORE_RES_ATENA_NO]		= { "atena_no", "宛名番号" },
	[CORE_RES_NAME]			= { "name", "氏名" },
	[CORE_RES_NAME_KANA]		= { "name_kana", "カナ氏名" },
	[CORE_RES_SEX]			= { "sex", "性別" },
	[CORE_RES_BIRTH_DATE]		= { "birth_date", "生年月日" },
	[CORE_RES_POSTAL_CODE]		= { "postal_code", "郵便番号" },
	[CORE_RES_ADDRESS]		= { "address", "住所" },
	[CORE_RES_ADDRESS_EXTRA]	= { "address_extra", "方書" },
	[CORE_RES_PHONE]		= { "phone", "電話番号" },
	[CORE_RES_HOUSEHOLD_NO]		= { "household_no", "世帯番号" },
	[CORE_RES_RELATIONSHIP]		= { "relationship", "続柄" },
	[CORE_RES_STATUS]		= { "status", "住民区分" },
	[CORE_RES_RESIDENT_SINCE]	= { "resident_since", "住民となった日" },
	[CORE_RES_RESIDENT_UNTIL]	= { "resident_until",
					    "住民でなくなった日" },
	[CORE_RES_LEAVE_REASON]		= { "leave_reason", "異動事由" },
	[CORE_RES_FOREIGNER]		= { "foreigner", "外国人フラグ" },
	[CORE_RES_REAL_NAME]		= { "real_name", "本名" },
	[CORE_RES_ALIAS_NAME]		= { "alias_name", "通称" },
	[CORE_RES_PREVIOUS_ADDRESS]	= { "previous_address", "前住所" },
	[CORE_RES_MOVED_TO_ADDRESS]	= { "moved_to_address", "転出先住所" },
	[CORE_RES_DISTRICT_CODE]	= { "district_code", "地区" },
};

static const char *const status_names[] = {
	[CORE_STATUS_RESIDENT] = "resident",
	[CORE_STATUS_MOVED_OUT] = "moved out",
	[CORE_STATUS_DECEASED] = "deceased",
};

const struct core_column *
core_resident_columns(void)
{
	return columns;
}

int
core_resident_header(const struct csv_record *rec, struct core_header *hdr,
    struct core_problems *pr)
{
	return core_header_map(columns, CORE_RES_NCOLUMNS, rec, hdr, pr);
}

#define FIELD(col)	core_header_field(hdr, rec, (col))
#define NAME(col)	(columns[(col)].name)

/* 郵便番号: NNN-NNNN. */
static void
check_postal(struct core_problems *pr, const struct csv_field *f, char *out)
{
	static const char shape[] = "999-9999";
	bool ok = f->len == sizeof(shape) - 1;

	out[0] = '\0';
	if (f->len == 0)
		return;
	for (size_t i = 0; ok && i < f->len; i++)
		ok = shape[i] == '-' ? f->s[i] == '-' :
		    (f->s[i] >= '0' && f->s[i] <= '9');
	if (!ok) {
		core_problems_add(pr, NAME(CORE_RES_POSTAL_CODE),
		    "must be NNN-NNNN in ASCII digits");
		return;
	}
	memcpy(out, f->s, f->len);
	out[f->len] = '\0';
}

/* 電話番号: digits and hyphens, at least one digit. */
static void
check_phone(struct core_problems *pr, const struct csv_field *f, char *out)
{
	bool digit = false;

	out[0] = '\0';
	if (f->len == 0)
		return;
	for (size_t i = 0; i < f->len; i++) {
		if (f->s[i] >= '0' && f->s[i] <= '9')
			digit = true;
		else if (f->s[i] != '-') {
			core_problems_add(pr, NAME(CORE_RES_PHONE),
			    "must be ASCII digits and hyphens (character %zu "
			    "is not)", i + 1);
			return;
		}
	}
	if (!digit) {
		core_problems_add(pr, NAME(CORE_RES_PHONE), "has no digits");
		return;
	}
	if (f->len > CORE_RES_PHONE_MAX) {
		core_problems_add(pr, NAME(CORE_RES_PHONE),
		    "longer than %d characters (%zu)", CORE_RES_PHONE_MAX,
		    f->len);
		return;
	}
	memcpy(out, f->s, f->len);
	out[f->len] = '\0';
}

static void
check_kana(struct core_problems *pr, const struct csv_field *f,
    struct core_text *out)
{
	struct sesshu_err err;

	if (core_field_text(pr, NAME(CORE_RES_NAME_KANA), f, true,
	    CORE_RES_NAME_KANA_MAX, false, out) != CORE_FIELD_OK)
		return;
	if (core_kana_check_katakana(f->s, f->len, &err) != 0)
		core_problems_add(pr, NAME(CORE_RES_NAME_KANA), "%s", err.msg);
}

/* "A is before B" with both dates shown: they are what needs fixing. */
static void
date_order(struct core_problems *pr, const char *column,
    const struct core_date *later, const char *early_name,
    const struct core_date *early)
{
	char a[CORE_DATE_STRLEN], b[CORE_DATE_STRLEN];

	if (core_date_cmp(later, early) >= 0)
		return;
	core_date_format(later, a, sizeof(a));
	core_date_format(early, b, sizeof(b));
	core_problems_add(pr, column, "%s is before %s %s", a, early_name, b);
}

int
core_resident_row_parse(const struct core_header *hdr,
    const struct csv_record *rec, const struct core_date *today,
    struct core_resident_row *out, struct core_problems *pr)
{
	size_t before = core_problems_count(pr);
	char a[CORE_DATE_STRLEN], t[CORE_DATE_STRLEN], c;
	int birth, since, until, status_ok;
	bool leaving;

	memset(out, 0, sizeof(*out));
	if (rec->nfields != hdr->nfields) {
		core_problems_add(pr, "row", "has %zu fields, the header has %zu",
		    rec->nfields, hdr->nfields);
		return SESSHU_EINVAL;
	}

	core_field_digits(pr, NAME(CORE_RES_ATENA_NO), FIELD(CORE_RES_ATENA_NO),
	    true, 10, out->atena_no);
	core_field_text(pr, NAME(CORE_RES_NAME), FIELD(CORE_RES_NAME), true,
	    CORE_RES_NAME_MAX, false, &out->name);
	check_kana(pr, FIELD(CORE_RES_NAME_KANA), &out->name_kana);
	if (core_field_choice(pr, NAME(CORE_RES_SEX), FIELD(CORE_RES_SEX), "12",
	    "1 (male) or 2 (female)", &c) == CORE_FIELD_OK)
		out->sex = c - '0';

	birth = core_field_date(pr, NAME(CORE_RES_BIRTH_DATE),
	    FIELD(CORE_RES_BIRTH_DATE), true, &out->birth_date);
	if (birth == CORE_FIELD_OK && core_date_cmp(&out->birth_date, today) > 0) {
		core_date_format(&out->birth_date, a, sizeof(a));
		core_date_format(today, t, sizeof(t));
		core_problems_add(pr, NAME(CORE_RES_BIRTH_DATE),
		    "%s is after today (%s)", a, t);
		birth = CORE_FIELD_BAD;
	}

	check_postal(pr, FIELD(CORE_RES_POSTAL_CODE), out->postal_code);
	core_field_text(pr, NAME(CORE_RES_ADDRESS), FIELD(CORE_RES_ADDRESS),
	    true, CORE_RES_ADDRESS_MAX, false, &out->address);
	core_field_text(pr, NAME(CORE_RES_ADDRESS_EXTRA),
	    FIELD(CORE_RES_ADDRESS_EXTRA), false, CORE_RES_ADDRESS_EXTRA_MAX,
	    false, &out->address_extra);
	check_phone(pr, FIELD(CORE_RES_PHONE), out->phone);
	core_field_digits(pr, NAME(CORE_RES_HOUSEHOLD_NO),
	    FIELD(CORE_RES_HOUSEHOLD_NO), false, 10, out->household_no);
	core_field_text(pr, NAME(CORE_RES_RELATIONSHIP),
	    FIELD(CORE_RES_RELATIONSHIP), false, CORE_RES_RELATIONSHIP_MAX,
	    false, &out->relationship);

	status_ok = core_field_choice(pr, NAME(CORE_RES_STATUS),
	    FIELD(CORE_RES_STATUS), "123",
	    "1 (resident), 2 (moved out) or 3 (deceased)", &c);
	if (status_ok == CORE_FIELD_OK)
		out->status = c - '0';
	leaving = out->status == CORE_STATUS_MOVED_OUT ||
	    out->status == CORE_STATUS_DECEASED;

	since = core_field_date(pr, NAME(CORE_RES_RESIDENT_SINCE),
	    FIELD(CORE_RES_RESIDENT_SINCE), false, &out->resident_since);
	out->has_resident_since = since == CORE_FIELD_OK;
	if (since == CORE_FIELD_OK && birth == CORE_FIELD_OK)
		date_order(pr, NAME(CORE_RES_RESIDENT_SINCE),
		    &out->resident_since, "birth_date", &out->birth_date);

	until = core_field_date(pr, NAME(CORE_RES_RESIDENT_UNTIL),
	    FIELD(CORE_RES_RESIDENT_UNTIL), false, &out->resident_until);
	out->has_resident_until = until == CORE_FIELD_OK;
	if (status_ok == CORE_FIELD_OK) {
		if (out->status == CORE_STATUS_RESIDENT &&
		    until != CORE_FIELD_EMPTY)
			core_problems_add(pr, NAME(CORE_RES_RESIDENT_UNTIL),
			    "must be empty when status is 1 (resident)");
		else if (leaving && until == CORE_FIELD_EMPTY)
			core_problems_add(pr, NAME(CORE_RES_RESIDENT_UNTIL),
			    "required when status is %d (%s)", out->status,
			    status_names[out->status]);
	}
	if (until == CORE_FIELD_OK && since == CORE_FIELD_OK)
		date_order(pr, NAME(CORE_RES_RESIDENT_UNTIL),
		    &out->resident_until, "resident_since",
		    &out->resident_since);
	else if (until == CORE_FIELD_OK && birth == CORE_FIELD_OK &&
	    since == CORE_FIELD_EMPTY)
		date_order(pr, NAME(CORE_RES_RESIDENT_UNTIL),
		    &out->resident_until, "birth_date", &out->birth_date);

	if (core_field_text(pr, NAME(CORE_RES_LEAVE_REASON),
	    FIELD(CORE_RES_LEAVE_REASON), false, CORE_RES_LEAVE_REASON_MAX,
	    false, &out->leave_reason) == CORE_FIELD_EMPTY && leaving)
		core_problems_add(pr, NAME(CORE_RES_LEAVE_REASON),
		    "required when status is %d (%s)", out->status,
		    status_names[out->status]);

	core_field_flag(pr, NAME(CORE_RES_FOREIGNER), FIELD(CORE_RES_FOREIGNER),
	    &out->foreigner);
	core_field_text(pr, NAME(CORE_RES_REAL_NAME), FIELD(CORE_RES_REAL_NAME),
	    false, CORE_RES_REAL_NAME_MAX, false, &out->real_name);
	core_field_text(pr, NAME(CORE_RES_ALIAS_NAME),
	    FIELD(CORE_RES_ALIAS_NAME), false, CORE_RES_ALIAS_NAME_MAX, false,
	    &out->alias_name);
	core_field_text(pr, NAME(CORE_RES_PREVIOUS_ADDRESS),
	    FIELD(CORE_RES_PREVIOUS_ADDRESS), false, CORE_RES_ADDRESS_MAX, false,
	    &out->previous_address);
	core_field_text(pr, NAME(CORE_RES_MOVED_TO_ADDRESS),
	    FIELD(CORE_RES_MOVED_TO_ADDRESS), false, CORE_RES_ADDRESS_MAX, false,
	    &out->moved_to_address);
	core_field_code(pr, NAME(CORE_RES_DISTRICT_CODE),
	    FIELD(CORE_RES_DISTRICT_CODE), false, CORE_RES_DISTRICT_MAX, true,
	    out->district_code);

	return core_problems_count(pr) > before ? SESSHU_EINVAL : 0;
}
