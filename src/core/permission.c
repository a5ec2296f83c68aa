/* permission.c: the permission matrix; see permission.h. */
#include "core/permission.h"

#include <stddef.h>
#include <string.h>

#define P(perm)	(1u << (perm))

/*
 * DOMAIN §1. Clerks verify each other's sheets too (a city with few staff
 * has no separate verifiers; 004 L197 asks only for another person). The
 * IS administrator applies rights and provisions but approves nothing
 * (004 L230, L240); the auditor reads.
 */
static const struct {
	const char	*role;
	unsigned	 perms;
} matrix[] = {
	{ "clerk", P(CORE_PERM_LOOKUP) | P(CORE_PERM_ENTRY) | P(CORE_PERM_VERIFY) |
	    P(CORE_PERM_CORRECT) | P(CORE_PERM_RIGHTS_REQUEST) },
	{ "verifier", P(CORE_PERM_LOOKUP) | P(CORE_PERM_ENTRY) |
	    P(CORE_PERM_VERIFY) | P(CORE_PERM_CORRECT) |
	    P(CORE_PERM_RIGHTS_REQUEST) },
	{ "supervisor", P(CORE_PERM_LOOKUP) | P(CORE_PERM_VERIFY) |
	    P(CORE_PERM_CORRECT) | P(CORE_PERM_REVIEW) |
	    P(CORE_PERM_AUDIT_VIEW) | P(CORE_PERM_AUDIT_EXPORT) |
	    P(CORE_PERM_RIGHTS_REQUEST) | P(CORE_PERM_RIGHTS_APPROVE) },
	{ "is-admin", P(CORE_PERM_RIGHTS_REQUEST) | P(CORE_PERM_RIGHTS_APPLY) |
	    P(CORE_PERM_AUDIT_VIEW) },
	{ "auditor", P(CORE_PERM_AUDIT_VIEW) | P(CORE_PERM_AUDIT_EXPORT) },
};

static const char *const names[CORE_PERM_COUNT] = {
	[CORE_PERM_LOOKUP] = "lookup",
	[CORE_PERM_ENTRY] = "entry",
	[CORE_PERM_VERIFY] = "verify",
	[CORE_PERM_CORRECT] = "correct",
	[CORE_PERM_REVIEW] = "review",
	[CORE_PERM_AUDIT_VIEW] = "audit-view",
	[CORE_PERM_AUDIT_EXPORT] = "audit-export",
	[CORE_PERM_RIGHTS_REQUEST] = "rights-request",
	[CORE_PERM_RIGHTS_APPROVE] = "rights-approve",
	[CORE_PERM_RIGHTS_APPLY] = "rights-apply",
};

int
core_role_may(const char *role, enum core_perm perm)
{
	if (role == NULL || (unsigned)perm >= CORE_PERM_COUNT)
		return 0;
	for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		if (strcmp(matrix[i].role, role) == 0)
			return (matrix[i].perms & P(perm)) != 0;
	return 0;
}

const char *
core_perm_name(enum core_perm perm)
{
	return (unsigned)perm < CORE_PERM_COUNT ? names[perm] : "?";
}

int
core_role_is_valid(const char *role)
{
	for (size_t i = 0; role != NULL &&
	    i < sizeof(matrix) / sizeof(matrix[0]); i++)
		if (strcmp(matrix[i].role, role) == 0)
			return 1;
	return 0;
}
