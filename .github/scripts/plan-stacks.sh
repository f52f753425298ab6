#!/usr/bin/env bash
# Plans the deployed stacks read-only, for review: `terraform init` against the
# S3 backend of the configuration, `plan -lock=false` (the plan role may not
# write the lock file), then the plan as JSON (for `gm audit` and the counts)
# and as text (the diff in the comment). A failing stack does not stop the
# others: its status file says "failed" and its log keeps Terraform's words;
# the workflow fails the job after the comment is posted.
#
# Usage: plan-stacks.sh <out dir> <stack>...   (run where cdktf.out/ is)
set -uo pipefail
out=${1:?usage: plan-stacks.sh <out dir> <stack>...}
shift
[ "$#" -gt 0 ] || { echo "plan-stacks.sh: name at least one stack" >&2; exit 2; }
mkdir -p "$out"

plan_stack() {
  local stack=$1 dir=cdktf.out/stacks/$1
  [ -f "$dir/cdk.tf.json" ] || { echo "no $dir/cdk.tf.json: run npm run synth first"; return 1; }
  terraform -chdir="$dir" init -input=false -no-color &&
    terraform -chdir="$dir" plan -lock=false -input=false -no-color -out=plan.out &&
    terraform -chdir="$dir" show -json plan.out >"$out/$stack.plan.json" &&
    terraform -chdir="$dir" show -no-color plan.out >"$out/$stack.plan.txt"
}

for stack in "$@"; do
  echo "::group::terraform plan $stack"
  if plan_stack "$stack" 2>&1 | tee "$out/$stack.log"; then
    echo ok >"$out/$stack.status"
  else
    echo failed >"$out/$stack.status"
    echo "::error title=terraform plan $stack failed::see the log of this step"
  fi
  echo "::endgroup::"
done
