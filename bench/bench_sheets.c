/*
 * bench_sheets.c: two figures of issue 7 on one workstation.
 *
 *   sesshu-bench-sheets save STATE USER FORMS N SEED
 *     saving one sheet: the person's history, the checks, the record, its
 *     outbox and audit entries and a durable commit (WAL, synchronous
 *     FULL), N times on random adults; latency p50/p99/max.
 *   sesshu-bench-sheets push STATE USER FORMS N SEED
 *     pushing N sheets saved offline until the register acknowledged them:
 *     whatever waits in the outbox is sent first (untimed), N sheets are
 *     saved, then ws_push is timed.
 *
 * With SESSHU_BENCH_NO_AUTOCHECKPOINT=1 the save figure runs with SQLite's
 * WAL auto-checkpoint off on the session's connection (one checkpoint
 * after the timed saves, untimed): the experiment behind the proposal in
 * docs/PERFORMANCE.md to move checkpoints off the clerk's path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "sheets.h"
#include "store/store.h"
#include "sync/replicate.h"

int
main(int argc, char **argv)
{
	struct sesshu_err err = { 0 };
	struct ws_sync_counts c = { 0 };
	struct bh_samples lat = { 0 };
	struct ws_session *s;
	struct bh_sheets *b;
	long n, pending = 0;
	unsigned seed;
	double t0;

	if (argc != 7 || (strcmp(argv[1], "save") != 0 &&
	    strcmp(argv[1], "push") != 0)) {
		fprintf(stderr, "usage: sesshu-bench-sheets save|push STATE USER "
		    "FORMS N SEED\n");
		return 2;
	}
	n = atol(argv[5]);
	seed = (unsigned)atol(argv[6]);
	s = bh_login(argv[2], argv[3]);
	b = bh_sheets_new(s, argv[4], NULL, seed);
	if (strcmp(argv[1], "save") == 0) {
		const char *nock = getenv("SESSHU_BENCH_NO_AUTOCHECKPOINT");

		if (nock != NULL && strcmp(nock, "1") == 0)
			sqlite3_exec(store_db(s->st), "PRAGMA wal_autocheckpoint = 0",
			    NULL, NULL, NULL);
		/* A few unmeasured saves: statements prepared, pages read. */
		for (long i = 0; i < 5; i++)
			bh_sheet_save(b, (size_t)i, 8 + (int)(seed % 2), 1);
		for (long i = 5; i < n + 5; i++) {
			t0 = bh_now();
			bh_sheet_save(b, (size_t)i, 8 + (int)(seed % 2), 1);
			bh_add(&lat, (bh_now() - t0) * 1e3);
		}
		bh_latency("save", &lat);
		sqlite3_exec(store_db(s->st), "PRAGMA wal_checkpoint(PASSIVE)", NULL,
		    NULL, NULL);
	} else {
		if (ws_push(s, &c, &err) != 0)
			bh_die("push of what was waiting: %s", err.msg);
		for (long i = 0; i < n; i++)
			bh_sheet_save(b, (size_t)i, 8 + (int)(seed % 2), 1);
		if (ws_outbox_pending(s->st, &pending, &err) != 0)
			bh_die("%s", err.msg);
		memset(&c, 0, sizeof(c));
		t0 = bh_now();
		if (ws_push(s, &c, &err) != 0)
			bh_die("ws_push: %s", err.msg);
		bh_result("push1000", (bh_now() - t0) * 1e3, "ms",
		    "pending=%ld pushed=%ld acknowledged=%ld conflicts=%ld "
		    "rejected=%ld", pending, c.pushed, c.acknowledged,
		    c.conflicts, c.rejected);
	}
	bh_free(&lat);
	bh_sheets_free(b);
	ws_session_close(s);
	return 0;
}
