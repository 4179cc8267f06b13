#!/usr/bin/env bash
# callgrind.sh: instructions per typed URC of each parser on the benchmark's four streams, counted by
# valgrind's callgrind (independent of the machine's load).
#
# Usage: Benchmarks/callgrind.sh [URCs per stream, default 10000]
#
# For each stream, `at-bench profile --stream=S --parser=P` builds the stream and decodes it once;
# the same run with --parser=none only builds it. Instructions per URC = (Ir(P) - Ir(none)) / URCs.
set -euo pipefail
cd "$(dirname "$0")"
count=${1:-10000}
command -v valgrind > /dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
swift build -c release --product at-bench > /dev/null
bin=$(swift build -c release --show-bin-path)
# Valgrind 3.19 cannot read the DWARF 5 debug information the Swift toolchain writes: a copy without it
# (symbols kept), next to the executable so that it finds the malloc interposer's library.
strip --strip-debug -o "$bin/at-bench-nodebug" "$bin/at-bench"
bench="$bin/at-bench-nodebug"
quick=""
if [ "$count" -eq 10000 ]; then quick="--quick"; elif [ "$count" -ne 100000 ]; then echo "URCs per stream: 10000 or 100000" >&2; exit 2; fi
instructions() {  # stream parser → Ir
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" profile $quick --stream="$1" --parser="$2" 2>&1 >/dev/null \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
parsers="generated c swift interpreted naive"
printf '| stream | %s |\n' "$(echo $parsers | sed 's/ / | /g')"
printf '|---|%s\n' "$(for _ in $parsers; do printf -- '---:|'; done)"
for stream in CMQTTRX SMPUBLISH MQTTMSG CONNLOST; do
    none=$(instructions "$stream" none)
    row="| $stream |"
    for parser in $parsers; do
        ir=$(instructions "$stream" "$parser")
        row="$row $(awk -v a="$ir" -v b="$none" -v n="$count" 'BEGIN { printf "%.0f", (a - b) / n }') |"
    done
    echo "$row"
done
echo
echo "instructions per typed URC, callgrind, $count URCs per stream, $(date -u +%Y-%m-%d)"
