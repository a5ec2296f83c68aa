/*
 * keyslot.c: the key-slot file; see keyslot.h and docs/SECURITY.md
 * ("Key-slot file") for the byte layout.
 *
 * Parsing is done with a bounded reader that never reads past the end of
 * the bytes it was given, in three passes over a file that may be hostile:
 * framing (lengths and counts, so that a truncation is reported as one),
 * then the checksum, then the meaning of each field (ID characters, KDF id,
 * scrypt bounds). SHA-256 is not keyed: it catches damage, not an attacker.
 * What stops an attacker who can write the file is GCM, whose AAD covers
 * everything in a slot but the nonce, tag and ciphertext that GCM checks
 * anyway.
 *
 * Must never: copy a password, KEK or K outside a secbuf (OpenSSL's scrypt
 * keeps its own copy of the password in its context, wiped when the context
 * is freed; that copy is beyond our reach), write to a file it refused, or
 * put a secret in an error message.
 */
#include "auth/keyslot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

/*
 * Default scrypt cost: 128 * r * N = 80 MiB per unlock, measured ~0.30 s
 * (0.29-0.33 s over five unlocks, OpenSSL 3.0.19) on the 2-core dev
 * machine; the design estimate was ~0.37 s. Raise log2N (memory and time
 * double) rather than p when machines get faster; old slots keep their own
 * parameters and are upgraded at the next password change.
 */
#define KEYSLOT_DEFAULT_LOG2N	16
#define KEYSLOT_DEFAULT_R	10
#define KEYSLOT_DEFAULT_P	1

const struct keyslot_params KEYSLOT_DEFAULT_PARAMS = {
	KEYSLOT_DEFAULT_LOG2N, KEYSLOT_DEFAULT_R, KEYSLOT_DEFAULT_P
};

/* On-disk layout, version 1; big-endian integers (docs/SECURITY.md). */
static const unsigned char keyslot_magic[8] = {
	'S', 'E', 'S', 'S', 'H', 'U', 'K', 'S'
};
#define MAGIC_LEN	8
#define FORMAT_VERSION	1
#define KDF_SCRYPT	1
#define SALT_LEN	16
#define NONCE_LEN	12
#define TAG_LEN		16
#define SUM_LEN		SHA256_DIGEST_LENGTH
/* Every version starts with magic + version and ends with the SHA-256. */
#define FILE_MIN	(MAGIC_LEN + 2 + SUM_LEN)
/* A slot after its user ID: kdf, log2N, r, p, salt, nonce, ct, tag, time. */
#define SLOT_FIXED	(1 + 1 + 4 + 4 + SALT_LEN + NONCE_LEN + \
			    KEYSLOT_KEY_BYTES + TAG_LEN + 8)
#define HEADER_MAX	(MAGIC_LEN + 2 + 1 + KEYSLOT_ID_MAX + 2)
#define SLOT_MAX	(1 + KEYSLOT_ID_MAX + SLOT_FIXED)
#define FILE_MAX	(HEADER_MAX + KEYSLOT_MAX_SLOTS * SLOT_MAX + SUM_LEN)

/* Domain separation: a GCM tag made here means nothing anywhere else. */
static const char aad_label[] = "sesshu-keyslot-v1";	/* sent with its NUL */
#define AAD_MAX		(sizeof(aad_label) + 2 * (1 + KEYSLOT_ID_MAX) + \
			    1 + 1 + 4 + 4 + SALT_LEN + 8)

struct slot {
	char			user[KEYSLOT_ID_MAX + 1];
	size_t			user_len;	/* as read; strlen may be less */
	uint8_t			kdf;
	struct keyslot_params	params;
	uint8_t			salt[SALT_LEN];
	uint8_t			nonce[NONCE_LEN];
	uint8_t			ct[KEYSLOT_KEY_BYTES];
	uint8_t			tag[TAG_LEN];
	int64_t			created;	/* unix seconds */
};

struct keyslot_file {
	char		workstation[KEYSLOT_ID_MAX + 1];
	size_t		workstation_len;	/* as read or given */
	size_t		nslots;
	struct slot	slots[KEYSLOT_MAX_SLOTS];
};

/* ---- bounded reader and writer (after OpenSSH's sshbuf) ---- */

struct rbuf {
	const uint8_t	*d;
	size_t		 len;
	size_t		 off;
};

