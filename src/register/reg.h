/*
 * reg.h: one open register: its data directory, its encrypted store, its
 * municipality code and settings, and the change sequence.
 *
 * The store's key is 32 random bytes kept in DIR/register.key (mode 0600),
 * or, under systemd, in $CREDENTIALS_DIRECTORY/register-key. The register
 * holds the only copy of password verifiers and escrowed workstation keys.
 * Never logs personal data: messages name tables, IDs of users and
 * workstations, and files, never a resident's field.
 */
#ifndef SESSHU_REGISTER_REG_H
#define SESSHU_REGISTER_REG_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

#define REG_KEY_FILE		"register.key"
#define REG_CREDENTIAL_NAME	"register-key"
#define REG_STORE_FILE		"register.db"
#define REG_ACTOR		"register"	/* audit user/workstation of the daemon itself */

extern const struct store_schema reg_store_schema;

/*
 * users.password_expires_at in SQL: the time column changed plus days
 * (an SQL expression giving a number), in the stores' form with the
 * milliseconds zero. The one definition of a password's expiry.
 */
#define REG_PASSWORD_EXPIRY_SQL(changed, days) \
	"strftime('%Y-%m-%dT%H:%M:%S.000Z', " changed ", '+' || " days \
	" || ' days')"

/*
 * Numbers a change of every user again, so that workstations pull them
 * all (users are only ever upserted: IDs are never reused or deleted).
 */
#define REG_RENUMBER_USERS_SQL \
	"DELETE FROM changes WHERE kind = 'user';" \
	"INSERT INTO changes (kind, key, op)" \
	" SELECT 'user', user_id, 'upsert' FROM users ORDER BY user_id;"

struct reg_settings {
	int	password_min_length;		/* default 12 */
	int	password_history;		/* default 5: none of the last n */
	int	password_max_age_days;		/* default 90 (C3) */
	int	lockout_threshold;		/* default 5 failures */
	int	lockout_minutes;		/* default 15 */
	int	activation_valid_days;		/* default 14 */
};

struct reg {
	struct store		*st;
	char			*dir;
	char			 municipality[7];	/* 地方公共団体コード */
	struct reg_settings	 settings;
};

/*
 * Creates DIR (mode 0700) with a new key and an empty store for the
 * municipality. Refuses an existing store. muni_flags: CORE_MUNI_ALLOW_TEST
 * admits the synthetic prefecture 99 (demo and test cities only).
 */
int	reg_init(const char *dir, const char *municipality, unsigned muni_flags,
	    struct sesshu_err *err);

/* Opens the register in DIR; *out is the caller's, for reg_close(). */
int	reg_open(struct reg **out, const char *dir, struct sesshu_err *err);
void	reg_close(struct reg *reg);

/*
 * Sets one of struct reg_settings by name, within its allowed range, and
 * audits it. A running `serve` reads settings at start: restart it.
 */
int	reg_setting_set(struct reg *reg, const char *actor, const char *key,
	    const char *value, struct sesshu_err *err);

/* Calls fn for each setting with its current value and its default. */
void	reg_settings_each(struct reg *reg, void (*fn)(void *ctx,
	    const char *key, int value, int dflt), void *ctx);

/*
 * Numbers a change of (kind, key) with the next sequence number, replacing
 * the entity's earlier change. Call inside the transaction of the change.
 */
int	reg_note_change(struct reg *reg, const char *kind, const char *key,
	    const char *op, int64_t *seq, struct sesshu_err *err);

/* Appends to the register's audit trail; action/object/outcome as in audit.h. */
int	reg_audit(struct reg *reg, const char *user_id, const char *workstation_id,
	    const char *action, const char *object, const char *outcome,
	    struct sesshu_err *err);

#endif
