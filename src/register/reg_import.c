/*
 * reg_import.c: the resident and vaccination-record imports; see
 * reg_import.h and docs/IMPORT.md.
 *
 * The file is held once in memory and parsed in passes rather than kept as
 * parsed rows: two million residents would otherwise cost gigabytes. Inside
 * the import's one BEGIN IMMEDIATE, the first pass checks every row and
 * collects one uniqueness key per row; then either a second pass prints
 * every problem (duplicates included, in line order) and the transaction is
 * rolled back, or a second pass writes. Checking inside the write
 * transaction means that what the checks saw of the register (the persons
 * of a record file) cannot change before the write.
 *
 * Never prints a field of a row: problems are core's (codes, dates and
 * numbers only) or name the column and the line.
 */
#include "register/reg_import.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "core/csv.h"
#include "core/import.h"
#include "core/kana.h"
#include "core/resident_row.h"
#include "store/store.h"

#define UUID_KEY_LEN	32	/* the uuid's hex digits: the uniqueness key */

/*
 * The page cache while an import runs, in KiB (the store's default is
 * 16 MiB). Record UUIDs are hashes, so their two indexes (the records'
 * and the change sequence's) are written in random order; with a cache
 * smaller than those indexes nearly every row evicts, spills and
 * re-decrypts pages. Measured: 458k records 23.5 s at 16 MiB, 14.4 s at
 * 256 MiB; 9.1M records 813 s at 256 MiB, 350 s at 1 GiB. SQLite takes
 * cache pages only as it uses them, so a small import costs no more.
 */
#define IMPORT_CACHE_KIB	1048576

/*
 * One column value, bound to an INSERT and compared with what a SELECT
 * returns, so that "unchanged" means equal as stored.
 */
enum val_type {
	VAL_NULL,
	VAL_TEXT,
	VAL_INT,
	VAL_REAL,
};

struct val {
	enum val_type	 type;
	const char	*s;		/* VAL_TEXT, borrowed */
	int		 len;
	sqlite3_int64	 i;
	double		 d;
};

/* The persons columns an import writes, in SQL order. */
enum {
	P_ATENA, P_NAME, P_KANA, P_KANA_SEARCH, P_SEX, P_BIRTH, P_POSTAL,
	P_ADDRESS, P_ADDRESS_EXTRA, P_PHONE, P_HOUSEHOLD, P_RELATIONSHIP,
	P_STATUS, P_SINCE, P_UNTIL, P_LEAVE_REASON, P_FOREIGNER, P_REAL_NAME,
	P_ALIAS_NAME, P_PREVIOUS_ADDRESS, P_MOVED_TO, P_DISTRICT,
	P_NVALS
};

#define PERSON_COLUMNS \
	"atena_no, name, name_kana, name_kana_search, sex, birth_date," \
	" postal_code, address, address_extra, phone, household_no," \
	" relationship, status, resident_since, resident_until, leave_reason," \
	" foreigner, real_name, alias_name, previous_address," \
	" moved_to_address, district_code"

struct person_vals {
	char		birth[CORE_DATE_STRLEN];
	char		since[CORE_DATE_STRLEN];
	char		until[CORE_DATE_STRLEN];
	struct val	v[P_NVALS];
};

/* The vaccination_records columns that come from the file (and the ages
 * derived from it), in SQL order: what "unchanged" compares. */
enum {
	R_ATENA, R_VACCINE, R_DOSE, R_CATEGORY, R_ON, R_AGE_YEARS,
	R_AGE_MONTHS, R_INSTITUTION, R_VENUE, R_SCREENING_DOCTOR,
	R_VACCINATING_DOCTOR, R_VACCINE_NAME, R_MAKER, R_LOT, R_EXPIRY,
	R_AMOUNT, R_SITE, R_METHOD, R_SCREENING_ONLY, R_REASON, R_UNSUITABLE,
	R_FEE, R_BILLING, R_OTHER_MUNICIPALITY, R_CERTIFICATE, R_LEGACY,
	R_NOTE,
	R_NVALS
};

#define RECORD_COLUMNS \
	"atena_no, vaccine_code, dose, category, vaccinated_on, age_years," \
	" age_months, institution_code, venue_code, screening_doctor," \
	" vaccinating_doctor, vaccine_name, maker_code, lot_no, lot_expiry," \
	" amount_ml, site, method, screening_only, screening_reason," \
	" unsuitable_code, fee_category, billing_month, other_municipality," \
	" certificate_issued, legacy_id, note"

struct record_vals {
	char		on[CORE_DATE_STRLEN];
	char		expiry[CORE_DATE_STRLEN];
	char		billing[CORE_YM_STRLEN];
	char		category[2];
	struct val	v[R_NVALS];
};

/* The register's view of a record's current version. */
struct record_current {
	bool		found;
	bool		same;		/* the file's fields equal the stored ones */
	bool		voided;
};

struct import {
	struct reg			*reg;
	const char			*name;		/* the file, in messages */
	const char			*base;		/* its basename, audited */
	const struct reg_import_opts	*o;
	FILE				*report;	/* o->report or stderr */
	const char			*buf;
	size_t				 len;
	struct csv_reader		*rd;
	struct csv_record		 rec;
	struct core_header		 hdr;
	struct core_problems		 pr;
	union {
		struct core_resident_row res;
		struct core_record_row	 rec;
	} row;
	bool				 parsed;	/* row holds a good row */
	bool				 printing;	/* the reporting pass */
	bool				 has_voided;	/* any current voided record */
	bool				 no_records;	/* the register holds none */

	struct core_uniq		*keys;		/* one per row with a key */
	size_t				 nkeys, capkeys;
	size_t				 kpos;		/* printing: next by line */
	size_t				 ndup;

	unsigned long			 rows, bad;

	/* The person last looked up: records arrive grouped by person. */
	char				 person[11];
	bool				 person_found;
	bool				 person_dead;
	struct core_date		 person_birth;
	struct core_date		 person_death;

