# Programs that print figures (never pass/fail): make bench.
noinst_PROGRAMS += bench/bench-decode
bench_bench_decode_SOURCES = bench/bench-decode.c bench/frames.h
bench_bench_decode_LDADD = libjkcodec.a libjktables.a
EXTRA_DIST += bench/instructions.sh

bench: bench/bench-decode
	./bench/bench-decode
	$(SHELL) $(srcdir)/bench/instructions.sh ./bench/bench-decode 1000
.PHONY: bench

# BLE through the fake BlueZ (bench/bench-ble.sh): about 3 minutes, so
# not part of "make bench"; run "make bench-ble".
EXTRA_DIST += bench/bench-ble.sh
bench-ble: jkbmsd jkbmsctl tests/peers/fake-bluez
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
		$(SHELL) $(srcdir)/bench/bench-ble.sh 60 20
.PHONY: bench-ble

# MQTT: frame-to-subscriber latency and CPU per state (src/sink), against
# a private mosquitto started by bench/bench-mqtt.sh.
noinst_PROGRAMS += bench/bench-mqtt
bench_bench_mqtt_SOURCES = bench/bench-mqtt.c src/daemon/manager.c
bench_bench_mqtt_CFLAGS = $(AM_CFLAGS) $(MOSQUITTO_CFLAGS) $(JSONC_CFLAGS) \
	$(LIBSYSTEMD_CFLAGS)
bench_bench_mqtt_LDADD = libjksink-mqtt.a $(jkbmsd_LDADD)
EXTRA_DIST += bench/bench-mqtt.sh
bench: bench-mqtt
bench-mqtt: bench/bench-mqtt
	$(SHELL) $(srcdir)/bench/bench-mqtt.sh ./bench/bench-mqtt
.PHONY: bench-mqtt

# The settings write path: request to read-back through the simulator.
EXTRA_DIST += bench/bench-write.sh
bench: bench-write
bench-write: jkbmsd jkbmsctl
	top_builddir='$(abs_top_builddir)' $(SHELL) $(srcdir)/bench/bench-write.sh 20
.PHONY: bench-write
