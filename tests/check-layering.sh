#!/bin/sh
# The pure layers stay pure (STYLE 3.2): src/codec may include only libc and
# the pure headers of include/jkbms; src/model also src/codec's. No I/O, no
# clock, no allocation, no logging in either.
set -u
cd "$top_srcdir" || exit 1
pure_headers='bits.h fields.h fields.def settings.h settings.def frame.h variant.h state.h alarms.h bank.h settings-rules.h'
libc='errno.h stdbool.h stddef.h stdint.h string.h limits.h math.h assert.h inttypes.h stdlib.h ctype.h'
forbidden_calls='malloc\|calloc\|realloc\|free\|printf\|fprintf\|fopen\|open\|read\|write\|clock_gettime\|time\|gettimeofday\|syslog\|sd_journal\|log_[a-z]*\|abort'
i=0
fail=0
echo "1..2"
for layer in codec model; do
	i=$((i + 1))
	bad=""
	for f in src/$layer/*.c src/$layer/*.h; do
		[ -f "$f" ] || continue
		for inc in $(sed -n 's/^#include [<"]\([^>"]*\)[>"].*/\1/p' "$f"); do
			case "$inc" in
			jkbms/*) h=${inc#jkbms/}
				echo " $pure_headers " | grep -q " $h " || bad="$bad $f:$inc" ;;
			*/*) [ "$layer" = model ] && [ "${inc%%/*}" = codec ] || bad="$bad $f:$inc" ;;
			*.h) echo " $libc " | grep -q " $inc " || [ -f "src/$layer/$inc" ] || bad="$bad $f:$inc" ;;
			esac
		done
		if sed 's://.*$::' "$f" | grep -n "\b\($forbidden_calls\)\s*(" >/dev/null; then
			bad="$bad $f:$(sed 's://.*$::' "$f" | grep -n "\b\($forbidden_calls\)\s*(" | head -1 | cut -d: -f1)(call)"
		fi
	done
	if [ -z "$bad" ]; then
		echo "ok $i - src/$layer is pure"
	else
		echo "not ok $i - src/$layer is pure"
		for b in $bad; do echo "# $b"; done
		fail=1
	fi
done
exit 0
