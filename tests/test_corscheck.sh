#!/bin/sh
# SPDX-License-Identifier: MIT
# test_corscheck.sh BUILD_DIR - corscheck as a command: options, exit codes,
# where output goes, input errors (tests/run.sh runs it with make check).
# Ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1 # BUILD_DIR is relative to the top of the tree, as make passes it
B=${1:-build}
C="$B/corscheck"
D=examples/demo
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_corscheck.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

# expect NAME STATUS STDOUT_TEST [STDERR_PATTERN] -- ARGS...: run corscheck, check
# its exit status, its standard output (empty, any, or a grep -E pattern) and
# optionally a grep -E pattern its standard error must match.
expect() {
    _name=$1 _want=$2 _out=$3 _err=$4
    shift 5
    "$C" "$@" > "$tmp/out" 2> "$tmp/err" < "${STDIN:-/dev/null}"
    _rc=$?
    _why=
    [ "$_rc" -eq "$_want" ] || _why="exit status $_rc, expected $_want"
    case $_out in
    empty) [ -s "$tmp/out" ] && _why="$_why${_why:+; }standard output not empty" ;;
    any) ;;
    *) grep -Eq -- "$_out" "$tmp/out" || _why="$_why${_why:+; }standard output lacks /$_out/" ;;
    esac
    if [ -n "$_err" ] && ! grep -Eq -- "$_err" "$tmp/err"; then
        _why="$_why${_why:+; }standard error lacks /$_err/"
    fi
    if [ -z "$_why" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "  FAIL  $_name: $_why"
        sed 's/^/        out: /' "$tmp/out" | head -5
        sed 's/^/        err: /' "$tmp/err" | head -5
    fi
}

O=https://app.example
printf 'HTTP/1.1 302 Found\r\nLocation: https://other.example/\r\nAccess-Control-Allow-Origin: *\r\n\r\n' > "$tmp/redirect.txt"
printf 'HTTP/1.1 200 OK\r\nno colon\r\n\r\n' > "$tmp/bad.txt"
printf 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example/\351<&>\tx\r\n\r\n' > "$tmp/bytes.txt"
mkdir "$tmp/dir"

# --help, --version
expect "--help" 0 'Exit status:' '' -- --help
expect "-h: every option with its default" 0 '--credentials MODE .*default same-origin' '' -- -h
expect "--help lists the rule sets" 0 '^  reflect ' '' -- --help
expect "--help lists exit status 3" 0 '^  3  incomplete' '' -- --help
expect "--help has an example" 0 '^  corscheck --origin https://app.example --method PUT' '' -- --help
expect "--version" 0 '^corscheck \(libcors\) [0-9]+\.[0-9]+\.[0-9]+$' '' -- --version
expect "-V" 0 '^corscheck \(libcors\) ' '' -- -V

# usage errors: status 2, nothing on standard output
expect "unknown option" 2 empty "unknown option '--frobnicate'" -- --frobnicate
expect "repeated --origin" 2 empty "--origin given twice" -- --origin $O --origin https://b.example
expect "repeated --url" 2 empty "--url given twice" -- --origin $O --url https://a.example/ --url=https://b.example/
expect "two standard inputs" 2 empty "only one --preflight or --response FILE can be '-'" \
    -- --origin $O --response - --response -
expect "repeated --rules" 2 empty "--rules given twice" -- --rules browser --rules=galxe --origin $O
expect "missing value" 2 empty "--method needs a value" -- --origin $O --method
expect "flag with a value" 2 empty "--json takes no value" -- --json=yes --origin $O
expect "no --origin" 2 empty "--origin is required" -- --response $D/trailing-slash-response.txt
expect "bad --credentials" 2 empty "--credentials takes" -- --origin $O --credentials sometimes
expect "bad --rules" 2 empty "--rules takes" -- --origin $O --rules firefox
expect "stray argument" 2 empty "unexpected argument" -- --origin $O response.txt
expect "bad usage under --json" 2 empty "unknown option" -- --json --frobnicate

# verdicts: 0 allowed, 1 refused, 3 incomplete; --opt=value as --opt value
expect "allowed" 0 '^PASSES' '' -- --rules galxe --preflight $D/galxe-open.txt
expect "allowed, --opt=value" 0 '^PASSES' '' -- --rules=galxe --preflight=$D/galxe-open.txt
expect "refused" 1 '^REFUSED' '' -- --origin $O --response $D/trailing-slash-response.txt
expect "refused, --json" 1 '^\{"schema":1,"libcors":"[0-9.]+","rules":"browser","ok":false,"incomplete":null,' '' \
    -- --origin=$O --response=$D/trailing-slash-response.txt --json
