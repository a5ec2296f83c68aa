/*
 * test_keyslot.c: the key-slot file opens only with the right password, for
 * the right user on the right workstation; refuses every damaged, truncated,
 * newer or hostile file at load without writing to it; saves atomically;
 * and leaves no unlocked key behind in secure memory.
 *
 * Most tests use cheap scrypt parameters (log2N 10, 1 MiB); one uses
 * KEYSLOT_DEFAULT_PARAMS to prove they work. No timing is asserted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/sha.h>

#include "auth/keyslot.h"
#include "auth/secmem.h"
#include "testutil.h"

#define WS		"ws-kanazawa-01"
#define PW_A		"correct horse"
#define PW_B		"battery staple"

static const struct keyslot_params FAST = { 10, 8, 1 };

struct fx {
	char		*dir;
	char		 path[4096];
	struct secbuf	 key;
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	fx->dir = tu_mkdtemp("keyslot");
	snprintf(fx->path, sizeof(fx->path), "%s/keyslots", fx->dir);
	tu_key(&fx->key, 0x40);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	secbuf_release(&fx->key);
	tu_rm_rf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

/* ---- helpers ---- */

static struct keyslot_file *
new_file(const char *ws)
{
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = NULL;

	if (keyslot_file_new(&f, ws, &err) != 0)
		fail_msg("keyslot_file_new: %s", err.msg);
	return f;
}

static void
add_ok(struct keyslot_file *f, const char *user, const char *pw,
    const struct secbuf *key, const struct keyslot_params *params)
{
	struct sesshu_err err = { 0 };

	if (keyslot_add(f, user, pw, strlen(pw), key, params, &err) != 0)
		fail_msg("keyslot_add %s: %s", user, err.msg);
}

static void
save_ok(const struct keyslot_file *f, const char *path)
{
	struct sesshu_err err = { 0 };

	if (keyslot_file_save(f, path, &err) != 0)
		fail_msg("keyslot_file_save: %s", err.msg);
}

static struct keyslot_file *
load_ok(const char *path)
{
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = NULL;

	if (keyslot_file_load(&f, path, &err) != 0)
		fail_msg("keyslot_file_load: %s", err.msg);
	return f;
}

/* Unlocks and checks that the key is the expected one. */
static void
opens_with(const struct keyslot_file *f, const char *user, const char *pw,
    const struct secbuf *want)
{
	struct sesshu_err err = { 0 };
	struct secbuf got = { NULL, 0 };

	if (keyslot_unlock(f, user, pw, strlen(pw), &got, &err) != 0)
		fail_msg("keyslot_unlock %s: %s", user, err.msg);
	assert_int_equal(got.len, KEYSLOT_KEY_BYTES);
	assert_true(secmem_owns(got.data));
	assert_memory_equal(got.data, want->data, KEYSLOT_KEY_BYTES);
	secbuf_release(&got);
}

/* Expects a refusal with code; returns it after checking out is empty. */
static void
refuses(const struct keyslot_file *f, const char *user, const char *pw,
    int code, struct sesshu_err *err)
{
	struct secbuf got = { (unsigned char *)1, 1 };

	assert_int_equal(keyslot_unlock(f, user, pw, strlen(pw), &got, err),
	    code);
	assert_int_equal(err->code, code);
	assert_null(got.data);
	assert_int_equal(got.len, 0);
}

/* A saved file with two users, read back into memory; caller frees. */
static unsigned char *
two_user_file(struct fx *fx, size_t *len)
{
	struct keyslot_file *f = new_file(WS);
	unsigned char *d;

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	add_ok(f, "bob", PW_B, &fx->key, &FAST);
	save_ok(f, fx->path);
	keyslot_file_free(f);
	d = tu_read_file(fx->path, len);
	assert_non_null(d);
	return d;
}

/* Recomputes the trailing SHA-256, as a hostile writer would. */
static void
resum(unsigned char *d, size_t len)
{
	SHA256(d, len - SHA256_DIGEST_LENGTH, d + len - SHA256_DIGEST_LENGTH);
}

/* Offset of the first slot: magic 8, version 2, length 1, ID, count 2. */
static size_t
slot0_off(const unsigned char *d)
{
	return 8 + 2 + 1 + d[10] + 2;
}

/* Writes d to path, loads it, and expects a refusal; returns the code. */
static int
load_refused(const char *path, const unsigned char *d, size_t len,
    struct sesshu_err *err)
{
	struct keyslot_file *f = (struct keyslot_file *)1;
	int rc;

