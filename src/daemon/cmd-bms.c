/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Control commands about one BMS ("bms" required): "cells" (cell
 * voltages and resistances with their summary and balancing), "info"
 * (device information) and "settings" (the settings last read). Values
 * go through values_to_json()/settings_to_json(), so keys and numbers
 * are those of MQTT and status. A BMS that has not delivered a frame yet
 * (or failed authentication) answers with empty objects and its state.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "jkbms/device.h"
#include "jkbms/state.h"

#include "daemon/control-commands.h"
#include "daemon/manager.h"
#include "util/values-json.h"

static struct json_object *reply_new(const struct device *dev)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "bms",
			       json_object_new_string(device_name(dev)));
	json_object_object_add(o, "state",
			       json_object_new_string(device_state_name(
				       device_get_state(dev))));
	return o;
}

static bool is_cell_key(const char *key)
{
	return strncmp(key, "cell_", 5) == 0 || strncmp(key, "balanc", 6) == 0;
}

void control_cmd_cells(struct control_call *call)
{
	struct device *dev = control_call_device(call);
	struct json_object *reply, *live, *cells;

	if (!dev)
		return;
	reply = reply_new(dev);
	live = values_to_json(&device_bms_state(dev)->v, F_LIVE);
	cells = json_object_new_object();
	json_object_object_foreach(live, key, val) if (is_cell_key(key))
		json_object_object_add(cells, key, json_object_get(val));
	json_object_put(live);
	json_object_object_add(reply, "cells", cells);
	control_call_reply(call, reply);
}

void control_cmd_info(struct control_call *call)
{
	struct device *dev = control_call_device(call);
	struct json_object *reply;

	if (!dev)
		return;
	reply = reply_new(dev);
	json_object_object_add(
		reply, "transport",
		json_object_new_string(device_transport_name(dev)));
	json_object_object_add(
		reply, "info",
		values_to_json(&device_bms_state(dev)->v, F_INFO));
	control_call_reply(call, reply);
}

void control_cmd_settings(struct control_call *call)
{
	struct device *dev = control_call_device(call);
	struct json_object *reply;

	if (!dev)
		return;
	reply = reply_new(dev);
	json_object_object_add(
		reply, "settings",
		settings_to_json(&device_bms_state(dev)->settings));
	control_call_reply(call, reply);
}
