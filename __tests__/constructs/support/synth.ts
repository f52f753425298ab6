/**
 * Builds the whole app from a YAML document the way `cdktf synth` does
 * (`parseConfigText` → `buildApp` → `app.synth()` into a fresh folder), then
 * hands each stack's JSON to the tests. Synthesizing the app first matters:
 * only then are cross-stack references (worlds → main) turned into
 * `terraform_remote_state` reads, exactly as Terraform will see them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
// Types only: brings in the declarations of the jest matchers `Testing.setupJest()` registers.
import type {} from 'cdktf/lib/testing/adapters/jest';
import { stringify } from 'yaml';
import { buildApp, type GameManagementApp } from '../../../src/app';
import { parseConfigText } from '../../../src/config/load';
import type { Config } from '../../../src/config/resolve';

export type Body = Record<string, unknown>;

export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Body>>;
  readonly data?: Record<string, Record<string, Body>>;
  readonly provider?: Record<string, Body[]>;
  readonly output?: Record<string, Body>;
  readonly terraform?: { readonly backend?: Record<string, Body> } & Body;
}

export interface SynthesizedStack {
  /** What `Testing.synth` returns: the input of the cdktf jest matchers. */
  readonly text: string;
  readonly json: TerraformJson;
}

export interface SynthesizedApp {
  readonly config: Config;
  readonly app: GameManagementApp;
  readonly outdir: string;
  readonly bootstrap: SynthesizedStack;
  readonly worlds: SynthesizedStack;
  readonly main: SynthesizedStack;
}

function stackOf(stack: Parameters<typeof Testing.synth>[0]): SynthesizedStack {
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) as TerraformJson };
}

/** Parses, builds and synthesizes one configuration given as YAML text. */
export function synthYaml(yamlText: string): SynthesizedApp {
  // An empty environment: `${VAR:-default}` in the YAML takes its default, whatever the shell has set.
  const config = parseConfigText(yamlText, 'test.yaml', {});
  const outdir = mkdtempSync(join(tmpdir(), 'gm-construct-test-'));
  const app = buildApp(config, outdir);
  app.app.synth();
  return { config, app, outdir, bootstrap: stackOf(app.bootstrap), worlds: stackOf(app.worlds), main: stackOf(app.main) };
}

/** Same, from a plain object written out as YAML first (so every test goes through the YAML loader). */
export function synthDocument(document: object): SynthesizedApp {
  return synthYaml(stringify(document));
}

export interface NamedResource {
  /** Terraform name (`game-mc_host_group_A93491AD`). */
  readonly name: string;
  readonly body: Body;
}

/** Every resource of one type, in synthesized order. */
export function resources(json: TerraformJson, type: string): NamedResource[] {
  return Object.entries(json.resource?.[type] ?? {}).map(([name, body]) => ({ name, body }));
}

/** The one resource of a type whose body matches `where`; fails when there is not exactly one. */
export function only(json: TerraformJson, type: string, where: (body: Body) => boolean = () => true): NamedResource {
  const found = resources(json, type).filter((r) => where(r.body));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type} matching, found ${found.length}: ${found.map((r) => r.name).join(', ') || '(none)'}`);
  }
  return found[0]!;
}

/** `${type.name.attr}`: how another resource refers to this one. */
export function ref(type: string, resource: NamedResource, attribute: string): string {
  return `\${${type}.${resource.name}.${attribute}}`;
}

/** Every resource of every type, for checks that must hold across the whole stack. */
export function allResources(json: TerraformJson): (NamedResource & { readonly type: string })[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ type, name, body })));
}

/** Resources whose `name` (or `family`) belongs to one game: `<prefix>-<game>` or `<prefix>-<game>-…`. */
export function belongsToGame(body: Body, prefix: string, gameId: string): boolean {
  const name = body.name ?? body.family;
  return typeof name === 'string' && (name === `${prefix}-${gameId}` || name.startsWith(`${prefix}-${gameId}-`));
}

/** The parsed `container_definitions` of a task definition. */
export function containerDefinitions(taskDefinition: Body): Body[] {
  const raw = taskDefinition.container_definitions;
  if (typeof raw !== 'string') throw new Error('container_definitions is not a JSON string');
  return JSON.parse(raw) as Body[];
}
