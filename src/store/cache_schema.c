/*
 * cache_schema.c: the workstation cache's schema; version 1 holds the
 * entities of DOMAIN §2.
 *
 * Written for SQLite 3.15.2 (SQLCipher 3.4.1): no UPSERT, no window
 * functions, no RETURNING, no JSON1, no STRICT, no generated columns.
 * Dates are TEXT in ISO 8601 (YYYY-MM-DD, times in UTC with a Z), so they
 * sort and compare as text. Counts that can be derived (a batch's entered,
 * verified and voided sheets) are not stored: they are queried.
 * There is deliberately no column for the individual number (個人番号).
 */
#include "store/migrate.h"

static const char cache_v1_sql[] =
/* 宛名 / 住民: read-only on the workstation, arrives through sync. */
"CREATE TABLE persons ("
"  atena_no         TEXT PRIMARY KEY,"		/* 宛名番号 */
"  name             TEXT NOT NULL,"		/* 氏名 */
"  name_kana        TEXT NOT NULL,"		/* カナ氏名 */
"  name_kana_search TEXT NOT NULL,"		/* normalised カナ for prefix search */
"  sex              INTEGER NOT NULL CHECK (sex IN (1, 2)),"
"  birth_date       TEXT NOT NULL,"
"  postal_code      TEXT,"
"  address          TEXT NOT NULL,"
"  address_extra    TEXT,"			/* 方書 */
"  phone            TEXT,"
"  household_no     TEXT,"			/* 世帯番号 */
"  relationship     TEXT,"			/* 続柄 */
"  status           INTEGER NOT NULL CHECK (status IN (1, 2, 3)),"	/* 住民区分 */
"  resident_since   TEXT,"
"  resident_until   TEXT,"
"  leave_reason     TEXT,"
"  foreigner        INTEGER NOT NULL DEFAULT 0 CHECK (foreigner IN (0, 1)),"
"  real_name        TEXT,"			/* 本名 */
"  alias_name       TEXT,"			/* 通称 */
"  previous_address TEXT,"			/* 前住所 */
"  moved_to_address TEXT,"			/* 転出先住所 */
"  district_code    TEXT,"			/* 地区 */
"  seq              INTEGER NOT NULL DEFAULT 0"	/* register sequence of last change */
") WITHOUT ROWID;"
"CREATE INDEX persons_by_kana ON persons (name_kana_search, birth_date);"
"CREATE INDEX persons_by_birth ON persons (birth_date);"

