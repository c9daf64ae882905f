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
/* Why the broker's certificate was refused since the last call, or NULL. */
const char *mqtt_tls_take_error(void);
