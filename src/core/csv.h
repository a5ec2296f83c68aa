/*
 * csv.h: an RFC 4180 CSV reader over a buffer already in memory.
 *
 * The register reads the import file and converts it to UTF-8 (from cp932
 * when asked) before handing the bytes here. Accepts quoted fields with
 * doubled quotes, commas and line breaks inside quotes, CRLF or LF line
 * ends, a UTF-8 byte order mark at the start, and a last line without a
 * line end. Lines with nothing on them are skipped. It is byte-oriented:
 * checking that fields are UTF-8 is the row validators' job.
 *
 * Owns nothing outside struct csv_reader: no allocation. Everything is
 * bounded: at most CSV_MAX_FIELDS fields of CSV_MAX_FIELD_BYTES bytes, and
 * CSV_MAX_RECORD_BYTES per record; beyond that the input is refused, never
 * truncated. Must never echo field contents in a message (they are
 * personal data): errors name the line and the field number only.
 * No I/O.
 */
#ifndef SESSHU_CORE_CSV_H
#define SESSHU_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define CSV_MAX_FIELDS		64
#define CSV_MAX_FIELD_BYTES	4096
#define CSV_MAX_RECORD_BYTES	65536	/* all fields with their NULs */

/* A field's unescaped bytes; s[len] is always NUL. */
struct csv_field {
	const char	*s;
	size_t		 len;
};

struct csv_record {
	unsigned long	 line;		/* physical line the record starts on */
	size_t		 nfields;	/* 1..CSV_MAX_FIELDS */
	struct csv_field fields[CSV_MAX_FIELDS];
};

/*
 * About 66 KB: place it in static storage or on the heap in threads with
 * small stacks. The members are private.
 */
struct csv_reader {
	const char	*buf;		/* borrowed for the reader's lifetime */
	size_t		 len;
	size_t		 pos;
	unsigned long	 line;		/* physical line of buf[pos] */
	size_t		 used;		/* bytes of scratch in use */
	struct sesshu_err failed;	/* sticky: code != 0 after an error */
	char		 scratch[CSV_MAX_RECORD_BYTES];
};

/* Starts reading buf[0..len), which must outlive the reader. Skips a
 * leading UTF-8 byte order mark. */
void	csv_reader_init(struct csv_reader *r, const char *buf, size_t len);

/*
 * Reads the next record into *rec. Returns 1 with a record, 0 at the end of
 * the input, or a negative SESSHU_EFORMAT with a message such as
 * "line 12: unterminated quoted field". The fields point into the reader
 * and stay valid until the next call. An error is final: the rest of the
 * input cannot be framed reliably, so every later call returns the same
 * error.
 */
int	csv_next(struct csv_reader *r, struct csv_record *rec,
	    struct sesshu_err *err);

#endif