	assert_int_equal(tu_write_file(path, d, len), 0);
	rc = keyslot_file_load(&f, path, err);
	if (rc == 0)
		keyslot_file_free(f);
	assert_int_not_equal(rc, 0);
	assert_null(f);
	assert_int_equal(err->code, rc);
	/* The message names the file. */
	assert_non_null(strstr(err->msg, path));
	return rc;
}

static void
assert_file_is(const char *path, const unsigned char *d, size_t len)
{
	unsigned char *now;
	size_t n;

	now = tu_read_file(path, &n);
	assert_non_null(now);
	assert_int_equal(n, len);
	assert_memory_equal(now, d, len);
	free(now);
}

/* ---- opening ---- */

static void
test_keyslot_right_password_opens_same_key(void **state)
{
	struct fx *fx = *state;
	struct keyslot_file *f = new_file(WS);

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	assert_int_equal(keyslot_count(f), 1);
	assert_true(keyslot_has_user(f, "alice"));
	assert_false(keyslot_has_user(f, "bob"));
	opens_with(f, "alice", PW_A, &fx->key);
	keyslot_file_free(f);
}

static void
test_keyslot_save_then_load_keeps_everything(void **state)
{
	struct fx *fx = *state;
	struct keyslot_file *f;
	size_t len;
	unsigned char *d = two_user_file(fx, &len);

	free(d);
	f = load_ok(fx->path);
	assert_string_equal(keyslot_file_workstation(f), WS);
	assert_int_equal(keyslot_count(f), 2);
	assert_string_equal(keyslot_user_at(f, 0), "alice");
	assert_string_equal(keyslot_user_at(f, 1), "bob");
	assert_null(keyslot_user_at(f, 2));
	opens_with(f, "alice", PW_A, &fx->key);
	opens_with(f, "bob", PW_B, &fx->key);
	keyslot_file_free(f);
}

static void
test_keyslot_default_params_open(void **state)
{
	struct fx *fx = *state;
	struct keyslot_file *f = new_file(WS);

	assert_int_equal(KEYSLOT_DEFAULT_PARAMS.log2_n, 16);
	assert_int_equal(KEYSLOT_DEFAULT_PARAMS.r, 10);
	assert_int_equal(KEYSLOT_DEFAULT_PARAMS.p, 1);
	add_ok(f, "alice", PW_A, &fx->key, NULL);	/* NULL: the defaults */
	save_ok(f, fx->path);
	keyslot_file_free(f);
	f = load_ok(fx->path);
	opens_with(f, "alice", PW_A, &fx->key);
	keyslot_file_free(f);
}

static void
test_keyslot_wrong_password_is_eauth_and_leaves_file_unchanged(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f;
	size_t len;
	unsigned char *before = two_user_file(fx, &len);

	f = load_ok(fx->path);
	refuses(f, "alice", PW_B, SESSHU_EAUTH, &err);
	assert_string_equal(err.msg,
	    "the password does not open the key slot of user alice");
	refuses(f, "alice", "", SESSHU_EAUTH, &err);
	/* One byte off. */
	refuses(f, "alice", "correct horsE", SESSHU_EAUTH, &err);
	keyslot_file_free(f);
	assert_file_is(fx->path, before, len);
	free(before);
}

static void
test_keyslot_unknown_user_is_enotfound(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	refuses(f, "carol", PW_A, SESSHU_ENOTFOUND, &err);
	assert_non_null(strstr(err.msg, "carol"));
	assert_non_null(strstr(err.msg, WS));
	keyslot_file_free(f);
}

static void
test_keyslot_failed_unlock_leaves_no_secure_memory_in_use(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	size_t before;

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	before = secmem_in_use();
	refuses(f, "alice", PW_B, SESSHU_EAUTH, &err);
	refuses(f, "nobody", PW_A, SESSHU_ENOTFOUND, &err);
	assert_int_equal(secmem_in_use(), before);
	keyslot_file_free(f);
}

static void
test_keyslot_unlocked_key_reads_zero_after_release(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	struct secbuf got = { NULL, 0 };
	unsigned char *old;
	size_t before;

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	before = secmem_in_use();
	assert_int_equal(keyslot_unlock(f, "alice", PW_A, strlen(PW_A), &got,
	    &err), 0);
	assert_memory_equal(got.data, fx->key.data, KEYSLOT_KEY_BYTES);
	old = got.data;
	assert_true(secmem_owns(old));
	secbuf_release(&got);
	assert_null(got.data);
	/* The arena stays mapped (secmem.c): the block must read as zero. */
	for (size_t i = 0; i < KEYSLOT_KEY_BYTES; i++)
		assert_int_equal(old[i], 0);
	/* The KEK went back too. */
	assert_int_equal(secmem_in_use(), before);
	keyslot_file_free(f);
}