	long				 cache_kib;	/* to restore, or 0 */
	char				 now[STORE_TIME_LEN];
	char				 change_reason[128];
	char				 kana[CSV_MAX_FIELD_BYTES + 1];
	struct reg_import_result	*res;
};

static void
val_text(struct val *v, const char *s, size_t len)
{
	v->type = len == 0 ? VAL_NULL : VAL_TEXT;
	v->s = s;
	v->len = (int)len;
}

static void
val_str(struct val *v, const char *s)
{
	val_text(v, s, strlen(s));
}

static void
val_int(struct val *v, sqlite3_int64 i)
{
	v->type = VAL_INT;
	v->i = i;
}

static void
val_date(struct val *v, bool present, const struct core_date *d, char *buf)
{
	if (!present) {
		v->type = VAL_NULL;
		return;
	}
	core_date_format(d, buf, CORE_DATE_STRLEN);
	val_str(v, buf);
}

static void
vals_bind(sqlite3_stmt *stmt, int first, const struct val *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int at = first + (int)i;

		switch (v[i].type) {
		case VAL_NULL:
			sqlite3_bind_null(stmt, at);
			break;
		case VAL_TEXT:
			sqlite3_bind_text(stmt, at, v[i].s, v[i].len, SQLITE_STATIC);
			break;
		case VAL_INT:
			sqlite3_bind_int64(stmt, at, v[i].i);
			break;
		case VAL_REAL:
			sqlite3_bind_double(stmt, at, v[i].d);
			break;
		}
	}
}

/* Whether the row at stmt holds v from column first on, type for type. */
static bool
vals_same(sqlite3_stmt *stmt, int first, const struct val *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int col = first + (int)i, t = sqlite3_column_type(stmt, col);

		switch (v[i].type) {
		case VAL_NULL:
			if (t != SQLITE_NULL)
				return false;
			break;
		case VAL_TEXT:
			if (t != SQLITE_TEXT ||
			    sqlite3_column_bytes(stmt, col) != v[i].len ||
			    memcmp(sqlite3_column_text(stmt, col), v[i].s,
			    (size_t)v[i].len) != 0)
				return false;
			break;
		case VAL_INT:
			if (t != SQLITE_INTEGER ||
			    sqlite3_column_int64(stmt, col) != v[i].i)
				return false;
			break;
		case VAL_REAL:
			/* Both sides are amount_ul / 1000.0: exact. */
			if (t != SQLITE_FLOAT ||
			    sqlite3_column_double(stmt, col) != v[i].d)
				return false;
			break;
		}
	}
	return true;
}

static bool
ten_digits(const struct csv_field *f)
{
	if (f->len != 10)
		return false;
	for (size_t i = 0; i < 10; i++)
		if (f->s[i] < '0' || f->s[i] > '9')
			return false;
	return true;
}

/* A legacy_id as core_field_code() accepts it: 1..32 printable ASCII. */
static bool
plain_legacy_id(const struct csv_field *f)
{
	if (f->len == 0 || f->len > CORE_REC_LEGACY_ID_MAX)
		return false;
	for (size_t i = 0; i < f->len; i++)
		if ((unsigned char)f->s[i] < 0x21 || (unsigned char)f->s[i] > 0x7e)
			return false;
	return true;
}

/* ---- record UUIDs ---- */

/* SHA-256 of the parts joined by NULs, shaped as a version-5 UUID. */
static void
uuid_of(const char *const *parts, const size_t *lens, size_t nparts,
    char out[REG_IMPORT_UUID_STRLEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH], in[256];
	size_t used = 0, o = 0;

	for (size_t i = 0; i < nparts; i++) {
		size_t n = lens[i] < 64 ? lens[i] : 64;	/* parts are short */

		if (i > 0)
			in[used++] = '\0';
		memcpy(in + used, parts[i], n);
		used += n;
	}
	SHA256(in, used, md);
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);	/* version 5-like */
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[md[i] >> 4];
		out[o++] = hex[md[i] & 0xf];
	}
	out[o] = '\0';
}

static void
uuid_legacy(const char *municipality, const char *legacy, size_t len,
    char out[REG_IMPORT_UUID_STRLEN])
{
	const char *parts[] = { "sesshu-import-v1", municipality, legacy };
	size_t lens[] = { 16, strlen(municipality), len };

	uuid_of(parts, lens, 3, out);
}

void
reg_import_record_uuid(const char *municipality,
    const struct core_record_row *row, char out[REG_IMPORT_UUID_STRLEN])
{
	char dose[2] = { (char)('0' + row->dose), '\0' }, on[CORE_DATE_STRLEN];
	const char *parts[6];
	size_t lens[6];

	if (row->legacy_id[0] != '\0') {
		uuid_legacy(municipality, row->legacy_id, strlen(row->legacy_id),
		    out);
		return;
	}
	core_date_format(&row->vaccinated_on, on, sizeof(on));
	parts[0] = "sesshu-import-v1-dose";
	parts[1] = municipality;
	parts[2] = row->atena_no;
	parts[3] = row->vaccine->code;
	parts[4] = dose;
	parts[5] = on;
	for (size_t i = 0; i < 6; i++)
		lens[i] = strlen(parts[i]);
	uuid_of(parts, lens, 6, out);
}

/* The uuid's 32 hex digits, the key core_uniq_mark() compares. */
static void
uuid_key(const char *uuid, char key[CORE_UNIQ_KEY_MAX])
{
	size_t n = 0;

	for (const char *p = uuid; *p != '\0' && n < UUID_KEY_LEN; p++)
		if (*p != '-')
			key[n++] = *p;
	key[n] = '\0';
}

/* ---- reading and converting the file ---- */

