/*
 * test_secret_input.c: secrets read from --password-fd arrive one per line,
 * in order, exactly as written (spaces, UTF-8), without their line ending,
 * in locked memory, and nothing past their line is consumed; a missing,
 * empty, over-long or NUL-bearing line is refused with a message naming
 * the fd and the prompt. On a terminal (a pseudo-terminal made by the
 * test), the prompt goes to the terminal and not stdout, the answer is not
 * echoed, and the terminal gets its echo back on every path: a normal
 * answer, ^C and TERM (which still end the program) and ^Z (which asks
 * again on resumption).
 *
 * Test-only code; the terminal tests fork a child that runs in its own
 * session with the pseudo-terminal as its controlling terminal, and are
 * skipped where no pseudo-terminal can be made.
 */
#define _XOPEN_SOURCE 700	/* posix_openpt, grantpt, unlockpt, ptsname */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "auth/secmem.h"
#include "cli/secret_input.h"

#define PROMPT		"Password for clerk01: "
#define DEADLINE_MS	10000

/* A pipe whose write end already holds data and is closed. */
static int
pipe_with(const void *data, size_t len)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], data, len), (ssize_t)len);
	close(p[1]);
	return p[0];
}

static void
read_ok(struct secret_source *src, const char *expect, size_t expect_len)
{
	struct sesshu_err err = { 0 };
	struct secbuf s;

	assert_int_equal(secret_read(src, "Password", &s, &err), 0);
	assert_int_equal(s.len, expect_len);
	assert_memory_equal(s.data, expect, expect_len);
	assert_int_equal(s.data[s.len], 0);
	secbuf_release(&s);
}

static void
test_secret_fd_two_secrets_in_order(void **state)
{
	const char in[] = "first secret\nsecond\n";
	struct sesshu_err err = { 0 };
	struct secret_source *src;
	struct secbuf s;
	int fd;

	(void)state;
	fd = pipe_with(in, strlen(in));
	assert_int_equal(secret_source_open_fd(&src, fd, &err), 0);
	read_ok(src, "first secret", 12);
	read_ok(src, "second", 6);
	/* A third secret is not there. */
	assert_int_equal(secret_read(src, "New password: ", &s, &err),
	    SESSHU_EINVAL);
	assert_null(s.data);
	secret_source_close(src);
	/* The fd was borrowed: still open, the caller closes it. */
	assert_int_equal(close(fd), 0);
}

static void
test_secret_fd_leaves_the_next_line_unread(void **state)
{
	const char in[] = "one\ntwo\n";
	struct secret_source *src;
	char rest[16] = { 0 };
	int fd;

	(void)state;
	fd = pipe_with(in, strlen(in));
	assert_int_equal(secret_source_open_fd(&src, fd, NULL), 0);
	read_ok(src, "one", 3);
	assert_int_equal(read(fd, rest, sizeof(rest) - 1), 4);
	assert_string_equal(rest, "two\n");
	secret_source_close(src);
	close(fd);
}

static void
test_secret_fd_missing_line_is_refused(void **state)
{
	struct sesshu_err err = { 0 };
	struct secret_source *src;
	struct secbuf s;
	char want[128];
	size_t before;
	int fd;

	(void)state;
	before = secmem_in_use();
	fd = pipe_with("", 0);
	assert_int_equal(secret_source_open_fd(&src, fd, &err), 0);
	assert_int_equal(secret_read(src, PROMPT, &s, &err), SESSHU_EINVAL);
	assert_int_equal(err.code, SESSHU_EINVAL);
	snprintf(want, sizeof(want), "--password-fd %d: expected a line for "
	    "\"Password for clerk01\", got end of input", fd);
	assert_string_equal(err.msg, want);
	assert_null(s.data);
	assert_int_equal(s.len, 0);
	assert_int_equal(secmem_in_use(), before);
	secret_source_close(src);
	close(fd);
}

static void
test_secret_fd_overlong_line_is_refused_and_skipped(void **state)
{
	struct sesshu_err err = { 0 };
	struct secret_source *src;
	struct secbuf s;
	char *in;
	size_t n = SECRET_LINE_MAX + 1;
	int fd;

	(void)state;
	/* 1025 bytes, then a line that must still be read afterwards. */
	in = malloc(n + 16);
	memset(in, 'x', n);
	memcpy(in + n, "\nnext\n", 6);
	fd = pipe_with(in, n + 6);
	free(in);
	assert_int_equal(secret_source_open_fd(&src, fd, &err), 0);
	assert_int_equal(secret_read(src, "Password", &s, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "longer than 1024 bytes"));
	assert_non_null(strstr(err.msg, "\"Password\""));
	/* The message never quotes the line itself. */
	assert_null(strstr(err.msg, "xxxx"));
	assert_null(s.data);
	read_ok(src, "next", 4);
	secret_source_close(src);
	close(fd);
}

