/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl decode [--variant V] [--stats] [HEX...]: JK notifications (hex
 * arguments, or hex lines on 'in', one notification per line) through the
 * daemon's own reassembler and decoders, one JSON object per complete
 * frame on 'out' (DESIGN "Names that leave the process").
 */
#pragma once

#include <stdio.h>

/*
 * argv[0] is the command name. Returns the exit status: 0, or 2 for bad
 * input or usage (the message went to 'err'). Frames with a bad checksum
 * are skipped and counted (--stats prints the counters on 'err').
 */
int ctl_decode_run(int argc, char **argv, FILE *in, FILE *out, FILE *err);