static int
rb_bytes(struct rbuf *b, void *out, size_t n)
{
	if (n > b->len - b->off)
		return -1;
	memcpy(out, b->d + b->off, n);
	b->off += n;
	return 0;
}

static int
rb_u8(struct rbuf *b, uint8_t *v)
{
	return rb_bytes(b, v, 1);
}

static int
rb_u16(struct rbuf *b, uint16_t *v)
{
	uint8_t x[2];

	if (rb_bytes(b, x, sizeof(x)) != 0)
		return -1;
	*v = (uint16_t)((x[0] << 8) | x[1]);
	return 0;
}

static int
rb_u32(struct rbuf *b, uint32_t *v)
{
	uint8_t x[4];

	if (rb_bytes(b, x, sizeof(x)) != 0)
		return -1;
	*v = ((uint32_t)x[0] << 24) | ((uint32_t)x[1] << 16) |
	    ((uint32_t)x[2] << 8) | x[3];
	return 0;
}

static int
rb_u64(struct rbuf *b, uint64_t *v)
{
	uint32_t hi, lo;

	if (rb_u32(b, &hi) != 0 || rb_u32(b, &lo) != 0)
		return -1;
	*v = ((uint64_t)hi << 32) | lo;
	return 0;
}

/* A writer over a buffer of known size; overflow is sticky and checked once. */
struct wbuf {
	uint8_t		*d;
	size_t		 len;
	size_t		 off;
	int		 overflow;
};

static void
wb_bytes(struct wbuf *b, const void *p, size_t n)
{
	if (b->overflow || n > b->len - b->off) {
		b->overflow = 1;
		return;
	}
	memcpy(b->d + b->off, p, n);
	b->off += n;
}

static void
wb_u8(struct wbuf *b, uint8_t v)
{
	wb_bytes(b, &v, 1);
}

static void
wb_u16(struct wbuf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	wb_bytes(b, x, sizeof(x));
}

