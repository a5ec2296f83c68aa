/*
 * sesshu_main.c: entry point of the workstation program `sesshu`.
 *
 * Hardens the process before anything else, then dispatches the command.
 */
#include <stdio.h>
#include <string.h>

#include "auth/harden.h"
#include "version.h"

static void
usage(FILE *out)
{
	fputs("usage: sesshu --version\n"
	    "       sesshu --help\n", out);
}

int
main(int argc, char **argv)
{
	struct sesshu_err err = { 0 };

	if (sesshu_harden_process(&err) != 0) {
		fprintf(stderr, "sesshu: %s\n", err.msg);
		return 1;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("sesshu %s\n", SESSHU_VERSION);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
