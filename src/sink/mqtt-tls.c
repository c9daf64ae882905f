/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TLS for the broker connection (OpenSSL, which libmosquitto uses too).
 * libmosquitto takes the context as it is (MOSQ_OPT_SSL_CTX without its
 * defaults): CAs, client certificate, TLS 1.2 or later, peer verification
 * and the host name check are all set here. libmosquitto names the
 * address it connects to as SNI; a handshake-start callback puts the
 * configured name back, so SNI-routed brokers see the right one.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "sink/mqtt-client.h"
#include "sink/mqtt-tls.h"

static int sni_index = -1;
/* Why the last handshake refused the broker (one client per process). */
static char verify_error[192];

static int on_verify(int ok, X509_STORE_CTX *store)
{
	int err = X509_STORE_CTX_get_error(store);

	if (!ok)
		snprintf(verify_error, sizeof(verify_error),
			 "certificate refused: %s",
			 X509_verify_cert_error_string(err));
	return ok;
}

static bool is_numeric(const char *host)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, host, buf) == 1 ||
	       inet_pton(AF_INET6, host, buf) == 1;
}

static void on_info(const SSL *ssl, int where, int ret)
{
	SSL_CTX *ctx;
	const char *name;

	if (!(where & SSL_CB_HANDSHAKE_START))
		return;
	ctx = SSL_get_SSL_CTX(ssl);
	name = SSL_CTX_get_ex_data(ctx, sni_index);
	if (name)
		SSL_set_tlsext_host_name((SSL *)ssl, name);
}

static void ssl_error(char *err, size_t errsize, const char *what,
		      const char *path)
{
	unsigned long e = ERR_get_error();
	char text[160] = "";

	if (e)
		ERR_error_string_n(e, text, sizeof(text));
	snprintf(err, errsize, "%s%s%s%s%s", what, path ? " " : "",
		 path ? path : "", text[0] ? ": " : "", text);
	ERR_clear_error();
}

static void free_name(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
		      long argl, void *argp)
{
	OPENSSL_free(ptr);
}

void *mqtt_tls_context_new(const struct mqtt_client_config *cfg, char *err,
			   size_t errsize)
{
	X509_VERIFY_PARAM *param;
	SSL_CTX *ctx;
	int ok;

	if (sni_index < 0)
		sni_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL,
						     free_name);
	ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		ssl_error(err, errsize, "cannot create a TLS context", NULL);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION);

	if (cfg->cafile)
		ok = SSL_CTX_load_verify_locations(ctx, cfg->cafile, NULL);
	else
		ok = SSL_CTX_set_default_verify_paths(ctx);
	if (ok != 1) {
		ssl_error(err, errsize, "cannot load the CA certificates",
			  cfg->cafile);
		goto fail;
	}
	if (cfg->certfile) {
		if (SSL_CTX_use_certificate_chain_file(ctx, cfg->certfile) !=
		    1) {
			ssl_error(err, errsize,
				  "cannot load the client certificate",
				  cfg->certfile);
			goto fail;
		}
		if (SSL_CTX_use_PrivateKey_file(ctx, cfg->keyfile,
						SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx) != 1) {
			ssl_error(err, errsize, "cannot use the client key",
				  cfg->keyfile);
			goto fail;
		}
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, on_verify);

	param = SSL_CTX_get0_param(ctx);
	if (!cfg->tls_insecure) {
		if (is_numeric(cfg->host))
			ok = X509_VERIFY_PARAM_set1_ip_asc(param, cfg->host);
		else
			ok = X509_VERIFY_PARAM_set1_host(param, cfg->host, 0);
		if (ok != 1) {
			ssl_error(err, errsize, "cannot check the host name",
				  cfg->host);
			goto fail;
		}
	}
	if (!is_numeric(cfg->host)) {
		SSL_CTX_set_ex_data(ctx, sni_index, OPENSSL_strdup(cfg->host));
		SSL_CTX_set_info_callback(ctx, on_info);
	}
	return ctx;

fail:
	SSL_CTX_free(ctx);
	return NULL;
}

void mqtt_tls_context_free(void *ctx)
{
	SSL_CTX_free(ctx);
}

void mqtt_tls_note_library_error(const char *line)
{
	const char *reason;

	if (verify_error[0] || strncmp(line, "OpenSSL Error", 13))
		return;
	reason = strrchr(line, ':');
	reason = reason ? reason + 1 : line;
	reason += strspn(reason, " ");
	snprintf(verify_error, sizeof(verify_error), "%s%s", reason,
		 strstr(reason, "certificate required")
			 ? " (the broker wants a client certificate: set "
			   "certfile and keyfile)"
			 : "");
}

const char *mqtt_tls_take_error(void)
{
	static char buf[sizeof(verify_error)];

	if (!verify_error[0])
		return NULL;
	memcpy(buf, verify_error, sizeof(buf));
	verify_error[0] = '\0';
	return buf;
}