static void
test_secret_fd_longest_line_is_accepted_with_crlf(void **state)
{
	struct secret_source *src;
	char *in, *want;
	size_t n = SECRET_LINE_MAX;
	int fd;

	(void)state;
	/* 1024 bytes + CR LF, then 1024 bytes + LF: both fit. */
	in = malloc(2 * n + 3);
	want = malloc(n);
	memset(want, 'y', n);
	memcpy(in, want, n);
	memcpy(in + n, "\r\n", 2);
	memcpy(in + n + 2, want, n);
	in[2 * n + 2] = '\n';
	fd = pipe_with(in, 2 * n + 3);
	assert_int_equal(secret_source_open_fd(&src, fd, NULL), 0);
	read_ok(src, want, n);
	read_ok(src, want, n);
	secret_source_close(src);
	close(fd);
	free(in);
	free(want);
}

static void
test_secret_fd_crlf_is_stripped(void **state)
{
	const char in[] = "pw one\r\npw two\r\nlast line";
	struct secret_source *src;
	int fd;

	(void)state;
	fd = pipe_with(in, strlen(in));
	assert_int_equal(secret_source_open_fd(&src, fd, NULL), 0);
	read_ok(src, "pw one", 6);
	read_ok(src, "pw two", 6);
	/* A last line without its newline still counts. */
	read_ok(src, "last line", 9);
	secret_source_close(src);
	close(fd);
}

static void
test_secret_fd_result_is_in_locked_memory(void **state)
{
	const char in[] = "locked away\n";
	struct secret_source *src;
	struct secbuf s;
	size_t before;
	int fd;

	(void)state;
	before = secmem_in_use();
	fd = pipe_with(in, strlen(in));
	assert_int_equal(secret_source_open_fd(&src, fd, NULL), 0);
	assert_int_equal(secret_read(src, "Password", &s, NULL), 0);
	assert_true(secmem_owns(s.data));
	assert_true(secmem_owns(s.data + s.len));
	/* Only the result is held: the line buffer went back wiped. */
	assert_int_equal(secmem_in_use(), before + 64);
	secbuf_release(&s);
	assert_int_equal(secmem_in_use(), before);
	secret_source_close(src);
	close(fd);
}

static void
test_secret_fd_spaces_and_utf8_are_kept_exactly(void **state)
{
	/* Leading and trailing blanks, a tab, kana, kanji and an emoji. */
	const char pw[] = "  ぱすわーど 合言葉\t🔑 end  ";
	char in[sizeof(pw) + 1];
	struct secret_source *src;
	int fd;

	(void)state;
	memcpy(in, pw, sizeof(pw) - 1);
	in[sizeof(pw) - 1] = '\n';
	fd = pipe_with(in, sizeof(pw));
	assert_int_equal(secret_source_open_fd(&src, fd, NULL), 0);
	read_ok(src, pw, sizeof(pw) - 1);
	secret_source_close(src);
	close(fd);
}

static void
test_secret_fd_empty_line_is_refused(void **state)
{
	struct sesshu_err err = { 0 };
	struct secret_source *src;
	struct secbuf s;
	int fd;

	(void)state;
	fd = pipe_with("\r\nafter\n", 8);
	assert_int_equal(secret_source_open_fd(&src, fd, NULL), 0);
	assert_int_equal(secret_read(src, PROMPT, &s, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "\"Password for clerk01\" is empty"));
	assert_null(s.data);
	read_ok(src, "after", 5);
	secret_source_close(src);
	close(fd);
}

static void
test_secret_fd_nul_byte_is_refused(void **state)
{
	struct sesshu_err err = { 0 };
	struct secret_source *src;
	struct secbuf s;
	int fd;

	(void)state;
	fd = pipe_with("ab\0cd\n", 6);
	assert_int_equal(secret_source_open_fd(&src, fd, NULL), 0);
	assert_int_equal(secret_read(src, "Password", &s, &err), SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "NUL byte"));
	assert_null(s.data);
	secret_source_close(src);
	close(fd);
}