static void
wb_u32(struct wbuf *b, uint32_t v)
{
	uint8_t x[4] = {
		(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
		(uint8_t)v
	};

	wb_bytes(b, x, sizeof(x));
}

static void
wb_u64(struct wbuf *b, uint64_t v)
{
	wb_u32(b, (uint32_t)(v >> 32));
	wb_u32(b, (uint32_t)v);
}

/* A length-prefixed ID; the caller has checked 1..KEYSLOT_ID_MAX. */
static void
wb_id(struct wbuf *b, const char *id)
{
	size_t n = strlen(id);

	wb_u8(b, (uint8_t)n);
	wb_bytes(b, id, n);
}

/* ---- validation ---- */

static int
id_chars_ok(const char *s, size_t n)
{
	if (n == 0 || n > KEYSLOT_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* An ID from a caller: NUL-terminated within KEYSLOT_ID_MAX bytes. */
static int
id_ok(const char *s)
{
	return s != NULL && id_chars_ok(s, strnlen(s, KEYSLOT_ID_MAX + 1));
}

/*
 * Bounds that keep a hostile file from making us allocate or spin without
 * limit. what names the owner of the parameters in the message.
 */
static int
params_check(const struct keyslot_params *p, const char *what,
    struct sesshu_err *err)
{
	int rc;

	if ((rc = scrypt_params_check(p, err)) != 0)
		sesshu_err_prefix(err, "%s", what);
	return rc;
}

static struct slot *
find_slot(const struct keyslot_file *f, const char *user_id, size_t *idx)
{
	for (size_t i = 0; i < f->nslots; i++) {
		if (strcmp(f->slots[i].user, user_id) == 0) {
			if (idx != NULL)
				*idx = i;
			return (struct slot *)&f->slots[i];
		}
	}
	return NULL;
}

/* ---- crypto ---- */

/* Records the newest OpenSSL error after what, and clears the queue. */
static int
crypto_fail(struct sesshu_err *err, int code, const char *what,
    const char *user_id)
{
	char buf[256];
	unsigned long e = ERR_peek_last_error();

	if (e != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "no detail from OpenSSL");
	ERR_clear_error();
	return sesshu_err_set(err, code, "%s for the key slot of user %s: %s",
	    what, user_id, buf);
}

/*
 * AAD: label, workstation ID, user ID, KDF id and parameters, salt and
 * creation time. Everything a slot says about itself is bound, so changing
 * any of it (to lower the cost, or to move the slot) fails the tag.
 */
static size_t
slot_aad(const struct keyslot_file *f, const struct slot *s,
    uint8_t aad[AAD_MAX])
{
	struct wbuf b = { aad, AAD_MAX, 0, 0 };

	wb_bytes(&b, aad_label, sizeof(aad_label));
	wb_id(&b, f->workstation);
	wb_id(&b, s->user);
	wb_u8(&b, s->kdf);
	wb_u8(&b, s->params.log2_n);
	wb_u32(&b, s->params.r);
	wb_u32(&b, s->params.p);
	wb_bytes(&b, s->salt, sizeof(s->salt));
	wb_u64(&b, (uint64_t)s->created);
	/* AAD_MAX is the sum of the above maxima. */
	return b.overflow ? 0 : b.off;
}

/* KEK = scrypt(password, salt), derived straight into a new secbuf. */
static int
derive_kek(struct secbuf *kek, const struct slot *s, const char *pw,
    size_t pw_len, struct sesshu_err *err)
{
	int rc;

	if ((rc = secbuf_alloc(kek, KEYSLOT_KEY_BYTES, err)) != 0)
		return rc;
	if ((rc = scrypt_derive(pw, pw_len, s->salt, sizeof(s->salt), &s->params,
	    kek->data, kek->len, err)) != 0) {
		sesshu_err_prefix(err, "key slot of user %s", s->user);
		secbuf_release(kek);
	}
	return rc;
}

/* Seals key into s->ct/s->tag under kek with a fresh nonce. */
static int
gcm_seal(const struct secbuf *kek, struct slot *s, const uint8_t *aad,
    size_t aad_len, const struct secbuf *key, struct sesshu_err *err)
{
	EVP_CIPHER *c = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	int n, fin, rc = 0;

	if (RAND_bytes(s->nonce, sizeof(s->nonce)) != 1)
		return crypto_fail(err, SESSHU_ECRYPTO,
		    "cannot draw a random nonce", s->user);
	if ((c = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL)) == NULL ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex2(ctx, c, kek->data, s->nonce, NULL) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1 ||
	    EVP_EncryptUpdate(ctx, s->ct, &n, key->data,
	    KEYSLOT_KEY_BYTES) != 1 || n != KEYSLOT_KEY_BYTES ||
	    EVP_EncryptFinal_ex(ctx, s->ct + n, &fin) != 1 || fin != 0 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TAG_LEN,
	    s->tag) != 1)
		rc = crypto_fail(err, SESSHU_ECRYPTO,
		    "AES-256-GCM sealing failed", s->user);
	/* Frees (and wipes) the key schedule. */
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return rc;
}

/*
 * Opens s into out (a new secbuf). The plaintext lands in out before the
 * tag is checked, so out is released (wiped) when the tag does not match.
 */
static int
gcm_open(const struct secbuf *kek, const struct slot *s, const uint8_t *aad,
    size_t aad_len, struct secbuf *out, struct sesshu_err *err)
{
	EVP_CIPHER *c = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t tag[TAG_LEN];
	int n, fin, rc;

	if ((rc = secbuf_alloc(out, KEYSLOT_KEY_BYTES, err)) != 0)
		return rc;
	memcpy(tag, s->tag, sizeof(tag));	/* the ctrl wants non-const */
	if ((c = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL)) == NULL ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_DecryptInit_ex2(ctx, c, kek->data, s->nonce, NULL) != 1 ||
	    EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1 ||
	    EVP_DecryptUpdate(ctx, out->data, &n, s->ct,
	    KEYSLOT_KEY_BYTES) != 1 || n != KEYSLOT_KEY_BYTES ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TAG_LEN,
	    tag) != 1)
		rc = crypto_fail(err, SESSHU_ECRYPTO,
		    "AES-256-GCM opening failed", s->user);
	else if (EVP_DecryptFinal_ex(ctx, out->data + n, &fin) != 1) {
		/* Wrong password, or a slot bound to another user/workstation. */
		ERR_clear_error();
		rc = sesshu_err_set(err, SESSHU_EAUTH,
		    "the password does not open the key slot of user %s",
		    s->user);
	}
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	if (rc != 0)
		secbuf_release(out);
	return rc;
}

