/*
 * migrate.h: the numbered schema migrations of the encrypted store.
 *
 * Migration n takes the schema from version n-1 to n; each runs in one
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
	int		 version;
	const char	*summary;
	const char	*sql;
};

extern const struct store_migration store_migrations[];
extern const int STORE_SCHEMA_LATEST;

/* Applies every migration above `from`, each in its own transaction. */
int	store_migrate(sqlite3 *db, int from, struct sesshu_err *err);

#endif
