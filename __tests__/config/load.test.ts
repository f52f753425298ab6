import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { configPath, loadConfig, parseConfigText } from '../../src/config/load';
import { problems, VALID } from './support';

const ROOT = join(__dirname, '..', '..');



function withGame(game: string, extraTop = ''): string {
  return `
region: eu-west-1
domain: { name: example.com }
state: { bucket: example-state-bucket }
${extraTop}
games:
  mc:
${game.split('\n').map((l) => `    ${l}`).join('\n')}
`;
}

describe('the shipped configuration', () => {
  it('loads gamemanagement.yaml with defaults filled in', () => {
    const config = loadConfig(join(ROOT, 'gamemanagement.yaml'), {});
    expect(config.domain.name).toBe('example.com');
    const mc = config.games[0]!;
    expect(mc.fqdn).toBe('mc.example.com');
    expect(mc.image).toMatch(/^itzg\/minecraft-server/);
    expect(mc.environment.EULA).toBe('TRUE');
    expect(mc.architecture).toBe('arm64');
    expect(mc.srv).toEqual({ name: '_minecraft._tcp.mc.example.com', port: 25565 });
    expect(mc.wakeOn).toEqual(['SRV']);
    expect(config.network.availabilityZone).toBe('eu-west-1a');
    expect(config.state).toMatchObject({ key: 'gamemanagement.tfstate', worldsKey: 'gamemanagement.worlds.tfstate', region: 'eu-west-1' });
  });

  it.each(readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')))('loads examples/%s', (file) => {
    const config = loadConfig(join(ROOT, 'examples', file), {});
    expect(config.games.length).toBeGreaterThan(0);
  });

  it('reads GM_CONFIG when set, gamemanagement.yaml otherwise', () => {
    expect(configPath({ GM_CONFIG: 'examples/valheim.yaml' }, '/repo')).toBe('/repo/examples/valheim.yaml');
    expect(configPath({}, '/repo')).toBe('/repo/gamemanagement.yaml');
  });
});

describe('defaults and derived values', () => {
  it('derives memory from the instance type, leaving room for the host', () => {
    const game = parseConfigText(VALID, 't.yaml', {}).games[0]!;
    expect(game.instanceMemoryMiB).toBe(4096);
    expect(game.memoryMiB).toBeLessThan(4096 - 256);
    expect(game.memoryMiB).toBeGreaterThan(3000);
    expect(game.wakeOn).toEqual(['A', 'AAAA']);
    expect(game.watchdog).toMatchObject({ idleMinutes: 10, startupMinutes: 15, maxHours: 8, probe: { type: 'connections' } });
    expect(game).toMatchObject({ spot: false, backups: true, keepOnDestroy: true, oneZone: true, stopTimeoutSeconds: 120 });
    // The itzg/minecraft-server image is Minecraft Java: its clients look up the SRV record first.
    expect(game.srv).toEqual({ name: '_minecraft._tcp.mc.example.com', port: 25565 });
  });

  it('gives the SRV record only to Minecraft Java, unless srv asks for one', () => {
    const image = (name: string) => parseConfigText(VALID.replace('itzg/minecraft-server', name), 't.yaml', {}).games[0]!.srv;
    expect(image('itzg/minecraft-server:java21')).toBeDefined();
    expect(image(`ghcr.io/itzg/minecraft-server@sha256:${'a'.repeat(64)}`)).toBeDefined();
    expect(image('itzg/minecraft-bedrock-server')).toBeUndefined();
    expect(image('lloesche/valheim-server')).toBeUndefined();
    const custom = parseConfigText(VALID.replace('itzg/minecraft-server', 'x/y').replace('ports:', 'srv: { service: game, protocol: tcp }\n    ports:'), 't.yaml', {}).games[0]!.srv;
    expect(custom).toEqual({ name: '_game._tcp.mc.example.com', port: 25565 });
  });

  it('gives spot games a stop timeout that fits the two-minute interruption notice', () => {
    const game = parseConfigText(VALID.replace('ports:', 'spot: true\n    ports:'), 't.yaml', {}).games[0]!;
    expect(game.stopTimeoutSeconds).toBeLessThan(120);
  });

  it('accepts an unlisted instance type when memoryMiB and architecture are given', () => {
    const text = VALID.replace('t4g.medium', 'x9z.large\n    memoryMiB: 6000\n    architecture: x86_64');
    const game = parseConfigText(text, 't.yaml', {}).games[0]!;
    expect(game).toMatchObject({ instanceType: 'x9z.large', memoryMiB: 6000, architecture: 'x86_64' });
  });

  it('uses hostname instead of the game id when given', () => {
    const game = parseConfigText(VALID.replace('image:', 'hostname: play.eu\n    image:'), 't.yaml', {}).games[0]!;
    expect(game.fqdn).toBe('play.eu.example.com');
  });

  it('replaces ${VAR} and ${VAR:-default} from the environment', () => {
    const text = withGame(`image: \${IMAGE}
instanceType: t3.small
ports: [{ port: 1 }]
environment: { A: "\${MISSING:-fallback}", B: "x\${IMAGE}y", C: "$\${LITERAL}" }`);
    const game = parseConfigText(text, 't.yaml', { IMAGE: 'repo/img' }).games[0]!;
    expect(game.image).toBe('repo/img');
    expect(game.environment).toEqual({ A: 'fallback', B: 'xrepo/imgy', C: '${LITERAL}' });
  });

  it('turns YAML numbers and booleans in environment into strings', () => {
    const game = parseConfigText(withGame('image: x\ninstanceType: t3.small\nports: [{ port: 1 }]\nenvironment: { N: 5, B: true }'), 't.yaml', {}).games[0]!;
    expect(game.environment).toEqual({ N: '5', B: 'true' });
  });
});

