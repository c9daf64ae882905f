# src/ctl: jkbmsctl, built at the top of the build tree so tests find
# $top_builddir/jkbmsctl. decode.[ch] and libjkctldecode.a are codec2's.
bin_PROGRAMS += jkbmsctl
jkbmsctl_SOURCES = \
	src/ctl/jkbmsctl.c \
	src/ctl/ctl.h \
	src/ctl/client.c \
	src/ctl/status.c \
	src/ctl/status-print.c \
	src/ctl/request.c \
	src/ctl/cmd-watch.c src/ctl/cmd-cells.c src/ctl/cmd-info.c \
	src/ctl/cmd-settings.c src/ctl/cmd-reload.c src/ctl/cmd-debug.c \
	src/ctl/cmd-write.c src/ctl/cmd-auth.c src/ctl/password.c
jkbmsctl_SOURCES += src/ctl/cmd-scan.c src/ctl/cmd-release.c
# The history database (src/sink/history.mk), read directly.
jkbmsctl_SOURCES += src/ctl/cmd-history.c src/ctl/cmd-events.c \
	src/ctl/cmd-energy.c
jkbmsctl_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
jkbmsctl_LDADD = libjkctldecode.a libjkjson.a libjkmodel.a libjkcodec.a \
	libjktables.a libjkutil.a $(JSONC_LIBS) -lm
jkbmsctl_CFLAGS += $(SQLITE_CFLAGS)
jkbmsctl_LDADD += libjkhistory.a libjkjson.a libjkmodel.a libjktables.a \
	libjkutil.a $(SQLITE_LIBS) $(INIH_LIBS) $(JSONC_LIBS)

dist_man_MANS += man/jkbmsctl.1
