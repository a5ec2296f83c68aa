/*
 * harness.h: what the benchmark programs share: a monotonic clock,
 * latency samples and their percentiles, the one output line format that
 * bench/run aggregates, a fixed-password login, the virtual fingerprint
 * reader's socket, and a bulk copy of the cache's persons and records into
 * a new SQLCipher database (the "raw insert" baseline and the cost of
 * encryption).
 *
 * Benchmark-only: the passwords come from the environment
 * (SESSHU_BENCH_PASSWORD) and belong to a synthetic register made by
 * bench/run. Prints figures only, never a row's contents.
 */
#ifndef SESSHU_BENCH_HARNESS_H
#define SESSHU_BENCH_HARNESS_H

#include <stddef.h>

#include <sqlite3.h>

#include "sync/account.h"

/* Seconds since an arbitrary start (CLOCK_MONOTONIC). */
double	bh_now(void);

/* Latency samples in milliseconds. */
struct bh_samples {
	double	*v;
	size_t	 n, cap;
};
void	bh_add(struct bh_samples *s, double ms);
/* Sorts in place; q in [0,1] (0.5 median, 0.99 p99). */
double	bh_quantile(struct bh_samples *s, double q);
void	bh_free(struct bh_samples *s);

/*
 * One result line on stdout, the only lines bench/run reads:
 *   RESULT <figure> <value> <unit> [free text]
 */
void	bh_result(const char *figure, double value, const char *unit,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* p50/p99/max of samples as RESULT lines figure.p50 ... (ms). */
void	bh_latency(const char *figure, struct bh_samples *s);

/* The password of the bench users: $SESSHU_BENCH_PASSWORD (required). */
const char *bh_password(void);

/* A ws_ask_fn: ctx is the struct bh_secrets below. */
struct bh_secrets {
	const char	*code;		/* activation code for a first login, or NULL */
	const char	*password;
};
int	bh_ask(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
	    struct sesshu_err *err);

/* ws_login with bh_password(); exits with a message on failure. */
struct ws_session *bh_login(const char *state, const char *user);

/* Dies with a message: benchmark programs have nothing to recover. */
void	bh_die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
	    noreturn));

/* Peak and current resident set of this process, in KiB (/proc). */
void	bh_rss(long *hwm_kib, long *rss_kib);

/*
 * Sends "SCAN id" to libfprint's virtual_device at path and iterates the
 * default main context until the driver has taken it (as the tests do).
 */
void	bh_vdev_send(const char *path, const char *id);

/*
 * Copies every person and every record of src (an open cache) into a new
 * database at dst_path with the entity schema and its indexes, with the
 * given 32-byte raw key or none (plain SQLite: SQLCipher without a key),
 * the pragmas of store_open (4 KiB cipher page, 16 MiB cache, WAL,
 * synchronous FULL), in transactions of txn_rows rows. Returns the rows
 * written; *seconds the time of the inserts and commits only (reading
 * src excluded: the rows are read into memory first, a chunk at a time).
 * cache_kib 0 keeps the store's 16 MiB.
 */
long	bh_bulk_copy(sqlite3 *src, const char *dst_path,
	    const unsigned char *key, long txn_rows, long cache_kib,
	    double *seconds);

#endif
