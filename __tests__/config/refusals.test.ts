/**
 * Input that AWS, Terraform, Docker or the game would refuse is refused at
 * load, once, with the field, what was found and what to write instead; and
 * one mistake gives one line (its root cause), never a stack trace.
 */
import { ConfigError } from '../../src/config/config-error';
import { generatedNames } from '../../src/config/aws-rules';
import { decodeConfigBytes, parseConfigText } from '../../src/config/load';
import { game, MC, problemsOf, TOP } from './support';


const problems = problemsOf;

describe('instance types', () => {
  it.each(['t4g.mediun', 't4g.medum', 't3a.smal'])('suggests the close known type for the typo %s, even with memoryMiB and architecture', (type) => {
    const plain = problems(game(MC.replace('t4g.medium', type)));
    expect(plain).toEqual([expect.stringMatching(new RegExp(`^games\\.mc\\.instanceType: found "${type.replace('.', '\\.')}"; did you mean "[a-z0-9]+\\.[a-z]+"\\?`))]);
    // Following the old advice (memoryMiB + architecture) must not make the typo synthesize.
    expect(problems(game(`${MC.replace('t4g.medium', type)}\nmemoryMiB: 2048\narchitecture: arm64`))).toEqual(plain);
  });

  it('names t4g.medium for t4g.mediun', () => {
    expect(problems(game(MC.replace('t4g.medium', 't4g.mediun')))[0]).toContain('did you mean "t4g.medium"?');
  });

  it.each(['c7gn.2xlarge', 'm7i-flex.large', 'c6a.large', 'x2gd.medium', 'm7g.metal', 'hpc7g.4xlarge'])('accepts the real type %s outside the table with memoryMiB and architecture', (type) => {
    expect(problems(game(`${MC.replace('t4g.medium', type)}\nmemoryMiB: 2048\narchitecture: arm64`))).toEqual([]);
  });

  it('still requires memoryMiB and architecture for a type outside the table, naming what is missing', () => {
    expect(problems(game(`${MC.replace('t4g.medium', 'c7gn.2xlarge')}\narchitecture: arm64`))).toEqual([
      'games.mc.instanceType: instance type "c7gn.2xlarge" is not in the built-in table; set memoryMiB for it, or pick a listed type',
    ]);
  });

  it.each(['t4g.huge', 'bigbox.large', 'c7.2xl'])('refuses %s, which is not shaped like an EC2 type', (type) => {
    expect(problems(game(`${MC.replace('t4g.medium', type)}\nmemoryMiB: 2048\narchitecture: arm64`))).toEqual([
      expect.stringMatching(/^games\.mc\.instanceType: found ".+"; (expected an EC2 instance type: family, generation and size|did you mean)/),
    ]);
  });

  it('refuses memory no instance of that size has, for a type outside the table', () => {
    expect(problems(game(`${MC.replace('t4g.medium', 'c7gn.large')}\nmemoryMiB: 100000\narchitecture: arm64`))).toEqual([
      expect.stringMatching(/^games\.mc\.memoryMiB: 100000 MiB is more than any EC2 instance of size large has \(at most 65536 MiB\); GameManagement cannot know what c7gn\.large has/),
    ]);
  });
});

describe('one mistake, one line', () => {
  it('a quoted port is reported once, without advice about SRV records', () => {
    expect(problems(game('image: itzg/minecraft-server\ninstanceType: t4g.medium\nports: [{ port: "25565" }]\nwakeOn: [SRV]'))).toEqual([
      'games.mc.ports[0].port: found "25565"; expected a port number from 1 to 65535',
    ]);
  });

  it('a misspelt key does not also report the key it was meant to be as missing', () => {
    expect(problems(game('imgae: itzg/minecraft-server\ninstanceType: t4g.medium\nports: [{ port: 25565 }]'))).toEqual([
      'games.mc.imgae: unknown key; did you mean "image"?',
    ]);
  });

  it('a key that is missing and not misspelt is still reported', () => {
    expect(problems(game('instanceType: t4g.medium\nports: [{ port: 25565 }]'))).toEqual([
      'games.mc.image: missing; expected a container image such as "itzg/minecraft-server:java21"',
    ]);
  });

  it('an unset ${VAR} is reported once, not again as a malformed e-mail', () => {
    expect(problems(`${game(MC)}alerts: { emails: ["\${GM_ALERT_EMAIL}"] }\n`)).toEqual([
      'alerts.emails[0]: ${GM_ALERT_EMAIL} is not set; export GM_ALERT_EMAIL=… or write ${GM_ALERT_EMAIL:-default}',
    ]);
  });
});

