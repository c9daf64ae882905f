# src/transport: see Makefile.am
