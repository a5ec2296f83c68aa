/*
 * gc_csv.c: the buffered CSV writer of sesshu-gencity; see gc_csv.h.
 *
 * Hand-written rather than fprintf per field: a 2,000,000-resident city
 * is about 20 million rows of 25 fields, and formatting dominates the run.
 */
#include "gc_csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gc_date.h"

#define GC_CSV_BUFSIZE	(1 << 20)

int
gc_csv_open(struct gc_csv *w, const char *path, struct sesshu_err *err)
{
	const char *slash;
	size_t dirlen, len = strlen(path);

	memset(w, 0, sizeof(*w));
	slash = strrchr(path, '/');
	dirlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	w->path = strdup(path);
	w->tmp = malloc(len + 6);
	w->buf = malloc(GC_CSV_BUFSIZE);
	if (w->path == NULL || w->tmp == NULL || w->buf == NULL) {
		gc_csv_abort(w);
		return sesshu_err_set(err, SESSHU_ENOMEM, "%s: out of memory",
		    path);
	}
	/* "dir/.name.tmp": hidden, so a half-written file is not picked up. */
	memcpy(w->tmp, path, dirlen);
	w->tmp[dirlen] = '.';
	memcpy(w->tmp + dirlen + 1, path + dirlen, len - dirlen);
	memcpy(w->tmp + len + 1, ".tmp", 5);
	w->cap = GC_CSV_BUFSIZE;
	if ((w->fp = fopen(w->tmp, "w")) == NULL) {
		int e = errno;

		gc_csv_abort(w);
		return sesshu_err_set(err, SESSHU_EIO, "cannot create %s: %s",
		    path, strerror(e));
	}
	return 0;
}

static void
flush(struct gc_csv *w)
{
	if (w->len > 0 && w->error == 0 &&
	    fwrite(w->buf, 1, w->len, w->fp) != w->len)
		w->error = errno != 0 ? errno : EIO;
	w->len = 0;
}

/* Makes room for n more bytes. */
static char *
reserve(struct gc_csv *w, size_t n)
{
	if (w->cap - w->len < n) {
		flush(w);
		if (w->cap < n) {
			char *nbuf = realloc(w->buf, n);

			if (nbuf == NULL) {
				if (w->error == 0)
					w->error = ENOMEM;
				return NULL;
			}
			w->buf = nbuf;
			w->cap = n;
		}
	}
	return w->buf + w->len;
}

static void
separator(struct gc_csv *w)
{
	if (w->row_open) {
		char *p = reserve(w, 1);

		if (p != NULL) {
			*p = ',';
			w->len++;
		}
	}
	w->row_open = 1;
}

void
gc_csv_plain(struct gc_csv *w, const char *s, size_t len)
{
	char *p;

	separator(w);
	if ((p = reserve(w, len)) == NULL)
		return;
	memcpy(p, s, len);
	w->len += len;
}

void
gc_csv_field(struct gc_csv *w, const char *s)
{
	size_t len, quotes = 0;
	int special = 0;
	char *p;

	if (s == NULL) {
		separator(w);
		return;
	}
	for (len = 0; s[len] != '\0'; len++) {
		switch (s[len]) {
		case '"':
			quotes++;
			/* FALLTHROUGH */
		case ',':
		case '\r':
		case '\n':
			special = 1;
			break;
		}
	}
	if (!special) {
		gc_csv_plain(w, s, len);
		return;
	}
	separator(w);
	if ((p = reserve(w, len + quotes + 2)) == NULL)
		return;
	*p++ = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			*p++ = '"';
		*p++ = s[i];
	}
	*p++ = '"';
	w->len += len + quotes + 2;
}

void
gc_csv_prefixed_uint(struct gc_csv *w, const char *prefix, uint64_t v,
    int width)
{
	size_t plen = strlen(prefix);
	char tmp[24];
	int n = 0;
	char *p;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n < 20);
	while (n < width && n < 20)
		tmp[n++] = '0';
	separator(w);
	if ((p = reserve(w, plen + (size_t)n)) == NULL)
		return;
	memcpy(p, prefix, plen);
	for (int i = 0; i < n; i++)
		p[plen + (size_t)i] = tmp[n - 1 - i];
	w->len += plen + (size_t)n;
}

void
gc_csv_uint(struct gc_csv *w, uint64_t v, int width)
{
	gc_csv_prefixed_uint(w, "", v, width);
}

void
gc_csv_line(struct gc_csv *w, const char *line)
{
	size_t len = strlen(line);
	char *p;

	if (w->row_open)
		gc_csv_end_row(w);
	if ((p = reserve(w, len)) == NULL)
		return;
	memcpy(p, line, len);
	w->len += len;
}

void
gc_csv_date(struct gc_csv *w, int32_t days)
{
	char buf[11];

	if (days == GC_DATE_NONE) {
		separator(w);
		return;
	}
	gc_date_format(days, buf);
	gc_csv_plain(w, buf, 10);
}

void
gc_csv_next_month(struct gc_csv *w, int32_t days)
{
	char buf[11];
	int y, m, d;

	gc_date_ymd(days, &y, &m, &d);
	if (++m > 12) {
		m = 1;
		y++;
	}
	gc_date_format(gc_date_days(y, m, 1), buf);
	gc_csv_plain(w, buf, 7);
}

void
gc_csv_end_row(struct gc_csv *w)
{
	char *p = reserve(w, 1);

	if (p != NULL) {
		*p = '\n';
		w->len++;
	}
	w->row_open = 0;
}

static void
release(struct gc_csv *w)
{
	free(w->path);
	free(w->tmp);
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

void
gc_csv_abort(struct gc_csv *w)
{
	if (w->fp != NULL) {
		fclose(w->fp);
		unlink(w->tmp);
	}
	release(w);
}

int
gc_csv_close(struct gc_csv *w, struct sesshu_err *err)
{
	int e;

	flush(w);
	if (w->error == 0 && fflush(w->fp) != 0)
		w->error = errno;
	if (fclose(w->fp) != 0 && w->error == 0)
		w->error = errno;
	w->fp = NULL;
	if (w->error == 0 && rename(w->tmp, w->path) != 0)
		w->error = errno;
	if ((e = w->error) != 0) {
		unlink(w->tmp);
		sesshu_err_set(err, SESSHU_EIO, "cannot write %s: %s", w->path,
		    strerror(e));
		release(w);
		return SESSHU_EIO;
	}
	release(w);
	return 0;
}
