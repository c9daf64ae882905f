/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one lookup most control commands start with: the BMS a request
 * names, answered with the error when there is none.
 */
#include "config.h"

#include "daemon/control-call.h"
#include "daemon/manager.h"

struct device *control_call_device(struct control_call *call)
{
	const char *name = control_call_string(call, "bms");
	struct device *dev;

	if (!name) {
		control_call_error(call, "missing \"bms\"");
		return NULL;
	}
	dev = manager_find_device(control_call_manager(call), name);
	if (!dev)
		control_call_error(call, "unknown BMS '%s'", name);
	return dev;
}