static void
test_secret_fd_bad_descriptor_is_refused(void **state)
{
	struct sesshu_err err = { 0 };
	struct secret_source *src = (void *)1;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	assert_int_equal(secret_source_open_fd(&src, p[0], &err),
	    SESSHU_EINVAL);
	assert_null(src);
	assert_non_null(strstr(err.msg, "not an open file descriptor"));
	/* The write end of a pipe cannot be read. */
	assert_int_equal(secret_source_open_fd(&src, p[1], &err),
	    SESSHU_EINVAL);
	assert_non_null(strstr(err.msg, "not open for reading"));
	close(p[1]);
	assert_int_equal(secret_source_open_fd(&src, -1, &err), SESSHU_EINVAL);
}

/* --- terminal tests --------------------------------------------------- */

struct pty {
	int	 master;
	int	 slave;		/* the test's own handle, to read termios */
	char	 name[128];
	pid_t	 child;
	int	 out[2];	/* the child's stdout */
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int
pty_open(struct pty *t)
{
	char *name;

	memset(t, 0, sizeof(*t));
	if ((t->master = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
		return -1;
	if (grantpt(t->master) != 0 || unlockpt(t->master) != 0 ||
	    (name = ptsname(t->master)) == NULL) {
		close(t->master);
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "%s", name);
	if ((t->slave = open(t->name, O_RDWR | O_NOCTTY)) < 0) {
		close(t->master);
		return -1;
	}
	return 0;
}

static int
echo_is_on(struct pty *t)
{
	struct termios tio;

	assert_int_equal(tcgetattr(t->slave, &tio), 0);
	return (tio.c_lflag & ECHO) != 0;
}

/*
 * The child: its own session with the pty as controlling terminal, the
 * usual signal dispositions, stdout a pipe. Reads one secret and exits 0
 * when it is `expect`, 1 when it differs, 2 when secret_read failed.
 */
static void
child_read(struct pty *t, const char *expect)
{
	struct sesshu_err err = { 0 };
	struct secret_source *src;
	struct secbuf s;
	int fd;

	setsid();
	if ((fd = open(t->name, O_RDWR)) < 0)
		_exit(3);
	(void)ioctl(fd, TIOCSCTTY, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	dup2(t->out[1], STDOUT_FILENO);
	close(t->out[0]);
	close(t->master);
	if (secret_source_open_tty(&src, &err) != 0)
		_exit(4);
	if (secret_read(src, PROMPT, &s, &err) != 0)
		_exit(2);
	_exit(s.len == strlen(expect) &&
	    memcmp(s.data, expect, s.len) == 0 ? 0 : 1);
}

static int
pty_start(struct pty *t, const char *expect)
{
	if (pty_open(t) != 0)
		return -1;
	assert_int_equal(pipe(t->out), 0);
	t->child = fork();
	assert_true(t->child >= 0);
	if (t->child == 0)
		child_read(t, expect);
	close(t->out[1]);
	return 0;
}

static void
pty_close(struct pty *t)
{
	close(t->master);
	close(t->slave);
	close(t->out[0]);
}

/*
 * Reads what the child writes to its terminal into buf until it holds
 * `count` prompts, within DEADLINE_MS. A child stopped meanwhile (^Z) is
 * checked for a restored terminal and continued.
 */
static void
wait_prompts(struct pty *t, char *buf, size_t len, int count)
{
	struct pollfd pfd = { .fd = t->master, .events = POLLIN };
	long deadline = now_ms() + DEADLINE_MS;
	size_t have = strlen(buf);
	int status, seen;
	ssize_t r;
	char *p;

	for (;;) {
		seen = 0;
		for (p = buf; (p = strstr(p, PROMPT)) != NULL; p++)
			seen++;
		if (seen >= count)
			return;
		if (now_ms() > deadline)
			fail_msg("no prompt %d on the terminal; got \"%s\"",
			    count, buf);
		if (waitpid(t->child, &status, WNOHANG | WUNTRACED) ==
		    t->child) {
			if (!WIFSTOPPED(status))
				fail_msg("the child ended before prompt %d",
				    count);
			assert_true(echo_is_on(t));
			kill(t->child, SIGCONT);
		}
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((r = read(t->master, buf + have, len - have - 1)) > 0) {
			have += (size_t)r;
			buf[have] = '\0';
		}
	}
}

/* Everything the terminal has for us now, appended to buf. */
static void
drain(struct pty *t, char *buf, size_t len)
{
	struct pollfd pfd = { .fd = t->master, .events = POLLIN };
	size_t have = strlen(buf);
	ssize_t r;

	while (have < len - 1 && poll(&pfd, 1, 0) > 0 &&
	    (r = read(t->master, buf + have, len - have - 1)) > 0) {
		have += (size_t)r;
		buf[have] = '\0';
	}
}

static int
wait_child(struct pty *t)
{
	int status;

	assert_int_equal(waitpid(t->child, &status, 0), t->child);
	return status;
}

static void
test_secret_tty_reads_without_echo_and_restores(void **state)
{
	const char pw[] = "tty secret パス";
	char buf[4096] = { 0 }, out[64];
	struct pty t;
	int status;

	(void)state;
	if (pty_start(&t, pw) != 0)
		skip();
	wait_prompts(&t, buf, sizeof(buf), 1);
	/* The prompt is written after echo is turned off. */
	assert_false(echo_is_on(&t));
	assert_int_equal(write(t.master, pw, strlen(pw)), (ssize_t)strlen(pw));
	assert_int_equal(write(t.master, "\n", 1), 1);
	status = wait_child(&t);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	drain(&t, buf, sizeof(buf));
	assert_null(strstr(buf, "tty secret"));
	assert_true(echo_is_on(&t));
	/* Nothing went to stdout. */
	assert_int_equal(read(t.out[0], out, sizeof(out)), 0);
	pty_close(&t);
}

static void
killed_while_reading_restores_echo(int sig)
{
	char buf[4096] = { 0 };
	struct pty t;
	int status;

	if (pty_start(&t, "unused") != 0)
		skip();
	wait_prompts(&t, buf, sizeof(buf), 1);
	assert_false(echo_is_on(&t));
	assert_int_equal(kill(t.child, sig), 0);
	status = wait_child(&t);
	/* Still ended by that signal, as without secret_read... */
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), sig);
	/* ...but with the terminal given back its echo. */
	assert_true(echo_is_on(&t));
	pty_close(&t);
}

static void
test_secret_tty_sigint_restores_echo_and_still_ends(void **state)
{
	(void)state;
	killed_while_reading_restores_echo(SIGINT);
}

static void
test_secret_tty_sigterm_restores_echo_and_still_ends(void **state)
{
	(void)state;
	killed_while_reading_restores_echo(SIGTERM);
}

static void
test_secret_tty_sigtstp_restores_echo_and_asks_again(void **state)
{
	const char pw[] = "after resume";
	char buf[4096] = { 0 };
	struct pty t;
	int status;

	(void)state;
	if (pty_start(&t, pw) != 0)
		skip();
	wait_prompts(&t, buf, sizeof(buf), 1);
	assert_int_equal(kill(t.child, SIGTSTP), 0);
	/*
	 * The child's process group is orphaned (its parent is in another
	 * session), so Linux discards the re-raised stop instead of
	 * stopping it; wait_prompts continues it if it does stop. Either
	 * way it must ask again, with echo off again.
	 */
	wait_prompts(&t, buf, sizeof(buf), 2);
	assert_false(echo_is_on(&t));
	assert_int_equal(write(t.master, pw, strlen(pw)), (ssize_t)strlen(pw));
	assert_int_equal(write(t.master, "\n", 1), 1);
	status = wait_child(&t);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(echo_is_on(&t));
	pty_close(&t);
}

static void
test_secret_tty_without_terminal_points_at_password_fd(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	if ((pid = fork()) == 0) {
		struct sesshu_err err = { 0 };
		struct secret_source *src;

		setsid();	/* a new session has no controlling terminal */
		if (secret_source_open_tty(&src, &err) != SESSHU_EIO)
			_exit(1);
		_exit(strstr(err.msg, "--password-fd") != NULL &&
		    src == NULL ? 0 : 2);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secret_fd_two_secrets_in_order),
		cmocka_unit_test(test_secret_fd_leaves_the_next_line_unread),
		cmocka_unit_test(test_secret_fd_missing_line_is_refused),
		cmocka_unit_test(test_secret_fd_overlong_line_is_refused_and_skipped),
		cmocka_unit_test(test_secret_fd_longest_line_is_accepted_with_crlf),
		cmocka_unit_test(test_secret_fd_crlf_is_stripped),
		cmocka_unit_test(test_secret_fd_result_is_in_locked_memory),
		cmocka_unit_test(test_secret_fd_spaces_and_utf8_are_kept_exactly),
		cmocka_unit_test(test_secret_fd_empty_line_is_refused),
		cmocka_unit_test(test_secret_fd_nul_byte_is_refused),
		cmocka_unit_test(test_secret_fd_bad_descriptor_is_refused),
		cmocka_unit_test(test_secret_tty_reads_without_echo_and_restores),
		cmocka_unit_test(test_secret_tty_sigint_restores_echo_and_still_ends),
		cmocka_unit_test(test_secret_tty_sigterm_restores_echo_and_still_ends),
		cmocka_unit_test(test_secret_tty_sigtstp_restores_echo_and_asks_again),
		cmocka_unit_test(test_secret_tty_without_terminal_points_at_password_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
