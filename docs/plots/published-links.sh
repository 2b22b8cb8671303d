#!/bin/sh
# Redraws docs/plots/published-*.svg: each published link of docs/labs/published swept over its fiber length with
# `ionlink sweep`, its herald rate against the repeaterless (PLOB) bound of its fiber (the sweep's fourth plot).
# Run from the repository root after `swift build`: sh docs/plots/published-links.sh
set -eu
ionlink=${IONLINK:-.build/debug/ionlink}
out=$(mktemp -d)
sweep() {   # name, lengths
    "$ionlink" sweep --config "docs/labs/published/$1.yaml" --set "nodes.A.fiber_length_m=$2" --heralds 400 --seed 1 \
        --out "$out/$1" > "$out/$1.txt"
    python3 - "$out/$1/sweep.html" "docs/plots/published-$1.svg" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
svg = re.findall(r'<svg.*?</svg>', page, re.S)[3]
style = ''.join(re.findall(r'<style>.*?</style>', page, re.S))   # the page's plot styles, so the file draws alone
svg = re.sub(r'(<svg[^>]*>)', lambda m: m.group(1) + style, svg, count=1)
open(sys.argv[2], 'w').write('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + '\n')
PY
    cat "$out/$1.txt"
}
sweep innsbruck-50km 1000:151000:7
sweep innsbruck-101km 1000:201000:9
sweep tsinghua-12km 1000:61000:7
rm -rf "$out"
