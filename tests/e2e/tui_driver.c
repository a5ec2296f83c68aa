/*
 * tui_driver.c: tmux and the virtual reader for the e2e tests; see
 * tui_driver.h.
 */
#define _GNU_SOURCE
#include "tui_driver.h"
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define VDEV_DEADLINE_S	10.0

static const char	*tmux_sock, *tmux_conf;
static char		*env_utf8[] = { "LANG=C.UTF-8", NULL };

void
tui_driver_init(const char *sock, const char *conf)
{
	tmux_sock = sock;
	tmux_conf = conf;
}

double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);	/* a polling interval, under a deadline */
}

struct itest_run
tmux_run(const char *first, ...)
{
	char *argv[24] = { (char *)TMUX_BIN, "-S", (char *)tmux_sock, "-f",
	    (char *)tmux_conf };
	struct itest_run r;
	va_list ap;
	int n = 5;

	argv[n++] = (char *)first;
	va_start(ap, first);
	while (n < 23 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	itest_run(argv, env_utf8, NULL, 30, &r);
	return r;
}

void
key(const char *name)
{
	TMUX("send-keys", "-t", "main", name);
}

void
type(const char *text)
{
	TMUX("send-keys", "-t", "main", "-l", text);
}

char *
capture(const char *target, int saved)
{
	struct itest_run r = saved ?
	    tmux_run("capture-pane", "-p", "-a", "-S", "-", "-E", "-", "-t",
	    target, NULL) :
	    tmux_run("capture-pane", "-p", "-S", "-", "-E", "-", "-t", target,
	    NULL);

	if (!r.exited || r.code != 0) {
		free(r.out);
		return NULL;
	}
	return r.out;
}

char *
wait_screen(const char *target, const char *text, int gone, double seconds)
{
	double deadline = now_s() + seconds;
	char *s = NULL;

	for (;;) {
		free(s);
		if ((s = capture(target, 0)) == NULL)
			s = strdup("(no pane)");
		if ((strstr(s, text) != NULL) != gone)
			return s;
		if (now_s() > deadline)
			break;
		pause_ms(50);
	}
	fail_msg("after %.0f s the screen %s \"%s\":\n%s", seconds,
	    gone ? "still shows" : "does not show", text, s);
	return NULL;
}

int
pane_exit_status(const char *path, const char *target)
{
	double deadline = now_s() + 15;
	unsigned char *text;
	size_t len;
	int status;

	for (;;) {
		text = tu_read_file(path, &len);
		if (text != NULL && sscanf((char *)text, "%d", &status) == 1) {
			free(text);
			return status;
		}
		free(text);
		if (now_s() > deadline)
			break;
		pause_ms(50);
	}
	fail_msg("the program in %s did not exit:\n%s", target,
	    capture(target, 0));
	return -1;
}

void
vdev_send(const char *path, const char *fmt, ...)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	double deadline = now_s() + VDEV_DEADLINE_S;
	struct pollfd pfd;
	char cmd[256], c;
	va_list ap;
	ssize_t n;
	int fd, left;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (strlen(path) >= sizeof(sa.sun_path))
		fail_msg("socket path too long: %s", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	for (;;) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			fail_msg("socket: %s", strerror(errno));
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		close(fd);
		/* The reader listens only while sesshu has it open. */
		if ((errno != ENOENT && errno != ECONNREFUSED) ||
		    now_s() > deadline)
			fail_msg("connect %s: %s (is the reader open?)", path,
			    strerror(errno));
		pause_ms(50);
	}
	/* One write: the driver takes whatever one read returns. */
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		fail_msg("write to %s: %s", path, strerror(errno));
	/* It answers nothing to SCAN: end of file once it took the command. */
	for (;;) {
		left = (int)((deadline - now_s()) * 1000);
		if (left <= 0)
			fail_msg("the virtual reader did not take \"%s\" in "
			    "%.0f s", cmd, VDEV_DEADLINE_S);
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, left) < 0) {
			if (errno == EINTR)
				continue;
			fail_msg("poll: %s", strerror(errno));
		}
		if (pfd.revents == 0)
			continue;
		n = read(fd, &c, 1);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		fail_msg("the virtual reader answered \"%s\" (%s)", cmd,
		    n < 0 ? strerror(errno) : "data");
	}
	close(fd);
}

void
finger(const char *vdev, const char *id)
{
	free(wait_screen("main", TUI_PLACE_FINGER, 0, 15));
	vdev_send(vdev, "SCAN %s", id);
}

void
enroll_finger(const char *vdev, const char *id)
{
	char progress[64];

	for (int i = 1; i <= TUI_ENROLL_STAGES; i++) {
		snprintf(progress, sizeof(progress), "読み取り %d 回目(全 %d 回)",
		    i, TUI_ENROLL_STAGES);
		free(wait_screen("main", progress, 0, 20));
		finger(vdev, id);
	}
}

