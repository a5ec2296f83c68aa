/*
 * fuzz_login_guard.c: libFuzzer target for the login failures file's
 * parser (sync/login_guard.h).
 *
 * Parses the input as the file's text and checks what login_guard.h
 * promises: a refusal has a code and a message naming the file, and a
 * text that parses formats back to exactly the same bytes (the format has
 * one spelling and a checksum), within LOGIN_GUARD_MAX_BYTES.
 * Build: clang -fsanitize=fuzzer,address,undefined -Isrc $(pkg-config
 *     --cflags glib-2.0) tests/fuzz/fuzz_login_guard.c src/sync/login_guard.c
 *     src/core/err.c $(pkg-config --libs glib-2.0) -lcrypto
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sync/login_guard.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sesshu_err err = { 0 };
	struct login_guard *g = NULL;
	char *text;
	size_t len;

	if (login_guard_parse(&g, (const char *)data, size, "fuzz", &err) != 0) {
		if (err.code == 0 || g != NULL || strstr(err.msg, "fuzz") == NULL)
			abort();
		return 0;
	}
	if (login_guard_format(g, &text, &len, &err) != 0 || len != size ||
	    len > LOGIN_GUARD_MAX_BYTES || memcmp(text, data, size) != 0)
		abort();
	free(text);
	login_guard_free(g);
	return 0;
}
