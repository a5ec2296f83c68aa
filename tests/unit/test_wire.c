/*
 * test_wire.c: the wire helpers refuse every malformed message with a
 * message naming the path, never quote a value, and base64 and UUIDs
 * accept exactly their canonical forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sync/wire.h"

static const struct wire_field record_fields[] = {
	{ "dose", WIRE_INTEGER, WIRE_REQUIRED, 0 },
	{ "vaccine", WIRE_STRING, WIRE_REQUIRED, 8 },
	{ "lot", WIRE_STRING, WIRE_OPTIONAL, 0 },
	{ "verified", WIRE_BOOLEAN, WIRE_OPTIONAL, 0 },
	{ "extra", WIRE_OBJECT, WIRE_OPTIONAL, 0 },
	{ "notes", WIRE_ARRAY, WIRE_OPTIONAL, 2 },
	{ "dose_ml", WIRE_NUMBER, WIRE_OPTIONAL, 0 },
	WIRE_FIELDS_END
};

static json_t *
parse(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, 0, &jerr);

	if (v == NULL)
		fail_msg("test JSON %s: %s", text, jerr.text);
	return v;
}

/* Checks text against record_fields at path; returns rc, message in err. */
static int
check(const char *text, const char *path, struct sesshu_err *err)
{
	json_t *v = parse(text);
	int rc;

	sesshu_err_clear(err);
	rc = wire_check_object(v, record_fields, path, err);
	json_decref(v);
	return rc;
}

