#!/usr/bin/env bash
# Runs `gm cost --json` on the pull request's head (here) and on its base
# commit (a second checkout with its own node_modules), so the comment can show
# what the change does to the monthly cost. A base without `gm cost` or
# without an install just has no numbers. Always exits 0.
#
# Usage: cost.sh <output folder> <base checkout>
set -uo pipefail
out=${1:?usage: cost.sh <output folder> <base checkout>}
base=${2:?usage: cost.sh <output folder> <base checkout>}
mkdir -p "$out"
out=$(cd "$out" && pwd)

cost_of() { # <checkout> <head|base>
  (cd "$1" && npm run --silent gm -- cost --json) >"$out/cost-$2.json" 2>"$out/cost-$2.err"
  echo "$?" >"$out/cost-$2.exit"
  echo "gm cost on $2 exited $(cat "$out/cost-$2.exit")"
}

cost_of . head
if [ -d "$base/node_modules" ]; then
  cost_of "$base" base
else
  echo "no installed base checkout at $base: no cost to compare with"
fi
