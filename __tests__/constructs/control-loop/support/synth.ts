/**
 * Builds the app from YAML text exactly as `cdktf synth` does
 * (`parseConfigText` → `buildApp` → `app.synth()` into a fresh folder) and
 * returns the main stack's JSON, with small lookups over its resources.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { buildApp } from '../../../../src/app';
import { parseConfigText } from '../../../../src/config/load';
import type { Config } from '../../../../src/config/resolve';

export type Body = Record<string, unknown>;

export interface MainStackJson {
  readonly resource: Record<string, Record<string, Body>>;
}

export interface SynthResult {
  readonly config: Config;
  readonly json: MainStackJson;
  /** Folder `app.synth()` wrote the stacks and their assets into. */
  readonly outdir: string;
  /** Folder of the main stack inside outdir; lambda `filename`s are relative to it. */
  readonly stackDir: string;
}

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

/** The configuration that ships in the repository (one Minecraft game with an SRV record). */
export function exampleYaml(): string {
  return readFileSync(join(REPO_ROOT, 'gamemanagement.yaml'), 'utf8');
}

/**
 * Three games that between them take every branch of the loop constructs:
 * a query probe woken by SRV lookups, a UDP game (with a hostname of its own)
 * counted by connections that stops after 2.5 h, a spot game counted by
 * traffic; plus Discord alerts.
 */
export const THREE_GAMES = `
name: gm
region: eu-central-1
domain:
  name: example.com
state:
  bucket: example-com-gamemanagement-state
alerts:
  emails: [admin@example.com]
  discordWebhookParameter: /gm/discord-webhook
games:
  mc:
    image: itzg/minecraft-server:java21
    instanceType: t4g.medium
    ports:
      - port: 25565
    wakeOn: [SRV]
    volumes:
      - path: /data
    watchdog:
      probe: { type: query, game: minecraft }
  valheim:
    hostname: vh.eu
    image: lloesche/valheim-server
    instanceType: t3.large
    ports:
      - { port: 2456, protocol: udp }
      - { port: 2457, protocol: udp }
      - { port: 2458, protocol: tcp }
    wakeOn: [A, AAAA]
    watchdog:
      probe: { type: connections }
      idleMinutes: 20
      maxHours: 2.5
      stopAfterMaxHours: true
  terraria:
    image: ryshe/terraria:latest
    instanceType: t3.medium
    spot: true
    ports:
      - port: 7777
    watchdog:
      probe: { type: traffic, bytesPerMinute: 50000 }
      maxHours: 4
`;

const synthesized = new Map<string, SynthResult>();

/**
 * Parses, builds and synthesizes one configuration; the environment is empty so
 * `${VAR:-x}` takes its default. Read-only results, so one synth per text per
 * test file (a fresh module registry synthesizes again).
 */
export function synthMain(yamlText: string): SynthResult {
  const known = synthesized.get(yamlText);
  if (known) return known;
  const result = synthFresh(yamlText);
  synthesized.set(yamlText, result);
  return result;
}

function synthFresh(yamlText: string): SynthResult {
  const config = parseConfigText(yamlText, 'test.yaml', {});
  const outdir = mkdtempSync(join(tmpdir(), 'gm-control-loop-'));
  const built = buildApp(config, outdir);
  // Writes the assets (the zips) where Terraform will read them.
  built.app.synth();
  const json = JSON.parse(Testing.synth(built.main)) as MainStackJson;
  return { config, json, outdir, stackDir: join(outdir, 'stacks', built.main.node.id) };
}

export interface Named {
  readonly name: string;
  readonly body: Body;
}

export function resources(json: MainStackJson, type: string): Named[] {
  return Object.entries(json.resource[type] ?? {}).map(([name, body]) => ({ name, body }));
}

/** The single resource of `type` matching `where`; throws naming what was found otherwise. */
export function only(json: MainStackJson, type: string, where: (body: Body) => boolean): Named {
  const found = resources(json, type).filter((r) => where(r.body));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type} matching, found ${found.length}: ${found.map((r) => r.name).join(', ') || '(none)'}`);
  }
  return found[0]!;
}

/** The resource of `type` whose AWS name (`name`, `function_name`, `alarm_name` or `family`) is `name`. */
export function byName(json: MainStackJson, type: string, name: string): Named {
  return only(json, type, (b) => (b.name ?? b.function_name ?? b.alarm_name ?? b.family) === name);
}

/** `${type.name.attr}`: how other resources refer to this one. */
export function ref(type: string, resource: Named, attribute: string): string {
  return `\${${type}.${resource.name}.${attribute}}`;
}

/** `type.name`, as it appears in depends_on. */
export function address(type: string, resource: Named): string {
  return `${type}.${resource.name}`;
}
