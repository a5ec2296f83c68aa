/*
 * gc_words.c: reads and checks sesshu-gencity's word lists; see gc_words.h.
 *
 * Each list is described by a table of column kinds, so that adding a list
 * or a column is a table edit and every column gets the same checking.
 */
#include "gc_words.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col_kind {
	COL_TEXT,		/* any UTF-8 without control characters */
	COL_KANA,		/* full-width katakana as core/kana.c has it */
	COL_LATIN,		/* A-Z, as on a residence card */
	COL_UINT,		/* a decimal number within lo..hi */
	COL_DIGITS,		/* exactly lo ASCII digits */
	COL_POSTAL,		/* NNN-NNNN */
	COL_ENUM,		/* one ASCII letter of set */
};

struct col_spec {
	const char	*what;		/* for messages */
	enum col_kind	 kind;
	int		 lo, hi;
	const char	*set;		/* COL_ENUM */
	int		 unique;
};

struct list_spec {
	const char		*file;
	size_t			 offset;	/* of the gc_list in gc_words */
	size_t			 min_rows, max_rows;
	size_t			 ncol;
	struct col_spec		 col[5];
};

#define LIST(member)	offsetof(struct gc_words, member)
#define NSPECS		(sizeof(list_specs) / sizeof(list_specs[0]))

static const struct list_spec list_specs[] = {
	{ "city.txt", LIST(city), 1, 1, 2, {
		{ "city", COL_TEXT, 0, 0, NULL, 0 },
		{ "reading", COL_KANA, 0, 0, NULL, 0 } } },
	{ "towns.txt", LIST(towns), 1, GC_WORDS_MAX_TOWNS, 5, {
		{ "town", COL_TEXT, 0, 0, NULL, 1 },
		{ "reading", COL_KANA, 0, 0, NULL, 0 },
		{ "chome", COL_UINT, 0, 9, NULL, 0 },
		{ "district", COL_DIGITS, 2, 0, NULL, 0 },
		{ "postal code", COL_POSTAL, 0, 0, NULL, 0 } } },
	{ "buildings.txt", LIST(buildings), 1, 10000, 2, {
		{ "building", COL_TEXT, 0, 0, NULL, 1 },
		{ "floors", COL_UINT, 1, 60, NULL, 0 } } },
	{ "family_names.txt", LIST(family), 1, 100000, 2, {
		{ "name", COL_TEXT, 0, 0, NULL, 0 },
		{ "reading", COL_KANA, 0, 0, NULL, 0 } } },
	{ "given_male.txt", LIST(male), 1, 100000, 3, {
		{ "name", COL_TEXT, 0, 0, NULL, 0 },
		{ "reading", COL_KANA, 0, 0, NULL, 0 },
		{ "era", COL_ENUM, 0, 0, "OMN", 0 } } },
	{ "given_female.txt", LIST(female), 1, 100000, 3, {
		{ "name", COL_TEXT, 0, 0, NULL, 0 },
		{ "reading", COL_KANA, 0, 0, NULL, 0 },
		{ "era", COL_ENUM, 0, 0, "OMN", 0 } } },
	{ "cities.txt", LIST(cities), 1, 10000, 1, {
		{ "municipality", COL_TEXT, 0, 0, NULL, 1 } } },
	{ "institutions.txt", LIST(institutions), 1, 10000, 3, {
		{ "code", COL_DIGITS, 10, 0, NULL, 1 },
		{ "kind", COL_ENUM, 0, 0, "PIGHX", 0 },
		{ "name", COL_TEXT, 0, 0, NULL, 0 } } },
	{ "foreign_family.txt", LIST(foreign_family), 1, 10000, 4, {
		{ "name", COL_LATIN, 0, 0, NULL, 0 },
		{ "reading", COL_KANA, 0, 0, NULL, 0 },
		{ "region", COL_LATIN, 0, 0, NULL, 0 },
		{ "country", COL_TEXT, 0, 0, NULL, 0 } } },
	{ "foreign_given.txt", LIST(foreign_given), 1, 10000, 4, {
		{ "name", COL_LATIN, 0, 0, NULL, 0 },
		{ "reading", COL_KANA, 0, 0, NULL, 0 },
		{ "sex", COL_ENUM, 0, 0, "MF", 0 },
		{ "region", COL_LATIN, 0, 0, NULL, 0 } } },
};

