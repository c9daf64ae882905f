/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake-probe's cases, in order: discovery, the JK handshake, connection
 * faults, pairing, stream faults, adapter faults, a bluetoothd restart.
 * The devices are those tests/integration/ble-fake.sh starts the fake with.
 */
#include <string.h>

#include "fake-probe.h"

#define A_WRITE  DEV_A "/service0010/char0012"
#define A_NOTIFY DEV_A "/service0010/char0014"
#define B_CHAR   DEV_B "/service0010/char0012"
#define ADAPTER  "org.bluez.Adapter1"
#define DEVICE   "org.bluez.Device1"
#define CHAR     "org.bluez.GattCharacteristic1"

static void discover(void)
{
	ok(managed_has("/org/bluez/hci0", ADAPTER) &&
		   managed_has("/org/bluez/hci1", ADAPTER) &&
		   managed_has("/org/bluez", "org.bluez.AgentManager1"),
	   "GetManagedObjects: two adapters and the agent manager");
	ok(!managed_has(DEV_A, NULL), "no device before discovery");
	ok(call_fails("/org/bluez/hci0", ADAPTER, "StopDiscovery",
		      "org.bluez.Error.Failed"),
	   "StopDiscovery without a session: Failed");
	ok(call_ok("/org/bluez/hci0", ADAPTER, "StartDiscovery") &&
		   WAIT(3000, !strcmp(ev.last_added, DEV_A) ||
				      managed_has(DEV_A, DEVICE)),
	   "StartDiscovery: the device appears (InterfacesAdded)");
	ok(ev.discovering, "Discovering went true");
	ok(call_fails("/org/bluez/hci0", ADAPTER, "StartDiscovery",
		      "org.bluez.Error.InProgress"),
	   "a second StartDiscovery of one client: InProgress");
	ok(!managed_has(DEV_C, NULL), "hci1's device is not found by hci0");
	ok(call_ok("/org/bluez/hci0", ADAPTER, "StopDiscovery") &&
		   WAIT(2000, !ev.discovering),
	   "StopDiscovery: Discovering false");
}

static void handshake(void)
{
	ev.connected[0] = ev.resolved[0] = 0;
	ok(call_ok(DEV_A, DEVICE, "Connect") &&
		   WAIT(2000, ev.connected[0] && ev.resolved[0]),
	   "Connect: Connected and ServicesResolved");
	ok(managed_has(A_WRITE, CHAR) && managed_has(A_NOTIFY, CHAR),
	   "new module: two FFE1 characteristics");
	ok(call_fails(A_NOTIFY, CHAR, "WriteValue",
		      "org.bluez.Error.InvalidArguments") &&
		   !write_cmd(A_NOTIFY, 0x97, "command") &&
		   strstr(last_err, "NotSupported"),
	   "writing the notify-only FFE1: NotSupported");
	reset_stream();
	ok(call_ok(A_NOTIFY, CHAR, "StartNotify") &&
		   write_cmd(A_WRITE, 0x97, "command") &&
		   WAIT(3000, ev.frames[3] >= 1),
	   "StartNotify, 0x97: a device-info frame");
	ok(!strcmp(ev.model, "JK-B5A25S-60P") && !strcmp(ev.passcode, "1234"),
	   "device info: model %s, the connection password", ev.model);
	ok(ev.frames[2] == 0, "no cell stream before 0x96");
	ok(write_cmd(A_WRITE, 0x96, "command") &&
		   WAIT(4000, ev.frames[1] >= 1 && ev.frames[2] >= 2),
	   "0x96: the settings frame, then cell-info frames");
	ok(ev.cells == 16 && ev.max_note <= 20,
	   "16 cells, notifications of at most 20 bytes (%u)", ev.max_note);
	ok(call_fails(A_NOTIFY, CHAR, "StartNotify",
		      "org.bluez.Error.InProgress"),
	   "StartNotify twice: InProgress");
}

