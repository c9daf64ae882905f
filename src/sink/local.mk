# src/sink: see Makefile.am
