/*
 * registerd_main.c: entry point of `sesshu-registerd`, the central register.
 *
 * Hardens the process before anything else (no core dumps, umask 077,
 * locked memory for keys), then runs one command from the table.
 */
#include <stdio.h>
#include <string.h>

#include "auth/harden.h"
#include "register/cmd.h"
#include "version.h"

static const struct reg_cmd *const commands[] = {
	&reg_cmd_init,
	&reg_cmd_import_residents,
	&reg_cmd_import_records,
	&reg_cmd_import_master,
	&reg_cmd_user,
	&reg_cmd_workstation,
	&reg_cmd_settings,
	&reg_cmd_audit,
	&reg_cmd_serve,
};

static void
usage(FILE *out)
{
	fputs("usage: sesshu-registerd COMMAND [OPTIONS]\n"
	    "       sesshu-registerd --version | --help\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-18s %s\n      %s %s\n", commands[i]->name,
		    commands[i]->summary, commands[i]->name, commands[i]->usage);
}

int
main(int argc, char **argv)
{
	struct sesshu_err err = { 0 };

	if (sesshu_harden_process(&err) != 0) {
		fprintf(stderr, "sesshu-registerd: %s\n", err.msg);
		return 1;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("sesshu-registerd %s\n", SESSHU_VERSION);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[1], commands[i]->name) == 0)
				return commands[i]->exec(argc - 1, argv + 1);
		fprintf(stderr, "sesshu-registerd: unknown command \"%s\"\n\n", argv[1]);
	}
	usage(stderr);
	return 2;
}
