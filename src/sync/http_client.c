/*
 * http_client.c: the workstation's HTTPS client to the register; see
 * http_client.h and docs/PROTOCOL.md ("Transport").
 *
 * Every libcurl default that could widen trust is set explicitly rather
 * than left to the build: CAPATH is cleared because Debian's libcurl
 * defaults it to /etc/ssl/certs (ARCHITECTURE §4: never the system store),
 * the proxy is "" so that https_proxy and ALL_PROXY in the environment are
 * ignored, only https is allowed for requests and redirects (and redirects
 * are not followed), and the cookie engine is never started (no
 * CURLOPT_COOKIEFILE).
 *
 * Must never put a request body in a message: bodies carry passwords,
 * activation codes and the master key. The serialised body and the raw
 * answer are wiped (OPENSSL_cleanse) before they are freed. What this file
 * cannot reach: jansson's strings in the caller's json_t, and the copies
 * libcurl and OpenSSL make in their own send and receive buffers.
 */
#include "sync/http_client.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <glib.h>
#include <openssl/crypto.h>
#include <openssl/x509_vfy.h>

#include "version.h"

#define PATH_MAX_LEN	256	/* "/v1/push" and its kind */
#define URL_SHOW_MAX	200	/* how much of a bad URL a message quotes */
#define RBUF_FIRST	(16u * 1024u)

/* The answer being received; grown by copying so no stale copy is left. */
struct rbuf {
	unsigned char	*data;
	size_t		 len;
	size_t		 cap;
	int		 too_large;
	int		 nomem;
};

struct sync_http {
	CURL			*curl;
	struct curl_slist	*headers;
	char			*base;		/* normalised, no trailing '/' */
	char			*host;
	char			*ca_file;
	char			*cert_file;
	char			*key_file;
	int			 allow_tls12;
	long			 connect_ms;
	long			 total_ms;
	struct rbuf		 in;
	char			 errbuf[CURL_ERROR_SIZE];
	const int		*cancel;	/* sync_http_set_cancel() */
};

static pthread_once_t	curl_once = PTHREAD_ONCE_INIT;
static CURLcode		curl_init_rc = CURLE_FAILED_INIT;

/* libcurl's global state is set up once per process and never torn down. */
static void
curl_init_once(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void
rbuf_wipe(struct rbuf *b)
{
	if (b->data != NULL) {
		OPENSSL_cleanse(b->data, b->cap);
		free(b->data);
	}
	memset(b, 0, sizeof(*b));
}

static size_t
on_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct rbuf *b = arg;
	size_t n = size * nmemb, cap;
	unsigned char *grown;

	/* Returning less than n makes libcurl stop with CURLE_WRITE_ERROR. */
	if (n > (size_t)SYNC_HTTP_RESPONSE_MAX - b->len) {
		b->too_large = 1;
		return 0;
	}
	if (b->len + n > b->cap) {
		cap = b->cap != 0 ? b->cap : RBUF_FIRST;
		while (cap < b->len + n)
			cap *= 2;
		if (cap > (size_t)SYNC_HTTP_RESPONSE_MAX)
			cap = (size_t)SYNC_HTTP_RESPONSE_MAX;
		/* Not realloc: it could leave the old bytes unwiped. */
		if ((grown = malloc(cap)) == NULL) {
			b->nomem = 1;
			return 0;
		}
		if (b->data != NULL) {
			memcpy(grown, b->data, b->len);
			OPENSSL_cleanse(b->data, b->cap);
			free(b->data);
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return n;
}

/* "10 s", "0.25 s". */
static const char *
fmt_seconds(long ms, char *buf, size_t len)
{
	snprintf(buf, len, "%g s", (double)ms / 1000.0);
	return buf;
}

static int
check_file(const char *role, const char *path, struct sesshu_err *err)
{
	struct stat st;

	if (path == NULL || *path == '\0')
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "no %s is configured; sync needs one", role);
	if (stat(path, &st) != 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "cannot use %s %s: %s", role, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "cannot use %s %s: not a regular file", role, path);
	if (access(path, R_OK) != 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "cannot use %s %s: %s", role, path, strerror(errno));
	return 0;
}

/*
 * Accepts "https://host[:port][/prefix]" only, and keeps it normalised
 * without its trailing '/'. A URL with a user name or password is refused
 * without being quoted, since the password would land in the message.
 */
static int
check_url(struct sync_http *h, const char *url, struct sesshu_err *err)
{
	CURLU *u;
	CURLUcode uc;
	char *part = NULL, *norm = NULL;
	size_t n;
	int rc = SESSHU_EINVAL;

	if (url == NULL || *url == '\0')
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "no register URL is configured");
	if (strchr(url, '@') != NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "the register URL must not contain a user name or password "
		    "(the workstation authenticates with its certificate)");
	if (strncasecmp(url, "https://", 8) != 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "the register URL \"%.*s\" is not https: sync runs only over "
		    "TLS (write it as https://host:port)", URL_SHOW_MAX, url);
	if ((u = curl_url()) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	if ((uc = curl_url_set(u, CURLUPART_URL, url, 0)) != CURLUE_OK) {
		sesshu_err_set(err, SESSHU_EINVAL,
		    "the register URL \"%.*s\" is not a valid URL: %s",
		    URL_SHOW_MAX, url, curl_url_strerror(uc));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &part, 0) != CURLUE_NO_QUERY ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) != CURLUE_NO_FRAGMENT) {
		sesshu_err_set(err, SESSHU_EINVAL,
		    "the register URL \"%.*s\" must not have a query or fragment",
		    URL_SHOW_MAX, url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &part, 0) != CURLUE_OK ||
	    (h->host = strdup(part)) == NULL ||
	    curl_url_get(u, CURLUPART_URL, &norm, 0) != CURLUE_OK) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto out;
	}
	for (n = strlen(norm); n > 0 && norm[n - 1] == '/'; n--)
		norm[n - 1] = '\0';
	if ((h->base = strdup(norm)) == NULL) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto out;
	}
	rc = 0;
