/*
 * bench_push50.c: many workstations pushing at once.
 *
 *   sesshu-bench-push50 WORLD NWS PER_WS RESIDENTS_CSV FORMS ROUND
 *
 * WORLD/ws-1NN (NN from 01 to NWS) are provisioned workstations without a
 * copy of the city. Each first saves PER_WS sheets offline (untimed; the
 * persons from RESIDENTS_CSV, disjoint between workstations and rounds),
 * logs in and waits; then all push at the same moment, each in its own
 * process, as many workstations would. Figure: records acknowledged by
 * the register per second of wall time, from the start to the last
 * acknowledgement.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "sheets.h"
#include "sync/replicate.h"

struct report {
	long	pushed, acknowledged, conflicts, rejected;
	double	seconds;
	int	ok;
};

int
main(int argc, char **argv)
{
	int nws, ready[2], go[2], out[2];
	long per, round;
	pid_t *pids;
	double t0, wall;
	struct report total = { 0 };
	char state[4096];

	if (argc != 7) {
		fprintf(stderr, "usage: sesshu-bench-push50 WORLD NWS PER_WS "
		    "RESIDENTS_CSV FORMS ROUND\n");
		return 2;
	}
	nws = atoi(argv[2]);
	per = atol(argv[3]);
	round = atol(argv[6]);
	if (nws < 1 || nws > 99 || per < 1)
		bh_die("NWS from 1 to 99, PER_WS at least 1");
	if (pipe(ready) != 0 || pipe(go) != 0 || pipe(out) != 0)
		bh_die("pipe: %s", strerror(errno));
	if ((pids = calloc((size_t)nws, sizeof(*pids))) == NULL)
		bh_die("out of memory");

	/*
	 * One child at a time saves its sheets and logs in (scrypt takes a
	 * lot of memory: fifty at once would measure the swap), then waits.
	 */
	for (int w = 0; w < nws; w++) {
		char c;

		snprintf(state, sizeof(state), "%s/ws-1%02d", argv[1], w + 1);
		if ((pids[w] = fork()) < 0)
			bh_die("fork: %s", strerror(errno));
		if (pids[w] == 0) {
			struct sesshu_err err = { 0 };
			struct ws_sync_counts counts = { 0 };
			struct report rep = { 0 };
			struct ws_session *s = bh_login(state, "clerk01");
			struct bh_sheets *b = bh_sheets_new(s, argv[5], argv[4], 1);
			size_t np = bh_sheets_persons(b);
			size_t base = (size_t)(round * nws + w) * (size_t)per;
			double t;

			/* Disjoint persons in the unshuffled order... */
			for (long i = 0; i < per; i++)
				bh_sheet_save(b, (base + (size_t)i) % np,
				    8 + (int)((base + (size_t)i) / np % 2), 0);
			if (write(ready[1], "r", 1) != 1)
				_exit(3);
			if (read(go[0], &c, 1) != 1)
				_exit(3);
			t = bh_now();
			rep.ok = ws_push(s, &counts, &err) == 0;
			rep.seconds = bh_now() - t;
			rep.pushed = counts.pushed;
			rep.acknowledged = counts.acknowledged;
			rep.conflicts = counts.conflicts;
			rep.rejected = counts.rejected;
			if (!rep.ok)
				fprintf(stderr, "bench: %s: push: %s\n", state, err.msg);
			if (write(out[1], &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
				_exit(3);
			bh_sheets_free(b);
			ws_session_close(s);
			_exit(rep.ok ? 0 : 1);
		}
		if (read(ready[0], &c, 1) != 1)
			bh_die("workstation %d did not get ready", w + 1);
	}
	/* All ready: go. */
	t0 = bh_now();
	for (int w = 0; w < nws; w++)
		if (write(go[1], "g", 1) != 1)
			bh_die("write: %s", strerror(errno));
	for (int w = 0; w < nws; w++) {
		struct report rep;

		if (read(out[0], &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			bh_die("a workstation died without a report");
		total.pushed += rep.pushed;
		total.acknowledged += rep.acknowledged;
		total.conflicts += rep.conflicts;
		total.rejected += rep.rejected;
		total.ok += rep.ok;
		if (rep.seconds > total.seconds)
			total.seconds = rep.seconds;
	}
	wall = bh_now() - t0;
	for (int w = 0; w < nws; w++)
		waitpid(pids[w], NULL, 0);
	if (total.ok != nws)
		bh_die("%d of %d workstations failed to push", nws - total.ok, nws);
	bh_result("push50.rate", (double)total.acknowledged / wall, "records/s",
	    "workstations=%d pushed=%ld acknowledged=%ld conflicts=%ld "
	    "rejected=%ld wall=%.2fs slowest=%.2fs", nws, total.pushed,
	    total.acknowledged, total.conflicts, total.rejected, wall,
	    total.seconds);
	free(pids);
	return 0;
}
