/*
 * bench_cipher.c: the cost of encryption: the same workload on SQLCipher
 * with a raw 256-bit key and without a key (plain SQLite pages).
 *
 *   sesshu-bench-cipher STATE USER WORKDIR N
 *
 * Workload: every person and record of the workstation's cache copied
 * into a new database (tables, indexes, pragmas as the cache's;
 * transactions of 10,000 rows), then N lookups by 宛名番号 with the
 * person's history, on a new connection. Ratios keyed / plain.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "store/store.h"

static double
lookups(const char *path, const unsigned char *key, long n)
{
	sqlite3 *db;
	sqlite3_stmt *p, *r, *range;
	long long lo, hi;
	char hexkey[68], at[24];
	double t0;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		bh_die("open %s", path);
	if (key != NULL) {
		hexkey[0] = 'x';
		hexkey[1] = '\'';
		for (int i = 0; i < 32; i++)
			snprintf(hexkey + 2 + 2 * i, 3, "%02x", key[i]);
		hexkey[66] = '\'';
		hexkey[67] = '\0';
		sqlite3_key(db, hexkey, 67);
		sqlite3_exec(db, "PRAGMA cipher_page_size = 4096", NULL, NULL, NULL);
	}
	sqlite3_exec(db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(db, "SELECT min(atena_no), max(atena_no) FROM"
	    " persons", -1, &range, NULL) != SQLITE_OK ||
	    sqlite3_step(range) != SQLITE_ROW)
		bh_die("%s: %s", path, sqlite3_errmsg(db));
	lo = sqlite3_column_int64(range, 0);
	hi = sqlite3_column_int64(range, 1);
	sqlite3_finalize(range);
	if (sqlite3_prepare_v2(db, "SELECT * FROM persons WHERE atena_no >= ?"
	    " ORDER BY atena_no LIMIT 1", -1, &p, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT * FROM vaccination_records WHERE"
	    " atena_no = ? AND is_current = 1 ORDER BY vaccinated_on", -1, &r,
	    NULL) != SQLITE_OK)
		bh_die("%s", sqlite3_errmsg(db));
	srand(7);
	t0 = bh_now();
	for (long i = 0; i < n; i++) {
		snprintf(at, sizeof(at), "%010lld", lo + (long long)(((unsigned long)
		    rand() << 16 ^ (unsigned long)rand()) % (unsigned long)(hi - lo + 1)));
		sqlite3_bind_text(p, 1, at, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(p) == SQLITE_ROW) {
			sqlite3_bind_text(r, 1, (const char *)sqlite3_column_text(p, 0),
			    -1, SQLITE_TRANSIENT);
			while (sqlite3_step(r) == SQLITE_ROW)
				;
			sqlite3_reset(r);
		}
		sqlite3_reset(p);
	}
	t0 = bh_now() - t0;
	sqlite3_finalize(p);
	sqlite3_finalize(r);
	sqlite3_close(db);
	return t0;
}

int
main(int argc, char **argv)
{
	unsigned char key[32];
	char keyed[4096], plain[4096];
	struct ws_session *s;
	double ins_k, ins_p, look_k, look_p;
	long rows_k, rows_p, n;

	if (argc != 5) {
		fprintf(stderr, "usage: sesshu-bench-cipher STATE USER WORKDIR N\n");
		return 2;
	}
	n = atol(argv[4]);
	snprintf(keyed, sizeof(keyed), "%s/cipher-keyed.db", argv[3]);
	snprintf(plain, sizeof(plain), "%s/cipher-plain.db", argv[3]);
	if (RAND_bytes(key, sizeof(key)) != 1)
		bh_die("RAND_bytes");
	s = bh_login(argv[1], argv[2]);
	/* Plain first, then keyed: each reads the same source rows. */
	rows_p = bh_bulk_copy(store_db(s->st), plain, NULL, 10000, 0, &ins_p);
	rows_k = bh_bulk_copy(store_db(s->st), keyed, key, 10000, 0, &ins_k);
	ws_session_close(s);
	look_p = lookups(plain, NULL, n);
	look_k = lookups(keyed, key, n);
	bh_result("cipher.insert_plain", (double)rows_p / ins_p, "rows/s", NULL);
	bh_result("cipher.insert_keyed", (double)rows_k / ins_k, "rows/s", NULL);
	bh_result("cipher.insert_ratio", ins_k / ins_p, "x", "keyed time / plain time");
	bh_result("cipher.lookup_plain", look_p * 1e3 / (double)n, "ms", "n=%ld", n);
	bh_result("cipher.lookup_keyed", look_k * 1e3 / (double)n, "ms", "n=%ld", n);
	bh_result("cipher.lookup_ratio", look_k / look_p, "x", "keyed time / plain time");
	unlink(keyed);
	unlink(plain);
	return 0;
}
