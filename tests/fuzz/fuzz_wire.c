/*
 * fuzz_wire.c: libFuzzer target for the wire helpers (sync/wire.h).
 *
 * Parses the input as a body and, when it is an object, checks it against
 * a push-like field table, walks changes[] with the getters and paths as a
 * handler would, and checks what wire.h promises: a refusal has a code and
 * a message, and no message ever quotes a string value of the body. The
 * same bytes also go through base64 and UUID checking; whatever decodes
 * must encode back to the same text.
 * Build: clang -fsanitize=fuzzer,address,undefined -Isrc
 *     tests/fuzz/fuzz_wire.c src/sync/wire.c src/core/err.c -ljansson -lcrypto
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sync/wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct wire_field push_fields[] = {
	{ "municipality", WIRE_STRING, WIRE_REQUIRED, 6 },
	{ "changes", WIRE_ARRAY, WIRE_REQUIRED, 1000 },
	{ "since", WIRE_INTEGER, WIRE_OPTIONAL, 0 },
	{ "more", WIRE_BOOLEAN, WIRE_OPTIONAL, 0 },
	{ "ratio", WIRE_NUMBER, WIRE_OPTIONAL, 0 },
	WIRE_FIELDS_END
};

static const struct wire_field change_fields[] = {
	{ "uuid", WIRE_STRING, WIRE_REQUIRED, WIRE_UUID_LEN },
	{ "kind", WIRE_STRING, WIRE_REQUIRED, 16 },
	{ "record", WIRE_OBJECT, WIRE_OPTIONAL, 0 },
	WIRE_FIELDS_END
};

static const struct wire_field record_fields[] = {
	{ "dose", WIRE_INTEGER, WIRE_REQUIRED, 0 },
	{ "vaccine", WIRE_STRING, WIRE_REQUIRED, 16 },
	WIRE_FIELDS_END
};

/*
 * A refusal must say something, and never a string value of the body
 * (only the top-level values of root are looked for).
 */
static void
check_refusal(int rc, const struct sesshu_err *err, const json_t *root)
{
	const char *key, *rest;
	json_t *v;

	if (rc == 0)
		return;
	if (err->code != rc || err->msg[0] == '\0')
		abort();
	/* That message quotes a key the peer chose, which may hold anything. */
	if (!json_is_object(root) || strstr(err->msg, "unknown field") != NULL)
		return;
	/* After the path: the path may hold the table's names. */
	if ((rest = strstr(err->msg, ": ")) == NULL)
		rest = err->msg;
	json_object_foreach((json_t *)root, key, v) {
		/* Values spelled like a field name may meet one in the text. */
		if (json_is_string(v) && json_string_length(v) >= 8 &&
		    strspn(json_string_value(v), "abcdefghijklmnopqrstuvwxyz_") !=
		    json_string_length(v) &&
		    strstr(rest, json_string_value(v)) != NULL)
			abort();
	}
}

static void
walk(json_t *body)
{
	struct sesshu_err err = { 0 };
	char path[WIRE_PATH_MAX], rpath[WIRE_PATH_MAX];
	const char *s;
	json_t *changes, *c, *rec;
	json_int_t dose;
	size_t i, len;
	int rc;

	rc = wire_check_object(body, push_fields, NULL, &err);
	check_refusal(rc, &err, body);
	if (rc != 0)
		return;
	if (wire_get_array(body, NULL, "changes", 1000, &changes, &err) != 0)
		abort();	/* the table already said it is one */
	json_array_foreach(changes, i, c) {
		wire_path_index(path, sizeof(path), "changes", i);
		rc = wire_check_object(c, change_fields, path, &err);
		check_refusal(rc, &err, c);
		if (rc != 0)
			continue;
		if (wire_get_string(c, path, "uuid", WIRE_UUID_LEN, &s, &len,
		    &err) != 0)
			abort();
		check_refusal(wire_uuid_check(s, len, path, &err), &err, c);
		if (wire_get_object(c, path, "record", &rec, &err) != 0)
			continue;
		wire_path_member(rpath, sizeof(rpath), path, "record");
		rc = wire_check_object(rec, record_fields, rpath, &err);
		check_refusal(rc, &err, rec);
		if (rc == 0)
			(void)wire_get_int(rec, rpath, "dose", 1, 10, &dose, &err);
	}
}

static void
b64(const uint8_t *data, size_t size)
{
	struct sesshu_err err = { 0 };
	unsigned char raw[WIRE_B64_RAW_MAX];
	static char enc[WIRE_B64_ENCODED_SIZE(WIRE_B64_RAW_MAX)];
	size_t n;

	if (wire_b64_decode((const char *)data, size, raw, sizeof(raw), &n,
	    "fuzz", &err) == 0) {
		/* Canonical: decoding then encoding gives the input back. */
		if (wire_b64_encode(raw, n, enc, sizeof(enc), &err) != 0 ||
		    strlen(enc) != size || memcmp(enc, data, size) != 0)
			abort();
	} else if (err.msg[0] == '\0')
		abort();
	if (size <= WIRE_B64_RAW_MAX &&
	    (wire_b64_encode(data, size, enc, sizeof(enc), &err) != 0 ||
	    wire_b64_decode(enc, strlen(enc), raw, sizeof(raw), &n, "fuzz",
	    &err) != 0 || n != size || memcmp(raw, data, size) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sesshu_err err = { 0 };
	json_t *body = NULL;
	int rc;

	rc = wire_parse_body((const char *)data, size, &body, &err);
	if (rc == 0) {
		if (!json_is_object(body))
			abort();
		walk(body);
		json_decref(body);
	} else if (body != NULL || err.msg[0] == '\0' || err.code != rc)
		abort();

	b64(data, size);
	(void)wire_uuid_check((const char *)data, size, "uuid", &err);
	return 0;
}
