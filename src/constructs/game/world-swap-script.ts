/**
 * The two programs the game host's user data installs to put a restored (or
 * uploaded) world in place before the ECS agent starts (so before the game mounts it):
 *
 * - `gm-world-swap <world mount> <parameter>`: reads the swap request that
 *   `gm restore` or `gm files --upload` wrote to the game's world-swap parameter, moves the current
 *   `volumes` aside and the chosen folder's `volumes` in its place, then
 *   deletes the parameter. Every step can run again: a boot interrupted
 *   between the two moves finishes the swap at the next boot.
 * - `gm-ssm-parameter get|delete <name>`: the swap's only AWS access. The
 *   ECS-optimised Amazon Linux 2023 AMI is built from the minimal AL2023 image
 *   and ships no AWS CLI (amazon-ecs-ami installs amazon-efs-utils,
 *   amazon-ssm-agent, acpid… but not awscli-2), and installing it at each
 *   boot would hold every start back on a package mirror. Python 3 is always
 *   there (cloud-init, which runs the user data, is written in it), so this
 *   signs the two SSM calls itself (Signature Version 4, standard library
 *   only) with the instance role's credentials from IMDSv2.
 *
 * Kept out of the user data's text so each is read, shell-checked and tested
 * as the program it is. Neither contains `${`, so Terraform's template syntax
 * never touches them (and a TypeScript template literal can hold them as is).
 *
 * The swap request (lines `key=value`, written by src/cli/restore/swap-request.ts):
 *   keep=<folder>                  where the current `volumes` goes, e.g. before-restore-2026-11-30T10-21-05Z
 *   restored-between=<from> <to>   UTC times (YYYYMMDDHHMMSS) of the restore job: take the newest
 *                                  aws-backup-restore_<time> folder AWS Backup made between them
 *   source=<folder>                or take this folder of the world's root (`gm files --upload`
 *                                  stages into upload-<time>)
 *   source=newest-before-restore   or the newest folder a restore or an upload set the world aside in
 *                                  (before-restore-* or before-upload-*) that still has volumes (undo)
 *   job=<id>                       the restore job, for the log
 */

/** Where user data installs the programs. */
export const WORLD_SWAP_PROGRAM = '/usr/local/sbin/gm-world-swap';
export const SSM_PARAMETER_PROGRAM = '/usr/local/sbin/gm-ssm-parameter';

/** Seconds the swap may take at boot (it only renames folders, so this is for a slow SSM answer). */
export const WORLD_SWAP_TIMEOUT_SECONDS = 120;

export function worldSwapScript(): string {
  return String.raw`#!/bin/bash
# Puts the world folder a 'gm restore' or 'gm files --upload' chose in place, before the game starts.
# Usage: gm-world-swap <world mount> <swap parameter name>
set -euo pipefail

world=$1
parameter=$2

log() {
  echo "gm-world-swap: $*"
}

# A folder name of the world's root: no path, no dot folders.
valid_folder() {
  [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]
}

# The newest aws-backup-restore_<time> folder made between two UTC times (YYYYMMDDHHMMSS) that holds volumes.
restored_folder() {
  local from=$1 to=$2 found='' path name stamp
  for path in "$world"/aws-backup-restore_*/; do
    [ -d "$path/volumes" ] || continue
    name=$(basename "$path")
    # aws-backup-restore_2026-11-30T10-20-31-587Z → 20261130102031
    stamp=$(printf '%s' "$name" | sed -e 's/^aws-backup-restore_//' | cut -c1-19 | tr -d 'T-')
    [[ $stamp =~ ^[0-9]{14}$ ]] || continue
    if [ "$stamp" -ge "$from" ] && [ "$stamp" -le "$to" ]; then
      found=$name
    fi
  done
  printf '%s' "$found"
}

# The newest folder a restore or an upload set the world aside in that still holds volumes (what an undo
# goes back to). Both end in the same time format (2026-11-30T10-21-05Z), so the times compare as text.
newest_before_restore() {
  local found='' newest='' path name stamp
  for path in "$world"/before-restore-*/ "$world"/before-upload-*/; do
    [ -d "$path/volumes" ] || continue
    name=$(basename "$path")
    stamp=$(printf '%s' "$name" | sed -e 's/^before-restore-//' -e 's/^before-upload-//')
    if [[ -z $newest || $stamp > $newest ]]; then
      newest=$stamp
      found=$name
    fi
  done
  printf '%s' "$found"
}

finish() {
  gm-ssm-parameter delete "$parameter"
}

if ! mountpoint -q "$world"; then
  log "$world is not mounted; a pending swap waits for the next boot"
  exit 1
fi

if ! request=$(gm-ssm-parameter get "$parameter"); then
  log "could not read $parameter; the world stays as it is until the next boot"
  exit 1
fi
if [ -z "$request" ]; then
  exit 0
fi

keep='' source='' between='' job=''
while IFS='=' read -r key value; do
  case $key in
    keep) keep=$value ;;
    source) source=$value ;;
    restored-between) between=$value ;;
    job) job=$value ;;
  esac
done <<< "$request"

if ! valid_folder "$keep"; then
  log "the request in $parameter has no usable keep folder ('$keep'); deleting it, the world stays as it is"
  finish
  exit 0
fi

if [ -f "$world/$keep/.swap-source" ]; then
  # An earlier boot chose the folder and may have moved the current world already.
  source=$(cat "$world/$keep/.swap-source")
elif [ -n "$between" ]; then
  read -r from to <<< "$between"
  source=$(restored_folder "$from" "$to")
elif [ "$source" = newest-before-restore ]; then
  source=$(newest_before_restore)
fi

if ! valid_folder "$source" || { [ ! -d "$world/$source/volumes" ] && [ ! -d "$world/$keep" ]; }; then
  why="('$source' has no volumes folder)"
  [ -n "$job" ] && why="for job '$job' $why"
  log "nothing to put in place $why; the world stays as it is"
  finish
  exit 0
fi

if [ ! -d "$world/$keep" ]; then
  mkdir -p "$world/$keep.partial"
  printf '%s\n' "$source" > "$world/$keep.partial/.swap-source"
  # Owned like the world (uid 1000, ec2-user on the host), so the folder set aside can be deleted over SFTP.
  chown 1000:1000 "$world/$keep.partial" || log "could not hand $keep to uid 1000; delete it as root"
  mv -T "$world/$keep.partial" "$world/$keep"
fi

if [ -d "$world/$source/volumes" ]; then
  if [ -e "$world/volumes" ]; then
    if [ -e "$world/$keep/volumes" ]; then
      log "both $keep/volumes and volumes exist while $source/volumes waits; leaving everything as it is"
      exit 1
    fi
    mv -T "$world/volumes" "$world/$keep/volumes"
  fi
  mv -T "$world/$source/volumes" "$world/volumes"
  # An emptied restore or upload folder is only noise next to the world.
  case $source in
    aws-backup-restore_* | upload-*) rmdir "$world/$source" 2>/dev/null || true ;;
  esac
fi

finish
log "the world from $source is in place; the one before it is in $keep"
`;
}