/*
 * Fills s (whose user, kdf, params and created are set) with a fresh salt
 * and key under pw. A fresh salt means a fresh KEK, so a (KEK, nonce) pair
 * never repeats even before counting on the random nonce.
 */
static int
slot_seal(const struct keyslot_file *f, struct slot *s, const char *pw,
    size_t pw_len, const struct secbuf *key, struct sesshu_err *err)
{
	struct secbuf kek = { NULL, 0 };
	uint8_t aad[AAD_MAX];
	size_t aad_len;
	int rc;

	if (RAND_bytes(s->salt, sizeof(s->salt)) != 1)
		return crypto_fail(err, SESSHU_ECRYPTO,
		    "cannot draw a random salt", s->user);
	if ((aad_len = slot_aad(f, s, aad)) == 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "key slot of user %s does not fit its AAD", s->user);
	if ((rc = derive_kek(&kek, s, pw, pw_len, err)) != 0)
		return rc;
	rc = gcm_seal(&kek, s, aad, aad_len, key, err);
	secbuf_release(&kek);
	return rc;
}

static int
slot_open(const struct keyslot_file *f, const struct slot *s, const char *pw,
    size_t pw_len, struct secbuf *out, struct sesshu_err *err)
{
	struct secbuf kek = { NULL, 0 };
	uint8_t aad[AAD_MAX];
	char what[32 + KEYSLOT_ID_MAX];
	size_t aad_len;
	int rc;

	if ((aad_len = slot_aad(f, s, aad)) == 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "key slot of user %s does not fit its AAD", s->user);
	/* Slots are only made by slot_seal or checked at load; be sure. */
	if (s->kdf != KDF_SCRYPT)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "key slot of user %s uses unknown KDF id %u", s->user,
		    (unsigned)s->kdf);
	snprintf(what, sizeof(what), "key slot of user %s", s->user);
	if ((rc = params_check(&s->params, what, err)) != 0)
		return rc;
	if ((rc = derive_kek(&kek, s, pw, pw_len, err)) != 0)
		return rc;
	rc = gcm_open(&kek, s, aad, aad_len, out, err);
	secbuf_release(&kek);
	return rc;
}

/* ---- the in-memory model ---- */

int
keyslot_file_new(struct keyslot_file **out, const char *workstation_id,
    struct sesshu_err *err)
{
	struct keyslot_file *f;

	*out = NULL;
	if (!id_ok(workstation_id))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "invalid workstation ID: it must be 1..%d characters "
		    "from A-Z a-z 0-9 . _ -", KEYSLOT_ID_MAX);
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM,
		    "out of memory for the key slots of workstation %s",
		    workstation_id);
	f->workstation_len = strlen(workstation_id);
	memcpy(f->workstation, workstation_id, f->workstation_len + 1);
	*out = f;
	return 0;
}

void
keyslot_file_free(struct keyslot_file *f)
{
	free(f);
}

const char *
keyslot_file_workstation(const struct keyslot_file *f)
{
	return f->workstation;
}

size_t
keyslot_count(const struct keyslot_file *f)
{
	return f->nslots;
}

const char *
keyslot_user_at(const struct keyslot_file *f, size_t i)
{
	return i < f->nslots ? f->slots[i].user : NULL;
}

int
keyslot_has_user(const struct keyslot_file *f, const char *user_id)
{
	return id_ok(user_id) && find_slot(f, user_id, NULL) != NULL;
}

int
keyslot_add(struct keyslot_file *f, const char *user_id, const char *password,
    size_t password_len, const struct secbuf *master_key,
    const struct keyslot_params *params, struct sesshu_err *err)
{
	struct slot s, *old;
	char what[32 + KEYSLOT_ID_MAX];
	int rc;

	if (!id_ok(user_id))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "invalid user ID: it must be 1..%d characters "
		    "from A-Z a-z 0-9 . _ -", KEYSLOT_ID_MAX);
	if (password == NULL || password_len == 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "empty password for the key slot of user %s", user_id);
	if (master_key == NULL || master_key->data == NULL ||
	    master_key->len != KEYSLOT_KEY_BYTES)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "master key for the key slot of user %s is not %d bytes",
		    user_id, KEYSLOT_KEY_BYTES);
	if (params == NULL)
		params = &KEYSLOT_DEFAULT_PARAMS;
	snprintf(what, sizeof(what), "key slot of user %s", user_id);
	if ((rc = params_check(params, what, err)) != 0)
		return rc;
	old = find_slot(f, user_id, NULL);
	if (old == NULL && f->nslots >= KEYSLOT_MAX_SLOTS)
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "workstation %s already has %d key slots; cannot add user %s",
		    f->workstation, KEYSLOT_MAX_SLOTS, user_id);

	/* Built aside, so a failure leaves f as it was. */
	memset(&s, 0, sizeof(s));
	s.user_len = strlen(user_id);
	memcpy(s.user, user_id, s.user_len + 1);
	s.kdf = KDF_SCRYPT;
	s.params = *params;
	s.created = (int64_t)time(NULL);
	if ((rc = slot_seal(f, &s, password, password_len, master_key,
	    err)) != 0)
		return rc;
	if (old != NULL)
		*old = s;	/* a replaced slot keeps its place */
	else
		f->slots[f->nslots++] = s;
	return 0;
}