/* Appends src to dst (size bytes in all), truncating: glibc 2.36 has no
 * strlcat. */
static void
append(char *dst, const char *src, size_t size)
{
	size_t len = strlen(dst);

	if (len + 1 < size)
		snprintf(dst + len, size - len, "%s", src);
}

/* Decodes one UTF-8 sequence strictly; returns its length or 0 if invalid. */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf && (s[1] & 0xc0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] >= 0xe0 && s[0] <= 0xef && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		if (*cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x07) << 18 |
		    (uint32_t)(s[1] & 0x3f) << 12 |
		    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		if (*cp < 0x10000 || *cp > 0x10ffff)
			return 0;
		return 4;
	}
	return 0;
}

/* Checks one cell; returns NULL or what is wrong with it. */
static const char *
check_cell(const struct col_spec *c, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), k;
	uint32_t cp;
	long v;
	char *end;

	switch (c->kind) {
	case COL_TEXT:
		while (*p != '\0') {
			if ((k = utf8_decode(p, &cp)) == 0)
				return "is not valid UTF-8";
			if (cp < 0x20 || cp == 0x7f)
				return "holds a control character";
			p += k;
		}
		return NULL;
	case COL_KANA:
		while (*p != '\0') {
			if ((k = utf8_decode(p, &cp)) == 0)
				return "is not valid UTF-8";
			/* ァ..ヶ, ・ and ー: what an import accepts. */
			if ((cp < 0x30a1 || cp > 0x30f6) && cp != 0x30fb &&
			    cp != 0x30fc)
				return "is not full-width katakana";
			p += k;
		}
		return NULL;
	case COL_LATIN:
		for (; *p != '\0'; p++)
			if (*p < 'A' || *p > 'Z')
				return "is not in capital letters A-Z";
		return NULL;
	case COL_UINT:
		errno = 0;
		v = strtol(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0' || errno != 0)
			return "is not a number";
		if (v < c->lo || v > c->hi)
			return "is out of range";
		return NULL;
	case COL_DIGITS:
		if (len != (size_t)c->lo)
			return "has the wrong number of digits";
		for (; *p != '\0'; p++)
			if (*p < '0' || *p > '9')
				return "is not all digits";
		return NULL;
	case COL_POSTAL:
		if (len != 8 || s[3] != '-')
			return "is not a postal code NNN-NNNN";
		for (size_t i = 0; i < 8; i++)
			if (i != 3 && (s[i] < '0' || s[i] > '9'))
				return "is not a postal code NNN-NNNN";
		return NULL;
	case COL_ENUM:
		if (len != 1 || strchr(c->set, s[0]) == NULL)
			return "is not one of the allowed letters";
		return NULL;
	}
	return "has an unknown column kind";
}

static void
list_free(struct gc_list *l)
{
	free(l->cell);
	free(l->line);
	free(l->text);
	memset(l, 0, sizeof(*l));
}

static int
read_file(const char *path, char **out, struct sesshu_err *err)
{
	FILE *fp;
	char *text = NULL;
	size_t len = 0, cap = 0, n;

	if ((fp = fopen(path, "r")) == NULL)
		return sesshu_err_set(err, SESSHU_ENOTFOUND,
		    "cannot open word list %s: %s", path, strerror(errno));
	for (;;) {
		if (cap - len < 65536) {
			char *t = realloc(text, cap + 65536 + 1);

			if (t == NULL) {
				free(text);
				fclose(fp);
				return sesshu_err_set(err, SESSHU_ENOMEM,
				    "%s: out of memory", path);
			}
			text = t;
			cap += 65536;
		}
		n = fread(text + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		int e = errno;

		free(text);
		fclose(fp);
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot read word list %s: %s", path, strerror(e));
	}
	fclose(fp);
	text[len] = '\0';
	if (strlen(text) != len) {
		free(text);
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "word list %s: holds a NUL byte", path);
	}
	*out = text;
	return 0;
}

