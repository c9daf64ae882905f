/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The drivers this build has, in one static array (gpsd drivers.c), looked
 * up by the config's "transport =". BLE, serial, Modbus and CAN drivers
 * join the array as they are written.
 */
#include "config.h"

#include <string.h>

#include "jkbms/driver.h"
#include "jkbms/util.h"

#include "device/drivers.h"

static const struct driver *const drivers[] = {
	&driver_sim,
	&driver_jk_ble,
};

const struct driver *driver_find(enum conf_transport transport)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (drivers[i]->transport == transport)
			return drivers[i];
	return NULL;
}

const struct driver *driver_find_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (strcmp(drivers[i]->name, name) == 0)
			return drivers[i];
	return NULL;
}