int
keyslot_unlock(const struct keyslot_file *f, const char *user_id,
    const char *password, size_t password_len, struct secbuf *master_key_out,
    struct sesshu_err *err)
{
	const struct slot *s;

	master_key_out->data = NULL;
	master_key_out->len = 0;
	if (!id_ok(user_id))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "invalid user ID: it must be 1..%d characters "
		    "from A-Z a-z 0-9 . _ -", KEYSLOT_ID_MAX);
	if ((s = find_slot(f, user_id, NULL)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOTFOUND,
		    "user %s has no key slot on workstation %s", user_id,
		    f->workstation);
	/* keyslot_add never seals under an empty password. */
	if (password == NULL || password_len == 0)
		return sesshu_err_set(err, SESSHU_EAUTH,
		    "the password does not open the key slot of user %s",
		    user_id);
	return slot_open(f, s, password, password_len, master_key_out, err);
}

int
keyslot_remove(struct keyslot_file *f, const char *user_id,
    struct sesshu_err *err)
{
	size_t i;

	if (!id_ok(user_id) || find_slot(f, user_id, &i) == NULL)
		return sesshu_err_set(err, SESSHU_ENOTFOUND,
		    "user %s has no key slot on workstation %s",
		    id_ok(user_id) ? user_id : "(invalid ID)", f->workstation);
	memmove(&f->slots[i], &f->slots[i + 1],
	    (f->nslots - i - 1) * sizeof(f->slots[0]));
	f->nslots--;
	memset(&f->slots[f->nslots], 0, sizeof(f->slots[0]));
	return 0;
}

int
keyslot_rewrap(struct keyslot_file *f, const char *user_id,
    const char *old_pw, size_t old_len, const char *new_pw, size_t new_len,
    const struct keyslot_params *params, struct sesshu_err *err)
{
	struct secbuf key = { NULL, 0 };
	int rc;

	if ((rc = keyslot_unlock(f, user_id, old_pw, old_len, &key, err)) != 0)
		return rc;
	rc = keyslot_add(f, user_id, new_pw, new_len, &key, params, err);
	secbuf_release(&key);
	return rc;
}

/* ---- load ---- */

/* Reads at most FILE_MAX + 1 bytes, so an oversized file is seen as such. */
static int
read_file(const char *path, uint8_t **out, size_t *out_len,
    struct sesshu_err *err)
{
	struct stat st;
	uint8_t *buf;
	size_t len = 0;
	ssize_t n;
	int fd;

