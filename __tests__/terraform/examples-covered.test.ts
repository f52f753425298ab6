import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { games as gamedigGames } from 'gamedig';
import { loadConfig } from '../../src/config/load';
import { ROOT, shippedConfigurations } from '../support/plan-suite';

const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`);

it('plans every example and the shipped file (a new example is planned without a test of its own)', () => {
  const planned = shippedConfigurations().map((c) => c.label);
  expect(planned).toEqual(expect.arrayContaining([...examples.filter((f) => f !== 'examples/minecraft-java.yaml'), 'gamemanagement.yaml']));
  // The Java example must stay the shipped file with other comments, or it needs a plan of its own.
  const strip = (text: string) => text.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n').replace(/\s+#.*$/gm, '');
  expect(strip(readFileSync(join(ROOT, 'examples/minecraft-java.yaml'), 'utf8'))).toBe(strip(readFileSync(join(ROOT, 'gamemanagement.yaml'), 'utf8')));
});

it.each([...examples, 'gamemanagement.yaml'])('%s: a query probe names a real gamedig game id', (file) => {
  const config = loadConfig(join(ROOT, file), {});
  for (const game of config.games) {
    if (game.watchdog.probe.type !== 'query') continue;
    expect({ game: game.id, probe: game.watchdog.probe.game, known: game.watchdog.probe.game in gamedigGames })
      .toEqual({ game: game.id, probe: game.watchdog.probe.game, known: true });
  }
});

// The games the README promises examples for, each with what it needs to work.
it.each([
  ['examples/palworld.yaml', [{ port: 8211, protocol: 'udp' }]],
  ['examples/terraria.yaml', [{ port: 7777, protocol: 'tcp' }]],
  ['examples/satisfactory.yaml', [{ port: 7777, protocol: 'udp' }, { port: 7777, protocol: 'tcp' }, { port: 8888, protocol: 'tcp' }]],
  ['examples/minecraft-modded.yaml', [{ port: 25565, protocol: 'tcp' }]],
  ['examples/minecraft-bedrock-connections.yaml', [{ port: 19132, protocol: 'udp' }]],
])('%s opens exactly the game\'s ports', (file, ports) => {
  const [game] = loadConfig(join(ROOT, file), {}).games;
  expect(game!.ports).toEqual(ports);
});

it('gives the modded Minecraft server more memory and startup time than the vanilla one', () => {
  const [vanilla] = loadConfig(join(ROOT, 'gamemanagement.yaml'), {}).games;
  const [modded] = loadConfig(join(ROOT, 'examples/minecraft-modded.yaml'), {}).games;
  expect(modded!.environment).toEqual(expect.objectContaining({ TYPE: 'MODRINTH', MODRINTH_MODPACK: expect.any(String) }));
  expect(modded!.memoryMiB).toBeGreaterThan(vanilla!.memoryMiB);
  expect(modded!.watchdog.startupMinutes).toBeGreaterThan(vanilla!.watchdog.startupMinutes);
});

it('counts Minecraft Bedrock on the connections probe in its own example', () => {
  const [bedrock] = loadConfig(join(ROOT, 'examples/minecraft-bedrock-connections.yaml'), {}).games;
  expect(bedrock!.watchdog.probe).toEqual({ type: 'connections' });
});
