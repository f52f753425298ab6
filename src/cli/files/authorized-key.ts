/**
 * Putting the run's public key on the host and taking it off again, with SSM
 * Run Command (AWS-RunShellScript, as root) editing ec2-user's
 * authorized_keys. The line carries OpenSSH's `expiry-time` option, so sshd
 * refuses the key after its time even if gm never comes back to remove it;
 * each run also drops the expired gm keys earlier runs left.
 *
 * Why not EC2 Instance Connect: the ECS-optimized Amazon Linux 2023 AMI is
 * built from the minimal AMI, which does not ship ec2-instance-connect.
 */
import { GetCommandInvocationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { ssm } from '../../lambdas/shared/clients';
import type { Clock } from '../../lambdas/shared/poll';
import { errorName } from '../../lambdas/shared/transient';
import type { CliIo } from '../io';
import { waitWithProgress } from '../progress';
import { KEY_COMMENT_PREFIX } from './key-pair';

/** Files on the world folders belong to uid 1000, which is ec2-user on Amazon Linux. */
export const HOST_USER = 'ec2-user';

const FINISHED = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled', 'Cancelling']);
const POLL_INTERVAL_MS = 1_000;
const COMMAND_TIMEOUT_MS = 90_000;

/** A key line gm writes: type, base64 blob, gm comment; nothing a shell could read as code. */
const SAFE_KEY = /^ssh-ed25519 [A-Za-z0-9+/=]+ [A-Za-z0-9._-]+$/;

export interface KeyChange {
  /** The key's comment (KEY_COMMENT_PREFIX…): its line is replaced or removed. */
  readonly comment: string;
  /** The public key line to add, valid for `minutes`; absent to remove the key. */
  readonly add?: { readonly publicKey: string; readonly minutes: number };
}

/** The shell script that applies `change` to ec2-user's authorized_keys. */
export function authorizedKeysScript(change: KeyChange): string[] {
  if (!/^[A-Za-z0-9._-]+$/.test(change.comment) || !change.comment.startsWith(KEY_COMMENT_PREFIX)) throw new Error(`not a gm key comment: ${change.comment}`);
  if (change.add && !SAFE_KEY.test(change.add.publicKey)) throw new Error('the public key is not an ed25519 key line');
  const lines = [
    'set -eu',
    `user=${HOST_USER}`,
    'home=$(getent passwd "$user" | cut -d: -f6)',
    'install -d -m 700 -o "$user" -g "$user" "$home/.ssh"',
    'keys="$home/.ssh/authorized_keys"',
    'touch "$keys"',
    // sshd reads expiry-time in the host's time zone: compute both times there.
    'now=$(date +%Y%m%d%H%M)',
    'tmp=$(mktemp "$keys.gm.XXXXXX")',
    // Keep every key that is not gm's, and gm's other keys until they expire.
    `awk -v now="$now" -v own='${change.comment}' '$NF !~ /^${KEY_COMMENT_PREFIX}/ { print; next } $NF == own { next } match($0, /expiry-time="[0-9]+"/) { if (substr($0, RSTART + 13, 12) > now) print }' "$keys" > "$tmp"`,
  ];
  if (change.add) {
    lines.push(
      `expiry=$(date -d '+${Math.round(change.add.minutes)} minutes' +%Y%m%d%H%M)`,
      `printf 'expiry-time="%s" %s\\n' "$expiry" '${change.add.publicKey}' >> "$tmp"`,
    );
  }
  lines.push('chown "$user:$user" "$tmp"', 'chmod 600 "$tmp"', 'mv "$tmp" "$keys"');
  return lines;
}

export type KeyPushOutcome =
  | { readonly outcome: 'done' }
  | { readonly outcome: 'interrupted' }
  | { readonly outcome: 'failed'; readonly reason: string };

interface Invocation {
  readonly status: string;
  readonly detail?: string;
}

async function readInvocation(commandId: string, instanceId: string, region: string): Promise<Invocation> {
  try {
    const out = await ssm(region).send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
    return { status: String(out.Status ?? 'Pending'), detail: out.StandardErrorContent?.trim() || out.StatusDetails };
  } catch (e) {
    // Right after SendCommand the invocation may not be known yet.
    if (errorName(e) === 'InvocationDoesNotExist') return { status: 'Pending', detail: 'sent' };
    throw e;
  }
}

/** Runs the change on the host and waits for it (with progress); AWS errors other than these answers propagate. */
export async function changeAuthorizedKey(options: {
  readonly io: CliIo;
  readonly clock?: Clock;
  readonly instanceId: string;
  readonly region: string;
  readonly change: KeyChange;
  /** Whether to wait for the host to have run it (a removal at the end need not). */
  readonly wait: boolean;
}): Promise<KeyPushOutcome> {
  const { instanceId, region, change } = options;
  let commandId: string | undefined;
  try {
    const sent = await ssm(region).send(new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [instanceId],
      Parameters: { commands: authorizedKeysScript(change) },
      TimeoutSeconds: 60,
      Comment: change.add ? 'gm files: temporary SFTP key' : 'gm files: remove temporary SFTP key',
    }));
    commandId = sent.Command?.CommandId;
  } catch (e) {
    // The host is in service but has not registered with Systems Manager yet (or lost its connection).
    if (errorName(e) === 'InvalidInstanceId') {
      return { outcome: 'failed', reason: `the host ${instanceId} is not connected to Systems Manager yet: try again in a minute` };
    }
    throw e;
  }
  if (!commandId) return { outcome: 'failed', reason: `SSM SendCommand on ${instanceId} returned no command id` };
  if (!options.wait) return { outcome: 'done' };

  const waited = await waitWithProgress({
    io: options.io,
    ...(options.clock ? { clock: options.clock } : {}),
    label: `putting a temporary key on ${instanceId}`,
    intervalMs: POLL_INTERVAL_MS,
    timeoutMs: COMMAND_TIMEOUT_MS,
    read: () => readInvocation(commandId, instanceId, region),
    describe: (invocation) => invocation.status,
    isDone: (invocation) => FINISHED.has(invocation.status),
  });
  if (waited.outcome === 'interrupted') return { outcome: 'interrupted' };
  if (waited.outcome !== 'done') return { outcome: 'failed', reason: `the host ${instanceId} did not run the key command within ${COMMAND_TIMEOUT_MS / 1000} s` };
  if (waited.value.status !== 'Success') {
    return { outcome: 'failed', reason: `putting the key on ${instanceId} ended ${waited.value.status}${waited.value.detail ? `: ${waited.value.detail.slice(0, 300)}` : ''}` };
  }
  return { outcome: 'done' };
}