out:
	curl_free(part);
	curl_free(norm);
	curl_url_cleanup(u);
	return rc;
}

#define SETOPT(h, opt, val) do {					\
	CURLcode c_ = curl_easy_setopt((h)->curl, (opt), (val));	\
	if (c_ != CURLE_OK)						\
		return sesshu_err_set(err, SESSHU_EIO,			\
		    "libcurl %s cannot set %s: %s", curl_version(),	\
		    #opt, curl_easy_strerror(c_));			\
} while (0)

/* Everything that stays the same from one request to the next. */
static int
set_options(struct sync_http *h, struct sesshu_err *err)
{
	SETOPT(h, CURLOPT_ERRORBUFFER, h->errbuf);
	SETOPT(h, CURLOPT_NOSIGNAL, 1L);	/* sync runs on its own thread */
	SETOPT(h, CURLOPT_PROTOCOLS_STR, "https");
	SETOPT(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	SETOPT(h, CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(h, CURLOPT_PROXY, "");		/* "": ignore *_proxy */
	SETOPT(h, CURLOPT_NOPROXY, "*");
	SETOPT(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	SETOPT(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SETOPT(h, CURLOPT_SSLVERSION, h->allow_tls12 ?
	    (long)CURL_SSLVERSION_TLSv1_2 : (long)CURL_SSLVERSION_TLSv1_3);
	SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
	SETOPT(h, CURLOPT_CAINFO, h->ca_file);
	SETOPT(h, CURLOPT_CAPATH, (char *)NULL);
	SETOPT(h, CURLOPT_SSLCERT, h->cert_file);
	SETOPT(h, CURLOPT_SSLCERTTYPE, "PEM");
	SETOPT(h, CURLOPT_SSLKEY, h->key_file);
	SETOPT(h, CURLOPT_SSLKEYTYPE, "PEM");
	SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, h->connect_ms);
	SETOPT(h, CURLOPT_TIMEOUT_MS, h->total_ms);
	SETOPT(h, CURLOPT_TCP_KEEPALIVE, 1L);
	/* Refused early when Content-Length says so; on_write checks too. */
	SETOPT(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)SYNC_HTTP_RESPONSE_MAX);
	SETOPT(h, CURLOPT_WRITEFUNCTION, on_write);
	SETOPT(h, CURLOPT_WRITEDATA, &h->in);
	SETOPT(h, CURLOPT_HTTPHEADER, h->headers);
	SETOPT(h, CURLOPT_USERAGENT, "sesshu/" SESSHU_VERSION);
	SETOPT(h, CURLOPT_POST, 1L);
	return 0;
}

int
sync_http_new(struct sync_http **out, const struct sync_endpoint_config *cfg,
    struct sesshu_err *err)
{
	static const char *const headers[] = {
		"Content-Type: application/json",
		"Accept: application/json",
		"Expect:",	/* no 100-continue round trip for large pushes */
	};
	const curl_version_info_data *ver;
	struct sync_http *h;
	struct curl_slist *l;
	int rc;

	if (out == NULL || cfg == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "sync_http_new: no configuration");
	*out = NULL;
	if (cfg->connect_timeout_ms < 0 || cfg->total_timeout_ms < 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "sync timeouts must not be negative");
	pthread_once(&curl_once, curl_init_once);
	if (curl_init_rc != CURLE_OK)
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot initialise libcurl: %s",
		    curl_easy_strerror(curl_init_rc));
	ver = curl_version_info(CURLVERSION_NOW);
	if ((ver->features & CURL_VERSION_SSL) == 0)
		return sesshu_err_set(err, SESSHU_EIO,
		    "libcurl %s was built without TLS; sync needs it",
		    ver->version);

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	if ((rc = check_url(h, cfg->url, err)) != 0 ||
	    (rc = check_file("the municipal CA file", cfg->ca_file, err)) != 0 ||
	    (rc = check_file("the workstation certificate", cfg->cert_file,
	    err)) != 0 ||
	    (rc = check_file("the workstation key", cfg->key_file, err)) != 0)
		goto fail;
	h->allow_tls12 = cfg->allow_tls12 != 0;
	h->connect_ms = cfg->connect_timeout_ms != 0 ?
	    cfg->connect_timeout_ms : SYNC_HTTP_CONNECT_TIMEOUT_MS;
	h->total_ms = cfg->total_timeout_ms != 0 ?
	    cfg->total_timeout_ms : SYNC_HTTP_TOTAL_TIMEOUT_MS;
	if ((h->ca_file = strdup(cfg->ca_file)) == NULL ||
	    (h->cert_file = strdup(cfg->cert_file)) == NULL ||
	    (h->key_file = strdup(cfg->key_file)) == NULL) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		if ((l = curl_slist_append(h->headers, headers[i])) == NULL) {
			rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
			goto fail;
		}
		h->headers = l;
	}
	if ((h->curl = curl_easy_init()) == NULL) {
		rc = sesshu_err_set(err, SESSHU_EIO,
		    "cannot create a libcurl handle");
		goto fail;
	}
	if ((rc = set_options(h, err)) != 0)
		goto fail;
	*out = h;
	return 0;
fail:
	sync_http_free(h);
	return rc;
}

