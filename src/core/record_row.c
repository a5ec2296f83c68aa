/* record_row.c: the vaccination-record import layout; see record_row.h. */
#include "core/record_row.h"

#include <stdio.h>
#include <string.h>

static const struct core_column columns[CORE_REC_NCOLUMNS] = {
	[CORE_REC_LEGACY_ID]		= { "legacy_id", "旧システム記録ID" },
	[CORE_REC_ATENA_NO]		= { "atena_no", "宛名番号" },
	[CORE_REC_VACCINE_CODE]		= { "vaccine_code", "接種種類" },
	[CORE_REC_DOSE]			= { "dose", "回数" },
	[CORE_REC_CATEGORY]		= { "category", "接種区分" },
	[CORE_REC_VACCINATED_ON]	= { "vaccinated_on", "実施日" },
	[CORE_REC_INSTITUTION_CODE]	= { "institution_code",
					    "医療機関コード" },
	[CORE_REC_VENUE_CODE]		= { "venue_code", "会場コード" },
	[CORE_REC_SCREENING_DOCTOR]	= { "screening_doctor", "予診医" },
	[CORE_REC_VACCINATING_DOCTOR]	= { "vaccinating_doctor", "接種医" },
	[CORE_REC_VACCINE_NAME]		= { "vaccine_name", "ワクチン名" },
	[CORE_REC_MAKER]		= { "maker", "メーカー" },
	[CORE_REC_LOT_NO]		= { "lot_no", "ロット番号" },
	[CORE_REC_LOT_EXPIRY]		= { "lot_expiry", "有効期限" },
	[CORE_REC_AMOUNT_ML]		= { "amount_ml", "接種量" },
	[CORE_REC_SITE]			= { "site", "接種部位" },
	[CORE_REC_METHOD]		= { "method", "接種方法" },
	[CORE_REC_SCREENING_ONLY]	= { "screening_only", "予診のみ" },
	[CORE_REC_SCREENING_REASON]	= { "screening_reason", "予診理由" },
	[CORE_REC_UNSUITABLE_CODE]	= { "unsuitable_code",
					    "接種不適当区分" },
	[CORE_REC_FEE_CATEGORY]		= { "fee_category", "負担金区分" },
	[CORE_REC_BILLING_MONTH]	= { "billing_month", "請求年月" },
	[CORE_REC_OTHER_MUNICIPALITY]	= { "other_municipality",
					    "他市町村接種区分" },
	[CORE_REC_CERTIFICATE_ISSUED]	= { "certificate_issued",
					    "接種済証発行区分" },
	[CORE_REC_NOTE]			= { "note", "備考" },
};

static const struct {
	char		 letter;
	const char	*name;
} categories[] = {
	{ CORE_CAT_ROUTINE_A, "定期A類" },
	{ CORE_CAT_ROUTINE_B, "定期B類" },
	{ CORE_CAT_TEMPORARY, "臨時" },
	{ CORE_CAT_VOLUNTARY, "任意" },
	{ CORE_CAT_SPECIFIED, "特定接種" },
	{ CORE_CAT_RESIDENT, "住民接種" },
};

const struct core_column *
core_record_columns(void)
{
	return columns;
}

const char *
core_record_category_name(char category)
{
	for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (categories[i].letter == category)
			return categories[i].name;
	return NULL;
}

int
core_record_header(const struct csv_record *rec, struct core_header *hdr,
    struct core_problems *pr)
{
	return core_header_map(columns, CORE_REC_NCOLUMNS, rec, hdr, pr);
}

int
core_record_parse_amount(const char *s, size_t len, unsigned *ul,
    struct sesshu_err *err)
{
	unsigned whole = 0, frac = 0, scale = 100;
	size_t i = 0, nwhole = 0, nfrac = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nwhole++)
		if (whole <= CORE_REC_AMOUNT_MAX_UL)	/* stop growing */
			whole = whole * 10 + (unsigned)(s[i] - '0');
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nfrac++) {
			if (nfrac < 3)
				frac += (unsigned)(s[i] - '0') * scale;
			scale /= 10;
		}
		if (nfrac == 0)
			i = 0;	/* "1." is not a number */
	}
	if (nwhole == 0 || i != len)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "must be a number of ml such as 0.5");
	if (nfrac > 3)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "more than 3 decimal places");
	if (whole > CORE_REC_AMOUNT_MAX_UL / 1000 ||
	    whole * 1000 + frac > CORE_REC_AMOUNT_MAX_UL)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "%.*s ml is more than %d ml", len <= 16 ? (int)len : 16, s,
		    CORE_REC_AMOUNT_MAX_UL / 1000);
	if (whole == 0 && frac == 0)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "must be more than 0 ml");
	*ul = whole * 1000 + frac;
	return 0;
}

#define FIELD(col)	core_header_field(hdr, rec, (col))
#define NAME(col)	(columns[(col)].name)

static void
check_vaccine(struct core_problems *pr, const struct csv_field *f,
    struct core_record_row *out)
{
	char list[160];
	size_t used = 0;
	bool plain = f->len > 0 && f->len < CORE_VACCINE_CODE_MAX;

