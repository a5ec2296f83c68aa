/* harness.c: see harness.h. */
#define _GNU_SOURCE
#include "harness.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>

double
bh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
bh_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void
bh_add(struct bh_samples *s, double ms)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		if ((s->v = realloc(s->v, s->cap * sizeof(*s->v))) == NULL)
			bh_die("out of memory");
	}
	s->v[s->n++] = ms;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
bh_quantile(struct bh_samples *s, double q)
{
	size_t i;

	if (s->n == 0)
		return 0;
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	/* Nearest rank: the smallest sample with at least q of them at or below. */
	i = (size_t)(q * (double)s->n + 0.999999);
	if (i > 0)
		i--;
	return s->v[i < s->n ? i : s->n - 1];
}

void
bh_free(struct bh_samples *s)
{
	free(s->v);
	*s = (struct bh_samples){ 0 };
}

void
bh_result(const char *figure, double value, const char *unit, const char *fmt,
    ...)
{
	va_list ap;

	printf("RESULT %s %.6g %s", figure, value, unit);
	if (fmt != NULL && fmt[0] != '\0') {
		putchar(' ');
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
	fflush(stdout);
}

void
bh_latency(const char *figure, struct bh_samples *s)
{
	char name[128];
	size_t n = s->n;

	snprintf(name, sizeof(name), "%s.p50", figure);
	bh_result(name, bh_quantile(s, 0.50), "ms", "n=%zu", n);
	snprintf(name, sizeof(name), "%s.p99", figure);
	bh_result(name, bh_quantile(s, 0.99), "ms", "n=%zu", n);
	snprintf(name, sizeof(name), "%s.max", figure);
	bh_result(name, bh_quantile(s, 1.0), "ms", "n=%zu", n);
}

const char *
bh_password(void)
{
	const char *pw = getenv("SESSHU_BENCH_PASSWORD");

	if (pw == NULL || pw[0] == '\0')
		bh_die("set SESSHU_BENCH_PASSWORD (bench/run does)");
	return pw;
}

int
bh_ask(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
    struct sesshu_err *err)
{
	struct bh_secrets *sec = ctx;
	const char *v = sec->password;

	(void)why;
	if (what == WS_ASK_SECRET && sec->code != NULL) {
		v = sec->code;
		sec->code = NULL;	/* asked again: the password */
	}
	return secbuf_dup(out, v, strlen(v), err);
}

struct ws_session *
bh_login(const char *state, const char *user)
{
	struct bh_secrets sec = { NULL, bh_password() };
	struct sesshu_err err = { 0 };
	struct ws_session *s;

	if (ws_login(state, user, bh_ask, &sec, &s, &err) != 0)
		bh_die("login of %s on %s: %s", user, state, err.msg);
	return s;
}

void
bh_rss(long *hwm_kib, long *rss_kib)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	*hwm_kib = *rss_kib = -1;
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm_kib = strtol(line + 6, NULL, 10);
		else if (strncmp(line, "VmRSS:", 6) == 0)
			*rss_kib = strtol(line + 6, NULL, 10);
	}
	fclose(f);
}

static gboolean
flag_set(gint fd, GIOCondition cond, gpointer data)
{
	(void)fd;
	(void)cond;
	*(int *)data = 1;
	return G_SOURCE_REMOVE;
}

static gboolean
flag_late(gpointer data)
{
	*(int *)data = 1;
	return G_SOURCE_REMOVE;
}

void
bh_vdev_send(const char *path, const char *id)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char cmd[128];
	int fd, taken = 0, late = 0;
	guint watch, timer;

	snprintf(cmd, sizeof(cmd), "SCAN %s", id);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		bh_die("connect %s: %s (is the reader open?)", path, strerror(errno));
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		bh_die("write %s: %s", path, strerror(errno));
	watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR, flag_set, &taken);
	timer = g_timeout_add(10000, flag_late, &late);
	while (!taken && !late)
		g_main_context_iteration(NULL, TRUE);
	if (!taken) {
		g_source_remove(watch);
		bh_die("the virtual reader did not take the scan in 10 s");
	}
	g_source_remove(timer);
	close(fd);
}

/* Bulk copy */

static void
exec_or_die(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		bh_die("%.60s: %s", sql, msg != NULL ? msg : sqlite3_errmsg(db));
}

#define CHUNK_ROWS	50000