/* 接種記録: one row per dose event and version; corrections add versions. */
"CREATE TABLE vaccination_records ("
"  id                  INTEGER PRIMARY KEY,"
"  record_uuid         TEXT NOT NULL,"
"  version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),"
"  is_current          INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),"
"  atena_no            TEXT NOT NULL,"
"  vaccine_code        TEXT NOT NULL,"		/* 接種種類 */
"  dose                INTEGER NOT NULL CHECK (dose BETWEEN 1 AND 9),"	/* 回数 */
"  stage               TEXT,"			/* 期 (MR 1期/2期 …) */
"  category            TEXT NOT NULL CHECK (category IN ('A','B','T','V','S','J')),"
"  vaccinated_on       TEXT NOT NULL,"		/* 実施日 */
"  age_years           INTEGER,"			/* 接種年齢 (derived at entry) */
"  age_months          INTEGER,"			/* 接種月齢 */
"  institution_code    TEXT NOT NULL,"		/* 医療機関コード */
"  venue_code          TEXT,"			/* 会場コード */
"  screening_doctor    TEXT,"			/* 予診医 code */
"  vaccinating_doctor  TEXT,"			/* 接種医 code */
"  vaccine_name        TEXT,"
"  maker_code          TEXT,"
"  lot_no              TEXT,"
"  lot_expiry          TEXT,"
"  amount_ml           REAL,"			/* 接種量 */
"  site                TEXT,"			/* 接種部位 */
"  method              TEXT,"			/* 接種方法 */
"  screening_only      INTEGER NOT NULL DEFAULT 0 CHECK (screening_only IN (0, 1)),"
"  screening_reason    TEXT,"			/* 予診理由 */
"  unsuitable_code     TEXT,"			/* 接種不適当区分 */
"  fee_category        TEXT,"			/* 負担金区分 / 助成区分 */
"  billing_month       TEXT,"			/* 請求年月 YYYY-MM */
"  other_municipality  INTEGER NOT NULL DEFAULT 0 CHECK (other_municipality IN (0, 1)),"
"  certificate_issued  INTEGER NOT NULL DEFAULT 0 CHECK (certificate_issued IN (0, 1)),"
"  print_kind          TEXT,"			/* 印刷区分 */
"  printed_on          TEXT,"			/* 印刷日 */
"  state               TEXT NOT NULL DEFAULT 'entered'"
"                      CHECK (state IN ('entered','verified','voided')),"
"  registration_kind   TEXT NOT NULL DEFAULT 'keyed'"
"                      CHECK (registration_kind IN ('keyed','imported','other')),"
"  registered_at       TEXT NOT NULL,"		/* 登録日 */
"  entered_by          TEXT,"			/* 入力者 */
"  verified_by         TEXT,"
"  batch_id            TEXT,"
"  change_reason       TEXT,"			/* reason of a correction or void */
"  legacy_id           TEXT,"
"  note                TEXT,"			/* 備考 */
"  seq                 INTEGER NOT NULL DEFAULT 0,"
"  UNIQUE (record_uuid, version),"
"  CHECK (screening_only = 0 OR lot_no IS NULL)"
");"
"CREATE INDEX records_by_person ON vaccination_records (atena_no, vaccine_code, dose);"
"CREATE INDEX records_by_batch ON vaccination_records (batch_id) WHERE batch_id IS NOT NULL;"

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

/* Master data, distributed by the register. */
"CREATE TABLE vaccines ("
"  code TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT NOT NULL,"
"  diseases TEXT, category TEXT) WITHOUT ROWID;"
"CREATE TABLE manufacturers ("
"  code TEXT PRIMARY KEY, name_ja TEXT NOT NULL, name_en TEXT) WITHOUT ROWID;"
"CREATE TABLE lots ("
"  lot_no TEXT NOT NULL, vaccine_code TEXT NOT NULL, maker_code TEXT NOT NULL,"
"  expiry TEXT NOT NULL, PRIMARY KEY (lot_no, vaccine_code)) WITHOUT ROWID;"
"CREATE TABLE medical_institutions ("
"  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_kana TEXT, address TEXT,"
"  in_city INTEGER NOT NULL DEFAULT 1) WITHOUT ROWID;"
"CREATE TABLE doctors ("
"  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_kana TEXT,"
"  institution_code TEXT) WITHOUT ROWID;"
"CREATE TABLE venues (code TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;"
"CREATE TABLE districts (code TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;"
"CREATE TABLE fee_categories ("
"  code TEXT PRIMARY KEY, name TEXT NOT NULL, amount_yen INTEGER) WITHOUT ROWID;"

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

/* The audit trail: append-only, each entry chained by HMAC (audit.c). */
"CREATE TABLE audit_log ("
"  seq            INTEGER PRIMARY KEY,"
"  at             TEXT NOT NULL,"
"  user_id        TEXT NOT NULL,"
"  workstation_id TEXT NOT NULL,"
"  action         TEXT NOT NULL,"
"  object         TEXT NOT NULL,"
"  outcome        TEXT NOT NULL,"
"  mac            BLOB NOT NULL"
");"
/* Defence in depth: the program never changes an entry, and SQL cannot either
 * without first dropping these triggers, which the chain would then reveal. */
"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
/* The chain's head, so that cutting entries off the end is detected too. */
"CREATE TABLE audit_head ("
"  id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, mac BLOB NOT NULL);"

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

static const struct store_migration cache_migrations[] = {
	{ 1, "entities of DOMAIN §2", cache_v1_sql },
};

const struct store_schema store_cache_schema = {
	.name = "workstation cache",
	.application_id = 0x53735763,		/* "SsWc" */
	.migrations = cache_migrations,
	.latest = (int)(sizeof(cache_migrations) / sizeof(cache_migrations[0])),
};
