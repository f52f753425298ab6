/**
 * What may come of a configuration, and the rules each outcome must keep.
 * Synth ends in exactly one of two ways: every stack written, with no user
 * `${`/`%{` left for Terraform to evaluate, or a `ConfigError` whose every
 * problem names a field and says something, with nothing written. Anything
 * else (another exception, a stack trace in a message, a half-written
 * `cdktf.out`) is a crash. `violations` lists every rule an outcome breaks.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../../src/app';
import { ConfigError, formatPath } from '../../../src/config/config-error';
import { parseConfigText } from '../../../src/config/load';
import type { Config } from '../../../src/config/resolve';

export const CONFIG_FILE = 'property.yaml';
export const STACKS = ['bootstrap', 'gamemanagement', 'gamemanagement-worlds'] as const;

export type Stage = 'load' | 'build' | 'synth';

export type Outcome =
  | { readonly kind: 'synth'; readonly config: Config; readonly outdir?: string; readonly warnings?: readonly string[] }
  | { readonly kind: 'config-error'; readonly stage: Stage; readonly error: ConfigError; readonly outdir?: string }
  | { readonly kind: 'crash'; readonly stage: Stage; readonly error: unknown; readonly outdir?: string };

function attempt(stage: Stage, run: () => void, outdir?: string): Outcome | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof ConfigError ? { kind: 'config-error', stage, error, outdir } : { kind: 'crash', stage, error, outdir };
  }
}

/**
 * `parseConfigText` only. A warning the parser prints (Node's `emitWarning`)
 * would reach the user's terminal beside the real messages: it is caught
 * here and becomes a violation.
 */
export function load(text: string, env: NodeJS.ProcessEnv): Outcome {
  let config: Config | undefined;
  const warnings: string[] = [];
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error) => { warnings.push(String(warning instanceof Error ? warning.message : warning)); }) as typeof process.emitWarning;
  try {
    const failed = attempt('load', () => { config = parseConfigText(text, CONFIG_FILE, env); });
    if (warnings.length > 0) return { kind: 'crash', stage: 'load', error: new Error(`the loader printed a warning: ${warnings.join(' | ')}`) };
    return failed ?? { kind: 'synth', config: config! };
  } finally {
    process.emitWarning = emit;
  }
}

/** `parseConfigText` → `buildApp` → `app.synth()` into a fresh `cdktf.out` (not yet created), as `cdktf synth` does. */
export function synth(text: string, env: NodeJS.ProcessEnv): Outcome {
  const loaded = load(text, env);
  if (loaded.kind !== 'synth') return loaded;
  const outdir = join(mkdtempSync(join(tmpdir(), 'gm-property-')), 'cdktf.out');
  let built: ReturnType<typeof buildApp> | undefined;
  // Synth writes its warnings (a password in plain environment) to stderr: kept, not printed.
  const warnings: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { warnings.push(String(chunk)); return true; }) as typeof process.stderr.write;
  try {
    return attempt('build', () => { built = buildApp(loaded.config, outdir, [], CONFIG_FILE); }, outdir)
      ?? attempt('synth', () => built!.app.synth(), outdir)
      ?? { kind: 'synth', config: loaded.config, outdir, warnings };
  } finally {
    process.stderr.write = write;
  }
}

/** Removes the temporary folder of an outcome. */
export function cleanUp(outcome: Outcome): void {
  if (outcome.outdir) rmSync(join(outcome.outdir, '..'), { recursive: true, force: true });
}

/** Every file under `dir`, relative. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

/**
 * Terraform reads every string of cdk.tf.json as a template: `${` starts an
 * expression and `%{` a directive, `$${` and `%%{` are their escapes. Returns
 * each unescaped start with the text after it.
 */
export function templateStarts(text: string): { readonly sigil: '$' | '%'; readonly body: string }[] {
  const found: { sigil: '$' | '%'; body: string }[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      i += 3;
    } else if (text.startsWith('${', i) || text.startsWith('%{', i)) {
      found.push({ sigil: text[i] as '$' | '%', body: text.slice(i + 2, i + 62) });
      i += 2;
    } else {
      i += 1;
    }
  }
  return found;
}

/**
 * What synth itself writes after `${`: references to resources, data sources
 * and the workspace, and the few functions it calls. Anything else (such as
 * `path.cwd`, `file(`, `env.`) or any start that carries the test's marker
 * `gmhostile` came from user text, and Terraform would evaluate it.
 */
const OWN_EXPRESSION = /^(aws_[a-z0-9_]+\.|data\.|var\.|local\.|terraform\.workspace\}|(base64encode|cidrsubnet|element|jsonencode|replace|split|tostring|join|lookup|format)\()/;

/** Every user template start left unescaped in one JSON document, as `<json path>: <text>`. */
export function userTemplates(json: unknown, where = ''): string[] {
  const check = (text: string, at: string): string[] => templateStarts(text)
    .filter((t) => t.sigil === '%' || !OWN_EXPRESSION.test(t.body) || /gmhostile/i.test(t.body.split('}')[0]!))
    .map((t) => `${at}: ${t.sigil}{${t.body.slice(0, 40)}`);
  if (typeof json === 'string') return check(json, where);
  if (Array.isArray(json)) return json.flatMap((v, i) => userTemplates(v, `${where}[${i}]`));
  if (json && typeof json === 'object') {
    return Object.entries(json).flatMap(([k, v]) => [...(k === '//' ? [] : check(k, `${where}.${k} (key)`)), ...(k === '//' ? [] : userTemplates(v, `${where}.${k}`))]);
  }
  return [];
}

