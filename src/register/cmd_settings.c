/*
 * cmd_settings.c: `sesshu-registerd settings list|set`: the register's
 * policy settings (password length, history and age, lockout, activation
 * code validity), each within a range; changes are audited and take
 * effect when `serve` next starts.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "register/cmd.h"
#include "register/reg.h"

static void
print_setting(void *ctx, const char *key, int value, int dflt)
{
	(void)ctx;
	if (value == dflt)
		printf("%-24s %6d\n", key, value);
	else
		printf("%-24s %6d  (default %d)\n", key, value, dflt);
}

static int
exec_settings(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct sesshu_err err = { 0 };
	const char *dir = NULL, *sub;
	struct reg *reg;
	int c, rc = 0, rest;

	if (argc < 2)
		return cmd_usage(&reg_cmd_settings);
	sub = argv[1];
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c != 'd')
			return cmd_usage(&reg_cmd_settings);
		dir = optarg;
	}
	rest = argc - 1 - optind;
	if (dir == NULL || !((strcmp(sub, "list") == 0 && rest == 0) ||
	    (strcmp(sub, "set") == 0 && rest == 2)))
		return cmd_usage(&reg_cmd_settings);
	if (reg_open(&reg, dir, &err) != 0)
		return cmd_fail(&reg_cmd_settings, "%s", err.msg);
	if (strcmp(sub, "list") == 0)
		reg_settings_each(reg, print_setting, NULL);
	else if (reg_setting_set(reg, cmd_actor(), argv[1 + optind],
	    argv[2 + optind], &err) != 0)
		rc = cmd_fail(&reg_cmd_settings, "%s", err.msg);
	else
		printf("%s = %s; restart serve to apply it\n", argv[1 + optind],
		    argv[2 + optind]);
	reg_close(reg);
	return rc;
}

const struct reg_cmd reg_cmd_settings = {
	.name = "settings",
	.usage = "list --data DIR\n"
	    "       sesshu-registerd settings set --data DIR KEY VALUE",
	.summary = "show or change password and lockout settings",
	.exec = exec_settings,
};