void
sync_http_free(struct sync_http *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->headers);
	rbuf_wipe(&h->in);
	free(h->base);
	free(h->host);
	free(h->ca_file);
	free(h->cert_file);
	free(h->key_file);
	free(h);
}

/* libcurl's progress callback: nonzero aborts the transfer. */
static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct sync_http *h = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return h->cancel != NULL && g_atomic_int_get(h->cancel) != 0;
}

void
sync_http_set_cancel(struct sync_http *h, const int *flag)
{
	h->cancel = flag;
	curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, h);
	curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, flag != NULL ? 0L : 1L);
}

/* "/v1/push": a slash, then letters, digits and "/._-" only. */
static int
check_path(const char *path, struct sesshu_err *err)
{
	size_t n;

	if (path == NULL || path[0] != '/')
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "request path must start with '/'");
	if ((n = strlen(path)) > PATH_MAX_LEN)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "request path of %zu bytes is too long", n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '/' || c == '.' ||
		    c == '_' || c == '-'))
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "request path has a character that is not allowed "
			    "at byte %zu", i);
	}
	return 0;
}

/*
 * The TLS failures whose meaning OpenSSL only tells in the text of an
 * alert or error: find the likely cause, keep libcurl's text as detail.
 */
static int
map_tls_text(struct sync_http *h, const char *path, CURLcode cc,
    const char *detail, struct sesshu_err *err)
{
	static const char *const cert_alerts[] = {
		"alert bad certificate", "alert certificate", "alert unknown ca",
		"alert unsupported certificate", "alert access denied",
		"alert handshake failure",
	};
	static const char *const version_texts[] = {
		"alert protocol version", "unsupported protocol",
		"no protocols available", "wrong ssl version",
	};
	static const char *const not_tls_texts[] = {
		"wrong version number", "packet length too long",
		"record layer failure",
	};

	for (size_t i = 0; i < sizeof(cert_alerts) / sizeof(*cert_alerts); i++)
		if (strstr(detail, cert_alerts[i]) != NULL)
			return sesshu_err_set(err, SESSHU_EIO,
			    "the register at %s refused this workstation's "
			    "certificate %s (revoked, expired or from another "
			    "CA?): %s", h->base, h->cert_file, detail);
	for (size_t i = 0; i < sizeof(version_texts) / sizeof(*version_texts);
	    i++)
		if (strstr(detail, version_texts[i]) != NULL)
			return sesshu_err_set(err, SESSHU_EIO,
			    "the register at %s and this workstation have no TLS "
			    "version in common (this workstation requires TLS "
			    "%s): %s", h->base,
			    h->allow_tls12 ? "1.2 or 1.3" : "1.3", detail);
	for (size_t i = 0; i < sizeof(not_tls_texts) / sizeof(*not_tls_texts);
	    i++)
		if (strstr(detail, not_tls_texts[i]) != NULL)
			return sesshu_err_set(err, SESSHU_EIO,
			    "%s does not answer with TLS (is it the register's "
			    "port?): %s", h->base, detail);
	switch (cc) {
	case CURLE_SSL_CONNECT_ERROR:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the TLS handshake with the register at %s failed: %s",
		    h->base, detail);
	/*
	 * In TLS 1.3 the register checks this workstation's certificate after
	 * the client has finished its half of the handshake, so a refusal
	 * reaches the client as a connection broken while sending or reading.
	 */
	case CURLE_SEND_ERROR:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the connection to the register at %s broke while sending "
		    "%s (the register may have refused this workstation's "
		    "certificate %s: revoked, expired or from another CA?): %s",
		    h->base, path, h->cert_file, detail);
	case CURLE_GOT_NOTHING:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the register at %s closed the connection without answering "
		    "%s (did it refuse this workstation's certificate %s?)",
		    h->base, path, h->cert_file);
	default:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the connection to the register at %s broke while waiting "
		    "for the answer to %s (the register may have refused this "
		    "workstation's certificate %s: revoked, expired or from "
		    "another CA?): %s", h->base, path, h->cert_file, detail);
	}
}

