#!/bin/sh
# SPDX-License-Identifier: MIT
# Install what `make check` needs on Debian, idempotently: a C compiler, make,
# pkg-config, cmocka and publicsuffix (the list lib/psl.pin pins). Extra package names on the command line are added
# (.ci/run passes golang-go, valgrind, ...). With --build first, only what building the
# library and corscheck needs (a compiler, make, publicsuffix: make demo). Needs root (or
# sudo) only when something is missing.
set -eu
build_only=
if [ "${1:-}" = --build ]; then build_only=1; shift; fi
need=""
command -v cc >/dev/null 2>&1 || need="$need gcc"
command -v make >/dev/null 2>&1 || need="$need make"
if [ -z "$build_only" ]; then
    command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
    [ -f /usr/include/cmocka.h ] || need="$need libcmocka-dev"
fi
[ -f /usr/share/publicsuffix/public_suffix_list.dat ] || need="$need publicsuffix"
for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need="$need $pkg"
done
[ -n "$need" ] || exit 0
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "install-deps: missing:$need (run as root or install them with apt-get)" >&2
        exit 1
    fi
else
    SUDO=
fi
echo "install-deps: installing$need"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$SUDO apt-get install -y -q $need >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q $need >/dev/null
}
