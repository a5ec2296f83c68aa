/*
 * gencity_check.c: sesshu-gencity-check, reads a generated city back.
 *
 *	sesshu-gencity-check [--today YYYY-MM-DD] DIR
 *
 * Parses DIR/residents.csv and DIR/records.csv as RFC 4180 and checks them
 * against the import layouts: the header lines exactly, the field count of
 * every row, the form of each field, and that the two files agree (every
 * record names an existing 宛名番号 and falls within that person's life and
 * residence). The layouts are spelled out here again on purpose: this is
 * the test that pins them, so it must not share them with the generator.
 * Prints one line and exits 0, or names the file, line and field at fault
 * and exits 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_date.h"
#include "gc_rng.h"

static const char resident_header[] =
    "atena_no,name,name_kana,sex,birth_date,postal_code,address,"
    "address_extra,phone,household_no,relationship,status,resident_since,"
    "resident_until,leave_reason,foreigner,real_name,alias_name,"
    "previous_address,moved_to_address,district_code";

static const char record_header[] =
    "legacy_id,atena_no,vaccine_code,dose,category,vaccinated_on,"
    "institution_code,venue_code,screening_doctor,vaccinating_doctor,"
    "vaccine_name,maker,lot_no,lot_expiry,amount_ml,site,method,"
    "screening_only,screening_reason,unsuitable_code,fee_category,"
    "billing_month,other_municipality,certificate_issued,note";

enum {
	R_ATENA, R_NAME, R_KANA, R_SEX, R_BIRTH, R_POSTAL, R_ADDRESS, R_EXTRA,
	R_PHONE, R_HOUSEHOLD, R_REL, R_STATUS, R_SINCE, R_UNTIL, R_REASON,
	R_FOREIGNER, R_REAL, R_ALIAS, R_PREVIOUS, R_MOVED_TO, R_DISTRICT,
	R_NFIELDS
};

enum {
	V_LEGACY, V_ATENA, V_CODE, V_DOSE, V_CATEGORY, V_ON, V_INST, V_VENUE,
	V_SDOC, V_VDOC, V_NAME, V_MAKER, V_LOT, V_EXPIRY, V_ML, V_SITE,
	V_METHOD, V_SCREENING, V_REASON, V_UNSUITABLE, V_FEE, V_BILLING,
	V_OTHER, V_CERT, V_NOTE, V_NFIELDS
};

struct reader {
	const char	*path;
	FILE		*fp;
	long		 line;		/* first line of the current row */
	long		 next_line;
	char		*buf;		/* the row; a NUL ends each field */
	size_t		 cap;
	char		*field[64];
	size_t		 nfields;
};

struct person {
	uint64_t	atena;
	int32_t		birth, since, until;
};

static const char *progname = "sesshu-gencity-check";

