/* sheet.c: one 予診票 being keyed; see sheet.h. */
#include "tui/sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/era.h"
#include "tui/forms.h"
#include "tui/screen.h"

static unsigned
field_flags(const struct core_form_field *f)
{
	switch (f->type) {
	case CORE_FORM_INTEGER:
	case CORE_FORM_FLAG:
		return TUI_FIELD_DIGITS;
	case CORE_FORM_CODE:
		return TUI_FIELD_ASCII;
	default:
		return 0;	/* dates take 令和, texts take kana */
	}
}

static size_t
field_chars(const struct core_form_field *f)
{
	switch (f->type) {
	case CORE_FORM_DATE:
		return CORE_ERA_INPUT_MAX / 4;	/* "令和元年12月31日" */
	case CORE_FORM_MONTH:
		return 12;
	case CORE_FORM_INTEGER:
		return 1;			/* doses 1..9 */
	case CORE_FORM_FLAG:
		return 1;
	case CORE_FORM_NUMBER:
		return 6;
	default:
		return f->max_length > 0 && f->max_length < 200 ?
		    f->max_length : 200;
	}
}

int
tui_sheet_init(struct tui_sheet *s, const struct core_form *form,
    struct sesshu_err *err)
{
	int rc;

	memset(s, 0, sizeof(*s));
	if (form->nfields > TUI_SHEET_FIELDS_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE, "%s: more than %d fields",
		    form->file, TUI_SHEET_FIELDS_MAX);
	s->form = form;
	s->nfields = form->nfields;
	for (size_t i = 0; i < s->nfields; i++) {
		const struct core_form_field *f = &form->fields[i];

		if ((rc = tui_field_init(&s->values[i], field_flags(f),
		    field_chars(f), err)) != 0)
			return rc;
		if (f->default_value != NULL && !f->hidden)
			tui_field_set(&s->values[i], f->default_value);
	}
	return 0;
}

void
tui_sheet_clear(struct tui_sheet *s)
{
	for (size_t i = 0; i < s->nfields; i++) {
		const struct core_form_field *f = &s->form->fields[i];

		tui_field_clear(&s->values[i]);
		if (f->default_value != NULL && !f->hidden)
			tui_field_set(&s->values[i], f->default_value);
	}
}

int
tui_sheet_index(const struct tui_sheet *s, const char *item)
{
	for (size_t i = 0; s->form != NULL && i < s->nfields; i++)
		if (strcmp(s->form->fields[i].item, item) == 0)
			return (int)i;
	return -1;
}

const char *
tui_sheet_get(const struct tui_sheet *s, const char *item)
{
	int i = tui_sheet_index(s, item);

	return i < 0 || s->form->fields[i].hidden ? "" :
	    tui_field_text(&s->values[i]);
}

void
tui_sheet_set(struct tui_sheet *s, const char *item, const char *text)
{
	int i = tui_sheet_index(s, item);

	if (i >= 0 && !s->form->fields[i].hidden) {
		tui_field_clear(&s->values[i]);
		tui_field_set(&s->values[i], text);
	}
}

static int
english(void)
{
	return strcmp(tui_i18n_language(), "en") == 0;
}

const char *
tui_sheet_label(const struct tui_sheet *s, size_t i)
{
	const struct core_form_field *f = &s->form->fields[i];

	return english() ? f->label_en : f->label_ja;
}

const char *
tui_sheet_choice_label(const struct tui_sheet *s, size_t i, const char *value)
{
	const struct core_form_field *f = &s->form->fields[i];

	for (size_t c = 0; c < f->nchoices; c++)
		if (strcmp(f->choices[c].value, value) == 0)
			return english() ? f->choices[c].label_en :
			    f->choices[c].label_ja;
	return value;
}

void
tui_today(struct core_date *d)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	d->y = tm.tm_year + 1900;
	d->m = tm.tm_mon + 1;
	d->d = tm.tm_mday;
}

