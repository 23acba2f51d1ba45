#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz.sh - run, merge and measure the libFuzzer targets; the Makefile's
# fuzz, fuzz-smoke, fuzz-merge and fuzz-coverage call it after building them.
#
#   sh tests/fuzz/fuzz.sh run SECONDS TARGET...    grow $FB/corpus/TARGET from tests/fuzz/corpus/TARGET and the seeds
#   sh tests/fuzz/fuzz.sh smoke SECONDS TARGET...  the same into a scratch corpus (CI): the tree is not touched
#   sh tests/fuzz/fuzz.sh merge 0 TARGET...        minimize all of it into tests/fuzz/corpus/TARGET (-merge=1)
#   sh tests/fuzz/fuzz.sh coverage 0 TARGET...     line coverage of lib/ over the corpora ($FB/cov)
#
# Environment: FB (build/fuzz), FUZZ_TIMEOUT (seconds one input may take, 10),
# FUZZ_RSS_MB (2048), FUZZ_ARGS (more libFuzzer flags), FUZZ_MERGE_ARGS
# (-use_counters=0). A run's full log is $FB/logs/TARGET.log, crashes and
# timeouts land in $FB/artifacts/TARGET/. Targets run one after another.
set -eu
FB=${FB:-build/fuzz}
TIMEOUT=${FUZZ_TIMEOUT:-10}
RSS_MB=${FUZZ_RSS_MB:-2048}
mode=$1
seconds=$2
shift 2
here=$(dirname "$0")

# dicts and flags of a target (tests/fuzz/TARGET.options), the dictionary put together
target_options() {
    dicts=""
    flags=""
    # shellcheck disable=SC1090
    [ -f "$here/$1.options" ] && . "$here/$1.options"
    : >"$FB/$1.dict"
    for d in $dicts; do cat "$here/$d.dict" >>"$FB/$1.dict"; done
    dict_flag=""
    [ ! -s "$FB/$1.dict" ] || dict_flag="-dict=$FB/$1.dict"
}

seeds() {
    python3 "$here/seeds.py" "$FB/seeds" >/dev/null
}

# libFuzzer prints a line per new input; show the milestones, keep the rest in the log.
run_target() {
    t=$1
    work=$2
    mkdir -p "$work" "$FB/artifacts/$t" "$FB/logs" "tests/fuzz/corpus/$t"
    target_options "$t"
    echo "fuzz: $t for ${seconds}s into $work (log $FB/logs/$t.log)"
    # shellcheck disable=SC2086
    { "$FB/$t" -max_total_time="$seconds" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" $dict_flag \
          -artifact_prefix="$FB/artifacts/$t/" -print_final_stats=1 -report_slow_units=2 $flags ${FUZZ_ARGS:-} \
          "$work" "tests/fuzz/corpus/$t" "$FB/seeds/$t" 2>&1
      echo $? >"$FB/logs/$t.rc"; } |
        tee "$FB/logs/$t.log" |
        grep -E --line-buffered 'INITED|DONE|pulse|^==[0-9]+==|ERROR|SUMMARY|invariant failed|known defect|Slowest|Test unit written|stat::' ||
        true
    rc=$(cat "$FB/logs/$t.rc")
    if [ "$rc" -ne 0 ]; then
        echo "fuzz: $t FAILED (exit $rc); reproducer in $FB/artifacts/$t/"
        return 1
    fi
    echo "fuzz: $t ok: $(grep -E '^#[0-9]+.*DONE' "$FB/logs/$t.log" | tail -1)"
}

