/* sheets.c: see sheets.h. */
#define _GNU_SOURCE
#include "sheets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/check.h"
#include "core/schedule.h"
#include "harness.h"
#include "store/store.h"
#include "sync/ws_person.h"
#include "sync/ws_records.h"

struct bh_sheets {
	struct ws_session	*s;
	struct core_schedule	*schedule;
	char			(*atena)[WS_ATENA_DIGITS + 1];
	size_t			 n;
	char			 lot_no[32];
};

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		bh_die("cannot read %s", path);
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n)
		bh_die("cannot read %s", path);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static void
add_person(struct bh_sheets *b, const char *atena, size_t *cap)
{
	if (b->n == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		if ((b->atena = realloc(b->atena, *cap * sizeof(*b->atena))) == NULL)
			bh_die("out of memory");
	}
	snprintf(b->atena[b->n++], WS_ATENA_DIGITS + 1, "%s", atena);
}

/* residents.csv: atena_no,name,name_kana,sex,birth_date,...,status (12th). */
static void
persons_from_csv(struct bh_sheets *b, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *field[13];
	size_t cap = 0, lcap = 0;

	if (f == NULL)
		bh_die("cannot read %s", path);
	while (getline(&line, &lcap, f) > 0) {
		char *p = line;
		int k = 0;

		if (strchr(line, '"') != NULL)
			continue;	/* quoted fields: not worth parsing here */
		while (k < 13 && (field[k] = strsep(&p, ",")) != NULL)
			k++;
		if (k < 13 || strlen(field[0]) != WS_ATENA_DIGITS ||
		    strcmp(field[11], "1") != 0 || strcmp(field[4], "2000-01-01") >= 0)
			continue;
		add_person(b, field[0], &cap);
	}
	free(line);
	fclose(f);
}

static void
persons_from_cache(struct bh_sheets *b)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;

	if (sqlite3_prepare_v2(store_db(b->s->st), "SELECT atena_no FROM persons"
	    " WHERE status = 1 AND birth_date < '2000-01-01'", -1, &stmt,
	    NULL) != SQLITE_OK)
		bh_die("persons: %s", sqlite3_errmsg(store_db(b->s->st)));
	while (sqlite3_step(stmt) == SQLITE_ROW)
		add_person(b, (const char *)sqlite3_column_text(stmt, 0), &cap);
	sqlite3_finalize(stmt);
}

struct bh_sheets *
bh_sheets_new(struct ws_session *s, const char *forms_dir,
    const char *persons_csv, unsigned seed)
{
	struct bh_sheets *b = calloc(1, sizeof(*b));
	struct sesshu_err err = { 0 };
	char path[4096], *text;
	size_t len;

	if (b == NULL)
		bh_die("out of memory");
	b->s = s;
	snprintf(path, sizeof(path), "%s/schedule.json", forms_dir);
	text = slurp(path, &len);
	if (core_schedule_parse(text, len, path, &b->schedule, &err) != 0)
		bh_die("%s", err.msg);
	free(text);
	if (persons_csv != NULL)
		persons_from_csv(b, persons_csv);
	else
		persons_from_cache(b);
	if (b->n == 0)
		bh_die("no adult resident to give a dose to");
	/* Shuffle (Fisher-Yates, a fixed LCG): who gets a sheet is random. */
	for (size_t i = b->n - 1; i > 0; i--) {
		size_t j;
		char t[WS_ATENA_DIGITS + 1];

		seed = seed * 1103515245u + 12345u;
		j = ((size_t)seed << 16 ^ (size_t)(seed >> 7)) % (i + 1);
		memcpy(t, b->atena[i], sizeof(t));
		memcpy(b->atena[i], b->atena[j], sizeof(t));
		memcpy(b->atena[j], t, sizeof(t));
	}
	/* A COVID lot of the master data, if the cache has one. */
	{
		struct ws_lot lots[4];
		size_t n = 0;

		if (ws_lots_of(s, "COVID", lots, 4, &n, NULL) == 0 && n > 0)
			snprintf(b->lot_no, sizeof(b->lot_no), "%s", lots[0].lot_no);
		else
			snprintf(b->lot_no, sizeof(b->lot_no), "BENCH01");
	}
	return b;
}