	if (f->len == 0) {
		core_problems_add(pr, NAME(CORE_REC_VACCINE_CODE), "required");
		return;
	}
	if ((out->vaccine = core_vaccine_find(f->s, f->len)) != NULL)
		return;
	list[0] = '\0';
	for (size_t i = 0; i < core_vaccine_count(); i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s",
		    i == 0 ? "" : " ", core_vaccine_at(i)->code);

		if (n < 0 || (size_t)n >= sizeof(list) - used)
			break;
		used += (size_t)n;
	}
	for (size_t i = 0; plain && i < f->len; i++)
		if ((unsigned char)f->s[i] < 0x21 ||
		    (unsigned char)f->s[i] > 0x7e)
			plain = false;
	if (plain)
		core_problems_add(pr, NAME(CORE_REC_VACCINE_CODE),
		    "unknown code %.*s (one of %s)", (int)f->len, f->s, list);
	else
		core_problems_add(pr, NAME(CORE_REC_VACCINE_CODE),
		    "unknown code (one of %s)", list);
}

static void
check_amount(struct core_problems *pr, const struct csv_field *f,
    struct core_record_row *out)
{
	struct sesshu_err err;

	if (f->len == 0)
		return;
	if (core_record_parse_amount(f->s, f->len, &out->amount_ul, &err) != 0) {
		core_problems_add(pr, NAME(CORE_REC_AMOUNT_ML), "%s", err.msg);
		return;
	}
	out->has_amount = true;
}

int
core_record_row_parse(const struct core_header *hdr,
    const struct csv_record *rec, const struct core_date *today,
    struct core_record_row *out, struct core_problems *pr)
{
	size_t before = core_problems_count(pr);
	char a[CORE_DATE_STRLEN], b[CORE_DATE_STRLEN];
	char ym[CORE_YM_STRLEN], c;
	int on, expiry, billing, lot, reason, dose, category, screening;
	struct core_ym vmonth;

	memset(out, 0, sizeof(*out));
	if (rec->nfields != hdr->nfields) {
		core_problems_add(pr, "row", "has %zu fields, the header has %zu",
		    rec->nfields, hdr->nfields);
		return SESSHU_EINVAL;
	}

	core_field_code(pr, NAME(CORE_REC_LEGACY_ID), FIELD(CORE_REC_LEGACY_ID),
	    false, CORE_REC_LEGACY_ID_MAX, false, out->legacy_id);
	core_field_digits(pr, NAME(CORE_REC_ATENA_NO), FIELD(CORE_REC_ATENA_NO),
	    true, 10, out->atena_no);
	check_vaccine(pr, FIELD(CORE_REC_VACCINE_CODE), out);
	dose = core_field_choice(pr, NAME(CORE_REC_DOSE), FIELD(CORE_REC_DOSE),
	    "123456789", "a dose number 1-9", &c);
	if (dose == CORE_FIELD_OK)
		out->dose = c - '0';
	category = core_field_choice(pr, NAME(CORE_REC_CATEGORY),
	    FIELD(CORE_REC_CATEGORY), "ABTVSJ", "A (定期A類), B (定期B類), "
	    "T (臨時), V (任意), S (特定接種) or J (住民接種)", &c);
	if (category == CORE_FIELD_OK)
		out->category = c;
	/* A routine category must be the vaccine's own class. */
	if (category == CORE_FIELD_OK && out->vaccine != NULL &&
	    (c == CORE_CAT_ROUTINE_A || c == CORE_CAT_ROUTINE_B) &&
	    c != out->vaccine->klass)
		core_problems_add(pr, NAME(CORE_REC_CATEGORY),
		    "%c (%s) does not match %s, a 定期%c類 vaccine", c,
		    core_record_category_name(c), out->vaccine->code,
		    out->vaccine->klass);

	on = core_field_date(pr, NAME(CORE_REC_VACCINATED_ON),
	    FIELD(CORE_REC_VACCINATED_ON), true, &out->vaccinated_on);
	if (on == CORE_FIELD_OK && core_date_cmp(&out->vaccinated_on, today) > 0) {
		core_date_format(&out->vaccinated_on, a, sizeof(a));
		core_date_format(today, b, sizeof(b));
		core_problems_add(pr, NAME(CORE_REC_VACCINATED_ON),
		    "%s is after today (%s)", a, b);
		on = CORE_FIELD_BAD;
	}

