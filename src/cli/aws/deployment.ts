/**
 * What every AWS command of the CLI starts from: the same configuration file
 * synth reads (`GM_CONFIG`, default gamemanagement.yaml), so every name is
 * the deployed one; the game the user named; the user's own credentials and
 * profile; the config's region unless `--region` says otherwise.
 */
import { isAbsolute, relative } from 'node:path';
import { ConfigError } from '../../config/config-error';
import { configPath, loadConfig } from '../../config/load';
import type { Config, GameConfig } from '../../config/resolve';
import { gameResourceNames, type GameResourceNames } from '../../runtime/names';
import type { SessionTarget } from '../../lambdas/shared/session';
import { UsageError } from '../command';

/** Options every AWS command takes; spread into its `parseOptions` table. */
export const AWS_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
} as const;

/** The usage lines for AWS_OPTIONS, appended to each AWS command's usage. */
export const AWS_OPTIONS_USAGE = `  --profile <name>  AWS profile to use (default: AWS_PROFILE, or your default credentials)
  --region <name>   AWS region (default: the config's region)
The configuration file is GM_CONFIG (default gamemanagement.yaml), the one you deployed.`;

export interface Deployment {
  readonly config: Config;
  /** The configuration file, as the user would name it. */
  readonly file: string;
  readonly region: string;
}

/** A game of the deployment, with the names its resources were given at synth. */
export interface GameTarget {
  readonly deployment: Deployment;
  readonly game: GameConfig;
  readonly names: GameResourceNames;
  readonly region: string;
  /** What the start and stop rules (`src/lambdas/shared/session.ts`) need. */
  readonly session: SessionTarget;
}

/** A configuration file that fails its checks: printed as synth prints it, exit 1. */
export class DeploymentConfigError extends Error {
  override readonly name = 'DeploymentConfigError';

  /** The problems as synth lists them (the file named as the user knows it), without synth's last line. */
  static from(e: ConfigError): DeploymentConfigError {
    return new DeploymentConfigError(e.format(shownFile(e.file)).replace(/\nNothing was synthesized\..*$/s, ''));
  }
}

function shownFile(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : file;
}

/**
 * Loads the deployment. `--profile` is applied through AWS_PROFILE before any
 * AWS client exists, so every client of the run uses it.
 */
export function loadDeployment(values: { profile?: string; region?: string }, env: NodeJS.ProcessEnv = process.env): Deployment {
  if (values.profile !== undefined) {
    if (values.profile.trim() === '') throw new UsageError('--profile needs a profile name, e.g. --profile friends');
    env.AWS_PROFILE = values.profile;
  }
  const file = configPath(env);
  let config: Config;
  try {
    config = loadConfig(file, env);
  } catch (e) {
    if (e instanceof ConfigError) throw DeploymentConfigError.from(e);
    throw e;
  }
  return { config, file: shownFile(file), region: values.region ?? config.region };
}

/** The game named on the command line; a wrong or missing id lists the games of the config. */
export function findGame(deployment: Deployment, id: string | undefined): GameTarget {
  const ids = deployment.config.games.map((g) => g.id);
  const game = deployment.config.games.find((g) => g.id === id);
  if (!game) {
    const known = `games in ${deployment.file}: ${ids.join(', ')}`;
    throw new UsageError(id === undefined ? `name a game; ${known}` : `no game "${id}" in ${deployment.file}; ${known}`);
  }
  return gameTarget(deployment, game);
}

export function gameTarget(deployment: Deployment, game: GameConfig): GameTarget {
  const names = gameResourceNames(deployment.config.name, game.id);
  return {
    deployment,
    game,
    names,
    region: deployment.region,
    session: {
      id: game.id,
      asgName: names.asg,
      sessionParameterName: names.sessionParameter,
      pendingWakeParameterName: names.pendingWakeParameter,
    },
  };
}
