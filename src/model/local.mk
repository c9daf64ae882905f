# src/model: see Makefile.am
