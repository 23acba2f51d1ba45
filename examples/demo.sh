#!/bin/sh
# SPDX-License-Identifier: MIT
# make demo: run corscheck over the exchanges bundled in examples/demo/ and show
# what it says. Usage: sh examples/demo.sh PATH/TO/corscheck
C=${1:-build/corscheck}
D=$(dirname "$0")/demo
if [ -t 1 ]; then BOLD=$(printf '\033[1m') PLAIN=$(printf '\033[0m'); else BOLD= PLAIN=; fi
# One word as the shell reads it back: bare when no byte is special, else in single quotes.
quote() {
    case $1 in
    '' | *[!A-Za-z0-9_./:=@%+,-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
    *) printf '%s' "$1" ;;
    esac
}
# Echo the command as it can be pasted (from where make demo ran), then run it.
run() {
    title=$1
    shift
    line=$(quote "$C")
    for arg in "$@"; do line="$line $(quote "$arg")"; done
    printf '\n%s## %s%s\n$ %s\n' "$BOLD" "$title" "$PLAIN" "$line"
    "$C" "$@"
    printf '(exit status %s)\n' "$?"
}
echo "libcors demo: what browsers and Galxe's checker make of some CORS answers."
echo "Files are raw responses as 'curl -si' prints them, in $D; each command below pastes as it is."

run "Galxe's document, open authorization: passes Galxe's check" \
    --rules galxe --preflight "$D/galxe-open.txt"
run "Galxe's document, designated source, POST with Content-Type allowed" \
    --rules galxe --preflight "$D/galxe-designated.txt"
run "Mistake: no Access-Control-Allow-Methods (Galxe fails, a browser would pass)" \
    --rules galxe --method GET --preflight "$D/galxe-no-methods.txt"
run "Mistake: the preflight is answered 404" \
    --origin https://app.example --method PUT --preflight "$D/preflight-404.txt"
run "OneBalance style: reflected origin, credentials, exposed headers, max age" \
    --rules reflect --origin https://app.onebalance.example --method POST \
    --header 'Content-Type: application/json' --header 'x-api-key: k-123' \
    --preflight "$D/onebalance-preflight.txt" --response "$D/onebalance-response.txt"
run "Mistake: reflected origin without Vary: Origin" \
    --rules reflect --origin https://app.onebalance.example --method GET \
    --response "$D/missing-vary-response.txt"
run "Mistake: wildcards with credentials" \
    --origin https://app.example --method DELETE --credentials include \
    --header 'Authorization: Bearer t' --preflight "$D/wildcard-credentials-preflight.txt"
run "Mistake: a trailing slash in Access-Control-Allow-Origin" \
    --origin https://app.example --response "$D/trailing-slash-response.txt"
exit 0
