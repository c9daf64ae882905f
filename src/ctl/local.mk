# src/ctl: see Makefile.am