static void
expect_refusal(const char *text, const char *path, int code, const char *msg)
{
	struct sesshu_err err = { 0 };

	assert_int_equal(check(text, path, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
}

static void
test_wire_check_accepts_every_type(void **state)
{
	struct sesshu_err err = { 0 };

	(void)state;
	assert_int_equal(check("{\"dose\": 2, \"vaccine\": \"MR\", \"lot\": "
	    "\"X1\", \"verified\": true, \"extra\": {}, \"notes\": [1, 2], "
	    "\"dose_ml\": 0.5}", NULL, &err), 0);
	/* Optional fields may be absent; an integer is also a number. */
	assert_int_equal(check("{\"dose\": 1, \"vaccine\": \"MR\", "
	    "\"dose_ml\": 1}", NULL, &err), 0);
}

static void
test_wire_check_unknown_field_names_container(void **state)
{
	(void)state;
	expect_refusal("{\"dose\": 1, \"vaccine\": \"MR\", \"foo\": 1}", NULL,
	    SESSHU_EFORMAT, "body: unknown field \"foo\"");
	expect_refusal("{\"dose\": 1, \"vaccine\": \"MR\", \"foo\": 1}",
	    "changes[3].record", SESSHU_EFORMAT,
	    "changes[3].record: unknown field \"foo\"");
}

static void
test_wire_check_unknown_field_name_is_sanitized(void **state)
{
	struct sesshu_err err = { 0 };
	char text[256];

	(void)state;
	/* Quotes, control characters and non-ASCII become '?'. */
	expect_refusal("{\"a\\\"b\\n\\u00e9\": 1}", NULL, SESSHU_EFORMAT,
	    "body: unknown field \"a?b???\"");
	/* A long name is cut. */
	snprintf(text, sizeof(text), "{\"%0200d\": 1}", 7);
	assert_int_equal(check(text, NULL, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "...\""));
	assert_true(strlen(err.msg) < 100);
}

static void
test_wire_check_missing_required(void **state)
{
	(void)state;
	expect_refusal("{\"vaccine\": \"MR\"}", NULL, SESSHU_EFORMAT,
	    "body: missing required field \"dose\"");
	expect_refusal("{\"dose\": 1}", "changes[0].record", SESSHU_EFORMAT,
	    "changes[0].record: missing required field \"vaccine\"");
}

static void
test_wire_check_wrong_types_name_the_path(void **state)
{
	(void)state;
	expect_refusal("{\"dose\": \"2\", \"vaccine\": \"MR\"}",
	    "changes[3].record", SESSHU_EFORMAT,
	    "changes[3].record.dose: expected an integer");
	/* 2.0 is a real, not an integer. */
	expect_refusal("{\"dose\": 2.0, \"vaccine\": \"MR\"}", NULL,
	    SESSHU_EFORMAT, "dose: expected an integer");
	expect_refusal("{\"dose\": 1, \"vaccine\": 5}", NULL, SESSHU_EFORMAT,
	    "vaccine: expected a string");
	expect_refusal("{\"dose\": 1, \"vaccine\": \"MR\", \"verified\": 1}",
	    NULL, SESSHU_EFORMAT, "verified: expected a boolean");
	expect_refusal("{\"dose\": 1, \"vaccine\": \"MR\", \"extra\": []}",
	    NULL, SESSHU_EFORMAT, "extra: expected an object");
	expect_refusal("{\"dose\": 1, \"vaccine\": \"MR\", \"notes\": {}}",
	    NULL, SESSHU_EFORMAT, "notes: expected an array");
	expect_refusal("{\"dose\": 1, \"vaccine\": \"MR\", \"dose_ml\": "
	    "\"0.5\"}", NULL, SESSHU_EFORMAT, "dose_ml: expected a number");
}

static void
test_wire_check_null_is_not_absent(void **state)
{
	(void)state;
	expect_refusal("{\"dose\": 1, \"vaccine\": \"MR\", \"lot\": null}",
	    NULL, SESSHU_EFORMAT, "lot: expected a string");
}

static void
test_wire_check_bounds(void **state)
{
	struct sesshu_err err = { 0 };
	char *text;
	size_t i;

	(void)state;
	/* The table's bound (8) and the default bound (WIRE_STRING_MAX). */
	expect_refusal("{\"dose\": 1, \"vaccine\": \"123456789\"}", NULL,
	    SESSHU_ERANGE, "vaccine: longer than 8 bytes");
	assert_int_equal(check("{\"dose\": 1, \"vaccine\": \"12345678\"}", NULL,
	    &err), 0);
	text = malloc(WIRE_STRING_MAX + 64);
	assert_non_null(text);
	strcpy(text, "{\"dose\": 1, \"vaccine\": \"MR\", \"lot\": \"");
	for (i = strlen(text); i < WIRE_STRING_MAX + 38; i++)
		text[i] = 'x';
	strcpy(text + i, "\"}");
	assert_int_equal(check(text, NULL, &err), SESSHU_ERANGE);
	assert_string_equal(err.msg, "lot: longer than 1024 bytes");
	free(text);
	/* Bounds count bytes: "予" is three. */
	expect_refusal("{\"dose\": 1, \"vaccine\": \"予診票\"}", NULL,
	    SESSHU_ERANGE, "vaccine: longer than 8 bytes");
	expect_refusal("{\"dose\": 1, \"vaccine\": \"MR\", \"notes\": [1,2,3]}",
	    NULL, SESSHU_ERANGE, "notes: more than 2 elements");
}

static void
test_wire_check_not_an_object(void **state)
{
	struct sesshu_err err = { 0 };
	json_t *v = json_array();

	(void)state;
	assert_int_equal(wire_check_object(v, record_fields, NULL, &err),
	    SESSHU_EFORMAT);
	assert_string_equal(err.msg, "body: expected an object");
	assert_int_equal(wire_check_object(v, record_fields, "changes[1]",
	    &err), SESSHU_EFORMAT);
	assert_string_equal(err.msg, "changes[1]: expected an object");
	assert_int_equal(wire_check_object(NULL, record_fields, NULL, &err),
	    SESSHU_EFORMAT);
	assert_int_equal(wire_check_object(v, NULL, NULL, &err), SESSHU_EINVAL);
	json_decref(v);
}

static void
test_wire_paths(void **state)
{
	char buf[WIRE_PATH_MAX], small[8];

	(void)state;
	wire_path_member(buf, sizeof(buf), NULL, "changes");
	assert_string_equal(buf, "changes");
	wire_path_index(buf, sizeof(buf), "changes", 3);
	assert_string_equal(buf, "changes[3]");
	wire_path_member(buf, sizeof(buf), "changes[3]", "record");
	assert_string_equal(buf, "changes[3].record");
	wire_path_index(buf, sizeof(buf), "", 0);
	assert_string_equal(buf, "body[0]");
	wire_path_member(small, sizeof(small), "changes[3]", "record");
	assert_string_equal(small, "changes");	/* cut, terminated */
}

static int
parse_body(const char *text, size_t len, json_t **out, struct sesshu_err *err)
{
	sesshu_err_clear(err);
	return wire_parse_body(text, len, out, err);
}

static void
expect_parse_refusal(const char *text, size_t len, const char *msg_part)
{
	struct sesshu_err err = { 0 };
	json_t *v = (json_t *)1;

	assert_int_equal(parse_body(text, len, &v, &err), SESSHU_EFORMAT);
	assert_null(v);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", err.msg, msg_part);
}

static void
test_wire_parse_accepts_object(void **state)
{
	struct sesshu_err err = { 0 };
	const char *text = "{\"municipality\": \"990001\", \"name\": \"予診\"}";
	json_t *v = NULL;

	(void)state;
	assert_int_equal(parse_body(text, strlen(text), &v, &err), 0);
	assert_true(json_is_object(v));
	assert_string_equal(json_string_value(json_object_get(v, "name")),
	    "予診");
	json_decref(v);
}

static void
test_wire_parse_refusals_name_line_and_column(void **state)
{
	static const char dup[] = "{\n  \"dose\": 1,\n  \"dose\": 2}";
	static const char bad_utf8[] = "{\"a\": \"\xff\"}";
	static const char nul_esc[] = "{\"a\": \"x\\u0000y\"}";
	static const char nul_raw[] = "{\"a\": 1}\0";

	(void)state;
	expect_parse_refusal("", 0, "body: empty");
	expect_parse_refusal("{\"a\": 1,}", 9, "body: line 1, column ");
	expect_parse_refusal(dup, strlen(dup),
	    "body: line 3, column 8: duplicate object key \"dose\"");
	expect_parse_refusal("[1, 2]", 6, "body: expected a JSON object");
	expect_parse_refusal("42", 2, "body: line 1");
	expect_parse_refusal("{} {}", 5, "body: line 1");
	expect_parse_refusal("{\"a\": 1", 7, "near end of file");
	expect_parse_refusal(bad_utf8, strlen(bad_utf8), "body: line 1");
	expect_parse_refusal(nul_esc, strlen(nul_esc),
	    "body: line 1, column 16: \\u0000 is not allowed");
	/* A NUL byte inside the length is not the end of the body. */
	expect_parse_refusal(nul_raw, sizeof(nul_raw) - 1,
	    "body: NUL byte at offset 8");
}

static void
test_wire_parse_error_never_quotes_a_value(void **state)
{
	static const char *bodies[] = {
		"{\"name\": \"Yamada\" \"x\": 1}",
		"{\"atena\": 0123456789}",
		"{\"atena\": \"0123456789\" ]",
		"{\"Yamada Taro\": 1, \"Yamada Taro\": 2}",
	};
	struct sesshu_err err = { 0 };
	json_t *v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(parse_body(bodies[i], strlen(bodies[i]), &v,
		    &err), SESSHU_EFORMAT);
		if (strstr(err.msg, "Yamada") != NULL ||
		    strstr(err.msg, "0123456789") != NULL)
			fail_msg("message quotes a value: %s", err.msg);
	}
}

static void
test_wire_getters(void **state)
{
	struct sesshu_err err = { 0 };
	json_t *v = parse("{\"s\": \"abc\", \"i\": 7, \"b\": false, "
	    "\"o\": {}, \"a\": [1, 2, 3], \"r\": 1.5}"), *o;
	json_int_t i;
	const char *s;
	size_t len;
	int b;

	(void)state;
	assert_int_equal(wire_get_string(v, NULL, "s", 3, &s, &len, &err), 0);
	assert_string_equal(s, "abc");
	assert_int_equal(len, 3);
	assert_int_equal(wire_get_string(v, NULL, "s", 2, &s, &len, &err),
	    SESSHU_ERANGE);
	assert_string_equal(err.msg, "s: longer than 2 bytes");
	assert_int_equal(wire_get_string(v, "x", "i", 0, &s, NULL, &err),
	    SESSHU_EFORMAT);
	assert_string_equal(err.msg, "x.i: expected a string");
	assert_int_equal(wire_get_string(v, NULL, "none", 0, &s, NULL, &err),
	    SESSHU_ENOTFOUND);
	assert_string_equal(err.msg, "none: missing");

	assert_int_equal(wire_get_int(v, NULL, "i", 1, 7, &i, &err), 0);
	assert_int_equal(i, 7);
	assert_int_equal(wire_get_int(v, NULL, "i", 1, 6, &i, &err),
	    SESSHU_ERANGE);
	assert_string_equal(err.msg, "i: out of range (1 to 6)");
	assert_int_equal(wire_get_int(v, NULL, "r", 0, 9, &i, &err),
	    SESSHU_EFORMAT);

	assert_int_equal(wire_get_bool(v, NULL, "b", &b, &err), 0);
	assert_false(b);
	assert_int_equal(wire_get_bool(v, NULL, "s", &b, &err), SESSHU_EFORMAT);

	assert_int_equal(wire_get_object(v, NULL, "o", &o, &err), 0);
	assert_true(json_is_object(o));
	assert_int_equal(wire_get_object(v, NULL, "a", &o, &err),
	    SESSHU_EFORMAT);
	assert_int_equal(wire_get_array(v, NULL, "a", 3, &o, &err), 0);
	assert_int_equal(wire_get_array(v, NULL, "a", 2, &o, &err),
	    SESSHU_ERANGE);
	assert_string_equal(err.msg, "a: more than 2 elements");
	assert_int_equal(wire_get_array(o, NULL, "a", 0, &o, &err),
	    SESSHU_EFORMAT);
	assert_string_equal(err.msg, "body: expected an object");
	json_decref(v);
}

static void
test_wire_error_body_shape(void **state)
{
	json_t *v = wire_error_body("bad_request", "dose: expected an integer");
	char *s;

	(void)state;
	assert_non_null(v);
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"error\":\"bad_request\","
	    "\"message\":\"dose: expected an integer\"}");
	free(s);
	json_decref(v);
}

