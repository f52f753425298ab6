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
import { pullThroughProblem } from './image-cache';
import {
  AWS_REGIONS, bucketNameProblem, dnsNameProblem, generatedNames, imageReferenceProblem, ipv4CidrProblem,
  isKnownFamilyType, isWellFormedInstanceType, mostMemoryForSizeMiB, RESERVED_NAME_PREFIXES, tagKeyProblem, tagValueProblem,
} from './aws-rules';

/** Runs a check that returns why a value is refused; the message names what was found. */
function refused<T>(problem: (value: T) => string | undefined) {
  return (value: T, ctx: z.core.$RefinementCtx<T>) => {
    const why = problem(value);
    if (why) ctx.addIssue({ code: 'custom', message: `found ${JSON.stringify(value)}; ${why}` });
  };
}

/** Keys that would change an object's prototype instead of naming a game, variable or tag. */
export const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function regionProblem(region: string): string | undefined {
  if (AWS_REGIONS.includes(region)) return undefined;
  const close = suggest(region, AWS_REGIONS);
  return close ? `expected an AWS region; did you mean "${close}"?` : 'expected an AWS region such as "eu-west-1"';
}

/** Volume paths as the container sees them: no doubled or trailing slashes. */
export function normalVolumePath(path: string): string {
  return path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

/** Why a query game id is refused, with the close id it may be a typo of, and the probe that fits any game. */
export function unknownQueryGame(id: string): string {
  const close = suggest(id, [...QUERY_GAMES.keys(), ...Object.keys(OLD_GAME_IDS)]);
  return `the query probe speaks Minecraft (Java, Bedrock) and Steam A2S games, and "${id}" is none of them` +
    (close ? `; did you mean "${close}"?` : '.') + ' For any other game use probe: { type: connections }, which counts players on the host';
}

const HOSTNAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

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
  cidr: z.string({ error: 'expected an IPv4 CIDR such as 0.0.0.0/0' }).superRefine(refused((c: string) => ipv4CidrProblem(c))).default('0.0.0.0/0')
    .describe('Destination range. Default 0.0.0.0/0.'),
  description: z.string({ error: (issue) => (issue.code === 'invalid_type' ? 'expected a description (text, at most 200 characters)' : undefined) }).max(200)
    // What EC2 accepts in a security group rule's description.
    .regex(/^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/, { error: 'has characters a security group refuses; use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*' })
    .optional().describe('Why the game needs it (shows in the security group).'),
});

const probeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('query'),
    game: z.string({ error: 'expected a gamedig game id such as "minecraft" or "valheim"' }).regex(/^[a-z0-9_-]+$/, { error: 'expected a gamedig game id such as "minecraft" or "valheim"' })
      .refine((id) => queryProtocolOf(id) !== undefined, { error: (issue) => unknownQueryGame(String(issue.input)) })
      .default('minecraft').describe('gamedig game id of a Minecraft (Java or Bedrock) or Steam (A2S) game. Default minecraft (Java server-list ping).'),
    port: port.optional().describe('Query port. Default: the first game port (Steam games such as Valheim answer on the game port + 1).'),
  }),
  z.strictObject({ type: z.literal('connections') }),
  z.strictObject({
    type: z.literal('traffic'),
    bytesPerMinute: z.number({ error: 'expected a whole number of bytes above 0' }).int({ error: 'expected a whole number of bytes above 0' }).positive({ error: 'expected a whole number of bytes above 0' }).default(20_000)
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
  stopAfterMaxHours: z.boolean({ error: 'expected true or false' }).default(false).describe('Also stop the server after maxHours. Default false (alert only).'),
});

export const srvSchema = z.strictObject({
  service: z.string({ error: 'expected a service name such as "minecraft" (no underscore)' }).regex(/^[a-z0-9-]+$/, { error: 'expected a service name such as "minecraft" (no underscore)' })
    .describe('Service name: minecraft makes _minecraft._tcp.<host>.'),
  protocol: protocol.default('tcp').describe('tcp or udp. Default tcp.'),
  port: port.optional().describe('Port in the record. Default: the first game port of that protocol.'),
});

