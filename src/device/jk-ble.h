/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the jk-ble driver offers besides the driver ops (control commands). */
#pragma once

#include <stdint.h>

struct device;

/*
 * Disconnects and stays away for usec so another central (the phone app)
 * can connect; 0 ends a hold. -EOPNOTSUPP if the device is not jk-ble.
 */
int jk_ble_release(struct device *dev, uint64_t usec);
