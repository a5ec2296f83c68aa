/*
 * cmd_sync.c: `sesshu sync`: logs a user in (offline from the key slot,
 * or online on the first login here) under the [login] policy of the
 * settings file (--config, else /etc/sesshu/sesshu.conf when it exists),
 * pushes the outbox, pulls changes, and prints the counts.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "sync/replicate.h"

static int
exec_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "password-fd", required_argument, NULL, 'p' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *user = NULL, *config = NULL;
	struct ws_settings settings;
	struct secret_source *secrets = NULL;
	struct sesshu_err err = { 0 };
	struct ws_sync_counts counts;
	struct ws_session *s = NULL;
	long pending = 0;
	int c, fd = -1, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': state = optarg; break;
		case 'u': user = optarg; break;
		case 'c': config = optarg; break;
		case 'p':
			if ((fd = cli_parse_fd(optarg)) < 0)
				return cli_usage(&cli_cmd_sync);
			break;
		default: return cli_usage(&cli_cmd_sync);
		}
	}
	if (state == NULL || user == NULL || optind != argc)
		return cli_usage(&cli_cmd_sync);
	if (ws_settings_load(config, config == NULL, &settings, &err) != 0)
		return cli_fail(&cli_cmd_sync, "%s", err.msg);
	if (cli_secrets_open(fd, &secrets, &err) != 0)
		return cli_fail(&cli_cmd_sync, "%s", err.msg);
	rc = ws_login_with_settings(state, user, &settings, cli_ask, secrets, &s,
	    &err);
	secret_source_close(secrets);
	if (rc != 0)
		return cli_fail(&cli_cmd_sync, "%s", err.msg);
	rc = ws_sync(s, &counts, &err);
	printf("pushed %ld, acknowledged %ld, pulled %ld, in conflict %ld, "
	    "rejected %ld\n", counts.pushed, counts.acknowledged, counts.pulled,
	    counts.conflicts, counts.rejected);
	if (counts.slots_removed > 0)
		printf("removed the key slots of %ld users who may no longer log in "
		    "here\n", counts.slots_removed);
	if (rc == 0 && ws_outbox_pending(s->st, &pending, &err) == 0 && pending > 0)
		printf("%ld changes still wait to be sent\n", pending);
	ws_session_close(s);
	if (rc != 0)
		return cli_fail(&cli_cmd_sync, "%s", err.msg);
	return 0;
}

const struct cli_cmd cli_cmd_sync = {
	.name = "sync",
	.usage = "--state DIR --user ID [--password-fd N] [--config FILE]",
	.summary = "log in, push local changes and pull the register's",
	.exec = exec_sync,
};
