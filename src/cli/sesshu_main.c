/*
 * sesshu_main.c: entry point of the workstation program `sesshu`.
 *
 * Hardens the process before anything else (no core dumps, umask 077,
 * locked memory for keys), then runs one command from the table; with no
 * command (or only options) it runs the full-screen workstation.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "auth/harden.h"
#include "cli/cli.h"
#include "version.h"

static const struct cli_cmd *const commands[] = {
	&cli_cmd_provision,
	&cli_cmd_enroll,
	&cli_cmd_sync,
	&cli_cmd_tui,
};

/* What `sesshu` runs when no command is named. */
static const struct cli_cmd *const default_command = &cli_cmd_tui;

static void
usage(FILE *out)
{
	fprintf(out, "usage: sesshu %s\n"
	    "       sesshu COMMAND [OPTIONS]\n"
	    "       sesshu --version | --help\n\ncommands:\n",
	    default_command->usage);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n      %s %s\n", commands[i]->name,
		    commands[i]->summary, commands[i]->name, commands[i]->usage);
}

int
main(int argc, char **argv)
{
	struct sesshu_err err = { 0 };

	if (sesshu_harden_process(&err) != 0) {
		fprintf(stderr, "sesshu: %s\n", err.msg);
		return 1;
	}
	setlocale(LC_ALL, "");
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("sesshu %s\n", SESSHU_VERSION);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc == 1 || argv[1][0] == '-')
		return default_command->exec(argc, argv);
	if (argc >= 2) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[1], commands[i]->name) == 0)
				return commands[i]->exec(argc - 1, argv + 1);
		fprintf(stderr, "sesshu: unknown command \"%s\"\n\n", argv[1]);
	}
	usage(stderr);
	return 2;
}
