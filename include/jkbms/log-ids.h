/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MESSAGE_ID values of the journal entries users filter on
 * (journalctl MESSAGE_ID=...), one per kind of event. Never change one
 * once released; jkbmsd(8) lists them.
 */
#pragma once

/* Other state changes of a BMS (connecting, backoff, disabled...). */
#define LOG_ID_DEVICE_STATE   "8b4f1d2a6c3e4f0a9d7b5e1c2a3f4b6d"
/* A BMS came online / left online. */
#define LOG_ID_LINK_UP        "fc52222410bd4339a78a8c8581e6b953"
#define LOG_ID_LINK_DOWN      "30a9de2678d84000b6a07d47a1bab903"
/* An alarm bit of a BMS was raised / cleared (JKBMS_ALARM=name). */
#define LOG_ID_ALARM_RAISED   "f573389a0a4f4bf3ba3803284c112fb3"
#define LOG_ID_ALARM_CLEARED  "2cf0a6ffeb724a1399c437e3cfc9846e"
#define LOG_ID_CONFIG_RELOAD  "3e9a7c5b1d2f4e6a8c0b9d7e5f3a1c2b"
/* Every settings write, accepted or not: the audit trail. */
#define LOG_ID_SETTINGS_AUDIT "c7d2e4f6a8b0c1d3e5f7a9b2c4d6e8f0"
#define LOG_ID_BROKER_STATE   "5a1b3c7d9e2f4a6b8c0d1e3f5a7b9c2d"
/* A wrong connection or settings password. */
#define LOG_ID_AUTH_FAILED    "e1f3a5b7c9d2e4f6a8b0c2d4e6f8a1b3"
