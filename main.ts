/**
 * Entry point of `cdktf synth`: load and validate the configuration first,
 * so a broken file stops here with every problem named and nothing written.
 */
import { buildApp } from './src/app';
import { ConfigError } from './src/config/config-error';
import { guardKeptWorlds } from './src/config/kept-worlds';
import { configPath, loadConfig } from './src/config/load';

function main(): void {
  let config;
  try {
    const file = configPath();
    config = loadConfig(file);
    guardKeptWorlds(file, config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.format()}\n`);
      process.exit(1);
    }
    throw e;
  }
  buildApp(config).app.synth();
}

main();
