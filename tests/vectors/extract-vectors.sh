#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Regenerates tests/vectors/<VECTOR-ID>.hex from the project's vector
# collection (vectors/README.md): every vector of sections A-D (300-byte
# JK02/JK04 frames over BLE, and the PB RS485 responses in the same format)
# and G (20-byte command frames), one notification per line in README
# order, under a header of '#' lines (gpsd test/README habit). Nothing is
# typed by hand, so rerunning gives the same files.
#
#   tests/vectors/extract-vectors.sh path/to/vectors/README.md [OUTDIR]
#
# The .json golden files beside them come from 'make update-golden' and are
# checked by eye against the README's expected values before committing.
set -eu

readme=${1:?usage: $0 vectors/README.md [outdir]}
outdir=${2:-$(dirname "$0")}
# The day these vectors were imported; the README gives peer commits, not
# capture dates.
import_date=2026-11-26

[ -r "$readme" ] || { echo "$0: cannot read $readme" >&2; exit 1; }
mkdir -p "$outdir"

awk -v outdir="$outdir" -v import_date="$import_date" '
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }

# "esphome = syssi/esphome-jk-bms @2fa4323; aiobmsble = ..." -> commit[repo]
/^Abbreviated sources/ { abbrev = 1 }
abbrev {
	line = $0
	while (match(line, /[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+ @[0-9a-f]+/)) {
		pair = substr(line, RSTART, RLENGTH)
		split(pair, p, / @/)
		commit[p[1]] = p[2]
		line = substr(line, RSTART + RLENGTH)
	}
	if ($0 ~ /^$/)
		abbrev = 0
}

/^## [A-Z]\./ {
	section = substr($2, 1, 1)
	wanted = (section ~ /^[ABCDG]$/)
	next
}

/^### / {
	close_vector()
	if (!wanted)
		next
	id = $2
	title = $0
	sub(/^### [^ ]+ [^ ]+ /, "", title)
	source = ""; device = ""; nframes = 0; body = ""; first_type = ""
	next
}

id != "" && /^\* Source: / {
	source = $0
	sub(/^\* Source: /, "", source)
	next
}

id != "" && /^\* Device \/ firmware \/ variant: / {
	device = $0
	sub(/^\* Device \/ firmware \/ variant: /, "", device)
	next
}

id != "" && /^\* Frame `/ {
	frame = $0
	sub(/^\* Frame `/, "", frame)
	nbytes = frame
	sub(/`.*/, "", frame)
	sub(/.*\(/, "", nbytes)
	sub(/ bytes.*/, "", nbytes)
	next
}

/^```/ { inblock = !inblock; next }

inblock && id != "" && /^[0-9A-Fa-f]+$/ {
	if (length($0) != 2 * nbytes) {
		printf "%s: frame \"%s\" has %d hex digits, expected %d\n",
		       id, frame, length($0), 2 * nbytes > "/dev/stderr"
		exit 1
	}
	nframes++
	hex = toupper($0)
	body = body sprintf("# frame %d: %s (%d bytes)\n%s\n", nframes, \
			    frame, nbytes, hex)
	# what decides the variant first: a settings frame (type 01) alone
	# does not tell JK02_24S from JK02_32S
	if (first_type == "" && hex ~ /^55AAEB90/ && length(hex) >= 600)
		first_type = substr(hex, 9, 2)
	next
}

function variant_of(d, s) {
	if (d ~ /JK04/ && d ~ /JK02/) return "mixed (see device)"
	if (d ~ /24S register/) return "jk02_24s"
	if (d ~ /JK02_24S/) return "jk02_24s"
	if (d ~ /JK02_32S/) return "jk02_32s"
	if (d ~ /JK04/) return "jk04"
	if (s == "A") return "jk02_24s"
	if (s == "C") return "jk04"
	return "jk02_32s"
}

function firmware_of(d,   out, rest) {
	out = ""
	rest = d
	while (match(rest, /(HW|SW|FW) [^ ,;()]+/)) {
		out = out (out == "" ? "" : ", ") substr(rest, RSTART, RLENGTH)
		rest = substr(rest, RSTART + RLENGTH)
	}
	return out == "" ? "unknown" : out
}

function model_of(d,   m) {
	m = d
	sub(/[,(].*/, "", m)
	m = trim(m)
	return (m ~ /^JK[-_][A-Z0-9]+$/ && m !~ /^JK0[24]/) ? m : "unknown"
}

function source_of(s,   r, out) {
	out = s
	for (r in commit)
		if (index(s, r " ") == 1)
			out = r " @" commit[r] substr(s, length(r) + 1)
	return out
}

function open_vector() {
	file = outdir "/" id ".hex"
	printf "# vector: %s\n", id > file
	printf "# title: %s\n", title > file
	printf "# model: %s\n", model_of(device) > file
	printf "# firmware: %s\n", firmware_of(device) > file
	printf "# variant: %s\n", variant_of(device, section) > file
	printf "# transport: %s\n", \
	       (device ~ /RS485/ ? "RS485 (PB Modbus trigger response)" : \
		"BLE") > file
	printf "# source: %s\n", source_of(source) > file
	printf "# date: capture date not published; imported %s from " \
	       "vectors/README.md\n", import_date > file
	printf "# device: %s\n", device > file
	printf "# format: one notification per line, hex\n" > file
	# a JK02_32S settings frame first, with nothing earlier to tell
	if (first_type == "01" && variant_of(device, section) == "jk02_32s")
		printf "# decode-args: --variant jk02_32s\n" > file
}

function close_vector() {
	if (id != "" && nframes) {
		open_vector()
		printf "%s", body > file
		close(file)
		print id
	}
	id = ""
}

END { close_vector() }
' "$readme"