static void connect_faults(void)
{
	DBusMessage *m;
	DBusPendingCall *pc = NULL;

	ok(call_ok(DEV_A, DEVICE, "Disconnect") &&
		   WAIT(2000, !ev.connected[0]) && !managed_has(A_NOTIFY, NULL),
	   "Disconnect: Connected false, GATT objects removed");
	ok(call_fails(DEV_A, DEVICE, "Disconnect",
		      "org.bluez.Error.NotConnected"),
	   "Disconnect when not connected: NotConnected");
	ok(ctl("fault C8:47:8C:00:00:0A Connect Failed 1 "
	       "le-connection-abort-by-local") &&
		   call_fails(DEV_A, DEVICE, "Connect",
			      "org.bluez.Error.Failed: "
			      "le-connection-abort-by-local"),
	   "fault: Connect fails le-connection-abort-by-local");
	m = dbus_message_new_method_call("org.bluez", DEV_A, DEVICE, "Connect");
	dbus_connection_send_with_reply(bus, m, &pc, 5000);
	dbus_message_unref(m);
	ok(call_fails(DEV_A, DEVICE, "Connect", "org.bluez.Error.InProgress"),
	   "Connect while connecting: InProgress");
	dbus_pending_call_block(pc);
	m = dbus_pending_call_steal_reply(pc);
	ok(m && dbus_message_get_type(m) == DBUS_MESSAGE_TYPE_METHOD_RETURN,
	   "the fault was used once: the next Connect works");
	if (m)
		dbus_message_unref(m);
	dbus_pending_call_unref(pc);
	WAIT(2000, ev.resolved[0]);
	ok(ctl("drop C8:47:8C:00:00:0A") && WAIT(2000, !ev.connected[0]),
	   "drop: Connected goes false");
	ok(ctl("no-resolve C8:47:8C:00:00:0A") &&
		   call_ok(DEV_A, DEVICE, "Connect") &&
		   WAIT(2000, ev.connected[0]) && !WAIT(600, ev.resolved[0]),
	   "no-resolve: connected, services never resolve");
	ok(call_ok("/org/bluez/hci0", ADAPTER, "RemoveDevice") == 0 &&
		   strstr(last_err, "InvalidArguments"),
	   "RemoveDevice without a path: InvalidArguments");
	{
		const char *p = DEV_A;
		DBusMessage *r =
			call("/org/bluez/hci0", ADAPTER, "RemoveDevice",
			     DBUS_TYPE_OBJECT_PATH, &p, DBUS_TYPE_INVALID);

		ok(r && WAIT(2000, !strcmp(ev.last_removed, DEV_A)) &&
			   !managed_has(DEV_A, NULL),
		   "RemoveDevice: the device object goes");
		if (r)
			dbus_message_unref(r);
	}
	ok(call_ok("/org/bluez/hci0", ADAPTER, "StartDiscovery") &&
		   WAIT(3000, managed_has(DEV_A, DEVICE)) &&
		   call_ok("/org/bluez/hci0", ADAPTER, "StopDiscovery"),
	   "rediscovered after RemoveDevice");
}

static void pairing(void)
{
	const char *path = AGENT_PATH, *cap = "KeyboardOnly";
	DBusMessage *r;

	call_ok("/org/bluez/hci0", ADAPTER, "StartDiscovery");
	WAIT(3000, managed_has(DEV_B, DEVICE));
	call_ok("/org/bluez/hci0", ADAPTER, "StopDiscovery");
	ok(call_ok(DEV_B, DEVICE, "Connect") && WAIT(2000, ev.resolved[1]) &&
		   managed_has(B_CHAR, CHAR),
	   "old module: one FFE1 connected");
	ok(call_fails(B_CHAR, CHAR, "StartNotify",
		      "org.bluez.Error.NotPermitted"),
	   "pair=required: StartNotify NotPermitted before pairing");
	ok(call_fails(DEV_B, DEVICE, "Pair",
		      "org.bluez.Error.AuthenticationFailed"),
	   "Pair without an agent: AuthenticationFailed");
	r = call("/org/bluez", "org.bluez.AgentManager1", "RegisterAgent",
		 DBUS_TYPE_OBJECT_PATH, &path, DBUS_TYPE_STRING, &cap,
		 DBUS_TYPE_INVALID);
	ok(r != NULL, "RegisterAgent");
	if (r)
		dbus_message_unref(r);
	ev.passkey = 654321;
	ok(call_pumped(DEV_B, DEVICE, "Pair") && ev.agent_calls == 1 &&
		   WAIT(1000, ev.paired_b),
	   "Pair: the agent's RequestPasskey, then Paired");
	reset_stream();
	ok(call_ok(B_CHAR, CHAR, "StartNotify") &&
		   write_cmd(B_CHAR, 0x97, "command") &&
		   write_cmd(B_CHAR, 0x96, "command") &&
		   WAIT(4000, ev.frames[2] >= 1),
	   "paired: the stream flows");
	ok(ev.max_note > 20 && ev.max_note <= 128,
	   "notifications of at most 128 bytes (%u)", ev.max_note);
	ok(call_ok(DEV_B, DEVICE, "Disconnect") && managed_has(B_CHAR, CHAR),
	   "a paired device keeps its GATT objects when disconnected");
	ctl("set 20:21:11:00:00:0C visible=1");
	call_ok("/org/bluez/hci1", ADAPTER, "StartDiscovery");
	WAIT(3000, managed_has(DEV_C, DEVICE));
	call_ok("/org/bluez/hci1", ADAPTER, "StopDiscovery");
	ok(!call_pumped(DEV_C, DEVICE, "Pair") &&
		   !strcmp(last_err, "org.bluez.Error.AuthenticationFailed"),
	   "a wrong passkey: AuthenticationFailed");
}

