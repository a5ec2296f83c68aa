/*
 * bench_lookup.c: reading the cache as the person screen does, and the
 * workstation's memory afterwards.
 *
 *   sesshu-bench-lookup STATE USER N SEED
 *
 * lookup: a 宛名番号 as a barcode scan gives it: ws_person_get, then the
 * person's history (ws_person_records), N random residents.
 * search: the first two kana of a random resident's カナ氏名 and their
 * birth date (ws_person_search), N times.
 * rss: peak resident set of this process after both, with a second
 * connection to the cache (the background sync's) open and its page
 * cache filled, as in the running workstation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "store/store.h"
#include "sync/ws_person.h"
#include "sync/ws_worker.h"

struct key {
	char	atena[WS_ATENA_DIGITS + 1];
	char	kana[16];		/* two characters of カナ */
	char	birth[CORE_DATE_STRLEN];
};

static struct key *
sample(struct ws_session *s, long n, unsigned seed, long *got)
{
	struct key *k = calloc((size_t)n, sizeof(*k));
	sqlite3_stmt *stmt;
	long count = 0, i = 0;
	long long lo, hi;
	char sql[256];

	if (k == NULL)
		bh_die("out of memory");
	if (sqlite3_prepare_v2(store_db(s->st), "SELECT count(*) FROM persons",
	    -1, &stmt, NULL) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW)
		bh_die("count: %s", sqlite3_errmsg(store_db(s->st)));
	count = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (count == 0)
		bh_die("the cache has no persons: pull first");
	/*
	 * Random residents (not timed): a random number between the least and
	 * the greatest 宛名番号, and the first resident at or after it.
	 */
	if (sqlite3_prepare_v2(store_db(s->st), "SELECT min(atena_no),"
	    " max(atena_no) FROM persons", -1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW)
		bh_die("range: %s", sqlite3_errmsg(store_db(s->st)));
	lo = sqlite3_column_int64(stmt, 0);
	hi = sqlite3_column_int64(stmt, 1);
	sqlite3_finalize(stmt);
	snprintf(sql, sizeof(sql), "SELECT atena_no, name_kana, birth_date FROM"
	    " persons WHERE atena_no >= ? ORDER BY atena_no LIMIT 1");
	if (sqlite3_prepare_v2(store_db(s->st), sql, -1, &stmt, NULL) != SQLITE_OK)
		bh_die("%s", sqlite3_errmsg(store_db(s->st)));
	srand(seed);
	for (i = 0; i < n; i++) {
		long long at = lo + (long long)(((unsigned long)rand() << 16 ^
		    (unsigned long)rand()) % (unsigned long)(hi - lo + 1));
		char atext[24];
		const unsigned char *kana;
		int bytes = 0;

		snprintf(atext, sizeof(atext), "%010lld", at);
		sqlite3_bind_text(stmt, 1, atext, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) != SQLITE_ROW)
			bh_die("sample: %s", sqlite3_errmsg(store_db(s->st)));
		snprintf(k[i].atena, sizeof(k[i].atena), "%s",
		    sqlite3_column_text(stmt, 0));
		kana = sqlite3_column_text(stmt, 1);
		/* Two UTF-8 characters. */
		for (int ch = 0; ch < 2 && kana[bytes] != '\0'; ch++) {
			bytes++;
			while ((kana[bytes] & 0xc0) == 0x80)
				bytes++;
		}
		snprintf(k[i].kana, sizeof(k[i].kana), "%.*s", bytes, kana);
		snprintf(k[i].birth, sizeof(k[i].birth), "%s",
		    sqlite3_column_text(stmt, 2));
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	*got = count;
	return k;
}

int
main(int argc, char **argv)
{
	static struct ws_record hist[WS_HISTORY_MAX];
	static struct ws_person found[WS_SEARCH_MAX];
	struct bh_samples lookup = { 0 }, search = { 0 };
	struct sesshu_err err = { 0 };
	struct ws_session *s, *bg;
	struct ws_person p;
	struct key *k;
	long n, persons, hwm, rss, rows = 0, hits = 0;
	size_t nh, nf;
	int more;
	double t0;

	if (argc != 5) {
		fprintf(stderr, "usage: sesshu-bench-lookup STATE USER N SEED\n");
		return 2;
	}
	n = atol(argv[3]);
	s = bh_login(argv[1], argv[2]);
	k = sample(s, n, (unsigned)atol(argv[4]), &persons);
	for (long i = 0; i < n; i++) {
		t0 = bh_now();
		if (ws_person_get(s, k[i].atena, &p, &err) != 0 ||
		    ws_person_records(s, k[i].atena, hist, WS_HISTORY_MAX, &nh,
		    &more, &err) != 0)
			bh_die("lookup: %s", err.msg);
		bh_add(&lookup, (bh_now() - t0) * 1e3);
		rows += (long)nh;
	}
	for (long i = 0; i < n; i++) {
		struct core_date bd;

		if (core_date_parse(k[i].birth, strlen(k[i].birth), &bd, &err) != 0)
			bh_die("%s", err.msg);
		t0 = bh_now();
		if (ws_person_search(s, k[i].kana, &bd, found, &nf, &more, &err) != 0)
			bh_die("search: %s", err.msg);
		bh_add(&search, (bh_now() - t0) * 1e3);
		hits += (long)nf;
	}
	bh_latency("lookup", &lookup);
	bh_result("lookup.records_per_person", (double)rows / (double)n, "rows",
	    "persons=%ld", persons);
	bh_latency("search", &search);
	bh_result("search.hits_per_search", (double)hits / (double)n, "rows", NULL);
	/* The background sync's own connection, its page cache filled. */
	if (ws_session_open_second(s, &bg, &err) != 0)
		bh_die("second connection: %s", err.msg);
	{
		sqlite3_stmt *stmt;

		if (sqlite3_prepare_v2(store_db(bg->st), "SELECT count(*),"
		    " sum(length(name)) FROM persons", -1, &stmt, NULL) == SQLITE_OK) {
			(void)sqlite3_step(stmt);
			sqlite3_finalize(stmt);
		}
	}
	bh_rss(&hwm, &rss);
	bh_result("rss.peak", (double)hwm / 1024.0, "MiB", "current=%.1fMiB",
	    (double)rss / 1024.0);
	ws_session_close(bg);
	bh_free(&lookup);
	bh_free(&search);
	free(k);
	ws_session_close(s);
	return 0;
}
