/**
 * One Session Manager session run by the plugin: SSM StartSession with the
 * user's credentials, then the plugin as a child process. Closing it ends
 * the plugin and the session on AWS's side, so no session is left open on
 * the host (the AWS CLI ends it the same way when the plugin cannot run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { StartSessionCommand, TerminateSessionCommand, type StartSessionCommandInput } from '@aws-sdk/client-ssm';
import { ssm } from '../../lambdas/shared/clients';
import { pluginLaunch, pluginVersion } from './plugin';

export interface PluginSessionOptions {
  /** The plugin's path (findPlugin). */
  readonly plugin: string;
  readonly region: string;
  readonly request: StartSessionCommandInput;
  /** The environment the plugin runs in (credentials, AWS_PROFILE). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * 'inherit' for an interactive shell (the plugin owns the terminal);
   * 'pipe' for a tunnel, whose chatter is kept for an error message.
   */
  readonly stdio: 'inherit' | 'pipe';
  /** A tunnel's plugin gets a process group of its own, so the terminal's Ctrl-C reaches gm only and gm closes it in order. */
  readonly detached?: boolean;
}

export interface PluginSession {
  readonly sessionId: string;
  readonly child: ChildProcess;
  /** Resolves with the plugin's exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** The plugin's last output lines (stdio 'pipe' only), for a failure message. */
  output(): string;
  /** Ends the plugin and the session; safe to call twice. */
  close(): Promise<void>;
}

export class PluginStartError extends Error {
  override readonly name = 'PluginStartError';
}

export async function startPluginSession(options: PluginSessionOptions): Promise<PluginSession> {
  const client = ssm(options.region);
  const started = await client.send(new StartSessionCommand(options.request));
  const { SessionId, TokenValue, StreamUrl } = started;
  if (!SessionId || !TokenValue || !StreamUrl) throw new PluginStartError(`SSM StartSession on ${options.request.Target} returned no session`);
  const terminate = async () => {
    try {
      await client.send(new TerminateSessionCommand({ SessionId }));
    } catch {
      // The plugin usually ends the session itself; AWS also ends idle ones (20 minutes by default).
    }
  };

  const version = await pluginVersion(options.plugin, options.env);
  const launch = pluginLaunch({
    session: { SessionId, TokenValue, StreamUrl },
    request: { ...options.request },
    region: options.region,
    profile: options.env.AWS_PROFILE,
    version,
    env: options.env,
  });
  const child = spawn(options.plugin, launch.args, { env: launch.env, stdio: options.stdio, detached: options.detached ?? false });
  let chatter = '';
  const keep = (chunk: Buffer) => {
    chatter = (chatter + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      chatter += `\n${e.message}`;
      resolve(127);
    });
    child.on('exit', (code) => resolve(code));
  });

  let closing: Promise<void> | undefined;
  return {
    sessionId: SessionId,
    child,
    exited,
    output: () => chatter.trim().split('\n').slice(-5).join('\n'),
    close: () => {
      closing ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          // A plugin that ignores SIGTERM is not allowed to keep gm waiting.
          const forced = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(forced);
        }
        await terminate();
      })();
      return closing;
    },
  };
}