/* ---- adding, removing, rewrapping ---- */

static void
test_keyslot_remove_one_user_the_other_still_opens(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f;
	size_t len;

	free(two_user_file(fx, &len));
	f = load_ok(fx->path);
	assert_int_equal(keyslot_remove(f, "alice", &err), 0);
	assert_int_equal(keyslot_count(f), 1);
	assert_false(keyslot_has_user(f, "alice"));
	save_ok(f, fx->path);
	keyslot_file_free(f);

	f = load_ok(fx->path);
	assert_int_equal(keyslot_count(f), 1);
	assert_string_equal(keyslot_user_at(f, 0), "bob");
	refuses(f, "alice", PW_A, SESSHU_ENOTFOUND, &err);
	opens_with(f, "bob", PW_B, &fx->key);
	keyslot_file_free(f);
}

static void
test_keyslot_remove_unknown_user_is_enotfound(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	assert_int_equal(keyslot_remove(f, "bob", &err), SESSHU_ENOTFOUND);
	assert_non_null(strstr(err.msg, "bob"));
	assert_int_equal(keyslot_count(f), 1);
	keyslot_file_free(f);
}

static void
test_keyslot_add_replaces_the_users_slot(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	add_ok(f, "bob", PW_B, &fx->key, &FAST);
	add_ok(f, "alice", "new one", &fx->key, &FAST);
	assert_int_equal(keyslot_count(f), 2);
	assert_string_equal(keyslot_user_at(f, 0), "alice");	/* kept its place */
	refuses(f, "alice", PW_A, SESSHU_EAUTH, &err);
	opens_with(f, "alice", "new one", &fx->key);
	opens_with(f, "bob", PW_B, &fx->key);
	keyslot_file_free(f);
}

static void
test_keyslot_rewrap_old_password_no_longer_opens(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f;
	size_t len;

	free(two_user_file(fx, &len));
	f = load_ok(fx->path);
	assert_int_equal(keyslot_rewrap(f, "alice", PW_A, strlen(PW_A),
	    "sakura 2025", strlen("sakura 2025"), &FAST, &err), 0);
	save_ok(f, fx->path);
	keyslot_file_free(f);

	f = load_ok(fx->path);
	refuses(f, "alice", PW_A, SESSHU_EAUTH, &err);
	opens_with(f, "alice", "sakura 2025", &fx->key);
	opens_with(f, "bob", PW_B, &fx->key);
	keyslot_file_free(f);
}

static void
test_keyslot_rewrap_with_wrong_old_password_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	assert_int_equal(keyslot_rewrap(f, "alice", PW_B, strlen(PW_B),
	    "sakura 2025", strlen("sakura 2025"), &FAST, &err), SESSHU_EAUTH);
	assert_int_equal(keyslot_rewrap(f, "carol", PW_A, strlen(PW_A),
	    "sakura 2025", strlen("sakura 2025"), &FAST, &err),
	    SESSHU_ENOTFOUND);
	opens_with(f, "alice", PW_A, &fx->key);
	refuses(f, "alice", "sakura 2025", SESSHU_EAUTH, &err);
	keyslot_file_free(f);
}

static void
test_keyslot_empty_password_is_refused(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);

	assert_int_equal(keyslot_add(f, "alice", "", 0, &fx->key, &FAST, &err),
	    SESSHU_EINVAL);
	assert_int_equal(keyslot_count(f), 0);
	keyslot_file_free(f);
}

static void
test_keyslot_wrong_key_length_is_refused(void **state)
{
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	struct secbuf shortkey;

	(void)state;
	assert_int_equal(secbuf_alloc(&shortkey, 16, NULL), 0);
	assert_int_equal(keyslot_add(f, "alice", PW_A, strlen(PW_A), &shortkey,
	    &FAST, &err), SESSHU_EINVAL);
	assert_int_equal(keyslot_count(f), 0);
	secbuf_release(&shortkey);
	keyslot_file_free(f);
}

