/*
 * wire.h: helpers for the sync wire format (docs/PROTOCOL.md) that the
 * workstation's client and the register both use.
 *
 * Strict checking of JSON objects against a field table (unknown fields,
 * missing fields, wrong types and over-long strings are refused with a
 * message naming the path: "changes[3].record.dose: expected an integer"),
 * parsing of request and response bodies, base64 of small binary values and
 * RFC 4122 UUIDs.
 *
 * No I/O. Never puts a string value of a message into an error message:
 * values may be personal data, and error messages may reach a log. Field
 * names that a peer sent are quoted only after being reduced to printable
 * ASCII and truncated.
 */
#ifndef SESSHU_SYNC_WIRE_H
#define SESSHU_SYNC_WIRE_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"

enum wire_type {
	WIRE_STRING = 1,
	WIRE_INTEGER,		/* a JSON integer: 3, never 3.0 */
	WIRE_BOOLEAN,
	WIRE_OBJECT,
	WIRE_ARRAY,
	WIRE_NUMBER,		/* an integer or a real */
};

#define WIRE_OPTIONAL		0
#define WIRE_REQUIRED		1

/* Default bound of a string field whose table entry leaves max at 0. */
#define WIRE_STRING_MAX		1024

/* Longest path in a message; deeper paths are truncated, never overrun. */
#define WIRE_PATH_MAX		128

/*
 * One allowed member of an object. max bounds a string's length in bytes
 * (0: WIRE_STRING_MAX) and an array's number of elements (0: unbounded,
 * the body limit bounds it); it is ignored for the other types. A table
 * ends with an entry whose name is NULL (WIRE_FIELDS_END). Write entries
 * with all four members, or designated initializers:
 *
 *	static const struct wire_field hello_fields[] = {
 *		{ "municipality", WIRE_STRING, WIRE_REQUIRED, 6 },
 *		WIRE_FIELDS_END
 *	};
 */
struct wire_field {
	const char	*name;
	enum wire_type	 type;
	int		 required;
	size_t		 max;
};

#define WIRE_FIELDS_END		{ NULL, 0, 0, 0 }

/*
 * Checks that obj is an object whose members are all in fields, with the
 * type and bound the table gives, and that every required field is
 * present. path names obj in messages ("changes[3].record"); NULL or ""
 * means the top-level body, whose members are then named bare
 * ("municipality: expected a string") and which is itself called "body"
 * ("body: unknown field \"foo\""). Returns 0, SESSHU_EFORMAT (unknown,
 * missing, wrong type) or SESSHU_ERANGE (too long). Nested objects and
 * arrays are the caller's to check, with wire_path_member/index.
 */
int	wire_check_object(const json_t *obj, const struct wire_field *fields,
	    const char *path, struct sesshu_err *err);

/*
 * Parses a body of len bytes (no NUL needed) into *out (caller's, release
 * with json_decref). Duplicate keys, anything but an object at the top,
 * trailing data and \u0000 are refused with SESSHU_EFORMAT and a message
 * with the line and column ("body: line 1, column 9: duplicate object key
 * \"dose\""). jansson refuses bytes that are not UTF-8, so every string in
 * *out is valid UTF-8 without NULs.
 */
int	wire_parse_body(const char *buf, size_t len, json_t **out,
	    struct sesshu_err *err);

/* "path.name" (or "name" for the body) and "path[index]" into buf. */
void	wire_path_member(char *buf, size_t size, const char *path,
	    const char *name);
void	wire_path_index(char *buf, size_t size, const char *path,
	    size_t index);

/*
 * Getters for one member of an object that the caller may or may not have
 * checked with wire_check_object. Each returns 0, SESSHU_ENOTFOUND when the
 * member is absent (so an optional field is tested with == SESSHU_ENOTFOUND),
 * SESSHU_EFORMAT when it has another type, SESSHU_ERANGE when it is out of
 * bounds; the message names path.name. What they hand out is borrowed from
 * obj.
 */
int	wire_get_string(const json_t *obj, const char *path, const char *name,
	    size_t max, const char **out, size_t *len, struct sesshu_err *err);
int	wire_get_int(const json_t *obj, const char *path, const char *name,
	    json_int_t min, json_int_t max, json_int_t *out,
	    struct sesshu_err *err);
int	wire_get_bool(const json_t *obj, const char *path, const char *name,
	    int *out, struct sesshu_err *err);
int	wire_get_object(const json_t *obj, const char *path, const char *name,
	    json_t **out, struct sesshu_err *err);
int	wire_get_array(const json_t *obj, const char *path, const char *name,
	    size_t max_items, json_t **out, struct sesshu_err *err);

/*
 * The error body of docs/PROTOCOL.md: {"error": error, "message": message}.
 * Caller's; NULL when memory runs out.
 */
json_t	*wire_error_body(const char *error, const char *message);

/*
 * Base64 (RFC 4648, standard alphabet, padded, no line breaks) of small
 * binary values such as the 32-byte master key.
 */
#define WIRE_B64_RAW_MAX	3072	/* bytes before encoding */
#define WIRE_B64_ENCODED_SIZE(n)	(4 * (((n) + 2) / 3) + 1)	/* with NUL */

/* Encodes in[0..inlen) into out, NUL-terminated. */
int	wire_b64_encode(const void *in, size_t inlen, char *out, size_t outsize,
	    struct sesshu_err *err);

/*
 * Decodes exactly the canonical encoding: no whitespace, padding only at
 * the end and only as much as needed, unused bits zero (so one value has
 * one encoding). *outlen receives the decoded length, which must fit in
 * outsize. what names the field in messages. Intermediate copies are
 * wiped: out may be a secret.
 */
int	wire_b64_decode(const char *in, size_t inlen, void *out, size_t outsize,
	    size_t *outlen, const char *what, struct sesshu_err *err);

/* RFC 4122 text form, lowercase: "5b0c2a9e-8f1d-4c3b-9a7e-0d1f2e3c4b5a". */
#define WIRE_UUID_LEN		36
#define WIRE_UUID_STRLEN	37	/* with the NUL */

/* A random (version 4) UUID from the OpenSSL CSPRNG. */
int	wire_uuid_v4(char out[WIRE_UUID_STRLEN], struct sesshu_err *err);

/*
 * Checks s[0..len) is a UUID in the RFC 4122 text form: 8-4-4-4-12
 * lowercase hex digits, the RFC 4122 variant (10xx) and a version from 1
 * to 8. Uppercase is refused so that one UUID has one spelling: it is an
 * idempotency key, compared as a string. what names the field.
 */
int	wire_uuid_check(const char *s, size_t len, const char *what,
	    struct sesshu_err *err);

#endif
