/*
 * forms.h: the entry forms, the routine schedule and the city's
 * customisation, read from the forms directory at start (ARCHITECTURE §5):
 *
 *   DIR/<form>.json         one 予診票 form each (core/form.h)
 *   DIR/city.json           items the city hides (required)
 *   DIR/schedule.json       the routine schedule (core/schedule.h)
 *   DIR/schedule-city.json  the city's changes to it (optional)
 *
 * The master data seeds in DIR/master/ are the register's (import-master),
 * not read here. Any broken file stops the start: the error names the
 * file, the field and the problem, and nothing half-loaded is kept.
 * Owns what it loads until tui_forms_free(). No personal data.
 */
#ifndef SESSHU_TUI_FORMS_H
#define SESSHU_TUI_FORMS_H

#include <stddef.h>

#include "core/err.h"
#include "core/form.h"
#include "core/schedule.h"

#define TUI_FORMS_MAX	64

struct tui_forms {
	char			 dir[512];
	struct core_form	*forms[TUI_FORMS_MAX];	/* in vaccine table order */
	size_t			 nforms;
	struct core_schedule	*schedule;
};

/* The directory used when the setting forms_dir is empty. */
const char *tui_forms_default_dir(void);

/* Loads dir (NULL or "": the default) into *out; on failure out is empty. */
int	tui_forms_load(const char *dir, struct tui_forms *out,
	    struct sesshu_err *err);
void	tui_forms_free(struct tui_forms *f);

/* The form of a vaccine, or NULL when the city has none. */
const struct core_form *tui_forms_for(const struct tui_forms *f,
	    const char *vaccine_code);

#endif