describe('YAML syntax errors point at the line the user broke', () => {
  it.each([
    ['after a comment', `${TOP}games:\n  mc:\n    image: x\n    # the port\n      instanceType: t3.small\n`, 'instanceType'],
    ['after a blank line and a comment', `${TOP}games:\n  mc:\n    image: x\n\n  # comment\n     ports: 1\n`, 'ports'],
  ])('reports bad indentation %s at the broken line', (_what, text, broken) => {
    const line = text.split('\n').findIndex((l) => l.includes(broken)) + 1;
    const found = problems(text);
    expect(found).toEqual([expect.stringMatching(new RegExp(`^line ${line}, column \\d+: YAML syntax error`))]);
    const lines = text.split('\n');
    expect(lines[line - 1]).toMatch(/^\s*[a-z]/); // neither blank nor a comment
  });
});

describe('environment values are typed like written ones', () => {
  it('reads port: ${MC_PORT} as a number, and booleans as booleans', () => {
    const text = game('image: itzg/minecraft-server\ninstanceType: t4g.medium\nports: [{ port: "${MC_PORT}" }]\nspot: "${SPOT:-true}"', `${TOP}network: { ipv6: "\${V6}" }\n`);
    const config = parseConfigText(text, 't.yaml', { MC_PORT: '25565', V6: 'false' });
    expect(config.games[0]!.ports).toEqual([{ port: 25565, protocol: 'tcp' }]);
    expect(config.games[0]!.spot).toBe(true);
    expect(config.network.ipv6).toBe(false);
  });

  it('keeps container environment values text, and still refuses a value that is no number', () => {
    const config = parseConfigText(game(`${MC}\nenvironment: { SERVER_PORT: "\${P}" }`), 't.yaml', { P: '25565' });
    expect(config.games[0]!.environment).toEqual({ SERVER_PORT: '25565' });
    expect(problems(game('image: x/y\ninstanceType: t4g.medium\nports: [{ port: "${MC_PORT}" }]'), { MC_PORT: 'abc' })).toEqual([
      'games.mc.ports[0].port: found "abc"; expected a port number from 1 to 65535',
    ]);
  });
});

describe('YAML and encoding', () => {
  it('refuses an alias bomb with a clean error', () => {
    const bomb = `${TOP}a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    expect(problems(bomb)).toEqual([expect.stringMatching(/^\(file\): found more than 100 alias expansions/)]);
  });

  it('refuses more aliases than the parser allows with a clean error', () => {
    const many = `${TOP}x: &x 1\ny: [${Array.from({ length: 150 }, () => '*x').join(', ')}]\n`;
    expect(problems(many)).toEqual([expect.stringMatching(/^\(file\): found more than 100 alias expansions/)]);
  });

  it('names the line of bytes that are not UTF-8 instead of replacing them', () => {
    const bytes = Buffer.concat([Buffer.from('region: eu-west-1\ndomain: { name: example.com }\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(() => decodeConfigBytes(bytes, 't.yaml')).toThrow(ConfigError);
    try {
      decodeConfigBytes(bytes, 't.yaml');
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([{ path: 'line 3', message: 'found bytes that are not UTF-8; save the file as UTF-8' }]);
    }
    expect(decodeConfigBytes(Buffer.from('name: café\n'), 't.yaml')).toBe('name: café\n');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s as a game id, environment name or tag instead of dropping it', (key) => {
    const text = `${TOP}tags: { ${key}: x }\ngames:\n  ${key}: { image: x/y, instanceType: t3.small, ports: [{ port: 1 }] }\n  mc:\n    ${MC.split('\n').join('\n    ')}\n    environment: { ${key}: x }\n`;
    const found = problems(text);
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^tags\\.${key}: found the key "${key}"; expected another name`)),
      expect.stringMatching(new RegExp(`^games\\.${key}: found the key`)),
      expect.stringMatching(new RegExp(`^games\\.mc\\.environment\\.${key}: found the key`)),
    ]));
    expect(found).toHaveLength(3);
  });

  it('refuses an egress description with characters a security group refuses', () => {
    expect(problems(game(`${MC}\negress: [{ port: 27015, protocol: udp, description: "100% steam" }]`))).toEqual([
      expect.stringMatching(/^games\.mc\.egress\[0\]\.description: .*security group refuses/),
    ]);
    expect(problems(game(`${MC}\negress: [{ port: 27015, protocol: udp, description: "Steam (A2S) master: list + ping" }]`))).toEqual([]);
  });

  it('refuses a duplicate egress rule, naming both', () => {
    expect(problems(game(`${MC}\negress: [{ port: 27015, protocol: udp }, { port: 27016 }, { port: 27015, protocol: udp, cidr: 0.0.0.0/0 }]`))).toEqual([
      'games.mc.egress[2]: the same rule as egress[0] (udp 27015 to 0.0.0.0/0); AWS refuses duplicate security group rules, list it once',
    ]);
  });
});

