/* forms.c: loading the forms directory; see forms.h. */
#include "tui/forms.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/vaccine.h"

#ifndef SESSHU_INSTALL_FORMSDIR
#define SESSHU_INSTALL_FORMSDIR	"/usr/local/share/sesshu/forms"
#endif

/* Forms and schedules are small; a larger file is a mistake, not data. */
#define FORMS_FILE_MAX	(1024 * 1024)

const char *
tui_forms_default_dir(void)
{
#ifdef SESSHU_SOURCE_FORMSDIR
	/* A program run from its build tree uses the source tree's forms. */
	if (access(SESSHU_SOURCE_FORMSDIR "/schedule.json", R_OK) == 0)
		return SESSHU_SOURCE_FORMSDIR;
#endif
	return SESSHU_INSTALL_FORMSDIR;
}

/* Reads a whole file; *out is the caller's (free()). */
static int
read_file(const char *path, char **out, size_t *len, struct sesshu_err *err)
{
	FILE *fp;
	char *buf;
	size_t n;

	*out = NULL;
	if ((fp = fopen(path, "re")) == NULL)
		return sesshu_err_set(err, errno == ENOENT ? SESSHU_ENOTFOUND :
		    SESSHU_EIO, "%s: %s", path, strerror(errno));
	if ((buf = malloc(FORMS_FILE_MAX + 1)) == NULL) {
		fclose(fp);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	}
	n = fread(buf, 1, FORMS_FILE_MAX + 1, fp);
	if (ferror(fp) || n > FORMS_FILE_MAX) {
		fclose(fp);
		free(buf);
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: %s", path,
		    n > FORMS_FILE_MAX ? "larger than 1 MiB" : "read error");
	}
	fclose(fp);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int
is_form_file(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && strcmp(name + len - 5, ".json") == 0 &&
	    strcmp(name, "city.json") != 0 && strcmp(name, "schedule.json") != 0 &&
	    strcmp(name, "schedule-city.json") != 0 && name[0] != '.';
}

static size_t
vaccine_rank(const char *code)
{
	for (size_t i = 0; i < core_vaccine_count(); i++)
		if (strcmp(core_vaccine_at(i)->code, code) == 0)
			return i;
	return core_vaccine_count();
}

static int
by_vaccine(const void *a, const void *b)
{
	const struct core_form *x = *(struct core_form *const *)a;
	const struct core_form *y = *(struct core_form *const *)b;
	size_t rx = vaccine_rank(x->vaccine_code), ry = vaccine_rank(y->vaccine_code);

	return rx < ry ? -1 : rx > ry ? 1 : strcmp(x->id, y->id);
}

static int
load_forms(struct tui_forms *f, const char *city, size_t city_len,
    const char *city_path, struct sesshu_err *err)
{
	char path[1024], *text;
	struct dirent *de;
	struct core_form *form;
	size_t len;
	DIR *d;
	int rc = 0;

	if ((d = opendir(f->dir)) == NULL)
		return sesshu_err_set(err, SESSHU_EIO, "%s: %s", f->dir,
		    strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!is_form_file(de->d_name))
			continue;
		if (f->nforms == TUI_FORMS_MAX) {
			rc = sesshu_err_set(err, SESSHU_ERANGE, "%s: more than %d "
			    "forms", f->dir, TUI_FORMS_MAX);
			break;
		}
		snprintf(path, sizeof(path), "%s/%s", f->dir, de->d_name);
		if ((rc = read_file(path, &text, &len, err)) != 0)
			break;
		rc = core_form_parse(text, len, path, &form, err);
		free(text);
		if (rc != 0)
			break;
		f->forms[f->nforms++] = form;
		rc = core_form_apply_city(form, city, city_len, city_path, err);
	}
	closedir(d);
	if (rc == 0 && f->nforms == 0)
		rc = sesshu_err_set(err, SESSHU_ENOTFOUND, "%s: no entry forms "
		    "(*.json)", f->dir);
	for (size_t i = 0; rc == 0 && i + 1 < f->nforms; i++)
		for (size_t j = i + 1; j < f->nforms; j++)
			if (strcmp(f->forms[i]->vaccine_code,
			    f->forms[j]->vaccine_code) == 0) {
				rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s and %s: "
				    "two forms for vaccine %s", f->forms[i]->file,
				    f->forms[j]->file, f->forms[i]->vaccine_code);
				break;
			}
	if (rc == 0)
		qsort(f->forms, f->nforms, sizeof(f->forms[0]), by_vaccine);
	return rc;
}

int
tui_forms_load(const char *dir, struct tui_forms *f, struct sesshu_err *err)
{
	char path[1024], city_path[1024], *text = NULL, *city = NULL;
	size_t len, city_len = 0;
	int rc;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s", dir != NULL && dir[0] != '\0' ?
	    dir : tui_forms_default_dir());
	snprintf(city_path, sizeof(city_path), "%s/city.json", f->dir);
	snprintf(path, sizeof(path), "%s/schedule.json", f->dir);
	if ((rc = read_file(city_path, &city, &city_len, err)) == 0 &&
	    (rc = load_forms(f, city, city_len, city_path, err)) == 0 &&
	    (rc = read_file(path, &text, &len, err)) == 0 &&
	    (rc = core_schedule_parse(text, len, path, &f->schedule, err)) == 0) {
		free(text);
		text = NULL;
		snprintf(path, sizeof(path), "%s/schedule-city.json", f->dir);
		rc = read_file(path, &text, &len, err);
		if (rc == SESSHU_ENOTFOUND) {
			sesshu_err_clear(err);
			rc = 0;
		} else if (rc == 0)
			rc = core_schedule_override(f->schedule, text, len, path,
			    err);
	}
	free(text);
	free(city);
	if (rc != 0)
		tui_forms_free(f);
	return rc;
}

void
tui_forms_free(struct tui_forms *f)
{
	for (size_t i = 0; i < f->nforms; i++)
		core_form_free(f->forms[i]);
	if (f->schedule != NULL)
		core_schedule_free(f->schedule);
	memset(f, 0, sizeof(*f));
}

const struct core_form *
tui_forms_for(const struct tui_forms *f, const char *vaccine_code)
{
	for (size_t i = 0; i < f->nforms; i++)
		if (strcmp(f->forms[i]->vaccine_code, vaccine_code) == 0)
			return f->forms[i];
	return NULL;
}
