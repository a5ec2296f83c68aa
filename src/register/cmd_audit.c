/*
 * cmd_audit.c: `sesshu-registerd audit verify`: walks the register's audit
 * trail and says whether its HMAC chain holds, naming the first entry that
 * does not (store/audit.h). Exits 1 when it does not verify.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "register/cmd.h"
#include "register/reg.h"
#include "store/audit.h"

static int
exec_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct audit_verify_result res;
	struct sesshu_err err = { 0 };
	const char *dir = NULL;
	struct reg *reg;
	int c, rc;

	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return cmd_usage(&reg_cmd_audit);
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c != 'd')
			return cmd_usage(&reg_cmd_audit);
		dir = optarg;
	}
	if (dir == NULL || optind != argc - 1)
		return cmd_usage(&reg_cmd_audit);
	if (reg_open(&reg, dir, &err) != 0)
		return cmd_fail(&reg_cmd_audit, "%s", err.msg);
	rc = audit_verify(reg->st, &res, &err);
	if (rc == 0)
		printf("the audit trail verifies: %lld entries\n", (long long)res.entries);
	else
		cmd_fail(&reg_cmd_audit, "%s (%lld entries verified before it)",
		    err.msg, (long long)res.entries);
	reg_close(reg);
	return rc == 0 ? 0 : 1;
}

const struct reg_cmd reg_cmd_audit = {
	.name = "audit",
	.usage = "verify --data DIR",
	.summary = "check the register's audit trail (its HMAC chain)",
	.exec = exec_audit,
};
