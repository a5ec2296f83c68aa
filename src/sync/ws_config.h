/*
 * ws_config.h: how a workstation reaches its register, written once by
 * `sesshu provision` into STATE/register.conf (a GLib key file):
 *
 *	[register]
 *	url=https://register.example.lg.jp:8443
 *	ca=/etc/sesshu/pki/ca.crt
 *	cert=/etc/sesshu/pki/ws-001.crt
 *	key=/etc/sesshu/pki/ws-001.key
 *	[workstation]
 *	id=ws-001
 *	municipality=990001
 *
 * The workstation ID and municipality code come from the certificate
 * (CN and OU), never from what someone typed. Holds no secret and no
 * personal data.
 */
#ifndef SESSHU_SYNC_WS_CONFIG_H
#define SESSHU_SYNC_WS_CONFIG_H

#include "core/err.h"
#include "sync/http_client.h"

#define WS_CONFIG_FILE		"register.conf"
#define WS_CACHE_FILE		"cache.db"
#define WS_KEYSLOT_FILE		"keyslots"

struct ws_config {
	char	url[512];
	char	ca[1024];
	char	cert[1024];
	char	key[1024];
	char	workstation_id[65];
	char	municipality[7];
};

/* Reads CN and OU from a workstation certificate (PEM). */
int	ws_cert_identity(const char *cert_file, char *ws_id, size_t ws_size,
	    char *municipality, size_t mun_size, struct sesshu_err *err);

int	ws_config_load(const char *state_dir, struct ws_config *cfg,
	    struct sesshu_err *err);
int	ws_config_save(const char *state_dir, const struct ws_config *cfg,
	    struct sesshu_err *err);

/* The endpoint configuration for sync_http_new(), borrowing from cfg. */
void	ws_config_endpoint(const struct ws_config *cfg,
	    struct sync_endpoint_config *ep);

/* "STATE/name" into buf. */
void	ws_state_path(char *buf, size_t size, const char *state_dir,
	    const char *name);

#endif
