/**
 * `gm shell <game>`: a shell on the game's host through SSM Session Manager
 * (no SSH port, no key): the host's role allows Session Manager, the user's
 * credentials allow ssm:StartSession, the local plugin carries the terminal.
 */
import { hostWorldPath } from '../../runtime/world-paths';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../command';
import { AWS_OPTIONS, AWS_OPTIONS_USAGE, findGame, loadDeployment } from '../aws/deployment';
import { findGameHost, hostUnavailableReason } from '../aws/host';
import type { CliIo } from '../io';
import { parseOptions } from '../parse-options';
import { currentMachine, pluginMissingLines, type MachineInfo } from '../session-manager/install-help';
import { findPlugin } from '../session-manager/plugin';
import { startPluginSession } from '../session-manager/session';

export interface ShellDependencies {
  /** Environment of the run: PATH to find the plugin, GM_CONFIG, credentials. */
  readonly env: NodeJS.ProcessEnv;
  /** This machine, for the plugin's install step. */
  readonly machine: () => MachineInfo;
}

const defaults = (): ShellDependencies => ({ env: process.env, machine: currentMachine });

const USAGE = `usage: gm shell <game> [--profile <name>] [--region <name>]
Opens a shell on the game's host with AWS Systems Manager Session Manager:
no SSH port, no key. Type \`exit\` to leave. Needs the Session Manager plugin
(session-manager-plugin) on PATH; without it, prints how to install it.
${AWS_OPTIONS_USAGE}`;

/** The world folders on the host, one line each, for the greeting. */
function worldLines(volumes: readonly { readonly path: string }[]): string[] {
  if (volumes.length === 0) return ['The game keeps no world on the host (no volumes in its config).'];
  return volumes.map((v) => `World (container ${v.path}): ${hostWorldPath(v.path)}`);
}

export async function runShell(args: readonly string[], io: CliIo, deps: ShellDependencies = defaults()): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...AWS_OPTIONS });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const target = findGame(loadDeployment(values, deps.env), positionals[0]);

  const host = await findGameHost(target);
  const unavailable = hostUnavailableReason(target, host);
  if (unavailable !== undefined || host.state !== 'running') {
    io.err(`gm shell: ${unavailable}`);
    return EXIT_FAILED;
  }

  const plugin = findPlugin(deps.env);
  if (!plugin) {
    for (const line of pluginMissingLines(deps.machine(), { instanceId: host.instanceId, region: target.region, profile: deps.env.AWS_PROFILE })) io.err(line);
    return EXIT_FAILED;
  }

  io.out(`Opening a shell on ${target.game.id}'s host ${host.instanceId} (${target.region}). Type \`exit\` to leave.`);
  for (const line of worldLines(target.game.volumes)) io.out(line);

  // Ctrl-C, Ctrl-\ and Ctrl-Z belong to the remote shell: the plugin forwards
  // them. The terminal signals gm too; gm must neither die of them (leaving the
  // plugin without its parent) nor stop, as the AWS CLI ignores them meanwhile.
  const ignore = () => undefined;
  const keys: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT'] : ['SIGINT', 'SIGQUIT', 'SIGTSTP'];
  for (const signal of keys) process.on(signal, ignore);
  try {
    const session = await startPluginSession({ plugin, region: target.region, request: { Target: host.instanceId }, env: deps.env, stdio: 'inherit' });
    const code = await session.exited;
    await session.close();
    if (code !== 0) {
      io.err(`gm shell: the Session Manager plugin ended with ${code === null ? 'a signal' : `status ${code}`}`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } finally {
    for (const signal of keys) process.off(signal, ignore);
  }
}

export const shellCommand: Command = {
  name: 'shell',
  summary: "open a shell on a game's host with SSM Session Manager (no SSH port)",
  usage: USAGE,
  run: (args, io) => runShell(args, io),
};
