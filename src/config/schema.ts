/**
 * The shape of `gamemanagement.yaml`: one zod schema that validates the file,
 * fills in defaults and generates `gamemanagement.schema.json` for editors.
 * Every message says what is expected, so the loader only has to add the
 * field path and the value it found.
 */
import { z } from 'zod';
import { INSTANCE_TYPES, memoryForGameMiB } from './instance-types';
import { isMinecraftJava } from './minecraft-java';
import { OLD_GAME_IDS, QUERY_GAMES, queryProtocolOf } from '../runtime/query-games';
import { suggest } from './known-keys';

/** Why a query game id is refused, with the close id it may be a typo of, and the probe that fits any game. */
function unknownQueryGame(id: string): string {
  const close = suggest(id, [...QUERY_GAMES.keys(), ...Object.keys(OLD_GAME_IDS)]);
  return `the query probe speaks Minecraft (Java, Bedrock) and Steam A2S games, and "${id}" is none of them` +
    (close ? `; did you mean "${close}"?` : '') + ' For any other game use probe: { type: connections }, which counts players on the host';
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const BUCKET = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CIDR_V4 = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'SRV', 'TXT', 'HTTPS', 'ANY', 'CNAME', 'MX', 'NS', 'SOA'] as const;

const port = z
  .number({ error: 'expected a port number from 1 to 65535' })
  .int({ error: 'expected a whole port number from 1 to 65535' })
  .min(1, { error: 'expected a port number from 1 to 65535' })
  .max(65535, { error: 'expected a port number from 1 to 65535' });

const protocol = z.enum(['tcp', 'udp'], { error: 'expected "tcp" or "udp"' });

const wholeMinutes = (max: number) =>
  z.number({ error: `expected a whole number of minutes from 1 to ${max}` })
    .int({ error: `expected a whole number of minutes from 1 to ${max}` })
    .min(1, { error: `expected a whole number of minutes from 1 to ${max}` })
    .max(max, { error: `expected a whole number of minutes from 1 to ${max}` });

export const portSchema = z.strictObject({
  port: port.describe('Port the game listens on, the same on the host and in the container.'),
  protocol: protocol.default('tcp').describe('tcp or udp. Default tcp.'),
});

export const egressSchema = z.strictObject({
  port: port.describe('Destination port the game connects out to (first of a range with toPort).'),
  toPort: port.optional().describe('Last port of a range. Default: port.'),
  protocol: protocol.default('tcp').describe('tcp or udp. Default tcp.'),
  cidr: z.string().regex(CIDR_V4, { error: 'expected an IPv4 CIDR such as 0.0.0.0/0' }).default('0.0.0.0/0')
    .describe('Destination range. Default 0.0.0.0/0.'),
  description: z.string().max(200).optional().describe('Why the game needs it (shows in the security group).'),
});

const probeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('query'),
    game: z.string().regex(/^[a-z0-9_-]+$/, { error: 'expected a gamedig game id such as "minecraft" or "valheim"' })
      .refine((id) => queryProtocolOf(id) !== undefined, { error: (issue) => unknownQueryGame(String(issue.input)) })
      .default('minecraft').describe('gamedig game id of a Minecraft (Java or Bedrock) or Steam (A2S) game. Default minecraft (Java server-list ping).'),
    port: port.optional().describe('Query port. Default: the first game port (Steam games such as Valheim answer on the game port + 1).'),
  }),
  z.strictObject({ type: z.literal('connections') }),
  z.strictObject({
    type: z.literal('traffic'),
    bytesPerMinute: z.number().int().positive({ error: 'expected a whole number of bytes above 0' }).default(20_000)
      .describe('Network-in bytes per minute above which someone counts as playing. Default 20000.'),
  }),
], { error: 'expected probe.type to be "query", "connections" or "traffic"' });

