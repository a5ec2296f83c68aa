/*
 * secret_input.h: reading passwords and activation codes for the `sesshu`
 * commands that authenticate.
 *
 * A secret comes either from the terminal (/dev/tty, never stdin, with
 * echo off and the terminal restored on every path, signals included) or,
 * for scripts and tests, from a file descriptor given as --password-fd N:
 * one secret per line, in the order the command would ask for them.
 *
 * Each secret is read straight into a secbuf, one byte at a time with
 * read(2), so no copy lands in stdio or heap buffers and nothing past the
 * end of its line is consumed. Never echoes, prints or logs a secret, and
 * never puts one in an error message; messages name the prompt and the fd.
 * The terminal path changes signal dispositions while it reads: use it from
 * one thread at a time.
 */
#ifndef SESSHU_CLI_SECRET_INPUT_H
#define SESSHU_CLI_SECRET_INPUT_H

#include "auth/secmem.h"
#include "core/err.h"

/* Longest accepted secret, in bytes, not counting the line ending. */
#define SECRET_LINE_MAX	1024

/* Opaque: the terminal or a file descriptor. */
struct secret_source;

/*
 * Opens the controlling terminal (/dev/tty). Fails with SESSHU_EIO, with a
 * message pointing at --password-fd, when the process has none.
 */
int	secret_source_open_tty(struct secret_source **out,
	    struct sesshu_err *err);

/*
 * Reads secrets from fd, which must be open for reading. The fd is
 * borrowed: secret_source_close() does not close it.
 */
int	secret_source_open_fd(struct secret_source **out, int fd,
	    struct sesshu_err *err);

/*
 * Reads one secret. On the terminal, prompt is written to the terminal
 * (not stdout) and the answer is typed without echo; from an fd, prompt is
 * not written but names the secret in messages. On success out is a new
 * secbuf (the caller releases it) holding the line without its "\n" or
 * "\r\n"; out->data[out->len] is a NUL, not counted in len.
 *
 * Refusals, all SESSHU_EINVAL, with out left {NULL, 0}: end of input
 * before a line ("--password-fd 3: expected a line for "Password", got end
 * of input"), a line longer than SECRET_LINE_MAX (the rest of it is read
 * and discarded, so it never reaches a shell), an empty line, a NUL byte.
 * A read error is SESSHU_EIO; a signal that does not stop the process
 * (an INT or TERM whose handler returns) is SESSHU_EIO "interrupted".
 */
int	secret_read(struct secret_source *src, const char *prompt,
	    struct secbuf *out, struct sesshu_err *err);

/* Closes the terminal (not a borrowed fd) and frees src. NULL-safe. */
void	secret_source_close(struct secret_source *src);

#endif
