/*
 * cmd_import.c: `sesshu-registerd import-residents` and `import-records`:
 * load a resident extract or the previous system's vaccination records
 * into the register, all or nothing (docs/IMPORT.md; the work is in
 * reg_import.c).
 *
 * Prints each problem as FILE:LINE: column: problem on stderr and one
 * summary line; never prints a value from the file other than what core's
 * messages show (codes, dates, numbers).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "register/cmd.h"
#include "register/reg.h"
#include "register/reg_import.h"

/* The local calendar day: the register's "today" for future dates. */
static int
local_today(struct core_date *out)
{
	struct tm tm;
	time_t now = time(NULL);

	if (localtime_r(&now, &tm) == NULL)
		return -1;
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	return 0;
}

static int
exec_import(const struct reg_cmd *cmd, enum reg_import_kind kind, int argc,
    char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "today", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct reg_import_opts o = { .kind = kind, .encoding = REG_IMPORT_UTF8,
	    .report = stderr };
	struct sesshu_err err = { 0 };
	struct reg_import_result res;
	struct timespec t0, t1;
	const char *dir = NULL, *today = NULL, *path;
	struct reg *reg;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'e':
			if (strcmp(optarg, "utf-8") == 0 ||
			    strcmp(optarg, "utf8") == 0)
				o.encoding = REG_IMPORT_UTF8;
			else if (strcmp(optarg, "cp932") == 0)
				o.encoding = REG_IMPORT_CP932;
			else {
				cmd_fail(cmd, "--encoding: \"%s\" is neither "
				    "utf-8 nor cp932", optarg);
				return cmd_usage(cmd);
			}
			break;
		case 't':
			today = optarg;
			break;
		case 'h':
			printf("usage: sesshu-registerd %s %s\n", cmd->name,
			    cmd->usage);
			return 0;
		default:
			return cmd_usage(cmd);
		}
	}
	if (dir == NULL || optind != argc - 1)
		return cmd_usage(cmd);
	path = argv[optind];
	if (today != NULL) {
		if (core_date_parse(today, strlen(today), &o.today,
		    &err) != 0) {
			cmd_fail(cmd, "--today: %s", err.msg);
			return cmd_usage(cmd);
		}
	} else if (local_today(&o.today) != 0)
		return cmd_fail(cmd, "cannot tell today's date");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (reg_open(&reg, dir, &err) != 0)
		return cmd_fail(cmd, "%s", err.msg);
	o.actor = cmd_actor();
	rc = reg_import_file(reg, path, &o, &res, &err);
	reg_close(reg);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc != 0 && res.bad > 0) {
		/* The problems are printed; the summary stands alone. */
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	if (rc != 0)
		return cmd_fail(cmd, "%s", err.msg);
	printf("imported %s: %lu new, %lu changed, %lu unchanged (%.1f s)\n",
	    path, res.added, res.changed, res.unchanged,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

static int
exec_residents(int argc, char **argv)
{
	return exec_import(&reg_cmd_import_residents, REG_IMPORT_RESIDENTS,
	    argc, argv);
}

static int
exec_records(int argc, char **argv)
{
	return exec_import(&reg_cmd_import_records, REG_IMPORT_RECORDS, argc,
	    argv);
}

const struct reg_cmd reg_cmd_import_residents = {
	.name = "import-residents",
	.usage = "--data DIR [--encoding utf-8|cp932] [--today YYYY-MM-DD] FILE",
	.summary = "import a resident extract (住民・宛名), all or nothing",
	.exec = exec_residents,
};

const struct reg_cmd reg_cmd_import_records = {
	.name = "import-records",
	.usage = "--data DIR [--encoding utf-8|cp932] [--today YYYY-MM-DD] FILE",
	.summary = "import vaccination records (接種記録) from the previous "
	    "system, all or nothing",
	.exec = exec_records,
};
