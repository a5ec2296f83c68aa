/*
 * cmd_serve.c: `sesshu-registerd serve`: runs the register on the network.
 *
 * Every refused connection or request is logged and written to the
 * register's audit trail, with the certificate subject and the reason,
 * never with a body. SIGTERM and SIGINT stop it gracefully: no request is
 * cut off half-way, so a change acknowledged to a workstation is committed.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "register/cmd.h"
#include "register/reg.h"
#include "register/reg_log.h"
#include "register/reg_service.h"
#include "register/server.h"

static void
on_refusal(void *ctx, const struct reg_peer *peer, const char *what,
    const char *reason)
{
	struct reg_service *svc = ctx;
	struct sesshu_err err = { 0 };
	char object[400], outcome[400], action[64];
	const char *ws = peer->workstation_id[0] != '\0' ? peer->workstation_id : "-";

	/* server.c has logged it; this adds it to the audit trail. */
	snprintf(action, sizeof(action), "refused.%s", strcmp(what, "tls") == 0 ?
	    "tls" : "request");
	snprintf(object, sizeof(object), "%s %s %s", what, peer->addr[0] != '\0' ?
	    peer->addr : "-", peer->subject[0] != '\0' ? peer->subject : "-");
	snprintf(outcome, sizeof(outcome), "refused: %s", reason);
	if (reg_audit(svc->reg, "-", ws, action, object, outcome, &err) != 0)
		reg_log(REG_LOG_ERR, "cannot audit a refusal: %s", err.msg);
}

static int
exec_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "ca", required_argument, NULL, 'a' },
		{ "crl", required_argument, NULL, 'r' },
		{ "allow-tls12", no_argument, NULL, '2' },
		{ NULL, 0, NULL, 0 },
	};
	struct reg_server_config cfg = { .listen = "127.0.0.1:8443" };
	struct sesshu_err err = { 0 };
	struct reg_service svc = { 0 };
	struct reg_server *srv = NULL;
	struct event_base *base;
	const char *dir = NULL;
	int c, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'l': cfg.listen = optarg; break;
		case 'c': cfg.cert = optarg; break;
		case 'k': cfg.key = optarg; break;
		case 'a': cfg.ca = optarg; break;
		case 'r': cfg.crl = optarg; break;
		case '2': cfg.allow_tls12 = 1; break;
		default: return cmd_usage(&reg_cmd_serve);
		}
	}
	if (dir == NULL || cfg.cert == NULL || cfg.key == NULL || cfg.ca == NULL ||
	    optind != argc)
		return cmd_usage(&reg_cmd_serve);
	if (reg_open(&svc.reg, dir, &err) != 0)
		return cmd_fail(&reg_cmd_serve, "%s", err.msg);
	cfg.municipality = svc.reg->municipality;
	if ((base = event_base_new()) == NULL) {
		reg_close(svc.reg);
		return cmd_fail(&reg_cmd_serve, "cannot create the event loop");
	}
	if (reg_server_new(&srv, base, &cfg, reg_service_routes, &svc, on_refusal,
	    &err) != 0 || reg_server_stop_on_signals(srv, &err) != 0) {
		cmd_fail(&reg_cmd_serve, "%s", err.msg);
		goto out;
	}
	reg_log(REG_LOG_INFO, "register of municipality %s listening on port %d",
	    svc.reg->municipality, reg_server_port(srv));
	/* Tests and the demo wait for this line on stdout. */
	printf("listening on port %d\n", reg_server_port(srv));
	fflush(stdout);
	reg_audit(svc.reg, REG_ACTOR, REG_ACTOR, "register.start", cfg.listen, "ok",
	    NULL);
	event_base_dispatch(base);
	reg_audit(svc.reg, REG_ACTOR, REG_ACTOR, "register.stop", cfg.listen, "ok",
	    NULL);
	reg_log(REG_LOG_INFO, "stopped");
	rc = 0;
out:
	reg_server_free(srv);
	event_base_free(base);
	reg_close(svc.reg);
	return rc;
}

const struct reg_cmd reg_cmd_serve = {
	.name = "serve",
	.usage = "--data DIR [--listen HOST:PORT] --cert FILE --key FILE --ca FILE "
	    "[--crl FILE] [--allow-tls12]",
	.summary = "serve workstations over mutually authenticated TLS",
	.exec = exec_serve,
};