/* One value into the record by its type; SESSHU_EINVAL with err if bad. */
static int
put_value(json_t *rec, const struct core_form_field *f, const char *v,
    struct sesshu_err *err)
{
	char buf[CORE_DATE_STRLEN], *end;
	struct core_date d;
	struct core_ym ym;
	double x;

	switch (f->type) {
	case CORE_FORM_DATE:
		if (core_date_parse_any(v, strlen(v), &d, err) != 0)
			return SESSHU_EINVAL;
		core_date_format(&d, buf, sizeof(buf));
		return json_object_set_new(rec, f->item, json_string(buf));
	case CORE_FORM_MONTH:
		if (core_ym_parse_any(v, strlen(v), &ym, err) != 0)
			return SESSHU_EINVAL;
		core_ym_format(&ym, buf, sizeof(buf));
		return json_object_set_new(rec, f->item, json_string(buf));
	case CORE_FORM_INTEGER:
	case CORE_FORM_FLAG:
		x = strtol(v, &end, 10);
		if (*end != '\0' || (f->type == CORE_FORM_FLAG && x > 1) ||
		    (f->type == CORE_FORM_INTEGER && f->max > 0 &&
		    (x < f->min || x > f->max)))
			return sesshu_err_set(err, SESSHU_EINVAL, "%s", f->type ==
			    CORE_FORM_FLAG ? _("0 (no) or 1 (yes)") :
			    _("outside the range this form allows"));
		return json_object_set_new(rec, f->item, json_integer((long)x));
	case CORE_FORM_NUMBER:
		errno = 0;
		x = strtod(v, &end);
		if (*end != '\0' || errno != 0 || x <= 0 || x > 10)
			return sesshu_err_set(err, SESSHU_EINVAL, "%s",
			    _("not a volume in ml (such as 0.5)"));
		return json_object_set_new(rec, f->item, json_real(x));
	default:
		return json_object_set_new(rec, f->item, json_string(v));
	}
}

static const char *
rec_str(const json_t *rec, const char *name)
{
	const char *v = json_string_value(json_object_get(rec, name));

	return v != NULL ? v : "";
}

static int
parse_date(const char *s, struct core_date *d)
{
	return s != NULL && s[0] != '\0' &&
	    core_date_parse(s, strlen(s), d, NULL) == 0;
}

void
tui_check_person(const struct ws_person *p, struct core_check_person *out)
{
	memset(out, 0, sizeof(*out));
	parse_date(p->birth_date, &out->birth);
	out->sex = p->sex;
	out->status = p->status;
	out->has_since = parse_date(p->resident_since, &out->since);
	out->has_until = parse_date(p->resident_until, &out->until);
}

size_t
tui_history_doses(const struct ws_record *history, size_t n,
    const char *skip_uuid, struct core_dose *out)
{
	size_t nd = 0;

	for (size_t i = 0; i < n && nd < WS_HISTORY_MAX; i++) {
		const struct ws_record *h = &history[i];

		if (strcmp(h->state, "voided") == 0 ||
		    (skip_uuid != NULL && strcmp(h->record_uuid, skip_uuid) == 0) ||
		    !parse_date(h->vaccinated_on, &out[nd].on))
			continue;
		out[nd].record_uuid = h->record_uuid;
		out[nd].vaccine_code = h->vaccine_code;
		out[nd].dose = h->dose;
		out[nd].stage = h->stage;
		out[nd].screening_only = h->screening_only;
		nd++;
	}
	return nd;
}

int
tui_sheet_build(struct tui *t, const struct tui_sheet *s,
    const struct ws_batch *batch, const struct ws_person *person,
    const struct ws_record *history, size_t nhistory, json_t **record,
    struct core_check_result *check, int *bad, struct sesshu_err *err)
{
	struct core_dose doses[WS_HISTORY_MAX], entry;
	struct core_check_person who;
	struct core_check_input in;
	struct core_check_lot lot;
	struct ws_lot wl;
	char lot_vaccine[16];
	json_t *rec;
	size_t nd = 0;
	int rc, have_lot = 0;

