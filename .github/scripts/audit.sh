#!/usr/bin/env bash
# Runs `gm audit --json` on the synthesized stacks and on every plan made,
# keeping its report, its messages and its exit status (1 = a high finding)
# for the comment and the verdict. Always exits 0: the verdict step decides.
#
# Usage: audit.sh <folder the plans are in>
set -uo pipefail
dir=${1:?usage: audit.sh <folder>}
mkdir -p "$dir"
args=()
for plan in "$dir"/*.plan.json; do
  [ -e "$plan" ] && args+=(--plan "$plan")
done
npm run --silent gm -- audit "${args[@]}" --json >"$dir/audit.json" 2>"$dir/audit.err"
echo "$?" >"$dir/audit.exit"
cat "$dir/audit.err" >&2
echo "gm audit exited $(cat "$dir/audit.exit")"