/** zod's own messages, which say how the validator failed rather than what to write. */
const ZOD_WORDING = /\b(Too big|Too small|Invalid input|Invalid option|Invalid string)\b|expected (record|string|number|boolean|object|array|nonoptional)\b(?!s)|, received \w+/;

const STACK_TRACE = /\n\s+at \S|\bat (Object|Module|Function)\.|node:internal|\.ts:\d+:\d+/;

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${(error.stack ?? '').split('\n').slice(1, 4).join('\n')}`;
  return `non-Error thrown: ${String(error)}`;
}

/** The rules an outcome breaks; empty when it is one of the two clean endings. */
export function violations(outcome: Outcome): string[] {
  const out: string[] = [];
  if (outcome.kind === 'crash') {
    out.push(`crash at ${outcome.stage}: ${describeError(outcome.error)}`);
    if (outcome.outdir && filesUnder(outcome.outdir).length > 0) out.push(`partial output: ${filesUnder(outcome.outdir).join(', ')}`);
    return out;
  }
  if (outcome.kind === 'config-error') {
    const { error } = outcome;
    if (error.problems.length === 0) out.push('ConfigError with no problems');
    const seen = new Set<string>();
    for (const p of error.problems) {
      const line = `${String(p.path)}: ${String(p.message)}`;
      if (typeof p.path !== 'string' || p.path.trim() === '') out.push(`problem without a field path: ${JSON.stringify(p)}`);
      if (typeof p.message !== 'string' || p.message.trim() === '') out.push(`problem without a message at ${String(p.path)}`);
      if (STACK_TRACE.test(line)) out.push(`stack trace in a problem: ${line.slice(0, 200)}`);
      if (/\[object Object\]/.test(line)) out.push(`unprinted object in a problem: ${line.slice(0, 200)}`);
      if (ZOD_WORDING.test(String(p.message))) out.push(`validator wording instead of plain words: ${line.slice(0, 200)}`);
      if (/[\n\r]/.test(String(p.path))) out.push(`line break in a field path: ${JSON.stringify(p.path)}`);
      if (seen.has(line)) out.push(`problem reported twice: ${line.slice(0, 200)}`);
      seen.add(line);
    }
    let formatted = '';
    try {
      formatted = error.format();
    } catch (e) {
      out.push(`format() throws: ${describeError(e)}`);
    }
    if (STACK_TRACE.test(formatted)) out.push('stack trace in the formatted error');
    if (outcome.outdir && filesUnder(outcome.outdir).length > 0) out.push(`partial output after a ConfigError: ${filesUnder(outcome.outdir).join(', ')}`);
    return out;
  }
  for (const w of outcome.warnings ?? []) if (STACK_TRACE.test(w)) out.push(`stack trace in a warning: ${w.slice(0, 200)}`);
  if (!outcome.outdir) return out;
  const files = filesUnder(outcome.outdir);
  for (const stack of STACKS) {
    const file = `stacks/${stack}/cdk.tf.json`;
    if (!files.includes(file)) {
      out.push(`synth succeeded but ${file} is missing`);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(outcome.outdir, file), 'utf8'));
    } catch (e) {
      out.push(`${file} is not JSON: ${(e as Error).message}`);
      continue;
    }
    for (const found of userTemplates(json)) out.push(`unescaped user template in ${stack}${found}`);
  }
  return out;
}

/** The problems of a ConfigError as `path: message` lines (for reports and assertions). */
export function problemLines(outcome: Outcome): string[] {
  return outcome.kind === 'config-error' ? outcome.error.problems.map((p) => `${p.path}: ${p.message}`) : [];
}

function ownKeys(value: unknown): string[] {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

/**
 * After a clean load: every game id, tag key and environment name the
 * document has is in the config; a key that vanished (`__proto__`) was
 * silently dropped instead of accepted or refused.
 */
export function droppedKeys(document: Record<string, unknown>, outcome: Outcome): string[] {
  if (outcome.kind !== 'synth') return [];
  const { config } = outcome;
  const out: string[] = [];
  const games = new Map(config.games.map((g) => [g.id, g]));
  for (const id of ownKeys(document.games)) {
    const game = games.get(id);
    if (!game) {
      out.push(`games.${id} silently dropped`);
      continue;
    }
    const environment = (document.games as Record<string, Record<string, unknown>>)[id]!.environment;
    for (const name of ownKeys(environment)) {
      if (!Object.prototype.hasOwnProperty.call(game.environment, name)) out.push(`games.${id}.environment.${name} silently dropped`);
    }
  }
  for (const key of ownKeys(document.tags)) {
    if (!Object.prototype.hasOwnProperty.call(config.tags, key)) out.push(`tags.${key} silently dropped`);
  }
  return out;
}

/**
 * After object-level edits that end in a ConfigError: some problem is at an
 * edited field, inside it, or in the same game (a changed port can make the
 * SRV port wrong). Edits outside `games` may show anywhere.
 */
export function namesEditedField(outcome: Outcome, touched: readonly (readonly (string | number)[])[]): string[] {
  if (outcome.kind !== 'config-error' || touched.length === 0) return [];
  const paths = outcome.error.problems.map((p) => p.path);
  const near = (edited: readonly (string | number)[]) => {
    if (edited[0] !== 'games' || edited.length < 2) return true;
    // Printed the way the loader prints paths, so odd game ids (`games[" "]`) still match.
    const anchor = formatPath(edited.slice(0, 2));
    return paths.some((p) => p.startsWith(anchor) || anchor.startsWith(p));
  };
  return touched.some(near) ? [] : [`no problem names an edited field (${touched.map((t) => t.join('.')).join(', ')}): ${paths.join(', ')}`];
}
