# src/transport: bytes and link state only. The BLE (BlueZ over libdbus),
# serial, Modbus worker and CAN transports arrive with their drivers.