static void
test_wire_b64_known_vectors(void **state)
{
	static const struct {
		const char *raw, *enc;
	} vec[] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	struct sesshu_err err = { 0 };
	char enc[32];
	unsigned char raw[16];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		assert_int_equal(wire_b64_encode(vec[i].raw, strlen(vec[i].raw),
		    enc, sizeof(enc), &err), 0);
		assert_string_equal(enc, vec[i].enc);
		assert_int_equal(wire_b64_decode(vec[i].enc, strlen(vec[i].enc),
		    raw, sizeof(raw), &n, "v", &err), 0);
		assert_int_equal(n, strlen(vec[i].raw));
		assert_memory_equal(raw, vec[i].raw, n);
	}
}

static void
test_wire_b64_roundtrip_binary(void **state)
{
	struct sesshu_err err = { 0 };
	unsigned char raw[64], back[64];
	char enc[WIRE_B64_ENCODED_SIZE(64)];
	size_t len, i, n;

	(void)state;
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 37 + 255);
	for (len = 0; len <= sizeof(raw); len++) {
		assert_int_equal(wire_b64_encode(raw, len, enc,
		    WIRE_B64_ENCODED_SIZE(len), &err), 0);
		assert_int_equal(strlen(enc), WIRE_B64_ENCODED_SIZE(len) - 1);
		assert_int_equal(wire_b64_decode(enc, strlen(enc), back, len, &n,
		    "v", &err), 0);
		assert_int_equal(n, len);
		assert_memory_equal(back, raw, len);
	}
}

