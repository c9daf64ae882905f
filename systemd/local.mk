# systemd/: the unit (paths of this build filled in), the sysusers.d user
# and the tmpfiles.d entry; directories from pkg-config systemd (configure
# --with-systemdsystemunitdir, --with-sysusersdir, --with-tmpfilesdir).
systemdsystemunit_DATA = systemd/jkbmsd.service
dist_sysusers_DATA = systemd/sysusers.d/jkbmsd.conf
dist_tmpfiles_DATA = systemd/tmpfiles.d/jkbmsd.conf
EXTRA_DIST += systemd/jkbmsd.service.in
CLEANFILES += systemd/jkbmsd.service

systemd/jkbmsd.service: $(srcdir)/systemd/jkbmsd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	$(SED) -e 's|@sbindir[@]|$(sbindir)|g' \
		-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/systemd/jkbmsd.service.in >$@.tmp && mv $@.tmp $@

# The configuration: the annotated example goes to the doc directory
# (src/conf/local.mk) and, only where none exists yet, to
# $(sysconfdir)/jkbmsd/jkbmsd.conf. Uninstall removes that copy only
# while it is still the unchanged example.
install-data-hook: install-config-if-missing
uninstall-local: uninstall-config-if-unchanged

install-config-if-missing:
	@conf='$(DESTDIR)$(sysconfdir)/jkbmsd/jkbmsd.conf'; \
	if test -e "$$conf"; then \
		echo "keeping the existing $$conf"; \
	else \
		$(MKDIR_P) '$(DESTDIR)$(sysconfdir)/jkbmsd' && \
		echo " $(INSTALL_DATA) $(srcdir)/conf/jkbmsd.conf $$conf" && \
		$(INSTALL_DATA) '$(srcdir)/conf/jkbmsd.conf' "$$conf"; \
	fi

uninstall-config-if-unchanged:
	@conf='$(DESTDIR)$(sysconfdir)/jkbmsd/jkbmsd.conf'; \
	if cmp -s '$(srcdir)/conf/jkbmsd.conf' "$$conf"; then \
		rm -f "$$conf"; \
		rmdir '$(DESTDIR)$(sysconfdir)/jkbmsd' 2>/dev/null || :; \
	fi

.PHONY: install-config-if-missing uninstall-config-if-unchanged