static void __attribute__((noreturn, format(printf, 3, 4)))
fail(const struct reader *r, const char *field, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s:%ld: ", progname, r->path, r->line);
	if (field != NULL)
		fprintf(stderr, "%s: ", field);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
put(struct reader *r, size_t *len, int c)
{
	if (*len + 1 >= r->cap) {
		r->cap = r->cap == 0 ? 4096 : r->cap * 2;
		if ((r->buf = realloc(r->buf, r->cap)) == NULL)
			fail(r, NULL, "out of memory");
	}
	r->buf[(*len)++] = (char)c;
}

/*
 * Reads one RFC 4180 row (LF line ends; a quoted field may hold commas,
 * doubled quotes and newlines). Returns 0 at end of file.
 */
static int
read_row(struct reader *r)
{
	size_t len = 0, starts[64];
	int c, quoted = 0, at_start = 1, any = 0;

	r->nfields = 0;
	r->line = r->next_line;
	starts[0] = 0;
	for (;;) {
		c = getc(r->fp);
		if (c == EOF) {
			if (quoted)
				fail(r, NULL, "end of file in a quoted field");
			if (!any)
				return 0;
			fail(r, NULL, "last row has no line end");
		}
		any = 1;
		if (c == '\n')
			r->next_line++;
		if (quoted) {
			if (c != '"') {
				put(r, &len, c);
				continue;
			}
			c = getc(r->fp);
			if (c == '"') {
				put(r, &len, '"');
				continue;
			}
			quoted = 0;
			if (c != ',' && c != '\n')
				fail(r, NULL, "text after a closing quote");
			if (c == '\n')
				r->next_line++;
		} else if (c == '"') {
			if (!at_start)
				fail(r, NULL, "a quote in an unquoted field");
			quoted = 1;
			at_start = 0;
			continue;
		} else if (c == '\r') {
			fail(r, NULL, "CR in a line end (the layout wants LF)");
		}
		if (c == ',' || c == '\n') {
			put(r, &len, '\0');
			if (r->nfields + 1 >= 64)
				fail(r, NULL, "too many fields");
			starts[++r->nfields] = len;
			at_start = 1;
			if (c == '\n')
				break;
			continue;
		}
		at_start = 0;
		put(r, &len, c);
	}
	for (size_t i = 0; i < r->nfields; i++)
		r->field[i] = r->buf + starts[i];
	return 1;
}

static void
open_reader(struct reader *r, const char *dir, const char *name,
    const char *header, size_t nfields)
{
	static char path[2][4096];
	static int k;
	char *joined;
	size_t len = 0;

	memset(r, 0, sizeof(*r));
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	r->path = path[k++];
	r->next_line = 1;
	if ((r->fp = fopen(r->path, "r")) == NULL) {
		fprintf(stderr, "%s: cannot open %s: %s\n", progname, r->path,
		    strerror(errno));
		exit(1);
	}
	if (!read_row(r))
		fail(r, NULL, "empty file");
	if (r->nfields != nfields)
		fail(r, NULL, "header has %zu fields, the layout %zu",
		    r->nfields, nfields);
	/* Rejoin and compare the header as one line. */
	for (size_t i = 0; i < r->nfields; i++)
		len += strlen(r->field[i]) + 1;
	if ((joined = malloc(len)) == NULL)
		fail(r, NULL, "out of memory");
	len = 0;
	for (size_t i = 0; i < r->nfields; i++) {
		size_t n = strlen(r->field[i]);

		memcpy(joined + len, r->field[i], n);
		len += n;
		joined[len++] = i + 1 < r->nfields ? ',' : '\0';
	}
	if (strcmp(joined, header) != 0)
		fail(r, NULL, "header differs from the layout:\n  got  %s\n"
		    "  want %s", joined, header);
	free(joined);
}

/* ---- Field checks ------------------------------------------------- */

static int
digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int
one_of(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static int32_t
need_date(const struct reader *r, const char *field, const char *s)
{
	int32_t d;

	if (gc_date_parse(s, &d) != 0)
		fail(r, field, "\"%s\" is not a date YYYY-MM-DD", s);
	return d;
}

/* "姓<U+3000>名": two non-empty parts; kana ones in full-width katakana. */
static void
need_name(const struct reader *r, const char *field, const char *s, int kana)
{
	const char *sp = strstr(s, "\xe3\x80\x80");

	if (sp == NULL || sp == s || sp[3] == '\0' ||
	    strstr(sp + 3, "\xe3\x80\x80") != NULL)
		fail(r, field, "\"%s\" is not family, U+3000, given", s);
	if (!kana)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';
	    p += 3) {
		uint32_t cp;

		if ((p[0] & 0xf0) != 0xe0 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80)
			fail(r, field, "\"%s\" is not full-width katakana", s);
		cp = (uint32_t)(p[0] & 0x0f) << 12 |
		    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		if (cp != 0x3000 && cp != 0x30fb && cp != 0x30fc &&
		    (cp < 0x30a1 || cp > 0x30f6))
			fail(r, field, "\"%s\" is not full-width katakana", s);
	}
}

static int
flag(const struct reader *r, const char *field, const char *s)
{
	if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
		fail(r, field, "\"%s\" is not 0 or 1", s);
	return s[0] == '1';
}

/*
 * A routine category must be the vaccine's own class (docs/IMPORT.md);
 * the generator uses 臨時 (T) only for COVID's 特例臨時接種 before
 * 2024-04. on is YYYY-MM-DD, so it compares as a string.
 */
static int
category_fits(const char *code, char cat, const char *on)
{
	int covid = strcmp(code, "COVID") == 0;
	int b_class = covid || strcmp(code, "FLU") == 0 ||
	    strcmp(code, "PPSV") == 0;

	switch (cat) {
	case 'A':
		return !b_class;
	case 'B':
		return b_class;
	case 'T':
		return covid && strcmp(on, "2024-04-01") < 0;
	default:
		return cat == 'V';
	}
}

static int
cmp_person(const void *a, const void *b)
{
	uint64_t x = ((const struct person *)a)->atena;
	uint64_t y = ((const struct person *)b)->atena;

	return x < y ? -1 : x > y;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- The two files ------------------------------------------------ */

static struct person *
check_residents(const char *dir, int32_t today, size_t *count)
{
	static const char *const rels[] = {
		"世帯主", "妻", "夫", "子", "母", "父", "孫", "子の妻",
		"兄", "姉", "弟", "妹", "同居人", NULL,
	};
	struct reader r;
	struct person *v = NULL;
	size_t n = 0, cap = 0;

	open_reader(&r, dir, "residents.csv", resident_header, R_NFIELDS);
	while (read_row(&r)) {
		char **f = r.field;
		struct person *p;
		int status, foreigner;

		if (r.nfields != R_NFIELDS)
			fail(&r, NULL, "%zu fields, the layout has %d",
			    r.nfields, R_NFIELDS);
		if (n == cap) {
			cap = cap == 0 ? 4096 : cap * 2;
			if ((v = realloc(v, cap * sizeof(*v))) == NULL)
				fail(&r, NULL, "out of memory");
		}
		p = &v[n++];
		if (!digits(f[R_ATENA], 10))
			fail(&r, "atena_no", "\"%s\" is not 10 digits",
			    f[R_ATENA]);
		p->atena = strtoull(f[R_ATENA], NULL, 10);
		need_name(&r, "name", f[R_NAME], 0);
		need_name(&r, "name_kana", f[R_KANA], 1);
		if (strcmp(f[R_SEX], "1") != 0 && strcmp(f[R_SEX], "2") != 0)
			fail(&r, "sex", "\"%s\" is not 1 or 2", f[R_SEX]);
		p->birth = need_date(&r, "birth_date", f[R_BIRTH]);
		if (p->birth > today)
			fail(&r, "birth_date", "after today");
		if (strlen(f[R_POSTAL]) != 8 || f[R_POSTAL][3] != '-' ||
		    strspn(f[R_POSTAL], "0123456789-") != 8)
			fail(&r, "postal_code", "\"%s\" is not NNN-NNNN",
			    f[R_POSTAL]);
		if (f[R_ADDRESS][0] == '\0')
			fail(&r, "address", "empty");
		if (strspn(f[R_PHONE], "0123456789-") != strlen(f[R_PHONE]))
			fail(&r, "phone", "\"%s\" is not a phone number",
			    f[R_PHONE]);
		if (!digits(f[R_HOUSEHOLD], 10))
			fail(&r, "household_no", "\"%s\" is not 10 digits",
			    f[R_HOUSEHOLD]);
		if (!one_of(f[R_REL], rels))
			fail(&r, "relationship", "unknown \"%s\"", f[R_REL]);

		p->since = need_date(&r, "resident_since", f[R_SINCE]);
		if (p->since < p->birth || p->since > today)
			fail(&r, "resident_since", "before birth or after "
			    "today");
		status = f[R_STATUS][0] - '0';
		if (strlen(f[R_STATUS]) != 1 || status < 1 || status > 3)
			fail(&r, "status", "\"%s\" is not 1, 2 or 3",
			    f[R_STATUS]);
		if (status == 1) {
			if (f[R_UNTIL][0] != '\0' || f[R_REASON][0] != '\0' ||
			    f[R_MOVED_TO][0] != '\0')
				fail(&r, "status", "a resident with a leaving "
				    "date, reason or address");
			p->until = today;
		} else {
			p->until = need_date(&r, "resident_until", f[R_UNTIL]);
			if (p->until < p->since || p->until > today)
				fail(&r, "resident_until", "before "
				    "resident_since or after today");
			if (strcmp(f[R_REASON],
			    status == 2 ? "転出" : "死亡") != 0)
				fail(&r, "leave_reason", "\"%s\" for status %d",
				    f[R_REASON], status);
			if ((status == 2) != (f[R_MOVED_TO][0] != '\0'))
				fail(&r, "moved_to_address", "%s for status %d",
				    status == 2 ? "missing" : "present",
				    status);
		}
		foreigner = flag(&r, "foreigner", f[R_FOREIGNER]);
		if (foreigner) {
			if (f[R_REAL][0] == '\0' || strspn(f[R_REAL],
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ ") != strlen(f[R_REAL]))
				fail(&r, "real_name", "\"%s\" is not in Latin "
				    "capitals", f[R_REAL]);
			need_name(&r, "alias_name", f[R_ALIAS], 0);
		} else if (f[R_REAL][0] != '\0' || f[R_ALIAS][0] != '\0') {
			fail(&r, "real_name", "set for a Japanese national");
		}
		if (!digits(f[R_DISTRICT], 2))
			fail(&r, "district_code", "\"%s\" is not 2 digits",
			    f[R_DISTRICT]);
	}
	fclose(r.fp);
	free(r.buf);
	qsort(v, n, sizeof(*v), cmp_person);
	for (size_t i = 1; i < n; i++)
		if (v[i].atena == v[i - 1].atena) {
			fprintf(stderr, "%s: %s: atena_no %010llu is not "
			    "unique\n", progname, r.path,
			    (unsigned long long)v[i].atena);
			exit(1);
		}
	*count = n;
	return v;
}

static size_t
check_records(const char *dir, int32_t today, const struct person *people,
    size_t npeople)
{
	static const char *const codes[] = {
		"HIB", "PCV", "HBV", "ROTA1", "ROTA5", "DPTIPVHIB", "DPTIPV",
		"BCG", "MR", "VAR", "JE", "DT", "HPV", "FLU", "PPSV", "COVID",
		NULL,
	};
	static const char *const methods[] = {
		"皮下", "筋肉内", "経口", "経皮", NULL,
	};
	struct reader r;
	uint64_t *ids = NULL;
	size_t n = 0, cap = 0;

	open_reader(&r, dir, "records.csv", record_header, V_NFIELDS);
	while (read_row(&r)) {
		char **f = r.field;
		struct person key, *p;
		int32_t on, expiry, billing;
		int screening, y, m, d;
		char want[11];

		if (r.nfields != V_NFIELDS)
			fail(&r, NULL, "%zu fields, the layout has %d",
			    r.nfields, V_NFIELDS);
		if (f[V_LEGACY][0] == '\0' || strlen(f[V_LEGACY]) > 32)
			fail(&r, "legacy_id", "empty or longer than 32");
		for (const char *s = f[V_LEGACY]; *s != '\0'; s++)
			if (*s < 0x21 || *s > 0x7e)
				fail(&r, "legacy_id", "not printable ASCII");
		if (n == cap) {
			cap = cap == 0 ? 4096 : cap * 2;
			if ((ids = realloc(ids, cap * sizeof(*ids))) == NULL)
				fail(&r, NULL, "out of memory");
		}
		/* A 64-bit hash per id: a false duplicate is not a worry. */
		ids[n] = 0;
		for (const char *s = f[V_LEGACY]; *s != '\0'; s++)
			ids[n] = gc_hash64(ids[n] ^ (unsigned char)*s);
		n++;

		if (!digits(f[V_ATENA], 10))
			fail(&r, "atena_no", "\"%s\" is not 10 digits",
			    f[V_ATENA]);
		key.atena = strtoull(f[V_ATENA], NULL, 10);
		if ((p = bsearch(&key, people, npeople, sizeof(*people),
		    cmp_person)) == NULL)
			fail(&r, "atena_no", "%s is not in residents.csv",
			    f[V_ATENA]);
		if (!one_of(f[V_CODE], codes))
			fail(&r, "vaccine_code", "unknown \"%s\"", f[V_CODE]);
		if (strlen(f[V_DOSE]) != 1 || f[V_DOSE][0] < '1' ||
		    f[V_DOSE][0] > '9')
			fail(&r, "dose", "\"%s\" is not 1-9", f[V_DOSE]);
		if (strlen(f[V_CATEGORY]) != 1 ||
		    strchr("ABTV", f[V_CATEGORY][0]) == NULL)
			fail(&r, "category", "\"%s\" is not A, B, T or V",
			    f[V_CATEGORY]);
		if (!category_fits(f[V_CODE], f[V_CATEGORY][0], f[V_ON]))
			fail(&r, "category", "%s does not fit %s on %s",
			    f[V_CATEGORY], f[V_CODE], f[V_ON]);
		on = need_date(&r, "vaccinated_on", f[V_ON]);
		if (on < p->birth || on > today)
			fail(&r, "vaccinated_on", "before birth or after "
			    "today");
		if (on < p->since || on > p->until)
			fail(&r, "vaccinated_on", "outside the person's "
			    "residence");
		if (!digits(f[V_INST], 10))
			fail(&r, "institution_code", "\"%s\" is not 10 digits",
			    f[V_INST]);

		screening = flag(&r, "screening_only", f[V_SCREENING]);
		if (screening) {
			if (f[V_LOT][0] != '\0' || f[V_EXPIRY][0] != '\0')
				fail(&r, "lot_no", "set on a 予診のみ row");
			if (f[V_REASON][0] == '\0')
				fail(&r, "screening_reason", "empty on a "
				    "予診のみ row");
		} else {
			const char *lot = f[V_LOT];

			if (strlen(lot) != 6 || lot[0] < 'A' || lot[0] > 'Z' ||
			    lot[1] < 'A' || lot[1] > 'Z' || !digits(lot + 2, 4))
				fail(&r, "lot_no", "\"%s\" is not AA9999", lot);
			expiry = need_date(&r, "lot_expiry", f[V_EXPIRY]);
			if (expiry <= on)
				fail(&r, "lot_expiry", "not after "
				    "vaccinated_on");
			if (!one_of(f[V_METHOD], methods))
				fail(&r, "method", "unknown \"%s\"",
				    f[V_METHOD]);
		}
		/* 請求年月: the month after the dose. */
		gc_date_ymd(on, &y, &m, &d);
		billing = gc_date_days(m == 12 ? y + 1 : y,
		    m == 12 ? 1 : m + 1, 1);
		gc_date_format(billing, want);
		if (strlen(f[V_BILLING]) != 7 ||
		    strncmp(f[V_BILLING], want, 7) != 0)
			fail(&r, "billing_month", "\"%s\", want %.7s",
			    f[V_BILLING], want);
		flag(&r, "other_municipality", f[V_OTHER]);
		flag(&r, "certificate_issued", f[V_CERT]);
	}
	fclose(r.fp);
	free(r.buf);
	qsort(ids, n, sizeof(*ids), cmp_u64);
	for (size_t i = 1; i < n; i++)
		if (ids[i] == ids[i - 1]) {
			fprintf(stderr, "%s: %s: a legacy_id is not unique\n",
			    progname, r.path);
			exit(1);
		}
	free(ids);
	return n;
}

int
main(int argc, char **argv)
{
	const char *today_s = "2026-04-01", *dir;
	struct person *people;
	size_t npeople, nrecords;
	int32_t today;

	if (argc == 4 && strcmp(argv[1], "--today") == 0) {
		today_s = argv[2];
		dir = argv[3];
	} else if (argc == 2 && argv[1][0] != '-') {
		dir = argv[1];
	} else {
		fprintf(stderr, "usage: %s [--today YYYY-MM-DD] DIR\n",
		    progname);
		return 2;
	}
	if (gc_date_parse(today_s, &today) != 0) {
		fprintf(stderr, "%s: --today: \"%s\" is not YYYY-MM-DD\n",
		    progname, today_s);
		return 2;
	}
	people = check_residents(dir, today, &npeople);
	nrecords = check_records(dir, today, people, npeople);
	printf("%s: ok: %zu residents, %zu records\n", progname, npeople,
	    nrecords);
	free(people);
	return 0;
}
