/* peer_cert.c: see peer_cert.h. */
#include "register/peer_cert.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/x509v3.h>

#include "core/ids.h"
#include "core/municipality.h"

/*
 * The one entry of nid in name, as UTF-8, into out. Returns 0, or -1 with
 * *why set when it is absent, repeated or does not fit.
 */
static int
name_entry(const X509_NAME *name, int nid, char *out, size_t size,
    const char **why)
{
	const ASN1_STRING *data;
	unsigned char *utf8 = NULL;
	int idx, n;

	out[0] = '\0';
	idx = X509_NAME_get_index_by_NID(name, nid, -1);
	if (idx < 0) {
		*why = "missing";
		return -1;
	}
	if (X509_NAME_get_index_by_NID(name, nid, idx) >= 0) {
		*why = "present more than once";
		return -1;
	}
	data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
	n = ASN1_STRING_to_UTF8(&utf8, data);
	if (n < 0) {
		*why = "not decodable";
		return -1;
	}
	if ((size_t)n >= size || memchr(utf8, '\0', (size_t)n) != NULL) {
		OPENSSL_free(utf8);
		*why = "too long";
		return -1;
	}
	memcpy(out, utf8, (size_t)n);
	out[n] = '\0';
	OPENSSL_free(utf8);
	return 0;
}

void
reg_cert_subject(const X509 *cert, char *out, size_t size)
{
	BIO *bio;
	int n;

	out[0] = '\0';
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0,
	    XN_FLAG_RFC2253) >= 0) {
		n = BIO_read(bio, out, (int)size - 1);
		out[n > 0 ? n : 0] = '\0';
	}
	BIO_free(bio);
}

int
reg_peer_from_cert(const X509 *cert, struct reg_peer *peer, char *why,
    size_t whysize)
{
	const X509_NAME *name = X509_get_subject_name(cert);
	char cn[REG_WORKSTATION_ID_MAX + 2], ou[16];
	const char *what = NULL;
	int rc = 0;

	reg_cert_subject(cert, peer->subject, sizeof(peer->subject));
	peer->workstation_id[0] = peer->municipality[0] = '\0';

	if (name_entry(name, NID_commonName, cn, sizeof(cn), &what) != 0) {
		snprintf(why, whysize, "certificate subject CN (workstation ID) "
		    "is %s", what);
		rc = -1;
	} else if (!core_id_valid(cn, strlen(cn), REG_WORKSTATION_ID_MAX)) {
		snprintf(why, whysize, "certificate subject CN is not a "
		    "workstation ID ([A-Za-z0-9._-], 1 to %d characters)",
		    REG_WORKSTATION_ID_MAX);
		rc = -1;
	} else
		memcpy(peer->workstation_id, cn, strlen(cn) + 1);

	if (name_entry(name, NID_organizationalUnitName, ou, sizeof(ou),
	    &what) != 0) {
		if (rc == 0)
			snprintf(why, whysize, "certificate subject OU "
			    "(municipality code) is %s", what);
		rc = -1;
	} else if (core_municipality_parse(ou, strlen(ou),
	    CORE_MUNI_ALLOW_TEST, NULL, NULL) != 0) {
		if (rc == 0)
			snprintf(why, whysize, "certificate subject OU is not "
			    "a municipality code");
		rc = -1;
	} else
		memcpy(peer->municipality, ou, CORE_MUNI_STRLEN);
	return rc;
}

int
reg_cert_has_client_eku(X509 *cert)
{
	if ((X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) == 0)
		return 0;
	if ((X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT) == 0)
		return 0;
	return X509_check_purpose(cert, X509_PURPOSE_SSL_CLIENT, 0) == 1;
}

void
reg_addr_string(const struct sockaddr *sa, char *out, size_t size)
{
	char host[INET6_ADDRSTRLEN];

	out[0] = '\0';
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in4 = (const void *)sa;

		if (inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host)))
			snprintf(out, size, "%s:%u", host,
			    (unsigned)ntohs(in4->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		if (inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host)))
			snprintf(out, size, "[%s]:%u", host,
			    (unsigned)ntohs(in6->sin6_port));
	}
}
