#!/bin/sh
# One command from a fresh Debian 12 / Raspberry Pi OS machine to a built
# tree: installs the build and test dependencies, then bootstraps,
# configures and builds in place. Re-running it is harmless.
set -eu
cd "$(dirname "$0")"

PACKAGES="build-essential autoconf automake pkg-config clang
libclang-rt-14-dev libsystemd-dev libdbus-1-dev libmodbus-dev libsocketcan-dev
libmosquitto-dev libsqlite3-dev libinih-dev libjson-c-dev libcmocka-dev
mosquitto dbus sqlite3 jq valgrind
mosquitto-clients libssl-dev openssl
systemd debhelper dpkg-dev"

if [ "${SKIP_APT:-}" != 1 ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $PACKAGES
fi

./bootstrap
[ -f Makefile ] || ./configure --enable-maintainer-mode ${CONFIGURE_FLAGS:-}
make -j"$(nproc)"
echo
echo "Built. Try the demo:   ./jkbmsd --demo"
echo "Run the tests:         make check"
