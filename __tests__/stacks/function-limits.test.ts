/**
 * A configuration AWS would refuse at apply fails the synth as a problem of
 * the game that causes it, before anything is written: here a game whose
 * watchdog (which reads the game's ports) would need more than the 4 KB of
 * environment Lambda allows. The 50-game zone that does fit is checked in
 * __tests__/terraform/many-games.plan.test.ts (synthesized once for its plan).
 */
import { buildApp } from '../../src/app';
import { ConfigError } from '../../src/config/config-error';
import { parseConfigText } from '../../src/config/load';

const yaml = (ports: number): string => [
  'region: eu-west-1',
  'domain: { name: example.com }',
  'state: { bucket: example-state-bucket }',
  'games:',
  '  mc:',
  '    image: itzg/minecraft-server',
  '    instanceType: t4g.medium',
  '    ports: [{ port: 25565 }]',
  '  crowded:',
  '    image: example/many-ports',
  '    instanceType: t3.large',
  `    ports: [${Array.from({ length: ports }, (_, i) => `{ port: ${20000 + i}, protocol: udp }`).join(', ')}]`,
  '',
].join('\n');

describe('a game whose watchdog would need more than 4 KB of environment', () => {
  it('fails the synth as a problem of that game, naming the function, the size and the limit', () => {
    const config = parseConfigText(yaml(150), 'crowded.yaml', {});
    let error: unknown;
    try {
      buildApp(config, undefined, [], 'crowded.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([{
      path: 'games.crowded',
      message: expect.stringMatching(/^the watchdog function of game crowded needs \d+ bytes of environment, past Lambda's limit of 4096; list fewer ports or shorten the game id and domain$/),
    }]);
    expect((error as ConfigError).format()).toMatch(/^crowded\.yaml has 1 problem:\n {2}games\.crowded: the watchdog function .*\nNothing was synthesized\. Fix the file and run again\.$/);
  });

  it('is built with fewer ports', () => {
    expect(() => buildApp(parseConfigText(yaml(60), 'crowded.yaml', {}))).not.toThrow();
  });
});
