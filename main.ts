/**
 * Entry point of `cdktf synth`: load and validate the configuration first,
 * so a broken file stops here with every problem named and nothing written.
 */
import { isAbsolute, relative } from 'node:path';
import { buildApp } from './src/app';
import { ConfigError } from './src/config/config-error';
import { guardKeptWorlds, type ReleasedWorld } from './src/config/kept-worlds';
import { configPath, loadConfig } from './src/config/load';
import { removeStaleAssets } from './src/cli/terraform/stale-assets';

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
      // The file as the user named it: relative to where synth runs, unless it lies elsewhere.
      const shown = relative(process.cwd(), e.file);
      process.stderr.write(`${e.format(shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : e.file)}\n`);
      process.exit(1);
    }
    throw e;
  }
  for (const { gameId } of released) {
    console.log(`games.${gameId}: no longer creates its world; the file system (tag Name ${config.name}-${gameId}-world) `
      + 'stays in AWS with its backups and leaves Terraform at the next deploy. Adopt it with existingFileSystemId.');
  }
  // Zips of earlier synths would pile up in cdktf.out: synth owns its asset folders.
  removeStaleAssets(built.app.outdir);
  built.app.synth();
}

main();
