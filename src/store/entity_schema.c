/*
 * entity_schema.c: the tables of DOMAIN §2 that the workstation cache and
 * the register's store hold alike: persons, vaccination records and master
 * data. Each store's schema (cache_schema.c, src/register/reg_schema.c)
 * includes them in its first migration, so the two cannot drift apart.
 *
 * Written for SQLite 3.15.2 (SQLCipher 3.4.1): no UPSERT, no window
 * functions, no RETURNING, no JSON1, no STRICT, no generated columns.
 * Dates are TEXT in ISO 8601 (YYYY-MM-DD, times in UTC with a Z), so they
 * sort and compare as text. There is deliberately no column for the
 * individual number (個人番号, My Number): it never leaves the register's
 * national-linkage system (DOMAIN §2, C10).
 */
#include "store/migrate.h"

const char store_entities_v1_sql[] =
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
"  code TEXT PRIMARY KEY, name TEXT NOT NULL, amount_yen INTEGER) WITHOUT ROWID;";

/*
 * Version 2: enrolled fingerprints, held by the register and by every
 * workstation, so a user enrolled on one workstation can log in on the
 * others (with readers of the same kind). The key print_id is
 * "<user_id>:<finger>:<driver>", one print per finger and kind of reader.
 * print_data is the base64 of libfprint's serialized print: biometric
 * data, which is why it lives only in these encrypted stores.
 */
const char store_fingerprints_v2_sql[] =
"CREATE TABLE fingerprints ("
"  print_id    TEXT PRIMARY KEY,"
"  user_id     TEXT NOT NULL,"
"  finger      INTEGER NOT NULL CHECK (finger BETWEEN 1 AND 10),"
"  driver      TEXT NOT NULL,"
"  print_data  TEXT NOT NULL,"
"  enrolled_at TEXT NOT NULL,"
"  enrolled_on TEXT NOT NULL"		/* workstation ID */
") WITHOUT ROWID;"
"CREATE INDEX fingerprints_by_user ON fingerprints (user_id);";

/*
 * Version 4: master data and batches travel through sync, and sync names
 * an entity by one key column, so a lot is keyed by its number alone
 * (makers number their lots uniquely; a lot number shared by two vaccines
 * would be an error in the master data, refused at import). Nothing wrote
 * to lots before this version, so the table is simply made again.
 */
const char store_entities_v4_sql[] =
"DROP TABLE lots;"
"CREATE TABLE lots ("
"  lot_no TEXT PRIMARY KEY, vaccine_code TEXT NOT NULL, maker_code TEXT NOT NULL,"
"  expiry TEXT NOT NULL) WITHOUT ROWID;"
"CREATE INDEX lots_by_vaccine ON lots (vaccine_code, expiry);"
"CREATE INDEX doctors_by_institution ON doctors (institution_code);";

/*
 * 予診票の綴り as both stores hold it from version 4 (the workstation
 * cache had the table from version 1 without closed_by). The counts of
 * entered, verified and voided sheets are not stored: they are counted
 * from the records that name the batch, so they cannot disagree.
 */
const char store_batches_v4_sql[] =
"CREATE TABLE batches ("
"  batch_id         TEXT PRIMARY KEY,"
"  institution_code TEXT NOT NULL,"
"  billing_month    TEXT NOT NULL,"		/* 請求年月 */
"  claimed_count    INTEGER NOT NULL CHECK (claimed_count >= 0),"
"  received_on      TEXT,"
"  state            TEXT NOT NULL DEFAULT 'open'"
"                   CHECK (state IN ('open','entered','verified','closed')),"
"  opened_by        TEXT NOT NULL,"
"  opened_at        TEXT NOT NULL,"
"  closed_at        TEXT,"
"  closed_by        TEXT"
") WITHOUT ROWID;";

/*
 * The review queue, as both stores hold it from version 4: what the
 * register did not simply apply (a conflict, a rejection, a possible
 * duplicate, a correction waiting for approval), with both sides, and the
 * supervisor's decision and its reason. The register keeps it; pull sends
 * it to the workstations, where supervisors decide (ARCHITECTURE §4:
 * conflicts are never resolved silently). payload is the change's data:
 * personal data, kept only in these encrypted stores.
 */
const char store_review_v4_sql[] =
"CREATE TABLE review_queue ("
"  id              INTEGER PRIMARY KEY,"
"  kind            TEXT NOT NULL"
"                  CHECK (kind IN ('conflict','rejected','duplicate','correction')),"
"  uuid            TEXT NOT NULL UNIQUE,"		/* the change's */
"  workstation_id  TEXT NOT NULL,"
"  change_kind     TEXT NOT NULL,"
"  payload         TEXT NOT NULL,"
"  reason          TEXT NOT NULL,"
"  created_at      TEXT NOT NULL,"
"  decided_by      TEXT,"
"  decided_at      TEXT,"
"  decision        TEXT CHECK (decision IN ('approve','reject')),"
"  decision_reason TEXT"
");";
