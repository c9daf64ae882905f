# src/util: see Makefile.am
