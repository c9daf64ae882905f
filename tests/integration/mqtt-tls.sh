#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# MQTT over TLS with a test CA (made here with openssl) and a user name
# and password (mosquitto's own password file). The broker is given by
# name ("localhost"), so the name is resolved off the loop and checked
# against the certificate; a certificate for another name is refused
# unless tls_insecure = yes; a wrong password is a clear error, retried
# with a growing delay, and the daemon keeps running. A broker that
# requires a client certificate takes jkbmsd's certfile/keyfile as its
# identity, and refuses it without one.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/mqtt-lib.sh"
need openssl mosquitto_passwd

plan 11

# --- a CA, a broker certificate for localhost and one for another name ---
cd "$TMP" || exit 99
cert() {	# cert NAME SUBJECT-ALT-NAMES
	openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" \
		-subj "/CN=$1" -out "$1.csr" 2>/dev/null &&
		printf 'subjectAltName=%s\n' "$2" >"$1.ext" &&
		openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key \
			-CAcreateserial -days 2 -extfile "$1.ext" \
			-out "$1.pem" 2>/dev/null
}
openssl req -x509 -new -newkey rsa:2048 -nodes -keyout ca.key -days 2 \
	-subj "/CN=jkbmsd test CA" -out ca.pem 2>/dev/null &&
	cert server 'DNS:localhost,IP:127.0.0.1' &&
	cert other 'DNS:other.invalid' &&
	cert gw-client 'DNS:gw-client'
ok $? "test CA and certificates"
chmod 0644 ./*.key

mosquitto_passwd -c -b "$TMP/passwd" jk 'broker-pw' 2>/dev/null
tls_broker() {	# tls_broker CERT
	MOSQ_EXTRA="cafile $TMP/ca.pem
certfile $TMP/$1.pem
keyfile $TMP/$1.key
password_file $TMP/passwd
allow_anonymous false"
	start_broker
}
tls_broker server
ok $? "mosquitto with TLS and a password file on 127.0.0.1:$PORT"

printf 'broker-pw\n' >"$TMP/mqtt.pw"
chmod 0600 "$TMP/mqtt.pw"
write_conf() {	# write_conf INSECURE
	cat >"$TMP/jk.conf" <<EOC
[daemon]
name = gw
control_socket = $SOCK

[mqtt]
enabled = yes
host = localhost
port = $PORT
tls = yes
tls_insecure = $1
cafile = $TMP/ca.pem
username = jk
password_file = $TMP/mqtt.pw
publish_interval = 500ms

[history]
enabled = no

[bms alpha]
transport = sim
cells = 16
time_scale = 10
EOC
}
tls_sub() {
	sub "$@" --cafile "$TMP/ca.pem" -u jk -P broker-pw
}

write_conf no
ALL=$TMP/all.txt
tls_sub "$ALL" 'jkbms/#'
sleep 0.3
start_daemon -c "$TMP/jk.conf"
wait_for 10 has_topic "$ALL" jkbms/alpha/state
ok $? "state arrives over TLS with user name and password"
grep -q 'mqtt: connected to localhost:[0-9]* (TLS)' "$TMP/daemon.err"
ok $? "the journal says the broker is connected with TLS"
! grep -q 'broker-pw' "$TMP/daemon.err" "$TMP/daemon.out"
ok $? "the broker password is never logged"
stop_daemon 5

# --- a wrong password ---
printf 'not-the-password\n' >"$TMP/mqtt.pw"
start_daemon -c "$TMP/jk.conf"
wait_for 10 sh -c "[ \$(grep -c 'refused the connection' '$TMP/daemon.err') -ge 3 ]"
grep 'refused the connection' "$TMP/daemon.err" >"$TMP/refused"
grep -q 'refused the connection: not authorised (check username and password); retrying in' \
	"$TMP/refused"
rc=$?
[ $rc -eq 0 ] || diag "$TMP/refused"
ok $rc "a wrong password is a clear error naming the cause"
sed -n 's/.*retrying in \([0-9.]*\)\(ms\|s\).*/\1 \2/p' "$TMP/refused" |
	awk '{ v = $2 == "ms" ? $1 : $1 * 1000; if (NR > 1 && v <= p) bad = 1;
		p = v } END { exit !(NR >= 3 && !bad) }'
ok $? "with a growing delay between attempts"
kill -0 "$DAEMON_PID" && stop_daemon 5
ok $? "the daemon keeps running and stops cleanly"

# --- a certificate for another name ---
printf 'broker-pw\n' >"$TMP/mqtt.pw"
stop_broker
tls_broker other
start_daemon -c "$TMP/jk.conf"
wait_for 5 grep -q 'mqtt: broker localhost:.*retrying' "$TMP/daemon.err"
! grep -q 'mqtt: connected' "$TMP/daemon.err"
r1=$?
cp "$TMP/daemon.err" "$TMP/badcert.err"
stop_daemon 5
write_conf yes
start_daemon -c "$TMP/jk.conf"
wait_for 10 grep -q 'mqtt: connected to localhost:[0-9]* (TLS)' \
	"$TMP/daemon.err"
r2=$?
stop_daemon 5
[ $r1 -eq 0 ] && [ $r2 -eq 0 ]
ok $? "a certificate for another name is refused, unless tls_insecure"
grep -m1 'mqtt: broker' "$TMP/badcert.err" | diag

# --- a broker that wants a client certificate, and no password ---
stop_broker
MOSQ_EXTRA="cafile $TMP/ca.pem
certfile $TMP/server.pem
keyfile $TMP/server.key
require_certificate true
use_identity_as_username true
allow_anonymous false"
start_broker
chmod 0600 gw-client.key
cert_conf() {	# cert_conf [KEY = VALUE...]: TLS, no username or password
	{
		printf '[daemon]\nname = gw\ncontrol_socket = %s\n\n' "$SOCK"
		printf '[mqtt]\nenabled = yes\nhost = localhost\nport = %s\ntls = yes\n' "$PORT"
		printf 'cafile = %s\npublish_interval = 500ms\n' "$TMP/ca.pem"
		printf '%s\n' "$@"
		printf '\n[history]\nenabled = no\n\n'
		printf '[bms alpha]\ntransport = sim\ncells = 16\n'
	} >"$TMP/jk.conf"
}
CERT_ALL=$TMP/cert-all.txt
sub "$CERT_ALL" 'jkbms/#' --cafile "$TMP/ca.pem" \
	--cert "$TMP/gw-client.pem" --key "$TMP/gw-client.key"
sleep 0.3
cert_conf "certfile = $TMP/gw-client.pem" "keyfile = $TMP/gw-client.key"
start_daemon -c "$TMP/jk.conf"
wait_for 10 has_topic "$CERT_ALL" jkbms/alpha/state &&
	grep -q 'mqtt: connected to localhost:[0-9]* (TLS)' "$TMP/daemon.err"
rc=$?
ok $rc "a client certificate is the identity a broker that requires one accepts"
[ $rc -eq 0 ] || diag "$TMP/daemon.err"
stop_daemon 5

cert_conf
start_daemon -c "$TMP/jk.conf"
wait_for 10 grep -q 'mqtt: broker localhost:[0-9]*: TLS failed: .*certificate required (the broker wants a client certificate: set certfile and keyfile); retrying in' \
	"$TMP/daemon.err" &&
	! grep -q 'mqtt: connected' "$TMP/daemon.err" &&
	kill -0 "$DAEMON_PID"
rc=$?
ok $rc "without one the broker refuses, the journal says why and jkbmsd runs on"
grep -m1 'mqtt: .*retrying in' "$TMP/daemon.err" | diag
stop_daemon 5

finish