expect "repeated --header is fine" 3 '"acr_headers":"x-a,x-b"' '' \
    -- --origin $O --header 'X-A: 1' --header=X-B:2 --json
expect "incomplete: no preflight" 3 '^INCOMPLETE' 'pass --preflight FILE' -- --origin $O --method PUT
expect "incomplete: no preflight, --json" 3 '"ok":null,"incomplete":"preflight"' '' -- --origin $O --method PUT --json
expect "incomplete: no response" 3 '"incomplete":"response"' 'pass --response FILE' \
    -- --rules reflect --origin https://app.onebalance.example --method POST --header 'Content-Type: application/json' \
    --preflight $D/onebalance-preflight.txt --json
expect "incomplete: a redirect followed" 3 '"incomplete":"redirect"' 'Location' \
    -- --origin $O --response "$tmp/redirect.txt" --json
STDIN=$D/trailing-slash-response.txt expect "standard input" 1 '^REFUSED' '' -- --origin $O --response -
expect "a preflight the browser does not send is noted" 1 '^REFUSED' 'note: --preflight .* is not used' \
    -- --origin $O --preflight $D/preflight-404.txt --response $D/trailing-slash-response.txt

# redirect chains: the Nth --response answers the Nth URL, --url starts the chain
printf 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: null\r\nX-Id: 7\r\nAccess-Control-Expose-Headers: X-Id\r\n\r\n' > "$tmp/null-ok.txt"
printf 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n\r\n' > "$tmp/page-ok.txt"
printf 'HTTP/1.1 303 See Other\r\nAccess-Control-Allow-Origin: *\r\nLocation: /done\r\n\r\n' > "$tmp/see-other.txt"
printf 'HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT\r\n\r\n' > "$tmp/put-ok.txt"
printf 'HTTP/1.1 307 Temporary Redirect\r\nAccess-Control-Allow-Origin: *\r\nLocation: https://other.example/v2\r\n\r\n' > "$tmp/temporary.txt"
printf 'HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: null\r\nAccess-Control-Allow-Methods: PUT\r\n\r\n' > "$tmp/put-null.txt"
expect "chain: the origin turns null after another origin" 0 '"hops":2,"failed_hop":null,"status":200,"hop_reports":\[\{"hop":1,"url":"https://api.example/v1","sent":true,"method":"GET","origin":"https://app.example",.*\{"hop":2,"url":"https://other.example/","sent":true,"method":"GET","origin":"null"' '' \
    -- --origin $O --url https://api.example/v1 --response "$tmp/redirect.txt" --response "$tmp/null-ok.txt" --json
expect "chain: the final response's exposed headers" 0 '"readable_headers":\["x-id"\]' '' \
    -- --origin $O --url https://api.example/v1 --response "$tmp/redirect.txt" --response "$tmp/null-ok.txt" --json
expect "chain: the page's origin is refused once tainted" 1 '"failed_at":"response","error":"AllowOriginMismatch".*"hops":2,"failed_hop":2' '' \
    -- --origin $O --url https://api.example/v1 --response "$tmp/redirect.txt" --response "$tmp/page-ok.txt" --json
expect "chain: 303 turns POST into GET without body" 0 '"hop":2,"url":"https://api.example/done","sent":true,"method":"GET","origin":"https://app.example","body":false' '' \
    -- --origin $O --url https://api.example/v1 --method POST --body '{}' --response "$tmp/see-other.txt" --response "$tmp/page-ok.txt" --json
expect "chain: a preflight per URL, each from the next --preflight" 0 '"hop":2,"url":"https://other.example/v2","sent":true,"method":"PUT","origin":"null","body":false,"preflight":true,"acr_method":"PUT"' '' \
    -- --origin $O --url https://api.example/v1 --method PUT --preflight "$tmp/put-ok.txt" --preflight "$tmp/put-null.txt" \
    --response "$tmp/temporary.txt" --response "$tmp/null-ok.txt" --json