	*out = NULL;
	*out_len = 0;
	/* O_NONBLOCK: a FIFO planted at path must not hang the login. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return sesshu_err_set(err, errno == ENOENT ? SESSHU_ENOTFOUND :
		    SESSHU_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sesshu_err_set(err, SESSHU_EIO,
		    "%s: not a regular file", path);
	}
	if ((buf = malloc(FILE_MAX + 1)) == NULL) {
		close(fd);
		return sesshu_err_set(err, SESSHU_ENOMEM,
		    "%s: out of memory", path);
	}
	while (len < FILE_MAX + 1) {
		n = read(fd, buf + len, FILE_MAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			int saved = errno;

			close(fd);
			free(buf);
			return sesshu_err_set(err, SESSHU_EIO,
			    "%s: read failed at byte %zu: %s", path, len,
			    strerror(saved));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	*out = buf;
	*out_len = len;
	return 0;
}

static int
checksum_ok(const uint8_t *d, size_t len)
{
	uint8_t sum[SUM_LEN];

	SHA256(d, len - SUM_LEN, sum);
	return CRYPTO_memcmp(sum, d + len - SUM_LEN, SUM_LEN) == 0;
}

/* Pass 1 of a version-1 file: lengths and counts, ending at the checksum. */
static int
parse_framing(struct keyslot_file *f, const char *path, const uint8_t *d,
    size_t len, struct sesshu_err *err)
{
	struct rbuf b = { d, len, MAGIC_LEN + 2 };
	uint8_t idlen, u8;
	uint16_t count = 0;
	uint32_t u32;
	uint64_t u64;
	const char *field = "";
	size_t i = 0;

	field = "workstation ID length";
	if (rb_u8(&b, &idlen) != 0)
		goto truncated;
	if (idlen == 0 || idlen > KEYSLOT_ID_MAX)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: workstation ID length %u at byte %zu is outside 1..%d",
		    path, (unsigned)idlen, b.off - 1, KEYSLOT_ID_MAX);
	field = "workstation ID";
	if (rb_bytes(&b, f->workstation, idlen) != 0)
		goto truncated;
	f->workstation[idlen] = '\0';
	f->workstation_len = idlen;
	field = "slot count";
	if (rb_u16(&b, &count) != 0)
		goto truncated;
	if (count > KEYSLOT_MAX_SLOTS)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: slot count %u at byte %zu exceeds %d", path,
		    (unsigned)count, b.off - 2, KEYSLOT_MAX_SLOTS);

	for (i = 0; i < count; i++) {
		struct slot *s = &f->slots[i];

		field = "user ID length";
		if (rb_u8(&b, &idlen) != 0)
			goto truncated;
		if (idlen == 0 || idlen > KEYSLOT_ID_MAX)
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s: user ID length %u of slot %zu at byte %zu is "
			    "outside 1..%d", path, (unsigned)idlen, i,
			    b.off - 1, KEYSLOT_ID_MAX);
		field = "user ID";
		if (rb_bytes(&b, s->user, idlen) != 0)
			goto truncated;
		s->user[idlen] = '\0';
		s->user_len = idlen;
		field = "KDF id";
		if (rb_u8(&b, &s->kdf) != 0)
			goto truncated;
		field = "scrypt log2N";
		if (rb_u8(&b, &u8) != 0)
			goto truncated;
		s->params.log2_n = u8;
		field = "scrypt r";
		if (rb_u32(&b, &u32) != 0)
			goto truncated;
		s->params.r = u32;
		field = "scrypt p";
		if (rb_u32(&b, &u32) != 0)
			goto truncated;
		s->params.p = u32;
		field = "salt";
		if (rb_bytes(&b, s->salt, sizeof(s->salt)) != 0)
			goto truncated;
		field = "nonce";
		if (rb_bytes(&b, s->nonce, sizeof(s->nonce)) != 0)
			goto truncated;
		field = "wrapped key";
		if (rb_bytes(&b, s->ct, sizeof(s->ct)) != 0)
			goto truncated;
		field = "GCM tag";
		if (rb_bytes(&b, s->tag, sizeof(s->tag)) != 0)
			goto truncated;
		field = "creation time";
		if (rb_u64(&b, &u64) != 0)
			goto truncated;
		s->created = (int64_t)u64;
	}
	f->nslots = count;

	if (len - b.off < SUM_LEN)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: truncated at byte %zu (the SHA-256 after the last slot "
		    "starts at byte %zu)", path, len, b.off);
	if (len - b.off > SUM_LEN)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: %zu unexpected bytes after the last slot at byte %zu",
		    path, len - b.off - SUM_LEN, b.off);
	return 0;

truncated:
	if (i < count)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: truncated at byte %zu (in the %s of slot %zu of %u)",
		    path, len, field, i, (unsigned)count);
	return sesshu_err_set(err, SESSHU_EFORMAT,
	    "%s: truncated at byte %zu (in the %s)", path, len, field);
}

/* Pass 3: what the checksummed fields mean. */
static int
check_fields(const struct keyslot_file *f, const char *path,
    struct sesshu_err *err)
{
	char what[PATH_MAX + 96];
	int rc;

