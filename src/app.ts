import './cdktf-creation-stacks';
import { App } from 'cdktf';
import { ConfigError } from './config/config-error';
import type { ReleasedWorld } from './config/kept-worlds';
import type { Config } from './config/resolve';
import { plainSecretWarnings } from './constructs/game/task-secrets';
import { tokenMarkerProblems } from './constructs/support/literal';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { GameManagementStack } from './stacks/game-management-stack';
import { WorldsStack } from './stacks/worlds-stack';

export interface GameManagementApp {
  readonly app: App;
  readonly bootstrap: BootstrapStack;
  readonly worlds: WorldsStack;
  readonly main: GameManagementStack;
  /** What synth warned about (each passed to `warn` once): plain environment values that look like secrets. */
  readonly warnings: readonly string[];
}

/** Synth's warnings go to stderr, one line each. */
export function warnOnStderr(message: string): void {
  process.stderr.write(`Warning: ${message}\n`);
}

/**
 * Builds every stack of one configuration; `releasedWorlds` come from the
 * kept-worlds lock. A configuration AWS would refuse at apply (a function's
 * environment past Lambda's limit) or that cdktf could not pass on as written
 * (text containing its token marker) throws a ConfigError naming `configFile`.
 * Each warning (a password in plain `environment`) goes to `warn` once.
 */
export function buildApp(
  config: Config,
  outdir?: string,
  releasedWorlds: readonly ReleasedWorld[] = [],
  configFile?: string,
  warn: (message: string) => void = warnOnStderr,
): GameManagementApp {
  const problems = tokenMarkerProblems(config);
  if (problems.length > 0) throw new ConfigError(configFile ?? 'the configuration', problems);
  const app = new App({ outdir, skipValidation: false });
  const bootstrap = new BootstrapStack(app, config);
  const worlds = new WorldsStack(app, config, releasedWorlds);
  const main = new GameManagementStack(app, config, worlds.storage, configFile);
  // Only once the configuration is known to build: a file with errors gets its errors alone.
  const warnings = plainSecretWarnings(config);
  warnings.forEach((w) => warn(w));
  return { app, bootstrap, worlds, main, warnings };
}
