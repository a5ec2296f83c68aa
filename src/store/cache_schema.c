/*
 * cache_schema.c: the workstation cache's schema. Version 1 holds the shared
 * entities (entity_schema.c), the audit trail (audit.c), and what only a
 * workstation keeps: questionnaire batches, users and their prints and
 * rights as the register last sent them, the outbox and the sync state.
 * Version 2 replaced the fingerprints table; version 3 keeps each user's
 * password expiry as the register computes it, for offline logins;
 * version 4 receives master data and batches through sync and keeps
 * drafts, the corrections waiting for approval, and the review queue as
 * the register sends it.
 * SQLite 3.15.2 only (see entity_schema.c).
 */
#include "store/audit.h"
#include "store/migrate.h"

extern const char store_entities_v1_sql[];
extern const char store_fingerprints_v2_sql[];
extern const char store_entities_v4_sql[];
extern const char store_review_v4_sql[];

static const char cache_v1_sql[] =
/* 予診票の綴り: one clinic's return for one billing month. */
"CREATE TABLE batches ("
"  batch_id         TEXT PRIMARY KEY,"
"  institution_code TEXT NOT NULL,"
"  billing_month    TEXT NOT NULL,"
"  claimed_count    INTEGER NOT NULL CHECK (claimed_count >= 0),"
"  received_on      TEXT,"
"  state            TEXT NOT NULL DEFAULT 'open'"
"                   CHECK (state IN ('open','entered','verified','closed')),"
"  opened_by        TEXT NOT NULL,"
"  opened_at        TEXT NOT NULL,"
"  closed_at        TEXT"
") WITHOUT ROWID;"

/* Users, their prints and their rights. User IDs are never reused (004 L281). */
"CREATE TABLE users ("
"  user_id              TEXT PRIMARY KEY,"
"  name                 TEXT NOT NULL,"
"  role                 TEXT NOT NULL CHECK (role IN"
"                       ('clerk','verifier','supervisor','is-admin','auditor')),"
"  status               TEXT NOT NULL DEFAULT 'active'"
"                       CHECK (status IN ('active','disabled','revoked')),"
"  password_changed_at  TEXT,"
"  must_change_password INTEGER NOT NULL DEFAULT 0,"
"  failed_logins        INTEGER NOT NULL DEFAULT 0,"
"  locked_until         TEXT,"
"  last_login_at        TEXT,"
"  seq                  INTEGER NOT NULL DEFAULT 0"
") WITHOUT ROWID;"
"CREATE TABLE fingerprints ("
"  user_id     TEXT NOT NULL,"
"  finger      INTEGER NOT NULL,"
"  driver      TEXT NOT NULL,"
"  print_data  BLOB NOT NULL,"			/* FpPrint serialised */
"  enrolled_at TEXT NOT NULL,"
"  PRIMARY KEY (user_id, finger, driver)) WITHOUT ROWID;"
"CREATE TABLE access_rights ("
"  right_id     TEXT PRIMARY KEY,"
"  user_id      TEXT NOT NULL,"
"  role         TEXT NOT NULL,"
"  scope        TEXT NOT NULL,"
"  valid_from   TEXT NOT NULL,"
"  valid_to     TEXT,"
"  reason       TEXT NOT NULL,"
"  state        TEXT NOT NULL CHECK (state IN"
"               ('requested','approved','applied','active','expired','revoked')),"
"  requested_by TEXT NOT NULL,"
"  requested_at TEXT NOT NULL,"
"  applied_by   TEXT,"
"  applied_at   TEXT,"
"  revoked_by   TEXT,"
"  revoked_at   TEXT"
") WITHOUT ROWID;"
"CREATE TABLE right_approvals ("
"  right_id TEXT NOT NULL, approver_id TEXT NOT NULL, approved_at TEXT NOT NULL,"
"  PRIMARY KEY (right_id, approver_id)) WITHOUT ROWID;"

/* Sync: changes waiting to be pushed, and the pull cursor and timestamps. */
"CREATE TABLE outbox ("
"  id         INTEGER PRIMARY KEY,"
"  uuid       TEXT NOT NULL UNIQUE,"		/* idempotency key (ARCHITECTURE §4) */
"  kind       TEXT NOT NULL,"
"  payload    TEXT NOT NULL,"			/* JSON */
"  created_at TEXT NOT NULL,"
"  attempts   INTEGER NOT NULL DEFAULT 0,"
"  last_error TEXT"
");"
"CREATE TABLE sync_state ("
"  key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;";

static const char *const cache_v1[] = {
	store_entities_v1_sql, audit_schema_sql, cache_v1_sql, NULL
};

/* Version 1's fingerprints table was never written to; it is replaced. */
static const char *const cache_v2[] = {
	"DROP TABLE fingerprints;", store_fingerprints_v2_sql, NULL
};

/*
 * NULL until the register sends the user again: its own migration 3 sends
 * every user again.
 */
static const char *const cache_v3[] = {
	"ALTER TABLE users ADD COLUMN password_expires_at TEXT;", NULL
};

/*
 * Version 4: master data and batches come through sync (lots keyed by
 * number); a batch records who closed it; drafts keep an unsaved 予診票
 * for its owner. A draft lives only in this encrypted store, never in a
 * file of its own, and only until its sheet is saved or discarded.
 */
static const char *const cache_v4[] = {
	store_entities_v4_sql,
	"ALTER TABLE batches ADD COLUMN closed_by TEXT;",
	"CREATE TABLE drafts ("
	"  user_id  TEXT NOT NULL,"
	"  slot     TEXT NOT NULL,"			/* "entry", "verify" */
	"  saved_at TEXT NOT NULL,"
	"  payload  TEXT NOT NULL,"			/* JSON: batch, person, fields */
	"  PRIMARY KEY (user_id, slot)) WITHOUT ROWID;",
	/* Corrections sent for a supervisor's approval, until the approved
	 * version comes back by pull: the history shows them as pending. */
	"CREATE TABLE pending_requests ("
	"  record_uuid  TEXT PRIMARY KEY,"
	"  what         TEXT NOT NULL,"			/* record.correct, record.void */
	"  requested_by TEXT NOT NULL,"
	"  requested_at TEXT NOT NULL) WITHOUT ROWID;",
	store_review_v4_sql,
	/*
	 * The search by カナ prefix and birth date (ws_person_search): with
	 * the birth date first, a search reads only the persons born that
	 * day, in カナ order (docs/PERFORMANCE.md: p99 186 ms -> 0.06 ms at
	 * 300,000 residents); the birth date alone is served by it too.
	 */
	"CREATE INDEX persons_by_birth_kana ON persons (birth_date,"
	" name_kana_search);",
	"DROP INDEX persons_by_birth;",
	NULL
};

static const struct store_migration cache_migrations[] = {
	{ 1, "entities of DOMAIN §2", cache_v1 },
	{ 2, "fingerprints shared through the register", cache_v2 },
	{ 3, "users' password expiry, for offline logins", cache_v3 },
	{ 4, "master data and batches through sync; drafts", cache_v4 },
};

const struct store_schema store_cache_schema = {
	.name = "workstation cache",
	.application_id = 0x53735763,		/* "SsWc" */
	.migrations = cache_migrations,
	.latest = (int)(sizeof(cache_migrations) / sizeof(cache_migrations[0])),
};