	/* The stored lengths: a NUL inside an ID is refused, not cut at. */
	if (!id_chars_ok(f->workstation, f->workstation_len))
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: the workstation ID has a character outside "
		    "A-Z a-z 0-9 . _ - (or a NUL)", path);
	for (size_t i = 0; i < f->nslots; i++) {
		const struct slot *s = &f->slots[i];

		if (!id_chars_ok(s->user, s->user_len))
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s: the user ID of slot %zu has a character "
			    "outside A-Z a-z 0-9 . _ - (or a NUL)", path, i);
		if (find_slot(f, s->user, NULL) != s)
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s: user %s has more than one key slot", path,
			    s->user);
		if (s->kdf != KDF_SCRYPT)
			return sesshu_err_set(err, SESSHU_EFORMAT,
			    "%s: the key slot of user %s uses unknown KDF id "
			    "%u (this program knows 1, scrypt)", path, s->user,
			    (unsigned)s->kdf);
		snprintf(what, sizeof(what), "%s: key slot of user %s", path,
		    s->user);
		if ((rc = params_check(&s->params, what, err)) != 0)
			return rc;
	}
	return 0;
}

static int
parse(struct keyslot_file *f, const char *path, const uint8_t *d, size_t len,
    struct sesshu_err *err)
{
	uint16_t version;
	int rc;

	if (len > FILE_MAX)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: larger than any key-slot file (%d bytes at most)",
		    path, FILE_MAX);
	if (len < MAGIC_LEN && memcmp(d, keyslot_magic, len) == 0)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: truncated at byte %zu (in the magic)", path, len);
	if (len < MAGIC_LEN || memcmp(d, keyslot_magic, MAGIC_LEN) != 0)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: not a sesshu key-slot file (bad magic)", path);
	if (len < FILE_MIN)
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "%s: truncated at byte %zu (a key-slot file has at least "
		    "%d bytes)", path, len, FILE_MIN);
	version = (uint16_t)((d[MAGIC_LEN] << 8) | d[MAGIC_LEN + 1]);
	if (version != FORMAT_VERSION) {
		/*
		 * Every version ends with the SHA-256, so a newer file can be
		 * told from a damaged version field.
		 */
		if (!checksum_ok(d, len))
			return sesshu_err_set(err, SESSHU_ECORRUPT,
			    "%s: checksum mismatch (and unknown format version "
			    "%u): the file is damaged", path, (unsigned)version);
		return sesshu_err_set(err, SESSHU_EVERSION,
		    "%s: unknown format version %u (this program reads %d)",
		    path, (unsigned)version, FORMAT_VERSION);
	}
	if ((rc = parse_framing(f, path, d, len, err)) != 0)
		return rc;
	if (!checksum_ok(d, len))
		return sesshu_err_set(err, SESSHU_ECORRUPT,
		    "%s: checksum mismatch: the file was altered or damaged",
		    path);
	return check_fields(f, path, err);
}

int
keyslot_file_load(struct keyslot_file **out, const char *path,
    struct sesshu_err *err)
{
	struct keyslot_file *f;
	uint8_t *d = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = read_file(path, &d, &len, err)) != 0)
		return rc;
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		free(d);
		return sesshu_err_set(err, SESSHU_ENOMEM,
		    "%s: out of memory", path);
	}
	rc = parse(f, path, d, len, err);
	free(d);
	if (rc != 0) {
		keyslot_file_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* ---- save ---- */

static size_t
serialized_len(const struct keyslot_file *f)
{
	size_t n = MAGIC_LEN + 2 + 1 + strlen(f->workstation) + 2 + SUM_LEN;

	for (size_t i = 0; i < f->nslots; i++)
		n += 1 + strlen(f->slots[i].user) + SLOT_FIXED;
	return n;
}

static int
serialize(const struct keyslot_file *f, uint8_t **out, size_t *out_len,
    struct sesshu_err *err)
{
	size_t len = serialized_len(f);
	struct wbuf b = { NULL, len, 0, 0 };

	if ((b.d = malloc(len)) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM,
		    "out of memory for the key slots of workstation %s",
		    f->workstation);
	wb_bytes(&b, keyslot_magic, MAGIC_LEN);
	wb_u16(&b, FORMAT_VERSION);
	wb_id(&b, f->workstation);
	wb_u16(&b, (uint16_t)f->nslots);
	for (size_t i = 0; i < f->nslots; i++) {
		const struct slot *s = &f->slots[i];

		wb_id(&b, s->user);
		wb_u8(&b, s->kdf);
		wb_u8(&b, s->params.log2_n);
		wb_u32(&b, s->params.r);
		wb_u32(&b, s->params.p);
		wb_bytes(&b, s->salt, sizeof(s->salt));
		wb_bytes(&b, s->nonce, sizeof(s->nonce));
		wb_bytes(&b, s->ct, sizeof(s->ct));
		wb_bytes(&b, s->tag, sizeof(s->tag));
		wb_u64(&b, (uint64_t)s->created);
	}
	if (b.overflow || len - b.off != SUM_LEN) {
		free(b.d);
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "key slots of workstation %s do not serialize to the "
		    "computed length", f->workstation);
	}
	SHA256(b.d, b.off, b.d + b.off);
	*out = b.d;
	*out_len = len;
	return 0;
}

