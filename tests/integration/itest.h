/*
 * itest.h: support for integration tests that drive the real programs:
 * running a command with secrets on file descriptor 3 (as --password-fd 3
 * reads them) and its output captured, and starting a real register on an
 * ephemeral loopback port with a test PKI. Waits poll with deadlines; no
 * test sleeps for a fixed time. Test-only.
 */
#ifndef SESSHU_ITEST_H
#define SESSHU_ITEST_H

#include <stddef.h>
#include <sys/types.h>

struct itest_run {
	int	 exited;	/* 1: exited; 0: killed by a signal */
	int	 code;		/* exit code, or the signal number */
	char	*out;		/* stdout and stderr, NUL-terminated; caller frees */
};

/*
 * Runs argv (argv[0] a path) with env_extra ("NAME=value" entries, NULL-
 * terminated, or NULL) added to the environment, fd_secrets (or NULL)
 * readable on fd 3, and waits for it (at most timeout_s seconds, then
 * SIGKILL). Returns 0 when it ran.
 */
int	itest_run(char *const argv[], char *const env_extra[],
	    const char *fd_secrets, int timeout_s, struct itest_run *r);

/* Convenience: run and require exit code 0, else fail the test with the output. */
char	*itest_ok(char *const argv[], const char *fd_secrets);

/* The last non-empty line of s, copied into buf. */
void	itest_last_line(const char *s, char *buf, size_t size);

struct itest_register {
	pid_t	pid;
	int	port;
	char	url[64];
};

/*
 * Starts `sesshu-registerd serve --data DIR` on 127.0.0.1:port (0: any
 * free port; a restart passes the old one, which workstations know) with the given
 * certificate names from pki ("register" for the real one), env_extra as in
 * itest_run, and extra arguments (e.g. "--crl", path; NULL-terminated).
 * Its output goes to DIR/register.log. Waits up to 20 s for "listening on
 * port N". Returns 0 on success.
 */
int	itest_register_start(struct itest_register *reg, const char *data_dir,
	    const char *pki, const char *cert_name, int port,
	    char *const env_extra[], char *const extra_args[]);

/* SIGTERM (or sig), then waits; returns the wait status. */
int	itest_register_stop(struct itest_register *reg, int sig);

/* printf into a new string (the caller frees); aborts on OOM. */
char	*itest_spr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Runs `sesshu-registerd SUB ARGS...` (NULL-terminated) and requires
 * success; returns its output (the caller frees).
 */
char	*itest_admin(const char *sub, ...);

/* Loads the master data seeds (forms/master) into the register in dir. */
void	itest_import_master(const char *reg_dir);

/* The last line of out, in a new string: `user add`'s activation code. */
char	*itest_last_line_dup(const char *out);

/* "dir/name" in a new string. */
char	*itest_path(const char *dir, const char *name);

#endif
