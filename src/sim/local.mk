# src/sim: the BMS simulator (DESIGN "Transports and protocols"). Uses the
# codec's encoders and decoders and the two tables; no I/O, no clock.
noinst_LIBRARIES += libjksim.a
libjksim_a_SOURCES = \
	include/jkbms/sim.h \
	src/sim/sim-private.h \
	src/sim/sim.c \
	src/sim/logbook.c \
	src/sim/rng.c \
	src/sim/ocv.c \
	src/sim/pack.c \
	src/sim/params.c \
	src/sim/presets.c \
	src/sim/balancer.c \
	src/sim/protect.c \
	src/sim/thermal.c \
	src/sim/gauge.c \
	src/sim/profile.c \
	src/sim/report.c \
	src/sim/settings.c \
	src/sim/wire.c

SIM_TEST_LDADD = libjksim.a libjkmodel.a libjkcodec.a libjktables.a \
	$(CMOCKA_LIBS) -lm

check_PROGRAMS += tests/unit/test-sim-physics
TESTS += tests/unit/test-sim-physics
tests_unit_test_sim_physics_SOURCES = tests/unit/test-sim-physics.c \
	tests/unit/sim-test.h
tests_unit_test_sim_physics_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_sim_physics_LDADD = $(SIM_TEST_LDADD)

check_PROGRAMS += tests/unit/test-sim-protect
TESTS += tests/unit/test-sim-protect
tests_unit_test_sim_protect_SOURCES = tests/unit/test-sim-protect.c \
	tests/unit/sim-test.h
tests_unit_test_sim_protect_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_sim_protect_LDADD = $(SIM_TEST_LDADD)

check_PROGRAMS += tests/unit/test-sim-wire
TESTS += tests/unit/test-sim-wire
tests_unit_test_sim_wire_SOURCES = tests/unit/test-sim-wire.c \
	tests/unit/sim-test.h
tests_unit_test_sim_wire_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_sim_wire_LDADD = $(SIM_TEST_LDADD)