static void
test_wire_b64_encode_refusals(void **state)
{
	struct sesshu_err err = { 0 };
	static unsigned char big[WIRE_B64_RAW_MAX + 1];
	char enc[8];

	(void)state;
	/* "foobar" needs 9 bytes with the NUL. */
	assert_int_equal(wire_b64_encode("foobar", 6, enc, 8, &err),
	    SESSHU_ERANGE);
	assert_int_equal(wire_b64_encode(big, sizeof(big), enc, sizeof(enc),
	    &err), SESSHU_ERANGE);
	assert_int_equal(wire_b64_encode(NULL, 3, enc, sizeof(enc), &err),
	    SESSHU_EINVAL);
}

static void
expect_b64_refusal(const char *in, size_t outsize, int code,
    const char *msg_part)
{
	struct sesshu_err err = { 0 };
	unsigned char out[64];
	size_t n = 99;

	assert_true(outsize <= sizeof(out));
	assert_int_equal(wire_b64_decode(in, strlen(in), out, outsize, &n,
	    "master_key", &err), code);
	assert_int_equal(n, 0);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", err.msg, msg_part);
	assert_true(strncmp(err.msg, "master_key: ", 12) == 0);
}

static void
test_wire_b64_decode_refusals(void **state)
{
	struct sesshu_err err = { 0 };
	char *big;
	unsigned char out[4];
	size_t n;

	(void)state;
	expect_b64_refusal("Zm9", 16, SESSHU_EFORMAT, "not a multiple of 4");
	expect_b64_refusal("Zm9v\n", 16, SESSHU_EFORMAT, "not a multiple of 4");
	expect_b64_refusal("Zm 9", 16, SESSHU_EFORMAT, "bad character");
	expect_b64_refusal("Zm9-", 16, SESSHU_EFORMAT, "bad character");
	expect_b64_refusal("Zm=vZm9v", 16, SESSHU_EFORMAT, "bad character");
	expect_b64_refusal("Z===", 16, SESSHU_EFORMAT, "bad character");
	expect_b64_refusal("====", 16, SESSHU_EFORMAT, "bad character");
	expect_b64_refusal("Zm=v", 16, SESSHU_EFORMAT, "bad character");
	/* Non-canonical: unused bits set ("Zh==" and "Zm9=" decode too). */
	expect_b64_refusal("Zh==", 16, SESSHU_EFORMAT, "not canonical");
	expect_b64_refusal("Zm9=", 16, SESSHU_EFORMAT, "not canonical");
	/* Does not fit the caller's buffer. */
	expect_b64_refusal("Zm9vYg==", 3, SESSHU_ERANGE, "decodes to 4 bytes");

	big = malloc(WIRE_B64_ENCODED_SIZE(WIRE_B64_RAW_MAX) + 4);
	assert_non_null(big);
	memset(big, 'A', WIRE_B64_ENCODED_SIZE(WIRE_B64_RAW_MAX) + 3);
	assert_int_equal(wire_b64_decode(big,
	    WIRE_B64_ENCODED_SIZE(WIRE_B64_RAW_MAX) + 3, out, sizeof(out), &n,
	    "v", &err), SESSHU_ERANGE);
	free(big);
	assert_int_equal(wire_b64_decode(NULL, 4, out, sizeof(out), &n, "v",
	    &err), SESSHU_EINVAL);
}

