# What a release needs beyond the subsystems' own rules: the shared
# headers in the tarball, debian/ so "dpkg-buildpackage -us -uc -b" works
# in an unpacked release (.ci/run does that), and a check at "make dist"
# that every file git tracks under the source directories made it into
# the tarball (a data file or script missing from EXTRA_DIST fails here,
# not in a user's build).
noinst_HEADERS = \
	include/jkbms/alarms.h include/jkbms/bank.h include/jkbms/bits.h \
	include/jkbms/conf.h include/jkbms/device.h include/jkbms/driver.h \
	include/jkbms/fields.h include/jkbms/frame.h include/jkbms/hex.h \
	include/jkbms/log-ids.h include/jkbms/log.h \
	include/jkbms/settings-rules.h include/jkbms/settings.h \
	include/jkbms/sim.h include/jkbms/state.h include/jkbms/util.h \
	include/jkbms/variant.h include/jkbms/watchlist.h \
	include/jkbms/write.h
EXTRA_DIST += include/jkbms/fields.def include/jkbms/settings.def \
	.clang-format .editorconfig
# The TAP driver is copied in by ./bootstrap; automake does not ship it.
EXTRA_DIST += build-aux/tap-driver.sh

EXTRA_DIST += debian/changelog debian/control debian/copyright \
	debian/rules debian/source/format debian/jkbmsd.docs

dist-hook: dist-check-complete

dist-check-complete:
	@if test -d '$(srcdir)/.git' && command -v git >/dev/null 2>&1; then \
		dd=`cd '$(distdir)' && pwd` && \
		missing=`cd '$(srcdir)' && git ls-files -- include src tests \
			conf man systemd debian bench .ci | \
			while read -r f; do \
				test -e "$$dd/$$f" || echo "  $$f"; \
			done`; \
		if test -n "$$missing"; then \
			echo "Tracked files missing from the tarball (add them to" \
				"EXTRA_DIST or a _SOURCES list):"; \
			echo "$$missing"; \
			exit 1; \
		fi; \
	fi

.PHONY: dist-check-complete