	*record = NULL;
	*bad = -1;
	if ((rec = json_object()) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->nfields; i++) {
		const struct core_form_field *f = &s->form->fields[i];
		const char *v = tui_field_text(&s->values[i]);

		if (f->hidden)
			continue;
		if (f->from_batch && v[0] == '\0')
			v = strcmp(f->item, "billing_month") == 0 ?
			    batch->billing_month : batch->institution_code;
		if (v[0] == '\0') {
			if (f->required) {
				*bad = (int)i;
				json_decref(rec);
				return sesshu_err_set(err, SESSHU_EINVAL, "%s",
				    _("required"));
			}
			continue;
		}
		if ((rc = put_value(rec, f, v, err)) != 0) {
			*bad = (int)i;
			json_decref(rec);
			return SESSHU_EINVAL;
		}
	}
	/* What the sheet does not carry: the person, the vaccine, the batch. */
	json_object_set_new(rec, "atena_no", json_string(person->atena_no));
	json_object_set_new(rec, "vaccine_code",
	    json_string(s->form->vaccine_code));
	json_object_set_new(rec, "batch_id", json_string(batch->batch_id));
	if (json_object_get(rec, "institution_code") == NULL)
		json_object_set_new(rec, "institution_code",
		    json_string(batch->institution_code));
	/* The batch's month, unless the city does not hold the item. */
	if (json_object_get(rec, "billing_month") == NULL &&
	    (tui_sheet_index(s, "billing_month") < 0 ||
	    !s->form->fields[tui_sheet_index(s, "billing_month")].hidden))
		json_object_set_new(rec, "billing_month",
		    json_string(batch->billing_month));
	if (json_object_get(rec, "screening_only") == NULL)
		json_object_set_new(rec, "screening_only", json_integer(0));
	json_object_set_new(rec, "other_municipality", json_integer(
	    json_integer_value(json_object_get(rec, "other_municipality"))));
	json_object_set_new(rec, "certificate_issued", json_integer(0));
	if (json_integer_value(json_object_get(rec, "screening_only")) == 1)
		json_object_del(rec, "lot_no");	/* 予診のみ records no lot */
	else if (rec_str(rec, "lot_no")[0] != '\0' &&
	    ws_lot_get(t->ws, rec_str(rec, "lot_no"), lot_vaccine,
	    sizeof(lot_vaccine), &wl, NULL) == 0) {
		have_lot = 1;
		lot.lot_no = wl.lot_no;
		lot.vaccine_code = lot_vaccine;
		lot.maker_code = wl.maker_code;
		parse_date(wl.expiry, &lot.expiry);
		if (rec_str(rec, "maker_code")[0] == '\0')
			json_object_set_new(rec, "maker_code",
			    json_string(wl.maker_code));
		json_object_set_new(rec, "lot_expiry", json_string(wl.expiry));
	}

	/* The checks (core/check.h) on what was typed and the history. */
	tui_check_person(person, &who);
	nd = tui_history_doses(history, nhistory, NULL, doses);
	memset(&entry, 0, sizeof(entry));
	entry.vaccine_code = s->form->vaccine_code;
	entry.dose = (int)json_integer_value(json_object_get(rec, "dose"));
	entry.stage = rec_str(rec, "stage");
	parse_date(rec_str(rec, "vaccinated_on"), &entry.on);
	entry.screening_only =
	    (int)json_integer_value(json_object_get(rec, "screening_only"));
	memset(&in, 0, sizeof(in));
	in.schedule = t->forms.schedule;
	in.person = &who;
	in.history = doses;
	in.nhistory = nd;
	in.entry = &entry;
	in.maker_code = rec_str(rec, "maker_code");
	in.lot_no = rec_str(rec, "lot_no");
	in.lot = have_lot ? &lot : NULL;
	in.screening_reason = rec_str(rec, "screening_reason");
	tui_today(&in.today);
	core_check_record(&in, check);
	json_object_set_new(rec, "category", json_string((char[]){
	    check->category ? check->category : 'V', '\0' }));
	json_object_set_new(rec, "age_years", json_integer(check->age_years));
	json_object_set_new(rec, "age_months", json_integer(check->age_months));
	*record = rec;
	return 0;
}