expect "chain: the second preflight is missing" 3 '"incomplete":"preflight"' 'URL 2 of the chain\): pass --preflight FILE' \
    -- --origin $O --url https://api.example/v1 --method PUT --preflight "$tmp/put-ok.txt" \
    --response "$tmp/temporary.txt" --response "$tmp/null-ok.txt" --json
expect "chain: a response past the end is noted" 1 '^REFUSED' 'note: --response .*page-ok.txt is not used' \
    -- --origin $O --url https://api.example/v1 --response $D/trailing-slash-response.txt --response "$tmp/page-ok.txt"
expect "mixed content is refused before sending" 1 '"failed_at":"request","error":"MixedContent"' '' \
    -- --origin $O --url http://api.example/v1 --json
expect "a bad --url" 2 empty "--url 'ftp://api.example/': CORS_E_BAD_URL" -- --origin $O --url ftp://api.example/
expect "JSON is ASCII, <>& escaped" 1 '"value":"https://app.example/\\u00e9\\u003c\\u0026\\u003e\\tx"' '' \
    -- --origin $O --response "$tmp/bytes.txt" --json

# input errors: status 2; nothing on standard output, or one input_error object under --json
expect "missing file" 2 empty '--response .*/nonexistent: ENOENT' -- --origin $O --response "$tmp/nonexistent"
expect "missing file, --json" 2 '^\{"schema":1,"libcors":"[0-9.]+","input_error":\{"status":"ENOENT","message":"[^"]+","argument":"--response","file":"[^"]+nonexistent","offset":null,"line":null\}\}$' '' \
    -- --origin $O --response "$tmp/nonexistent" --json
expect "a directory" 2 empty 'is a directory' -- --origin $O --response "$tmp/dir"
expect "a directory, --json" 2 '"status":"EISDIR"' '' -- --origin $O --response "$tmp/dir" --json
if grep -q empty "$tmp/err"; then
    failed=$((failed + 1))
    echo "  FAIL  a directory is called empty: $(cat "$tmp/err")"
else
    passed=$((passed + 1))
fi
expect "needed file does not parse" 2 empty 'bad.txt: byte 17 \(line 2\): CORS_E_NO_COLON' \
    -- --strict-head --origin $O --response "$tmp/bad.txt"
expect "needed file does not parse, --json" 2 '"input_error":\{"status":"CORS_E_NO_COLON",.*"argument":"--response",.*"offset":17,"line":2\}' '' \
    -- --strict-head --origin $O --response "$tmp/bad.txt" --json
expect "unneeded file does not parse" 1 '^REFUSED' 'ignored, the browser does not use it' \
    -- --strict-head --origin $O --method PUT --preflight $D/preflight-404.txt --response "$tmp/bad.txt"
expect "a line that is no header, read as Chromium reads it" 1 '^REFUSED' '' \
    -- --origin $O --response "$tmp/bad.txt"
expect "bad origin" 2 empty "--origin 'https://app.example/': byte 19: CORS_E_BAD_ORIGIN" \
    -- --origin https://app.example/ --response $D/trailing-slash-response.txt
expect "bad origin, --json" 2 '"status":"CORS_E_BAD_ORIGIN",.*"argument":"--origin","file":null,"offset":19,"line":null' '' \
    -- --origin https://app.example/ --json

# output that cannot be written
if [ -w /dev/full ]; then
    for args in "--origin $O --response $D/trailing-slash-response.txt" "--origin $O --response $D/trailing-slash-response.txt --json" \
        "--help" "--version" "--origin $O --print-curl https://api.example/"; do
        # shellcheck disable=SC2086 # args split on purpose
        "$C" $args > /dev/full 2> "$tmp/err"
        rc=$?
        if [ "$rc" -eq 2 ] && grep -q 'standard output' "$tmp/err"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "  FAIL  corscheck $args > /dev/full: exit status $rc, expected 2 with a message"
        fi
    done
fi

