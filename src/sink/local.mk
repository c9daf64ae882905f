# src/sink: MQTT with Home Assistant discovery (libjksink-mqtt.a). The
# history sink arrives later.
#
# A program using libjksink-mqtt.a links, after it:
#   libjkdevice.a libjkjson.a libjkmodel.a libjkcodec.a libjktables.a
#   libjkutil.a $(MQTT_SINK_LIBS)
# and provides the manager (src/daemon/manager.c).
noinst_LIBRARIES += libjksink-mqtt.a
libjksink_mqtt_a_SOURCES = \
	src/sink/mqtt.c src/sink/mqtt.h src/sink/mqtt-private.h \
	src/sink/mqtt-session.c \
	src/sink/mqtt-announce.c \
	src/sink/mqtt-command.c \
	src/sink/mqtt-stale.c \
	src/sink/mqtt-client.c src/sink/mqtt-client.h \
	src/sink/mqtt-resolve.c src/sink/mqtt-resolve.h \
	src/sink/mqtt-tls.c src/sink/mqtt-tls.h \
	src/sink/ha-discovery.c src/sink/ha-discovery.h \
	src/sink/ha-discovery-settings.c src/sink/ha-private.h
libjksink_mqtt_a_CFLAGS = $(AM_CFLAGS) $(MOSQUITTO_CFLAGS) $(JSONC_CFLAGS) \
	$(LIBSYSTEMD_CFLAGS)
# OpenSSL: libmosquitto's own TLS library, for the context we hand it.
MQTT_SINK_LIBS = $(MOSQUITTO_LIBS) $(OPENSSL_LIBS) $(JSONC_LIBS) \
	$(LIBSYSTEMD_LIBS) -lpthread

# Discovery payloads against the field and settings tables.
check_PROGRAMS += tests/unit/test-ha-discovery
TESTS += tests/unit/test-ha-discovery
tests_unit_test_ha_discovery_SOURCES = tests/unit/test-ha-discovery.c \
	src/sink/ha-discovery.c src/sink/ha-discovery-settings.c
tests_unit_test_ha_discovery_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS)
tests_unit_test_ha_discovery_LDADD = libjkjson.a libjkmodel.a libjkcodec.a \
	libjktables.a $(JSONC_LIBS) $(CMOCKA_LIBS) -lm

# End to end against a real mosquitto on 127.0.0.1 (TAP shell scripts).
MQTT_TESTS = \
	tests/integration/mqtt-publish.sh \
	tests/integration/mqtt-reload.sh \
	tests/integration/mqtt-restart.sh \
	tests/integration/mqtt-tls.sh
TESTS += $(MQTT_TESTS)
EXTRA_DIST += $(MQTT_TESTS) tests/integration/mqtt-lib.sh
