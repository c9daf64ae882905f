# src/ctl: jkbmsctl, built at the top of the build tree so tests find
# $top_builddir/jkbmsctl. decode.[ch] and libjkctldecode.a are codec2's.
bin_PROGRAMS += jkbmsctl
jkbmsctl_SOURCES = \
	src/ctl/jkbmsctl.c \
	src/ctl/ctl.h \
	src/ctl/client.c \
	src/ctl/status.c \
	src/ctl/status-print.c
jkbmsctl_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
jkbmsctl_LDADD = libjkctldecode.a libjkjson.a libjkmodel.a libjkcodec.a \
	libjktables.a libjkutil.a $(JSONC_LIBS) -lm

dist_man_MANS += man/jkbmsctl.1
