# Tests that span subsystems.
TESTS += tests/fuzz/replay.sh tests/check-layering.sh
EXTRA_DIST += tests/fuzz/replay.sh tests/check-layering.sh tests/fuzz/fuzz-main.c
