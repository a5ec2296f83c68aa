/*
 * peer_cert.h: who is at the other end of a register connection, read from
 * the client certificate that TLS has verified: the workstation ID (CN),
 * the municipality code (OU) and the subject, and whether the certificate
 * is meant for clients at all. The only source of a peer's identity
 * (docs/PROTOCOL.md, "Transport"): never a request body.
 */
#ifndef SESSHU_REGISTER_PEER_CERT_H
#define SESSHU_REGISTER_PEER_CERT_H

#include <stddef.h>
#include <sys/socket.h>

#include <openssl/x509.h>

#include "register/server.h"

/*
 * Fills peer from cert: the subject, and the workstation ID and the
 * municipality as far as they are well formed. Returns 0 when both are,
 * else -1 with the reason in why.
 */
int	reg_peer_from_cert(const X509 *cert, struct reg_peer *peer, char *why,
	    size_t whysize);

/* The subject as RFC 2253 with everything outside ASCII escaped. */
void	reg_cert_subject(const X509 *cert, char *out, size_t size);

/* extendedKeyUsage clientAuth must be present, not implied by its absence. */
int	reg_cert_has_client_eku(X509 *cert);

/* "127.0.0.1:53124" or "[::1]:53124" into out. */
void	reg_addr_string(const struct sockaddr *sa, char *out, size_t size);

#endif
