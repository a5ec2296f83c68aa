/*
 * entity.h: the kinds of entity that sync carries (docs/PROTOCOL.md, pull),
 * each described once as a table: its SQL table, key column, and columns
 * with their wire types. The register serializes a row of a kind with it;
 * the workstation checks and applies the same JSON with it. JSON member
 * names are the column names, which are also the import layouts' header
 * names (docs/IMPORT.md), so one name means one thing everywhere.
 *
 * A NULL column is left out of the JSON; an absent member is stored as
 * NULL. Never logs a value: rows are personal data.
 */
#ifndef SESSHU_SYNC_ENTITY_H
#define SESSHU_SYNC_ENTITY_H

#include <stddef.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/err.h"
#include "sync/wire.h"

struct entity_kind {
	const char		*kind;		/* "person" */
	const char		*table;		/* "persons" */
	const char		*key;		/* "atena_no": also the first column */
	const char		*register_filter; /* extra WHERE on the register, or NULL */
	const struct wire_field	*columns;	/* WIRE_FIELDS_END-terminated */
	/* Built once by entity_find(); addresses are stable for store_prepare. */
	const char		*select_sql;	/* SELECT cols FROM table WHERE key = ?1 [AND filter] */
	const char		*update_sql;	/* UPDATE table SET cols = ?n WHERE key = ?1 */
	const char		*insert_sql;	/* INSERT INTO table (cols) VALUES (?1..) */
	const char		*delete_sql;	/* DELETE FROM table WHERE key = ?1 */
};

/* The kind named kind, or NULL. Thread-safe. */
const struct entity_kind *entity_find(const char *kind);

/* Number of columns of a kind. */
size_t	entity_ncolumns(const struct entity_kind *k);

/* Serializes the current row of a statement prepared from select_sql. */
json_t	*entity_row_to_json(const struct entity_kind *k, sqlite3_stmt *row);

/* Checks data against the kind's columns; path names it in messages. */
int	entity_check(const struct entity_kind *k, const json_t *data,
	    const char *path, struct sesshu_err *err);

/*
 * Binds the checked data to ?1..?n of a statement prepared from
 * update_sql or insert_sql (both number the columns alike).
 */
void	entity_bind(const struct entity_kind *k, sqlite3_stmt *stmt,
	    const json_t *data);

struct store;

/*
 * Writes checked data as the entity's current row: UPDATE by key, then
 * INSERT when no row had that key (SQLite 3.15 has no UPSERT).
 */
int	entity_upsert(struct store *st, const struct entity_kind *k,
	    const json_t *data, struct sesshu_err *err);

#endif