static unsigned long
count_lines(const char *from, const char *to)
{
	unsigned long n = 0;
	const char *p = from;

	while (p < to && (p = memchr(p, '\n', (size_t)(to - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * cp932 to UTF-8. A line feed is never part of a cp932 double-byte
 * character (trail bytes are 0x40-0xFC), so the lines counted in the input
 * are the lines the CSV reader will count in the output. After a bad
 * sequence one byte is skipped and conversion goes on, so that every bad
 * line is reported in one run.
 */
static int
from_cp932(const char *path, char *in, size_t inlen, FILE *report,
    char **out, size_t *outlen, unsigned long *bad, struct sesshu_err *err)
{
	char *ip = in, *buf, *op, *grown;
	size_t ileft = inlen, cap, oleft, used;
	unsigned long line = 1, last_bad = 0;
	const char *counted = in;
	iconv_t cd;
	int e, rc = 0;

	if ((cd = iconv_open("UTF-8", "CP932")) == (iconv_t)-1)
		return sesshu_err_set(err, SESSHU_EINVAL, "this system's iconv "
		    "cannot convert from cp932: %s", strerror(errno));
	/* Kanji grow from 2 to 3 bytes; half-width kana from 1 to 3. */
	cap = inlen + inlen / 2 + 64;
	if ((buf = malloc(cap)) == NULL) {
		iconv_close(cd);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory "
		    "converting %s", path);
	}
	op = buf;
	oleft = cap - 1;		/* room for the NUL */
	while (ileft > 0) {
		if (iconv(cd, &ip, &ileft, &op, &oleft) != (size_t)-1)
			break;
		e = errno;
		if (e == E2BIG) {
			used = (size_t)(op - buf);
			if ((grown = realloc(buf, cap * 2)) == NULL) {
				rc = sesshu_err_set(err, SESSHU_ENOMEM,
				    "out of memory converting %s", path);
				break;
			}
			buf = grown;
			cap *= 2;
			op = buf + used;
			oleft = cap - 1 - used;
			continue;
		}
		if (e != EILSEQ && e != EINVAL) {
			rc = sesshu_err_set(err, SESSHU_EIO, "converting %s from "
			    "cp932: %s", path, strerror(e));
			break;
		}
		line += count_lines(counted, ip);
		counted = ip;
		if (line != last_bad) {
			fprintf(report, "%s:%lu: invalid cp932 byte sequence\n",
			    path, line);
			(*bad)++;
			last_bad = line;
		}
		if (e == EINVAL)	/* a sequence cut off by the end */
			break;
		ip++;
		ileft--;
	}
	iconv_close(cd);
	if (rc == 0 && *bad > 0)
		rc = sesshu_err_set(err, SESSHU_EINVAL, "%s: %lu %s with invalid "
		    "cp932 byte sequences; nothing was imported", path, *bad,
		    *bad == 1 ? "line" : "lines");
	if (rc != 0) {
		free(buf);
		return rc;
	}
	*op = '\0';
	*out = buf;
	*outlen = (size_t)(op - buf);
	return 0;
}

int
reg_import_read(const char *path, enum reg_import_encoding enc, FILE *report,
    char **out, size_t *outlen, unsigned long *bad_lines,
    struct sesshu_err *err)
{
	struct stat sb;
	size_t size, got = 0;
	char *buf, extra;
	ssize_t n;
	int fd, rc, e = 0;

	*out = NULL;
	*outlen = 0;
	*bad_lines = 0;
	if (report == NULL)
		report = stderr;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sesshu_err_set(err, errno == ENOENT ? SESSHU_ENOTFOUND :
		    SESSHU_EIO, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s is not a regular file", path);
	}
	if ((uintmax_t)sb.st_size > REG_IMPORT_MAX_BYTES) {
		close(fd);
		return sesshu_err_set(err, SESSHU_ERANGE, "%s is %jd bytes; an "
		    "import reads at most 2 GiB (%zu bytes): split the extract "
		    "into smaller files and import each", path,
		    (intmax_t)sb.st_size, REG_IMPORT_MAX_BYTES);
	}
	size = (size_t)sb.st_size;
	if ((buf = malloc(size + 1)) == NULL) {
		close(fd);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory reading "
		    "%s (%zu bytes)", path, size);
	}
	while (got < size) {
		if ((n = read(fd, buf + got, size - got)) < 0 && errno == EINTR)
			continue;
		if (n < 0)
			e = errno;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (e == 0 && got == size && (n = read(fd, &extra, 1)) != 0)
		e = n < 0 ? errno : 0;
	else
		n = 0;
	if (e != 0 || got < size || n > 0) {
		close(fd);
		free(buf);
		return sesshu_err_set(err, SESSHU_EIO, "cannot read %s%s%s", path,
		    e != 0 ? ": " : " (it changed while it was read)",
		    e != 0 ? strerror(e) : "");
	}
	close(fd);
	buf[got] = '\0';
	if (enc == REG_IMPORT_UTF8) {
		*out = buf;
		*outlen = got;
		return 0;
	}
	rc = from_cp932(path, buf, got, report, out, outlen, bad_lines, err);
	free(buf);
	return rc;
}

/* ---- reporting ---- */

static void
report_problems(struct import *im, unsigned long line)
{
	for (size_t i = 0; i < im->pr.n; i++)
		fprintf(im->report, "%s:%lu: %s: %s\n", im->name, line,
		    im->pr.p[i].column, im->pr.p[i].msg);
	if (im->pr.dropped > 0)
		fprintf(im->report, "%s:%lu: and %zu more problems\n",
		    im->name, line, im->pr.dropped);
}

/* csv.h says "line N: what"; printed as FILE:N: what. */
static void
report_csv(struct import *im, const struct sesshu_err *cerr)
{
	unsigned long line;
	int used = 0;

	if (sscanf(cerr->msg, "line %lu: %n", &line, &used) == 1 && used > 0)
		fprintf(im->report, "%s:%lu: %s\n", im->name, line,
		    cerr->msg + used);
	else
		fprintf(im->report, "%s: %s\n", im->name, cerr->msg);
}

/* ---- the register's side of the checks ---- */

static int
person_lookup(struct import *im, const char *atena, struct sesshu_err *err)
{
	static const char sql[] = "SELECT birth_date, status, resident_until"
	    " FROM persons WHERE atena_no = ?";
	struct store *st = im->reg->st;
	const char *birth, *until;
	sqlite3_stmt *stmt;
	int rc;

	if (im->person[0] != '\0' && strcmp(im->person, atena) == 0)
		return 0;
	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, atena, -1, SQLITE_STATIC);
	im->person_found = im->person_dead = false;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		birth = (const char *)sqlite3_column_text(stmt, 0);
		until = (const char *)sqlite3_column_text(stmt, 2);
		im->person_found = true;
		if (birth == NULL || core_date_parse(birth, strlen(birth),
		    &im->person_birth, NULL) != 0) {
			store_stmt_done(stmt);
			return sesshu_err_set(err, SESSHU_ECORRUPT, "persons: a "
			    "stored birth_date is not a date (宛名番号 %s)", atena);
		}
		im->person_dead = sqlite3_column_int(stmt, 1) ==
		    CORE_STATUS_DECEASED && until != NULL &&
		    core_date_parse(until, strlen(until), &im->person_death,
		    NULL) == 0;
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(st, rc, "looking up a person", err)) != 0)
		return rc;
	snprintf(im->person, sizeof(im->person), "%s", atena);
	return 0;
}

static int
record_vals(struct import *im, struct record_vals *rv, struct sesshu_err *err)
{
	const struct core_record_row *r = &im->row.rec;
	struct val *v = rv->v;
	int years, months, rc;

	if ((rc = core_date_age_years(&im->person_birth, &r->vaccinated_on,
	    &years, err)) != 0 || (rc = core_date_age_months(&im->person_birth,
	    &r->vaccinated_on, &months, err)) != 0)
		return rc;
	rv->category[0] = r->category;
	rv->category[1] = '\0';
	val_str(&v[R_ATENA], r->atena_no);
	val_str(&v[R_VACCINE], r->vaccine->code);
	val_int(&v[R_DOSE], r->dose);
	val_str(&v[R_CATEGORY], rv->category);
	val_date(&v[R_ON], true, &r->vaccinated_on, rv->on);
	val_int(&v[R_AGE_YEARS], years);
	val_int(&v[R_AGE_MONTHS], months);
	val_str(&v[R_INSTITUTION], r->institution_code);
	val_str(&v[R_VENUE], r->venue_code);
	val_text(&v[R_SCREENING_DOCTOR], r->screening_doctor.s,
	    r->screening_doctor.len);
	val_text(&v[R_VACCINATING_DOCTOR], r->vaccinating_doctor.s,
	    r->vaccinating_doctor.len);
	val_text(&v[R_VACCINE_NAME], r->vaccine_name.s, r->vaccine_name.len);
	/* The layout has the maker's name; the schema's maker_code holds it
	 * until master data gives makers codes (docs/IMPORT.md). */
	val_text(&v[R_MAKER], r->maker.s, r->maker.len);
	val_text(&v[R_LOT], r->lot_no.s, r->lot_no.len);
	val_date(&v[R_EXPIRY], r->has_lot_expiry, &r->lot_expiry, rv->expiry);
	if (r->has_amount) {
		v[R_AMOUNT].type = VAL_REAL;
		v[R_AMOUNT].d = r->amount_ul / 1000.0;
	} else
		v[R_AMOUNT].type = VAL_NULL;
	val_text(&v[R_SITE], r->site.s, r->site.len);
	val_text(&v[R_METHOD], r->method.s, r->method.len);
	val_int(&v[R_SCREENING_ONLY], r->screening_only);
	val_text(&v[R_REASON], r->screening_reason.s, r->screening_reason.len);
	val_str(&v[R_UNSUITABLE], r->unsuitable_code);
	val_str(&v[R_FEE], r->fee_category);
	if (r->has_billing_month) {
		core_ym_format(&r->billing_month, rv->billing,
		    sizeof(rv->billing));
		val_str(&v[R_BILLING], rv->billing);
	} else
		v[R_BILLING].type = VAL_NULL;
	val_int(&v[R_OTHER_MUNICIPALITY], r->other_municipality);
	val_int(&v[R_CERTIFICATE], r->certificate_issued);
	val_str(&v[R_LEGACY], r->legacy_id);
	val_text(&v[R_NOTE], r->note.s, r->note.len);
	return 0;
}

/* What the register holds as the current version of uuid, against rv. */
static int
record_current(struct import *im, const char *uuid,
    const struct record_vals *rv, struct record_current *cur,
    struct sesshu_err *err)
{
	static const char sql[] = "SELECT state, " RECORD_COLUMNS
	    " FROM vaccination_records WHERE record_uuid = ? AND is_current = 1";
	struct store *st = im->reg->st;
	const unsigned char *state;
	sqlite3_stmt *stmt;
	int rc;

	memset(cur, 0, sizeof(*cur));
	if ((rc = store_prepare(st, sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		cur->found = true;
		state = sqlite3_column_text(stmt, 0);
		cur->voided = state != NULL &&
		    strcmp((const char *)state, "voided") == 0;
		cur->same = vals_same(stmt, 1, rv->v, R_NVALS);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	return store_check(st, rc, "looking up a record", err);
}

/* The register's checks of a record row (docs/IMPORT.md, "What one row
 * cannot show"). */
static int
check_record(struct import *im, struct sesshu_err *err)
{
	const struct csv_field *f = core_header_field(&im->hdr, &im->rec,
	    CORE_REC_ATENA_NO);
	const struct core_record_row *r = &im->row.rec;
	char atena[11], on[CORE_DATE_STRLEN], uuid[REG_IMPORT_UUID_STRLEN];
	struct record_current cur;
	struct record_vals rv;
	int rc;

	if (!ten_digits(f))
		return 0;	/* core has said why */
	memcpy(atena, f->s, 10);
	atena[10] = '\0';
	if ((rc = person_lookup(im, atena, err)) != 0)
		return rc;
	if (!im->person_found) {
		core_problems_add(&im->pr, "atena_no", "%s is not in the "
		    "register (import the residents first)", atena);
		return 0;
	}
	if (!im->parsed)
		return 0;
	core_date_format(&r->vaccinated_on, on, sizeof(on));
	if (core_date_cmp(&r->vaccinated_on, &im->person_birth) < 0) {
		core_problems_add(&im->pr, "vaccinated_on", "%s is before the "
		    "person's birth date in the register", on);
		return 0;
	}
	if (im->person_dead &&
	    core_date_cmp(&r->vaccinated_on, &im->person_death) > 0)
		core_problems_add(&im->pr, "vaccinated_on", "%s is after the "
		    "person's date of death in the register (resident_until "
		    "of status 3)", on);
	if (!im->has_voided)
		return 0;
	/* A void is a decision made in the register: an extract that
	 * differs must not quietly bring the record back. */
	reg_import_record_uuid(im->reg->municipality, r, uuid);
	if ((rc = record_vals(im, &rv, err)) != 0 ||
	    (rc = record_current(im, uuid, &rv, &cur, err)) != 0)
		return rc;
	if (cur.found && cur.voided && !cur.same)
		core_problems_add(&im->pr, r->legacy_id[0] != '\0' ?
		    "legacy_id" : "row", "this record was voided in the "
		    "register and the row differs from it; remove the row");
	return 0;
}

/*
 * The key a record row is told apart by: its uuid, from legacy_id when
 * that field is usable (even if the row has other problems), else from
 * the dose when the row parsed.
 */
static bool
record_key(struct import *im, char key[CORE_UNIQ_KEY_MAX], bool *legacy)
{
	const struct csv_field *f = core_header_field(&im->hdr, &im->rec,
	    CORE_REC_LEGACY_ID);
	char uuid[REG_IMPORT_UUID_STRLEN];

	*legacy = f->len > 0;
	if (*legacy) {
		if (!plain_legacy_id(f))
			return false;
		uuid_legacy(im->reg->municipality, f->s, f->len, uuid);
	} else if (im->parsed)
		reg_import_record_uuid(im->reg->municipality, &im->row.rec, uuid);
	else
		return false;
	uuid_key(uuid, key);
	return true;
}

static int
key_add(struct import *im, const char *key, unsigned long line,
    struct sesshu_err *err)
{
	struct core_uniq *grown;
	size_t cap;

	if (im->nkeys == im->capkeys) {
		cap = im->capkeys == 0 ? 4096 : im->capkeys * 2;
		if ((grown = realloc(im->keys, cap * sizeof(*grown))) == NULL)
			return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory "
			    "checking %s for duplicates (%zu rows)", im->name,
			    im->nkeys);
		im->keys = grown;
		im->capkeys = cap;
	}
	snprintf(im->keys[im->nkeys].key, CORE_UNIQ_KEY_MAX, "%s", key);
	im->keys[im->nkeys].line = line;
	im->keys[im->nkeys].first_line = 0;
	im->nkeys++;
	return 0;
}

/* Checks the data row in im->rec, adding every problem to im->pr. */
static int
check_row(struct import *im, struct sesshu_err *err)
{
	const struct core_uniq *k;
	char key[CORE_UNIQ_KEY_MAX];
	const char *column;
	bool has_key, legacy = false;
	unsigned long line = im->rec.line;
	int rc;

	if (im->o->kind == REG_IMPORT_RESIDENTS) {
		const struct csv_field *f = core_header_field(&im->hdr,
		    &im->rec, CORE_RES_ATENA_NO);

		im->parsed = core_resident_row_parse(&im->hdr, &im->rec,
		    &im->o->today, &im->row.res, &im->pr) == 0;
		if ((has_key = ten_digits(f))) {
			memcpy(key, f->s, 10);
			key[10] = '\0';
		}
		column = "atena_no";
	} else {
		im->parsed = core_record_row_parse(&im->hdr, &im->rec,
		    &im->o->today, &im->row.rec, &im->pr) == 0;
		if ((rc = check_record(im, err)) != 0)
			return rc;
		has_key = record_key(im, key, &legacy);
		column = legacy ? "legacy_id" : "row";
	}
	if (!has_key)
		return 0;
	if (!im->printing)
		return key_add(im, key, line, err);
	while (im->kpos < im->nkeys && im->keys[im->kpos].line < line)
		im->kpos++;
	if (im->kpos == im->nkeys || (k = &im->keys[im->kpos])->line != line ||
	    k->first_line == 0)
		return 0;
	if (im->o->kind == REG_IMPORT_RECORDS && !legacy)
		core_problems_add(&im->pr, column, "the same atena_no, "
		    "vaccine_code, dose and vaccinated_on as line %lu, and "
		    "neither has a legacy_id", k->first_line);
	else
		core_problems_add(&im->pr, column, "also on line %lu",
		    k->first_line);
	return 0;
}

static int
map_header(struct import *im)
{
	core_problems_init(&im->pr);
	if (im->o->kind == REG_IMPORT_RESIDENTS)
		return core_resident_header(&im->rec, &im->hdr, &im->pr);
	return core_record_header(&im->rec, &im->hdr, &im->pr);
}

/*
 * Walks the file once. Not printing: counts the rows with problems and
 * collects the keys. Printing (after core_uniq_mark()): prints every
 * problem, duplicates included, and counts the rows with problems again.
 * A bad header or a CSV framing error stops the walk: what follows cannot
 * be read reliably.
 */
static int
check_pass(struct import *im, struct sesshu_err *err)
{
	struct sesshu_err cerr = { 0 };
	int n, rc;

	csv_reader_init(im->rd, im->buf, im->len);
	im->rows = im->bad = 0;
	im->kpos = 0;
	im->person[0] = '\0';
	if ((n = csv_next(im->rd, &im->rec, &cerr)) <= 0) {
		im->bad++;
		if (im->printing && n < 0)
			report_csv(im, &cerr);
		else if (im->printing)
			fprintf(im->report, "%s:1: header: the file is "
			    "empty (no header row)\n", im->name);
		return 0;
	}
	if (map_header(im) != 0) {
		im->bad++;
		if (im->printing)
			report_problems(im, im->rec.line);
		return 0;
	}
	while ((n = csv_next(im->rd, &im->rec, &cerr)) == 1) {
		im->rows++;
		core_problems_init(&im->pr);
		if ((rc = check_row(im, err)) != 0)
			return rc;
		if (core_problems_count(&im->pr) > 0) {
			im->bad++;
			if (im->printing)
				report_problems(im, im->rec.line);
		}
	}
	if (n < 0) {
		im->bad++;
		if (im->printing)
			report_csv(im, &cerr);
	}
	return 0;
}

/* ---- writing ---- */

static int
person_vals(struct import *im, struct person_vals *pv, struct sesshu_err *err)
{
	const struct core_resident_row *r = &im->row.res;
	struct val *v = pv->v;
	size_t klen;
	int rc;

	if ((rc = core_kana_normalize(r->name_kana.s, r->name_kana.len,
	    im->kana, sizeof(im->kana), &klen, err)) != 0)
		return rc;
	val_str(&v[P_ATENA], r->atena_no);
	val_text(&v[P_NAME], r->name.s, r->name.len);
	val_text(&v[P_KANA], r->name_kana.s, r->name_kana.len);
	val_text(&v[P_KANA_SEARCH], im->kana, klen);
	val_int(&v[P_SEX], r->sex);
	val_date(&v[P_BIRTH], true, &r->birth_date, pv->birth);
	val_str(&v[P_POSTAL], r->postal_code);
	val_text(&v[P_ADDRESS], r->address.s, r->address.len);
	val_text(&v[P_ADDRESS_EXTRA], r->address_extra.s, r->address_extra.len);
	val_str(&v[P_PHONE], r->phone);
	val_str(&v[P_HOUSEHOLD], r->household_no);
	val_text(&v[P_RELATIONSHIP], r->relationship.s, r->relationship.len);
	val_int(&v[P_STATUS], r->status);
	val_date(&v[P_SINCE], r->has_resident_since, &r->resident_since,
	    pv->since);
	val_date(&v[P_UNTIL], r->has_resident_until, &r->resident_until,
	    pv->until);
	val_text(&v[P_LEAVE_REASON], r->leave_reason.s, r->leave_reason.len);
	val_int(&v[P_FOREIGNER], r->foreigner);
	val_text(&v[P_REAL_NAME], r->real_name.s, r->real_name.len);
	val_text(&v[P_ALIAS_NAME], r->alias_name.s, r->alias_name.len);
	val_text(&v[P_PREVIOUS_ADDRESS], r->previous_address.s,
	    r->previous_address.len);
	val_text(&v[P_MOVED_TO], r->moved_to_address.s,
	    r->moved_to_address.len);
	val_str(&v[P_DISTRICT], r->district_code);
	return 0;
}

/*
 * A new person, or one whose stored fields differ, is written whole and
 * renumbered in the change sequence; an identical one is left alone, so a
 * monthly re-import sends workstations only what changed.
 *
 * New persons get a plain INSERT, not INSERT OR REPLACE: REPLACE makes
 * SQLite keep a statement journal, whose page images SQLCipher encrypts,
 * and that alone made a first import four times slower.
 */
static int
write_person(struct import *im, struct sesshu_err *err)
{
	static const char sel_sql[] = "SELECT " PERSON_COLUMNS
	    " FROM persons WHERE atena_no = ?";
	static const char ins_sql[] = "INSERT INTO persons (" PERSON_COLUMNS
	    ", seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?)";
	static const char upd_sql[] = "UPDATE persons SET name = ?2,"
	    " name_kana = ?3, name_kana_search = ?4, sex = ?5,"
	    " birth_date = ?6, postal_code = ?7, address = ?8,"
	    " address_extra = ?9, phone = ?10, household_no = ?11,"
	    " relationship = ?12, status = ?13, resident_since = ?14,"
	    " resident_until = ?15, leave_reason = ?16, foreigner = ?17,"
	    " real_name = ?18, alias_name = ?19, previous_address = ?20,"
	    " moved_to_address = ?21, district_code = ?22, seq = ?23"
	    " WHERE atena_no = ?1";
	struct store *st = im->reg->st;
	struct person_vals pv;
	sqlite3_stmt *stmt;
	bool found = false, same = false;
	int64_t seq;
	int rc;

	if ((rc = person_vals(im, &pv, err)) != 0)
		return rc;
	if ((rc = store_prepare(st, sel_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, im->row.res.atena_no, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		found = true;
		same = vals_same(stmt, 0, pv.v, P_NVALS);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(st, rc, "reading persons", err)) != 0)
		return rc;
	if (same) {
		im->res->unchanged++;
		return 0;
	}
	if ((rc = reg_note_change(im->reg, "person", im->row.res.atena_no,
	    "upsert", &seq, err)) != 0)
		return rc;
	if ((rc = store_prepare(st, found ? upd_sql : ins_sql, &stmt,
	    err)) != 0)
		return rc;
	vals_bind(stmt, 1, pv.v, P_NVALS);
	sqlite3_bind_int64(stmt, P_NVALS + 1, seq);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(st, rc, "writing persons", err)) != 0)
		return rc;
	if (found)
		im->res->changed++;
	else
		im->res->added++;
	return 0;
}

/*
 * A record new to the register is version 1; one whose fields differ from
 * its current version gets the next version, which becomes current, so the
 * earlier one stays as history (the same shape as a correction).
 */
static int
write_record(struct import *im, struct sesshu_err *err)
{
	static const char max_sql[] = "SELECT coalesce(max(version), 0)"
	    " FROM vaccination_records WHERE record_uuid = ?";
	static const char retire_sql[] = "UPDATE vaccination_records"
	    " SET is_current = 0 WHERE record_uuid = ? AND is_current = 1";
	static const char ins_sql[] = "INSERT INTO vaccination_records ("
	    RECORD_COLUMNS ", record_uuid, version, is_current, state,"
	    " registration_kind, registered_at, entered_by, change_reason, seq)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'verified', 'imported', ?, ?, ?,"
	    " ?)";
	struct store *st = im->reg->st;
	char uuid[REG_IMPORT_UUID_STRLEN];
	struct record_current cur;
	struct record_vals rv;
	sqlite3_stmt *stmt;
	sqlite3_int64 version = 0;
	int64_t seq;
	int at, rc;

	if ((rc = person_lookup(im, im->row.rec.atena_no, err)) != 0)
		return rc;
	if (!im->person_found)	/* checked in this transaction */
		return sesshu_err_set(err, SESSHU_ECORRUPT, "%s:%lu: the person "
		    "disappeared during the import", im->name, im->rec.line);
	reg_import_record_uuid(im->reg->municipality, &im->row.rec, uuid);
	if ((rc = record_vals(im, &rv, err)) != 0)
		return rc;
	/* Into an empty register every row is new: the file's uuids were
	 * shown unique by the check pass, so no lookup can find one. */
	if (im->no_records)
		goto insert;
	if ((rc = record_current(im, uuid, &rv, &cur, err)) != 0)
		return rc;
	if (cur.found && cur.same) {
		im->res->unchanged++;
		return 0;
	}

	if ((rc = store_prepare(st, max_sql, &stmt, err)) != 0)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		version = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_DONE;
	}
	store_stmt_done(stmt);
	if ((rc = store_check(st, rc, "reading vaccination_records", err)) != 0)
		return rc;
	if (version > 0) {
		if ((rc = store_prepare(st, retire_sql, &stmt, err)) != 0)
			return rc;
		sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		store_stmt_done(stmt);
		if ((rc = store_check(st, rc, "writing vaccination_records",
		    err)) != 0)
			return rc;
	}

insert:
	if ((rc = reg_note_change(im->reg, "record", uuid, "upsert", &seq,
	    err)) != 0)
		return rc;
	if ((rc = store_prepare(st, ins_sql, &stmt, err)) != 0)
		return rc;
	vals_bind(stmt, 1, rv.v, R_NVALS);
	at = R_NVALS + 1;
	sqlite3_bind_text(stmt, at++, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, at++, version + 1);
	sqlite3_bind_text(stmt, at++, im->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, at++, im->o->actor, -1, SQLITE_STATIC);
	if (version > 0)
		sqlite3_bind_text(stmt, at++, im->change_reason, -1,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, at++);
	sqlite3_bind_int64(stmt, at, seq);
	rc = sqlite3_step(stmt);
	store_stmt_done(stmt);
	if ((rc = store_check(st, rc, "writing vaccination_records", err)) != 0)
		return rc;
	if (version > 0)
		im->res->changed++;
	else
		im->res->added++;
	return 0;
}

/* The second pass over a file that passed every check. */
static int
write_pass(struct import *im, struct sesshu_err *err)
{
	struct sesshu_err cerr = { 0 };
	int n, rc;

	csv_reader_init(im->rd, im->buf, im->len);
	im->person[0] = '\0';
	if (csv_next(im->rd, &im->rec, &cerr) != 1 || map_header(im) != 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "%s: the header "
		    "passed its check but not the second reading", im->name);
	while ((n = csv_next(im->rd, &im->rec, &cerr)) == 1) {
		core_problems_init(&im->pr);
		if (im->o->kind == REG_IMPORT_RESIDENTS) {
			if (core_resident_row_parse(&im->hdr, &im->rec,
			    &im->o->today, &im->row.res, &im->pr) != 0)
				n = -1;
			else if ((rc = write_person(im, err)) != 0)
				return rc;
		} else {
			if (core_record_row_parse(&im->hdr, &im->rec,
			    &im->o->today, &im->row.rec, &im->pr) != 0)
				n = -1;
			else if ((rc = write_record(im, err)) != 0)
				return rc;
		}
		if (n < 0)
			break;
	}
	if (n != 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "%s:%lu: the row "
		    "passed its check but not the second reading", im->name,
		    im->rec.line);
	return 0;
}

/* ---- the import ---- */

static const char *
action_of(const struct reg_import_opts *o)
{
	return o->kind == REG_IMPORT_RESIDENTS ? "import.residents" :
	    "import.records";
}

static const char *
basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/* An audit entry of its own, for a run that wrote nothing. A failure to
 * write it is reported after the import's own message. */
static void
audit_outcome(struct reg *reg, const char *path,
    const struct reg_import_opts *o, const char *outcome,
    struct sesshu_err *err)
{
	struct sesshu_err aerr = { 0 };
	char object[300];

	snprintf(object, sizeof(object), "file:%s", basename_of(path));
	if (reg_audit(reg, o->actor, REG_ACTOR, action_of(o), object, outcome,
	    &aerr) != 0 && err != NULL && strlen(err->msg) + 64 <
	    sizeof(err->msg))
		snprintf(err->msg + strlen(err->msg), sizeof(err->msg) -
		    strlen(err->msg), " (and the audit entry failed: %.40s)",
		    aerr.msg);
}

static void
audit_failed(struct reg *reg, const char *path,
    const struct reg_import_opts *o, int code, struct sesshu_err *err)
{
	char outcome[128];

	snprintf(outcome, sizeof(outcome), "failed: %s",
	    sesshu_status_msgid(code));
	audit_outcome(reg, path, o, outcome, err);
}

/*
 * Sets the page cache to kib KiB, first saving the current size (in KiB)
 * in *old when old is given. PRAGMA cache_size takes no parameter, so the
 * statement is formatted; its argument is a number of ours.
 */
static int
set_cache(struct store *st, long kib, long *old, struct sesshu_err *err)
{
	static const char get_sql[] = "PRAGMA cache_size";
	sqlite3_stmt *stmt;
	char sql[64];
	long pages;
	int rc;

	if (old != NULL) {
		if ((rc = store_prepare(st, get_sql, &stmt, err)) != 0)
			return rc;
		rc = sqlite3_step(stmt);
		/* Negative: KiB; positive: pages. */
		pages = rc == SQLITE_ROW ? (long)sqlite3_column_int64(stmt, 0) : 0;
		store_stmt_done(stmt);
		if ((rc = store_check(st, rc == SQLITE_ROW ? SQLITE_DONE : rc,
		    "reading the cache size", err)) != 0)
			return rc;
		*old = pages < 0 ? -pages : pages * 4;
	}
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%ld", kib);
	return store_exec(st, sql, err);
}

/* Whether sql (SELECT 1 ... LIMIT 1) finds a row. */
static int
exists(struct import *im, const char *sql, bool *found,
    struct sesshu_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(im->reg->st, sql, &stmt, err)) != 0)
		return rc;
	rc = sqlite3_step(stmt);
	*found = rc == SQLITE_ROW;
	store_stmt_done(stmt);
	return store_check(im->reg->st, rc == SQLITE_ROW ? SQLITE_DONE : rc,
	    "reading vaccination_records", err);
}

