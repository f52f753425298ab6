import { App } from 'cdktf';
import type { ReleasedWorld } from './config/kept-worlds';
import type { Config } from './config/resolve';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { GameManagementStack } from './stacks/game-management-stack';
import { WorldsStack } from './stacks/worlds-stack';

export interface GameManagementApp {
  readonly app: App;
  readonly bootstrap: BootstrapStack;
  readonly worlds: WorldsStack;
  readonly main: GameManagementStack;
}

/**
 * Builds every stack of one configuration; `releasedWorlds` come from the
 * kept-worlds lock. A configuration AWS would refuse at apply (a function's
 * environment past Lambda's limit) throws a ConfigError naming `configFile`.
 */
export function buildApp(config: Config, outdir?: string, releasedWorlds: readonly ReleasedWorld[] = [], configFile?: string): GameManagementApp {
  const app = new App({ outdir, skipValidation: false });
  const bootstrap = new BootstrapStack(app, config);
  const worlds = new WorldsStack(app, config, releasedWorlds);
  const main = new GameManagementStack(app, config, worlds.storage, configFile);
  return { app, bootstrap, worlds, main };
}
