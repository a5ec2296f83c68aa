/*
 * secret_input.c: secrets from the terminal or from --password-fd; see
 * secret_input.h.
 *
 * The terminal path follows OpenBSD's readpassphrase(3): catch the signals
 * that end or stop the process, turn echo off, read, restore the terminal
 * and the old signal dispositions, then raise again each signal that was
 * caught, so that ^C still ends the program (with its terminal sane) and ^Z
 * still stops it, and the prompt comes back when it resumes. Unlike
 * readpassphrase, the signals that come from outside (INT, TERM, TSTP...)
 * are blocked except inside pselect(), so one that arrives just before the
 * wait is not missed until Enter.
 *
 * Each byte is read with read(2) straight into a locked secbuf: no stdio
 * buffer, no stack copy, nothing consumed past the end of the line (the
 * next secret on the same fd stays where it is). There are no stack
 * temporaries holding secret bytes to wipe.
 *
 * Must never write a secret anywhere: not to the terminal, not to a
 * message, not to unlocked memory.
 */
#include "cli/secret_input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

/* Room for SECRET_LINE_MAX bytes and a '\r'; one more is too long. */
#define LINE_CAP	(SECRET_LINE_MAX + 2)
#define WHAT_MAX	128

struct secret_source {
	int	fd;
	int	tty;		/* nonzero: we opened /dev/tty and close it */
	char	name[32];	/* "--password-fd 3" or "/dev/tty" */
};

/* Signals that end or stop the process while echo is off. */
static const int tty_signals[] = {
	SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU,
};
#define NTTY_SIGNALS	(sizeof(tty_signals) / sizeof(tty_signals[0]))

static volatile sig_atomic_t caught[NSIG];

static void
on_signal(int signo)
{
	caught[signo] = 1;
}

static int
any_caught(void)
{
	for (size_t i = 0; i < NTTY_SIGNALS; i++)
		if (caught[tty_signals[i]])
			return 1;
	return 0;
}

enum byte_result { BYTE_OK, BYTE_EOF, BYTE_ERROR, BYTE_SIGNAL };

/*
 * One byte from fd into *p. With wait_mask (the terminal), waits in
 * pselect() with the caught signals unblocked and gives up as soon as one
 * arrives; otherwise retries on EINTR, and waits on a non-blocking fd.
 */
static enum byte_result
next_byte(int fd, const sigset_t *wait_mask, unsigned char *p)
{
	struct pollfd pfd;
	fd_set rf;
	ssize_t r;

	for (;;) {
		if (wait_mask != NULL) {
			if (any_caught())
				return BYTE_SIGNAL;
			FD_ZERO(&rf);
			FD_SET(fd, &rf);
			if (pselect(fd + 1, &rf, NULL, NULL, NULL,
			    wait_mask) < 0) {
				if (errno == EINTR)
					continue;
				return BYTE_ERROR;
			}
		}
		if ((r = read(fd, p, 1)) == 1)
			return BYTE_OK;
		if (r == 0)
			return BYTE_EOF;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			pfd.fd = fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return BYTE_ERROR;
			continue;
		}
		return BYTE_ERROR;
	}
}

enum line_result { LINE_OK, LINE_EOF, LINE_LONG, LINE_ERROR, LINE_SIGNAL };

/*
 * Reads up to '\n' or end of input into line (LINE_CAP locked bytes) and
 * strips one trailing '\r'. On a terminal (wait_mask set), '\r' also ends
 * the line, as in readpassphrase, for terminals that do not map it. A line
 * too long is read to its end and discarded, so that the rest of it is not
 * left for the next reader (on a terminal, the shell).
 */
static enum line_result
read_line(int fd, const sigset_t *wait_mask, unsigned char *line,
    size_t *np, int *errnum)
{
	enum byte_result br;
	size_t n = 0;
	int newline = 0;

	*np = 0;
	for (;;) {
		br = next_byte(fd, wait_mask, line + n);
		if (br == BYTE_EOF)
			break;
		if (br == BYTE_SIGNAL)
			return LINE_SIGNAL;
		if (br == BYTE_ERROR) {
			*errnum = errno;
			return LINE_ERROR;
		}
		if (line[n] == '\n' || (wait_mask != NULL && line[n] == '\r')) {
			line[n] = '\0';
			newline = 1;
			break;
		}
		if (++n < LINE_CAP)
			continue;
		/* Too long: drain the rest through the last byte. */
		do {
			br = next_byte(fd, wait_mask, line + LINE_CAP - 1);
		} while (br == BYTE_OK && line[LINE_CAP - 1] != '\n' &&
		    (wait_mask == NULL || line[LINE_CAP - 1] != '\r'));
		if (br == BYTE_SIGNAL)
			return LINE_SIGNAL;
		return LINE_LONG;
	}
	if (n == 0 && !newline)
		return LINE_EOF;
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	if (n > SECRET_LINE_MAX)
		return LINE_LONG;
	*np = n;
	return LINE_OK;
}

