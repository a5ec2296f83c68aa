/*
 * reg_schema.c: the register's store schema.
 *
 * Version 1 holds the shared entities (store/entity_schema.c), the audit
 * trail, and what only the register keeps: settings, the change sequence
 * that pull pages follow, users with their password verifiers and history,
 * workstations with their escrowed master keys, the result of every pushed
 * change (idempotency), and the review queue of conflicts and rejections.
 * Version 2 adds the shared fingerprints; version 3 stores each user's
 * password expiry, which pull sends to workstations for their offline
 * logins; version 4 adds batches and keys lots by number, so that master
 * data and batches travel through sync. SQLite 3.15.2 only (see entity_schema.c).
 */
#include "register/reg.h"
#include "store/audit.h"

extern const char store_entities_v1_sql[];
extern const char store_fingerprints_v2_sql[];
extern const char store_entities_v4_sql[];
extern const char store_batches_v4_sql[];
extern const char store_review_v4_sql[];

static const char reg_v1_sql[] =
"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"

/*
 * One row per entity: its latest change. AUTOINCREMENT matters: when an
 * entity changes again its old row is deleted and a new one inserted, and
 * without it the new row could reuse the deleted highest number, which a
 * client at that cursor would never see.
 */
"CREATE TABLE changes ("
"  seq  INTEGER PRIMARY KEY AUTOINCREMENT,"
"  kind TEXT NOT NULL,"
"  key  TEXT NOT NULL,"
"  op   TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),"
"  UNIQUE (kind, key));"

"CREATE TABLE users ("
"  user_id              TEXT PRIMARY KEY,"
"  name                 TEXT NOT NULL,"
"  role                 TEXT NOT NULL CHECK (role IN"
"                       ('clerk','verifier','supervisor','is-admin','auditor')),"
"  status               TEXT NOT NULL DEFAULT 'active'"
"                       CHECK (status IN ('active','disabled','revoked')),"
"  verifier             TEXT,"		/* scrypt; NULL until the first login */
"  activation_verifier  TEXT,"		/* one-time code, NULL once used */
"  activation_expires   TEXT,"
"  password_changed_at  TEXT,"
"  must_change_password INTEGER NOT NULL DEFAULT 1,"
"  failed_logins        INTEGER NOT NULL DEFAULT 0,"
"  locked_until         TEXT,"
"  created_at           TEXT NOT NULL,"
"  disabled_at          TEXT"
") WITHOUT ROWID;"
"CREATE TABLE password_history ("
"  user_id TEXT NOT NULL, verifier TEXT NOT NULL, set_at TEXT NOT NULL);"
"CREATE INDEX password_history_by_user ON password_history (user_id, set_at);"

"CREATE TABLE workstations ("
"  workstation_id TEXT PRIMARY KEY,"
"  status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','revoked')),"
"  master_key     BLOB,"			/* escrowed K, NULL until provisioned */
"  created_at     TEXT NOT NULL,"
"  provisioned_at TEXT,"
"  provisioned_by TEXT,"
"  revoked_at     TEXT,"
"  last_seen_at   TEXT"
") WITHOUT ROWID;"

"CREATE TABLE applied_changes ("
"  uuid           TEXT PRIMARY KEY,"
"  workstation_id TEXT NOT NULL,"
"  status         TEXT NOT NULL CHECK (status IN ('applied','conflict','rejected')),"
"  seq            INTEGER,"
"  message        TEXT,"
"  applied_at     TEXT NOT NULL"
") WITHOUT ROWID;"

"CREATE TABLE review_queue ("
"  id             INTEGER PRIMARY KEY,"
"  kind           TEXT NOT NULL CHECK (kind IN ('conflict','rejected')),"
"  uuid           TEXT NOT NULL,"
"  workstation_id TEXT NOT NULL,"
"  change_kind    TEXT NOT NULL,"
"  payload        TEXT NOT NULL,"
"  reason         TEXT NOT NULL,"
"  created_at     TEXT NOT NULL,"
"  decided_by     TEXT,"
"  decided_at     TEXT,"
"  decision       TEXT"
");";

static const char *const reg_v1[] = {
	store_entities_v1_sql, audit_schema_sql, reg_v1_sql, NULL
};

static const char *const reg_v2[] = { store_fingerprints_v2_sql, NULL };

/*
 * password_expires_at is password_changed_at plus the setting
 * password_max_age_days, kept up to date when either changes (reg_users.c,
 * reg.c). Every user is numbered again so that workstations pull it.
 */
static const char *const reg_v3[] = {
	"ALTER TABLE users ADD COLUMN password_expires_at TEXT;",
	"UPDATE users SET password_expires_at = " REG_PASSWORD_EXPIRY_SQL(
	    "password_changed_at", "(SELECT value FROM settings"
	    " WHERE key = 'password_max_age_days')")
	" WHERE password_changed_at IS NOT NULL;",
	REG_RENUMBER_USERS_SQL,
	NULL
};

/*
 * Master data (lots keyed by number) and batches, both sent by sync; the
 * review queue also takes possible duplicates (a dose a clerk confirmed
 * as recorded again is stored, and a supervisor looks at it) and
 * corrections that wait for a supervisor's approval (DOMAIN §3.3).
 * SQLite cannot change a CHECK in place, so the queue is copied.
 */
static const char *const reg_v4[] = {
	store_entities_v4_sql, store_batches_v4_sql,
	"ALTER TABLE review_queue RENAME TO review_queue_v3;",
	store_review_v4_sql,
	"INSERT INTO review_queue (id, kind, uuid, workstation_id, change_kind,"
	" payload, reason, created_at, decided_by, decided_at)"
	" SELECT id, kind, uuid, workstation_id, change_kind, payload, reason,"
	" created_at, decided_by, decided_at FROM review_queue_v3;",
	"DROP TABLE review_queue_v3;",
	NULL
};

static const struct store_migration reg_migrations[] = {
	{ 1, "register: entities, users, workstations, changes", reg_v1 },
	{ 2, "fingerprints shared through the register", reg_v2 },
	{ 3, "users' password expiry, sent to workstations", reg_v3 },
	{ 4, "master data and batches, sent to workstations", reg_v4 },
};

const struct store_schema reg_store_schema = {
	.name = "register store",
	.application_id = 0x53735267,		/* "SsRg" */
	.migrations = reg_migrations,
	.latest = (int)(sizeof(reg_migrations) / sizeof(reg_migrations[0])),
};
