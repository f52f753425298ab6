/**
 * The `connections` probe: SSM Run Command runs count-connections.sh on the
 * host, which prints the number of players connected to the game's ports.
 * Works for any game, at the price of a few seconds per run.
 */
import { GetCommandInvocationCommand, SendCommandCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { step } from '../../shared/steps';
import { probeFailure, type ProbeResult } from './probe-result';

export interface ConnectionsTarget {
  readonly instanceId: string;
  /** SSM Command document that runs count-connections.sh with its `ports` parameter. */
  readonly documentName: string;
  readonly ports: readonly { readonly port: number; readonly protocol: 'tcp' | 'udp' }[];
}

export interface PollOptions {
  /** How long to wait for the command's result (keep it well under the function's timeout). */
  readonly deadlineMs: number;
  readonly intervalMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly clock: () => number;
}

export const DEFAULT_POLL: PollOptions = {
  deadlineMs: 25_000,
  intervalMs: 1_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  clock: () => Date.now(),
};

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

export async function probeByConnections(ssm: SSMClient, target: ConnectionsTarget, poll: PollOptions = DEFAULT_POLL): Promise<ProbeResult> {
  const started = poll.clock();
  try {
    const sent = await step('ssm-send-command', () => ssm.send(new SendCommandCommand({
      DocumentName: target.documentName,
      InstanceIds: [target.instanceId],
      Parameters: { ports: [portsArgument(target.ports)] },
      Comment: 'GameManagement watchdog: count players',
    })));
    const commandId = sent.Command?.CommandId;
    if (!commandId) return { ok: false, error: `SSM SendCommand on ${target.instanceId} returned no command id` };

    const outcome = await step('ssm-wait-for-command', () => waitForInvocation(ssm, commandId, target.instanceId, started, poll));
    if (outcome.status === 'Failed' && outcome.exitCode === EXIT_NOT_LISTENING) return { ok: false, error: NOT_LISTENING_ERROR };
    if (outcome.status !== 'Success') {
      const detail = outcome.stderr?.trim() || outcome.detail || 'no output';
      return { ok: false, error: `count-connections on ${target.instanceId} ended ${outcome.status}: ${detail.slice(0, 300)}` };
    }
    const text = (outcome.stdout ?? '').trim();
    if (!/^\d+$/.test(text)) {
      return { ok: false, error: `count-connections on ${target.instanceId} printed ${JSON.stringify(text.slice(0, 100))}, expected one integer` };
    }
    return { ok: true, players: Number(text), latencyMs: Math.round(poll.clock() - started) };
  } catch (e) {
    return probeFailure(e);
  }
}

interface InvocationOutcome {
  readonly status: string;
  /** The script's exit status (SSM's ResponseCode; -1 until it has ended). */
  readonly exitCode?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly detail?: string;
}

async function waitForInvocation(ssm: SSMClient, commandId: string, instanceId: string, started: number, poll: PollOptions): Promise<InvocationOutcome> {
  let last: InvocationOutcome = { status: 'Pending', detail: 'no invocation yet' };
  for (;;) {
    try {
      const out = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
      last = {
        status: out.Status ?? 'Pending',
        exitCode: out.ResponseCode,
        stdout: out.StandardOutputContent,
        stderr: out.StandardErrorContent,
        detail: out.StatusDetails,
      };
      if (FINISHED.has(last.status)) return last;
    } catch (e) {
      // Right after SendCommand the invocation may not exist yet: not an error, wait.
      if ((e as Error).name !== 'InvocationDoesNotExist') throw e;
    }
    if (poll.clock() - started + poll.intervalMs > poll.deadlineMs) {
      return { status: 'TimedOut', detail: `still ${last.status} (${last.detail ?? ''}) after ${Math.round((poll.clock() - started) / 1000)} s` };
    }
    await poll.sleep(poll.intervalMs);
  }
}
