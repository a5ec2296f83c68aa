/*
 * cmd_enroll.c: `sesshu enroll`: enrolls one finger of a user on this
 * workstation's fingerprint reader from the command line, for
 * administrators setting up workstations and for scripts/demo.
 *
 * Logs the user in (offline from the key slot, or online at the first
 * login here, under the [login] policy of the settings file; users enroll
 * their own fingers), opens the reader (--driver, else the settings
 * file's [fingerprint] driver, else the first reader found), runs the
 * enrollment through all of the reader's stages with "scan n of N" and
 * the reader's prompts on stderr, and saves the
 * print with ws_fingerprint_save: encrypted in the cache, with an outbox
 * entry that the next `sesshu sync` takes to the register, and an audit
 * entry. A failed or cancelled enrollment (Ctrl-C, SIGTERM, --timeout)
 * saves nothing and is audited too.
 *
 * Must never: print or log the print, or a secret.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib-unix.h>

#include "auth/fingerprint.h"
#include "auth/ws_settings.h"
#include "cli/cli.h"
#include "sync/replicate.h"
#include "sync/ws_prints.h"

#define ENROLL_TIMEOUT_DEFAULT	120	/* seconds for the whole enrollment */
#define ENROLL_TIMEOUT_MAX	3600

struct enroll_run {
	struct fingerprint_reader *r;
	int		 done;		/* stages completed */
	int		 nstages;
	int		 signalled;	/* SIGINT, SIGTERM or SIGHUP stopped it */
	int		 timed_out;	/* --timeout stopped it */
};

static void
on_event(const struct fingerprint_event *ev, void *ctx)
{
	struct enroll_run *run = ctx;
	int n = ev->nstages > 0 ? ev->nstages : run->nstages;

	switch (ev->kind) {
	case FINGERPRINT_EV_PLACE:
		fprintf(stderr, "scan %d of %d: %s\n", run->done + 1, n, ev->msg);
		break;
	case FINGERPRINT_EV_REMOVE:
		fprintf(stderr, "  %s\n", ev->msg);
		break;
	case FINGERPRINT_EV_RETRY:
		fprintf(stderr, "  scan %d of %d not usable: %s\n", run->done + 1,
		    n, ev->msg);
		break;
	case FINGERPRINT_EV_STAGE:
		run->done = ev->stage;
		fprintf(stderr, "scan %d of %d recorded\n", ev->stage, n);
		break;
	case FINGERPRINT_EV_SKIPPED:
		break;	/* verification only */
	}
	fflush(stderr);
}

static gboolean
on_signal(gpointer data)
{
	struct enroll_run *run = data;

	run->signalled = 1;
	fingerprint_cancel(run->r);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout(gpointer data)
{
	struct enroll_run *run = data;

	run->timed_out = 1;
	fingerprint_cancel(run->r);
	return G_SOURCE_REMOVE;
}

/* "right-index" etc. to the finger; FINGER_UNKNOWN when not a name. */
static enum fingerprint_finger
parse_finger(const char *s)
{
	for (int f = WS_FINGER_LEFT_THUMB; f <= WS_FINGER_RIGHT_LITTLE; f++)
		if (strcmp(s, ws_finger_name((enum ws_finger)f)) == 0)
			return (enum fingerprint_finger)f;
	return FINGER_UNKNOWN;
}

static int
bad_finger(const char *s)
{
	fprintf(stderr, "sesshu enroll: unknown finger \"%s\"; one of:", s);
	for (int f = WS_FINGER_LEFT_THUMB; f <= WS_FINGER_RIGHT_LITTLE; f++)
		fprintf(stderr, " %s", ws_finger_name((enum ws_finger)f));
	fputc('\n', stderr);
	return cli_usage(&cli_cmd_enroll);
}

static int
parse_timeout(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s != '\0' && *end == '\0' && v >= 1 && v <= ENROLL_TIMEOUT_MAX ?
	    (int)v : -1;
}

/* Audits a failed enrollment; the audit's own failure is not the news. */
static void
audit_failure(struct ws_session *s, const char *why)
{
	char object[64], outcome[96];

	snprintf(object, sizeof(object), "user:%s", s->user_id);
	snprintf(outcome, sizeof(outcome), "failed: %s", why);
	(void)ws_audit(s, "fingerprint.enroll", object, outcome, NULL);
}

/*
 * Runs the enrollment on the open reader with Ctrl-C, SIGTERM, SIGHUP and
 * the timeout cancelling it; the done callback's status.
 */
static int
run_enrollment(struct enroll_run *run, const char *user_id,
    enum fingerprint_finger finger, int timeout_s,
    struct fingerprint_blob *print, struct sesshu_err *err)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	guint sig_ids[sizeof(sigs) / sizeof(sigs[0])], timer;
	int rc;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sig_ids[i] = g_unix_signal_add(sigs[i], on_signal, run);
	timer = g_timeout_add_seconds((guint)timeout_s, on_timeout, run);
	rc = fingerprint_enroll(run->r, user_id, finger, on_event, run, print,
	    err);
	if (!run->timed_out)
		g_source_remove(timer);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		g_source_remove(sig_ids[i]);
	return rc;
}

