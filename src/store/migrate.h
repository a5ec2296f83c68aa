/*
 * migrate.h: the numbered schema migrations of an encrypted store.
 *
 * There are two schemas: the workstation cache (cache_schema.c) and the
 * register's store (src/register). Each is identified by its PRAGMA
 * application_id, written by its first migration, so one can never be
 * opened, let alone migrated, as the other. Migration n takes the schema from version n-1 to n; each runs in one
 * transaction together with the PRAGMA user_version that records it, so a
 * crash leaves the store at n-1 or n, never in between. Migrations only
 * move forward; a store newer than STORE_SCHEMA_LATEST is refused by
 * store_open(). Never add a My Number column (DOMAIN §2, C10).
 */
#ifndef SESSHU_STORE_MIGRATE_H
#define SESSHU_STORE_MIGRATE_H

#include <sqlite3.h>

#include "core/err.h"

struct store_migration {
	int			 version;
	const char		*summary;
	const char *const	*sql;		/* fragments, run in order; NULL ends */
};

struct store_schema {
	const char			*name;		/* "workstation cache" */
	int				 application_id;
	const struct store_migration	*migrations;	/* versions 1..latest, in order */
	int				 latest;
};

/* The workstation's encrypted cache. */
extern const struct store_schema store_cache_schema;

/* Applies every migration above `from`, each in its own transaction. */
int	store_migrate(sqlite3 *db, const struct store_schema *schema, int from,
	    struct sesshu_err *err);

#endif
