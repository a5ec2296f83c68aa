/*
 * wire.c: strict checking of wire messages, body parsing, base64 and
 * UUIDs; see wire.h.
 *
 * jansson does the parsing (and refuses bytes that are not UTF-8); this
 * file only decides what a message may contain. Messages never quote a
 * value the peer sent, and quote a field name the peer sent only after
 * reducing it to printable ASCII.
 */
#include "sync/wire.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* A field name the peer sent, quoted in a message: at most this many bytes. */
#define NAME_QUOTE_MAX	48

static const char *
type_expected(enum wire_type type)
{
	switch (type) {
	case WIRE_STRING:
		return "expected a string";
	case WIRE_INTEGER:
		return "expected an integer";
	case WIRE_BOOLEAN:
		return "expected a boolean";
	case WIRE_OBJECT:
		return "expected an object";
	case WIRE_ARRAY:
		return "expected an array";
	case WIRE_NUMBER:
		return "expected a number";
	}
	return "of an unknown type";
}

static int
type_matches(const json_t *v, enum wire_type type)
{
	switch (type) {
	case WIRE_STRING:
		return json_is_string(v);
	case WIRE_INTEGER:
		return json_is_integer(v);
	case WIRE_BOOLEAN:
		return json_is_boolean(v);
	case WIRE_OBJECT:
		return json_is_object(v);
	case WIRE_ARRAY:
		return json_is_array(v);
	case WIRE_NUMBER:
		return json_is_number(v);
	}
	return 0;
}

/* The name a peer sent, as printable ASCII ('?' for anything else), cut short. */
static void
quote_name(char *buf, size_t size, const char *name)
{
	size_t i, o = 0;

	for (i = 0; name[i] != '\0' && o + 1 < size; i++) {
		unsigned char c = (unsigned char)name[i];

		if (i == NAME_QUOTE_MAX) {
			if (o + 3 < size) {
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		buf[o++] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ?
		    (char)c : '?';
	}
	buf[o] = '\0';
}

static int
is_body(const char *path)
{
	return path == NULL || path[0] == '\0';
}

void
wire_path_member(char *buf, size_t size, const char *path, const char *name)
{
	if (size == 0)
		return;
	if (is_body(path))
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s.%s", path, name);
}

void
wire_path_index(char *buf, size_t size, const char *path, size_t index)
{
	if (size == 0)
		return;
	snprintf(buf, size, "%s[%zu]", is_body(path) ? "body" : path, index);
}

static const struct wire_field *
table_find(const struct wire_field *fields, const char *name)
{
	for (; fields->name != NULL; fields++)
		if (strcmp(fields->name, name) == 0)
			return fields;
	return NULL;
}

/* The bound checks shared by the table and the getters. */
static int
check_bounds(const json_t *v, enum wire_type type, size_t max,
    const char *where, struct sesshu_err *err)
{
	if (type == WIRE_STRING) {
		size_t limit = max != 0 ? max : WIRE_STRING_MAX;

		if (json_string_length(v) > limit)
			return sesshu_err_set(err, SESSHU_ERANGE,
			    "%s: longer than %zu bytes", where, limit);
	} else if (type == WIRE_ARRAY && max != 0) {
		if (json_array_size(v) > max)
			return sesshu_err_set(err, SESSHU_ERANGE,
			    "%s: more than %zu elements", where, max);
	}
	return 0;
}

int
wire_check_object(const json_t *obj, const struct wire_field *fields,
    const char *path, struct sesshu_err *err)
{
	const struct wire_field *f;
	const char *self = is_body(path) ? "body" : path;
	const char *key;
	char where[WIRE_PATH_MAX], quoted[NAME_QUOTE_MAX + 4];
	json_t *v;
	int rc;

	if (fields == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s: no field table", self);
	if (!json_is_object(obj))
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: expected an object", self);

	/* jansson keeps insertion order, so the first unknown is reported. */
	json_object_foreach((json_t *)obj, key, v) {
		if (table_find(fields, key) == NULL) {
			quote_name(quoted, sizeof(quoted), key);
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s: unknown field \"%s\"", self, quoted);
		}
	}

	for (f = fields; f->name != NULL; f++) {
		v = json_object_get(obj, f->name);
		if (v == NULL) {
			if (f->required)
				return sesshu_err_set(err, SESSHU_EFORMAT,
				    "%s: missing required field \"%s\"", self,
				    f->name);
			continue;
		}
		wire_path_member(where, sizeof(where), path, f->name);
		if (!type_matches(v, f->type))
			return sesshu_err_set(err, SESSHU_EFORMAT, "%s: %s",
			    where, type_expected(f->type));
		if ((rc = check_bounds(v, f->type, f->max, where, err)) != 0)
			return rc;
	}
	return 0;
}

/*
 * jansson appends "near '<token>'" to its messages, and the token may be a
 * value (a name, a 宛名番号). It is kept only when it is the end of the
 * input or a duplicated key made of identifier characters.
 */
static void
clean_json_error(char *out, size_t size, const json_error_t *jerr)
{
	static const char dup[] = "duplicate object key";
	static const char nul_msg[] = "\\u0000 is not allowed";
	const char *near, *tok;
	size_t msglen, toklen, i;
	int keep = 0;

	/* jansson names its own flag here; the peer only needs the rule. */
	if (strncmp(jerr->text, nul_msg, sizeof(nul_msg) - 1) == 0) {
		snprintf(out, size, "%s", nul_msg);
		return;
	}
	near = strstr(jerr->text, " near ");
	if (near == NULL) {
		snprintf(out, size, "%s", jerr->text);
		return;
	}
	msglen = (size_t)(near - jerr->text);
	tok = near + strlen(" near ");
	if (strcmp(tok, "end of file") == 0) {
		snprintf(out, size, "%.*s near end of file", (int)msglen,
		    jerr->text);
		return;
	}
	toklen = strlen(tok);
	if (strncmp(jerr->text, dup, sizeof(dup) - 1) == 0 && toklen >= 4 &&
	    tok[0] == '\'' && tok[1] == '"' && tok[toklen - 2] == '"' &&
	    tok[toklen - 1] == '\'') {
		keep = 1;
		for (i = 2; i < toklen - 2; i++) {
			char c = tok[i];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
			    c == '.'))
				keep = 0;
		}
	}
	if (keep)
		snprintf(out, size, "%.*s %.*s", (int)msglen, jerr->text,
		    (int)(toklen - 2), tok + 1);
	else
		snprintf(out, size, "%.*s", (int)msglen, jerr->text);
}