static int
write_all(int fd, const uint8_t *d, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, d, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		d += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync the directory holding path, so the rename itself is durable. */
static int
sync_parent(const char *path, struct sesshu_err *err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;
	int fd;

	if (slash == NULL)
		memcpy(dir, ".", 2);
	else {
		n = slash == path ? 1 : (size_t)(slash - path);
		memcpy(dir, path, n);	/* n < strlen(path) < PATH_MAX */
		dir[n] = '\0';
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return sesshu_err_set(err, SESSHU_EIO,
		    "%s: cannot open the directory to sync it: %s", dir,
		    strerror(errno));
	if (fsync(fd) == -1) {
		int saved = errno;

		close(fd);
		return sesshu_err_set(err, SESSHU_EIO,
		    "%s: fsync of the directory failed: %s", dir,
		    strerror(saved));
	}
	close(fd);
	return 0;
}

/*
 * Saves under an exclusive lock on "path.lock", so two processes never
 * write the temporary file at once; holding the lock also proves that a
 * leftover "path.tmp" is debris from an interrupted save, safe to remove.
 */
static int
save_locked(const uint8_t *d, size_t len, const char *path, const char *tmp,
    struct sesshu_err *err)
{
	int fd;

	if (unlink(tmp) == -1 && errno != ENOENT)
		return sesshu_err_set(err, SESSHU_EIO,
		    "%s: cannot remove a leftover temporary file: %s", tmp,
		    strerror(errno));
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1)
		return sesshu_err_set(err, SESSHU_EIO, "%s: cannot create: %s",
		    tmp, strerror(errno));
	/* 0600 whatever the umask was. */
	if (fchmod(fd, 0600) == -1 || write_all(fd, d, len) == -1 ||
	    fsync(fd) == -1) {
		int saved = errno;

		close(fd);
		unlink(tmp);
		return sesshu_err_set(err, SESSHU_EIO,
		    "%s: cannot write: %s", tmp, strerror(saved));
	}
	if (close(fd) == -1) {
		int saved = errno;

		unlink(tmp);
		return sesshu_err_set(err, SESSHU_EIO,
		    "%s: close failed: %s", tmp, strerror(saved));
	}
	if (rename(tmp, path) == -1) {
		int saved = errno;

		unlink(tmp);
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot rename %s to %s: %s", tmp, path, strerror(saved));
	}
	return sync_parent(path, err);
}

int
keyslot_file_save(const struct keyslot_file *f, const char *path,
    struct sesshu_err *err)
{
	char tmp[PATH_MAX], lock[PATH_MAX];
	uint8_t *d = NULL;
	size_t len = 0;
	int lockfd, rc, n, m;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	m = snprintf(lock, sizeof(lock), "%s.lock", path);
	if (n < 0 || (size_t)n >= sizeof(tmp) || m < 0 || (size_t)m >= sizeof(lock))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "%s: path too long", path);
	if ((rc = serialize(f, &d, &len, err)) != 0)
		return rc;
	lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lockfd == -1 || flock(lockfd, LOCK_EX) == -1) {
		rc = sesshu_err_set(err, SESSHU_EIO, "%s: cannot lock: %s", lock,
		    strerror(errno));
		if (lockfd != -1)
			close(lockfd);
		free(d);
		return rc;
	}
	rc = save_locked(d, len, path, tmp, err);
	close(lockfd);		/* releases the lock */
	free(d);
	return rc;
}