/* Checks, and prints everything when anything is wrong. */
static int
check_all(struct import *im, bool *refuse, struct sesshu_err *err)
{
	static const char voided_sql[] = "SELECT 1 FROM vaccination_records"
	    " WHERE state = 'voided' AND is_current = 1 LIMIT 1";
	static const char any_sql[] = "SELECT 1 FROM vaccination_records"
	    " LIMIT 1";
	int rc;
	bool any;

	*refuse = false;
	if (im->o->kind == REG_IMPORT_RECORDS) {
		if ((rc = exists(im, voided_sql, &im->has_voided, err)) != 0 ||
		    (rc = exists(im, any_sql, &any, err)) != 0)
			return rc;
		im->no_records = !any;
	}
	im->printing = false;
	if ((rc = check_pass(im, err)) != 0)
		return rc;
	core_uniq_mark(im->keys, im->nkeys);
	for (size_t i = 0; i < im->nkeys; i++)
		if (im->keys[i].first_line != 0)
			im->ndup++;
	if (im->bad == 0 && im->ndup == 0)
		return 0;
	*refuse = true;
	im->printing = true;
	return check_pass(im, err);
}

int
reg_import_buffer(struct reg *reg, const char *name, const char *buf,
    size_t len, const struct reg_import_opts *o,
    struct reg_import_result *res, struct sesshu_err *err)
{
	struct import *im;
	struct store *st = reg->st;
	char outcome[160], object[300];
	bool refuse = false;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((im = calloc(1, sizeof(*im))) == NULL ||
	    (im->rd = malloc(sizeof(*im->rd))) == NULL) {
		free(im);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	}
	im->reg = reg;
	im->name = name;
	im->base = basename_of(name);
	im->o = o;
	im->report = o->report != NULL ? o->report : stderr;
	im->buf = buf;
	im->len = len;
	im->res = res;
	store_now_utc(im->now, sizeof(im->now));
	snprintf(im->change_reason, sizeof(im->change_reason),
	    "re-imported: file:%s", im->base);

