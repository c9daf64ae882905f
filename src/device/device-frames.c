/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a device does with each complete frame: pick the layout (config,
 * else the software version, confirmed by the frames; protocols.md 1.5),
 * decode, check the connection password on device info (DESIGN "The
 * two-password scheme"), and merge into the state model. Until the
 * password has been checked nothing but device info is looked at.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "jkbms/conf.h"
#include "jkbms/driver.h"
#include "jkbms/util.h"

#include "device/device-private.h"
#include "device/write-private.h"

static const char *configured_password(const struct device *dev)
{
	return dev->cfg->password ? dev->cfg->password
				  : DEVICE_DEFAULT_PASSWORD;
}

/* The layout to decode a cell-info or settings frame with. */
static enum jk_variant frame_variant(struct device *dev, const uint8_t *frame)
{
	enum jk_variant seen;

	if (dev->cfg->variant != JK_VARIANT_AUTO || dev->variant_confirmed)
		return dev->variant;

	seen = jk_variant_from_frame(frame, JK_FRAME_LEN);
	if (seen == JK_VARIANT_AUTO)
		/* The frame does not tell: software version, else 24S. */
		return dev->variant != JK_VARIANT_AUTO ? dev->variant
						       : JK_VARIANT_JK02_24S;
	if (seen != dev->variant && dev->variant != JK_VARIANT_AUTO) {
		dev_log(&dev->log, LOG_NOTICE,
			"frames are laid out as %s, not %s as the software "
			"version suggested; using %s",
			jk_variant_name(seen), jk_variant_name(dev->variant),
			jk_variant_name(seen));
		/* A settings frame read with the wrong layout: ask again. */
		dev->settings_stale = true;
	}
	dev->variant = seen;
	dev->variant_confirmed = true;
	dev->model.variant = seen;
	return seen;
}

static void got_device_info(struct device *dev, uint64_t now)
{
	const struct jk_decoded *d = &dev->decoded;
	const struct field_values *f = &d->fields;

	/* The secrets never leave this function, nor the process. */
	if (!streq_consttime(d->secrets.connection_password,
			     configured_password(dev))) {
		device_auth_failed(dev);
		return;
	}
	write_note_secrets(dev, &d->secrets);
	if (!dev->have_info) {
		dev->have_info = true;
		dev->tries = 0;
		if (dev->cfg->variant != JK_VARIANT_AUTO)
			dev->variant = dev->cfg->variant;
		else if (!dev->variant_confirmed &&
			 field_has(f, FIELD_SOFTWARE_VERSION))
			dev->variant = jk_variant_from_software(
				f->text[FIELD_SOFTWARE_VERSION]);
		dev->model.variant = dev->variant;
		dev_log(&dev->log, LOG_INFO,
			"%s, hardware %s, software %s: protocol %s%s",
			field_has(f, FIELD_MODEL) ? f->text[FIELD_MODEL]
						  : "unknown model",
			field_has(f, FIELD_HARDWARE_VERSION)
				? f->text[FIELD_HARDWARE_VERSION]
				: "?",
			field_has(f, FIELD_SOFTWARE_VERSION)
				? f->text[FIELD_SOFTWARE_VERSION]
				: "?",
			jk_variant_name(dev->variant) ?: "unknown",
			dev->cfg->variant != JK_VARIANT_AUTO
				? " (from the config)"
				: "");
		state_apply(&dev->model, d, now);
		/* 0x97 answered: now 0x96 for settings and the cell stream. */
		device_send_request(dev, JK_REQ_CELL_INFO);
		device_arm_timer(dev, DEVICE_HANDSHAKE_STEP_USEC);
		return;
	}
	state_apply(&dev->model, d, now);
}

void device_handle_frame(struct device *dev, const uint8_t *frame)
{
	uint64_t now = now_usec();
	enum jk_frame_type type = frame[4];
	enum jk_variant v;
	int r;

	dev->link.last_frame_usec = now;
	dev_log_debug(&dev->log, LOG_CAT_FRAME, "frame type 0x%02X counter %u",
		      (unsigned)frame[4], (unsigned)frame[5]);

	if (type == JK_FRAME_DEVICE_INFO)
		/* Device info has one layout for every variant. */
		v = dev->variant != JK_VARIANT_AUTO ? dev->variant
						    : JK_VARIANT_JK02_24S;
	else if (!dev->have_info)
		/* Not authenticated yet: look at nothing else. */
		return;
	else
		v = frame_variant(dev, frame);

	r = jk_frame_decode(frame, JK_FRAME_LEN, v, &dev->decoded);
	if (r < 0 && r != -ERANGE) {
		dev->link.frames_undecoded++;
		dev_log_debug(&dev->log, LOG_CAT_DEVICE,
			      "frame type 0x%02X not decoded as %s: %s",
			      (unsigned)frame[4], jk_variant_name(v) ?: "?",
			      strerror(-r));
		return;
	}
	if (r == -ERANGE)
		dev_log_debug(&dev->log, LOG_CAT_DEVICE,
			      "frame type 0x%02X: a value out of range, "
			      "marked invalid",
			      (unsigned)frame[4]);

	switch (dev->decoded.type) {
	case JK_FRAME_DEVICE_INFO:
		got_device_info(dev, now);
		break;
	case JK_FRAME_SETTINGS:
		state_apply(&dev->model, &dev->decoded, now);
		break;
	case JK_FRAME_CELL_INFO:
		state_apply(&dev->model, &dev->decoded, now);
		if (!dev->have_cells) {
			dev->have_cells = true;
			device_went_online(dev);
		}
		break;
	case JK_FRAME_LOGBOOK:
		break;
	}
	/* the passcodes were compared and kept where needed: no copies */
	explicit_bzero(dev->decoded.secrets.connection_password,
		       sizeof(dev->decoded.secrets.connection_password));
	explicit_bzero(dev->decoded.secrets.settings_password,
		       sizeof(dev->decoded.secrets.settings_password));
	write_on_frame(dev, dev->decoded.type);
	if (dev->settings_stale && dev->state == DEVICE_STATE_ONLINE) {
		dev->settings_stale = false;
		device_send_request(dev, JK_REQ_CELL_INFO);
	}
}