/* "Password for clerk01: " names the secret as "Password for clerk01". */
static void
what_of(const char *prompt, char *what, size_t len)
{
	size_t n;

	if (prompt == NULL || *prompt == '\0')
		prompt = "the secret";
	snprintf(what, len, "%s", prompt);
	for (n = strlen(what); n > 0; n--) {
		if (what[n - 1] != ' ' && what[n - 1] != ':' &&
		    what[n - 1] != '\t' && what[n - 1] != '\n')
			break;
		what[n - 1] = '\0';
	}
	if (what[0] == '\0')
		snprintf(what, len, "the secret");
}

static void
write_all(int fd, const char *s, size_t len)
{
	ssize_t w;

	while (len > 0) {
		if ((w = write(fd, s, len)) < 0) {
			if (errno == EINTR && !any_caught())
				continue;
			return;		/* a lost prompt is not worth failing */
		}
		s += w;
		len -= (size_t)w;
	}
}

static int
set_termios(int fd, const struct termios *t)
{
	/* In the background, SIGTTOU interrupts: stop trying, re-raise it. */
	while (tcsetattr(fd, TCSAFLUSH, t) != 0) {
		if (errno != EINTR || caught[SIGTTOU])
			return -1;
	}
	return 0;
}

/*
 * One prompt-and-read on the terminal, with echo off and the signals
 * caught. *restart is set when a stop signal was caught (and raised
 * again): the caller wipes what was read and asks again.
 *
 * The settings to restore are read afresh on each attempt, because one
 * started in the background reads the shell's (raw, for readline) before
 * SIGTTOU stops it; but when an attempt could not restore them, *orig is
 * kept (*keep_orig) for the next one, which would otherwise read our own.
 */
static enum line_result
tty_read_once(struct secret_source *src, const char *prompt,
    struct termios *orig, int *keep_orig, unsigned char *line, size_t *np,
    int *errnum, int *restart)
{
	struct sigaction sa, old[NTTY_SIGNALS];
	sigset_t block, oldmask;
	struct termios quiet;
	enum line_result res = LINE_SIGNAL;
	int installed[NTTY_SIGNALS] = { 0 }, echo_off = 0, interrupted = 0;

	*restart = 0;
	if (!*keep_orig && tcgetattr(src->fd, orig) != 0) {
		*errnum = errno;
		return LINE_ERROR;
	}
	*keep_orig = 0;
	for (size_t i = 0; i < NTTY_SIGNALS; i++)
		caught[tty_signals[i]] = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART: interrupt the wait */
	/*
	 * TTIN and TTOU stay unblocked: our own read and tcsetattr raise them
	 * when run in the background, and must be interrupted by them (a
	 * blocked TTOU would let tcsetattr change a terminal that is not ours
	 * to change yet).
	 */
	sigemptyset(&block);
	for (size_t i = 0; i < NTTY_SIGNALS; i++)
		if (tty_signals[i] != SIGTTIN && tty_signals[i] != SIGTTOU)
			sigaddset(&block, tty_signals[i]);
	pthread_sigmask(SIG_BLOCK, &block, &oldmask);
	for (size_t i = 0; i < NTTY_SIGNALS; i++) {
		if (sigaction(tty_signals[i], NULL, &old[i]) != 0)
			continue;
		/* A signal the program ignores stays ignored. */
		if (old[i].sa_handler == SIG_IGN)
			continue;
		if (sigaction(tty_signals[i], &sa, NULL) == 0)
			installed[i] = 1;
	}

	/* Echo off; lines (with erase and kill) even if the program was raw. */
	quiet = *orig;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	quiet.c_iflag |= ICRNL;
	quiet.c_iflag &= ~(tcflag_t)(INLCR | IGNCR);
	if (set_termios(src->fd, &quiet) != 0) {
		if (!caught[SIGTTOU]) {
			*errnum = errno;
			res = LINE_ERROR;
		}
		goto restore;
	}
	echo_off = 1;
	if (prompt != NULL)
		write_all(src->fd, prompt, strlen(prompt));
	res = read_line(src->fd, &oldmask, line, np, errnum);
	/* The Enter that ended the line (or the ^C) was not echoed. */
	if (orig->c_lflag & ECHO)
		write_all(src->fd, "\n", 1);

restore:
	if (echo_off && set_termios(src->fd, orig) != 0)
		*keep_orig = 1;
	for (size_t i = 0; i < NTTY_SIGNALS; i++)
		if (installed[i])
			sigaction(tty_signals[i], &old[i], NULL);
	/* Signals that came while blocked now reach their own handlers. */
	pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	for (size_t i = 0; i < NTTY_SIGNALS; i++) {
		int sig = tty_signals[i];

		if (!caught[sig])
			continue;
		caught[sig] = 0;
		/* Ends or stops the process, unless the program handles it. */
		raise(sig);
		if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			*restart = 1;
		else
			interrupted = 1;
	}
	if (interrupted) {
		*restart = 0;
		return LINE_SIGNAL;
	}
	return *restart ? LINE_SIGNAL : res;
}

