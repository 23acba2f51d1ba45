#!/bin/sh
# SPDX-License-Identifier: MIT
# test_demo.sh - make demo's echoed commands paste as they are: each "$ " line, run by
# the shell from the top of the tree, prints what the demo printed under it and exits
# with the status the demo shows. Usage: sh tests/test_demo.sh BUILD_DIR
B=${1:-build}
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_demo.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

sh examples/demo.sh "$B/corscheck" > "$tmp/demo" 2>/dev/null
# Split the transcript: block N holds command N, its output, and its status.
awk -v dir="$tmp" '
    /^\$ / { n++; cmd = dir "/cmd." n; out = dir "/want." n; print substr($0, 3) > cmd; close(cmd); printf "" > out; next }
    n && /^\(exit status [0-9]+\)$/ { st = $3; sub(/\)/, "", st); print st > (dir "/status." n); close(out); n_done = n; next }
    n && n_done != n { print >> out }
' "$tmp/demo"
count=0
for f in "$tmp"/cmd.*; do [ -f "$f" ] && count=$((count + 1)); done
[ "$count" -gt 0 ] || { echo "  demo printed no command"; failed=1; }
i=1
while [ "$i" -le "$count" ]; do
    cmd=$(cat "$tmp/cmd.$i")
    sh -c "$cmd" > "$tmp/got.$i" 2>/dev/null
    rc=$?
    if [ "$rc" = "$(cat "$tmp/status.$i" 2>/dev/null)" ] && cmp -s "$tmp/got.$i" "$tmp/want.$i"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "  demo command $i does not paste: $cmd (exit status $rc, the demo showed $(cat "$tmp/status.$i"))"
        diff "$tmp/want.$i" "$tmp/got.$i" | head -10 | sed 's/^/    /'
    fi
    i=$((i + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
