/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TLS context of the broker connection. We connect to the numeric
 * address we resolved, so libmosquitto would check the certificate
 * against that address; our own context checks the configured host name
 * instead and sends it as SNI.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct mqtt_client_config;

/*
 * An SSL_CTX (as void *, to keep OpenSSL out of the callers) for the
 * config, or NULL with a message in err (size errsize).
 */
void *mqtt_tls_context_new(const struct mqtt_client_config *cfg, char *err,
			   size_t errsize);
void mqtt_tls_context_free(void *ctx);
/*
 * Why the last TLS failure happened since the last call, or NULL: the
 * broker's certificate refused, or what OpenSSL said.
 */
const char *mqtt_tls_take_error(void);
/*
 * libmosquitto logs OpenSSL's error queue ("OpenSSL Error[0]: error:
 * 0A00045C:SSL routines::tlsv13 alert certificate required") before it
 * reports EPROTO: keeps the first reason, unless a refused certificate
 * already explains the failure.
 */
void mqtt_tls_note_library_error(const char *line);
