/**
 * Entry point of `cdktf synth`: load and validate the configuration first,
 * so a broken file stops here with every problem named and nothing written.
 */
import { buildApp } from './src/app';
import { ConfigError } from './src/config/config-error';
import { guardKeptWorlds, type ReleasedWorld } from './src/config/kept-worlds';
import { configPath, loadConfig } from './src/config/load';

function main(): void {
  let config;
  let released: ReleasedWorld[];
  let built;
  try {
    const file = configPath();
    config = loadConfig(file);
    released = guardKeptWorlds(file, config);
    // Limits only the built stacks show (a function's environment, a role's policy) are config errors too.
    built = buildApp(config, undefined, released, file);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.format()}\n`);
      process.exit(1);
    }
    throw e;
  }
  for (const { gameId } of released) {
    console.log(`games.${gameId}: no longer creates its world; the file system (tag Name ${config.name}-${gameId}-world) `
      + 'stays in AWS with its backups and leaves Terraform at the next deploy. Adopt it with existingFileSystemId.');
  }
  built.app.synth();
}

main();