static void
test_wire_b64_master_key_size(void **state)
{
	struct sesshu_err err = { 0 };
	unsigned char key[32], back[32], big[33] = { 0 };
	char enc[WIRE_B64_ENCODED_SIZE(32)], enc33[WIRE_B64_ENCODED_SIZE(33)];
	size_t n;

	(void)state;
	memset(key, 0xa5, sizeof(key));
	assert_int_equal(wire_b64_encode(key, sizeof(key), enc, sizeof(enc),
	    &err), 0);
	assert_int_equal(strlen(enc), 44);
	assert_int_equal(wire_b64_decode(enc, strlen(enc), back, sizeof(back),
	    &n, "master_key", &err), 0);
	assert_int_equal(n, 32);
	assert_memory_equal(back, key, 32);
	/* 33 bytes do not fit a 32-byte key. */
	assert_int_equal(wire_b64_encode(big, sizeof(big), enc33, sizeof(enc33),
	    &err), 0);
	assert_int_equal(wire_b64_decode(enc33, strlen(enc33), back,
	    sizeof(back), &n, "master_key", &err), SESSHU_ERANGE);
	assert_string_equal(err.msg, "master_key: decodes to 33 bytes, at most "
	    "32 fit");
}

static void
test_wire_uuid_v4_is_valid_and_random(void **state)
{
	struct sesshu_err err = { 0 };
	char a[WIRE_UUID_STRLEN], b[WIRE_UUID_STRLEN];
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		assert_int_equal(wire_uuid_v4(a, &err), 0);
		assert_int_equal(strlen(a), WIRE_UUID_LEN);
		assert_int_equal(wire_uuid_check(a, strlen(a), "uuid", &err), 0);
		assert_int_equal(a[14], '4');
		assert_non_null(strchr("89ab", a[19]));
	}
	assert_int_equal(wire_uuid_v4(b, &err), 0);
	assert_string_not_equal(a, b);
}