// --- secrets (issue 8: constructs engineer) ---
/** SSM parameter names: letters, digits, _ . - and / between levels; AWS reserves names starting with aws or ssm. */
const SSM_PARAMETER_NAME = /^(?!\/?(aws|ssm))(\/?[A-Za-z0-9_.-]+)(\/[A-Za-z0-9_.-]+)*$/i;
/** A Secrets Manager secret's name, or its full ARN. */
const SECRET_NAME = /^[A-Za-z0-9\/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws(-[a-z]+)*:secretsmanager:[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d:\d{12}:secret:[A-Za-z0-9\/_+=.@-]+$/;

export const secretSchema = z.union([
  z.strictObject({
    ssmParameter: z.string().regex(SSM_PARAMETER_NAME, { error: 'expected an SSM parameter name such as "/gm/valheim/password" (letters, digits, _ . - /; not starting with aws or ssm)' })
      .describe('SSM Parameter Store parameter (a SecureString) in the game region.'),
  }),
  z.strictObject({
    secretsManager: z.string().refine((v) => SECRET_NAME.test(v) || SECRET_ARN.test(v), { error: 'expected a Secrets Manager secret name such as "gm/valheim" or its full ARN' })
      .describe('Secrets Manager secret (name in the game region, or full ARN).'),
    key: z.string().regex(/^[A-Za-z0-9_.@+=\/-]{1,256}$/, { error: 'expected a JSON key of the secret, such as "password"' }).optional()
      .describe('JSON key inside the secret. Default: the whole secret.'),
  }),
], { error: 'expected {ssmParameter: /name} or {secretsManager: name-or-arn, key: optional}' });
// --- end secrets ---

export const gameSchema = z.strictObject({
  hostname: z.string({ error: 'expected DNS labels below the domain, such as "mc" or "mc.eu" (lower case letters, digits, hyphens)' }).regex(HOSTNAME, {
    error: 'expected DNS labels below the domain, such as "mc" or "mc.eu" (lower case letters, digits, hyphens)',
  }).optional().describe('Name below the domain. Default: the game id.'),
  image: z.string({ error: 'expected a container image such as "itzg/minecraft-server:java21"' })
    .min(1, { error: 'expected a container image such as "itzg/minecraft-server:java21"' })
    .superRefine(refused((image: string) => (image === '' ? undefined : imageReferenceProblem(image))))
    .describe('Container image.'),
  instanceType: z.string({ error: 'expected an EC2 instance type such as "t4g.medium"' }).regex(INSTANCE_TYPE, { error: 'expected an EC2 instance type such as "t4g.medium"' })
    .describe('EC2 instance type.'),
  architecture: z.enum(['arm64', 'x86_64'], { error: 'expected "arm64" or "x86_64"' }).optional()
    .describe('CPU architecture; needed only for instance types the built-in table does not know.'),
  memoryMiB: z.number({ error: 'expected a whole number of MiB (at least 128)' }).int({ error: 'expected a whole number of MiB' }).min(128, { error: 'expected at least 128 MiB' }).optional()
    .describe('Memory for the game container. Default: what the instance leaves after the OS and ECS agent.'),
  ports: z.array(portSchema).min(1, { error: 'expected at least one port' })
    .describe('Ports players connect to; the only inbound ports opened.'),
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' })
    .refine((k) => !RESERVED_KEYS.has(k), { error: 'expected an environment variable name other than __proto__, constructor or prototype' }),
    z.union([z.string(), z.number(), z.boolean()], { error: 'expected text, a number or true/false' }).transform(String),
    { error: 'expected a mapping of variable names to values, such as { TZ: Europe/Berlin }' })
    .default({}).describe('Environment variables for the container.'),
  // --- secrets (issue 8: constructs engineer) ---
  secrets: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' }), secretSchema)
    .default({}).describe('Environment variables filled at container start from SSM Parameter Store or Secrets Manager; never in the synthesized JSON or Terraform state.'),
  // --- end secrets ---
  volumes: z.array(z.strictObject({
    path: z.string({ error: 'expected an absolute path in the container, such as /data' }).regex(/^\/[^\0]*$/, { error: 'expected an absolute path in the container, such as /data' })
      .describe('Path in the container kept on the game\'s EFS file system.'),
  })).default([]).describe('Container paths that persist (the world).'),
  wakeOn: z.array(z.enum(DNS_RECORD_TYPES, { error: `expected DNS query types from ${DNS_RECORD_TYPES.join(', ')}` }))
    .min(1, { error: 'expected at least one DNS query type' }).default(['A', 'AAAA'])
    .describe('DNS query types that start the server. Default A and AAAA.'),
  srv: srvSchema.optional().describe('SRV record _<service>._<protocol>.<host>. Default for Minecraft Java (the minecraft query probe or the itzg/minecraft-server image): _minecraft._tcp.'),
  watchdog: watchdogSchema.default({ probe: { type: 'connections' }, idleMinutes: 10, startupMinutes: 15, maxHours: 8, stopAfterMaxHours: false })
    .describe('When the server counts as idle and stops.'),
  spot: z.boolean({ error: 'expected true or false' }).default(false).describe('Run on spot capacity (cheaper, may be interrupted). Default false.'),
  // --- warm pool and image cache (issue 11) ---
  warmPool: z.boolean({ error: 'expected true or false' }).default(false)
    .describe('Keep the host stopped in an Auto Scaling warm pool between sessions, the game\'s image already on its volume: a start skips creating the instance and downloading the image. Costs the stopped root volume all month. Not with spot. Default false.'),
  imageCache: z.strictObject({
    credentialArn: z.string({ error: 'expected the ARN of a Secrets Manager secret named ecr-pullthroughcache/…' })
      .regex(/^arn:aws(-[a-z]+)*:secretsmanager:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:secret:ecr-pullthroughcache\/[A-Za-z0-9\/_+=.@-]+$/, {
        error: 'expected the ARN of a Secrets Manager secret whose name starts with ecr-pullthroughcache/ (ECR reads only those), such as arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf',
      })
      .optional().describe('Secrets Manager secret (its name starts with ecr-pullthroughcache/) with {"username", "accessToken"} for the upstream registry: required for Docker Hub and ghcr.io.'),
  }).optional()
    .describe('Pull the image through an ECR pull-through cache in the region (Docker Hub, ghcr.io, quay.io, public.ecr.aws, registry.k8s.io): pulls stay in the region and avoid Docker Hub\'s anonymous rate limit. Default: pulled from its registry.'),
  // --- end warm pool and image cache ---
  backups: z.boolean({ error: 'expected true or false' }).default(true).describe("Daily AWS Backup of the world into the deployment's vault `<name>-worlds`, kept 35 days (restorable with gm restore). Default true."),
  keepOnDestroy: z.boolean({ error: 'expected true or false' }).default(true).describe('Refuse to delete the world file system on destroy. Default true.'),
  oneZone: z.boolean({ error: 'expected true or false' }).default(true).describe('One Zone EFS (about half the price). Default true.'),
  existingFileSystemId: z.string({ error: 'expected an EFS file system id such as fs-0123456789abcdef0' }).regex(/^fs-[0-9a-f]{8,40}$/, { error: 'expected an EFS file system id such as fs-0123456789abcdef0' })
    .optional().describe('Adopt this EFS file system instead of creating one (its worlds are kept).'),
  rootVolumeGiB: z.number({ error: 'expected a whole number of GiB from 30 to 1000' }).int({ error: 'expected a whole number of GiB from 30 to 1000' }).min(30, { error: 'expected at least 30 GiB (the ECS-optimised AMI snapshot size)' })
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
  // A port that is itself wrong is reported once, where it is: checks that read the ports would only guess.
  const portsValid = Array.isArray(game.ports) && ports.length === game.ports.length
    && ports.every((p) => Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535 && (p.protocol === 'tcp' || p.protocol === 'udp'));
  const egress = Array.isArray(game.egress) ? game.egress : [];
  const rules = new Map<string, number>();
  egress.forEach((e, i) => {
    if (!e || typeof e.port !== 'number') return;
    const key = `${e.protocol}:${e.port}-${e.toPort ?? e.port}:${e.cidr}`;
    const first = rules.get(key);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['egress', i], message: `the same rule as egress[${first}] (${e.protocol} ${e.port}${e.toPort !== undefined && e.toPort !== e.port ? `-${e.toPort}` : ''} to ${e.cidr}); AWS refuses duplicate security group rules, list it once` });
    } else {
      rules.set(key, i);
    }
  });
  const volumes = Array.isArray(game.volumes) ? game.volumes : [];
  const volumeAt = new Map<string, number>();
  volumes.forEach((v, i) => {
    if (!v || typeof v.path !== 'string' || !v.path.startsWith('/')) return;
    const normal = normalVolumePath(v.path);
    if (normal === '/') {
      ctx.addIssue({ code: 'custom', path: ['volumes', i, 'path'], message: `found ${JSON.stringify(v.path)}; expected a folder below /, such as /data (the whole container cannot be a volume)` });
      return;
    }
    if (normal.split('/').some((segment) => segment === '..' || segment === '.')) {
      ctx.addIssue({ code: 'custom', path: ['volumes', i, 'path'], message: `found ${JSON.stringify(v.path)}; expected a path without . or .. segments, such as /data` });
      return;
    }
    // Access points live at /volumes/<path with other characters as ->: two paths may not share one.
    const slug = normal.slice(1).replace(/[^A-Za-z0-9._-]+/g, '-');
    const first = volumeAt.get(slug);
    if (first !== undefined) {
      const same = normalVolumePath(volumes[first]!.path) === normal;
      ctx.addIssue({
        code: 'custom', path: ['volumes', i, 'path'],
        message: same
          ? `${JSON.stringify(v.path)} is the same folder as volumes[${first}] (${JSON.stringify(volumes[first]!.path)}); list each volume once`
          : `${JSON.stringify(v.path)} would share its world folder /volumes/${slug} with volumes[${first}] (${JSON.stringify(volumes[first]!.path)}); rename one of them`,
      });
    } else {
      volumeAt.set(slug, i);
    }
  });
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
  // --- warm pool and image cache (issue 11) ---
  if (game.warmPool === true && game.spot === true) {
    // PutWarmPool fails on a group with a mixed instances policy, and spot needs one.
    ctx.addIssue({ code: 'custom', path: ['warmPool'], message: 'AWS refuses a warm pool on a spot group (a group with a mixed instances policy); remove warmPool or spot' });
  }
  const cacheProblem = game.imageCache && typeof game.image === 'string' && imageReferenceProblem(game.image) === undefined
    ? pullThroughProblem(game.image, game.imageCache.credentialArn) : undefined;
  if (cacheProblem) ctx.addIssue({ code: 'custom', path: ['imageCache'], message: cacheProblem });
  // --- end warm pool and image cache ---
  // --- secrets (issue 8: constructs engineer) ---
  if (game.secrets && typeof game.secrets === 'object' && game.environment && typeof game.environment === 'object') {
    for (const name of Object.keys(game.secrets)) {
      if (Object.hasOwn(game.environment, name)) {
        ctx.addIssue({ code: 'custom', path: ['secrets', name], message: `${name} is also in environment; keep it in one of them (secrets for a password or token)` });
      }
    }
  }
  // --- end secrets ---
  if (typeof game.instanceType !== 'string') return;
  const known = INSTANCE_TYPES[game.instanceType];
  const close = known ? undefined : suggest(game.instanceType, Object.keys(INSTANCE_TYPES));
  if (!known && !INSTANCE_TYPE.test(game.instanceType)) {
    // Reported by the field's own format check.
  } else if (!known && close && !isKnownFamilyType(game.instanceType)) {
    ctx.addIssue({
      code: 'custom', path: ['instanceType'],
      message: `found "${game.instanceType}"; did you mean "${close}"? (a type outside the built-in table needs memoryMiB and architecture)`,
    });
  } else if (!known && !isWellFormedInstanceType(game.instanceType)) {
    ctx.addIssue({
      code: 'custom', path: ['instanceType'],
      message: `found "${game.instanceType}"; expected an EC2 instance type: family, generation and size, such as "t4g.medium", "c7gn.2xlarge" or "m7i-flex.large"`,
    });
  } else if (!known && (game.memoryMiB === undefined || game.architecture === undefined)) {
    const missing = [game.memoryMiB === undefined ? 'memoryMiB' : '', game.architecture === undefined ? 'architecture (arm64 or x86_64)' : ''].filter(Boolean).join(' and ');
    ctx.addIssue({
      code: 'custom', path: ['instanceType'],
      message: `instance type "${game.instanceType}" is not in the built-in table; set ${missing} for it, or pick a listed type`,
    });
  } else if (!known && typeof game.memoryMiB === 'number') {
    const most = mostMemoryForSizeMiB(game.instanceType)!;
    if (game.memoryMiB > most) {
      ctx.addIssue({
        code: 'custom', path: ['memoryMiB'],
        message: `${game.memoryMiB} MiB is more than any EC2 instance of size ${game.instanceType.split('.')[1]} has (at most ${most} MiB); GameManagement cannot know what ${game.instanceType} has, so check it and use less`,
      });
    }
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
  if (!portsValid) return;
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
  if (probe.type === 'query' && typeof probe.port === 'number' && !ports.some((p) => p.port === probe.port)) {
    // Query ports that are not game ports would need their own ingress rule.
    ctx.addIssue({ code: 'custom', path: ['watchdog', 'probe', 'port'], message: `${probe.port} is not one of the game's ports; add it to ports so the probe can reach it` });
  }
}, { when: (payload) => typeof payload.value === 'object' && payload.value !== null });

