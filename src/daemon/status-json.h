/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The status document of the control protocol and the demo: banks and
 * BMSs with DESIGN's key names (values_to_json / settings_to_json).
 */
#pragma once

#include <stddef.h>

struct json_object;
struct manager;

/*
 * {"ok":true,"daemon":{...},"banks":{...},"bms":{...}}; with bms != NULL
 * only that BMS (and no banks). NULL with err set if there is no such BMS.
 */
struct json_object *status_json(const struct manager *m, const char *bms,
				char *err, size_t errsize);