describe('every problem is reported with its field path', () => {
  it('reports a YAML syntax error with line and column', () => {
    expect(problems('region: eu-west-1\ngames: [\n  mc: x\n')).toEqual([expect.stringMatching(/^line \d+, column \d+: YAML syntax error/)]);
  });

  it('reports duplicate keys as a syntax problem', () => {
    expect(problems('region: a\nregion: b\n')[0]).toMatch(/line 2, column 1: YAML syntax error: Map keys must be unique/);
  });

  it('reports wrong types with what was found and what is expected', () => {
    expect(problems(withGame('image: x\ninstanceType: t3.small\nports: [{ port: "25565" }]'))).toEqual([
      'games.mc.ports[0].port: found "25565"; expected a port number from 1 to 65535',
    ]);
  });

  it('reports missing required fields', () => {
    expect(problems('region: eu-west-1\ndomain: { name: example.com }\ngames: {}')).toEqual(expect.arrayContaining([
      'state: missing; expected a mapping with the keys bucket, key, region',
      'games: expected at least one game',
    ]));
  });

  it.each([[0], [70000], [1.5]])('rejects port %p', (port) => {
    expect(problems(withGame(`image: x\ninstanceType: t3.small\nports: [{ port: ${port} }]`))[0]).toMatch(/^games\.mc\.ports\[0\]\.port: found .*; expected a (whole )?port number from 1 to 65535/);
  });

  it('rejects a duplicated port and names where it first appears', () => {
    expect(problems(withGame('image: x\ninstanceType: t3.small\nports: [{ port: 7777, protocol: udp }, { port: 7777, protocol: tcp }, { port: 7777, protocol: udp }]'))).toEqual([
      'games.mc.ports[2].port: udp port 7777 is already listed at ports[0]; list each port once',
    ]);
  });

  it('rejects two games with the same hostname', () => {
    const text = `${VALID}
  other:
    hostname: mc
    image: x
    instanceType: t3.small
    ports: [{ port: 1 }]
`;
    expect(problems(text)).toEqual(['games.other.hostname: "mc.example.com" is already used by games.mc; give each game its own hostname']);
  });

  it.each([
    ['domain: { name: Example.COM }', 'domain.name: found "Example.COM"; expected a lower-case domain name such as "example.com"'],
    ['alerts: { emails: [not-an-address] }', 'alerts.emails[0]: found "not-an-address"; expected an e-mail address such as "you@example.com"'],
  ])('rejects %s', (line, expected) => {
    const text = VALID.replace('domain: { name: example.com }', line.startsWith('domain') ? line : `domain: { name: example.com }\n${line}`);
    expect(problems(text)).toContain(expected);
  });

  it('rejects a malformed region and instance type', () => {
    const text = VALID.replace('eu-west-1', 'Ireland').replace('t4g.medium', 'big');
    expect(problems(text)).toEqual(expect.arrayContaining([
      'region: found "Ireland"; expected an AWS region such as "eu-west-1"',
      'games.mc.instanceType: found "big"; expected an EC2 instance type such as "t4g.medium"',
    ]));
  });

  it('rejects memory larger than the instance type has, naming the most it may be', () => {
    const [problem] = problems(VALID.replace('t4g.medium', 't4g.medium\n    memoryMiB: 8192'));
    expect(problem).toMatch(/^games\.mc\.memoryMiB: 8192 MiB is more than t4g\.medium leaves for the game \(\d+ of 4096 MiB.*use at most \d+ or a larger instanceType$/);
  });

  it('rejects an unlisted instance type without memoryMiB and architecture, naming both', () => {
    expect(problems(VALID.replace('t4g.medium', 'x9z.large'))).toEqual([
      'games.mc.instanceType: instance type "x9z.large" is not in the built-in table; set memoryMiB and architecture (arm64 or x86_64) for it, or pick a listed type',
    ]);
  });

  it('rejects an unset ${VAR} with the field it is in and how to fix it', () => {
    expect(problems(VALID.replace('itzg/minecraft-server', '${GM_TEST_UNSET_IMAGE}'), {})).toEqual([
      'games.mc.image: ${GM_TEST_UNSET_IMAGE} is not set; export GM_TEST_UNSET_IMAGE=… or write ${GM_TEST_UNSET_IMAGE:-default}',
    ]);
  });

  it('rejects unknown keys with a "did you mean"', () => {
    expect(problems(VALID.replace('image:', 'imagee: x\n    image:').replace('state:', 'stat: {}\nstate:'))).toEqual(expect.arrayContaining([
      'games.mc.imagee: unknown key; did you mean "image"?',
      'stat: unknown key; did you mean "state"?',
    ]));
  });

  it('lists the allowed keys when an unknown key is nothing like them', () => {
    expect(problems(VALID.replace('domain: { name: example.com }', 'domain: { name: example.com, zzzzzz: 1 }'))).toEqual([
      'domain.zzzzzz: unknown key; allowed here: name, hostedZoneId',
    ]);
  });

  it('refuses a query game id the watchdog cannot ask, with the close id and the probe that fits', () => {
    const probe = (game: string) => problems(VALID.replace('ports:', `watchdog: { probe: { type: query, game: ${game} } }\n    ports:`));
    expect(probe('minecraftbee')).toEqual([
      expect.stringMatching(/^games\.mc\.watchdog\.probe\.game: .*"minecraftbee" is none of them; did you mean "minecraftbe"\? For any other game use probe: \{ type: connections \}/),
    ]);
    // A real gamedig id of a protocol the watchdog does not speak: no typo to suggest, the connections probe instead.
    expect(probe('palworld')).toEqual([expect.stringMatching(/"palworld" is none of them(?!; did you mean).* type: connections/)]);
  });

  it('accepts gamedig ids old and new of the games the watchdog can ask', () => {
    for (const game of ['minecraft', 'mbe', 'minecraftbe', 'valheim', 'cs2', 'rust']) {
      const text = VALID.replace('ports:', `watchdog: { probe: { type: query, game: ${game} } }\n    ports:`);
      expect(() => parseConfigText(text, 'test.yaml', {})).not.toThrow();
    }
  });

  it('suggests keys inside the chosen probe type', () => {
    expect(problems(VALID.replace('ports:', 'watchdog: { probe: { type: traffic, bytesPerMinut: 5 } }\n    ports:'))).toEqual([
      'games.mc.watchdog.probe.bytesPerMinut: unknown key; did you mean "bytesPerMinute"?',
    ]);
  });

  it('rejects an availability zone outside the region', () => {
    expect(problems(`${VALID}\nnetwork: { availabilityZone: us-east-1b }`)).toEqual([
      'network.availabilityZone: "us-east-1b" is not in region eu-west-1; use a zone such as eu-west-1a',
    ]);
  });

  it('rejects a VPC range AWS would refuse', () => {
    expect(problems(`${VALID}\nnetwork: { cidr: 10.0.0.0/8 }`)).toEqual([
      'network.cidr: found "10.0.0.0/8"; expected an IPv4 CIDR from /16 to /28 (what AWS allows for a VPC), such as 10.0.0.0/16',
    ]);
  });

  it('rejects an alert address listed twice, whatever its case', () => {
    expect(problems(`${VALID}\nalerts: { emails: [a@example.com, A@example.com] }`)).toEqual([
      'alerts.emails: expected each address once (addresses are compared without case)',
    ]);
  });

  it('rejects waking on SRV when the game has no SRV record', () => {
    expect(problems(VALID.replace('itzg/minecraft-server', 'lloesche/valheim-server').replace('ports:', 'wakeOn: [SRV]\n    ports:'))).toEqual([
      'games.mc.wakeOn: SRV wakes the server only when the game has an SRV record; add srv: {service: ..., protocol: ...}',
    ]);
  });

  it('reports every problem of a badly broken file at once', () => {
    const text = `
name: GM
region: europe
domain: { name: Example }
state: { bucket: ab }
games:
  mc:
    image: ""
    instanceType: t4g.medium
    memoryMiB: 9000
    ports: [{ port: 70000 }, { port: 1 }, { port: 1 }]
    imgae: x
  other:
    hostname: mc
    image: x
    instanceType: z9.huge
    ports: [{ port: 1, protocol: sctp }]
`;
    const found = problems(text);
    expect(found.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining([
      'name', 'region', 'domain.name', 'state.bucket', 'games.mc.image', 'games.mc.ports[0].port', 'games.mc.imgae',
      'games.mc.ports[2].port', 'games.mc.memoryMiB', 'games.other.ports[0].protocol', 'games.other.instanceType', 'games.other.hostname',
    ]));
    expect(found).toHaveLength(12);
  });

  it('reports a missing file with what to do', () => {
    expect(() => loadConfig('/nonexistent/gamemanagement.yaml', {})).toThrow(ConfigError);
    try {
      loadConfig('/nonexistent/gamemanagement.yaml', {});
    } catch (e) {
      expect((e as ConfigError).format()).toContain('(file): file not found; create it from examples/ or set GM_CONFIG to its path');
    }
  });
});

describe('the JSON Schema for editors', () => {
  it('is up to date with the zod schema (run `npm run schema` after changing it)', () => {
    // Imported lazily so a schema error shows up in this test, not in the whole file.
    const { jsonSchemaText, JSON_SCHEMA_FILE } = require('../../src/config/write-json-schema') as typeof import('../../src/config/write-json-schema');
    expect(readFileSync(JSON_SCHEMA_FILE, 'utf8')).toBe(jsonSchemaText());
  });

  it('matches the configuration table in README.md (run `npm run schema` after changing the schema)', () => {
    const { readmeText, README_FILE } = require('../../src/config/write-json-schema') as typeof import('../../src/config/write-json-schema');
    expect(readFileSync(README_FILE, 'utf8')).toBe(readmeText());
  });

  it('documents every field of the schema in README.md', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const field of ['games.<id>.wakeOn', 'games.<id>.watchdog.idleMinutes', 'games.<id>.keepOnDestroy', 'state.bucket', 'network.ipv6', 'alerts.discordWebhookParameter']) {
      expect(readme).toContain(`\`${field}\``);
    }
  });
});
