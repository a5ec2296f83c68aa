/* cli.c: what the commands of `sesshu` share; see cli.h. */
#include "cli/cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int
cli_fail(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sesshu %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int
cli_usage(const struct cli_cmd *cmd)
{
	fprintf(stderr, "usage: sesshu %s %s\n", cmd->name, cmd->usage);
	return 2;
}

int
cli_secrets_open(int fd, struct secret_source **out, struct sesshu_err *err)
{
	return fd >= 0 ? secret_source_open_fd(out, fd, err) :
	    secret_source_open_tty(out, err);
}

int
cli_ask(void *ctx, enum ws_ask what, const char *why, struct secbuf *out,
    struct sesshu_err *err)
{
	static const char *const prompts[] = {
		[WS_ASK_SECRET] = "Password (or one-time activation code): ",
		[WS_ASK_NEW_PASSWORD] = "New password: ",
		[WS_ASK_NEW_PASSWORD_AGAIN] = "New password again: ",
	};

	/* The register's reason goes to stderr, never with the secret. */
	if (why != NULL && why[0] != '\0')
		fprintf(stderr, "%s\n", why);
	return secret_read(ctx, prompts[what], out, err);
}

int
cli_parse_fd(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s != '\0' && *end == '\0' && v >= 0 && v <= INT_MAX ? (int)v : -1;
}
