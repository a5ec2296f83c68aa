/*
 * permission.h: the permission matrix: which role may do what (DOMAIN §1,
 * C6: least privilege by role). One table, read by both programs: the
 * workstation offers only what a user's role may do, and the register
 * refuses whatever a workstation should not have sent (a record entered
 * or verified, a decision taken, by a role without the right).
 *
 * The rules about persons (nobody verifies their own entry, approves
 * their own request or a right for themselves) are not here: they are
 * about who, not which role, and live with the act they guard.
 * No I/O; the table is constant.
 */
#ifndef SESSHU_CORE_PERMISSION_H
#define SESSHU_CORE_PERMISSION_H

enum core_perm {
	CORE_PERM_LOOKUP,	/* see a person and their records (宛名照会) */
	CORE_PERM_ENTRY,	/* open batches and key sheets (予診票入力) */
	CORE_PERM_VERIFY,	/* re-key another user's sheets (照合) */
	CORE_PERM_CORRECT,	/* correct or void a record (職権修正, 取消) */
	CORE_PERM_REVIEW,	/* decide review items: conflicts, duplicates,
				   correction requests (所属長) */
	CORE_PERM_AUDIT_VIEW,	/* read the audit trail */
	CORE_PERM_AUDIT_EXPORT,	/* export it (C8: approved and logged) */
	CORE_PERM_RIGHTS_REQUEST, /* request an access right */
	CORE_PERM_RIGHTS_APPROVE, /* approve one (never one's own) */
	CORE_PERM_RIGHTS_APPLY,	/* apply an approved one (IS administrator) */
	CORE_PERM_COUNT
};

/* 1 when role may do perm; 0 for an unknown role or permission. */
int	core_role_may(const char *role, enum core_perm perm);

/* "entry" and so on: the permission's name in messages and the audit. */
const char *core_perm_name(enum core_perm perm);

/* Nonzero for one of the five roles. */
int	core_role_is_valid(const char *role);

#endif