int
tui_world_create(struct tui_world *w, const struct tui_world_spec *spec)
{
	char *argv_pki[] = { "/bin/bash", (char *)MAKE_PKI, NULL, "990001", NULL };
	char *argv_gen[] = { (char *)GENCITY_BIN, "--residents", NULL, "--seed",
	    NULL, "--out", NULL, NULL };
	char *out, *code, *secrets, *csv, *cert, *key, *ca;
	char vdev_dir[] = "/tmp/sesshu-e2e-XXXXXX";

	memset(w, 0, sizeof(*w));
	w->dir = tu_mkdtemp(spec->tag);
	w->pki = itest_path(w->dir, "pki");
	w->reg_dir = itest_path(w->dir, "register");
	w->ws = itest_path(w->dir, "ws");
	w->conf = itest_path(w->dir, "sesshu.conf");
	w->sock = itest_path(w->dir, "tmux.sock");
	w->tmux_conf = itest_path(w->dir, "tmux.conf");
	if (mkdtemp(vdev_dir) == NULL)
		return -1;
	w->vdev_dir = strdup(vdev_dir);
	w->vdev = itest_path(w->vdev_dir, "vd");
	tui_driver_init(w->sock, w->tmux_conf);

	argv_pki[2] = w->pki;
	free(itest_ok(argv_pki, NULL));
	free(itest_admin("init", "--data", w->reg_dir, "--municipality", "990001",
	    "--synthetic", NULL));
	itest_import_master(w->reg_dir);
	if (spec->residents != NULL) {
		w->city = itest_path(w->dir, "city");
		argv_gen[2] = (char *)spec->residents;
		argv_gen[4] = (char *)spec->seed;
		argv_gen[6] = w->city;
		free(itest_ok(argv_gen, NULL));
		csv = itest_path(w->city, "residents.csv");
		free(itest_admin("import-residents", "--data", w->reg_dir,
		    "--today", "2026-04-01", csv, NULL));
		free(csv);
		if (spec->with_records) {
			csv = itest_path(w->city, "records.csv");
			free(itest_admin("import-records", "--data", w->reg_dir,
			    "--today", "2026-04-01", csv, NULL));
			free(csv);
		}
	}
	out = itest_admin("user", "add", "--data", w->reg_dir, "--id", "admin01",
	    "--name", "情報 管理", "--role", "is-admin", NULL);
	code = itest_last_line_dup(out);
	free(out);
	for (int i = 0; i < TUI_WORLD_CLERKS && spec->clerks[i][0] != NULL; i++) {
		out = itest_admin("user", "add", "--data", w->reg_dir, "--id",
		    spec->clerks[i][0], "--name", spec->clerks[i][1], "--role",
		    "clerk", NULL);
		w->codes[i] = itest_last_line_dup(out);
		free(out);
	}
	free(itest_admin("workstation", "add", "--data", w->reg_dir, "--id",
	    "ws-001", NULL));
	if (itest_register_start(&w->reg, w->reg_dir, w->pki, "register", 0, NULL,
	    NULL) != 0) {
		free(code);
		return -1;
	}
	cert = itest_spr("%s/ws-001.crt", w->pki);
	key = itest_spr("%s/ws-001.key", w->pki);
	ca = itest_spr("%s/ca.crt", w->pki);
	secrets = itest_spr("%s\n%s\n%s\n", code, spec->admin_pw, spec->admin_pw);
	{
		char *argv[] = { (char *)SESSHU_BIN, "provision", "--state", w->ws,
		    "--register", w->reg.url, "--ca", ca, "--cert", cert, "--key",
		    key, "--user", "admin01", "--password-fd", "3", NULL };

		free(itest_ok(argv, secrets));
	}
	free(secrets);
	free(code);
	free(cert);
	free(key);
	free(ca);
	return 0;
}

void
tui_world_destroy(struct tui_world *w)
{
	itest_register_stop(&w->reg, SIGTERM);
	if (getenv("SESSHU_KEEP_TEST_DIRS") == NULL) {
		tu_rm_rf(w->dir);
		tu_rm_rf(w->vdev_dir);
	}
	free(w->dir);
	free(w->pki);
	free(w->reg_dir);
	free(w->ws);
	free(w->city);
	free(w->conf);
	free(w->sock);
	free(w->tmux_conf);
	free(w->vdev_dir);
	free(w->vdev);
	for (int i = 0; i < TUI_WORLD_CLERKS; i++)
		free(w->codes[i]);
	memset(w, 0, sizeof(*w));
}