static void
test_keyslot_invalid_ids_are_refused(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = NULL;
	char longid[KEYSLOT_ID_MAX + 2];
	const char *bad[] = { "", "a b", "alice/..", "caf\xc3\xa9", "tab\t",
	    longid };

	memset(longid, 'x', KEYSLOT_ID_MAX + 1);
	longid[KEYSLOT_ID_MAX + 1] = '\0';
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(keyslot_file_new(&f, bad[i], &err),
		    SESSHU_EINVAL);
		assert_null(f);
	}
	f = new_file(WS);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(keyslot_add(f, bad[i], PW_A, strlen(PW_A),
		    &fx->key, &FAST, &err), SESSHU_EINVAL);
	/* Exactly KEYSLOT_ID_MAX characters is allowed. */
	longid[KEYSLOT_ID_MAX] = '\0';
	add_ok(f, longid, PW_A, &fx->key, &FAST);
	add_ok(f, "A.z_0-9", PW_A, &fx->key, &FAST);
	save_ok(f, fx->path);
	keyslot_file_free(f);
	f = load_ok(fx->path);
	opens_with(f, longid, PW_A, &fx->key);
	keyslot_file_free(f);
}

static void
test_keyslot_slot_count_is_capped(void **state)
{
	struct fx *fx = *state;
	static const struct keyslot_params cheapest = { 10, 1, 1 };
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	char user[16];

	for (int i = 0; i < KEYSLOT_MAX_SLOTS; i++) {
		snprintf(user, sizeof(user), "u%03d", i);
		add_ok(f, user, PW_A, &fx->key, &cheapest);
	}
	assert_int_equal(keyslot_add(f, "one-too-many", PW_A, strlen(PW_A),
	    &fx->key, &cheapest, &err), SESSHU_ERANGE);
	/* Replacing an existing user's slot is still possible when full. */
	add_ok(f, "u100", PW_B, &fx->key, &cheapest);
	save_ok(f, fx->path);
	keyslot_file_free(f);
	f = load_ok(fx->path);
	assert_int_equal(keyslot_count(f), KEYSLOT_MAX_SLOTS);
	opens_with(f, "u255", PW_A, &fx->key);
	opens_with(f, "u100", PW_B, &fx->key);
	keyslot_file_free(f);
}

static void
test_keyslot_params_out_of_bounds_from_caller_are_erange(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	const struct keyslot_params bad[] = {
		{ 9, 8, 1 }, { 23, 1, 1 }, { 10, 0, 1 }, { 10, 33, 1 },
		{ 10, 8, 0 }, { 10, 8, 17 }, { 19, 32, 1 }, { 22, 3, 1 },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(keyslot_add(f, "alice", PW_A, strlen(PW_A),
		    &fx->key, &bad[i], &err), SESSHU_ERANGE);
		assert_non_null(strstr(err.msg, "scrypt"));
		assert_non_null(strstr(err.msg, "alice"));
	}
	assert_int_equal(keyslot_count(f), 0);
	keyslot_file_free(f);
}

/* ---- the binding in the AAD ---- */

static void
test_keyslot_slot_moved_to_another_user_does_not_open(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	unsigned char *d;
	size_t len, off;

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	save_ok(f, fx->path);
	keyslot_file_free(f);
	d = tu_read_file(fx->path, &len);
	off = slot0_off(d);
	assert_int_equal(d[off], 5);
	assert_memory_equal(d + off + 1, "alice", 5);
	memcpy(d + off + 1, "mallo", 5);	/* same length, new owner */
	resum(d, len);
	assert_int_equal(tu_write_file(fx->path, d, len), 0);
	free(d);

	f = load_ok(fx->path);
	refuses(f, "mallo", PW_A, SESSHU_EAUTH, &err);
	keyslot_file_free(f);
}

static void
test_keyslot_slot_copied_into_another_users_file_entry_does_not_open(
    void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	unsigned char *d;
	size_t len, a, b, fixed = 94;

	/* bob copies alice's slot body over his own, keeping his user ID. */
	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	add_ok(f, "bobby", PW_B, &fx->key, &FAST);
	save_ok(f, fx->path);
	keyslot_file_free(f);
	d = tu_read_file(fx->path, &len);
	a = slot0_off(d) + 1 + 5;
	b = a + fixed + 1 + 5;
	assert_memory_equal(d + b - 5, "bobby", 5);
	memcpy(d + b, d + a, fixed);
	resum(d, len);
	assert_int_equal(tu_write_file(fx->path, d, len), 0);
	free(d);

	f = load_ok(fx->path);
	refuses(f, "bobby", PW_A, SESSHU_EAUTH, &err);
	opens_with(f, "alice", PW_A, &fx->key);
	keyslot_file_free(f);
}

