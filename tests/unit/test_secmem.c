/*
 * test_secmem.c: secure buffers come from the locked arena, start zeroed,
 * read as zero once released, never overlap, and a full arena is refused
 * with a message instead of falling back to ordinary memory.
 *
 * The arena is process-wide and lazily mapped at SECMEM_DEFAULT_ARENA by
 * the first secbuf_alloc; each test returns secmem_in_use() to where it
 * found it, so the tests do not depend on their order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "auth/secmem.h"

#define BLOCK	64	/* secmem.c's allocation granularity */

static void
assert_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			fail_msg("byte %zu is 0x%02x, not zero", i, p[i]);
}

static void
test_secmem_alloc_is_zeroed_owned_and_released(void **state)
{
	struct sesshu_err err = { 0 };
	struct secbuf b;
	size_t before;

	(void)state;
	before = secmem_in_use();
	assert_int_equal(secbuf_alloc(&b, 100, &err), 0);
	assert_non_null(b.data);
	assert_int_equal(b.len, 100);
	assert_true(secmem_owns(b.data));
	assert_true(secmem_owns(b.data + b.len - 1));
	assert_zero(b.data, b.len);
	/* Whole blocks are accounted for. */
	assert_int_equal(secmem_in_use(), before + 2 * BLOCK);
	secbuf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(secmem_in_use(), before);
}

static void
test_secmem_released_block_reads_zero(void **state)
{
	struct secbuf b;
	unsigned char *old;

	(void)state;
	assert_int_equal(secbuf_alloc(&b, 40, NULL), 0);
	memset(b.data, 0xA5, b.len);
	old = b.data;
	secbuf_release(&b);
	/* The arena stays mapped: the wiped block is still readable. */
	assert_zero(old, 40);
	/* The whole block, not only len bytes, is wiped. */
	assert_zero(old, BLOCK);
}

static void
test_secmem_reused_block_starts_zeroed(void **state)
{
	struct secbuf a, b;

	(void)state;
	assert_int_equal(secbuf_alloc(&a, 64, NULL), 0);
	memset(a.data, 0xFF, a.len);
	secbuf_release(&a);
	assert_int_equal(secbuf_alloc(&b, 64, NULL), 0);
	assert_zero(b.data, b.len);
	secbuf_release(&b);
}

static void
test_secmem_buffers_do_not_overlap(void **state)
{
	struct secbuf b[8];

	(void)state;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(secbuf_alloc(&b[i], 1 + 37 * (size_t)i, NULL),
		    0);
		memset(b[i].data, i + 1, b[i].len);
	}
	for (int i = 0; i < 8; i++) {
		for (size_t k = 0; k < b[i].len; k++)
			assert_int_equal(b[i].data[k], i + 1);
		secbuf_release(&b[i]);
	}
}

static void
test_secmem_owns_only_arena_memory(void **state)
{
	struct secbuf b;
	unsigned char stack[16];
	unsigned char *heap = malloc(16);

	(void)state;
	assert_non_null(heap);
	assert_int_equal(secbuf_alloc(&b, 16, NULL), 0);
	assert_true(secmem_owns(b.data));
	assert_false(secmem_owns(stack));
	assert_false(secmem_owns(heap));
	assert_false(secmem_owns(NULL));
	secbuf_release(&b);
	free(heap);
}

static void
test_secmem_release_is_null_safe_and_idempotent(void **state)
{
	struct secbuf b;
	size_t before;

	(void)state;
	secbuf_release(NULL);
	before = secmem_in_use();
	assert_int_equal(secbuf_alloc(&b, 8, NULL), 0);
	secbuf_release(&b);
	secbuf_release(&b);
	assert_int_equal(secmem_in_use(), before);
}

static void
test_secmem_empty_buffer_is_einval(void **state)
{
	struct sesshu_err err = { 0 };
	struct secbuf b = { (unsigned char *)1, 1 };

	(void)state;
	assert_int_equal(secbuf_alloc(&b, 0, &err), SESSHU_EINVAL);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void
test_secmem_full_arena_is_enomem_and_recovers(void **state)
{
	static struct secbuf bufs[SECMEM_DEFAULT_ARENA / BLOCK + 1];
	struct sesshu_err err = { 0 };
	struct secbuf extra;
	size_t before, n = 0;
	int rc;

	(void)state;
	/* Map the arena at its default size before measuring. */
	assert_int_equal(secbuf_alloc(&extra, 1, NULL), 0);
	secbuf_release(&extra);
	before = secmem_in_use();
	while ((rc = secbuf_alloc(&bufs[n], BLOCK, &err)) == 0) {
		n++;
		assert_true(n < sizeof(bufs) / sizeof(bufs[0]));
	}
	assert_int_equal(rc, SESSHU_ENOMEM);
	assert_int_equal(err.code, SESSHU_ENOMEM);
	assert_non_null(strstr(err.msg, "full"));
	assert_null(bufs[n].data);
	/* It was full, with nothing handed out from elsewhere. */
	assert_int_equal(secmem_in_use(), SECMEM_DEFAULT_ARENA);
	assert_int_equal(before + n * BLOCK, SECMEM_DEFAULT_ARENA);
	for (size_t i = 0; i < n; i++)
		secbuf_release(&bufs[i]);
	assert_int_equal(secmem_in_use(), before);
	assert_int_equal(secbuf_alloc(&extra, BLOCK, &err), 0);
	secbuf_release(&extra);
}

static void
test_secmem_oversized_request_is_refused(void **state)
{
	struct sesshu_err err = { 0 };
	struct secbuf b;
	size_t before = secmem_in_use();

	(void)state;
	assert_int_equal(secbuf_alloc(&b, SECMEM_DEFAULT_ARENA + 1, &err),
	    SESSHU_ENOMEM);
	assert_null(b.data);
	assert_int_equal(secmem_in_use(), before);
}

static void
test_secmem_dup_copies_into_the_arena(void **state)
{
	static const unsigned char src[] = "a secret of 24 bytes...";
	struct sesshu_err err = { 0 };
	struct secbuf b;
	unsigned char *old;

	(void)state;
	assert_int_equal(secbuf_dup(&b, src, sizeof(src), &err), 0);
	assert_int_equal(b.len, sizeof(src));
	assert_true(secmem_owns(b.data));
	assert_ptr_not_equal(b.data, src);
	assert_memory_equal(b.data, src, sizeof(src));
	old = b.data;
	secbuf_release(&b);
	assert_zero(old, sizeof(src));
	assert_int_equal(secbuf_dup(&b, src, 0, &err), SESSHU_EINVAL);
	assert_null(b.data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secmem_alloc_is_zeroed_owned_and_released),
		cmocka_unit_test(test_secmem_released_block_reads_zero),
		cmocka_unit_test(test_secmem_reused_block_starts_zeroed),
		cmocka_unit_test(test_secmem_buffers_do_not_overlap),
		cmocka_unit_test(test_secmem_owns_only_arena_memory),
		cmocka_unit_test(test_secmem_release_is_null_safe_and_idempotent),
		cmocka_unit_test(test_secmem_empty_buffer_is_einval),
		cmocka_unit_test(test_secmem_full_arena_is_enomem_and_recovers),
		cmocka_unit_test(test_secmem_oversized_request_is_refused),
		cmocka_unit_test(test_secmem_dup_copies_into_the_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