/* The register's certificate did not verify: say why in the user's words. */
static int
map_peer_verification(struct sync_http *h, const char *detail,
    struct sesshu_err *err)
{
	long vr = X509_V_OK;

	/*
	 * libcurl checks the host name itself, after OpenSSL verified the
	 * chain, and then reports no X.509 result of its own (1, the
	 * "unspecified" code): its text is all there is to go on.
	 */
	if (strstr(detail, "target host name") != NULL ||
	    strstr(detail, "common name from peer certificate") != NULL)
		return sesshu_err_set(err, SESSHU_EIO,
		    "the register's certificate at %s does not name the host "
		    "%s (subjectAltName): %s", h->base, h->host, detail);
	if (curl_easy_getinfo(h->curl, CURLINFO_SSL_VERIFYRESULT, &vr) !=
	    CURLE_OK)
		vr = X509_V_OK;
	switch (vr) {
	case X509_V_OK:
	case X509_V_ERR_UNSPECIFIED:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the register's certificate at %s does not verify: %s",
		    h->base, detail);
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the register's certificate at %s has expired", h->base);
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the register's certificate at %s is not valid yet (is this "
		    "workstation's clock right?)", h->base);
	case X509_V_ERR_INVALID_PURPOSE:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the register's certificate at %s is not a server "
		    "certificate (extendedKeyUsage serverAuth)", h->base);
	default:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the register's certificate at %s is not issued by the "
		    "municipal CA (%s): %s", h->base, h->ca_file,
		    X509_verify_cert_error_string(vr));
	}
}