# --print-curl: Chromium's headers in Chromium's order, the head alone into each file
cat > "$tmp/curl.want" <<'EOF'
# Capture what the server answers Chromium 156 (its headers, in its order), then judge it.
# Differs from Chromium: no 'Connection: keep-alive', curl's own place for Content-Length, the
# page's headers in the order given (Chromium's follows Blink's hash table). Add the browser's
# cookies (-H 'Cookie: ...') when credentials are sent, '--cacert ca.pem' for a private CA.
# curl must exit 0: a file that does not end in an empty line was cut short.
# Sec-Fetch-Site is cross-site; make it same-site when the page and the API share a site.
curl -sS --noproxy '*' --max-time 30 -D preflight.txt -o /dev/null -X OPTIONS 'https://api.example/v1?a='\''b'\''' \
  -H 'Accept: */*' \
  -H 'Access-Control-Request-Method: PUT' \
  -H 'Access-Control-Request-Headers: x-trace' \
  -H 'Origin: https://app.example' \
  -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36' \
  -H 'Sec-Fetch-Mode: cors' \
  -H 'Sec-Fetch-Site: cross-site' \
  -H 'Sec-Fetch-Dest: empty' \
  -H 'Referer: https://app.example/' \
  -H 'Accept-Encoding: gzip, deflate, br, zstd' \
  -H 'Accept-Language: en-US,en;q=0.9'
curl -sS --noproxy '*' --max-time 30 -D response.txt -o /dev/null -X 'PUT' 'https://api.example/v1?a='\''b'\''' -H 'Content-Length: 0' \
  -H 'X-Trace: 1' \
  -H 'sec-ch-ua-platform: "Linux"' \
  -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36' \
  -H 'sec-ch-ua: "Not:A-Brand";v="8", "Chromium";v="156"' \
  -H 'sec-ch-ua-mobile: ?0' \
  -H 'Accept: */*' \
  -H 'Origin: https://app.example' \
  -H 'Sec-Fetch-Site: cross-site' \
  -H 'Sec-Fetch-Mode: cors' \
  -H 'Sec-Fetch-Dest: empty' \
  -H 'Sec-Fetch-Storage-Access: none' \
  -H 'Referer: https://app.example/' \
  -H 'Accept-Encoding: gzip, deflate, br, zstd' \
  -H 'Accept-Language: en-US,en;q=0.9'
# A 3xx with Location: capture its target the same way (Origin: null after another origin) and
# add each response, in order, with one more --response.
corscheck --rules browser --origin 'https://app.example' --url 'https://api.example/v1?a='\''b'\''' --method 'PUT' --header 'X-Trace: 1' --credentials include --preflight preflight.txt --response response.txt
EOF
expect "--print-curl" 0 '^curl -sS .* -D preflight.txt -o /dev/null -X OPTIONS' '' \
    -- --origin $O --method PUT --header 'X-Trace: 1' --credentials include --print-curl "https://api.example/v1?a='b'"
if cmp -s "$tmp/out" "$tmp/curl.want"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "  FAIL  --print-curl output changed:"
    diff "$tmp/curl.want" "$tmp/out" | sed 's/^/        /'
fi
expect "--print-curl: HEAD is curl -I (-X HEAD waits for a body)" 0 '-o /dev/null -I ' '' \
    -- --origin $O --method HEAD --print-curl https://api.example/
expect "--print-curl: a body, sent as fetch() sends a string" 0 "--data-raw '\\{\\}' -H 'Expect:'" '' \
    -- --origin $O --method POST --body '{}' --print-curl https://api.example/
expect "--print-curl: a string body's Content-Type" 0 "Content-Type: text/plain;charset=UTF-8" '' \
    -- --origin $O --method POST --body '{}' --print-curl https://api.example/
expect "--print-curl: Accept-Encoding over https" 0 "Accept-Encoding: gzip, deflate, br, zstd'" '' \
    -- --origin $O --print-curl https://api.example/
expect "--print-curl: Accept-Encoding over http" 0 "Accept-Encoding: gzip, deflate'" '' \
    -- --origin http://app.example --print-curl http://api.example/
expect "--print-curl: no client hints over http" 0 '^corscheck' '' \
    -- --origin http://app.example --print-curl http://api.example/
if grep -q -e "-H 'sec-ch-ua\\|-H 'Sec-Fetch" "$tmp/out"; then
    failed=$((failed + 1))
    echo "  FAIL  --print-curl over http sends client hints or Sec-Fetch-*"
else
    passed=$((passed + 1))
fi
expect "--print-curl: no Origin on a same-origin GET" 0 'Sec-Fetch-Site: same-origin' '' \
    -- --origin $O --print-curl $O/data
if grep -q "Origin: $O'" "$tmp/out"; then
    failed=$((failed + 1))
    echo "  FAIL  --print-curl sends Origin on a same-origin GET"
else
    passed=$((passed + 1))