merge_target() {
    t=$1
    new="$FB/merge/$t"
    rm -rf "$new"
    mkdir -p "$new" "tests/fuzz/corpus/$t" "$FB/corpus/$t" "$FB/seeds/$t" "$FB/artifacts/$t"
    # No -max_len here: a merge must not cut inputs short. Edges only (no hit
    # counts), so that the tree keeps a few hundred inputs per target.
    # shellcheck disable=SC2086
    "$FB/$t" -merge=1 ${FUZZ_MERGE_ARGS:--use_counters=0} -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" \
        -artifact_prefix="$FB/artifacts/$t/merge-" "$new" \
        "tests/fuzz/corpus/$t" "$FB/corpus/$t" "$FB/seeds/$t" >"$FB/logs/$t.merge.log" 2>&1 || {
        echo "fuzz: merge of $t failed (log $FB/logs/$t.merge.log)"
        return 1
    }
    # inputs that fail a check are left out (they are crashes to the merge): see $FB/artifacts/$t/merge-*
    find "tests/fuzz/corpus/$t" -type f -delete
    cp "$new"/* "tests/fuzz/corpus/$t/"
    echo "fuzz: tests/fuzz/corpus/$t: $(ls "tests/fuzz/corpus/$t" | wc -l) inputs," \
        "$(cat "tests/fuzz/corpus/$t"/* | wc -c) bytes ($(grep -E 'MERGE-OUTER: [0-9]+ new files' "$FB/logs/$t.merge.log" | tail -1))"
}

tool() {
    for c in "$1-14" "$1"; do
        if command -v "$c" >/dev/null 2>&1; then echo "$c"; return; fi
    done
    echo "fuzz: $1 not found (sh tests/fuzz/install.sh)" >&2
    exit 1
}

coverage() {
    profdata=$(tool llvm-profdata)
    cov=$(tool llvm-cov)
    objects=""
    profiles=""
    for t in "$@"; do
        dirs="tests/fuzz/corpus/$t"
        [ -d "$FB/corpus/$t" ] && dirs="$dirs $FB/corpus/$t"
        # shellcheck disable=SC2086
        LLVM_PROFILE_FILE="$FB/cov/$t.profraw" "$FB/cov/$t" $dirs >/dev/null
        "$profdata" merge -sparse "$FB/cov/$t.profraw" -o "$FB/cov/$t.profdata"
        # the files of lib/ this target links, with their line coverage
        echo "$t over $dirs:"
        "$cov" report "$FB/cov/$t" -instr-profile="$FB/cov/$t.profdata" lib/*.c | awk 'NR > 2 && NF > 1 && $1 != "TOTAL" { printf "  %-18s lines %s\n", $1, $(NF-3) } $1 == "TOTAL" { printf "  %-18s lines %s of %s\n", "total", $(NF-3), $(NF-5) }'
        if [ -z "$objects" ]; then objects="$FB/cov/$t"; else objects="$objects -object $FB/cov/$t"; fi
        profiles="$profiles $FB/cov/$t.profraw"
    done
    # shellcheck disable=SC2086
    "$profdata" merge -sparse $profiles -o "$FB/cov/all.profdata"
    echo "lib/ by all of them:"
    # shellcheck disable=SC2086
    "$cov" report $objects -instr-profile="$FB/cov/all.profdata" lib/*.c
    # shellcheck disable=SC2086
    "$cov" show $objects -instr-profile="$FB/cov/all.profdata" -format=html -output-dir="$FB/cov/html" lib/*.c
    echo "fuzz: line by line in $FB/cov/html/index.html"
}

mkdir -p "$FB/logs"
status=0
case $mode in
run)
    seeds
    for t in "$@"; do run_target "$t" "$FB/corpus/$t" || status=1; done
    ;;
smoke)
    seeds
    for t in "$@"; do
        rm -rf "$FB/smoke/$t"
        run_target "$t" "$FB/smoke/$t" || status=1
    done
    ;;
merge)
    seeds
    for t in "$@"; do merge_target "$t" || status=1; done
    ;;
coverage)
    coverage "$@"
    ;;
*)
    echo "usage: fuzz.sh run|smoke|merge|coverage SECONDS TARGET..." >&2
    exit 2
    ;;
esac
exit $status
