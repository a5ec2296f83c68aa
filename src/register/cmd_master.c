/*
 * cmd_master.c: `sesshu-registerd import-master`: load master data files
 * (the files in forms/master) into the register, all or nothing; workstations
 * receive them at their next sync (reg_master.c).
 */
#include <getopt.h>
#include <stdio.h>

#include "register/cmd.h"
#include "register/reg.h"
#include "register/reg_master.h"

static int
exec_master(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sesshu_err err = { 0 };
	struct reg_master_result res;
	const char *dir = NULL;
	struct reg *reg;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'h':
			printf("usage: sesshu-registerd %s %s\n",
			    reg_cmd_import_master.name, reg_cmd_import_master.usage);
			return 0;
		default:
			return cmd_usage(&reg_cmd_import_master);
		}
	}
	if (dir == NULL || optind >= argc)
		return cmd_usage(&reg_cmd_import_master);
	if (reg_open(&reg, dir, &err) != 0)
		return cmd_fail(&reg_cmd_import_master, "%s", err.msg);
	rc = reg_master_import(reg, argv + optind, (size_t)(argc - optind),
	    cmd_actor(), &res, &err);
	reg_close(reg);
	if (rc != 0)
		return cmd_fail(&reg_cmd_import_master, "%s (nothing was imported)",
		    err.msg);
	printf("imported master data: %lu rows, %lu new or changed\n", res.rows,
	    res.changed);
	return 0;
}

const struct reg_cmd reg_cmd_import_master = {
	.name = "import-master",
	.usage = "--data DIR FILE...",
	.summary = "load master data (forms/master/*.json), all or nothing",
	.exec = exec_master,
};
