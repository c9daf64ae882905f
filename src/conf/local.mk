# src/conf: see Makefile.am