export const configSchema = z.strictObject({
  name: z.string({ error: 'expected a short prefix: a lower-case letter, then up to 11 letters, digits or hyphens' }).regex(/^[a-z][a-z0-9-]{0,11}$/, { error: 'expected a short prefix: a lower-case letter, then up to 11 letters, digits or hyphens' })
    .refine((n) => !/^[a-z][a-z0-9-]{0,11}$/.test(n) || !RESERVED_NAME_PREFIXES.some((p) => n.startsWith(p)), {
      error: (issue) => `found ${JSON.stringify(issue.input)}; expected a prefix not starting with ${RESERVED_NAME_PREFIXES.join(', ')} (AWS reserves them for SSM parameters and documents), such as "gm"`,
    })
    .default('gm').describe('Prefix of every AWS resource name. Default gm.'),
  region: z.string({ error: 'expected an AWS region such as "eu-west-1"' }).superRefine(refused(regionProblem)).describe('AWS region the games run in.'),
  domain: z.strictObject({
    name: z.string({ error: 'expected a lower-case domain name such as "example.com"' }).regex(DOMAIN, { error: 'expected a lower-case domain name such as "example.com"' }).describe('Domain (or subdomain) the games live under.'),
    hostedZoneId: z.string({ error: 'expected a Route53 hosted zone id such as "Z0123456789ABCDEFGHIJ"' }).regex(/^Z[A-Z0-9]{4,32}$/, { error: 'expected a Route53 hosted zone id such as "Z0123456789ABCDEFGHIJ"' })
      .optional().describe('Adopt this hosted zone instead of creating one.'),
  }).describe('The DNS zone players look names up in.'),
  state: z.strictObject({
    bucket: z.string({ error: 'expected an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens' }).superRefine(refused(bucketNameProblem))
      .describe('S3 bucket for Terraform state (created by the bootstrap stack).'),
    key: z.string({ error: 'expected an S3 key ending in .tfstate, such as "gamemanagement.tfstate"' }).regex(/^[A-Za-z0-9!_.*'()\/-]+\.tfstate$/, { error: 'expected an S3 key ending in .tfstate, such as "gamemanagement.tfstate"' })
      .default('gamemanagement.tfstate').describe('State key of the main stack; the worlds stack uses the same key with .worlds before .tfstate. Default gamemanagement.tfstate.'),
    region: z.string({ error: 'expected an AWS region such as "eu-west-1"' }).superRefine(refused(regionProblem)).optional()
      .describe('Region of the state bucket. Default: region.'),
  }).describe('Where Terraform keeps state (S3, locked with a lock file).'),
  alerts: z.strictObject({
    emails: z.array(z.email({ error: 'expected an e-mail address such as "you@example.com"' }))
      .refine((list) => new Set(list.map((e) => e.toLowerCase())).size === list.length, { error: 'expected each address once (addresses are compared without case)' })
      .default([])
      .describe('Addresses that get alerts (each confirms the subscription once).'),
    discordWebhookParameter: z.string({ error: 'expected an SSM parameter name starting with /, such as "/gm/discord-webhook"' }).regex(/^\/[A-Za-z0-9_.\/-]+$/, { error: 'expected an SSM parameter name starting with /, such as "/gm/discord-webhook"' })
      .optional().describe('SSM SecureString parameter holding a Discord webhook URL.'),
    monthlyBudgetUsd: z.number({ error: 'expected a number of US dollars, such as 5' }).positive({ error: 'expected a positive number of US dollars, such as 5' })
      .optional().describe('AWS Budgets cost budget for the account, USD a month: e-mails at 80 % actual and 100 % forecast spend (needs emails; the first two budgets of an account are free). Default off.'),
  }).default({ emails: [] }).superRefine((alerts, ctx) => {
    // A budget without subscribers would alert nobody, and AWS refuses a notification without one.
    if (alerts.monthlyBudgetUsd !== undefined && alerts.emails.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['monthlyBudgetUsd'], message: 'a budget alerts by e-mail; add at least one address to alerts.emails, or remove monthlyBudgetUsd' });
    }
  }).describe('Where notices and alarms go.'),
  network: z.strictObject({
    ipv6: z.boolean({ error: 'expected true or false' }).default(false).describe('Dual stack: AAAA records and IPv6 ingress. Default false.'),
    availabilityZone: z.string({ error: 'expected an availability zone such as "eu-west-1a"' }).regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { error: 'expected an availability zone such as "eu-west-1a"' })
      .optional().describe('Zone of the subnet and One Zone file systems. Default <region>a.'),
    cidr: z.string({ error: 'expected an IPv4 CIDR from /16 to /28 (what AWS allows for a VPC), such as 10.0.0.0/16' })
      .superRefine(refused((c: string) => ipv4CidrProblem(c, 16, 28))).default('10.0.0.0/16')
      .describe('VPC range. Default 10.0.0.0/16.'),
  }).default({ ipv6: false, cidr: '10.0.0.0/16' }).describe('The VPC.'),
  tags: z.record(
    z.string().superRefine((key, ctx) => {
      const why = RESERVED_KEYS.has(key) ? 'expected a tag key other than __proto__, constructor or prototype' : tagKeyProblem(key);
      if (why) ctx.addIssue({ code: 'custom', message: `found ${JSON.stringify(key)}; ${why}` });
    }),
    z.string({ error: 'expected a tag value (text)' }).superRefine(refused(tagValueProblem)),
    { error: 'expected a mapping of tag keys to values, such as { owner: you }' },
  ).refine((tags) => Object.keys(tags).length <= 40, { error: 'expected at most 40 tags (AWS allows 50 per resource; GameManagement adds up to 10)' })
    .default({}).describe('Tags on every resource (besides the built-in ones).'),
  games: z.record(
    z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: 'expected a game id: a lower-case letter, then letters, digits or hyphens (at most 31)' }),
    gameSchema,
    { error: 'expected a mapping of game ids to games, such as { mc: { image: ..., instanceType: ..., ports: [...] } }' },
  ).refine((games) => Object.keys(games).length > 0, { error: 'expected at least one game' })
    .describe('The games, by id; the id is the DNS label unless hostname says otherwise.'),
}).superRefine((parsed, ctx) => {
  const config = parsed as Partial<typeof parsed>;
  const az = config.network?.availabilityZone;
  if (typeof az === 'string' && typeof config.region === 'string' && REGION.test(config.region) && !az.startsWith(config.region)) {
    ctx.addIssue({ code: 'custom', path: ['network', 'availabilityZone'], message: `"${az}" is not in region ${config.region}; use a zone such as ${config.region}a` });
  }
  const owners = new Map<string, string>();
  const prefix = typeof config.name === 'string' ? config.name : 'gm';
  const domain = typeof config.domain?.name === 'string' ? config.domain.name : undefined;
  for (const [id, game] of Object.entries(config.games ?? {})) {
    for (const generated of generatedNames(prefix, id)) {
      if (generated.name.length > generated.limit) {
        ctx.addIssue({ code: 'custom', path: ['games', id], message: `makes the ${generated.what} name "${generated.name}" (${generated.name.length} characters; AWS allows ${generated.limit}); use a shorter game id or name` });
        break;
      }
    }
    const host = typeof game?.hostname === 'string' ? game.hostname : id;
    // Labels that break their own field's format are reported there; here only what the whole name adds.
    if (domain && DOMAIN.test(domain) && HOSTNAME.test(host)) {
      const fqdn = `${host}.${domain}`;
      const srvName = game?.srv && typeof game.srv.service === 'string' ? `_${game.srv.service}._${game.srv.protocol ?? 'tcp'}.${fqdn}` : undefined;
      for (const [name, field] of [[fqdn, game?.hostname !== undefined ? 'hostname' : undefined], [srvName, 'srv']] as const) {
        const why = name ? dnsNameProblem(name) : undefined;
        if (why) {
          ctx.addIssue({ code: 'custom', path: field ? ['games', id, field] : ['games', id], message: `makes the DNS name "${name!.length > 60 ? `${name!.slice(0, 57)}...` : name}"; ${why}` });
          break;
        }
      }
    }
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
