/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The driver tables registry.c lists. */
#pragma once

#include "jkbms/driver.h"

extern const struct driver driver_sim;
extern const struct driver driver_jk_ble;
