/*
 * cmd_provision.c: `sesshu provision`: run once by an IS administrator on
 * a new workstation. Creates the encrypted cache and its master key,
 * escrows the key to the register, writes the administrator's key slot,
 * and pulls everything the workstation may hold.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "sync/replicate.h"

static int
exec_provision(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "register", required_argument, NULL, 'r' },
		{ "ca", required_argument, NULL, 'a' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "user", required_argument, NULL, 'u' },
		{ "password-fd", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct ws_provision_args a = { 0 };
	struct secret_source *secrets = NULL;
	struct sesshu_err err = { 0 };
	struct ws_sync_counts counts = { 0 };
	struct ws_session *s = NULL;
	int c, fd = -1, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': a.state_dir = optarg; break;
		case 'r': a.url = optarg; break;
		case 'a': a.ca = optarg; break;
		case 'c': a.cert = optarg; break;
		case 'k': a.key = optarg; break;
		case 'u': a.user_id = optarg; break;
		case 'p':
			if ((fd = cli_parse_fd(optarg)) < 0)
				return cli_usage(&cli_cmd_provision);
			break;
		default: return cli_usage(&cli_cmd_provision);
		}
	}
	if (a.state_dir == NULL || a.url == NULL || a.ca == NULL || a.cert == NULL ||
	    a.key == NULL || a.user_id == NULL || optind != argc)
		return cli_usage(&cli_cmd_provision);
	if (cli_secrets_open(fd, &secrets, &err) != 0)
		return cli_fail(&cli_cmd_provision, "%s", err.msg);
	rc = ws_provision(&a, cli_ask, secrets, &s, &err);
	secret_source_close(secrets);
	if (rc != 0)
		return cli_fail(&cli_cmd_provision, "%s", err.msg);
	printf("provisioned workstation %s of municipality %s in %s\n",
	    s->cfg.workstation_id, s->cfg.municipality, a.state_dir);
	if (ws_pull(s, &counts, &err) != 0) {
		ws_session_close(s);
		return cli_fail(&cli_cmd_provision, "provisioned, but the first pull "
		    "failed (run sesshu sync to finish): %s", err.msg);
	}
	printf("pulled %ld changes\n", counts.pulled);
	ws_session_close(s);
	return 0;
}

const struct cli_cmd cli_cmd_provision = {
	.name = "provision",
	.usage = "--state DIR --register URL --ca FILE --cert FILE --key FILE "
	    "--user ID [--password-fd N]",
	.summary = "set up this workstation (run once, by an IS administrator)",
	.exec = exec_provision,
};
