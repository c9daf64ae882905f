# src/sink: MQTT, Home Assistant discovery and history arrive later.
