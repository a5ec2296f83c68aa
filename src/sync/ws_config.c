/* ws_config.c: see ws_config.h. */
#include "sync/ws_config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/municipality.h"

void
ws_state_path(char *buf, size_t size, const char *state_dir, const char *name)
{
	snprintf(buf, size, "%s/%s", state_dir, name);
}

static int
subject_entry(X509_NAME *name, int nid, char *out, size_t size)
{
	int len = X509_NAME_get_text_by_NID(name, nid, out, (int)size);

	return len > 0 && (size_t)len < size ? 0 : -1;
}

int
ws_cert_identity(const char *cert_file, char *ws_id, size_t ws_size,
    char *municipality, size_t mun_size, struct sesshu_err *err)
{
	X509_NAME *name;
	X509 *cert;
	FILE *f;
	int rc = 0;

	if ((f = fopen(cert_file, "r")) == NULL)
		return sesshu_err_set(err, SESSHU_EIO, "cannot read the workstation "
		    "certificate %s: %s", cert_file, strerror(errno));
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (cert == NULL)
		return sesshu_err_set(err, SESSHU_EFORMAT, "%s is not a PEM "
		    "certificate", cert_file);
	name = X509_get_subject_name(cert);
	if (subject_entry(name, NID_commonName, ws_id, ws_size) != 0)
		rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s: the subject has no "
		    "usable CN (the workstation ID)", cert_file);
	else if (subject_entry(name, NID_organizationalUnitName, municipality,
	    mun_size) != 0 || core_municipality_parse(municipality,
	    strlen(municipality), CORE_MUNI_ALLOW_TEST, NULL, err) != 0)
		rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s: the subject's OU is "
		    "not a municipality code", cert_file);
	X509_free(cert);
	return rc;
}

static int
copy_key(GKeyFile *kf, const char *path, const char *group, const char *key,
    char *out, size_t size, struct sesshu_err *err)
{
	GError *gerr = NULL;
	gchar *v = g_key_file_get_string(kf, group, key, &gerr);
	int rc = 0;

	if (v == NULL) {
		rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s: [%s] %s is missing",
		    path, group, key);
		g_clear_error(&gerr);
		return rc;
	}
	if (v[0] == '\0' || strlen(v) >= size)
		rc = sesshu_err_set(err, SESSHU_EFORMAT, "%s: [%s] %s is empty or "
		    "too long", path, group, key);
	else
		snprintf(out, size, "%s", v);
	g_free(v);
	return rc;
}

int
ws_config_load(const char *state_dir, struct ws_config *cfg,
    struct sesshu_err *err)
{
	static const struct {
		const char	*group, *key;
		size_t		 offset, size;
	} fields[] = {
		{ "register", "url", offsetof(struct ws_config, url), sizeof(cfg->url) },
		{ "register", "ca", offsetof(struct ws_config, ca), sizeof(cfg->ca) },
		{ "register", "cert", offsetof(struct ws_config, cert), sizeof(cfg->cert) },
		{ "register", "key", offsetof(struct ws_config, key), sizeof(cfg->key) },
		{ "workstation", "id", offsetof(struct ws_config, workstation_id),
		  sizeof(cfg->workstation_id) },
		{ "workstation", "municipality", offsetof(struct ws_config,
		  municipality), sizeof(cfg->municipality) },
	};
	char path[4096];
	GError *gerr = NULL;
	GKeyFile *kf = g_key_file_new();
	int rc = 0;

	memset(cfg, 0, sizeof(*cfg));
	ws_state_path(path, sizeof(path), state_dir, WS_CONFIG_FILE);
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &gerr)) {
		rc = sesshu_err_set(err, gerr->domain == G_FILE_ERROR ? SESSHU_EIO :
		    SESSHU_EFORMAT, "%s: %s (is this workstation provisioned? "
		    "see sesshu provision)", path, gerr->message);
		g_clear_error(&gerr);
		g_key_file_free(kf);
		return rc;
	}
	for (size_t i = 0; rc == 0 && i < sizeof(fields) / sizeof(fields[0]); i++)
		rc = copy_key(kf, path, fields[i].group, fields[i].key,
		    (char *)cfg + fields[i].offset, fields[i].size, err);
	g_key_file_free(kf);
	return rc;
}

int
ws_config_save(const char *state_dir, const struct ws_config *cfg,
    struct sesshu_err *err)
{
	char path[4096];
	GError *gerr = NULL;
	GKeyFile *kf = g_key_file_new();
	int rc = 0;

	g_key_file_set_comment(kf, NULL, NULL, " sesshu workstation: how to "
	    "reach the register; written by `sesshu provision`", NULL);
	g_key_file_set_string(kf, "register", "url", cfg->url);
	g_key_file_set_string(kf, "register", "ca", cfg->ca);
	g_key_file_set_string(kf, "register", "cert", cfg->cert);
	g_key_file_set_string(kf, "register", "key", cfg->key);
	g_key_file_set_string(kf, "workstation", "id", cfg->workstation_id);
	g_key_file_set_string(kf, "workstation", "municipality", cfg->municipality);
	ws_state_path(path, sizeof(path), state_dir, WS_CONFIG_FILE);
	/* g_key_file_save_to_file writes a temporary file and renames it. */
	if (!g_key_file_save_to_file(kf, path, &gerr)) {
		rc = sesshu_err_set(err, SESSHU_EIO, "%s: %s", path, gerr->message);
		g_clear_error(&gerr);
	}
	g_key_file_free(kf);
	return rc;
}

void
ws_config_endpoint(const struct ws_config *cfg, struct sync_endpoint_config *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->url = cfg->url;
	ep->ca_file = cfg->ca;
	ep->cert_file = cfg->cert;
	ep->key_file = cfg->key;
}