json_t *
tui_sheet_to_json(const struct tui_sheet *s)
{
	json_t *o = json_object();

	for (size_t i = 0; o != NULL && i < s->nfields; i++)
		if (tui_field_text(&s->values[i])[0] != '\0')
			json_object_set_new(o, s->form->fields[i].item,
			    json_string(tui_field_text(&s->values[i])));
	return o;
}

void
tui_sheet_from_json(struct tui_sheet *s, const json_t *values)
{
	const char *item;
	json_t *v;

	json_object_foreach((json_t *)values, item, v)
		if (json_is_string(v))
			tui_sheet_set(s, item, json_string_value(v));
}

json_t *
tui_sheet_revision(struct tui *t, const struct ws_person *p,
    const struct ws_record *history, size_t nhistory,
    const struct ws_record *r, const char *date, int dose, const char *lot_no,
    struct sesshu_err *err)
{
	struct core_dose doses[WS_HISTORY_MAX], entry;
	struct core_check_person who;
	struct core_check_input in;
	struct core_check_result res;
	struct core_check_lot lot;
	char iso[CORE_DATE_STRLEN], vaccine[16];
	struct ws_lot wl;
	size_t nd = 0;
	int have_lot = 0;
	json_t *c;

	memset(&entry, 0, sizeof(entry));
	if (core_date_parse_any(date, strlen(date), &entry.on, err) != 0)
		return NULL;
	core_date_format(&entry.on, iso, sizeof(iso));
	entry.record_uuid = r->record_uuid;
	entry.vaccine_code = r->vaccine_code;
	entry.dose = dose;
	entry.stage = r->stage;
	entry.screening_only = r->screening_only;
	if (lot_no[0] != '\0' && ws_lot_get(t->ws, lot_no, vaccine,
	    sizeof(vaccine), &wl, NULL) == 0 && parse_date(wl.expiry, &lot.expiry)) {
		lot.lot_no = wl.lot_no;
		lot.vaccine_code = vaccine;
		lot.maker_code = wl.maker_code;
		have_lot = 1;
	}
	tui_check_person(p, &who);
	/* The person's other records: the revised one is the entry. */
	nd = tui_history_doses(history, nhistory, r->record_uuid, doses);
	memset(&in, 0, sizeof(in));
	in.schedule = t->forms.schedule;
	in.person = &who;
	in.history = doses;
	in.nhistory = nd;
	in.entry = &entry;
	in.lot_no = lot_no;
	in.maker_code = have_lot ? wl.maker_code : r->maker_code;
	in.lot = have_lot ? &lot : NULL;
	in.screening_reason = r->screening_only ? "-" : "";
	tui_today(&in.today);
	if (core_check_record(&in, &res) != 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "%s", _("invalid date")),
		    NULL;
	/* A new version cannot say "confirmed": a possible duplicate stops it
	 * too, rather than be refused as a conflict by the register. */
	for (size_t i = 0; i < res.nfindings; i++)
		if (res.findings[i].level != CORE_CHECK_WARNING) {
			sesshu_err_set(err, SESSHU_EINVAL, "%s %s",
			    _(res.findings[i].msgid), res.findings[i].detail);
			return NULL;
		}
	if ((c = json_pack("{s:s, s:i, s:s, s:i, s:i}", "vaccinated_on", iso,
	    "dose", dose, "category", (char[]){ res.category, '\0' },
	    "age_years", res.age_years, "age_months", res.age_months)) == NULL) {
		sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		return NULL;
	}
	if (lot_no[0] == '\0') {
		json_object_set_new(c, "lot_no", json_null());
		json_object_set_new(c, "lot_expiry", json_null());
	} else {
		json_object_set_new(c, "lot_no", json_string(lot_no));
		json_object_set_new(c, "lot_expiry", have_lot ?
		    json_string(wl.expiry) : json_null());
		if (have_lot)
			json_object_set_new(c, "maker_code",
			    json_string(wl.maker_code));
	}
	return c;
}