/* A failed transfer as a message naming the URL and the reason. */
static int
map_curl_error(struct sync_http *h, const char *path, CURLcode cc,
    struct sesshu_err *err)
{
	const char *detail = h->errbuf[0] != '\0' ? h->errbuf :
	    curl_easy_strerror(cc);
	curl_off_t connected = 0, tls_up = 0;
	long os_errno = 0;
	char secs[32];

	switch (cc) {
	case CURLE_OUT_OF_MEMORY:
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	case CURLE_ABORTED_BY_CALLBACK:
		return sesshu_err_set(err, SESSHU_ECANCELED, "the request %s to "
		    "the register at %s was cancelled", path, h->base);
	case CURLE_WRITE_ERROR:
		if (h->in.nomem)
			return sesshu_err_set(err, SESSHU_ENOMEM,
			    "out of memory receiving the answer to %s", path);
		if (!h->in.too_large)
			break;
		/* FALLTHROUGH */
	case CURLE_FILESIZE_EXCEEDED:
		return sesshu_err_set(err, SESSHU_EIO,
		    "the register at %s answered %s with more than %ld MiB; "
		    "refused", h->base, path,
		    SYNC_HTTP_RESPONSE_MAX / (1024 * 1024));
	case CURLE_COULDNT_RESOLVE_HOST:
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot reach the register at %s: the host name %s is "
		    "unknown", h->base, h->host);
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(h->curl, CURLINFO_OS_ERRNO, &os_errno);
		if (os_errno == ECONNREFUSED)
			return sesshu_err_set(err, SESSHU_EIO,
			    "cannot reach the register at %s: connection refused",
			    h->base);
		if (os_errno != 0)
			return sesshu_err_set(err, SESSHU_EIO,
			    "cannot reach the register at %s: %s", h->base,
			    strerror((int)os_errno));
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot reach the register at %s: %s", h->base, detail);
	case CURLE_OPERATION_TIMEDOUT:
		curl_easy_getinfo(h->curl, CURLINFO_CONNECT_TIME_T, &connected);
		curl_easy_getinfo(h->curl, CURLINFO_APPCONNECT_TIME_T, &tls_up);
		/* The connect timeout covers the TLS handshake too. */
		if (connected == 0 || tls_up == 0)
			return sesshu_err_set(err, SESSHU_EIO,
			    "cannot reach the register at %s: timed out after %s "
			    "while connecting", h->base,
			    fmt_seconds(h->connect_ms, secs, sizeof(secs)));
		return sesshu_err_set(err, SESSHU_EIO,
		    "the register at %s did not answer %s: timed out after %s",
		    h->base, path, fmt_seconds(h->total_ms, secs, sizeof(secs)));
	case CURLE_PEER_FAILED_VERIFICATION:
		return map_peer_verification(h, detail, err);
	case CURLE_SSL_CACERT_BADFILE:
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot load the municipal CA file %s: %s", h->ca_file,
		    detail);
	case CURLE_SSL_CERTPROBLEM:
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot use the workstation certificate %s with key %s: %s",
		    h->cert_file, h->key_file, detail);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return map_tls_text(h, path, cc, detail, err);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return sesshu_err_set(err, SESSHU_EIO,
		    "refused to send %s to %s: only https is allowed", path,
		    h->base);
	default:
		break;
	}
	return sesshu_err_set(err, SESSHU_EIO,
	    "the request %s to the register at %s failed: %s", path, h->base,
	    detail);
}