static long
copy_table(sqlite3 *src, sqlite3 *dst, const char *table, long txn_rows,
    double *seconds)
{
	char sql[256];
	GString *ins = g_string_new(NULL);
	sqlite3_stmt *sel, *put;
	sqlite3_value **buf;
	int ncol, rc = SQLITE_ROW;
	long total = 0, in_txn = 0;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
	if (sqlite3_prepare_v2(src, sql, -1, &sel, NULL) != SQLITE_OK)
		bh_die("%s: %s", sql, sqlite3_errmsg(src));
	ncol = sqlite3_column_count(sel);
	g_string_printf(ins, "INSERT INTO %s VALUES (", table);
	for (int c = 0; c < ncol; c++)
		g_string_append(ins, c ? ",?" : "?");
	g_string_append(ins, ")");
	if (sqlite3_prepare_v2(dst, ins->str, -1, &put, NULL) != SQLITE_OK)
		bh_die("%s: %s", ins->str, sqlite3_errmsg(dst));
	g_string_free(ins, TRUE);
	if ((buf = calloc((size_t)CHUNK_ROWS * (size_t)ncol, sizeof(*buf))) == NULL)
		bh_die("out of memory");
	while (rc == SQLITE_ROW) {
		long n = 0;
		double t0;

		/* Read a chunk (not timed), then insert it (timed). */
		while (n < CHUNK_ROWS && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
			for (int c = 0; c < ncol; c++)
				buf[n * ncol + c] = sqlite3_value_dup(
				    sqlite3_column_value(sel, c));
			n++;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			bh_die("reading %s: %s", table, sqlite3_errmsg(src));
		t0 = bh_now();
		for (long r = 0; r < n; r++) {
			if (in_txn == 0)
				exec_or_die(dst, "BEGIN IMMEDIATE");
			for (int c = 0; c < ncol; c++)
				sqlite3_bind_value(put, c + 1, buf[r * ncol + c]);
			if (sqlite3_step(put) != SQLITE_DONE)
				bh_die("insert into %s: %s", table, sqlite3_errmsg(dst));
			sqlite3_reset(put);
			if (++in_txn == txn_rows) {
				exec_or_die(dst, "COMMIT");
				in_txn = 0;
			}
		}
		*seconds += bh_now() - t0;
		for (long i = 0; i < n * ncol; i++)
			sqlite3_value_free(buf[i]);
		total += n;
	}
	if (in_txn > 0) {
		double t0 = bh_now();

		exec_or_die(dst, "COMMIT");
		*seconds += bh_now() - t0;
	}
	free(buf);
	sqlite3_finalize(sel);
	sqlite3_finalize(put);
	return total;
}

long
bh_bulk_copy(sqlite3 *src, const char *dst_path, const unsigned char *key,
    long txn_rows, long cache_kib, double *seconds)
{
	static const char *const tables[] = { "persons", "vaccination_records" };
	char pragma[128], hexkey[3 + 64 + 1];
	sqlite3_stmt *schema;
	sqlite3 *dst;
	long rows = 0;

	*seconds = 0;
	unlink(dst_path);
	for (const char *suffix = "-wal"; suffix != NULL;
	    suffix = strcmp(suffix, "-wal") == 0 ? "-shm" : NULL) {
		char p[4096];

		snprintf(p, sizeof(p), "%s%s", dst_path, suffix);
		unlink(p);
	}
	if (sqlite3_open(dst_path, &dst) != SQLITE_OK)
		bh_die("open %s: %s", dst_path, sqlite3_errmsg(dst));
	if (key != NULL) {
		hexkey[0] = 'x';
		hexkey[1] = '\'';
		for (int i = 0; i < 32; i++)
			snprintf(hexkey + 2 + 2 * i, 3, "%02x", key[i]);
		hexkey[66] = '\'';
		hexkey[67] = '\0';
		if (sqlite3_key(dst, hexkey, 67) != SQLITE_OK)
			bh_die("sqlite3_key: %s", sqlite3_errmsg(dst));
		exec_or_die(dst, "PRAGMA cipher_page_size = 4096");
	} else
		exec_or_die(dst, "PRAGMA page_size = 4096");
	snprintf(pragma, sizeof(pragma), "PRAGMA cache_size = -%ld",
	    cache_kib > 0 ? cache_kib : 16384);
	exec_or_die(dst, pragma);
	exec_or_die(dst, "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;"
	    " PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
	/* The same tables and indexes as the cache's. */
	if (sqlite3_prepare_v2(src, "SELECT sql FROM sqlite_master WHERE"
	    " tbl_name IN ('persons', 'vaccination_records') AND sql IS NOT NULL"
	    " ORDER BY type = 'index'", -1, &schema, NULL) != SQLITE_OK)
		bh_die("reading the schema: %s", sqlite3_errmsg(src));
	while (sqlite3_step(schema) == SQLITE_ROW)
		exec_or_die(dst, (const char *)sqlite3_column_text(schema, 0));
	sqlite3_finalize(schema);
	for (size_t t = 0; t < 2; t++)
		rows += copy_table(src, dst, tables[t], txn_rows, seconds);
	if (sqlite3_close(dst) != SQLITE_OK)
		bh_die("close %s", dst_path);
	return rows;
}
