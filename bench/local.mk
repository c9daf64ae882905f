# Programs that print figures (never pass/fail): make bench.
noinst_PROGRAMS += bench/bench-decode
bench_bench_decode_SOURCES = bench/bench-decode.c bench/frames.h
bench_bench_decode_LDADD = libjkcodec.a libjktables.a
EXTRA_DIST += bench/instructions.sh

bench: bench/bench-decode
	./bench/bench-decode
	$(SHELL) $(srcdir)/bench/instructions.sh ./bench/bench-decode 1000
.PHONY: bench
