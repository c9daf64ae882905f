dnl Warning set, sanitizers and fuzzing switches (STYLE 3.10).
AC_DEFUN([JK_CC_TRY_FLAG], [
	AC_MSG_CHECKING([whether $CC accepts $1])
	jk_save_CFLAGS="$CFLAGS"
	CFLAGS="$CFLAGS -Werror $1"
	AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
		[AC_MSG_RESULT([yes]); $2="$$2 $1"], [AC_MSG_RESULT([no])])
	CFLAGS="$jk_save_CFLAGS"
])

AC_DEFUN([JK_COMPILER_FLAGS], [
	WARN_CFLAGS=""
	for flag in -Wall -Wextra -Wno-unused-parameter -Wmissing-prototypes \
		-Wmissing-declarations -Wredundant-decls -Wshadow -Wformat=2 \
		-Wswitch-enum -Wstrict-prototypes -Wcast-align -Wpointer-arith \
		-Wvla -Wimplicit-fallthrough -Wno-missing-field-initializers \
		-fno-strict-aliasing -fstack-protector-strong; do
		JK_CC_TRY_FLAG([$flag], [WARN_CFLAGS])
	done
	CONVERSION_CFLAGS=""
	for flag in -Wconversion -Wsign-conversion; do
		JK_CC_TRY_FLAG([$flag], [CONVERSION_CFLAGS])
	done

	AC_ARG_ENABLE([werror],
		[AS_HELP_STRING([--disable-werror], [do not treat warnings as errors])],
		[], [enable_werror=yes])
	AS_IF([test "x$enable_werror" = xyes], [WARN_CFLAGS="$WARN_CFLAGS -Werror"])

	SAN_CFLAGS=""
	SAN_LDFLAGS=""
	AC_ARG_ENABLE([asan], [AS_HELP_STRING([--enable-asan], [AddressSanitizer])],
		[], [enable_asan=no])
	AS_IF([test "x$enable_asan" = xyes], [
		SAN_CFLAGS="$SAN_CFLAGS -fsanitize=address -fno-omit-frame-pointer"
		SAN_LDFLAGS="$SAN_LDFLAGS -fsanitize=address"])
	AC_ARG_ENABLE([ubsan], [AS_HELP_STRING([--enable-ubsan], [UndefinedBehaviorSanitizer])],
		[], [enable_ubsan=no])
	AS_IF([test "x$enable_ubsan" = xyes], [
		SAN_CFLAGS="$SAN_CFLAGS -fsanitize=undefined -fno-sanitize-recover=all"
		SAN_LDFLAGS="$SAN_LDFLAGS -fsanitize=undefined -fno-sanitize-recover=all"])

	AC_ARG_ENABLE([fuzzing],
		[AS_HELP_STRING([--enable-fuzzing], [build libFuzzer targets (clang)])],
		[], [enable_fuzzing=no])
	AS_IF([test "x$enable_fuzzing" = xyes], [
		FUZZ_CFLAGS="-fsanitize=fuzzer"
		JK_CC_TRY_FLAG([-fsanitize=fuzzer-no-link], [SAN_CFLAGS])])
	AM_CONDITIONAL([ENABLE_FUZZING], [test "x$enable_fuzzing" = xyes])

	AC_SUBST([WARN_CFLAGS])
	AC_SUBST([CONVERSION_CFLAGS])
	AC_SUBST([SAN_CFLAGS])
	AC_SUBST([SAN_LDFLAGS])
	AC_SUBST([FUZZ_CFLAGS])
])
