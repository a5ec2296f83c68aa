/*
 * secmem.h: locked, wiped memory for key material.
 *
 * Every secret (master key, KEK, password copy, raw SQLCipher key text)
 * lives in a struct secbuf carved from one arena that is mmap'd, mlock'd
 * (never swapped) and excluded from core dumps. Releasing a buffer wipes it
 * with OPENSSL_cleanse before the block returns to the arena; the arena
 * stays mapped, so a released block reads as zero until it is reused.
 * Never print or log the contents of a secbuf.
 */
#ifndef SESSHU_AUTH_SECMEM_H
#define SESSHU_AUTH_SECMEM_H

#include <stddef.h>

#include "core/err.h"

#define SECMEM_DEFAULT_ARENA	(256u * 1024u)

struct secbuf {
	unsigned char	*data;	/* owned by the arena; NULL when released */
	size_t		 len;
};

/*
 * Maps and locks the arena. Called lazily with SECMEM_DEFAULT_ARENA by the
 * first secbuf_alloc; call it early to fail at start-up instead, with a
 * message naming RLIMIT_MEMLOCK when the kernel refuses to lock.
 */
int	secmem_init(size_t arena_bytes, struct sesshu_err *err);

/* Allocates len zeroed bytes of locked memory. */
int	secbuf_alloc(struct secbuf *buf, size_t len, struct sesshu_err *err);

/* Allocates and copies len bytes from src (which the caller then wipes). */
int	secbuf_dup(struct secbuf *buf, const void *src, size_t len,
	    struct sesshu_err *err);

/* Wipes and returns the block; buf becomes {NULL, 0}. NULL-safe, idempotent. */
void	secbuf_release(struct secbuf *buf);

/* Nonzero when p lies inside the locked arena (for tests and assertions). */
int	secmem_owns(const void *p);

/* Bytes currently handed out (tests check for leaks of secrets). */
size_t	secmem_in_use(void);

#endif