static void
expect_uuid_refusal(const char *s, const char *msg_part)
{
	struct sesshu_err err = { 0 };

	assert_int_equal(wire_uuid_check(s, strlen(s), "changes[0].uuid", &err),
	    SESSHU_EFORMAT);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", err.msg, msg_part);
	assert_true(strncmp(err.msg, "changes[0].uuid: ", 17) == 0);
}

static void
test_wire_uuid_check_refusals(void **state)
{
	struct sesshu_err err = { 0 };
	const char *ok = "5b0c2a9e-8f1d-4c3b-9a7e-0d1f2e3c4b5a";

	(void)state;
	assert_int_equal(wire_uuid_check(ok, strlen(ok), "uuid", &err), 0);
	/* A version 1 UUID is RFC 4122 too. */
	assert_int_equal(wire_uuid_check("c232ab00-9414-11ec-b3c8-9f6bdeced846",
	    36, "uuid", &err), 0);
	expect_uuid_refusal("5B0C2A9E-8F1D-4C3B-9A7E-0D1F2E3C4B5A", "text form");
	expect_uuid_refusal("5b0c2a9e-8f1d-4c3b-9a7e-0d1f2e3c4b5", "text form");
	expect_uuid_refusal("5b0c2a9e-8f1d-4c3b-9a7e-0d1f2e3c4b5a0", "text form");
	expect_uuid_refusal("5b0c2a9e8f1d-4c3b-9a7e-0d1f2e3c4b5a0", "text form");
	expect_uuid_refusal("5b0c2a9e-8f1d4-c3b-9a7e-0d1f2e3c4b5a", "text form");
	expect_uuid_refusal("5b0c2a9g-8f1d-4c3b-9a7e-0d1f2e3c4b5a", "text form");
	expect_uuid_refusal("{5b0c2a9e-8f1d-4c3b-9a7e-0d1f2e3c4b5}", "text form");
	expect_uuid_refusal("", "text form");
	expect_uuid_refusal("00000000-0000-0000-0000-000000000000", "version");
	expect_uuid_refusal("5b0c2a9e-8f1d-9c3b-9a7e-0d1f2e3c4b5a", "version");
	expect_uuid_refusal("5b0c2a9e-8f1d-4c3b-7a7e-0d1f2e3c4b5a", "variant");
	expect_uuid_refusal("5b0c2a9e-8f1d-4c3b-ca7e-0d1f2e3c4b5a", "variant");
	/* A NUL inside the length is not a UUID character. */
	assert_int_equal(wire_uuid_check("5b0c2a9e-8f1d-4c3b-9a7e-0d1f2e3c4b5\0",
	    36, "uuid", &err), SESSHU_EFORMAT);
	assert_int_equal(wire_uuid_check(NULL, 36, "uuid", &err),
	    SESSHU_EFORMAT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_check_accepts_every_type),
		cmocka_unit_test(test_wire_check_unknown_field_names_container),
		cmocka_unit_test(test_wire_check_unknown_field_name_is_sanitized),
		cmocka_unit_test(test_wire_check_missing_required),
		cmocka_unit_test(test_wire_check_wrong_types_name_the_path),
		cmocka_unit_test(test_wire_check_null_is_not_absent),
		cmocka_unit_test(test_wire_check_bounds),
		cmocka_unit_test(test_wire_check_not_an_object),
		cmocka_unit_test(test_wire_paths),
		cmocka_unit_test(test_wire_parse_accepts_object),
		cmocka_unit_test(test_wire_parse_refusals_name_line_and_column),
		cmocka_unit_test(test_wire_parse_error_never_quotes_a_value),
		cmocka_unit_test(test_wire_getters),
		cmocka_unit_test(test_wire_error_body_shape),
		cmocka_unit_test(test_wire_b64_known_vectors),
		cmocka_unit_test(test_wire_b64_roundtrip_binary),
		cmocka_unit_test(test_wire_b64_encode_refusals),
		cmocka_unit_test(test_wire_b64_decode_refusals),
		cmocka_unit_test(test_wire_b64_master_key_size),
		cmocka_unit_test(test_wire_uuid_v4_is_valid_and_random),
		cmocka_unit_test(test_wire_uuid_check_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
