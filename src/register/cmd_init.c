/*
 * cmd_init.c: `sesshu-registerd init --data DIR --municipality CODE`:
 * creates a register for one municipality (地方公共団体コード, check digit
 * validated) with a new store key in DIR/register.key, mode 0600.
 */
#include <getopt.h>
#include <stdio.h>

#include "core/municipality.h"
#include "register/cmd.h"
#include "register/reg.h"

static int
exec_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "municipality", required_argument, NULL, 'm' },
		{ "synthetic", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *code = NULL;
	struct sesshu_err err = { 0 };
	unsigned flags = 0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'm': code = optarg; break;
		case 's': flags |= CORE_MUNI_ALLOW_TEST; break;
		default: return cmd_usage(&reg_cmd_init);
		}
	}
	if (dir == NULL || code == NULL || optind != argc)
		return cmd_usage(&reg_cmd_init);
	if (reg_init(dir, code, flags, &err) != 0)
		return cmd_fail(&reg_cmd_init, "%s", err.msg);
	printf("created the register of municipality %s in %s\n"
	    "its store key is %s/register.key (mode 0600): back it up apart from "
	    "the data,\nor move it to a systemd credential named register-key\n",
	    code, dir, dir);
	return 0;
}

const struct reg_cmd reg_cmd_init = {
	.name = "init",
	.usage = "--data DIR --municipality CODE [--synthetic]",
	.summary = "create a register for one municipality (--synthetic admits "
	    "the test prefecture 99)",
	.exec = exec_init,
};
