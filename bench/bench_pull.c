/*
 * bench_pull.c: the initial pull of the whole city into a new cache over
 * loopback mTLS, against a raw SQLCipher bulk insert of the same rows in
 * the same run.
 *
 *   sesshu-bench-pull STATE USER BASELINE_DB TXN_ROWS
 *
 * STATE is a provisioned workstation whose cache holds nothing of the
 * city yet (sesshu-bench-provision). The pull is timed (ws_pull: every
 * page requested, decoded, checked and applied with its cursor); then
 * every person and record the pull brought is copied into BASELINE_DB, a
 * new SQLCipher database with the same tables, indexes, key length and
 * pragmas, in transactions of TXN_ROWS rows, the reading untimed.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "harness.h"
#include "store/store.h"
#include "sync/replicate.h"

static long
rows(struct ws_session *s)
{
	sqlite3_stmt *stmt;
	long n = 0;

	if (sqlite3_prepare_v2(store_db(s->st), "SELECT (SELECT count(*) FROM"
	    " persons) + (SELECT count(*) FROM vaccination_records)", -1, &stmt,
	    NULL) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW)
		bh_die("count: %s", sqlite3_errmsg(store_db(s->st)));
	n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

/* CPU seconds of this process. */
static double
self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* CPU seconds of the register, when bench/run says its pid; else -1. */
static double
register_cpu(void)
{
	const char *pid = getenv("SESSHU_BENCH_REGISTER_PID");
	unsigned long ut, st;
	char path[64], buf[1024], *p;
	FILE *f;

	if (pid == NULL)
		return -1;
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (p == NULL || (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

int
main(int argc, char **argv)
{
	struct ws_sync_counts c = { 0 };
	struct sesshu_err err = { 0 };
	unsigned char key[32];
	struct ws_session *s;
	double t0, pull_s, base_s, pull_rate, base_rate, cpu0, reg0;
	long before, got, copied;

	if (argc != 5) {
		fprintf(stderr, "usage: sesshu-bench-pull STATE USER BASELINE_DB "
		    "TXN_ROWS\n");
		return 2;
	}
	s = bh_login(argv[1], argv[2]);
	if ((before = rows(s)) != 0)
		bh_die("%s already holds %ld rows of the city: pull into a new cache",
		    argv[1], before);
	cpu0 = self_cpu();
	reg0 = register_cpu();
	t0 = bh_now();
	if (ws_pull(s, &c, &err) != 0)
		bh_die("ws_pull: %s", err.msg);
	pull_s = bh_now() - t0;
	/* Where the time went: the workstation's CPU, the register's. */
	bh_result("pull.client_cpu", self_cpu() - cpu0, "s", NULL);
	if (reg0 >= 0)
		bh_result("pull.register_cpu", register_cpu() - reg0, "s", NULL);
	got = rows(s);
	pull_rate = (double)got / pull_s;
	bh_result("pull.seconds", pull_s, "s", "rows=%ld changes=%ld", got, c.pulled);
	bh_result("pull.rate", pull_rate, "rows/s", NULL);
	if (RAND_bytes(key, sizeof(key)) != 1)
		bh_die("RAND_bytes");
	copied = bh_bulk_copy(store_db(s->st), argv[3], key, atol(argv[4]), 0,
	    &base_s);
	base_rate = (double)copied / base_s;
	bh_result("pull.baseline_rate", base_rate, "rows/s", "rows=%ld seconds=%.2f "
	    "txn=%s", copied, base_s, argv[4]);
	bh_result("pull.ratio", pull_rate / base_rate, "x", NULL);
	unlink(argv[3]);
	ws_session_close(s);
	return 0;
}
