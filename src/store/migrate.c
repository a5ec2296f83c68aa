/* migrate.c: see migrate.h. */
#include "store/migrate.h"

#include <stdio.h>

extern const char store_schema_v1_sql[];

const struct store_migration store_migrations[] = {
	{ 1, "entities of DOMAIN §2", store_schema_v1_sql },
};

const int STORE_SCHEMA_LATEST =
    (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));

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
store_migrate(sqlite3 *db, int from, struct sesshu_err *err)
{
	char set_version[64];
	int rc;

	for (int i = from; i < STORE_SCHEMA_LATEST; i++) {
		const struct store_migration *m = &store_migrations[i];

		snprintf(set_version, sizeof(set_version),
		    "PRAGMA user_version = %d", m->version);
		if ((rc = exec_or_rollback(db, "BEGIN IMMEDIATE", m->version, err)) != 0 ||
		    (rc = exec_or_rollback(db, m->sql, m->version, err)) != 0 ||
		    (rc = exec_or_rollback(db, set_version, m->version, err)) != 0 ||
		    (rc = exec_or_rollback(db, "COMMIT", m->version, err)) != 0)
			return rc;
	}
	return 0;
}
