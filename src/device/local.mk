# src/device: see Makefile.am
