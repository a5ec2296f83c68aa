/* cmd.c: helpers shared by the commands; see cmd.h. */
#include "register/cmd.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
cmd_fail(const struct reg_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sesshu-registerd %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int
cmd_usage(const struct reg_cmd *cmd)
{
	fprintf(stderr, "usage: sesshu-registerd %s %s\n", cmd->name, cmd->usage);
	return 2;
}

/*
 * Administration runs on the register host as a local account: that
 * account's name is the actor (e.g. "admin:root"), so the trail says who
 * ran the command even before any sesshu user exists. Under sudo, the
 * person who ran sudo is named too ("admin:root via sudo from tanaka").
 */
const char *
cmd_actor(void)
{
	static char actor[160];
	struct passwd *pw = getpwuid(getuid());
	const char *sudo_user = getenv("SUDO_USER");

	if (sudo_user != NULL && sudo_user[0] != '\0')
		snprintf(actor, sizeof(actor), "admin:%s via sudo from %.64s",
		    pw != NULL ? pw->pw_name : "?", sudo_user);
	else
		snprintf(actor, sizeof(actor), "admin:%s",
		    pw != NULL ? pw->pw_name : "?");
	return actor;
}