int
wire_parse_body(const char *buf, size_t len, json_t **out,
    struct sesshu_err *err)
{
	json_error_t jerr;
	char text[sizeof(jerr.text)];
	const char *nul;
	json_t *v;

	if (out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "body: no result");
	*out = NULL;
	if (len == 0)
		return sesshu_err_set(err, SESSHU_EFORMAT, "body: empty");
	if (buf == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL, "body: no buffer");
	if ((nul = memchr(buf, '\0', len)) != NULL)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "body: NUL byte at offset %zu", (size_t)(nul - buf));

	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			return sesshu_err_set(err, SESSHU_ENOMEM,
			    "body: out of memory while parsing");
		clean_json_error(text, sizeof(text), &jerr);
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "body: line %d, column %d: %s", jerr.line, jerr.column,
		    text);
	}
	if (!json_is_object(v)) {
		json_decref(v);
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "body: expected a JSON object");
	}
	*out = v;
	return 0;
}

/* The member for a getter: 0 and *v, or ENOTFOUND / EFORMAT naming it. */
static int
member(const json_t *obj, const char *path, const char *name,
    enum wire_type type, json_t **v, char *where, size_t wsize,
    struct sesshu_err *err)
{
	wire_path_member(where, wsize, path, name);
	if (!json_is_object(obj))
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: expected an object",
		    is_body(path) ? "body" : path);
	*v = json_object_get(obj, name);
	if (*v == NULL)
		return sesshu_err_set(err, SESSHU_ENOTFOUND, "%s: missing", where);
	if (!type_matches(*v, type))
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: %s", where,
		    type_expected(type));
	return 0;
}

int
wire_get_string(const json_t *obj, const char *path, const char *name,
    size_t max, const char **out, size_t *len, struct sesshu_err *err)
{
	char where[WIRE_PATH_MAX];
	json_t *v;
	int rc;

	if ((rc = member(obj, path, name, WIRE_STRING, &v, where,
	    sizeof(where), err)) != 0)
		return rc;
	if ((rc = check_bounds(v, WIRE_STRING, max, where, err)) != 0)
		return rc;
	if (out != NULL)
		*out = json_string_value(v);
	if (len != NULL)
		*len = json_string_length(v);
	return 0;
}

int
wire_get_int(const json_t *obj, const char *path, const char *name,
    json_int_t min, json_int_t max, json_int_t *out, struct sesshu_err *err)
{
	char where[WIRE_PATH_MAX];
	json_int_t i;
	json_t *v;
	int rc;

	if ((rc = member(obj, path, name, WIRE_INTEGER, &v, where,
	    sizeof(where), err)) != 0)
		return rc;
	i = json_integer_value(v);
	if (i < min || i > max)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "%s: out of range (%" JSON_INTEGER_FORMAT " to %"
		    JSON_INTEGER_FORMAT ")", where, min, max);
	if (out != NULL)
		*out = i;
	return 0;
}

int
wire_get_bool(const json_t *obj, const char *path, const char *name, int *out,
    struct sesshu_err *err)
{
	char where[WIRE_PATH_MAX];
	json_t *v;
	int rc;

	if ((rc = member(obj, path, name, WIRE_BOOLEAN, &v, where,
	    sizeof(where), err)) != 0)
		return rc;
	if (out != NULL)
		*out = json_is_true(v);
	return 0;
}

int
wire_get_object(const json_t *obj, const char *path, const char *name,
    json_t **out, struct sesshu_err *err)
{
	char where[WIRE_PATH_MAX];
	json_t *v;
	int rc;

	if ((rc = member(obj, path, name, WIRE_OBJECT, &v, where,
	    sizeof(where), err)) != 0)
		return rc;
	if (out != NULL)
		*out = v;
	return 0;
}

