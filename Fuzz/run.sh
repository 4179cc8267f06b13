#!/usr/bin/env bash
# run.sh: builds the libFuzzer harnesses (-sanitize=fuzzer,address) and runs each one for a while.
#
# Usage: Fuzz/run.sh [seconds per harness, default 60] [harness ...]
#   harnesses: FuzzFramer FuzzDecoderSIM800 FuzzDecoderSIM7672X FuzzDecoderFibocomL610 FuzzDecoderSIM7000
#              FuzzDecoderQuectelQMT FuzzSpec (default: all)
#
# Each harness starts from its seeds (Fuzz/Seeds/<corpus>, and for FuzzSpec the seed specs and the
# lint fixtures) plus the regression corpus Tests/FuzzCorpus/<corpus>. An input that crashes, hangs
# (over 10 s) or runs out of memory (over 2 GB) is saved into Tests/FuzzCorpus/<corpus>/, which the
# normal test suite replays, and the script exits 1. The corpus grown during the run is thrown away.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
if [ $# -gt 0 ]; then shift; fi
all=(FuzzFramer FuzzDecoderSIM800 FuzzDecoderSIM7672X FuzzDecoderFibocomL610 FuzzDecoderSIM7000 FuzzDecoderQuectelQMT FuzzSpec)
if [ $# -gt 0 ]; then harnesses=("$@"); else harnesses=("${all[@]}"); fi

# `--sanitize fuzzer` makes SwiftPM link libFuzzer's main. The compiler flag comes once with both
# sanitizers: `--sanitize fuzzer --sanitize address` would pass two -sanitize flags, and swiftc keeps
# only the last, leaving the code without coverage instrumentation. Build-manifest caching is off:
# it would miss source files added to the root package since the last run.
flags=(-c release --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address --disable-build-manifest-caching)
echo "== building the fuzz harnesses (swift build ${flags[*]})"
start=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
swift build "${flags[@]}" >"$work/build.log" 2>&1 || status=$?
# The linker's notes about ASan's local symbols are noise; everything else is shown.
grep -v "warning: Cannot export local symbol" "$work/build.log" || true
if [ "$status" -ne 0 ]; then
    echo "error: the fuzz harnesses did not build" >&2
    exit 2
fi
bin="$(swift build "${flags[@]}" --show-bin-path)"
echo "== built in $(($(date +%s) - start)) s"

# Swift's crash backtracer reads memory ASan guards, and LeakSanitizer reports Swift's lazily
# initialised globals as leaks at exit: both are turned off; ASan's own checks stay on.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
failed=()
for harness in "${harnesses[@]}"; do
    case "$harness" in
        FuzzFramer) corpus=framer; max_len=4096; seeds=(Seeds/framer) ;;
        FuzzDecoderSIM800) corpus=decoder-SIM800; max_len=4096; seeds=(Seeds/decoder-SIM800) ;;
        FuzzDecoderSIM7672X) corpus=decoder-SIM7672X; max_len=4096; seeds=(Seeds/decoder-SIM7672X) ;;
        FuzzDecoderFibocomL610) corpus=decoder-FibocomL610; max_len=4096; seeds=(Seeds/decoder-FibocomL610) ;;
        FuzzDecoderSIM7000) corpus=decoder-SIM7000; max_len=4096; seeds=(Seeds/decoder-SIM7000) ;;
        FuzzDecoderQuectelQMT) corpus=decoder-QuectelQMT; max_len=4096; seeds=(Seeds/decoder-QuectelQMT) ;;
        FuzzSpec) corpus=spec; max_len=131072; seeds=(../Specs ../Tests/ATSpecTests/Fixtures/lint) ;;
        *) echo "error: unknown harness $harness (known: ${all[*]})" >&2; exit 2 ;;
    esac
    regression="../Tests/FuzzCorpus/$corpus"
    mkdir -p "$work/$corpus" "$regression"
    echo "== $harness: ${seconds} s, inputs up to $max_len bytes"
    log="$work/$harness.log"
    status=0
    "$bin/$harness" "$work/$corpus" "${seeds[@]}" "$regression" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$regression/" >"$log" 2>&1 || status=$?
    grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb" "$log" || true
    if [ "$status" -eq 0 ] && ! grep -q "INITED cov:" "$log"; then
        echo "!! $harness ran without coverage instrumentation"
        failed+=("$harness")
    fi
    if [ "$status" -ne 0 ]; then
        echo "!! $harness failed (exit $status); the input is in Tests/FuzzCorpus/$corpus/:"
        grep -E -A30 "==ERROR|Fatal error|deadly signal|ALARM|out-of-memory" "$log" | head -60 || tail -40 "$log"
        failed+=("$harness")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found failures in: ${failed[*]}"
    exit 1
fi
echo "fuzzing: ${#harnesses[@]} harnesses ran ${seconds} s each, no failure"