static void
test_keyslot_slot_moved_to_another_workstation_does_not_open(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	unsigned char *d;
	size_t len;

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	save_ok(f, fx->path);
	keyslot_file_free(f);
	d = tu_read_file(fx->path, &len);
	assert_int_equal(d[10], strlen(WS));
	assert_memory_equal(d + 11, WS, strlen(WS));
	memcpy(d + 11, "ws-kanazawa-02", strlen(WS));
	resum(d, len);
	assert_int_equal(tu_write_file(fx->path, d, len), 0);
	free(d);

	f = load_ok(fx->path);
	assert_string_equal(keyslot_file_workstation(f), "ws-kanazawa-02");
	refuses(f, "alice", PW_A, SESSHU_EAUTH, &err);
	keyslot_file_free(f);
}

static void
test_keyslot_lowered_scrypt_cost_does_not_open(void **state)
{
	struct fx *fx = *state;
	static const struct keyslot_params p11 = { 11, 8, 2 };
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	unsigned char *d;
	size_t len, off;

	add_ok(f, "alice", PW_A, &fx->key, &p11);
	save_ok(f, fx->path);
	keyslot_file_free(f);
	d = tu_read_file(fx->path, &len);
	off = slot0_off(d) + 1 + 5;
	assert_int_equal(d[off + 1], 11);	/* log2N */
	d[off + 1] = 10;
	resum(d, len);
	assert_int_equal(tu_write_file(fx->path, d, len), 0);
	f = load_ok(fx->path);
	refuses(f, "alice", PW_A, SESSHU_EAUTH, &err);
	keyslot_file_free(f);

	d[off + 1] = 11;
	d[off + 2 + 4 + 3] = 1;		/* p from 2 to 1 */
	resum(d, len);
	assert_int_equal(tu_write_file(fx->path, d, len), 0);
	f = load_ok(fx->path);
	refuses(f, "alice", PW_A, SESSHU_EAUTH, &err);
	keyslot_file_free(f);
	free(d);
}

/* ---- the file as bytes ---- */

static void
test_keyslot_file_layout_is_as_documented(void **state)
{
	struct fx *fx = *state;
	static const struct keyslot_params p = { 12, 9, 3 };
	struct keyslot_file *f = new_file("ws-01");
	unsigned char *d, sum[SHA256_DIGEST_LENGTH];
	const unsigned char *s;
	size_t len;

	add_ok(f, "alice", PW_A, &fx->key, &p);
	save_ok(f, fx->path);
	keyslot_file_free(f);
	d = tu_read_file(fx->path, &len);
	/* docs/SECURITY.md: header 18, slot 1 + 5 + 94, SHA-256 32. */
	assert_int_equal(len, 8 + 2 + 1 + 5 + 2 + 1 + 5 + 94 + 32);
	assert_memory_equal(d, "SESSHUKS", 8);
	assert_int_equal(d[8], 0);
	assert_int_equal(d[9], 1);
	assert_int_equal(d[10], 5);
	assert_memory_equal(d + 11, "ws-01", 5);
	assert_int_equal(d[16], 0);
	assert_int_equal(d[17], 1);
	s = d + 18;
	assert_int_equal(s[0], 5);
	assert_memory_equal(s + 1, "alice", 5);
	assert_int_equal(s[6], 1);		/* KDF id: scrypt */
	assert_int_equal(s[7], 12);		/* log2N */
	assert_memory_equal(s + 8, "\0\0\0\x09", 4);	/* r, big-endian */
	assert_memory_equal(s + 12, "\0\0\0\x03", 4);	/* p */
	/* created (s + 92, 8 bytes big-endian) is a plausible unix time. */
	{
		uint64_t t = 0;

		for (int i = 0; i < 8; i++)
			t = (t << 8) | s[92 + i];
		assert_true(t > 1700000000u && t < 4102444800u);
	}
	SHA256(d, len - 32, sum);
	assert_memory_equal(d + len - 32, sum, 32);
	/* Neither the key nor the password is in the file. */
	assert_false(tu_file_contains(fx->path, fx->key.data, 32));
	assert_false(tu_file_contains(fx->path, PW_A, strlen(PW_A)));
	free(d);
}

static void
test_keyslot_every_bit_flip_is_refused_at_load(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	unsigned char *good, *d;
	size_t len;
	int rc;

	good = two_user_file(fx, &len);
	d = malloc(len);
	assert_non_null(d);
	/* The SHA-256 covers every byte, so every flip must fail at load. */
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(d, good, len);
			d[i] ^= (unsigned char)(1u << bit);
			rc = load_refused(fx->path, d, len, &err);
			if (rc != SESSHU_EFORMAT && rc != SESSHU_ECORRUPT)
				fail_msg("byte %zu bit %d: code %d (%s)", i,
				    bit, rc, err.msg);
			/* Refusing never writes to the file. */
			assert_file_is(fx->path, d, len);
		}
	}
	free(d);
	free(good);
}