int
sync_http_post(struct sync_http *h, const char *path, const json_t *body,
    long *status, json_t **response, struct sesshu_err *err)
{
	json_error_t jerr;
	json_t *parsed;
	char *url = NULL, *buf = NULL;
	size_t size = 0, ulen;
	CURLcode cc;
	int rc;

	if (status != NULL)
		*status = 0;
	if (response != NULL)
		*response = NULL;
	if (h == NULL || status == NULL || response == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "sync_http_post: missing argument");
	if ((rc = check_path(path, err)) != 0)
		return rc;
	if (!json_is_object(body))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "the request body for %s is not a JSON object", path);
	/* Measured first, so that it is serialised once, into one buffer. */
	if ((size = json_dumpb(body, NULL, 0, JSON_COMPACT)) == 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "cannot serialise the request body for %s", path);
	ulen = strlen(h->base) + strlen(path) + 1;
	if ((buf = malloc(size)) == NULL || (url = malloc(ulen)) == NULL) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto out;
	}
	if (json_dumpb(body, buf, size, JSON_COMPACT) != size) {
		rc = sesshu_err_set(err, SESSHU_EINVAL,
		    "cannot serialise the request body for %s", path);
		goto out;
	}
	snprintf(url, ulen, "%s%s", h->base, path);

	if (h->cancel != NULL && g_atomic_int_get(h->cancel) != 0) {
		rc = sesshu_err_set(err, SESSHU_ECANCELED, "the request %s to the "
		    "register at %s was cancelled", path, h->base);
		goto out;
	}
	rbuf_wipe(&h->in);
	h->errbuf[0] = '\0';
	if (curl_easy_setopt(h->curl, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, buf) != CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)size) != CURLE_OK) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto out;
	}
	cc = curl_easy_perform(h->curl);
	/* Do not leave libcurl pointing at the buffer about to be freed. */
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, (char *)NULL);
	if (cc != CURLE_OK) {
		rc = map_curl_error(h, path, cc, err);
		goto out;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
	if (h->in.len > 0) {
		parsed = json_loadb((const char *)h->in.data, h->in.len,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (json_is_object(parsed))
			*response = parsed;
		else
			json_decref(parsed);
	}
	rc = 0;
out:
	rbuf_wipe(&h->in);
	if (buf != NULL) {
		OPENSSL_cleanse(buf, size);
		free(buf);
	}
	free(url);
	return rc;
}

/* Error classes of docs/PROTOCOL.md; the table is in http_client.h. */
static int
http_status_code(long status, const char *error)
{
	if (status == 401 || status == 403 || status == 423)
		return SESSHU_EAUTH;
	if (status == 422 && error != NULL &&
	    strcmp(error, "password_change_required") == 0)
		return SESSHU_EAUTH;
	if (status == 409)
		return SESSHU_EEXIST;
	if (status == 413)
		return SESSHU_ERANGE;
	if (status >= 400 && status < 500)
		return SESSHU_EINVAL;
	if (status >= 500 && status < 600)
		return SESSHU_EIO;
	return SESSHU_EFORMAT;
}

/*
 * Copies at most len - 1 bytes of s, replacing C0 and C1 control
 * characters with '?' so that the register's text cannot move the cursor
 * or recolour the screen, and never cutting a UTF-8 sequence in two.
 */
static void
quote_clean(char *dst, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, seq;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f) {
			seq = 1;
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			seq = 2;	/* U+0080..U+009F, e.g. CSI */
		} else {
			seq = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
			for (size_t i = 1; i < seq; i++)
				if (p[i] == '\0')
					seq = i;	/* jansson checked it */
			if (o + seq >= len)
				break;
			memcpy(dst + o, p, seq);
			o += seq;
			p += seq;
			continue;
		}
		if (o + 1 >= len)
			break;
		dst[o++] = '?';
		p += seq;
	}
	dst[o] = '\0';
}

int
sync_http_error(long status, const json_t *response, struct sesshu_err *err)
{
	const char *error = NULL, *message = NULL;
	char code[64], text[320], after[48];
	json_t *retry;
	int rc;

	if (status >= 200 && status < 300)
		return 0;
	if (json_is_object(response)) {
		error = json_string_value(json_object_get(response, "error"));
		message = json_string_value(json_object_get(response,
		    "message"));
	}
	rc = http_status_code(status, error);
	if (status >= 300 && status < 400)
		return sesshu_err_set(err, rc,
		    "the register answered with a redirect (HTTP %ld), which "
		    "sesshu never follows", status);
	if (error == NULL)
		return sesshu_err_set(err, rc,
		    "the register answered HTTP %ld without a JSON error (is "
		    "another server or a proxy in between?)", status);
	quote_clean(code, sizeof(code), error);
	quote_clean(text, sizeof(text), message != NULL ? message : "");
	after[0] = '\0';
	retry = json_object_get(response, "retry_after");
	if (json_is_integer(retry) && json_integer_value(retry) >= 0)
		snprintf(after, sizeof(after), " (retry after %lld s)",
		    (long long)json_integer_value(retry));
	return sesshu_err_set(err, rc, "the register refused the request "
	    "(HTTP %ld %s)%s%s%s", status, code, text[0] != '\0' ? ": " : "",
	    text, after);
}
