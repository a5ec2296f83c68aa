/*
 * testutil.h: helpers shared by the unit tests: temporary directories,
 * whole-file reads, byte searches and test keys. Test-only; never linked
 * into the programs.
 */
#ifndef SESSHU_TESTUTIL_H
#define SESSHU_TESTUTIL_H

#include <stddef.h>

#include "auth/secmem.h"

/* Creates a fresh directory under $TMPDIR; caller frees the path. */
char	*tu_mkdtemp(const char *tag);

/* Removes a directory tree created by tu_mkdtemp. */
void	 tu_rm_rf(const char *path);

/* Reads a whole file; *len receives its size; caller frees. NULL if absent. */
unsigned char *tu_read_file(const char *path, size_t *len);

/* Writes a whole file (mode 0600), replacing it. Returns 0 on success. */
int	 tu_write_file(const char *path, const void *data, size_t len);

/* Nonzero when needle occurs in the file. */
int	 tu_file_contains(const char *path, const void *needle, size_t len);

/*
 * Counts the regular files under dir (recursively) that contain needle,
 * and copies the first such path into hit (if non-NULL).
 */
int	 tu_dir_contains(const char *dir, const void *needle, size_t len,
	    char *hit, size_t hitlen);

/* A 32-byte key in a secbuf, filled with seed, seed+1, ... */
void	 tu_key(struct secbuf *key, unsigned char seed);

/* "dir/name" in a static buffer that the next call overwrites. */
const char *tu_path(const char *dir, const char *name);

/*
 * Sends one command ("SCAN alice", "RETRY 1", ...) to libfprint's
 * virtual_device reader listening on the unix socket path, in one write as
 * the driver wants, and iterates the default GLib main context until the
 * driver has taken it and closed the connection (10 s deadline). The
 * reader must be open. Fails the test otherwise.
 */
void	 tu_vdev_send(const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
