/**
 * The `connections` probe: SSM Run Command runs count-connections.sh on the
 * host, which prints the number of players connected to the game's ports.
 * Works for any game, at the price of a few seconds per run.
 */
import { GetCommandInvocationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { ssm } from '../../shared/clients';
import { pollUntil, type Clock } from '../../shared/poll';
import { step } from '../../shared/steps';
import { errorName } from '../../shared/transient';
import { probeFailure, type ProbeResult } from './probe-result';

export interface ConnectionsTarget {
  readonly instanceId: string;
  /** SSM Command document that runs count-connections.sh with its `ports` parameter. */
  readonly documentName: string;
  readonly ports: readonly { readonly port: number; readonly protocol: 'tcp' | 'udp' }[];
}

/** How long to wait for the command's result by default (well under the function's timeout). */
export const COMMAND_DEADLINE_MS = 25_000;
export const COMMAND_POLL_INTERVAL_MS = 1_000;

const FINISHED = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);

/**
 * count-connections.sh exits 3 (SSM: status Failed, ResponseCode 3) while
 * nothing listens on the game's ports yet: the game is still booting. That is
 * a probe error, never "ready with 0 players".
 */
export const EXIT_NOT_LISTENING = 3;
export const NOT_LISTENING_ERROR = 'game is not listening yet';

/** The script's argument, e.g. "tcp:25565 udp:19132". */
export function portsArgument(ports: ConnectionsTarget['ports']): string {
  return ports.map((p) => `${p.protocol}:${p.port}`).join(' ');
}

interface InvocationOutcome {
  readonly status: string;
  /** The script's exit status (SSM's ResponseCode; -1 until it has ended). */
  readonly exitCode?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly detail?: string;
}

export async function probeByConnections(target: ConnectionsTarget, clock: Clock, deadlineMs = COMMAND_DEADLINE_MS): Promise<ProbeResult> {
  const started = clock.now();
  try {
    const sent = await step('send count command', () => ssm().send(new SendCommandCommand({
      DocumentName: target.documentName,
      InstanceIds: [target.instanceId],
      Parameters: { ports: [portsArgument(target.ports)] },
      Comment: 'GameManagement watchdog: count players',
    })));
    const commandId = sent.Command?.CommandId;
    if (!commandId) return { ok: false, error: `SSM SendCommand on ${target.instanceId} returned no command id` };

    const waited = await step('wait for count command', () => pollUntil(
      () => readInvocation(commandId, target.instanceId),
      (outcome) => FINISHED.has(outcome.status),
      { clock, timeoutMs: Math.max(0, deadlineMs - (clock.now() - started)), intervalMs: COMMAND_POLL_INTERVAL_MS },
    ));
    const outcome: InvocationOutcome = waited.done && waited.last
      ? waited.last
      : { status: 'TimedOut', detail: `still ${waited.last?.status ?? 'Pending'} (${waited.last?.detail ?? 'no invocation yet'}) after ${Math.round((clock.now() - started) / 1000)} s` };
    if (outcome.status === 'Failed' && outcome.exitCode === EXIT_NOT_LISTENING) return { ok: false, error: NOT_LISTENING_ERROR };
    if (outcome.status !== 'Success') {
      const detail = outcome.stderr?.trim() || outcome.detail || 'no output';
      return { ok: false, error: `count-connections on ${target.instanceId} ended ${outcome.status}: ${detail.slice(0, 300)}` };
    }
    const text = (outcome.stdout ?? '').trim();
    if (!/^\d+$/.test(text)) {
      return { ok: false, error: `count-connections on ${target.instanceId} printed ${JSON.stringify(text.slice(0, 100))}, expected one integer` };
    }
    return { ok: true, players: Number(text), latencyMs: Math.round(clock.now() - started) };
  } catch (e) {
    return probeFailure(e);
  }
}

async function readInvocation(commandId: string, instanceId: string): Promise<InvocationOutcome> {
  try {
    const out = await ssm().send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
    return { status: out.Status ?? 'Pending', exitCode: out.ResponseCode, stdout: out.StandardOutputContent, stderr: out.StandardErrorContent, detail: out.StatusDetails };
  } catch (e) {
    // Right after SendCommand the invocation may not exist yet: not an error, wait.
    if (errorName(e) === 'InvocationDoesNotExist') return { status: 'Pending', detail: 'no invocation yet' };
    throw e;
  }
}
