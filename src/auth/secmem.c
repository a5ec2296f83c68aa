/*
 * secmem.c: the locked arena behind struct secbuf.
 *
 * Why not malloc + mlock per buffer: mlock works on whole pages, so two
 * secrets in one page would be unlocked together, and free() hands the page
 * back to the heap where the next allocation may be logged or dumped. One
 * arena of fixed-size blocks keeps every secret on locked, undumpable pages
 * for the life of the process. Why not OpenSSL's secure heap: its free
 * list is global to libcrypto and its blocks are power-of-two sized; ours
 * is small, and a released block can be checked to read as zero.
 */
#include "auth/secmem.h"

#include <errno.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include <openssl/crypto.h>

#define BLOCK		64u		/* allocation granularity, bytes */
#define MAX_BLOCKS	(1u << 16)	/* 4 MiB: more than any secret needs */

static pthread_mutex_t	 arena_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char	*arena;
static size_t		 arena_blocks;
/* run_len[i] is the length in blocks of the allocation starting at i, else 0;
 * used[i] marks every block of an allocation. */
static uint16_t		*run_len;
static unsigned char	*used;
static size_t		 bytes_in_use;

static int
arena_init_locked(size_t arena_bytes, struct sesshu_err *err)
{
	size_t blocks = (arena_bytes + BLOCK - 1) / BLOCK;
	size_t bytes = blocks * BLOCK;
	struct rlimit rl;
	void *p;

	if (arena != NULL)
		return 0;
	if (blocks == 0 || blocks > MAX_BLOCKS)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "secure memory arena of %zu bytes is out of range", arena_bytes);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return sesshu_err_set(err, SESSHU_ENOMEM,
		    "cannot map %zu bytes for secrets: %s", bytes, strerror(errno));
	if (mlock(p, bytes) != 0) {
		int saved = errno;

		munmap(p, bytes);
		getrlimit(RLIMIT_MEMLOCK, &rl);
		return sesshu_err_set(err, SESSHU_EMLOCK,
		    "cannot lock %zu bytes of memory for secrets (%s); "
		    "RLIMIT_MEMLOCK is %llu bytes: raise it (LimitMEMLOCK= in the "
		    "systemd unit, or ulimit -l)", bytes, strerror(saved),
		    (unsigned long long)rl.rlim_cur);
	}
	/* Keep secrets out of core files even if core dumps get re-enabled. */
	(void)madvise(p, bytes, MADV_DONTDUMP);
	run_len = calloc(blocks, sizeof(*run_len));
	used = calloc(blocks, 1);
	if (run_len == NULL || used == NULL) {
		free(run_len);
		free(used);
		munlock(p, bytes);
		munmap(p, bytes);
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	}
	arena = p;
	arena_blocks = blocks;
	return 0;
}

int
secmem_init(size_t arena_bytes, struct sesshu_err *err)
{
	int rc;

	pthread_mutex_lock(&arena_lock);
	rc = arena_init_locked(arena_bytes, err);
	pthread_mutex_unlock(&arena_lock);
	return rc;
}

int
secbuf_alloc(struct secbuf *buf, size_t len, struct sesshu_err *err)
{
	size_t need, run = 0, start = 0;
	int rc;

	buf->data = NULL;
	buf->len = 0;
	if (len == 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "empty secret buffer");
	need = (len + BLOCK - 1) / BLOCK;
	if (need > UINT16_MAX)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "secret of %zu bytes is too large", len);

	pthread_mutex_lock(&arena_lock);
	if ((rc = arena_init_locked(SECMEM_DEFAULT_ARENA, err)) != 0) {
		pthread_mutex_unlock(&arena_lock);
		return rc;
	}
	/* First fit: secrets are few and short-lived, fragmentation is moot. */
	for (size_t i = 0; i < arena_blocks; i++) {
		if (used[i]) {
			run = 0;
			continue;
		}
		if (run++ == 0)
			start = i;
		if (run == need)
			break;
	}
	if (run < need) {
		pthread_mutex_unlock(&arena_lock);
		return sesshu_err_set(err, SESSHU_ENOMEM,
		    "secure memory arena is full (%zu bytes requested)", len);
	}
	memset(used + start, 1, need);
	run_len[start] = (uint16_t)need;
	bytes_in_use += need * BLOCK;
	pthread_mutex_unlock(&arena_lock);

	buf->data = arena + start * BLOCK;
	memset(buf->data, 0, need * BLOCK);
	buf->len = len;
	return 0;
}

int
secbuf_dup(struct secbuf *buf, const void *src, size_t len,
    struct sesshu_err *err)
{
	int rc;

	if ((rc = secbuf_alloc(buf, len, err)) != 0)
		return rc;
	memcpy(buf->data, src, len);
	return 0;
}

void
secbuf_release(struct secbuf *buf)
{
	size_t start, n;

	if (buf == NULL || buf->data == NULL)
		return;
	pthread_mutex_lock(&arena_lock);
	start = (size_t)(buf->data - arena) / BLOCK;
	n = run_len[start];
	/* OPENSSL_cleanse: a wipe the compiler may not elide. */
	OPENSSL_cleanse(buf->data, n * BLOCK);
	memset(used + start, 0, n);
	run_len[start] = 0;
	bytes_in_use -= n * BLOCK;
	pthread_mutex_unlock(&arena_lock);
	buf->data = NULL;
	buf->len = 0;
}

int
secmem_owns(const void *p)
{
	const unsigned char *c = p;

	return arena != NULL && c >= arena && c < arena + arena_blocks * BLOCK;
}

size_t
secmem_in_use(void)
{
	size_t n;

	pthread_mutex_lock(&arena_lock);
	n = bytes_in_use;
	pthread_mutex_unlock(&arena_lock);
	return n;
}
