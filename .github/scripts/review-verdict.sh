#!/usr/bin/env bash
# The plan job's verdict, run after the comment is posted so that reviewers
# see why it failed: a stack whose plan failed, or `gm audit` reporting a high
# finding (exit 1) or not running at all, fails the job.
#
# Usage: review-verdict.sh <folder the plan job wrote> <stack>...
set -uo pipefail
dir=${1:?usage: review-verdict.sh <folder> <stack>...}
shift
failed=0
for stack in "$@"; do
  if [ "$(cat "$dir/$stack.status" 2>/dev/null)" = failed ]; then
    echo "::error title=plan failed::terraform plan of $stack failed"
    failed=1
  fi
done
audit=$(cat "$dir/audit.exit" 2>/dev/null || echo missing)
case $audit in
  0) ;;
  1) echo "::error title=gm audit::high findings; see the pull request comment"; failed=1 ;;
  *) echo "::error title=gm audit::gm audit did not finish (exit $audit)"; failed=1 ;;
esac
exit "$failed"
