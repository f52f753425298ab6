#!/usr/bin/env bash
# Fills a Terraform provider mirror folder with hashicorp/aws at the version
# the stacks pin, in the unpacked layout (registry.terraform.io/hashicorp/aws/
# <version>/<os_arch>/) that the offline tests look for through
# TF_PLUGIN_MIRROR. `terraform providers mirror` would write zips instead, so
# the provider is installed through Terraform's plugin cache, which unpacks.
#
# Usage: provider-mirror.sh <mirror dir> [aws provider version]
set -euo pipefail
mirror=${1:?usage: provider-mirror.sh <mirror dir> [aws provider version]}
version=${2:-5.100.0}
mkdir -p "$mirror"
mirror=$(cd "$mirror" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/main.tf.json" <<JSON
{"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "$version"}}}}
JSON
TF_PLUGIN_CACHE_DIR=$mirror terraform -chdir="$work" init -backend=false -input=false -no-color >/dev/null
test -d "$mirror/registry.terraform.io/hashicorp/aws/$version" || {
  echo "provider-mirror.sh: hashicorp/aws $version did not land in $mirror" >&2
  exit 1
}
echo "$mirror"
