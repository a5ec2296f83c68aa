/*
 * gc_csv.h: a buffered writer of RFC 4180 CSV files for sesshu-gencity.
 *
 * Rows end in LF (the import layouts ask for it, though RFC 4180 says CRLF).
 * A field is quoted only when it holds a comma, a double quote, CR or LF.
 * The file is written under a temporary name beside the target and renamed
 * into place by gc_csv_close, so a failed run never leaves a file that
 * looks complete. Write errors are remembered and reported once, at close.
 */
#ifndef SESSHU_GC_CSV_H
#define SESSHU_GC_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

struct gc_csv {
	FILE	*fp;
	char	*path;		/* owned: the final name */
	char	*tmp;		/* owned: the name written to */
	char	*buf;		/* owned */
	size_t	 len;
	size_t	 cap;
	int	 row_open;	/* a field was written in this row */
	int	 error;		/* errno of the first failed write, or 0 */
};

int	gc_csv_open(struct gc_csv *, const char *path, struct sesshu_err *);

/* Any text; quoted when needed. NULL is an empty field. */
void	gc_csv_field(struct gc_csv *, const char *s);

/* Text the caller knows needs no quoting (codes, digits). */
void	gc_csv_plain(struct gc_csv *, const char *s, size_t len);

/* A complete line written as it is, such as a header; ends any open row. */
void	gc_csv_line(struct gc_csv *, const char *line);

/* An unsigned number, zero-padded to width digits (0: no padding). */
void	gc_csv_uint(struct gc_csv *, uint64_t v, int width);

/* The same after an ASCII prefix, as one field: "G0000000042". */
void	gc_csv_prefixed_uint(struct gc_csv *, const char *prefix, uint64_t v,
	    int width);

/* YYYY-MM-DD, or empty for GC_DATE_NONE. */
void	gc_csv_date(struct gc_csv *, int32_t days);

/* YYYY-MM of the month after the day's month (a billing month). */
void	gc_csv_next_month(struct gc_csv *, int32_t days);

void	gc_csv_end_row(struct gc_csv *);

/* Flushes, closes and renames into place; on any earlier write error removes
 * the temporary file and names the file in err. Frees the writer. */
int	gc_csv_close(struct gc_csv *, struct sesshu_err *);

/* Closes and removes the temporary file without publishing it. */
void	gc_csv_abort(struct gc_csv *);

#endif