	if ((rc = set_cache(st, IMPORT_CACHE_KIB, &im->cache_kib, err)) != 0)
		goto failed;
	if ((rc = store_begin(st, err)) != 0)
		goto failed;
	if ((rc = check_all(im, &refuse, err)) != 0)
		goto failed;
	if (refuse) {
		store_rollback(st);
		res->bad = im->bad;
		res->rows = im->rows;
		rc = sesshu_err_set(err, SESSHU_EINVAL, "%s: %lu %s with "
		    "problems; nothing was imported", name, im->bad,
		    im->bad == 1 ? "row" : "rows");
		snprintf(outcome, sizeof(outcome), "refused: %lu %s with "
		    "problems", im->bad, im->bad == 1 ? "row" : "rows");
		audit_outcome(reg, name, o, outcome, err);
		goto out;
	}
	res->rows = im->rows;
	if ((rc = write_pass(im, err)) != 0)
		goto failed;
	snprintf(object, sizeof(object), "file:%s", im->base);
	snprintf(outcome, sizeof(outcome), "ok: %lu new, %lu changed, "
	    "%lu unchanged", res->added, res->changed, res->unchanged);
	if ((rc = reg_audit(reg, o->actor, REG_ACTOR, action_of(o), object,
	    outcome, err)) != 0 || (rc = store_commit(st, err)) != 0)
		goto failed;
	goto out;

failed:
	store_rollback(st);
	res->added = res->changed = res->unchanged = 0;
	audit_failed(reg, name, o, rc, err);
out:
	if (im->cache_kib != 0)
		(void)set_cache(st, im->cache_kib, NULL, NULL);
	free(im->keys);
	free(im->rd);
	free(im);
	return rc;
}

int
reg_import_file(struct reg *reg, const char *path,
    const struct reg_import_opts *o, struct reg_import_result *res,
    struct sesshu_err *err)
{
	char *buf, outcome[160];
	unsigned long bad;
	size_t len;
	int rc;

	memset(res, 0, sizeof(*res));
	rc = reg_import_read(path, o->encoding, o->report, &buf, &len, &bad,
	    err);
	if (rc == SESSHU_EINVAL && bad > 0) {
		res->bad = bad;
		snprintf(outcome, sizeof(outcome), "refused: %lu %s with "
		    "invalid cp932 byte sequences", bad,
		    bad == 1 ? "line" : "lines");
		audit_outcome(reg, path, o, outcome, err);
		return rc;
	}
	if (rc == SESSHU_ERANGE) {
		audit_outcome(reg, path, o, "refused: larger than 2 GiB", err);
		return rc;
	}
	if (rc != 0) {
		audit_failed(reg, path, o, rc, err);
		return rc;
	}
	rc = reg_import_buffer(reg, path, buf, len, o, res, err);
	free(buf);
	return rc;
}