int
wire_get_array(const json_t *obj, const char *path, const char *name,
    size_t max_items, json_t **out, struct sesshu_err *err)
{
	char where[WIRE_PATH_MAX];
	json_t *v;
	int rc;

	if ((rc = member(obj, path, name, WIRE_ARRAY, &v, where,
	    sizeof(where), err)) != 0)
		return rc;
	if ((rc = check_bounds(v, WIRE_ARRAY, max_items, where, err)) != 0)
		return rc;
	if (out != NULL)
		*out = v;
	return 0;
}

json_t *
wire_error_body(const char *error, const char *message)
{
	return json_pack("{s:s, s:s}", "error", error != NULL ? error :
	    "internal", "message", message != NULL ? message : "");
}

int
wire_b64_encode(const void *in, size_t inlen, char *out, size_t outsize,
    struct sesshu_err *err)
{
	size_t need;
	int n;

	if (inlen > WIRE_B64_RAW_MAX)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "base64: %zu bytes is more than the %d allowed", inlen,
		    WIRE_B64_RAW_MAX);
	if (in == NULL && inlen != 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "base64: no input");
	need = WIRE_B64_ENCODED_SIZE(inlen);
	if (out == NULL || outsize < need)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "base64: %zu bytes need %zu bytes of output, have %zu",
		    inlen, need, out == NULL ? (size_t)0 : outsize);
	if (inlen == 0) {
		out[0] = '\0';
		return 0;
	}
	n = EVP_EncodeBlock((unsigned char *)out, in, (int)inlen);
	if (n < 0 || (size_t)n != need - 1)
		return sesshu_err_set(err, SESSHU_ECRYPTO,
		    "base64: encoding failed");
	return 0;
}

/* The 6-bit value of a base64 character, or -1. */
static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
wire_b64_decode(const char *in, size_t inlen, void *out, size_t outsize,
    size_t *outlen, const char *what, struct sesshu_err *err)
{
	unsigned char tmp[WIRE_B64_RAW_MAX];
	size_t pad = 0, rawlen, full, i;
	int n, last;

	if (what == NULL)
		what = "base64";
	if (outlen != NULL)
		*outlen = 0;
	if (in == NULL && inlen != 0)
		return sesshu_err_set(err, SESSHU_EINVAL, "%s: no input", what);
	if (inlen % 4 != 0)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: base64 length %zu is not a multiple of 4", what, inlen);
	full = inlen / 4 * 3;
	if (full > sizeof(tmp))
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "%s: more than %d bytes of base64 data", what,
		    WIRE_B64_RAW_MAX);
	if (inlen == 0)
		return 0;

	if (in[inlen - 1] == '=')
		pad = in[inlen - 2] == '=' ? 2 : 1;
	for (i = 0; i < inlen - pad; i++)
		if (b64_value(in[i]) < 0)
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s: not base64 (bad character at offset %zu)",
			    what, i);
	/* One value, one encoding: the bits the padding leaves unused are 0. */
	last = b64_value(in[inlen - pad - 1]);
	if ((pad == 1 && (last & 0x03) != 0) ||
	    (pad == 2 && (last & 0x0f) != 0))
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: not canonical base64 (nonzero padding bits)", what);

	rawlen = full - pad;
	if (out == NULL || rawlen > outsize)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "%s: decodes to %zu bytes, at most %zu fit", what, rawlen,
		    out == NULL ? (size_t)0 : outsize);
	/* EVP_DecodeBlock counts the padding as zero bytes: full, not rawlen. */
	n = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)inlen);
	if (n < 0 || (size_t)n != full) {
		OPENSSL_cleanse(tmp, sizeof(tmp));
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s: not base64",
		    what);
	}
	memcpy(out, tmp, rawlen);
	OPENSSL_cleanse(tmp, full);
	if (outlen != NULL)
		*outlen = rawlen;
	return 0;
}

int
wire_uuid_v4(char out[WIRE_UUID_STRLEN], struct sesshu_err *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t i, o = 0;

	if (RAND_bytes(b, sizeof(b)) != 1)
		return sesshu_err_set(err, SESSHU_ECRYPTO,
		    "uuid: the random generator failed");
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	for (i = 0; i < sizeof(b); i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0f];
	}
	out[o] = '\0';
	return 0;
}

int
wire_uuid_check(const char *s, size_t len, const char *what,
    struct sesshu_err *err)
{
	size_t i;

	if (what == NULL)
		what = "uuid";
	if (s == NULL || len != WIRE_UUID_LEN)
		goto bad;
	for (i = 0; i < WIRE_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				goto bad;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			goto bad;
	}
	if (s[14] < '1' || s[14] > '8')
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: UUID version %c is not 1 to 8", what, s[14]);
	if (strchr("89ab", s[19]) == NULL)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: not an RFC 4122 variant UUID", what);
	return 0;
bad:
	return sesshu_err_set(err, SESSHU_EFORMAT,
	    "%s: not a UUID in RFC 4122 text form "
	    "(8-4-4-4-12 lowercase hex digits)", what);
}