static void
test_keyslot_every_truncation_is_refused_at_load(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	unsigned char *good;
	size_t len;
	int rc;

	good = two_user_file(fx, &len);
	for (size_t n = 0; n < len; n++) {
		rc = load_refused(fx->path, good, n, &err);
		if (rc != SESSHU_EFORMAT && rc != SESSHU_ECORRUPT)
			fail_msg("length %zu: code %d (%s)", n, rc, err.msg);
		assert_file_is(fx->path, good, n);
	}
	/* The framing reports where the file ends. */
	rc = load_refused(fx->path, good, 87, &err);
	assert_int_equal(rc, SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "truncated at byte 87"));
	free(good);
}

static void
test_keyslot_bytes_after_the_checksum_are_refused(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	unsigned char *good, *d;
	size_t len;

	good = two_user_file(fx, &len);
	d = calloc(1, len + 1);
	assert_non_null(d);
	memcpy(d, good, len);
	assert_int_equal(load_refused(fx->path, d, len + 1, &err),
	    SESSHU_EFORMAT);
	assert_file_is(fx->path, d, len + 1);
	/* Even with the checksum moved to cover the extra byte. */
	resum(d, len + 1);
	assert_int_equal(load_refused(fx->path, d, len + 1, &err),
	    SESSHU_EFORMAT);
	free(d);
	free(good);
}

static void
test_keyslot_checksum_mismatch_is_ecorrupt(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	unsigned char *d;
	size_t len;

	d = two_user_file(fx, &len);
	d[len - 1] ^= 0x80;
	assert_int_equal(load_refused(fx->path, d, len, &err),
	    SESSHU_ECORRUPT);
	assert_non_null(strstr(err.msg, "checksum mismatch"));
	free(d);
}

static void
test_keyslot_not_a_keyslot_file_is_eformat(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	static const char sqlite[] = "SQLite format 3\0 and then some pages";

	assert_int_equal(load_refused(fx->path, (const unsigned char *)sqlite,
	    sizeof(sqlite), &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "bad magic"));
}

static void
test_keyslot_oversized_file_is_eformat(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	size_t len = 1 << 20;
	unsigned char *d = calloc(1, len);

	assert_non_null(d);
	memcpy(d, "SESSHUKS\0\1", 10);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "larger than any"));
	free(d);
}

static void
test_keyslot_missing_file_is_enotfound(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = NULL;

	assert_int_equal(keyslot_file_load(&f, fx->path, &err),
	    SESSHU_ENOTFOUND);
	assert_null(f);
	assert_non_null(strstr(err.msg, fx->path));
}

static void
test_keyslot_fifo_or_directory_is_refused_without_blocking(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = NULL;

	assert_int_equal(mkfifo(fx->path, 0600), 0);
	assert_int_equal(keyslot_file_load(&f, fx->path, &err), SESSHU_EIO);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(keyslot_file_load(&f, fx->dir, &err), SESSHU_EIO);
	assert_null(f);
}

static void
test_keyslot_newer_version_is_eversion(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	unsigned char *d;
	size_t len;

	d = two_user_file(fx, &len);
	d[9] = 2;
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EVERSION);
	assert_non_null(strstr(err.msg,
	    "unknown format version 2 (this program reads 1)"));
	assert_file_is(fx->path, d, len);
	d[8] = 1;
	d[9] = 7;
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EVERSION);
	assert_non_null(strstr(err.msg, "unknown format version 263"));
	free(d);
}

static void
test_keyslot_damaged_version_field_is_ecorrupt(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	unsigned char *d;
	size_t len;

	/* A version changed without the checksum is damage, not a new file. */
	d = two_user_file(fx, &len);
	d[9] = 2;
	assert_int_equal(load_refused(fx->path, d, len, &err),
	    SESSHU_ECORRUPT);
	free(d);
}