static int
list_load(struct gc_list *l, const struct list_spec *spec, const char *dir,
    struct sesshu_err *err)
{
	char path[4096], *p, *next;
	size_t cap = 0;
	int lineno = 0, rc;

	memset(l, 0, sizeof(*l));
	l->file = spec->file;
	l->ncol = spec->ncol;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, spec->file) >=
	    sizeof(path))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "word list directory name too long: %s", dir);
	if ((rc = read_file(path, &l->text, err)) != 0)
		return rc;

	p = l->text;
	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)	/* a UTF-8 byte order mark */
		p += 3;
	for (; *p != '\0'; p = next) {
		char *cols[8];
		size_t ncols = 0;

		lineno++;
		if ((next = strchr(p, '\n')) != NULL)
			*next++ = '\0';
		else
			next = p + strlen(p);
		if (*p != '\0' && p[strlen(p) - 1] == '\r')
			p[strlen(p) - 1] = '\0';

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		while (*p != '\0') {
			if (ncols == sizeof(cols) / sizeof(cols[0]))
				break;
			cols[ncols++] = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
			while (*p == ' ' || *p == '\t')
				*p++ = '\0';
		}
		if (ncols != spec->ncol || *p != '\0') {
			char names[256] = "";

			for (size_t c = 0; c < spec->ncol; c++) {
				if (c > 0)
					append(names, ", ", sizeof(names));
				append(names, spec->col[c].what, sizeof(names));
			}
			rc = sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s:%d: expected %zu column%s (%s), found %s%zu",
			    path, lineno, spec->ncol,
			    spec->ncol == 1 ? "" : "s", names,
			    *p != '\0' ? "more than " : "", ncols);
			goto fail;
		}
		for (size_t c = 0; c < ncols; c++) {
			const char *why = check_cell(&spec->col[c], cols[c]);

			if (why != NULL) {
				rc = sesshu_err_set(err, SESSHU_EFORMAT,
				    "%s:%d: %s \"%s\" %s", path, lineno,
				    spec->col[c].what, cols[c], why);
				goto fail;
			}
		}
		if (l->n == cap) {
			size_t ncap = cap == 0 ? 64 : cap * 2;
			char **ncell = realloc(l->cell,
			    ncap * spec->ncol * sizeof(*ncell));
			int *nline;

			if (ncell == NULL) {
				rc = sesshu_err_set(err, SESSHU_ENOMEM,
				    "%s: out of memory", path);
				goto fail;
			}
			l->cell = ncell;
			nline = realloc(l->line, ncap * sizeof(*nline));
			if (nline == NULL) {
				rc = sesshu_err_set(err, SESSHU_ENOMEM,
				    "%s: out of memory", path);
				goto fail;
			}
			l->line = nline;
			cap = ncap;
		}
		for (size_t c = 0; c < ncols; c++)
			l->cell[l->n * spec->ncol + c] = cols[c];
		l->line[l->n] = lineno;
		l->n++;
	}

	if (l->n < spec->min_rows || l->n > spec->max_rows) {
		if (spec->min_rows == spec->max_rows)
			rc = sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s: needs exactly %zu entr%s, has %zu", path,
			    spec->min_rows, spec->min_rows == 1 ? "y" : "ies",
			    l->n);
		else
			rc = sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s: needs %zu to %zu entries, has %zu", path,
			    spec->min_rows, spec->max_rows, l->n);
		goto fail;
	}
	/* Lists are small (hundreds of lines): a quadratic check is fine. */
	for (size_t c = 0; c < spec->ncol; c++) {
		if (!spec->col[c].unique)
			continue;
		for (size_t i = 1; i < l->n; i++)
			for (size_t j = 0; j < i; j++)
				if (strcmp(gc_cell(l, i, c),
				    gc_cell(l, j, c)) == 0) {
					rc = sesshu_err_set(err, SESSHU_EFORMAT,
					    "%s:%d: %s \"%s\" repeats line %d",
					    path, l->line[i], spec->col[c].what,
					    gc_cell(l, i, c), l->line[j]);
					goto fail;
				}
	}
	return 0;