	core_field_digits(pr, NAME(CORE_REC_INSTITUTION_CODE),
	    FIELD(CORE_REC_INSTITUTION_CODE), true, 10, out->institution_code);
	core_field_code(pr, NAME(CORE_REC_VENUE_CODE),
	    FIELD(CORE_REC_VENUE_CODE), false, CORE_REC_CODE_MAX, false,
	    out->venue_code);
	core_field_text(pr, NAME(CORE_REC_SCREENING_DOCTOR),
	    FIELD(CORE_REC_SCREENING_DOCTOR), false, CORE_REC_DOCTOR_MAX, false,
	    &out->screening_doctor);
	core_field_text(pr, NAME(CORE_REC_VACCINATING_DOCTOR),
	    FIELD(CORE_REC_VACCINATING_DOCTOR), false, CORE_REC_DOCTOR_MAX,
	    false, &out->vaccinating_doctor);
	core_field_text(pr, NAME(CORE_REC_VACCINE_NAME),
	    FIELD(CORE_REC_VACCINE_NAME), false, CORE_REC_VACCINE_NAME_MAX,
	    false, &out->vaccine_name);
	core_field_text(pr, NAME(CORE_REC_MAKER), FIELD(CORE_REC_MAKER), false,
	    CORE_REC_MAKER_MAX, false, &out->maker);
	lot = core_field_text(pr, NAME(CORE_REC_LOT_NO), FIELD(CORE_REC_LOT_NO),
	    false, CORE_REC_LOT_NO_MAX, false, &out->lot_no);
	expiry = core_field_date(pr, NAME(CORE_REC_LOT_EXPIRY),
	    FIELD(CORE_REC_LOT_EXPIRY), false, &out->lot_expiry);
	out->has_lot_expiry = expiry == CORE_FIELD_OK;
	check_amount(pr, FIELD(CORE_REC_AMOUNT_ML), out);
	core_field_text(pr, NAME(CORE_REC_SITE), FIELD(CORE_REC_SITE), false,
	    CORE_REC_SITE_MAX, false, &out->site);
	core_field_text(pr, NAME(CORE_REC_METHOD), FIELD(CORE_REC_METHOD), false,
	    CORE_REC_METHOD_MAX, false, &out->method);
	screening = core_field_flag(pr, NAME(CORE_REC_SCREENING_ONLY),
	    FIELD(CORE_REC_SCREENING_ONLY), &out->screening_only);
	reason = core_field_text(pr, NAME(CORE_REC_SCREENING_REASON),
	    FIELD(CORE_REC_SCREENING_REASON), false, CORE_REC_REASON_MAX, false,
	    &out->screening_reason);

	/* 予診のみ: screened, not vaccinated, so no lot was opened. */
	if (screening == CORE_FIELD_OK && out->screening_only) {
		if (lot != CORE_FIELD_EMPTY)
			core_problems_add(pr, NAME(CORE_REC_LOT_NO),
			    "must be empty when screening_only is 1");
		if (reason == CORE_FIELD_EMPTY)
			core_problems_add(pr, NAME(CORE_REC_SCREENING_REASON),
			    "required when screening_only is 1");
	} else if (screening == CORE_FIELD_OK) {
		if (lot == CORE_FIELD_EMPTY)
			core_problems_add(pr, NAME(CORE_REC_LOT_NO),
			    "required when screening_only is 0");
		if (expiry == CORE_FIELD_OK && on == CORE_FIELD_OK &&
		    core_date_cmp(&out->lot_expiry, &out->vaccinated_on) < 0) {
			core_date_format(&out->lot_expiry, a, sizeof(a));
			core_date_format(&out->vaccinated_on, b, sizeof(b));
			core_problems_add(pr, NAME(CORE_REC_LOT_EXPIRY),
			    "lot expired on %s before vaccinated_on %s", a, b);
		}
	}

	core_field_code(pr, NAME(CORE_REC_UNSUITABLE_CODE),
	    FIELD(CORE_REC_UNSUITABLE_CODE), false, CORE_REC_CODE_MAX, false,
	    out->unsuitable_code);
	core_field_code(pr, NAME(CORE_REC_FEE_CATEGORY),
	    FIELD(CORE_REC_FEE_CATEGORY), false, CORE_REC_CODE_MAX, false,
	    out->fee_category);
	billing = core_field_ym(pr, NAME(CORE_REC_BILLING_MONTH),
	    FIELD(CORE_REC_BILLING_MONTH), false, &out->billing_month);
	out->has_billing_month = billing == CORE_FIELD_OK;
	/* A clinic claims a dose with the month it was given or later. */
	if (billing == CORE_FIELD_OK && on == CORE_FIELD_OK) {
		vmonth = core_ym_of(&out->vaccinated_on);
		if (core_ym_cmp(&out->billing_month, &vmonth) < 0) {
			core_ym_format(&out->billing_month, ym, sizeof(ym));
			core_date_format(&out->vaccinated_on, a, sizeof(a));
			core_problems_add(pr, NAME(CORE_REC_BILLING_MONTH),
			    "%s is before the month of vaccinated_on %s", ym, a);
		}
	}
	core_field_flag(pr, NAME(CORE_REC_OTHER_MUNICIPALITY),
	    FIELD(CORE_REC_OTHER_MUNICIPALITY), &out->other_municipality);
	core_field_flag(pr, NAME(CORE_REC_CERTIFICATE_ISSUED),
	    FIELD(CORE_REC_CERTIFICATE_ISSUED), &out->certificate_issued);
	core_field_text(pr, NAME(CORE_REC_NOTE), FIELD(CORE_REC_NOTE), false,
	    CORE_REC_NOTE_MAX, true, &out->note);

	return core_problems_count(pr) > before ? SESSHU_EINVAL : 0;
}
