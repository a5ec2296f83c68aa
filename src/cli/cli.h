/*
 * cli.h: the command-line commands of `sesshu`, one per file (cmd_*.c),
 * listed in one table in sesshu_main.c. The full-screen TUI is the
 * default; these are for administrators and scripts.
 *
 * A command returns the process exit status: 0 done, 1 failed, 2 usage.
 * Output never contains a secret or a resident's personal data.
 */
#ifndef SESSHU_CLI_CLI_H
#define SESSHU_CLI_CLI_H

#include "cli/secret_input.h"
#include "sync/account.h"

struct cli_cmd {
	const char	*name;
	const char	*usage;
	const char	*summary;
	int		 (*exec)(int argc, char **argv);
};

extern const struct cli_cmd cli_cmd_enroll;
extern const struct cli_cmd cli_cmd_provision;
extern const struct cli_cmd cli_cmd_sync;
extern const struct cli_cmd cli_cmd_tui;

int	cli_fail(const struct cli_cmd *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	cli_usage(const struct cli_cmd *cmd);

/*
 * Opens the source of secrets: the file descriptor given with
 * --password-fd (fd >= 0), else the terminal.
 */
int	cli_secrets_open(int fd, struct secret_source **out,
	    struct sesshu_err *err);

/* A ws_ask_fn reading from a struct secret_source (the ctx). */
int	cli_ask(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
	    struct sesshu_err *err);

/* Parses --password-fd's argument; -1 when it is not a file descriptor. */
int	cli_parse_fd(const char *s);

#endif
