/* person_keys.c: the four keys of a person; see person_keys.h. */
#include "tui/person_keys.h"

#include <stdio.h>
#include <string.h>

#include "core/era.h"
#include "tui/screen.h"

const char *
tui_sex_label(int sex)
{
	return sex == 1 ? _("male") : sex == 2 ? _("female") : "?";
}

void
tui_date_both(const char *iso, char *buf, size_t size)
{
	struct core_date d;

	if (core_date_parse(iso, strlen(iso), &d, NULL) != 0 ||
	    core_date_format_both(&d, buf, size) != 0)
		snprintf(buf, size, "%s", iso);
}

/* Column starts of the four keys (80 columns at least). */
enum { COL_ATENA = 1, COL_NAME = 13, COL_BIRTH = 45, COL_SEX = 74 };

void
tui_person_keys_draw(struct tui *t, int y, const struct ws_person *p)
{
	char name[600], birth[CORE_DATE_BOTH_STRLEN];

	tui_put(t, y, COL_ATENA, COL_NAME - COL_ATENA - 1, A_DIM,
	    _("Atena number"));
	tui_put(t, y, COL_NAME, COL_BIRTH - COL_NAME - 1, A_DIM, _("Name"));
	tui_put(t, y, COL_BIRTH, COL_SEX - COL_BIRTH - 1, A_DIM,
	    _("Date of birth"));
	tui_put(t, y, COL_SEX, COLS - COL_SEX, A_DIM, _("Sex"));
	snprintf(name, sizeof(name), "%s (%s)", p->name, p->name_kana);
	tui_date_both(p->birth_date, birth, sizeof(birth));
	tui_put(t, y + 1, COL_ATENA, COL_NAME - COL_ATENA - 1, A_BOLD,
	    p->atena_no);
	tui_put(t, y + 1, COL_NAME, COL_BIRTH - COL_NAME - 1, A_BOLD, name);
	tui_put(t, y + 1, COL_BIRTH, COL_SEX - COL_BIRTH - 1, A_BOLD, birth);
	tui_put(t, y + 1, COL_SEX, COLS - COL_SEX, A_BOLD, tui_sex_label(p->sex));
}

void
tui_person_row_draw(struct tui *t, int y, const struct ws_person *p,
    unsigned long attr)
{
	char name[600], birth[CORE_DATE_BOTH_STRLEN];

	snprintf(name, sizeof(name), "%s (%s)", p->name, p->name_kana);
	tui_date_both(p->birth_date, birth, sizeof(birth));
	tui_put(t, y, 0, COLS, (attr_t)attr, "");
	tui_put(t, y, COL_ATENA, COL_NAME - COL_ATENA - 1, (attr_t)attr,
	    p->atena_no);
	tui_put(t, y, COL_NAME, COL_BIRTH - COL_NAME - 1, (attr_t)attr, name);
	tui_put(t, y, COL_BIRTH, COL_SEX - COL_BIRTH - 1, (attr_t)attr, birth);
	tui_put(t, y, COL_SEX, COLS - COL_SEX - 1, (attr_t)attr,
	    tui_sex_label(p->sex));
}