static enum line_result
tty_read(struct secret_source *src, const char *prompt, unsigned char *line,
    size_t *np, int *errnum)
{
	struct termios orig;
	enum line_result res;
	int keep_orig = 0, restart;

	for (;;) {
		res = tty_read_once(src, prompt, &orig, &keep_orig, line, np,
		    errnum, &restart);
		if (!restart)
			return res;
		/* Resumed after ^Z: what was typed so far is dropped. */
		OPENSSL_cleanse(line, LINE_CAP);
		*np = 0;
	}
}

static int
source_new(struct secret_source **out, int fd, int tty,
    struct sesshu_err *err)
{
	struct secret_source *src;

	if ((src = calloc(1, sizeof(*src))) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	src->fd = fd;
	src->tty = tty;
	if (tty)
		snprintf(src->name, sizeof(src->name), "/dev/tty");
	else
		snprintf(src->name, sizeof(src->name), "--password-fd %d", fd);
	*out = src;
	return 0;
}

int
secret_source_open_tty(struct secret_source **out, struct sesshu_err *err)
{
	int fd, rc;

	if (out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "secret_source_open_tty: no result pointer");
	*out = NULL;
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot open the terminal /dev/tty to ask for a password "
		    "(%s); without a terminal, pass secrets with --password-fd N",
		    strerror(errno));
	if (fd >= FD_SETSIZE) {
		close(fd);
		return sesshu_err_set(err, SESSHU_EIO,
		    "/dev/tty was opened as fd %d, beyond FD_SETSIZE", fd);
	}
	if ((rc = source_new(out, fd, 1, err)) != 0)
		close(fd);
	return rc;
}

int
secret_source_open_fd(struct secret_source **out, int fd,
    struct sesshu_err *err)
{
	int fl;

	if (out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "secret_source_open_fd: no result pointer");
	*out = NULL;
	if (fd < 0 || (fl = fcntl(fd, F_GETFL)) < 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "--password-fd %d: not an open file descriptor", fd);
	if ((fl & O_ACCMODE) == O_WRONLY)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "--password-fd %d: not open for reading", fd);
	return source_new(out, fd, 0, err);
}

int
secret_read(struct secret_source *src, const char *prompt,
    struct secbuf *out, struct sesshu_err *err)
{
	struct secbuf line = { NULL, 0 };
	enum line_result res;
	char what[WHAT_MAX];
	size_t n = 0;
	int errnum = 0, rc;

	if (out != NULL) {
		out->data = NULL;
		out->len = 0;
	}
	if (src == NULL || out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "secret_read: missing argument");
	what_of(prompt, what, sizeof(what));
	if ((rc = secbuf_alloc(&line, LINE_CAP, err)) != 0)
		return rc;
	if (src->tty)
		res = tty_read(src, prompt, line.data, &n, &errnum);
	else
		res = read_line(src->fd, NULL, line.data, &n, &errnum);

	switch (res) {
	case LINE_OK:
		break;
	case LINE_EOF:
		rc = sesshu_err_set(err, SESSHU_EINVAL,
		    "%s: expected a line for \"%s\", got end of input",
		    src->name, what);
		goto out;
	case LINE_LONG:
		rc = sesshu_err_set(err, SESSHU_EINVAL,
		    "%s: the line for \"%s\" is longer than %d bytes; refused",
		    src->name, what, SECRET_LINE_MAX);
		goto out;
	case LINE_SIGNAL:
		rc = sesshu_err_set(err, SESSHU_EIO,
		    "%s: reading \"%s\" was interrupted by a signal",
		    src->name, what);
		goto out;
	case LINE_ERROR:
	default:
		rc = sesshu_err_set(err, SESSHU_EIO,
		    "%s: cannot read the line for \"%s\": %s", src->name, what,
		    strerror(errnum));
		goto out;
	}
	if (n == 0) {
		rc = sesshu_err_set(err, SESSHU_EINVAL,
		    "%s: the line for \"%s\" is empty", src->name, what);
		goto out;
	}
	if (memchr(line.data, '\0', n) != NULL) {
		rc = sesshu_err_set(err, SESSHU_EINVAL,
		    "%s: the line for \"%s\" contains a NUL byte", src->name,
		    what);
		goto out;
	}
	/* One byte more, left zero: the secret is also a C string. */
	if ((rc = secbuf_alloc(out, n + 1, err)) != 0)
		goto out;
	memcpy(out->data, line.data, n);
	out->len = n;
out:
	secbuf_release(&line);
	return rc;
}

void
secret_source_close(struct secret_source *src)
{
	if (src == NULL)
		return;
	if (src->tty)
		close(src->fd);
	free(src);
}
