/*
 * fuzz_form.c: libFuzzer target for the form, city and master data
 * parsers (core/form.h, core/master.h).
 *
 * The input is parsed as a form, as a city file applied to a fixed form,
 * and as a master seed. Whatever parses must keep what the headers
 * promise: a form has vaccinated_on, dose and institution_code, all
 * required and none hidden; its stages are the stage field's values; a
 * failure leaves *out NULL and a message that starts with the file name.
 * Build: clang -fsanitize=fuzzer,address,undefined -Isrc
 *     tests/fuzz/fuzz_form.c src/core/(all .c files) -ljansson
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/form.h"
#include "core/master.h"

static const char base_form[] =
"{\"form\": \"fuzz\", \"version\": 1, \"vaccine\": \"MR\","
" \"title_ja\": \"t\", \"title_en\": \"t\", \"fields\": ["
" {\"item\": \"vaccinated_on\", \"type\": \"date\", \"required\": true,"
"  \"label_ja\": \"a\", \"label_en\": \"a\"},"
" {\"item\": \"dose\", \"type\": \"integer\", \"required\": true,"
"  \"label_ja\": \"a\", \"label_en\": \"a\"},"
" {\"item\": \"institution_code\", \"type\": \"code\", \"required\": true,"
"  \"source\": \"institution\", \"label_ja\": \"a\", \"label_en\": \"a\"},"
" {\"item\": \"note\", \"type\": \"text\", \"label_ja\": \"a\","
"  \"label_en\": \"a\"}]}";

static void
check_message(const struct sesshu_err *err, const char *file)
{
	if (strncmp(err->msg, file, strlen(file)) != 0)
		abort();
}

static void
check_form(const struct core_form *f)
{
	static const char *const must[] = {
		"vaccinated_on", "dose", "institution_code"
	};
	const struct core_form_field *st;

	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		const struct core_form_field *fld = core_form_field(f, must[i]);

		if (fld == NULL || !fld->required || fld->hidden)
			abort();
	}
	for (size_t i = 0; i < f->nfields; i++) {
		const struct core_form_field *fld = &f->fields[i];

		if (fld->item == NULL || fld->label_ja == NULL ||
		    fld->label_en == NULL || core_form_type_name(fld->type) == NULL)
			abort();
		if ((fld->type == CORE_FORM_CHOICE) != (fld->nchoices > 0))
			abort();
		if ((fld->type == CORE_FORM_CODE) !=
		    (fld->source != CORE_FORM_SOURCE_NONE))
			abort();
		if (fld->type == CORE_FORM_INTEGER &&
		    (fld->min < 1 || fld->max > 9 || fld->min > fld->max))
			abort();
		for (size_t c = 0; c < fld->nchoices; c++)
			if (fld->choices[c].value == NULL ||
			    fld->choices[c].value[0] == '\0')
				abort();
	}
	st = core_form_field(f, "stage");
	if ((st == NULL ? 0 : st->nchoices) != f->nstages)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sesshu_err err = { 0 };
	struct core_form *f = NULL;
	struct core_master *m = NULL;

	if (core_form_parse((const char *)data, size, "fuzz.json", &f,
	    &err) == 0) {
		check_form(f);
		core_form_free(f);
	} else if (f != NULL)
		abort();
	else
		check_message(&err, "fuzz.json");

	if (core_form_parse(base_form, sizeof(base_form) - 1, "fuzz.json", &f,
	    NULL) != 0)
		abort();
	if (core_form_apply_city(f, (const char *)data, size, "city.json",
	    &err) != 0) {
		check_message(&err, "city.json");
		for (size_t i = 0; i < f->nfields; i++)
			if (f->fields[i].hidden)
				abort();	/* a refusal changes nothing */
	}
	check_form(f);
	core_form_free(f);

	if (core_master_parse((const char *)data, size, "master.json", &m,
	    &err) == 0) {
		const struct core_master *one = m;

		if (m->nrows != json_array_size(m->rows))
			abort();
		(void)core_master_check_refs(&one, 1, &err);
		core_master_free(m);
	} else if (m != NULL)
		abort();
	else
		check_message(&err, "master.json");
	return 0;
}