describe('names and sizes AWS refuses', () => {
  it.each([
    ['ab', /3-63 lower-case/],
    ['my..bucket', /two dots/],
    ['192.168.1.1', /IP address/],
    ['xn--bucket', /"xn--"/],
    ['sthree-bucket', /"sthree-"/],
    ['bucket-s3alias', /"-s3alias"/],
    ['bucket--ol-s3', /"--ol-s3"/],
    ['my.-bucket', /hyphen next to a dot/],
    ['Bucket', /3-63 lower-case/],
    ['a'.repeat(64), /3-63 lower-case/],
  ])('refuses the state bucket %s', (bucket, why) => {
    expect(problems(game(MC, TOP.replace('example-state-bucket', bucket)))).toEqual([expect.stringMatching(new RegExp(`^state\\.bucket: found ".*"; .*${why.source}`))]);
  });

  it('refuses a host name beyond 253 characters, and accepts 63-character labels', () => {
    const label = 'a'.repeat(63);
    const domain = [label, label, label, 'com'].join('.');
    expect(domain.length).toBe(195);
    expect(problems(game(MC, TOP.replace('example.com', domain)))).toEqual([]);
    const long = [label, label, label, 'b'.repeat(57), 'com'].join('.');
    expect(long.length).toBe(253);
    expect(problems(game(MC, TOP.replace('example.com', long)))).toEqual([expect.stringMatching(/^games\.mc: makes the DNS name ".*"; expected a DNS name of at most 253 characters/)]);
  });

  it('refuses a host name label with a hyphen at either end', () => {
    expect(problems(game(`${MC}\nhostname: -mc`))).toEqual([expect.stringMatching(/^games\.mc\.hostname: found "-mc"; expected DNS labels/)]);
    expect(problems(game(`${MC}\nhostname: mc-.eu`))).toEqual([expect.stringMatching(/^games\.mc\.hostname: found "mc-\.eu"; expected DNS labels/)]);
  });

  it.each(['aws:owner', 'AWS:Owner'])('refuses the tag key %s (aws: is reserved)', (key) => {
    expect(problems(`${game(MC)}tags: { "${key}": me }\n`)).toEqual([`tags.${key}: found "${key}"; tag keys starting with "aws:" are reserved by AWS; remove the prefix`]);
  });

  it('refuses tag keys and values AWS would not take', () => {
    expect(problems(`${game(MC)}tags: { "${'k'.repeat(129)}": v, ok: "${'v'.repeat(257)}", "a#b": c }\n`)).toHaveLength(3);
    expect(problems(`${game(MC)}tags: { Owner: "me@example.com", "cost-center": "42 / games" }\n`)).toEqual([]);
  });

  it.each(['aws', 'awsgames', 'ssm', 'ssm-x', 'amazon', 'amzn1'])('refuses the name prefix %s, which AWS reserves for SSM parameters and documents', (name) => {
    expect(problems(`name: ${name}\n${game(MC)}`)).toEqual([expect.stringMatching(new RegExp(`^name: found "${name}"; expected a prefix not starting with aws, amazon, amzn, ssm`))]);
  });

  it('keeps every generated name within its service limit for the longest name and game id', () => {
    const id = `g${'a'.repeat(30)}`;
    for (const generated of generatedNames('a'.repeat(12), id)) {
      expect(generated.name.length).toBeLessThanOrEqual(generated.limit);
    }
    expect(problems(`name: ${'a'.repeat(12)}\n${game(MC).replace('  mc:', `  ${id}:`)}`)).toEqual([]);
    // The check bites when a name pattern grows past its limit.
    expect(generatedNames('p'.repeat(12), 'x'.repeat(60)).some((g) => g.name.length > g.limit)).toBe(true);
  });

  it.each([
    'itzg/minecraft-server', 'itzg/minecraft-server:java21', 'ghcr.io/org/game:1.2.3', 'localhost:5000/game',
    `public.ecr.aws/a/b@sha256:${'0'.repeat(64)}`, `x/y:tag@sha256:${'f'.repeat(64)}`, 'ubuntu', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/game:v1',
  ])('accepts the image reference %s', (image) => {
    expect(problems(game(MC.replace('itzg/minecraft-server', image)))).toEqual([]);
  });

  it.each(['Itzg/Minecraft', 'itzg/minecraft server', 'itzg/minecraft-server:', 'x/y@sha256:abc', ':latest', 'a//b', `x:${'t'.repeat(129)}`, 'img:${path.cwd}'])('refuses the image reference %s', (image) => {
    expect(problems(game(MC.replace('itzg/minecraft-server', JSON.stringify(image))))).toEqual([expect.stringMatching(/^games\.mc\.image: found ".*"; expected a container image reference/)]);
  });

  it.each(['eu-west-9', 'us-gov-west-2', 'cn-north-1', 'mars-east-1'])('refuses the region %s, which does not exist (or is not supported)', (region) => {
    expect(problems(game(MC, TOP.replace('eu-west-1', region)))).toEqual([expect.stringMatching(/^region: found ".*"; expected an AWS region/)]);
  });

  it('suggests the close region for a typo, also for the state bucket region', () => {
    expect(problems(game(MC, TOP.replace('eu-west-1', 'eu-wset-1')))).toEqual(['region: found "eu-wset-1"; expected an AWS region; did you mean "eu-west-1"?']);
    expect(problems(game(MC, TOP.replace('{ bucket: example-state-bucket }', '{ bucket: example-state-bucket, region: us-east-3 }')))).toEqual([expect.stringMatching(/^state\.region: found "us-east-3"; expected an AWS region; did you mean "us-east-[12]"\?/)]);
  });

  it.each(['ap-southeast-7', 'mx-central-1', 'us-gov-west-1', 'il-central-1'])('accepts the region %s', (region) => {
    expect(problems(game(MC, TOP.replace('eu-west-1', region)))).toEqual([]);
  });

  it.each([
    ['10.0.0.1/16', 'network', /network address of the range: 10\.0\.0\.0\/16/],
    ['300.0.0.0/16', 'network', /four numbers from 0 to 255/],
    ['10.0.0.0/29', 'network', /from \/16 to \/28/],
    ['10.0.0.0/33', 'egress', /prefix|CIDR/],
    ['1.2.3.4/8', 'egress', /network address of the range: 1\.0\.0\.0\/8/],
    ['01.2.3.0/24', 'egress', /no leading zeros/],
  ])('refuses the CIDR %s (%s)', (cidr, where, why) => {
    const text = where === 'network' ? `${game(MC)}network: { cidr: "${cidr}" }\n` : game(`${MC}\negress: [{ port: 443, cidr: "${cidr}" }]`);
    expect(problems(text)).toEqual([expect.stringMatching(new RegExp(`found "${cidr.replace(/\./g, '\\.')}"; .*${why.source}`))]);
  });
});

