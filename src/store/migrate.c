/* migrate.c: see migrate.h. */
#include "store/migrate.h"

#include <stdio.h>

static int
exec_or_rollback(sqlite3 *db, const char *sql, int version,
    struct sesshu_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	sesshu_err_set(err, SESSHU_EDB, "schema migration %d failed: %s",
	    version, msg != NULL ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return SESSHU_EDB;
}

int
store_migrate(sqlite3 *db, const struct store_schema *schema, int from,
    struct sesshu_err *err)
{
	char stamp[96];
	int rc;

	for (int i = from; i < schema->latest; i++) {
		const struct store_migration *m = &schema->migrations[i];

		/* The stamp commits with the migration: all of it or none. */
		if (m->version == 1)
			snprintf(stamp, sizeof(stamp), "PRAGMA application_id = %d;"
			    "PRAGMA user_version = 1", schema->application_id);
		else
			snprintf(stamp, sizeof(stamp), "PRAGMA user_version = %d",
			    m->version);
		if ((rc = exec_or_rollback(db, "BEGIN IMMEDIATE", m->version, err)) != 0)
			return rc;
		for (const char *const *sql = m->sql; *sql != NULL; sql++)
			if ((rc = exec_or_rollback(db, *sql, m->version, err)) != 0)
				return rc;
		if ((rc = exec_or_rollback(db, stamp, m->version, err)) != 0 ||
		    (rc = exec_or_rollback(db, "COMMIT", m->version, err)) != 0)
			return rc;
	}
	return 0;
}
