# SPDX-License-Identifier: MIT
# check-lib.sh - sourced by tests/check-ffi.sh and tests/check-install.sh.
# Expects $tmp (a scratch directory) and counters passed=0 failed=0.

# check NAME EXPECTED_STATUS COMMAND... : one pass or fail, output shown on failure.
check() {
    _name=$1 _want=$2
    shift 2
    "$@" > "$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -eq "$_want" ]; then
        passed=$((passed + 1))
        echo "  ok    $_name"
        return 0
    fi
    failed=$((failed + 1))
    echo "  FAIL  $_name (exit status $rc, expected $_want)"
    sed 's/^/        /' "$tmp/out" | tail -25
    return 1
}