fi
expect "--print-curl: a forbidden header is not sent" 0 '^corscheck' '' \
    -- --origin $O --header 'Cookie: a=b' --print-curl https://api.example/
if grep -q "H 'Cookie: a=b'" "$tmp/out"; then
    failed=$((failed + 1))
    echo "  FAIL  --print-curl sends a header fetch() drops"
else
    passed=$((passed + 1))
fi
expect "--print-curl: mixed content has nothing to capture" 2 empty 'MixedContent' \
    -- --origin $O --print-curl http://api.example/

# curl -siL writes a whole chain into one file: one response per head
printf 'HTTP/1.1 302 Found\r\nLocation: https://other.example/x\r\nAccess-Control-Allow-Origin: *\r\n\r\nHTTP/2 200\r\naccess-control-allow-origin: null\r\n\r\n{"ok":1}' > "$tmp/chain.txt"
expect "one file, two heads" 0 '"hops":2,"failed_hop":null,"status":200' '' \
    -- --origin $O --url https://api.example/ --response "$tmp/chain.txt" --json
printf 'HTTP/1.1 302 Found\r\nLocation: /b\r\nAccess-Control-Allow-Origin: *\r\n\r\nHTTP/1.1 200 OK\r\nno colon\r\n\r\n' > "$tmp/chain-bad.txt"
expect "a later head that does not parse names its head" 2 empty 'chain-bad.txt \(head 2\): byte 85 \(line 6\): CORS_E_NO_COLON' \
    -- --strict-head --origin $O --url https://api.example/ --response "$tmp/chain-bad.txt"

# --policy: a server's policy text, validated, its answers judged
printf 'origins: https://app.example, https://*.example.org\nmethods: PUT\nrequest-headers: content-type\ncredentials: yes\nexpose-headers: x-id\nmax-age: 600\n' > "$tmp/policy.txt"
printf '# a wildcard origin with credentials\norigins: *\ncredentials: yes\n' > "$tmp/policy-bad.txt"
printf 'origins: https://app.example\nfrobnicate: yes\n' > "$tmp/policy-key.txt"
expect "--policy alone validates" 0 empty '' -- --policy "$tmp/policy.txt"
expect "--policy: the preflight's lines" 0 '^    Access-Control-Allow-Methods: PUT$' '' \
    -- --policy "$tmp/policy.txt" --origin $O --method PUT --header 'Content-Type: application/json' --credentials include
expect "--policy: the request is allowed" 0 '^ALLOWED \(browser rules\)' '' \
    -- --policy "$tmp/policy.txt" --origin $O --method PUT --header 'Content-Type: application/json' --credentials include
expect "--policy: a subdomain pattern" 0 '^    Access-Control-Allow-Origin: https://a.b.example.org$' '' \
    -- --policy "$tmp/policy.txt" --origin https://a.b.example.org
expect "--policy: another origin is refused" 1 '"ok":false' '' -- --policy "$tmp/policy.txt" --origin https://evil.example --json
expect "--policy: Vary is appended on the actual response" 0 '^    Vary: Origin   \(append\)$' '' \
    -- --policy "$tmp/policy.txt" --origin $O
expect "--policy: a method not listed" 1 'refused' '' -- --policy "$tmp/policy.txt" --origin $O --method DELETE
expect "--policy: the preflight names the field that refused" 1 '^  the preflight \(OPTIONS\) -> 403 \(refused by methods\)$' '' \
    -- --policy "$tmp/policy.txt" --origin $O --method DELETE
expect "--policy: the actual answer names the field that refused" 1 'request.*-> refused by origins$' '' \
    -- --policy "$tmp/policy.txt" --origin https://evil.example
expect "--policy: an error names its line" 2 '^.*policy-bad.txt:2: error: ' 'does not compile' -- --policy "$tmp/policy-bad.txt"
expect "--policy: an unknown key names line and byte" 2 empty 'policy-key.txt:2: error: byte 29: CORS_E_POLICY_KEY' \
    -- --policy "$tmp/policy-key.txt"
expect "--policy: a directory" 2 empty 'is a directory' -- --policy "$tmp/dir"
expect "--policy: given twice" 2 empty '--policy given twice' -- --policy "$tmp/policy.txt" --policy "$tmp/policy.txt"
expect "--policy under galxe rules" 1 "^REFUSED \(galxe rules\) at the preflight" '' -- --policy "$tmp/policy.txt" --rules galxe

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