fail:
	list_free(l);
	return rc;
}

static int
index_eras(const struct gc_list *l, struct gc_index idx[GC_ERA_COUNT],
    const char *dir, struct sesshu_err *err)
{
	static const char letters[GC_ERA_COUNT] = { 'O', 'M', 'N' };

	for (int e = 0; e < GC_ERA_COUNT; e++) {
		idx[e].n = 0;
		if ((idx[e].v = malloc(l->n * sizeof(size_t))) == NULL)
			return sesshu_err_set(err, SESSHU_ENOMEM,
			    "out of memory");
		for (size_t i = 0; i < l->n; i++)
			if (gc_cell(l, i, GC_NAME_ERA)[0] == letters[e])
				idx[e].v[idx[e].n++] = i;
		if (idx[e].n == 0)
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s/%s: no name of era %c", dir, l->file,
			    letters[e]);
	}
	return 0;
}

/* Every foreign family's region needs given names of both sexes. */
static int
check_regions(const struct gc_words *w, const char *dir, struct sesshu_err *err)
{
	for (size_t i = 0; i < w->foreign_family.n; i++) {
		const struct gc_list *given = &w->foreign_given;
		const char *region = gc_cell(&w->foreign_family, i,
		    GC_FFAM_REGION);
		int male = 0, female = 0;

		for (size_t j = 0; j < given->n; j++) {
			if (strcmp(gc_cell(given, j, GC_FGIV_REGION),
			    region) != 0)
				continue;
			if (gc_cell(given, j, GC_FGIV_SEX)[0] == 'M')
				male = 1;
			else
				female = 1;
		}
		if (!male || !female)
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s/foreign_family.txt:%d: region %s has no %s "
			    "given name in foreign_given.txt", dir,
			    w->foreign_family.line[i], region,
			    !male ? "male" : "female");
	}
	return 0;
}

/* The generator needs an institution of each kind it sends people to. */
static int
check_institutions(const struct gc_words *w, const char *dir,
    struct sesshu_err *err)
{
	static const char *const need[] = {
		"P paediatrics", "I internal medicine", "H health centre",
		"X outside the city",
	};

	for (size_t k = 0; k < sizeof(need) / sizeof(need[0]); k++) {
		size_t i;

		for (i = 0; i < w->institutions.n; i++)
			if (gc_cell(&w->institutions, i, GC_INST_KIND)[0] ==
			    need[k][0])
				break;
		if (i == w->institutions.n)
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s/institutions.txt: needs at least one "
			    "institution of kind %s", dir, need[k]);
	}
	return 0;
}

int
gc_words_load(struct gc_words *w, const char *dir, struct sesshu_err *err)
{
	int rc;

	memset(w, 0, sizeof(*w));
	for (size_t i = 0; i < NSPECS; i++) {
		struct gc_list *l = (struct gc_list *)
		    ((char *)w + list_specs[i].offset);

		if ((rc = list_load(l, &list_specs[i], dir, err)) != 0)
			goto fail;
	}
	if ((rc = index_eras(&w->male, w->male_era, dir, err)) != 0 ||
	    (rc = index_eras(&w->female, w->female_era, dir, err)) != 0 ||
	    (rc = check_regions(w, dir, err)) != 0 ||
	    (rc = check_institutions(w, dir, err)) != 0)
		goto fail;
	return 0;
fail:
	gc_words_free(w);
	return rc;
}

void
gc_words_free(struct gc_words *w)
{
	for (size_t i = 0; i < NSPECS; i++)
		list_free((struct gc_list *)((char *)w + list_specs[i].offset));
	for (int e = 0; e < GC_ERA_COUNT; e++) {
		free(w->male_era[e].v);
		free(w->female_era[e].v);
	}
	memset(w, 0, sizeof(*w));
}