static void
test_keyslot_hostile_params_in_file_are_erange(void **state)
{
	struct fx *fx = *state;
	static const struct {
		uint8_t		 log2_n;
		uint32_t	 r, p;
		const char	*field;
	} bad[] = {
		{ 9, 8, 1, "log2N" }, { 23, 1, 1, "log2N" },
		{ 63, 1, 1, "log2N" }, { 255, 1, 1, "log2N" },
		{ 10, 0, 1, "scrypt r" }, { 10, 33, 1, "scrypt r" },
		{ 10, 0xffffffffu, 1, "scrypt r" },
		{ 10, 8, 0, "scrypt p" }, { 10, 8, 17, "scrypt p" },
		{ 10, 8, 0xffffffffu, "scrypt p" },
		{ 19, 32, 1, "128*r*N" }, { 22, 3, 16, "128*r*N" },
	};
	struct sesshu_err err = { 0 };
	unsigned char *good, *d;
	size_t len, off;

	good = two_user_file(fx, &len);
	d = malloc(len);
	assert_non_null(d);
	/* The second slot, so the parser must get past a good one. */
	off = slot0_off(good);
	off += 1 + good[off] + 94;
	off += 1 + good[off] + 1;	/* at log2N */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(d, good, len);
		d[off] = bad[i].log2_n;
		for (int k = 0; k < 4; k++) {
			d[off + 1 + k] = (unsigned char)(bad[i].r >> (24 - 8 * k));
			d[off + 5 + k] = (unsigned char)(bad[i].p >> (24 - 8 * k));
		}
		resum(d, len);
		assert_int_equal(load_refused(fx->path, d, len, &err),
		    SESSHU_ERANGE);
		if (strstr(err.msg, bad[i].field) == NULL ||
		    strstr(err.msg, "bob") == NULL)
			fail_msg("case %zu: %s", i, err.msg);
		assert_file_is(fx->path, d, len);
	}
	/* The largest allowed memory, 1 GiB, loads (and is not derived). */
	memcpy(d, good, len);
	d[off] = 18;
	d[off + 4] = 32;
	resum(d, len);
	assert_int_equal(tu_write_file(fx->path, d, len), 0);
	keyslot_file_free(load_ok(fx->path));
	free(d);
	free(good);
}

static void
test_keyslot_hostile_framing_is_eformat(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	unsigned char *good, *d;
	size_t len, off;

	good = two_user_file(fx, &len);
	d = malloc(len);
	assert_non_null(d);
	off = slot0_off(good);

	/* Slot count beyond the cap, checksum fixed. */
	memcpy(d, good, len);
	d[off - 2] = 0x01;
	d[off - 1] = 0x01;	/* 257 */
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "slot count 257"));
	memcpy(d, good, len);
	d[off - 2] = 0xff;
	d[off - 1] = 0xff;
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EFORMAT);

	/* ID lengths 0 and 65. */
	memcpy(d, good, len);
	d[10] = 0;
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EFORMAT);
	memcpy(d, good, len);
	d[off] = KEYSLOT_ID_MAX + 1;
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EFORMAT);

	/* A NUL and a slash inside IDs. */
	memcpy(d, good, len);
	d[off + 2] = '\0';
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EFORMAT);
	memcpy(d, good, len);
	d[12] = '/';
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EFORMAT);

	/* Unknown KDF id. */
	memcpy(d, good, len);
	d[off + 1 + good[off]] = 2;
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "unknown KDF id 2"));
	free(d);
	free(good);
}

static void
test_keyslot_duplicate_user_in_file_is_eformat(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	unsigned char *d;
	size_t len, off;

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	add_ok(f, "bobby", PW_B, &fx->key, &FAST);
	save_ok(f, fx->path);
	keyslot_file_free(f);
	d = tu_read_file(fx->path, &len);
	off = slot0_off(d) + 1 + 5 + 94 + 1;
	assert_memory_equal(d + off, "bobby", 5);
	memcpy(d + off, "alice", 5);
	resum(d, len);
	assert_int_equal(load_refused(fx->path, d, len, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "more than one key slot"));
	free(d);
}

/* ---- saving ---- */

static void
test_keyslot_save_is_atomic_0600_and_leaves_no_tmp(void **state)
{
	struct fx *fx = *state;
	struct keyslot_file *f = new_file(WS);
	char tmp[4200];
	struct stat st;
	mode_t old;

	snprintf(tmp, sizeof(tmp), "%s.tmp", fx->path);
	old = umask(022);	/* a lax umask must not widen the mode */
	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	save_ok(f, fx->path);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(access(tmp, F_OK), -1);
	/* A second save replaces the file (rename over it). */
	add_ok(f, "bob", PW_B, &fx->key, &FAST);
	save_ok(f, fx->path);
	umask(old);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(access(tmp, F_OK), -1);
	keyslot_file_free(f);
	f = load_ok(fx->path);
	assert_int_equal(keyslot_count(f), 2);
	keyslot_file_free(f);
}