static int
exec_enroll(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "finger", required_argument, NULL, 'f' },
		{ "driver", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "password-fd", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *user = NULL, *finger_arg = NULL;
	const char *driver = NULL, *config = NULL, *why;
	struct fingerprint_blob print = { NULL, 0 };
	struct secret_source *secrets = NULL;
	struct sesshu_err err = { 0 };
	struct enroll_run run = { 0 };
	struct ws_settings settings;
	struct ws_session *s = NULL;
	enum fingerprint_finger finger;
	char reader_driver[WS_DRIVER_MAX + 1], reader_name[128];
	long pending = 0;
	int c, fd = -1, timeout_s = ENROLL_TIMEOUT_DEFAULT, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': state = optarg; break;
		case 'u': user = optarg; break;
		case 'f': finger_arg = optarg; break;
		case 'd': driver = optarg; break;
		case 'c': config = optarg; break;
		case 't':
			if ((timeout_s = parse_timeout(optarg)) < 0) {
				fprintf(stderr, "sesshu enroll: --timeout %s: "
				    "expected seconds from 1 to %d\n", optarg,
				    ENROLL_TIMEOUT_MAX);
				return cli_usage(&cli_cmd_enroll);
			}
			break;
		case 'p':
			if ((fd = cli_parse_fd(optarg)) < 0)
				return cli_usage(&cli_cmd_enroll);
			break;
		default: return cli_usage(&cli_cmd_enroll);
		}
	}
	if (state == NULL || user == NULL || optind != argc)
		return cli_usage(&cli_cmd_enroll);
	if (ws_settings_load(config, config == NULL, &settings, &err) != 0)
		return cli_fail(&cli_cmd_enroll, "%s", err.msg);
	if (finger_arg != NULL) {
		if ((finger = parse_finger(finger_arg)) == FINGER_UNKNOWN)
			return bad_finger(finger_arg);
	} else
		finger = (enum fingerprint_finger)settings.finger;
	if (driver == NULL && settings.driver[0] != '\0')
		driver = settings.driver;

	if (cli_secrets_open(fd, &secrets, &err) != 0)
		return cli_fail(&cli_cmd_enroll, "%s", err.msg);
	rc = ws_login_with_settings(state, user, &settings, cli_ask, secrets,
	    &s, &err);
	if (rc != 0) {
		secret_source_close(secrets);
		return cli_fail(&cli_cmd_enroll, "%s", err.msg);
	}

	if (fingerprint_open(&run.r, driver, &err) != 0) {
		audit_failure(s, "no reader");
		secret_source_close(secrets);
		ws_session_close(s);
		return cli_fail(&cli_cmd_enroll, "%s", err.msg);
	}
	/*
	 * Without a password the register has just checked (a first login
	 * here), the register must check it now: ask for it again. After the
	 * reader, so that nobody types a password twice for a missing reader.
	 */
	if (!ws_enrollment_allowed(s)) {
		fprintf(stderr, "a new enrollment needs the register to check the "
		    "password of %s: asking for it again\n", user);
		if ((rc = ws_enrollment_confirm_online(s, cli_ask, secrets,
		    &err)) != 0) {
			fingerprint_close(run.r);
			secret_source_close(secrets);
			ws_session_close(s);
			return cli_fail(&cli_cmd_enroll, "%s", err.msg);
		}
	}
	secret_source_close(secrets);
	snprintf(reader_driver, sizeof(reader_driver), "%s",
	    fingerprint_reader_driver(run.r));
	snprintf(reader_name, sizeof(reader_name), "%s",
	    fingerprint_reader_name(run.r));
	run.nstages = fingerprint_reader_stages(run.r);
	fprintf(stderr, "enrolling the %s of %s on %s (%s): %d scans; "
	    "Ctrl-C cancels\n", fingerprint_finger_name(finger), s->user_id,
	    reader_name, reader_driver, run.nstages);
	fflush(stderr);

	rc = run_enrollment(&run, s->user_id, finger, timeout_s, &print, &err);
	fingerprint_close(run.r);
	if (rc == 0) {
		if ((rc = ws_fingerprint_save(s, s->user_id, finger,
		    reader_driver, &print, &err)) != 0)
			audit_failure(s, "not saved");
	} else {
		why = run.timed_out ? "timed out" : rc == SESSHU_ECANCELED ?
		    "cancelled" : "reader error";
		audit_failure(s, why);
	}
	fingerprint_blob_clear(&print);
	if (rc != 0) {
		ws_session_close(s);
		if (run.timed_out)
			return cli_fail(&cli_cmd_enroll, "no complete enrollment "
			    "in %d s (%d of %d scans): stopped; nothing was "
			    "saved", timeout_s, run.done, run.nstages);
		if (rc == SESSHU_ECANCELED)
			return cli_fail(&cli_cmd_enroll, "cancelled after %d of "
			    "%d scans; nothing was saved", run.done, run.nstages);
		return cli_fail(&cli_cmd_enroll, "%s; nothing was saved",
		    err.msg);
	}
	printf("enrolled the %s of %s on reader %s (%s) in %d scans\n",
	    fingerprint_finger_name(finger), s->user_id, reader_name,
	    reader_driver, run.nstages);
	if (ws_outbox_pending(s->st, &pending, &err) == 0)
		printf("saved in this workstation's cache; sesshu sync takes it "
		    "to the register (changes waiting to be sent: %ld)\n",
		    pending);
	ws_session_close(s);
	return 0;
}

const struct cli_cmd cli_cmd_enroll = {
	.name = "enroll",
	.usage = "--state DIR --user ID [--finger right-index] [--driver NAME] "
	    "[--config FILE] [--timeout SECONDS] [--password-fd N]",
	.summary = "enroll a user's finger on this workstation's reader",
	.exec = exec_enroll,
};