export const watchdogSchema = z.strictObject({
  probe: probeSchema.default({ type: 'connections' })
    .describe('How players are counted: query (ask the game), connections (count on the host) or traffic (bytes). Default connections.'),
  idleMinutes: wholeMinutes(1440).default(10).describe('Minutes with nobody playing before the server stops. Default 10.'),
  startupMinutes: wholeMinutes(120).default(15).describe('Minutes the game may take to answer after boot before it counts as failed. Default 15.'),
  maxHours: z.number({ error: 'expected a number of hours from 1 to 168' }).min(1, { error: 'expected a number of hours from 1 to 168' })
    .max(168, { error: 'expected a number of hours from 1 to 168' }).default(8)
    .describe('Hours after which an instance that is still up raises an alert. Default 8.'),
  stopAfterMaxHours: z.boolean().default(false).describe('Also stop the server after maxHours. Default false (alert only).'),
});

export const srvSchema = z.strictObject({
  service: z.string().regex(/^[a-z0-9-]+$/, { error: 'expected a service name such as "minecraft" (no underscore)' })
    .describe('Service name: minecraft makes _minecraft._tcp.<host>.'),
  protocol: protocol.default('tcp').describe('tcp or udp. Default tcp.'),
  port: port.optional().describe('Port in the record. Default: the first game port of that protocol.'),
});