static void
test_keyslot_save_replaces_leftover_tmp_of_interrupted_save(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	unsigned char *before;
	char tmp[4200];
	size_t len;

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	save_ok(f, fx->path);
	before = tu_read_file(fx->path, &len);
	snprintf(tmp, sizeof(tmp), "%s.tmp", fx->path);
	assert_int_equal(tu_write_file(tmp, "partial", 7), 0);
	add_ok(f, "bob", PW_B, &fx->key, &FAST);
	assert_int_equal(keyslot_file_save(f, fx->path, &err), 0);
	assert_false(tu_file_contains(tmp, "partial", 7));
	assert_null(tu_read_file(tmp, &len));
	keyslot_file_free(f);
	assert_int_equal(keyslot_file_load(&f, fx->path, &err), 0);
	assert_int_equal(keyslot_count(f), 2);
	keyslot_file_free(f);
	free(before);
}

static void
test_keyslot_save_into_missing_directory_is_eio(void **state)
{
	struct fx *fx = *state;
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	char path[4200];

	snprintf(path, sizeof(path), "%s/no-such-dir/keyslots", fx->dir);
	assert_int_equal(keyslot_file_save(f, path, &err), SESSHU_EIO);
	assert_non_null(strstr(err.msg, "no-such-dir"));
	keyslot_file_free(f);
}

static void
test_keyslot_messages_never_contain_the_password(void **state)
{
	struct fx *fx = *state;
	static const struct keyslot_params bad = { 30, 8, 1 };
	struct sesshu_err err = { 0 };
	struct keyslot_file *f = new_file(WS);
	struct secbuf got;

	add_ok(f, "alice", PW_A, &fx->key, &FAST);
	assert_int_not_equal(keyslot_unlock(f, "alice", PW_B, strlen(PW_B),
	    &got, &err), 0);
	assert_null(strstr(err.msg, PW_B));
	assert_int_not_equal(keyslot_add(f, "bob", PW_B, strlen(PW_B),
	    &fx->key, &bad, &err), 0);
	assert_null(strstr(err.msg, PW_B));
	assert_int_not_equal(keyslot_rewrap(f, "alice", PW_B, strlen(PW_B),
	    PW_A, strlen(PW_A), &FAST, &err), 0);
	assert_null(strstr(err.msg, PW_A));
	assert_null(strstr(err.msg, PW_B));
	keyslot_file_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_keyslot_right_password_opens_same_key),
		T(test_keyslot_save_then_load_keeps_everything),
		T(test_keyslot_default_params_open),
		T(test_keyslot_wrong_password_is_eauth_and_leaves_file_unchanged),
		T(test_keyslot_unknown_user_is_enotfound),
		T(test_keyslot_failed_unlock_leaves_no_secure_memory_in_use),
		T(test_keyslot_unlocked_key_reads_zero_after_release),
		T(test_keyslot_remove_one_user_the_other_still_opens),
		T(test_keyslot_remove_unknown_user_is_enotfound),
		T(test_keyslot_add_replaces_the_users_slot),
		T(test_keyslot_rewrap_old_password_no_longer_opens),
		T(test_keyslot_rewrap_with_wrong_old_password_changes_nothing),
		T(test_keyslot_empty_password_is_refused),
		T(test_keyslot_wrong_key_length_is_refused),
		T(test_keyslot_invalid_ids_are_refused),
		T(test_keyslot_slot_count_is_capped),
		T(test_keyslot_params_out_of_bounds_from_caller_are_erange),
		T(test_keyslot_slot_moved_to_another_user_does_not_open),
		T(test_keyslot_slot_copied_into_another_users_file_entry_does_not_open),
		T(test_keyslot_slot_moved_to_another_workstation_does_not_open),
		T(test_keyslot_lowered_scrypt_cost_does_not_open),
		T(test_keyslot_file_layout_is_as_documented),
		T(test_keyslot_every_bit_flip_is_refused_at_load),
		T(test_keyslot_every_truncation_is_refused_at_load),
		T(test_keyslot_bytes_after_the_checksum_are_refused),
		T(test_keyslot_checksum_mismatch_is_ecorrupt),
		T(test_keyslot_not_a_keyslot_file_is_eformat),
		T(test_keyslot_oversized_file_is_eformat),
		T(test_keyslot_missing_file_is_enotfound),
		T(test_keyslot_fifo_or_directory_is_refused_without_blocking),
		T(test_keyslot_newer_version_is_eversion),
		T(test_keyslot_damaged_version_field_is_ecorrupt),
		T(test_keyslot_hostile_params_in_file_are_erange),
		T(test_keyslot_hostile_framing_is_eformat),
		T(test_keyslot_duplicate_user_in_file_is_eformat),
		T(test_keyslot_save_is_atomic_0600_and_leaves_no_tmp),
		T(test_keyslot_save_replaces_leftover_tmp_of_interrupted_save),
		T(test_keyslot_save_into_missing_directory_is_eio),
		T(test_keyslot_messages_never_contain_the_password),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
