#!/usr/bin/env bash
# Builds IonLink's libFuzzer targets (this package, with -sanitize=fuzzer and lld) and runs each for
# SECONDS (default 20) from its seed corpus in corpus/<target>. A crash stops the script with a
# non-zero status and leaves the input in .build/crashes/; add it to corpus/<target> and a
# regression test, then fix the parser (or the service: FuzzNodeRequests sends every gRPC method
# arbitrary request bytes). The CLI's flag values are fuzzed by fuzz_flags.py, run from .ci/run.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
swift build -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld
mkdir -p .build/crashes
for target in FuzzTTTR FuzzLabConfig FuzzUSBTMCHeader FuzzDriverReplies FuzzNodeRequests FuzzPcRpc; do
    mkdir -p ".build/corpus/$target"
    echo "== $target: ${seconds} s"
    # Swift's own crash backtracer would take the signal from libFuzzer, which then saves no input.
    # -timeout: an input that takes longer than 30 s is a hang, and fails like a crash.
    if ! SWIFT_BACKTRACE=enable=no ".build/debug/$target" -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
        -artifact_prefix=".build/crashes/$target-" ".build/corpus/$target" "corpus/$target" > ".build/$target.log" 2>&1; then
        tail -n 60 ".build/$target.log"
        echo "$target: crash or failure; the input is in .build/crashes/"
        exit 1
    fi
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus)" ".build/$target.log" || true
done
