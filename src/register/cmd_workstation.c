/*
 * cmd_workstation.c: `sesshu-registerd workstation add|revoke|list`.
 * A workstation is registered by the CN of its certificate; revoking it
 * stops its sync at once and destroys its escrowed key.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "register/cmd.h"
#include "register/reg.h"
#include "register/reg_workstations.h"

static int
ws_list(struct reg *reg)
{
	static const char sql[] =
	    "SELECT workstation_id, status, CASE WHEN master_key IS NULL THEN 'no'"
	    " ELSE 'yes' END, coalesce(last_seen_at, '-') FROM workstations"
	    " ORDER BY workstation_id";
	struct sesshu_err err = { 0 };
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(reg->st, sql, &stmt, &err) != 0)
		return cmd_fail(&reg_cmd_workstation, "%s", err.msg);
	printf("%-20s %-8s %-12s %s\n", "WORKSTATION", "STATUS", "PROVISIONED",
	    "LAST SEEN");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		printf("%-20s %-8s %-12s %s\n", sqlite3_column_text(stmt, 0),
		    sqlite3_column_text(stmt, 1), sqlite3_column_text(stmt, 2),
		    sqlite3_column_text(stmt, 3));
	store_stmt_done(stmt);
	if (store_check(reg->st, rc, "listing workstations", &err) != 0)
		return cmd_fail(&reg_cmd_workstation, "%s", err.msg);
	return 0;
}

static int
exec_workstation(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "id", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *id = NULL, *sub;
	struct sesshu_err err = { 0 };
	struct reg *reg;
	int c, rc;

	if (argc < 2)
		return cmd_usage(&reg_cmd_workstation);
	sub = argv[1];
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'i': id = optarg; break;
		default: return cmd_usage(&reg_cmd_workstation);
		}
	}
	if (dir == NULL || optind != argc - 1 ||
	    (strcmp(sub, "list") != 0 && id == NULL))
		return cmd_usage(&reg_cmd_workstation);
	if (reg_open(&reg, dir, &err) != 0)
		return cmd_fail(&reg_cmd_workstation, "%s", err.msg);
	rc = 0;
	if (strcmp(sub, "add") == 0) {
		if (reg_ws_add(reg, cmd_actor(), id, &err) != 0)
			rc = cmd_fail(&reg_cmd_workstation, "%s", err.msg);
		else
			printf("added workstation %s; issue it a certificate with "
			    "CN=%s, OU=%s and provision it with `sesshu provision`\n",
			    id, id, reg->municipality);
	} else if (strcmp(sub, "revoke") == 0) {
		if (reg_ws_revoke(reg, cmd_actor(), id, &err) != 0)
			rc = cmd_fail(&reg_cmd_workstation, "%s", err.msg);
		else
			printf("revoked workstation %s; also revoke its certificate "
			    "in the municipal CA's CRL\n", id);
	} else if (strcmp(sub, "list") == 0)
		rc = ws_list(reg);
	else
		rc = cmd_usage(&reg_cmd_workstation);
	reg_close(reg);
	return rc;
}

const struct reg_cmd reg_cmd_workstation = {
	.name = "workstation",
	.usage = "add|revoke --data DIR --id ID\n"
	    "       sesshu-registerd workstation list --data DIR",
	.summary = "add, revoke or list workstations",
	.exec = exec_workstation,
};
