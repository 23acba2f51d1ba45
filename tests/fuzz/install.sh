#!/bin/sh
# SPDX-License-Identifier: MIT
# Install what the fuzz targets need on Debian 12, idempotently: clang, the
# libFuzzer and sanitizer runtimes (libclang-rt-14-dev), llvm (llvm-profdata
# and llvm-cov for make fuzz-coverage) and python3 (tests/fuzz/seeds.py).
# Nothing is installed when clang already links a libFuzzer target.
set -eu
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    >"$probe/probe.c"
if ${FUZZ_CC:-clang} -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" >/dev/null 2>&1 &&
    command -v python3 >/dev/null 2>&1 &&
    { command -v llvm-cov-14 >/dev/null 2>&1 || command -v llvm-cov >/dev/null 2>&1; }; then
    exit 0
fi
exec sh "$(dirname "$0")/../install-deps.sh" clang libclang-rt-14-dev llvm python3
