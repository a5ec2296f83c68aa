/*
 * import.h: what the two import layouts (resident_row.h, record_row.h)
 * share: the list of problems found in one row, the mapping from header
 * names to fields, the field checks, and the duplicate finder.
 *
 * A row is checked completely: every problem is collected as a
 * "column: problem" pair, so an operator fixes an extract in one pass (the
 * register prints them as FILE:LINE: column: problem and imports nothing
 * while any remain; docs/IMPORT.md).
 * Messages never quote a name, an address, a phone number or any other
 * free text from the row; they may show a date, a code or a number that
 * failed its check, since the operator needs it to find the mistake.
 * The individual number (個人番号) is never accepted as a column.
 * No I/O, no allocation.
 */
#ifndef SESSHU_CORE_IMPORT_H
#define SESSHU_CORE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/csv.h"
#include "core/date.h"

#define CORE_PROBLEMS_MAX		32
#define CORE_PROBLEM_COLUMN_MAX		64
#define CORE_PROBLEM_MSG_MAX		200
#define CORE_IMPORT_MAX_COLUMNS		40

struct core_problem {
	char	column[CORE_PROBLEM_COLUMN_MAX];	/* "birth_date", "row" */
	char	msg[CORE_PROBLEM_MSG_MAX];		/* "... is not a date" */
};

/* Fixed capacity; problems past it are counted in dropped, not lost
 * silently (the register prints "and N more"). */
struct core_problems {
	size_t			n;
	size_t			dropped;
	struct core_problem	p[CORE_PROBLEMS_MAX];
};

void	core_problems_init(struct core_problems *pr);
void	core_problems_add(struct core_problems *pr, const char *column,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Total found, including dropped ones. */
size_t	core_problems_count(const struct core_problems *pr);
/* Writes "column: problem" into buf (truncated to fit, NUL-terminated). */
void	core_problem_format(const struct core_problem *p, char *buf,
	    size_t size);

/* A column of a layout: its header name and its Japanese item name. */
struct core_column {
	const char	*name;		/* "birth_date": the header name */
	const char	*name_ja;	/* "生年月日": for docs and screens */
};

/* Which field of a record holds each column of a layout. */
struct core_header {
	size_t	ncolumns;			/* of the layout */
	size_t	nfields;			/* in the header row */
	int	field[CORE_IMPORT_MAX_COLUMNS];	/* column -> field index */
};

/*
 * Maps the header row rec onto the layout cols[0..ncols). Every column must
 * appear exactly once, in any order, spelled exactly as in the layout. Adds
 * a problem (column "header" or the offending name) for each missing,
 * unknown or duplicated name, for a column that would carry the individual
 * number (kojin_bango, my_number, 個人番号, ...), and for a first row that
 * is data rather than a header. Returns 0, or SESSHU_EFORMAT with problems.
 */
int	core_header_map(const struct core_column *cols, size_t ncols,
	    const struct csv_record *rec, struct core_header *hdr,
	    struct core_problems *pr);

/*
 * True when a header name would carry the individual number: matched
 * after ASCII lower-casing and removing '_', '-' and spaces.
 */
bool	core_header_is_individual_number(const char *s, size_t len);

/*
 * Field checks for the row validators. Each one adds a problem under
 * column when the value is bad and returns CORE_FIELD_BAD; an empty value
 * is CORE_FIELD_EMPTY (and a problem "required" when required is true).
 */
enum core_field_result {
	CORE_FIELD_BAD = -1,
	CORE_FIELD_OK = 0,
	CORE_FIELD_EMPTY = 1,
};

/* Borrowed text from a record: valid until the next csv_next(). */
struct core_text {
	const char	*s;	/* NUL-terminated */
	size_t		 len;
};

/* The record's field for column col of a mapped layout. */
const struct csv_field *core_header_field(const struct core_header *hdr,
	    const struct csv_record *rec, size_t col);

/*
 * Free text: valid UTF-8, at most maxchars code points, no control
 * characters (line breaks allowed only when multiline). A value of spaces
 * only (ASCII or U+3000) counts as empty.
 */
int	core_field_text(struct core_problems *pr, const char *column,
	    const struct csv_field *f, bool required, size_t maxchars,
	    bool multiline, struct core_text *out);
/* Exactly ndigits ASCII digits, copied NUL-terminated into out[ndigits+1]. */
int	core_field_digits(struct core_problems *pr, const char *column,
	    const struct csv_field *f, bool required, size_t ndigits, char *out);
/* 1..maxlen ASCII characters of the class alnum (letters and digits) or,
 * when !alnum_only, any printable non-space ASCII; copied into
 * out[maxlen+1]. */
int	core_field_code(struct core_problems *pr, const char *column,
	    const struct csv_field *f, bool required, size_t maxlen,
	    bool alnum_only, char *out);
int	core_field_date(struct core_problems *pr, const char *column,
	    const struct csv_field *f, bool required, struct core_date *out);
int	core_field_ym(struct core_problems *pr, const char *column,
	    const struct csv_field *f, bool required, struct core_ym *out);
/* Exactly "0" or "1"; always required. */
int	core_field_flag(struct core_problems *pr, const char *column,
	    const struct csv_field *f, bool *out);
/* One ASCII character among choices ("12" or "ABTVSJ"); always required. */
int	core_field_choice(struct core_problems *pr, const char *column,
	    const struct csv_field *f, const char *choices, const char *meaning,
	    char *out);

/*
 * Uniqueness within one file (宛名番号 in a resident file, legacy_id in a
 * record file): the caller collects one entry per row, then
 * core_uniq_mark() sets first_line on every entry whose key appeared on an
 * earlier line, to that earliest line (0 otherwise), and leaves v sorted by
 * line. Keys are NUL-terminated and compared byte for byte; leave out rows
 * without a key (an empty legacy_id). The register reports
 * FILE:LINE: atena_no: also on line N.
 */
#define CORE_UNIQ_KEY_MAX	33

struct core_uniq {
	char		key[CORE_UNIQ_KEY_MAX];
	unsigned long	line;
	unsigned long	first_line;
};

void	core_uniq_mark(struct core_uniq *v, size_t n);

#endif
