#!/usr/bin/env bash
# measure-plugin-build.sh: build time of consumers of the at-bindgen build plugin, against a minimal
# consumer of swift-openapi-generator's plugin built the same way on the same machine.
#
# Usage: scripts/measure-plugin-build.sh [--runs N] [--keep]
#
# Three consumers are written to a temporary folder (nothing is committed):
#   example    Examples/BasicModem (its Basic3GPP spec through ATBindgenPlugin, plus the engine
#              and swift-log), its path dependency pointed at a copy of this checkout
#   minimal    one executable target: the same spec through ATBindgenPlugin, depending on ATRuntime
#   openapi    one executable target: a one-operation openapi.yaml through OpenAPIGenerator
#              1.14.3, depending on OpenAPIRuntime 1.13.4 (types and client)
# Each is resolved first (`swift package resolve`: cloning and checkout are NOT timed), then timed:
#   cold       `swift build` (debug) with an empty build folder apart from the resolved checkouts:
#              compiling the plugin, its tool and all its dependencies, running it, compiling the target
#   rebuild 1  `swift build` right after: SwiftPM relinks plugin tools once after a cold build and
#              reruns them (for at-bindgen the output is unchanged and not rewritten)
#   no-op      `swift build` again, nothing changed (median of 3)
# With --runs N (default 1) every consumer is measured N times, interleaved, each time in a new
# build folder, and the medians are printed. The machine's other load is not controlled: the load
# average before each cold build is printed; compare on a quiet machine, and read the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false
runs=1
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) keep=true ;;
        --runs) runs=$2; shift ;;
        *) echo "usage: $0 [--runs N] [--keep]" >&2; exit 2 ;;
    esac
    shift
done

work=$(mktemp -d /tmp/at-bindgen-plugin-measure.XXXXXX)
# SwiftPM leaves lock files named after the build folders in /tmp; they go too.
if ! $keep; then trap 'rm -rf "$work" /tmp/_tmp_"$(basename "$work")"*' EXIT; fi

# The consumers depend on a copy of this checkout (its tracked and untracked, not ignored files),
# so edits made while the script runs do not reach the measurement.
mkdir -p "$work/at-bindgen"
git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xf - -C "$work/at-bindgen"
repo="$work/at-bindgen"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# --- the example consumer, copied so its build folder starts empty
mkdir -p "$work/example"
cp -R "$repo/Examples/BasicModem/Package.swift" "$repo/Examples/BasicModem/Sources" "$repo/Examples/BasicModem/Tests" "$work/example/"
sed -i.bak "s|path: \"../..\"|path: \"$repo\"|" "$work/example/Package.swift" && rm "$work/example/Package.swift.bak"

# --- the minimal at-bindgen consumer
mkdir -p "$work/minimal/Sources/Demo"
cat > "$work/minimal/Package.swift" <<SWIFT
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Demo",
    dependencies: [.package(name: "at-bindgen", path: "$repo")],
    targets: [
        .executableTarget(
            name: "Demo",
            dependencies: [.product(name: "ATRuntime", package: "at-bindgen")],
            plugins: [.plugin(name: "ATBindgenPlugin", package: "at-bindgen")]
        )
    ]
)
SWIFT
cp "$repo/Examples/BasicModem/Sources/Basic3GPP/Basic3GPP.atspec.yaml" "$work/minimal/Sources/Demo/"
cat > "$work/minimal/Sources/Demo/main.swift" <<'SWIFT'
import ATRuntime

print(String(decoding: Basic3GPP.SignalQuality.Execute().encode(), as: UTF8.self))
SWIFT

# --- the minimal swift-openapi-generator consumer
mkdir -p "$work/openapi/Sources/Demo"
cat > "$work/openapi/Package.swift" <<'SWIFT'
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Demo",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", exact: "1.13.4"),
    ],
    targets: [
        .executableTarget(
            name: "Demo",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        )
    ]
)
SWIFT
cat > "$work/openapi/Sources/Demo/openapi.yaml" <<'YAML'
openapi: "3.1.0"
info:
  title: Signal
  version: 1.0.0
paths:
  /signal:
    get:
      operationId: getSignal
      responses:
        "200":
          description: The signal quality.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Signal"
components:
  schemas:
    Signal:
      type: object
      properties:
        rssi:
          type: integer
        ber:
          type: integer
      required: [rssi, ber]
YAML
cat > "$work/openapi/Sources/Demo/openapi-generator-config.yaml" <<'YAML'
generate:
  - types
  - client
YAML
cat > "$work/openapi/Sources/Demo/main.swift" <<'SWIFT'
let signal = Components.Schemas.Signal(rssi: 21, ber: 99)
print(signal.rssi, signal.ber)
SWIFT

build() {  # consumer scratch-folder → seconds
    local start end
    start=$(now)
    if ! swift build --package-path "$work/$1" --scratch-path "$2" > "$work/$1.log" 2>&1; then
        echo "swift build of the $1 consumer failed; see $work/$1.log" >&2
        cat "$work/$1.log" >&2
        exit 1
    fi
    end=$(now)
    elapsed "$start" "$end"
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
loadavg() { if [ -r /proc/loadavg ]; then cut -d' ' -f1 /proc/loadavg; else echo "?"; fi; }

declare -A cold first noop load
for run in $(seq 1 "$runs"); do
    for consumer in example minimal openapi; do
        scratch="$work/$consumer.build.$run"
        echo "== $consumer, run $run: resolving (not timed)" >&2
        swift package --package-path "$work/$consumer" --scratch-path "$scratch" resolve > "$work/$consumer.resolve.log" 2>&1
        load[$consumer]="${load[$consumer]:-}${load[$consumer]:+ }$(loadavg)"
        c=$(build "$consumer" "$scratch")
        f=$(build "$consumer" "$scratch")
        n=$(median "$(build "$consumer" "$scratch")" "$(build "$consumer" "$scratch")" "$(build "$consumer" "$scratch")")
        cold[$consumer]="${cold[$consumer]:-} $c"
        first[$consumer]="${first[$consumer]:-} $f"
        noop[$consumer]="${noop[$consumer]:-} $n"
        echo "   cold $c s, rebuild 1 $f s, no-op $n s" >&2
        $keep || rm -rf "$scratch"
    done
done
for consumer in example minimal openapi; do
    # shellcheck disable=SC2086
    cold[$consumer]=$(median ${cold[$consumer]})
    # shellcheck disable=SC2086
    first[$consumer]=$(median ${first[$consumer]})
    # shellcheck disable=SC2086
    noop[$consumer]=$(median ${noop[$consumer]})
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "$(swift --version 2>&1 | head -1); $(nproc) cores; $(date -u +%Y-%m-%d); medians of $runs run(s)"
echo
printf '| consumer | cold build (s) | rebuild 1 (s) | no-op rebuild (s) | cold vs openapi | load average before cold |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
for consumer in example minimal openapi; do
    printf '| %s | %s | %s | %s | %s | %s |\n' "$consumer" "${cold[$consumer]}" "${first[$consumer]}" "${noop[$consumer]}" \
        "$(ratio "${cold[$consumer]}" "${cold[openapi]}")" "${load[$consumer]}"
done
echo
echo "no-op ratio (minimal / openapi): $(ratio "${noop[minimal]}" "${noop[openapi]}")"
