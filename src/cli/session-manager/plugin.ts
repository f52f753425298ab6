/**
 * The Session Manager plugin (`session-manager-plugin`), the program that
 * carries a session's traffic. gm starts the session itself (SSM
 * StartSession, with the user's credentials) and hands it to the plugin with
 * the arguments the AWS CLI passes (awscli/customizations/sessionmanager.py),
 * so the user needs the plugin but not the AWS CLI.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const PLUGIN_NAME = 'session-manager-plugin';

/**
 * Plugins newer than this read the StartSession response from the
 * environment variable named in place of it (so the session token never
 * shows in a process list); this one and older ones take it inline.
 */
export const LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR = '1.2.497.0';
export const RESPONSE_ENV_NAME = 'AWS_SSM_START_SESSION_RESPONSE';

/** The plugin's path on PATH, or undefined when it is not installed there. */
export function findPlugin(env: NodeJS.ProcessEnv, platform: string = process.platform): string | undefined {
  const names = platform === 'win32' ? [`${PLUGIN_NAME}.exe`] : [PLUGIN_NAME];
  const path = env.PATH ?? env.Path ?? '';
  for (const folder of path.split(platform === 'win32' ? ';' : delimiter)) {
    if (!folder) continue;
    for (const name of names) {
      const candidate = join(folder, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (platform !== 'win32') accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here, or not executable: keep looking, as a shell would.
      }
    }
  }
  return undefined;
}

/** What `session-manager-plugin --version` prints, trimmed; undefined when it fails. */
export function pluginVersion(plugin: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(plugin, ['--version'], { env, timeout: 10_000 }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}

function versionParts(version: string): number[] | undefined {
  const clean = version.replace(/\s+/g, '');
  return /^\d+(\.\d+){0,3}$/.test(clean) ? clean.split('.').map(Number) : undefined;
}

/** Whether this plugin version takes the response through RESPONSE_ENV_NAME (as the AWS CLI decides it). */
export function takesResponseFromEnvironment(version: string | undefined): boolean {
  const have = version === undefined ? undefined : versionParts(version);
  if (!have) return false;
  const last = versionParts(LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR)!;
  for (let i = 0; i < Math.max(have.length, last.length); i++) {
    const a = have[i] ?? 0;
    const b = last[i] ?? 0;
    if (a !== b) return a > b;
  }
  return false;
}

/** The SSM endpoint the plugin calls back (to resume or end the session). */
export function ssmEndpoint(region: string): string {
  return `https://ssm.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export interface StartedSession {
  readonly SessionId: string;
  readonly TokenValue: string;
  readonly StreamUrl: string;
}

export interface PluginLaunch {
  readonly args: string[];
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The plugin's arguments, in the AWS CLI's order: the StartSession response
 * (or the name of the variable holding it), region, "StartSession", profile
 * ('' for the default credentials), the StartSession request, the endpoint.
 */
export function pluginLaunch(options: {
  readonly session: StartedSession;
  readonly request: Record<string, unknown>;
  readonly region: string;
  readonly profile: string | undefined;
  readonly version: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}): PluginLaunch {
  const response = JSON.stringify({ SessionId: options.session.SessionId, TokenValue: options.session.TokenValue, StreamUrl: options.session.StreamUrl });
  const viaEnv = takesResponseFromEnvironment(options.version);
  return {
    args: [viaEnv ? RESPONSE_ENV_NAME : response, options.region, 'StartSession', options.profile ?? '', JSON.stringify(options.request), ssmEndpoint(options.region)],
    env: viaEnv ? { ...options.env, [RESPONSE_ENV_NAME]: response } : { ...options.env },
  };
}