export const gameSchema = z.strictObject({
  hostname: z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, {
    error: 'expected DNS labels below the domain, such as "mc" or "mc.eu" (lower case letters, digits, hyphens)',
  }).optional().describe('Name below the domain. Default: the game id.'),
  image: z.string().min(1, { error: 'expected a container image such as "itzg/minecraft-server:java21"' })
    .describe('Container image.'),
  instanceType: z.string().regex(INSTANCE_TYPE, { error: 'expected an EC2 instance type such as "t4g.medium"' })
    .describe('EC2 instance type.'),
  architecture: z.enum(['arm64', 'x86_64'], { error: 'expected "arm64" or "x86_64"' }).optional()
    .describe('CPU architecture; needed only for instance types the built-in table does not know.'),
  memoryMiB: z.number().int({ error: 'expected a whole number of MiB' }).min(128, { error: 'expected at least 128 MiB' }).optional()
    .describe('Memory for the game container. Default: what the instance leaves after the OS and ECS agent.'),
  ports: z.array(portSchema).min(1, { error: 'expected at least one port' })
    .describe('Ports players connect to; the only inbound ports opened.'),
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' }),
    z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' }).transform(String))
    .default({}).describe('Environment variables for the container.'),
  volumes: z.array(z.strictObject({
    path: z.string().regex(/^\/[^\0]*$/, { error: 'expected an absolute path in the container, such as /data' })
      .describe('Path in the container kept on the game\'s EFS file system.'),
  })).default([]).describe('Container paths that persist (the world).'),
  wakeOn: z.array(z.enum(DNS_RECORD_TYPES, { error: `expected DNS query types from ${DNS_RECORD_TYPES.join(', ')}` }))
    .min(1, { error: 'expected at least one DNS query type' }).default(['A', 'AAAA'])
    .describe('DNS query types that start the server. Default A and AAAA.'),
  srv: srvSchema.optional().describe('SRV record _<service>._<protocol>.<host>. Default for Minecraft Java (the minecraft query probe or the itzg/minecraft-server image): _minecraft._tcp.'),
  watchdog: watchdogSchema.default({ probe: { type: 'connections' }, idleMinutes: 10, startupMinutes: 15, maxHours: 8, stopAfterMaxHours: false })
    .describe('When the server counts as idle and stops.'),
  spot: z.boolean().default(false).describe('Run on spot capacity (cheaper, may be interrupted). Default false.'),
  backups: z.boolean().default(true).describe('AWS Backup of the world file system (EFS automatic backups). Default true.'),
  keepOnDestroy: z.boolean().default(true).describe('Refuse to delete the world file system on destroy. Default true.'),
  oneZone: z.boolean().default(true).describe('One Zone EFS (about half the price). Default true.'),
  existingFileSystemId: z.string().regex(/^fs-[0-9a-f]{8,40}$/, { error: 'expected an EFS file system id such as fs-0123456789abcdef0' })
    .optional().describe('Adopt this EFS file system instead of creating one (its worlds are kept).'),
  rootVolumeGiB: z.number().int().min(30, { error: 'expected at least 30 GiB (the ECS-optimised AMI snapshot size)' })
    .max(1000, { error: 'expected at most 1000 GiB' }).default(30).describe('Root volume size. Default 30.'),
  egress: z.array(egressSchema.refine((e) => e.toPort === undefined || e.toPort >= e.port, {
    path: ['toPort'], error: 'expected toPort to be at least port',
  })).default([])
    .describe('Outbound ports the game needs besides HTTPS, DNS and NFS (master servers, Steam).'),
}).superRefine((parsed, ctx) => {
  // Runs even when other fields of the game are invalid, so every problem is
  // reported at once; hence the defensive reads.
  const game = parsed as Partial<typeof parsed>;
  const ports = Array.isArray(game.ports) ? game.ports.filter((p) => p && typeof p.port === 'number') : [];
  const seen = new Map<string, number>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}:${p.port}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['ports', i, 'port'], message: `${p.protocol} port ${p.port} is already listed at ports[${first}]; list each port once` });
    } else {
      seen.set(key, i);
    }
  });
  if (typeof game.instanceType !== 'string') return;
  const known = INSTANCE_TYPES[game.instanceType];
  if (!known && (game.memoryMiB === undefined || game.architecture === undefined)) {
    ctx.addIssue({
      code: 'custom', path: ['instanceType'],
      message: `instance type "${game.instanceType}" is not in the built-in table; set memoryMiB and architecture (arm64 or x86_64) for it, or pick a listed type`,
    });
  }
  if (known && game.architecture && game.architecture !== known.architecture) {
    ctx.addIssue({ code: 'custom', path: ['architecture'], message: `${game.instanceType} is ${known.architecture}; remove architecture or set it to ${known.architecture}` });
  }
  if (known && game.memoryMiB !== undefined) {
    const most = memoryForGameMiB(known.memoryMiB);
    if (game.memoryMiB > most) {
      ctx.addIssue({
        code: 'custom', path: ['memoryMiB'],
        message: `${game.memoryMiB} MiB is more than ${game.instanceType} leaves for the game (${most} of ${known.memoryMiB} MiB; the rest is for the OS and ECS agent); use at most ${most} or a larger instanceType`,
      });
    }
  }
  const tcpOrUdp = (proto: string) => ports.filter((p) => p.protocol === proto).map((p) => p.port);
  if (game.srv) {
    const candidates = tcpOrUdp(game.srv.protocol);
    if (candidates.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['srv', 'protocol'], message: `no ${game.srv.protocol} port in ports; add one or change srv.protocol` });
    } else if (game.srv.port !== undefined && !candidates.includes(game.srv.port)) {
      ctx.addIssue({ code: 'custom', path: ['srv', 'port'], message: `${game.srv.port} is not a ${game.srv.protocol} port of this game; use one of ${candidates.join(', ')}` });
    }
  }
  const probe = game.watchdog?.probe;
  if (!probe) return;
  if (Array.isArray(game.wakeOn) && game.wakeOn.includes('SRV') && !game.srv && !isMinecraftJava({ image: game.image, probe, ports })) {
    ctx.addIssue({ code: 'custom', path: ['wakeOn'], message: 'SRV wakes the server only when the game has an SRV record; add srv: {service: ..., protocol: ...}' });
  }
  if (probe.type === 'query' && probe.port !== undefined && !ports.some((p) => p.port === probe.port)) {
    // Query ports that are not game ports would need their own ingress rule.
    ctx.addIssue({ code: 'custom', path: ['watchdog', 'probe', 'port'], message: `${probe.port} is not one of the game's ports; add it to ports so the probe can reach it` });
  }
}, { when: (payload) => typeof payload.value === 'object' && payload.value !== null });