void
bh_sheets_free(struct bh_sheets *b)
{
	if (b == NULL)
		return;
	core_schedule_free(b->schedule);
	free(b->atena);
	free(b);
}

size_t
bh_sheets_persons(const struct bh_sheets *b)
{
	return b->n;
}

static int
parse(const char *s, struct core_date *d)
{
	return s[0] != '\0' && core_date_parse(s, strlen(s), d, NULL) == 0;
}

void
bh_sheet_save(struct bh_sheets *b, size_t i, int dose, int with_checks)
{
	static struct ws_record history[WS_HISTORY_MAX];
	struct core_dose doses[WS_HISTORY_MAX], entry;
	struct core_check_person who;
	struct core_check_input in;
	struct core_check_result res;
	struct core_check_lot lot;
	struct sesshu_err err = { 0 };
	const char *atena = b->atena[i % b->n];
	char lot_vaccine[16], expiry[CORE_DATE_STRLEN] = "2027-03-31";
	char maker[96] = "";
	struct ws_person p;
	struct ws_lot wl;
	size_t nh = 0, nd = 0;
	int more, have_lot = 0;
	json_t *rec;

	if (with_checks) {
		/* What the entry screen has read when the sheet is saved. */
		if (ws_person_get(b->s, atena, &p, &err) != 0 ||
		    ws_person_records(b->s, atena, history, WS_HISTORY_MAX, &nh,
		    &more, &err) != 0)
			bh_die("reading a person: %s", err.msg);
		if (ws_lot_get(b->s, b->lot_no, lot_vaccine, sizeof(lot_vaccine),
		    &wl, NULL) == 0 && parse(wl.expiry, &lot.expiry)) {
			have_lot = 1;
			lot.lot_no = wl.lot_no;
			lot.vaccine_code = lot_vaccine;
			lot.maker_code = wl.maker_code;
			snprintf(expiry, sizeof(expiry), "%s", wl.expiry);
			snprintf(maker, sizeof(maker), "%s", wl.maker_code);
		}
		memset(&who, 0, sizeof(who));
		parse(p.birth_date, &who.birth);
		who.sex = p.sex;
		who.status = p.status;
		who.has_since = parse(p.resident_since, &who.since);
		who.has_until = parse(p.resident_until, &who.until);
		for (size_t k = 0; k < nh; k++) {
			if (strcmp(history[k].state, "voided") == 0 ||
			    !parse(history[k].vaccinated_on, &doses[nd].on))
				continue;
			doses[nd].record_uuid = history[k].record_uuid;
			doses[nd].vaccine_code = history[k].vaccine_code;
			doses[nd].dose = history[k].dose;
			doses[nd].stage = history[k].stage;
			doses[nd].screening_only = history[k].screening_only;
			nd++;
		}
		memset(&entry, 0, sizeof(entry));
		entry.vaccine_code = "COVID";
		entry.dose = dose;
		entry.stage = "";
		parse("2026-10-01", &entry.on);
		memset(&in, 0, sizeof(in));
		in.schedule = b->schedule;
		in.person = &who;
		in.history = doses;
		in.nhistory = nd;
		in.entry = &entry;
		in.maker_code = maker;
		in.lot_no = b->lot_no;
		in.lot = have_lot ? &lot : NULL;
		in.screening_reason = "";
		parse("2026-11-01", &in.today);
		if (core_check_record(&in, &res) != 0)
			bh_die("the checks refused their input");
	}
	rec = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i}",
	    "atena_no", atena, "vaccine_code", "COVID", "dose", dose,
	    "category", "B", "vaccinated_on", "2026-10-01",
	    "institution_code", "9900000001", "lot_no", b->lot_no,
	    "lot_expiry", expiry, "screening_only", 0, "other_municipality", 0,
	    "certificate_issued", 0);
	if (rec == NULL)
		bh_die("out of memory");
	if (maker[0] != '\0')
		json_object_set_new(rec, "maker_code", json_string(maker));
	if (ws_record_save(b->s, rec, NULL, &err) != 0)
		bh_die("ws_record_save: %s", err.msg);
	json_decref(rec);
}
