/*
 * test_permission.c: the permission matrix (core/permission.h): each role
 * may do what DOMAIN §1 gives it and nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/permission.h"

static void
test_permission_matrix_gives_each_role_its_work_only(void **state)
{
	static const struct {
		const char	*role;
		const char	*may;	/* one letter a permission, in enum order */
	} want[] = {
		/*               LEVCRAXQPY */
		{ "clerk",      "LEVC...Q.." },
		{ "verifier",   "LEVC...Q.." },
		{ "supervisor", "L.VCRAXQP." },
		{ "is-admin",   ".....A.Q.Y" },
		{ "auditor",    ".....AX..." },
	};

	(void)state;
	for (size_t r = 0; r < sizeof(want) / sizeof(want[0]); r++) {
		assert_true(core_role_is_valid(want[r].role));
		for (int p = 0; p < CORE_PERM_COUNT; p++) {
			int expected = want[r].may[p] != '.';

			if (core_role_may(want[r].role, (enum core_perm)p) != expected)
				fail_msg("%s %s %s", want[r].role, expected ?
				    "lacks" : "has", core_perm_name((enum core_perm)p));
		}
	}
}

static void
test_permission_unknown_roles_and_permissions_may_nothing(void **state)
{
	(void)state;
	assert_false(core_role_is_valid("admin"));
	assert_false(core_role_is_valid(NULL));
	assert_false(core_role_may("admin", CORE_PERM_LOOKUP));
	assert_false(core_role_may(NULL, CORE_PERM_LOOKUP));
	assert_false(core_role_may("clerk", CORE_PERM_COUNT));
	assert_false(core_role_may("clerk", (enum core_perm)-1));
	assert_string_equal(core_perm_name(CORE_PERM_REVIEW), "review");
	assert_string_equal(core_perm_name(CORE_PERM_COUNT), "?");
}

/* Nobody both applies rights and approves them (004 L230, L240). */
static void
test_permission_no_role_both_approves_and_applies_rights(void **state)
{
	static const char *const roles[] = {
		"clerk", "verifier", "supervisor", "is-admin", "auditor",
	};

	(void)state;
	for (size_t r = 0; r < sizeof(roles) / sizeof(roles[0]); r++)
		assert_false(core_role_may(roles[r], CORE_PERM_RIGHTS_APPROVE) &&
		    core_role_may(roles[r], CORE_PERM_RIGHTS_APPLY));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permission_matrix_gives_each_role_its_work_only),
		cmocka_unit_test(test_permission_unknown_roles_and_permissions_may_nothing),
		cmocka_unit_test(test_permission_no_role_both_approves_and_applies_rights),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