export const configSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,11}$/, { error: 'expected a short prefix: a lower-case letter, then up to 11 letters, digits or hyphens' })
    .default('gm').describe('Prefix of every AWS resource name. Default gm.'),
  region: z.string().regex(REGION, { error: 'expected an AWS region such as "eu-west-1"' }).describe('AWS region the games run in.'),
  domain: z.strictObject({
    name: z.string().regex(DOMAIN, { error: 'expected a lower-case domain name such as "example.com"' }).describe('Domain (or subdomain) the games live under.'),
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]{4,32}$/, { error: 'expected a Route53 hosted zone id such as "Z0123456789ABCDEFGHIJ"' })
      .optional().describe('Adopt this hosted zone instead of creating one.'),
  }).describe('The DNS zone players look names up in.'),
  state: z.strictObject({
    bucket: z.string().regex(BUCKET, { error: 'expected an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens' })
      .describe('S3 bucket for Terraform state (created by the bootstrap stack).'),
    key: z.string().regex(/^[A-Za-z0-9!_.*'()\/-]+\.tfstate$/, { error: 'expected an S3 key ending in .tfstate, such as "gamemanagement.tfstate"' })
      .default('gamemanagement.tfstate').describe('State key of the main stack; the worlds stack uses the same key with .worlds before .tfstate. Default gamemanagement.tfstate.'),
    region: z.string().regex(REGION, { error: 'expected an AWS region such as "eu-west-1"' }).optional()
      .describe('Region of the state bucket. Default: region.'),
  }).describe('Where Terraform keeps state (S3, locked with a lock file).'),
  alerts: z.strictObject({
    emails: z.array(z.email({ error: 'expected an e-mail address such as "you@example.com"' }))
      .refine((list) => new Set(list.map((e) => e.toLowerCase())).size === list.length, { error: 'expected each address once (addresses are compared without case)' })
      .default([])
      .describe('Addresses that get alerts (each confirms the subscription once).'),
    discordWebhookParameter: z.string().regex(/^\/[A-Za-z0-9_.\/-]+$/, { error: 'expected an SSM parameter name starting with /, such as "/gm/discord-webhook"' })
      .optional().describe('SSM SecureString parameter holding a Discord webhook URL.'),
  }).default({ emails: [] }).describe('Where notices and alarms go.'),
  network: z.strictObject({
    ipv6: z.boolean().default(false).describe('Dual stack: AAAA records and IPv6 ingress. Default false.'),
    availabilityZone: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { error: 'expected an availability zone such as "eu-west-1a"' })
      .optional().describe('Zone of the subnet and One Zone file systems. Default <region>a.'),
    cidr: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-8])$/, { error: 'expected an IPv4 CIDR from /16 to /28 (what AWS allows for a VPC), such as 10.0.0.0/16' }).default('10.0.0.0/16')
      .describe('VPC range. Default 10.0.0.0/16.'),
  }).default({ ipv6: false, cidr: '10.0.0.0/16' }).describe('The VPC.'),
  tags: z.record(z.string(), z.string()).default({}).describe('Tags on every resource (besides the built-in ones).'),
  games: z.record(
    z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: 'expected a game id: a lower-case letter, then letters, digits or hyphens (at most 31)' }),
    gameSchema,
  ).refine((games) => Object.keys(games).length > 0, { error: 'expected at least one game' })
    .describe('The games, by id; the id is the DNS label unless hostname says otherwise.'),
}).superRefine((parsed, ctx) => {
  const config = parsed as Partial<typeof parsed>;
  const az = config.network?.availabilityZone;
  if (typeof az === 'string' && typeof config.region === 'string' && REGION.test(config.region) && !az.startsWith(config.region)) {
    ctx.addIssue({ code: 'custom', path: ['network', 'availabilityZone'], message: `"${az}" is not in region ${config.region}; use a zone such as ${config.region}a` });
  }
  const owners = new Map<string, string>();
  for (const [id, game] of Object.entries(config.games ?? {})) {
    const host = typeof game?.hostname === 'string' ? game.hostname : id;
    const other = owners.get(host);
    if (other) {
      ctx.addIssue({ code: 'custom', path: ['games', id, 'hostname'], message: `"${host}.${config.domain?.name ?? '<domain>'}" is already used by games.${other}; give each game its own hostname` });
    } else {
      owners.set(host, id);
    }
  }
}, { when: (payload) => typeof payload.value === 'object' && payload.value !== null });

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type ParsedGame = z.output<typeof gameSchema>;
