#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check-server.sh BUILD_DIR - make check-server: a real C server that does all its CORS with
# libcors (examples/server_mhd.c on libmicrohttpd) is started on a policy text, called by curl
# (the exact lines it sends), then by headless Chromium (tests/browser/server.mjs: what the
# browser does, compared with corscheck --policy's prediction). Runs inside a private network
# namespace, so it needs no free port and reaches nothing outside. Ends "N passed, N failed".
set -euo pipefail
B=${1:-build}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$(cd "$root" && cd "$B" && pwd)

if [ -z "${CHECK_SERVER_INNER:-}" ]; then
    bash "$root/tests/browser/install.sh" >/dev/null
    [ "$(id -u)" -eq 0 ] && u="-n" || u="-r -n"
    # shellcheck disable=SC2086
    exec unshare $u env CHECK_SERVER_INNER=1 bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$B"
fi

start=$(date +%s)
tmp=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

cat > "$tmp/api.cors" <<'EOF'
# the example API's CORS
origins: http://localhost:8081, https://*.example.com
methods: PUT, DELETE
request-headers: X-Trace, Content-Type
expose-headers: X-Request-Id
credentials: yes
max-age: 60
EOF
port=18080
"$B/examples/server_mhd" "$tmp/api.cors" "$port" > "$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$tmp/server.log" && break; sleep 0.1; done
grep -q listening "$tmp/server.log" || { cat "$tmp/server.log"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
# curl NAME WANT_STATUS 'present lines' 'absent names' -- curl arguments
check_curl() {
    local name=$1 want_status=$2 present=$3 absent=$4
    shift 5
    curl -s -D "$tmp/head" -o /dev/null "$@" "http://127.0.0.1:$port/api" || true
    tr -d '\r' < "$tmp/head" > "$tmp/h"
    local problems=""
    head -1 "$tmp/h" | grep -q " $want_status" || problems="status $(head -1 "$tmp/h")"
    local IFS='|'
    for line in $present; do grep -qxF "$line" "$tmp/h" || problems="$problems; no '$line'"; done
    for n in $absent; do ! grep -qi "^$n:" "$tmp/h" || problems="$problems; has $n"; done
    if [ -z "$problems" ]; then
        passed=$((passed + 1)); echo "ok   curl $name"
    else
        failed=$((failed + 1)); echo "case curl $name:$problems"; sed 's/^/       /' "$tmp/h"
    fi
}

O='Origin: http://localhost:8081'
check_curl "preflight allowed" 204 \
    "Access-Control-Allow-Origin: http://localhost:8081|Access-Control-Allow-Credentials: true|Access-Control-Allow-Methods: PUT|Access-Control-Allow-Headers: x-trace|Access-Control-Max-Age: 60" \
    "Vary" -- -X OPTIONS -H "$O" -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: x-trace'
check_curl "preflight, method refused" 403 "" "Access-Control-Allow-Origin|Access-Control-Allow-Methods" -- \
    -X OPTIONS -H "$O" -H 'Access-Control-Request-Method: PATCH'
check_curl "preflight, origin refused" 403 "" "Access-Control-Allow-Origin" -- \
    -X OPTIONS -H 'Origin: http://evil.test:8082' -H 'Access-Control-Request-Method: PUT'
check_curl "preflight, subdomain pattern" 204 "Access-Control-Allow-Origin: https://a.b.example.com" "" -- \
    -X OPTIONS -H 'Origin: https://a.b.example.com' -H 'Access-Control-Request-Method: DELETE'
check_curl "actual allowed" 200 \
    "Access-Control-Allow-Origin: http://localhost:8081|Access-Control-Allow-Credentials: true|Access-Control-Expose-Headers: x-request-id|Vary: Accept-Encoding|Vary: Origin" \
    "" -- -H "$O"
check_curl "actual refused: Vary only" 200 "Vary: Origin" "Access-Control-Allow-Origin|Access-Control-Allow-Credentials" -- \
    -X PUT --data x -H 'Origin: http://evil.test:8082'
check_curl "not CORS: Vary" 200 "Vary: Origin" "Access-Control-Allow-Origin" --
check_curl "two Origin lines refused" 200 "Vary: Origin" "Access-Control-Allow-Origin" -- -H "$O" -H "$O"

# Chromium: pages on localhost:8081 (allowed) and evil.test:8082 (not), the API on api.test
cat > "$tmp/cases.json" <<'EOF'
[
 {"name": "simple-get", "origin": "http://localhost:8081", "method": "GET", "headers": [], "credentials": "include", "expect_ok": true, "expect_request_id": true},
 {"name": "put-with-header", "origin": "http://localhost:8081", "method": "PUT", "headers": [["X-Trace", "1"]], "credentials": "include", "expect_ok": true, "expect_request_id": true},
 {"name": "delete-json", "origin": "http://localhost:8081", "method": "DELETE", "headers": [["Content-Type", "application/json"]], "credentials": "omit", "expect_ok": true},
 {"name": "post-text", "origin": "http://localhost:8081", "method": "POST", "headers": [["Content-Type", "text/plain"]], "credentials": "same-origin", "expect_ok": true},
 {"name": "patch-refused", "origin": "http://localhost:8081", "method": "PATCH", "headers": [], "credentials": "omit", "expect_ok": false},
 {"name": "header-refused", "origin": "http://localhost:8081", "method": "GET", "headers": [["X-Other", "1"]], "credentials": "omit", "expect_ok": false},
 {"name": "lowercase-put", "origin": "http://localhost:8081", "method": "put", "headers": [], "credentials": "include", "expect_ok": true},
 {"name": "other-origin-get", "origin": "http://evil.test:8082", "method": "GET", "headers": [], "credentials": "omit", "expect_ok": false},
 {"name": "other-origin-put", "origin": "http://evil.test:8082", "method": "PUT", "headers": [["X-Trace", "1"]], "credentials": "include", "expect_ok": false}
]
EOF
set +e
node "$root/tests/browser/server.mjs" --api "http://api.test:$port" --policy "$tmp/api.cors" \
    --corscheck "$B/corscheck" --cases "$tmp/cases.json" > "$tmp/chromium.out" 2>&1
rc=$?
set -e
cat "$tmp/chromium.out"
p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/chromium.out")
f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/chromium.out")
if [ -z "$p" ]; then p=0; f=1; fi
[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
passed=$((passed + p))
failed=$((failed + f))
echo "check-server: $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
