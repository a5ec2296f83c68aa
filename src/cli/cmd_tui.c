/*
 * cmd_tui.c: `sesshu [--state DIR] [--config FILE]`, also `sesshu tui`:
 * the full-screen workstation (src/tui). The state directory defaults to
 * $XDG_STATE_HOME/sesshu, else ~/.local/state/sesshu; the settings file to
 * /etc/sesshu/sesshu.conf, which may be absent (docs/CONFIG.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "tui/tui.h"

static int
default_state_dir(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	/* XDG: a relative XDG_STATE_HOME is invalid and to be ignored. */
	if (xdg != NULL && xdg[0] == '/')
		return snprintf(buf, size, "%s/sesshu", xdg) < (int)size ? 0 : -1;
	if (home != NULL && home[0] == '/')
		return snprintf(buf, size, "%s/.local/state/sesshu", home) <
		    (int)size ? 0 : -1;
	return -1;
}

static int
exec_tui(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_options opt = { NULL, NULL };
	struct sesshu_err err = { 0 };
	char state[4096];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': opt.state_dir = optarg; break;
		case 'c': opt.config = optarg; break;
		default: return cli_usage(&cli_cmd_tui);
		}
	}
	if (optind != argc)
		return cli_usage(&cli_cmd_tui);
	if (opt.state_dir == NULL) {
		if (default_state_dir(state, sizeof(state)) != 0)
			return cli_fail(&cli_cmd_tui, "no state directory: give "
			    "--state DIR (HOME and XDG_STATE_HOME are not set)");
		opt.state_dir = state;
	}
	if (tui_run(&opt, &err) != 0)
		return cli_fail(&cli_cmd_tui, "%s", err.msg);
	return 0;
}

const struct cli_cmd cli_cmd_tui = {
	.name = "tui",
	.usage = "[--state DIR] [--config FILE]",
	.summary = "the full-screen workstation (also: sesshu with no command)",
	.exec = exec_tui,
};
