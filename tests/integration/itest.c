/* itest.c: see itest.h. */
#define _GNU_SOURCE	/* pipe2 */
#include "itest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

extern char **environ;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

char *
itest_path(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		abort();
	return p;
}

static void
child_exec(char *const argv[], char *const env_extra[], int secrets_fd,
    int out_fd)
{
	if (secrets_fd >= 0) {
		dup2(secrets_fd, 3);
		if (secrets_fd != 3)
			close(secrets_fd);
	}
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	for (int i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
		putenv(env_extra[i]);
	execv(argv[0], argv);
	_exit(127);
}

/* A pipe holding the secrets, its read end returned. */
static int
secrets_pipe(const char *secrets)
{
	int p[2];
	size_t len;

	if (secrets == NULL)
		return -1;
	len = strlen(secrets);
	if (pipe(p) != 0 || len > 60000 || write(p[1], secrets, len) != (ssize_t)len)
		abort();
	close(p[1]);
	return p[0];
}

int
itest_run(char *const argv[], char *const env_extra[], const char *fd_secrets,
    int timeout_s, struct itest_run *r)
{
	size_t cap = 4096, len = 0;
	double deadline = now_s() + timeout_s;
	int out[2], sfd, status;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->out = malloc(cap);
	sfd = secrets_pipe(fd_secrets);
	if (r->out == NULL || pipe2(out, O_CLOEXEC) != 0)
		abort();
	if ((pid = fork()) == 0) {
		close(out[0]);
		child_exec(argv, env_extra, sfd, out[1]);
	}
	close(out[1]);
	if (sfd >= 0)
		close(sfd);
	for (;;) {
		struct pollfd pfd = { out[0], POLLIN, 0 };
		int left = (int)((deadline - now_s()) * 1000);
		ssize_t n;

		if (left <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&pfd, 1, left) <= 0)
			continue;
		if (len + 1024 > cap && (r->out = realloc(r->out, cap *= 2)) == NULL)
			abort();
		if ((n = read(out[0], r->out + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)n;
	}
	r->out[len] = '\0';
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	r->exited = WIFEXITED(status);
	r->code = r->exited ? WEXITSTATUS(status) : WTERMSIG(status);
	return 0;
}

char *
itest_ok(char *const argv[], const char *fd_secrets)
{
	struct itest_run r;

	itest_run(argv, NULL, fd_secrets, 300, &r);
	if (!r.exited || r.code != 0)
		fail_msg("%s %s failed (%s %d):\n%s", argv[0], argv[1] ? argv[1] : "",
		    r.exited ? "exit" : "signal", r.code, r.out);
	return r.out;
}

void
itest_last_line(const char *s, char *buf, size_t size)
{
	const char *end = s + strlen(s), *start;

	while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	snprintf(buf, size, "%.*s", (int)(end - start), start);
}

int
itest_register_start(struct itest_register *reg, const char *data_dir,
    const char *pki, const char *cert_name, int port, char *const env_extra[],
    char *const extra_args[])
{
	char *cert, *key, *ca, *log, listen[32], buf[8192];
	char *argv[32];
	double deadline = now_s() + 20;
	int fd, n = 0;

	if (asprintf(&cert, "%s/%s.crt", pki, cert_name) < 0 ||
	    asprintf(&key, "%s/%s.key", pki, cert_name) < 0 ||
	    asprintf(&ca, "%s/ca.crt", pki) < 0 ||
	    asprintf(&log, "%s/register.log", data_dir) < 0)
		abort();
	argv[n++] = (char *)REGISTERD_BIN;
	argv[n++] = "serve";
	argv[n++] = "--data";
	argv[n++] = (char *)data_dir;
	argv[n++] = "--listen";
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	argv[n++] = listen;
	argv[n++] = "--cert";
	argv[n++] = cert;
	argv[n++] = "--key";
	argv[n++] = key;
	argv[n++] = "--ca";
	argv[n++] = ca;
	for (int i = 0; extra_args != NULL && extra_args[i] != NULL && n < 30; i++)
		argv[n++] = extra_args[i];
	argv[n] = NULL;
	memset(reg, 0, sizeof(*reg));
	/* A file, not a pipe: nobody has to keep reading it for the register
	 * to go on logging. Truncated per start, so "listening" is this one's. */
	if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
	    0600)) < 0)
		abort();
	if ((reg->pid = fork()) == 0)
		child_exec(argv, env_extra, -1, fd);
	close(fd);
	free(cert);
	free(key);
	free(ca);
	while (now_s() < deadline) {
		struct timespec tick = { 0, 20 * 1000 * 1000 };
		char *line;
		ssize_t got;

		if ((fd = open(log, O_RDONLY | O_CLOEXEC)) >= 0) {
			got = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			buf[got > 0 ? got : 0] = '\0';
			if ((line = strstr(buf, "listening on port ")) != NULL &&
			    strchr(line, '\n') != NULL) {
				reg->port = atoi(line + strlen("listening on port "));
				snprintf(reg->url, sizeof(reg->url),
				    "https://127.0.0.1:%d", reg->port);
				free(log);
				return 0;
			}
		}
		if (waitpid(reg->pid, NULL, WNOHANG) == reg->pid)
			break;
		nanosleep(&tick, NULL);	/* polling interval, under a deadline */
	}
	fprintf(stderr, "the register did not start; its log %s:\n%s\n", log, buf);
	kill(reg->pid, SIGKILL);
	waitpid(reg->pid, NULL, 0);
	reg->pid = 0;
	free(log);
	return -1;
}

int
itest_register_stop(struct itest_register *reg, int sig)
{
	int status = 0;

	if (reg->pid <= 0)
		return 0;
	kill(reg->pid, sig);
	while (waitpid(reg->pid, &status, 0) < 0 && errno == EINTR)
		;
	reg->pid = 0;
	return status;
}

char *
itest_spr(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

char *
itest_admin(const char *sub, ...)
{
	char *argv[16] = { (char *)REGISTERD_BIN };
	va_list ap;
	int n = 1;

	argv[n++] = (char *)sub;
	va_start(ap, sub);
	while (n < 15 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	return itest_ok(argv, NULL);
}

void
itest_import_master(const char *reg_dir)
{
	free(itest_admin("import-master", "--data", reg_dir,
	    FORMS_DIR "/master/vaccines.json",
	    FORMS_DIR "/master/manufacturers.json",
	    FORMS_DIR "/master/institutions.json",
	    FORMS_DIR "/master/doctors.json",
	    FORMS_DIR "/master/fee_categories.json",
	    FORMS_DIR "/master/lots.json", NULL));
}

char *
itest_last_line_dup(const char *out)
{
	char line[256];

	itest_last_line(out, line, sizeof(line));
	return strdup(line);
}
