/*
 * sheet.h: one 予診票 being keyed: the values of a form's fields as the
 * clerk typed them, turned into a record (the "record" kind of
 * sync/entity.h) and checked by core/check.h before it is saved.
 * Internal to src/tui; shared by the entry screen and drafts.
 *
 * The values are personal data: tui_sheet_clear() wipes them, and the
 * screens call it on every save, cancel and logout. Never logs a value.
 */
#ifndef SESSHU_TUI_SHEET_H
#define SESSHU_TUI_SHEET_H

#include <jansson.h>

#include "core/check.h"
#include "core/form.h"
#include "sync/ws_batches.h"
#include "sync/ws_person.h"
#include "tui/field.h"

#define TUI_SHEET_FIELDS_MAX	24

struct tui;

struct tui_sheet {
	const struct core_form	*form;		/* borrowed from tui->forms */
	size_t			 nfields;	/* == form->nfields */
	struct tui_field	 values[TUI_SHEET_FIELDS_MAX];
};

/* Empty values for form's fields (tui_field flags by type). */
int	tui_sheet_init(struct tui_sheet *s, const struct core_form *form,
	    struct sesshu_err *err);
/* Wipes every value. */
void	tui_sheet_clear(struct tui_sheet *s);

/* The index of item in the form, or -1. */
int	tui_sheet_index(const struct tui_sheet *s, const char *item);
/* The text of item's value ("" when the form has none). */
const char *tui_sheet_get(const struct tui_sheet *s, const char *item);
/* Sets item's value if the form has it and it is not hidden. */
void	tui_sheet_set(struct tui_sheet *s, const char *item, const char *text);

/* The label of field i in the interface's language. */
const char *tui_sheet_label(const struct tui_sheet *s, size_t i);
/* The label of a choice value of field i, or the value itself. */
const char *tui_sheet_choice_label(const struct tui_sheet *s, size_t i,
	    const char *value);

/*
 * Builds the record of the sheet for person in batch: each value parsed by
 * its type (dates in 和暦 or 西暦), defaults from the batch, the lot's
 * maker and expiry from the master data, and the checks' verdict (the
 * category and ages). On a value that does not parse, *bad is the field's
 * index and err says why. check receives the findings.
 */
int	tui_sheet_build(struct tui *t, const struct tui_sheet *s,
	    const struct ws_batch *batch, const struct ws_person *person,
	    const struct ws_record *history, size_t nhistory,
	    json_t **record, struct core_check_result *check, int *bad,
	    struct sesshu_err *err);

/*
 * The changed values of a new version of record r of person p (date in
 * 和暦 or 西暦, dose, lot; a correction or a verifier's re-keying),
 * checked like a sheet against the person's other records: the changes
 * with the lot's maker and expiry, the category and the ages, as JSON for
 * ws_record_revise() (caller decrefs); NULL with err naming the first
 * error found.
 */
json_t	*tui_sheet_revision(struct tui *t, const struct ws_person *p,
	    const struct ws_record *history, size_t nhistory,
	    const struct ws_record *r, const char *date, int dose,
	    const char *lot_no, struct sesshu_err *err);

/* Today in the workstation's time zone: the checks' "today". */
void	tui_today(struct core_date *d);

/* A person as the checks see one. */
void	tui_check_person(const struct ws_person *p, struct core_check_person *out);

/*
 * The doses of a history for the checks and the due list: voided records
 * and the record skip_uuid (may be NULL) left out; out holds
 * WS_HISTORY_MAX. Returns the number written; the strings are borrowed
 * from history.
 */
size_t	tui_history_doses(const struct ws_record *history, size_t n,
	    const char *skip_uuid, struct core_dose *out);

/* The sheet as a draft payload (values by item), and back. */
json_t	*tui_sheet_to_json(const struct tui_sheet *s);
void	tui_sheet_from_json(struct tui_sheet *s, const json_t *values);

#endif