static void stream_faults(void)
{
	call_ok(DEV_A, DEVICE, "Disconnect");
	WAIT(1000, !ev.connected[0]);
	ok(call_ok(DEV_A, DEVICE, "Connect") && WAIT(2000, ev.resolved[0]) &&
		   call_ok(A_NOTIFY, CHAR, "StartNotify") &&
		   write_cmd(A_WRITE, 0x97, "command") &&
		   write_cmd(A_WRITE, 0x96, "command"),
	   "reconnected and streaming again");
	reset_stream();
	ok(ctl("garbage C8:47:8C:00:00:0A 2") &&
		   WAIT(4000, ev.bad >= 2 && ev.frames[2] >= 2),
	   "garbage: bad frames, then good ones (%u bad)", ev.bad);
	reset_stream();
	ok(ctl("freeze C8:47:8C:00:00:0A") && (pump(1500), ev.notes == 0),
	   "freeze: the BMS falls silent, the link stays");
	ok(ctl("freeze C8:47:8C:00:00:0A off") && WAIT(3000, ev.notes > 0),
	   "unfrozen: data again");
	reset_stream();
	ok(ctl("drop-mid-frame C8:47:8C:00:00:0A") &&
		   WAIT(3000, !ev.connected[0]) && ev.reasm.len > 0,
	   "drop-mid-frame: the link goes with half a frame buffered");
	ok(ctl("fault C8:47:8C:00:00:0A StartNotify NotAuthorized 1") &&
		   call_ok(DEV_A, DEVICE, "Connect") &&
		   WAIT(2000, ev.resolved[0]) &&
		   call_fails(A_NOTIFY, CHAR, "StartNotify",
			      "org.bluez.Error.NotAuthorized"),
	   "fault: any error name on any method");
	ok(ctl("fault hci0 StartDiscovery noreply") &&
		   !call_ok("/org/bluez/hci0", ADAPTER, "StartDiscovery") &&
		   strstr(last_err, "NoReply"),
	   "fault noreply: the caller times out");
}

static void adapter_faults(void)
{
	ev.powered = 1;
	ok(ctl("power hci0 off") && WAIT(2000, !ev.powered && !ev.connected[0]),
	   "power off: Powered false, links down");
	ok(call_fails(DEV_A, DEVICE, "Connect", "org.bluez.Error.NotReady"),
	   "Connect while powered off: NotReady");
	set_powered("/org/bluez/hci0", TRUE);
	ok(WAIT(2000, ev.powered), "Properties.Set Powered true");
	ok(ctl("wedge hci0") &&
		   call_fails(DEV_A, DEVICE, "Connect",
			      "org.bluez.Error.Failed: le-connection-abort"),
	   "wedged adapter: every Connect aborts");
	set_powered("/org/bluez/hci0", FALSE);
	set_powered("/org/bluez/hci0", TRUE);
	ok(call_ok(DEV_A, DEVICE, "Connect") && WAIT(2000, ev.resolved[0]),
	   "a power cycle unwedges it");
}

static void restart(void)
{
	unsigned changes = ev.owner_changes;

	call_ok(A_NOTIFY, CHAR, "StartNotify");
	ok(ctl("restart 300 stale") &&
		   WAIT(2000, ev.owner_changes == changes + 1 && !ev.owner[0]),
	   "restart: org.bluez loses its owner");
	ok(WAIT(3000, ev.owner_changes == changes + 2 && ev.owner[0]),
	   "and gets one back");
	ok(managed_has(DEV_A, DEVICE) && managed_has(A_NOTIFY, CHAR),
	   "the stale link is still there (device and GATT)");
	reset_stream();
	ok(call_ok(DEV_A, DEVICE, "Connect") &&
		   call_ok(A_NOTIFY, CHAR, "StartNotify") &&
		   write_cmd(A_WRITE, 0x97, "command") &&
		   (pump(1000), ev.notes == 0),
	   "stale: Connect succeeds but the BMS stays silent");
	ok(call_ok(DEV_A, DEVICE, "Disconnect") &&
		   call_ok(DEV_A, DEVICE, "Connect") &&
		   call_ok(A_NOTIFY, CHAR, "StartNotify") &&
		   write_cmd(A_WRITE, 0x97, "command") &&
		   WAIT(3000, ev.frames[3] >= 1),
	   "Disconnect first, then the handshake works");
}

void run_cases(void)
{
	ok(dbus_bus_name_has_owner(bus, "org.bluez", NULL),
	   "org.bluez has an owner");
	discover();
	handshake();
	connect_faults();
	pairing();
	stream_faults();
	adapter_faults();
	restart();
	ok(ctl("status") && !ctl("bogus") && !ctl("drop 00:00:00:00:00:01"),
	   "control: status, unknown command, unknown device");
}