describe('volumes', () => {
  it.each([
    ['/', /expected a folder below \//],
    ['//', /expected a folder below \//],
    ['/data/../etc', /without \. or \.\. segments/],
    ['/./data', /without \. or \.\. segments/],
  ])('refuses the volume path %s', (path, why) => {
    expect(problems(game(`${MC}\nvolumes: [{ path: "${path}" }]`))).toEqual([expect.stringMatching(new RegExp(`^games\\.mc\\.volumes\\[0\\]\\.path: found ".*"; .*${why.source}`))]);
  });

  it.each([
    ['/data', '/data'],
    ['/data', '/data/'],
    ['/data//world', '/data/world'],
  ])('refuses %s and %s, the same folder', (a, b) => {
    expect(problems(game(`${MC}\nvolumes: [{ path: "${a}" }, { path: "${b}" }]`))).toEqual([
      expect.stringMatching(/^games\.mc\.volumes\[1\]\.path: ".*" is the same folder as volumes\[0\]/),
    ]);
  });

  it('refuses two paths that would share one world folder on the file system', () => {
    expect(problems(game(`${MC}\nvolumes: [{ path: /data/world }, { path: /data-world }]`))).toEqual([
      'games.mc.volumes[1].path: "/data-world" would share its world folder /volumes/data-world with volumes[0] ("/data/world"); rename one of them',
    ]);
  });

  it('accepts distinct and nested volumes', () => {
    expect(problems(game(`${MC}\nvolumes: [{ path: /data }, { path: /data/mods }, { path: /config }]`))).toEqual([]);
  });
});
